"""Presentation only: JSON (a streamed array), JSONL, CSV (one row per fact), and rich tables."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from typing import TextIO

from .records import SCHEMA_VERSION, DocumentFacts, Fact

FORMATS = ("table", "json", "jsonl", "csv")


def _numeric(v: object) -> object:
    return None if isinstance(v, str) else v


def _date(v: object) -> object:
    return v if isinstance(v, str) else None


# Each CSV column once: its name and how a row's cell is read from (document, fact). ``value`` and
# ``value_max`` are numbers only and ``date``, ``date_max`` the dates' ISO values, so that a reader
# (pandas) gets typed columns.
_CSV: tuple[tuple[str, Callable[[DocumentFacts, Fact], object]], ...] = (
    ("source", lambda d, f: d.source),
    ("doc_date", lambda d, f: d.doc_date),
    ("kind", lambda d, f: f.kind),
    ("value", lambda d, f: _numeric(f.value)),
    ("value_max", lambda d, f: _numeric(f.value_max)),
    ("date", lambda d, f: _date(f.value)),
    ("date_max", lambda d, f: _date(f.value_max)),
    ("unit", lambda d, f: f.unit),
    ("qualifier", lambda d, f: f.qualifier),
    ("subject", lambda d, f: f.subject),
    ("event", lambda d, f: f.event),
    ("confidence", lambda d, f: f.confidence),
    ("text", lambda d, f: f.text),
    ("start", lambda d, f: f.start),
    ("end", lambda d, f: f.end),
    ("sentence", lambda d, f: f.sentence),
)
CSV_COLUMNS = tuple(name for name, _ in _CSV)


def document_json(doc: DocumentFacts) -> str:
    """One document as the JSON text every writer here uses: a JSONL line (without its line
    end) and an element of the JSON output's ``documents`` array are exactly this string. Use it
    to write what the CLI writes, e.g. ``bag.map(document_json)`` over ``pharmafacts.distributed``."""
    return json.dumps(doc.model_dump(mode="json"), ensure_ascii=False)


def write_jsonl(docs: Iterable[DocumentFacts], out: TextIO) -> Iterator[DocumentFacts]:
    """One document object per line, written and flushed as each document is done."""
    for doc in docs:
        out.write(document_json(doc) + "\n")
        out.flush()
        yield doc


def write_json(docs: Iterable[DocumentFacts], out: TextIO) -> Iterator[DocumentFacts]:
    """``{"schema_version": "1", "documents": [...]}``, streamed one document at a time."""
    out.write(f'{{"schema_version": "{SCHEMA_VERSION}", "documents": [')
    first = True
    for doc in docs:
        out.write(("\n" if first else ",\n") + document_json(doc))
        out.flush()
        first = False
        yield doc
    out.write("\n]}\n" if not first else "]}\n")
    out.flush()


def _csv_cell(value: object) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value)


def write_csv(docs: Iterable[DocumentFacts], out: TextIO) -> Iterator[DocumentFacts]:
    """One row per fact under a header row (``CSV_COLUMNS``), streamed one document at a time.

    RFC 4180: comma-separated, CRLF line ends, fields quoted only where needed (commas,
    quotes, line breaks), UTF-8 without a byte-order mark. Empty cells stand for null.
    """
    writer = csv.writer(out, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    out.flush()
    for doc in docs:
        for f in doc.facts:
            writer.writerow([_csv_cell(cell(doc, f)) for _, cell in _CSV])
        out.flush()
        yield doc


def console(file: TextIO | None = None, **options):
    """A rich console for article text and file names: no markup, highlighting or emoji codes
    read in them; a closed pipe raises ``BrokenPipeError`` (rich would exit with code 1) so that
    the command line ends quietly with 141, as for every other format."""
    from rich.console import Console

    c = Console(file=file, markup=False, highlight=False, emoji=False, **options)

    def broken_pipe() -> None:
        raise BrokenPipeError

    c.on_broken_pipe = broken_pipe  # type: ignore[method-assign]
    return c


WIDE = 110  # from this many columns on, the table has a column for each field
NARROW = 72  # below this many, the subject joins the text
_QUALIFIER_WORDS = {"over": "over", "under": "under", "about": "about", "up_to": "up to"}


def _number(v: object) -> str:
    return f"{v:,}" if isinstance(v, (int, float)) else str(v)


def _value(f: Fact, with_unit: bool) -> str:
    """'19,000', '180 – 215'; with the unit ('19,000 m2') and qualifier ('up to 2,600,000 vials')
    when the layout has no column for them, and then a range on two lines."""
    if not with_unit:
        return _number(f.value) + (f" – {_number(f.value_max)}" if f.value_max is not None else "")
    value = _number(f.value) + (f" –\n{_number(f.value_max)}" if f.value_max is not None else "")  # a range: two lines
    return " ".join(p for p in (_QUALIFIER_WORDS.get(f.qualifier or "", f.qualifier), value, f.unit) if p)


def write_table(docs: Iterable[DocumentFacts], out: TextIO, width: int | None = None) -> Iterator[DocumentFacts]:
    """A rich table of facts per document, with its companies and sites listed above it.

    Numbers are never wrapped. From :data:`WIDE` columns on, every field has its column;
    narrower (80 columns), the unit and qualifier join the value and the event stands on
    its own line under the fact's text; below :data:`NARROW`, the subject leads the text. File names and texts are made safe for a terminal
    (an escape sequence in either is shown, never obeyed).
    """
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from .errors import one_line
    from .review import terminal_safe

    screen = console(out, width=width, soft_wrap=False)
    wide, narrow = screen.width >= WIDE, screen.width < NARROW
    for doc in docs:
        screen.rule(one_line(doc.source), style="bold")
        if doc.companies:
            screen.print(terminal_safe("Companies: " + "; ".join(c.name + (f" ({c.parent})" if c.parent else "") for c in doc.companies)))
        if doc.sites:
            screen.print(terminal_safe("Sites: " + "; ".join(f"{s.name} [{s.kind}]" + (f" in {s.part_of}" if s.part_of else "")
                                                             for s in doc.sites)))
        if not doc.facts:
            screen.print("no facts found")
            yield doc
            continue
        table = Table(box=box.SIMPLE_HEAD, expand=False, pad_edge=False)
        table.add_column("kind", no_wrap=True)
        table.add_column("value", no_wrap=True, justify="right" if wide else "left")
        if wide:
            table.add_column("unit", no_wrap=True)
            table.add_column("qualifier", no_wrap=True)
        if not narrow:
            table.add_column("subject", overflow="fold", min_width=8)
        table.add_column("subject: text" if narrow else "text", overflow="fold", min_width=12)
        if wide:
            table.add_column("event", overflow="fold")
        for f in doc.facts:
            text = Text(terminal_safe(f.subject or "—") + ": ", style="bold") if narrow else Text()
            text.append(terminal_safe(" ".join(f.text.split())))
            if not wide and f.event:
                text.append("\n↳ " + terminal_safe(f.event), style="italic")
            cells = [f.kind, _value(f, with_unit=not wide)]
            if wide:
                cells += [f.unit or "", _QUALIFIER_WORDS.get(f.qualifier or "", f.qualifier or "")]
            if not narrow:
                cells.append(terminal_safe(f.subject or "—"))
            cells.append(text)
            if wide:
                cells.append(terminal_safe(f.event or ""))
            table.add_row(*cells)
        screen.print(table)
        yield doc


class ProgressBar:
    """Documents done, rate and time left, on a terminal (standard error), cleared at the end.

    Use as a context manager and call :meth:`advance` once per input file, done or failed.
    Messages printed meanwhile through :attr:`console` (the console that draws the bar)
    stand above the bar, each on its own line. Redrawn at
    most ten times a second, and without a thread of its own (so that worker processes
    can be forked safely while it runs).
    """

    def __init__(self, total: int, file: TextIO) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.console = console(file)
        self._progress = Progress(
            TextColumn("documents"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"), TimeRemainingColumn(), TextColumn("left"),
            console=self.console, auto_refresh=False, transient=True, redirect_stdout=False, redirect_stderr=True,
        )
        self._task = self._progress.add_task("documents", total=total, rate="")
        self._drawn = 0.0

    def __enter__(self) -> ProgressBar:
        self._progress.start()
        self._progress.refresh()
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.stop()

    def advance(self) -> None:
        import time

        self._progress.advance(self._task)
        now = time.monotonic()
        if now - self._drawn >= 0.1:
            task = self._progress.tasks[0]
            speed = task.speed
            self._progress.update(self._task, rate=f"{speed:.1f} doc/s" if speed else "")
            self._progress.refresh()
            self._drawn = now
