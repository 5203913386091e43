"""Score extracted documents against hand-made gold files.

Gold files follow the annotation guideline (one JSON object per document: ``doc``,
``companies``, ``sites``, ``facts``, each item possibly ``optional``). The matching
rules are documented in ``docs/evaluation.md``; they give the same figures as the
team's reference scorer (``score.py``) on its own inputs.

No printing here: :func:`score` returns a :class:`Report`, which the CLI renders
with :func:`format_report` or :meth:`Report.to_dict`.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, Union

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

from .errors import PharmafactsError
from .records import FACT_KINDS, DocumentFacts, ExtractionOutput

KINDS = FACT_KINDS
ENTITY_GROUPS = ("companies", "sites")
REL_TOLERANCE = 0.005  # 0.5 % of the gold value ...
ABS_TOLERANCE = 0.5  # ... or half a unit, whichever is larger
BASELINE = "topic baseline facts+subject"  # the name the reference scorer gives that line
MIN_CONTAINED = 4  # a normalised name shorter than this never matches by containment

# Words dropped before names are compared: legal forms, group words, "the".
_IGNORED_WORDS = frozenset(
    "llc ltd jsc pjsc cjsc ojsc fsue fgup ooo zao oao pao inc corp co plc gmbh ag sa "
    "group gc company holding the".split()
)
_IGNORED_PHRASES = (("group", "of", "companies"),)
_QUOTES = re.compile("[\"'«»“”„`’]")
_WORD = re.compile(r"\w+")


class EvaluationError(PharmafactsError):
    """A gold or prediction file cannot be read. ``str(err)`` is one line naming the file."""


# --------------------------------------------------------------------------- inputs


class _Gold(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class GoldEntity(_Gold):
    name: str
    aliases: list[str] = []
    optional: bool = False


class GoldFact(_Gold):
    kind: str
    value: Union[int, float, str]
    value_max: Union[int, float, str, None] = None
    unit: str | None = None
    qualifier: str | None = None
    subject: str | None = None
    evidence: str | None = None
    event: str | None = None
    optional: bool = False


class GoldDocument(_Gold):
    doc: str
    doc_date: str | None = None
    companies: list[GoldEntity] = []
    sites: list[GoldEntity] = []
    facts: list[GoldFact] = []

    @property
    def stem(self) -> str:
        return Path(self.doc).stem


def _one_line(err: ValidationError) -> str:
    first = err.errors()[0]
    where = ".".join(str(p) for p in first["loc"]) or "top level"
    return f"{where}: {first['msg']}" + (f" (and {err.error_count() - 1} more)" if err.error_count() > 1 else "")


def load_gold(gold_dir: str | Path) -> list[GoldDocument]:
    """Every ``*.json`` file in ``gold_dir`` (not recursive), in sorted order."""
    docs = []
    for path in sorted(Path(gold_dir).glob("*.json")):
        try:
            docs.append(GoldDocument.model_validate_json(path.read_bytes()))
        except ValidationError as err:
            raise EvaluationError(f"{path}: not a gold file: {_one_line(err)}") from None
        except OSError as err:
            raise EvaluationError(f"{path}: {err.strerror or err}") from None
    return docs


_DOC_LIST = TypeAdapter(list[DocumentFacts])


def load_predictions(path: str | Path) -> list[DocumentFacts]:
    """An output file of ``pharmafacts extract``: JSON (``{"documents": [...]}``, a list or one
    document) or JSONL (one document per line)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise EvaluationError(f"{path}: cannot read: {getattr(err, 'strerror', None) or err}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        data = None
    try:
        if isinstance(data, dict) and "documents" in data:
            return list(ExtractionOutput.model_validate_json(text).documents)
        if isinstance(data, list):
            return _DOC_LIST.validate_json(text)
        if isinstance(data, dict):
            return [DocumentFacts.model_validate_json(text)]
    except ValidationError as err:
        raise EvaluationError(f"{path}: not a pharmafacts output: {_one_line(err)}") from None
    docs = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            docs.append(DocumentFacts.model_validate_json(line))
        except ValidationError as err:
            raise EvaluationError(f"{path}: line {number}: not a pharmafacts document: {_one_line(err)}") from None
    return docs


# --------------------------------------------------------------------------- matching rules


class _Named(Protocol):
    name: str
    aliases: Sequence[str]


class _FactLike(Protocol):
    kind: str
    value: Any
    unit: str | None
    subject: str | None


def normalise_name(name: str | None) -> str:
    """Compare-form of a name: case, quotes, punctuation, legal forms and group words dropped."""
    if not name:
        return ""
    s = _QUOTES.sub("", unicodedata.normalize("NFKC", name).casefold())
    words = _WORD.findall(s)
    for phrase in _IGNORED_PHRASES:
        n = len(phrase)
        i = 0
        while i <= len(words) - n:
            if tuple(words[i : i + n]) == phrase:
                del words[i : i + n]
            else:
                i += 1
    return " ".join(w for w in words if w not in _IGNORED_WORDS)


def name_keys(entity: _Named) -> set[str]:
    """The normalised name and aliases of an entity (empty ones left out)."""
    keys = {normalise_name(entity.name), *(normalise_name(a) for a in entity.aliases)}
    keys.discard("")
    return keys


def _contained(a: set[str], b: set[str]) -> bool:
    return any(x in y or y in x for x in a for y in b if len(x) >= MIN_CONTAINED and len(y) >= MIN_CONTAINED)


def names_match(a: set[str], b: set[str], containment: bool = True) -> bool:
    return bool(a & b) or (containment and _contained(a, b))


def dates_match(gold: str, pred: str) -> bool:
    """ISO prefixes with ``X`` as a wildcard; a prediction less precise than gold does not match."""
    if len(pred) < len(gold):
        return False
    return all(g == p or "X" in (g, p) for g, p in zip(gold, pred))


def values_match(kind: str, gold: _FactLike, pred: _FactLike) -> bool:
    if kind == "date":
        return dates_match(str(gold.value), str(pred.value))
    try:
        g = float(gold.value)
        bounds = [float(v) for v in (pred.value, getattr(pred, "value_max", None)) if v is not None]
    except (TypeError, ValueError):
        return False
    if kind == "investment" and gold.unit and pred.unit and gold.unit != pred.unit:
        return False
    # a range ("5 to 50 acres", value..value_max) matches on either bound
    return any(abs(g - p) <= max(REL_TOLERANCE * abs(g), ABS_TOLERANCE) for p in bounds)


@dataclass(frozen=True)
class _Subjects:
    """Name keys of the entities of one gold and one predicted document, by name."""

    gold: Mapping[str, set[str]]
    pred: Mapping[str, set[str]]

    @classmethod
    def of(cls, gold: GoldDocument, pred: DocumentFacts) -> _Subjects:
        return cls(
            {e.name: name_keys(e) for e in [*gold.companies, *gold.sites]},
            {e.name: name_keys(e) for e in [*pred.companies, *pred.sites]},
        )

    def match(self, gold: str | None, pred: str | None) -> bool:
        if gold is None or pred is None:
            return gold is None and pred is None  # a figure tied to nothing must stay so
        g = set(self.gold.get(gold) or {normalise_name(gold)}) - {""}
        p = (self.pred.get(pred, set()) | {normalise_name(pred)}) - {""}
        return names_match(g, p)


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Counts:
    tp: int = 0
    fn: int = 0
    fp: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fn + other.fn, self.fp + other.fp)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, float]:
        return {"tp": self.tp, "fn": self.fn, "fp": self.fp, "p": round(self.precision, 3), "r": round(self.recall, 3), "f1": round(self.f1, 3)}


@dataclass(frozen=True)
class Match:
    """One category (companies, or one fact kind) of one document: pairs, misses, extras."""

    pairs: tuple[tuple[Any, Any], ...]
    missed: tuple[Any, ...]  # strict gold items without a prediction
    extra: tuple[Any, ...]  # predictions matching no gold item

    @property
    def counts(self) -> Counts:
        tp = sum(1 for g, _ in self.pairs if not g.optional)
        return Counts(tp, len(self.missed), len(self.extra))


def _strict_first(items: Iterable[Any]) -> list[Any]:
    return sorted(items, key=lambda g: g.optional)


def _finish(gold: list[Any], pred: Sequence[Any], hits: dict[int, int]) -> Match:
    used = set(hits.values())
    return Match(
        pairs=tuple((gold[g], pred[p]) for g, p in sorted(hits.items())),
        missed=tuple(g for i, g in enumerate(gold) if i not in hits and not g.optional),
        extra=tuple(p for i, p in enumerate(pred) if i not in used),
    )


def match_entities(gold: Iterable[GoldEntity], pred: Sequence[_Named]) -> Match:
    """One-to-one and greedy: strict gold items first, each taking the first unused prediction
    that shares a name with it, else the first that contains or is contained in one of its names."""
    gold = _strict_first(gold)
    pkeys = [name_keys(p) for p in pred]
    hits: dict[int, int] = {}
    for gi, g in enumerate(gold):
        gk = name_keys(g)
        free = [i for i in range(len(pred)) if i not in hits.values()]
        pi = next((i for i in free if names_match(gk, pkeys[i], containment=False)), None)
        if pi is None:
            pi = next((i for i in free if names_match(gk, pkeys[i])), None)
        if pi is not None:
            hits[gi] = pi
    return _finish(gold, pred, hits)


def dedupe(facts: Iterable[_FactLike]) -> list[_FactLike]:
    """Predictions of the same (kind, value, subject) count once."""
    seen: set[tuple] = set()
    out = []
    for f in facts:
        value = float(f.value) if isinstance(f.value, (int, float)) else f.value
        key = (f.kind, type(value).__name__, value, normalise_name(f.subject))
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def match_facts(kind: str, gold: Iterable[GoldFact], pred: Iterable[_FactLike], subjects: _Subjects | None = None) -> Match:
    """Facts of one kind, one-to-one and greedy, strict gold first; with ``subjects`` the
    subject must match too."""
    gold = _strict_first(g for g in gold if g.kind == kind)
    pred = dedupe(p for p in pred if p.kind == kind)
    hits: dict[int, int] = {}
    for gi, g in enumerate(gold):
        used = set(hits.values())
        for pi, p in enumerate(pred):
            if pi in used or not values_match(kind, g, p):
                continue
            if subjects is not None and not subjects.match(g.subject, p.subject):
                continue
            hits[gi] = pi
            break
    return _finish(gold, pred, hits)


@dataclass(frozen=True)
class DocumentReport:
    name: str
    has_output: bool
    entities: Mapping[str, Match]  # "companies", "sites"
    facts: Mapping[str, Match]  # by kind, value only
    facts_subject: Mapping[str, Match]  # by kind, value and subject
    baseline: Mapping[str, Match]  # by kind, value and subject, every fact given the topic (see topic_baseline)
    grounded: int
    facts_total: int

    def wrong_subject(self, kind: str) -> list[tuple[GoldFact, Any]]:
        """Gold facts found by value but not with their subject, with the prediction that had the value."""
        with_subject = {id(g) for g, _ in self.facts_subject[kind].pairs}
        return [(g, p) for g, p in self.facts[kind].pairs if id(g) not in with_subject and not g.optional]


@dataclass(frozen=True)
class Report:
    documents: tuple[DocumentReport, ...]

    def totals(self) -> dict[str, Counts]:
        """companies, sites, then each kind and kind+subject, then ALL facts and ALL facts+subject."""
        out: dict[str, Counts] = {}
        for name in ENTITY_GROUPS:
            out[name] = sum((d.entities[name].counts for d in self.documents), Counts())
        for kind in KINDS:
            out[kind] = sum((d.facts[kind].counts for d in self.documents), Counts())
            out[f"{kind}+subject"] = sum((d.facts_subject[kind].counts for d in self.documents), Counts())
        out["ALL facts"] = sum((out[k] for k in KINDS), Counts())
        out["ALL facts+subject"] = sum((out[f"{k}+subject"] for k in KINDS), Counts())
        out[BASELINE] = sum((d.baseline[k].counts for d in self.documents for k in KINDS), Counts())
        return out

    @property
    def grounded(self) -> tuple[int, int]:
        return sum(d.grounded for d in self.documents), sum(d.facts_total for d in self.documents)

    @property
    def without_output(self) -> list[str]:
        return [d.name for d in self.documents if not d.has_output]

    def to_dict(self) -> dict[str, Any]:
        """The figures, keyed like the reference scorer's ``--json`` output."""
        out: dict[str, Any] = {name: c.to_dict() for name, c in self.totals().items()}
        ok, total = self.grounded
        out["grounded"] = f"{ok}/{total}"
        return out


def _grounding(doc: DocumentFacts, text: str | None) -> int:
    if text is None:
        return 0
    return sum(1 for f in doc.facts if text[f.start : f.end] == f.text)


def topic_baseline(pred: DocumentFacts) -> DocumentFacts:
    """The same document with every fact given its most-mentioned company (its most-mentioned
    site where it names no company): the line a subject rule has to beat."""
    entities = pred.companies or pred.sites
    top = max(entities, key=lambda e: len(e.mentions) or 1).name if entities else None
    return pred.model_copy(update={"facts": [f.model_copy(update={"subject": top}) for f in pred.facts]})


def score_document(gold: GoldDocument, pred: DocumentFacts | None, text: str | None = None) -> DocumentReport:
    has_output = pred is not None
    if pred is None:
        pred = DocumentFacts(source=gold.doc)
    subjects = _Subjects.of(gold, pred)
    baseline = topic_baseline(pred)
    return DocumentReport(
        name=gold.stem,
        has_output=has_output,
        entities={"companies": match_entities(gold.companies, pred.companies), "sites": match_entities(gold.sites, pred.sites)},
        facts={k: match_facts(k, gold.facts, pred.facts) for k in KINDS},
        facts_subject={k: match_facts(k, gold.facts, pred.facts, subjects) for k in KINDS},
        baseline={k: match_facts(k, gold.facts, baseline.facts, subjects) for k in KINDS},
        grounded=_grounding(pred, text),
        facts_total=len(pred.facts),
    )


def score(gold_docs: Iterable[GoldDocument], pred_docs: Iterable[DocumentFacts], texts: Mapping[str, str] | None = None) -> Report:
    """Score predictions against gold. Documents pair up by file stem (``a/b/x.txt`` is ``x``);
    ``texts`` (by stem) are the decoded source texts used to check grounding."""
    preds = {Path(d.source).stem: d for d in pred_docs}
    texts = texts or {}
    return Report(tuple(score_document(g, preds.get(g.stem), texts.get(g.stem)) for g in gold_docs))


# --------------------------------------------------------------------------- presentation


def _number(v: Any) -> str:
    return json.dumps(v, ensure_ascii=False) if not isinstance(v, str) else v


def describe_fact(f: Any) -> str:
    """``16750 m2 [Lumeria]``: value, unit and subject, for lists of misses and extras."""
    unit = f" {f.unit}" if f.unit and f.kind != "date" else ""
    return f"{_number(f.value)}{unit} [{f.subject if f.subject is not None else '-'}]"


def format_report(report: Report, verbose: bool = False) -> str:
    lines: list[str] = []
    if verbose:
        lines += _details(report)
    totals = report.totals()
    w = max(map(len, totals))
    lines.append(f"{'':{w}s} {'tp':>5s} {'fn':>5s} {'fp':>5s} {'precision':>9s} {'recall':>7s} {'f1':>6s}")
    for name, c in totals.items():
        lines.append(f"{name:{w}s} {c.tp:5d} {c.fn:5d} {c.fp:5d} {c.precision:9.3f} {c.recall:7.3f} {c.f1:6.3f}")
    ok, total = report.grounded
    lines.append(f"{'grounded':{w}s} {ok}/{total}")
    return "\n".join(lines) + "\n"


def _details(report: Report) -> list[str]:
    lines = []
    for d in report.documents:
        body = []
        if not d.has_output:
            body.append("  no output for this document")
        for name in ENTITY_GROUPS:
            m = d.entities[name]
            if m.missed:
                body.append(f"  {name}: missed " + "; ".join(g.name for g in m.missed))
            if m.extra:
                body.append(f"  {name}: extra " + "; ".join(p.name for p in m.extra))
        for kind in KINDS:
            m = d.facts[kind]
            if m.missed:
                body.append(f"  {kind}: missed " + "; ".join(describe_fact(g) for g in m.missed))
            if m.extra:
                body.append(f"  {kind}: extra " + "; ".join(describe_fact(p) for p in m.extra))
            wrong = d.wrong_subject(kind)
            if wrong:
                body.append(f"  {kind}: wrong subject " + "; ".join(f"{describe_fact(p)} (gold: {g.subject or '-'})" for g, p in wrong))
        if body:
            lines += [d.name, *body]
    return lines
