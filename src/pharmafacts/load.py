"""Path -> source text. Finds the files under the paths given and decodes them.

Policy: a file that cannot be read or decoded raises :class:`LoadError` with a
one-line reason; the caller reports it and goes on with the other files. A file
that is not text at all (an image, an archive, binary data, a FIFO, a socket, a
device) raises :class:`NotTextError`, a ``LoadError`` the caller reports as a
warning and skips. FIFOs, sockets and devices are never opened.

Decoding: a byte-order mark decides (UTF-8, UTF-16, UTF-32); else strict UTF-8;
else the encoding is guessed with charset-normalizer among the legacy encodings
news texts come in (Windows-1251, Windows-1252 / Latin-1, KOI8-R, CP866) and the
guess is recorded in :attr:`Source.warnings`. Offsets refer to the decoded text.
"""

from __future__ import annotations

import codecs
import fnmatch
import os
import re
import stat
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from .errors import LoadError, NoMatchError, NotTextError, os_reason

STDIN = "-"

# Legacy encodings tried, in charset-normalizer's order of preference, when a file is not UTF-8.
# Latin-1 files are decoded as Windows-1252, which agrees with Latin-1 on every printable character.
GUESSED_ENCODINGS = ("cp1251", "cp1252", "latin_1", "koi8_r", "cp866")
_SNIFF = 8192  # bytes looked at to tell text from binary
_BINARY_RATIO = 0.10  # more control bytes than this in the sniffed part: not text
_TEXT_CONTROLS = frozenset(b"\t\n\r\f\v\x1b")
_CONTROL_BYTES = bytes(sorted(frozenset(range(0x20)) - _TEXT_CONTROLS | {0x7F}))  # (for bytes.translate: counted in C)
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"%PDF-", "PDF document"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "MS Office document"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"\x1f\x8b", "gzip archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"(\xb5/\xfd", "zstd archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"\x7fELF", "ELF executable"),
)
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE, whose BOM it starts with
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

ErrorHandler = Callable[[LoadError], None]


@dataclass(frozen=True)
class Source:
    """One input text. ``path`` is as given by the user (or ``-``); offsets refer to ``text``."""

    path: str
    text: str
    warnings: tuple[str, ...] = field(default_factory=tuple)


def missing_paths(paths: list[str]) -> list[str]:
    """The paths (other than ``-``) that do not exist (a broken symbolic link exists)."""
    return [p for p in paths if p != STDIN and not os.path.lexists(p)]


def matcher(pattern: str) -> Callable[[str], bool]:
    """Whether a path relative to a directory searched matches ``pattern`` (shell wildcards, case
    ignored): a pattern without ``/`` is matched against the file name, one with ``/`` against
    the whole relative path (``*`` then also matches ``/``: ``2024/*.txt`` is every text under
    ``2024/``)."""
    folded = pattern.casefold()
    if "/" in pattern:
        return lambda rel: fnmatch.fnmatchcase(rel.replace(os.sep, "/").casefold(), folded)
    return lambda rel: fnmatch.fnmatchcase(os.path.basename(rel).casefold(), folded)


def expand_paths(paths: list[str], pattern: str = "*.txt", on_error: ErrorHandler | None = None) -> Iterator[str]:
    """Files named by ``paths``: files as given, directories searched recursively in sorted order
    for files that match ``pattern`` (see :func:`matcher`).

    Symbolic links are followed, each directory is entered once (a link loop ends there). A
    directory that cannot be listed, or where no file matches, is passed to ``on_error`` as a
    :class:`LoadError`.
    """
    matches = matcher(pattern)
    for p in paths:
        if p == STDIN or not os.path.isdir(p):
            yield p
            continue
        found = 0
        for path in _walk(p, matches, on_error):
            found += 1
            yield path
        if not found and on_error is not None:
            on_error(NoMatchError(p, pattern))


def _walk(p: str, matches: Callable[[str], bool], on_error: ErrorHandler | None) -> Iterator[str]:
    """The files under directory ``p`` that match, each directory entered once."""
    seen: set[tuple[int, int]] = set()

    def walk_error(err: OSError, top: str = p) -> None:
        if on_error is not None:
            on_error(LoadError(err.filename or top, f"cannot list directory: {os_reason(err)}"))

    for root, dirs, files in os.walk(p, onerror=walk_error, followlinks=True):
        try:
            st = os.stat(root)
        except OSError as err:
            walk_error(err)
            dirs[:] = []
            continue
        if (st.st_dev, st.st_ino) in seen:  # a symbolic-link loop (or a second link to it): once is enough
            dirs[:] = []
            continue
        seen.add((st.st_dev, st.st_ino))
        dirs.sort()
        for name in sorted(files):
            if matches(os.path.relpath(os.path.join(root, name), p)):
                yield os.path.join(root, name)


def _special_kind(mode: int) -> str | None:
    """What a non-regular, non-directory file is, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "FIFO"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    return "special file"


def _check_mode(path: str, mode: int) -> None:
    if stat.S_ISDIR(mode):
        raise LoadError(path, "is a directory")
    kind = _special_kind(mode)
    if kind is not None:
        raise NotTextError(path, f"not a regular file ({kind})")


def read_bytes(path: str) -> bytes:
    """The bytes of a regular file. FIFOs, sockets and devices are never opened (a FIFO would block)."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise LoadError(path, "broken symbolic link" if os.path.islink(path) else "no such file") from None
    except OSError as err:
        raise LoadError(path, os_reason(err)) from None
    _check_mode(path, st.st_mode)
    try:
        # O_NONBLOCK: should the file have been swapped for a FIFO since the stat, open does not hang.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with os.fdopen(fd, "rb") as f:
            _check_mode(path, os.fstat(f.fileno()).st_mode)
            return f.read()
    except FileNotFoundError:
        raise LoadError(path, "no such file") from None
    except IsADirectoryError:
        raise LoadError(path, "is a directory") from None
    except OSError as err:
        raise LoadError(path, os_reason(err)) from None


def _read_stdin() -> bytes:
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
        raise LoadError(STDIN, "standard input is not available")
    try:
        return stream.read()
    except OSError as err:
        raise LoadError(STDIN, os_reason(err)) from None


def _binary_kind(data: bytes) -> str | None:
    """Why ``data`` is not text (no byte-order mark seen), or None if it may be text."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    head = data[:_SNIFF]
    if b"\x00" in head:
        return "contains NUL bytes"
    if head and len(head) - len(head.translate(None, _CONTROL_BYTES)) > _BINARY_RATIO * len(head):
        return "binary data"
    return None


_SURROGATES = re.compile("[\udc80-\udcff]+")  # bytes that are not UTF-8, as surrogateescape gives them
_UTF8_PUNCTUATION = re.compile("[\u2000-\u20cf]")  # ’ “ ” — … € ₽: general punctuation and currency signs
_NOT_LEGACY = re.compile("[^\x00-\x7f\udc80-\udcff]+")  # well-formed UTF-8 characters beyond ASCII


def _utf8_lead_length(byte: int) -> int:
    """How many bytes the UTF-8 character that ``byte`` begins has (0: it begins none)."""
    return 2 if 0xC2 <= byte <= 0xDF else 3 if 0xE0 <= byte <= 0xEF else 4 if 0xF0 <= byte <= 0xF4 else 0


def _cut_short(run: bytes, at_end: bool) -> bool:
    """Whether a run of bytes that are not UTF-8 is one UTF-8 character cut short: a lead byte
    and fewer continuation bytes than it needs (a lone lead byte only at the end of the data;
    elsewhere it is more likely a letter of a legacy encoding, Windows-1252 'é')."""
    n = _utf8_lead_length(run[0])
    return 0 < len(run) < n and all(0x80 <= b <= 0xBF for b in run[1:]) and (len(run) > 1 or at_end)


def _mixed_utf8(data: bytes) -> tuple[str, str] | None:
    """UTF-8 with some bytes that are not (a stray Windows-1252 quote, a truncated file, two
    files of different encodings joined): the UTF-8 parts as UTF-8, a character cut short as
    U+FFFD, the other bytes in the legacy encoding they fit best (Windows-1252 for a few
    stray bytes). None when the data do not look like UTF-8 at all: fewer well-formed
    multi-byte characters than broken places, and fewer than three UTF-8 quotes, dashes or
    currency signs (three bytes each: a legacy text never makes them by chance)."""
    text = data.decode("utf-8", errors="surrogateescape")
    runs = list(_SURROGATES.finditer(text))
    good = len(text) - len(text.encode("ascii", "ignore")) - sum(m.end() - m.start() for m in runs)
    if good < len(runs) and len(_UTF8_PUNCTUATION.findall(text)) < 3:
        return None
    raw = [m.group().encode("utf-8", errors="surrogateescape") for m in runs]
    cut = [_cut_short(r, m.end() == len(text)) for r, m in zip(raw, runs)]
    encoding = "cp1252"
    if sum(len(r) for r, c in zip(raw, cut) if not c) >= 40:  # enough bytes to tell one legacy encoding from another
        from charset_normalizer import from_bytes

        # the legacy bytes with the ASCII text around them, without the UTF-8 parts
        legacy = _NOT_LEGACY.sub("", text).encode("ascii", errors="surrogateescape")
        best = from_bytes(legacy, cp_isolation=list(GUESSED_ENCODINGS)).best()
        if best is not None and best.encoding is not None:
            encoding = codecs.lookup(best.encoding).name
    out, last = [], 0
    for m, r, c in zip(runs, raw, cut):
        out += [text[last : m.start()], "\ufffd" if c else r.decode(encoding, errors="replace")]
        last = m.end()
    out.append(text[last:])
    read, replaced = sum(len(r) for r, c in zip(raw, cut) if not c), sum(cut)
    parts = ([f"{read} byte(s) read as {encoding}"] if read else []) + ([f"{replaced} replaced by U+FFFD"] if replaced else [])
    return "".join(out), f"invalid UTF-8 at {len(runs)} place(s): {', '.join(parts)}"


def decode(data: bytes, path: str) -> tuple[str, tuple[str, ...]]:
    """Bytes -> (text, warnings). Raises :class:`NotTextError` for binary data and
    :class:`LoadError` for text that cannot be decoded; nothing else."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), ()
            except UnicodeDecodeError as err:
                if encoding == "utf-32":  # FF FE 00 00 may also be UTF-16 LE starting with U+0000
                    continue
                raise LoadError(path, f"invalid {encoding.removesuffix('-sig').upper()} at byte {err.start}") from None
    kind = _binary_kind(data)
    if kind is not None:
        raise NotTextError(path, f"not a text file ({kind})")
    try:
        return data.decode("utf-8"), ()
    except UnicodeDecodeError:
        pass
    mixed = _mixed_utf8(data)
    if mixed is not None:
        text, warning = mixed
        return text, (warning,)
    from charset_normalizer import from_bytes  # only for non-UTF-8 input

    best = from_bytes(data, cp_isolation=list(GUESSED_ENCODINGS)).best()
    if best is None or best.encoding is None:
        raise NotTextError(path, "not a text file (not UTF-8, and no other text encoding fits)")
    encoding = codecs.lookup(best.encoding).name
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as err:
        raise LoadError(path, f"cannot decode as {encoding} (byte {err.start})") from None
    if encoding != "cp1252" and text == data.decode("cp1252", errors="replace"):
        encoding = "cp1252"  # the same text either way (curly quotes, dashes): name the likelier one
    return text, (f"encoding guessed as {encoding}",)


def read_source(path: str) -> Source:
    """Read and decode one file (or standard input for ``-``)."""
    data = _read_stdin() if path == STDIN else read_bytes(path)
    text, warnings = decode(data, path)
    return Source(path=path, text=text, warnings=warnings)
