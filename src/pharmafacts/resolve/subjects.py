"""Which company or site each fact is about.

Reads the document once, sentence by sentence, keeping a short memory of who
was named last (for "the company", "the plant", "the center") and of the
current topic. For a fact, in order:

1. a name followed by the bracket the fact stands in: "Ostrafarm-K (12,400 square meters)";
2. a name or a pointing phrase around the fact ("the 18,200-square-meter center");
3. a name or a pointing phrase before it in the sentence, else after it ("by companies A and B");
4. no subject where the sentence speaks of a city, an industry, or companies in general;
5. the topic: the company or site the text was last about;
6. with no topic, a place the fact is located at ("on the territory of the X SEZ").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..extract.context import LEXICON, Analysis, EntityMention, RawFact
from .aliases import Entity

_ANAPHOR_WORDS = LEXICON["anaphors"]
_ANAPHOR = re.compile(
    r"(?<![\w-])(?:" + "|".join(LEXICON["anaphor_determiners"]) + r")\s+(?:[\w,.-]+\s+){0,2}?("
    + "|".join(sorted(map(re.escape, _ANAPHOR_WORDS), key=len, reverse=True))
    + r")(?:['’]s)?(?![\w-])",
    re.I,
)
_COLLECTIVE = re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, LEXICON["collective_nouns"])) + r")(?:['’]s?)?(?![\w-])", re.I)
_LOCATIVE = re.compile(r"(?:(?:^|\n)\s*(?:Location|Address|Site|Region|Place):\s+(?:[\w-]+,\s+)?|\b(?:" + "|".join(map(re.escape, LEXICON["locatives"])) + r")\s+(?:(?:the|its|their|our|a|an)\s+)?(?:[\w,-]+\s+)?)$", re.I)
_MEMBERS = r"(?:residents|participants|members|tenants)"
_MEMBERS_WORD = re.compile(rf"(?<![\w-]){_MEMBERS}(?![\w-])", re.I)
_ZONE_WORDS = {"sez": "sez", "zone": "sez", "cluster": "cluster", "park": "park", "technopark": "park"}
_ZONE_MEMBERS = re.compile(
    rf"(?<![\w-])(?:(SEZ|[Zz]one|[Cc]luster|[Pp]ark|[Tt]echnopark)(?:['’]s)?[ \t]+{_MEMBERS}"
    rf"|{_MEMBERS}[ \t]+of[ \t]+(?:the|our|this|its)[ \t]+(?:[\w-]+[ \t]+)?(SEZ|zone|cluster|park|technopark)"
    rf"|(?:[Oo]ur|[Ii]ts|[Tt]he)[ \t]+{_MEMBERS})(?![\w-])"
)
_OBLIQUE = re.compile(r"\b(?:by|from|with|than|to)\s+(?:the\s+)?$", re.I)
_BRACKET_REACH = 300  # characters looked back for the bracket a fact stands in and the name before it
_HISTORY_REACH = 500  # mentions looked back for what "the company" points at
_COORD = re.compile(r"^\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s*\([^()]*\)\s*(?:,\s*(?:and\s+)?|and\s+))$")


@dataclass
class Ref:
    """A mention of an entity in a sentence: by name or through a pointing phrase."""

    start: int
    end: int
    entity: Entity | None  # None: a pointing phrase that points at nothing (collective)
    locative: bool = False
    parent: bool = False
    pointing: bool = False  # "the company", "the center", "SEZ residents"
    possessive: bool = False  # "the company's subsidiary X"
    oblique: bool = False  # "supplied by X", "a loan from X": named, but not what the text is about


@dataclass(frozen=True)
class _Weak:
    """A subject found only as the place a fact is located at."""

    entity: Entity | None


class SubjectResolver:
    def __init__(self, an: Analysis, entities: list[Entity], owner: dict[int, Entity]) -> None:
        self.an = an
        self.entities = entities
        self.mentions: list[tuple[EntityMention, Entity]] = sorted(
            ((m, owner[id(m)]) for e in entities for m in e.mentions), key=lambda p: p[0].start
        )
        self.history: list[Entity] = []
        self.topic: Entity | None = None
        self.section = 0  # where in the history the current section (after the last heading) starts
        self._collective_seen: dict[int, int] = {}

    # --- pointing phrases -------------------------------------------------
    def _resolve_anaphor(self, word: str) -> tuple[Entity | None, bool]:
        """(entity, found): what 'the company' / 'the center' / 'the plant' points at."""
        want = _ANAPHOR_WORDS[word.lower()]
        if want == "any":
            if self.topic is not None:
                return self.topic, True
            want_kinds = ("company", "complex")
        elif want == "company":
            want_kinds = ("company",)
        else:
            want_kinds = (want,)
        # a company is pointed at across sections; a centre, site or complex only within its section
        since = max(len(self.history) - _HISTORY_REACH, 0 if "company" in want_kinds else self.section)
        for ent in reversed(self.history[since:]):
            if ent.kind in want_kinds:
                return ent, True
        # a zone or cluster named later in the text, or the only one there is
        pool = [e for e in self.entities if e.kind in want_kinds]
        if want in ("sez", "cluster", "park") and len(pool) == 1:
            return pool[0], True
        return None, want in ("cluster", "sez", "park")

    def _zone(self, word: str | None) -> Entity | None:
        """Residents or participants of a zone, cluster or park: the one the text names, if any."""
        kinds = (_ZONE_WORDS[word.lower()],) if word else ("cluster", "sez", "park")
        for kind in kinds:
            pool = [e for e in self.entities if e.kind == kind]
            if pool:
                last = [e for e in reversed(self.history) if e.kind == kind]
                return last[0] if last else pool[0]
        return None

    def _refs(self, sent_start: int, sent_end: int, mi: int) -> tuple[list[Ref], int]:
        refs: list[Ref] = []
        text = self.an.text
        while mi < len(self.mentions) and self.mentions[mi][0].start < sent_end:
            m, ent = self.mentions[mi]
            mi += 1
            if m.start < sent_start:
                continue
            loc = not ent.is_company and bool(_LOCATIVE.search(text, max(0, m.start - 40), m.start))
            oblique = bool(_OBLIQUE.search(text, max(0, m.start - 20), m.start))
            refs.append(Ref(m.start, m.end, ent, loc, m.role in ("parent",), oblique=oblique))
        spans = [(r.start, r.end) for r in refs]
        for a in _ANAPHOR.finditer(text, sent_start, sent_end):
            if any(s < a.end() and a.start() < e for s, e in spans):
                continue
            ent, found = self._resolve_anaphor(a.group(1))
            if ent is None and not found:
                continue
            loc = ent is not None and not ent.is_company and bool(_LOCATIVE.search(text, max(0, a.start() - 40), a.start()))
            refs.append(Ref(a.start(), a.end(), ent, loc, pointing=True, possessive=a.group(0)[-2:] in ("'s", "’s")))
            spans.append((a.start(), a.end()))
        for z in _ZONE_MEMBERS.finditer(text, sent_start, sent_end):
            if any(s < z.end() and z.start() < e for s, e in spans):
                continue
            refs.append(Ref(z.start(), z.end(), self._zone(z.group(1) or z.group(2)), pointing=True))
        refs.sort(key=lambda r: r.start)
        return refs, mi

    # --- choosing a subject -----------------------------------------------
    def _bracket_owner(self, fact: RawFact, refs: list[Ref]) -> Ref | None:
        text = self.an.text
        opening = text.rfind("(", max(fact.sentence.start, fact.start - _BRACKET_REACH), fact.start)
        if opening < 0 or text.rfind(")", opening, fact.start) >= 0:
            return None
        head_end = opening
        lo = max(fact.sentence.start, opening - _BRACKET_REACH)
        while True:  # skip brackets before this one: "Velmar (Kordis Group) (21,300 ...)"
            before = text[lo:head_end].rstrip()
            if not before.endswith(")"):
                break
            inner_open = before.rfind("(")
            if inner_open < 0:
                break
            head_end = lo + inner_open
        before = text[lo:head_end]
        before = re.sub(r"\s+(?:company|plant|factory|facility|enterprise)\s*$", "", before)
        for r in reversed(refs):
            if r.parent or r.entity is None:
                continue
            if r.end <= lo + len(before.rstrip()) and lo + len(before.rstrip()) - r.end <= 2:
                return None if r.locative else r
        return None

    def _choose(self, fact: RawFact, refs: list[Ref]) -> list[Entity | _Weak | None]:
        owner = self._bracket_owner(fact, refs)
        if owner is not None:
            return [owner.entity]
        inside = [r for r in refs if r.start <= fact.start < r.end and not r.parent and r.entity is not None]
        if inside:  # "the 18,200-square-meter center"
            return [inside[0].entity]
        usable = [r for r in refs if not r.parent and not (r.start <= fact.start < r.end)]
        before = [r for r in usable if r.end <= fact.start and not r.locative]
        after = [r for r in usable if r.start >= fact.end and not r.locative]
        if len(after) > 1 and after[0].possessive and not after[1].pointing:
            after = after[1:]  # "On 28 November, the company's subsidiary X was registered"
        if before:
            r = before[-1]
            if r.possessive and after and not after[0].pointing:
                return [after[0].entity]  # "the company's subsidiary X was registered on 28 November"
            return [r.entity]
        if after:
            chosen = [after[0]]
            for prev, nxt in zip(after, after[1:]):
                if prev is not chosen[-1] or not _COORD.match(self.an.text[prev.end : nxt.start]):
                    break
                chosen.append(nxt)
            return [r.entity for r in chosen]
        zone = self._members_of_zone(fact.sentence, refs)
        if zone is not None:
            return [zone]
        if self._collective(fact):
            return [None]
        located = [r for r in usable if r.locative]
        if located and self.topic is None:
            return [_Weak(min(located, key=lambda r: abs(r.start - fact.start)).entity)]
        return [self.topic]

    def _collective(self, fact: RawFact) -> bool:
        """A city, region, industry or companies in general before the fact, or as what the
        sentence is about ("about 4,800 people work in the region's industry")."""
        if _COLLECTIVE.search(self.an.text, fact.sentence.start, fact.start):
            return True
        s = fact.sentence
        if s.index not in self._collective_seen:  # the last such word in the sentence, found once
            self._collective_seen[s.index] = max(
                (
                    t.idx
                    for t in self.an.tokens_between(s.start, s.end)
                    if _COLLECTIVE.fullmatch(t.text)
                    and (t.dep_ in ("nsubj", "nsubjpass", "poss") or (t.dep_ == "pobj" and t.head.lower_ == "in"))
                ),
                default=-1,
            )
        return self._collective_seen[s.index] >= fact.end

    # --- the walk ------------------------------------------------------------
    def run(self, facts: list[RawFact]) -> list[tuple[RawFact, Entity | None]]:
        by_sentence: dict[int, list[RawFact]] = {}
        for f in facts:
            by_sentence.setdefault(f.sentence.index, []).append(f)
        out: list[tuple[RawFact, Entity | None]] = []
        mi = 0
        for s in self.an.sentences:
            refs, mi = self._refs(s.start, s.end, mi)
            sentence_facts = sorted(by_sentence.get(s.index, []), key=lambda f: f.start)
            subjects: list[Entity | None] = []
            for f in sentence_facts:
                for ent in self._choose(f, refs):
                    if isinstance(ent, _Weak):  # a mere place: the fact's subject, not the text's topic
                        out.append((f, ent.entity))
                        continue
                    out.append((f, ent))
                    subjects.append(ent)
            self._remember(s, refs, subjects)
        return out

    def _remember(self, s, refs: list[Ref], subjects: list[Entity | None]) -> None:
        named = [r.entity for r in refs if r.entity is not None and not r.parent]
        if s.heading:
            self.section = len(self.history)
        self.history.extend(named)
        actors = [r.entity for r in refs if r.entity is not None and not r.parent and not r.locative and not r.oblique]
        if s.heading:
            self.topic = (actors or named or [None])[0]
        elif subjects:
            # what most of the sentence's figures are about: "The block (...) on a plot within the campus"
            self.topic = max(subjects, key=lambda e: (subjects.count(e), -subjects.index(e)))
        elif actors:
            self.topic = actors[0]
        elif (zone := self._members_of_zone(s, refs)) is not None:
            self.topic = zone
        elif any(r.entity is None for r in refs) or self._collective_subject(s):
            self.topic = None

    def _members_of_zone(self, s, refs: list[Ref]) -> Entity | None:
        """"105 residents are registered in the SEZ": residents of a zone the sentence names."""
        if not _MEMBERS_WORD.search(self.an.text, s.start, s.end):
            return None
        if not any(t.dep_ in ("nsubj", "nsubjpass") and _MEMBERS_WORD.fullmatch(t.text) for t in self.an.tokens_between(s.start, s.end)):
            return None  # "residents of nearby neighborhoods can visit": not the zone's residents
        zones = [r.entity for r in refs if r.entity is not None and r.entity.kind in ("sez", "cluster", "park")]
        return zones[0] if zones else None

    def _collective_subject(self, s) -> bool:
        """The sentence is about a city, an industry, companies in general: "The city is home to..."."""
        for tok in self.an.tokens_between(s.start, s.end):
            if tok.dep_ in ("nsubj", "nsubjpass") and _COLLECTIVE.fullmatch(tok.text):
                return True
        return False
