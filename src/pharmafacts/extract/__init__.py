"""Extractors: one module per fact kind, each with ``extract(an) -> list[RawFact]``, and the mention finders.

``FACT_EXTRACTORS`` is the registry of fact kinds, in the order of ``records.FACT_KINDS`` (a test
keeps the two equal): a new kind is one module here, its word lists in ``data/``, and one entry in
each. Dates alone take a second argument, the dates ``dates.find`` read once for the whole text
(they also give the document's own date).
"""

from __future__ import annotations

from . import area, capacity, dates, investment, jobs

FACT_EXTRACTORS = {
    "area": area.extract,
    "jobs": jobs.extract,
    "investment": investment.extract,
    "date": dates.extract,
    "capacity": capacity.extract,
}
