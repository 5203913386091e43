"""Quality floors: the figures on real articles may rise but never fall unnoticed.

The team's sets of real articles with gold (``../shared/dev``: thirty articles; ``../shared/seeds``
with ``../shared/gold``: the five seed texts) lie beside the checkout, never inside the project.
Where they are, every test here extracts them with the session's pipeline, scores them as
``pharmafacts eval`` does (the reference scorer's figures) and compares each figure with its
floor in ``quality_floors.json``; where they are not, the tests are skipped with the reason.
Raise a floor when a change lifts the figure; never lower one to make a change pass.
"""

from __future__ import annotations

import json

import pytest

from pharmafacts.evaluate import BASELINE, load_gold, score
from pharmafacts.load import read_source

from .conftest import ROOT

SHARED = ROOT.parent / "shared"
SETS = {"dev": (SHARED / "dev" / "gold", SHARED / "dev" / "docs"), "seeds": (SHARED / "gold", SHARED / "seeds")}
FLOORS = json.loads((ROOT / "tests" / "quality_floors.json").read_text(encoding="utf-8"))
MARGIN = "ALL facts+subject over the topic baseline"  # what the subject rules add over that line


def figures(report) -> dict[str, float]:
    totals = report.totals()
    out = {name: c.f1 for name, c in totals.items()}
    out[MARGIN] = totals["ALL facts+subject"].f1 - totals[BASELINE].f1
    ok, total = report.grounded
    out["grounded"] = ok / total if total else 1.0
    return out


@pytest.fixture(scope="module", params=sorted(FLOORS["sets"]))
def scored(request, extractor):
    name = request.param
    gold_dir, docs_dir = SETS[name]
    if not gold_dir.is_dir() or not docs_dir.is_dir():
        pytest.skip(f"the {name} set ({gold_dir.parent}) is not beside this checkout")
    gold = load_gold(gold_dir)
    sources = [read_source(str(docs_dir / g.doc)) for g in gold]
    report = score(gold, extractor.extract_sources(sources), {g.stem: s.text for g, s in zip(gold, sources)})
    return name, figures(report)


def test_every_figure_is_at_or_above_its_floor(scored):
    name, actual = scored
    below = {metric: (round(actual[metric], 3), floor) for metric, floor in FLOORS["sets"][name].items() if actual[metric] < floor - 1e-9}
    assert not below, f"{name}: figures below their floors (actual, floor): {below}"


def test_floors_name_real_figures():
    """A floor with a misspelt name would never be checked."""
    known = {"companies", "sites", "ALL facts", "ALL facts+subject", MARGIN, "grounded"}
    known |= {k for kind in ("area", "jobs", "investment", "date", "capacity") for k in (kind, f"{kind}+subject")}
    for name, floors in FLOORS["sets"].items():
        assert name in SETS
        assert set(floors) <= known, set(floors) - known
