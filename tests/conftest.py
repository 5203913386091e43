"""Shared fixtures: the spaCy pipeline is loaded once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"


@pytest.fixture(scope="session")
def extractor():
    from pharmafacts import Extractor

    return Extractor()


@pytest.fixture(scope="session")
def extract(extractor):
    """extract("text") -> DocumentFacts, with the session's pipeline."""
    return extractor.extract_text
