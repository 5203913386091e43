"""Area facts: floor or land area of a plant, site, plot or zone, in square metres."""

from __future__ import annotations

from .context import Analysis, RawFact


def extract(an: Analysis) -> list[RawFact]:
    out = []
    for q in an.quantities:
        if q.kind != "area" or q.conversion:
            continue
        s = an.sentence_at(q.start)
        if s is None:
            continue
        out.append(RawFact("area", q.value, "m2", q.qualifier, q.start, q.end, s, "area_unit", 0.9, q.value_max))
    return out
