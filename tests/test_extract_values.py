"""The fact extractors' value rules on real-article phrasing: which figures are facts of a kind.

Two tables: whole sentences through the pipeline (the model's parse included), and the
parse-reading rules on hand-built Docs (words, heads, deps, part-of-speech), so that their
logic is tested apart from the model. Sentences and names are the team's own.
"""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from pharmafacts.extract import capacity, dates, investment, jobs
from pharmafacts.extract.context import Analysis
from pharmafacts.values._scan import finditer_at, word_starts

from .conftest import FIXTURES


def values(doc, kind):
    if kind == "date":
        return sorted((f.value, f.value_max) for f in doc.facts if f.kind == kind)
    return sorted((f.value, f.unit) for f in doc.facts if f.kind == kind)


# (text, kind, [(value, unit)])
PIPELINE = [
    pytest.param("Velmar opened a 300-mln-euro plant in Kestrel Park.", "investment", [(300000000, "EUR")], id="mln-euro-plant"),
    pytest.param("Nordvita will open a $40m-facility near the port.", "investment", [(40000000, "USD")], id="m-facility"),
    pytest.param("Guests toured Nordvita's S$175 million plant at Kestrel Park after the ribbon-cutting.", "investment", [(175000000, "SGD")], id="cost-of-plant-no-cue-word"),
    pytest.param("Velmar's new R2bn high-potency facility will soon make cancer drugs.", "investment", [(2000000000, "ZAR")], id="rand-before-modified-facility"),
    pytest.param("Velmar is a R250bn company by market value.", "investment", [], id="company-value-is-not-investment"),
    pytest.param("Nordvita signed a $30 million supply contract.", "investment", [], id="contract-is-not-a-facility"),
    pytest.param("Kestrel's planning board will set aside Rs 2,450 crore for the new API park.", "investment", [(24500000000, "INR")], id="set-aside-crore"),
    pytest.param("Officials want investors to bring in Rs two lakh crore.", "investment", [(2000000000000, "INR")], id="lakh-crore"),
    pytest.param("Nordvita will invest HK$170 million (US$22 million) in a plant.", "investment", [(170000000, "HKD")], id="conversion-is-not-a-second-fact"),
    pytest.param("Velmar will invest 3 billion Norwegian kroner in Halden. Of this, 1 billion kroner goes to a new line.",
                 "investment", [(1000000000, "NOK"), (3000000000, "NOK")], id="bare-kroner-keeps-norway"),
    pytest.param("Velmar will invest 8 billion Danish kroner in Halden. Of this, 1 billion kroner goes to a new line.",
                 "investment", [(1000000000, "DKK"), (8000000000, "DKK")], id="bare-kroner-takes-denmark"),
    pytest.param("Kestrel Park will receive approximately £85m for upgrading its filling facility.", "investment", [(85000000, "GBP")], id="receive-for-upgrading"),
    pytest.param("Velmar puts the project amount at roughly 410 billion won.", "investment", [(410000000000, "KRW")], id="project-amount-won"),
    pytest.param("The 90,000-sq.-ft. (8,361-sq.-m.) plant opened.", "area", [(8361.27, "m2")], id="area-conversion-once"),
    pytest.param("Nordvita will build on a 21,708.4m^2 site.", "area", [(21708.4, "m2")], id="caret-square-metres"),
    pytest.param("Stage one adds a 96,500-sf warehouse next to the plant.", "area", [(8965.14, "m2")], id="sf-facility"),
    pytest.param("Nordvita will add 80 new production and laboratory jobs.", "jobs", [(80, "jobs")], id="coordinated-noun-modifiers"),
    pytest.param("Velmar will hire up to 400 highly skilled positions.", "jobs", [(400, "jobs")], id="adverb-adjective-positions"),
    pytest.param("The plant will create 1,400 direct and 11,000 indirect jobs.", "jobs", [(1400, "jobs"), (11000, "jobs")], id="direct-and-indirect"),
    pytest.param("Velmar will build a plant generating 650 direct top-grade jobs.", "jobs", [(650, "jobs")], id="unlisted-modifier"),
    pytest.param("The company employs 45 biologists and engineers.", "jobs", [(45, "jobs")], id="employs-any-noun"),
    pytest.param("Nordvita's relocation saves 22 jobs and will create roughly 60.", "jobs", [(22, "jobs"), (60, "jobs")], id="bare-number-object-of-create"),
    pytest.param("Velmar will create 12 products for export.", "jobs", [], id="create-products-is-not-jobs"),
    pytest.param("The Kestrel plant of Velmar employs 230 people and plans to hire another 60.", "jobs", [(60, "jobs"), (230, "jobs")],
                 id="hiring-verb-bare-number-beside-people"),
    pytest.param("The Kestrel plant of Velmar employs 230 people and will add another 60 machines.", "jobs", [(230, "jobs")],
                 id="bare-number-of-another-verb-beside-people-is-not-jobs"),

    pytest.param("Nordvita's 300-strong workforce will move to Halden.", "jobs", [(300, "jobs")], id="n-strong-workforce"),
    pytest.param("Velmar's 40-strong research team works in Halden.", "jobs", [(40, "jobs")], id="n-strong-modified-team"),
    pytest.param("Nordvita installed four 2,000-litre bioreactors, a total capacity of 8,000 litres.", "capacity", [], id="vessel-volume-is-not-capacity"),
    pytest.param("The plant will have a capacity of 3 million litres of infusion solutions a year.", "capacity", [(3000000, "litres")], id="yearly-volume-is-capacity"),
    pytest.param("The plant has a capacity of 300 tonnes of API.", "capacity", [(300, "tonnes")], id="mass-capacity-without-period"),
    pytest.param("Velmar will invest $5 million, or about €4.5 million, in the line.", "investment", [(5000000, "USD")], id="or-conversion"),
    pytest.param("Nordvita will add 3 lines and 2 warehouses.", "jobs", [], id="add-lines-is-not-jobs"),
    pytest.param("Shares of Ostrel rose to $40/share after it said it would invest $200 million in a new plant.", "investment",
                 [(200000000, "USD")], id="price-per-share-after-a-slash"),
    pytest.param("Velmar will buy Kardon at $12 a share and invest $80 million in its plant.", "investment", [(80000000, "USD")], id="price-a-share"),
    pytest.param("Velmar invested $50m in the Kestrel plant, which had sales of $90m last year.", "investment", [(50000000, "USD")],
                 id="sales-in-a-relative-clause-drop-only-their-sum"),
    pytest.param("Velmar will invest $50m in a plant with revenue of $90m in 2027 and $110m in 2028.", "investment", [(50000000, "USD")],
                 id="revenue-is-the-nearer-sums-and-its-lists"),
    pytest.param("Kardon, whose sales reached $2bn last year, will invest $100m in a new line.", "investment", [(100000000, "USD")],
                 id="sales-of-an-earlier-sum-before-a-comma"),
    pytest.param("Velmar expects $90m in sales and $20m in exports from the Halden line it funded.", "investment", [], id="sales-and-exports-each-their-own"),
    pytest.param("Korvanta Pharma will invest 15 billion rubles in the Halden plant and has taken a loan of 2 billion from Zemtrust Bank.",
                 "investment", [(2000000000, "RUB"), (15000000000, "RUB")], id="loan-borrows-the-currency-of-the-sum-before"),
    pytest.param("The Ostrel council gives Velmar a €120m grant, while the Kestrel bank is lending it another 250 million.",
                 "investment", [(120000000, "EUR"), (250000000, "EUR")], id="second-sum-borrows-the-currency"),
    pytest.param("Velmar will invest €300m in the Kestrel plant by 2027. Another 120 million will follow for a second line.",
                 "investment", [(120000000, "EUR"), (300000000, "EUR")], id="sum-in-the-next-sentence-borrows-the-currency"),
    pytest.param("Drummond will invest another €45m to upgrade the Lisker plant. The upgrade will lift capacity to 850 million tablets a year from 550 million.",
                 "investment", [(45000000, "EUR")], id="count-nearer-than-the-sum-lends-no-currency"),
    pytest.param("Velmar will invest 400 million rubles, of which 150 million will come from the Halden fund.", "investment",
                 [(400000000, "RUB")], id="part-of-a-total-borrows-nothing"),
    pytest.param("Velmar will invest 15 billion rubles in 2026-2028 in a plant making 2 billion doses a year.", "investment",
                 [(15000000000, "RUB")], id="count-and-years-borrow-no-currency"),
    pytest.param("Velmar will invest $30 million.\n\nThe region of Kestrel has 2 million residents.", "investment",
                 [(30000000, "USD")], id="figure-of-another-paragraph-borrows-no-currency"),
    pytest.param("Velmar's Halden expansion adds a 60K sq ft warehouse.", "area", [(5574.18, "m2")], id="capital-k-square-feet"),
    pytest.param("Nordvita's new Kestrel warehouse will stand on half a hectare.", "area", [(5000, "m2")], id="half-a-hectare"),
    pytest.param("Velmar will invest R$ 200 milhões in its Kestrel vaccine plant.", "investment", [(200000000, "BRL")], id="portuguese-scale-word"),
    pytest.param("Velmar's Kestrel unit will be built on 2,50,000 sq ft of land.", "area", [(23225.76, "m2")], id="indian-digit-grouping"),
    pytest.param("Velmar will receive €12m of state support for the Kestrel line.", "investment", [(12000000, "EUR")], id="state-support"),
    pytest.param("The Kestrel fund gives Velmar SEK 40 million in support for its plant.", "investment", [(40000000, "SEK")], id="in-support"),
    pytest.param("Velmar will invest a quarter of a billion dollars in the Halden plant.", "investment", [(250000000, "USD")], id="a-quarter-of-a-billion"),
    pytest.param("Nordvita will hire a dozen technicians for the new line.", "jobs", [(12, "jobs")], id="a-dozen-is-twelve"),
    pytest.param("Velmar receives a grant of EUR 14.000.000 for the new line.", "investment", [(14000000, "EUR")], id="dot-thousands"),
    pytest.param("Nordvita will invest INR 350 Cr in the Kestrel unit.", "investment", [(3500000000, "INR")], id="capital-cr"),
    pytest.param("Velmar will invest 9 billion Kazakhstani tenge in a plant near Halden.", "investment", [(9000000000, "KZT")], id="adjective-and-currency-name"),
    pytest.param("Nordvita, based in Lagos, will invest 6 billion Nigerian naira in its new plant.", "investment", [(6000000000, "NGN")], id="nigerian-naira"),
    pytest.param("Velmar will invest 700 million pesos in a new plant in Monterrey, Mexico.", "investment", [(700000000, "MXN")], id="bare-pesos-country-named"),
    pytest.param("The Kestrel plant will be able to produce 400,000 pounds of API a year.", "capacity", [(400000, "pounds")], id="pounds-of-api-is-capacity"),
    pytest.param("Velmar invested in the Kestrel plant, which makes 400,000 pounds of API.", "investment", [], id="pounds-of-api-is-not-money"),
    pytest.param("Nordvita expects the Kestrel plant to be commissioned in FY29.", "date", [("2029", None)], id="fiscal-year-event"),
    pytest.param("Nordvita's FY2027 revenue rose by 9%.", "date", [], id="fiscal-year-of-results-is-no-event"),
    pytest.param("Velmar's Kestrel site, with 14,000 SQ FT of cleanroom space, opened last week.", "area", [(1300.64, "m2")], id="upper-case-square-feet"),
    pytest.param("Nordvita Opens 90,000 Square Foot Plant in Halden\n\nNordvita said it had opened the plant.", "area", [(8361.27, "m2")], id="title-case-square-foot"),
    pytest.param("The Kestrel park covers 2 square miles.", "area", [(5179976.22, "m2")], id="square-miles"),
    pytest.param("Velmar will fit 4 M2 reactors in the Kestrel plant.", "area", [], id="m2-in-capitals-is-a-name"),
    pytest.param("The Kestrel plant will create 230 new roles.", "jobs", [(230, "jobs")], id="create-roles"),
    pytest.param("Nordvita will take on 85 new technicians at Halden.", "jobs", [(85, "jobs")], id="take-on-technicians"),
    pytest.param("Velmar plays 3 roles in the Kestrel consortium.", "jobs", [], id="roles-without-a-hiring-word-are-not-jobs"),
    pytest.param("The Kestrel plant of Velmar will provide 350 vacancies.", "jobs", [(350, "jobs")], id="vacancies"),
    pytest.param("The Kestrel plant of Velmar will add 120 FTEs.", "jobs", [(120, "jobs")], id="full-time-equivalents"),
    pytest.param("The Kestrel plant of Velmar will create 250 new posts.", "jobs", [(250, "jobs")], id="create-posts"),
    pytest.param("Velmar published 40 posts on its Kestrel blog.", "jobs", [], id="posts-without-a-hiring-word-are-not-jobs"),

    pytest.param("Nordvita will create 4 products for the Halden market.", "jobs", [], id="create-products-stays-none"),
    pytest.param("Velmar sold 35 million packs a year in Halden.", "capacity", [], id="yearly-sales-are-not-capacity"),
    pytest.param("The region imports 120 million packs of insulin a year.", "capacity", [], id="yearly-imports-are-not-capacity"),
    pytest.param("The Kestrel plant, whose drugs are sold in 20 countries, has a capacity of 35 million packs a year.", "capacity",
                 [(35000000, "packs")], id="capacity-in-a-sentence-about-sales"),
    pytest.param("The Kestrel plant will make 35 million vials a year.", "capacity", [(35000000, "vials")], id="yearly-output-is-capacity"),
    pytest.param("Velmar is enlarging the site to raise its capacity by 600 million capsules to reach 1.5 billion capsules in 2030.",
                 "capacity", [(1500000000, "capsules")], id="capacity-step-of-a-change-is-not-capacity"),
    pytest.param("Each year the plant makes 800 million tablets, and its packing capacity is 40 million packs through four packing lines.",
                 "capacity", [(40000000, "packs"), (800000000, "tablets")], id="through-lines-is-the-means"),
    pytest.param("At peak load the hall will turn out roughly 1.8-billion capsules a year and fill some 4-million vials a month.",
                 "capacity", [(1800000000, "capsules")], id="monthly-figure-beside-a-yearly-one"),
    pytest.param("Nordvita will make 5 million vials a day.", "capacity", [], id="daily-is-not-capacity"),
    pytest.param("The Kestrel plant of Velmar will produce 2.5bn tablets p.a.", "capacity", [(2500000000, "tablets")], id="per-annum-abbreviated"),
    pytest.param("The Kestrel plant of Velmar will produce 20 million vials/yr.", "capacity", [(20000000, "vials")], id="slash-yr"),
    pytest.param("The Kestrel plant of Velmar has a capacity of 20 million vials/day.", "capacity", [], id="slash-day-is-not-capacity"),

    pytest.param("A factory with a yearly production capacity of 45 million packs is to be erected near Halden.",
                 "capacity", [(45000000, "packs")], id="capacity-of-before-a-verb"),
    pytest.param("One of the two bases has an annual capacity of 2.3 million kilograms of granules.", "capacity", [(2300000, "kilograms")], id="one-base-is-not-capacity"),
    pytest.param("The works are split into two phases and should hit full capacity in 2027.", "capacity", [], id="two-phases"),
    pytest.param("Velmar unveiled four large upgrades meant to lift its yearly capacity.", "capacity", [], id="small-count-in-words"),
    pytest.param("Exports rose to EUR 300 million a year, up 12% on the year.", "capacity", [], id="percent-is-not-a-product"),
    pytest.param("Once running at full speed, the line will make 35 million capsules of generics.", "capacity",
                 [(35000000, "capsules")], id="output-at-full-operation-without-a-period-or-capacity-word"),
    pytest.param("When the Halden works are fully operational, Korvella will turn out 48 million ampoules of antibiotics.", "capacity",
                 [(48000000, "ampoules")], id="output-once-fully-operational"),
    pytest.param("When fully operational, the Halden works will employ 270 staff and serve 2 million patients.", "capacity", [],
                 id="staff-and-patients-at-full-operation-are-not-capacity"),
    pytest.param("Korvella made 48 million ampoules of antibiotics at its Halden works.", "capacity", [], id="output-without-full-operation-is-not-capacity"),
    pytest.param("The city covers 300 square kilometres and has 2 million people.", "area", [], id="area-of-a-city"),
    pytest.param("Halden, a country of 2.7 million square kilometres, hosts the plant.", "area", [], id="area-of-a-country"),
    pytest.param("The region's area of 40,000 square kilometres is large.", "area", [], id="area-of-a-region-possessor"),
    pytest.param("The district has a 5,000-square-metre school, a 3,000 m2 hospital and the 12,000-square-metre Velmar plant.",
                 "area", [(12000, "m2")], id="plant-among-other-buildings"),
    pytest.param("The park covers 120 hectares.", "area", [(1200000, "m2")], id="area-of-a-park"),
    pytest.param("Nordvita will build a 20,000 sq m plant on a 5-hectare plot.", "area", [(20000, "m2"), (50000, "m2")], id="plant-and-plot"),
    # dates: events at a company or site, not statements, statistics or other matters
    pytest.param("HALDEN, Norway, 14 February 2025 — Nordvita broke ground on Tuesday for a new plant.", "date",
                 [("2025-02-11", None), ("2025-02-14", None)], id="weekday-against-the-dateline"),
    pytest.param("HALDEN, 12 February 2025 — Nordvita opened a lab. Its plant will open on Friday.", "date",
                 [("2025-02-12", None), ("2025-02-14", None)], id="weekday-of-a-coming-event"),
    pytest.param("HALDEN, 14 February 2025 — Nordvita will open its plant on Friday.", "date",
                 [("2025-02-14", None)], id="weekday-of-a-coming-event-on-the-datelines-day"),
    pytest.param("KESTREL, 14 February 2025 — Velmar said Tuesday it will invest $300 million in a plant.", "date", [], id="date-of-a-statement"),
    pytest.param("BERGEN, 11 March (Newsdesk) – A Nordvita plant is to be built in Halden, the desk was told.", "date", [], id="dateline-of-a-future-event"),
    pytest.param("BERGEN, 11 March 2015 (Newsdesk) – Nordvita opened a plant in Halden.", "date", [("2015-03-11", None)], id="dateline-of-a-past-event"),
    pytest.param("BERGEN, 11 March 2015 (Newsdesk) – Nordvita opens its plant in Halden.", "date", [("2015-03-11", None)], id="dateline-of-an-event-today"),
    pytest.param("BERGEN, 11 March 2015 (Newsdesk) – Nordvita plans to open a plant in Halden.", "date", [], id="dateline-of-a-plan"),
    pytest.param("Velmar will enlarge two plants, despite the council voting to shut the bridge in May.", "date", [], id="side-clause-of-another-matter"),
    pytest.param("Imports of finished drugs grew from $4 million in 2018 to $9 million in 2021.", "date", [], id="statistics-period"),
    pytest.param("The workforce will grow to 240 by the end of 2026, when a second hall will be commissioned.", "date",
                 [("2026", None)], id="statistics-verb-with-an-event-inside"),
    pytest.param("During the first nine months of 2022, park tenants invested $7 million in new equipment.", "date", [], id="cumulative-period"),
    pytest.param("The second line should start operating in 2029-2030.", "date", [("2029", "2030")], id="year-range-start-and-end"),
    pytest.param("Filling at the Kestrel plant of Velmar will start in 3Q27.", "date", [("2027", None)], id="quarter-code-dates-an-event"),
    pytest.param("The Kestrel plant of Velmar is due to come on stream in 2027.", "date", [("2027", None)], id="come-on-stream"),
    pytest.param("The Kestrel plant of Velmar is expected to be up and running by mid-2026.", "date", [("2026", None)], id="up-and-running"),
    pytest.param("The Kestrel plant of Velmar is scheduled to go into operation in 2029.", "date", [("2029", None)], id="go-into-operation"),
    pytest.param("Commercial production at the Kestrel plant of Velmar is slated for 2028.", "date", [("2028", None)], id="commercial-production-slated"),
    pytest.param("The Velmar plant has an expected completion date of 2031.", "date", [("2031", None)], id="projected-completion"),
    pytest.param("Velmar is expanding its hall to hit 900 million vials by 2031.", "date", [("2031", None)], id="purpose-clause-keeps-its-event"),
    pytest.param("The Halden wing should be fully operational in late 2030.", "date", [("2030", None)], id="predicative-operational"),
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


@pytest.mark.parametrize(
    ("preposition", "expected"),
    [pytest.param("through", False, id="through-is-the-means"), pytest.param("by", False, id="by-is-a-step"), pytest.param("of", True, id="capacity-of")],
)
def test_a_count_after_a_preposition_of_means_is_not_output(preposition, expected):
    # "capacity PREP 40 million packs ."
    an = _analysis(
        ["capacity", preposition, "40", "million", "packs", "."],
        [0, 0, 3, 4, 1, 0],
        ["ROOT", "prep", "compound", "nummod", "pobj", "punct"],
        ["NOUN", "ADP", "NUM", "NUM", "NOUN", "PUNCT"],
    )
    noun = capacity._counted_noun(an, an.text.index("million") + len("million"))
    assert noun.text == "packs"
    assert capacity.is_output(noun) is expected


def test_the_parts_of_a_job_total_without_their_noun(extract):
    assert values(extract("Nordvita counts on 620 new jobs, 410 in the second hall and 210 elsewhere."), "jobs") == [
        (210, "jobs"), (410, "jobs"), (620, "jobs")]


def _despite_clause():
    # "Velmar expands despite the union striking in May ."
    return _analysis(
        ["Velmar", "expands", "despite", "the", "union", "striking", "in", "May", "."],
        [1, 1, 1, 4, 5, 2, 5, 6, 1],
        ["nsubj", "ROOT", "prep", "det", "nsubj", "pcomp", "prep", "pobj", "punct"],
        ["PROPN", "VERB", "ADP", "DET", "NOUN", "VERB", "ADP", "PROPN", "PUNCT"],
    )


@pytest.mark.parametrize(
    ("trigger_words", "expected"),
    [pytest.param(["expands"], True, id="event-only-in-the-main-clause"), pytest.param(["striking"], False, id="event-in-the-side-clause")],
)
def test_a_date_in_a_side_clause_without_an_event_is_not_the_events(trigger_words, expected):
    an = _despite_clause()
    start = an.text.index("May")
    verb = dates._governing_verb(an, start, start + 3)
    assert verb.text == "striking"
    triggers = [t for t in an.doc if t.text in trigger_words]
    assert dates._in_side_clause_without_event(verb, triggers) is expected


def test_the_registry_of_extractors_has_every_fact_kind_in_order():
    from pharmafacts.extract import FACT_EXTRACTORS
    from pharmafacts.records import FACT_KINDS

    assert tuple(FACT_EXTRACTORS) == FACT_KINDS


def _every_event_match(text: str, start: int, end: int) -> list[tuple[str, tuple[int, int]]]:
    """The reference: each event's pattern over the whole window."""
    return [(event, m.span()) for event, rx in dates._TRIGGERS.items() for m in rx.finditer(text, start, end)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Brisvane opened a plant and will start operations in May.", {"opened", "started"}, id="two-events-one-word-in-both"),
        pytest.param("The site was RE-OPENED; its re-opening came later.", set(), id="after-a-hyphen-no-event"),
        pytest.param("The LAUNCH was put into operation in 2031.", {"launched"}, id="capitals-and-a-phrase"),
        pytest.param("Openness and restarted talks, reopened doors.", set(), id="inside-a-longer-word"),
        pytest.param("Work began_late; 5began; the plant began.", {"started"}, id="after-digit-or-underscore"),
    ],
)
def test_event_words_are_found_as_each_events_pattern_finds_them(text, expected):
    found = [(event, m.span()) for event, m in dates.trigger_matches(text, 0, len(text))]
    assert found == _every_event_match(text, 0, len(text))
    assert {event for event, _ in found} == expected


def test_event_words_are_found_as_each_events_pattern_finds_them_in_any_window():
    # a window may end inside a word ("open|ness"), begin inside one, or cut a phrase in two
    text = "Talmeno said openness helped; the plant opened, started up and was put into operation, full design capacity soon."
    for start in range(0, len(text), 3):
        for end in range(start, len(text) + 1):
            found = [(event, m.span()) for event, m in dates.trigger_matches(text, start, end)]
            assert found == _every_event_match(text, start, end), (start, end)
    cut = text.index("openness") + 4
    assert ("opened", (cut - 4, cut)) in _every_event_match(text, 0, cut)  # the cut "open" counts, as before


def test_event_words_are_found_as_each_events_pattern_finds_them_in_the_fixture_texts():
    for path in sorted(FIXTURES.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for start in range(0, len(text), 150):
            end = min(len(text), start + 400)
            assert [(e, m.span()) for e, m in dates.trigger_matches(text, start, end)] == _every_event_match(text, start, end)
            at = word_starts(text, dates._TRIGGER_FIRST_WORDS, start, end)
            any_event = [m.span() for m in dates._ANY_TRIGGER.finditer(text, start, end)]
            assert [m.span() for m in finditer_at(dates._ANY_TRIGGER, text, at, end)] == any_event
