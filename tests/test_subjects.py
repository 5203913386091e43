"""Whose is a figure: the subject rules of resolve/subjects.py.

Two stages, as spaCy's own tests do it: the rules on hand-built Docs (words, heads,
dependency labels, parts of speech), so that their logic is tested apart from the model;
then whole fact lists of texts of our own through the model, hard cases included.
Names are invented.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
import spacy
from spacy.tokens import Doc

from pharmafacts.extract.context import Analysis, EntityMention, RawFact
from pharmafacts.resolve.aliases import Entity
from pharmafacts.resolve.subjects import SubjectResolver


@pytest.fixture(scope="module")
def vocab():
    return spacy.blank("en").vocab


def resolve(vocab, tokens, names, figures):
    """Subjects of hand-parsed text.

    tokens: (word, head index, dep, pos) per token; names: (first token, end token, name, kind);
    figures: (token index, fact kind). Returns [(fact kind, subject name or None)] in text order.
    """
    words = [t[0] for t in tokens]
    doc = Doc(vocab, words=words, heads=[t[1] for t in tokens], deps=[t[2] for t in tokens], pos=[t[3] for t in tokens])
    an = Analysis(doc.text, doc)
    entities: dict[str, Entity] = {}
    for a, b, name, kind in names:
        span = doc[a:b]
        ent = entities.setdefault(name, Entity(kind))
        ent.mentions.append(EntityMention(span.start_char, span.end_char, name, kind, "test"))
    owner = {id(m): e for e in entities.values() for m in e.mentions}
    facts = []
    for i, kind in figures:
        tok = doc[i]
        facts.append(RawFact(kind, Decimal(1), None, None, tok.idx, tok.idx + len(tok), an.sentence_at(tok.idx), "test", 1.0))
    pairs = SubjectResolver(an, list(entities.values()), owner).run(facts)
    return [(f.kind, e.name if e is not None else None) for f, e in sorted(pairs, key=lambda p: p[0].start)]


# each case: tokens as (word, head, dep, pos), names, figures, expected
HAND_PARSED = [
    pytest.param(
        [("After", 3, "mark", "SCONJ"), ("Velmar", 3, "nsubj", "PROPN"), ("had", 3, "aux", "AUX"), ("sold", 7, "advcl", "VERB"),
         ("it", 3, "dobj", "PRON"), (",", 7, "punct", "PUNCT"), ("Nordvita", 7, "nsubj", "PROPN"), ("employed", 7, "ROOT", "VERB"),
         ("300", 9, "nummod", "NUM"), ("people", 7, "dobj", "NOUN"), (".", 7, "punct", "PUNCT")],
        [(1, 2, "Velmar", "company"), (6, 7, "Nordvita", "company")], [(8, "jobs")], [("jobs", "Nordvita")],
        id="main-clause-subject-beats-nearer-name-in-subordinate-clause",
    ),
    pytest.param(
        [("Nordvita", 1, "nsubj", "PROPN"), ("built", 1, "ROOT", "VERB"), ("a", 3, "det", "DET"), ("plant", 1, "dobj", "NOUN"),
         ("in", 1, "prep", "ADP"), ("Kestrel", 6, "compound", "PROPN"), ("Park", 4, "pobj", "PROPN"), (",", 6, "punct", "PUNCT"),
         ("which", 10, "nsubj", "PRON"), ("will", 10, "aux", "AUX"), ("employ", 6, "relcl", "VERB"), ("350", 12, "nummod", "NUM"),
         ("people", 10, "dobj", "NOUN"), (".", 1, "punct", "PUNCT")],
        [(0, 1, "Nordvita", "company"), (5, 7, "Kestrel Park", "park")], [(11, "jobs")], [("jobs", "Nordvita")],
        id="relative-clause-on-a-place-goes-to-the-company-that-acts",
    ),
    pytest.param(
        [("Supporting", 1, "amod", "VERB"), ("industries", 3, "nsubj", "NOUN"), ("will", 3, "aux", "AUX"), ("come", 3, "ROOT", "VERB"),
         ("in", 3, "prep", "ADP"), ("Kestrel", 6, "compound", "PROPN"), ("Park", 4, "pobj", "PROPN"), (",", 6, "punct", "PUNCT"),
         ("which", 9, "nsubj", "PRON"), ("creates", 6, "relcl", "VERB"), ("900", 11, "nummod", "NUM"), ("jobs", 9, "dobj", "NOUN"),
         (".", 3, "punct", "PUNCT")],
        [(5, 7, "Kestrel Park", "park")], [(10, "jobs")], [("jobs", "Kestrel Park")],
        id="relative-clause-on-a-place-with-no-company-goes-to-the-place",
    ),
    pytest.param(
        [("Nordvita", 1, "nsubj", "PROPN"), ("built", 1, "ROOT", "VERB"), ("a", 3, "det", "DET"), ("plant", 1, "dobj", "NOUN"),
         ("in", 1, "prep", "ADP"), ("Kestrel", 6, "compound", "PROPN"), ("Park", 4, "pobj", "PROPN"), (",", 6, "punct", "PUNCT"),
         ("which", 9, "nsubj", "PRON"), ("spans", 6, "relcl", "VERB"), ("50", 11, "nummod", "NUM"), ("hectares", 9, "dobj", "NOUN"),
         (".", 1, "punct", "PUNCT")],
        [(0, 1, "Nordvita", "company"), (5, 7, "Kestrel Park", "park")], [(10, "area")], [("area", "Kestrel Park")],
        id="relative-clause-giving-a-place-its-extent-goes-to-the-place",
    ),
    pytest.param(
        [("Nordvita", 3, "poss", "PROPN"), ("'s", 0, "case", "PART"), ("new", 3, "amod", "ADJ"), ("facility", 5, "nsubj", "NOUN"),
         ("will", 5, "aux", "AUX"), ("employ", 5, "ROOT", "VERB"), ("300", 7, "nummod", "NUM"), ("people", 5, "dobj", "NOUN"),
         (".", 5, "punct", "PUNCT")],
        [(0, 1, "Nordvita", "company")], [(6, "jobs")], [("jobs", "Nordvita")],
        id="possessor-of-the-subject",
    ),
    pytest.param(
        [("Nordvita", 1, "nsubj", "PROPN"), ("thanked", 1, "ROOT", "VERB"), ("Velmar", 1, "dobj", "PROPN"), (".", 1, "punct", "PUNCT"),
         ("The", 5, "det", "DET"), ("plant", 9, "nsubj", "NOUN"), ("of", 5, "prep", "ADP"), ("Velmar", 6, "pobj", "PROPN"),
         ("will", 9, "aux", "AUX"), ("employ", 9, "ROOT", "VERB"), ("200", 11, "nummod", "NUM"), ("people", 9, "dobj", "NOUN"),
         (".", 9, "punct", "PUNCT")],
        [(0, 1, "Nordvita", "company"), (2, 3, "Velmar", "company"), (7, 8, "Velmar", "company")], [(10, "jobs")], [("jobs", "Velmar")],
        id="the-plant-of-x",
    ),
    pytest.param(
        [("Nordvita", 1, "nsubj", "PROPN"), ("opened", 1, "ROOT", "VERB"), ("a", 3, "det", "DET"), ("plant", 1, "dobj", "NOUN"),
         (".", 1, "punct", "PUNCT"), ("Its", 6, "poss", "PRON"), ("capacity", 7, "nsubj", "NOUN"), ("is", 7, "ROOT", "AUX"),
         ("5", 9, "nummod", "NUM"), ("vials", 7, "attr", "NOUN"), (".", 7, "punct", "PUNCT")],
        [(0, 1, "Nordvita", "company")], [(8, "capacity")], [("capacity", "Nordvita")],
        id="its-points-at-the-topic",
    ),
    pytest.param(
        [("Velmar", 3, "nsubj", "PROPN"), ("and", 0, "cc", "CCONJ"), ("Ostrafarm", 0, "conj", "PROPN"), ("invest", 3, "ROOT", "VERB"),
         ("each", 3, "advmod", "ADV"), ("10", 6, "nummod", "NUM"), ("million", 3, "dobj", "NUM"), (".", 3, "punct", "PUNCT")],
        [(0, 1, "Velmar", "company"), (2, 3, "Ostrafarm", "company")], [(5, "investment")],
        [("investment", "Velmar"), ("investment", "Ostrafarm")],
        id="coordinated-subjects-each",
    ),
    pytest.param(
        [("Velmar", 3, "nsubj", "PROPN"), ("and", 0, "cc", "CCONJ"), ("Ostrafarm", 0, "conj", "PROPN"), ("invest", 3, "ROOT", "VERB"),
         ("a", 5, "det", "DET"), ("total", 3, "dobj", "NOUN"), ("of", 5, "prep", "ADP"), ("20", 8, "nummod", "NUM"),
         ("million", 6, "pobj", "NUM"), (".", 3, "punct", "PUNCT")],
        [(0, 1, "Velmar", "company"), (2, 3, "Ostrafarm", "company")], [(7, "investment")], [("investment", None)],
        id="a-total-over-several-companies-is-nobodys",
    ),
    pytest.param(
        [("Nordvita", 1, "nsubj", "PROPN"), ("grew", 1, "ROOT", "VERB"), (".", 1, "punct", "PUNCT"), ("The", 4, "det", "DET"),
         ("region", 5, "poss", "NOUN"), ("plants", 6, "nsubj", "NOUN"), ("employ", 6, "ROOT", "VERB"), ("3000", 8, "nummod", "NUM"),
         ("people", 6, "dobj", "NOUN"), (".", 6, "punct", "PUNCT")],
        [(0, 1, "Nordvita", "company")], [(7, "jobs")], [("jobs", None)],
        id="a-regions-plants-are-nobodys",
    ),
    pytest.param(
        [("Kestrel", 1, "compound", "PROPN"), ("SEZ", 2, "compound", "PROPN"), ("residents", 3, "nsubj", "NOUN"),
         ("invested", 3, "ROOT", "VERB"), ("5", 5, "nummod", "NUM"), ("billion", 3, "dobj", "NUM"), (".", 3, "punct", "PUNCT")],
        [(0, 2, "Kestrel SEZ", "sez")], [(4, "investment")], [("investment", "Kestrel SEZ")],
        id="a-zones-residents-are-the-zone",
    ),
    pytest.param(
        [("Kestrel", 1, "compound", "PROPN"), ("Park", 2, "nsubj", "PROPN"), ("covers", 2, "ROOT", "VERB"), ("120", 4, "nummod", "NUM"),
         ("hectares", 2, "dobj", "NOUN"), (".", 2, "punct", "PUNCT")],
        [(0, 2, "Kestrel Park", "park")], [(3, "area")], [("area", "Kestrel Park")],
        id="the-site-itself",
    ),
    pytest.param(
        [("Nordvita", 2, "nsubj", "PROPN"), ("will", 2, "aux", "AUX"), ("invest", 2, "ROOT", "VERB"), ("8", 4, "nummod", "NUM"),
         ("million", 2, "dobj", "NUM"), ("at", 2, "prep", "ADP"), ("its", 8, "poss", "PRON"), ("Kestrel", 8, "compound", "PROPN"),
         ("site", 5, "pobj", "NOUN"), (".", 2, "punct", "PUNCT")],
        [(0, 1, "Nordvita", "company"), (7, 9, "Kestrel site", "site")], [(3, "investment")], [("investment", "Nordvita")],
        id="the-company-acting-at-its-site",
    ),
    pytest.param(
        [("Two", 1, "nummod", "NUM"), ("plants", 4, "nsubjpass", "NOUN"), ("will", 4, "aux", "AUX"), ("be", 4, "auxpass", "AUX"),
         ("opened", 4, "ROOT", "VERB"), ("in", 4, "prep", "ADP"), ("2026", 5, "pobj", "NUM"), ("by", 4, "agent", "ADP"),
         ("Velmar", 7, "pobj", "PROPN"), (".", 4, "punct", "PUNCT")],
        [(8, 9, "Velmar", "company")], [(6, "date")], [("date", "Velmar")],
        id="passive-agent",
    ),
    pytest.param(
        [("Velmar", 6, "nsubj", "PROPN"), (",", 0, "punct", "PUNCT"), ("a", 3, "det", "DET"), ("maker", 0, "appos", "NOUN"),
         ("of", 3, "prep", "ADP"), ("generics", 4, "pobj", "NOUN"), ("opened", 6, "ROOT", "VERB"), ("a", 8, "det", "DET"),
         ("plant", 6, "dobj", "NOUN"), ("with", 8, "prep", "ADP"), ("300", 11, "nummod", "NUM"), ("jobs", 9, "pobj", "NOUN"),
         (".", 6, "punct", "PUNCT")],
        [(0, 1, "Velmar", "company")], [(10, "jobs")], [("jobs", "Velmar")],
        id="apposition-after-the-subject",
    ),
    pytest.param(
        [("Velmar", 1, "nsubj", "PROPN"), ("said", 1, "ROOT", "VERB"), ("the", 3, "det", "DET"), ("company", 5, "nsubj", "NOUN"),
         ("will", 5, "aux", "AUX"), ("hire", 1, "ccomp", "VERB"), ("90", 7, "nummod", "NUM"), ("people", 5, "dobj", "NOUN"),
         (".", 1, "punct", "PUNCT")],
        [(0, 1, "Velmar", "company")], [(6, "jobs")], [("jobs", "Velmar")],
        id="the-company-points-at-a-name-earlier-in-the-sentence",
    ),
    pytest.param(
        [("Investments", 2, "nsubj", "NOUN"), ("will", 2, "aux", "AUX"), ("total", 2, "ROOT", "VERB"), ("9", 4, "nummod", "NUM"),
         ("million", 2, "dobj", "NUM"), (".", 2, "punct", "PUNCT"), ("Kestrel", 7, "compound", "PROPN"), ("Park", 8, "nsubjpass", "PROPN"),
         ("opened", 8, "ROOT", "VERB"), (".", 8, "punct", "PUNCT")],
        [(6, 8, "Kestrel Park", "park")], [(3, "investment")], [("investment", "Kestrel Park")],
        id="before-any-name-the-text-is-about-its-main-entity",
    ),
    pytest.param(
        [("Nordvita", 1, "nsubj", "PROPN"), ("opened", 1, "ROOT", "VERB"), ("a", 3, "det", "DET"), ("plant", 1, "dobj", "NOUN"),
         (".", 1, "punct", "PUNCT"), ("Its", 6, "poss", "PRON"), ("director", 9, "nsubj", "NOUN"), ("at", 6, "prep", "ADP"),
         ("Velmar", 7, "pobj", "PROPN"), ("spoke", 9, "ROOT", "VERB"), (".", 9, "punct", "PUNCT"), ("The", 12, "det", "DET"),
         ("plant", 13, "nsubj", "NOUN"), ("employs", 13, "ROOT", "VERB"), ("80", 15, "nummod", "NUM"), ("people", 13, "dobj", "NOUN"),
         (".", 13, "punct", "PUNCT")],
        [(0, 1, "Nordvita", "company"), (8, 9, "Velmar", "company")], [(14, "jobs")], [("jobs", "Nordvita")],
        id="a-name-after-a-preposition-is-not-the-topic",
    ),
    pytest.param(
        [("Velmar", 1, "nsubj", "PROPN"), ("plans", 1, "ROOT", "VERB"), ("to", 3, "aux", "PART"), ("invest", 1, "xcomp", "VERB"),
         ("9", 5, "nummod", "NUM"), ("million", 3, "dobj", "NUM"), (".", 1, "punct", "PUNCT")],
        [(0, 1, "Velmar", "company")], [(4, "investment")], [("investment", "Velmar")],
        id="open-clause-takes-the-subject-above",
    ),
]


@pytest.mark.parametrize(("tokens", "names", "figures", "expected"), HAND_PARSED)
def test_subject_rules_on_hand_parsed_text(vocab, tokens, names, figures, expected):
    assert resolve(vocab, tokens, names, figures) == expected


# Whole fact lists through the model: (kind, value, subject) in text order.
THROUGH_THE_MODEL = [
    pytest.param(
        "The Finnish group Nordvita started work on a factory in the industrial zone of Kestrel Park, which is to employ 215 workers.",
        [("jobs", 215, "Nordvita")],
        id="relative-clause-on-the-zone-is-the-builders",
    ),
    pytest.param(
        "Velmar Pharma LLC, which bought a warehouse from Ostrafarm JSC last year, will invest 2 billion rubles in a new plant.",
        [("investment", 2000000000, "Velmar Pharma")],
        id="name-in-a-relative-clause-does-not-win",
    ),
    pytest.param(
        "Kestrel Park covers 120 hectares. Nordvita LLC will invest EUR 80 million in a plant at the park.",
        [("area", 1200000, "Kestrel Park"), ("investment", 80000000, "Nordvita")],
        id="site-holds-its-area-company-its-investment",
    ),
    pytest.param(
        "Halvern Biologics Inc. opened its Kestrel plant. The new plant will employ 340 people.",
        [("jobs", 340, "Halvern Biologics")],
        id="unnamed-plant-is-its-companys",
    ),
    pytest.param(
        "Velmar Pharma LLC will invest 500 million rubles and Ostrafarm JSC 300 million rubles.",
        [("investment", 500000000, "Velmar Pharma"), ("investment", 300000000, "Ostrafarm")],
        id="gapped-second-clause",
    ),
    pytest.param(
        "Nordvita LLC opened a plant in Tver. Velmar Pharma LLC said the new plant will employ 120 people.",
        [("jobs", 120, "Velmar Pharma")],
        id="the-plant-of-the-sentences-own-subject-before-the-topic",
    ),
    pytest.param(
        "Velmar Pharma LLC acquired Ostrafarm JSC, which employs 450 people.",
        [("jobs", 450, "Ostrafarm")],
        id="relative-clause-on-the-object",
    ),
    pytest.param(
        "Kestrel Park, home to Velmar Pharma LLC, employs 900 people.",
        [("jobs", 900, "Kestrel Park")],
        id="the-site-as-subject-with-a-company-in-apposition",
    ),
    pytest.param(
        "John Smith, chief executive of Velmar Pharma LLC, said it will invest $50 million.",
        [("investment", 50000000, "Velmar Pharma")],
        id="speaker-affiliation",
    ),
    pytest.param(
        "Velmar to build plant\n\nHOLLOWAY, N.C. — Velmar Pharma Inc. said Tuesday it will invest $315 million in a plant.",
        [("investment", 315000000, "Velmar Pharma")],
        id="dateline-town-is-never-the-subject",
    ),
    pytest.param(
        "Nordvita LLC opened a plant. The regional government will provide a loan of 300 million rubles to Velmar Pharma LLC for a new line.",
        [("investment", 300000000, "Velmar Pharma")],
        id="a-public-funder-funds-the-company-its-clause-names",
    ),
    pytest.param(
        "Nordvita LLC opened a plant. The region will invest 2 billion rubles in new roads.",
        [("investment", 2000000000, None)],
        id="a-public-funder-naming-no-company-is-nobodys",
    ),
    pytest.param(
        "The facility, which Nordvita Pharma is building with Velmar Labs, will cost $60 million.",
        [("investment", 60000000, "Nordvita Pharma")],
        id="the-builder-in-a-relative-clause-on-the-subject",
    ),
    pytest.param(
        "The plant built by Nordvita Pharma near a Velmar Labs warehouse will employ 300 people.",
        [("jobs", 300, "Nordvita Pharma")],
        id="the-agent-of-a-participle-on-the-subject",
    ),
    pytest.param(
        "Velmar Labs said the Kestrel Park plant, its largest, produces 1 billion tablets a year.",
        [("capacity", 1000000000, "Velmar Labs")],
        id="a-plant-named-after-its-site-is-its-companys",
    ),
    pytest.param(
        "Kestrel Park covers 120 hectares. The Kestrel Park plant will employ 300 people.",
        [("area", 1200000, "Kestrel Park"), ("jobs", 300, "Kestrel Park")],
        id="with-no-company-named-the-site",
    ),
    pytest.param(
        "Velmora Pharma plc announces £85 million expansion of its Kestrel site\n\nVelmora Pharma plc will invest £85 million in a new "
        "building at its Kestrel site.",
        [("investment", 85000000, "Velmora Pharma")],
        id="a-headline-figure-said-again-in-the-body-is-the-bodys",
    ),
    pytest.param(
        "Kordis Park, which lies north of the town, is home to 20 firms and labs employing 900 people.",
        [("jobs", 900, "Kordis Park")],
        id="home-to-read-as-an-adverb",
    ),
    pytest.param(
        "Kestrel Free Zone covers 900 hectares. Kestrel Free Zone Authority has leased Velmora Pharma LLC a 12,000 square metre plot.",
        [("area", 9000000, "Kestrel Free Zone"), ("area", 12000, "Velmora Pharma")],
        id="a-zone-named-in-its-authoritys-name-is-not-there",
    ),
    pytest.param(
        "Ostrel Park covers 400 hectares. Lena Morvik, managing director of Velmora Pharma, said the new plant would employ 260 people.",
        [("area", 4000000, "Ostrel Park"), ("jobs", 260, "Velmora Pharma")],
        id="the-plant-a-title-holder-speaks-of-is-the-company-of-the-title",
    ),
    pytest.param(
        'The industrial park "Tavrin-Yug" occupies 96 hectares. Nine residents work on its territory, and the total investment of '
        "residents amounts to 14 billion rubles.",
        [("area", 960000, "Tavrin-Yug"), ("investment", 14000000000, "Tavrin-Yug")],
        id="residents-in-a-text-about-a-park-are-the-parks",
    ),
    pytest.param(
        "Velmora Pharma will build a plant at Halden Science Park. Halden Science Park, which covers 60 hectares, is home to 38 companies "
        "employing around 2,700 people.",
        [("area", 600000, "Halden Science Park"), ("jobs", 2700, "Halden Science Park")],
        id="companies-a-park-is-home-to-are-the-parks",
    ),
    pytest.param(
        "Velmora Pharma will invest €90 million at Halden Science Park. The park's operator, Kordis Estates NV, said it would invest a "
        "further €25 million in roads.",
        [("investment", 90000000, "Velmora Pharma"), ("investment", 25000000, "Kordis Estates")],
        id="it-after-a-subject-named-in-apposition",
    ),
    pytest.param(
        "Velmora Pharma Ltd will invest Rs 300 crore in a plant. The minister said the government's new policy aims to attract "
        "Rs 50,000 crore of investment.",
        [("investment", 3000000000, "Velmora Pharma"), ("investment", 500000000000, None)],
        id="the-governments-policy-is-no-companys",
    ),
    pytest.param(
        "Velmora Pharma Ltd will build a plant. Its chief executive said the company's new policy aims to invest Rs 500 crore in research.",
        [("investment", 5000000000, "Velmora Pharma")],
        id="the-companys-policy-is-the-companys",
    ),
    pytest.param(
        "Nordvita LLC will build a plant. The Kestrel SEZ, where it will stand, has 40 residents employing 5,000 people.",
        [("jobs", 5000, "Kestrel SEZ")],
        id="residents-of-the-zone-that-has-them",
    ),
    pytest.param(
        "Velmar Pharma LLC and Ostrafarm JSC will each invest 500 million rubles.",
        [("investment", 500000000, "Velmar Pharma"), ("investment", 500000000, "Ostrafarm")],
        id="each-invests",
    ),
    pytest.param(
        "Nordvita LLC opened a plant in the Kestrel SEZ, which covers 500 hectares.",
        [("area", 5000000, "Kestrel SEZ")],
        id="relative-clause-describing-the-zone",
    ),
    pytest.param(
        "Nordvita LLC opened a plant in the Kestrel SEZ, which hosts projects worth more than $900 million.",
        [("investment", 900000000, "Kestrel SEZ")],
        id="relative-clause-on-what-the-zone-holds",
    ),
    pytest.param(
        "Nordvita LLC opened a plant in the Kestrel SEZ, which will employ 500 people.",
        [("jobs", 500, "Nordvita")],
        id="relative-clause-on-the-zone-with-an-acting-verb",
    ),
    pytest.param(
        "The Kestrel Industrial Park covers 30 hectares. There are seven residents in the park today, investments exceed 40 million euros.",
        [("area", 300000, "Kestrel Industrial Park"), ("investment", 40000000, "Kestrel Industrial Park")],
        id="residents-in-the-park-stand-for-the-park",
    ),
    pytest.param(
        "The Kestrel Industrial Park covers 30 hectares. There are nine residents in the city now, investments exceed 40 million euros.",
        [("area", 300000, "Kestrel Industrial Park"), ("investment", 40000000, None)],
        id="residents-in-the-city-are-nobody-in-particular",
    ),
    pytest.param(
        "The industry of Ostrania will invest $90 million in new projects, the chairman of the Kordis Holding said. "
        "He added that nine schemes worth $40 million are ready.",
        [("investment", 90000000, None), ("investment", 40000000, None)],
        id="after-an-industry-wide-figure-the-text-is-about-no-one-in-particular",
    ),
    pytest.param(
        "Kordis Holding will invest $90 million in new projects, its chairman said. He added that nine schemes worth $40 million are ready.",
        [("investment", 90000000, "Kordis Holding"), ("investment", 40000000, "Kordis Holding")],
        id="after-a-company-figure-the-company-is-the-topic",
    ),
    pytest.param(
        "Korvel Biotech LLC signed a deal with the regional government. The city's plants employ 12,000 people.",
        [("jobs", 12000, None)],
        id="city-wide-figure",
    ),
    pytest.param(
        "Among the new projects are the project of Teravo Lindqvist with a total cost of EUR 14 million and Kordafarm with the cost of EUR 6 million.",
        [("investment", 14000000, "Teravo Lindqvist"), ("investment", 6000000, "Kordafarm")],
        id="each-name-holds-the-cost-after-it",
    ),
    pytest.param(
        "Kordafarm LLC, together with Halden Region, will build a plant with the cost of $40 million.",
        [("investment", 40000000, "Kordafarm")],
        id="a-cost-after-a-plant-word-stays-the-builders",
    ),
    pytest.param(
        "Velmar Pharma LLC will build the Kestrel Research Center in Halden. The Kestrel Research Center is to be completed in 2026. "
        "The total project cost is close to 70 billion won.",
        [("date", "2026", "Kestrel Research Center"), ("investment", 70000000000, "Velmar Pharma")],
        id="a-project-no-name-owns-is-the-companys-not-the-sites-it-builds",
    ),
    pytest.param(
        "The Kestrel Industrial Park opened in Halden in 2021. The total project cost is close to 70 billion won.",
        [("date", "2021", "Kestrel Industrial Park"), ("investment", 70000000000, "Kestrel Industrial Park")],
        id="a-project-in-a-text-that-names-no-company-is-the-sites",
    ),
    pytest.param(
        "Velmar Pharma LLC will build the Kestrel Research Center in Halden. The Kestrel Research Center is to be completed in 2026. "
        "Investment in the project came to 4 billion rubles.",
        [("date", "2026", "Kestrel Research Center"), ("investment", 4000000000, "Velmar Pharma")],
        id="the-project-pointed-at-in-a-text-about-a-site-a-company-builds-is-the-companys",
    ),
    pytest.param(
        "The Kestrel Industrial Park opened in Halden in 2021. Investment in the project came to 4 billion rubles.",
        [("date", "2021", "Kestrel Industrial Park"), ("investment", 4000000000, "Kestrel Industrial Park")],
        id="the-project-pointed-at-in-a-text-that-names-no-company-is-the-sites",
    ),
    pytest.param(
        "Velmar Pharma LLC will build the Kestrel Research Center in Halden. The Kestrel Research Center is to be completed in 2026. "
        "It will cover 5,000 square meters.",
        [("date", "2026", "Kestrel Research Center"), ("area", 5000, "Kestrel Research Center")],
        id="the-sites-own-figure-without-a-project-stays-the-sites",
    ),
    pytest.param(
        "Ostrivel Labs plc will build a tablet plant at the Marrowby Science Park. The Marrowby Science Park covers 60 hectares. "
        "The plant will be able to press 850 million tablets a year.",
        [("area", 600000, "Marrowby Science Park"), ("capacity", 850000000, "Ostrivel Labs")],
        id="the-plant-after-a-sentence-about-the-park-is-the-companys-that-builds-it",
    ),
    pytest.param(
        "The Marrowby Science Park opened in Halden in 2022. The Marrowby Science Park covers 60 hectares. "
        "The plant will be able to press 850 million tablets a year.",
        [("date", "2022", "Marrowby Science Park"), ("area", 600000, "Marrowby Science Park"), ("capacity", 850000000, "Marrowby Science Park")],
        id="the-plant-in-a-text-that-names-no-company-is-the-parks",
    ),
    pytest.param(
        "Velmar Pharma LLC will build the Kestrel Research Center in Halden. The Kestrel Research Center is to be completed in 2026. "
        "The facility will employ 150 people.",
        [("date", "2026", "Kestrel Research Center"), ("jobs", 150, "Kestrel Research Center")],
        id="the-facility-after-a-named-complex-is-the-complex",
    ),
    pytest.param(
        "Kordesta Labs, part of the Velmoran Group, will invest $20 million in a plant in Halden. Kordesta Labs' parent invested a further "
        "$5 million in a laboratory. Its parent company employs 4,000 people.",
        [("investment", 20000000, "Kordesta Labs"), ("investment", 5000000, "Velmoran Group"), ("jobs", 4000, "Velmoran Group")],
        id="a-companys-parent-is-the-group-named-as-its-parent",
    ),
    pytest.param(
        "Pelmora Labs Ltd will expand its plant in the Kestrel Export Processing Zone. The zone hosts 90 companies employing 60,000 people.",
        [("jobs", 60000, "Kestrel Export Processing Zone")],
        id="companies-a-named-zone-hosts-are-the-zones",
    ),
    pytest.param("Velmar Pharma operates 12 plants employing 5,000 people.", [("jobs", 5000, "Velmar Pharma")],
                 id="plants-a-company-operates-are-the-companys"),
    pytest.param("The city is home to 140 companies employing 12,500 people.", [("jobs", 12500, None)],
                 id="companies-a-city-is-home-to-are-no-ones"),
    pytest.param("Velmar Pharma acquired three companies employing 900 people.", [("jobs", 900, None)],
                 id="companies-a-company-buys-are-not-what-it-has"),
    pytest.param(
        "Velmar LLC is building a plant in the Industrial Zone of Halden. The mayor noted that 47 projects worth 480 billion tenge "
        "are being implemented in the Industrial Zone.",
        [("investment", 480000000000, "Industrial Zone of Halden")],
        id="counted-projects-in-a-zone-named-again-are-the-zones",
    ),
    pytest.param(
        "Velmar LLC will invest $90 million in new projects. Nine projects worth $40 million are ready.",
        [("investment", 90000000, "Velmar"), ("investment", 40000000, "Velmar")],
        id="counted-projects-nowhere-in-particular-stay-the-topics",
    ),
    pytest.param(
        'The technopolis "Ostrogrand" approved three residents. Currently the technopolis has 112 residents employing more than 4,500 people.',
        [("jobs", 4500, "Ostrogrand")],
        id="the-technopolis-points-at-the-park",
    ),
    pytest.param(
        "A drug cluster worth $70 million will be created in the Ostrava region. The project will be carried out by Velmoran LLC.",
        [("investment", 70000000, "Velmoran")],
        id="a-cluster-worth-a-sum-in-a-region-is-no-regional-figure",
    ),
    pytest.param("Kordis LLC opened a plant. About 4,800 people work in the region.", [("jobs", 4800, None)],
                 id="people-working-in-the-region-are-the-regions"),
    pytest.param(
        "PJSC Ostrovel Group approved an investment programme totalling 30 billion rubles. It provides for the modernisation of the Ostrovel-Tver enterprise "
        "(4 billion rubles). As a result, the group's output will grow to 900 million packages per year.",
        [("investment", 30000000000, "Ostrovel Group"), ("investment", 4000000000, "Ostrovel-Tver"), ("capacity", 900000000, "Ostrovel Group")],
        id="the-group-after-its-member-is-the-group",
    ),
    pytest.param(
        "Kordis Pharma opened a plant. The group's output will grow to 900 million packages per year.",
        [("capacity", 900000000, "Kordis Pharma")],
        id="the-group-of-a-text-that-names-no-group-is-the-company",
    ),
    pytest.param(
        'Currently 34 residents are registered in the SEZ "Torvask", the total volume of their investments exceeds 60 billion rubles.',
        [("investment", 60000000000, "Torvask SEZ")],
        id="their-after-a-zones-residents-is-the-zone-past-a-qualifying-verb",
    ),
    pytest.param(
        'Currently 34 residents are registered in the SEZ "Torvask". The city says they employ 9,000 people.',
        [("jobs", 9000, None)],
        id="they-in-a-sentence-about-the-city-is-no-one",
    ),
]


@pytest.mark.parametrize(("text", "expected"), THROUGH_THE_MODEL)
def test_whole_fact_lists(extract, text, expected):
    assert [(f.kind, f.value, f.subject) for f in extract(text).facts] == expected


def _spacy_matches(vocab, patterns, doc):
    from spacy.matcher import DependencyMatcher
    from spacy.strings import get_string_id

    matcher = DependencyMatcher(vocab)
    for label, pats in patterns.items():
        matcher.add(label, pats)
    labels = {get_string_id(label): label for label in patterns}
    return [(labels[match_id], tokens) for match_id, tokens in matcher(doc)]


def test_the_subject_patterns_match_as_spacys_dependency_matcher_does(extractor):
    """nlp.dependency_matcher reads child-relation patterns from their first word's tokens: the
    same matches, in the same order, as spaCy's DependencyMatcher, on every fixture text."""
    from pharmafacts.nlp import dependency_matcher
    from pharmafacts.resolve.subjects import _PATTERNS

    from .conftest import FIXTURES

    nlp = extractor.nlp
    fast = dependency_matcher(nlp.vocab, "subjects", _PATTERNS)
    assert type(fast).__name__ == "_ChildMatcher"
    texts = [p.read_text(encoding="utf-8") for p in sorted(FIXTURES.glob("*.txt"))]
    texts.append("The residents of the zone and its residents, our tenants and the SEZ's members: the company, its plant, this center.")
    found = 0
    for doc in nlp.pipe(texts):
        expected = _spacy_matches(nlp.vocab, _PATTERNS, doc)
        assert fast(doc) == expected
        found += len(expected)
    assert found > 50


def test_several_children_match_in_the_order_of_their_tokens(vocab):
    """Every assignment of children, by token index, as spaCy's product over the candidates."""
    from pharmafacts.nlp import dependency_matcher

    patterns = {"two": [[
        {"RIGHT_ID": "a", "RIGHT_ATTRS": {"LOWER": {"IN": ["residents", "tenants"]}}},
        {"LEFT_ID": "a", "REL_OP": ">", "RIGHT_ID": "b", "RIGHT_ATTRS": {"DEP": {"IN": ["compound", "amod"]}}},
        {"LEFT_ID": "a", "REL_OP": ">", "RIGHT_ID": "c", "RIGHT_ATTRS": {"DEP": "prep"}},
        {"LEFT_ID": "c", "REL_OP": ">", "RIGHT_ID": "d", "RIGHT_ATTRS": {}},
    ]]}
    words = ["new", "zone", "Residents", "of", "X", "and", "Y", "in", "Z", ".", "Old", "park", "tenants", "at", "W"]
    heads = [2, 2, 2, 2, 3, 4, 4, 2, 7, 2, 12, 12, 12, 12, 13]
    deps = ["amod", "compound", "ROOT", "prep", "pobj", "cc", "conj", "prep", "pobj", "punct", "amod", "compound", "ROOT", "prep", "pobj"]
    doc = Doc(vocab, words=words, heads=heads, deps=deps, sent_starts=[1] + [0] * 9 + [1] + [0] * 4)
    expected = _spacy_matches(vocab, patterns, doc)
    assert len(expected) == 6
    assert dependency_matcher(vocab, "test-children", patterns)(doc) == expected


def test_other_relations_go_to_spacys_dependency_matcher(vocab):
    from pharmafacts.nlp import dependency_matcher

    patterns = {"up": [[
        {"RIGHT_ID": "a", "RIGHT_ATTRS": {"LOWER": "x"}},
        {"LEFT_ID": "a", "REL_OP": "<", "RIGHT_ID": "b", "RIGHT_ATTRS": {"LOWER": "of"}},
    ]]}
    doc = Doc(vocab, words=["Residents", "of", "X"], heads=[0, 0, 1], deps=["ROOT", "prep", "pobj"])
    matcher = dependency_matcher(vocab, "test-up", patterns)
    assert type(matcher).__name__ != "_ChildMatcher"
    assert matcher(doc) == [("up", [2, 1])] == _spacy_matches(vocab, patterns, doc)
