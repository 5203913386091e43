"""Company mentions: legal forms, group names, bracketed figure lists, "the company X", the model's ORGs.

Each rule yields :class:`EntityMention` objects with the name as written, minus
legal form. Merging spellings into one company is the resolver's job.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from ..values._scan import RUN, first_words
from .context import DATELINE_AFTER, LEXICON, Analysis, EntityMention
from .names import MENTION_WORDS, NAME_WORD, looks_non_company, name_after, name_before, word_list

_LEGAL_AFTER = re.compile(rf"(?:,\s*)?\b({word_list('legal_forms_after')})(?![\w-])")
_LEGAL_BEFORE = re.compile(rf"(?<![\w-])({word_list('legal_forms_before')})[ \t]+(?=[\"«“A-Z0-9])")
_GROUP = re.compile(rf"\s({word_list('group_words')})\b")
_COMPANY_NOUN_BEFORE = re.compile(r"\b(?:(?:[Cc]ompany|[Cc]ompanies|[Ff]irm|[Mm]anufacturers?|[Pp]roducers?|[Dd]evelopers?)[ \t]+(?:such[ \t]+as[ \t]+)?|([Rr]esidents?),?[ \t]+)(?=[\"«“]?[A-Z])")
_SUBSIDIARY = re.compile(
    r"(?:,|[ \t]+(?:is|was|has[ \t]+been|became|remains))[ \t]+(?:(?:a|an|the)[ \t]+)?(?:[\w-]+[ \t]+){0,2}?"
    r"(?:subsidiary|unit|division|daughter company|part|member)[ \t]+of[ \t]+(?:the[ \t]+)?(?:state[ \t]+corporation[ \t]+)?(?=[\"«“]?[A-Z])"
)
_REGIONAL_HEADS = frozenset(LEXICON["regional_heads"])
_CORPORATE_TITLES = frozenset(MENTION_WORDS["corporate_titles"])
_QUOTED = re.compile(r"[«“\"]([A-Z][^«»“”\"\n]{1,60}?)[»”\"]")
_BRACKET = re.compile(r"\s?\(([^()\n]{1,200})\)")
# what a bracket may hold: "(X Group)", "(LLC Alias)" / "(Alias LLC)", "(Owner's parent company)"
_GROUP_INSIDE = re.compile(rf"(.+?)\s+({word_list('group_words')})")
_LEGAL_INSIDE = re.compile(rf"({word_list('legal_forms_before')})\s+(.+)|(.+?)\s+({word_list('legal_forms_after')})")
_ACRONYM_INSIDE = re.compile(r"[A-Z][A-Z0-9&]{1,6}")  # "(VIB)": a name's acronym, defined in brackets
_LINK_WORDS = frozenset(LEXICON["acronym_link_words"])
_LEGAL_WORDS = frozenset(LEXICON["legal_forms_after"])
_INDUSTRY_WORDS = frozenset(LEXICON["industry_name_words"])
_OWNER_INSIDE = re.compile(r"([A-Z][\w-]*(?:\s[A-Z][\w-]*){0,3})\s+(?:[a-z][\w-]*\s+){0,2}company")
_QUOTED_AFTER = re.compile(r"(?:company|firm|manufacturer|plant|complex|producer|" + word_list("legal_forms_before") + r")\s*$", re.I)
_LIST_SEP = re.compile(r"[ \t]*(?:,[ \t]*(?:and[ \t]+)?|[ \t]+and[ \t]+)(?=[\"«“]?[A-Z])")
_MORPHEME_HIT = re.compile("|".join(map(re.escape, LEXICON["name_morphemes"])), re.I)
_MORPHEME_EXCEPT = re.compile("|".join(map(re.escape, LEXICON["name_morpheme_exceptions"])), re.I)
_JOBS_FIGURE = re.compile(rf"\d\s*(?:{word_list('job_nouns_short')})\b")
_PREFIX = re.compile(rf"(?<![\w-])({word_list('name_prefixes')})[ \t]+(?=[\"«“]?[A-Z])")
_LIST_ITEM = re.compile(rf"^[ \t]*(?:[-–—•*▪·]|\d+[.)])[ \t]+[\"«“]?({NAME_WORD}(?:[ ]{NAME_WORD}){{0,4}})[\"»”]?[ \t]*(?:[-–—:]|\()", re.M)
_OPENING, _CLOSING = "«“\"", "»”\""
# "Velkor Medtech", "Tavrin Pharma": a name whose last word is an industry word (not followed by
# another capitalised word: "Ostrava Pharma Plant" is the plant's name, not the company's)
_INDUSTRY_TAIL = re.compile(rf"(?<=[\w\"»”][ ])({word_list('industry_name_words')})(?![\w-])(?![ \t]+[A-Z])")
_COORDINATED = re.compile(r" (?:and|&) ")
_LEGAL_TAIL = re.compile(rf"[ ,]+(?:{word_list('legal_forms_after')})$")
_YEARISH = re.compile(r"(?:19|20)\d\d")
_DRUG_NOUNS = re.compile(rf"\b(?:{word_list('drug_list_nouns')})\b", re.I)
_THE = re.compile(r"\b[Tt]he\s+")
_POSSESSIVE_END = re.compile(r"['’]s?$")

#: How each pattern below can begin: a comma or the first run of letters (values._scan.RUN) of one
#: of its cue phrases, in lower case. Each is tried only where a run of the text is one of these
#: (:func:`_cued`), not at every position: the same matches (tests/test_extract.py checks them
#: against ``finditer`` for every phrase of the lists). The lists and marks are the ones
#: data/lexicon.json names in company_cue_lists and company_cue_marks, whose first words the pass
#: over the text that finds where values begin lists too (``Analysis.run_words``).
_FIRST_WORDS = {
    _LEGAL_AFTER: first_words(LEXICON["legal_forms_after"]) | {","},
    _LEGAL_BEFORE: first_words(LEXICON["legal_forms_before"]),
    _COMPANY_NOUN_BEFORE: first_words(LEXICON["company_cue_nouns"]),  # the words the pattern spells out
    _PREFIX: first_words(LEXICON["name_prefixes"]),
    _INDUSTRY_TAIL: first_words(LEXICON["industry_name_words"]),
    _THE: frozenset({"the"}),
}
_CUE_WORDS = frozenset().union(*_FIRST_WORDS.values())


def cue_runs(text: str) -> list[tuple[int, str]]:
    """(offset, run in lower case) of each run of ``text`` that can begin one of the cued patterns."""
    return [(m.start(), w) for m in RUN.finditer(text) if (w := m.group().lower()) in _CUE_WORDS]


def _cued(pattern: re.Pattern[str], text: str, cues: list[tuple[int, str]]) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)``, tried only at the ``cues`` (:func:`cue_runs`) that are its first
    words. A match of these patterns begins with a comma or one of their cue phrases as a whole word
    (after a space or no word character), so a run of the text begins there and is the phrase's first
    run: every match ``finditer`` finds is found, and in the same order without overlaps."""
    words = _FIRST_WORDS[pattern]
    end = 0
    for at, word in cues:
        if at >= end and word in words and (m := pattern.match(text, at)):
            end = m.end()
            yield m


def _ok(name: str) -> bool:
    return (
        2 <= len(name) <= 80
        and "\n" not in name
        and any("a" <= c.lower() <= "z" for c in name)
        and not looks_non_company(name)
        and not _YEARISH.search(name)
    )


def _place(an: Analysis, start: int, end: int) -> bool:
    """The model reads exactly these words as a place ("Russia", "Penza Region")."""
    return an.entity_spans.get((start, end)) in ("GPE", "LOC")


def _mention(an: Analysis, start: int, end: int, name: str, rule: str, **kw) -> EntityMention:
    return EntityMention(start, end, name, "company", rule, **kw)


def _legal_forms(an: Analysis, cues: list[tuple[int, str]]) -> Iterator[EntityMention]:
    text = an.text
    for m in _cued(_LEGAL_AFTER, text, cues):
        found = name_before(an, m.start())
        if found and " and " in found[1]:  # "the Ministry of Health and Velmar LLP": the legal form's name is the last
            last = found[1].rsplit(" and ", 1)[1]
            found = (found[0] + len(found[1]) - len(last), last)
        if found and _ok(found[1]) and found[1] != m.group(1):
            yield _mention(an, found[0], m.end(), found[1], "legal_form_after", legal_form=m.group(1))
    for m in _cued(_LEGAL_BEFORE, text, cues):
        found = name_after(an, m.end())
        if found and _ok(found[1]):
            start, name = found
            end = start + len(name)
            if text[start - 1 : start] in _OPENING and text[end : end + 1] in _CLOSING:
                end += 1  # CJSC «Medvilon»: the closing quote belongs to the mention
            yield _mention(an, m.start(), end, name, "legal_form_before", legal_form=m.group(1))


def _groups(an: Analysis) -> Iterator[EntityMention]:
    for m in _GROUP.finditer(an.text):
        found = name_before(an, m.start())
        if found and _ok(found[1]):
            word = "Holding" if m.group(1).startswith("Holding") else "Group"
            yield _mention(an, found[0], m.end(), f"{found[1]} {word}", "group")


def _company_nouns(an: Analysis, cues: list[tuple[int, str]]) -> Iterator[EntityMention]:
    """"the company X", "companies X and Y", "companies such as A, B and C", "the new resident, X"."""
    text = an.text
    for m in _cued(_COMPANY_NOUN_BEFORE, text, cues):
        pos = m.end()
        plural = m.group(0).split()[0].rstrip(",").lower().endswith("s")
        while True:
            found = name_after(an, pos)
            if not found or not _ok(found[1]):
                break
            start, name = found
            if (m.group(1) or _title_of(an, m.start())) and an.entity_spans.get((start, start + len(name))) == "PERSON":
                break  # "a local resident, Ivan Petrov", "the director of the company Ivan Petrov": a person;
                # "the second resident, BioTrend Kazan": a company
            if plural and " and " in name:  # "companies Velmar and Ostrafarm": two names
                name = name.split(" and ")[0]
            yield _mention(an, start, start + len(name), name, "company_noun")
            end = start + len(name)
            br = _BRACKET.match(text, end)
            if br:
                end = br.end()
            sep = _LIST_SEP.match(text, end)
            if not sep:
                break
            pos = sep.end()
    for m in _cued(_THE, text, cues):
        if text[m.end() : m.end() + 1].islower():
            continue  # "the plant": no name begins with a small letter (name_after would read none)
        found = name_after(an, m.end())
        if not found:
            continue
        start, name = found
        tail = re.match(r"\s+(company|firm|group of companies|holding)\b", text[start + len(name) : start + len(name) + 40])
        if tail and _ok(name) and not _place(an, start, start + len(name)):  # "the Geneva firm": a place's firm
            yield _mention(an, start, start + len(name), name, "the_x_company")


def _title_of(an: Analysis, at: int) -> bool:
    """The company noun at ``at`` follows a title and "of" ("the general director of the company"):
    the name after it is the title holder's, a person's when the model reads it so."""
    tok = an.token_at(at)
    if tok is None or tok.i < 2:
        return False
    i = tok.i - 1
    if an.doc[i].lower_ in ("the", "a", "this"):
        i -= 1
    return i >= 1 and an.doc[i].lower_ == "of" and an.doc[i - 1].lower_ in _CORPORATE_TITLES


def _brackets(an: Analysis, quantity_starts: list[int]) -> Iterator[EntityMention]:
    """``Name (figures)``, ``Name (X Group) (figures)``, ``Name (LEGAL Alias)``, ``Name (Owner company)``."""
    text = an.text
    for m in _BRACKET.finditer(text):
        inner = m.group(1)
        i = bisect.bisect_left(quantity_starts, m.start(1))
        has_figures = (i < len(quantity_starts) and quantity_starts[i] < m.end(1)) or _JOBS_FIGURE.search(inner) is not None
        group = _GROUP_INSIDE.fullmatch(inner)
        legal = _LEGAL_INSIDE.fullmatch(inner)
        owner = _OWNER_INSIDE.fullmatch(inner)
        if _ACRONYM_INSIDE.fullmatch(inner):
            yield from _acronym(an, m.start(), m.start(1), inner)
            continue
        if not (has_figures or group or legal or owner):
            continue
        # the name the bracket belongs to: right before it, or before a preceding bracket
        head_end = m.start()
        prev = re.search(r"\)\s*$", text[max(0, head_end - 2) : head_end])
        if prev:
            opening = text.rfind("(", max(0, head_end - 200), head_end)
            head_end = opening if opening >= 0 else head_end
        noun = re.search(r"\s+(?:company|plant|factory|facility|enterprise)\s*$", text[max(0, head_end - 30) : head_end])
        if noun:
            head_end -= len(noun.group(0))
        found = name_before(an, head_end)
        if not found or not _ok(found[1]) or _place(an, found[0], found[0] + len(found[1])):
            continue
        start, name = found
        site_words = re.search(r"\b(?:site|SEZ|zone|park|cluster|center|centre|complex)\s*$", text[head_end - 12 : head_end], re.I)
        if owner:
            ostart = m.start(1)
            oname = owner.group(1)
            if _ok(oname):
                yield _mention(an, ostart, ostart + len(oname), oname, "bracket_owner", role="owner")
                yield EntityMention(start, start + len(name), name, "complex", "bracket_owned_complex", parent=oname)
            continue
        if group and _ok(group.group(1).strip()):
            gname = f"{group.group(1).strip()} Group"
            gstart = m.start(1) + len(inner) - len(inner.lstrip())
            yield _mention(an, gstart, m.end(1), gname, "bracket_group", role="parent")
            if not site_words:
                yield _mention(an, start, start + len(name), name, "bracket_member", parent=gname)
            continue
        if legal:
            alias = (legal.group(2) or legal.group(3) or "").strip()
            form = legal.group(1) or legal.group(4)
            if _ok(alias) and not site_words:
                yield _mention(an, start, start + len(name), name, "bracket_alias")
                yield _mention(an, m.start(1), m.end(1), alias, "bracket_alias", legal_form=form, alias_of=name)
            continue
        if has_figures and not site_words:
            yield _mention(an, start, start + len(name), name, "bracket_figures")


def _acronym(an: Analysis, end: int, start: int, acronym: str) -> Iterator[EntityMention]:
    """"Velmar Bio Manufacturing LLC (VBM)", "Kestrel Cell Therapeutics (KCT)": the
    words before a bracketed acronym whose initials spell it (small words such as "of" aside) are a
    company, and the acronym another name of it, when a legal form follows the name or its last
    word is an industry word (not "Nordic Lending Bank (NLB)")."""
    last = an.token_at(end - 1)
    if last is None:
        return
    need = len(acronym)
    name_start = name_end = None
    legal = False
    for i in range(last.i, max(-1, last.i - 3 * need - 3), -1):  # a few words back: the letters, small words, a legal form
        t = an.doc[i]
        if t.is_space or (name_end is None and t.text in _LEGAL_WORDS):
            legal = legal or not t.is_space
            continue
        if name_end is not None and t.lower_ in _LINK_WORDS and t.text.islower():
            continue
        if not (t.text[:1].isupper() and t.text[0] == acronym[need - 1]):
            return
        name_start, name_end = t.idx, name_end if name_end is not None else t.idx + len(t.text)
        need -= 1
        if need == 0:
            break
    if need or name_start is None:
        return
    name = an.text[name_start:name_end]
    if not legal and name.split()[-1] not in _INDUSTRY_WORDS:
        return
    site_words = re.search(r"\b(?:site|SEZ|zone|park|cluster|center|centre|complex)$", name, re.I)
    if site_words or not _ok(name) or _place(an, name_start, name_end):
        return
    yield _mention(an, name_start, name_end, name, "bracket_acronym")
    yield _mention(an, start, start + len(acronym), acronym, "bracket_acronym", alias_of=name)


def _list_items(an: Analysis, quantity_starts: list[int]) -> Iterator[EntityMention]:
    """"- Kemo Bio – 1,200 jobs, 42,000 m2": a list item led by a name and a dash or colon."""
    for m in _LIST_ITEM.finditer(an.text):
        i = bisect.bisect_left(quantity_starts, m.end())
        line_end = an.text.find("\n", m.end())
        line_end = len(an.text) if line_end < 0 else line_end
        has_figures = (i < len(quantity_starts) and quantity_starts[i] < line_end) or _JOBS_FIGURE.search(an.text, m.end(), line_end)
        name = m.group(1)
        if has_figures and _ok(name) and not _place(an, m.start(1), m.end(1)):
            yield _mention(an, m.start(1), m.end(1), name, "list_item")


def _prefixed(an: Analysis, cues: list[tuple[int, str]]) -> Iterator[EntityMention]:
    """NPK «Sibmedpreparat», NPO Vektor: an organisational prefix that stays part of the name."""
    for m in _cued(_PREFIX, an.text, cues):
        found = name_after(an, m.end())
        if not found or not _ok(found[1]):
            continue
        start, name = found
        end = start + len(name)
        if an.text[start - 1 : start] in _OPENING and an.text[end : end + 1] in _CLOSING:
            end += 1
        yield _mention(an, m.start(), end, f"{m.group(1)} {name}", "name_prefix")


def _subsidiaries(an: Analysis) -> Iterator[EntityMention]:
    """"X, the German subsidiary of the Y Group": Y is X's parent."""
    for m in _SUBSIDIARY.finditer(an.text):
        member = name_before(an, m.start())
        parent = name_after(an, m.end())
        if not member or not parent or not _ok(member[1]) or not _ok(parent[1]):
            continue
        member_name = _LEGAL_TAIL.sub("", member[1])
        yield _mention(an, parent[0], parent[0] + len(parent[1]), parent[1], "subsidiary_of", role="parent")
        yield _mention(an, member[0], member[0] + len(member_name), member_name, "subsidiary", parent=parent[1])


def _quoted(an: Analysis) -> Iterator[EntityMention]:
    """A quoted name right after a company noun or legal form: JSC «Medvilon», the company "Nordvita"."""
    for m in _QUOTED.finditer(an.text):
        before = an.text[max(0, m.start() - 30) : m.start()]
        if _QUOTED_AFTER.search(before):
            name = m.group(1).strip()
            if _ok(name):
                yield _mention(an, m.start(1), m.start(1) + len(name), name, "quoted")


def _industry_names(an: Analysis, cues: list[tuple[int, str]]) -> Iterator[EntityMention]:
    """A proper name of two or more words ending in an industry word: "Velkor Medtech", "Tavrin
    Pharma". The model often reads such names as people; the industry word says otherwise."""
    for m in _cued(_INDUSTRY_TAIL, an.text, cues):
        found = name_before(an, m.end())
        if not found:
            continue
        name = _COORDINATED.split(found[1])[-1]  # "Trasken Biologics and Ilvera Diagnostics": the last
        start = m.end() - len(name)
        if " " in name and _ok(name) and not _place(an, start, m.end()):
            yield _mention(an, start, m.end(), name, "industry_name")


def _morphemes(an: Analysis) -> Iterator[EntityMention]:
    """Single proper words built like industry names ("...pharm", "...farm")."""
    for m in re.finditer(rf"(?<![\w-]){NAME_WORD}", an.text):
        word = _POSSESSIVE_END.sub("", m.group(0))
        hit = _MORPHEME_HIT.search(word)
        if hit and len(word) > hit.end() - hit.start() + 2 and not _MORPHEME_EXCEPT.match(word) and _ok(word):
            tok = an.token_at(m.start())
            if tok is not None and tok.ent_type_ in ("PERSON", "GPE", "LOC"):
                continue
            yield _mention(an, m.start(), m.start() + len(word), word, "name_morpheme", strength=1)


def _model_orgs(an: Analysis) -> Iterator[EntityMention]:
    """The statistical model's ORG entities that act like companies in their sentence."""
    def labelled(text: str, labels: set[str]) -> bool:
        return bool(an.entity_texts.get(text, set()) & labels)

    for ent in an.ents:
        if ent.label_ not in ("ORG", "FAC"):
            continue
        found = name_after(an, ent.start_char)
        if not found:
            continue
        start, name = found
        if not _COORDINATED.search(ent.text):  # "A and B" read on past the entity: A alone ("Johnson & Johnson" stays)
            name = _COORDINATED.split(name)[0]
        if start >= ent.end_char or not _ok(name) or labelled(name, {"PERSON", "GPE", "LOC"}):
            continue
        if DATELINE_AFTER.match(an.text, start + len(name)):
            continue  # "Halden, 19 September 2024 —": a dateline's place
        if an.entity_labels.get(name.split("-")[0].split()[0], set()) & {"GPE", "LOC"}:
            continue  # "Saxony-Anhalt": a place the model also knows as such
        root = ent.root
        if root.dep_ == "poss" and root.head.lower_ in _REGIONAL_HEADS:  # no lemmatizer runs: word forms
            continue
        acts = root.dep_ in ("nsubj", "nsubjpass", "poss") or (root.dep_ == "conj" and root.head.dep_ in ("nsubj", "nsubjpass"))
        if not acts:
            continue
        if _DRUG_NOUNS.search(an.text, max(0, start - 60), start):
            continue  # "drugs like Zelorin, ...": products, not companies
        if name.isupper() and len(name) <= 4:
            continue
        yield _mention(an, start, start + len(name), name, "model_org", strength=1)


def extract(an: Analysis) -> list[EntityMention]:
    """All company mentions in the document, strongest rules first."""
    quantity_starts = [q.start for q in an.quantities if q.kind != "number"]
    cues = an.runs(_CUE_WORDS)  # cue_runs(an.text), from the pass that an.quantities made
    out: list[EntityMention] = []
    for rule in (_legal_forms(an, cues), _groups(an), _brackets(an, quantity_starts), _list_items(an, quantity_starts), _prefixed(an, cues), _subsidiaries(an), _company_nouns(an, cues), _quoted(an), _industry_names(an, cues), _morphemes(an), _model_orgs(an)):
        out.extend(rule)
    return out
