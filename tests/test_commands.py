"""check, eval, schema and CSV output, end to end through the CLI."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from pharmafacts.cli import main
from pharmafacts.records import ExtractionOutput

from .conftest import FIXTURES, ROOT

TEXT = "Nordvita LLC opened a plant of 12,000 square meters. It will employ 340 people.\n"


def run(*args, **kw):
    return CliRunner().invoke(main, [str(a) for a in args], **kw)


# --- check -------------------------------------------------------------------


@pytest.fixture()
def checked_dir(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    result = run("check", tmp_path, "--update")
    assert result.exit_code == 0, result.output
    assert result.stderr == "pharmafacts: 1 document(s) checked, 1 expected file(s) created, 0 updated\n"
    return tmp_path


def test_check_all_match(checked_dir):
    result = run("check", checked_dir)
    assert result.exit_code == 0
    assert result.stderr == "pharmafacts: 1 document(s) checked, all match\n"


def test_check_reports_each_difference_readably(checked_dir):
    path = checked_dir / "a.expected.json"
    expected = json.loads(path.read_text(encoding="utf-8"))
    expected["facts"][0]["value"] = 999
    del expected["facts"][1]
    expected["companies"] = []
    path.write_text(json.dumps(expected), encoding="utf-8")
    result = run("check", checked_dir)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].endswith("a.txt: 3 difference(s)")
    assert any(re.match(r"\s+gained company\s+Nordvita$", line) for line in lines)
    assert any(re.match(r'\s+changed fact\s+area "12,000 square meters" at 31-51: value 999 -> 12000$', line) for line in lines)
    assert any(re.match(r"\s+extra fact\s+jobs 340 jobs \[Nordvita\]", line) for line in lines)
    assert result.stderr == "pharmafacts: 1 document(s) checked, 1 differ\n"


def test_check_update_rewrites(checked_dir):
    path = checked_dir / "a.expected.json"
    path.write_text(path.read_text(encoding="utf-8").replace("12000", "1"), encoding="utf-8")
    assert run("check", checked_dir, "--update").exit_code == 0
    assert run("check", checked_dir).exit_code == 0


def test_check_without_expected_files(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    result = run("check", tmp_path)
    assert result.exit_code == 1
    assert "no expected files" in result.stderr


def test_bundled_fixtures_still_parse():
    result = run("check", FIXTURES)
    assert result.exit_code == 0, result.output
    assert result.stderr.endswith("document(s) checked, all match\n")


# --- eval --------------------------------------------------------------------


def gold_doc(facts, companies=(), sites=()):
    return {"doc": "a.txt", "doc_date": None, "companies": list(companies), "sites": list(sites), "facts": list(facts)}


def pred_doc(facts, companies=(), sites=(), text="x" * 60):
    out = []
    for f in facts:
        f = {"unit": None, "qualifier": None, "subject": None, "text": text[:5], "start": 0, "end": 5,
             "sentence": "s", "event": None, "rule": "test", "confidence": 1.0, **f}
        out.append(f)
    return {"source": "a.txt", "companies": list(companies), "sites": list(sites), "facts": out}


def evaluate(tmp_path, gold, pred):
    (tmp_path / "gold").mkdir(exist_ok=True)
    (tmp_path / "docs").mkdir(exist_ok=True)
    (tmp_path / "docs" / "a.txt").write_text("x" * 60, encoding="utf-8")
    (tmp_path / "gold" / "a.json").write_text(json.dumps(gold), encoding="utf-8")
    (tmp_path / "pred.json").write_text(json.dumps({"schema_version": "1", "documents": [pred]}), encoding="utf-8")
    result = run("eval", tmp_path / "gold", tmp_path / "docs", "--pred", tmp_path / "pred.json", "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def g(kind, value, **kw):
    return {"kind": kind, "value": value, "evidence": "s", **kw}


EVAL_CASES = [
    pytest.param([g("area", 1000, unit="m2")], [{"kind": "area", "value": 1004, "unit": "m2"}], "area", (1, 0, 0), id="within-half-percent"),
    pytest.param([g("area", 1000, unit="m2")], [{"kind": "area", "value": 1010, "unit": "m2"}], "area", (0, 1, 1), id="beyond-tolerance"),
    pytest.param([g("investment", 5, unit="RUB")], [{"kind": "investment", "value": 5, "unit": "USD"}], "investment", (0, 1, 1), id="currency-must-agree"),
    pytest.param([g("date", "XXXX-10-07")], [{"kind": "date", "value": "2025-10-07"}], "date", (1, 0, 0), id="date-x-wildcard"),
    pytest.param([g("date", "2025")], [{"kind": "date", "value": "2025-10"}], "date", (1, 0, 0), id="date-more-precise-ok"),
    pytest.param([g("date", "2025-10")], [{"kind": "date", "value": "2025"}], "date", (0, 1, 1), id="date-less-precise-misses"),
    pytest.param([g("jobs", 250, optional=True)], [], "jobs", (0, 0, 0), id="optional-not-missed"),
    pytest.param([g("jobs", 250, optional=True)], [{"kind": "jobs", "value": 250}], "jobs", (0, 0, 0), id="optional-not-extra"),
    pytest.param([g("jobs", 250)], [{"kind": "jobs", "value": 250}, {"kind": "jobs", "value": 250}], "jobs", (1, 0, 0), id="duplicates-once"),
]


@pytest.mark.parametrize(("gold", "pred", "kind", "tp_fn_fp"), EVAL_CASES)
def test_eval_fact_rules(tmp_path, gold, pred, kind, tp_fn_fp):
    figures = evaluate(tmp_path, gold_doc(gold), pred_doc(pred))[kind]
    assert (figures["tp"], figures["fn"], figures["fp"]) == tp_fn_fp


def test_eval_names_without_legal_form_and_aliases(tmp_path):
    gold = gold_doc([], companies=[{"name": "Generix-Nova", "aliases": ["Generix Nova LLC"]}, {"name": "Ostra", "aliases": []}])
    pred = pred_doc([], companies=[{"name": "LLC Generix Nova", "aliases": []}, {"name": "Velmar", "aliases": []}])
    figures = evaluate(tmp_path, gold, pred)["companies"]
    assert (figures["tp"], figures["fn"], figures["fp"]) == (1, 1, 1)


def test_eval_subject_through_aliases_and_null(tmp_path):
    gold = gold_doc(
        [g("jobs", 250, subject="Generix-Nova"), g("jobs", 900, subject=None)],
        companies=[{"name": "Generix-Nova", "aliases": []}],
    )
    pred = pred_doc(
        [{"kind": "jobs", "value": 250, "subject": "Generix"}, {"kind": "jobs", "value": 900, "subject": "Generix"}],
        companies=[{"name": "Generix", "aliases": ["Generix-Nova LLC"]}],
    )
    figures = evaluate(tmp_path, gold, pred)
    assert (figures["jobs"]["tp"], figures["jobs+subject"]["tp"], figures["jobs+subject"]["fp"]) == (2, 1, 1)


def test_eval_grounding_and_text_report(tmp_path):
    evaluate(tmp_path, gold_doc([g("jobs", 250)]), pred_doc([{"kind": "jobs", "value": 250}]))
    result = run("eval", tmp_path / "gold", tmp_path / "docs", "--pred", tmp_path / "pred.json", "--verbose")
    assert result.exit_code == 0
    assert re.search(r"^grounded\s+1/1$", result.stdout, re.M)
    assert result.stderr == "pharmafacts: 1 document(s) evaluated\n"


def test_eval_on_own_fixtures_extracts():
    result = run("eval", FIXTURES / "gold", FIXTURES, "--json")
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert figures["grounded"].split("/")[0] == figures["grounded"].split("/")[1]
    assert figures["ALL facts"]["f1"] >= 0.9


# --- schema and its documentation ----------------------------------------------


def test_schema_is_the_models_json_schema():
    result = run("schema")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == ExtractionOutput.model_json_schema()


def _schema_fields():
    schema = ExtractionOutput.model_json_schema()
    models = {name: d for name, d in schema["$defs"].items()}
    models["ExtractionOutput"] = schema
    return {(name, field) for name, d in models.items() for field in d.get("properties", {})}


def _documented_fields():
    doc = (ROOT / "docs" / "output-format.md").read_text(encoding="utf-8")
    fields, model = set(), None
    for line in doc.splitlines():
        heading = re.match(r"^##+\s+`?(\w+)`?", line)
        if heading:
            model = heading.group(1)
        row = re.match(r"^\|\s*`(\w+)`\s*\|", line)
        if row and model:
            fields.add((model, row.group(1)))
    return fields


def test_output_format_doc_matches_the_schema():
    assert _documented_fields() == _schema_fields()


# --- CSV -----------------------------------------------------------------------


def test_csv_one_row_per_fact_opens_in_a_spreadsheet(tmp_path):
    text = 'Ōstra «Pharm» LLC will invest 2 billion rubles.\nIt will employ 340 people, "the company" said.\n'
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    result = run("extract", tmp_path / "a.txt", "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.reader(io.StringIO(result.stdout, newline="")))
    assert rows[0] == ["source", "doc_date", "kind", "value", "value_max", "date", "date_max", "unit", "qualifier", "subject",
                       "event", "confidence", "text", "start", "end", "sentence"]
    facts = list(csv.DictReader(io.StringIO(result.stdout, newline="")))
    assert [(r["kind"], r["value"], r["unit"]) for r in facts] == [("investment", "2000000000", "RUB"), ("jobs", "340", "jobs")]
    assert all(text[int(r["start"]) : int(r["end"])] == r["text"] for r in facts)
