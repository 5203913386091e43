"""Regression snapshots: compare extraction with ``NAME.expected.json`` files beside the texts.

An expected file holds one document's :class:`DocumentFacts` as JSON, with ``source``
relative to the checked directory so that it does not depend on the working directory.
:func:`compare` reports what changed in terms a reviewer reads: facts missing, extra or
changed (facts are identified by ``(kind, start, end)``), companies and sites gained,
lost or changed, and document-level fields. No printing here.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from .errors import LoadError, NotTextError, PharmafactsError
from .load import expand_paths
from .records import Company, DocumentFacts, Fact, Site, Span

EXPECTED_SUFFIX = ".expected.json"
Status = Literal["missing", "extra", "changed"]

_DOC_FIELDS = ("title", "doc_date", "warnings")
_FACT_FIELDS = ("value", "value_max", "unit", "qualifier", "subject", "text", "sentence", "event", "rule", "confidence")
_COMPANY_FIELDS = ("aliases", "legal_form", "parent", "mentions")
_SITE_FIELDS = ("aliases", "kind", "part_of", "location", "mentions")


class ExpectedFileError(PharmafactsError):
    """An expected file cannot be read or is not a document. ``str(err)`` is one line."""


# --------------------------------------------------------------------------- files


def expected_path(text_path: str | Path) -> Path:
    """``dir/NAME.txt`` -> ``dir/NAME.expected.json``."""
    p = Path(text_path)
    return p.with_name(p.stem + EXPECTED_SUFFIX)


def relative_source(doc: DocumentFacts, root: str | Path) -> DocumentFacts:
    """The document with ``source`` relative to ``root``, with forward slashes."""
    return doc.model_copy(update={"source": Path(os.path.relpath(doc.source, root)).as_posix()})


def dumps(doc: DocumentFacts) -> str:
    """The stable text of an expected file: indent 2, UTF-8 characters as such, final newline."""
    return json.dumps(doc.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"


def load_expected(path: str | Path) -> DocumentFacts:
    try:
        return DocumentFacts.model_validate_json(Path(path).read_bytes())
    except OSError as err:
        raise ExpectedFileError(f"{path}: {err.strerror or err}") from None
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "top level"
        raise ExpectedFileError(f"{path}: not a document ({where}: {first['msg']})") from None


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file, so a crash leaves the old file whole."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


# --------------------------------------------------------------------------- comparing


def _json(value: Any) -> str:
    if isinstance(value, (list, tuple)) and value and isinstance(value[0], Span):
        value = [s.model_dump() for s in value]
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


@dataclass(frozen=True)
class Change:
    """One field with a different value: ``old`` is expected, ``new`` is what extraction gives now."""

    field: str
    old: Any
    new: Any

    def describe(self) -> str:
        if self.field == "mentions":
            old = {(s.start, s.end, s.text) for s in self.old}
            new = {(s.start, s.end, s.text) for s in self.new}
            gone = [f'-"{t}" at {s}-{e}' for s, e, t in sorted(old - new)]
            added = [f'+"{t}" at {s}-{e}' for s, e, t in sorted(new - old)]
            detail = " ".join(gone + added) or "order or repetition changed"
            return f"mentions {len(self.old)} -> {len(self.new)} ({detail})"
        return f"{self.field} {_json(self.old)} -> {_json(self.new)}"


@dataclass(frozen=True)
class ItemDiff:
    """A fact, company or site that is missing (expected only), extra (extracted only) or changed."""

    what: Literal["fact", "company", "site"]
    status: Status
    item: Fact | Company | Site  # the expected item, or the extracted one when extra
    changes: tuple[Change, ...] = ()


@dataclass(frozen=True)
class Diff:
    document: tuple[Change, ...] = ()
    entities: tuple[ItemDiff, ...] = ()
    facts: tuple[ItemDiff, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.document or self.entities or self.facts)

    def __len__(self) -> int:
        return len(self.document) + len(self.entities) + len(self.facts)


def _changes(old: Any, new: Any, fields: Sequence[str]) -> tuple[Change, ...]:
    return tuple(
        Change(name, getattr(old, name), getattr(new, name))
        for name in fields
        if _json(getattr(old, name)) != _json(getattr(new, name))
    )


def _pair(expected: Iterable[Any], actual: Iterable[Any], key: Callable[[Any], Any]) -> Iterator[tuple[Any, Any]]:
    """Items paired by key, in order of first appearance (expected first); ``None`` where one side lacks it."""
    exp: dict[Any, deque] = defaultdict(deque)
    act: dict[Any, deque] = defaultdict(deque)
    order: dict[Any, None] = {}
    for item in expected:
        exp[key(item)].append(item)
        order.setdefault(key(item))
    for item in actual:
        act[key(item)].append(item)
        order.setdefault(key(item))
    for k in order:
        while exp[k] or act[k]:
            yield (exp[k].popleft() if exp[k] else None), (act[k].popleft() if act[k] else None)


def _item_diffs(what, expected, actual, key, fields) -> list[ItemDiff]:
    out = []
    for old, new in _pair(expected, actual, key):
        if new is None:
            out.append(ItemDiff(what, "missing", old))
        elif old is None:
            out.append(ItemDiff(what, "extra", new))
        else:
            changes = _changes(old, new, fields)
            if changes:
                out.append(ItemDiff(what, "changed", old, changes))
    return out


def fact_key(f: Fact) -> tuple[str, int, int]:
    return (f.kind, f.start, f.end)


def compare(expected: DocumentFacts, actual: DocumentFacts) -> Diff:
    """What differs between an expected document and a fresh extraction (``source`` is ignored)."""
    facts = _item_diffs("fact", expected.facts, actual.facts, fact_key, _FACT_FIELDS)
    facts.sort(key=lambda d: (d.item.start, d.item.end, d.item.kind))
    return Diff(
        document=_changes(expected, actual, _DOC_FIELDS),
        entities=tuple(
            _item_diffs("company", expected.companies, actual.companies, lambda e: e.name, _COMPANY_FIELDS)
            + _item_diffs("site", expected.sites, actual.sites, lambda e: e.name, _SITE_FIELDS)
        ),
        facts=tuple(facts),
    )


_VERB = {
    "fact": {"missing": "missing fact", "extra": "extra fact", "changed": "changed fact"},
    "company": {"missing": "lost company", "extra": "gained company", "changed": "changed company"},
    "site": {"missing": "lost site", "extra": "gained site", "changed": "changed site"},
}


def _describe_fact(f: Fact) -> str:
    value = _json(f.value) + (f"..{_json(f.value_max)}" if f.value_max is not None else "")
    unit = f" {f.unit}" if f.unit else ""
    qualifier = f" ({f.qualifier})" if f.qualifier else ""
    return f"{f.kind} {value}{unit}{qualifier} [{f.subject or '-'}] {_json(f.text)} at {f.start}-{f.end}"


def format_diff(diff: Diff) -> list[str]:
    """One line per difference, e.g. ``missing fact  area 16750 m2 [Lumeria] "16,750 square meters" at 412-432``."""
    lines = [f"changed {c.describe()}" for c in diff.document]
    for d in diff.entities:
        label = d.item.name + (f" ({d.item.kind})" if isinstance(d.item, Site) else "")
        details = ": " + "; ".join(c.describe() for c in d.changes) if d.changes else ""
        lines.append(f"{_VERB[d.what][d.status]:15s} {label}{details}")
    for d in diff.facts:
        if d.status == "changed":
            f = d.item
            lines.append(f"{'changed fact':15s} {f.kind} {_json(f.text)} at {f.start}-{f.end}: " + "; ".join(c.describe() for c in d.changes))
        else:
            lines.append(f"{_VERB['fact'][d.status]:15s} {_describe_fact(d.item)}")
    return lines


# --------------------------------------------------------------------------- running a check


@dataclass(frozen=True)
class CheckResult:
    """The outcome for one text. ``status``: match, differ, created, updated, unchanged, error,
    skipped (not text at all, and no expected file: warned about, not failed)."""

    text: str
    expected: Path
    status: str
    diff: Diff = field(default_factory=Diff)
    error: str | None = None


def find_texts(root: str | Path, pattern: str = "*.txt") -> list[str]:
    return [p for p in expand_paths([str(root)], pattern) if not p.endswith(EXPECTED_SUFFIX)]


def orphans(root: str | Path, texts: Iterable[str]) -> list[Path]:
    """Expected files under ``root`` with no text beside them."""
    wanted = {expected_path(t) for t in texts}
    return sorted(p for p in Path(root).rglob("*" + EXPECTED_SUFFIX) if p not in wanted)


def _extract_each(extract_paths: Callable, paths: Sequence[str]) -> Iterator[tuple[str, DocumentFacts | None, LoadError | None]]:
    """``(path, document, error)`` for each path, in the order given, as extraction streams."""
    failed: dict[str, LoadError] = {}
    done: dict[str, DocumentFacts] = {}
    pending = deque(paths)

    def ready() -> Iterator[tuple[str, DocumentFacts | None, LoadError | None]]:
        while pending and (pending[0] in done or pending[0] in failed):
            p = pending.popleft()
            yield p, done.pop(p, None), failed.pop(p, None)

    for doc in extract_paths(list(paths), on_error=lambda err: failed.__setitem__(err.path, err)):
        done[doc.source] = doc
        yield from ready()
    yield from ready()
    for p in pending:  # neither extracted nor reported: should not happen, but never drop a file silently
        yield p, None, LoadError(p, "no result from the extractor")


def run(root: str | Path, extract_paths: Callable, pattern: str = "*.txt", update: bool = False) -> Iterator[CheckResult]:
    """Check (or with ``update``, rewrite) the expected file of every text under ``root``.

    ``extract_paths(paths, on_error=...)`` is :meth:`pharmafacts.Extractor.extract_paths`.
    Without ``update`` only texts that have an expected file are checked.
    """
    texts = find_texts(root, pattern)
    if not update:
        texts = [t for t in texts if expected_path(t).is_file()]
    for path, doc, err in _extract_each(extract_paths, texts):
        exp_path = expected_path(path)
        if err is not None:
            skipped = isinstance(err, NotTextError) and not exp_path.exists()
            yield CheckResult(path, exp_path, "skipped" if skipped else "error", error=str(err))
            continue
        actual = relative_source(doc, root)
        existed = exp_path.exists()
        expected = None
        if existed:
            try:
                expected = load_expected(exp_path)
            except ExpectedFileError as e:
                if not update:
                    yield CheckResult(path, exp_path, "error", error=str(e))
                    continue
        diff = compare(expected, actual) if expected is not None else Diff()
        if not update:
            yield CheckResult(path, exp_path, "differ" if diff else "match", diff)
            continue
        text = dumps(actual)
        if existed and exp_path.read_text(encoding="utf-8", errors="replace") == text:
            yield CheckResult(path, exp_path, "unchanged", diff)
        else:
            write_atomic(exp_path, text)
            yield CheckResult(path, exp_path, "updated" if existed else "created", diff)
