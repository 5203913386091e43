"""Normalise text for the pipeline, keeping a map back to the original offsets.

Most replacements map one character to one character (odd spaces, quotes, hyphens,
control characters, CRLF). Two changes do more:

- **Invisible characters are removed**: soft hyphen, zero-width space, non-joiner and
  joiner, word joiner, left-to-right and right-to-left marks and the other
  bidirectional controls, a byte-order mark inside the text. "Nord\\u00advita LLC" is
  "Nordvita LLC" to the model, and "\\u200f340 people" is "340 people".
- **Long runs of punctuation are blanked** (no offsets move: in a run of more than
  :data:`LONG_RUN` characters without whitespace, or without a letter or digit, every
  punctuation or symbol character becomes a space; letters, digits and line breaks
  stay). spaCy's tokenizer splits a run without whitespace one affix at a time, in time
  quadratic in its length (4,000 "=" took 6 s, 20 KB of brackets and quotes 87 s), and
  each piece of punctuation is a token the model must read (ten times the cost per
  character of prose); blanked, such runs cost next to nothing. No word, figure or
  sentence of news text is that long.

:class:`Cleaned` holds the cleaned text and maps offsets into it back to the original:
``original[c.source_span(start, end)]`` is what ``cleaned[start:end]`` was read from.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

# Removed: they have no width and no meaning to the model, and as spaces they would cut words.
INVISIBLE = (
    "\u00ad"  # soft hyphen
    "\u180e"  # Mongolian vowel separator (formerly a space)
    "\u200b\u200c\u200d"  # zero-width space, non-joiner, joiner
    "\u200e\u200f"  # left-to-right, right-to-left mark
    "\u202a\u202b\u202c\u202d\u202e"  # bidirectional embeddings and overrides
    "\u2060\u2061\u2062\u2063\u2064"  # word joiner, invisible operators
    "\u2066\u2067\u2068\u2069"  # bidirectional isolates
    "\ufeff"  # zero-width no-break space (a byte-order mark inside the text)
)
_SPACES = "\u00a0\u2007\u202f\u2009\u200a\u2002\u2003\u2004\u2005\u2006\u2008\u205f\u3000"
_TABLE: dict[int, str | None] = {ord(c): " " for c in _SPACES}
_TABLE.update({ord(c): "'" for c in "\u2018\u2019\u201a\u201b\u2032\u00b4`"})
_TABLE.update({ord(c): '"' for c in "\u201c\u201d\u201e\u201f\u2033"})
_TABLE.update({ord(c): "-" for c in "\u2010\u2011\u2212"})  # hyphens and minus; en/em dashes keep their meaning
# Control characters other than tab and newline become spaces; a lone CR becomes a newline.
_TABLE.update({c: " " for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)})
_TABLE.update({c: " " for c in range(0x7F, 0xA0)})
_TABLE.update({ord(c): None for c in INVISIBLE})
_INVISIBLE_RE = re.compile(f"[{INVISIBLE}]+")

LONG_RUN = 200  # in a run without whitespace, or without letters and digits, longer than this,
# punctuation and symbols become spaces
_LONG_RUN_RE = re.compile(rf"\S{{{LONG_RUN + 1},}}|[\W_]{{{LONG_RUN + 1},}}")


@dataclass(frozen=True)
class Cleaned:
    """The cleaned text and where its characters stand in the original.

    ``_at[k]`` is the cleaned offset of the k-th place where invisible characters were
    removed and ``_shift[k]`` how many had been removed up to and including that place;
    without any, the two texts have the same offsets.
    """

    text: str
    _at: tuple[int, ...] = ()
    _shift: tuple[int, ...] = ()

    def source_offset(self, i: int) -> int:
        """Where the character at cleaned offset ``i`` stands in the original."""
        k = bisect_right(self._at, i)
        return i + (self._shift[k - 1] if k else 0)

    def source_span(self, start: int, end: int) -> slice:
        """The original characters ``text[start:end]`` was cleaned from: from its first to its last
        character, with the invisible ones between them (none before or after)."""
        if end <= start:
            at = self.source_offset(start)
            return slice(at, at)
        return slice(self.source_offset(start), self.source_offset(end - 1) + 1)

    def read(self, original: str) -> str | _Original:
        """``original`` to be sliced with offsets into this text, its invisible characters left out
        (``original`` itself when there are none)."""
        return _Original(original, self) if self._at else original


class _Original:
    """The original text, sliced with offsets into the cleaned one, without its invisible
    characters (a name read from it is the name as written, not its soft hyphens)."""

    def __init__(self, text: str, cleaned: Cleaned) -> None:
        self._text, self._cleaned = text, cleaned

    def __getitem__(self, where: slice) -> str:
        return _INVISIBLE_RE.sub("", self._text[self._cleaned.source_span(where.start, where.stop)])


def clean_text(text: str) -> Cleaned:
    """``text`` with odd spaces, quotes, hyphens and controls normalised, invisible characters
    removed and long runs without whitespace broken, and the map back to ``text``."""
    at: list[int] = []
    shift: list[int] = []
    removed = 0
    for m in _INVISIBLE_RE.finditer(text):
        removed += m.end() - m.start()
        at.append(m.end() - removed)  # the cleaned offset of the first character after them
        shift.append(removed)
    out = text.translate(_TABLE)
    if "\r" in out:
        out = out.replace("\r\n", " \n").replace("\r", "\n")
    if len(out) > LONG_RUN:
        out = _LONG_RUN_RE.sub(_blank_run, out)
    return Cleaned(out, tuple(at), tuple(shift))


def _blank_run(m: re.Match[str]) -> str:
    return "".join(c if c.isalnum() or c.isspace() else " " for c in m.group())


def clean(text: str) -> str:
    """The cleaned text alone (see :func:`clean_text`)."""
    return clean_text(text).text
