"""Date facts: when something happened or will happen at a company or site.

A date counts when an event word (opened, launched, construction began,
registered, became a resident...) stands in its sentence and no statistics
word ("compared to", "growth", "revenue") stands right beside it. Relative
dates ("October of this year") are resolved against the document's own year. A
sentence that names no event but says "this" will be done by a date ("That is planned
for 2028") dates the event of the sentence before.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import replace

from spacy.tokens import Token

from ..values._scan import finditer_at, first_words, word_starts
from ..values.dates import WEEKDAYS, DateMention, find_dates
from .context import FACT_CUES, Analysis, RawFact, Sentence, cue_regex

_TRIGGERS = {event: cue_regex(words) for event, words in FACT_CUES["date_triggers"].items()}
_ANY_TRIGGER = cue_regex([w for words in FACT_CUES["date_triggers"].values() for w in words])
_TRIGGER_FIRST_WORDS = first_words(w for words in FACT_CUES["date_triggers"].values() for w in words)
_EVENT_NOUNS = cue_regex(FACT_CUES["date_event_nouns"])
_EXCLUDE = cue_regex(FACT_CUES["date_exclusions"])
_CLAUSE_BREAK = re.compile(r";|,\s+(?:and|but|while|whereas)\b|\s+and\s+(?:the|its|it|they|he|she|we)\b")
_THIS_YEAR = re.compile(r"\bthis\s+year\b", re.I)
_FULL_DATE = re.compile(r"^\d{4}-\d\d-\d\d$")
_DATELINE_CHARS = 400
_EVENT_REACH = 200  # characters either side of a date searched for its event word
_FUTURE = {"will", "shall", "plan", "plans", "planned", "planning", "expect", "expected", "expects", "scheduled", "intend", "intends", "aim", "aims", "projected", "forecast"}
_TARGET_BEFORE = re.compile(r"\b(?:by|until|till|through|to)\s+(?:the\s+end\s+of\s+)?$", re.I)
_REPORTING = frozenset(FACT_CUES["reporting_verbs"])
_STATISTICS = frozenset(FACT_CUES["statistics_verbs"])
#: after a dateline's date: "(Nordwire) –", "/Nordwire/ --", ":", "—"
_DATELINE_TAIL = re.compile(r"[ \t]*(?:\([^()\n]{0,60}\)|/[^/\n]{1,60}/)?[ \t]*[:—–-]")
_FUTURE_MODALS = frozenset({"will", "shall"})
_MODAL = frozenset({"will", "would", "shall", "should", "to", "may", "might", "can", "could", "must"})
_SIDE_CLAUSES = frozenset({"pcomp", "relcl", "acl"})  # "despite ... voting", "which ...", "a vote held ..."
_ANAPHOR_VERBS = frozenset(FACT_CUES["date_anaphor_verbs"])
_ANAPHORS = frozenset({"this", "that"})
_SIGN_VERBS = frozenset(FACT_CUES["sign_verbs"])
_DEAL_NOUNS = frozenset(FACT_CUES["signed_deal_nouns"])
_JOB_NOUNS = frozenset(w.lower() for w in FACT_CUES["job_nouns"])
_CREATING_VERBS = frozenset(FACT_CUES["job_creating_verbs"])


def find(an: Analysis) -> tuple[str | None, list[DateMention]]:
    """The document's own date and every date in it, relative ones resolved against that date.
    The dates are read a second time only when some are relative; the pattern is tried once per
    place either way (what it matched is kept)."""
    tried: dict = {}
    mentions = find_dates(an.text, at=an.date_starts, tried=tried)
    doc_date = document_date(an, mentions)
    if doc_date and any(m.relative or m.value is None or "X" in m.value for m in mentions):
        unanchored = {m.start: m for m in mentions} if len(doc_date) == 4 else {}
        mentions = [_coming(an, m, doc_date) for m in find_dates(an.text, int(doc_date[:4]), doc_date, at=an.date_starts, tried=tried)]
        if unanchored:  # a year read off the past the text speaks of: a month to come may be in a later one
            mentions = [_unknown_year(an, m, unanchored.get(m.start)) for m in mentions]
    return doc_date, mentions


def _unknown_year(an: Analysis, m: DateMention, unanchored: DateMention | None) -> DateMention:
    """A month or day without its year in a clause about what will happen ("will be ready by
    March"), in a text whose year is only the latest its past-tense sentences speak of: that year
    is when the text was written at the earliest, so the month's year is unknown ("XXXX-03")."""
    if unanchored is None or not (unanchored.value or "").startswith("XXXX-"):
        return m
    verb = _governing_verb(an, m.start, m.end)
    if verb is None or not any(c.lower_ in _FUTURE_MODALS for c in verb.children):
        return m
    return unanchored


def _coming(an: Analysis, m: DateMention, doc_date: str) -> DateMention:
    """A bare weekday is placed in the days before the text's date; "will open on Friday" is the
    Friday after it (unless it is the text's own day)."""
    if not (m.relative and m.value and m.text in WEEKDAYS and m.value != doc_date):
        return m
    verb = _governing_verb(an, m.start, m.end)
    if verb is None or not any(c.lower_ in _FUTURE_MODALS for c in verb.children):
        return m
    day = datetime.date.fromisoformat(m.value) + datetime.timedelta(days=7)
    return replace(m, value=day.isoformat())


def document_date(an: Analysis, mentions: list[DateMention]) -> str | None:
    """When the text was written, as far as it tells: a full date in its first lines, else the
    latest year its past-tense sentences speak of (one later when "this year" is set against it)."""
    mentions = [m for m in mentions if m.value and not m.relative and "X" not in m.value]
    for m in mentions:
        if m.start > _DATELINE_CHARS:
            break
        if _FULL_DATE.match(m.value):
            return m.value
    best: int | None = None
    contrast: set[int] = set()
    past: dict[int, bool] = {}
    for m in mentions:
        s = an.sentence_at(m.start)
        if s is None:
            continue
        if s.index not in past:
            tokens = an.tokens_between(s.start, s.end)
            past[s.index] = any(t.tag_ in ("VBD", "VBN") for t in tokens) and not any(t.lower_ in _FUTURE for t in tokens)
        if not past[s.index]:
            continue
        if _TARGET_BEFORE.search(an.text, max(0, m.start - 25), m.start):
            continue  # "by 2030": a target, not a time the text looks back on
        year = int(m.value[:4])
        if m.value_end:
            year = max(year, int(m.value_end[:4]))
        if best is None or year > best:
            best = year
        if _THIS_YEAR.search(an.text, s.start, s.end):
            contrast.add(year)
    if best is None:
        return None
    return str(best + 1 if best in contrast else best)


def _event(an: Analysis, start: int, end: int, s_start: int, s_end: int) -> str | None:
    """The event word nearest the date in its sentence, with a noun beside it: 'construction started'."""
    best = None
    s_start, s_end = max(s_start, start - _EVENT_REACH), min(s_end, end + _EVENT_REACH)
    for event, m in trigger_matches(an.text, s_start, s_end):
        lo, hi = (m.end(), start) if m.end() <= start else (end, m.start())
        other_clause = _CLAUSE_BREAK.search(an.text, lo, hi) is not None
        dist = (other_clause, min(abs(m.start() - end), abs(start - m.end())))
        if best is None or dist < best[0]:
            best = (dist, event, m)
    if best is None:
        return None
    _, event, m = best
    noun = None
    for n in _EVENT_NOUNS.finditer(an.text, max(s_start, m.start() - 40), min(s_end, m.end() + 40)):
        if n.start() != m.start():
            noun = n.group(0).lower()
            break
    if event == "construction":
        return "construction"
    return f"{noun} {event}" if noun and noun not in event else event


def trigger_matches(text: str, start: int, end: int) -> Iterator[tuple[str, re.Match[str]]]:
    """(event, match) of every event word in ``text[start:end]``: what each event's pattern finds
    with ``finditer(text, start, end)``, event by event, in the same order. The patterns are tried
    only where a run of letters that begins one of the event words stands (one pass over the
    words), instead of at every character once per event."""
    at = word_starts(text, _TRIGGER_FIRST_WORDS, start, end)
    for event, rx in _TRIGGERS.items():
        for m in finditer_at(rx, text, at, end):
            yield event, m


def _with_dateline(an: Analysis, s: Sentence, date_end: int) -> Sentence:
    """"Ahmedabad, January 21, 2025:" split off as a sentence of its own, or with no verb after the
    date ("... /Wire/ -- Velmar Inc. (NASDAQ: VLM)" cut before "today announced"): read it with the
    next one on its line."""
    rest = an.text[date_end : s.end]
    bare = len(rest.strip(" :—–-,")) == 0 or (
        date_end < _DATELINE_CHARS and _DATELINE_TAIL.match(an.text, date_end) is not None
        and not any(t.pos_ in ("VERB", "AUX") for t in an.tokens_between(date_end, s.end)))
    if bare and s.index + 1 < len(an.sentences):
        nxt = an.sentences[s.index + 1]
        if nxt.line == s.line:
            return Sentence(nxt.index, s.start, nxt.end, s.line, False)
    return s


def _triggers(an: Analysis, s: Sentence) -> list[Token]:
    """The event words of a sentence, as tokens; one word used as an adjective before a noun
    ("finished imported drugs", "expanded facilities") is none, and so is signing what is no deal
    ("signed a letter")."""
    out = []
    for m in finditer_at(_ANY_TRIGGER, an.text, word_starts(an.text, _TRIGGER_FIRST_WORDS, s.start, s.end), s.end):
        tok = an.token_at(m.start())
        if tok is not None and not (tok.dep_ == "amod" and " " not in m.group()) and not _signs_no_deal(tok) and not _makes_jobs(tok):
            out.append(tok)
    return out


def _makes_jobs(verb: Token) -> bool:
    """"60 jobs will be created by 2027", "to create 300 workplaces": what is made is jobs, a
    target for staff, not an event at the company or site."""
    return verb.lower_ in _CREATING_VERBS and any(c.dep_ in ("dobj", "nsubjpass") and c.lower_ in _JOB_NOUNS for c in verb.children)


def _signs_no_deal(verb: Token) -> bool:
    """"Local growers signed a petition in March": what is signed (the object, or the subject
    of "was signed") is not a deal, a lease or an act; "signed a lease", "a letter of intent was
    signed" and a signing with nothing said of what is signed are events."""
    if verb.lower_ not in _SIGN_VERBS:
        return False
    signed = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
    if not signed:
        return False
    for noun in signed:
        words = [noun] + [p for c in noun.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children if p.dep_ == "pobj"]
        if any(w.lower_ in _DEAL_NOUNS for w in words):
            return False
    return True


def _governing_verb(an: Analysis, start: int, end: int) -> Token | None:
    """The verb the date at ``start:end`` hangs from in the parse ("began in [2022]" -> began)."""
    toks = [t for t in an.tokens_between(start, end) if not t.is_space]
    if not toks:
        return None
    top = next((t for t in toks if not start <= t.head.idx < end), toks[-1])
    head = top.head
    for _ in range(5):
        if head.pos_ in ("VERB", "AUX") or head.head is head:
            break
        head = head.head
    return head if head.pos_ in ("VERB", "AUX") and head is not top else None


def _points_back(an: Analysis, s: Sentence, d: DateMention) -> Sentence | None:
    """The sentence before ``s`` when the date's clause has "this" or "that" as the subject of a
    verb of getting done ("That is planned for 2028", "This is expected in May"): the
    event it dates is the one that sentence names."""
    if s.index == 0 or an.sentences[s.index - 1].heading:
        return None
    verb = _governing_verb(an, d.start, d.end)
    if verb is None or verb.lower_ not in _ANAPHOR_VERBS:
        return None
    if not any(c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in _ANAPHORS for c in verb.children):
        return None
    return an.sentences[s.index - 1]


def _has_event(head: Token, triggers: list[Token]) -> bool:
    inside = {t.i for t in head.subtree}
    return any(t.i in inside for t in triggers)


def _in_side_clause_without_event(verb: Token, triggers: list[Token]) -> bool:
    """"... despite the council voting to close the road in June": the date's verb stands in a
    clause after a preposition, a relative clause or a clause modifying a noun, and that clause
    names no event of its own."""
    clause = verb
    while clause.dep_ in ("xcomp", "aux", "conj") and clause.head is not clause:
        clause = clause.head
    if clause.dep_ == "acl" and any(t.i == clause.head.i for t in triggers):
        return False  # "with completion expected in 2027": the clause is about the event noun it modifies
    return clause.dep_ in _SIDE_CLAUSES and not _has_event(clause, triggers)


def _is_dateline(an: Analysis, d: DateMention) -> bool:
    """The text's own date at its head: "KESTREL, 14 March (Nordwire) –", "December 29 (Agency):"."""
    return d.start < _DATELINE_CHARS and _DATELINE_TAIL.match(an.text, d.end) is not None


def _alone(mentions: list[DateMention], d: DateMention, s: Sentence) -> bool:
    """No other date stands in the sentence of the dateline's date ``d``: "KESTREL, May 4 -- Velmar
    today announced that it has opened a plant" tells an event of the text's day (a statement
    about an event dated elsewhere in the sentence, "said its plant opened in 2019", does not; its
    "today" is the dateline's day again)."""
    return not any(m is not d and m.value is not None and m.value != d.value and s.start <= m.start < s.end for m in mentions)


def _told_as_done(tok: Token) -> bool:
    """An event verb in the past or the present ("opened", "has opened", "opens"), not one to come
    ("will be built", "plans to open"); an event noun that is the object of such a verb ("today
    announced the opening of its plant", "celebrated the inauguration"; not "will celebrate the
    opening", "announced plans for the opening"); also one before the object it names ("held a
    groundbreaking ceremony", "hosted the opening ceremony")."""
    if tok.pos_ in ("NOUN", "ADJ") and tok.dep_ in ("compound", "amod") and tok.head.pos_ == "NOUN":
        tok = tok.head
    if tok.pos_ == "NOUN" and tok.dep_ == "dobj" and tok.head.pos_ == "VERB":
        tok = tok.head
    return tok.tag_ in ("VBD", "VBN", "VBZ", "VBP") and not any(c.lower_ in _MODAL for c in tok.children)


def extract(an: Analysis, mentions: list[DateMention]) -> list[RawFact]:
    """Date facts among ``mentions`` (from :func:`find`). A date counts when its sentence names an
    event, no statistics word stands beside it, and the parse does not tie it to something else:
    a statement ("said Tuesday it will invest"), a side clause about another matter. The text's
    own date at its head is an event's date only when the event is told as done or as happening
    ("Halden, 19 September — X opened a plant", "... X opens a plant"; not "X will be built"),
    also when a statement tells it and the sentence has no other date ("... -- X today announced
    that it has broken ground on a plant")."""
    out = []
    triggers: dict[tuple[int, int], list[Token]] = {}
    taken: set[tuple[int, str]] = set()
    for d in mentions:
        if d.value is None:
            continue
        s = an.sentence_at(d.start)
        if s is None or s.heading:
            continue
        s = _with_dateline(an, s, d.end)
        if (s.start, s.end) not in triggers:
            triggers[(s.start, s.end)] = _triggers(an, s)
        events = triggers[(s.start, s.end)]
        told = s  # the sentence that names the event
        if not events and (before := _points_back(an, s, d)) is not None:
            told = before
            events = triggers.setdefault((told.start, told.end), _triggers(an, told))
        if not events:
            continue
        if _EXCLUDE.search(an.text, max(s.start, d.start - 40), min(s.end, d.end + 25)):
            continue
        verb = _governing_verb(an, d.start, d.end)
        dateline = _is_dateline(an, d)
        if verb is not None and (
            (verb.lower_ in _REPORTING and not (dateline and _alone(mentions, d, s)))
            or _in_side_clause_without_event(verb, events) or (verb.lower_ in _STATISTICS and not _has_event(verb, events))
        ):
            continue
        if dateline and not any(_told_as_done(t) for t in events):
            continue
        if (s.start, d.value) in taken:
            continue  # "Novi Sad, 6 June 2023 — X opened a plant on Tuesday": one date said twice
        taken.add((s.start, d.value))
        event = _event(an, d.start, d.end, told.start, told.end)
        confidence = 0.7 if d.relative else 0.8
        out.append(RawFact("date", d.value, None, None, d.start, d.end, s, "date_event", confidence, d.value_end, event=event))
    return out
