"""Texts that must not come out wrong (issue 13, items 6-9): one stray byte in UTF-8, invisible
characters inside names and numbers, runs of punctuation, escape sequences in file names."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pharmafacts.clean import INVISIBLE

from .test_cli_errors import GOOD_A, GOOD_B, alone, documents, good, run  # noqa: F401

# --- 6. one stray byte ---------------------------------------------------------------------

STRAY = "Nordvita’s week: Nordvita LLC opened a plant of 12,000 square meters in Tver. It will employ 340 people.\n"


@pytest.mark.parametrize("bad, shown, warning", [
    (b"\x92", "’", "1 byte(s) read as cp1252"),
    ("’".encode()[:2], "\ufffd", "1 replaced by U+FFFD"),
], ids=["a Windows-1252 quote byte", "a truncated sequence"])
def test_one_stray_byte_keeps_the_text_utf8(tmp_path, good, bad, shown, warning):
    data = STRAY.encode().replace("’".encode(), bad, 1) + "“Good” news — truly.\n".encode()
    path = tmp_path / "stray.txt"
    path.write_bytes(data)
    result = run(str(path), str(good[1]), "--format", "json")
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [f"pharmafacts: warning: {path}: invalid UTF-8 at 1 place(s): {warning}",
                                          "pharmafacts: 2 document(s) processed"]
    doc, other = documents(result)
    assert other == alone(good[1])
    text = STRAY.replace("’", shown, 1) + "“Good” news — truly.\n"
    assert {(f["kind"], f["value"], f["subject"]) for f in doc["facts"]} == {("area", 12000, "Nordvita"), ("jobs", 340, "Nordvita")}
    assert all(text[f["start"] : f["end"]] == f["text"] for f in doc["facts"])


# --- 7. invisible characters inside names and numbers --------------------------------------


@pytest.mark.parametrize("char", list(INVISIBLE), ids=lambda c: f"U+{ord(c):04X}")
def test_an_invisible_character_inside_a_name_and_a_number_loses_neither(tmp_path, good, char):
    text = GOOD_A.replace("Nordvita", f"Nord{char}vita").replace("340", f"{char}3{char}40").replace("12,000", f"12,{char}000")
    path = tmp_path / "invisible.txt"
    path.write_text(text, encoding="utf-8")
    result = run(str(path), str(good[1]), "--format", "json")
    assert result.exit_code == 0, result.stderr
    doc, other = documents(result)
    assert other == alone(good[1])
    plain = alone(good[0])
    assert [c["name"] for c in doc["companies"]] == [c["name"] for c in plain["companies"]] == ["Nordvita"]
    assert [(f["kind"], f["value"], f["subject"]) for f in doc["facts"]] == [(f["kind"], f["value"], f["subject"]) for f in plain["facts"]]
    for item in [*doc["facts"], *(m for c in doc["companies"] for m in c["mentions"])]:
        assert text[item["start"] : item["end"]] == item["text"]
    assert all(char not in a for c in doc["companies"] for a in c["aliases"])


# --- 8. runs of punctuation ----------------------------------------------------------------


@pytest.mark.parametrize("junk", [
    "(" * 5000 + ")" * 5000,
    '(["' * 3000,
    "=" * 4000,
    "((((=====)))) " * 700,
    "1-" * 3000,
], ids=["nested brackets", "brackets and quotes", "equals signs", "short runs with spaces", "digits and hyphens"])
def test_a_run_of_punctuation_costs_no_fact_and_no_other_file(tmp_path, good, junk):
    text = GOOD_A + "\n" + junk + "\n" + GOOD_B
    path = tmp_path / "junk.txt"
    path.write_text(text, encoding="utf-8")
    result = run(str(path), str(good[0]), "--format", "json")
    assert result.exit_code == 0, result.stderr
    doc, other = documents(result)
    assert other == alone(good[0])
    assert {(f["kind"], f["value"], f["subject"]) for f in doc["facts"]} >= {
        ("area", 12000, "Nordvita"), ("jobs", 340, "Nordvita"), ("jobs", 300, "Lumeria"), ("investment", 7_400_000_000, "Lumeria")}
    for fact in doc["facts"]:
        assert text[fact["start"] : fact["end"]] == fact["text"]


# --- the property: noise in, the same facts out --------------------------------------------

_JUNK = st.one_of(
    st.text(alphabet="()[]{}\"'=-_*#|<>«»“”", min_size=0, max_size=600),
    st.binary(max_size=200).map(lambda b: b.decode("utf-8", errors="replace")),
    st.just("(" * 300 + ")" * 300),
)


def _noisy(draw_positions: list[int], chars: list[str], text: str) -> str:
    """``text`` with invisible characters put in at the given places (inside words and figures too)."""
    out = list(text)
    for pos, char in sorted(zip(draw_positions, chars), reverse=True):
        out.insert(pos % (len(text) + 1), char)
    return "".join(out)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(positions=st.lists(st.integers(min_value=0, max_value=10_000), max_size=12),
       chars=st.lists(st.sampled_from(INVISIBLE), min_size=12, max_size=12), junk=_JUNK)
def test_noise_gives_the_facts_of_the_text_cleaned_by_hand(extract, positions, chars, junk):
    """Invisible characters anywhere, and a paragraph of punctuation runs or random bytes, give
    the facts of the text without them; every fact points at its own characters of the noisy text."""
    junk = "".join(c for c in junk if c not in "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029") or "="
    by_hand = GOOD_A + "\n\n" + GOOD_B
    noisy = _noisy(positions, chars, GOOD_A) + "\n" + junk + "\n" + _noisy(positions[::-1], chars, GOOD_B)
    want = [(f.kind, f.value, f.unit, f.subject) for f in extract(by_hand).facts]
    got = extract(noisy)
    assert [(f.kind, f.value, f.unit, f.subject) for f in got.facts] == want
    for fact, plain in zip(got.facts, extract(by_hand).facts):
        assert noisy[fact.start : fact.end] == fact.text
        assert "".join(c for c in fact.text if c not in INVISIBLE) == plain.text
