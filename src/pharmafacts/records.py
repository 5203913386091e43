"""The JSON contract: strict pydantic models for what pharmafacts returns.

These models are the public output format (``schema_version`` "1"). Field names
are fixed; new optional fields may be added within a schema version, existing
ones are never renamed or retyped. ``pharmafacts schema`` prints their JSON
Schema and ``docs/output-format.md`` documents them.
"""

from __future__ import annotations

from typing import Literal, Union

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1"

#: The fact kinds, in the order outputs list them: the one list that records, eval, review and the
#: extractor registry (``extract.FACT_EXTRACTORS``, a test keeps the two equal) read.
FACT_KINDS = ("area", "jobs", "investment", "date", "capacity")
FactKind = Literal[FACT_KINDS]
Qualifier = Literal["over", "under", "about", "up_to"]
SiteKind = Literal["sez", "site", "park", "complex", "cluster"]


class _Record(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class Span(_Record):
    """Where a mention stands in the source text: ``text == source[start:end]``."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str


class Company(_Record):
    """A commercial organisation the document talks about (state-owned ones included)."""

    name: str = Field(description="Canonical name without legal form, e.g. 'Nordvita-Plus'.")
    aliases: list[str] = Field(default_factory=list, description="Other spellings seen in the text.")
    legal_form: str | None = Field(default=None, description="Legal form as written, e.g. 'LLC', 'FSUE'.")
    parent: str | None = Field(default=None, description="The group or holding it belongs to, where the text says.")
    mentions: list[Span] = Field(default_factory=list)


class Site(_Record):
    """A named place of production or industrial development: a zone, its site, a park, a complex."""

    name: str
    aliases: list[str] = Field(default_factory=list)
    kind: SiteKind
    part_of: str | None = Field(default=None, description="The larger site it belongs to, by name.")
    location: str | None = Field(default=None, description="City or region, where the text says.")
    mentions: list[Span] = Field(default_factory=list)


class Fact(_Record):
    """One normalised figure or date, tied to its subject and grounded in the text."""

    kind: FactKind
    value: Union[int, float, str] = Field(
        description="Number for area (m2), jobs, investment (currency units), capacity; "
        "ISO prefix string with X for unknown parts for a date ('2025-10-07', 'XXXX-10')."
    )
    value_max: Union[int, float, str, None] = Field(default=None, description="Upper end of a range; value is the lower end.")
    unit: str | None = Field(default=None, description="'m2', 'jobs', ISO 4217 code, or what is produced; null for dates.")
    qualifier: Qualifier | None = None
    subject: str | None = Field(default=None, description="Name of the company or site the fact is about, or null.")
    text: str = Field(description="The characters the fact was read from: source[start:end].")
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    sentence: str
    event: str | None = Field(default=None, description="For dates: what happened or will happen.")
    rule: str = Field(description="Name of the rule that produced the fact.")
    confidence: float = Field(ge=0.0, le=1.0)


class DocumentFacts(_Record):
    """Everything extracted from one source text."""

    source: str = Field(description="The path as given, or '-' for standard input.")
    title: str | None = None
    doc_date: str | None = Field(default=None, description="When the text was written, as far as it tells (ISO prefix).")
    companies: list[Company] = Field(default_factory=list)
    sites: list[Site] = Field(default_factory=list)
    facts: list[Fact] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)


class ExtractionOutput(_Record):
    """The JSON document ``pharmafacts extract --format json`` writes."""

    schema_version: Literal["1"] = SCHEMA_VERSION
    documents: list[DocumentFacts]
