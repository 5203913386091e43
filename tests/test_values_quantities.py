"""Numbers, units, qualifiers and ranges: pure normalisers on tables of known answers."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pharmafacts.values.numbers import parse_number, to_json_number
from pharmafacts.values.quantities import QUANTITY_RE, _from_match, find_quantities, in_context


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
        pytest.param("two thousand three hundred and five", 2305, id="scales-and-smalls"),
        pytest.param("a thousand and one", 1001, id="a-thousand-and-one"),
        pytest.param("forty two", 42, id="tens-space-unit"),
        pytest.param("a dozen", 12, id="a-dozen-is-twelve-not-thirteen"),
        pytest.param("a quarter of a billion", 250000000, id="a-quarter-of-a-billion"),
        pytest.param("three quarters of a million", 750000, id="three-quarters-of-a-million"),
        pytest.param("half of a billion", 500000000, id="half-of-a-billion"),
        pytest.param("25.000.000", 25000000, id="dot-thousands-two-groups"),
        pytest.param("12,50,000", 1250000, id="indian-grouping"),
        pytest.param("1.125", Decimal("1.125"), id="one-dot-group-is-a-decimal"),
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
    pytest.param("area — 57 thousand square meters", [("57 thousand square meters", 57000, None, None, "area", "m2")], id="thousand-square-meters"),
    pytest.param("covering 28 000 m² of floor", [("28 000 m²", 28000, None, None, "area", "m2")], id="nbsp-m2-superscript"),
    pytest.param("a 500m2 lab", [("500m2", 500, None, None, "area", "m2")], id="glued-m2"),
    pytest.param("8,900 sq m of space", [("8,900 sq m", 8900, None, None, "area", "m2")], id="sq-m"),
    pytest.param("a 184,000-square-foot plant", [("184,000-square-foot", Decimal("17094.16"), None, None, "area", "m2")], id="square-feet"),
    pytest.param("a 38-acre parcel", [("38-acre", Decimal("153780.54"), None, None, "area", "m2")], id="acres"),
    pytest.param("over a thousand jobs", [("over a thousand", 1000, None, "over", "number", None)], id="over-a-thousand"),
    pytest.param("at least 250 jobs", [("at least 250", 250, None, "over", "number", None)], id="at-least"),
    pytest.param("almost 5 billion rubles", [("almost 5 billion rubles", 5000000000, None, "under", "money", "RUB")], id="almost"),
    pytest.param("approximately 17,500 people", [("approximately 17,500", 17500, None, "about", "number", None)], id="approximately"),
    pytest.param("up to 7.2 million vials", [("up to 7.2 million", 7200000, None, "up_to", "number", None)], id="up-to"),
    pytest.param("250+ jobs", [("250+", 250, None, "over", "number", None)], id="plus-sign"),
    pytest.param("between 200 and 250 jobs", [("200 and 250", 200, 250, None, "number", None)], id="between-range"),
    pytest.param("3–4 billion rubles", [("3–4 billion rubles", 3000000000, 4000000000, None, "money", "RUB")], id="dash-range-shared-scale"),
    pytest.param("from 4.5 to 5.2 billion rubles", [("4.5 to 5.2 billion rubles", 4500000000, 5200000000, None, "money", "RUB")], id="from-to-range"),
    pytest.param("a credit line of seven to ten billion rubles", [("seven to ten billion rubles", 7000000000, 10000000000, None, "money", "RUB")], id="word-range-shared-scale"),
    pytest.param("between four and eleven million doses", [("four and eleven million", 4000000, 11000000, None, "number", None)], id="between-words-is-a-range-not-a-sum"),
    pytest.param("five to six hundred jobs", [("five to six hundred", 500, 600, None, "number", None)], id="word-range-shared-hundred"),
    pytest.param("from 800 to 3 million doses", [("800 to 3 million", 800, 3000000, None, "number", None)], id="scale-not-shared-past-the-upper-figure"),
    pytest.param("from nine to two thousand visitors", [("nine to two thousand", 9, 2000, None, "number", None)], id="word-scale-not-shared-past-the-upper-figure"),
    pytest.param("was increased from two to four billion rubles", [("four billion rubles", 4000000000, None, None, "money", "RUB")], id="change-is-not-a-range"),
    pytest.param("$250 million plant", [("$250 million", 250000000, None, None, "money", "USD")], id="dollars"),
    pytest.param("EUR 12.5m grant", [("EUR 12.5m", 12500000, None, None, "money", "EUR")], id="eur-m"),
    pytest.param("€45 million", [("€45 million", 45000000, None, None, "money", "EUR")], id="euro-sign"),
    pytest.param("₹1,150 crore", [("₹1,150 crore", 11500000000, None, None, "money", "INR")], id="crore"),
    pytest.param("five billion rubles", [("five billion rubles", 5000000000, None, None, "money", "RUB")], id="word-billion"),
    pytest.param("The center will cover 13,700 square meters", [("13,700 square meters", 13700, None, None, "area", "m2")], id="cover-is-not-over"),
    pytest.param("The unit, spread over 30 acres, opened.", [("30 acres", Decimal("121405.69"), None, None, "area", "m2")], id="spread-over-is-where-not-how-much"),
    pytest.param("The park covers over 30 hectares.", [("over 30 hectares", 300000, None, "over", "area", "m2")], id="covers-over-is-more-than"),
    pytest.param("PX-12 produces", [], id="code-is-not-a-number"),
]

# Amounts as real articles write them (sentences of our own)
REAL_TEXT_CASES = [
    pytest.param("a 300-mln-euro plant", [("300-mln-euro", 300000000, None, None, "money", "EUR")], id="compound-adjective-mln-euro"),
    pytest.param("a $40m-facility", [("$40m", 40000000, None, None, "money", "USD")], id="compound-adjective-glued-m"),
    pytest.param("making this a C$780-million project", [("C$780-million", 780000000, None, None, "money", "CAD")], id="hyphenated-million"),
    pytest.param("a new R2bn facility", [("R2bn", 2000000000, None, None, "money", "ZAR")], id="rand-glued"),
    pytest.param("a R3.8bn investment", [("R3.8bn", 3800000000, None, None, "money", "ZAR")], id="rand-decimal"),
    pytest.param("a grant of R500,000", [("R500,000", 500000, None, None, "money", "ZAR")], id="rand-thousands"),
    pytest.param("Section R5 of the code; N95 masks", [], id="one-letter-symbol-needs-a-scale"),
    pytest.param("will set aside Rs 2,450 crore", [("Rs 2,450 crore", 24500000000, None, None, "money", "INR")], id="rs-crore"),
    pytest.param("an outlay of Rs two lakh crore", [("Rs two lakh crore", 2000000000000, None, None, "money", "INR")], id="lakh-crore"),
    pytest.param("Rs 1.5 lakh crore", [("Rs 1.5 lakh crore", 1500000000000, None, None, "money", "INR")], id="decimal-lakh-crore"),
    pytest.param("Rs 40 lakh", [("Rs 40 lakh", 4000000, None, None, "money", "INR")], id="lakh"),
    pytest.param("Rs 500 cr", [("Rs 500 cr", 5000000000, None, None, "money", "INR")], id="cr-after-a-currency"),
    pytest.param("a Rs 1,200-cr. unit", [("Rs 1,200-cr.", 12000000000, None, None, "money", "INR")], id="hyphen-cr"),
    pytest.param("5 million CR tablets", [("5 million", 5000000, None, None, "number", None)], id="cr-without-currency-is-controlled-release"),
    pytest.param("INR 350 Cr", [("INR 350 Cr", 3500000000, None, None, "money", "INR")], id="capital-cr-after-a-currency"),
    pytest.param("Rs 90 CR for the unit", [("Rs 90 CR", 900000000, None, None, "money", "INR")], id="upper-cr-after-a-currency"),
    pytest.param("a grant of EUR 14.000.000", [("EUR 14.000.000", 14000000, None, None, "money", "EUR")], id="dot-thousands-euro"),
    pytest.param("€3.400.000 for the line", [("€3.400.000", 3400000, None, None, "money", "EUR")], id="dot-thousands-euro-sign"),
    pytest.param("$2.375 billion", [("$2.375 billion", 2375000000, None, None, "money", "USD")], id="three-decimals-stay-a-decimal"),
    pytest.param("a quarter of a billion dollars", [("a quarter of a billion dollars", 250000000, None, None, "money", "USD")], id="a-quarter-of-a-billion-dollars"),
    pytest.param("three quarters of a million doses", [("three quarters of a million", 750000, None, None, "number", None)], id="three-quarters-of-a-million-doses"),
    pytest.param("a quarter of the 80 staff", [("80", 80, None, None, "number", None)], id="a-quarter-of-a-count-is-no-number"),
    pytest.param("a 10-feddan plot", [("10-feddan", Decimal("42008.30"), None, None, "area", "m2")], id="feddan"),
    pytest.param("33,000 pyeong of land", [("33,000 pyeong", Decimal("109090.91"), None, None, "area", "m2")], id="pyeong"),
    pytest.param("KRW 270 billion", [("KRW 270 billion", 270000000000, None, None, "money", "KRW")], id="krw-code"),
    pytest.param("about 270 billion won", [("about 270 billion won", 270000000000, None, "about", "money", "KRW")], id="won"),
    pytest.param("€1.2bn", [("€1.2bn", 1200000000, None, None, "money", "EUR")], id="euro-bn"),
    pytest.param("more than AED418 million", [("more than AED418 million", 418000000, None, "over", "money", "AED")], id="code-glued-to-digits"),
    pytest.param("HK$170 million", [("HK$170 million", 170000000, None, None, "money", "HKD")], id="hong-kong-dollars"),
    pytest.param("MX$9 Billion", [("MX$9 Billion", 9000000000, None, None, "money", "MXN")], id="headline-capital-scale"),
    pytest.param("a $40M grant", [("$40M", 40000000, None, None, "money", "USD")], id="capital-m-after-currency"),
    pytest.param("the 3M company", [("3", 3, None, None, "number", None)], id="capital-m-without-currency-is-not-million"),
    pytest.param("R$2.9 billion", [("R$2.9 billion", 2900000000, None, None, "money", "BRL")], id="brazilian-real"),
    pytest.param("VNĐ2.6 trillion", [("VNĐ2.6 trillion", 2600000000000, None, None, "money", "VND")], id="dong"),
    pytest.param("47.2 million manat", [("47.2 million manat", 47200000, None, None, "money", "AZN")], id="manat"),
    pytest.param("64 000 000 Euro.", [("64 000 000 Euro", 64000000, None, None, "money", "EUR")], id="capitalised-currency-name"),
    pytest.param("a 21,708.4m^2 site", [("21,708.4m^2", Decimal("21708.40"), None, None, "area", "m2")], id="caret-m2"),
    pytest.param("a 143,000-sf facility", [("143,000-sf", Decimal("13285.13"), None, None, "area", "m2")], id="sf-square-feet"),
    pytest.param("about 3.1-billion tablets", [("about 3.1-billion", 3100000000, None, "about", "number", None)], id="hyphenated-billion-count"),
    pytest.param("5 Million units", [("5 Million", 5000000, None, None, "number", None)], id="capital-million"),
    pytest.param("a 5-m tall tank", [("5", 5, None, None, "number", None)], id="hyphen-letter-is-not-a-scale"),
    pytest.param("7 billion Kazakhstani tenge", [("7 billion Kazakhstani tenge", 7000000000, None, None, "money", "KZT")], id="adjective-and-name"),
    pytest.param("45 million Moldovan lei", [("45 million Moldovan lei", 45000000, None, None, "money", "MDL")], id="adjective-picks-the-currency-of-a-shared-name"),
    pytest.param("45 million lei", [("45 million lei", 45000000, None, None, "money", "RON")], id="bare-shared-name-keeps-its-default"),
    pytest.param("3 billion Brazilian real", [("3 billion Brazilian real", 3000000000, None, None, "money", "BRL")], id="name-only-after-its-adjective"),
    pytest.param("3 billion real users", [("3 billion", 3000000000, None, None, "number", None)], id="real-without-its-adjective-is-no-currency"),
    pytest.param("6 billion Thai pesos", [("6 billion Thai pesos", 6000000000, None, None, "money", None)], id="adjective-of-another-currency-gives-no-code"),
    pytest.param("60 million MDL", [("60 million MDL", 60000000, None, None, "money", "MDL")], id="code-after-the-figure"),
    pytest.param("NIS 75 million", [("NIS 75 million", 75000000, None, None, "money", "ILS")], id="new-israeli-shekel-abbreviation"),
    pytest.param("18 billion FCFA", [("18 billion FCFA", 18000000000, None, None, "money", "XOF")], id="fcfa"),
    pytest.param("4 billion TL", [("4 billion TL", 4000000000, None, None, "money", "TRY")], id="tl-turkish-lira"),
    pytest.param("£90 million sterling", [("£90 million sterling", 90000000, None, None, "money", "GBP")], id="sign-then-sterling"),
    pytest.param("90 million sterling", [("90 million sterling", 90000000, None, None, "money", "GBP")], id="sterling"),
    pytest.param("SR3 billion", [("SR3 billion", 3000000000, None, None, "money", "SAR")], id="saudi-riyal-sign"),
    pytest.param("metformin SR 500 tablets", [], id="sr-without-a-scale-is-sustained-release"),
    pytest.param("QR450 million", [("QR450 million", 450000000, None, None, "money", "QAR")], id="qatari-riyal-sign"),
    pytest.param("GH¢80 million", [("GH¢80 million", 80000000, None, None, "money", "GHS")], id="cedi-sign"),
    pytest.param("AU$35 million and CA$20 million", [("AU$35 million", 35000000, None, None, "money", "AUD"), ("CA$20 million", 20000000, None, None, "money", "CAD")], id="two-letter-dollar-signs"),
    pytest.param("800,000 pounds of API a year", [("800,000", 800000, None, None, "number", None)], id="pounds-of-a-thing-is-a-weight"),
    pytest.param("6 million pounds of investment", [("6 million pounds", 6000000, None, None, "money", "GBP")], id="pounds-of-investment-is-money"),
    pytest.param("6 million pounds for the plant", [("6 million pounds", 6000000, None, None, "money", "GBP")], id="pounds-is-money"),
    pytest.param("a 90,000 Square Foot plant", [("90,000 Square Foot", Decimal("8361.27"), None, None, "area", "m2")], id="title-case-square-foot"),
    pytest.param("22 HECTARES", [("22 HECTARES", 220000, None, None, "area", "m2")], id="upper-case-hectares"),
    pytest.param("22 HA", [("22 HA", 220000, None, None, "area", "m2")], id="upper-case-ha"),
    pytest.param("22 Ha", [("22", 22, None, None, "number", None)], id="short-unit-in-title-case-is-not-read"),
    pytest.param("14,000 SF", [("14,000 SF", Decimal("1300.64"), None, None, "area", "m2")], id="upper-case-sf"),
    pytest.param("4 M2 reactors", [("4", 4, None, None, "number", None)], id="m2-in-capitals-is-a-name"),
    pytest.param("6 sq. km", [("6 sq. km", 6000000, None, None, "area", "m2")], id="sq-dot-km"),
    pytest.param("2 sq mi", [("2 sq mi", Decimal("5179976.22"), None, None, "area", "m2")], id="sq-mi"),
    pytest.param("900 sq mtrs", [("900 sq mtrs", 900, None, None, "area", "m2")], id="sq-mtrs"),
    pytest.param("a 60K sq ft warehouse", [("60K sq ft", Decimal("5574.18"), None, None, "area", "m2")], id="capital-k-thousand-square-feet"),
    pytest.param("120K square feet", [("120K square feet", Decimal("11148.36"), None, None, "area", "m2")], id="capital-k-square-feet"),
    pytest.param("on half a hectare", [("half a hectare", 5000, None, None, "area", "m2")], id="half-a-hectare"),
    pytest.param("a quarter of a hectare", [("a quarter of a hectare", 2500, None, None, "area", "m2")], id="a-quarter-of-a-hectare"),
    pytest.param("three quarters of an acre", [("three quarters of an acre", Decimal("3035.14"), None, None, "area", "m2")], id="three-quarters-of-an-acre"),
    pytest.param("half a dozen", [("a dozen", 12, None, None, "number", None)], id="a-fraction-of-a-word-that-is-no-unit-is-not-read"),
    pytest.param("R$ 200 milhões", [("R$ 200 milhões", 200000000, None, None, "money", "BRL")], id="portuguese-millions"),
    pytest.param("R$ 1,5 bilhão", [("R$ 1,5 bilhão", 1500000000, None, None, "money", "BRL")], id="portuguese-billion"),
    pytest.param("USD 40 millones", [("USD 40 millones", 40000000, None, None, "money", "USD")], id="spanish-millions"),
    pytest.param("8.5 mlrd rubles", [("8.5 mlrd rubles", 8500000000, None, None, "money", "RUB")], id="mlrd"),
    pytest.param("EUR 1,2 Mrd.", [("EUR 1,2 Mrd.", 1200000000, None, None, "money", "EUR")], id="mrd"),
    pytest.param("a 2,50,000 sq ft block", [("2,50,000 sq ft", Decimal("23225.76"), None, None, "area", "m2")], id="indian-grouping-lakh"),
    pytest.param("1,50,00,000 tablets", [("1,50,00,000", 15000000, None, None, "number", None)], id="indian-grouping-crore"),
    pytest.param("Rs 1,20,000 crore", [("Rs 1,20,000 crore", 1200000000000, None, None, "money", "INR")], id="indian-grouping-before-crore"),
    pytest.param("sizes 1,20, 30", [("1,20", Decimal("1.20"), None, None, "number", None), ("30", 30, None, None, "number", None)],
                 id="groups-of-two-without-the-last-three-stay-a-decimal"),
    pytest.param("150 dönüm of land", [("150 dönüm", 150000, None, None, "area", "m2")], id="donum"),
    pytest.param("20 decares", [("20 decares", 20000, None, None, "area", "m2")], id="decares"),
    pytest.param("a TL 6 billion campus", [("TL 6 billion", 6000000000, None, None, "money", "TRY")], id="tl-before-the-figure"),
    pytest.param("TL 500 tablets", [], id="tl-without-a-scale-is-no-money"),
    pytest.param("1,5 mld euro", [("1,5 mld euro", 1500000000, None, None, "money", "EUR")], id="mld-billion"),
    pytest.param("R$200 mi for the line", [("R$200 mi", 200000000, None, None, "money", "BRL")], id="brazilian-mi-after-a-currency"),
    pytest.param("R$ 1,2 bi", [("R$ 1,2 bi", 1200000000, None, None, "money", "BRL")], id="brazilian-bi-after-a-currency"),
    pytest.param("5 mi from the port", [("5", 5, None, None, "number", None)], id="mi-without-a-currency-is-miles-not-millions"),
    pytest.param("4 1/2 billion dollars", [("4", 4, None, None, "number", None), ("1", 1, None, None, "number", None)], id="a-fraction-is-not-read-as-its-denominator"),
]


@pytest.mark.parametrize(("text", "expected"), REAL_TEXT_CASES)
def test_find_quantities_as_real_articles_write_them(text, expected):
    test_find_quantities(text, expected)


# (text, [(value, unit, conversion)])
CONTEXT_CASES = [
    pytest.param("3 billion Norwegian kroner, later 2 billion kroner", [(3000000000, "NOK", False), (2000000000, "NOK", False)], id="norwegian-then-bare"),
    pytest.param("8 billion Danish kroner, later 2 billion kroner", [(8000000000, "DKK", False), (2000000000, "DKK", False)], id="danish-then-bare"),
    pytest.param("2 billion kroner, then 8 billion Danish kroner", [(2000000000, "DKK", False), (8000000000, "DKK", False)], id="bare-before-the-full-name-takes-its-country"),
    pytest.param("2 billion kroner for the line", [(2000000000, "NOK", False)], id="bare-kroner-with-no-country-keeps-its-default"),
    pytest.param("40 million Hong Kong dollars and 5 million dollars", [(40000000, "HKD", False), (5000000, "HKD", False)], id="hong-kong-then-bare-dollars"),
    pytest.param("900 million Mexican pesos and 20 million pesos", [(900000000, "MXN", False), (20000000, "MXN", False)], id="pesos-named"),
    pytest.param("20 million pesos", [(20000000, None, False)], id="pesos-unnamed-has-no-country"),
    pytest.param("The Tokyo maker will spend ¥10 billion.", [(10000000000, "JPY", False)], id="yen-sign-in-a-text-about-japan"),
    pytest.param("The Beijing maker will spend ¥10 billion.", [(10000000000, "CNY", False)], id="yuan-sign-in-a-text-about-china"),
    pytest.param("A Japanese firm in China will spend ¥10 billion.", [(10000000000, "JPY", False)], id="the-country-named-first"),
    pytest.param("It will spend ¥10 billion.", [(10000000000, "CNY", False)], id="yuan-sign-by-default"),
    pytest.param("DKK 6.5 billion (€0.87 billion)", [(6500000000, "DKK", False), (870000000, "EUR", True)], id="conversion-in-brackets"),
    pytest.param("HK$170 million (about US$22 million)", [(170000000, "HKD", False), (22000000, "USD", True)], id="conversion-with-qualifier"),
    pytest.param("90,000 sq ft (8,361 sq m)", [(Decimal("8361.27"), "m2", False), (8361, "m2", True)], id="area-conversion"),
    pytest.param("$5 million (40 jobs)", [(5000000, "USD", False), (40, None, False)], id="other-kind-in-brackets-is-not-a-conversion"),
    pytest.param("$5 million, or about €4.5 million,", [(5000000, "USD", False), (4500000, "EUR", True)], id="or-another-currency"),
    pytest.param("HK$170m/US$22m", [(170000000, "HKD", False), (22000000, "USD", True)], id="slash-another-currency"),
    pytest.param("$5 million or $6 million", [(5000000, "USD", False), (6000000, "USD", False)], id="or-same-currency-is-an-alternative"),
    pytest.param("$5 million and (€4 million)", [(5000000, "USD", False), (4000000, "EUR", False)], id="words-between-is-not-a-conversion"),
    pytest.param("Ottawa gives C$40 million; the firm adds $25 million.", [(40000000, "CAD", False), (25000000, "CAD", False)], id="bare-dollar-in-a-canadian-dollar-text"),
    pytest.param("$3 million first, then A$12 million", [(3000000, "AUD", False), (12000000, "AUD", False)], id="bare-dollar-before-the-local-dollar"),
    pytest.param("C$40 million (US$30 million), then $2 million", [(40000000, "CAD", False), (30000000, "USD", True), (2000000, "USD", False)],
                 id="a-text-that-writes-the-us-dollar-keeps-the-bare-dollar-usd"),
    pytest.param("C$40 million ($30 million)", [(40000000, "CAD", False), (30000000, "USD", True)], id="a-bare-dollar-restating-a-local-one-is-usd"),
    pytest.param("C$40 million, S$5 million and $1 million", [(40000000, "CAD", False), (5000000, "SGD", False), (1000000, "USD", False)],
                 id="two-local-dollars-leave-the-bare-dollar-usd"),
    pytest.param("The Monterrey plant in Mexico will cost 900 million pesos.", [(900000000, "MXN", False)], id="bare-pesos-in-a-text-about-mexico"),
    pytest.param("Velmar of Karachi will spend Rs 3 billion.", [(3000000000, "PKR", False)], id="rs-in-a-text-about-pakistan"),
    pytest.param("Velmar will spend Rs 300 crore in Pune.", [(3000000000, "INR", False)], id="rs-in-a-text-about-india"),
    pytest.param("Velmar will spend Rs 300 crore.", [(3000000000, "INR", False)], id="rs-by-default"),
    pytest.param("An Indian firm in Colombo will spend Rs 2 billion.", [(2000000000, "INR", False)], id="rs-of-the-country-named-first"),
    pytest.param("The Kampala unit will cost Sh40 billion.", [(40000000000, "UGX", False)], id="shillings-sign-in-a-text-about-uganda"),
    pytest.param("The plant in Douala, Cameroon, will cost 12 billion CFA francs.", [(12000000000, "XAF", False)], id="cfa-francs-of-central-africa"),
    pytest.param("The plant in Dakar will cost 12 billion CFA francs.", [(12000000000, "XOF", False)], id="cfa-francs-of-west-africa"),
    pytest.param("The Casablanca line will cost Dh300 million.", [(300000000, "MAD", False)], id="dirham-sign-in-a-text-about-morocco"),
    pytest.param("The Algiers plant will cost 4 billion dinars.", [(4000000000, "DZD", False)], id="dinars-in-a-text-about-algeria"),
    pytest.param("The Prague plant will cost 900 million crowns.", [(900000000, "CZK", False)], id="crowns-in-a-text-about-prague"),
    pytest.param("The plant near Minsk, Belarus, will cost 2 billion rubles.", [(2000000000, "RUB", False)], id="rubles-are-no-shared-name"),
    pytest.param("The Ontario plant in Canada will cost $90 million.", [(90000000, "USD", False)], id="dollars-are-no-shared-name"),
    pytest.param("Velmar will spend 2 billion Norwegian kroner in Denmark, then 1 billion kroner.", [(2000000000, "NOK", False), (1000000000, "NOK", False)],
                 id="a-full-name-before-outweighs-the-country"),
]


@pytest.mark.parametrize(("text", "expected"), CONTEXT_CASES)
def test_quantities_in_context(text, expected):
    got = [(q.value.quantize(Decimal("0.01")), q.unit, q.conversion) for q in find_quantities(text)]
    assert got == expected


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_find_quantities(text, expected):
    got = find_quantities(text)
    assert [(q.text, q.value.quantize(Decimal("0.01")), q.value_max, q.qualifier, q.kind, q.unit) for q in got] == expected
    for q in got:
        assert text[q.start : q.end] == q.text


def _at_every_position(text: str) -> list:
    """What one pass of the pattern from every position finds (find_quantities tries fewer)."""
    return in_context([q for m in QUANTITY_RE.finditer(text) if (q := _from_match(m, text)) is not None], text)


@pytest.mark.parametrize("path", sorted((Path(__file__).parent.parent / "fixtures").glob("*.txt")), ids=lambda p: p.name)
def test_trying_only_where_a_quantity_can_begin_changes_nothing_on_the_fixtures(path):
    text = path.read_text(encoding="utf-8")
    assert find_quantities(text) == _at_every_position(text)


_PIECES = st.sampled_from([
    " ", "-", ",", ".", "(", "5", "12", "1,200", "2.5", "US$", "$", "€", "₽", "RUB", "EUR", "Rs.", "~", "+", "%",
    "about", "approx.", "more than", "up to", "at least", "no fewer than", "nearly", "between", "from", "and", "to",
    "a", "an", "half a", "a dozen", "twenty", "twenty-one", "three", "million", "billion", "bn", "mln", "thousand",
    "hectares", "ha", "sq m", "square metres", "m2", "rubles", "euros", "dollars", "jobs", "A", "AUS", "therefrom",
    "R", "N", "AED", "HK$", "lakh", "crore", "kroner", "Danish kroner", "Billion", "M", "m^2", "sf", "Euro", "won",
    "quarter", "quarters", "of", "half", "dozen", "Cr", "CR", "000", ".000",
    "Square Foot", "HECTARES", "HA", "Ha", "SF", "M2", "sq mi", "Kazakhstani", "tenge", "Brazilian", "real", "pesos", "Mexico", "Rs", "Karachi", "SR", "Sh", "pounds", "API", "/", "CFA francs", "FCFA",
])


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=25).map("".join))
def test_trying_only_where_a_quantity_can_begin_changes_nothing(text):
    assert find_quantities(text) == _at_every_position(text)


@pytest.mark.parametrize("text", [
    "Nordvita will invest " + "9" * 5000 + " rubles.",
    "Nordvita will invest " + "9" * 400 + " billion rubles.",
    "Velmar will employ 11 000 000 000 000 000 000 000 000 000 000 000 000 000 people.",
    "between 5 and " + "7" * 30 + " hectares",
], ids=["5000-digit amount", "400-digit amount", "1.1e49 people", "range bound"])
def test_an_implausibly_large_figure_is_no_quantity(text):
    assert [q for q in find_quantities(text) if q.value >= 1000] == []


def test_the_largest_plausible_figure_is_kept():
    [q] = find_quantities("a programme of 999,999,999,999,999,999 rubles")
    assert q.value == Decimal(10) ** 18 - 1


def test_the_lookup_tables_are_built_from_an_invented_units_table():
    """values.quantities._tables makes data/units.json's look-up tables: keys in one form (spaces and
    hyphens as one space, lower case), area units with and without their dots, full currency names
    from adjectives and names, the bare name each gives its country to, and, for a name or symbol
    several currencies share, the words (as written and in capitals) that name each one's country."""
    from pharmafacts.values.quantities import _tables

    units = {
        "area_units": {"Sq. Ft": 0.09, "ha": 10000},
        "multipliers": {"Mln.": 1000000},
        "currency_multipliers": {"cr.": 10000000},
        "qualifiers": {"over": ["More  than"]},
        "qualifier_suffixes": {"over": ["or-more"]},
        "currency_suffixes": {"florins": None, "Zembla dinars": "ZMD"},
        "symbol_countries": {"F": {"RUF": ["Ruritania"]}},
        "currency_countries": {
            "RUF": {"adjectives": ["Ruritanian"], "countries": ["Strelsau"], "names": ["florins"], "shared": ["florins", "F"]},
            "GRF": {"adjectives": ["Graustarkian"], "countries": [], "names": ["florins"], "shared": ["florins"]},
        },
    }
    t = _tables(units)
    assert t.area == {"sq. ft": 0.09, "ha": 10000, "sq ft": 0.09}
    assert (t.multipliers, t.qualifiers, t.qualifier_suffixes) == ({"mln": 1000000, "cr": 10000000}, {"more than": "over"}, {"or more": "over"})
    assert t.full_names == {"ruritanian florins": "RUF", "graustarkian florins": "GRF", "zembla dinars": "ZMD"}
    assert t.named_currencies == {"ruritanian florins": ("florins", "RUF"), "graustarkian florins": ("florins", "GRF")}
    assert t.shared == {"f": {"RUF": ["Ruritanian", "Strelsau"]},
                        "florins": {"RUF": ["Ruritanian", "Strelsau"], "GRF": ["Graustarkian"]}}
    assert t.country_codes == {"Ruritanian": {"RUF"}, "RURITANIAN": {"RUF"}, "Strelsau": {"RUF"}, "STRELSAU": {"RUF"},
                               "Graustarkian": {"GRF"}, "GRAUSTARKIAN": {"GRF"}}
