"""Faults that must neither lose nor hang a run (issue 13, items 1-5): a figure too large to
be one, a worker killed mid-run, the parent killed, SIGTERM, ``-o`` naming an input or a
pipe, and what ``-o FILE`` holds when some inputs failed.

Each test says what the user sees: the exit code, the one message line, and that every
other file's facts are in the output. Subprocess tests carry a timeout: a hang fails them.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from pharmafacts.cli import main

from .conftest import ROOT
from .test_cli_errors import GOOD_A, GOOD_B, _cli, _wait_until_blocked, alone, documents, good, run  # noqa: F401

HUGE = "Nordvita LLC will invest " + "9" * 5000 + " rubles. Velmar JSC will employ " + "1" * 400 + " people.\n"
TIMEOUT = 120  # seconds any subprocess here may take before the test fails as hung
KILL_MARK = "Kestrel Park will be closed for a day."  # a text whose worker is killed (see _KILLING)


@pytest.fixture
def huge(tmp_path, good) -> tuple[Path, Path, Path]:
    path = tmp_path / "a_huge.txt"
    path.write_text(HUGE, encoding="utf-8")
    return path, *good


# --- 1. a figure no article states ---------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "table"])
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_5000_digit_figure_is_no_fact_and_costs_no_other_file(huge, fmt, jobs):
    result = run(*map(str, huge), "--format", fmt, "--jobs", jobs)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[-1] == "pharmafacts: 3 document(s) processed"
    if fmt == "json":
        first, *others = documents(result)
        assert others == [alone(huge[1]), alone(huge[2])]
        assert [f for f in first["facts"] if f["kind"] in ("investment", "jobs")] == []


def test_a_5000_digit_figure_in_check_update_and_show(huge, tmp_path):
    directory = huge[0].parent
    update = CliRunner().invoke(main, ["check", str(directory), "--update"])
    assert update.exit_code == 0, update.stderr
    assert sorted(p.name for p in directory.glob("*.expected.json")) == ["a_huge.expected.json", "good_a.expected.json",
                                                                          "good_b.expected.json"]
    assert CliRunner().invoke(main, ["check", str(directory)]).exit_code == 0
    shown = CliRunner().invoke(main, ["show", str(huge[0]), str(huge[1])])
    assert shown.exit_code == 0 and "Nordvita" in shown.stdout
    page = tmp_path / "review.html"
    html = CliRunner().invoke(main, ["show", str(huge[0]), str(huge[1]), "--html", str(page)])
    assert html.exit_code == 0 and page.stat().st_size > 0


# --- 2. a killed worker, a killed parent ---------------------------------------------------

# A worker that kills itself (as the out-of-memory killer would) on the text holding KILL_MARK;
# with ONCE set, only the first time (a marker file records it). Forked workers run this patched
# function: they are copies of the process that patched it.
_KILLING = f"""
import os, signal, sys
import pharmafacts.parallel as parallel
real = parallel._work
once = os.environ.get("ONCE")

def work(batch):
    if any({KILL_MARK!r} in s.text for s in batch) and not (once and os.path.exists(once)):
        if once:
            open(once, "w").close()
        os.kill(os.getpid(), signal.SIGKILL)
    return real(batch)

parallel._work = work
from pharmafacts.cli import main
main()
"""


def _texts(directory: Path, n: int, killer_at: int | None) -> list[Path]:
    paths = []
    for i in range(n):
        path = directory / f"doc{i:02d}.txt"
        path.write_text(KILL_MARK + "\n" + (GOOD_A if i % 2 else GOOD_B) if i == killer_at else (GOOD_A if i % 2 else GOOD_B))
        paths.append(path)
    return paths


def _run_killing(args: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", _KILLING, *args], capture_output=True, text=True, timeout=TIMEOUT,
                          cwd=ROOT, env={**os.environ, **(env or {})})


def test_a_worker_killed_twice_fails_its_document_only(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    paths = _texts(docs, 20, killer_at=5)
    done = _run_killing(["extract", str(docs), "--format", "jsonl", "--jobs", "2"])
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"pharmafacts: error: {paths[5]}: the worker process died while extracting it, twice (killed, or out of memory)",
        "pharmafacts: 19 document(s) processed, 1 failed",
    ]
    got = [json.loads(line) for line in done.stdout.splitlines()]
    assert [d["source"] for d in got] == [str(p) for i, p in enumerate(paths) if i != 5]
    assert got[0] == alone(paths[0]) and got[-1] == alone(paths[-1])


def test_a_worker_killed_once_is_retried_and_nothing_is_lost(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    paths = _texts(docs, 12, killer_at=3)
    done = _run_killing(["extract", str(docs), "--format", "jsonl", "--jobs", "2"], {"ONCE": str(tmp_path / "killed")})
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines() == ["pharmafacts: 12 document(s) processed"]
    assert [json.loads(line)["source"] for line in done.stdout.splitlines()] == [str(p) for p in paths]


def test_a_worker_killed_by_another_process_mid_run(tmp_path):
    """The real thing: ``kill -9`` of a worker while it works; the run ends by itself."""
    docs = tmp_path / "docs"
    docs.mkdir()
    _texts(docs, 40, killer_at=None)
    proc = subprocess.Popen(_cli("extract", str(docs), "--format", "jsonl", "--jobs", "2"), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        workers = _children(proc.pid)
        os.kill(workers[0], signal.SIGKILL)
        stdout, stderr = proc.communicate(timeout=TIMEOUT)
    finally:
        proc.kill()
    assert proc.returncode == 0, stderr  # each document it held was run again
    assert len(stdout.splitlines()) == 40
    assert "Traceback" not in stderr


def _children(pid: int, limit: float = 60.0) -> list[int]:
    """The worker processes of ``pid``, once they are there."""
    end = time.monotonic() + limit
    while time.monotonic() < end:
        try:
            with open(f"/proc/{pid}/task/{pid}/children") as f:
                children = [int(c) for c in f.read().split()]
        except FileNotFoundError:
            children = []
        if len(children) >= 2:
            return children
        time.sleep(0.05)
    raise AssertionError("no worker processes appeared")


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs /proc to find the workers")
def test_workers_exit_quietly_when_the_parent_is_killed(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    _texts(docs, 200, killer_at=None)
    err = tmp_path / "stderr"
    with open(err, "w") as stderr:
        proc = subprocess.Popen(_cli("extract", str(docs), "--format", "jsonl", "--jobs", "2"), stdout=subprocess.DEVNULL,
                                stderr=stderr, cwd=ROOT)
        try:
            workers = _children(proc.pid)
            proc.kill()
            proc.wait(timeout=TIMEOUT)
            end = time.monotonic() + 30
            while any(_alive(w) for w in workers) and time.monotonic() < end:
                time.sleep(0.1)
        finally:
            proc.kill()
    assert not any(_alive(w) for w in workers)
    assert err.read_text() == ""  # no traceback from any worker


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


# --- 3. SIGTERM ----------------------------------------------------------------------------


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to see the process wait")
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_sigterm_cleans_up_like_ctrl_c_and_exits_143(tmp_path, jobs):
    out = tmp_path / "facts.json"
    out.write_text("previous")
    proc = subprocess.Popen(_cli("extract", "-", "-o", str(out), "--jobs", jobs), stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    try:
        proc.stdin.write(GOOD_A.encode())  # and never close it: the run waits for the rest
        proc.stdin.flush()
        _wait_until_blocked(proc.pid)
        proc.terminate()
        stdout, stderr = proc.communicate(timeout=TIMEOUT)
    finally:
        proc.kill()
    assert proc.returncode == 143
    assert stderr.decode() == "pharmafacts: terminated\n"
    assert stdout == b""
    assert out.read_text() == "previous"
    assert os.listdir(tmp_path) == ["facts.json"]  # no temporary file left behind


# --- 4. -o naming an input, -o /dev/stdout -------------------------------------------------


@pytest.mark.parametrize("how", ["the file", "a file in the directory", "a link to it"])
def test_output_naming_an_input_is_refused(good, tmp_path, how):
    target = good[0]
    out = {"the file": target, "a file in the directory": target, "a link to it": tmp_path / "link.txt"}[how]
    if how == "a link to it":
        out.symlink_to(target)
    inputs = [str(target.parent)] if how == "a file in the directory" else [str(target), str(good[1])]
    before = target.read_text()
    result = run(*inputs, "-o", str(out))
    assert result.exit_code == 2
    assert result.stderr == f"pharmafacts: error: {out}: the output file is also an input; choose another -o FILE\n"
    assert result.stdout == ""
    assert target.read_text() == before


def test_output_to_dev_stdout_in_a_pipe_is_written_straight_through(good):
    command = _cli("extract", str(good[0]), "-o", "/dev/stdout", "--format", "jsonl")
    done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == alone(good[0])


# --- 5. -o FILE when some inputs failed ----------------------------------------------------


def test_output_file_holds_every_readable_file_when_some_failed(tmp_path, good):
    out = tmp_path / "facts.json"
    out.write_text("previous")
    gone = tmp_path / "gone.txt"
    gone.symlink_to(tmp_path / "nowhere.txt")
    result = run(str(good[0]), str(gone), str(good[1]), "-o", str(out), "--format", "json")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"pharmafacts: error: {gone}: broken symbolic link",
                                          "pharmafacts: 2 document(s) processed, 1 failed"]
    assert json.loads(out.read_text())["documents"] == [alone(good[0]), alone(good[1])]
