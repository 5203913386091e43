"""The mention stage: cue patterns (SpanRuler), names read off tokens, the per-name company
decision and boilerplate zones.

The decision logic is tested on hand-built Docs (words, POS, dependencies, entities), as spaCy's
own tests do, so that it is tested apart from the model; the pattern component and whole lists of
companies and sites on sentences of our own through the real pipeline. All names are invented.
"""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from pharmafacts.extract.context import Analysis, EntityMention
from pharmafacts.extract.evidence import boilerplate_zones, decide
from pharmafacts.extract.names import token_name_before
from pharmafacts.nlp import MENTIONS_KEY, mention_patterns

VOCAB = spacy.blank("en").vocab


def hand_doc(rows: list[tuple], ents: list[str] | None = None) -> Doc:
    """A Doc from rows of (word, pos, dep, head index[, tag]); a row's word ending in a space
    keeps a space after it (all do but the one before punctuation)."""
    words = [r[0] for r in rows]
    spaces = [i + 1 < len(rows) and rows[i + 1][1] != "PUNCT" for i in range(len(rows))]
    tags = [r[4] if len(r) > 4 else ("POS" if r[0] in ("'s", "’s") else r[1]) for r in rows]
    return Doc(VOCAB, words=words, spaces=spaces, pos=[r[1] for r in rows], deps=[r[2] for r in rows],
               heads=[r[3] for r in rows], tags=tags, ents=ents or ["O"] * len(rows))


def kept(doc: Doc, mentions: list[EntityMention] | None = None) -> dict[str, str]:
    an = Analysis(doc.text, doc)
    return {m.name: m.rule for m in decide(an, mentions or []) if m.is_company}


# --- the decision, on hand-built Docs --------------------------------------------------------------

def test_industry_noun_and_business_verb_make_a_new_company():
    # "Drugmaker Velmar will invest in Halden ." ; the model read Velmar as a person
    doc = hand_doc([("Drugmaker", "NOUN", "compound", 1), ("Velmar", "PROPN", "nsubj", 3), ("will", "AUX", "aux", 3),
                    ("invest", "VERB", "ROOT", 3), ("in", "ADP", "prep", 3), ("Halden", "PROPN", "pobj", 4), (".", "PUNCT", "punct", 3)],
                   ["O", "B-PERSON", "O", "O", "O", "B-GPE", "O"])
    out = kept(doc)
    assert list(out) == ["Velmar"]
    assert "noun" in out["Velmar"] and "verb" in out["Velmar"] and "person×1" in out["Velmar"]  # the evidence is kept


def test_a_passive_subject_is_what_is_built():
    # "Phase 1 will be built for $ 40 million ." : not a company, though "built" is a business verb
    doc = hand_doc([("Phase", "PROPN", "nsubjpass", 4), ("1", "NUM", "nummod", 0), ("will", "AUX", "aux", 4), ("be", "AUX", "auxpass", 4),
                    ("built", "VERB", "ROOT", 4), ("for", "ADP", "prep", 4), ("$", "SYM", "nmod", 8), ("40", "NUM", "compound", 8),
                    ("million", "NUM", "pobj", 5), (".", "PUNCT", "punct", 4)])
    assert kept(doc) == {}


def test_a_business_verb_with_a_sum_makes_a_new_company():
    # "Kordis will invest $ 40 million ." : the model left Kordis unlabelled
    doc = hand_doc([("Kordis", "PROPN", "nsubj", 2), ("will", "AUX", "aux", 2), ("invest", "VERB", "ROOT", 2), ("$", "SYM", "nmod", 5),
                    ("40", "NUM", "compound", 5), ("million", "NUM", "dobj", 2), (".", "PUNCT", "punct", 2)])
    out = kept(doc)
    assert list(out) == ["Kordis"] and "figure" in out["Kordis"]


def test_the_model_label_alone_makes_no_new_company():
    # "Velmar said ." : ORG, and nothing says it is a company
    doc = hand_doc([("Velmar", "PROPN", "nsubj", 1), ("said", "VERB", "ROOT", 1), (".", "PUNCT", "punct", 1)], ["B-ORG", "O", "O"])
    assert kept(doc) == {}


def test_a_person_after_a_title_is_not_a_company():
    # "Minister Ivan Petrov opened the plant ." read as an ORG by the model
    doc = hand_doc([("Minister", "PROPN", "compound", 2), ("Ivan", "PROPN", "compound", 2), ("Petrov", "PROPN", "nsubj", 3),
                    ("opened", "VERB", "ROOT", 3), ("the", "DET", "det", 5), ("plant", "NOUN", "dobj", 3), (".", "PUNCT", "punct", 3)],
                   ["O", "B-ORG", "I-ORG", "O", "O", "O", "O"])
    assert kept(doc) == {}


def test_a_surname_said_again_is_a_person():
    # "Ivan Petrov visited . Petrov says the plant opens ." : "Petrov" later read as an ORG
    words = [("Ivan", "PROPN", "compound", 1), ("Petrov", "PROPN", "nsubj", 2), ("visited", "VERB", "ROOT", 2), (".", "PUNCT", "punct", 2),
             ("Petrov", "PROPN", "nsubj", 5), ("says", "VERB", "ROOT", 5), ("the", "DET", "det", 7), ("plant", "NOUN", "nsubj", 8),
             ("opens", "VERB", "ccomp", 5), (".", "PUNCT", "punct", 5)]
    doc = hand_doc(words, ["B-PERSON", "I-PERSON", "O", "O", "B-ORG", "O", "O", "O", "O", "O"])
    m = EntityMention(doc[4].idx, doc[4].idx + 6, "Petrov", "company", "model_org", strength=1)
    assert kept(doc, [m]) == {}


def test_possessive_before_a_plant_and_a_ticker():
    # "Velmar 's plant opened . Kordis ( NYSE : KRD ) said ."
    words = [("Velmar", "PROPN", "poss", 2), ("'s", "PART", "case", 0), ("plant", "NOUN", "nsubj", 3), ("opened", "VERB", "ROOT", 3),
             (".", "PUNCT", "punct", 3), ("Kordis", "PROPN", "nsubj", 11), ("(", "PUNCT", "punct", 5), ("NYSE", "PROPN", "appos", 5),
             (":", "PUNCT", "punct", 5), ("KRD", "PROPN", "appos", 5), (")", "PUNCT", "punct", 5), ("said", "VERB", "ROOT", 11)]
    doc = hand_doc(words, ["B-ORG", "O", "O", "O", "O", "B-ORG", "O", "B-ORG", "O", "B-ORG", "O", "O"])
    out = kept(doc)
    assert set(out) == {"Velmar", "Kordis"}
    assert "poss" in out["Velmar"] and "ticker" in out["Kordis"]


@pytest.mark.parametrize("name, why", [
    ("Austria-based", "adjective"), ("R250bn", "money"), ("Big Pharma", "generic"), ("Armenia", "country"),
])
def test_names_that_are_never_companies(name, why):
    words = [(w, "PROPN", "compound", 0) for w in name.replace("-", " - ").split()]
    doc = Doc(VOCAB, words=[w[0] for w in words], spaces=[False if w[0] == "-" or (i + 1 < len(words) and words[i + 1][0] == "-") else True for i, w in enumerate(words)],
              pos=["PROPN"] * len(words), deps=["ROOT"] + ["dep"] * (len(words) - 1), heads=[0] * len(words))
    explain: dict = {}
    decide(Analysis(doc.text, doc), [EntityMention(0, len(doc.text.rstrip()), name, "company", "the_x_company")], explain)
    assert explain[name] == (-5.0, why)


def test_a_currency_a_sum_begins_with_is_no_company():
    # "Investments of Rs 60 crore and investments of Rs 90 crore came ." : "Rs" the possessor of investments twice
    doc = hand_doc([("Investments", "NOUN", "nsubj", 11), ("of", "ADP", "prep", 0), ("Rs", "PROPN", "pobj", 1), ("60", "NUM", "nummod", 4),
                    ("crore", "NOUN", "appos", 2), ("and", "CCONJ", "cc", 0), ("investments", "NOUN", "conj", 0), ("of", "ADP", "prep", 6),
                    ("Rs", "PROPN", "pobj", 7), ("90", "NUM", "nummod", 10), ("crore", "NOUN", "appos", 8), ("came", "VERB", "ROOT", 11),
                    (".", "PUNCT", "punct", 11)])
    assert kept(doc) == {}


def _title_holder(title: str) -> Doc:
    # "According to the TITLE of the project , Irina Dobrova , the park grows ." : the name read as an acting ORG
    words = [("According", "VERB", "prep", 13), ("to", "ADP", "prep", 0), ("the", "DET", "det", 3), (title, "NOUN", "pobj", 1),
             ("of", "ADP", "prep", 3), ("the", "DET", "det", 6), ("project", "NOUN", "pobj", 4), (",", "PUNCT", "punct", 13),
             ("Irina", "PROPN", "compound", 9), ("Dobrova", "PROPN", "nsubj", 13), (",", "PUNCT", "punct", 9), ("the", "DET", "det", 12),
             ("park", "NOUN", "nsubj", 13), ("grows", "VERB", "ROOT", 13), (".", "PUNCT", "punct", 13)]
    return hand_doc(words, ["O"] * 8 + ["B-ORG", "I-ORG"] + ["O"] * 5)


def test_the_holder_of_a_title_before_a_comma_is_a_person():
    doc = _title_holder("head")
    m = EntityMention(doc[8].idx, doc[9].idx + len("Dobrova"), "Irina Dobrova", "company", "model_org", strength=1)
    assert kept(doc, [m]) == {}
    doc = _title_holder("side")  # not a title: the name keeps the model's reading
    m = EntityMention(doc[8].idx, doc[9].idx + len("Dobrova"), "Irina Dobrova", "company", "model_org", strength=1)
    assert list(kept(doc, [m])) == ["Irina Dobrova"]


def test_a_structural_rule_keeps_its_name_against_the_model():
    # "Nordvita LLC said ." : a legal form; the model read it as a person
    doc = hand_doc([("Nordvita", "PROPN", "nsubj", 2), ("LLC", "PROPN", "flat", 0), ("said", "VERB", "ROOT", 2), (".", "PUNCT", "punct", 2)],
                   ["B-PERSON", "O", "O", "O"])
    m = EntityMention(0, 12, "Nordvita", "company", "legal_form_after", legal_form="LLC")
    assert list(kept(doc, [m])) == ["Nordvita"]


def _list_doc(noun: str) -> Doc:
    # "Three <noun> , including Kordis and Halbrook , will gather ." ; the model read a person and a place
    return hand_doc([("Three", "NUM", "nummod", 1), (noun, "NOUN", "nsubj", 9), (",", "PUNCT", "punct", 1), ("including", "VERB", "prep", 1),
                     ("Kordis", "PROPN", "pobj", 3), ("and", "CCONJ", "cc", 4), ("Halbrook", "PROPN", "conj", 4), (",", "PUNCT", "punct", 1),
                     ("will", "AUX", "aux", 9), ("gather", "VERB", "ROOT", 9), (".", "PUNCT", "punct", 9)],
                    ["O", "O", "O", "O", "B-PERSON", "O", "B-GPE", "O", "O", "O", "O"])


def test_names_listed_after_a_company_noun_are_companies():
    out = kept(_list_doc("companies"))
    assert set(out) == {"Kordis", "Halbrook"} and all("noun" in why for why in out.values())


def test_names_listed_after_another_noun_are_not():
    assert kept(_list_doc("countries")) == {}


def _relative_doc(first: str, last: str, pronoun: str) -> Doc:
    # "<first> <last> , <pronoun> is investing $ 40 million ." ; the model read a person
    return hand_doc([(first, "PROPN", "compound", 1), (last, "PROPN", "ROOT", 1), (",", "PUNCT", "punct", 1), (pronoun, "PRON", "nsubj", 5),
                     ("is", "AUX", "aux", 5), ("investing", "VERB", "relcl", 1), ("$", "SYM", "nmod", 8), ("40", "NUM", "compound", 8),
                     ("million", "NUM", "dobj", 5), (".", "PUNCT", "punct", 1)],
                    ["B-PERSON", "I-PERSON"] + ["O"] * 8)


def test_a_name_that_which_stands_for_is_no_person():
    out = kept(_relative_doc("Tavor", "Ekin", "which"))
    assert list(out) == ["Tavor Ekin"] and "which" in out["Tavor Ekin"] and "figure" in out["Tavor Ekin"]


def test_a_name_that_who_stands_for_stays_a_person():
    assert kept(_relative_doc("Ivan", "Petrov", "who")) == {}


def _quoted_doc(verb: str) -> Doc:
    # '" Kestrin Balto Works " <verb> the lease .' ; the model labelled nothing
    return hand_doc([('"', "PUNCT", "punct", 3), ("Kestrin", "PROPN", "compound", 3), ("Balto", "PROPN", "compound", 3),
                     ("Works", "PROPN", "nsubj", 5), ('"', "PUNCT", "punct", 3), (verb, "VERB", "ROOT", 5), ("the", "DET", "det", 7),
                     ("lease", "NOUN", "dobj", 5), (".", "PUNCT", "punct", 5)])


def test_a_quoted_name_acting_as_a_business_is_a_company():
    out = kept(_quoted_doc("signed"))
    assert list(out) == ["Kestrin Balto Works"] and "quoted" in out["Kestrin Balto Works"]


def test_a_quoted_name_alone_is_no_company():
    assert kept(_quoted_doc("praised")) == {}


def _opens_a_plant(first: str, last: str, ents: list[str]) -> Doc:
    # "<first> <last> is preparing to build a factory ."
    return hand_doc([(first, "PROPN", "compound", 1), (last, "PROPN", "nsubj", 3), ("is", "AUX", "aux", 3), ("preparing", "VERB", "ROOT", 3),
                     ("to", "PART", "aux", 5), ("build", "VERB", "xcomp", 3), ("a", "DET", "det", 7), ("factory", "NOUN", "dobj", 5),
                     (".", "PUNCT", "punct", 3)], ents + ["O"] * 7)


def test_a_name_preparing_to_build_a_factory_is_a_company():
    out = kept(_opens_a_plant("Kordis", "Balt", ["O", "O"]))
    assert list(out) == ["Kordis Balt"] and "facility" in out["Kordis Balt"]


def test_a_plant_opened_by_a_person_says_nothing():
    explain: dict = {}
    doc = _opens_a_plant("Ivan", "Petrov", ["B-PERSON", "I-PERSON"])
    decide(Analysis(doc.text, doc), [], explain)
    assert explain["Ivan Petrov"] == (0.5, "person×1,facility,verb")  # the vote against, the verb; not the plant



def _entity_acting(words: list[str]) -> Doc:
    # "<words> will invest ." : the model read all the words as one organisation
    n = len(words)
    rows = [(w, "PART" if w in ("'s", "’s") else "PROPN", "nsubj" if i == n - 1 else "compound", n - 1 if i < n - 1 else n + 1)
            for i, w in enumerate(words)]
    rows += [("will", "AUX", "aux", n + 1), ("invest", "VERB", "ROOT", n + 1), (".", "PUNCT", "punct", n + 1)]
    return hand_doc(rows, ["B-ORG"] + ["I-ORG"] * (n - 1) + ["O"] * 3)


@pytest.mark.parametrize("words, name", [
    (["Velmar", "Kordis"], "Velmar Kordis"),
    (["Velmar", "Joint", "Stock", "Company"], "Velmar"),
    (["Velmar", "Kordis", "Co.", ",", "Ltd"], "Velmar Kordis"),
    (["Velmar", "Group", "of", "Companies"], "Velmar"),
    (["Velmar", "Kordis", "'s", "Ostrel"], "Velmar Kordis"),
    (["Joint", "Stock", "Company"], "Joint Stock Company"),
])
def test_a_candidate_name_is_read_without_its_possessive_and_legal_form(words, name):
    """The model's entity as a candidate name: cut before a possessive, then without a trailing
    legal form of one word or several (one word at least is left)."""
    doc = _entity_acting(words)
    explain: dict = {}
    decide(Analysis(doc.text, doc), [], explain)
    assert list(explain) == [name]

# --- boilerplate zones -------------------------------------------------------------------------

def test_read_next_list_credits_and_read_more_lines_are_zones():
    text = ("Velmar opens a plant.\nRead more: Kordis cuts jobs\nREAD NEXT:\n- Ostrafarm to close a site\n- Medvira hires 40\n"
            "Sign up below.\nProvided by Nordwire Media Inc.\nThe plant employs 300.")
    zones = [text[a:b] for a, b in boilerplate_zones(text)]
    assert zones == ["Read more: Kordis cuts jobs", "READ NEXT:", "- Ostrafarm to close a site", "- Medvira hires 40", "Sign up below.",
                     "Provided by Nordwire Media Inc."]


def test_a_sentence_that_starts_with_related_is_no_zone():
    assert boilerplate_zones("Related projects of Velmar are under way.\n") == []


def test_a_verb_the_model_starts_a_sentence_at_mid_line_ends_a_name():
    # "Ostrel Plans Halvern Biologics Campus": the model split the headline before "Plans"
    rows = [("Ostrel", "PROPN", "ROOT", 0), ("Plans", "VERB", "ROOT", 1), ("Halvern", "PROPN", "compound", 4),
            ("Biologics", "PROPN", "compound", 4), ("Campus", "PROPN", "dobj", 1)]
    doc = Doc(VOCAB, words=[r[0] for r in rows], pos=[r[1] for r in rows], deps=[r[2] for r in rows], heads=[r[3] for r in rows],
              sent_starts=[True, True, False, False, False])
    assert token_name_before(Analysis(doc.text, doc), 5) == (2, 5)
    # a proper noun the model starts a sentence at is no verb: the name goes on
    rows[1] = ("Halden", "PROPN", "compound", 4)
    doc = Doc(VOCAB, words=[r[0] for r in rows], pos=[r[1] for r in rows], deps=[r[2] for r in rows], heads=[r[3] for r in rows],
              sent_starts=[True, True, False, False, False])
    assert token_name_before(Analysis(doc.text, doc), 5) == (0, 5)


# --- the pattern component, with the model -----------------------------------------------------

def test_patterns_expand_phrases_with_the_tokenizer():
    nlp = spacy.blank("en")
    pats = mention_patterns(nlp)
    assert {"label": "park", "id": "before:name_park", "pattern": [{"ORTH": "Industrial"}, {"ORTH": "City"}]} in pats
    assert {"label": "cluster", "id": "before:name_cluster", "pattern": [{"LOWER": "bio"}, {"LOWER": "-"}, {"LOWER": "cluster"}]} in pats


def test_the_ruler_writes_cue_spans(extractor):
    doc = extractor.nlp("Velmar builds a plant in the Kestrel Industrial City.")
    assert [(s.text, s.label_, s.id_) for s in doc.spans[MENTIONS_KEY]] == [("Industrial City", "park", "before:name_park")]


SITES = [
    pytest.param("Velmar will build a plant at the Kestrel Economic Development Area.", {("Kestrel Economic Development Area", "sez")}, id="development-area"),
    pytest.param("Velmar's warehouse lies inside Halvern Industrial City, a hub west of the port.", {("Halvern Industrial City", "park")}, id="industrial-city"),
    pytest.param("The state will develop the Marlow bulk drug park with 40 units.", {("Marlow bulk drug park", "park")}, id="bulk-drug-park"),
    pytest.param("Three firms gather in the Ostra Bio-cluster this year.", {("Ostra Bio-cluster", "cluster")}, id="bio-cluster"),
    pytest.param("Kordis leased a building at the Brenton Navy Yard.", {("Brenton Navy Yard", "park")}, id="navy-yard"),
    pytest.param("Nordvita will expand its sites in Halden, Ostrava and Marlow.", {("Halden", "site"), ("Ostrava", "site"), ("Marlow", "site")}, id="its-sites-in"),
    pytest.param('The plant opened in Tverin industrial park "Kestrel".', {("Kestrel", "park")}, id="quoted-park-not-its-town"),
    pytest.param("Nordvita opened a plant in Halden.", set(), id="a-town-alone-is-no-site"),
    pytest.param("The Norway site employs 300 people.", set(), id="a-country-is-no-site-name"),
    pytest.param("The Halden site employs 300 people.", {("Halden", "site")}, id="a-named-site"),
    pytest.param("Nordvita will expand its plants in Portugal, Halden and Marlow.", {("Halden", "site"), ("Marlow", "site")}, id="its-plants-in-a-country"),
    pytest.param("The Marlow House, Velmar Biologics's vaccine production facility, will double its output.", {("Marlow House", "complex")}, id="facility-apposition"),
    pytest.param("It signed a contract with the Velmar Free Economic Zone Authority.", set(), id="zone-authority-is-an-agency"),
    pytest.param("Kordane Unveils Marlow Gene Therapy Campus\n\nKordane will open a gene therapy campus in Marlow next year.", set(),
                 id="title-case-headline-over-common-nouns"),
    pytest.param("Holvent Expands Brisk Valley Industrial Park\n\nHolvent will grow the Brisk Valley Industrial Park, the largest industrial park "
                 "on the coast.", {("Brisk Valley Industrial Park", "park")}, id="title-case-headline-name-the-text-also-writes"),
    pytest.param("Holvent Expands Brisk Valley Industrial Park\n\nHolvent said the work would take a year.", {("Brisk Valley Industrial Park", "park")},
                 id="title-case-headline-verb-ends-the-name"),
    pytest.param("Residents of the gene therapy cluster of the Kestrel SEZ invested RUB 4 bn this year.",
                 {("gene therapy cluster", "cluster"), ("Kestrel SEZ", "sez")}, id="a-cluster-named-by-its-field-in-a-named-zone"),
    pytest.param("The industrial cluster of the Kestrel SEZ grew.", {("Kestrel SEZ", "sez")}, id="an-industrial-cluster-names-no-field"),
    pytest.param("The largest cluster of the Kestrel SEZ grew.", {("Kestrel SEZ", "sez")}, id="a-superlative-names-no-cluster"),
    pytest.param("Residents of the drug cluster of the Halden Region invested RUB 4 bn.", set(), id="a-cluster-of-a-region-is-no-site"),
    pytest.param("Kestrel Industrial and Business Park covers 800 hectares.", {("Kestrel Industrial and Business Park", "park")},
                 id="and-between-a-parks-name-words"),
    pytest.param("Velmar and Kestrel Park signed a lease for 20 hectares.", {("Kestrel Park", "park")}, id="and-between-two-names-is-no-park-name"),
    pytest.param("The Halmun Bio Valley spans 4.6 square kilometres.", {("Halmun Bio Valley", "cluster")}, id="a-bio-valley"),
    pytest.param("The Tavrinsky biopharmaceutical cluster will gain 600 jobs.", {("Tavrinsky biopharmaceutical cluster", "cluster")},
                 id="a-biopharmaceutical-cluster-in-lower-case"),
]


@pytest.mark.parametrize("text, expected", SITES)
def test_sites(extract, text, expected):
    assert {(s.name, s.kind) for s in extract(text).sites} == expected


COMPANIES = [
    pytest.param("Generics giant Velmar will add 260 jobs in Halden. Velmar already employs 3,700 people.", {"Velmar"}, id="giant-apposition"),
    pytest.param("Kordis, a regional drug wholesaler, paid $95 million for a plant.", {"Kordis"}, id="appositive-noun-after"),
    pytest.param("Trade and Industry Minister Ivan Petrov opened the plant of Nordvita LLC. Petrov says it is a milestone.", {"Nordvita"}, id="minister-and-surname"),
    pytest.param("The Velmar-listed company Nordvita LLC opened a plant.", {"Nordvita"}, id="listed-adjective"),
    pytest.param("Kordis Pharma opened a plant.\nREAD NEXT:\n- Ostrafarm to close a site in Tverin\n- Medvira Labs hires 40 staff\n", {"Kordis Pharma"}, id="read-next-list"),
    pytest.param("Velmar Biologics's CEO Sir Ivan Petrov said the plant opens in May.", {"Velmar Biologics"}, id="possessive-ceo-sir"),
    pytest.param("The President of Kestrel company said the plant will employ 200 people.", {"Kestrel"}, id="name-before-company"),
    pytest.param("The Marlow House, Velmar Biologics's vaccine production facility, will double its output.", {"Velmar Biologics"}, id="facility-apposition-is-no-company"),
    pytest.param("Three foreign groups and one Canadian company will invest there.", set(), id="nationality-is-no-name"),
    pytest.param("Velmar bought Ostrabaşı Generic Pharmaceuticals in 2007.", {"Velmar", "Ostrabaşı Generic Pharmaceuticals"}, id="unicode-capitals"),
    pytest.param("HALDEN, Ind. — Velmar Biologics Inc. said Tuesday it will invest $30 million.", {"Velmar Biologics"}, id="dateline-town"),
    pytest.param("Corvane Opens $210 Million Sterile Injectables Plant in Ohio\n\nMARLOW, Ohio, March 3, 2025 /Wirename/ -- Corvane "
                 "Therapeutics Inc. (NASDAQ: CRVN) today opened a 180,000-square-foot sterile injectables facility at the Brenton Commerce Park, "
                 "an investment of $210 million that will create 340 jobs by 2027.", {"Corvane Therapeutics"}, id="dateline-town-region-date-and-wire"),
    pytest.param("HALDEN--(WIRENAME)--Velmar Biologics Inc. today opened a plant.", {"Velmar Biologics"}, id="double-hyphens-glued-to-a-dateline"),
    pytest.param("NAIROBI (Nordwire) - Pelmora Labs Ltd will hire 80 people.", {"Pelmora Labs"}, id="dateline-town-and-its-wire-in-brackets"),
    pytest.param("KAMPALA (Nordwire) - Ugandan drugmaker Pelmora Labs Ltd will invest $45 million to expand its plant, its chief "
                 "executive said on Monday.", {"Pelmora Labs"}, id="dateline-town-read-with-its-wire-as-one-name"),
    pytest.param("Velkaris Pharma (VLK) - a plant for 200 people\n\nVelkaris Pharma will open a plant in Halden.", {"Velkaris Pharma"},
                 id="a-company-and-its-ticker-opening-a-line-is-no-dateline"),
    pytest.param("Halmed Farma opens R$ 320 million plant in Minas Gerais\n\nSão Paulo, 8 de maio — Brazilian generics maker Halmed Farma "
                 "inaugurated on Wednesday its new plant in Pouso Verde, Minas Gerais, an investment of R$ 320 million (US$ 62 million).",
                 {"Halmed Farma"}, id="dateline-with-a-month-in-another-language"),
    pytest.param("Korvel Biotech A/S opened a plant. In 2024 it reported revenues of DKK 3.1 billion.", {"Korvel Biotech"},
                 id="a-currency-code-before-its-figure-is-no-company"),
    pytest.param("Ostrelia Farma S.A. will invest R$ 200 million in a new plant in Pavona, Marantes, the company announced on Monday.",
                 {"Ostrelia Farma"}, id="a-place-before-the-company-said-is-no-company"),
    pytest.param("Drugmakers such as Kordis, Halbrook and Ostrelin will invest there.", {"Kordis", "Halbrook", "Ostrelin"}, id="such-as-list"),
    pytest.param("Several countries, including Velmaria and Ostrania, signed the pact.", set(), id="list-after-a-non-company-noun"),
    pytest.param("The state will give up to $90 million to support Halvex Ostrand in building a vaccine plant in Kestrel. Halvex will invest "
                 "$120 million in it.", {"Halvex Ostrand", "Halvex"}, id="a-unit-named-after-its-company-that-builds"),
    pytest.param("Halvex will invest $40 million. The plant will be called Halvex Kestrel.", {"Halvex"}, id="a-plant-named-after-its-company-is-no-company"),
    pytest.param('Gov. Thomas Reed today announced that Norvell Therapeutics Inc. will invest $48.5 million. "Norvell has been a great '
                 'partner," Gov. Reed said.', {"Norvell Therapeutics"}, id="an-abbreviated-governor-is-a-persons-title"),
    pytest.param('Velmora Biologics plc ("Velmora" or "the Company") will invest £40 million in a plant. The Company expects the plant '
                 "to open in 2027.", {"Velmora Biologics"}, id="the-company-as-a-defined-term-is-no-name"),
    pytest.param("The Ministry of Health and Ostrelin Pharm LLP signed an agreement on insulin.", {"Ostrelin Pharm"},
                 id="a-legal-form-after-and-names-the-last-name"),
    pytest.param("Velmar LLP will build a plant. The agreement was signed by the general director of the company Ruslan Temirov.",
                 {"Velmar"}, id="the-company-after-a-title-and-of-then-a-person"),
    pytest.param("Halvenna Biologics has opened a plant in Marlenburg, the Danish company said on Monday.", {"Halvenna Biologics"},
                 id="a-town-before-the-company-said"),
    pytest.param("Its rival Tovaris, which is based in Geneva, will build a plant. The Geneva firm expects it to employ 70 people.",
                 {"Tovaris"}, id="the-town-firm"),
    pytest.param("Danish CDMO Kestrel Labs will hire 200 people.", {"Kestrel Labs"}, id="an-industry-acronym-before-the-name"),
    pytest.param("Velmar SA will invest €30 million. The investment agency VELPA helped the company obtain €9 million of aid.", {"Velmar"},
                 id="a-name-after-agency"),
    pytest.param("Laboratorios Ventana S.A. de C.V. opened a plant in Puebla. Ventana will employ 300 people there.", {"Laboratorios Ventana"},
                 id="latin-american-legal-form-and-short-name"),
    pytest.param("Sterinova Soluciones S.L. will invest €20 million in a plant.", {"Sterinova Soluciones"}, id="spanish-legal-form"),
    pytest.param("Halden Group said its unit Halden Biotech GmbH will invest €50 million in a plant.", {"Halden Group", "Halden Biotech"},
                 id="a-group-and-its-member-sharing-a-word-are-two"),
    pytest.param("Zerafin Medical Industries LLC will invest AED 50 million. Zerafin, a unit of Tarrow Holding, will employ 200 people.",
                 {"Zerafin Medical Industries", "Tarrow Holding"}, id="a-short-name-of-a-name-with-two-corporate-words"),
]


@pytest.mark.parametrize("text, expected", COMPANIES)
def test_companies(extract, text, expected):
    assert {c.name for c in extract(text).companies} == expected


def test_companies_in_a_list_after_a_company_noun(extract):
    text = "Three companies, including Velmar Pharma, Kordis and Ostrafarm, will gather in the cluster."
    assert {c.name for c in extract(text).companies} == {"Velmar Pharma", "Kordis", "Ostrafarm"}


def test_transliterated_spellings_of_one_name_are_one_company(extract):
    found = extract("Ostrapharm LLC opened a plant in Halden. Ostrafarm LLC will employ 300 people there.").companies
    assert len(found) == 1 and {found[0].name, *found[0].aliases} >= {"Ostrapharm", "Ostrafarm"}


def test_names_apart_by_more_than_a_spelling_stay_apart(extract):
    found = extract("Kestrel Farms LLC opened a plant in Halden. Kestrel Pharma LLC will employ 300 people there.").companies
    assert {c.name for c in found} == {"Kestrel Farms", "Kestrel Pharma"}


def test_phrase_matches_finds_what_the_phrase_matcher_finds(extractor):
    """evidence.decide finds every place a candidate name stands with nlp.phrase_matches: the
    matches of a PhraseMatcher over the same words, on every fixture text."""
    from pharmafacts.nlp import phrase_matches, words_matcher

    from .conftest import FIXTURES

    nlp = extractor.nlp
    texts = [p.read_text(encoding="utf-8") for p in sorted(FIXTURES.glob("*.txt"))]
    texts.append("Velmar  Pharma and Velmar Pharma, Velmar Pharma's plant; Velmar and Pharma Velmar Pharma Pharma.")
    total = 0
    for doc in nlp.pipe(texts):
        names = [list(e) for e in doc.ents] + [[t] for t in doc[:40]] + [list(doc[0:3]), list(doc[2:4])]
        matcher = words_matcher(doc.vocab, ([t.text for t in name] for name in names))
        expected = sorted((int(doc.vocab.strings[m]), a, b) for m, a, b in matcher(doc))
        got = phrase_matches(doc, [[t.orth for t in name] for name in names])
        assert sorted(got) == expected
        assert got == sorted(got, key=lambda m: m[1])  # in the order of the text
        total += len(got)
    assert total > 500
