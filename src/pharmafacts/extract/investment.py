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

from .context import FACT_CUES, Analysis, RawFact, cue_regex

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


def is_cost_of_what_is_built(an: Analysis, end: int) -> bool:
    noun = an.modified_noun(end)
    return noun is not None and noun.lower_ in _OBJECT_NOUNS


def extract(an: Analysis) -> list[RawFact]:
    out = []
    cue_sentences: dict[int, bool] = {}
    money = [q for q in an.quantities if q.kind == "money"]
    money_starts = [q.start for q in money]

    def has_cue(i: int) -> bool:
        if i not in cue_sentences:
            s = an.sentences[i]
            cue_sentences[i] = _CUES.search(an.text, s.start, s.end) is not None
        return cue_sentences[i]

    for q in an.quantities:
        if q.kind != "money" or q.change or q.conversion:
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
        out.append(RawFact("investment", q.value, q.unit, q.qualifier, q.start, q.end, s, rule, confidence, q.value_max))
    return out
