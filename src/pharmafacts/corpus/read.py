"""What ``extract`` wrote, read back one document at a time: JSON (streamed with ijson) or JSONL.

A file whose first line is a whole document object is JSONL; anything else is read as the
JSON ``{"schema_version": "1", "documents": [...]}``, without holding the whole file in memory.
A document that is not a valid record is reported (file, place and reason, one line) and the
others go on; a file that is not JSON at all ends there, with what was read before kept.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from typing import BinaryIO

import ijson
from pydantic import ValidationError

from ..errors import PathError
from ..records import DocumentFacts

_PEEK = 4096


class OutputFileError(PathError):
    """An extract output (or one document in it) that cannot be read."""


def _reason(err: ValidationError) -> str:
    first = err.errors()[0]
    where = ".".join(str(p) for p in first["loc"]) or "top level"
    return f"not a document ({where}: {first['msg']})"


class _Replay:
    """A binary stream that gives back the bytes already read from it first (standard input)."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head, self._rest = head, rest

    def read(self, n: int = -1) -> bytes:
        if not self._head:
            return self._rest.read(n)
        if n is None or n < 0:
            out, self._head = self._head + self._rest.read(), b""
        else:  # a short read, as streams may give
            out, self._head = self._head[:n], self._head[n:]
        return out


def read_documents(path: str, on_error: Callable[[OutputFileError], None]) -> Iterator[DocumentFacts]:
    """The documents of one extract output file (``-``: standard input), in file order.

    Raises :class:`OutputFileError` when the file cannot be opened; a bad document or a
    syntax error inside the file goes to ``on_error``."""
    try:
        f = sys.stdin.buffer if path == "-" else open(path, "rb")
    except OSError as err:
        raise OutputFileError(path, (err.strerror or str(err)).lower()) from None
    try:
        first = f.readline()
        head = first + (f.read(_PEEK) if len(first) < _PEEK else b"")
        stream = _Replay(head, f)
        try:
            whole = json.loads(first)
        except ValueError:
            whole = None
        if isinstance(whole, dict) and "source" in whole:
            yield from _jsonl(path, stream, on_error)
        else:
            yield from _json(path, stream, b'"documents"' in head, on_error)
    except OSError as err:
        on_error(OutputFileError(path, (err.strerror or str(err)).lower()))
    finally:
        if f is not sys.stdin.buffer:
            f.close()


def _jsonl(path: str, stream: _Replay, on_error: Callable[[OutputFileError], None]) -> Iterator[DocumentFacts]:
    buffered = b""
    n = 0
    while True:
        chunk = stream.read(1 << 16)
        lines = (buffered + chunk).split(b"\n")
        buffered = lines.pop() if chunk else b""
        for line in lines:
            n += 1
            if not line.strip():
                continue
            try:
                yield DocumentFacts.model_validate_json(line)
            except ValidationError as err:
                on_error(OutputFileError(path, f"line {n}: {_reason(err)}"))
        if not chunk:
            return


def _json(path: str, stream: _Replay, has_documents: bool, on_error: Callable[[OutputFileError], None]) -> Iterator[DocumentFacts]:
    n = 0
    try:
        for n, obj in enumerate(ijson.items(stream, "documents.item", use_float=True), 1):
            try:
                yield DocumentFacts.model_validate(obj)
            except ValidationError as err:
                on_error(OutputFileError(path, f"document {n}: {_reason(err)}"))
    except ijson.JSONError as err:
        on_error(OutputFileError(path, f"not JSON after {n} document(s) ({str(err).splitlines()[0]})"))
        return
    if n == 0 and not has_documents:
        on_error(OutputFileError(path, "not an extract output (no 'documents' list)"))
