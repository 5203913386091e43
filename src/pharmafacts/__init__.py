"""pharmafacts: turn pharmaceutical-industry news texts into grounded, normalised fact records.

>>> from pharmafacts import extract_text
>>> doc = extract_text("Nordvita LLC opened a plant of 12,000 square meters. It will employ 250 people.")
>>> [(f.kind, f.value, f.subject) for f in doc.facts]
[('area', 12000, 'Nordvita'), ('jobs', 250, 'Nordvita')]
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"

__all__ = [
    "Company",
    "DocumentFacts",
    "ExtractionOutput",
    "Extractor",
    "Fact",
    "LoadError",
    "NotTextError",
    "PharmafactsError",
    "Site",
    "Span",
    "__version__",
    "document_json",
    "extract_paths",
    "extract_text",
]

if TYPE_CHECKING:
    from .api import Extractor, extract_paths, extract_text
    from .errors import LoadError, NotTextError, PharmafactsError
    from .output import document_json
    from .records import Company, DocumentFacts, ExtractionOutput, Fact, Site, Span


def __getattr__(name: str):
    # Lazy: `pharmafacts --help` and `import pharmafacts` do not import spaCy.
    if name in ("Extractor", "extract_paths", "extract_text"):
        from . import api

        return getattr(api, name)
    if name in ("LoadError", "NotTextError", "PharmafactsError"):
        from . import errors

        return getattr(errors, name)
    if name == "document_json":
        from .output import document_json

        return document_json
    if name in ("Company", "DocumentFacts", "ExtractionOutput", "Fact", "Site", "Span"):
        from . import records

        return getattr(records, name)
    raise AttributeError(f"module 'pharmafacts' has no attribute {name!r}")
