"""Investment facts: money put into building, modernising or developing production.

A money amount counts when its sentence speaks of investment (or the sentence
before it does and this one goes on with the same figures), or when the amount
is the cost of what is built ("a $40m facility", "a 300-mln-euro plant": the noun
the amount modifies in the parse is a plant, project or the like), and nothing
near it says revenue, tax, exports, a price or a rate. A figure in brackets that
restates the one before in another currency is not a second fact.
"""

from __future__ import annotations

from .context import FACT_CUES, Analysis, RawFact, cue_regex

_CUES = cue_regex(FACT_CUES["investment_cues"])
_EXCLUDE = cue_regex(FACT_CUES["investment_exclusions"])
_PER = cue_regex(FACT_CUES["per_unit"])
_OBJECT_NOUNS = frozenset(FACT_CUES["investment_object_nouns"])
_CLAUSE_BEFORE = 70
_CLAUSE_AFTER = 40


def is_cost_of_what_is_built(an: Analysis, end: int) -> bool:
    noun = an.modified_noun(end)
    return noun is not None and noun.lower_ in _OBJECT_NOUNS


def extract(an: Analysis) -> list[RawFact]:
    out = []
    cue_sentences: dict[int, bool] = {}

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
        before = max(s.start, q.start - _CLAUSE_BEFORE)
        after = min(s.end, q.end + _CLAUSE_AFTER)
        if _EXCLUDE.search(an.text, before, after) or _PER.search(an.text, q.end, min(after, q.end + 12)):
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
