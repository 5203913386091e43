"""Which company or site each fact is about, read from the dependency parse.

The document is read once, sentence by sentence, keeping running state: the last entity
named of each kind (for "the company", "the plant", "the center") and the current topic.
For a figure, in order:

1. it stands inside a name or a pointing phrase ("the 18,200-square-meter center");
2. it stands in a bracket right after a name: "Ostrafarm-K (12,400 square meters, 310 employees)";
3. its clause: walking from the figure up its heads, a name the figure hangs on ("Kestrel
   Park, which covers 120 hectares") is its subject; at a verb, the verb's agent or subject,
   read through possessors ("its plant", "X's facility"), owners ("the plant of X"),
   apposition and coordination ("A and B will each invest"); a relative pronoun stands for
   the noun its clause hangs on; a clause without a subject of its own (xcomp, ccomp, conj,
   relcl...) takes the one of the clause it hangs on. A city, an industry or companies in
   general as that subject: no subject; a zone's residents: the zone;
4. failing that, the nearest name before the figure in its sentence, else the first after it;
5. no subject where the sentence is about a city, an industry or companies in general;
6. the topic: the company or site the text was last about; with none, a place the fact is
   located at ("on the territory of the X SEZ").

Word lists and DependencyMatcher patterns: ``data/subjects.json``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from spacy.tokens import Token

from ..extract.context import Analysis, EntityMention, RawFact, Sentence, cost_phrase_end
from ..nlp import dependency_matcher
from ..values._data import load
from .aliases import Entity, is_group_name

_DATA = load("subjects")
_ANAPHORS: dict[str, str] = _DATA["anaphors"]
_PRONOUNS = frozenset(_DATA["pronouns"])
_RELATIVE = frozenset(_DATA["relative_pronouns"])
_COLLECTIVE = frozenset(_DATA["collective_nouns"])
_MEMBERS = frozenset(_DATA["member_words"])
_ZONE_WORDS: dict[str, str] = _DATA["zone_words"]
_LOCATIVE_PREPS = frozenset(_DATA["locative_preps"])
_LOCATIVE_NOUNS = frozenset(_DATA["locative_nouns"])
_OBLIQUE_PREPS = frozenset(_DATA["oblique_preps"])
_FIELD_LABELS = frozenset(_DATA["field_labels"])
_DATELINE_DASHES = frozenset(_DATA["dateline_dashes"])
_SUBJECT_DEPS = frozenset(_DATA["subject_deps"])
_AGENT_DEPS = frozenset(_DATA["agent_deps"])
_BIND_DEPS = frozenset(_DATA["bind_deps"])
_OWNER_PREPS = frozenset(_DATA["owner_preps"])
_NAME_CHILD_DEPS = frozenset(_DATA["name_child_deps"])
_STAKE_NOUNS = frozenset(_DATA["stake_nouns"])
_STAKE_PREPS = frozenset(_DATA["stake_preps"])
_EACH = frozenset(_DATA["each_words"])
_PLACE_ADVERBS = frozenset(_DATA["place_adverbs"])
_FUNDERS = frozenset(_DATA["funder_nouns"])
_TOTAL = frozenset(_DATA["total_words"])
_EXTENT_VERBS = frozenset(_DATA["extent_verbs"])
_PROJECT_NOUNS = frozenset(_DATA["project_nouns"])
_PLURAL_PRONOUNS = frozenset(_DATA["plural_pronouns"])
_PARENT_NOUNS = frozenset(_DATA["parent_nouns"])
_HOST_VERBS = frozenset(_DATA["host_verbs"])
_GROUP_ANAPHORS = frozenset(_DATA["group_anaphors"])
_TITLE_WORDS = frozenset(_DATA["title_words"])
_PUBLIC_POSSESSORS = frozenset(_DATA["public_possessors"])
_ZONE_KINDS = ("sez", "cluster", "park")


def _patterns() -> dict[str, list[list[dict]]]:
    """The DependencyMatcher patterns of the data file, '@list' replaced by that word list."""

    def fill(node):
        if isinstance(node, dict):
            return {k: fill(v) for k, v in node.items()}
        if isinstance(node, list):
            return [fill(v) for v in node]
        if isinstance(node, str) and node.startswith("@"):
            return sorted(_DATA[node[1:]])
        return node

    return {label: [fill(pattern)] for label, pattern in _DATA["patterns"].items()}


_PATTERNS = _patterns()


@dataclass
class Ref:
    """A mention of an entity in a sentence: by name or through a pointing phrase."""

    start: int  # token index of the first token
    end: int  # token index after the last token
    root: int  # token index of the phrase's head
    entity: Entity | None  # None: a pointing phrase that points at nothing
    locative: bool = False  # "at the X site": where, not who
    parent: bool = False  # a group named in brackets after its member
    pointing: bool = False  # "the company", "the center"
    oblique: bool = False  # "supplied by X", "a director at X": named, not what the text is about


@dataclass
class _Found:
    """What a phrase stands for: entities (possibly none: a city, an industry)."""

    entities: list[Entity | None] = field(default_factory=list)


_NONE = _Found([None])


class SubjectResolver:
    def __init__(self, an: Analysis, entities: list[Entity], owner: dict[int, Entity]) -> None:
        self.an = an
        self.doc = an.doc
        self.mentions: list[tuple[EntityMention, Entity]] = sorted(
            ((m, owner[id(m)]) for e in entities for m in e.mentions), key=lambda p: p[0].start
        )
        self.only_of_kind = _first_of_kinds(entities)
        self.companies = {e.name: e for e in entities if e.is_company}
        parents = {e.parent for e in entities if e.parent}
        self.groups = {id(e) for e in entities if e.is_company and (e.name in parents or is_group_name(e.name))}
        self.kind_counts = Counter(e.kind for e in entities)
        # the entity the text names most (a company before a site): the last resort
        self.main = max(entities, key=lambda e: (e.is_company, len(e.mentions)), default=None)
        self.last: dict[str, Entity] = {}  # the last entity named of each kind
        self.last_group: Entity | None = None  # the last group named (see _last_group)
        self.last_in_section: dict[str, Entity] = {}  # the same, since the last heading
        self.topic: Entity | None = None
        self.spoken = False  # the text has had a topic, or said it speaks of no one in particular
        self.matches: dict[str, dict[int, list[int]]] = {}  # pattern label -> first token -> tokens
        if len(self.doc) and self.doc.has_annotation("DEP"):
            matcher = dependency_matcher(self.doc.vocab, "subjects", _PATTERNS)
            for label, tokens in matcher(self.doc):
                self.matches.setdefault(label, {}).setdefault(tokens[0], tokens)
        self.pointing = sorted(self.matches.get("pointing", {}).values())  # read with a cursor, sentence by sentence
        self.refs: dict[int, Ref] = {}  # token index -> the ref it belongs to, in the current sentence
        self.sentence_refs: list[Ref] = []

    # --- the walk ------------------------------------------------------------
    def run(self, facts: list[RawFact]) -> list[tuple[RawFact, Entity | None]]:
        by_sentence: dict[int, list[RawFact]] = {}
        for f in facts:
            by_sentence.setdefault(f.sentence.index, []).append(f)
        out: list[tuple[RawFact, Entity | None]] = []
        cursor = (0, 0)  # the next mention, the next pointing phrase
        for s in self.an.sentences:
            if s.heading:
                self.last_in_section = {}
            refs, cursor = self._refs(s, cursor)
            subjects: list[Entity | None] = []
            for f in sorted(by_sentence.get(s.index, []), key=lambda f: f.start):
                chosen, weak = self._choose(f, refs)
                for ent in chosen:
                    out.append((f, ent))
                    if not weak:
                        subjects.append(ent)
            self._remember(s, refs, subjects)
        return out

    # --- the refs of a sentence ---------------------------------------------------
    def _span(self, start: int, end: int) -> tuple[int, int, int] | None:
        toks = self.an.tokens_between(start, end)
        if not toks:
            return None
        a, b = toks[0].i, toks[-1].i + 1
        words = [t for t in toks if not t.is_punct] or toks  # "Kessler Systems GmbH." heads on "GmbH"
        return a, b, self.doc[words[0].i : words[-1].i + 1].root.i

    def _refs(self, s: Sentence, cursor: tuple[int, int]) -> tuple[list[Ref], tuple[int, int]]:
        mi, pi = cursor
        refs: list[Ref] = []
        self.refs = {}
        field_line = self._field_line(s)
        while mi < len(self.mentions) and self.mentions[mi][0].start < s.end:
            m, ent = self.mentions[mi]
            mi += 1
            if m.start < s.start or (span := self._span(m.start, m.end)) is None:
                continue
            a, b, root = span
            if any(i in self.refs for i in range(a, b)) or self._dateline(a, b):
                continue
            r = Ref(a, b, root, ent, parent=m.role == "parent")
            r.locative = not ent.is_company and (
                field_line or self._locative(self.doc[root]) or self._after(a, _LOCATIVE_PREPS) or self._plant_at(self.doc[root])
            )
            r.oblique = self._oblique(self.doc[root]) or self._after(a, _OBLIQUE_PREPS)
            refs.append(r)
            for i in range(a, b):
                self.refs[i] = r
        lo, hi = self.an.token_range(s.start, s.end)
        if lo >= hi:
            lo, hi = 0, 0
        while pi < len(self.pointing) and self.pointing[pi][0] < hi:
            toks = self.pointing[pi]
            pi += 1
            noun = self.doc[toks[0]]
            if noun.i < lo or noun.i in self.refs or self._named_by(noun):
                continue
            a = max(min(noun.left_edge.i, *toks), lo)
            r = Ref(a, noun.i + 1, noun.i, None, pointing=True)
            r.entity, found = self._resolve_anaphor(noun.lower_, refs, noun.i)
            if r.entity is not None and self._parent_noun(noun):
                r.entity = self._parents(_Found([r.entity])).entities[0]  # "its parent company"
            if r.entity is None and not found:
                continue
            r.locative = r.entity is not None and not r.entity.is_company and self._locative(noun)
            refs.append(r)
            for j in range(a, noun.i + 1):
                self.refs.setdefault(j, r)
        refs.sort(key=lambda r: r.start)
        self.sentence_refs = refs
        return refs, (mi, pi)

    @staticmethod
    def _plant_at(tok: Token) -> bool:
        """"the Kestrel Park plant": a site's name before a plant word says where the plant is."""
        return tok.dep_ == "compound" and _ANAPHORS.get(tok.head.lower_) == "any"

    def _named_by(self, noun: Token) -> bool:
        """"the Velmar plant", "the industrial zone of the Kestrel Park": a name says what it is
        (a place's name before a plant word does not: "the Kestrel Park plant")."""
        for c in noun.children:
            if c.dep_ in _NAME_CHILD_DEPS and c.i in self.refs and not self.refs[c.i].pointing and not self.refs[c.i].locative:
                return True
            if c.dep_ == "prep" and c.lower_ == "of" and any(p.i in self.refs for p in c.children):
                return True
        return False

    def _dateline(self, a: int, b: int) -> bool:
        """"GREENVILLE, S.C. — Velmar said": an upper-case name opening a line, a dash a few words
        on: the place of the dateline."""
        first = self.doc[a]
        if not all(t.is_upper or t.is_punct for t in self.doc[a:b]) or not (a == 0 or "\n" in self.doc[a - 1].text_with_ws):
            return False
        return any(t.text in _DATELINE_DASHES for t in self.doc[b : b + 5]) and "\n" not in first.text

    def _field_line(self, s: Sentence) -> bool:
        """"Location: Shymkent, Ontustik SEZ": a field that names a place (the label may stand as a
        sentence of its own on the same line)."""
        line_start = self.an.text.rfind("\n", 0, s.start) + 1
        i, j = self.an.token_range(line_start, min(s.end, line_start + 40))
        return j - i >= 2 and self.doc[i].text in _FIELD_LABELS and self.doc[i + 1].text == ":"

    @staticmethod
    def _locative(tok: Token) -> bool:
        """"at the X site", "in the X SEZ", "on the territory of the X SEZ", "part of X", "in
        Kestrel, X", "in the industrial zone of X"."""
        for _ in range(8):
            while tok.dep_ in ("appos", "conj") and tok.head.i != tok.i:
                tok = tok.head
            if tok.dep_ != "pobj":
                return False
            prep = tok.head
            if prep.lower_ in _LOCATIVE_PREPS:
                return True
            if prep.lower_ != "of" or prep.head.i == prep.i:
                return False
            if prep.head.lower_ in _LOCATIVE_NOUNS:
                return True
            tok = prep.head  # "the zone of X": X is where the zone is
        return False

    def _after(self, start: int, words: frozenset[str]) -> bool:
        """The phrase starting at token ``start`` follows one of ``words`` ("by the X", "at X"),
        whatever the parse made of it."""
        i = start - 1
        if i >= 0 and self.doc[i].dep_ == "det":
            i -= 1
        return i >= 0 and self.doc[i].lower_ in words

    @staticmethod
    def _oblique(tok: Token) -> bool:
        """The object of a preposition: "supplied by X", "a loan from X", "a vice president at X";
        not a title's "of" ("Ivan Petrov, managing director of X, said the plant ..."): the
        speaker speaks for X."""
        if tok.dep_ != "pobj":
            return False
        prep = tok.head
        return not (prep.lower_ == "of" and prep.head.lower_ in _TITLE_WORDS)

    # --- pointing phrases -------------------------------------------------
    def _resolve_anaphor(self, word: str, refs: list[Ref], before: int) -> tuple[Entity | None, bool]:
        """(entity, found): what 'the company' / 'the center' / 'the plant' points at; a name
        earlier in the same sentence counts."""
        want = _ANAPHORS.get(word, "any")
        kinds: tuple[str, ...] = ("company", "complex") if want == "any" else (want,)
        if word in _GROUP_ANAPHORS and (group := self._last_group(refs, before)) is not None:
            return group, True  # "the group's capacity" after its member was named: the group's
        for r in reversed(refs):  # "Velmar said the new plant will employ 120 people"
            if r.start < before and r.entity is not None and r.entity.kind in kinds and not (r.parent or r.oblique or r.locative):
                return r.entity, True
        if want == "any" and self.topic is not None:
            # "the project", "the plant" in a text about a zone or park that a named company builds
            # in: the company's (a plant is never the zone; a named complex is what "the facility" is)
            company = self._project_company() if word in _PROJECT_NOUNS or self.topic.kind != "complex" else None
            return (self.topic if company is None else company), True
        # a company is pointed at across sections; a centre, site or complex only within its section
        for kind in kinds:
            ent = (self.last if kind == "company" else self.last_in_section).get(kind)
            if ent is not None:
                return ent, True
        # a zone or cluster named later in the text, or the only one there is
        if want in _ZONE_KINDS and self.kind_counts[want] == 1:
            return self.only_of_kind[want], True
        return None, want in _ZONE_KINDS

    def _last_group(self, refs: list[Ref], before: int) -> Entity | None:
        """The group named last before token ``before`` (in its sentence, else before it)."""
        for r in reversed(refs):
            if r.start < before and r.entity is not None and id(r.entity) in self.groups:
                return r.entity
        return self.last_group

    def _pronoun(self, tok: Token) -> _Found | None:
        """"it", "its": the subject named earlier in the sentence, else the topic; "their", "they"
        after a zone's residents as a subject ("34 residents are registered in the SEZ, their
        investments exceed ..."): the zone, as the residents are."""
        for t in tok.sent:
            if t.i >= tok.i:
                break
            r = self.refs.get(t.i)
            if r is not None and r.entity is not None and t.i == r.root and t.dep_ in _SUBJECT_DEPS:
                return _Found([r.entity])
            if r is None and t.dep_ in _SUBJECT_DEPS:  # "The park's operator, Velmar Estates, said it would invest"
                named = [self.refs[c.i] for c in t.children if c.dep_ == "appos" and c.i in self.refs]
                if named and named[0].entity is not None and not named[0].parent:
                    return _Found([named[0].entity])
            if t.lower_ in _MEMBERS and t.dep_ in _SUBJECT_DEPS and tok.lower_ in _PLURAL_PRONOUNS:
                found = self._phrase(t, depth=3)
                if found is not None and found.entities != [None]:
                    return found
        return _Found([self.topic]) if self.topic is not None else None

    def _zone(self, word: str | None) -> Entity | None:
        """Residents or participants of a zone, cluster or park: the last one named, else the only one."""
        kinds = (_ZONE_WORDS[word],) if word in _ZONE_WORDS else _ZONE_KINDS
        for kind in kinds:
            ent = self.last.get(kind) or self.only_of_kind.get(kind)
            if ent is not None:
                return ent
        return None

    # --- what a phrase stands for -------------------------------------------------
    def _members(self, tok: Token) -> _Found | None:
        """"SEZ residents", "the zone's residents", "residents of the cluster", "our residents"."""
        for label in ("members_of_named", "members_of", "members_here"):
            toks = self.matches.get(label, {}).get(tok.i)
            if toks is None:
                continue
            zone = self.doc[toks[-1]]
            r = self.refs.get(zone.i)
            if r is not None and r.entity is not None:
                return _Found([r.entity]) if not r.entity.is_company else None
            if label == "members_here" or zone.lower_ in _ZONE_WORDS:
                ent = self._zone(zone.lower_ if label != "members_here" else None)
                return _Found([ent])
        return None

    def _phrase(self, tok: Token, skip: Token | None = None, depth: int = 0, subject: bool = False) -> _Found | None:
        """The entities a noun phrase headed by ``tok`` stands for, or None when it names none.
        ``skip``: the child the walk came from (not part of what the phrase names); ``subject``:
        the phrase is a clause's subject, so names joined to it by "and" share the figure."""
        r = self.refs.get(tok.i)
        if r is not None and not r.parent:
            return self._coordinated(r) if subject else _Found([r.entity])
        if tok.lower_ in _PRONOUNS:
            return self._pronoun(tok)
        if tok.lower_ in _RELATIVE and tok.head.dep_ == "relcl" and depth < 3:
            antecedent = tok.head.head
            if self._locative(antecedent):
                r = self.refs.get(antecedent.i)
                if tok.head.lower_ in _EXTENT_VERBS and r is not None and r.entity is not None and not r.entity.is_company:
                    return _Found([r.entity])  # "in the X SEZ, which covers 500 hectares": the zone's own extent
                return None  # "in the X park, which will employ 300": the park is where, not who
            return self._phrase(antecedent, tok.head, depth + 1)
        if depth > 3:
            return None
        if tok.lower_ in _MEMBERS:
            members = self._members(tok)
            if members is not None:
                return members
            # "105 residents are registered in the SEZ": a zone the sentence names; else the
            # clause above may say whose ("the SEZ has 40 residents employing 5,000 people")
            zone = next((r.entity for r in self.sentence_refs if r.entity is not None and r.entity.kind in _ZONE_KINDS), None)
            if zone is None and self.topic is not None and self.topic.kind in _ZONE_KINDS:
                zone = self.topic  # "seven residents work on its territory" in a text about the park
            return _Found([zone]) if zone is not None else None
        children = [c for c in tok.children if skip is None or c.i != skip.i]
        for c in children:  # "companies Velmar and Ostrafarm", "the company, Nordvita,"
            if c.dep_ in _NAME_CHILD_DEPS and (cr := self.refs.get(c.i)) is not None and not cr.parent and cr.root == c.i and not cr.locative:
                return self._coordinated(cr) if subject else _Found([cr.entity])
        public = False  # "the government's policy": a public aim, no company's figure
        for c in children:  # "its plant", "X's new facility", "the region's plants"
            if c.dep_ == "poss":
                found = self._phrase(c, None, depth + 1)
                if found is not None:
                    return self._parents(found) if self._parent_noun(tok) else found
                if c.lower_ in _COLLECTIVE:
                    return _NONE
                public = public or c.lower_ in _PUBLIC_POSSESSORS
        if tok.lower_ in _PROJECT_NOUNS and tok.dep_ in _SUBJECT_DEPS and any(c.dep_ == "nummod" for c in tok.children):
            site = self._site_of_clause(tok.head, tok)  # "47 projects worth $9bn are under way in the X zone"
            if site is not None:
                return site
        if tok.lower_ in _COLLECTIVE:
            return self._host(tok, depth) or _NONE
        for c in children:  # "the facility, which Nordvita is building", "the plant built by Nordvita"
            if c.dep_ in ("relcl", "acl") and (actor := self._named_actor(c)) is not None:
                return _Found([actor])
        for c in children:  # "the plant of X", "investment in the X project"
            if c.dep_ == "prep" and (c.lower_ in _OWNER_PREPS or (c.lower_ in _STAKE_PREPS and tok.lower_ in _STAKE_NOUNS)):
                for p in c.children:
                    if p.dep_ == "pobj" and (skip is None or p.i != skip.i) and (found := self._phrase(p, None, depth + 1)) is not None:
                        if c.lower_ in _OWNER_PREPS or all(e is not None and e.is_company for e in found.entities):
                            return found  # an investment in a company's project, not "in the site"
        return _NONE if public else None

    def _host(self, tok: Token, depth: int) -> _Found | None:
        """"The zone hosts 90 companies employing ...", "X operates 12 plants employing ...", "the
        park is home to 30 firms with ...": companies or plants as what a named company or site
        has (the object of a host verb, or "home to"): their figures are the holder's."""
        verb = tok.head
        if tok.dep_ == "pobj" and verb.lower_ == "to" and verb.head.lower_ == "home" and verb.head.dep_ in ("attr", "advmod", "npadvmod"):
            verb = verb.head.head  # "is home to"
        elif tok.dep_ != "dobj" or verb.lower_ not in _HOST_VERBS:
            return None
        for c in verb.children:
            if c.dep_ in _SUBJECT_DEPS and (found := self._phrase(c, None, depth + 1)) is not None:
                return found if None not in found.entities else None
        return None

    @staticmethod
    def _parent_noun(tok: Token) -> bool:
        """"X's parent", "its parent company", "its owner"."""
        return tok.lower_ in _PARENT_NOUNS or any(c.dep_ == "compound" and c.lower_ in _PARENT_NOUNS for c in tok.children)

    def _parents(self, found: _Found) -> _Found:
        """The groups the text names as the parents of ``found``'s companies (where it names none: the company)."""
        return _Found([self.companies.get(e.parent, e) if e is not None and e.parent else e for e in found.entities])

    def _named_actor(self, clause: Token) -> Entity | None:
        """The name that is the subject or agent of ``clause`` (a relative pronoun is not one)."""
        for c in clause.children:
            actors = [p for p in c.children if p.dep_ == "pobj"] if c.dep_ in _AGENT_DEPS else [c] if c.dep_ in _SUBJECT_DEPS else []
            for a in actors:
                r = self.refs.get(a.i)
                if r is not None and r.entity is not None and not r.parent and a.lower_ not in _RELATIVE:
                    return r.entity
        return None

    def _coordinated(self, r: Ref) -> _Found:
        """A name and the names joined to it by "and" ("A and B will each invest")."""
        tok = self.doc[r.root]
        out = [r.entity]
        for c in tok.conjuncts:
            cr = self.refs.get(c.i)
            if any(d.dep_ in ("relcl", "acl") for d in c.children):
                continue  # "A, which invests X, and B, which invests Y"
            if cr is not None and cr.entity is not None and cr.entity not in out and not cr.parent:
                out.append(cr.entity)
        if len(out) > 1 and self._total(tok):
            return _NONE  # "A and B will invest a total of $50 million": nobody's alone
        return _Found(out)

    def _total(self, tok: Token) -> bool:
        words = {t.lower_ for t in tok.sent}
        return bool(words & _TOTAL) and not words & _EACH

    # --- choosing a subject -----------------------------------------------
    def _clause(self, fig: Token) -> _Found | None:
        """The subject of the clause that governs the figure (see the module's docstring)."""
        t = fig
        candidate: _Found | None = None  # a place the figure hangs on: used when no actor is found
        had_subject = False  # a clause on the way had a subject that names nobody
        for _ in range(64):
            h = t.head
            if h.i == t.i:
                break
            r = self.refs.get(h.i)
            if r is not None and not r.parent:
                r = self._nearest_conjunct(r, fig)
                if not r.locative and t.dep_ in _BIND_DEPS:
                    return _Found([r.entity])
                if t.dep_ not in ("conj", "cc"):  # "A, which invests X, and B, which...": B is not A's
                    candidate = candidate or _Found([r.entity])
            elif h.pos_ in ("NOUN", "PROPN"):
                found = self._phrase(h, t)
                if found is not None and self._locative(h):
                    candidate = candidate or found  # "in the zone of X, which is to employ 215"
                elif found is not None:
                    return found
            if h.pos_ in ("VERB", "AUX") or any(c.dep_ in _SUBJECT_DEPS for c in h.children):
                subjects = [p for c in h.children if c.dep_ in _AGENT_DEPS and c.i != t.i for p in c.children if p.dep_ == "pobj"]
                subjects += [c for c in h.children if c.dep_ in _SUBJECT_DEPS and c.i != t.i]
                for c in subjects:
                    found = self._phrase(c, subject=True)
                    if c.lower_ in _FUNDERS and (found is None or found.entities == [None]):
                        found = self._funded(h, c) or found
                    if found is None:
                        continue
                    if found.entities != [None]:
                        return found
                    # a place the figure hangs on beats "smaller suppliers will settle there";
                    # a clause above one that has a subject of its own says nothing about the figure
                    if candidate is not None or had_subject:
                        continue
                    return self._site_of_clause(h, c) or found
                had_subject = had_subject or bool(subjects)
            t = h
        return candidate

    def _nearest_conjunct(self, r: Ref, fig: Token) -> Ref:
        """"A with the cost of $12m, B with the cost of $5m": a figure the parse hangs on the first
        name of a list goes to the list's name nearest before it."""
        best = r
        for c in self.doc[r.root].conjuncts:
            cr = self.refs.get(c.i)
            if cr is not None and cr.entity is not None and best.end <= cr.start and cr.end <= fig.i:
                best = cr
        return best

    def _funded(self, verb: Token, subject: Token) -> _Found | None:
        """"The government will invest $50m to support Nordvita in building a plant": the company
        a public funder's clause names."""
        for t in verb.subtree:
            if subject.left_edge.i <= t.i <= subject.right_edge.i:
                continue
            r = self.refs.get(t.i)
            if r is not None and r.entity is not None and r.entity.is_company and not r.parent:
                return _Found([r.entity])
        return None

    def _site_of_clause(self, verb: Token, subject: Token) -> _Found | None:
        """"Investors will put 7 billion rubles into new plants there / in the X park": companies in
        general, but at a site: the site's (as a zone's residents are the zone's)."""
        for t in verb.subtree:
            if subject.left_edge.i <= t.i <= subject.right_edge.i:
                continue
            r = self.refs.get(t.i)
            if r is not None and r.locative and r.entity is not None:
                return _Found([r.entity])
            if t.lower_ in _PLACE_ADVERBS and self.topic is not None and not self.topic.is_company:
                return _Found([self.topic])
        return None

    def _bracket_owner(self, fig: Token, s: Sentence) -> Ref | None:
        """"Ostrafarm-K (Velmar Group) (12,400 square meters, 310 employees)": the name the
        bracket the figure stands in follows (earlier brackets and a 'company' word skipped)."""
        if self.an.text.find("(", s.start, fig.idx) < 0:
            return None  # no bracket before the figure in its sentence (``s``, the figure's)
        sent = fig.sent
        depth = 0
        i = fig.i - 1
        while i >= sent.start:
            text = self.doc[i].text
            if text == ")":
                depth += 1
            elif text == "(":
                if depth == 0:
                    break
                depth -= 1
            i -= 1
        else:
            return None
        j = i - 1
        while j >= sent.start and self.doc[j].text == ")":  # skip brackets before this one
            level = 0
            while j >= sent.start:
                level += (self.doc[j].text == ")") - (self.doc[j].text == "(")
                j -= 1
                if level == 0:
                    break
        if j >= sent.start and self.doc[j].lower_ in _ANAPHORS and j not in self.refs:
            j -= 1  # "the Lindamed company (...)"
        r = self.refs.get(j)
        if r is None or r.parent or r.entity is None or r.end != j + 1:
            return None
        return None if r.locative else r

    def _figure_token(self, fig: Token, end: int) -> Token:
        """The figure's own first token, past a qualifier that is the clause's verb ("investments
        exceed 60 billion rubles": the walk starts at "60", below the verb, not at the verb)."""
        if fig.pos_ not in ("VERB", "AUX"):
            return fig
        for t in self.doc[fig.i + 1 : fig.i + 4]:
            if t.idx >= end:
                break
            if t.like_num or t.pos_ in ("NUM", "SYM"):
                return t
        return fig

    def _cost_owner(self, fig: Token) -> Ref | None:
        """"A with the cost of EUR 12 million, B with the cost of EUR 5 million": the name right before
        the cost phrase (:func:`context.cost_phrase_end`, 3 to 6 tokens) that ends at the figure."""
        for i in range(max(fig.i - 6, 1), fig.i - 2):
            if cost_phrase_end(self.doc, i) == fig.i:
                r = self.refs.get(i - 1)
                if r is None or r.parent or r.entity is None or r.end != i or r.locative:
                    return None
                return r
        return None

    def _choose(self, fact: RawFact, refs: list[Ref]) -> tuple[list[Entity | None], bool]:
        """(subjects, weak): weak when the subject is only the place the fact is located at."""
        fig = self.an.token_at(fact.start)
        if fig is None:
            return [self.topic], False
        fig = self._figure_token(fig, fact.end)
        inside = self.refs.get(fig.i)
        if inside is not None and not inside.parent and inside.entity is not None:
            return [inside.entity], False  # "the 18,200-square-meter center"
        owner = self._bracket_owner(fig, fact.sentence) or self._cost_owner(fig)
        if owner is not None:
            return [owner.entity], False
        found = self._clause(fig)
        if found is not None:
            return list(found.entities), False
        usable = [r for r in refs if not r.parent and (r.entity is not None or r.pointing)]
        before = [r for r in usable if r.end <= fig.i and not r.locative]
        after = [r for r in usable if r.start > fig.i and not r.locative and not r.pointing]
        if before:
            return [before[-1].entity], False
        if after:
            return list(self._coordinated(after[0]).entities), False
        if self._collective(fig):
            return [None], False
        located = [r for r in usable if r.locative and r.entity is not None]
        if located and self.topic is None:
            return [min(located, key=lambda r: abs(r.start - fig.i)).entity], True
        if self.topic is None and not self.spoken:  # before the text names anyone: what it is about
            return [self.main], True
        company = self._project_company()
        if company is not None and self._project(fig):
            return [company], False  # "The whole project will cost $40m": the project is the company's
        return [self.topic], False

    def _project_company(self) -> Entity | None:
        """The last company named, where the topic is a site: a project's figures go to the site
        only where the text names no company (the guideline)."""
        if self.topic is None or self.topic.is_company:
            return None
        return self.last.get("company")

    def _project(self, fig: Token) -> bool:
        """The figure's sentence speaks of a project that no name there owns ("the whole project will cost")."""
        return any(t.lower_ in _PROJECT_NOUNS and t.i not in self.refs for t in fig.sent)

    def _collective(self, fig: Token) -> bool:
        """A city, region, industry or companies in general before the figure in its sentence, or
        as what the sentence is about ("about 4,800 people work in the region's industry"); not a
        place where a plant or project the figure belongs to stands ("a cluster worth $70 million
        will be created in the X region": the cluster's)."""
        held = self._held_by_facility(fig)
        for t in fig.sent:
            if t.lower_ not in _COLLECTIVE or self._members(t) is not None:
                continue
            if t.dep_ == "pobj" and t.head.lower_ == "in":  # "in the region": where, unless a plant the figure is of stands there
                if not held:
                    return True
            elif t.i < fig.i or t.dep_ in _SUBJECT_DEPS or t.dep_ == "poss":
                return True
        return False

    @staticmethod
    def _held_by_facility(fig: Token) -> bool:
        """The figure hangs on a plant, cluster or project word ("a cluster worth $70 million")."""
        t = fig
        for _ in range(4):
            if t.head.i == t.i:
                return False
            t = t.head
            if t.pos_ == "NOUN":
                return t.lower_ in _ANAPHORS
        return False

    def _collective_subject(self, s: Sentence) -> bool:
        """The sentence is about a city, an industry, companies in general: "The city is home to..."."""
        return any(
            t.dep_ in _SUBJECT_DEPS and t.lower_ in _COLLECTIVE and self._members(t) is None
            for t in self.an.tokens_between(s.start, s.end)
        )

    def _remember(self, s: Sentence, refs: list[Ref], subjects: list[Entity | None]) -> None:
        named = [r.entity for r in refs if r.entity is not None and not r.parent]
        for r in refs:
            if r.entity is not None and not r.pointing and id(r.entity) in self.groups:
                self.last_group = r.entity
            if r.entity is not None and not r.parent and not r.pointing:
                self.last[r.entity.kind] = r.entity
                self.last_in_section[r.entity.kind] = r.entity
        actors = [r.entity for r in refs if r.entity is not None and not r.parent and not r.locative and not r.oblique]
        if s.heading:
            self.topic = (actors or named or [None])[0]
        elif subjects:
            # what most of the sentence's figures are about
            self.topic = max(subjects, key=lambda e: (subjects.count(e), -subjects.index(e)))
        elif actors:
            self.topic = actors[0]
        elif any(r.entity is None for r in refs) or self._collective_subject(s):
            self.topic = None
            self.spoken = True
        self.spoken = self.spoken or self.topic is not None or None in subjects  # a figure of no one in particular


def _first_of_kinds(entities: list[Entity]) -> dict[str, Entity]:
    out: dict[str, Entity] = {}
    for e in entities:
        out.setdefault(e.kind, e)
    return out
