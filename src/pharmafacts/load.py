"""Path -> source text. Finds the files under the paths given and decodes them.

Policy: a file that cannot be read or decoded raises :class:`LoadError` with a
one-line reason; the caller reports it and goes on with the other files.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .errors import LoadError

STDIN = "-"


@dataclass(frozen=True)
class Source:
    """One input text. ``path`` is as given by the user (or ``-``); offsets refer to ``text``."""

    path: str
    text: str
    warnings: tuple[str, ...] = field(default_factory=tuple)


def missing_paths(paths: list[str]) -> list[str]:
    """The paths (other than ``-``) that do not exist."""
    return [p for p in paths if p != STDIN and not os.path.lexists(p)]


def expand_paths(paths: list[str], pattern: str = "*.txt") -> Iterator[str]:
    """Files named by ``paths``: files as given, directories searched recursively in sorted order."""
    for p in paths:
        if p == STDIN or not os.path.isdir(p):
            yield p
            continue
        seen: set[tuple[int, int]] = set()
        for root, dirs, files in os.walk(p, followlinks=True):
            st = os.stat(root)
            if (st.st_dev, st.st_ino) in seen:  # a symbolic-link loop: do not go round again
                dirs[:] = []
                continue
            seen.add((st.st_dev, st.st_ino))
            dirs.sort()
            for name in sorted(files):
                if Path(name).match(pattern):
                    yield os.path.join(root, name)


def decode(data: bytes, path: str) -> tuple[str, tuple[str, ...]]:
    """Bytes -> text. UTF-8 (with or without BOM); raises LoadError otherwise."""
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise LoadError(path, "not a text file (contains NUL bytes)")
    try:
        return data.decode("utf-8-sig"), ()
    except UnicodeDecodeError as err:
        raise LoadError(path, f"cannot decode as UTF-8 (byte {err.start})") from None


def read_source(path: str) -> Source:
    """Read and decode one file (or standard input for ``-``)."""
    try:
        data = sys.stdin.buffer.read() if path == STDIN else Path(path).read_bytes()
    except FileNotFoundError:
        raise LoadError(path, "no such file") from None
    except IsADirectoryError:
        raise LoadError(path, "is a directory") from None
    except PermissionError:
        raise LoadError(path, "permission denied") from None
    except OSError as err:
        raise LoadError(path, err.strerror or str(err)) from None
    text, warnings = decode(data, path)
    return Source(path=path, text=text, warnings=warnings)
