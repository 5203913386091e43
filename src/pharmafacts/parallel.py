"""Documents through a pool of worker processes: same results, same order, bounded memory.

Each worker loads the spaCy pipeline once (or inherits it from the parent where
processes are forked) and runs everything after loading: the model and
``build_document``. The parent reads the files, hands them out in batches and
yields the finished records in input order, keeping at most a few batches per
worker in flight, so that memory does not grow with the number of documents.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import sys
from collections import deque
from collections.abc import Iterable, Iterator

from spacy.language import Language

from .load import Source
from .records import DocumentFacts

TASK_DOCS = 8  # documents handed to a worker at a time: small enough to share the last ones out evenly
TASK_CHARS = 200_000  # a task also ends once its texts reach this many characters
AHEAD = 2  # tasks in flight per worker: one being worked on, one waiting

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


def _init(model: str | None) -> None:
    global _extractor
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    from .api import Extractor

    _extractor = Extractor(model, nlp=_nlp)


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


def extract_parallel(sources: Iterable[Source], jobs: int, model: str | None = None, nlp: Language | None = None,
                     batch_size: int = TASK_DOCS) -> Iterator[DocumentFacts]:
    """The records of ``sources`` in order, worked out by ``jobs`` processes.

    ``sources`` is consumed lazily, in this process (a load error it reports is
    reported here). Where processes are forked, the workers share ``nlp``; elsewhere
    each loads ``model``.
    """
    global _nlp
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    _nlp = nlp
    for stream in (sys.stdout, sys.stderr):  # a forked worker flushes these when it ends:
        if stream is not None:               # it must not inherit half-written output
            stream.flush()
    # Objects that exist now (the pipeline above all) go to the collector's permanent generation
    # while the workers are forked: a collection in a worker then never writes to their pages,
    # which stay shared with this process instead of being copied (peak PSS of two workers
    # over 1,000 documents: 317 MiB without, 275 MiB with; docs/performance.md).
    try:
        gc.freeze()
        try:
            pool = context.Pool(jobs, initializer=_init, initargs=(model,))
        finally:
            gc.unfreeze()
        with pool:
            pending: deque = deque()
            for batch in _batches(sources, batch_size):
                pending.append(pool.apply_async(_work, (batch,)))
                if len(pending) >= jobs * AHEAD:
                    yield from pending.popleft().get()
            while pending:
                yield from pending.popleft().get()
    finally:
        _nlp = None
