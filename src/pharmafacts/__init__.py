"""pharmafacts: turn pharmaceutical-industry news texts into grounded, normalised fact records.

>>> from pharmafacts import extract_text
>>> doc = extract_text("Nordvita LLC opened a plant of 12,000 square meters. It will employ 340 people.")
>>> [(f.kind, f.value, f.subject) for f in doc.facts]
[('area', 12000, 'Nordvita'), ('jobs', 340, 'Nordvita')]
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"

# The errors are those the library raises or hands to ``on_error``: ``ModelError`` (no model installed),
# ``LoadError`` (a file not read), its kinds ``NotTextError`` (skipped), ``NoMatchError`` (a directory
# where nothing matches the pattern) and ``WorkerError`` (a document lost with its worker process,
# ``jobs`` > 1 or Dask), and ``DaskUnavailable`` / ``ClusterError`` from :mod:`pharmafacts.distributed`.
_ERRORS = ("ClusterError", "DaskUnavailable", "LoadError", "ModelError", "NoMatchError", "NotTextError",
           "PharmafactsError", "WorkerError")

__all__ = [
    "ClusterError",
    "Company",
    "DaskUnavailable",
    "DocumentFacts",
    "ExtractionOutput",
    "Extractor",
    "Fact",
    "LoadError",
    "ModelError",
    "NoMatchError",
    "NotTextError",
    "PharmafactsError",
    "Site",
    "Span",
    "WorkerError",
    "__version__",
    "document_json",
    "extract_paths",
    "extract_text",
]

if TYPE_CHECKING:
    from .api import Extractor, extract_paths, extract_text
    from .errors import (ClusterError, DaskUnavailable, LoadError, ModelError, NoMatchError, NotTextError, PharmafactsError,
                         WorkerError)
    from .output import document_json
    from .records import Company, DocumentFacts, ExtractionOutput, Fact, Site, Span


def __getattr__(name: str):
    # Lazy: `pharmafacts --help` and `import pharmafacts` do not import spaCy.
    if name in ("Extractor", "extract_paths", "extract_text"):
        from . import api

        return getattr(api, name)
    if name in _ERRORS:
        from . import errors

        return getattr(errors, name)
    if name == "document_json":
        from .output import document_json

        return document_json
    if name in ("Company", "DocumentFacts", "ExtractionOutput", "Fact", "Site", "Span"):
        from . import records

        return getattr(records, name)
    raise AttributeError(f"module 'pharmafacts' has no attribute {name!r}")
