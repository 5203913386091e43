"""Numbers, units, qualifiers and ranges: pure normalisers on tables of known answers."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pharmafacts.values.numbers import parse_number, to_json_number
from pharmafacts.values.quantities import QUANTITY_RE, _from_match, find_quantities


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("1,234", 1234, id="comma-thousands"),
        pytest.param("28 000", 28000, id="space-thousands"),
        pytest.param("2.5", Decimal("2.5"), id="decimal-point"),
        pytest.param("2,5", Decimal("2.5"), id="decimal-comma"),
        pytest.param("five", 5, id="word"),
        pytest.param("twenty-one", 21, id="hyphenated-word"),
        pytest.param("two thousand", 2000, id="word-scale"),
        pytest.param("a thousand", 1000, id="a-thousand"),
        pytest.param("one hundred and twenty", 120, id="hundred-and"),
        pytest.param("half a million", 500000, id="half-a-million"),
        pytest.param("one and a half billion", 1500000000, id="one-and-a-half-billion"),
        pytest.param("two and a half", Decimal("2.5"), id="and-a-half"),
        pytest.param("", None, id="empty"),
        pytest.param("plot", None, id="not-a-number"),
    ],
)
def test_parse_number(text, expected):
    assert parse_number(text) == expected


def test_json_number_is_int_when_whole():
    assert to_json_number(Decimal("7400000000.0")) == 7400000000
    assert isinstance(to_json_number(Decimal("7400000000.0")), int)
    assert to_json_number(Decimal("18580.608")) == 18580.61


# (text, [(matched text, value, value_max, qualifier, kind, unit)])
CASES = [
    pytest.param("Investment amounted to over 7.4 billion rubles.", [("over 7.4 billion rubles", 7400000000, None, "over", "money", "RUB")], id="over-billion-rubles"),
    pytest.param("a 3.6-hectare plot for the plant", [("3.6-hectare", 36000, None, None, "area", "m2")], id="hyphenated-hectares"),
    pytest.param("the 18,200-square-meter center", [("18,200-square-meter", 18200, None, None, "area", "m2")], id="hyphenated-square-meter"),
    pytest.param("area — 43 thousand square meters", [("43 thousand square meters", 43000, None, None, "area", "m2")], id="thousand-square-meters"),
    pytest.param("covering 28 000 m² of floor", [("28 000 m²", 28000, None, None, "area", "m2")], id="nbsp-m2-superscript"),
    pytest.param("a 500m2 lab", [("500m2", 500, None, None, "area", "m2")], id="glued-m2"),
    pytest.param("8,900 sq m of space", [("8,900 sq m", 8900, None, None, "area", "m2")], id="sq-m"),
    pytest.param("a 184,000-square-foot plant", [("184,000-square-foot", Decimal("17094.16"), None, None, "area", "m2")], id="square-feet"),
    pytest.param("a 38-acre parcel", [("38-acre", Decimal("153780.54"), None, None, "area", "m2")], id="acres"),
    pytest.param("over a thousand jobs", [("over a thousand", 1000, None, "over", "number", None)], id="over-a-thousand"),
    pytest.param("at least 250 jobs", [("at least 250", 250, None, "over", "number", None)], id="at-least"),
    pytest.param("almost 5 billion rubles", [("almost 5 billion rubles", 5000000000, None, "under", "money", "RUB")], id="almost"),
    pytest.param("approximately 30,000 people", [("approximately 30,000", 30000, None, "about", "number", None)], id="approximately"),
    pytest.param("up to 5.4 million vials", [("up to 5.4 million", 5400000, None, "up_to", "number", None)], id="up-to"),
    pytest.param("250+ jobs", [("250+", 250, None, "over", "number", None)], id="plus-sign"),
    pytest.param("between 200 and 250 jobs", [("200 and 250", 200, 250, None, "number", None)], id="between-range"),
    pytest.param("3–4 billion rubles", [("3–4 billion rubles", 3000000000, 4000000000, None, "money", "RUB")], id="dash-range-shared-scale"),
    pytest.param("from 4.5 to 5.2 billion rubles", [("4.5 to 5.2 billion rubles", 4500000000, 5200000000, None, "money", "RUB")], id="from-to-range"),
    pytest.param("was increased from three to five billion rubles", [("five billion rubles", 5000000000, None, None, "money", "RUB")], id="change-is-not-a-range"),
    pytest.param("$250 million plant", [("$250 million", 250000000, None, None, "money", "USD")], id="dollars"),
    pytest.param("EUR 12.5m grant", [("EUR 12.5m", 12500000, None, None, "money", "EUR")], id="eur-m"),
    pytest.param("€45 million", [("€45 million", 45000000, None, None, "money", "EUR")], id="euro-sign"),
    pytest.param("₹1,150 crore", [("₹1,150 crore", 11500000000, None, None, "money", "INR")], id="crore"),
    pytest.param("five billion rubles", [("five billion rubles", 5000000000, None, None, "money", "RUB")], id="word-billion"),
    pytest.param("The center will cover 14,500 square meters", [("14,500 square meters", 14500, None, None, "area", "m2")], id="cover-is-not-over"),
    pytest.param("The unit, spread over 30 acres, opened.", [("30 acres", Decimal("121405.69"), None, None, "area", "m2")], id="spread-over-is-where-not-how-much"),
    pytest.param("The park covers over 30 hectares.", [("over 30 hectares", 300000, None, "over", "area", "m2")], id="covers-over-is-more-than"),
    pytest.param("PX-12 produces", [], id="code-is-not-a-number"),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_find_quantities(text, expected):
    got = find_quantities(text)
    assert [(q.text, q.value.quantize(Decimal("0.01")), q.value_max, q.qualifier, q.kind, q.unit) for q in got] == expected
    for q in got:
        assert text[q.start : q.end] == q.text


def _at_every_position(text: str) -> list:
    """What one pass of the pattern from every position finds (find_quantities tries fewer)."""
    return [q for m in QUANTITY_RE.finditer(text) if (q := _from_match(m, text)) is not None]


@pytest.mark.parametrize("path", sorted((Path(__file__).parent.parent / "fixtures").glob("*.txt")), ids=lambda p: p.name)
def test_trying_only_where_a_quantity_can_begin_changes_nothing_on_the_fixtures(path):
    text = path.read_text(encoding="utf-8")
    assert find_quantities(text) == _at_every_position(text)


_PIECES = st.sampled_from([
    " ", "-", ",", ".", "(", "5", "12", "1,200", "2.5", "US$", "$", "€", "₽", "RUB", "EUR", "Rs.", "~", "+", "%",
    "about", "approx.", "more than", "up to", "at least", "no fewer than", "nearly", "between", "from", "and", "to",
    "a", "an", "half a", "a dozen", "twenty", "twenty-one", "three", "million", "billion", "bn", "mln", "thousand",
    "hectares", "ha", "sq m", "square metres", "m2", "rubles", "euros", "dollars", "jobs", "A", "AUS", "therefrom",
])


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=25).map("".join))
def test_trying_only_where_a_quantity_can_begin_changes_nothing(text):
    assert find_quantities(text) == _at_every_position(text)
