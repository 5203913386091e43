"""The extract command end to end on the bundled fixtures."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from pharmafacts.cli import main

from .conftest import FIXTURES


def test_extract_fixtures_json_is_grounded():
    result = CliRunner().invoke(main, ["extract", str(FIXTURES), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["schema_version"] == "1"
    texts = sorted(FIXTURES.rglob("*.txt"))  # fixtures/corpus/ too
    assert sorted(d["source"] for d in data["documents"]) == sorted(str(p) for p in texts)
    for doc in data["documents"]:
        text = Path(doc["source"]).read_text(encoding="utf-8-sig")
        for fact in doc["facts"]:
            assert text[fact["start"] : fact["end"]] == fact["text"]


def test_extract_jsonl_one_line_per_document():
    paths = [str(p) for p in sorted(FIXTURES.glob("*.txt"))[:2]]
    result = CliRunner().invoke(main, ["extract", *paths, "--format", "jsonl"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert [json.loads(line)["source"] for line in lines] == paths


def test_extract_stdin():
    result = CliRunner().invoke(main, ["extract", "-", "--format", "json"], input="Nordvita LLC will employ 340 people.\n")
    assert result.exit_code == 0
    doc = json.loads(result.stdout)["documents"][0]
    assert doc["source"] == "-"
    assert [(f["kind"], f["value"], f["subject"]) for f in doc["facts"]] == [("jobs", 340, "Nordvita")]
