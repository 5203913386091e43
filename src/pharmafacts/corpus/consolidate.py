"""Consolidation: per-document records in (``records.DocumentFacts``), one record per company,
site and fact of the whole corpus out (``corpus.records``).

Streaming: :meth:`Consolidator.add` takes one document at a time and keeps only what the
corpus records need (each entity's names and mention spans, each fact's value and the span
it was read from); the text, sentences, titles and warnings of a document are dropped as it
is read. Entities are resolved once, at the end (:meth:`Consolidator.result`), so that the
order of the documents changes no merge; the records are then made one at a time as a writer
reads them, so that memory holds the compact state, not every fact's record with its sources.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from ..records import DocumentFacts, Span
from .matching import Pair, alike, group, is_acronym, name_key
from .records import (CORPUS_SCHEMA_VERSION, Claim, CorpusCompany, CorpusFact, CorpusOutput, CorpusSite, EntitySource, FactSource,
                      PossiblySame)
from .tolerance import precision, same_value

_intern = sys.intern


@dataclass(slots=True)
class _Piece:
    """One document's record of one company or site."""

    doc: int
    company: bool
    name: str
    forms: tuple[str, ...]  # the name and the aliases
    legal_form: str | None
    parent: str | None  # a company's parent, a site's part_of
    kind: str | None  # a site's kind
    spans: tuple[tuple[int, int, str], ...]


@dataclass(slots=True)
class _Observation:
    """One fact as one document states it."""

    doc: int
    subject: int | str | None  # the piece it is about; its name where the document has no record of it
    kind: str
    value: int | float | str
    value_max: int | float | str | None
    unit: str | None
    qualifier: str | None
    event: str | None
    text: str
    start: int
    end: int


@dataclass(slots=True)
class _Entity:
    id: str
    name: str


def _opt(s: str | None) -> str | None:
    return None if s is None else _intern(s)


def _date_key(doc_date: str | None, doc: int) -> tuple[bool, str, int]:
    """Documents in date order; those without a known year first, then in input order."""
    known = doc_date is not None and doc_date[:1].isdigit()
    return (known, doc_date if known else "", doc)


class Consolidator:
    """Collects documents one at a time; :meth:`result` gives the corpus records."""

    def __init__(self) -> None:
        self.docs: list[tuple[str, str | None]] = []  # (source, doc_date)
        self._pieces: list[_Piece] = []
        self._observations: list[_Observation] = []

    def add(self, doc: DocumentFacts) -> None:
        d = len(self.docs)
        self.docs.append((doc.source, _opt(doc.doc_date)))
        by_name: dict[str, int] = {}
        for ents, company in ((doc.companies, True), (doc.sites, False)):
            for e in ents:
                by_name.setdefault(e.name, len(self._pieces))
                self._pieces.append(_Piece(
                    d, company, _intern(e.name), tuple(_intern(f) for f in (e.name, *e.aliases)),
                    _opt(e.legal_form) if company else None, _opt(e.parent if company else e.part_of),
                    None if company else _intern(e.kind), tuple((m.start, m.end, _intern(m.text)) for m in e.mentions),
                ))
        for f in doc.facts:
            subject = None if f.subject is None else by_name.get(f.subject, _intern(f.subject))
            self._observations.append(_Observation(
                d, subject, _intern(f.kind), f.value, f.value_max, _opt(f.unit), _opt(f.qualifier),
                _opt(f.event), _intern(f.text), f.start, f.end,
            ))

    def add_all(self, docs: Iterable[DocumentFacts]) -> Consolidator:
        for doc in docs:
            self.add(doc)
        return self

    # ------------------------------------------------------------------ entities

    def _entities(self, company: bool) -> tuple[Records, dict[int, _Entity], list[PossiblySame]]:
        """The corpus records of one type (made as they are read), each piece's entity, and the
        pairs possibly the same."""
        indexes = [i for i, p in enumerate(self._pieces) if p.company == company]
        pieces = [self._pieces[i] for i in indexes]
        uf, pairs = group([p.forms for p in pieces], company)
        members: dict[int, list[int]] = {}
        for local in range(len(pieces)):
            members.setdefault(uf.find(local), []).append(local)
        roots = sorted(members)  # the root is a group's first piece: groups in order of first appearance
        prefix = "C" if company else "S"
        ids = {root: f"{prefix}{n + 1}" for n, root in enumerate(roots)}
        names = {root: self._canonical([pieces[i] for i in members[root]]) for root in roots}
        lookup: dict[str, int] = {}  # a normalised form -> its group
        for local, p in enumerate(pieces):
            for form in p.forms:
                lookup.setdefault(name_key(form, company), uf.find(local))

        acronym_only = [r for r in roots if all(is_acronym(f) for i in members[r] for f in pieces[i].forms)]
        pairs += alike({r: name_key(names[r], company) for r in roots}, acronym_only)
        similar: dict[int, list[str]] = {}
        listed: list[PossiblySame] = []
        seen: set[tuple[int, int]] = set()
        for pair in sorted(pairs, key=lambda p: (min(p.a, p.b), max(p.a, p.b))):
            a, b = uf.find(pair.a), uf.find(pair.b)
            if a == b or (min(a, b), max(a, b)) in seen:
                continue
            a, b = min(a, b), max(a, b)
            seen.add((a, b))
            similar.setdefault(a, []).append(ids[b])
            similar.setdefault(b, []).append(ids[a])
            listed.append(PossiblySame(ids=[ids[a], ids[b]], names=[names[a], names[b]], score=pair.score, reason=pair.reason))

        def make(root: int) -> CorpusCompany | CorpusSite:
            group_pieces = [pieces[i] for i in members[root]]
            parent_name = _most_common(p.parent for p in group_pieces)
            if parent_name is not None:
                other = lookup.get(name_key(parent_name, company))
                parent_name = names[other] if other is not None and other != root else parent_name
            common = dict(
                id=ids[root], name=names[root], aliases=_aliases(group_pieces, names[root]),
                documents=self._sources(group_pieces), possibly_same=similar.get(root, []),
            )
            if company:
                legal = list(dict.fromkeys(p.legal_form for p in group_pieces if p.legal_form))
                return CorpusCompany(**common, legal_forms=legal, parent=parent_name)
            return CorpusSite(**common, kind=_most_common(p.kind for p in group_pieces), part_of=parent_name)

        entity_of = {indexes[local]: _Entity(ids[uf.find(local)], names[uf.find(local)]) for local in range(len(pieces))}
        return Records(len(roots), lambda: map(make, roots)), entity_of, listed

    @staticmethod
    def _canonical(pieces: list[_Piece]) -> str:
        """The name most documents give (a full name rather than an acronym), then the first."""
        counts = Counter(p.name for p in pieces)
        first = {}
        for n, p in enumerate(pieces):
            first.setdefault(p.name, n)
        full = [n for n in counts if not is_acronym(n)] or list(counts)
        return max(full, key=lambda n: (counts[n], -first[n]))

    def _sources(self, pieces: list[_Piece]) -> list[EntitySource]:
        by_doc: dict[int, list[_Piece]] = {}
        for p in pieces:
            by_doc.setdefault(p.doc, []).append(p)
        out = []
        for d, ps in by_doc.items():
            spans = sorted({s for p in ps for s in p.spans})
            out.append(EntitySource(document=self.docs[d][0], doc_date=self.docs[d][1], name=ps[0].name,
                                    mentions=[Span(start=a, end=b, text=t) for a, b, t in spans]))
        return out

    # ------------------------------------------------------------------ facts

    def _facts(self, entity_of: dict[int, _Entity]) -> tuple[Records, list[Claim]]:
        claims: dict[tuple, list[_Observation]] = {}
        subjects: dict[tuple, tuple[str | None, str | None]] = {}
        for o in self._observations:
            if isinstance(o.subject, int):
                ent = entity_of[o.subject]
                ref, subject = ent.id, (ent.name, ent.id)
            elif o.subject is not None:  # a subject the document has no record of: by its name
                ref, subject = ("?", name_key(o.subject, True)), (o.subject, None)
            else:
                ref, subject = None, (None, None)
            k = (ref, o.kind, o.unit, " ".join(o.event.casefold().split()) if o.event else None)
            if ref is None:  # no subject: the same value only (a city's figures are many; never one claim)
                k += (o.value, o.value_max)
            claims.setdefault(k, []).append(o)
            subjects.setdefault(k, subject)
        plans: list[tuple] = []  # what each fact record is made of
        out_claims: list[Claim] = []
        for k, observations in claims.items():
            (subject, subject_id), event = subjects[k], observations[0].event
            versions = self._versions(observations)
            docs = {o.doc for v in versions for o in v}
            conflict = subject is not None and len(versions) > 1 and len(docs) > 1
            claim_id = f"K{len(out_claims) + 1}" if conflict else None
            ids = []
            for n, version in enumerate(versions):
                ids.append(f"F{len(plans) + 1}")
                plans.append((ids[-1], subject, subject_id, version, event, conflict, not conflict or n == len(versions) - 1, claim_id))
            if conflict:
                out_claims.append(Claim(id=claim_id, subject=subject, subject_id=subject_id, kind=k[1], unit=k[2],
                                        event=event, versions=ids, current=ids[-1]))
        return Records(len(plans), lambda: (self._fact(*plan) for plan in plans)), out_claims

    def _fact(self, fid: str, subject: str | None, subject_id: str | None, version: list[_Observation], event: str | None,
              conflict: bool, current: bool, claim: str | None) -> CorpusFact:
        rep = version[0]  # the most precise
        sources = self._fact_sources(version)
        return CorpusFact(
            id=fid, subject=subject, subject_id=subject_id, kind=rep.kind, value=rep.value, value_max=rep.value_max,
            unit=rep.unit, qualifier=rep.qualifier, event=event, date=max(sources, key=lambda s: _date_key(s.doc_date, 0)).doc_date,
            sources=sources, conflict=conflict, current=current, claim=claim,
        )

    def _versions(self, observations: list[_Observation]) -> list[list[_Observation]]:
        """The observations of one claim in groups of agreeing values, most precise first in each;
        groups ordered by the latest document that states each (the last is current)."""
        versions: list[list[_Observation]] = []
        for o in sorted(observations, key=lambda o: -precision(o.value)):
            for v in versions:
                if same_value(v[0].value, o.value) and same_value(v[0].value_max, o.value_max):
                    v.append(o)
                    break
            else:
                versions.append([o])
        return sorted(versions, key=lambda v: max(_date_key(self.docs[o.doc][1], o.doc) for o in v))

    def _fact_sources(self, version: list[_Observation]) -> list[FactSource]:
        first: dict[int, _Observation] = {}
        for o in sorted(version, key=lambda o: (o.doc, o.start)):
            first.setdefault(o.doc, o)
        out = []
        for d in sorted(first, key=lambda d: _date_key(self.docs[d][1], d)):
            o = first[d]
            out.append(FactSource(document=self.docs[d][0], doc_date=self.docs[d][1], value=o.value,
                                  qualifier=o.qualifier, text=o.text, start=o.start, end=o.end))
        return out

    # ------------------------------------------------------------------ result

    def result(self) -> Corpus:
        """The corpus: entities and facts resolved; their records are made as they are read."""
        companies, company_of, company_pairs = self._entities(True)
        sites, site_of, site_pairs = self._entities(False)
        facts, claims = self._facts({**company_of, **site_of})
        return Corpus(len(self.docs), companies, sites, facts, claims, company_pairs + site_pairs)


class Records:
    """A sequence of corpus records made one at a time each time it is read, so that the records
    of a large corpus (each fact with all its sources) never stand in memory all at once."""

    def __init__(self, count: int, make: Callable[[], Iterator]) -> None:
        self._count, self._make = count, make

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator:
        return iter(self._make())


@dataclass
class Corpus:
    """What :meth:`Consolidator.result` gives: the fields of :class:`CorpusOutput`, with companies,
    sites and facts as :class:`Records`. :meth:`output` makes the whole record."""

    documents: int
    companies: Records
    sites: Records
    facts: Records
    claims: list[Claim]
    possibly_same: list[PossiblySame]
    corpus_schema_version: str = CORPUS_SCHEMA_VERSION

    def output(self) -> CorpusOutput:
        return CorpusOutput(documents=self.documents, companies=list(self.companies), sites=list(self.sites),
                            facts=list(self.facts), claims=self.claims, possibly_same=self.possibly_same)


def _most_common(values: Iterable[str | None]) -> str | None:
    counts = Counter(v for v in values if v)
    return max(counts, key=counts.__getitem__) if counts else None  # ties: the first seen


def _aliases(pieces: list[_Piece], name: str) -> list[str]:
    forms = dict.fromkeys(" ".join(f.split()) for p in pieces for f in p.forms)
    forms.pop(name, None)
    return list(forms)


def consolidate(docs: Iterable[DocumentFacts]) -> CorpusOutput:
    """The corpus records of documents read one at a time, as one :class:`CorpusOutput`."""
    return Consolidator().add_all(docs).result().output()
