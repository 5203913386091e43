"""One base exception; every message names the thing and the reason in one line."""

from __future__ import annotations


def one_line(text: str) -> str:
    """``text`` with line breaks, other controls and undecodable bytes escaped (``\\n``, ``\\udcff``),
    so that a message naming an odd file name stays one printable line."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


def os_reason(err: OSError) -> str:
    """An OSError as a reason in the style of every message: 'Permission denied' -> 'permission denied'."""
    text = err.strerror or str(err) or type(err).__name__
    return text[:1].lower() + text[1:]


class PharmafactsError(Exception):
    """Base class of every error pharmafacts raises on purpose."""


class PathError(PharmafactsError):
    """Something went wrong with one file. ``str(err)`` is one line: ``PATH: reason``."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{one_line(path)}: {one_line(reason)}")

    def __reduce__(self):  # pickled as (path, reason), the arguments it is made from (worker processes send it back)
        return type(self), (self.path, self.reason)


class LoadError(PathError):
    """A source could not be read or decoded: it is reported and the other files go on."""


class NotTextError(LoadError):
    """A source that is not a text file at all (an image, an archive, binary data, a FIFO,
    a socket, a device). It is skipped with a warning, not counted as a failure."""


class NoMatchError(LoadError):
    """A directory given where no file matches the pattern (``--glob``): said, and a failure,
    since a run that reads nothing is a mistake more often than not."""

    def __init__(self, path: str, pattern: str) -> None:
        super().__init__(path, f"no files matched {pattern}")
        self.args = (f"no files matched {one_line(pattern)} under {one_line(path)}",)

    def __str__(self) -> str:
        return self.args[0]


class WorkerError(LoadError):
    """A document lost with the worker process extracting it (``--jobs N``: the process was
    killed, e.g. by the out-of-memory killer, twice). It is reported as failed; the other
    documents go on."""


class OutputError(PathError):
    """The output file (``-o FILE``) could not be written."""


class ModelError(PharmafactsError):
    """No usable spaCy pipeline could be loaded."""


class DaskUnavailable(PharmafactsError):
    """``--dask`` or :mod:`pharmafacts.distributed` without Dask installed (the ``dask`` extra)."""


class ClusterError(PharmafactsError):
    """The Dask scheduler could not be reached."""
