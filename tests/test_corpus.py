"""The corpus (issue 11): consolidate, matching across documents, figures within rounding, claims,
JSON / xlsx / CSV, known entities. Logic on hand-built records; the CLI end to end on
fixtures/corpus (the team's own texts: the same deal told twice, one company three ways, two
look-alike companies, one project's cost told on three dates)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import openpyxl
import pytest
from click.testing import CliRunner

from pharmafacts.cli import main
from pharmafacts.corpus import consolidate
from pharmafacts.corpus.records import CorpusOutput
from pharmafacts.corpus.tolerance import same_date, same_number
from pharmafacts.corpus.writers import SHEETS
from pharmafacts.entities import EntitiesFileError, KnownEntity, read_entities
from pharmafacts.records import Company, DocumentFacts, Fact, Site, Span

from .conftest import FIXTURES, ROOT

CORPUS = FIXTURES / "corpus"


def run(*args, **kw):
    return CliRunner().invoke(main, [str(a) for a in args], **kw)


# --- hand-built records -------------------------------------------------------------------


def company(name, *aliases, legal_form=None, parent=None):
    return Company(name=name, aliases=list(aliases), legal_form=legal_form, parent=parent, mentions=[Span(start=0, end=len(name), text=name)])


def fact(kind, value, subject, unit=None, event=None, start=10, qualifier=None):
    unit = unit or {"jobs": "jobs", "area": "m2", "investment": "RUB"}.get(kind)
    return Fact(kind=kind, value=value, unit=unit, qualifier=qualifier, subject=subject, text=str(value), start=start,
                end=start + len(str(value)), sentence="...", event=event, rule="test", confidence=0.9)


def doc(source, companies=(), facts=(), sites=(), date=None):
    return DocumentFacts(source=source, doc_date=date, companies=list(companies), sites=list(sites), facts=list(facts))


def names(corpus: CorpusOutput) -> list[tuple[str, int]]:
    return [(c.name, len(c.documents)) for c in corpus.companies]


# --- figures within rounding --------------------------------------------------------------


@pytest.mark.parametrize("a, b, same", [
    (1_230_000_000, 1_200_000_000, True),   # "1.23 billion" and "1.2 billion"
    (12_350, 12_000, True),                 # 12,350 m2 and 1.2 hectares
    (248, 250, True),                       # "248 people" and "some 250 jobs"
    (121_405.8, 120_000, True),             # 30 acres and 12 hectares
    (121_405.8, 121_406, True),             # conversion noise
    (8_400_000_000, 9_000_000_000, False),  # "8.4 billion", later "9 billion": 6.7 % apart
    (9_000_000_000, 9_600_000_000, False),
    (250, 260, False),                      # told to the same precision, different
    (12_000, 12_400, False),                # 3.3 %: more than rounding
    (300, 250, False),
    (400, 400, True),
    (-5, 5, False),
], ids=lambda v: str(v))
def test_numbers_agree_within_rounding(a, b, same):
    assert same_number(a, b) is same
    assert same_number(b, a) is same


@pytest.mark.parametrize("a, b, same", [
    ("2025-10", "2025-10-07", True),
    ("2025", "2025-10", True),
    ("XXXX-10-07", "2025-10-07", True),
    ("2025-10", "2025-11", False),
    ("2025", "2026", False),
    ("2025-1", "2025-10", False),  # not an ISO prefix
])
def test_dates_agree_when_one_tells_less(a, b, same):
    assert same_date(a, b) is same


# --- companies across documents -----------------------------------------------------------


def test_legal_form_case_quotes_and_hyphen_are_one_company():
    corpus = consolidate([
        doc("a", [company("Korvel-Nova", "Korvel-Nova LLC", legal_form="LLC")]),
        doc("b", [company("KORVEL NOVA")]),
        doc("c", [company("«Korvel Nova»", legal_form="JSC")]),
    ])
    assert names(corpus) == [("Korvel-Nova", 3)]
    assert corpus.companies[0].aliases == ["Korvel-Nova LLC", "KORVEL NOVA", "«Korvel Nova»"]
    assert corpus.companies[0].legal_forms == ["LLC", "JSC"]


def test_an_acronym_a_document_defines_joins_a_document_that_names_only_it():
    corpus = consolidate([
        doc("a", [company("VBM")]),  # before the definition: the order changes nothing
        doc("b", [company("Velmar Bio Manufacturing", "VBM", legal_form="LLC")]),
        doc("c", [company("Velmar Bio Manufacturing")]),
    ])
    assert names(corpus) == [("Velmar Bio Manufacturing", 3)]


def test_a_name_in_capitals_is_the_same_name():
    corpus = consolidate([doc("a", [company("ORVIK")]), doc("b", [company("Orvik", "Orvik LLC")]), doc("c", [company("ORVIK")])])
    assert names(corpus) == [("Orvik", 3)]


def test_an_acronym_given_to_two_names_merges_neither_and_is_listed():
    corpus = consolidate([
        doc("a", [company("Velmar Bio Manufacturing", "VBM")]),
        doc("b", [company("Vantor Bio Materials", "VBM")]),
        doc("c", [company("VBM")]),
    ])
    assert names(corpus) == [("Velmar Bio Manufacturing", 1), ("Vantor Bio Materials", 1), ("VBM", 1)]
    assert {(tuple(p.names), p.reason) for p in corpus.possibly_same} >= {
        (("Velmar Bio Manufacturing", "Vantor Bio Materials"), "same acronym"),
        (("Velmar Bio Manufacturing", "VBM"), "same acronym"),
    }


def test_similar_names_stay_apart_and_are_listed_as_possibly_the_same():
    corpus = consolidate([doc("a", [company("Corvanta Pharma")]), doc("b", [company("Corventa Pharma")]),
                          doc("c", [company("Nordvita")]), doc("d", [company("Nordvita Biologics")]),
                          doc("e", [company("Kestrel Pharma")]), doc("f", [company("Lindow Pharma")]),
                          doc("g", [company("Halvern")]), doc("h", [company("Kordis Halvern Pharma")]),
                          doc("i", [company("Ostra-Farm")]), doc("j", [company("Ostra Pharm")])])
    assert len(corpus.companies) == 10
    pairs = {(tuple(p.names), p.reason) for p in corpus.possibly_same}
    assert pairs == {(("Corvanta Pharma", "Corventa Pharma"), "similar names"), (("Nordvita", "Nordvita Biologics"), "shorter name"),
                     (("Halvern", "Kordis Halvern Pharma"), "shorter name"), (("Ostra-Farm", "Ostra Pharm"), "similar names")}
    assert corpus.companies[0].possibly_same == ["C2"]


def test_an_undefined_acronym_matching_initials_is_only_possibly_the_same():
    corpus = consolidate([doc("a", [company("Velmar Bio Manufacturing")]), doc("b", [company("VBM")])])
    assert names(corpus) == [("Velmar Bio Manufacturing", 1), ("VBM", 1)]
    assert [p.reason for p in corpus.possibly_same] == ["acronym of the name"]


def test_sites_merge_without_their_head_word_and_parents_take_the_corpus_name():
    corpus = consolidate([
        doc("a", sites=[Site(name="Kestrel Park", kind="park", part_of="Lindow SEZ")]),
        doc("b", sites=[Site(name="Kestrel Park industrial park", kind="park"), Site(name="Lindow special economic zone", kind="sez")]),
        doc("c", [company("Brisvale", parent="Orlin Group"), company("Orlin", "Orlin Holding")]),
    ])
    assert [(s.name, len(s.documents)) for s in corpus.sites] == [("Kestrel Park", 2), ("Lindow special economic zone", 1)]
    assert corpus.sites[0].part_of == "Lindow special economic zone"
    assert corpus.companies[0].parent == "Orlin"


# --- facts and claims ---------------------------------------------------------------------


def test_one_deal_told_twice_with_different_roundings_is_one_fact_with_both_sources():
    corpus = consolidate([
        doc("wire", [company("Brisvale Pharma")], [fact("investment", 1_230_000_000, "Brisvale Pharma"), fact("jobs", 248, "Brisvale Pharma")], date="2025-03-12"),
        doc("daily", [company("Brisvale Pharma")], [fact("investment", 1_200_000_000, "Brisvale Pharma"), fact("jobs", 250, "Brisvale Pharma", qualifier="about")], date="2025-03-14"),
    ])
    assert [(f.kind, f.value, f.qualifier, [s.document for s in f.sources], f.conflict) for f in corpus.facts] == [
        ("investment", 1_230_000_000, None, ["wire", "daily"], False),
        ("jobs", 248, None, ["wire", "daily"], False),
    ]
    assert [s.value for s in corpus.facts[0].sources] == [1_230_000_000, 1_200_000_000]
    assert corpus.facts[0].date == "2025-03-14" and corpus.claims == []


def test_figures_that_disagree_are_one_claim_with_versions_by_date_the_latest_current():
    docs = [doc(name, [company("Nordvita", legal_form="LLC")], [fact("investment", value, "Nordvita")], date=date)
            for name, value, date in [("june", 9_000_000_000, "2024-06-10"), ("march", 9_600_000_000, "2025-03-04"),
                                      ("january", 8_400_000_000, "2024-01-15")]]
    corpus = consolidate(docs)
    assert [(f.value, f.date, f.conflict, f.current) for f in corpus.facts] == [
        (8_400_000_000, "2024-01-15", True, False), (9_000_000_000, "2024-06-10", True, False), (9_600_000_000, "2025-03-04", True, True)]
    [claim] = corpus.claims
    assert claim.versions == [f.id for f in corpus.facts] and claim.current == corpus.facts[-1].id
    assert {f.claim for f in corpus.facts} == {claim.id}


def test_dates_of_one_event_agree_when_one_is_less_precise_and_conflict_otherwise():
    corpus = consolidate([
        doc("a", [company("Nordvita")], [fact("date", "2025-10", "Nordvita", event="plant opened")], date="2024-05-01"),
        doc("b", [company("Nordvita")], [fact("date", "2025-10-07", "Nordvita", event="Plant  opened"),
                                         fact("date", "2024-02", "Nordvita", event="construction started")], date="2024-06-01"),
        doc("c", [company("Nordvita")], [fact("date", "2026", "Nordvita", event="plant opened")], date="2025-09-01"),
    ])
    opened = [f for f in corpus.facts if f.event.casefold().startswith("plant")]
    assert [(f.value, len(f.sources), f.current) for f in opened] == [("2025-10-07", 2, False), ("2026", 1, True)]
    assert [f.conflict for f in corpus.facts if f.event == "construction started"] == [False]


def test_two_figures_in_one_document_alone_are_no_conflict():
    corpus = consolidate([doc("a", [company("Lindow Pharma")], [fact("area", 12_000, "Lindow Pharma"), fact("area", 40_000, "Lindow Pharma", start=50)])])
    assert [(f.value, f.conflict, f.current) for f in corpus.facts] == [(12_000, False, True), (40_000, False, True)]


def test_figures_without_a_subject_never_conflict_across_documents():
    corpus = consolidate([doc("a", facts=[fact("jobs", 5_000, None)]), doc("b", facts=[fact("jobs", 9_000, None)])])
    assert [(f.value, f.conflict) for f in corpus.facts] == [(5_000, False), (9_000, False)]


def test_the_order_of_the_documents_changes_no_merge():
    docs = [doc("a", [company("VBM")]), doc("b", [company("Velmar Bio Manufacturing", "VBM")]), doc("c", [company("Corvanta Pharma")]),
            doc("d", [company("Corventa Pharma")])]
    forward, backward = consolidate(docs), consolidate(docs[::-1])
    assert sorted(names(forward)) == sorted(names(backward))
    assert len(forward.possibly_same) == len(backward.possibly_same) == 1


# --- the CLI end to end on fixtures/corpus ------------------------------------------------


@pytest.fixture(scope="module")
def corpus_run(tmp_path_factory):
    """One extraction of fixtures/corpus, written as JSON, JSONL, the corpus JSON and the workbook."""
    tmp = tmp_path_factory.mktemp("corpus")
    assert run("extract", CORPUS, "--format", "jsonl", "-o", tmp / "docs.jsonl", "--quiet").exit_code == 0
    assert run("consolidate", tmp / "docs.jsonl", "-o", tmp / "corpus.json", "--quiet").exit_code == 0
    result = run("consolidate", tmp / "docs.jsonl", "--format", "xlsx", "-o", tmp / "corpus.xlsx", "--write-entities", tmp / "ents.csv")
    assert result.exit_code == 0, result.output
    return tmp, CorpusOutput.model_validate_json((tmp / "corpus.json").read_bytes()), result


def test_fixture_corpus_merges_what_is_one_and_keeps_apart_what_is_not(corpus_run):
    _, corpus, result = corpus_run
    assert corpus.documents == 10
    assert [(c.name, len(c.documents)) for c in corpus.companies] == [
        ("Brisvale Pharma", 2), ("Velmar Bio Manufacturing", 3), ("Corvanta Pharma", 1), ("Corventa Pharma", 1), ("Nordvita", 3)]
    assert [(tuple(p.names), p.reason) for p in corpus.possibly_same] == [(("Corvanta Pharma", "Corventa Pharma"), "similar names")]
    assert "VBM" in corpus.companies[1].aliases
    by_kind = {(f.subject, f.kind): f for f in corpus.facts if not f.conflict}
    assert len(by_kind["Brisvale Pharma", "investment"].sources) == 2  # 1.23 and 1.2 billion rubles
    assert len(by_kind["Brisvale Pharma", "area"].sources) == 2  # 12,350 m2 and 1.2 hectares
    assert len(by_kind["Velmar Bio Manufacturing", "area"].sources) == 2  # one source names only the acronym
    [claim] = [k for k in corpus.claims if k.kind == "investment"]
    assert [next(f.value for f in corpus.facts if f.id == i) for i in claim.versions] == [8_400_000_000, 9_000_000_000, 9_600_000_000]
    assert result.stderr.endswith("10 document(s) read; 5 companies, 1 sites, 20 facts (2 in conflict)\n")


def test_workbook_sheets_headers_types_and_rows_equal_the_json(corpus_run):
    tmp, corpus, _ = corpus_run
    book = openpyxl.load_workbook(tmp / "corpus.xlsx")
    assert book.sheetnames == ["facts", "companies", "sites", "sources"]
    contract = {
        "facts": ["subject", "kind", "value", "unit", "qualifier", "date", "event", "sources", "conflict", "first_source", "latest_source"],
        "companies": ["name", "aliases", "documents", "sources"], "sites": ["name", "aliases", "documents", "sources"],
        "sources": ["document", "doc_date", "text", "start", "end"],
    }
    rows = {name: list(book[name].iter_rows(values_only=True)) for name in book.sheetnames}
    for name, columns in contract.items():
        assert list(rows[name][0][: len(columns)]) == columns
        assert list(rows[name][0]) == list(SHEETS[name])
        assert book[name].freeze_panes == "A2"
        assert book[name].auto_filter.ref
        assert all(book[name].column_dimensions[c].width for c in "ABCD")
    assert len(rows["facts"]) - 1 == len(corpus.facts)
    assert len(rows["companies"]) - 1 == len(corpus.companies)
    assert len(rows["sites"]) - 1 == len(corpus.sites)
    assert len(rows["sources"]) - 1 == sum(len(f.sources) for f in corpus.facts)
    facts = [dict(zip(rows["facts"][0], r)) for r in rows["facts"][1:]]
    for row, f in zip(facts, corpus.facts):
        if f.kind != "date":
            assert isinstance(row["value"], (int, float)) and row["value"] == f.value
        assert isinstance(row["date"], dt.datetime) and row["date"].date().isoformat() == f.date
        assert row["conflict"] is f.conflict and row["sources"] == len(f.sources)
        assert (row["first_source"], row["latest_source"]) == (f.sources[0].document, f.sources[-1].document)
    assert any(isinstance(r["value"], dt.datetime) for r in facts if r["kind"] == "date")  # a full date is a date
    companies = [dict(zip(rows["companies"][0], r)) for r in rows["companies"][1:]]
    assert companies[1]["documents"] == 3 and companies[1]["sources"].count("; ") == 2
    sources = [dict(zip(rows["sources"][0], r)) for r in rows["sources"][1:]]
    texts = {p.relative_to(ROOT).as_posix(): p.read_text(encoding="utf-8") for p in CORPUS.glob("*.txt")}
    for s in sources:
        assert isinstance(s["doc_date"], dt.datetime) and isinstance(s["start"], int)
        assert texts[_relative(s["document"])][s["start"] : s["end"]] == s["text"]


def _relative(path: str) -> str:
    return re.sub(r"^.*?(fixtures/corpus/)", r"\1", path)


def test_extract_consolidate_equals_consolidate_of_json_and_of_jsonl(corpus_run, tmp_path):
    tmp, corpus, _ = corpus_run
    one_run = run("extract", CORPUS, "--consolidate", "--quiet")
    assert one_run.exit_code == 0
    assert CorpusOutput.model_validate_json(one_run.stdout) == corpus
    assert run("extract", CORPUS, "--format", "json", "-o", tmp_path / "docs.json", "--quiet").exit_code == 0
    from_json = run("consolidate", tmp_path / "docs.json", "--quiet")
    assert from_json.stdout == one_run.stdout


def test_facts_csv_one_row_per_corpus_fact(corpus_run):
    tmp, corpus, _ = corpus_run
    result = run("consolidate", tmp / "docs.jsonl", "--format", "csv", "--quiet")
    rows = list(csv.reader(io.StringIO(result.stdout, newline="")))
    assert rows[0] == list(SHEETS["facts"]) and len(rows) - 1 == len(corpus.facts)
    assert {r[8] for r in rows[1:]} == {"true", "false"}


def test_schema_corpus_is_the_models_schema_and_documented():
    result = run("schema", "--corpus")
    assert json.loads(result.stdout) == CorpusOutput.model_json_schema()
    schema = CorpusOutput.model_json_schema()
    models = {**schema["$defs"], "CorpusOutput": schema}
    fields = {(m, f) for m, d in models.items() for f in d.get("properties", {})}
    documented, model = set(), None
    for line in (ROOT / "docs" / "corpus-format.md").read_text(encoding="utf-8").splitlines():
        if heading := re.match(r"^##+\s+`?(\w+)`?", line):
            model = heading.group(1)
        if (row := re.match(r"^\|\s*`(\w+)`\s*\|", line)) and model in models:
            documented.add((model, row.group(1)))
    assert documented == fields


# --- known entities -----------------------------------------------------------------------

TEXT = "Orlin Biotech said on Monday it will build a plant of 12,000 square meters at Kestrel Park. OBT will employ 340 people.\n"


def test_known_entities_are_found_in_every_text_with_their_rule(extractor):
    from pharmafacts.api import Extractor, find_mentions
    from pharmafacts.extract.context import Analysis

    known = Extractor(nlp=extractor.nlp, entities=[KnownEntity(name="Orlin Biotech", aliases=["OBT"], parent="Lindow Group"),
                                                   KnownEntity(name="Kestrel Park", kind="park", parent="Lindow SEZ")])
    an = Analysis(TEXT, extractor.nlp(TEXT))
    found = [(TEXT[m.start:m.end], m.name, m.kind) for m in find_mentions(an, known.known) if m.rule == "known_entity"]
    assert found == [("Orlin Biotech", "Orlin Biotech", "company"), ("Kestrel Park", "Kestrel Park", "park"), ("OBT", "Orlin Biotech", "company")]
    d = known.extract_text(TEXT)
    assert [(c.name, c.aliases, c.parent) for c in d.companies] == [("Orlin Biotech", ["OBT"], "Lindow Group")]
    assert [(s.name, s.part_of) for s in d.sites] == [("Kestrel Park", "Lindow SEZ")]
    assert [f.subject for f in d.facts] == ["Orlin Biotech", "Orlin Biotech"]


def test_without_a_match_known_entities_change_nothing(extractor):
    from pharmafacts.api import Extractor

    plain = extractor.extract_text(TEXT)
    assert Extractor(nlp=extractor.nlp, entities=[KnownEntity(name="Zaberon")]).extract_text(TEXT) == plain


def test_entities_file_json_and_csv_through_the_cli_with_jobs(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "b.txt").write_text("The plant of OBT in Lindow will cost 2 billion rubles.\n", encoding="utf-8")
    (tmp_path / "known.csv").write_text("name,aliases,kind,parent\r\nOrlin Biotech,OBT; Orlin,company,\r\n", encoding="utf-8")
    (tmp_path / "known.json").write_text(json.dumps([{"name": "Orlin Biotech", "aliases": ["OBT", "Orlin"]}]), encoding="utf-8")
    outputs = []
    for args in (["--entities", tmp_path / "known.csv"], ["--entities", tmp_path / "known.json", "--jobs", "2"]):
        result = run("extract", tmp_path / "a.txt", tmp_path / "b.txt", "--format", "json", "--quiet", *args)
        assert result.exit_code == 0, result.output
        outputs.append(result.stdout)
    assert outputs[0] == outputs[1]
    docs = json.loads(outputs[0])["documents"]
    assert [[c["name"] for c in d["companies"]] for d in docs] == [["Orlin Biotech"], ["Orlin Biotech"]]


def test_write_entities_is_read_back(corpus_run):
    tmp, corpus, _ = corpus_run
    entities = read_entities(str(tmp / "ents.csv"))
    assert [e.name for e in entities] == [c.name for c in corpus.companies] + [s.name for s in corpus.sites]
    assert entities[1].aliases == corpus.companies[1].aliases and entities[-1].kind == "park"


# --- errors --------------------------------------------------------------------------------


def test_a_bad_output_file_is_named_in_one_line_and_the_others_are_consolidated(corpus_run, tmp_path):
    tmp, corpus, _ = corpus_run
    (tmp_path / "bad.json").write_text('{"schema_version": "1", "documents": [{"source": 3}]}', encoding="utf-8")
    (tmp_path / "broken.json").write_text('{"schema_version": "1", "documents": [', encoding="utf-8")
    (tmp_path / "gold.json").write_text('{"companies": []}', encoding="utf-8")
    result = run("consolidate", tmp_path / "bad.json", tmp_path / "broken.json", tmp_path / "gold.json", tmp / "docs.jsonl")
    assert result.exit_code == 1
    errors = result.stderr.splitlines()[:3]
    assert errors[0] == f"pharmafacts: error: {tmp_path / 'bad.json'}: document 1: not a document (source: Input should be a valid string)"
    assert errors[1].startswith(f"pharmafacts: error: {tmp_path / 'broken.json'}: not JSON after 0 document(s)")
    assert errors[2] == f"pharmafacts: error: {tmp_path / 'gold.json'}: not an extract output (no 'documents' list)"
    assert CorpusOutput.model_validate_json(result.stdout).companies == corpus.companies


@pytest.mark.parametrize("args, message", [
    (["--format", "xlsx", "-o", "x.xlsx"], "pharmafacts: error: --format xlsx needs --consolidate\n"),
    (["--consolidate", "--format", "jsonl"], "pharmafacts: error: --consolidate writes json, xlsx or csv, not jsonl\n"),
    (["--write-entities", "e.json"], "pharmafacts: error: --write-entities needs --consolidate\n"),
])
def test_corpus_options_misused_are_usage_errors(args, message):
    result = run("extract", CORPUS / "11_brisvale_wire.txt", *args)
    assert (result.exit_code, result.stderr) == (2, message)


def test_a_bad_entities_file_is_a_usage_error_in_one_line(tmp_path):
    (tmp_path / "e.json").write_text('[{"name": "Orlin", "kind": "bank"}]', encoding="utf-8")
    result = run("extract", CORPUS / "11_brisvale_wire.txt", "--entities", tmp_path / "e.json")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"pharmafacts: error: {tmp_path / 'e.json'}: not a list of entities (entities.0.kind: ")
    with pytest.raises(EntitiesFileError, match="no 'name' column"):
        (tmp_path / "e.csv").write_text("title\r\nOrlin\r\n", encoding="utf-8")
        read_entities(str(tmp_path / "e.csv"))


# --- a bracketed acronym in one document (the extraction side of the acronym merge) -------------


@pytest.mark.parametrize("text, name, acronym", [
    ("Velmar Bio Manufacturing LLC (VBM) opened a laboratory. VBM will employ 60 people.", "Velmar Bio Manufacturing", "VBM"),
    ("Kestrel Cell Therapeutics (KCT) will invest 2 billion rubles. KCT said so on Monday.", "Kestrel Cell Therapeutics", "KCT"),
    ("Velmar Bio Manufacturing LLC (VMX) opened a laboratory.", "Velmar Bio Manufacturing", None),  # not its initials
    ("The Nordic Lending Bank (NLB) will lend 2 billion rubles to the project.", None, None),  # no legal form, no industry word
], ids=["legal-form", "industry-word", "not-the-initials", "a-bank"])
def test_a_bracketed_acronym_is_another_name_of_the_company_before_it(extract, text, name, acronym):
    companies = extract(text).companies
    with_acronym = [c.name for c in companies if {"VBM", "KCT", "VMX", "NLB"} & {c.name, *c.aliases}]
    assert with_acronym == ([name] if acronym else [])
    if name:
        assert name in [c.name for c in companies]


def test_the_workbook_can_go_to_standard_output_when_it_is_not_a_terminal():
    result = run("extract", CORPUS / "11_brisvale_wire.txt", "--consolidate", "--format", "xlsx", "--quiet")
    assert result.exit_code == 0
    book = openpyxl.load_workbook(io.BytesIO(result.stdout_bytes))
    assert book.sheetnames == list(SHEETS) and book["companies"]["A2"].value == "Brisvale Pharma"
