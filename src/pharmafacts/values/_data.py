"""Loads the lookup tables in ``pharmafacts/data`` once (no project imports)."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any


@cache
def load(name: str) -> dict[str, Any]:
    """Return the JSON table ``pharmafacts/data/<name>.json`` without its ``_source`` note."""
    raw = resources.files("pharmafacts").joinpath("data").joinpath(f"{name}.json").read_text(encoding="utf-8")
    return {k: v for k, v in json.loads(raw).items() if not k.startswith("_")}
