"""What the terminal shows (issue 13, items 9, 12-14): names and texts escaped, messages above
the progress bar, a closed pipe quiet for every format, the table at 80 columns."""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
from pathlib import Path

import pytest

from pharmafacts.output import write_table
from pharmafacts.records import DocumentFacts, Fact

from .conftest import FIXTURES, ROOT
from .test_cli_errors import GOOD_A, _cli, _quote, good, run  # noqa: F401

ESC = "\x1b[2J\x1b]0;owned\x07"  # clear the screen; set the window title


def test_escape_sequences_in_file_names_and_texts_never_reach_the_terminal(tmp_path):
    path = tmp_path / f"plant{ESC}.txt"
    path.write_text(GOOD_A.replace("Tver.", f"Tver.{ESC}"))
    result = run(str(path), "--format", "table")
    assert result.exit_code == 0
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "plant\\x1b[2J" in result.stdout  # the name is shown, escaped


def _fact(**kw) -> Fact:
    base = dict(kind="investment", value=3_000_000_000, value_max=4_000_000_000, unit="RUB", qualifier=None, subject="Kestrel Biologics",
                text="3–4 billion rubles", start=0, end=18, sentence="s", event="plant opened", rule="r", confidence=0.9)
    return Fact(**{**base, **kw})


def _table(width: int) -> list[str]:
    doc = DocumentFacts(source="news/plant.txt", title=None, doc_date=None, companies=[], sites=[], warnings=[], facts=[
        _fact(), _fact(kind="capacity", value=2_600_000, value_max=None, unit="vials", qualifier="up_to", event=None,
                       text="up to 2.6 million vials a year of the new sterile injectables line")])
    from io import StringIO

    out = StringIO()
    list(write_table([doc], out, width=width))
    return out.getvalue().splitlines()


@pytest.mark.parametrize("width", [60, 80, 100, 140])
def test_table_numbers_are_never_wrapped_and_lines_fit(width):
    lines = _table(width)
    assert all(len(line) <= width for line in lines)
    body = "\n".join(lines)
    for number in ("3,000,000,000", "4,000,000,000", "2,600,000"):
        assert number in body  # whole, on one line
    event_line = next(line for line in lines if "plant opened" in line)
    assert "3–4 billion rubles" not in event_line or width >= 110  # narrow: the event stands on its own line


def test_table_narrow_layout_joins_unit_and_qualifier_to_the_value():
    body = "\n".join(_table(80))
    assert "up to 2,600,000 vials" in body and "↳ plant opened" in body
    assert "qualifier" not in body and "qualifier" in "\n".join(_table(140))


@pytest.mark.parametrize("command", [["extract", "--format", "table"], ["show"]], ids=["table", "show"])
def test_closed_pipe_is_quiet_with_141_for_table_and_show(tmp_path, command):
    err = tmp_path / "stderr"
    cmd = " ".join(_quote(a) for a in _cli(command[0], str(FIXTURES), str(FIXTURES), *command[1:]))
    shell = f'{cmd} 2>{_quote(str(err))} | head -1; echo "exit=${{PIPESTATUS[0]}}"'
    done = subprocess.run(["bash", "-c", shell], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.stdout.splitlines()[-1] == "exit=141"
    assert err.read_text() == ""


@pytest.mark.skipif(not hasattr(pty, "openpty"), reason="needs a pseudo-terminal")
def test_messages_during_the_progress_bar_stand_on_their_own_lines(tmp_path):
    """Standard error on a terminal shows the bar; a warning printed meanwhile must be a line of its
    own, drawn by the bar's console (erasing the bar first), not glued to a frozen copy of it."""
    for i in range(4):
        (tmp_path / f"doc{i}.txt").write_text(GOOD_A)
    (tmp_path / "doc1b.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    main, child = pty.openpty()
    os.set_blocking(main, False)
    env = {**os.environ, "COLUMNS": "80", "TERM": "xterm-256color"}
    with open(tmp_path / "out.json", "w") as out:
        proc = subprocess.Popen(_cli("extract", str(tmp_path), "--format", "json"), stdout=out, stderr=child, cwd=ROOT, env=env)
    os.close(child)
    raw = b""
    while True:
        ready, _, _ = select.select([main], [], [], 120)
        if not ready:
            proc.kill()
            raise AssertionError("no output for 120 s")
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        raw += chunk
    assert proc.wait(timeout=120) == 0
    screen = raw.decode("utf-8", "replace")
    warning = f"pharmafacts: warning: {tmp_path / 'doc1b.txt'}: not a text file (PNG image)"
    at = screen.index(warning)
    before = screen[:at]
    # what stands before the message on its line (after the last line break or carriage return):
    # nothing but cursor movement and line erasing
    line_start = before.rsplit("\n", 1)[-1].rsplit("\r", 1)[-1]
    assert "\x1b[2K" in line_start and re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", line_start) == ""
    assert "documents" in screen  # the bar was drawn
