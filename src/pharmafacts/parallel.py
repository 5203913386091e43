"""Documents through a pool of worker processes: same results, same order, bounded memory.

Each worker loads the spaCy pipeline once (or inherits it from the parent where
processes are forked) and runs everything after loading: the model and
``build_document``. The parent reads the files, hands them out in batches and
yields the finished records in input order, keeping at most a few batches per
worker in flight, so that memory does not grow with the number of documents.

Faults: a worker that dies (killed, or by the out-of-memory killer) breaks the pool;
the parent notices at once (``concurrent.futures`` raises ``BrokenProcessPool`` where
``multiprocessing.Pool`` would wait forever), starts a new pool and runs the unfinished
documents again, one at a time: a document whose worker dies a second time is reported
as failed (:class:`~pharmafacts.errors.WorkerError`) and the others go on. Workers
exit quietly when the parent dies (Linux: the parent-death signal).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING

from .errors import LoadError, WorkerError
from .load import Source
from .records import DocumentFacts

if TYPE_CHECKING:  # not imported at run time: `--dask local` reads resolve_jobs here, in a client that needs no spaCy
    from spacy.language import Language

TASK_DOCS = 8  # documents handed to a worker at a time: small enough to share the last ones out evenly
TASK_CHARS = 200_000  # a task also ends once its texts reach this many characters
AHEAD = 2  # tasks in flight per worker: one being worked on, one waiting
_PR_SET_PDEATHSIG = 1  # prctl(2) option: a signal sent to this process when its parent dies

_nlp: Language | None = None  # the parent's pipeline, inherited by forked workers
_extractor = None  # the worker's Extractor


def resolve_jobs(jobs: int) -> int:
    """``jobs`` as a number of processes: 0 means one per available core."""
    if jobs < 0:
        raise ValueError(f"jobs must be 0 or more, not {jobs}")
    if jobs:
        return jobs
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _die_with_parent(parent: int) -> None:
    """Linux: be sent SIGTERM (default action: exit at once, no traceback) when the parent dies."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):  # not Linux: the worker ends when it next reads its queue
        return
    if os.getppid() != parent:  # the parent died before the signal was asked for
        os._exit(1)


def _init(model: str | None, parent: int, entities: list | None = None) -> None:
    global _extractor
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's handler, inherited by fork
    _die_with_parent(parent)
    from . import _malloc

    _malloc.keep_batch_memory()  # a worker is ours and runs batch after batch (forked from the command, it already has it)
    from .api import Extractor

    _extractor = Extractor(model, nlp=_nlp, entities=entities)


def _work(batch: list[Source]) -> list[DocumentFacts]:
    assert _extractor is not None
    return list(_extractor.extract_sources(batch, batch_size=len(batch)))


def _batches(sources: Iterable[Source], size: int) -> Iterator[list[Source]]:
    batch: list[Source] = []
    chars = 0
    for source in sources:
        batch.append(source)
        chars += len(source.text)
        if len(batch) >= size or chars >= TASK_CHARS:
            yield batch
            batch, chars = [], 0
    if batch:
        yield batch


class _Pool:
    """A ``ProcessPoolExecutor`` that can be started again after a worker died."""

    def __init__(self, jobs: int, model: str | None, entities: list | None = None) -> None:
        methods = multiprocessing.get_all_start_methods()
        self._context = multiprocessing.get_context("fork" if "fork" in methods else None)
        self._jobs, self._model, self._entities = jobs, model, entities
        self._executor = self._start()

    def _start(self) -> ProcessPoolExecutor:
        for stream in (sys.stdout, sys.stderr):  # a forked worker flushes these when it ends:
            if stream is not None:               # it must not inherit half-written output
                stream.flush()
        executor = ProcessPoolExecutor(self._jobs, mp_context=self._context, initializer=_init,
                                       initargs=(self._model, os.getpid(), self._entities))
        # Objects that exist now (the pipeline above all) go to the collector's permanent generation
        # while the workers are forked: a collection in a worker then never writes to their pages,
        # which stay shared with this process instead of being copied (peak PSS of two workers
        # over 1,000 documents: 317 MiB without, 275 MiB with; docs/performance.md).
        # (With fork, the executor starts all its workers at the first submit.)
        gc.freeze()
        try:
            executor.submit(int).result()
        except BrokenProcessPool:
            pass  # reported by the first real task
        finally:
            gc.unfreeze()
        return executor

    def submit(self, batch: list[Source]) -> Future:
        """The batch's future; once a worker has died, one that fails with ``BrokenProcessPool``."""
        try:
            return self._executor.submit(_work, batch)
        except BrokenProcessPool as err:  # the pool broke before this task could be handed out
            future: Future = Future()
            future.set_exception(err)
            return future

    def restart(self) -> None:
        self.close(kill=True)
        self._executor = self._start()

    def close(self, kill: bool = False) -> None:
        if kill:  # an interrupted run, or a broken pool: no worker outlives it
            for process in list((getattr(self._executor, "_processes", None) or {}).values()):
                if process.is_alive():
                    process.kill()
        self._executor.shutdown(wait=True, cancel_futures=kill)


def extract_parallel(sources: Iterable[Source], jobs: int, model: str | None = None, nlp: Language | None = None,
                     batch_size: int = TASK_DOCS, on_error: Callable[[LoadError], None] | None = None,
                     entities: list | None = None) -> Iterator[DocumentFacts]:
    """The records of ``sources`` in order, worked out by ``jobs`` processes (each finding the
    known ``entities`` too, ``extract --entities``).

    ``sources`` is consumed lazily, in this process (a load error it reports is
    reported here). Where processes are forked, the workers share ``nlp``; elsewhere
    each loads ``model``. A document lost with its worker twice is passed to ``on_error``
    as a :class:`~pharmafacts.errors.WorkerError` (by default it is raised).
    """
    global _nlp
    _nlp = nlp
    pool: _Pool | None = None
    done = False
    try:
        pool = _Pool(jobs, model, entities)
        pending: deque[tuple[list[Source], Future]] = deque()
        for batch in _batches(sources, batch_size):
            pending.append((batch, pool.submit(batch)))
            if len(pending) >= jobs * AHEAD:
                yield from _next(pool, pending, on_error)
        while pending:
            yield from _next(pool, pending, on_error)
        done = True
    finally:
        _nlp = None
        if pool is not None:
            pool.close(kill=not done)


def _next(pool: _Pool, pending: deque[tuple[list[Source], Future]], on_error) -> Iterator[DocumentFacts]:
    """The records of the oldest task; after a worker died, those of every unfinished task."""
    batch, future = pending.popleft()
    try:
        records = future.result()
    except BrokenProcessPool:
        pass
    else:
        yield from records
        return
    again = [source for b in (batch, *(b for b, _ in pending)) for source in b]
    pending.clear()
    pool.restart()
    for source in again:  # one at a time, so that a second death names its document
        try:
            records = pool.submit([source]).result()
        except BrokenProcessPool:
            err = WorkerError(source.path, "the worker process died while extracting it, twice (killed, or out of memory)")
            if on_error is None:
                raise err from None
            on_error(err)
            pool.restart()
        else:
            yield from records
