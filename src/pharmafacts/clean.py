"""Normalise text for the pipeline without moving a single character.

Every replacement maps one character to one character, so an offset into the
cleaned text is the same offset into the original: facts keep pointing at the
exact characters of the source, and no offset map is needed.
"""

from __future__ import annotations

_SPACES = "\u00a0\u2007\u202f\u2009\u200a\u2002\u2003\u2004\u2005\u2006\u2008\u205f\u3000\u200b\u200c\u200d\u2060\ufeff\u00ad"
_TABLE = {ord(c): " " for c in _SPACES}
_TABLE.update({ord(c): "'" for c in "\u2018\u2019\u201a\u201b\u2032\u00b4`"})
_TABLE.update({ord(c): '"' for c in "\u201c\u201d\u201e\u201f\u2033"})
_TABLE.update({ord(c): "-" for c in "\u2010\u2011\u2212"})  # hyphens and minus; en/em dashes keep their meaning
# Control characters other than tab and newline become spaces; a lone CR becomes a newline.
_TABLE.update({c: " " for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)})
_TABLE.update({c: " " for c in range(0x7F, 0xA0)})


def clean(text: str) -> str:
    """Return ``text`` with odd spaces, quotes, hyphens and controls normalised, same length."""
    out = text.translate(_TABLE)
    if "\r" in out:
        out = out.replace("\r\n", " \n").replace("\r", "\n")
    assert len(out) == len(text)
    return out
