"""Numbers as written in news text -> Decimal. Pure and total: unreadable input gives None.

Digits with thousands separators (comma, space, non-breaking space), decimal
points or commas, and English number words ("five", "two thousand",
"a million", "one hundred and twenty"). Scale words after digits
("7.4 billion") are the caller's multipliers (see quantities.py).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from ._data import load
from ._scan import first_words

_WORDS = load("number_words")
_UNITS: dict[str, float] = _WORDS["units"]
_TENS: dict[str, int] = _WORDS["tens"]
_SCALES: dict[str, int] = _WORDS["scales"]


def _alt(words) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


_SMALL = rf"(?:(?:{_alt(_TENS)})(?:(?:-|\s+)(?:{_alt(k for k in _UNITS if k not in ('a', 'an'))}))?|{_alt(k for k in _UNITS if k not in ('a', 'an', 'dozen', 'half a'))})"
_SCALE = _alt(_SCALES)
_JOIN = r"(?:\s+and\s+|\s+|-)"
_AND_A_HALF = r"(?:\s+and\s+a\s+half)"
#: A fraction of a scale word: "half a", "a quarter of a", "three quarters of a" (billion).
_FRACTION = r"(?:half(?:\s+of)?|(?:a|one|three)\s+quarters?\s+of)\s+an?"
#: A fraction of a unit, standing for a number before it ("half a hectare", "a quarter of an acre"):
#: the caller says what unit must follow.
FRACTION_OF_A = _FRACTION
#: Number words: "five", "twenty-one", "two thousand", "a million", "one hundred and twenty",
#: "one and a half billion", "a quarter of a billion". A small number follows only a scale word ("two thousand and five"),
#: never another small number: "six and nine billion" is two numbers (a range), not fifteen billion.
WORD_NUMBER = (
    rf"(?:(?:{_FRACTION}|an?)\s+(?:{_SCALE})(?:{_JOIN}{_SMALL})?|{_SMALL}{_AND_A_HALF}?)(?:{_JOIN}(?:{_SCALE})(?:{_JOIN}{_SMALL})?)*"
)
#: How a number word can begin: "twenty-one" -> "twenty", "a million" -> "a", "half a million" -> "half".
WORD_NUMBER_FIRST_WORDS = first_words([*_UNITS, *_TENS])
#: Digits: "1,234", "28 000", "2.5", "2,5", "25.000.000" (two or more groups of three after
#: dots: thousands, as continental Europe writes them; one such group, "1.125", is a decimal),
#: "2,50,000" and "1,20,00,000" (groups of two before the last three: the Indian lakh and crore)
#: (without a look at what stands before them).
DIGITS = r"(?:\d{1,2}(?:,\d{2})+,\d{3}(?!\d|,\d)(?:\.\d+)?|\d{1,3}(?:\.\d{3}){2,}(?![\d.])|\d{1,3}(?:[, ]\d{3})+(?!\d)(?:\.\d+)?|\d+(?:[.,]\d+)?)(?![\d])"
#: Digits standing as a number of their own: not the tail of a code ("FY2025", "PX-12").
DIGIT_NUMBER = rf"(?<![\w.,/])(?<![A-Za-z]-){DIGITS}"
NUMBER = rf"(?:{DIGIT_NUMBER}|\b(?i:{WORD_NUMBER})\b)"

_THOUSANDS = re.compile(r"^\d{1,3}(?:[, ]\d{3})+(?:\.\d+)?$|^\d{1,3}(?:\.\d{3}){2,}$|^\d{1,2}(?:,\d{2})+,\d{3}(?:\.\d+)?$")


def parse_digits(text: str) -> Decimal | None:
    """'1,234' -> 1234; '28 000' -> 28000; '2.5' -> 2.5; '2,5' -> 2.5 (decimal comma); '25.000.000' -> 25000000;
    '2,50,000' -> 250000 (Indian grouping)."""
    s = text.strip()
    if _THOUSANDS.match(s):
        s = s.replace(",", "").replace(" ", "") if s.count(".") < 2 else s.replace(".", "")
    else:
        s = s.replace(",", ".")
    try:
        return Decimal(s)
    except InvalidOperation:
        return None


_FRACTIONS = {"half": "0.5", "quarter": "0.25", "quarters": "0.25"}
_FRACTION_OF = re.compile(r"(?:(?P<n>a|one|three)\s+)?(?P<part>half|quarters?)(?:\s+of)?\s+(?P<rest>an?(?:\s+\S.*)?)$")


def parse_words(text: str) -> Decimal | None:
    """'two thousand' -> 2000; 'a million' -> 1000000; 'one hundred and twenty' -> 120;
    'a dozen' -> 12; 'a quarter of a billion' -> 250000000; 'a quarter of a' (hectare) -> 0.25."""
    low = text.lower().strip()
    if (m := _FRACTION_OF.match(low)) is not None:  # "three quarters of a million": the fraction times the rest
        rest = parse_words(m["rest"])
        return None if rest is None else Decimal(_FRACTIONS[m["part"]]) * (3 if m["n"] == "three" else 1) * rest
    words = re.split(r"[\s-]+", low)
    total = Decimal(0)
    current = Decimal(0)
    seen = False
    i = 0
    while i < len(words):
        w = words[i]
        if w == "and":
            i += 1
            continue
        if (w, words[i + 1] if i + 1 < len(words) else None) in (("half", "a"), ("a", "half")):  # "half a million", "one and a half"
            current += Decimal("0.5")
            i += 2
            seen = True
            continue
        if w == "dozen":  # "a dozen", "two dozen": a multiple of twelve
            current = (current or 1) * 12
        elif w in _UNITS:
            current += Decimal(str(_UNITS[w]))
        elif w in _TENS:
            current += _TENS[w]
        elif w == "hundred":
            current = (current or 1) * 100
        elif w in _SCALES:
            total += (current or 1) * _SCALES[w]
            current = Decimal(0)
        else:
            return None
        seen = True
        i += 1
    return total + current if seen else None


def trailing_scale(text: str) -> int:
    """The scale word number words end in, as a factor: 'nine billion' -> 10**9, 'six hundred' -> 100;
    1 for digits or words that end in no scale word ('twenty-one', '7')."""
    return _SCALES.get(re.split(r"[\s-]+", text.lower().strip())[-1], 1)


def parse_number(text: str) -> Decimal | None:
    """Digits or number words -> Decimal, or None when the text is not a number."""
    if not text or not text.strip():
        return None
    if any(ch.isdigit() for ch in text):
        return parse_digits(text)
    return parse_words(text)


def to_json_number(value: Decimal) -> int | float:
    """A Decimal as the JSON number it should be: int when whole, else float (2 decimals at most)."""
    if value == value.to_integral_value():
        return int(value)
    return float(round(value, 2))
