"""Documents through a Dask cluster: the same records as one process, in the same order.

Two ways in, one worker-side function (:func:`extract_partition`):

- :func:`extract_bag` gives a ``dask.bag`` of :class:`DocumentFacts` for users who build their
  own Dask pipelines; the paths may be local or any fsspec URL (``s3://bucket/news/``) that the
  workers can read.
- :func:`extract_paths` (what ``pharmafacts extract --dask`` runs) sends partitions of files to
  a :class:`distributed.Client` a few at a time and yields the records in input order, so memory
  in the client does not grow with the number of documents; a file that cannot be read goes to
  ``on_error``, in order, as with one process.

The workers read the files themselves (shared storage, or fsspec URLs): only path names travel
to them, and only records come back. Each worker process loads the spaCy pipeline once and keeps
it (:func:`worker_extractor`); :class:`PipelinePlugin` loads it as the worker starts. A worker
lost mid-run costs nothing but time: a partition is a pure function of its paths, so Dask runs
the lost ones again elsewhere.

A local cluster (:func:`local_cluster`, ``--dask local``) forks its worker processes from a fork
server that has imported Dask and loaded the pipeline once (:mod:`pharmafacts._forkserver`), as
``--jobs`` forks its workers from a process that has loaded it: the workers start with the model
in pages they share, and a worker the nanny starts again after a crash, or one the cluster adds
later, has it at once. The command starts that server before it imports Dask itself, so the two
overlap.

Dask is an optional extra (``pip install "pharmafacts[dask]"``): without it this module still
imports (the CLI imports it only for ``--dask``), and :func:`require_dask` says in one line what
to install.
"""

from __future__ import annotations

import logging
import os
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import replace
from functools import cache
from itertools import islice
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Union

from . import _forkserver
from ._forkserver import WORKER_CONFIG
from .errors import ClusterError, DaskUnavailable, LoadError, WorkerError, os_reason
from .load import STDIN, Source, decode, expand_paths, read_source
from .records import DocumentFacts

if TYPE_CHECKING:
    import dask.bag
    from distributed import Client

    from .entities import KnownEntity

try:  # the plugin must be a WorkerPlugin for Client.register_plugin; without Dask it is never registered
    from distributed import WorkerPlugin as _WorkerPlugin
except ImportError:
    _WorkerPlugin = object  # type: ignore[misc,assignment]

log = logging.getLogger("pharmafacts")
INSTALL_HINT = 'Dask is not installed: pip install "pharmafacts[dask]"'
PARTITION_DOCS = 8  # documents per task: about half a second of model time, against about a millisecond of scheduling
AHEAD = 2  # partitions in flight per worker thread in extract_paths: one being worked on, one waiting

# What travels to a worker for one document: the name the records carry and the path or URL the
# worker reads (an absolute path, so that a worker's working directory does not matter), or a
# Source the client has already read (standard input).
Item = Union[tuple[str, str], Source]
Result = Union[DocumentFacts, LoadError]

# WORKER_CONFIG: the Dask configuration for a cluster that runs pharmafacts, and why
# (pharmafacts._forkserver, whose server applies it before it imports Dask).
_FORKED = {"distributed.worker.multiprocessing-method": "forkserver"}
_LOST = "every worker that extracted it died (killed, or out of memory)"
_SLOW_SCRATCH = "Creating scratch directories"
_lock = threading.Lock()  # one pipeline per process, used by one thread at a time (spaCy's memory zones are per pipeline)
_extractors: dict[tuple, object] = {}


def require_dask() -> None:
    """Raise :class:`DaskUnavailable` with the one line that says what to install."""
    try:
        import dask.bag  # noqa: F401
        import distributed  # noqa: F401
    except ImportError:
        raise DaskUnavailable(INSTALL_HINT) from None


def _is_url(path: str) -> bool:
    return "://" in path


def worker_extractor(model: str | None = None, entities: Sequence[KnownEntity] | None = None):
    """This process's :class:`~pharmafacts.api.Extractor` for ``model`` (and known ``entities``),
    made on first use and kept; the pipeline itself is loaded once per process whatever the entities."""
    key = (model, tuple(e.model_dump_json() for e in entities or ()))
    extractor = _extractors.get(key)
    if extractor is None:
        from .api import Extractor

        extractor = _extractors[key] = Extractor(model, entities=list(entities or ()))
    return extractor


class PipelinePlugin(_WorkerPlugin):
    """A Dask worker plugin that loads the pipeline as a worker starts (also one that joins or is
    restarted later): ``client.register_plugin(PipelinePlugin(model))``. Without it each worker
    loads the pipeline at its first task; either way once per worker process."""

    idempotent = True

    def __init__(self, model: str | None = None) -> None:
        self.model = model
        self.name = f"pharmafacts-pipeline-{model or 'default'}"

    def setup(self, worker=None) -> None:
        with _lock:
            worker_extractor(self.model)

    def teardown(self, worker=None) -> None:
        pass


def _read(item: Item | LoadError) -> Source:
    """One document on the worker; a LoadError names the file as the user gave it."""
    if isinstance(item, Source):
        return item
    if isinstance(item, LoadError):  # found by the client (a directory it could not list, standard input)
        raise item
    name, path = item
    try:
        if _is_url(path):
            import fsspec

            try:
                with fsspec.open(path, "rb") as f:
                    data = f.read()
            except FileNotFoundError:
                raise LoadError(name, "no such file") from None
            except (OSError, ValueError) as err:
                raise LoadError(name, os_reason(err) if isinstance(err, OSError) else str(err)) from None
            text, warnings = decode(data, name)
            return Source(name, text, warnings)
        return replace(read_source(path), path=name)
    except LoadError as err:
        if err.path == name:
            raise
        raise type(err)(name, err.reason) from None


def extract_partition(items: Sequence[Item | LoadError], model: str | None = None,
                      entities: Sequence[KnownEntity] | None = None) -> list[Result]:
    """The worker's task: each item's record, or the LoadError that kept it from being read, in order."""
    results: list[Result | None] = []
    sources: list[Source] = []
    for item in items:
        try:
            sources.append(_read(item))
            results.append(None)
        except LoadError as err:
            results.append(err)
    with _lock:
        records = iter(list(worker_extractor(model, entities).extract_sources(sources, batch_size=max(1, len(sources)))))
    return [r if r is not None else next(records) for r in results]


def expand(paths: Iterable[str], pattern: str = "*.txt", on_error: Callable[[LoadError], None] | None = None) -> Iterator[str]:
    """The files named by ``paths`` (local paths as :func:`pharmafacts.load.expand_paths` finds them,
    fsspec URLs: a file, or a directory searched recursively), each in sorted order."""
    for path in paths:
        if not _is_url(path):
            yield from expand_paths([path], pattern, on_error)
            continue
        import fsspec

        fs, _, (root,) = fsspec.core.get_fs_token_paths(path)
        if not fs.isdir(root):
            yield path
            continue
        for found in sorted(fs.find(root)):
            if PurePosixPath(found).match(pattern):
                yield fs.unstrip_protocol(found)


def _items(paths: Iterable[str], pattern: str) -> Iterator[Item | LoadError]:
    """What each document's task gets, in input order; a path that cannot be listed or read here
    is its LoadError, in its place."""
    errors: list[LoadError] = []
    for path in expand(paths, pattern, errors.append):
        yield from errors
        errors.clear()
        if path == STDIN:
            try:
                yield read_source(STDIN)
            except LoadError as err:
                yield err
        elif _is_url(path):
            yield (path, path)
        else:
            yield (path, os.path.abspath(path))
    yield from errors


def extract_bag(paths: Iterable[str] | str, pattern: str = "*.txt", model: str | None = None,
                partition_size: int = PARTITION_DOCS, errors: str = "skip",
                entities: Sequence[KnownEntity] | None = None) -> dask.bag.Bag:
    """A ``dask.bag`` of the records of every text under ``paths`` (files, directories, fsspec
    URLs), in input order. The paths are listed now, in this process; the files are read by the
    workers. ``errors="skip"`` leaves out the files that cannot be read, ``"keep"`` keeps their
    :class:`~pharmafacts.errors.LoadError` in their place. ``entities``: known companies and
    sites found in every text, as ``extract --entities``.

    >>> from pharmafacts.output import document_json
    >>> extract_bag(["news/"]).map(document_json).to_textfiles("out/*.jsonl", last_endline=True)  # doctest: +SKIP
    """
    require_dask()
    import dask.bag as db

    if errors not in ("skip", "keep"):
        raise ValueError(f"errors must be 'skip' or 'keep', not {errors!r}")
    if isinstance(paths, str):
        paths = [paths]
    items = list(_items(paths, pattern))
    bag = db.from_sequence(items, partition_size=partition_size).map_partitions(extract_partition, model, entities)
    if errors == "skip":
        bag = bag.filter(_is_record)
    return bag


def _is_record(result: Result) -> bool:
    if isinstance(result, LoadError):
        log.warning("%s", result)  # in the log of the worker or process that ran the partition
        return False
    return True


def extract_paths(paths: Iterable[str], client: Client, pattern: str = "*.txt", model: str | None = None,
                  on_error: Callable[[LoadError], None] | None = None,
                  partition_size: int = PARTITION_DOCS, entities: Sequence[KnownEntity] | None = None) -> Iterator[DocumentFacts]:
    """The records of every text under ``paths``, in input order, worked out on ``client``'s cluster.

    Partitions are submitted as the paths are listed, a few per worker thread ahead of the one
    being yielded, so memory here stays flat however many documents there are. A file that
    cannot be read (or a directory that cannot be listed) goes to ``on_error`` in its place.
    ``entities``: known companies and sites found in every text, as ``extract --entities``.
    """
    handler = on_error or _raise
    threads = max(1, sum(client.nthreads().values()))
    pending: deque = deque()

    def drain(future, part: list[Item | LoadError]) -> Iterator[DocumentFacts]:
        try:
            results = future.result()
        except KilledWorker:  # every worker that ran it died (Dask's allowed-failures): as `--jobs`, reported per document
            results = [x if isinstance(x, LoadError) else WorkerError(_name(x), _LOST) for x in part]
        for result in results:
            if isinstance(result, LoadError):
                handler(result)
            else:
                yield result

    from distributed import KilledWorker

    items = _items(paths, pattern)
    while part := list(islice(items, partition_size)):
        pending.append((client.submit(extract_partition, part, model, entities, pure=False), part))
        if len(pending) >= threads * AHEAD:
            yield from drain(*pending.popleft())
    while pending:
        yield from drain(*pending.popleft())


def _name(item: Item) -> str:
    return item.path if isinstance(item, Source) else item[0]


def _raise(err: LoadError) -> None:
    raise err


class _HeldConfig:
    """Dask settings kept in its configuration while any of their holders runs: one
    ``dask.config.set`` for all the local clusters of this process alive at once (the first one's
    settings: they are the same for all), left when the last one has closed, so that clusters whose
    lives overlap do not undo each other's."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._holders = 0
        self._set = None

    def hold(self, config: dict) -> None:
        import dask

        with self._lock:
            if self._holders == 0:
                self._set = dask.config.set(config)
            self._holders += 1

    def release(self) -> None:
        with self._lock:
            self._holders -= 1
            if self._holders == 0:
                self._set.__exit__(None, None, None)
                self._set = None


_cluster_config = _HeldConfig()


@cache
def _cluster_class():
    from distributed import LocalCluster

    class PharmafactsCluster(LocalCluster):
        """A ``LocalCluster`` whose settings (:func:`local_cluster`) stay in Dask's configuration
        until it has closed: a nanny reads them as it is made (a worker added later, by ``scale``
        or ``adapt``) and the multiprocessing method each time it starts a worker process (one
        started again after a crash), not only while the cluster is being made."""

        _holds_config = False

        async def _close(self):
            try:
                await super()._close()
            finally:
                if self._holds_config:
                    self._holds_config = False
                    _cluster_config.release()

    return PharmafactsCluster


def local_cluster(workers: int, model: str | None = None):
    """A ``distributed.LocalCluster`` of ``workers`` single-threaded worker processes, listening on
    the loopback interface only (its HTTP server too, on a free port), with its logs silenced and
    :data:`WORKER_CONFIG`. Where the platform has a fork server (:mod:`pharmafacts._forkserver`,
    started here for ``model`` unless one is running), the workers are forked from it with the
    pipeline loaded: every worker process the cluster ever starts, also one added later or started
    again after a crash. Until the cluster is closed these settings are in Dask's configuration
    for the whole process (another ``LocalCluster`` made in it meanwhile has them too)."""
    require_dask()
    import warnings

    # On a busy machine Dask warns that its scratch directories took over a second to create:
    # not the user's business in a command whose cluster lives as long as the run.
    warnings.filterwarnings("ignore", message=_SLOW_SCRATCH)
    config = {"distributed.nanny.pre-spawn-environ.PYTHONWARNINGS": f"ignore:{_SLOW_SCRATCH}", **WORKER_CONFIG}
    _forkserver.start(model)
    if _forkserver.running():
        config.update(_FORKED)
        import distributed.utils

        # A server is running: Dask is not to import numpy, pandas and lz4 here to set them as its preload.
        distributed.utils._forkserver_preload_set = True
    _cluster_config.hold(config)
    try:
        cluster = _cluster_class()(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                                   dashboard_address="127.0.0.1:0", silence_logs=logging.CRITICAL)
    except BaseException:
        _cluster_config.release()
        raise
    cluster._holds_config = True
    return cluster


@contextmanager
def connect(address: str, workers: int = 1, model: str | None = None) -> Iterator[Client]:
    """A client of the scheduler at ``address`` (``tcp://host:8786``), or of a new
    :func:`local_cluster` of ``workers`` processes for ``"local"``, with :class:`PipelinePlugin`
    registered: every worker has loaded the pipeline before the first file is sent, and a worker
    without the model fails here with its :class:`~pharmafacts.errors.ModelError`, before any
    output. Closed (the local cluster stopped) on leaving.

    For ``"local"``, a fork server started here for the workers (:func:`local_cluster`) is
    stopped on leaving, after the cluster."""
    own_forkserver = address == "local" and _forkserver.start(model)
    try:
        require_dask()
        from distributed import Client

        cluster = None
        if address == "local":
            cluster = local_cluster(workers, model)
            client = Client(cluster)
        else:
            try:
                client = Client(address)
            except (OSError, ValueError) as err:  # refused, timed out, or not an address
                raise ClusterError(f"cannot reach the Dask scheduler at {address}: {err}") from None
        try:
            plugin = PipelinePlugin(model)
            try:
                client.register_plugin(plugin)
            except BaseException:  # no such model on a worker: leave no plugin behind that every new worker would fail
                with suppress(Exception):
                    client.unregister_worker_plugin(plugin.name)
                raise
            yield client
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
    finally:
        if own_forkserver:
            _forkserver.stop()
