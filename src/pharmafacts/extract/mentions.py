"""The mention stage: the cue spans that nlp.py's ``pharmafacts_mentions`` SpanRuler wrote into
``doc.spans`` (patterns kept as data in ``data/mention_patterns.jsonl``) become company and site
mentions, each name read off the tokens beside its cue (extract/names.py).

Sites: the cue is a head word ("SEZ", "Industrial City", "bulk drug park", "Center"); the
pattern's id says where the name stands (``before:``, ``after:``, ``after_quoted:``, ``span:``,
``whole:`` (the cue is the name: "Industrial Zone of Halden"), ``before_complex:``, the last allowing
"and", "of", "for" inside the name).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from spacy.tokens import Span

from ..nlp import MENTIONS_KEY
from .context import LEXICON, Analysis, EntityMention
from .names import MENTION_WORDS, token_name_after, token_name_before

_NON_SITE = re.compile(r"\b(?:" + "|".join(map(re.escape, LEXICON["non_site_words"])) + r")\b")
_COMPLEX_JOINERS = frozenset({"and", "of", "for", "&"})
_UNNAMED_ADJECTIVES = frozenset(MENTION_WORDS["unnamed_complex_adjectives"])
_GENERIC_CLUSTER = frozenset(MENTION_WORDS["generic_cluster_words"])
_PARK_NAME_WORDS = frozenset(MENTION_WORDS["park_name_words"])
_PARK_JOINERS = frozenset({"&", "and"})
_SITE_KINDS = frozenset({"sez", "park", "cluster", "complex", "site"})
_OPEN_QUOTES = frozenset("\"«“")
_COUNTRIES = frozenset(MENTION_WORDS["countries"])
_HEADLINE_MAX_CHARS = 200
_LOWER_HEADS = frozenset({"cluster"})
_CUE_REACH = 5
_LEADING_FUNCTION = frozenset({"the", "a", "an", "this", "that", "its", "our", "in", "at", "on", "by", "of"})


def cues(an: Analysis) -> list[tuple[Span, str, str]]:
    """(cue span, side, rule) for every cue, without cues inside a longer cue of the same rule
    ("drug park" inside "bulk drug park")."""
    spans = sorted(an.doc.spans[MENTIONS_KEY] if MENTIONS_KEY in an.doc.spans else [], key=lambda s: (s.id_, s.start, -s.end))
    out: list[tuple[Span, str, str]] = []
    reach: dict[str, int] = {}  # per rule, the furthest end of the cues so far (sorted by start)
    for s in spans:
        if reach.get(s.id_, -1) >= s.end:
            continue  # inside a longer cue of the same rule, which starts at or before it
        reach[s.id_] = s.end
        side, _, rule = s.id_.partition(":")
        out.append((s, side, rule))
    out.sort(key=lambda c: (c[0].start, -c[0].end))
    return out


def _site_cue_at(an: Analysis, i: int) -> bool:
    """A site's cue (a head word, "SEZ", "Industrial Park") stands within a few tokens from ``doc[i]``."""
    return any(i <= s.start < i + _CUE_REACH or i <= s.end - 1 < i + _CUE_REACH for s in an.doc.spans[MENTIONS_KEY]
               if s.label_ in _SITE_KINDS and not s.id_.startswith("lower:"))


def _site_name_ok(name: str) -> bool:
    return bool(name) and "\n" not in name and not _NON_SITE.search(name) and len(name) <= 80


def _text(an: Analysis, start: int, end: int) -> str:
    """The words of tokens ``start:end`` with their spacing normalised."""
    return " ".join(an.doc[start:end].text.split())


def _site(an: Analysis, cue: Span, side: str, rule: str) -> EntityMention | None:
    doc = an.doc
    kind = cue.label_
    head = " ".join(cue.text.split())
    if side == "span":  # "construction of a new research center": the words after the article
        words = [t for t in cue[3:]]
        if all(t.lower_ in _UNNAMED_ADJECTIVES for t in words[:-1]):
            return None
        after = doc[cue.end : cue.end + 2]
        if len(after) == 2 and after[0].lower_ in ("by", "of", "for") and (after[1].text[:1].isupper() or after[1].text in _OPEN_QUOTES):
            return None
        return EntityMention(words[0].idx, cue.end_char, _text(an, words[0].i, cue.end), kind, rule)
    if side == "whole":  # "the Industrial Zone of Halden": the head word, "of" and the place, as written
        name = _text(an, cue.start, cue.end)
        return EntityMention(cue.start_char, cue.end_char, name, kind, rule) if _site_name_ok(name) else None
    if side == "lower":  # "the medical devices cluster of the Kestrel SEZ": the words up to the head word
        head_at = next(t.i for t in cue if t.lower_ in _LOWER_HEADS)
        words = list(doc[cue.start + 1 : head_at])
        if any(t.lower_ in _UNNAMED_ADJECTIVES or t.lower_ in _GENERIC_CLUSTER or t.tag_ in ("JJS", "JJR") or t.pos_ not in ("NOUN", "ADJ") for t in words):
            return None  # "the largest cluster of ...", "the industrial cluster of ...": no field named
        if not _site_cue_at(an, cue.end - 1):
            return None  # "the drug cluster of the Kestrel Region": a region is no site
        return EntityMention(words[0].idx, doc[head_at].idx + len(doc[head_at].text), _text(an, cue.start + 1, head_at + 1), kind, rule)
    if side in ("after", "after_quoted"):
        if side == "after_quoted" and not (cue.end < len(doc) and doc[cue.end].text in _OPEN_QUOTES):
            return None
        found = token_name_after(an, cue.end)
        if found is None:
            return None
        start, end = found
        if kind == "sez":  # "the special economic zone Dubrava SEZ Oka Valley": up to the next SEZ word
            end = next((i for i in range(start, end) if doc[i].text == "SEZ"), end)
            while end > start and doc[end - 1].is_space:
                end -= 1
        if end <= start:
            return None
        name = _text(an, start, end)
        if not _site_name_ok(name):
            return None
        return EntityMention(cue.start_char, doc[end - 1].idx + len(doc[end - 1].text), f"{name} SEZ" if kind == "sez" else name, kind, rule)
    # the name stands before the cue
    at = cue.start
    if kind == "cluster" and at > 0 and doc[at - 1].tag_ == "POS":
        at -= 1  # "Kama's cluster"
    if kind == "park" and cue.end < len(doc) and doc[cue.end].text in _OPEN_QUOTES and token_name_after(an, cue.end):
        return None  # 'Tverin industrial park "Kestrel"': the park's name follows; the word before is its town
    if cue.end < len(doc) and _NON_SITE.fullmatch(doc[cue.end].text):
        return None  # "the Velmar Free Economic Zone Authority": the zone's agency, not the zone
    joiners = _COMPLEX_JOINERS if side == "before_complex" else _PARK_JOINERS if kind == "park" else frozenset({"&"})
    found = token_name_before(an, at, joiners)
    if found is None:
        return None
    start, end = found
    if kind == "park":  # "Kestrel Industrial and Business Park"; not "Velmar and Kestrel Park"
        for j in range(end - 1, start, -1):
            if doc[j].lower_ == "and" and not (doc[j - 1].text in _PARK_NAME_WORDS and j + 1 < len(doc) and doc[j + 1].text in _PARK_NAME_WORDS):
                start = j + 1
                break
    if side == "before_complex":
        while start < end and doc[start].lower_ in _LEADING_FUNCTION:
            start += 1
        if start >= end or doc[start].lower_ in _COMPLEX_JOINERS:
            return None
        stop = cue.end
        if stop + 1 < len(doc) and doc[stop].lower_ in ("of", "for"):  # "Center of Medical Biotechnology"
            tail = token_name_after(an, stop + 1, frozenset({"and", "&"}))
            if tail and tail[0] == stop + 1:
                stop = tail[1]
        name = _text(an, start, stop)
        if not _site_name_ok(name):
            return None
        return EntityMention(doc[start].idx, doc[stop - 1].idx + len(doc[stop - 1].text), name, kind, rule)
    name = _text(an, start, end)
    if not _site_name_ok(name):
        return None
    end_char = cue.end_char
    if kind == "sez":
        formatted = f"{name} SEZ" if rule == "name_sez" else f"{name} {head}"
        tail = doc[cue.end : cue.end + 3]
        if rule == "name_sez" and [t.text for t in tail] == ["(", "SEZ", ")"]:
            end_char = tail.end_char
    elif kind == "site":
        if name in _COUNTRIES:
            return None  # "the Velmaria site": a country is where the site is, not its name
        formatted = name
    else:
        formatted = f"{name} {head}"
    return EntityMention(doc[start].idx, end_char, formatted, kind, rule)


def _site_list(an: Analysis, cue: Span, rule: str) -> Iterator[EntityMention]:
    """"its sites in Halden, Ostrava and Kestrel Park": each town named is a production site."""
    doc = an.doc
    i = cue.end
    while i < len(doc):
        found = token_name_after(an, i)
        if found is None or found[0] != i:
            return
        start, end = found
        name = _text(an, start, end)
        if _site_name_ok(name) and name not in _COUNTRIES:  # "its plants in Velmaria and Halden": Halden
            yield EntityMention(doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text), name, "site", rule)
        i = end
        if i < len(doc) and doc[i].text == ",":
            i += 1
        if i < len(doc) and doc[i].lower_ == "and":
            i += 1
        elif i == end:
            return


def _title_case_line(an: Analysis, offset: int) -> bool:
    """The line at ``offset`` is a headline in title case ("Velmar Plans Kestrel Bio Campus"): every
    word but the small ones capitalised, so its capitals say nothing of what is a name."""
    text = an.text
    start, end = text.rfind("\n", 0, offset) + 1, text.find("\n", offset)
    end = len(text) if end < 0 else end
    if end - start > _HEADLINE_MAX_CHARS:
        return False
    words = [t for t in an.tokens_between(start, end) if t.is_alpha and not t.is_stop]
    return len(words) >= 3 and all(t.text[0].isupper() for t in words)


def _common_in_headline(an: Analysis, m: EntityMention) -> bool:
    """A site name read off a title-case headline whose last two words the text writes in lower
    case elsewhere ("... Plans Kestrel Gene Therapy Campus" over "a gene therapy campus in
    Kestrel"), and never as the name: common nouns capitalised by the headline's style."""
    if not _title_case_line(an, m.start):
        return False
    written = an.text[m.start : m.end]
    words = written.split()
    if len(words) < 3 or " ".join(words[-2:]).lower() not in an.text:
        return False
    at = an.text.find(written)
    while at >= 0:
        if not _title_case_line(an, at):
            return False
        at = an.text.find(written, at + 1)
    return True


def sites(an: Analysis) -> Iterator[EntityMention]:
    """Every site mention a cue span gives."""
    for cue, side, rule in cues(an):
        if cue.label_ not in _SITE_KINDS:
            continue
        if side == "list":
            yield from _site_list(an, cue, rule)
            continue
        m = _site(an, cue, side, rule)
        if m is not None and not _common_in_headline(an, m):
            yield m
