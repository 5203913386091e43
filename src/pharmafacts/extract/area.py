"""Area facts: floor or land area of a plant, site, plot or zone, in square metres.

Every area in the text counts, except one the parse gives to a place as a whole or to a
building that is not production: the noun the figure modifies ("a 5,000-square-metre
school"), the subject whose verb takes it ("the city covers 300 square kilometres"), the
noun it is "of" ("a country of 2.7 million square kilometres"), or that noun's possessor
("the region's area of ..."). A figure in brackets restating the one before in other units
is not a second fact.
"""

from __future__ import annotations

from spacy.tokens import Token

from .context import FACT_CUES, Analysis, RawFact

_NOT_OF_A_SITE = frozenset(FACT_CUES["area_not_of_a_site"])


def holder(an: Analysis, start: int, end: int) -> Token | None:
    """Whose area the figure at ``start:end`` is, as far as the parse says; None when it does not."""
    noun = an.modified_noun(end)
    if noun is not None:
        return noun
    unit = an.token_at(end - 1)
    if unit is None or unit.idx < start:
        return None
    head = unit.head
    if unit.dep_ in ("dobj", "attr") and head.pos_ in ("VERB", "AUX"):
        return next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if unit.dep_ == "pobj" and head.lower_ == "of" and head.head.pos_ == "NOUN":
        owner = head.head
        return next((c for c in owner.children if c.dep_ == "poss"), owner)
    return None


def extract(an: Analysis) -> list[RawFact]:
    out = []
    for q in an.quantities:
        if q.kind != "area" or q.conversion:
            continue
        s = an.sentence_at(q.start)
        if s is None:
            continue
        owner = holder(an, q.start, q.end)
        if owner is not None and owner.lower_ in _NOT_OF_A_SITE:
            continue
        out.append(RawFact("area", q.value, "m2", q.qualifier, q.start, q.end, s, "area_unit", 0.9, q.value_max))
    return out
