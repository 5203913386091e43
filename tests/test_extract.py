"""Every extractor on sentences with known answers, through the whole pipeline.

Each case: a short text in the genre and the facts expected of one kind, as
(value, unit, qualifier, subject). Texts are the team's own, never from the seeds.
"""

from __future__ import annotations

import pytest


def facts(doc, kind):
    return [(f.value, f.unit, f.qualifier, f.subject) for f in doc.facts if f.kind == kind]


AREA = [
    pytest.param("Nordvita LLC opened a plant of 12,000 square meters in Tver.", [(12000, "m2", None, "Nordvita")], id="plain"),
    pytest.param("Korvel Biotech LLC will build its plant on a 3.5-hectare plot.", [(35000, "m2", None, "Korvel Biotech")], id="hectare-adjective"),
    pytest.param("The Lindamed company (area — 18 thousand square meters, 240 jobs) makes tablets.", [(18000, "m2", None, "Lindamed")], id="bracket-after-name"),
    pytest.param("Ostrava Pharma Group built a 27,500-square-meter complex in 2021.", [(27500, "m2", None, "Ostrava Pharma Group")], id="square-meter-adjective"),
    pytest.param("Halden Biologics Inc. will occupy a 200,000-square-foot building on 40 acres.", [(18580.61, "m2", None, "Halden Biologics"), (161874.26, "m2", None, "Halden Biologics")], id="feet-and-acres"),
    pytest.param("The region's plants together exceed 610,000 square meters.", [(610000, "m2", "over", None)], id="region-wide-no-subject"),
    pytest.param("Novarta AG will build a 30,000 sq. metre facility.", [(30000, "m2", None, "Novarta")], id="sq-metre"),
    pytest.param("Residents:\n- Kemo Bio – 1,200 jobs, 42,000 m2;\n- Medipak – 15,000 m2.", [(42000, "m2", None, "Kemo Bio"), (15000, "m2", None, "Medipak")], id="dash-list-items"),
]

JOBS = [
    pytest.param("Nordvita LLC will employ 340 people.", [(340, "jobs", None, "Nordvita")], id="employ-people"),
    pytest.param("Ilvita CJSC has 412 employees.", [(412, "jobs", None, "Ilvita")], id="employees"),
    pytest.param("Ilvita CJSC will create over a thousand jobs.", [(1000, "jobs", "over", "Ilvita")], id="over-number-words"),
    pytest.param("Sarmed JSC will create between 200 and 250 new jobs.", [(200, "jobs", None, "Sarmed")], id="range"),
    pytest.param("Solvex JSC will create 210 highly productive jobs.", [(210, "jobs", None, "Solvex")], id="modified-jobs"),
    pytest.param("The Lindamed company (3,200 square meters, employing 184 people) makes tablets.", [(184, "jobs", None, "Lindamed")], id="employing-in-bracket"),
    pytest.param("Tremavit LLC opened a plant. The company will employ at least 300 people.", [(300, "jobs", "over", "Tremavit")], id="the-company"),
    pytest.param("The province has 140 drug makers employing roughly 12,500 people.", [(12500, "jobs", "about", None)], id="city-wide-not-manufacturers"),
    pytest.param("The site hosts 48 companies, creating jobs for 4,300 people.", [(4300, "jobs", None, None)], id="jobs-for-people"),
    pytest.param("One in 15 people employed in the district is a chemist.", [], id="ratio-is-not-jobs"),
    pytest.param("The unit of Ostravit Ltd will provide employment to around 640 people.", [(640, "jobs", "about", "Ostravit")],
                 id="employment-to-people"),
    pytest.param("Ostravit Ltd sold its first batches to 300 people in trials.", [], id="sold-to-people-is-not-jobs"),
    pytest.param("Ostravit Ltd will add 90 jobs and raise annual output to 2.5 billion capsules.", [(90, "jobs", None, "Ostravit")],
                 id="a-target-after-jobs-that-counts-another-noun"),
    pytest.param("Marvena LLC expects 640 new jobs, 520 from the second line and 120 in packaging.",
                 [(640, "jobs", None, "Marvena"), (520, "jobs", None, "Marvena"), (120, "jobs", None, "Marvena")], id="parts-of-a-total-after-it"),
    pytest.param("Marvena LLC counts 300 jobs, 40 in Halden.", [(300, "jobs", None, "Marvena"), (40, "jobs", None, "Marvena")], id="a-part-in-a-place"),
    pytest.param("Marvena LLC counts 300 jobs, 40 percent of them in research.", [(300, "jobs", None, "Marvena")], id="a-share-is-no-part"),
    pytest.param("Velmar LLC opened a plant in Halden. By 2028 the number of employees will grow to 450 people.", [(450, "jobs", None, "Velmar")],
                 id="a-target-number-of-people"),
    pytest.param("Velmar LLC opened a plant in Halden. The number of visitors will grow to 450 people.", [], id="a-target-number-of-visitors"),
    pytest.param("Marvena LLC counts 300 jobs, 40 in Halden and 12 lines.", [(300, "jobs", None, "Marvena"), (40, "jobs", None, "Marvena")],
                 id="a-count-of-something-else-after-a-part-is-no-part"),
]

INVESTMENT = [
    pytest.param("Residents of the gene therapy cluster of the Kestrel SEZ invested RUB 4 bn this year.", [(4000000000, "RUB", None, "gene therapy cluster")],
                 id="a-lower-case-cluster-s-residents"),
    pytest.param("Investment in the Nordvita LLC project amounted to over 7.4 billion rubles.", [(7400000000, "RUB", "over", "Nordvita")], id="over-billion"),
    pytest.param("Korvel Biotech LLC will invest five billion rubles in a new plant.", [(5000000000, "RUB", None, "Korvel Biotech")], id="number-words"),
    pytest.param("Halden Biologics Inc. is investing $250 million in the plant.", [(250000000, "USD", None, "Halden Biologics")], id="dollars"),
    pytest.param("Arvika Pharma Pvt Ltd will set up a unit with an outlay of ₹1,250 crore.", [(12500000000, "INR", None, "Arvika Pharma")], id="outlay-in-crore"),
    pytest.param("Lindberg AB will invest approximately SEK 900 million in a fill-finish line.", [(900000000, "SEK", "about", "Lindberg")], id="swedish-kronor"),
    pytest.param("Kelun-Tai Pharmaceutical Co., Ltd. required a total investment of RMB 2.3 billion. It expects annual output value of RMB 5 billion.",
                 [(2300000000, "CNY", None, "Kelun-Tai Pharmaceutical")], id="renminbi-output-value-is-not-investment"),
    pytest.param("Marvel Pharma GmbH received a grant of EUR 12.5m for the new line.", [(12500000, "EUR", None, "Marvel Pharma")], id="grant-euro"),
    pytest.param("Nordvita LLC reported revenue of 3 billion rubles.", [], id="revenue-is-not-investment"),
    pytest.param("Tenants of the zone got 900 million rubles of tax breaks in 2023.", [], id="tax-breaks"),
    pytest.param("The cap on a single development loan was raised from six to nine billion rubles.", [], id="changed-limit"),
    pytest.param("Land is leased at one ruble per year to investors.", [], id="rate-per-year"),
]

CAPACITY = [
    pytest.param("Nordvita LLC opened a plant. Its capacity will allow the production of up to 6.8 million vials a year.", [(6800000, "vials", "up_to", "Nordvita")], id="up-to-vials"),
    pytest.param("Ilvita CJSC will turn out more than 260 thousand units of output a year.", [(260000, "units", "over", "Ilvita")], id="units-per-year"),
    pytest.param("Ilvita CJSC produced 3.1 million packs between March and September.", [], id="output-is-not-capacity"),
    pytest.param("Nordvita LLC will produce 300 million tablets and 50 million capsules annually.",
                 [(300000000, "tablets", None, "Nordvita"), (50000000, "capsules", None, "Nordvita")], id="two-products-one-period"),
    pytest.param("The park expects up to three thousand guests per day.", [], id="visitors"),
    pytest.param("The base will employ more than 800 staff a year from now.", [], id="staff-is-not-a-product"),
]

DATES = [
    pytest.param("Moscow, 7 October 2025 — Nordvita LLC opened a plant.", [("2025-10-07", "Nordvita")], id="dateline"),
    pytest.param("Nordvita LLC will open its plant in June of this year.", [("XXXX-06", "Nordvita")], id="this-year-without-anchor"),
    pytest.param("Nordvita LLC started building in 2021 and finished the work in May of this year.", [("2021", "Nordvita"), ("2022-05", "Nordvita")], id="this-year-after-a-past-year"),
    pytest.param("Korvel Biotech LLC will open its plant on October 7.", [("XXXX-10-07", "Korvel Biotech")], id="day-month-no-year"),
    pytest.param("Production grew 12 percent compared to 2021.", [], id="statistics-not-event"),
    pytest.param("Two plants will be opened in 2026 by companies Velmar and Ostrafarm.", [("2026", "Velmar"), ("2026", "Ostrafarm")], id="coordinated-subjects"),
    pytest.param("Marvena LLC runs a plant in Halden. Its second line is to be commissioned next. That is planned for 2028.",
                 [("2028", "Marvena")], id="that-dates-the-event-of-the-sentence-before"),
    pytest.param("Marvena LLC opened a plant in Halden. This was announced in May.", [], id="this-announced-is-a-statement"),
    pytest.param("Kordis LLC opened its first plant in 2019. Its second plant will open in March.", [("2019", "Kordis"), ("XXXX-03", "Kordis")],
                 id="a-month-to-come-after-a-year-read-off-the-past-has-no-year"),
    pytest.param("Kordis LLC opened its first plant in 2019 and started its second in March.", [("2019", "Kordis"), ("2019-03", "Kordis")],
                 id="a-past-month-takes-the-year-read-off-the-past"),
    pytest.param("Halden, 4 May 2021 — Kordis LLC will open its plant in September.", [("2021-09", "Kordis")], id="a-month-to-come-after-a-dateline"),
    pytest.param("Marvena LLC opened a plant in Halden. This is well above the level of 2020.", [], id="this-is-above-is-a-comparison"),
    pytest.param("Korvella LLC is building a plant in Halden. In March, 40 local mayors signed a petition that backed the plant.", [],
                 id="signing-a-petition-is-no-event"),
    pytest.param("Korvella LLC signed a lease for a warehouse in Halden in June 2024.", [("2024-06", "Korvella")], id="signing-a-lease-is-an-event"),
    pytest.param('Halden, March 4, 2026. Today, in the Halden region, the plant of JSC "Velmaron" was opened.', [("2026-03-04", "Velmaron")],
                 id="today-after-a-dateline-of-its-own-sentence"),
    pytest.param("Halden, March 4, 2026. Velmar LLC opened a plant in 2019. Today it employs 300 people.", [("2019", "Velmar")],
                 id="today-without-an-event-is-no-date"),
    pytest.param("Belmont Labs SAS will invest EUR 45 million. Around 60 jobs will be created by 2027.", [], id="jobs-created-by-a-year-is-no-event"),
    pytest.param("Belmont Labs SAS was created in 2011.", [("2011", "Belmont Labs")], id="a-company-created-in-a-year-is-an-event"),
    pytest.param("Korvella LLC will build a plant in Halden. A letter of intent was signed in May 2023.", [("2023-05", "Korvella")],
                 id="a-letter-of-intent-signed-is-an-event"),
    pytest.param("HALDEN, Ohio, June 2, 2024 /Newswire/ -- Kestavia Biologics Inc. (NYSE: KSV) today announced that it has broken ground on a plant in Halden.",
                 [("2024-06-02", "Kestavia Biologics")], id="wire-dateline-and-an-event-announced-as-done"),
    pytest.param("HALDEN, Ohio, June 2, 2024 /Newswire/ -- Kestavia Biologics Inc. (NYSE: KSV) today announced that it will build a plant in Halden.",
                 [], id="wire-dateline-and-an-event-to-come"),
    pytest.param("HALDEN, Ohio, June 2, 2024 /Newswire/ -- Kestavia Biologics Inc. said its plant, opened in 2019, employs 300 people.",
                 [("2019", "Kestavia Biologics")], id="wire-dateline-and-a-statement-of-an-event-dated-elsewhere"),
    pytest.param("HALDEN, Ohio, June 2, 2024 /Newswire/ -- Kestavia Biologics Inc. (NYSE: KSV) today announced the opening of its plant in Halden.",
                 [("2024-06-02", "Kestavia Biologics")], id="wire-dateline-and-an-opening-announced"),
    pytest.param("Halden, 9 October 2025 – Nordvik Biotech A/S today held a groundbreaking ceremony for its new biologics site in Halden.",
                 [("2025-10-09", "Nordvik Biotech")], id="wire-dateline-and-a-ceremony-the-event-names"),
    pytest.param("Halden, 9 October 2025 – Nordvik Biotech A/S will hold a groundbreaking ceremony for its new biologics site in Halden.",
                 [], id="wire-dateline-and-a-ceremony-to-come"),
    pytest.param("HALDEN, Ohio, June 2, 2024 /Newswire/ -- Kestavia Biologics Inc. (NYSE: KSV) will celebrate the opening of its plant in Halden.",
                 [], id="wire-dateline-and-an-opening-to-be-celebrated"),
    pytest.param("HALDEN, Ohio, June 2, 2024 /Newswire/ -- Kestavia Biologics Inc. (NYSE: KSV) announced plans for the opening of its plant in Halden.",
                 [], id="wire-dateline-and-plans-for-an-opening"),
    pytest.param("Korvella LLC will build a plant in Halden. Construction will begin in the first quarter of 2025, with completion expected in 2027.",
                 [("2025", "Korvella"), ("2027", "Korvella")], id="a-clause-on-an-event-noun-dates-it"),
    pytest.param("Korvella LLC will build a plant in Halden despite a vote held in June 2024.", [], id="a-clause-on-another-noun-dates-nothing"),
]


@pytest.mark.parametrize(("text", "expected"), AREA)
def test_area(extract, text, expected):
    assert facts(extract(text), "area") == expected


@pytest.mark.parametrize(("text", "expected"), JOBS)
def test_jobs(extract, text, expected):
    assert facts(extract(text), "jobs") == expected


@pytest.mark.parametrize(("text", "expected"), INVESTMENT)
def test_investment(extract, text, expected):
    assert facts(extract(text), "investment") == expected


@pytest.mark.parametrize(("text", "expected"), CAPACITY)
def test_capacity(extract, text, expected):
    assert facts(extract(text), "capacity") == expected


@pytest.mark.parametrize(("text", "expected"), DATES)
def test_dates(extract, text, expected):
    assert [(f.value, f.subject) for f in extract(text).facts if f.kind == "date"] == expected


def test_relative_date_uses_the_documents_year(extract):
    text = "In 2024, Nordvita LLC registered six drugs.\n\nWork on its plant was finished in July of this year."
    doc = extract(text)
    assert doc.doc_date == "2024"
    assert ("2024-07", "Nordvita") in [(f.value, f.subject) for f in doc.facts if f.kind == "date"]


COMPANIES = [
    pytest.param("Generix-Nova LLC and LLC Generix Nova are one company.", {"Generix-Nova": {"LLC Generix Nova", "Generix-Nova LLC"}}, id="legal-form-before-and-after"),
    pytest.param("Ostrava (Pelmar Group) (12,000 square meters, 120 employees) makes syringes.", {"Ostrava": set(), "Pelmar Group": set()}, id="bracket-parent"),
    pytest.param("Rostovit State Corporation and the Ministry of Health signed a deal.", {"Rostovit": {"Rostovit State Corporation"}}, id="state-corporation-not-ministry"),
    pytest.param("The plant of CJSC «Medvilon» was opened by the regional government.", {"Medvilon": {"CJSC «Medvilon»"}}, id="quoted-name"),
    # the model reads "Tavrin Pharma" as one nationality (NORP): a label that runs on past the word is a name
    pytest.param("Vetora d.o.o. opened a warehouse. Vetora, part of the Adrion Pharma group, will invest EUR 20m.",
                 {"Vetora": {"Vetora d.o.o."}, "Adrion Pharma": set()}, id="part-of-without-article"),
    pytest.param("The SEZ approved two residents. The second resident, BioTrend Kazan, plans a filling line.",
                 {"BioTrend Kazan": set()}, id="resident-in-apposition"),
    pytest.param("A local resident, Ivan Petrov, praised the new plant.", {}, id="a-resident-who-is-a-person"),
    pytest.param("Nobel Medica LLC and its partner Deva Ilac A.S. launched a joint venture.",
                 {"Nobel Medica": {"Nobel Medica LLC"}, "Deva Ilac": {"Deva Ilac A.S."}}, id="turkish-legal-form"),
    pytest.param("Tavrin Pharma LLC opened a plant.", {"Tavrin Pharma": {"Tavrin Pharma LLC"}}, id="name-read-as-nationality-at-text-start"),
    pytest.param("The Danish Holmkvist Group opened a plant.", {"Holmkvist Group": set()}, id="nationality-is-not-part-of-name"),
    # no legal form, and the model reads "Velkor Medtech" as a person: the industry word makes it a company
    pytest.param("In Tver, Velkor Medtech began building a plant.", {"Velkor Medtech": set()}, id="industry-word-ends-name"),
    pytest.param("Trasken Biologics and Ilvera Diagnostics signed a deal.", {"Trasken Biologics": set(), "Ilvera Diagnostics": set()}, id="two-industry-names-coordinated"),
    pytest.param("The Ostrava Pharma Plant will open in May. Pharma exports grew.", {}, id="industry-word-inside-a-longer-name-or-alone"),
    # no legal form, company noun or verb: the project a name owns, the sum it holds, the company it is listed with
    pytest.param("The ministry listed three projects: the project of Teravo Lindqvist with the cost of EUR 14 million on making syringes, "
                 "Kordafarm with the cost of EUR 6 million on packaging, Ostrin Vale with the cost of EUR 2.5 million on tablets.",
                 {"Teravo Lindqvist": set(), "Kordafarm": set(), "Ostrin Vale": set()}, id="names-listed-with-their-project-costs"),
    pytest.param("The plants of Halden and Marlow employ 400 people.", {}, id="the-plants-of-places-are-no-companies"),
    pytest.param("Kordafarm opened plants in Halden, Marlow and Ostrava with the cost of $40 million.", {"Kordafarm": set()},
                 id="places-listed-after-a-company-are-no-companies"),
    pytest.param("The project of Marlow Bridge with the cost of $30 million was approved.", {}, id="a-bridge-with-a-cost-is-no-company"),
    pytest.param("The generics maker Ostrivo will pack tablets in Lenka. Its rival Calderon Medica, which acquired a former vitamin factory in Dunmere last year, is adding 150 staff there.",
                 {"Ostrivo": set(), "Calderon Medica": set()}, id="its-rival-is-a-company"),
    pytest.param("The mayor and his rival Ivan Petrov visited the Kestavia plant.", {}, id="his-rival-is-a-person"),
]


@pytest.mark.parametrize(("text", "expected"), COMPANIES)
def test_companies(extract, text, expected):
    doc = extract(text)
    got = {c.name: set(c.aliases) for c in doc.companies}
    assert set(got) == set(expected)
    for name, aliases in expected.items():
        assert aliases <= got[name]


def test_parent_from_apposition_without_article(extract):
    doc = extract("Vetora d.o.o. opened a warehouse. Vetora, part of the Adrion Pharma group, will invest EUR 20m.")
    assert {c.name: c.parent for c in doc.companies}["Vetora"] == "Adrion Pharma"
    assert [(f.kind, f.subject) for f in doc.facts] == [("investment", "Vetora")]


@pytest.mark.parametrize("text", [
    'JSC "Velmaron" opened a plant. JSC "Velmaron" is a subsidiary of the state corporation Rostovit.',
    '"Velmaron" opened a plant. "Velmaron" has been part of the Rostovit group of companies since 2019.',
])
def test_parent_from_a_copula(extract, text):
    parents = {c.name: c.parent for c in extract(text).companies}
    assert parents["Velmaron"] in ("Rostovit", "Rostovit Group") and parents[parents["Velmaron"]] is None


def test_a_group_that_shares_its_members_name_is_a_company_of_its_own(extract):
    doc = extract("Hanvik Biologics will build a plant in Halden. Hanvik, a unit of the Hanvik Group, has invested $4 billion there. "
                  "The Hanvik Group employs 40,000 people.")
    assert {c.name: c.parent for c in doc.companies} == {"Hanvik Biologics": "Hanvik Group", "Hanvik Group": None}
    assert [(f.kind, f.subject) for f in doc.facts] == [("investment", "Hanvik Biologics"), ("jobs", "Hanvik Group")]


def test_parent_from_bracket(extract):
    doc = extract("Ostrava (Pelmar Group) (12,000 square meters, 120 employees) makes syringes.")
    assert {c.name: c.parent for c in doc.companies}["Ostrava"] == "Pelmar Group"


SITES = [
    pytest.param("Nordvita LLC opened a plant at the Dubrava site of the Oka Valley SEZ.", {("Dubrava", "site", "Oka Valley SEZ"), ("Oka Valley SEZ", "sez", None)}, id="site-of-sez"),
    pytest.param("The Lugano Industrial Park welcomed its tenth resident.", {("Lugano Industrial Park", "park", None)}, id="industrial-park"),
    pytest.param("The Kama Biopharmaceutical Cluster now unites 40 companies.", {("Kama Biopharmaceutical Cluster", "cluster", None)}, id="cluster"),
    pytest.param("The Moscow region is large and Kazan is a city.", set(), id="cities-are-not-sites"),
    pytest.param('Velmar LLC registered in the SEZ of industrial and production type "Ostrova".', {("Ostrova SEZ", "sez", None)},
                 id="sez-of-a-type-then-its-quoted-name"),
    pytest.param('The technopark "Ostrogrand" approved three residents.', {("Ostrogrand", "park", None)}, id="technopark-then-its-quoted-name"),
    pytest.param("Velmar LLC is building a plant in the Industrial Zone of Halden.", {("Industrial Zone of Halden", "sez", None)},
                 id="industrial-zone-of-a-place"),
    pytest.param("Velmar Technopolis LLC opened a plant.", set(), id="technopolis-inside-a-company-name-is-no-site"),
    pytest.param("Velmar S.A. will build a plant in the Agroindustrial District of Pavona.", {("Agroindustrial District of Pavona", "park", None)},
                 id="industrial-district-of-a-place"),
    pytest.param("Velmar S.A. will build a plant in the Pavona Industrial District.", {("Pavona Industrial District", "park", None)},
                 id="a-places-industrial-district"),
    pytest.param("Velmar Pharma will build a plant in the Ostrava life sciences cluster.", {("Ostrava life sciences cluster", "cluster", None)},
                 id="a-cluster-named-by-its-field-in-lower-case"),
    pytest.param("Merolin GmbH opened a site in the Weinberg Campus technology park. Weinberg Campus hosts 90 firms.",
                 {("Weinberg Campus technology park", "park", None)}, id="park-named-again-without-its-head-words"),
]


@pytest.mark.parametrize(("text", "expected"), SITES)
def test_sites(extract, text, expected):
    assert {(s.name, s.kind, s.part_of) for s in extract(text).sites} == expected


MENTIONS = [
    pytest.param("On Monday, Kestrel Pharma LLC opened a plant. Kestrel Pharma then hired staff.", ["Kestrel Pharma LLC", "Kestrel Pharma"], id="again"),
    pytest.param("On Monday, Kestrel Pharma LLC opened a plant. Kestrel Pharmax, Kestrel Pharma-2 and Neo-Kestrel Pharma are other firms.",
                 ["Kestrel Pharma LLC"], id="only-as-a-whole-word"),
    pytest.param("On Monday, Kestrel Pharma LLC opened a plant near the Kestrel Pharmacy.", ["Kestrel Pharma LLC"], id="not-the-start-of-a-longer-word"),
    pytest.param("On Monday, Kestrel Pharma LLC opened a plant (Kestrel Pharma said so) with Velmar/Kestrel Pharma staff.\nKestrel Pharma: done.",
                 ["Kestrel Pharma LLC", "Kestrel Pharma", "Kestrel Pharma", "Kestrel Pharma"], id="after-a-bracket-a-slash-a-line-break"),
]


@pytest.mark.parametrize(("text", "name"), [
    ("Halvern said the Velmar company will invest $5 million.", "Velmar"),
    ("Halvern said the 3D Velmar company will invest $5 million.", "3D Velmar"),
])
def test_the_x_company_reads_names_that_begin_with_a_capital_or_a_digit(extractor, text, name):
    from pharmafacts.extract.companies import _company_nouns, cue_runs
    from pharmafacts.extract.context import Analysis

    doc = extractor.nlp(text)
    assert [m.name for m in _company_nouns(Analysis(doc.text, doc), cue_runs(doc.text)) if m.rule == "the_x_company"] == [name]


def _cue_texts() -> list[str]:
    """Every phrase the cued company patterns begin with, in invented sentences: after a comma, a
    hyphen, a slash, a bracket, a quote, a tab or a line break, before a name, a comma, a full stop
    or letters, capitalised and in capitals."""
    from pharmafacts.extract.context import LEXICON

    phrases = [*LEXICON["legal_forms_after"], *LEXICON["legal_forms_before"], *LEXICON["name_prefixes"],
               *LEXICON["industry_name_words"], *LEXICON["company_cue_nouns"], "the"]
    texts = []
    for p in phrases:
        for w in {p, p.capitalize(), p.upper()}:
            texts.append(f"Velmar {w} will invest. {w} Kordis opened a plant, said Ostrel,{w} and Velmar-{w} ({w}) «{w}» "
                         f"the {w} Ostrel, {w}.\n{w}\tOstrel {w}s/{w} Halden {w} Group; {w}-based Kordis {w}, {w} Velmar Co.")
    return texts


def test_cued_patterns_find_what_finditer_finds(extractor):
    """extract.companies tries its cue patterns only where a run of the text is one of their first
    words (companies._cued): the matches of ``finditer`` over the whole text, on every fixture text
    and on every cue phrase in invented contexts (which fail if a first word is left out)."""
    from pharmafacts.extract import companies

    from .conftest import FIXTURES

    texts = [p.read_text(encoding="utf-8") for p in sorted(FIXTURES.glob("*.txt"))] + _cue_texts()
    total = 0
    for text in texts:
        cues = companies.cue_runs(text)
        for pattern in companies._FIRST_WORDS:
            expected = [m.span() for m in pattern.finditer(text)]
            assert [m.span() for m in companies._cued(pattern, text, cues)] == expected, (pattern.pattern[:40], text[:80])
            total += len(expected)
    assert total > 2000


def test_the_company_cue_words_are_runs_of_the_one_pass_over_the_text():
    """The runs the cued company patterns are tried at come from the pass over the text that finds
    where values begin (Analysis.runs), whose words are read from data (lexicon.json:
    company_cue_lists, company_cue_marks), not added by extract.companies as it is imported: the
    same words in a fresh interpreter that has not imported it, and, at those runs, every cued
    pattern finds what ``finditer`` finds on every cue phrase in invented contexts (a Doc of no
    model: the pass reads only the text)."""
    import subprocess
    import sys

    import spacy

    from pharmafacts.extract import companies
    from pharmafacts.extract.context import Analysis

    assert companies._CUE_WORDS == Analysis.run_words
    code = ("import sys; from pharmafacts.extract.context import Analysis; "
            "assert 'pharmafacts.extract.companies' not in sys.modules; print(sorted(Analysis.run_words))")
    fresh = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert fresh.strip() == str(sorted(companies._CUE_WORDS))
    blank = spacy.blank("en")
    for text in _cue_texts():
        cues = Analysis(text, blank.make_doc(text)).runs(companies._CUE_WORDS)
        for pattern in companies._FIRST_WORDS:
            assert [m.span() for m in companies._cued(pattern, text, cues)] == [m.span() for m in pattern.finditer(text)]


@pytest.mark.parametrize(("text", "expected"), MENTIONS)
def test_a_known_name_is_found_again_as_a_whole_word(extract, text, expected):
    company = next(c for c in extract(text).companies if c.name == "Kestrel Pharma")
    assert [m.text for m in company.mentions] == expected


def test_a_site_named_in_part_is_the_same_site(extract):
    doc = extract("The Severn Lake SEZ opened in 2020. Lake SEZ residents pay no tax. The Morrow SEZ is new.")
    assert {s.name: [m.text for m in s.mentions] for s in doc.sites} == {
        "Severn Lake SEZ": ["Severn Lake SEZ", "Lake SEZ"], "Morrow SEZ": ["Morrow SEZ"]}


def test_every_fact_is_grounded(extract):
    text = "Nordvita\u00a0LLC will invest\u00a0over 2\u00a0billion rubles and employ 28\u00a0000\u00a0people.\r\nIt covers 9 200 m²."
    doc = extract(text)
    assert doc.facts
    for f in doc.facts:
        assert text[f.start : f.end] == f.text


SUBJECTS = [
    pytest.param(
        "Velmar (Ostrafarm Group) (12,000 square meters, 120 employees) makes syringes.",
        [("area", "Velmar"), ("jobs", "Velmar")],
        id="bracket-after-member-not-parent",
    ),
    pytest.param(
        "PX-12 (Lindamed biotechnology company) (9,000 square meters, 80 employees) makes tablets. "
        "The company invested over two billion rubles in it.",
        [("area", "PX-12"), ("jobs", "PX-12"), ("investment", "Lindamed")],
        id="owner-in-bracket-is-the-company",
    ),
    pytest.param(
        "Plasmavit LLC raised six billion rubles to build a plant, and Korvel JSC raised 350 million rubles for new machines.",
        [("investment", "Plasmavit"), ("investment", "Korvel")],
        id="two-clauses-two-subjects",
    ),
    pytest.param(
        "Marvena Pharma GmbH, the German subsidiary of the Danish Holmkvist Group, broke ground. Marvena will employ 260 people.",
        [("jobs", "Marvena Pharma")],
        id="short-form-of-name",
    ),
    pytest.param(
        "The Oka Valley SEZ now has 30 residents. SEZ residents have invested more than 24 billion rubles.",
        [("investment", "Oka Valley SEZ")],
        id="residents-of-named-zone",
    ),
    pytest.param(
        "The cluster has grown. Cluster residents have invested more than 24 billion rubles.",
        [("investment", None)],
        id="residents-of-unnamed-cluster",
    ),
    pytest.param(
        "Tomsk, 20 August 2025 — Sibferment LLC launched a plant in the Tomsk SEZ. The investment amounted to "
        "one and a half billion rubles.",
        [("investment", "Sibferment")],
        id="dateline-town-is-not-the-zone-named-after-it",
    ),
    pytest.param(
        "Alabino Park LLC opened a plant.\n\nRegional industry\n\nThe region's plants employ 26,000 people.",
        [("jobs", None)],
        id="heading-resets-topic",
    ),
    pytest.param(
        "Another project at the Dubrava site of the Oka Valley SEZ is the construction of a vaccine center. "
        "The center will cover 13,700 square meters.",
        [("area", "vaccine center")],
        id="the-center-points-at-unnamed-complex",
    ),
]


@pytest.mark.parametrize(("text", "expected"), SUBJECTS)
def test_subjects(extract, text, expected):
    assert [(f.kind, f.subject) for f in extract(text).facts if f.kind != "date"] == expected


def test_prefixed_name_keeps_prefix(extract):
    doc = extract("The second resident, NPK «Sibvakcina», will invest RUB 780 mln in a laboratory.")
    assert [c.name for c in doc.companies] == ["NPK Sibvakcina"]
    assert [(f.value, f.subject) for f in doc.facts] == [(780000000, "NPK Sibvakcina")]


def test_the_plant_after_a_supplier_is_not_the_supplier(extract):
    text = (
        "Belovit CJSC modernised its plant. The equipment was supplied by Kessler Systems GmbH. "
        "The plant's capacity grew to 38 million ampoules a year."
    )
    assert [(f.kind, f.subject) for f in extract(text).facts] == [("capacity", "Belovit")]



def test_project_card_fields(extract):
    text = (
        "Project card\n\nInvestor: Kazpharm Industries LLP\nLocation: Shymkent, Ontustik SEZ\n"
        "Area: 12,000 sq m\nJobs: 300\nInvestment: KZT 18 bn\nStart of construction: April 2025\n"
    )
    doc = extract(text)
    assert [(f.kind, f.value, f.subject) for f in doc.facts] == [
        ("area", 12000, "Kazpharm Industries"),
        ("jobs", 300, "Kazpharm Industries"),
        ("investment", 18000000000, "Kazpharm Industries"),
        ("date", "2025-04", "Kazpharm Industries"),
    ]


def test_parent_named_with_a_place_adjective(extract):
    doc = extract("Kazpharm Industries LLP, a subsidiary of the Astana-based Qazaq Med Holding, will produce infusions.")
    assert {c.name: c.parent for c in doc.companies} == {"Kazpharm Industries": "Qazaq Med Holding", "Qazaq Med Holding": None}


def test_chinese_mu_and_yuan(extract):
    doc = extract("Jiangsu Medixin Pharmaceutical Co., Ltd. opened a base that covers 320 mu, a total investment of 1.6 billion yuan.")
    assert [(f.kind, f.value, f.unit) for f in doc.facts] == [("area", 213333.33, "m2"), ("investment", 1600000000, "CNY")]


TITLES = [
    pytest.param("Subscribe to our newsletter\n\nNordvita opens plant\n\nText.", "Nordvita opens plant", id="after-boilerplate"),
    pytest.param("Home / Press center / News\nNordvita opens plant\n", "Nordvita opens plant", id="after-breadcrumbs"),
    pytest.param("You will receive:\n- a digest\nNordvita opens plant\n", "Nordvita opens plant", id="after-lead-in-and-list"),
    pytest.param("PRESS RELEASE\n\nNordvita opens plant\n", "Nordvita opens plant", id="after-press-release-label"),
]


@pytest.mark.parametrize(("text", "expected"), TITLES)
def test_title(extract, text, expected):
    assert extract(text).title == expected


def test_jobs_and_capacity_facts_read_with_their_noun(extract):
    doc = extract("Nordvita LLC will employ 342 employees and make up to 5 million vials a year.")
    assert [(f.kind, f.text) for f in doc.facts] == [("jobs", "342 employees"), ("capacity", "up to 5 million vials")]


WRAPPED = [
    pytest.param("Nordvita LLC joined the Kestrel park last year. On the plot of\nthe new complex on the southern edge of town, with an area of 4.2\n"
                 "hectares, the company will make tablets.", 2, id="hard-wrapped-lines-are-one-sentence"),
    pytest.param("Nordvita expands\nnew plant opens in Halden.\nThe plant will employ 300 people.", 3, id="a-short-line-is-a-heading"),
    pytest.param("Nordvita LLC will build a plant in the Kestrel park next year.\nthe plant will employ 300 people.", 2, id="a-full-stop-ends-the-line"),
]


@pytest.mark.parametrize(("text", "sentences"), WRAPPED)
def test_line_breaks_inside_a_wrapped_sentence(extractor, text, sentences):
    assert len(list(extractor.nlp(text).sents)) == sentences


def test_a_figure_across_a_wrapped_line_goes_to_the_company_acting(extract):
    text = WRAPPED[0].values[0]
    assert [(f.kind, f.value, f.subject) for f in extract(text).facts] == [("area", 42000, "Nordvita")]


def test_entity_texts_and_labels_read_off_the_offsets_are_the_spans_and_tokens_texts(extractor):
    """Analysis.entity_texts and entity_labels read the text at the entities' and tokens' offsets:
    the same as Span.text and Token.text, whitespace and line breaks inside an entity included."""
    from .conftest import FIXTURES
    from pharmafacts.extract.context import Analysis
    from pharmafacts.nlp import parse

    texts = ["Velmar Biologics  GmbH signed with Kordis\nPharma in Marlow, Ohio, on 3 May 2025; Ivan Petrov spoke.",
             *(p.read_text(encoding="utf-8") for p in sorted(FIXTURES.glob("*.txt")))]
    for text in texts:
        doc = parse(extractor.nlp, text)
        an = Analysis(doc.text, doc)
        assert an.ents, text[:40]
        by_span: dict[str, set[str]] = {}
        by_token: dict[str, set[str]] = {}
        for e in doc.ents:
            by_span.setdefault(e.text, set()).add(e.label_)
            for t in e:
                by_token.setdefault(t.text, set()).add(e.label_)
        assert an.entity_texts == by_span
        assert an.entity_labels == by_token


def test_cue_runs_come_from_the_pass_that_finds_where_values_begin(extractor):
    """Analysis.runs gives what companies.cue_runs gives, from the one pass over the text that finds
    where quantities and dates can begin (which finds the same places as before)."""
    from pharmafacts.extract import companies
    from pharmafacts.extract.context import Analysis
    from pharmafacts.nlp import parse
    from pharmafacts.values import dates as value_dates
    from pharmafacts.values import quantities
    from pharmafacts.values._scan import starts, starts_of

    from .conftest import FIXTURES

    texts = ["The company Velmar Ltd, the firm, Kordis, LLC and 20 OOO «Ostrafarm» (2024) paid $5 million on 3 May.",
             "İn the ſame year THE Company, ² and ½ of the residents of the park", "",
             *(p.read_text(encoding="utf-8") for p in sorted(FIXTURES.glob("*.txt")))]
    for text in texts:
        doc = parse(extractor.nlp, text)
        an = Analysis(doc.text, doc)
        assert an.runs(companies._CUE_WORDS) == companies.cue_runs(text)
        assert an.runs(frozenset({"the"})) == [(at, w) for at, w in companies.cue_runs(text) if w == "the"]
        q, d, cues = starts_of(text, (quantities.FIRST_WORDS, value_dates.FIRST_WORDS), runs=companies._CUE_WORDS)
        assert (q, d) == (list(starts(text, quantities.FIRST_WORDS)), list(starts(text, value_dates.FIRST_WORDS)))
        assert (q, d) == (an._value_starts[0], an.date_starts) and cues == companies.cue_runs(text)
    assert starts_of("5 LLC", (frozenset(),), runs=frozenset({"5", "llc"})) == ([0], [(0, "5"), (2, "llc")])
    with pytest.raises(ValueError):
        an.runs(frozenset({"no such cue word"}))
