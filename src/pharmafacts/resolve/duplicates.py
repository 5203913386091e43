"""The same figure about the same subject said twice is one fact (the first place it is said)."""

from __future__ import annotations

from ..extract.context import RawFact
from .aliases import Entity


def dedupe(pairs: list[tuple[RawFact, Entity | None]]) -> list[tuple[RawFact, Entity | None]]:
    seen: set[tuple] = set()
    out = []
    for fact, ent in sorted(pairs, key=lambda p: (p[0].start, p[0].kind)):
        k = (fact.kind, str(fact.value), str(fact.value_max), fact.unit, id(ent) if ent is not None else None)
        if k in seen:
            continue
        seen.add(k)
        out.append((fact, ent))
    return out
