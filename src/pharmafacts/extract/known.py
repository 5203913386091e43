"""Mentions of known entities (``extract --entities FILE``): every name and alias of the file,
found token by token in the text by a spaCy PhraseMatcher, is a company or site mention with
the rule ``known_entity``."""

from __future__ import annotations

from spacy.language import Language
from spacy.util import filter_spans

from ..entities import KnownEntity
from ..nlp import phrase_matcher
from .context import Analysis, EntityMention

RULE = "known_entity"


class KnownEntities:
    """The matcher of a list of known entities, built once per pipeline."""

    def __init__(self, nlp: Language, entities: list[KnownEntity]) -> None:
        self.entities = list(entities)
        self._labels = {f"pharmafacts_known_{i}": e for i, e in enumerate(self.entities)}
        self._matcher = phrase_matcher(nlp, {label: [e.name, *e.aliases] for label, e in self._labels.items()})

    def mentions(self, an: Analysis) -> list[EntityMention]:
        """One mention per match; of overlapping matches the longest (then the first) is kept."""
        out = []
        for span in filter_spans(self._matcher(an.doc, as_spans=True)):
            e = self._labels[span.label_]
            company = e.is_company
            out.append(EntityMention(
                span.start_char, span.end_char, e.name, e.kind, RULE,
                parent=e.parent if company else None, part_of=None if company else e.parent,
                alias_of=e.name if span.text != e.name else None,
            ))
        return out
