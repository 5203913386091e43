"""The corpus contract: strict pydantic models for what ``pharmafacts consolidate`` returns.

One record per real company, site and fact across all the documents read, each with every
document (and span) it stands in. ``pharmafacts schema --corpus`` prints their JSON Schema and
``docs/corpus-format.md`` documents them. Field names are fixed within ``corpus_schema_version``.
"""

from __future__ import annotations

from typing import Literal, Union

from pydantic import Field

from ..records import FactKind, Qualifier, SiteKind, Span, _Record

CORPUS_SCHEMA_VERSION = "1"


class EntitySource(_Record):
    """One document that names a company or site, and where."""

    document: str = Field(description="The document's `source`, as extract wrote it.")
    doc_date: str | None = Field(default=None, description="The document's date (ISO prefix), where it tells.")
    name: str = Field(description="The name that document gives the entity.")
    mentions: list[Span] = Field(default_factory=list)


class CorpusCompany(_Record):
    """One real company across the corpus."""

    id: str = Field(description="'C1', 'C2'... in order of first appearance in the input.")
    name: str = Field(description="The name most documents give it (a full name rather than an acronym).")
    aliases: list[str] = Field(default_factory=list, description="Every other spelling seen, in any document.")
    legal_forms: list[str] = Field(default_factory=list, description="Legal forms seen, e.g. 'LLC'.")
    parent: str | None = Field(default=None, description="The group it belongs to (the corpus name where that group is known).")
    documents: list[EntitySource] = Field(description="Every document that names it, in input order.")
    possibly_same: list[str] = Field(default_factory=list, description="Ids of companies with similar names, not merged.")


class CorpusSite(_Record):
    """One real site across the corpus."""

    id: str = Field(description="'S1', 'S2'... in order of first appearance in the input.")
    name: str
    aliases: list[str] = Field(default_factory=list)
    kind: SiteKind
    part_of: str | None = Field(default=None, description="The larger site it belongs to (its corpus name where known).")
    documents: list[EntitySource]
    possibly_same: list[str] = Field(default_factory=list, description="Ids of sites with similar names, not merged.")


class FactSource(_Record):
    """One document that states a fact: the first place it does."""

    document: str
    doc_date: str | None = None
    value: Union[int, float, str] = Field(description="The value as this document states it (before rounding was reconciled).")
    qualifier: Qualifier | None = None
    text: str = Field(description="source[start:end] of that document.")
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class CorpusFact(_Record):
    """One figure or date about one subject, told by one or more documents (values within rounding)."""

    id: str = Field(description="'F1', 'F2'...")
    subject: str | None = Field(default=None, description="The corpus name of the company or site it is about, or null.")
    subject_id: str | None = Field(default=None, description="The id of that company or site.")
    kind: FactKind
    value: Union[int, float, str] = Field(description="The most precise value its sources give (a date: the fullest).")
    value_max: Union[int, float, str, None] = None
    unit: str | None = None
    qualifier: Qualifier | None = None
    event: str | None = None
    date: str | None = Field(default=None, description="The latest date of the documents that state it (ISO prefix).")
    sources: list[FactSource] = Field(description="One per document that states it, oldest document first.")
    conflict: bool = Field(description="Other documents give another value for the same subject, kind, unit and event.")
    current: bool = Field(description="The latest version of its claim (always true without a conflict).")
    claim: str | None = Field(default=None, description="The id of its claim when there is a conflict.")


class Claim(_Record):
    """Disagreeing values for one subject, kind, unit and event: versions ordered by document date."""

    id: str = Field(description="'K1', 'K2'...")
    subject: str | None = None
    subject_id: str | None = None
    kind: FactKind
    unit: str | None = None
    event: str | None = None
    versions: list[str] = Field(description="Fact ids, oldest first (by the latest document stating each).")
    current: str = Field(description="The id of the latest version.")


class PossiblySame(_Record):
    """Two entities whose names are alike but not proven the same: listed, never merged."""

    ids: list[str] = Field(description="The two ids, e.g. ['C3', 'C7'].")
    names: list[str]
    score: float = Field(ge=0, le=100, description="rapidfuzz similarity of the normalised names (0-100).")
    reason: str = Field(description="'similar names', 'shorter name', 'same acronym' or 'acronym of the name'.")


class CorpusOutput(_Record):
    """The JSON document ``pharmafacts consolidate`` writes."""

    corpus_schema_version: Literal["1"] = CORPUS_SCHEMA_VERSION
    documents: int = Field(ge=0, description="How many documents were read.")
    companies: list[CorpusCompany] = Field(default_factory=list)
    sites: list[CorpusSite] = Field(default_factory=list)
    facts: list[CorpusFact] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    possibly_same: list[PossiblySame] = Field(default_factory=list)
