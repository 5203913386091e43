"""Investment facts: money put into building, modernising or developing production.

A money amount counts when its sentence speaks of investment (or the sentence
before it does and this one goes on with the same figures), or when the amount
is the cost of what is built ("a $40m facility", "a 300-mln-euro plant": the noun
the amount modifies in the parse is a plant, project or the like), and nothing
near it says revenue, tax, exports, a price or a rate ("$40/share", "$12 a share"). Such a word
is the figure's own only within its clause and when it stands no nearer to another sum of the
sentence ("invested $50m in the plant, which had sales of $90m": only the $90m is sales). A figure
in brackets that restates the one before in another currency is not a second fact.
"""

from __future__ import annotations

import bisect
import re

from ..values.quantities import MULTIPLIERS
from .context import FACT_CUES, Analysis, RawFact, alternation, cue_regex

_CUES = cue_regex(FACT_CUES["investment_cues"])
_EXCLUDE = cue_regex(FACT_CUES["investment_exclusions"])
_PER = cue_regex(FACT_CUES["per_unit"])
_OBJECT_NOUNS = frozenset(FACT_CUES["investment_object_nouns"])
_CLAUSE_BEFORE = 70
_CLAUSE_AFTER = 40
# where the clause of a figure ends after it: "invested $50m in the plant, which had sales of $90m"
_CLAUSE_END = re.compile(r";|,\s*(?:which|who|whose|where|while|whereas|but|and)\b|\s(?:while|whereas)\b")
# what joins the sums of one list: "revenue of $90m in 2027 and $110m in 2028"
_LIST_GLUE = re.compile(r"(?:\s*(?:,|and|or|to|then|respectively|in\s+(?:19|20)\d\d)\s*)*", re.I)


def _gap(start: int, end: int, q) -> int:
    """Characters between the text at ``start:end`` and the sum ``q``."""
    return start - q.end if start >= q.end else q.start - end


def _excluded(an: Analysis, q, s, money: list, money_starts: list[int]) -> bool:
    """Whether a word against investment ("sales", "revenue") is the sum's own: up to 70 characters
    before it and 40 after it in its sentence, not past the end of its clause, and no nearer to
    another sum of the sentence, unless the two sums are one list ("invested $50m in a plant with
    revenue of $90m": the revenue is the $90m's; "revenue of $90m and $110m": both's)."""
    before = max(s.start, q.start - _CLAUSE_BEFORE)
    after = min(s.end, q.end + _CLAUSE_AFTER)
    if (m := _CLAUSE_END.search(an.text, q.end, after)) is not None:
        after = m.start()
    lo, hi = bisect.bisect_left(money_starts, s.start), bisect.bisect_left(money_starts, s.end)
    others = [p for p in money[lo:hi] if p is not q]
    for m in _EXCLUDE.finditer(an.text, before, after):
        nearest = min(others, key=lambda p: _gap(m.start(), m.end(), p), default=None)
        if nearest is None or _gap(m.start(), m.end(), q) <= _gap(m.start(), m.end(), nearest):
            return True
        first, second = (nearest, q) if nearest.end <= q.start else (q, nearest)
        if _LIST_GLUE.fullmatch(an.text, first.end, second.start):
            return True
    return False


# a figure with a scale word: "2 billion", "2.1 bn", "two billion" (not "2,000")
_SCALED = re.compile(
    rf"(?i:\d[\s-]?(?:{alternation([m.rstrip('.') for m in MULTIPLIERS])})\.?(?![^\W\d_])|\b(?:thousand|million|billion|trillion)\b)"
)
_PART = cue_regex(FACT_CUES["investment_part_cues"])
_NOT_MONEY_AFTER = frozenset({"NOUN", "PROPN", "ADJ", "NUM", "SYM", "X"})


def borrowed_unit(an: Analysis, q, money: list, money_starts: list[int], starts: list[int]) -> str | None:
    """The currency a sum written without one takes from the sum before it: a figure with a scale
    word and no noun it counts ("15 billion rubles, of which 2 billion from the fund", "a loan of 2
    billion") is in the currency of the last sum before it in its sentence, or in the sentence
    before on the same line or the next ("Another 2 billion will follow in 2028"). None when there is no
    such sum, a figure with a scale word that is no sum stands between them ("850 million tablets
    from 600 million"), the figure counts something ("2 billion doses", "2 billion, 40%") or it is a part
    of the total before it ("15 billion rubles, including 2 billion from the fund", "Of this, 2
    billion ...": a part, which the guideline's readers may leave out)."""
    if q.change or q.value < 1000 or not _SCALED.search(q.text):
        return None
    tok = an.token_at(q.end)
    if tok is not None and tok.idx < q.end:  # the figure's own last token: the next one counts
        tok = tok.nbor() if tok.i + 1 < len(tok.doc) else None
    while tok is not None and tok.is_space and tok.i + 1 < len(tok.doc):
        tok = tok.nbor()
    if tok is not None and (tok.pos_ in _NOT_MONEY_AFTER or tok.text in ("%", "-", "–")):
        return None
    s = an.sentence_at(q.start)
    i = bisect.bisect_left(money_starts, q.start) - 1
    if s is None or i < 0:
        return None
    p = money[i]
    while p.conversion and i > 0:  # "UZS 420 billion (about USD 34.5 million)": the first currency
        i -= 1
        p = money[i]
    between = an.quantities[bisect.bisect_left(starts, p.end) : bisect.bisect_left(starts, q.start)]
    if any(o.kind == "number" and _SCALED.search(o.text) for o in between):
        return None  # "lift capacity to 850 million tablets from 550 million": a count is nearer
    if p.start < s.start:
        before = an.sentences[s.index - 1] if s.index > 0 else None
        if before is None or p.start < before.start or before.line < s.line - 1 or before.heading:
            return None
    if _PART.search(an.text, p.end, q.start):
        return None  # a part of the total before it ("including 150 million from the fund")
    return p.unit


def is_cost_of_what_is_built(an: Analysis, end: int) -> bool:
    noun = an.modified_noun(end)
    return noun is not None and noun.lower_ in _OBJECT_NOUNS


def extract(an: Analysis) -> list[RawFact]:
    out = []
    cue_sentences: dict[int, bool] = {}
    money = [q for q in an.quantities if q.kind == "money"]
    money_starts = [q.start for q in money]
    starts = [q.start for q in an.quantities]

    def has_cue(i: int) -> bool:
        if i not in cue_sentences:
            s = an.sentences[i]
            cue_sentences[i] = _CUES.search(an.text, s.start, s.end) is not None
        return cue_sentences[i]

    for q in an.quantities:
        unit = q.unit
        if q.kind == "number":
            if (unit := borrowed_unit(an, q, money, money_starts, starts)) is None:
                continue
        elif q.kind != "money" or q.change or q.conversion:
            continue
        s = an.sentence_at(q.start)
        if s is None:
            continue
        if _excluded(an, q, s, money, money_starts) or _PER.search(an.text, q.end, min(s.end, q.end + 12)):
            continue
        if has_cue(s.index):
            rule, confidence = "investment_cue", 0.85
        elif is_cost_of_what_is_built(an, q.end):
            rule, confidence = "investment_modifier", 0.8
        elif s.index > 0 and has_cue(s.index - 1) and an.sentences[s.index - 1].line >= s.line - 2:
            rule, confidence = "investment_context", 0.6
        else:
            continue
        out.append(RawFact("investment", q.value, unit, q.qualifier, q.start, q.end, s, rule, confidence, q.value_max))
    return out
