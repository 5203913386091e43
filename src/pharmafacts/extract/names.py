"""Reading proper names off the tokens around a cue (a legal form, a bracket, a head noun): capitalised
words, glued hyphens, quotes, no verb; leading function words, nationalities and "Germany-based" dropped."""

from __future__ import annotations

import re

from spacy.lang.en.stop_words import STOP_WORDS

from ..values._data import load
from .context import LEXICON, Analysis, alternation

MENTION_WORDS = load("mentions")

#: One word of a proper name: "Nordvita", "Kordis-Bio", "PX-12", "CIS", "Ostrafarm-K", "3M".
NAME_WORD = r"(?:[A-Z][A-Za-z0-9]*(?:['’][A-Za-z]+)?(?:-[A-Za-z0-9]+)*|[0-9]+[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*)"
_NATIONALITIES = frozenset(LEXICON["nationalities"])
_LEAD_POS = {"ADV", "ADP", "DET", "PRON", "VERB", "AUX", "CCONJ", "SCONJ", "PART", "INTJ", "PUNCT", "NUM"}
_NON_COMPANY = re.compile(r"\b(?:" + "|".join(map(re.escape, LEXICON["non_company_words"])) + r")\b")


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


# --- names read off tokens ---------------------------------------------------------------------

_QUOTE_OPEN = frozenset("\"«“")
_QUOTE_CLOSE = frozenset("\"»”")
_TOKEN_MAX_WORDS = 7


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
    """A verb inside a title-case headline ("Velmar Builds Kestrel Center"): no part of a name. A
    verb opening a sentence may be a name's first word; one the model splits a line at, with no
    punctuation or line break before it ("Velmar | Plans Kestrel Campus"), opens none."""
    return tok.pos_ in ("VERB", "AUX") and tok.i > 0 and not (tok.is_sent_start and _opens_sentence(tok))


def _opens_sentence(tok) -> bool:
    """``tok`` starts a sentence after a line break or a punctuation mark, not mid-line after a word."""
    before = tok.doc[tok.i - 1]
    return before.is_punct or before.is_space or "\n" in before.whitespace_


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
        if _blank(tok) and start == end:  # spaces between the name and its cue
            start = end = j
            continue
        if _name_like(tok):
            words += 1
        elif not ((_glued(tok) or tok.lower_ in joiners) and start == j + 1 and j > 0 and _name_like(doc[j - 1])) and not (
            tok.is_alpha and j > 0 and _glued(doc[j - 1]) and start == j + 1
        ):
            break
        start = j
    if start < end and doc[end - 1].lower_ in joiners:
        return None  # "Velmar and LLC Kordis": the name before the second cue is not "Velmar and"
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
        if tok.tag_ == "POS" or tok.text in ("'s", "’s") or (_verb(tok) and j > i and not _glued(doc[j - 1])):
            break
        if _name_like(tok):
            words += 1
        elif not ((_glued(tok) or tok.lower_ in joiners) and j > i and j + 1 < n and (_name_like(doc[j + 1]) or (_glued(tok) and doc[j + 1].is_alpha))) and not (
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
        noun = word.isupper() and word.lower() in _COMPANY_NOUNS and end - start > 1  # "CDMO Velmar Labs": what it is
        if (word.lower() in STOP_WORDS and word != "&") or sentence_initial_common or (nationality and end - start > 1) or noun:
            start += 1
        else:
            break
    if start >= end:
        return None
    tok = doc[start]
    if end - start == 1 and (tok.lower_ in STOP_WORDS or (tok.is_sent_start and tok.pos_ in ("ADJ", "ADV", "VERB", "DET", "ADP", "NOUN"))):
        return None
    a, b = an.char_range(start, end)
    if not any(c.isupper() for c in an.text[a:b]):
        return None
    return start, end


_COMPOUND_ADJECTIVE_TAILS = frozenset(MENTION_WORDS["compound_adjective_tails"])
_COMPANY_NOUNS = frozenset(MENTION_WORDS["company_nouns"])


_LIST_JOINERS = frozenset({"&", "and"})
_LEGAL_TAILS = frozenset(LEXICON["legal_forms_after"])


def _token_index_before(an: Analysis, end: int) -> int:
    """The index after the last token that ends at or before ``end`` (spaces allowed)."""
    tok = an.token_at(max(0, end - 1))
    if tok is None:
        return 0
    i = tok.i
    while i >= 0 and an.doc[i].idx + len(an.doc[i].text) > end:
        i -= 1
    return i + 1


def name_before(an: Analysis, end: int) -> tuple[int, str] | None:
    """The proper name that ends at ``end`` (spaces and a closing quote allowed), read off the
    tokens: (start, name as written) or None. Names may be joined by "and" or "&" (callers split)."""
    i = _token_index_before(an, end)
    if an.text[an.doc[i - 1].idx + len(an.doc[i - 1].text) : end].strip() if i > 0 else True:
        return None
    found = token_name_before(an, i, _LIST_JOINERS)
    if found is None:
        return None
    a, b = found
    while b - a > 1 and (an.doc[b - 1].text in _LEGAL_TAILS or an.doc[b - 1].text == ","):
        b -= 1  # "Kelun Pharmaceutical Co., Ltd.": the name before "Ltd." is without "Co.,"
    start, stop = an.doc[a].idx, an.doc[b - 1].idx + len(an.doc[b - 1].text)
    return start, an.text[start:stop]


def name_after(an: Analysis, start: int) -> tuple[int, str] | None:
    """The proper name that starts at ``start`` (spaces and an opening quote allowed), read off the
    tokens: (start, name as written) or None."""
    tok = an.token_at(start)
    if tok is None:
        return None
    i = tok.i if tok.idx >= start else tok.i + 1
    if i >= len(an.doc) or an.text[start : an.doc[i].idx].strip():
        return None
    found = token_name_after(an, i, _LIST_JOINERS)
    if found is None:
        return None
    a, b = found
    first, stop = an.doc[a].idx, an.doc[b - 1].idx + len(an.doc[b - 1].text)
    return first, an.text[first:stop]
