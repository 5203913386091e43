"""Tests for pharmafacts.values.dates (pure date finder / normaliser)."""
from __future__ import annotations

import re
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pharmafacts.values import dates as dates_module
from pharmafacts.values.dates import DateMention, find_dates

A = 2025  # anchor year used by most cases

# (text, anchor_year, expected) where expected is a list of
# (mention text, value, value_end, relative) in text order; [] means "no mention".
CASES = [
    # --- full dates ---
    pytest.param("Approved on October 7, 2025 by the FDA.", A,
                 [("October 7, 2025", "2025-10-07", None, False)], id="full-month-day-year"),
    pytest.param("Signed 7 October 2025 in Moscow.", None,
                 [("7 October 2025", "2025-10-07", None, False)], id="full-day-month-year"),
    pytest.param("Filed Oct. 7, 2025.", None,
                 [("Oct. 7, 2025", "2025-10-07", None, False)], id="full-abbrev-month"),
    pytest.param("Published 2025-10-07.", None,
                 [("2025-10-07", "2025-10-07", None, False)], id="full-iso"),
    pytest.param("Registered 07.10.2025 by Roszdravnadzor.", None,
                 [("07.10.2025", "2025-10-07", None, False)], id="full-european-dotted"),
    pytest.param("Since October 7th, 2025 sales grew.", None,
                 [("October 7th, 2025", "2025-10-07", None, False)], id="full-ordinal-with-year"),
    pytest.param("On the 7th of October 2025 it opened.", None,
                 [("7th of October 2025", "2025-10-07", None, False)], id="full-day-of-month-year"),
    pytest.param("ON OCTOBER 7, 2025 THE PLANT OPENED", None,
                 [("OCTOBER 7, 2025", "2025-10-07", None, False)], id="full-upper-case"),
    pytest.param("It was due February 30, 2025.", None,
                 [("February", "XXXX-02", None, False), ("2025", "2025", None, False)],
                 id="full-invalid-day-degrades"),
    # --- day + month without a year ---
    pytest.param("On October 7 the plant opened.", A,
                 [("October 7", "2025-10-07", None, True)], id="daymonth-anchor"),
    pytest.param("On October 7 the plant opened.", None,
                 [("October 7", "XXXX-10-07", None, False)], id="daymonth-no-anchor"),
    pytest.param("Launched 7 October.", A,
                 [("7 October", "2025-10-07", None, True)], id="daymonth-day-first"),
    pytest.param("Expected by October 7th.", None,
                 [("October 7th", "XXXX-10-07", None, False)], id="daymonth-ordinal"),
    pytest.param("The congress runs October 7-9, 2025.", None,
                 [("October 7-9, 2025", "2025-10-07", "2025-10-09", False)], id="daymonth-day-range"),
    # --- month + year / bare month ---
    pytest.param("Revenue rose in March 2023.", None,
                 [("March 2023", "2023-03", None, False)], id="monthyear-plain"),
    pytest.param("Revenue rose in March of 2023.", None,
                 [("March of 2023", "2023-03", None, False)], id="monthyear-of"),
    pytest.param("It was registered in May of this year.", A,
                 [("May of this year", "2025-05", None, True)], id="monthyear-this-year-anchor"),
    pytest.param("It was registered in May of this year.", None,
                 [("May of this year", "XXXX-05", None, True)], id="monthyear-this-year-no-anchor"),
    pytest.param("Sales fell in October last year.", A,
                 [("October last year", "2024-10", None, True)], id="monthyear-last-year"),
    pytest.param("In October, the company said.", A,
                 [("October", "2025-10", None, True)], id="bare-month-anchor"),
    pytest.param("In October, the company said.", None,
                 [("October", "XXXX-10", None, False)], id="bare-month-no-anchor"),
    pytest.param("The deal closed in May.", A,
                 [("May", "2025-05", None, True)], id="bare-may-after-preposition"),
    pytest.param("May I ask? Theresa May may march on.", A, [], id="neg-may-march-not-months"),
    # --- bare years ---
    pytest.param("Output doubled in 2022.", None, [("2022", "2022", None, False)], id="year-in"),
    pytest.param("To be built by 2024, operating since 2007.", None,
                 [("2024", "2024", None, False), ("2007", "2007", None, False)], id="year-by-since"),
    pytest.param("Production will start in mid-2025.", None,
                 [("mid-2025", "2025", None, False)], id="year-mid-prefix"),
    pytest.param("By the end of 2026 the plant opens.", None,
                 [("2026", "2026", None, False)], id="year-end-of-explicit"),
    pytest.param("Output in the first quarter of 2026 grew.", None,
                 [("2026", "2026", None, False)], id="year-quarter"),
    pytest.param("Filling starts in 3Q25.", None, [("3Q25", "2025", None, False)], id="quarter-code-before-a-short-year"),
    pytest.param("Filling starts in Q3'25.", None, [("Q3'25", "2025", None, False)], id="quarter-code-apostrophe-year"),
    pytest.param("The hall opens in 1H26.", None, [("1H26", "2026", None, False)], id="half-code-before-a-short-year"),
    pytest.param("The hall opens in Q2 FY27.", None, [("Q2 FY27", "2027", None, False)], id="quarter-of-a-fiscal-year"),
    pytest.param("The Q3 results and an H1N1 vaccine.", None, [], id="quarter-code-without-a-year-is-no-date"),
    pytest.param("The Pharma-2030 strategy was adopted.", None, [], id="neg-hyphen-glued-programme"),
    pytest.param("Results for Pharma2025 and the 2019-nCoV outbreak.", None, [], id="neg-glued-to-word"),
    pytest.param("Output starts in FY2027.", None, [("FY2027", "2027", None, False)], id="fiscal-year"),
    pytest.param("Output starts in FY 2027.", None, [("FY 2027", "2027", None, False)], id="fiscal-year-spaced"),
    pytest.param("Output starts in FY29.", None, [("FY29", "2029", None, False)], id="fiscal-year-two-digits"),
    pytest.param("The FY28 budget and the FY2027-28 plan.", None, [], id="neg-fiscal-year-in-a-name-or-a-span"),
    pytest.param("GFY2027 and FY270 units.", None, [], id="neg-fiscal-year-glued"),
    pytest.param("It sold 2,025 packs.", None, [], id="neg-thousands-separator"),
    pytest.param("A site of 2025 square meters.", None, [], id="neg-square-meters"),
    pytest.param("It created 2000 jobs for 1900 employees.", None, [], id="neg-count-nouns"),
    pytest.param("Capex of 2025 million rubles.", None, [], id="neg-million"),
    pytest.param("Order No. 2027 on route 2024.", None, [], id="neg-number-and-route"),
    pytest.param("Sales rose 3.4-fold, or by 2030-fold, up 2025%.", None, [], id="neg-fold-percent"),
    pytest.param("Over the past 12 years, 8 years, four years.", A, [], id="neg-durations"),
    pytest.param("The meeting is at 10:30, the patient is 45.", A, [], id="neg-times-ages"),
    pytest.param("In the last year sales doubled.", A, [], id="neg-the-last-year-duration"),
    pytest.param("Priced at 3099 rubles, code 20255.", None, [], id="neg-out-of-range-and-5-digits"),
    # --- year ranges ---
    pytest.param("In 2022–2023 output grew.", None,
                 [("2022–2023", "2022", "2023", False)], id="range-en-dash"),
    pytest.param("The 2022-2023 programme.", None,
                 [("2022-2023", "2022", "2023", False)], id="range-hyphen"),
    pytest.param("The 2022-23 season.", None,
                 [("2022-23", "2022", "2023", False)], id="range-two-digit-end"),
    pytest.param("It grew from 2020 to 2024.", None,
                 [("from 2020 to 2024", "2020", "2024", False)], id="range-from-to"),
    pytest.param("Trials ran between 2019 and 2021.", None,
                 [("between 2019 and 2021", "2019", "2021", False)], id="range-between-and"),
    pytest.param("Compare 2020 to 2024.", None,
                 [("2020", "2020", None, False), ("2024", "2024", None, False)],
                 id="range-to-without-from-is-two-years"),
    pytest.param("The 2024-2020 typo.", None,
                 [("2024", "2024", None, False), ("2020", "2020", None, False)],
                 id="range-reversed-is-two-years"),
    pytest.param("Sales for February to June 2025 rose.", None,
                 [("February to June 2025", "2025-02", "2025-06", False)], id="range-months-year"),
    pytest.param("Sales from February to July of this year rose.", A,
                 [("from February to July of this year", "2025-02", "2025-07", True)],
                 id="range-months-this-year"),
    pytest.param("From December 2024 to March 2025 it ran.", None,
                 [("From December 2024 to March 2025", "2024-12", "2025-03", False)],
                 id="range-months-across-years"),
    pytest.param("In January and August 2025 it shipped.", None,
                 [("January", "XXXX-01", None, False), ("August 2025", "2025-08", None, False)],
                 id="range-and-without-between-is-a-list"),
    # --- relative years ---
    pytest.param("Sales will grow this year.", A, [("this year", "2025", None, True)], id="rel-this-year"),
    pytest.param("Sales will grow this year.", None, [("this year", None, None, True)],
                 id="rel-this-year-no-anchor"),
    pytest.param("In the current year we invest.", A,
                 [("the current year", "2025", None, True)], id="rel-current-year"),
    pytest.param("Next year it launches; last year it filed.", A,
                 [("Next year", "2026", None, True), ("last year", "2024", None, True)],
                 id="rel-next-last"),
    pytest.param("It opens by the end of the year.", A,
                 [("the end of the year", "2025", None, True)], id="rel-end-of-the-year"),
    pytest.param("It opens at the end of this year.", A,
                 [("the end of this year", "2025", None, True)], id="rel-end-of-this-year"),
    pytest.param("Filed early this year, approval later this year.", A,
                 [("early this year", "2025", None, True), ("later this year", "2025", None, True)],
                 id="rel-early-later"),
    pytest.param("Growth in the coming year.", A,
                 [("the coming year", "2026", None, True)], id="rel-coming-year"),
    # --- that same month ---
    pytest.param("In October, the plant opened. That same month, it hired staff.", A,
                 [("October", "2025-10", None, True), ("That same month", "2025-10", None, True)],
                 id="same-month-anchor"),
    pytest.param("Filed on March 3, 2024; approved the same month.", None,
                 [("March 3, 2024", "2024-03-03", None, False),
                  ("the same month", "2024-03", None, True)], id="same-month-from-full-date"),
    pytest.param("In 2024 it grew; that month was good.", A,
                 [("2024", "2024", None, False), ("that month", None, None, True)],
                 id="same-month-without-month"),
]


# (text, the text's own date, expected) -- a weekday is placed against the text's date (here a Friday)
FRIDAY = "2025-02-14"
WEEKDAY_CASES = [
    pytest.param("Nordvita broke ground on Tuesday.", FRIDAY, [("Tuesday", "2025-02-11", None, True)], id="weekday-before-the-dateline"),
    pytest.param("On Friday Velmar opened the plant.", FRIDAY, [("Friday", "2025-02-14", None, True)], id="weekday-of-the-dateline"),
    pytest.param("It opened last Friday.", FRIDAY, [("last Friday", "2025-02-07", None, True)], id="last-weekday"),
    pytest.param("It opens next Tuesday.", FRIDAY, [("next Tuesday", "2025-02-18", None, True)], id="next-weekday"),
    pytest.param("It opens this Friday.", FRIDAY, [("this Friday", "2025-02-14", None, True)], id="this-weekday"),
    pytest.param("Nordvita broke ground on Tuesday.", None, [("Tuesday", None, None, True)], id="weekday-without-a-dateline"),
    pytest.param("Today Nordvita broke ground; yesterday it signed the lease.", FRIDAY,
                 [("Today", "2025-02-14", None, True), ("yesterday", "2025-02-13", None, True)], id="today-and-yesterday-against-the-dateline"),
    pytest.param("Today Nordvita broke ground.", None, [("Today", None, None, True)], id="today-without-a-dateline"),
    pytest.param("Nordvita's todays are busy.", FRIDAY, [], id="today-inside-a-longer-word-is-no-date"),
    pytest.param("Nordvita broke ground on Tuesday.", "2025-02", [("Tuesday", None, None, True)], id="weekday-against-a-month-only"),
    pytest.param("On Tuesday, March 3, it opened.", FRIDAY, [("Tuesday", "2025-02-11", None, True), ("March 3", "2025-03-03", None, True)], id="weekday-beside-a-date"),
    # "the end of 2027", "the second quarter of 2026", "H1 2026", "early 2025": the year, as the guideline's ISO prefixes say
    pytest.param("Production starts by the end of 2027.", FRIDAY, [("2027", "2027", None, False)], id="end-of-year"),
    pytest.param("Production starts in the second quarter of 2026.", FRIDAY, [("2026", "2026", None, False)], id="quarter-is-its-year"),
    pytest.param("Production starts in H1 2026.", FRIDAY, [("H1 2026", "2026", None, False)], id="half-year-is-its-year"),
    pytest.param("Production starts in early 2025.", FRIDAY, [("2025", "2025", None, False)], id="early-year"),
    # a year in a name is no date
    pytest.param("Funds come under the Horizon Industry (HIP) 2030 plan.", None, [], id="name-year-plan"),
    pytest.param("The Vision 2030 goals were set.", None, [], id="vision-year"),
    pytest.param("The 2024 budget was approved.", None, [], id="year-budget"),
]


@pytest.mark.parametrize("text, anchor_date, expected", WEEKDAY_CASES)
def test_find_dates_against_the_texts_own_date(text, anchor_date, expected):
    got = find_dates(text, anchor_date=anchor_date)
    assert [(m.text, m.value, m.value_end, m.relative) for m in got] == expected


@pytest.mark.parametrize("text, anchor, expected", CASES)
def test_find_dates_table(text, anchor, expected):
    got = find_dates(text, anchor_year=anchor)
    assert [(m.text, m.value, m.value_end, m.relative) for m in got] == expected
    for m in got:
        assert text[m.start:m.end] == m.text


def test_offsets_and_order_in_long_text():
    text = ("On October 7, 2025 the company (founded in 1998) said that from 2020 to 2024 "
            "it invested 2,025 million rubles; this year it expects 3.5-fold growth. "
            "That same month it hired 2000 employees.")
    got = find_dates(text, anchor_year=2025)
    assert [m.text for m in got] == ["October 7, 2025", "1998", "from 2020 to 2024",
                                     "this year", "That same month"]
    assert got[-1].value == "2025-10"
    for prev, cur in zip(got, got[1:]):
        assert prev.end <= cur.start


def test_mention_is_frozen_dataclass():
    m = DateMention(0, 4, "2025", "2025", False)
    assert m.value_end is None
    with pytest.raises(AttributeError):
        m.start = 1  # type: ignore[misc]


def test_non_str_and_odd_anchor_do_not_raise():
    assert find_dates(None) == []  # type: ignore[arg-type]
    assert find_dates("this year", anchor_year=True)[0].value is None  # type: ignore[arg-type]
    assert find_dates("February 28", anchor_year=-5)[0].text == "February 28"
    assert find_dates("February 29", anchor_year=2023)[0].text == "February"  # not a leap year
    assert find_dates("February 29", anchor_year=2024)[0].value == "2024-02-29"
    assert find_dates("next year", anchor_year=10**12)[0].value == str(10**12 + 1)


def test_large_input_every_repeat_found():
    chunk = "In October 2025, 2000 jobs. May 2024 - " + " " * 50 + "1" * 40 + " "
    text = chunk * 5000  # ~0.5 MB; speed is measured in benchmarks/, never asserted here
    got = find_dates(text, anchor_year=2025)
    assert [m.value for m in got[:2]] == ["2025-10", "2024-05"]
    assert len(got) == 10000


_ALPHABET = st.sampled_from(list("0123456789 .,-–/%#$No") + [
    "October", "Oct.", "May", "March", " of ", " this year", "20", "19", "2025", "07.10.",
    "from ", "between ", " and ", " to ", "th", "that same month", "end of the ", "mid-",
    "\n", "\u00a0", "é", "\U0001F600",
])


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.lists(_ALPHABET, max_size=40).map("".join)),
       st.one_of(st.none(), st.integers(min_value=-10**6, max_value=10**6)))
def test_property_total_and_offsets(text, anchor):
    got = find_dates(text, anchor_year=anchor)
    end = 0
    for m in got:
        assert text[m.start:m.end] == m.text
        assert m.start >= end and m.end > m.start
        end = m.end


def _at_every_word(text: str, anchor: int | None) -> list[DateMention]:
    """find_dates with the pattern tried at every run of letters or digits, not only where a
    date can begin."""
    every_run = lambda t, words: (m.start() for m in re.finditer(r"[^\W\d_]+|\d+", t))  # noqa: E731
    with mock.patch.object(dates_module, "starts", every_run):
        return find_dates(text, anchor)


_FIXTURES = sorted((Path(__file__).parent.parent / "fixtures").glob("*.txt"))
_DATE_WORDS = st.sampled_from([
    " ", ", ", "-", ".", "\n", "2024", "2025", "12", "7th", "07.10.2025", "2025-10-07", "Sept.", "SEPTEMBER", "Jan",
    "July", "May", "in", "by", "of", "the", "The", "that", "same", "month", "this", "This", "next", "last", "current",
    "coming", "year", "early", "earlier", "late", "later", "mid", "mid-", "end", "beginning", "start", "middle",
    "rest", "remainder", "first", "second", "half", "from", "From", "between", "and", "to", "until", "jobs", "No.",
])


@pytest.mark.parametrize("path", _FIXTURES, ids=lambda p: p.name)
def test_only_trying_where_a_date_can_begin_changes_nothing_on_the_fixtures(path):
    text = path.read_text(encoding="utf-8")
    for anchor in (None, 2025):
        assert find_dates(text, anchor) == _at_every_word(text, anchor)


@settings(max_examples=400, deadline=None)
@given(st.lists(_DATE_WORDS, max_size=30).map("".join), st.sampled_from([None, 2024]))
def test_only_trying_where_a_date_can_begin_changes_nothing(text, anchor):
    assert find_dates(text, anchor) == _at_every_word(text, anchor)


def _shared_scan(text: str) -> tuple[list[int], list[int]]:
    from pharmafacts.values import quantities
    from pharmafacts.values._scan import starts, starts_of

    got = starts_of(text, (quantities.FIRST_WORDS, dates_module.FIRST_WORDS))
    assert got == (list(starts(text, quantities.FIRST_WORDS)), list(starts(text, dates_module.FIRST_WORDS)))
    return got


@pytest.mark.parametrize("path", _FIXTURES, ids=lambda p: p.name)
def test_one_scan_for_dates_and_quantities_and_dates_read_twice_from_what_was_tried(path):
    """The places found once for both finders, and a second reading with the text's own date that
    reuses what the pattern matched, give what separate scans give."""
    text = path.read_text(encoding="utf-8")
    _, at = _shared_scan(text)
    tried: dict = {}
    assert find_dates(text, at=at, tried=tried) == find_dates(text)
    assert tried
    assert find_dates(text, 2024, "2024-03-15", at=at, tried=tried) == find_dates(text, 2024, "2024-03-15")


@settings(max_examples=300, deadline=None)
@given(st.lists(_DATE_WORDS | st.sampled_from(["²", "½", "$", "€", "Rs", "twenty", "a", "İn"]), max_size=30).map("".join),
       st.sampled_from([None, 2023, 2024]))
def test_shared_scan_and_kept_matches_change_nothing(text, anchor):
    _, at = _shared_scan(text)
    tried: dict = {}
    find_dates(text, at=at, tried=tried)  # read once without an anchor, as extract.dates.find does
    assert find_dates(text, anchor, at=at, tried=tried) == find_dates(text, anchor)


def test_kept_matches_are_resolved_again_with_the_new_anchor():
    """What is kept is the pattern's match, not the date: "February 29" is a day in 2024 (and with
    no year), only "February" in 2023."""
    tried: dict = {}
    assert [m.text for m in find_dates("February 29", at=[0], tried=tried)] == ["February 29"]
    assert [m.text for m in find_dates("February 29", 2023, at=[0, 9], tried=tried)] == ["February"]
