"""Which names across documents are one company or site, and which only look alike.

Proven the same (merged): the same normalised name (legal form, quotes, hyphens, case and
"Group" aside: ``resolve.aliases.key``, the rule each document already used), an alias a
document states (its own resolution put two spellings in one record), and an acronym a
document defines ("Velmar Institute of Biologics (VIB)"): a document naming only "VIB" is
then that company, unless two different companies are given that acronym. A site's name is
compared without its head word ("Kestrel Park" and "Kestrel Park industrial park").

Not proven (listed as possibly the same, never merged): names rapidfuzz finds alike, a name
whose words are all in a longer one, an acronym given to two names, an acronym that is the
initials of a name that no document linked it to.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy
from rapidfuzz import fuzz, process

from ..extract.context import LEXICON
from ..resolve.aliases import key, site_core

_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&]{1,6}$")
_GENERIC = frozenset(w.casefold() for w in LEXICON["corporate_suffixes"] + LEXICON["site_core_heads"])
_LINK_WORDS = frozenset({"of", "and", "for", "de", "the"})
FUZZY_CUTOFF = 80  # rapidfuzz token_sort_ratio from which two names are listed as possibly the same
BLOCK_MAX = 2_000  # names compared with each other at most, per block (names with the same first two letters)
WORD_BLOCK_MAX = 200  # a word more names share than this is not distinctive: no "shorter name" pairs through it


def is_acronym(form: str) -> bool:
    """'VIB', 'NVP2': one word of capitals (a document's bracketed short name)."""
    return bool(_ACRONYM.match(form.strip("\"'«»“”")))


def name_key(form: str, company: bool) -> str:
    """The comparable form of a name: ``key`` for a company, ``site_core`` for a site."""
    return key(form) if company else site_core(form)


def initials(k: str) -> set[str]:
    """The acronyms a normalised name could have: of all its words, and without 'of', 'and'..."""
    words = k.split()
    if len(words) < 2:
        return set()
    return {"".join(w[0] for w in words), "".join(w[0] for w in words if w not in _LINK_WORDS)}


class UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        root = i
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[i] != root:
            self.parent[i], i = root, self.parent[i]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)  # the earliest piece stays the root


@dataclass(frozen=True)
class Pair:
    """Two groups (by root) that may be the same entity."""

    a: int
    b: int
    score: float
    reason: str


def group(forms: Sequence[Sequence[str]], company: bool) -> tuple[UnionFind, list[Pair]]:
    """Join the pieces (one document's record of an entity, given by its name and aliases) that
    are proven the same. Returns the union-find over piece indexes and the acronym pairs that
    are not proven (an acronym given to two different names)."""
    uf = UnionFind(len(forms))
    owner: dict[str, int] = {}
    acronyms: dict[str, list[int]] = {}
    has_long = [False] * len(forms)
    for i, names in enumerate(forms):
        for form in names:
            k = name_key(form, company)
            if not k:
                continue
            if company and is_acronym(form):
                acronyms.setdefault(k, []).append(i)
                continue
            has_long[i] = True
            if k in owner:
                uf.union(i, owner[k])
            else:
                owner[k] = i
    pairs: list[Pair] = []
    for k, pieces in acronyms.items():
        owners = sorted({uf.find(i) for i in pieces if has_long[i]} | ({uf.find(owner[k])} if k in owner else set()))  # "ORVIK", "Orvik"
        alone = [i for i in pieces if not has_long[i]]
        if len(owners) <= 1:
            for i in pieces[1:] + owners:
                uf.union(pieces[0], i)
            continue
        for i in alone[1:]:  # "VIB" on its own, given to two names: one entity apart from both
            uf.union(alone[0], i)
        roots = owners + ([uf.find(alone[0])] if alone else [])
        pairs.extend(Pair(a, b, 100.0, "same acronym") for n, a in enumerate(roots) for b in roots[n + 1 :])
    return uf, pairs


def alike(names: dict[int, str], acronym_roots: Iterable[int] = ()) -> list[Pair]:
    """Pairs of groups (by root -> normalised canonical name) whose names are alike.

    Never pair by pair over the whole corpus: rapidfuzz's ``ratio`` or ``token_sort_ratio`` at or above
    :data:`FUZZY_CUTOFF` among names that start with the same two letters ("similar names":
    "Corvanta Pharma", "Corventa Pharma"); every word of one name in the other, among names
    that share a word that is not generic ("shorter name": "Halvern", "Kordis Halvern Pharma");
    an acronym-only group and the names whose initials it is ("acronym of the name")."""
    blocks: dict[str, list[int]] = {}
    for root, k in names.items():
        if k:
            blocks.setdefault(k[:2], []).append(root)
    pairs: list[Pair] = []
    for roots in blocks.values():
        roots = roots[:BLOCK_MAX]
        if len(roots) < 2:
            continue
        texts = [names[r] for r in roots]
        scores = numpy.maximum(  # as written ("Ostra-Farm", "Ostra Pharm") and with words reordered
            process.cdist(texts, texts, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, workers=1),
            process.cdist(texts, texts, scorer=fuzz.token_sort_ratio, score_cutoff=FUZZY_CUTOFF, workers=1))
        pairs.extend(Pair(roots[i], roots[j], round(float(scores[i, j]), 1), "similar names")
                     for i, j in zip(*scores.nonzero()) if i < j)
    words = {root: frozenset(k.split()) for root, k in names.items()}
    by_word: dict[str, list[int]] = {}
    for root, ws in words.items():
        for w in ws - _GENERIC:
            by_word.setdefault(w, []).append(root)
    for roots in by_word.values():
        if 2 <= len(roots) <= WORD_BLOCK_MAX:
            pairs.extend(Pair(a, b, 100.0, "shorter name") for n, a in enumerate(roots) for b in roots[n + 1 :]
                         if words[a] != words[b] and (words[a] <= words[b] or words[b] <= words[a]))
    acronym_roots = set(acronym_roots)
    if acronym_roots:
        by_initials: dict[str, list[int]] = {}
        for root, k in names.items():
            if root not in acronym_roots:
                for ini in initials(k):
                    by_initials.setdefault(ini, []).append(root)
        for root in sorted(acronym_roots):
            for other in by_initials.get(names[root], []):
                pairs.append(Pair(min(root, other), max(root, other), 100.0, "acronym of the name"))
    return pairs
