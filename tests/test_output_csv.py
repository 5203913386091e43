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
    assert rows[1] == ["news/a,b.txt", "investment", "7400000000", "", "RUB", "over", "Ōstra «Pharm»", "",
                       AWKWARD, "3", str(3 + len(AWKWARD)), "It said so, twice."]
    assert rows[2][1:9] == ["jobs", "180", "215", "jobs", "", "", "", "180–215"]  # null -> empty cell
    assert len(rows) == 3


def test_rfc4180_line_ends_and_minimal_quoting():
    out = io.StringIO(newline="")
    list(write_csv([DocumentFacts(source="a.txt", facts=[fact(text="plain", subject="Velmar")])], out))
    header, row, end = out.getvalue().split("\r\n")
    assert header == ",".join(CSV_COLUMNS) and end == ""
    assert row.startswith("a.txt,investment,7400000000,,RUB,over,Velmar,,plain,")
    assert row.endswith(',"It said so, twice."')


def test_floats_written_as_in_json():
    out = io.StringIO(newline="")
    list(write_csv([DocumentFacts(source="a.txt", facts=[fact(kind="area", value=17094.16, unit="m2", text="x")])], out))
    assert list(csv.reader(io.StringIO(out.getvalue(), newline="")))[1][2] == "17094.16"


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
