"""Where a long regular expression is worth trying: a cheap first pass over the words.

Python's ``re`` tries a pattern that begins with optional groups and alternations at
every position, at a cost of a microsecond or so each. The date and quantity patterns can
only begin with a digit, a symbol or one of a known set of words, so they are tried only
where the text has one of those: most words ("the company", "plant") are passed over
with a set look-up. The finders' tests check that the matches are the same as trying
every run of letters or digits (dates) or every position (quantities).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

#: Runs of letters, runs of digits, single symbols: "RUB5bn" -> "RUB", "5", "bn". A name or
#: phrase that stands as a whole word in a text begins where one of these begins.
RUN = re.compile(r"[^\W\d_]+|\d+|[^\w\s]|_")


def first_words(phrases: Iterable[str]) -> frozenset[str]:
    """How ``phrases`` begin: their first run of letters in lower case, or their first
    character when it is a symbol ("approx." -> "approx", "US$" -> "us", "$" -> "$")."""
    return frozenset(m.group().lower() for p in phrases if (m := RUN.match(p.strip())))


def starts(text: str, words: frozenset[str]) -> Iterator[int]:
    """Offsets in ``text`` where a run of digits begins, a run of letters that is one of
    ``words`` (in lower case), or a symbol in ``words``: every place where a pattern that
    begins with a digit or one of ``words`` can match, and few others."""
    for m in RUN.finditer(text):
        w = m.group()
        if w[0].isdigit() or w.lower() in words:
            yield m.start()


def starts_of(text: str, word_sets: Sequence[frozenset[str]], runs: frozenset[str] = frozenset()) -> tuple[list, ...]:
    """``list(starts(text, words))`` for each of ``word_sets``, in one pass over the text: the
    finders of one document share it (``extract.context.Analysis``). With ``runs``, one list more:
    (offset, run in lower case) of each run whose lower case is one of ``runs`` (``extract.companies``'
    cue words), from the same pass."""
    outs = tuple([] for _ in word_sets)
    pairs = tuple(zip(word_sets, outs))
    found: list[tuple[int, str]] = []
    for m in RUN.finditer(text):
        w = m.group()
        if w[0].isdigit():
            at = m.start()
            for out in outs:
                out.append(at)
            if w in runs:  # a run of digits is its own lower case
                found.append((at, w))
        else:
            low = w.lower()
            for words, out in pairs:
                if low in words:
                    out.append(m.start())
            if low in runs:
                found.append((m.start(), low))
    return (*outs, found) if runs else outs


def word_starts(text: str, words: frozenset[str], start: int, end: int) -> list[int]:
    """Offsets in ``text[start:end]`` where a run of letters that is one of ``words`` (in lower
    case) begins, the runs cut at ``end`` as a pattern's ``endpos`` cuts the text: with
    :func:`finditer_at`, where a pattern of whole words that begin with ``words`` can match."""
    return [m.start() for m in RUN.finditer(text, start, end) if m.group().lower() in words]


def finditer_at(pattern: re.Pattern[str], text: str, at: Iterable[int], end: int) -> Iterator[re.Match[str]]:
    """What ``pattern.finditer(text, start, end)`` finds, for a pattern that can only match where
    one of ``at`` stands (sorted offsets from ``start`` on): the pattern is tried there alone."""
    after = 0  # finditer goes on after the end of each match
    for i in at:
        if i >= after and (m := pattern.match(text, i, end)) is not None:
            yield m
            after = m.end()
