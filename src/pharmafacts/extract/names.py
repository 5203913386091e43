"""Helpers for reading proper names off the text around a cue (a legal form, a bracket, a head noun)."""

from __future__ import annotations

import re

from spacy.lang.en.stop_words import STOP_WORDS

from ..values._data import load
from .context import LEXICON, Analysis, alternation

MENTION_WORDS = load("mentions")

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


# --- names read off tokens (the pattern-driven mention stage, extract/mentions.py) -------------

_QUOTE_OPEN = frozenset("\"«“")
_QUOTE_CLOSE = frozenset("\"»”")
_TOKEN_MAX_WORDS = 7
_JOINERS_COMPLEX = frozenset({"and", "of", "for", "&"})


def _name_like(tok) -> bool:
    """One word of a proper name: "Nordvita", "PX-12", "3M", "R&PD", "İlaç", "&"."""
    t = tok.text
    if t == "&":
        return True
    first = t[0]
    return first.isupper() or (first.isdigit() and any(c.isalpha() for c in t))


def _glued(tok) -> bool:
    """A hyphen inside a word ("Kordis-Bio", "Bio-cluster"): no space on either side."""
    return tok.text == "-" and not tok.whitespace_ and tok.i > 0 and not tok.doc[tok.i - 1].whitespace_


def _breaks_after(tok) -> bool:
    return "\n" in tok.whitespace_ or (tok.is_space and "\n" in tok.text)


def _blank(tok) -> bool:
    """A run of spaces within a line ("Kestrel  SEZ"): passed over."""
    return tok.is_space and "\n" not in tok.text


def _verb(tok) -> bool:
    """A verb inside a title-case headline ("Velmar Builds Kestrel Center"): no part of a name."""
    return tok.pos_ in ("VERB", "AUX") and tok.i > 0 and not tok.is_sent_start


def token_name_before(an: Analysis, i: int, joiners: frozenset[str] = frozenset({"&"})) -> tuple[int, int] | None:
    """Token span (start, end) of the proper name whose last token is ``doc[i - 1]``, or None.

    Words are capitalised tokens, glued hyphens and ``joiners`` between two of them; a closing
    quote right before ``i`` takes the name back to its opening quote."""
    doc = an.doc
    end = i
    if end > 0 and doc[end - 1].text in _QUOTE_CLOSE:
        for j in range(end - 2, max(-1, end - 14), -1):
            if doc[j].text in _QUOTE_OPEN or (doc[j].text == '"' and j < end - 1):
                return (j + 1, end - 1) if j + 1 < end - 1 else None
            if _breaks_after(doc[j]):
                return None
        return None
    start = end
    words = 0
    for j in range(end - 1, -1, -1):
        tok = doc[j]
        if (j != end - 1 and _breaks_after(tok)) or tok.tag_ == "POS" or tok.text in ("'s", "’s") or words >= _TOKEN_MAX_WORDS or _verb(tok):
            break
        if _blank(tok) and start == j + 1:
            if start == end:
                end = j
            start = j
            continue
        if _name_like(tok):
            words += 1
        elif not ((_glued(tok) or tok.lower_ in joiners) and start == j + 1 and j > 0 and _name_like(doc[j - 1])) and not (
            tok.is_alpha and j > 0 and _glued(doc[j - 1]) and start == j + 1
        ):
            break
        start = j
    while start < end and (doc[start].text == "-" or doc[start].lower_ in joiners or _blank(doc[start])):
        start += 1
    return trim_tokens(an, start, end)


def token_name_after(an: Analysis, i: int, joiners: frozenset[str] = frozenset({"&"})) -> tuple[int, int] | None:
    """Token span of the proper name that starts at ``doc[i]`` (an opening quote allowed)."""
    doc = an.doc
    n = len(doc)
    while i < n and _blank(doc[i]):
        i += 1
    if i < n and doc[i].text in _QUOTE_OPEN:
        for j in range(i + 1, min(n, i + 14)):
            if doc[j].text in _QUOTE_CLOSE:
                return (i + 1, j) if j > i + 1 and _name_like(doc[i + 1]) else None
            if _breaks_after(doc[j]) and j + 1 < n and doc[j + 1].text not in _QUOTE_CLOSE:
                return None
        return None
    j = i
    words = 0
    while j < n:
        tok = doc[j]
        if tok.tag_ == "POS" or tok.text in ("'s", "’s") or (_verb(tok) and j > i):
            break
        if _blank(tok) and j > i:
            j += 1
            continue
        if _name_like(tok):
            words += 1
        elif not ((_glued(tok) or tok.lower_ in joiners) and j > i and j + 1 < n and _name_like(doc[j + 1])) and not (
            tok.is_alpha and j > i and _glued(doc[j - 1])
        ):
            break
        j += 1
        if _breaks_after(tok) or words >= _TOKEN_MAX_WORDS:
            break
    end = j
    while end > i and (doc[end - 1].text == "-" or doc[end - 1].lower_ in joiners or _blank(doc[end - 1])):
        end -= 1
    return trim_tokens(an, i, end) if end > i else None


def trim_tokens(an: Analysis, start: int, end: int) -> tuple[int, int] | None:
    """Drop leading function words ("The", "In"), nationality words, "-based"/"-listed" compounds
    and a sentence-initial common word; None when nothing proper is left."""
    doc = an.doc
    while start < end:
        tok = doc[start]
        word = tok.text
        if start + 2 < end and _glued(doc[start + 1]) and doc[start + 2].lower_ in _COMPOUND_ADJECTIVE_TAILS:
            start += 3  # "Austria-based", "LSE-listed"
            continue
        sentence_initial_common = tok.is_sent_start and tok.pos_ in _LEAD_POS and end - start > 1
        nationality = word in _NATIONALITIES or _lone_norp(tok, tok.idx)
        if (word.lower() in STOP_WORDS and word != "&") or sentence_initial_common or (nationality and end - start > 1):
            start += 1
        else:
            break
    if start >= end:
        return None
    tok = doc[start]
    if end - start == 1 and (tok.lower_ in STOP_WORDS or (tok.is_sent_start and tok.pos_ in ("ADJ", "ADV", "VERB", "DET", "ADP", "NOUN"))):
        return None
    if not any(c.isupper() for c in doc[start:end].text):
        return None
    return start, end


_COMPOUND_ADJECTIVE_TAILS = frozenset(MENTION_WORDS["compound_adjective_tails"])
