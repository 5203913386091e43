"""One base exception; every message names the thing and the reason in one line."""

from __future__ import annotations


class PharmafactsError(Exception):
    """Base class of every error pharmafacts raises on purpose."""


class LoadError(PharmafactsError):
    """A source could not be read or decoded. ``str(err)`` is one line: ``PATH: reason``."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


class ModelError(PharmafactsError):
    """No usable spaCy pipeline could be loaded."""
