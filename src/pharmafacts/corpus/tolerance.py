"""When two documents give the same figure: equal within rounding, and how precise a value is.

Pure functions, no project imports. A number agrees with another when they are equal within
half a unit or 0.5 % (unit conversions: 30 acres and 121,406 m2), or when the coarser one is
the finer one rounded to the coarser one's last significant digit and they differ by at most
3 % ("1.2 billion" and "1.23 billion", "12 hectares" and "30 acres"); "8.4 billion" and
"9 billion" differ by 6.7 %: they disagree. A date agrees with another when one is the other
told less precisely ("2025-10" and "2025-10-07"; an ``X`` matches any digit).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

EXACT_REL, EXACT_ABS = 0.005, 0.5  # conversion noise: as the evaluation's tolerance
ROUNDING_REL = 0.03  # how far apart a rounded figure may be from the precise one


def _decimal(v: float | int) -> Decimal | None:
    try:
        d = Decimal(str(v))
    except InvalidOperation:
        return None
    return d if d.is_finite() else None


def _last_place(d: Decimal) -> int:
    """The exponent of the last significant digit: 3 for 12,000; 8 for 8.4 billion."""
    return d.normalize().as_tuple().exponent if d else 0


def precision(v: object) -> int:
    """How much a value tells, for choosing the most precise of several: more is more precise."""
    if isinstance(v, str):
        return sum(c != "X" for c in v if c != "-") * 10 + len(v)
    d = _decimal(v) if isinstance(v, (int, float)) else None
    return 0 if d is None or not d else -_last_place(d)


def same_number(a: float | int, b: float | int) -> bool:
    if a == b:
        return True
    da, db = _decimal(a), _decimal(b)
    if da is None or db is None or (da < 0) != (db < 0):
        return False
    big = max(abs(da), abs(db))
    diff = abs(da - db)
    if diff <= max(Decimal(str(EXACT_REL)) * big, Decimal(str(EXACT_ABS))):
        return True
    if diff > Decimal(str(ROUNDING_REL)) * big:
        return False
    pa, pb = _last_place(da), _last_place(db)
    if pa == pb:
        return False  # two figures told to the same precision that differ: they disagree
    coarse, fine, place = (da, db, pa) if pa > pb else (db, da, pb)
    return fine.quantize(Decimal(1).scaleb(place), rounding=ROUND_HALF_UP) == coarse


def same_date(a: str, b: str) -> bool:
    """ISO prefixes with X for unknown digits: one is the other or tells more ("2025" and "2025-10")."""
    n = min(len(a), len(b))
    if n < max(len(a), len(b)) and n not in (4, 7):
        return False
    return all(x == y or "X" in (x, y) for x, y in zip(a[:n], b[:n]))


def same_value(a: object, b: object) -> bool:
    """Whether two values (numbers, ISO date strings or null) tell the same figure."""
    if a is None or b is None:
        return a is b
    if isinstance(a, str) or isinstance(b, str):
        return isinstance(a, str) and isinstance(b, str) and same_date(a, b)
    return same_number(a, b)
