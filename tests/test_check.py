"""pharmafacts check: expected files, the differences it reports, messages and exit codes."""

from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner

from pharmafacts.check import compare, dumps, expected_path, format_diff
from pharmafacts.cli import main
from pharmafacts.records import Company, DocumentFacts, Fact, Site, Span

TEXT = "Nordvita LLC opened a plant of 12,000 square meters in Tver. It will employ 340 people.\n"
OTHER = "Ōstra «Pharm» LLC will invest 2 billion rubles.\n"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def fact(kind="jobs", value=250, start=10, end=13, **kw) -> Fact:
    base = dict(kind=kind, value=value, unit="jobs", subject="Nordvita", text="250", start=start, end=end,
                sentence="It will employ 340 people.", rule="jobs_noun", confidence=0.9)
    return Fact(**{**base, **kw})


def doc(**kw) -> DocumentFacts:
    return DocumentFacts(**{"source": "a.txt", **kw})


# --------------------------------------------------------------------------- compare()


def test_identical_documents_have_no_difference_whatever_the_source():
    d = doc(facts=[fact()], companies=[Company(name="Nordvita")])
    diff = compare(d, d.model_copy(update={"source": "/elsewhere/a.txt"}))
    assert not diff and len(diff) == 0 and format_diff(diff) == []


def test_changed_value_and_subject_is_one_changed_fact():
    diff = compare(doc(facts=[fact()]), doc(facts=[fact(value=260, subject=None)]))
    assert format_diff(diff) == ['changed fact    jobs "250" at 10-13: value 250 -> 260; subject "Nordvita" -> null']


def test_missing_extra_gained_lost_and_document_fields():
    expected = doc(doc_date="2024", facts=[fact(start=10, end=13)], sites=[Site(name="Oka Valley SEZ", kind="sez")],
                   companies=[Company(name="Nordvita", parent=None)])
    actual = doc(doc_date="2025", facts=[fact(kind="area", value=12000, unit="m2", text="12,000 m2", start=2, end=11)],
                 companies=[Company(name="Nordvita", parent="Kordis"), Company(name="Velmar")])
    assert format_diff(compare(expected, actual)) == [
        'changed doc_date "2024" -> "2025"',
        'changed company Nordvita: parent null -> "Kordis"',
        "gained company  Velmar",
        "lost site       Oka Valley SEZ (sez)",
        'extra fact      area 12000 m2 [Nordvita] "12,000 m2" at 2-11',
        'missing fact    jobs 250 jobs [Nordvita] "250" at 10-13',
    ]


def test_int_and_float_values_differ_as_in_json():
    diff = compare(doc(facts=[fact(value=250)]), doc(facts=[fact(value=250.0)]))
    assert format_diff(diff) == ['changed fact    jobs "250" at 10-13: value 250 -> 250.0']


def test_mentions_changes_are_listed_by_span():
    old = Company(name="Nordvita", mentions=[Span(start=0, end=8, text="Nordvita")])
    new = Company(name="Nordvita", mentions=[Span(start=0, end=8, text="Nordvita"), Span(start=40, end=48, text="Nordvita")])
    assert format_diff(compare(doc(companies=[old]), doc(companies=[new]))) == [
        'changed company Nordvita: mentions 1 -> 2 (+"Nordvita" at 40-48)'
    ]


def test_two_facts_with_the_same_span_pair_in_order():
    diff = compare(doc(facts=[fact(), fact(value=300)]), doc(facts=[fact()]))
    assert format_diff(diff) == ['missing fact    jobs 300 jobs [Nordvita] "250" at 10-13']


# --------------------------------------------------------------------------- files


def test_expected_path_is_beside_the_text():
    assert str(expected_path(os.path.join("fixtures", "01_plant.txt"))) == os.path.join("fixtures", "01_plant.expected.json")


def test_dumps_is_stable_indented_utf8_with_final_newline():
    text = dumps(doc(companies=[Company(name="Ōstra")]))
    assert text.endswith("}\n") and not text.endswith("\n\n")
    assert '\n  "source": "a.txt",\n' in text
    assert "Ōstra" in text  # not \u014c
    assert DocumentFacts.model_validate_json(text) == doc(companies=[Company(name="Ōstra")])


@pytest.fixture()
def corpus(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text(OTHER, encoding="utf-8")
    return tmp_path


def test_update_creates_expected_files_with_relative_sources(corpus):
    result = run("check", corpus, "--update")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr == "pharmafacts: 2 document(s) checked, 2 expected file(s) created, 0 updated\n"
    a = json.loads((corpus / "a.expected.json").read_text(encoding="utf-8"))
    b = json.loads((corpus / "sub" / "b.expected.json").read_text(encoding="utf-8"))
    assert (a["source"], b["source"]) == ("a.txt", "sub/b.txt")
    again = run("check", corpus, "--update")
    assert again.stderr == "pharmafacts: 2 document(s) checked, 0 expected file(s) created, 0 updated\n"


def test_expected_files_do_not_depend_on_the_working_directory(corpus, monkeypatch):
    assert run("check", corpus, "--update").exit_code == 0
    monkeypatch.chdir(corpus / "sub")
    result = run("check", "..")
    assert result.exit_code == 0, result.output
    assert result.stderr == "pharmafacts: 2 document(s) checked, all match\n"


def test_differences_are_printed_in_path_order_and_exit_1(corpus):
    assert run("check", corpus, "--update").exit_code == 0
    for path in (corpus / "a.expected.json", corpus / "sub" / "b.expected.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        data["facts"] = []
        path.write_text(json.dumps(data), encoding="utf-8")
    result = run("check", corpus)
    assert result.exit_code == 1
    headers = [line for line in result.stdout.splitlines() if not line.startswith(" ")]
    assert headers == [f"{corpus / 'a.txt'}: 2 difference(s)", f"{corpus / 'sub' / 'b.txt'}: 1 difference(s)"]
    assert result.stdout.count("  extra fact      ") == 3
    assert result.stderr == "pharmafacts: 2 document(s) checked, 2 differ\n"


def test_only_texts_with_an_expected_file_are_checked(corpus):
    assert run("check", corpus, "--update").exit_code == 0
    (corpus / "sub" / "b.expected.json").unlink()
    result = run("check", corpus)
    assert result.exit_code == 0
    assert result.stderr == "pharmafacts: 1 document(s) checked, all match\n"


def test_no_expected_files_is_an_error(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    result = run("check", tmp_path)
    assert result.exit_code == 1
    assert result.stderr == (f"pharmafacts: error: no expected files in {tmp_path}; "
                             f"run 'pharmafacts check {tmp_path} --update' to create them\n")


def test_no_texts_is_an_error(tmp_path):
    result = run("check", tmp_path, "--update")
    assert result.exit_code == 1
    assert result.stderr == f"pharmafacts: error: no texts matching *.txt in {tmp_path}\n"


def test_missing_directory_is_a_usage_error(tmp_path):
    result = run("check", tmp_path / "nope")
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


def test_expected_file_without_its_text(corpus):
    assert run("check", corpus, "--update").exit_code == 0
    (corpus / "gone.expected.json").write_text("{}", encoding="utf-8")
    result = run("check", corpus)
    assert result.exit_code == 1
    assert result.stderr == (f"pharmafacts: error: {corpus / 'gone.expected.json'}: no text beside this expected file\n"
                             "pharmafacts: 2 document(s) checked, all match\n")
    result = run("check", corpus, "--update")
    assert result.exit_code == 0  # --update does not delete files; it says so
    assert result.stderr.startswith(f"pharmafacts: warning: {corpus / 'gone.expected.json'}: no text beside this expected file\n")


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10"


def test_a_file_that_is_not_text_is_skipped_not_failed(corpus):
    """As in extract: a warning, and no expected file is made for it."""
    image = corpus / "photo.txt"
    image.write_bytes(PNG)
    result = run("check", corpus, "--update")
    assert result.exit_code == 0, result.output
    assert result.stderr == (f"pharmafacts: warning: {image}: not a text file (PNG image)\n"
                             "pharmafacts: 2 document(s) checked, 2 expected file(s) created, 0 updated, 1 skipped\n")
    assert not expected_path(str(image)).exists()
    assert run("check", corpus).stderr == "pharmafacts: 2 document(s) checked, all match\n"


def test_a_checked_text_that_became_binary_fails(corpus):
    assert run("check", corpus, "--update").exit_code == 0
    (corpus / "a.txt").write_bytes(PNG)
    result = run("check", corpus)
    assert result.exit_code == 1
    assert result.stderr == (f"pharmafacts: error: {corpus / 'a.txt'}: not a text file (PNG image)\n"
                             "pharmafacts: 1 document(s) checked, 1 match, 1 failed\n")


def test_broken_expected_file_fails_and_update_repairs_it(corpus):
    assert run("check", corpus, "--update").exit_code == 0
    broken = corpus / "a.expected.json"
    broken.write_text('{"source": "a.txt", "facts": "none"}', encoding="utf-8")
    result = run("check", corpus)
    assert result.exit_code == 1
    assert result.stderr == (f"pharmafacts: error: {broken}: not a document (facts: Input should be a valid array)\n"
                             "pharmafacts: 1 document(s) checked, 1 match, 1 failed\n")
    result = run("check", corpus, "--update")
    assert result.exit_code == 0
    assert result.stderr == "pharmafacts: 2 document(s) checked, 0 expected file(s) created, 1 updated\n"
    assert run("check", corpus).exit_code == 0
