"""Jobs facts: jobs, workplaces, employees, staff of a company, plant or site.

"250 new jobs", "412 employees", "employing 187 people", "jobs for 3,900 people", "a 300-strong workforce",
"the number of jobs will rise to 1,150". Counts of people that are not
staff ("one in 15 people", "visitors") are not jobs.

Where the words between a figure and its noun are not listed modifiers, the parse
says what the figure counts: the noun it is a number of, past adjectives,
compounds and coordinated nouns ("80 new production and laboratory jobs",
"1,400 direct and 11,000 indirect jobs"), or the object of a hiring verb
("employs 45 biologists and engineers"; "will create about 75" in a sentence
about jobs).
"""

from __future__ import annotations

import re

from spacy.tokens import Token

from .context import FACT_CUES, Analysis, RawFact, alternation, cue_regex

_alt = alternation

_NOUN_AFTER = re.compile(
    rf"\s*(?:(?:{_alt(FACT_CUES['job_modifiers'])})\s+){{0,2}}({_alt(FACT_CUES['job_nouns'])})\b", re.I
)
_WEAK = {w.lower() for w in FACT_CUES["job_weak_nouns"]}
# "a 300-strong workforce"
_STRONG_AFTER = re.compile(rf"-strong\s+(?:[\w-]+\s+)?({_alt(FACT_CUES['job_strong_nouns'])})\b", re.I)
_CONTEXT_BEFORE = re.compile(rf"(?:{_alt(FACT_CUES['job_context_before'])})\s+(?:\w+\s+){{0,2}}$", re.I)
_CONTEXT_AFTER = re.compile(rf"\s+(?:{_alt(FACT_CUES['job_context_after'])})\b", re.I)
_TARGET_BEFORE = re.compile(
    rf"\b(?:{_alt(FACT_CUES['job_target_before'])})\b(?:[^;()]{{0,60}}?\b(?:to|reach(?:es|ing)?|of|is|are|at|now|numbers?|numbered|total(?:s|ing|ling)?)\s+|\s*[:—–]\s*)$", re.I
)
_YEAR = re.compile(r"(?:19|20)\d\d")
_JOB_NOUNS = {w.lower() for w in FACT_CUES["job_nouns"]}
_STRONG_NOUNS = _JOB_NOUNS - _WEAK
_HIRING_VERBS = frozenset(FACT_CUES["hiring_verbs"])
_CREATING_VERBS = frozenset(FACT_CUES["job_creating_verbs"])
_ANY_JOB_NOUN = cue_regex(FACT_CUES["job_nouns"])
_STRONG_NOUN = cue_regex([w for w in FACT_CUES["job_nouns"] if w.lower() not in _WEAK])
_NOUN_CHAIN_DEPS = frozenset({"compound", "nmod", "amod", "conj"})
_RATIO = cue_regex(FACT_CUES["ratio_cues"])
_PART_PREPOSITIONS = frozenset(FACT_CUES["job_part_prepositions"])
_PART_SEPARATORS = frozenset({",", ":", "-", "–", "—"})
_PART_REACH = 8  # tokens back from a part after "and" to the part before it


def _part_of_total(tok: Token) -> Token | None:
    """The job noun of the total that ``tok``, a number after it, is a part of: the noun has its own
    number before it, and the part follows the noun (a comma, colon or dash between) or hangs on
    it, saying where it comes from; or the part comes after "and" or a comma and another part, with
    no noun of its own ("640 jobs, 520 from the second line and 120 in packaging", "500 jobs: 350
    in Halden and 150 elsewhere")."""
    doc = tok.doc
    if tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ in _PART_PREPOSITIONS:
        before = tok.i - 1
        if before > 0 and doc[before].text in _PART_SEPARATORS:
            before -= 1
        noun = tok.head if tok.dep_ in ("nummod", "appos") and tok.head.i < tok.i else doc[before]
        if noun.i == before and noun.lower_ in _STRONG_NOUNS and any(c.dep_ == "nummod" and c.i < noun.i and c.pos_ == "NUM" for c in noun.children):
            return noun
    if tok.i < 2 or doc[tok.i - 1].lower_ not in ("and", ",") or (tok.dep_ in ("nummod", "compound") and tok.head.i > tok.i):
        return None
    for j in range(tok.i - 2, max(tok.sent.start, tok.i - _PART_REACH) - 1, -1):  # the part before
        if doc[j].pos_ == "NUM":
            return _part_of_total(doc[j]) if j < tok.i - 2 else None
    return None


def _counted(an: Analysis, end: int) -> Token | None:
    """What the number ending at ``end`` counts, when the parse says it is jobs or staff: the job
    noun or hired noun it is the number of, or the number itself as the bare object of a
    job-creating verb in a sentence that names jobs (of a hiring verb, in one that names staff
    in any words). Else None."""
    tok = an.token_at(end - 1)
    if tok is None or tok.pos_ != "NUM":
        return None
    if tok.dep_ == "dobj" and tok.head.lower_ in _CREATING_VERBS:
        sent = tok.sent
        # a hiring verb's bare number is staff in a sentence naming staff in any words ("employs
        # 230 people and plans to hire another 60"); another verb's ("add 60") needs a job noun
        nouns = _ANY_JOB_NOUN if tok.head.lower_ in _HIRING_VERBS else _STRONG_NOUN
        return tok if nouns.search(an.text, sent.start_char, sent.end_char) else None
    if (part := _part_of_total(tok)) is not None:
        return part
    if tok.dep_ not in ("nummod", "compound"):
        return None
    noun = tok.head
    for _ in range(3):  # "80 new production and laboratory jobs": 80 -> production -> jobs
        if noun.lower_ in _JOB_NOUNS or noun.dep_ not in _NOUN_CHAIN_DEPS or noun.head.pos_ != "NOUN":
            break
        noun = noun.head
    if noun.pos_ != "NOUN" or noun.i < tok.i:
        return None
    if noun.lower_ in _STRONG_NOUNS or (noun.dep_ == "dobj" and noun.head.lower_ in _HIRING_VERBS):
        return noun
    return None


def _counts_other(an: Analysis, end: int) -> bool:
    """The number ending at ``end`` is the number of a noun after it that is not a job noun:
    "... 150 jobs and lift annual output to 1.2 billion tablets" counts tablets, not staff."""
    tok = an.token_at(end - 1)
    if tok is None or tok.dep_ not in ("nummod", "compound"):
        return False
    noun = tok.head
    return noun.i > tok.i and noun.pos_ == "NOUN" and noun.lower_ not in _JOB_NOUNS


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
            if not weak or context:
                rule = "jobs_noun"
            elif not _YEAR.fullmatch(q.text) and _TARGET_BEFORE.search(text, max(s.start, q.start - 90), q.start):
                rule = "jobs_target"  # "the number of employees will grow to 300 people"
            else:
                continue
            end = noun.end(1)  # the fact reads "342 employees", not "342"
        elif strong := _STRONG_AFTER.match(text, q.end, min(s.end, q.end + 40)):
            rule, end = "jobs_noun", strong.end(1)
        elif not _YEAR.fullmatch(q.text) and _TARGET_BEFORE.search(text, max(s.start, q.start - 90), q.start):
            if _counts_other(an, q.end):
                continue
            rule = "jobs_target"
        elif not _YEAR.fullmatch(q.text) and (counted := _counted(an, q.end)) is not None:
            rule, end = "jobs_parse", min(s.end, max(q.end, counted.idx + len(counted.text)))  # "80 new ... jobs"
        if rule is None:
            continue
        if _RATIO.search(text, max(s.start, q.start - 12), q.start):
            continue
        out.append(RawFact("jobs", q.value, "jobs", q.qualifier, q.start, end, s, rule, 0.85, q.value_max))
    return out
