"""Date facts: when something happened or will happen at a company or site.

A date counts when an event word (opened, launched, construction began,
registered, became a resident...) stands in its sentence and no statistics
word ("compared to", "growth", "revenue") stands right beside it. Relative
dates ("October of this year") are resolved against the document's own year.
"""

from __future__ import annotations

import re

from ..values.dates import DateMention, find_dates
from .context import FACT_CUES, Analysis, RawFact, Sentence, cue_regex

_TRIGGERS = {event: cue_regex(words) for event, words in FACT_CUES["date_triggers"].items()}
_ANY_TRIGGER = cue_regex([w for words in FACT_CUES["date_triggers"].values() for w in words])
_EVENT_NOUNS = cue_regex(FACT_CUES["date_event_nouns"])
_EXCLUDE = cue_regex(FACT_CUES["date_exclusions"])
_CLAUSE_BREAK = re.compile(r";|,\s+(?:and|but|while|whereas)\b|\s+and\s+(?:the|its|it|they|he|she|we)\b")
_THIS_YEAR = re.compile(r"\bthis\s+year\b", re.I)
_FULL_DATE = re.compile(r"^\d{4}-\d\d-\d\d$")
_DATELINE_CHARS = 400
_EVENT_REACH = 200  # characters either side of a date searched for its event word
_FUTURE = {"will", "shall", "plan", "plans", "planned", "planning", "expect", "expected", "expects", "scheduled", "intend", "intends", "aim", "aims", "projected", "forecast"}
_TARGET_BEFORE = re.compile(r"\b(?:by|until|till|through|to)\s+(?:the\s+end\s+of\s+)?$", re.I)


def find(an: Analysis) -> tuple[str | None, list[DateMention]]:
    """The document's own date and every date in it, relative ones resolved against that date.
    The text is scanned a second time only when it has relative dates to resolve."""
    mentions = find_dates(an.text)
    doc_date = document_date(an, mentions)
    if doc_date and any(m.relative or m.value is None or "X" in m.value for m in mentions):
        mentions = find_dates(an.text, int(doc_date[:4]))
    return doc_date, mentions


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
    for event, rx in _TRIGGERS.items():
        for m in rx.finditer(an.text, s_start, s_end):
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


def _with_dateline(an: Analysis, s: Sentence, date_end: int) -> Sentence:
    """"Ahmedabad, January 21, 2025:" split off as a sentence of its own: read it with the next one."""
    rest = an.text[date_end : s.end]
    if len(rest.strip(" :—–-,")) == 0 and s.index + 1 < len(an.sentences):
        nxt = an.sentences[s.index + 1]
        if nxt.line == s.line:
            return Sentence(nxt.index, s.start, nxt.end, s.line, False)
    return s


def extract(an: Analysis, mentions: list[DateMention]) -> list[RawFact]:
    """Date facts among ``mentions`` (from :func:`find`)."""
    out = []
    triggered: dict[tuple[int, int], bool] = {}
    for d in mentions:
        if d.value is None or d.value_end is not None:
            continue
        s = an.sentence_at(d.start)
        if s is None or s.heading:
            continue
        s = _with_dateline(an, s, d.end)
        if (s.start, s.end) not in triggered:
            triggered[(s.start, s.end)] = _ANY_TRIGGER.search(an.text, s.start, s.end) is not None
        if not triggered[(s.start, s.end)]:
            continue
        if _EXCLUDE.search(an.text, max(s.start, d.start - 40), min(s.end, d.end + 25)):
            continue
        event = _event(an, d.start, d.end, s.start, s.end)
        confidence = 0.7 if d.relative else 0.8
        out.append(RawFact("date", d.value, None, None, d.start, d.end, s, "date_event", confidence, event=event))
    return out
