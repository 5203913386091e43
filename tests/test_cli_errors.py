"""Bad input and faults on the command line: a clear one-line message, the right exit code,
and full output for every other file.

In-process (CliRunner) where possible; a subprocess where a real signal or pipe is needed.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from pharmafacts.cli import main

from .conftest import FIXTURES, ROOT

GOOD_A = "Nordvita LLC opened a plant of 12,000 square meters in Tver. It will employ 340 people.\n"
GOOD_B = "Lumeria LLC will invest 7.4 billion rubles in a new plant and create 300 jobs by 2026.\n"
RU_EN = (
    "Компания Герофарм открыла завод в Санкт-Петербурге. Инвестиции составили 6,3 млрд рублей.\n"
    "Korvel Biotech LLC opened a plant of 28,000 square meters in Tver. It will employ 410 people.\n"
)
UTF16 = "Sarmed JSC will build a 3.5-hectare plant in Kazan and create 120 jobs.\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10"


def run(*args: str, input: str | bytes | None = None):
    return CliRunner().invoke(main, ["extract", *args], input=input, catch_exceptions=False)


def documents(result) -> list[dict]:
    return json.loads(result.stdout)["documents"]


def alone(path: Path) -> dict:
    """The document a file gives when run on its own."""
    result = run(str(path), "--format", "json")
    assert result.exit_code == 0, result.stderr
    [doc] = documents(result)
    return doc


def stderr_lines(result) -> list[str]:
    return result.stderr.splitlines()


@pytest.fixture
def good(tmp_path) -> tuple[Path, Path]:
    a, b = tmp_path / "good_a.txt", tmp_path / "good_b.txt"
    a.write_text(GOOD_A, encoding="utf-8")
    b.write_text(GOOD_B, encoding="utf-8")
    return a, b


@pytest.fixture
def no_hang():
    """Fail the test instead of hanging the suite should something open a FIFO after all."""

    def timeout(signum, frame):
        raise TimeoutError("blocked: a FIFO was opened")

    old = signal.signal(signal.SIGALRM, timeout)
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


def deny_reading(monkeypatch, path: Path) -> None:
    """Reading ``path`` fails with EACCES (tests run as root, where chmod 000 does not stop reading)."""
    real_open = os.open

    def guarded(file, *args, **kwargs):
        if os.fspath(file) == str(path):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(os, "open", guarded)


# --- usage errors: exit 2, before any work --------------------------------------------------


def test_missing_path_is_one_line_and_exit_2(good):
    result = run(str(good[0]), "nope/missing.txt")
    assert result.exit_code == 2
    assert result.stderr == "pharmafacts: error: nope/missing.txt: no such file or directory\n"
    assert result.stdout == ""  # nothing was processed, not even the good file


@pytest.mark.parametrize("args", [["--no-such-option"], ["--format", "xml"], ["--jobs-or-whatever=3"]])
def test_unknown_options_and_formats_are_usage_errors(good, args):
    result = run(str(good[0]), *args)
    assert result.exit_code == 2
    assert "Error:" in result.stderr and result.stdout == ""


# --- encodings ------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["cp1251", "utf-16", "utf-8-sig"])
def test_encodings_decode_and_offsets_refer_to_the_decoded_text(tmp_path, good, encoding):
    path = tmp_path / "ru.txt"
    path.write_bytes(RU_EN.encode(encoding))
    result = run(str(path), str(good[0]), "--format", "json")
    assert result.exit_code == 0
    doc, other = documents(result)
    guessed = encoding == "cp1251"
    assert doc["warnings"] == (["encoding guessed as cp1251"] if guessed else [])
    assert (f"pharmafacts: warning: {path}: encoding guessed as cp1251" in stderr_lines(result)) == guessed
    assert {(f["kind"], f["value"], f["subject"]) for f in doc["facts"]} >= {("area", 28000, "Korvel Biotech"), ("jobs", 410, "Korvel Biotech")}
    for fact in doc["facts"]:
        assert RU_EN[fact["start"] : fact["end"]] == fact["text"]
    assert other == alone(good[0])


def test_guessed_encoding_on_stdin_and_quiet(tmp_path):
    result = CliRunner().invoke(main, ["extract", "-", "--format", "json"], input=RU_EN.encode("cp1251"))
    assert result.exit_code == 0
    assert "pharmafacts: warning: -: encoding guessed as cp1251" in stderr_lines(result)
    quiet = CliRunner().invoke(main, ["extract", "-", "--format", "json", "-q"], input=RU_EN.encode("cp1251"))
    assert quiet.stderr == "" and documents(quiet)[0]["warnings"] == ["encoding guessed as cp1251"]


# --- skipped (not text): a warning, exit 0 --------------------------------------------------


def test_binary_file_is_skipped_with_a_warning(tmp_path, good):
    png = tmp_path / "photo.txt"
    png.write_bytes(PNG)
    result = run(str(png), str(good[0]), "--format", "json")
    assert result.exit_code == 0
    assert stderr_lines(result) == [
        f"pharmafacts: warning: {png}: not a text file (PNG image)",
        "pharmafacts: 1 document(s) processed, 1 skipped",
    ]
    assert documents(result) == [alone(good[0])]


def test_nul_bytes_are_skipped(tmp_path, good):
    blob = tmp_path / "blob.txt"
    blob.write_bytes(b"some words\x00\x01\x02 and more")
    result = run(str(blob), str(good[0]), "--format", "json")
    assert result.exit_code == 0
    assert f"pharmafacts: warning: {blob}: not a text file (contains NUL bytes)" in stderr_lines(result)
    assert documents(result) == [alone(good[0])]


def test_fifo_named_directly_and_in_a_directory_is_skipped_unopened(tmp_path, good, no_hang):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    direct = run(str(fifo), str(good[0]), "--format", "json")
    assert direct.exit_code == 0
    assert stderr_lines(direct)[0] == f"pharmafacts: warning: {fifo}: not a regular file (FIFO)"
    in_dir = run(str(tmp_path), "--format", "json")
    assert in_dir.exit_code == 0
    assert f"pharmafacts: warning: {fifo}: not a regular file (FIFO)" in stderr_lines(in_dir)
    assert [d["source"] for d in documents(in_dir)] == [str(good[0]), str(good[1])]


def test_socket_and_device_are_skipped(tmp_path, good, no_hang):
    sock_path = tmp_path / "sock.txt"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(sock_path))
    try:
        result = run(str(tmp_path), os.devnull, "--format", "json")
    finally:
        server.close()
    assert result.exit_code == 0
    lines = stderr_lines(result)
    assert f"pharmafacts: warning: {sock_path}: not a regular file (socket)" in lines
    assert f"pharmafacts: warning: {os.devnull}: not a regular file (device)" in lines
    assert lines[-1] == "pharmafacts: 2 document(s) processed, 2 skipped"


# --- empty input: a document with no facts --------------------------------------------------


@pytest.mark.parametrize("content", [b"", b"   \r\n\t\n  "])
def test_empty_or_whitespace_file_is_a_document_without_facts(tmp_path, content):
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    result = run(str(path), "--format", "json")
    assert result.exit_code == 0
    [doc] = documents(result)
    assert doc["source"] == str(path)
    assert (doc["facts"], doc["companies"], doc["sites"], doc["title"]) == ([], [], [], None)


# --- failures: a one-line error, the others processed, exit 1 -------------------------------


def test_unreadable_file_fails_alone(tmp_path, good, monkeypatch):
    locked = tmp_path / "locked.txt"
    locked.write_text(GOOD_A)
    expected = [alone(good[0]), alone(good[1])]
    deny_reading(monkeypatch, locked)
    result = run(str(good[0]), str(locked), str(good[1]), "--format", "json")
    assert result.exit_code == 1
    assert stderr_lines(result) == [
        f"pharmafacts: error: {locked}: permission denied",
        "pharmafacts: 2 document(s) processed, 1 failed",
    ]
    assert documents(result) == expected


def test_file_vanishing_mid_run_fails_alone(tmp_path, good, monkeypatch):
    import pharmafacts.api as api

    doomed = tmp_path / "b_doomed.txt"  # sorted between good_a and good_b
    doomed.write_text(GOOD_A)
    real_expand = api.expand_paths

    def expand_then_delete(*args, **kwargs):
        for path in real_expand(*args, **kwargs):
            if path == str(doomed):
                doomed.unlink()  # found by the directory walk, gone before it is read
            yield path

    monkeypatch.setattr(api, "expand_paths", expand_then_delete)
    result = run(str(tmp_path), "--format", "json")
    assert result.exit_code == 1
    assert f"pharmafacts: error: {doomed}: no such file" in stderr_lines(result)
    assert [d["source"] for d in documents(result)] == [str(good[0]), str(good[1])]


def test_dangling_symlink_in_a_directory_fails_alone(tmp_path, good):
    link = tmp_path / "link.txt"
    link.symlink_to(tmp_path / "nowhere.txt")
    result = run(str(tmp_path), "--format", "json")
    assert result.exit_code == 1
    assert stderr_lines(result) == [
        f"pharmafacts: error: {link}: broken symbolic link",
        "pharmafacts: 2 document(s) processed, 1 failed",
    ]
    assert documents(result) == [alone(good[0]), alone(good[1])]


def test_symlink_loop_ends_and_each_file_is_read_once(tmp_path, good):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "loop").symlink_to(tmp_path)
    result = run(str(tmp_path), "--format", "json")
    assert result.exit_code == 0
    assert [d["source"] for d in documents(result)] == [str(good[0]), str(good[1])]


def test_errors_are_printed_even_when_quiet(tmp_path, good):
    png = tmp_path / "photo.txt"
    png.write_bytes(PNG)
    (tmp_path / "link.txt").symlink_to(tmp_path / "nowhere.txt")
    result = run(str(tmp_path), "--format", "json", "-q")
    assert result.exit_code == 1
    assert result.stderr == f"pharmafacts: error: {tmp_path / 'link.txt'}: broken symbolic link\n"


# --- the mixed folder ------------------------------------------------------------------------


def test_mixed_folder_gives_exactly_the_good_files_facts(tmp_path, monkeypatch, no_hang):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    files = {
        "01_ru_cp1251.txt": RU_EN.encode("cp1251"),
        "02_utf16.txt": UTF16.encode("utf-16"),
        "03_image.txt": PNG,
        "04_empty.txt": b"",
        "05_locked.txt": GOOD_A.encode(),
        "06_good_a.txt": GOOD_A.encode(),
        "07_good_b.txt": GOOD_B.encode("utf-8-sig"),
    }
    for name, data in files.items():
        (corpus / name).write_bytes(data)
    (corpus / "08_dangling.txt").symlink_to(corpus / "gone.txt")
    os.mkfifo(corpus / "09_fifo.txt")
    good_names = ["01_ru_cp1251.txt", "02_utf16.txt", "04_empty.txt", "06_good_a.txt", "07_good_b.txt"]
    expected = [alone(corpus / name) for name in good_names]
    deny_reading(monkeypatch, corpus / "05_locked.txt")

    result = run(str(corpus), "--format", "json")

    assert result.exit_code == 1
    assert sorted(stderr_lines(result)) == sorted([
        f"pharmafacts: warning: {corpus / '03_image.txt'}: not a text file (PNG image)",
        f"pharmafacts: error: {corpus / '05_locked.txt'}: permission denied",
        f"pharmafacts: error: {corpus / '08_dangling.txt'}: broken symbolic link",
        f"pharmafacts: warning: {corpus / '09_fifo.txt'}: not a regular file (FIFO)",
        f"pharmafacts: warning: {corpus / '01_ru_cp1251.txt'}: encoding guessed as cp1251",
        "pharmafacts: 5 document(s) processed, 2 skipped, 2 failed",
    ])
    assert documents(result) == expected
    assert sum(len(d["facts"]) for d in expected) >= 8  # the good files do have facts to lose


# --- text oddities ---------------------------------------------------------------------------


ODD = (
    "Nordvita\u00a0LLC opened a plant of 28\u00a0000 m² in Tver.\r\n"
    "“It is a big day,” said the director 🎉\x07.\r\n"
    "Lumeria LLC will build 16\u2009750 square meters and create 300 jobs.\r\n"
    "Компания Нордвита: 28 000 кв. м.\r\n"
)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_text_oddities_give_correct_values_and_offsets(tmp_path, encoding):
    path = tmp_path / "odd.txt"
    path.write_bytes(ODD.encode(encoding))
    result = run(str(path), "--format", "json")
    assert result.exit_code == 0
    [doc] = documents(result)
    got = {(f["kind"], f["value"], f["subject"]) for f in doc["facts"]}
    assert {("area", 28000, "Nordvita"), ("area", 16750, "Lumeria"), ("jobs", 300, "Lumeria")} <= got
    for fact in doc["facts"]:
        assert ODD[fact["start"] : fact["end"]] == fact["text"]
    for company in doc["companies"]:
        for m in company["mentions"]:
            assert ODD[m["start"] : m["end"]] == m["text"]


def test_long_line_without_newline(extractor):
    line = "Nordvita LLC opened a plant of 12,000 square meters in Tver and will employ 340 people; " * 40
    line += "🙂\u00a0" * 500 + "Lumeria LLC will create 300 jobs."
    doc = extractor.extract_text(line)
    assert ("jobs", 300, "Lumeria") in {(f.kind, f.value, f.subject) for f in doc.facts}
    assert all(line[f.start : f.end] == f.text for f in doc.facts)


FRAGMENTS = [
    "Nordvita LLC", "Lumeria", "opened a plant of", "12,000 square meters", "28\u00a0000 m²", "16\u2009750 sq. m",
    "will employ", "340 people", "300 jobs", "7.4 billion rubles", "€135 million", "in 2026", "on 7 October 2025",
    "“", "”", "«", "»", "Компания", "завод", "🙂", "👩‍🔬", "\r\n", "\n", "\x07", "\x00", "\u200b", "\t", ". ", ", ", " ",
]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=25))
def test_any_text_extracts_without_error_and_every_span_is_grounded(extractor, parts):
    text = "".join(parts)
    doc = extractor.extract_text(text)
    for f in doc.facts:
        assert text[f.start : f.end] == f.text and f.start <= f.end
    for ent in [*doc.companies, *doc.sites]:
        for m in ent.mentions:
            assert text[m.start : m.end] == m.text


# --- output file and interruption ------------------------------------------------------------


def test_output_file_is_replaced_on_success(tmp_path, good):
    out = tmp_path / "out" / "facts.json"
    out.parent.mkdir()
    out.write_text("previous")
    result = run(str(good[0]), "-o", str(out), "--format", "json")
    assert result.exit_code == 0
    assert json.loads(out.read_text())["documents"] == [alone(good[0])]
    assert os.listdir(out.parent) == ["facts.json"]


def test_interrupted_run_keeps_the_previous_output_file(tmp_path, good, monkeypatch):
    import pharmafacts.api as api

    out = tmp_path / "out" / "facts.json"
    out.parent.mkdir()
    out.write_text("previous")
    real_build = api.build_document
    calls = []

    def interrupt_on_second(source, doc, *args, **kwargs):
        calls.append(source.path)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real_build(source, doc, *args, **kwargs)

    monkeypatch.setattr(api, "build_document", interrupt_on_second)
    result = run(str(good[0]), str(good[1]), "-o", str(out), "--format", "jsonl")
    assert result.exit_code == 130
    assert result.stderr == "pharmafacts: interrupted\n"
    assert out.read_text() == "previous"
    assert os.listdir(out.parent) == ["facts.json"]  # no temporary file left behind


def test_output_into_a_missing_directory_is_one_line(tmp_path, good):
    out = tmp_path / "no" / "such" / "facts.json"
    result = run(str(good[0]), "-o", str(out))
    assert result.exit_code == 1
    assert result.stderr == f"pharmafacts: error: {out}: cannot write: no such file or directory\n"


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-c", "from pharmafacts.cli import main; main()", *args]


def _wait_until_blocked(pid: int, limit: float = 60.0) -> None:
    """Until the process is blocked reading its standard input: its main thread is in read(0, ...)
    (``/proc/PID/syscall``; x86-64 and arm64 number read 0 and 63). Where that file cannot be read,
    until it sleeps with its CPU time standing still for a second (on a busy machine a process that
    is still importing can sleep for a moment too, hence the second)."""
    end, last, still = time.monotonic() + limit, None, 0
    while time.monotonic() < end:
        try:
            with open(f"/proc/{pid}/syscall") as f:
                call = f.read().split()
            if call[:2] in (["0", "0x0"], ["63", "0x0"]):
                return
        except (OSError, IndexError):
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            now = (fields[0], int(fields[11]) + int(fields[12]))
            still = still + 1 if now[0] == "S" and now == last else 0
            if still >= 4:
                return
            last = now
        time.sleep(0.25)
    raise AssertionError("the process never blocked on its input")


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to see the process wait")
def test_ctrl_c_exits_130_with_one_line_and_keeps_the_output_file(tmp_path):
    out = tmp_path / "facts.json"
    out.write_text("previous")
    proc = subprocess.Popen(
        _cli("extract", "-", "-o", str(out)), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT,
        # as from a terminal: a test run started in the background (`pytest &`) ignores Ctrl-C, and so would the child
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        proc.stdin.write(GOOD_A.encode())  # and never close it: the run waits for the rest
        proc.stdin.flush()
        _wait_until_blocked(proc.pid)
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == 130
    assert stderr.decode() == "pharmafacts: interrupted\n"
    assert stdout == b""
    assert out.read_text() == "previous"
    assert os.listdir(tmp_path) == ["facts.json"]


def test_closed_pipe_ends_quietly(tmp_path):
    err = tmp_path / "stderr"
    command = " ".join(_quote(a) for a in _cli("extract", str(FIXTURES), str(FIXTURES), "--format", "jsonl"))
    shell = f'{command} 2>{_quote(str(err))} | head -1; echo "exit=${{PIPESTATUS[0]}}"'
    done = subprocess.run(["bash", "-c", shell], capture_output=True, text=True, timeout=120, cwd=ROOT)
    first, status = done.stdout.splitlines()
    assert json.loads(first)["source"] == str(FIXTURES / "01_yaroslavl_tablet_plant.txt")
    assert err.read_text() == ""  # no traceback, no "Exception ignored" either
    assert status == "exit=141"


def _quote(arg: str) -> str:
    import shlex

    return shlex.quote(arg)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full to fill a disk")
def test_output_that_cannot_be_written_mid_run_is_one_line(good):
    result = run(str(good[0]), "-o", "/dev/full", "--format", "jsonl")
    assert result.exit_code == 1
    assert result.stderr == "pharmafacts: error: /dev/full: cannot write: no space left on device\n"


def test_file_names_that_are_not_utf8_round_trip_through_the_output(tmp_path):
    odd = tmp_path / os.fsdecode(b"plant \xff.txt")  # a lone surrogate in the str
    odd.write_text(GOOD_A)
    out = tmp_path / "facts.json"
    result = run(str(odd), "-o", str(out), "--format", "json")
    assert result.exit_code == 0
    raw = out.read_bytes()
    raw.decode("utf-8")  # valid UTF-8 ...
    assert json.loads(raw)["documents"][0]["source"] == str(odd)  # ... and the same name back
    to_stdout = run(str(odd), "--format", "jsonl")
    assert to_stdout.exit_code == 0
    assert json.loads(to_stdout.stdout)["source"] == str(odd)
