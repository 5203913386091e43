"""Jobs facts: jobs, workplaces, employees, staff of a company, plant or site.

"250 new jobs", "968 employees", "employing 206 people", "jobs for 5,700 people",
"the number of jobs will increase to 4,400". Counts of people that are not
staff ("one in every 10 people", "visitors") are not jobs.
"""

from __future__ import annotations

import re

from .context import FACT_CUES, Analysis, RawFact, alternation, cue_regex

_alt = alternation

_NOUN_AFTER = re.compile(
    rf"\s*(?:(?:{_alt(FACT_CUES['job_modifiers'])})\s+){{0,2}}({_alt(FACT_CUES['job_nouns'])})\b", re.I
)
_WEAK = {w.lower() for w in FACT_CUES["job_weak_nouns"]}
_CONTEXT_BEFORE = re.compile(rf"(?:{_alt(FACT_CUES['job_context_before'])})\s+(?:\w+\s+){{0,2}}$", re.I)
_CONTEXT_AFTER = re.compile(rf"\s+(?:{_alt(FACT_CUES['job_context_after'])})\b", re.I)
_TARGET_BEFORE = re.compile(
    rf"\b(?:{_alt(FACT_CUES['job_target_before'])})\b(?:[^;()]{{0,60}}?\b(?:to|reach(?:es|ing)?|of|is|are|at|now|numbers?|numbered|total(?:s|ing|ling)?)\s+|\s*[:—–]\s*)$", re.I
)
_YEAR = re.compile(r"(?:19|20)\d\d")
_RATIO = cue_regex(FACT_CUES["ratio_cues"])


def extract(an: Analysis) -> list[RawFact]:
    out = []
    text = an.text
    for q in an.quantities:
        if q.kind != "number" or q.value < 1 or q.value != q.value.to_integral_value():
            continue
        s = an.sentence_at(q.start)
        if s is None:
            continue
        noun = _NOUN_AFTER.match(text, q.end, min(s.end, q.end + 60))
        rule = None
        end = q.end
        if noun:
            weak = noun.group(1).lower() in _WEAK
            context = _CONTEXT_BEFORE.search(text, max(s.start, q.start - 40), q.start) or _CONTEXT_AFTER.match(
                text, noun.end(), min(s.end, noun.end() + 30)
            )
            if weak and not context:
                continue
            rule, end = "jobs_noun", noun.end(1)  # the fact reads "342 employees", not "342"
        elif not _YEAR.fullmatch(q.text) and _TARGET_BEFORE.search(text, max(s.start, q.start - 90), q.start):
            rule = "jobs_target"
        if rule is None:
            continue
        if _RATIO.search(text, max(s.start, q.start - 12), q.start):
            continue
        out.append(RawFact("jobs", q.value, "jobs", q.qualifier, q.start, end, s, rule, 0.85, q.value_max))
    return out
