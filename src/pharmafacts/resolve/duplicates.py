"""The same figure about the same subject said twice is one fact (the first place it is said).

A figure of a heading said again in the body about another subject is the body's: a headline is
telegraphic ("Velmar announces £85 million expansion of its Kestrel site"), the body says whose
the figure is in a full sentence, and the figure is one fact, not one for each reading."""

from __future__ import annotations

from ..extract.context import RawFact
from .aliases import Entity


def _figure(fact: RawFact) -> tuple:
    return (fact.kind, str(fact.value), str(fact.value_max), fact.unit)


def dedupe(pairs: list[tuple[RawFact, Entity | None]]) -> list[tuple[RawFact, Entity | None]]:
    in_body: dict[tuple, set] = {}  # a figure -> the subjects the body gives it
    for fact, ent in pairs:
        if not fact.sentence.heading:
            in_body.setdefault(_figure(fact), set()).add(id(ent) if ent is not None else None)
    seen: set[tuple] = set()
    out = []
    for fact, ent in sorted(pairs, key=lambda p: (p[0].start, p[0].kind)):
        subject = id(ent) if ent is not None else None
        said = in_body.get(_figure(fact))
        if fact.sentence.heading and said and subject not in said:
            continue  # the headline's reading gives way to the body's
        k = (*_figure(fact), subject)
        if k in seen:
            continue
        seen.add(k)
        out.append((fact, ent))
    return out
