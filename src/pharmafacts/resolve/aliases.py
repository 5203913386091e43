"""One entity per real company or site: spellings with and without legal form, hyphen or space,
quotes, "Group", and site names with and without their head word are merged."""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from ..extract.context import DATELINE_AFTER, LEXICON, Analysis, EntityMention
from ..values._data import load
from ..values._scan import RUN

_LEGAL = sorted(set(LEXICON["legal_forms_after"]) | set(LEXICON["legal_forms_before"]) | set(LEXICON["group_words"]), key=len, reverse=True)
_LEGAL_RE = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(w.lower()) for w in _LEGAL) + r"|the)(?![\w-])")
_SITE_HEADS = re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, LEXICON["site_core_heads"])) + r")(?![\w-])")
_NAME_HEAD_TAIL = re.compile(r"(?i)[ ](?:" + "|".join(map(re.escape, LEXICON["site_name_heads"])) + r")$")
_GROUP_TAIL = re.compile(r"[ ](?:" + "|".join(map(re.escape, LEXICON["group_words"])) + r")$")
_NON_SITE_NEXT = re.compile(r"[ \t]+(?:" + "|".join(map(re.escape, LEXICON["non_site_words"])) + r")(?![\w-])")
_PARK_NAME_WORDS = frozenset(load("mentions")["park_name_words"])
_RANK = {"complex": 1, "site": 2, "park": 2, "cluster": 3, "sez": 3}


_QUOTES = re.compile(r"[\"'«»“”„`’]")
_WORDISH = re.compile(r"[\w-]")
_NON_WORD = re.compile(r"[^\w]+")


_PARENT_KEY = "parent:"  # before the name of a group that shares its key with its member


def is_group_name(name: str) -> bool:
    """The name ends in a group word: "Velmar Group", "Kordis Holding", "the Ostra group of companies"."""
    return _GROUP_TAIL.search(name) is not None


@lru_cache(maxsize=4096)
def key(name: str) -> str:
    """Comparable form of a name: case, quotes, hyphens, legal forms and 'Group' ignored."""
    s = unicodedata.normalize("NFKC", name).casefold()
    s = _LEGAL_RE.sub(" ", _QUOTES.sub("", s))
    return " ".join(_NON_WORD.sub(" ", s).split())


@lru_cache(maxsize=4096)
def site_core(name: str) -> str:
    """A site's name without its head word: "oka valley" for "Oka Valley SEZ"."""
    return " ".join(_SITE_HEADS.sub(" ", key(name)).split())


@dataclass
class Entity:
    kind: str
    mentions: list[EntityMention] = field(default_factory=list)
    parent: str | None = None
    part_of: str | None = None

    @property
    def is_company(self) -> bool:
        return self.kind == "company"

    @cached_property
    def name(self) -> str:
        """The canonical name; read only once all mentions are in (after resolution)."""
        named = [m for m in self.mentions if m.rule != "repeat"]
        if not self.is_company:
            # the fullest form of a site's name: "Oka Valley SEZ" over "Valley SEZ"; read from the
            # mentions that name it as what it is ("Weinberg Campus technology park" for the park)
            counts = Counter(m.name for m in [m for m in named if m.kind == self.kind] or named)
            return max(counts, key=lambda n: (len(site_core(n).split()), counts[n], len(n)))
        counts = Counter(m.name for m in named)
        shorts = {_short_form(n) for n in counts}
        full = {n: c for n, c in counts.items() if n not in shorts} or counts  # "Halvern Biologics", not "Halvern"
        first = {m.name: i for i, m in reversed(list(enumerate(self.mentions)))}
        return max(full, key=lambda n: (full[n], -first[n]))

    def aliases(self, text: str) -> list[str]:
        seen: dict[str, None] = {}
        name = self.name
        for m in self.mentions:
            for form in (m.name, text[m.start : m.end]):
                form = " ".join(form.split())
                if form != name and form not in seen:
                    seen[form] = None
        return list(seen)

    @property
    def legal_form(self) -> str | None:
        return next((m.legal_form for m in self.mentions if m.legal_form), None)


def _similar_site(by_word: dict[str, dict[int, Entity]], cores: dict[int, set[str]], core: str, kind: str) -> Entity | None:
    """The first site made of the same kind whose name's words contain this one's, or are
    contained in it ("Valley SEZ" and "Oka Valley SEZ"); equal cores are matched before, by
    dictionary. Only sites that share a word with ``core`` are compared."""
    if kind == "complex":
        return None
    words = set(core.split())
    candidates = {i: e for w in words for i, e in by_word.get(w, {}).items()}
    for i in sorted(candidates):
        ent = candidates[i]
        if ent.kind == kind and any(words <= set(c.split()) or set(c.split()) <= words for c in cores[id(ent)]):
            return ent
    return None


def _distinct(mentions: list[EntityMention]) -> list[EntityMention]:
    """One mention per span (a role such as 'parent' wins), and none inside a longer company name."""
    by_span: dict[tuple[int, int], EntityMention] = {}
    for m in mentions:
        kept = by_span.get((m.start, m.end))
        if kept is None:
            by_span[(m.start, m.end)] = m
        elif kept.kind == m.kind:  # several rules found the same name: keep what each knew
            kept.role = kept.role or m.role
            kept.parent = kept.parent or m.parent
            kept.part_of = kept.part_of or m.part_of
            kept.alias_of = kept.alias_of or m.alias_of
            kept.legal_form = kept.legal_form or m.legal_form
            kept.strength = max(kept.strength, m.strength)
        elif not m.is_company:
            by_span[(m.start, m.end)] = m  # a site's name is not also a company
    spans = sorted(by_span.values(), key=lambda m: (m.start, -m.end))
    out: list[EntityMention] = []
    cover: EntityMention | None = None
    for m in spans:
        if cover is not None and m.end <= cover.end and m.is_company:
            # "Pharma" inside "Lindavit Pharma LLC": one mention, which keeps what the inner rule knew
            cover.parent = cover.parent or m.parent
            cover.alias_of = cover.alias_of or m.alias_of
            continue
        out.append(m)
        if m.is_company and (cover is None or m.end > cover.end):
            cover = m
    return out


def build_entities(an: Analysis, mentions: list[EntityMention]) -> tuple[list[Entity], dict[int, Entity]]:
    """Group mentions into entities. Returns the entities in order of first mention and a map
    from ``id(mention)`` to its entity (mentions found again by name are added here)."""
    mentions = _distinct(mentions)
    sites = [m for m in mentions if not m.is_company]
    companies = [m for m in mentions if m.is_company]
    entities: list[Entity] = []
    by_key: dict[str, Entity] = {}

    by_core: dict[str, Entity] = {}
    cores: dict[int, set[str]] = {}
    made: dict[int, int] = {}  # id(site) -> its place in the order the sites were made
    by_word: dict[str, dict[int, Entity]] = {}  # a word of a core -> the sites whose cores have it, by that place
    for m in sorted(sites, key=lambda m: -_RANK[m.kind]):
        core = site_core(m.name)
        if not core:
            continue
        ent = by_core.get(core) or _similar_site(by_word, cores, core, m.kind)
        if ent is None:
            ent = Entity(m.kind)
            cores[id(ent)] = set()
            made[id(ent)] = len(entities)
            entities.append(ent)
        elif m.kind != "complex" and _RANK[m.kind] < _RANK[ent.kind]:
            # "Dubrava SEZ" and "Dubrava site": the more specific kind; but a park named again by its
            # bare name ("Weinberg Campus" after "Weinberg Campus technology park") stays a park
            ent.kind = m.kind
        cores[id(ent)].add(core)
        for word in core.split():
            by_word.setdefault(word, {})[made[id(ent)]] = ent
        ent.mentions.append(m)
        by_core.setdefault(core, ent)
        by_key.setdefault(key(m.name), ent)
        by_key.setdefault(core, ent)

    site_spans = sorted((m.start, m.end) for m in sites)
    site_starts = [s for s, _ in site_spans]

    def inside_site(m: EntityMention) -> bool:
        i = bisect.bisect_right(site_starts, m.start) - 1
        return any(site_spans[j][1] >= m.end for j in range(max(0, i - 3), i + 1))
    # companies: one group per key, groups joined where a bracket says two names are one
    groups: dict[str, list[EntityMention]] = {}
    link: dict[str, str] = {}

    def root(k: str) -> str:
        while link.get(k, k) != k:
            k = link[k]
        return k

    # the keys of names that stand for a short form: "Halvern", not "Halvern Group" (a group and
    # its member "Halvern Biologics" are two companies, though "Group" is not part of a key)
    short_names = {key(m.name) for m in companies if not is_group_name(m.name)}
    for m in companies:
        short = _short_form(m.name)
        if short and key(short) in short_names:
            link[root(key(short))] = root(key(m.name))  # "Halvern" is "Halvern Biologics"
    # "Hanwol, a unit of the Hanwol Group": a parent whose key is its own member's keeps a key of its own
    own_parents = {m.parent for m in companies if m.parent and key(m.parent) == key(m.name)}
    for m in companies:
        k = key(m.name)
        if not k or inside_site(m):
            continue
        if m.name in own_parents:
            k = _PARENT_KEY + m.name.casefold()
        site = by_key.get(k)
        if site is not None:
            continue  # a site's name: not a company
        groups.setdefault(k, []).append(m)
        if m.alias_of and key(m.alias_of):
            a, b = root(k), root(key(m.alias_of))
            if a != b:
                link[a] = b
    merged: dict[str, Entity] = {}
    for k, ms in groups.items():
        ent = merged.setdefault(root(k), Entity("company"))
        ent.mentions.extend(ms)
        by_key[k] = ent
    entities.extend(merged.values())
    entities = [e for e in entities if e.mentions]

    _find_again(an, entities)
    for ent in entities:
        ent.mentions.sort(key=lambda m: (m.start, -m.end))
        parent = next((m.parent for m in ent.mentions if m.parent), None)
        if parent and ent.is_company:
            pent = by_key.get(key(parent))
            ent.parent = pent.name if pent is not None and pent is not ent else parent
        ent.part_of = next((m.part_of for m in ent.mentions if m.part_of), None)  # a known site's (--entities)
    _part_of(an, entities)
    entities.sort(key=lambda e: e.mentions[0].start)
    owner = {id(m): e for e in entities for m in e.mentions}
    return entities, owner


_SUFFIXES = "|".join(map(re.escape, LEXICON["corporate_suffixes"]))
_CORPORATE_SUFFIX = re.compile(r"^(\S+(?:[ ]\S+)?)[ ](?:" + _SUFFIXES + r")$")
_TWO_SUFFIXES = re.compile(r"^(\S+)[ ](?:" + _SUFFIXES + r")[ ](?:" + _SUFFIXES + r")$")
_CORPORATE_PREFIX = re.compile(r"^(?:" + "|".join(map(re.escape, LEXICON["corporate_prefixes"])) + r")[ ](\S+(?:[ ]\S+)?)$")


def _short_form(name: str) -> str | None:
    """"Marvena" for "Marvena Pharma", "Marvena Medical Industries" or "Laboratorios Marvena": the
    distinctive words of a name that ends in one or two corporate words or opens with one."""
    m = _TWO_SUFFIXES.match(name) or _CORPORATE_SUFFIX.match(name) or _CORPORATE_PREFIX.match(name)
    return m.group(1) if m and len(m.group(1)) >= 4 else None


def _short_mention_form(an: Analysis, name: str) -> str | None:
    """A short form to look for in the text, unless the model never reads that word as an
    organisation but does read it as a place or person."""
    word = _short_form(name)
    if word is None:
        return None
    labels = an.entity_labels.get(word, set())
    if "ORG" not in labels and labels & {"GPE", "LOC", "NORP", "PERSON"}:
        return None
    return word


def _proper_core(an: Analysis, m: EntityMention) -> str | None:
    """"Zarechye" for "Zarechye pharmaceutical park": a site's proper name without its head word,
    unless the model reads it as a city or region on its own."""
    if m.rule.endswith("_of_place"):
        return m.name.split(" of ")[0]  # "the Industrial Zone" again after "the Industrial Zone of Halden"
    core = _NAME_HEAD_TAIL.sub("", m.name)
    words = core.split()
    while len(words) > 1 and (words[-1] in _PARK_NAME_WORDS or words[-1] == "and"):
        words.pop()  # "Kestrel" for "Kestrel Industrial and Business Park"
    core = " ".join(words) if core != m.name else core
    if core == m.name or not core[:1].isupper() or len(core) < 4:
        return None
    if an.entity_texts.get(core, set()) & {"GPE", "LOC"}:
        return None
    return core


def _find_again(an: Analysis, entities: list[Entity]) -> None:
    """Every other place a known name, alias or short form stands in the text, as a whole word,
    is a mention too. Linear in the text: names are looked up by the run of letters or digits
    they begin with, so a text with many names costs no more per word than one with few."""
    forms: dict[str, Entity] = {}
    for ent in entities:
        for m in ent.mentions:
            for form in {m.name, " ".join(an.text[m.start : m.end].split())}:
                if len(form) >= 3:
                    forms.setdefault(form, ent)
    for ent in entities:
        for m in list(ent.mentions):
            short = _short_mention_form(an, m.name) if ent.is_company else _proper_core(an, m)
            if short:
                forms.setdefault(short, ent)
    by_first_run: dict[str, list[str]] = {}
    for form in sorted(forms, key=len, reverse=True):  # the longest name that stands there wins
        by_first_run.setdefault(RUN.match(form).group(), []).append(form)
    taken = sorted((m.start, m.end) for e in entities for m in e.mentions)
    starts = [s for s, _ in taken]
    text = an.text
    pos = 0
    if not by_first_run:
        return
    # only where a name's first character stands after no word character: there a run begins
    firsts = re.compile(r"(?<![\w-])[" + "".join(sorted({re.escape(k[0]) for k in by_first_run})) + "]")
    for hit in firsts.finditer(text):
        at = hit.start()
        if at < pos:
            continue
        candidates = by_first_run.get(RUN.match(text, at).group())
        if candidates is None:
            continue
        form = next((f for f in candidates if text.startswith(f, at) and not _WORDISH.match(text, at + len(f))), None)
        if form is None:
            continue
        end = at + len(form)
        pos = end
        if DATELINE_AFTER.match(text, end):
            continue  # "Tomsk, 20 August 2025 —": the town of the dateline, not the Tomsk SEZ
        ent = forms[form]
        if not ent.is_company and _NON_SITE_NEXT.match(text, end):
            continue  # "the Kestrel Free Zone Authority": the zone's agency, not the zone
        i = bisect.bisect_right(starts, at) - 1
        if i >= 0 and taken[i][1] > at:
            continue
        j = bisect.bisect_left(starts, at)
        if j < len(starts) and starts[j] < end:
            continue
        ent.mentions.append(EntityMention(at, end, form, ent.kind, "repeat"))


def _part_of(an: Analysis, entities: list[Entity]) -> None:
    """'the X site of the Y SEZ', 'X, a site within the Y zone', 'the X center at the Y site'."""
    site_mentions = sorted(((m, e) for e in entities if not e.is_company for m in e.mentions), key=lambda p: p[0].start)
    for (m, e), (n, f) in zip(site_mentions, site_mentions[1:]):
        if e is f or e.part_of or _RANK[f.kind] <= _RANK[e.kind]:
            continue
        between = an.text[m.end : n.start]
        if len(between) <= 60 and re.search(r"\b(?:of|within|in|at|part of|on the territory of)\s+(?:the\s+)?$", between) and "." not in between:
            e.part_of = f.name
