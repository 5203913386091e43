"""The corpus records written out: JSON (one record per line), ``facts.csv``, an xlsx workbook,
and the registry of known entities. Presentation only.

The workbook's sheets and their first columns are a contract (``SHEETS``): ``facts``,
``companies``, ``sites`` and ``sources``, with numbers stored as numbers, full dates as dates,
the header row frozen, an autofilter on and column widths set.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from collections.abc import Callable, Iterable, Iterator
from typing import BinaryIO, TextIO

from ..entities import KnownEntity, dumps_entities
from ..errors import OutputError
from ..records import DocumentFacts
from .consolidate import Consolidator, Corpus
from .records import CorpusOutput

FORMATS = ("json", "xlsx", "csv")
JOIN = "; "
FACT_COLUMNS = ("subject", "kind", "value", "unit", "qualifier", "date", "event", "sources", "conflict",
                "first_source", "latest_source", "value_max", "current", "id", "claim", "subject_id")
COMPANY_COLUMNS = ("name", "aliases", "documents", "sources", "legal_forms", "parent", "possibly_same", "id")
SITE_COLUMNS = ("name", "aliases", "documents", "sources", "kind", "part_of", "possibly_same", "id")
SOURCE_COLUMNS = ("document", "doc_date", "text", "start", "end", "fact", "subject", "kind", "value")
SHEETS = {"facts": FACT_COLUMNS, "companies": COMPANY_COLUMNS, "sites": SITE_COLUMNS, "sources": SOURCE_COLUMNS}
MAX_ROWS = 1_048_576  # rows a worksheet holds, the header included
_FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_WIDTH_ROWS = 1_000  # rows read to set a column's width
_MIN_WIDTH, _MAX_WIDTH = 8, 60

Row = tuple


# --------------------------------------------------------------------------- rows


def _names(ids: list[str], names: dict[str, str]) -> str:
    return JOIN.join(names[i] for i in ids)


def fact_rows(corpus: Corpus | CorpusOutput) -> Iterator[Row]:
    for f in corpus.facts:
        yield (f.subject, f.kind, f.value, f.unit, f.qualifier, f.date, f.event, len(f.sources), f.conflict,
               f.sources[0].document, f.sources[-1].document, f.value_max, f.current, f.id, f.claim, f.subject_id)


def company_rows(corpus: Corpus | CorpusOutput) -> Iterator[Row]:
    names = {c.id: c.name for c in corpus.companies}
    for c in corpus.companies:
        yield (c.name, JOIN.join(c.aliases), len(c.documents), JOIN.join(d.document for d in c.documents),
               JOIN.join(c.legal_forms), c.parent, _names(c.possibly_same, names), c.id)


def site_rows(corpus: Corpus | CorpusOutput) -> Iterator[Row]:
    names = {s.id: s.name for s in corpus.sites}
    for s in corpus.sites:
        yield (s.name, JOIN.join(s.aliases), len(s.documents), JOIN.join(d.document for d in s.documents),
               s.kind, s.part_of, _names(s.possibly_same, names), s.id)


def source_rows(corpus: Corpus | CorpusOutput) -> Iterator[Row]:
    for f in corpus.facts:
        for s in f.sources:
            yield (s.document, s.doc_date, s.text, s.start, s.end, f.id, f.subject, f.kind, s.value)


ROWS: dict[str, Callable[[Corpus | CorpusOutput], Iterator[Row]]] = {
    "facts": fact_rows, "companies": company_rows, "sites": site_rows, "sources": source_rows,
}


def row_counts(corpus: Corpus | CorpusOutput) -> dict[str, int]:
    return {"facts": len(corpus.facts), "companies": len(corpus.companies), "sites": len(corpus.sites),
            "sources": sum(len(f.sources) for f in corpus.facts)}


# --------------------------------------------------------------------------- JSON, CSV


def write_corpus_json(corpus: Corpus | CorpusOutput, out: TextIO) -> None:
    """The :class:`CorpusOutput` object, one record per line."""
    out.write(f'{{"corpus_schema_version": "{corpus.corpus_schema_version}", "documents": {corpus.documents}')
    for name in ("companies", "sites", "facts", "claims", "possibly_same"):
        records = getattr(corpus, name)
        out.write(f', "{name}": [')
        for n, record in enumerate(records):
            out.write(("\n" if n == 0 else ",\n") + json.dumps(record.model_dump(mode="json"), ensure_ascii=False))
        out.write("\n]" if records else "]")
    out.write("}\n")


def _csv_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else json.dumps(value)


def write_corpus_csv(corpus: Corpus | CorpusOutput, out: TextIO) -> None:
    """``facts.csv``: one row per corpus fact under the ``facts`` sheet's header (RFC 4180)."""
    writer = csv.writer(out, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(FACT_COLUMNS)
    writer.writerows([_csv_cell(v) for v in row] for row in fact_rows(corpus))


# --------------------------------------------------------------------------- xlsx


def _width(rows: Iterable[Row], header: tuple[str, ...]) -> list[int]:
    widths = [len(h) + 2 for h in header]  # room for the autofilter's button
    for n, row in enumerate(rows):
        if n >= _WIDTH_ROWS:
            break
        for i, v in enumerate(row):
            shown = f"{v:,}" if isinstance(v, (int, float)) and not isinstance(v, bool) else str(v)  # numbers with separators
            widths[i] = max(widths[i], len(shown) if v is not None else 0)
    return [min(max(w, _MIN_WIDTH), _MAX_WIDTH) for w in widths]


def write_corpus_xlsx(corpus: Corpus | CorpusOutput, out: BinaryIO, name: str = "-") -> None:
    """The workbook of :data:`SHEETS`. Cells hold numbers as numbers, booleans as booleans, full
    ISO dates ('2025-10-07') as dates and partial ones ('2025-10') as text; text is never read
    as a formula. Raises :class:`OutputError` when a sheet would have more rows than xlsx holds."""
    import xlsxwriter

    counts = row_counts(corpus)
    for sheet, n in counts.items():
        if n + 1 > MAX_ROWS:
            raise OutputError(name, f"sheet '{sheet}' would have {n:,} rows, more than a worksheet holds "
                                    f"({MAX_ROWS - 1:,}): use --format json or csv")
    book = xlsxwriter.Workbook(out, {"constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
                                     "strings_to_urls": False})
    book.set_properties({"title": "pharmafacts corpus", "created": dt.datetime(2000, 1, 1)})  # the same bytes for the same corpus
    bold = book.add_format({"bold": True, "bg_color": "#DDEBF7", "bottom": 1})
    date = book.add_format({"num_format": "yyyy-mm-dd", "align": "left"})
    boolean = book.add_format({"num_format": '"true";"true";"false"', "align": "center"})
    whole, fraction = book.add_format({"num_format": "#,##0"}), book.add_format({"num_format": "#,##0.00"})
    for sheet, header in SHEETS.items():
        ws = book.add_worksheet(sheet)
        for i, w in enumerate(_width(ROWS[sheet](corpus), header)):
            ws.set_column(i, i, w)
        ws.freeze_panes(1, 0)
        ws.set_landscape()  # printed (or exported to PDF): as wide as the page, header on every page
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(0)
        ws.hide_gridlines(0)  # gridlines on screen and on paper
        figures = {header.index(c) for c in ("value", "value_max") if c in header}  # with thousands separators
        ws.autofilter(0, 0, max(counts[sheet], 1), len(header) - 1)
        ws.write_row(0, 0, header, bold)
        for r, row in enumerate(ROWS[sheet](corpus), 1):
            for c, v in enumerate(row):
                if v is None:
                    continue
                if isinstance(v, bool):
                    ws.write_boolean(r, c, v, boolean)
                elif isinstance(v, (int, float)):
                    ws.write_number(r, c, v, (whole if float(v).is_integer() else fraction) if c in figures else None)
                elif _FULL_DATE.match(v) and header[c] in ("value", "date", "doc_date"):
                    try:
                        ws.write_datetime(r, c, dt.datetime.strptime(v, "%Y-%m-%d"), date)
                    except ValueError:  # '2025-02-30'
                        ws.write_string(r, c, v)
                else:
                    ws.write_string(r, c, v)
    book.close()


# --------------------------------------------------------------------------- entities, one entry point


def known_entities(corpus: Corpus | CorpusOutput) -> list[KnownEntity]:
    """The corpus's companies and sites as a registry that ``extract --entities`` reads."""
    return [KnownEntity(name=c.name, aliases=c.aliases, kind="company", parent=c.parent) for c in corpus.companies] + [
        KnownEntity(name=s.name, aliases=s.aliases, kind=s.kind, parent=s.part_of) for s in corpus.sites]


def write_corpus(corpus: Corpus | CorpusOutput, fmt: str, out: TextIO, name: str = "-") -> None:
    """``corpus`` in ``fmt`` (one of :data:`FORMATS`) to the text stream ``out`` (xlsx: to its bytes)."""
    if fmt == "xlsx":
        out.flush()
        write_corpus_xlsx(corpus, out.buffer, name)
        out.buffer.flush()
    elif fmt == "csv":
        write_corpus_csv(corpus, out)
    else:
        write_corpus_json(corpus, out)


class Consolidating:
    """The writer of ``extract --consolidate``: like the per-document writers it takes the documents
    and gives each back as it is read; at the end it writes the corpus records, which stay in
    :attr:`corpus` (for ``--write-entities``)."""

    def __init__(self, fmt: str, name: str = "-") -> None:
        self.fmt, self.name = fmt, name
        self.corpus: Corpus | CorpusOutput | None = None

    def __call__(self, docs: Iterable[DocumentFacts], out: TextIO) -> Iterator[DocumentFacts]:
        consolidator = Consolidator()
        for doc in docs:
            consolidator.add(doc)
            yield doc
        self.corpus = consolidator.result()
        write_corpus(self.corpus, self.fmt, out, self.name)


def entities_text(corpus: Corpus | CorpusOutput, path: str) -> str:
    """The registry file's text: CSV when ``path`` ends in ``.csv``, else JSON."""
    return dumps_entities(known_entities(corpus), csv_format=path.lower().endswith(".csv"))
