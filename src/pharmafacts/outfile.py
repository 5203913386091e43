"""Where the output goes: standard output, or a file that appears whole or not at all.

``-o FILE`` is written to a temporary file in the same directory and renamed into
place (``os.replace``) only when the run succeeds: a failed or interrupted run never
leaves a half-written file and never destroys the previous one.
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import TextIO

from .errors import OutputError, os_reason

# A file name with bytes that are not UTF-8 reaches Python as lone surrogates ("\udcff"); written
# as that escape, the output stays valid UTF-8 and a JSON reader gets the same name back.
_ERRORS = "backslashreplace"
# Line ends are written as the writers make them (CSV: CRLF, JSON lines: LF), on every system:
# with Python's default, Windows would turn CSV's CRLF into CR CR LF.
_NEWLINE = ""


def _new_file_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _is_a_stream(path: str) -> bool:
    """/dev/stdout, /dev/stderr, /dev/fd/N, /proc/self/fd/N: an open descriptor, written straight
    through (a temporary file beside it cannot be made, and renaming one there would not reach
    whoever reads the descriptor)."""
    directory = os.path.dirname(os.path.abspath(path))
    return directory in ("/dev", "/dev/fd", "/proc/self/fd") and not os.path.isdir(path)


@contextmanager
def _writing(path: str) -> Iterator[None]:
    """An OSError in the block becomes an OutputError naming ``path``."""
    try:
        yield
    except OSError as err:
        raise OutputError(path, f"cannot write: {os_reason(err)}") from None


@contextmanager
def open_output(path: str | None) -> Iterator[TextIO]:
    """Standard output for None; else a UTF-8 text file replacing ``path`` atomically on success.
    Either way, characters that cannot be encoded are written as backslash escapes, never a crash.

    Raises :class:`OutputError` when the file cannot be created, written (an ``OSError`` in
    the body, e.g. a full disk) or put in place. Whatever the body raises (an error,
    ``KeyboardInterrupt``) removes the temporary file and leaves ``path`` as it was. A
    symbolic link is written through; a FIFO, a device or a descriptor (``/dev/stdout``)
    is written directly.
    """
    if path is None:
        with suppress(AttributeError, ValueError):  # not a TextIOWrapper: leave it as it is
            sys.stdout.reconfigure(errors=_ERRORS, newline=_NEWLINE)
        yield sys.stdout
        return
    try:
        st = os.stat(path)  # through symbolic links: /dev/stdout is one, to a pipe, a terminal or a file
    except OSError:
        st = None
    if (st is not None and not stat.S_ISREG(st.st_mode)) or _is_a_stream(path):  # nothing to replace
        with _writing(path):
            f = open(path, "w", encoding="utf-8", errors=_ERRORS, newline=_NEWLINE)
        with _writing(path), f:
            yield f
        return
    target = os.path.realpath(path)
    directory, name = os.path.split(target)
    with _writing(path):
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{name}.", suffix=".tmp")
    try:
        with _writing(path), os.fdopen(fd, "w", encoding="utf-8", errors=_ERRORS, newline=_NEWLINE) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        with _writing(path):
            os.chmod(tmp, stat.S_IMODE(st.st_mode) if st is not None else _new_file_mode())
            os.replace(tmp, target)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise
