"""Company or not, decided once per name over the whole document.

Every place a candidate name stands (found again with a PhraseMatcher) gives evidence for or
against it being a company: the model's label there (a vote, not the first one), an industry noun
in apposition ("drugmaker X", "X, a maker of generics") or opening a list of names ("companies,
including X, Y and Z"), being the subject of a business verb (also through "which" and "plans
to"; the more so with a sum or a plant as its object, "plans to open a plant", unless the model
reads the name as a person: officials open plants too), quotes around the whole name ('"X Biotech Works" signed...'), a possessive
before a business noun ("X's plant"), a corporate title after it ("X President", "chief executive
of X"), a stock ticker, the headline; against: a person's prefix or a trailing ", chief executive"
(a person), a government title ("Trade and Industry Minister"), an industry word after it
("Biotech Sector"), a generic phrase ("Big Pharma"), an adjective ("Austria-based"), a money
figure ("R250bn"), a medium's name or a name that is told or explained to. A relative "which"
standing for the name ("X, which invests") says it is no person: the model's PERSON labels for it
are not counted. A name that acts ("to support X Ostrand in building a plant") and is a kept
company's name and one more proper name, not an industry word ("X Ostrand" after the company "X"),
is of that company's family: a unit or subsidiary, a company of its own. The owner of a business
noun after "of" ("the project of X", not a place) counts as a possessor; a sum right after the name
("X with the cost of $12 million") as a figure it holds; a name listed with a kept company ("A and
X", or "A with the cost of $8 million, X with the cost of $5 million") is listed with companies, which
adds to other evidence and never stands alone. Names in boilerplate
zones (lists of other headlines, captions, credits, share and subscribe lines) give no mention at
all.

The evidence that decided is appended to each kept mention's ``rule`` ("model_org+org×2,verb"),
so that a reviewer sees why. Two company names of one text that differ only by a transliteration
variant ("Ostpharm" and "Ostfarm") are one company: the later is said to be another name of the
first (``alias_of``); across texts the corpus stage only lists such names as possibly the same.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache

from spacy.attrs import LOWER, POS
from spacy.tokens import Span

from ..nlp import phrase_matches
from .context import DATELINE_AFTER, LEXICON, Analysis, EntityMention, cost_phrase_end, hashes
from .names import MENTION_WORDS, looks_non_company, token_name_after, trim_tokens

_COMPANY_NOUNS = frozenset(MENTION_WORDS["company_nouns"])
_PUBLIC_BODY_NOUNS = frozenset(MENTION_WORDS["public_body_nouns"])
_BUSINESS_VERBS = frozenset(MENTION_WORDS["business_verbs"])
_POSSESSIONS = frozenset(MENTION_WORDS["business_possessions"])
_GOVERNMENT_TITLES = frozenset(MENTION_WORDS["government_titles"])
_CORPORATE_TITLES = frozenset(MENTION_WORDS["corporate_titles"])
_TITLES = _CORPORATE_TITLES | _GOVERNMENT_TITLES
_PERSON_PREFIXES = frozenset(MENTION_WORDS["person_prefixes"])
_INDUSTRY_TAILS = frozenset(MENTION_WORDS["industry_tails"])
_GENERIC = frozenset(n.casefold() for n in MENTION_WORDS["generic_names"])
_SPEECH_VERBS = frozenset(MENTION_WORDS["speech_verbs"])
_SAY_VERBS = frozenset(MENTION_WORDS["statement_verbs"])
_MEDIA_WORDS = frozenset(MENTION_WORDS["media_words"])
_EXCHANGES = frozenset(MENTION_WORDS["ticker_exchanges"])
_COUNTRIES = frozenset(MENTION_WORDS["countries"])
_FACILITY_NOUNS = frozenset(MENTION_WORDS["facility_nouns"])
_RIVAL_NOUNS = frozenset(MENTION_WORDS["rival_nouns"])
_LIST_OPENERS = [tuple(p.split()) for p in MENTION_WORDS["list_openers"]]
_OPEN_QUOTES = frozenset(MENTION_WORDS["open_quotes"])
_CLOSE_QUOTES = frozenset(MENTION_WORDS["close_quotes"])
_SPELLINGS = [tuple(pair) for pair in MENTION_WORDS["spelling_variants"]]
_NON_WORD = re.compile(r"[\W_]+")
_NATIONALITIES = frozenset(LEXICON["nationalities"])
_ADJECTIVE_TAILS = frozenset(MENTION_WORDS["compound_adjective_tails"])
#: the cue phrases of furniture lines, each list one alternation of its literal phrases (a line is
#: searched once per list, not once per phrase); a zone's cue is the longest one a line opens with
_ZONE_CUES = re.compile("|".join(map(re.escape, sorted(MENTION_WORDS["boilerplate_zone_cues"], key=len, reverse=True))))
_CREDIT_CUES = re.compile("|".join(map(re.escape, MENTION_WORDS["credit_cues"])))
_FURNITURE_CUES = re.compile("|".join(map(re.escape, MENTION_WORDS["furniture_cues"])))
_FURNITURE_MAX_WORDS = 25
_DATELINE_TOKENS = 12  # the dateline's place, region, date and wire, up to its dash
_LEGAL_FORMS = frozenset(LEXICON["legal_forms_after"]) | frozenset(LEXICON["legal_forms_before"]) | frozenset(LEXICON["group_words"])
_MULTI_WORD_FORMS = [f.split() for f in sorted(_LEGAL_FORMS, key=len, reverse=True) if " " in f]
#: evidence that is about the name itself, which a name no rule found needs at least one of
_SUBSTANTIVE = frozenset({"noun", "verb", "poss", "title_of", "ticker", "legal", "conj", "family"})
#: a figure written as one word with a currency letter or sign and a scale ("R250bn", "MX$9bn")
_MONEY_TOKEN = re.compile(r"^(?:[A-Z]{1,3}\$?|\$|€|£|¥|₹)\d[\d.,]*(?:bn|mn|mln|m|k|b|billion|million)?$")
_LIST_ITEM = re.compile(r"^\s*(?:[-–—•*▪·]|\d+[.)])\s")
_CANDIDATE_LABELS = frozenset({"ORG", "PERSON", "GPE", "NORP", "PRODUCT", "FAC", "WORK_OF_ART", "LOC"})
_AGAINST_LABELS = frozenset({"PERSON", "GPE", "LOC"})
_RELATIVE = frozenset({"which", "that", "who"})
#: what a name needs: a structural rule's mention keeps it at any score above REJECT, the
#: model's ORG acting in its sentence needs WEAK, a name with no rule behind it NEW.
WEAK, NEW, REJECT = 1.0, 2.5, -5.0
#: the weight of one of the model's labels (the labels for less those against, at most three)
VOTE = 0.5


# --- boilerplate zones ---------------------------------------------------------------------------

def boilerplate_zones(text: str) -> list[tuple[int, int]]:
    """(start, end) of the lines that are site furniture: a credit, caption or syndication line;
    a short share, subscribe or navigation line;
    a "Read more: ..." line; a "Read next" / "Related" heading and the list of other headlines
    under it (list items or short lines without a full stop, up to a blank line)."""
    zones: list[tuple[int, int]] = []
    lines: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        lines.append((pos, pos + len(line)))
        pos += len(line) + 1
    i = 0
    while i < len(lines):
        a, b = lines[i]
        low = text[a:b].strip().lower()
        if _CREDIT_CUES.search(low) or (_FURNITURE_CUES.search(low) and len(low.split()) <= _FURNITURE_MAX_WORDS):
            zones.append((a, b))
        else:
            found = _ZONE_CUES.match(low)
            cue = found.group() if found else None
            rest = low[len(cue):].strip() if cue else ""
            if cue is not None and (not rest or rest[0] in ":|»›>-–—"):
                heading = not rest.lstrip(":|»›>-–— ")
                zones.append((a, b))
                if heading:  # the list under the heading
                    j = i + 1
                    while j < len(lines):
                        c, d = lines[j]
                        line = text[c:d].strip()
                        if not line:
                            if j > i + 1:
                                break
                        elif not (_LIST_ITEM.match(text[c:d]) or (len(line.split()) <= 20 and line[-1] not in ".!?")):
                            break
                        zones.append((c, d))
                        j += 1
                    i = j - 1
        i += 1
    return zones


def in_zones(zones: list[tuple[int, int]], starts: list[int], start: int, end: int) -> bool:
    k = bisect.bisect_right(starts, start) - 1
    return k >= 0 and zones[k][1] >= end


# --- evidence ------------------------------------------------------------------------------------

@dataclass
class Evidence:
    """What the places a name stands say about it; ``score`` > 0 leans to a company."""

    votes: Counter = field(default_factory=Counter)
    for_: Counter = field(default_factory=Counter)
    against: Counter = field(default_factory=Counter)
    reject: str | None = None
    thing: int = 0  # places where the name is what a relative "which" stands for: no person

    WEIGHTS = {
        "quoted": 1.5, "noun": 3.0, "verb": 1.0, "figure": 1.5, "facility": 1.5, "morpheme": 1.5, "poss": 2.0, "title": 1.0, "title_of": 1.5, "conj": 1.5, "family": 3.0, "ticker": 3.0, "headline": 0.5, "acts": 0.5, "legal": 3.0,
        "person": 2.0, "government": 3.0, "industry": 3.0, "surname": 2.0, "media": 2.0, "told": 2.0,
    }

    @property
    def score(self) -> float:
        if self.reject:
            return REJECT
        w = self.WEIGHTS
        against = _AGAINST_LABELS - {"PERSON"} if self.thing else _AGAINST_LABELS  # "X, which invests": no person
        net = self.votes["ORG"] - sum(self.votes[label] for label in against)
        score = VOTE * max(-3, min(3, net))
        # officials open plants too: a plant as the verb's object says nothing of a name read as a person
        score += sum(min(n, 2) * w[k] for k, n in self.for_.items() if not (k == "facility" and self.votes["PERSON"]))
        score -= sum(min(n, 2) * w[k] for k, n in self.against.items())
        return score

    def describe(self) -> str:
        parts = [f"{label.lower()}×{n}" for label, n in sorted(self.votes.items())]
        parts += [k if n == 1 else f"{k}×{n}" for k, n in sorted(self.for_.items())]
        parts += [f"not:{k}" for k in sorted(self.against)]
        parts += ["which"] if self.thing else []
        return ",".join(parts)


def _name_key(name: str) -> str:
    return " ".join(name.replace("’", "'").split()).casefold()


@lru_cache(maxsize=4096)
def _spelling_key(name: str) -> str:
    """A name with its transliteration variants made one ("Ostra-Farm" and "Ostra Pharm": "ostra farm")."""
    s = " ".join(_NON_WORD.sub(" ", name.casefold()).split())
    for a, b in _SPELLINGS:
        s = s.replace(a, b)
    return s


def _join_spellings(out: list[EntityMention]) -> list[EntityMention]:
    """Company names of one text that differ only by a transliteration variant ("Ostpharm" and
    "Ostfarm") are one company: each later spelling is said to be another name of the first."""
    first: dict[str, str] = {}
    for m in out:
        if m.is_company:
            first.setdefault(_spelling_key(m.name), m.name)
    joined = []
    for m in out:
        name = first.get(_spelling_key(m.name)) if m.is_company and not m.alias_of else None
        letters = _NON_WORD.sub("", m.name.casefold())
        if name is not None and _NON_WORD.sub("", name.casefold()) != letters:  # not a mere hyphen or space apart
            m = replace(m, alias_of=name)
        joined.append(m)
    return joined


def _verb_acts(verb) -> bool:
    """A business verb, or a verb whose open complement is one ("plans to invest")."""
    if verb.lower_ in _BUSINESS_VERBS:
        return True
    return any(c.dep_ in ("xcomp", "conj") and c.lower_ in _BUSINESS_VERBS for c in verb.children)


def _builds_facility(verb) -> bool:
    """The business verb (or its open complement) takes a plant word as its object ("will build a
    plant", "plans to open a factory")."""
    verbs = [verb] + [c for c in verb.children if c.dep_ in ("xcomp", "conj") and c.lower_ in _BUSINESS_VERBS]
    return any(v.lower_ in _BUSINESS_VERBS and any(o.dep_ == "dobj" and o.lower_ in _FACILITY_NOUNS for o in v.children) for v in verbs)


def _figure_in(an: Analysis, verb, quantity_starts: list[int]) -> bool:
    """A sum of money or an area in what the verb governs after it ("invest $40 million")."""
    start, end = verb.idx, verb.doc[verb.right_edge.i].idx + len(verb.doc[verb.right_edge.i])
    i = bisect.bisect_left(quantity_starts, start)
    qs = an.quantities
    while i < len(qs) and qs[i].start < end:
        if qs[i].kind != "number":
            return True
        i += 1
    return False


def _listed_after_company_noun(root) -> bool:
    """"companies, including A, B and C", "drugmakers such as A and B", "producers like A": a name
    in a list that a company noun opens (the first item is the opener's object, the others its
    conjuncts)."""
    first = root
    while first.dep_ == "conj" and first.head.i != first.i:
        first = first.head
    if first.dep_ != "pobj":
        return False
    prep = first.head
    if not (prep.head.lower_ in _COMPANY_NOUNS and prep.head.pos_ in ("NOUN", "PROPN")):
        return False
    doc = prep.doc
    return any(tuple(t.lower_ for t in doc[prep.i - len(words) + 1 : prep.i + 1]) == words for words in _LIST_OPENERS if prep.i + 1 >= len(words))


def _observe(an: Analysis, span: Span, ev: Evidence, ent_of: dict[int, Span], headline: tuple[int, int] | None,
             quantity_starts: list[int]) -> None:
    doc = an.doc
    a, b = span.start, span.end
    ent = ent_of.get(a)
    if ent is not None and ent.start <= a and b <= ent.end and ent.label_ in _CANDIDATE_LABELS:
        rest = [t for t in ent if not a <= t.i < b]
        if all(t.text in _LEGAL_FORMS or t.is_punct or t.is_stop or t.tag_ == "POS" for t in rest):
            ev.votes[ent.label_] += 1  # the model's label for this very name
    before = doc[a - 1] if a > 0 else None
    if before is not None and before.text == "," and a > 1:
        before = doc[a - 2]  # "the largest wholesaler, Velmar,"
    if before is not None and before.lower_ in _COMPANY_NOUNS and before.pos_ in ("NOUN", "PROPN", "ADJ") and not (
            _after_title_of(before) and span.root.ent_type_ == "PERSON"):
        ev.for_["noun"] += 1  # "drugmaker Velmar" (not "the director of the company Ivan Petrov")
    if before is not None and before.lower_ in _PUBLIC_BODY_NOUNS and before.pos_ in ("NOUN", "PROPN"):
        ev.against["government"] += 1  # "the investment agency Velmaria", "the regulator Kestrel"
    if before is not None and before.lower_ in _RIVAL_NOUNS and before.i > 0 and doc[before.i - 1].lower_ == "its":
        ev.for_["noun"] += 1  # "its rival Velmar": a company's rival (not "his rival")
    if before is not None and before.lower_ in _PERSON_PREFIXES:
        ev.against["person"] += 1
    if a > 0 and doc[a - 1].text == "," and _titled(doc, a - 1):
        ev.against["person"] += 1  # "the head of the agency, Irina Petrova,": a title's holder
    after = doc[b : b + 6]
    following = after[0].lower_ if len(after) else ""  # the word right after the name
    if following in _INDUSTRY_TAILS:
        ev.against["industry"] += 1
    if following in _GOVERNMENT_TITLES:
        ev.against["government"] += 1
    if following in ("company", "firm", "group", "holding") and after[0].pos_ == "NOUN" and span.root.ent_type_ not in ("GPE", "LOC"):
        ev.for_["noun"] += 1  # "the Velmar company" (not "the Geneva firm": a place's)
    if following in _CORPORATE_TITLES and following != "general":
        ev.for_["title"] += 1  # "Velmar President Ivan Petrov"
    if len(after) >= 2 and following == "," and after[1].lower_ in _TITLES:
        ev.against["person"] += 1  # "Ivan Petrov, chief executive of Velmar"
    if len(after) >= 3 and following == "," and after[1].lower_ in ("a", "an", "the"):
        nouns = [t for t in after[2:] if t.pos_ in ("NOUN", "PROPN", "ADJ")]
        if any(t.lower_ in _COMPANY_NOUNS and not _speaks(t) for t in nouns[:3]):
            ev.for_["noun"] += 1  # "Velmar, a maker of generics," (not "in Kestrel, the company said")
    if a > 0 and b < len(doc) and doc[a - 1].text in _OPEN_QUOTES and doc[b].text in _CLOSE_QUOTES:
        ev.for_["quoted"] += 1  # '"Velmar Biotech Works" signed the lease'
    if len(after) and after[0].tag_ == "POS":
        after = doc[b + 1 : b + 7]  # "Velmar's ($VLM) unit"
    if len(after) >= 3 and after[0].text == "(" and (after[1].text == "$" or after[1].text.startswith("$") or after[1].text.rstrip(":") in _EXCHANGES):
        ev.for_["ticker"] += 1
    if a >= 2 and doc[a - 1].lower_ == "of" and doc[a - 2].lower_ in _CORPORATE_TITLES:
        ev.for_["title_of"] += 1  # "the chief executive of Velmar"
    if a >= 2 and doc[a - 1].lower_ in ("of", "for") and doc[a - 2].lower_ in _GOVERNMENT_TITLES:
        ev.against["government"] += 1  # "Minister for Industry", "Secretary of Commerce"
    root = span.root
    head = root.head
    if root.dep_ in ("nsubj", "nsubjpass") or (root.dep_ == "conj" and head.dep_ in ("nsubj", "nsubjpass")):
        verb = head if root.dep_ != "conj" else head.head
        passive = "nsubjpass" in (root.dep_, head.dep_)  # "Phase 1 will be built": what is built, not who builds
        if _verb_acts(verb) and not passive:
            ev.for_["verb"] += 1
            if _figure_in(an, verb, quantity_starts):
                ev.for_["figure"] += 1  # "Velmar will invest $40 million"
            if _builds_facility(verb):
                ev.for_["facility"] += 1  # "Velmar intends to build a factory"
        else:
            ev.for_["acts"] += 1
    if root.dep_ == "pobj" and head.lower_ == "by" and head.dep_ == "agent" and _verb_acts(head.head):
        ev.for_["verb"] += 1  # "acquired by Velmar"
    if root.dep_ == "dobj" and any(c.dep_ == "prep" and c.lower_ == "in" and any(g.dep_ == "pcomp" and g.lower_ in _BUSINESS_VERBS for g in c.children)
                                   for c in head.children):
        ev.for_["verb"] += 1  # "to support Velmar in building a plant": Velmar builds
    if _listed_after_company_noun(root):
        ev.for_["noun"] += 1  # "three companies, including Velmar, Kordis and Ostrafarm"
    for child in root.children:
        if child.dep_ == "relcl" and any(c.dep_ in ("nsubj", "nsubjpass") and c.lower_ == "which" for c in child.children):
            ev.thing += 1  # "Velmar, which ...": a thing, not a person (who)
        if child.dep_ == "relcl" and any(c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in _RELATIVE for c in child.children) and _verb_acts(child):
            ev.for_["verb"] += 1  # "Velmar, which is investing..."
            if _figure_in(an, child, quantity_starts):
                ev.for_["figure"] += 1
    if root.dep_ == "poss":
        ev.for_["poss" if head.lower_ in _POSSESSIONS else "acts"] += 1
    if (root.dep_ == "pobj" and head.lower_ == "of" and head.head.lower_ in _POSSESSIONS and head.head.lower_ not in _CORPORATE_TITLES
            and root.ent_type_ not in _PLACE_LABELS):
        ev.for_["poss"] += 1  # "the project of Velmar", as "Velmar's project" (not "the plants of Halden")
    if _holds_cost(an, span, quantity_starts):
        ev.for_["figure"] += 1  # "Velmar with the cost of EUR 12 million, Kordis with the cost of ..."
    if root.dep_ == "pobj" and head.lower_ == "to" and head.head.lower_ in _SPEECH_VERBS:
        ev.against["told"] += 1  # "explained to Medwire"
    if root.dep_ == "dobj" and head.lower_ in ("told", "tells", "tell"):
        ev.against["told"] += 1
    if headline is not None and headline[0] <= span.start_char < headline[1]:
        ev.for_["headline"] += 1


def _speaks(noun) -> bool:
    """The noun is the subject of a verb of saying ("..., the Belgian company said"), not in
    apposition to the name before its comma."""
    verb = noun.head
    return noun.dep_ in ("nsubj", "nsubjpass") and (verb.lower_ in _SPEECH_VERBS or verb.lower_ in _SAY_VERBS)


def _titled(doc, comma: int) -> bool:
    """The words before ``comma`` are a title and what it is of: "the head of the agency", "the
    chief executive of Velmar" (a few words, no verb and no other comma between)."""
    for i in range(comma - 1, max(-1, comma - 8), -1):
        t = doc[i]
        if t.text in (",", ";", ".") or t.pos_ in ("VERB", "AUX") or "\n" in t.whitespace_:
            return False
        if t.lower_ == "of" and i > 0 and doc[i - 1].lower_ in _TITLES:
            return True
    return False


def _after_title_of(tok) -> bool:
    """``tok`` follows a title and "of" ("the general director of the company")."""
    i = tok.i - 1
    doc = tok.doc
    if i >= 0 and doc[i].lower_ in ("the", "a", "this"):
        i -= 1
    return i >= 1 and doc[i].lower_ == "of" and doc[i - 1].lower_ in _CORPORATE_TITLES


def _holds_cost(an: Analysis, span: Span, quantity_starts: list[int]) -> bool:
    """"A with the cost of EUR 12 million": the name is followed by a cost phrase
    (:func:`context.cost_phrase_end`) and a sum."""
    at = cost_phrase_end(span.doc, span.end)
    if at is None:
        return False
    start = span.doc[at].idx
    k = bisect.bisect_left(quantity_starts, start)
    qs = an.quantities
    return k < len(qs) and qs[k].start == start and qs[k].kind == "money"


def _listed_with(an: Analysis, occurrences: list[Span], kept_roots: dict[int, Span], quantity_starts: list[int]) -> bool:
    """A place where the name is listed with a kept company's name: the parse makes one the
    other's conjunct ("Albivex and Nikora Labs"), or its apposition where both hold a sum
    ("Albivex with the cost of $8 million, Nikora Labs with the cost of $5 million")."""
    for sp in occurrences:
        if sp[-1].pos_ in ("CCONJ", "ADP", "PUNCT"):
            continue  # the model's "Velmar Biologics and": the list's words, not a name
        root = sp.root
        joined = [root.head] if root.dep_ in ("conj", "appos") else []
        joined += [c for c in root.children if c.dep_ in ("conj", "appos")]
        for other in joined:
            if other.i not in kept_roots or other.i == root.i:
                continue
            dep = root.dep_ if other is root.head else other.dep_
            if dep == "conj" or (_holds_cost(an, sp, quantity_starts) and _holds_cost(an, kept_roots[other.i], quantity_starts)):
                return True
    return False


def _hard_reject(an: Analysis, span: Span, name: str, quantity_starts: list[int]) -> str | None:
    """A reason why this name is never a company, whatever else is said of it."""
    tokens = list(span)  # read once: each pass over the span would make its Tokens again
    words = [t for t in tokens if not t.is_punct]
    if name.casefold() in _GENERIC:
        return "generic"
    if name in _COUNTRIES:
        return "country"
    if name in _NATIONALITIES or (len(words) == 1 and words[0].pos_ == "ADJ" and words[0].ent_type_ == "NORP"):
        return "adjective"  # "a Mexican company"
    if name in _LEGAL_FORMS or all(t.text in _LEGAL_FORMS for t in words):
        return "legal_form_only"
    if words and all(t.lower_ in _COMPANY_NOUNS for t in words):
        return "company_noun_only"  # '("Velmar" or "the Company")': a word that points at a company, no name
    if DATELINE_AFTER.match(an.text, span.end_char) or _dateline_place(span):
        return "dateline"  # "Kestrel, 19 September 2024 —", "HALDEN, Ind. —": the dateline's town
    if looks_non_company(name):
        return "non_company_word"
    if any(t.lower_ in _ADJECTIVE_TAILS for t in tokens[1:]) and any(t.text == "-" for t in tokens):
        return "adjective"
    if any(t.tag_ == "POS" or t.text in ("'s", "’s") for t in tokens):
        return "possessive"
    if any(t.lower_ in _PERSON_PREFIXES or t.lower_ in _CORPORATE_TITLES for t in words[:-1]) and len(words) > 1:
        return "title_inside"  # "CEO Sir Ivan Petrov", "Velmar OOO Director General"
    if len(words) > 1 and words[-1].lower_ in _TITLES:
        return "title_inside"
    if any(c.isdigit() for c in span.text) and any(_MONEY_TOKEN.match(t.text) for t in words) or _money_at(an, span, quantity_starts):
        return "money"  # "R250bn", "US$35m"; "Rs" of "Rs 750 crore": a currency the figure begins with
    if words and words[-1].text in _MEDIA_WORDS and len(words) > 1:
        return "media"
    return None


def _dateline_place(span: Span) -> bool:
    """A name opening its line, then a comma, a few capitalised words, abbreviations, a date and a
    wire's name, and a dash: "HALDEN, Ind. —", "Marlow, Velmaria –", "KESTREL, Ohio, May 4, 2025
    /Wirename/ --"; after the day's number, a month in any language ("Halden, 8 de maio —"). The
    wire's name may stand in brackets, written as the wire writes it, and right after the place:
    "KESTREL (Nordwire) -", "Marlow, Velmaria (dpa-Wire) —"."""
    doc = span.doc
    if span.start > 0 and "\n" not in doc[span.start - 1].whitespace_ and not doc[span.start - 1].is_space:
        return False
    end = next((t.i for t in span if t.text == "("), span.end)  # the model's name may run into the wire's brackets
    if end >= len(doc) or doc[end].text not in (",", "(") or end == span.start:
        return False
    place = doc[span.start : end]
    if doc[end].text == "(" and not (place.text.isupper() or place.root.ent_type_ in _PLACE_LABELS):
        return False  # "Velmar (VLM) – ...": a company and its ticker, not a town and its wire
    day = False
    bracket = False
    for tok in doc[end : end + _DATELINE_TOKENS]:
        if "\n" in tok.whitespace_:
            return False
        if tok.text in ("(", ")"):
            bracket = tok.text == "("
        elif bracket:
            if tok.text == ":" or tok.like_num:
                return False  # "(NASDAQ: VLM)", "(2024)"
        elif tok.text in ("—", "–", "-", "--"):
            return True
        elif not (tok.text[:1].isupper() or tok.text in (".", ",") or tok.like_num or tok.text[:1] == "/" or (day and tok.is_alpha)):
            return False
        day = day or tok.like_num
    return False


def _named_facility(span: Span) -> bool:
    """"The Kestrel House, Velmar's vaccine production facility, ...": the name of a complex."""
    doc = span.doc
    if span.end >= len(doc) or doc[span.end].text != ",":
        return False
    owned = False
    for tok in doc[span.end + 1 : span.end + 10]:
        if tok.text in (",", ".", ";") or "\n" in tok.whitespace_:
            return False
        owned = owned or tok.tag_ == "POS" or tok.lower_ in ("its", "their", "our")
        if tok.lower_ in _FACILITY_NOUNS:
            return owned
    return False


def _money_at(an: Analysis, span: Span, starts: list[int]) -> bool:
    """A money figure overlaps the span (quantities are sorted by start and do not overlap)."""
    qs = an.quantities
    i = bisect.bisect_right(starts, span.end_char - 1) - 1
    return i >= 0 and qs[i].end > span.start_char and qs[i].kind == "money"


def _tokens(an: Analysis, m: EntityMention) -> Span | None:
    """The tokens of a mention's name as it stands in the text."""
    at = an.text.find(m.name, m.start, m.end)
    if at < 0:
        return an.doc.char_span(m.start, m.end, alignment_mode="contract")
    return an.doc.char_span(at, at + len(m.name), alignment_mode="contract")


def _candidates(an: Analysis, zones: list[tuple[int, int]], starts: list[int]) -> list[EntityMention]:
    """Names with no structural rule behind them: the model's entities (whatever their label:
    the decision counts the labels) and proper names right after a company noun ("giant X")."""
    doc = an.doc
    out: list[EntityMention] = []

    def add(start: int, end: int, rule: str) -> None:
        words = []  # the words up to a possessive
        for t in doc[start:end]:
            if t.tag_ == "POS" or t.text in ("'s", "’s"):
                break
            words.append(t.text)
        while len(words) > 1 and (words[-1] in _LEGAL_FORMS or words[-1] in (",", ".")):
            words.pop()  # "Velmar State Corporation", "Velmar Co., Ltd": the name without its legal form
        for form in _MULTI_WORD_FORMS:
            if len(words) > len(form) and words[-len(form):] == form:
                del words[-len(form):]
        found = trim_tokens(an, start, start + len(words))
        if found is None:
            return
        a, b = an.char_range(*found)
        written = an.text[a:b]
        name = " ".join(written.split())
        if len(name) < 2 or "\n" in written or in_zones(zones, starts, a, b):
            return
        out.append(EntityMention(a, b, name, "company", rule, strength=0))

    for e in an.ents:
        if e.label_ in _CANDIDATE_LABELS:
            add(e.start, e.end, f"model_{e.label_.lower()}")
    ent_of = {i: e for e in an.ents for i in range(e.start, e.end)}
    for tok in map(doc.__getitem__, an.indices(POS, _PROPN)):  # a run of proper nouns the model did not read as one entity
        if (tok.dep_ in ("compound", "flat") and tok.head.i == tok.i + 1 and tok.head.pos_ == "PROPN"):
            continue
        first = tok.i
        while first > 0 and doc[first - 1].pos_ == "PROPN" and doc[first - 1].dep_ in ("compound", "flat") and "\n" not in doc[first - 1].whitespace_:
            first -= 1
        ent = ent_of.get(first)
        if ent is not None and ent.start <= first and tok.i < ent.end:
            continue  # the entity is a candidate already
        add(first, tok.i + 1, "proper_name")
    for tok in map(doc.__getitem__, an.indices(LOWER, _company_noun_hashes())):
        if tok.i + 1 < len(doc) and tok.pos_ in ("NOUN", "ADJ") and not tok.ent_type_:
            found = token_name_after(an, tok.i + 1 + (doc[tok.i + 1].text == ","))
            if found is not None and found[0] in (tok.i + 1, tok.i + 2):
                add(found[0], found[1], "company_noun_apposition")
    return out


_PROPN = hashes(["PROPN"])
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC", "NORP"})
#: evidence that a name does what a company does, which a name of a company's family needs
_ACTING = frozenset({"verb", "acts", "poss", "noun", "figure", "facility"})
_INDUSTRY_PARTS = tuple(w.lower() for w in LEXICON["name_morphemes"] + LEXICON["industry_name_words"] + LEXICON["corporate_suffixes"])


def _industry_word(word: str) -> bool:
    """"Pharmacare", "Biologics", "Holding": a word that says what a company does or is, so that
    "Velmar Pharmacare" is Velmar's full name, not another company of its family."""
    return any(part in word for part in _INDUSTRY_PARTS)


@cache
def _company_noun_hashes():
    return hashes(_COMPANY_NOUNS)


def decide(an: Analysis, mentions: list[EntityMention], explain: dict[str, tuple[float, str]] | None = None) -> list[EntityMention]:
    """The mentions to keep: none in boilerplate zones; company names decided once per name
    from all the places they stand; new company mentions for names the evidence carries."""
    zones = boilerplate_zones(an.text)
    starts = [z[0] for z in zones]
    kept = [m for m in mentions if not in_zones(zones, starts, m.start, m.end)]
    sites = [m for m in kept if not m.is_company]
    named = [m.name.split() for m in sites if m.rule != "site_list"]
    sites = [m for m in sites if m.rule != "site_list" or not any(len(n) > len(m.name.split()) and n[: len(m.name.split())] == m.name.split() for n in named)]
    companies = [m for m in kept if m.is_company]
    candidates = companies + _candidates(an, zones, starts)
    doc = an.doc
    spans: dict[str, Span] = {}
    groups: dict[str, list[EntityMention]] = {}
    for m in candidates:
        span = _tokens(an, m)
        if span is None or not len(span):
            continue
        k = _name_key(m.name)
        groups.setdefault(k, []).append(m)
        spans.setdefault(k, span)
    keys = list(spans)
    occurrences: dict[str, list[Span]] = {k: [] for k in keys}
    for i, a, b in phrase_matches(doc, [[t.orth for t in spans[k]] for k in keys]):
        k = keys[i]
        span = doc[a:b]
        if not in_zones(zones, starts, span.start_char, span.end_char):
            occurrences[k].append(span)
    furthest: dict[int, int] = {}  # start token -> the furthest end of an occurrence starting there
    for occ in occurrences.values():
        for sp in occ:
            furthest[sp.start] = max(furthest.get(sp.start, 0), sp.end)
    widest = max((len(sp) for occ in occurrences.values() for sp in occ), default=0)

    def inside_longer(sp: Span) -> bool:
        return any(furthest.get(a, 0) >= sp.end and furthest[a] - a > len(sp) for a in range(sp.start - widest, sp.start + 1))

    for k in keys:  # a name inside a longer name's place ("Kestrel" in "Kestrel Pharma") is not there
        occurrences[k] = [sp for sp in occurrences[k] if not inside_longer(sp)]
    ent_of = {i: e for e in an.ents for i in range(e.start, e.end)}
    quantity_starts = [q.start for q in an.quantities]
    surnames = {e[-1].text for e in an.ents if e.label_ == "PERSON" and len(e) > 1}
    title = next((s for s in an.sentences if s.heading), None) if an.sentences and an.sentences[0].heading else None
    headline = (title.start, title.end) if title is not None else None
    out = list(sites)

    def _emit(k: str, ms: list[EntityMention], ev: Evidence, strength: int) -> None:
        why = ev.describe()
        facility = next((sp for sp in occurrences[k] if _named_facility(sp)), None)
        if facility is not None and strength < 2:  # a complex's name, not a company's
            out.append(EntityMention(facility.start_char, facility.end_char, ms[0].name, "complex", "facility_apposition"))
            return
        if strength == 0:  # a new name: its first places as mentions (the resolver finds the others)
            seen: set[tuple[int, int]] = set()
            for m in ms:
                if (m.start, m.end) not in seen:
                    seen.add((m.start, m.end))
                    out.append(EntityMention(m.start, m.end, m.name, "company", f"{m.rule}+{why}", strength=1))
            return
        for m in ms:
            if m.strength > 0:
                out.append(replace(m, rule=f"{m.rule}+{why}") if why else m)

    kept: set[tuple[str, ...]] = set()  # the kept companies' names, as lower-case words
    kept_roots: dict[int, Span] = {}  # the head token of each place where they stand -> that place
    pending: list[tuple[str, list[EntityMention], Evidence, int]] = []
    for k, ms in groups.items():
        ev = Evidence()
        ev.reject = _hard_reject(an, spans[k], ms[0].name, quantity_starts)
        for span in occurrences[k]:
            _observe(an, span, ev, ent_of, headline, quantity_starts)
        strength = max(m.strength for m in ms)
        if len(spans[k]) == 1 and spans[k][0].text in surnames:
            ev.against["surname"] += 1  # "Petrov" after "Ivan Petrov"
        if any(m.legal_form for m in ms):
            ev.for_["legal"] += 1
        if any(m.rule == "name_morpheme" for m in ms):
            ev.for_["morpheme"] += 1
        if not _keep(ev, strength):
            if not ev.reject:
                pending.append((k, ms, ev, strength))
            if explain is not None:
                explain[ms[0].name] = (ev.score, ev.reject or ev.describe())
            continue
        if explain is not None:
            explain[ms[0].name] = (ev.score, ev.describe())
        kept.add(tuple(t.lower_ for t in spans[k]))
        kept_roots.update((sp.root.i, sp) for sp in occurrences[k])
        _emit(k, ms, ev, strength)
    for k, ms, ev, strength in pending:  # "Velmar Ostrand" after the company "Velmar": of its family
        family = _of_family(spans[k], kept) and _ACTING & set(ev.for_) and not (headline and headline[0] <= spans[k].start_char < headline[1])
        if family:
            ev.for_["family"] += 1
        listed = _listed_with(an, occurrences[k], kept_roots, quantity_starts)
        if listed:
            ev.for_["conj"] += 1  # "Albivex with the cost of $8 million, Nikora Labs with ...": listed with a company
        if family or listed:
            if _keep(ev, strength):
                if explain is not None:
                    explain[ms[0].name] = (ev.score, ev.describe())
                _emit(k, ms, ev, strength)
    return _join_spellings(out)


def _of_family(span: Span, kept: set[tuple[str, ...]]) -> bool:
    """A kept company's whole name and one more proper name, neither a place nor an industry word."""
    last = span[-1]
    return (len(span) > 1 and tuple(t.lower_ for t in span[:-1]) in kept and last.is_alpha and last.is_title and last.pos_ == "PROPN"
            and last.ent_type_ not in _PLACE_LABELS and not _industry_word(last.lower_))


def _keep(ev: Evidence, strength: int) -> bool:
    """Whether a name with this evidence is a company: a structural rule's mention at any score above
    REJECT, the model's ORG acting in its sentence at WEAK, a name no rule found at NEW and with
    evidence about the name itself."""
    need = REJECT if strength >= 2 else WEAK if strength == 1 else NEW
    score = ev.score
    keep = score > need if strength >= 2 else score >= need
    return keep and (strength > 0 or bool(_SUBSTANTIVE & set(ev.for_)))  # the model's label alone is not enough
