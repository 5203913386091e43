"""The fact extractors' value rules on real-article phrasing: which figures are facts of a kind.

Two tables: whole sentences through the pipeline (the model's parse included), and the
parse-reading rules on hand-built Docs (words, heads, deps, part-of-speech), so that their
logic is tested apart from the model. Sentences and names are the team's own.
"""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from pharmafacts.extract import investment, jobs
from pharmafacts.extract.context import Analysis


def values(doc, kind):
    return sorted((f.value, f.unit) for f in doc.facts if f.kind == kind)


# (text, kind, [(value, unit)])
PIPELINE = [
    pytest.param("Velmar opened a 300-mln-euro plant in Kestrel Park.", "investment", [(300000000, "EUR")], id="mln-euro-plant"),
    pytest.param("Nordvita will open a $40m-facility near the port.", "investment", [(40000000, "USD")], id="m-facility"),
    pytest.param("The opening marked the completion of Nordvita's S$400 million plant at Kestrel Park.", "investment", [(400000000, "SGD")], id="cost-of-plant-no-cue-word"),
    pytest.param("Velmar's new R1bn high-containment facility will soon make oncology drugs.", "investment", [(1000000000, "ZAR")], id="rand-before-modified-facility"),
    pytest.param("Velmar is a R100bn company by market value.", "investment", [], id="company-value-is-not-investment"),
    pytest.param("Nordvita signed a $30 million supply contract.", "investment", [], id="contract-is-not-a-facility"),
    pytest.param("The state has set aside Rs 1,000 crore for the Kestrel drug park.", "investment", [(10000000000, "INR")], id="set-aside-crore"),
    pytest.param("It hopes to attract an investment of Rs one lakh crore.", "investment", [(1000000000000, "INR")], id="lakh-crore"),
    pytest.param("Nordvita will invest HK$150 million (US$19 million) in a plant.", "investment", [(150000000, "HKD")], id="conversion-is-not-a-second-fact"),
    pytest.param("Velmar will invest 3 billion Norwegian kroner in Halden. Of this, 1 billion kroner goes to a new line.",
                 "investment", [(1000000000, "NOK"), (3000000000, "NOK")], id="bare-kroner-keeps-norway"),
    pytest.param("Velmar will invest 8 billion Danish kroner in Halden. Of this, 1 billion kroner goes to a new line.",
                 "investment", [(1000000000, "DKK"), (8000000000, "DKK")], id="bare-kroner-takes-denmark"),
    pytest.param("Kestrel Park will receive approximately £110m for upgrading its filling facility.", "investment", [(110000000, "GBP")], id="receive-for-upgrading"),
    pytest.param("The total project amount is about 300 billion won.", "investment", [(300000000000, "KRW")], id="project-amount-won"),
    pytest.param("The 120,000-sq.-ft. (11,148-sq.-m.) plant opened.", "area", [(11148.36, "m2")], id="area-conversion-once"),
    pytest.param("Nordvita will build on a 34,413.8m^2 site.", "area", [(34413.8, "m2")], id="caret-square-metres"),
    pytest.param("The first phase comprises a 189,000-sf facility.", "area", [(17558.67, "m2")], id="sf-facility"),
    pytest.param("Nordvita will add 80 new production and laboratory jobs.", "jobs", [(80, "jobs")], id="coordinated-noun-modifiers"),
    pytest.param("Velmar will hire up to 400 highly skilled positions.", "jobs", [(400, "jobs")], id="adverb-adjective-positions"),
    pytest.param("The plant will create 1,800 direct and 15,000 indirect jobs.", "jobs", [(1800, "jobs"), (15000, "jobs")], id="direct-and-indirect"),
    pytest.param("Velmar will build a plant generating 600 direct high-specialty jobs.", "jobs", [(600, "jobs")], id="unlisted-modifier"),
    pytest.param("The company employs 30 chemists and researchers.", "jobs", [(30, "jobs")], id="employs-any-noun"),
    pytest.param("The move retains 40 jobs and will create about 75.", "jobs", [(40, "jobs"), (75, "jobs")], id="bare-number-object-of-create"),
    pytest.param("Velmar will create 12 products for export.", "jobs", [], id="create-products-is-not-jobs"),
    pytest.param("Nordvita will add 3 lines and 2 warehouses.", "jobs", [], id="add-lines-is-not-jobs"),
]


@pytest.mark.parametrize(("text", "kind", "expected"), PIPELINE)
def test_values_on_real_article_phrasing(extract, text, kind, expected):
    assert values(extract(text), kind) == expected


_VOCAB = spacy.blank("en").vocab  # English lexical attributes (lower case), no trained model


def _analysis(words, heads, deps, pos, spaces=None):
    doc = Doc(_VOCAB, words=words, spaces=spaces, heads=heads, deps=deps, pos=pos)
    return Analysis(doc.text, doc)


def test_the_counted_noun_is_read_past_modifiers_and_coordination():
    # "They add 80 new production and laboratory jobs ."
    an = _analysis(
        ["They", "add", "80", "new", "production", "and", "laboratory", "jobs", "."],
        [1, 1, 7, 7, 7, 4, 4, 1, 1],
        ["nsubj", "ROOT", "nummod", "amod", "nmod", "cc", "conj", "dobj", "punct"],
        ["PRON", "VERB", "NUM", "ADJ", "NOUN", "CCONJ", "NOUN", "NOUN", "PUNCT"],
    )
    end = an.text.index("80") + 2
    assert jobs._counted(an, end).text == "jobs"


def test_a_number_of_things_made_is_not_counted_as_jobs():
    # "They add 80 new production lines ."
    an = _analysis(
        ["They", "add", "80", "new", "production", "lines", "."],
        [1, 1, 5, 5, 5, 1, 1],
        ["nsubj", "ROOT", "nummod", "amod", "compound", "dobj", "punct"],
        ["PRON", "VERB", "NUM", "ADJ", "NOUN", "NOUN", "PUNCT"],
    )
    assert jobs._counted(an, an.text.index("80") + 2) is None


@pytest.mark.parametrize(
    ("verb", "expected"),
    [pytest.param("employs", "chemists", id="hiring-verb-any-noun"), pytest.param("trains", None, id="other-verb-weak-noun")],
)
def test_the_object_of_a_hiring_verb_is_staff(verb, expected):
    an = _analysis(
        ["It", verb, "30", "chemists", "."],
        [1, 1, 3, 1, 1],
        ["nsubj", "ROOT", "nummod", "dobj", "punct"],
        ["PRON", "VERB", "NUM", "NOUN", "PUNCT"],
    )
    got = jobs._counted(an, an.text.index("30") + 2)
    assert (got.text if got is not None else None) == expected


@pytest.mark.parametrize(
    ("noun", "expected"),
    [pytest.param("facility", True, id="facility"), pytest.param("contract", False, id="contract"), pytest.param("company", False, id="company")],
)
def test_money_before_a_built_thing_is_its_cost(noun, expected):
    # "a $ 40m - NOUN opened ."  ($40m as one quantity; the hyphen is passed over)
    an = _analysis(
        ["A", "$", "40m", "-", "high", "-", "containment", noun, "opened", "."],
        [7, 2, 7, 7, 6, 6, 7, 8, 8, 8],
        ["det", "nmod", "compound", "punct", "amod", "punct", "compound", "nsubj", "ROOT", "punct"],
        ["DET", "SYM", "NUM", "PUNCT", "ADJ", "PUNCT", "NOUN", "NOUN", "VERB", "PUNCT"],
        spaces=[True, False, False, False, False, False, True, True, False, False],
    )
    assert an.text.startswith("A $40m-high-containment ")
    assert investment.is_cost_of_what_is_built(an, an.text.index("40m") + 3) is expected
