"""Find quantities in text: number, scale, range, qualifier and unit, with offsets.

One compiled regular expression scans the whole text once. Each match becomes a
:class:`Quantity` whose value is normalised: areas to square metres, money to
whole currency units with an ISO 4217 code, other counts left as numbers for the
fact extractors to classify (jobs, capacity). Pure: no spaCy, no project imports
beyond the data tables.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cache
from typing import Literal, NamedTuple

from ._data import load
from ._scan import first_words, starts
from .numbers import DIGIT_NUMBER, DIGITS, FRACTION_OF_A, NUMBER, WORD_NUMBER, WORD_NUMBER_FIRST_WORDS, parse_number, trailing_scale

_UNITS = load("units")
MULTIPLIERS: dict[str, int] = _UNITS["multipliers"]
CURRENCY_MULTIPLIERS: dict[str, int] = _UNITS["currency_multipliers"]
SYMBOL_COUNTRIES: dict[str, dict[str, list[str]]] = _UNITS["symbol_countries"]  # only after a currency: "Rs 500 cr"
LOCAL_DOLLARS: frozenset[str] = frozenset(_UNITS["local_dollars"])
AREA_UNITS: dict[str, float] = _UNITS["area_units"]
CURRENCY_PREFIXES: dict[str, str] = _UNITS["currency_prefixes"]
CURRENCY_SUFFIXES: dict[str, str] = _UNITS["currency_suffixes"]
QUALIFIERS: dict[str, list[str]] = _UNITS["qualifiers"]
QUALIFIER_SUFFIXES: dict[str, list[str]] = _UNITS["qualifier_suffixes"]
#: ISO code -> its adjectives ("Kazakhstani"), the words naming its country, its names ("tenge"), and
#: the bare names or symbols it shares with other currencies ("pesos", "Rs").
CURRENCY_COUNTRIES: dict[str, dict[str, list[str]]] = _UNITS["currency_countries"]
PREFIXES_NEEDING_A_SCALE: frozenset[str] = frozenset(_UNITS["prefixes_needing_a_scale"])
_ALSO_WEIGHTS = frozenset(_UNITS["currency_names_also_weights"])
# "500,000 pounds of API": a weight; "2 million pounds of investment": money
_WEIGHT_OF = re.compile(rf"\s+of\s+(?!(?i:{'|'.join(map(re.escape, _UNITS['money_after_of']))})\b)[^\W\d_]")


def _alt(words, spaced: str = r"\s+") -> str:
    """Alternation of literal phrases, longest first; a space in a phrase matches ``spaced``."""
    return "|".join(re.escape(w).replace(r"\ ", spaced) for w in sorted(words, key=len, reverse=True))


def _key(text: str) -> str:
    return re.sub(r"[\s-]+", " ", text.strip()).lower()


class _Tables(NamedTuple):
    """The tables of data/units.json in the forms the finder looks words up in, each key in
    :func:`_key` form unless said otherwise."""

    area: dict[str, float]  # an area unit, with its dots and without ("sq. m", "sq m") -> square metres
    multipliers: dict[str, int]  # a scale word, in lower case without its dot ("bn", "lakh", "cr") -> its factor
    qualifiers: dict[str, str]  # what stands before a figure ("about", "more than") -> its qualifier
    qualifier_suffixes: dict[str, str]  # what stands after one ("or more") -> its qualifier
    currency_suffixes: dict[str, str | None]  # a currency written after its figure ("tenge", "kroner") -> its code or None
    full_names: dict[str, str | None]  # a currency's name of several words ("kazakhstani tenge", "swiss francs") -> its code
    named_currencies: dict[str, tuple[str, str]]  # a full name -> the bare name it gives a country to, and the code
    shared: dict[str, dict[str, list[str]]]  # a name or symbol several currencies share ("pesos", "¥") -> {code: words naming its country}
    country_codes: dict[str, set[str]]  # a word naming a country, as written and in capitals (no _key) -> the codes it gives


def _tables(units: dict) -> _Tables:
    """The look-up tables, built once (:data:`_TABLES`)."""
    area = {_key(k): v for k, v in units["area_units"].items()}
    suffixes = {_key(k): v for k, v in units["currency_suffixes"].items()}
    currencies = units["currency_countries"]
    # "Kazakhstani tenge", "Brazilian real": a currency's adjective and one of its names (the listed
    # full names, "Swiss francs", keep their code)
    full_names = {
        _key(f"{adj} {name}"): code for code, c in currencies.items() for adj in c["adjectives"] for name in c["names"]
    } | {k: v for k, v in suffixes.items() if " " in k}
    # "Norwegian kroner" -> ("kroner", "NOK"): a full name and the bare name it gives a country to
    named = {k: (k.split()[-1], v) for k, v in full_names.items() if v and k.split()[-1] in suffixes}
    # A bare name or symbol several currencies share -> {code: the words naming its country}: "¥" (yuan
    # and yen), "pesos", "Rs", "francs"; the text's first-named country decides (in_context)
    shared = {_key(k): dict(v) for k, v in units["symbol_countries"].items()}
    for code, c in currencies.items():
        for name in c["shared"]:
            shared.setdefault(_key(name), {})[code] = c["adjectives"] + c["countries"]
    country_codes: dict[str, set[str]] = {}
    for codes in shared.values():
        for code, words in codes.items():
            for word in words:
                for form in (word, word.upper()):
                    country_codes.setdefault(form, set()).add(code)
    return _Tables(
        area=area | {k.replace(".", ""): v for k, v in area.items()},
        multipliers={k.lower().rstrip("."): v for k, v in {**units["multipliers"], **units["currency_multipliers"]}.items()},
        qualifiers={_key(w): q for q, words in units["qualifiers"].items() for w in words},
        qualifier_suffixes={_key(w): q for q, words in units["qualifier_suffixes"].items() for w in words},
        currency_suffixes=suffixes,
        full_names=full_names,
        named_currencies=named,
        shared=shared,
        country_codes=country_codes,
    )


_TABLES = _tables(_UNITS)


@cache
def _country_words() -> re.Pattern[str]:
    """Any word of :attr:`_Tables.country_codes`, compiled at first use (only a text with a shared
    currency name needs it)."""
    return re.compile(rf"(?<!\w)(?:{'|'.join(re.escape(w) for w in sorted(_TABLES.country_codes, key=len, reverse=True))})(?!\w)")


_BRACKET_BETWEEN = re.compile(r"\s*\(\s*")
# "$5 million, or about €4.5 million", "HK$170m/US$22m": another currency's restatement
_OR_BETWEEN = re.compile(r"\s*(?:,\s*or|or|/)\s*")

_WORD_MULT = _alt([m for m in MULTIPLIERS if len(m.rstrip(".")) > 1])
_CURRENCY_MULT = _alt(CURRENCY_MULTIPLIERS)
_LETTER_MULT = _alt([m for m in MULTIPLIERS if len(m.rstrip(".")) == 1])
# "7.4 billion", "a 300-mln-euro plant", "Rs 1.5 lakh crore" (scales multiply), "$40m"
# (in any case: "MX$9 Billion" in a headline, "Rs 500 Cr"; a capital letter only after a currency: "$40M", not "3M")
_ONE_WORD_MULT = rf"[\s-]?(?i:{_WORD_MULT})(?![A-Za-z0-9²])"
_MULT = (
    rf"(?:{_ONE_WORD_MULT}(?:\s(?i:{_WORD_MULT})(?![A-Za-z0-9²]))?"
    rf"|(?(cur1)(?:[\s-]?(?i:{_CURRENCY_MULT})|(?i:{_LETTER_MULT}))|(?:{_LETTER_MULT}))(?![A-Za-z0-9²^]))"
)
_FLEX_SPACE = r"[\s-]*"
# in any case ("Square Foot" in a title-case headline, "SQ FT"); a unit of two letters or fewer
# only as listed, or in capitals when it is all letters ("HA", "SF"; "M2" may be a model's name)
_SHORT_AREA = [k for k in AREA_UNITS if sum(ch.isalpha() for ch in k) <= 2]
_AREA = (
    rf"(?:(?i:{_alt([k for k in AREA_UNITS if k not in _SHORT_AREA], _FLEX_SPACE)})"
    rf"|{_alt({f for k in _SHORT_AREA for f in ((k, k.upper()) if k.isalpha() else (k,))}, _FLEX_SPACE)})(?![A-Za-z0-9²])"
)
# codes ("NOK", "TRY") only in capitals; names ("kroner", "Euro") in any case, after a capitalised
# adjective of their currency too ("Kazakhstani tenge", "Brazilian real")
_CUR_ADJECTIVES = _alt({a for c in CURRENCY_COUNTRIES.values() for a in c["adjectives"]})
_CUR_NAMES = _alt({n for c in CURRENCY_COUNTRIES.values() for n in c["names"]})
_CUR_SUFFIX = (
    rf"(?:(?=[A-Z])(?:{_CUR_ADJECTIVES})\s+(?i:{_CUR_NAMES})"
    rf"|{_alt(k for k in CURRENCY_SUFFIXES if k.isupper())}|(?i:{_alt(k for k in CURRENCY_SUFFIXES if not k.isupper())}))(?![A-Za-z0-9])"
)
# a one-letter symbol ("R2bn" rand, "N7 billion" naira) only glued to its digits
_CUR_PREFIX = (
    rf"(?:(?:{_alt(k for k in CURRENCY_PREFIXES if len(k) > 1 or not k.isalpha())})\s?"
    rf"|(?:{_alt(k for k in CURRENCY_PREFIXES if len(k) == 1 and k.isalpha())})(?=\d))"
)
_QUAL = rf"(?i:{_alt(_TABLES.qualifiers)})"
_QUAL_SUFFIX = rf"(?i:{_alt(w for words in QUALIFIER_SUFFIXES.values() for w in words)})"
_THOUSANDS = re.compile(r"\d[, ]\d{3}")
_RANGE_SEP = r"(?:\s*[-–—]\s*|\s+to\s+)"

QUANTITY_RE = re.compile(
    rf"""
    (?:(?<![\w-])(?P<qual>{_QUAL})\s+)?
    (?:(?<![^\W\d_])(?:(?P<between>(?i:between)\s+)|(?P<from>(?i:from)\s+)))?
    (?:(?<![^\W\d_])(?P<cur1>{_CUR_PREFIX}))?
    (?P<n1>(?(cur1){DIGITS}|{DIGIT_NUMBER})|\b(?i:{FRACTION_OF_A})(?=[\s-]+{_AREA})|\b(?i:{WORD_NUMBER})\b)(?P<m1>{_MULT})?
    (?:(?(between)\s+and\s+|{_RANGE_SEP})(?:{_CUR_PREFIX}\s?)?(?P<n2>{NUMBER})(?P<m2>{_MULT})?)?
    (?P<plus>\+)?
    (?:(?:\s+|-|\s*)(?:(?P<area>{_AREA})|(?P<cur2>{_CUR_SUFFIX})))?
    (?:\s+(?P<qsuf>{_QUAL_SUFFIX})\b)?
    """,
    re.VERBOSE,
)
# Where a quantity can begin: a digit, a number word, a qualifier, "between"/"from" or a
# currency; every match of QUANTITY_RE begins a run of letters or digits or is a symbol.
FIRST_WORDS = WORD_NUMBER_FIRST_WORDS | first_words([*_TABLES.qualifiers, *CURRENCY_PREFIXES, "between", "from"])
# "spread over 30 acres", "stretching over 12 hectares": "over" says where, not how much
_EXTENT_BEFORE = re.compile(r"\b(?:spread(?:s|ing)?|stretch(?:es|ed|ing)?|sprawl(?:s|ed|ing)?|span(?:s|ned|ning)?|extend(?:s|ing))\s+$", re.I)
_CHANGE_BEFORE = re.compile(r"\b(?:increas|rais|ris|grow|grew|decreas|reduc|cut|expand|extend|doubl|tripl)\w*\s+(?:\w+\s+){0,3}$", re.I)

Kind = Literal["area", "money", "number"]
#: No real article states a figure this large (an area beyond the Earth's, an amount beyond every
#: currency's yearly world output): a quantity at or above it is a run of digits, not a fact.
PLAUSIBLE_MAX = Decimal(10) ** 18


@dataclass(frozen=True)
class Quantity:
    """A normalised quantity found in text. ``text == source[start:end]``."""

    start: int
    end: int
    text: str
    value: Decimal
    value_max: Decimal | None
    qualifier: str | None
    kind: Kind
    unit: str | None  # 'm2' for areas, an ISO code for money, None for plain numbers
    change: bool = False  # "increased from X to Y": X and Y are not a range
    currency: str | None = None  # the currency as written ("US$", "kroner")
    conversion: bool = False  # "DKK 6.5 billion (€0.87 billion)": the bracketed figure restates the one before


def _scale(number: str, mult: str | None) -> Decimal | None:
    value = parse_number(number)
    if value is None:
        return None
    for word in (mult or "").replace("-", " ").split():
        value *= _TABLES.multipliers.get(word.lower().rstrip("."), 1)
    return value


def _suffix_unit(name: str) -> str | None:
    """The code of a currency name written after its figure: "tenge" -> KZT, "Kazakhstani tenge" ->
    KZT; an adjective of another currency gives the bare name's default ("Thai pesos" -> None)."""
    key = _key(name)
    suffixes = _TABLES.currency_suffixes
    if key in suffixes:
        return suffixes[key]
    if key in _TABLES.full_names:
        return _TABLES.full_names[key]
    return next((suffixes[key[i + 1 :]] for i, ch in enumerate(key) if ch == " " and key[i + 1 :] in suffixes), None)


def _from_match(m: re.Match[str], text: str) -> Quantity | None:
    if (
        m["cur1"]
        and ((len(m["cur1"]) == 1 and m["cur1"].isalpha()) or m["cur1"].strip() in PREFIXES_NEEDING_A_SCALE)
        and not m["m1"]
        and not _THOUSANDS.search(m["n1"])
    ):
        return None  # "N95", "R5", "SR 500": a code; "R2bn", "N7.4 billion", "R500,000", "SR 2 billion" are money
    low = _scale(m["n1"], m["m1"])
    if low is None:
        return None
    high = _scale(m["n2"], m["m2"]) if m["n2"] else None
    if high is not None and not m["m1"] and trailing_scale(m["n1"]) == 1:
        # "3-4 million", "six to nine billion": the scale word is shared, unless the
        # lower figure would pass the upper one ("from 500 to 2 million" is 500 to 2,000,000)
        shared = _scale(m["n1"], m["m2"]) if m["m2"] else low * trailing_scale(m["n2"])
        if shared is not None and shared <= high:
            low = shared
    kind: Kind = "number"
    unit = currency = None
    factor = Decimal(1)
    end = m.end()
    if m["cur2"] and _key(m["cur2"]) in _ALSO_WEIGHTS and _WEIGHT_OF.match(text, m.end("cur2")):
        end = max(m.end(g) for g in ("n1", "m1", "n2", "m2", "plus") if m[g] is not None)  # a number of pounds
    elif m["area"]:
        kind, unit = "area", "m2"
        key = _key(m["area"])
        factor = Decimal(str(_TABLES.area.get(key, _TABLES.area.get(key.replace(".", ""), 1))))
    elif m["cur1"] or m["cur2"]:
        kind = "money"
        currency = (m["cur1"] or m["cur2"]).strip()
        unit = CURRENCY_PREFIXES.get(currency) if m["cur1"] else _suffix_unit(currency)
    qual = m["qual"]
    if qual and _key(qual) == "over" and _EXTENT_BEFORE.search(text, max(0, m.start() - 20), m.start()):
        qual = None  # a preposition, not part of the figure
    qualifier = _TABLES.qualifiers.get(_key(qual)) if qual else None
    if m["plus"]:
        qualifier = "over"
    elif m["qsuf"]:
        qualifier = _TABLES.qualifier_suffixes[_key(m["qsuf"])]
    change = False
    if high is not None and m["from"] and _CHANGE_BEFORE.search(text, max(0, m.start() - 60), m.start()):
        change = True
    value = low * factor
    value_max = high * factor if high is not None else None
    if value >= PLAUSIBLE_MAX or (value_max is not None and value_max >= PLAUSIBLE_MAX):
        return None
    if value_max is not None and value_max <= value:
        value_max = None if value_max == value else value_max
    start = m.start("qual") if qual else (m.start("cur1") if m["cur1"] else m.start("n1"))
    if change and value_max is not None:
        # only the new value is a figure: "raised from six to nine billion rubles" -> 9 billion
        value, value_max = value_max, None
        start = m.start("n2")
    return Quantity(start, end, text[start:end], value, value_max, qualifier, kind, unit, change, currency)


def _shared_symbols(text: str, keys: set[str]) -> dict[str, str]:
    """Each of ``keys``, a name or symbol several currencies share (``_key`` form) -> the currency of
    the country the text names first ("¥" in a text about Tokyo is JPY, "pesos" in one about Mexico
    MXN, "Rs" in one about Karachi PKR); names whose countries the text does not name are left out."""
    out: dict[str, str] = {}
    for m in _country_words().finditer(text):
        codes = _TABLES.country_codes[m.group()]
        for k in keys:
            if k not in out and (code := next((c for c in _TABLES.shared[k] if c in codes), None)) is not None:
                out[k] = code
        if len(out) == len(keys):
            break
    return out


_BARE_DOLLARS = frozenset({"$", "dollars", "dollar"})


def _local_dollar(quantities: list[Quantity]) -> str | None:
    """The one local dollar ("C$", "AUD", "Singapore dollars") a text writes its sums in, when it
    never writes the US dollar as such ("US$", "USD") nor restates a local sum in a bare "$" in
    brackets: then a bare "$" is that dollar too. None otherwise."""
    local: set[str] = set()
    for i, q in enumerate(quantities):
        if q.kind != "money":
            continue
        if q.unit == "USD" and q.currency not in _BARE_DOLLARS:
            return None
        if q.unit in LOCAL_DOLLARS:
            local.add(q.unit)
        elif q.conversion and q.currency in _BARE_DOLLARS and i and quantities[i - 1].unit in LOCAL_DOLLARS:
            return None  # "C$40 million ($30 million)": the bare "$" is another dollar
    return next(iter(local)) if len(local) == 1 else None


def in_context(quantities: list[Quantity], text: str) -> list[Quantity]:
    """What a quantity's neighbours say about it. A bare currency name takes the country the
    text has named for it ("Norwegian kroner" ... "kroner" is NOK, "Danish kroner" ... "kroner"
    is DKK); a name or symbol several currencies share takes the country the text names first ("¥" in a
    text about Tokyo is JPY, "pesos" in one about Mexico MXN, "Rs" in one about Karachi PKR); a bare "$" in a text that writes its sums in one local dollar and never in
    the US dollar ("C$40 million" ... "$5 million") is that dollar. A figure in brackets right
    after one of the same kind restates it in another unit ("DKK 6.5 billion (€0.87 billion)",
    "90,000 sq ft (8,361 sq m)"): a conversion; so is an amount in another currency after "or" or a
    slash ("$5 million, or about €4.5 million")."""
    named: dict[str, str] = {}
    keys = {k for q in quantities if q.currency and (k := _key(q.currency)) in _TABLES.shared}
    shared = _shared_symbols(text, keys) if keys else {}
    out = []
    prev: Quantity | None = None
    for q in quantities:
        if q.kind == "money" and q.currency:
            key = _key(q.currency)
            if key in _TABLES.named_currencies:  # a full name: its own currency ("CFA francs" shared by two)
                if key in shared:
                    q = replace(q, unit=shared[key])
                if q.unit:
                    named[_TABLES.named_currencies[key][0]] = q.unit
            elif key in named:
                q = replace(q, unit=named[key])
            elif key in shared:
                q = replace(q, unit=shared[key])
        if prev is not None and prev.kind == q.kind != "number" and (
            _BRACKET_BETWEEN.fullmatch(text, prev.end, q.start)
            or (q.kind == "money" and prev.unit != q.unit and _OR_BETWEEN.fullmatch(text, prev.end, q.start))
        ):
            q = replace(q, conversion=True)
        out.append(q)
        prev = q
    if any(q.currency in _BARE_DOLLARS for q in out) and (local := _local_dollar(out)) is not None:
        out = [replace(q, unit=local) if q.currency in _BARE_DOLLARS else q for q in out]
    return out


def find_quantities(text: str, at: Iterable[int] | None = None) -> list[Quantity]:
    """Every quantity in ``text`` in order, as ``QUANTITY_RE.finditer`` would find them, but with
    the pattern tried only where a quantity can begin. Linear: one pass over the text. ``at``:
    those places, when already found (``_scan.starts_of`` with :data:`FIRST_WORDS`)."""
    out = []
    pos = 0
    for start in starts(text, FIRST_WORDS) if at is None else at:
        if start < pos or (m := QUANTITY_RE.match(text, start)) is None:
            continue
        pos = m.end()
        q = _from_match(m, text)
        if q is not None:
            out.append(q)
    return in_context(out, text)
