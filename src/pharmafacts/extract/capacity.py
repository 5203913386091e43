"""Capacity facts: what a plant can produce in a year ("up to 5.4 million vials a year")."""

from __future__ import annotations

import re

from .context import FACT_CUES, Analysis, RawFact, cue_regex

_CUES = cue_regex(FACT_CUES["capacity_cues"])
_UPTO = cue_regex(FACT_CUES["capacity_upto_cues"])
_EXCLUDED = {w.lower() for w in FACT_CUES["capacity_exclusions"]}
_PRODUCT = re.compile(r"\s+((?:[a-z][a-z-]+\s+){0,2}?)([a-z][a-z-]+)\b(?=\s+(?:of|per|a|an|each|every|annually|yearly|and|or)\b|[,.;)]|$)")
_OTHER_PERIOD = re.compile(r"(?:per|a|each|every)\s+(?:day|month|week|shift|hour)\b", re.I)


def extract(an: Analysis) -> list[RawFact]:
    out = []
    text = an.text
    cued: dict[int, bool] = {}
    for q in an.quantities:
        if q.kind != "number":
            continue
        s = an.sentence_at(q.start)
        if s is None:
            continue
        m = _PRODUCT.match(text, q.end, min(s.end, q.end + 60))
        if not m:
            continue
        unit = m.group(2).lower()
        tok = an.token_at(m.start(2))
        modifiers = an.tokens_between(m.start(1), m.end(1)) if m.group(1) else []
        if unit in _EXCLUDED or tok is None or tok.tag_ not in ("NNS", "NN") or tok.pos_ != "NOUN":
            continue
        if any(t.pos_ not in ("ADJ", "VERB", "NOUN") or t.lower_ in _EXCLUDED for t in modifiers if not t.is_space):
            continue
        if s.index not in cued:
            cued[s.index] = _CUES.search(text, s.start, s.end) is not None
        if not cued[s.index] or _OTHER_PERIOD.search(text, q.end, min(s.end, q.end + 80)):
            continue
        qualifier = q.qualifier
        if qualifier is None and _UPTO.search(text, s.start, q.start):
            qualifier = "up_to"
        out.append(RawFact("capacity", q.value, unit, qualifier, q.start, m.end(2), s, "capacity_cue", 0.8, q.value_max))
    return out
