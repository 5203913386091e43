"""What every extractor reads: the text, the spaCy Doc, sentences, lines and quantities.

Built once per document, so that no extractor rescans the whole text for what
another already found.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import ClassVar

import numpy
from spacy.attrs import IDX, LENGTH, SENT_START
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span, Token

from ..nlp import in_sorted
from ..values import dates as _dates
from ..values import quantities as _quantities
from ..values._data import load
from ..values._scan import first_words, starts_of
from ..values.quantities import Quantity, find_quantities

LEXICON = load("lexicon")
_NEWLINE = re.compile("\n")
#: What follows the place of a dateline (", 19 September 2024", " (Russia), 20 August", ", October 8"):
#: a name followed by it is a town, not a company or site.
DATELINE_AFTER = re.compile(r"(?:[ \t]*\([^()\n]{1,40}\))?,[ \t]*(?:\d{1,2}[ \t]+[A-Z][a-z]+|[A-Z][a-z]+\.?[ \t]+\d{1,2})\b")
_MODIFIER_DEPS = frozenset({"amod", "compound", "nmod", "nummod", "quantmod", "punct"})
_HEADING_MAX_CHARS = 200
_HEADING_MAX_WORDS = 12


@dataclass(frozen=True)
class Sentence:
    index: int
    start: int
    end: int
    line: int  # index of the text line the sentence starts on
    heading: bool  # a short line of its own with no closing punctuation


@dataclass
class EntityMention:
    """A company or site named in the text; ``name`` is the surface form without legal form."""

    start: int
    end: int
    name: str
    kind: str  # "company" or a site kind: sez, site, park, complex, cluster
    rule: str
    legal_form: str | None = None
    role: str | None = None  # "parent": a group named in brackets after its member
    parent: str | None = None  # for companies: the group's name
    part_of: str | None = None  # for sites: the larger site's name
    alias_of: str | None = None  # another name of the same entity, said in brackets
    locative: bool = False  # introduced by at/in/within...: a place, not an actor
    strength: int = 2  # 2: a structural rule; 1: the statistical model alone

    @property
    def is_company(self) -> bool:
        return self.kind == "company"


@dataclass
class Analysis:
    """One document after the spaCy pipeline. ``text`` is the cleaned text (same offsets as the source)."""

    text: str
    doc: Doc
    sentences: list[Sentence] = field(default_factory=list)

    def __post_init__(self) -> None:
        text = self.text
        # token offsets and sentence starts in one call, without a Python object per token (nor a
        # list per token: a long text's Doc would be held several times over)
        array = self.doc.to_array([IDX, SENT_START, LENGTH])
        self._token_starts = array[:, 0].tolist()
        self._token_ends = (array[:, 0] + array[:, 2]).tolist()
        starts = array[:, 1] == 1
        starts[:1] = True
        line_starts = [0] + [m.end() for m in _NEWLINE.finditer(text)]
        bounds = array[starts, 0].tolist() + [len(text)]  # as Doc.sents
        sents = []
        for a, b in zip(bounds, bounds[1:]):
            span = text[a:b]  # the sentence and the whitespace after it
            start = a + len(span) - len(span.lstrip())
            end = a + len(span.rstrip())
            if end <= start:
                continue
            line = bisect.bisect_right(line_starts, start) - 1
            line_end = line_starts[line + 1] - 1 if line + 1 < len(line_starts) else len(text)
            # a heading: a short line of its own with no closing punctuation (bounded work per sentence)
            heading = (
                line_end - line_starts[line] <= _HEADING_MAX_CHARS
                and not text[line_starts[line] : start].strip()
                and not text[end:line_end].strip()
                and text[end - 1] not in ".!?:;\"'»)…"
                and ": " not in text[start:end]  # "Area: 12,000 sq m" is a field, not a heading
                and len(text[start:end].split()) <= _HEADING_MAX_WORDS
            )
            sents.append(Sentence(len(sents), start, end, line, heading))
        self.sentences = sents
        self._sentence_starts = [s.start for s in sents]

    #: words whose runs the same pass lists with their offsets (:meth:`runs`): the first words of the
    #: phrases the company patterns begin with (``extract.companies``), as data/lexicon.json lists them
    run_words: ClassVar[frozenset[str]] = first_words(
        [*(phrase for key in LEXICON["company_cue_lists"] for phrase in LEXICON[key]), *LEXICON["company_cue_marks"]]
    )

    @cached_property
    def _value_starts(self) -> tuple[list, ...]:
        """Where a quantity, and where a date, can begin, and the runs of :attr:`run_words`: one pass
        over the text's word runs for all three."""
        return starts_of(self.text, (_quantities.FIRST_WORDS, _dates.FIRST_WORDS), runs=self.run_words)

    def runs(self, words: frozenset[str]) -> list[tuple[int, str]]:
        """(offset, run in lower case) of each run of :data:`values._scan.RUN` in the text whose lower
        case is one of ``words`` (a subset of :attr:`run_words`), from the pass that finds where
        values can begin."""
        if not words <= self.run_words:
            raise ValueError("words not in Analysis.run_words")
        found = self._value_starts[2] if self.run_words else []
        return found if words == self.run_words else [(at, w) for at, w in found if w in words]

    @cached_property
    def quantities(self) -> list[Quantity]:
        return find_quantities(self.text, self._value_starts[0])

    @property
    def date_starts(self) -> list[int]:
        """Where a date can begin (``values.dates.find_dates(text, at=...)``)."""
        return self._value_starts[1]

    @cached_property
    def ents(self) -> tuple[Span, ...]:
        """The model's entities (``Doc.ents`` builds them anew at every call)."""
        return self.doc.ents

    @cached_property
    def entity_labels(self) -> dict[str, set[str]]:
        """Each token text -> the entity labels the model gave it anywhere in the document."""
        labels: dict[str, set[str]] = {}
        text, starts, ends = self.text, self._token_starts, self._token_ends
        for e in self.ents:  # a token's text is the text at its offsets (no Token made)
            label = e.label_
            for i in range(e.start, e.end):
                labels.setdefault(text[starts[i] : ends[i]], set()).add(label)
        return labels

    @cached_property
    def entity_spans(self) -> dict[tuple[int, int], str]:
        """(start, end) of each entity the model found -> its label."""
        return {(e.start_char, e.end_char): e.label_ for e in self.ents}

    @cached_property
    def entity_texts(self) -> dict[str, set[str]]:
        """Entity text -> the labels the model gave that exact text."""
        out: dict[str, set[str]] = {}
        text = self.text
        for e in self.ents:  # Span.text is the text at its offsets (no join of its tokens' texts)
            out.setdefault(text[e.start_char : e.end_char], set()).add(e.label_)
        return out

    def indices(self, attr: int, values: numpy.ndarray) -> list[int]:
        """Indices of the tokens whose ``attr`` (``spacy.attrs.POS``, ``LOWER``...) is one of
        ``values`` (a sorted uint64 array: :func:`hashes`), read from one array of the Doc."""
        if not len(self.doc) or not len(values):
            return []
        return numpy.flatnonzero(in_sorted(self.doc.to_array(attr), values)).tolist()

    def sentence_at(self, offset: int) -> Sentence | None:
        i = bisect.bisect_right(self._sentence_starts, offset) - 1
        if i < 0:
            return None
        s = self.sentences[i]
        return s if offset < s.end else None

    def token_at(self, offset: int) -> Token | None:
        i = bisect.bisect_right(self._token_starts, offset) - 1
        return self.doc[i] if 0 <= i < len(self.doc) else None

    def modified_noun(self, end: int) -> Token | None:
        """The noun a figure ending at ``end`` stands before as a modifier: "$135 million [facility]",
        "R2bn high-potency [facility]", "a 5,000-square-metre [school]"; None when the figure is
        not a modifier. Read from the tokens after the figure: modifiers (adjectives, compounds,
        hyphens) are passed over, and the first other token must be a noun."""
        tok = self.token_at(end)
        if tok is not None and tok.idx + len(tok.text) <= end:
            tok = tok.nbor() if tok.i + 1 < len(tok.doc) else None
        for _ in range(8):
            if tok is None or tok.is_space:
                return None
            if tok.text in "-–" or (tok.dep_ in _MODIFIER_DEPS and tok.pos_ in ("ADJ", "NOUN", "PROPN", "VERB") and tok.head.i > tok.i):
                tok = tok.nbor() if tok.i + 1 < len(tok.doc) else None
                continue
            return tok if tok.pos_ == "NOUN" else None
        return None

    def token_range(self, start: int, end: int) -> tuple[int, int]:
        """(i, j): ``doc[i:j]`` are the tokens that end after ``start`` and begin before ``end``
        (``i >= j`` when there are none), read from the token offsets without a Token object."""
        i = max(0, bisect.bisect_right(self._token_starts, start) - 1)
        j = bisect.bisect_left(self._token_starts, end)
        if i < j and self._token_ends[i] <= start:
            i += 1
        return i, j

    def char_range(self, i: int, j: int) -> tuple[int, int]:
        """(start, end) in the text of the tokens ``doc[i:j]`` (``i < j``): ``Span.start_char`` and
        ``Span.end_char``, read from the token offsets without a Span."""
        return self._token_starts[i], self._token_ends[j - 1]

    def tokens_between(self, start: int, end: int) -> list[Token]:
        i, j = self.token_range(start, end)
        return list(self.doc[i:j]) if i < j else []



FACT_CUES = load("facts")


_COST_NOUNS = frozenset(LEXICON["cost_nouns"])


def cost_phrase_end(doc: Doc, i: int) -> int | None:
    """Where the sum begins (the token after 'of') when token ``i`` opens "with", an article, at most
    two adjectives, a cost noun and "of" ("X with the cost of $12 million", "with a total estimated
    value of"); else None."""
    if i >= len(doc) or doc[i].lower_ != "with":
        return None
    j = i + 1
    if j < len(doc) and doc[j].pos_ == "DET":
        j += 1
    for _ in range(2):
        if j < len(doc) and doc[j].pos_ == "ADJ":
            j += 1
    if j + 2 >= len(doc) or doc[j].lower_ not in _COST_NOUNS or doc[j + 1].lower_ != "of":
        return None
    return j + 2


def hashes(words) -> numpy.ndarray:
    """The string hashes of ``words`` (symbols' ids for part-of-speech names), sorted, for :meth:`Analysis.indices`."""
    return numpy.array(sorted({get_string_id(w) for w in words}), dtype=numpy.uint64)


def alternation(words: list[str]) -> str:
    """Regex alternation of literal phrases, longest first; a space matches any run of spaces."""
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


def cue_regex(words: list[str]) -> re.Pattern[str]:
    """Case-insensitive whole-word alternation of the phrases in a cue list. A phrase that begins
    with a symbol ("/share", "%") may stand right after a word or digit ("$40/share")."""
    words = list(words)
    parts = [rf"(?<![\w-])(?:{alternation([w for w in words if w[:1].isalnum()])})"] if any(w[:1].isalnum() for w in words) else []
    if symbols := [w for w in words if not w[:1].isalnum()]:
        parts.append(f"(?:{alternation(symbols)})")
    return re.compile(rf"(?:{'|'.join(parts)})(?![\w])", re.I)


@dataclass
class RawFact:
    """A fact before its subject is known."""

    kind: str
    value: Decimal | str
    unit: str | None
    qualifier: str | None
    start: int
    end: int
    sentence: Sentence
    rule: str
    confidence: float
    value_max: Decimal | str | None = None
    event: str | None = None
