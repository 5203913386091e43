"""Known entities: an analyst's watch list, or the registry ``consolidate --write-entities`` wrote.

``pharmafacts extract --entities FILE`` reads it; every name and alias in it is then found
in every text (``extract/known.py``) and counts as a company or site mention. The file is
JSON (``{"entities": [...]}`` or a bare list) or CSV (a header row with ``name``, ``aliases``,
``kind``, ``parent``; aliases joined by ``"; "``). No spaCy here.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .errors import PathError

EntityKind = Literal["company", "site", "sez", "park", "complex", "cluster"]
CSV_COLUMNS = ("name", "aliases", "kind", "parent")
ALIAS_SEPARATOR = "; "


class EntitiesFileError(PathError):
    """A known-entities file that cannot be read or is not a list of entities."""


class KnownEntity(BaseModel):
    """One company or site the analyst knows about."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, description="The canonical name, as it should stand in the output.")
    aliases: list[str] = Field(default_factory=list, description="Other names found in texts as this entity.")
    kind: EntityKind = Field(default="company", description="'company', or a site kind ('site', 'sez', 'park', 'complex', 'cluster').")
    parent: str | None = Field(default=None, description="A company's group, or the larger site a site is part of.")

    @field_validator("name", "parent", mode="before")
    @classmethod
    def _strip(cls, v):
        return " ".join(v.split()) or None if isinstance(v, str) else v

    @field_validator("aliases", mode="before")
    @classmethod
    def _split(cls, v):
        if isinstance(v, str):  # a CSV cell
            v = v.split(ALIAS_SEPARATOR.strip())
        return [" ".join(a.split()) for a in v if isinstance(a, str) and a.strip()] if isinstance(v, list) else v

    @property
    def is_company(self) -> bool:
        return self.kind == "company"


class EntitiesFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    entities: list[KnownEntity]


def read_entities(path: str) -> list[KnownEntity]:
    """The entities of a JSON or CSV file (CSV when the name ends in ``.csv``).

    Raises :class:`EntitiesFileError` with a one-line reason."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as err:
        raise EntitiesFileError(path, (err.strerror or str(err)).lower()) from None
    except UnicodeDecodeError:
        raise EntitiesFileError(path, "not UTF-8 text") from None
    try:
        if path.lower().endswith(".csv"):
            rows = list(csv.DictReader(io.StringIO(text, newline="")))
            if rows and "name" not in rows[0]:
                raise EntitiesFileError(path, "no 'name' column in the header row")
            return [KnownEntity.model_validate({k: v for k, v in row.items() if k and v not in (None, "")}) for row in rows]
        data = json.loads(text)
        return EntitiesFile.model_validate({"entities": data} if isinstance(data, list) else data).entities
    except json.JSONDecodeError as err:
        raise EntitiesFileError(path, f"not JSON (line {err.lineno}: {err.msg})") from None
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "top level"
        raise EntitiesFileError(path, f"not a list of entities ({where}: {first['msg']})") from None


def dumps_entities(entities: Iterable[KnownEntity], csv_format: bool = False) -> str:
    """The text of an entities file that :func:`read_entities` reads back."""
    entities = list(entities)
    if not csv_format:
        return json.dumps({"entities": [e.model_dump() for e in entities]}, indent=2, ensure_ascii=False) + "\n"
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for e in entities:
        writer.writerow([e.name, ALIAS_SEPARATOR.join(e.aliases), e.kind, e.parent or ""])
    return out.getvalue()
