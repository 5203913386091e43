"""Presentation only: JSON (a streamed array), JSONL, CSV (one row per fact), and rich tables."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from typing import TextIO

from .records import SCHEMA_VERSION, DocumentFacts

FORMATS = ("table", "json", "jsonl", "csv")
CSV_COLUMNS = ("source", "kind", "value", "value_max", "unit", "qualifier", "subject", "event", "text", "start", "end", "sentence")


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
            writer.writerow([_csv_cell(v) for v in (doc.source, f.kind, f.value, f.value_max, f.unit, f.qualifier,
                                                    f.subject, f.event, f.text, f.start, f.end, f.sentence)])
        out.flush()
        yield doc


def write_table(docs: Iterable[DocumentFacts], out: TextIO, width: int | None = None) -> Iterator[DocumentFacts]:
    """A rich table of facts per document, with its companies and sites listed above it."""
    from rich.console import Console
    from rich.table import Table

    console = Console(file=out, markup=False, highlight=False, emoji=False, width=width, soft_wrap=False)
    for doc in docs:
        console.rule(doc.source, style="bold")
        if doc.companies:
            console.print("Companies: " + "; ".join(c.name + (f" ({c.parent})" if c.parent else "") for c in doc.companies))
        if doc.sites:
            console.print("Sites: " + "; ".join(f"{s.name} [{s.kind}]" + (f" in {s.part_of}" if s.part_of else "") for s in doc.sites))
        table = Table(show_lines=False, expand=False)
        for col in ("kind", "value", "unit", "qualifier", "subject", "text"):
            table.add_column(col, overflow="fold")
        for f in doc.facts:
            value = f"{f.value:,}" if isinstance(f.value, (int, float)) else str(f.value)
            if f.value_max is not None:
                value += f" – {f.value_max:,}" if isinstance(f.value_max, (int, float)) else f" – {f.value_max}"
            table.add_row(f.kind, value, f.unit or "", f.qualifier or "", f.subject or "—", f.text + (f" ({f.event})" if f.event else ""))
        if doc.facts:
            console.print(table)
        else:
            console.print("no facts found")
        yield doc


class ProgressBar:
    """Documents done, rate and time left, on a terminal (standard error), cleared at the end.

    Use as a context manager and call :meth:`advance` once per input file, done or failed.
    Messages written to standard error meanwhile are printed above the bar. Redrawn at
    most ten times a second, and without a thread of its own (so that worker processes
    can be forked safely while it runs).
    """

    def __init__(self, total: int, file: TextIO) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        console = Console(file=file, markup=False, highlight=False, emoji=False)
        self._progress = Progress(
            TextColumn("documents"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"), TimeRemainingColumn(), TextColumn("left"),
            console=console, auto_refresh=False, transient=True, redirect_stdout=False, redirect_stderr=True,
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
