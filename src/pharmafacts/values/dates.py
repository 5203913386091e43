"""Pure date finder / normaliser for English pharmaceutical-news text (stdlib only).

``find_dates(text, anchor_year, anchor_date)`` returns non-overlapping :class:`DateMention` objects in text
order.  ``value`` is a TIMEX3-style ISO prefix ("2025-10-07", "2025-10", "2025", "XXXX-10-07",
"XXXX-10") or None; ``value_end`` is the second end of a range.

Rules
-----
* Full dates: "October 7, 2025", "Oct. 7, 2025", "October 7th, 2025", "7 October 2025",
  "the 7th of October 2025", ISO "2025-10-07", European "07.10.2025" (day.month.year).
  Impossible days ("February 30") are not dates.
* Day + month without a year ("October 7", "7 October"): completed with ``anchor_year``
  (relative=True) or "XXXX-10-07".  Day ranges "October 7-9, 2025" fill ``value_end``.
* Month + year: "March 2023", "March of 2023"; "March of this year" / "October last year"
  use the anchor (relative=True; "XXXX-03" without one).  A bare full month name ("in
  October") gives the anchor year or "XXXX-10"; bare "May" only after a preposition ("in
  May").  Month names must be Capitalised or UPPER CASE ("may", "march" are verbs).
* A quarter or a half written as a code, "Q3 2025", "3Q25", "Q3'25", "Q3 FY26", "H1 2026", "1H26":
  its year, as "the third quarter of 2025" and "the first half of 2026" are (the guideline's ISO
  prefixes).
* Bare years 1900-2099 as standalone tokens; "mid-2025"/"early-2025" -> "2025"; a fiscal year
  "FY2026", "FY 2026", "FY26" -> "2026" (not "FY2025-26", "FY26%").  Skipped:
  glued to a word or hyphen-glued ("Pharma2025", "Pharma-2030", "2019-nCoV", "2030-fold"),
  followed by a digit, "%" or decimal part, after "No."/"#"/"route"/..., after "$"/"€", or
  followed by a unit or count noun ("2000 jobs", "2025 square meters", "2025 million").
* Ranges, one mention (value = first end, value_end = second end): "2022-2023", "2022–23",
  "2022/2023", "from 2020 to 2024", "between 2019 and 2021", "February to June 2025",
  "from February to July of this year", "December 2024 - March 2025".  Word-joined year
  ranges need "from"/"between"; a range whose ends are out of order is not a range.
* Relative years (relative=True; value None without ``anchor_year``): "this year",
  "the current year", "next year", "the coming year", "last year" (not "the last year",
  a duration), "early/earlier/late/later/mid this year", "the end/beginning/middle/rest of
  the year" (or "of next year" ...).  "the end of 2026" is just the year "2026".
* "that same month" / "the same month" / "that month": the month of the latest month-level
  value earlier in the text (a range's end counts), else None; relative=True.
* "today", "yesterday" (relative=True): the text's own full date (``anchor_date``) or the day
  before it; None without one.
* Weekdays ("on Tuesday", "last Friday", "next Monday"; relative=True): placed against
  ``anchor_date``, the text's own full date: a bare weekday is the latest such day on or before
  it (news tells of the days just past), "last" the one before, "next"/"this" the coming one;
  None without a full anchor date.
* A year in a name ("the (HIP) 2030 plan", "Vision 2030", "the 2024 budget") is no date.
* Not produced: times of day, durations ("10 years"), ages, percentages, "3.4-fold", "2,025".

Total (never raises on a str) and linear: one compiled regex tried, left to right, at each
word that can begin a date (a digit, a month, a word such as "from" or "the"); every
alternative has bounded length; a rejected candidate is retried once with the remaining
alternatives anchored at the same offset, then the scan moves on to the next word.
"""
from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from ._scan import first_words, starts

__all__ = ["WEEKDAYS", "DateMention", "find_dates"]

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_ABBRS = ("Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sept", "Sep", "Oct", "Nov", "Dec")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_WEEKDAYS = WEEKDAYS
_MONTH_NO = {name[:3].lower(): i for i, name in enumerate(_MONTHS, 1)}
_UNITS = ("sq", "square", "m2", "m²", "km", "kg", "ha", "hectares?", "jobs?", "employees?",
          "people", "persons?", "workers?", "workplaces?", "units?", "packages?", "packs?",
          "vials?", "doses?", "tablets?", "ampoules?", "tonnes?", "tons?", "lit(?:er|re)s?",
          "r(?:o)?ubles?", "rub", "dollars?", "usd", "euros?", "eur", "million", "thousand",
          "billion", "mln", "bn", "years", "hours", "hrs")


def _words(names: tuple[str, ...]) -> str:
    return "|".join(w for n in names for w in (n, n.upper()))


_S, _O = r"\s{1,3}", r"\s{0,3}"                    # bounded whitespace keeps matches short
_Y = r"(?:19|20)\d\d(?!\d)"
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?!\w|[.,]\d)"
_FULL = rf"(?<![A-Za-z])(?:{_words(_MONTHS)})(?![A-Za-z])"
_MON = rf"(?<![A-Za-z])(?:{_words(_MONTHS)}|(?:{_words(_ABBRS)})\.?)(?![A-Za-z])"
_RELY = (rf"(?i:(?:(?<!the\s)(?:this|next|last)|(?:the{_S})?current|the{_S}coming)"
         rf"{_S}year(?!\w))")
_YEND = r"(?![\w%]|[.,]\d)"

_ALTS = (
    ("iso", rf"(?<![\w./-])(?P<iso_y>{_Y})-(?P<iso_m>0[1-9]|1[0-2])"
            rf"-(?P<iso_d>0[1-9]|[12]\d|3[01])(?!\d|-\d)"),
    ("euro", rf"(?<![\w.])(?P<eu_d>0?[1-9]|[12]\d|3[01])\.(?P<eu_m>0?[1-9]|1[0-2])"
             rf"\.(?P<eu_y>{_Y})(?!\.\d)"),
    ("yrange", rf"(?:(?P<yr_p>(?i:from|between)){_S})?(?<![\w$€£¥#№])(?P<yr_a>{_Y}){_O}"
               rf"(?P<yr_sep>(?i:to|through|till|until|and)|[-–—/]){_O}"
               rf"(?P<yr_b>(?:19|20)?\d\d){_YEND}"),
    ("mrange", rf"(?:(?P<mr_p>(?i:from|between)){_S})?(?P<mr_a>{_MON})(?:,?{_S}(?P<mr_ya>{_Y}))?"
               rf"{_O}(?P<mr_sep>to|through|till|until|and|[-–—]){_O}(?P<mr_b>{_MON})"
               rf"(?:,?{_S}(?:of{_S})?(?:(?P<mr_yb>{_Y})|(?P<mr_r>{_RELY})))?"),
    ("mdy", rf"(?P<mdy_m>{_MON}){_S}(?P<mdy_d>{_DAY})(?:{_O}[-–—]{_O}(?P<mdy_d2>{_DAY}))?"
            rf"(?:,?{_S}(?P<mdy_y>{_Y}))?"),
    ("dmy", rf"(?<![\w.,$€£#])(?P<dmy_d>{_DAY}){_S}(?:of{_S})?(?P<dmy_m>{_MON})"
            rf"(?:,?{_S}(?P<dmy_y>{_Y}))?"),
    ("my", rf"(?P<my_m>{_MON}),?{_S}(?:of{_S})?(?:(?P<my_y>{_Y}){_YEND}|(?P<my_r>{_RELY}))"),
    ("qcode", rf"(?<![\w-])(?:[1-4]Q|Q[1-4]|[12]H|H[12])(?:{_O}['’]|{_O}[-/]{_O}|{_S}(?:of{_S})?)?"
              rf"(?:FY{_O})?(?P<qc_y>{_Y}|\d\d(?!\d))(?![\w%]|[.,]\d|[-–/]\d)"),
    ("relend", rf"(?<![\w-])(?i:(?:the{_S})?(?:end|beginning|start|middle|rest|remainder"
               rf"|first{_S}half|second{_S}half){_S}of{_S}(?:the{_S}year(?!\w)|{_RELY}))"),
    ("rel", rf"(?<![\w-])(?i:(?:(?:early|earlier|late|later|mid){_S}|mid-)?{_RELY})"),
    ("same", rf"(?<![\w-])(?i:(?:that|the){_S}same{_S}month|that{_S}month)(?!\w)"),
    ("midyr", rf"(?<![A-Za-z])(?i:mid|early|late|end)-(?P<mid_y>{_Y})(?!\w)"),
    ("fy", rf"(?<![A-Za-z])FY{_O}['’]?(?P<fy_y>{_Y}|\d\d(?!\d))(?![\w%]|[.,]\d|[-–/]\d)"),
    ("year", rf"(?<![\w$€£¥#№/])(?P<yr>{_Y})(?!\w)"),
    ("wday", rf"(?<![A-Za-z])(?:(?P<wd_rel>(?i:next|last|this)){_S})?(?P<wd>{_words(_WEEKDAYS)})(?![A-Za-z])"),
    ("today", r"(?<![A-Za-z])(?P<td>(?i:today|yesterday))(?![A-Za-z])"),
    ("month", rf"(?P<mo_m>{_FULL})"),
)
_RX = re.compile("|".join(f"(?P<{k}>{p})" for k, p in _ALTS))
_ORDER = {k: i for i, (k, _) in enumerate(_ALTS)}


@cache
def _single(i: int) -> tuple[str, re.Pattern[str]]:
    """The ``i``-th alternative alone, compiled at first use (most runs need few of them)."""
    k, p = _ALTS[i]
    return k, re.compile(f"(?P<{k}>{p})")


_PRE_BLOCK = re.compile(
    r"(?:\d[.,]|[A-Za-z]-|[#№]\s{0,2}|(?<![A-Za-z])(?:no|nr|num|number|route|room|floor|"
    r"page|pp?|art|article|clause|section|version|v|model|code|item|unit|building|highway)"
    r"\.?\s{1,2})$", re.I)
_POST_BLOCK = re.compile(
    rf"\s{{0,2}}(?:%|per\s?cent\b)|-[A-Za-z]|[.,]\d|\s{{1,3}}(?:{'|'.join(_UNITS)})(?!\w)", re.I)
# A year in the name of a programme or a document: "the (HIP) 2030 plan", "Vision 2030", "Strategy 2030"
_NAME_AFTER = re.compile(r"\s{1,3}(?:plan|strategy|programme|program|agenda|vision|initiative|roadmap|budget|report)s?(?!\w)", re.I)
_NAME_BEFORE = re.compile(r"(?:(?<![A-Za-z])(?:Vision|Strategy|Agenda|Programme|Program|Plan|Horizon|Roadmap)|\))\s{1,3}$")
_PREP = re.compile(r"(?:(?<![A-Za-z])(?:in|by|since|until|till|from|during|through|of|before|"
                   r"after|early|late|mid|last|next|this|to|and|or)\s{1,3}|mid-)$", re.I)
_MONTH_LEVEL = re.compile(r"(?:\d{4}|XXXX)-\d\d")


@dataclass(frozen=True)
class DateMention:
    start: int            # text[start:end] == self.text
    end: int
    text: str
    value: str | None     # "2025-10-07", "2025-10", "2025", "XXXX-10-07", "XXXX-10" or None
    relative: bool        # the value depended on anchor_year / earlier context
    value_end: str | None = None   # second end of a range, else None


def _iso_day(value: object) -> datetime.date | None:
    """"2025-02-14" -> that date; anything else (a year, a month, not a string) -> None."""
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d\d-\d\d", value):
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


def _mon(word: str) -> int:
    return _MONTH_NO[word.rstrip(".")[:3].lower()]


def _day(word: str) -> int:
    return int(re.match(r"\d+", word).group())


def _fmt(year: int | None, month: int | None = None, day: int | None = None) -> str | None:
    """ISO prefix, or None when the day does not exist in that month."""
    out = "XXXX" if year is None else f"{year:04d}"
    if month is not None:
        out += f"-{month:02d}"
    if day is not None:
        leap = calendar.isleap(2000 if year is None else year)
        if day > calendar.mdays[month] + (month == 2 and leap):
            return None
        out += f"-{day:02d}"
    return out


def _rel_year(phrase: str, a: int | None) -> int | None:
    if a is None:
        return None
    low = phrase.lower()
    return a + 1 if ("next" in low or "coming" in low) else a - 1 if "last" in low else a


_Res = tuple  # (value, value_end, relative)


def _weekday(name: str, rel: str, anchor: datetime.date | None) -> str | None:
    """"Tuesday" in a text dated ``anchor``: the latest Tuesday on or before it (news tells of
    the days just past), "last Tuesday" the one before the anchor's day, "next"/"this Tuesday"
    the first one after it (or the day itself, for "this"); None without an anchor."""
    if anchor is None:
        return None
    wd = _WEEKDAYS.index(name.capitalize())
    if rel in ("next", "this"):
        delta = (wd - anchor.weekday()) % 7 or (7 if rel == "next" else 0)
    else:
        delta = -((anchor.weekday() - wd) % 7 or (7 if rel == "last" else 0))
    return (anchor + datetime.timedelta(days=delta)).isoformat()


def _resolve(kind: str, m: re.Match, a: int | None, text: str, last: str | None,
             anchor_date: datetime.date | None = None) -> _Res | None:
    """Value of one candidate match, or None to reject it."""
    g = m.group
    if kind in ("iso", "euro"):
        p = "iso" if kind == "iso" else "eu"
        v = _fmt(int(g(p + "_y")), int(g(p + "_m")), int(g(p + "_d")))
        return None if v is None else (v, None, False)
    if kind in ("mdy", "dmy"):
        year = int(g(kind + "_y")) if g(kind + "_y") else a
        d1, d2 = _day(g(kind + "_d")), g("mdy_d2") if kind == "mdy" else None
        v = _fmt(year, _mon(g(kind + "_m")), d1)
        ve = _fmt(year, _mon(g(kind + "_m")), _day(d2)) if d2 else None
        if v is None or (d2 and (ve is None or _day(d2) <= d1)):
            return None
        return v, ve, not g(kind + "_y") and a is not None
    if kind == "my":
        if g("my_y"):
            return _fmt(int(g("my_y")), _mon(g("my_m"))), None, False
        return _fmt(_rel_year(g("my_r"), a), _mon(g("my_m"))), None, True
    if kind == "month":
        if g("mo_m").lower() == "may" and not _PREP.search(text, max(0, m.start() - 12), m.start()):
            return None
        return _fmt(a, _mon(g("mo_m"))), None, a is not None
    if kind == "mrange":
        if g("mr_sep").lower() == "and" and (g("mr_p") or "").lower() != "between":
            return None
        if g("mr_ya") and not g("mr_yb"):
            return None
        yb = int(g("mr_yb")) if g("mr_yb") else _rel_year(g("mr_r"), a) if g("mr_r") else a
        ya = int(g("mr_ya")) if g("mr_ya") else yb
        ma, mb = _mon(g("mr_a")), _mon(g("mr_b"))
        if ((ya or 0), ma) >= ((yb or 0), mb):
            return None
        rel = bool(g("mr_r")) or (not g("mr_yb") and a is not None)
        return _fmt(ya, ma), _fmt(yb, mb), rel
    if kind == "yrange":
        sep, pre = g("yr_sep").lower(), (g("yr_p") or "").lower()
        ya, b = int(g("yr_a")), g("yr_b")
        yb = int(g("yr_a")[:2] + b) if len(b) == 2 else int(b)
        if sep.isalpha() and (not pre or len(b) == 2 or (sep == "and") != (pre == "between")):
            return None
        if yb <= ya or _PRE_BLOCK.search(text, max(0, m.start("yr_a") - 16), m.start("yr_a")):
            return None
        return str(ya), str(yb), False
    if kind == "qcode":  # "Q3 2025", "3Q25", "Q3'25", "H1 2026", "1H26": the year
        y = g("qc_y")
        return (y if len(y) == 4 else f"20{y}"), None, False
    if kind in ("relend", "rel"):
        y = _rel_year(g(kind), a)
        return (None if y is None else f"{y:04d}"), None, True
    if kind == "same":
        return last, None, True
    if kind == "fy":  # "FY2026", "FY 2026", "FY26": the fiscal year, named by the year it ends in
        y = g("fy_y")
        if _NAME_AFTER.match(text, m.end()):  # "the FY26 budget": a document's name
            return None
        return (y if len(y) == 4 else f"20{y}"), None, False
    if kind == "midyr":
        return g("mid_y"), None, False
    if kind == "wday":
        return _weekday(g("wd"), (g("wd_rel") or "").lower(), anchor_date), None, True
    if kind == "today":  # the text's own day, or the one before it; None without a full anchor date
        if anchor_date is None:
            return None, None, True  # kept, so that the text is read again once its own date is known
        back = 1 if g("td").lower() == "yesterday" else 0
        return (anchor_date - datetime.timedelta(days=back)).isoformat(), None, True
    # kind == "year": a standalone 4-digit token that must not look like a quantity or label
    s, e = m.span()
    if _PRE_BLOCK.search(text, max(0, s - 16), s) or _POST_BLOCK.match(text, e):
        return None
    if _NAME_AFTER.match(text, e) or _NAME_BEFORE.search(text, max(0, s - 12), s):
        return None
    return g("yr"), None, False


# What a date can begin with besides a digit: a month, or a word that opens one of the
# phrases above (tests/test_values_dates.py checks this against trying every run of letters or digits).
FIRST_WORDS = first_words(_MONTHS + _ABBRS + (
    "from", "between", "the", "this", "next", "last", "current", "early", "earlier", "late", "later",
    "mid", "end", "beginning", "start", "middle", "rest", "remainder", "first", "second", "that", "FY",
    "Q", "H", "today", "yesterday") + _WEEKDAYS)


_UNTRIED: object = object()


def _first_valid(m: re.Match, a: int | None, text: str, last: str | None, day: datetime.date | None):
    """The candidate itself, else the next alternative matching at the same offset."""
    kind = m.lastgroup
    res = _resolve(kind, m, a, text, last, day)
    if res is not None:
        return m, res
    for k, rx in map(_single, range(_ORDER[kind] + 1, len(_ALTS))):
        m2 = rx.match(text, m.start())
        if m2 is not None and (res := _resolve(k, m2, a, text, last, day)) is not None:
            return m2, res
    return None, None


def find_dates(text: str, anchor_year: int | None = None, anchor_date: str | None = None, at: Iterable[int] | None = None,
               tried: dict[int, re.Match[str] | None] | None = None) -> list[DateMention]:
    """All date expressions in text, in order, non-overlapping (longest match wins). ``anchor_date``
    ("2025-02-14", the text's own date) places weekdays and gives the anchor year when none is given.

    ``at``: the places where a date can begin, when already found (``_scan.starts_of`` with
    :data:`FIRST_WORDS`). ``tried``: what the pattern matched at each place tried, kept between
    calls on the same text (the match does not depend on the anchor, only its value does): a
    second reading with the text's own date tries the pattern nowhere twice."""
    if not isinstance(text, str):
        return []
    day = _iso_day(anchor_date)
    if day is not None and anchor_year is None:
        anchor_year = day.year
    ok = isinstance(anchor_year, int) and not isinstance(anchor_year, bool)
    a = anchor_year if ok else None
    out: list[DateMention] = []
    last: str | None = None   # latest month-level value, for "that same month"
    pos = 0
    for start in starts(text, FIRST_WORDS) if at is None else at:  # try only where a date can begin
        if start < pos:
            continue
        if tried is None:
            m = _RX.match(text, start)
        elif (m := tried.get(start, _UNTRIED)) is _UNTRIED:
            m = tried[start] = _RX.match(text, start)
        if m is None:
            continue
        hit, res = _first_valid(m, a, text, last, day)
        if hit is None:
            continue
        value, value_end, rel = res
        s, e = hit.span()
        out.append(DateMention(s, e, text[s:e], value, rel, value_end))
        for v in (value_end, value):
            if v and _MONTH_LEVEL.match(v):
                last = v[:7]
                break
        pos = e
    return out
