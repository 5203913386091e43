"""Helpers for reading proper names off the text around a cue (a legal form, a bracket, a head noun)."""

from __future__ import annotations

import re

from spacy.lang.en.stop_words import STOP_WORDS

from .context import LEXICON, Analysis, alternation

#: One word of a proper name: "Nordvita", "Kordis-Bio", "PX-12", "CIS", "Ostrafarm-K", "3M".
NAME_WORD = r"(?:[A-Z][A-Za-z0-9]*(?:['’][A-Za-z]+)?(?:-[A-Za-z0-9]+)*|[0-9]+[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*)"
_NAME_SEQ = rf"{NAME_WORD}(?:(?: | and | & ){NAME_WORD}){{0,5}}"
_NAME_BEFORE = re.compile(rf"({_NAME_SEQ})[ ]?[\"»”]?$")
_NAME_AFTER = re.compile(rf"[\"«“]?({_NAME_SEQ})")
_POSSESSIVE = re.compile(r"['’]s?$")
_WINDOW = 120
_NATIONALITIES = frozenset(LEXICON["nationalities"])
_LEAD_POS = {"ADV", "ADP", "DET", "PRON", "VERB", "AUX", "CCONJ", "SCONJ", "PART", "INTJ", "PUNCT", "NUM"}
_NON_COMPANY = re.compile(r"\b(?:" + "|".join(map(re.escape, LEXICON["non_company_words"])) + r")\b")


def name_before(an: Analysis, end: int) -> tuple[int, str] | None:
    """The proper name that ends at ``end`` (spaces and a closing quote allowed), or None."""
    window_start = max(0, end - _WINDOW)
    m = _NAME_BEFORE.search(an.text, window_start, end)
    if not m:
        return None
    return trim(an, m.start(1), m.end(1))


def name_after(an: Analysis, start: int) -> tuple[int, str] | None:
    """The proper name that starts at ``start`` (an opening quote allowed): (start, name) or None."""
    m = _NAME_AFTER.match(an.text, start, min(len(an.text), start + _WINDOW))
    if not m:
        return None
    found = trim(an, m.start(1), m.end(1))
    return found


def trim(an: Analysis, start: int, end: int) -> tuple[int, str] | None:
    """Drop leading function words ("The", "In", "Thus", a sentence-initial common word) and a possessive."""
    text = an.text
    while start < end:
        word_end = text.find(" ", start, end)
        if word_end < 0:
            break
        tok = an.token_at(start)
        sentence_initial_common = tok is not None and tok.is_sent_start and tok.pos_ in _LEAD_POS
        # "Danish Holmkvist Group", "the German subsidiary": a nationality adjective is no part of a name
        word = text[start:word_end]
        nationality = word in _NATIONALITIES or word.endswith("-based") or _lone_norp(tok, start)
        if word.lower() in STOP_WORDS or sentence_initial_common or nationality:
            start = word_end + 1
        else:
            break
    name = _POSSESSIVE.sub("", text[start:end]).strip()
    if not name or name.lower() in STOP_WORDS or not any(c.isupper() for c in name):
        return None
    tok = an.token_at(start)
    if " " not in name and tok is not None and tok.is_sent_start and tok.pos_ in ("ADJ", "ADV", "VERB", "DET", "ADP"):
        return None  # "Effective cluster development requires...": a capital only because the sentence starts
    return start, name


def _lone_norp(tok, start: int) -> bool:
    """A word the model calls a nationality on its own ("Danish" in "Danish Holmkvist Group").

    When the label runs on into the next word ("Tavrin Pharma" read as one NORP), the model
    has mistaken a name for a nationality, and the word stays part of the name.
    """
    if tok is None or tok.idx != start or tok.ent_type_ != "NORP":
        return False
    following = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
    return following is None or following.ent_iob_ != "I"


def looks_non_company(name: str) -> bool:
    """Ministries, agencies, zones, programmes, media and the like are never companies."""
    return _NON_COMPANY.search(name) is not None


def word_list(key: str) -> str:
    """Alternation regex for a lexicon list, longest first; spaces match any run of spaces."""
    return alternation(LEXICON[key])
