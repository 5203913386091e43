"""The CSV writer: one row per fact, quoting that spreadsheet programs read back, streamed."""

from __future__ import annotations

import csv
import io

from pharmafacts.output import CSV_COLUMNS, write_csv
from pharmafacts.records import DocumentFacts, Fact

AWKWARD = 'over "8,5"\nbillion\r\nrubles'  # quotes, a comma and line breaks inside one field


def fact(**kw) -> Fact:
    base = dict(kind="investment", value=7400000000, unit="RUB", qualifier="over", subject="Ōstra «Pharm»", text=AWKWARD,
                start=3, end=3 + len(AWKWARD), sentence="It said so, twice.", rule="investment_cue", confidence=0.8)
    return Fact(**{**base, **kw})


def test_header_and_awkward_fields_round_trip():
    docs = [DocumentFacts(source="news/a,b.txt", facts=[fact(), fact(kind="jobs", value=180, value_max=215, unit="jobs",
                                                                    qualifier=None, subject=None, text="180–215")])]
    out = io.StringIO(newline="")
    assert list(write_csv(docs, out)) == docs
    rows = list(csv.reader(io.StringIO(out.getvalue(), newline="")))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert rows[1] == ["news/a,b.txt", "", "investment", "7400000000", "", "", "", "RUB", "over", "Ōstra «Pharm»", "", "0.8",
                       AWKWARD, "3", str(3 + len(AWKWARD)), "It said so, twice."]
    assert rows[2][2:13] == ["jobs", "180", "215", "", "", "jobs", "", "", "", "0.8", "180–215"]  # null -> empty cell
    assert len(rows) == 3


def test_rfc4180_line_ends_and_minimal_quoting():
    out = io.StringIO(newline="")
    list(write_csv([DocumentFacts(source="a.txt", facts=[fact(text="plain", subject="Velmar")])], out))
    header, row, end = out.getvalue().split("\r\n")
    assert header == ",".join(CSV_COLUMNS) and end == ""
    assert row.startswith("a.txt,,investment,7400000000,,,,RUB,over,Velmar,,0.8,plain,")
    assert row.endswith(',"It said so, twice."')


def test_floats_written_as_in_json():
    out = io.StringIO(newline="")
    list(write_csv([DocumentFacts(source="a.txt", facts=[fact(kind="area", value=17094.16, unit="m2", text="x")])], out))
    assert list(csv.reader(io.StringIO(out.getvalue(), newline="")))[1][3] == "17094.16"


def test_no_documents_is_a_header_only():
    out = io.StringIO(newline="")
    assert list(write_csv([], out)) == []
    assert out.getvalue() == ",".join(CSV_COLUMNS) + "\r\n"


def test_streamed_one_document_at_a_time():
    out = io.StringIO(newline="")
    docs = [DocumentFacts(source=f"{n}.txt", facts=[fact(text=str(n))]) for n in range(3)]
    stream = write_csv(iter(docs), out)
    next(stream)
    assert out.getvalue().count("\r\n") == 2  # header and the first document's row, before the second is read
    next(stream)
    assert out.getvalue().count("\r\n") == 3


def test_dates_have_their_own_columns_and_every_column_has_one_type():
    """value stays numeric (dates go to date, date_max), with doc_date and confidence beside them:
    a reader that types columns (pandas) gets numbers in value, value_max and confidence."""
    docs = [DocumentFacts(source="a.txt", doc_date="2025-03-04", facts=[
        fact(text="x"), fact(kind="date", value="2026-07", value_max="2027", unit=None, qualifier=None, text="y", confidence=0.7)])]
    out = io.StringIO(newline="")
    list(write_csv(docs, out))
    rows = list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
    assert [(r["kind"], r["value"], r["date"], r["date_max"], r["doc_date"], r["confidence"]) for r in rows] == [
        ("investment", "7400000000", "", "", "2025-03-04", "0.8"), ("date", "", "2026-07", "2027", "2025-03-04", "0.7")]
    for column in ("value", "value_max", "confidence", "start", "end"):
        assert all(float(r[column]) is not None for r in rows if r[column])
