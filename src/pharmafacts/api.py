"""The library API: texts and paths in, :class:`DocumentFacts` records out.

Stages: load -> clean -> spaCy -> extract (one module per kind) -> resolve -> records.
No printing and no click here; a file that fails is handed to ``on_error`` and
the others go on.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import TYPE_CHECKING

from spacy.language import Language
from spacy.tokens import Doc

from .clean import Cleaned, clean_text
from .errors import LoadError, NotTextError
from .extract import FACT_EXTRACTORS, companies, dates, evidence, mentions
from .extract.context import LEXICON, Analysis, EntityMention, RawFact
from .load import Source, expand_paths, read_source
from .nlp import load_pipeline, memory_zone, parse, pipe
from .records import Company, DocumentFacts, Fact, Site, Span
from .resolve.aliases import Entity, build_entities
from .resolve.duplicates import dedupe
from .resolve.subjects import SubjectResolver
from .values.dates import DateMention
from .values.numbers import to_json_number

if TYPE_CHECKING:  # imported where known entities are given (extract --entities): pydantic models built at import
    from .entities import KnownEntity
    from .extract.known import KnownEntities

log = logging.getLogger("pharmafacts")
ErrorHandler = Callable[[LoadError], None]
BATCH_SIZE = 16
_TITLE_MAX = 200
_TITLE_LINES = 30
_NOT_A_TITLE = re.compile(r"^[-•*▪]|:$|(?:\s[/›»|]\s.*){2}")  # list items, lead-ins, breadcrumbs
_LATIN = re.compile(r"[A-Za-z]{3}")
_BOILERPLATE = re.compile("|".join(re.escape(w) for w in LEXICON["boilerplate_lines"]), re.I)


def _log_error(err: LoadError) -> None:
    if isinstance(err, NotTextError):  # skipped, not failed
        log.warning("%s", err)
    else:
        log.error("%s", err)


def _value(v):
    return v if isinstance(v, str) or v is None else to_json_number(v)


def _title(text: str) -> str | None:
    """The first line that is not site furniture: no "Subscribe to our newsletter", "Share on:",
    breadcrumb trail, list item or lead-in ending with a colon."""
    for line in text.splitlines()[:_TITLE_LINES]:
        line = line.strip()
        if line and not _BOILERPLATE.search(line) and not _NOT_A_TITLE.search(line) and _LATIN.search(line):
            return line if len(line) <= _TITLE_MAX else None
    return None


def _fact(source_text: str, cleaned: Cleaned, f: RawFact, subject: Entity | None) -> Fact:
    at = cleaned.source_span(f.start, f.end)
    s = cleaned.source_span(f.sentence.start, f.sentence.end)
    return Fact(
        kind=f.kind,
        value=_value(f.value),
        value_max=_value(f.value_max),
        unit=f.unit,
        qualifier=f.qualifier,
        subject=subject.name if subject is not None else None,
        text=source_text[at],
        start=at.start,
        end=at.stop,
        sentence=" ".join(source_text[s].split()),
        event=f.event,
        rule=f.rule,
        confidence=f.confidence,
    )


def _spans(text: str, cleaned: Cleaned, ent: Entity) -> list[Span]:
    return [Span(start=at.start, end=at.stop, text=text[at]) for at in (cleaned.source_span(m.start, m.end) for m in ent.mentions)]


def find_mentions(an: Analysis, known: KnownEntities | None = None) -> list[EntityMention]:
    """Every company and site mention, before they are grouped into entities; with ``known``,
    also every place a known entity's name or alias stands (``extract --entities FILE``)."""
    found = evidence.decide(an, [*companies.extract(an), *mentions.sites(an)])
    if known is None:
        return found
    given = known.mentions(an)
    places = {(m.start, m.end) for m in given}
    # a name of the file stands there: the known entity's mention, not a second company of its alias ("OBT")
    return [m for m in found if not (m.is_company and (m.start, m.end) in places)] + given


def find_facts(an: Analysis, date_mentions: list[DateMention]) -> list[RawFact]:
    """Every fact of every kind, before its subject is known (one extractor module per kind)."""
    out: list[RawFact] = []
    for kind, extract in FACT_EXTRACTORS.items():
        out += extract(an, date_mentions) if kind == "date" else extract(an)
    return out


def build_document(source: Source, doc: Doc, known: KnownEntities | None = None, cleaned: Cleaned | None = None) -> DocumentFacts:
    """Everything after the spaCy pipeline, for one document. ``doc`` is the model's reading of
    ``cleaned`` (by default: of ``source.text`` itself); records refer to ``source.text``."""
    cleaned = cleaned or Cleaned(doc.text)  # Doc.text joins every token's text again: read it once
    an = Analysis(cleaned.text, doc)
    doc_date, date_mentions = dates.find(an)
    entities, owner = build_entities(an, find_mentions(an, known))
    pairs = dedupe(SubjectResolver(an, entities, owner).run(find_facts(an, date_mentions)))
    text = source.text
    original = cleaned.read(text)  # the source's characters, sliced with the model's offsets
    return DocumentFacts(
        source=source.path,
        title=_title(text),
        doc_date=doc_date,
        companies=[
            Company(name=e.name, aliases=e.aliases(original), legal_form=e.legal_form, parent=e.parent,
                    mentions=_spans(text, cleaned, e))
            for e in entities
            if e.is_company
        ],
        sites=[
            Site(name=e.name, aliases=e.aliases(original), kind=e.kind, part_of=e.part_of,
                 mentions=_spans(text, cleaned, e))
            for e in entities
            if not e.is_company
        ],
        facts=[_fact(text, cleaned, f, ent) for f, ent in pairs],
        warnings=list(source.warnings),
    )


class Extractor:
    """Holds one loaded spaCy pipeline; reuse it for many documents. ``entities``: known
    companies and sites found in every text (``extract --entities FILE``)."""

    def __init__(self, model: str | None = None, nlp: Language | None = None, entities: list[KnownEntity] | None = None) -> None:
        self.model = model
        self.nlp = nlp if nlp is not None else load_pipeline(model)
        self.entities = list(entities or [])
        self.known: KnownEntities | None = None
        if self.entities:
            from .extract.known import KnownEntities

            self.known = KnownEntities(self.nlp, self.entities)

    def extract_text(self, text: str, source: str = "<text>") -> DocumentFacts:
        cleaned = clean_text(text)
        with memory_zone(self.nlp, [cleaned.text]):
            return build_document(Source(source, text), parse(self.nlp, cleaned.text), self.known, cleaned=cleaned)

    def extract_sources(self, sources: Iterable[Source], batch_size: int = BATCH_SIZE, jobs: int = 1,
                        on_error: ErrorHandler | None = None) -> Iterator[DocumentFacts]:
        """Documents in the order given, streamed through ``nlp.pipe`` (texts of any length).

        ``jobs`` > 1 runs that many worker processes (0: one per core); the records and
        their order are the same as with one. A document whose worker process died (twice)
        is passed to ``on_error`` as a :class:`WorkerError` (by default: raised).
        """
        if jobs != 1:
            from .parallel import TASK_DOCS, extract_parallel, resolve_jobs

            if resolve_jobs(jobs) > 1:
                yield from extract_parallel(sources, resolve_jobs(jobs), self.model, self.nlp, min(batch_size, TASK_DOCS),
                                            on_error, self.entities)
                return
        pairs = ((c.text, (s, c)) for s in sources for c in (clean_text(s.text),))
        while batch := list(islice(pairs, batch_size)):
            with memory_zone(self.nlp, [text for text, _ in batch]):
                records = [build_document(source, doc, self.known, cleaned=c) for doc, (source, c) in pipe(self.nlp, batch, batch_size)]
            yield from records

    def extract_paths(self, paths: Iterable[str], pattern: str = "*.txt", on_error: ErrorHandler | None = None,
                      jobs: int = 1) -> Iterator[DocumentFacts]:
        handler = on_error or _log_error

        def sources() -> Iterator[Source]:
            for path in expand_paths(list(paths), pattern, handler):
                try:
                    yield read_source(path)
                except LoadError as err:
                    handler(err)

        yield from self.extract_sources(sources(), jobs=jobs, on_error=handler)


def extract_text(text: str, source: str = "<text>", model: str | None = None) -> DocumentFacts:
    """Extract the facts of one text."""
    return Extractor(model).extract_text(text, source)


def extract_paths(paths: Iterable[str] | str, pattern: str = "*.txt", model: str | None = None, on_error: ErrorHandler | None = None,
                  jobs: int = 1) -> Iterator[DocumentFacts]:
    """Extract the facts of every text file under ``paths``, one document at a time.

    A file that cannot be read is passed to ``on_error`` (by default logged) and skipped.
    ``jobs`` worker processes share the work (0: one per core); the output is the same.
    """
    if isinstance(paths, str):
        paths = [paths]
    return Extractor(model).extract_paths(paths, pattern, on_error, jobs)
