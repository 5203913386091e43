"""The fork server a local Dask cluster's workers come from: Dask's worker and the pipeline loaded
once, in a process of its own, for every worker process forked from it (as ``--jobs`` forks its
workers from a process that has loaded the pipeline).

This module imports nothing heavy, so that the command can start the server before it imports
Dask itself: the two load side by side. It is also the module the server imports (its
``multiprocessing`` preload); there, and only there, importing it loads what the workers need
(:func:`_preload`).
"""

from __future__ import annotations

import json
import os
import threading

# Dask configuration for a cluster that runs pharmafacts, public as ``distributed.WORKER_CONFIG``
# (here because the fork server applies it before it imports Dask; ``--dask local`` sets it; for
# a cluster of your own, docs/scale.md gives the same as a YAML file). Measured as CPU time per
# document of a worker against one process over the same documents (benchmarks/dask_cpu.py,
# docs/performance.md):
# - the worker's statistical profiler samples the running task's stack every 10 ms: about 15 % of
#   a worker's CPU over spaCy's deep stacks;
# - the nanny puts MALLOC_TRIM_THRESHOLD_=65536 in each worker's environment. Setting any of
#   glibc's malloc thresholds turns off its adaptive ones: every array over 128 KiB is then mapped
#   and unmapped anew, and the model's arrays are faulted in again at each use (4,700 page faults
#   and 15-18 ms of system time per document instead of 250 and 1.6 ms). (The server then sets
#   both thresholds itself, pharmafacts._malloc, as the command does: mapped only over 32 MiB);
# - each event loop wakes every 20 ms to check its own health (the tick), and every 100 ms for the
#   memory monitors (the worker's and the nanny's) and 500 ms for the system monitor. On a busy
#   task thread every wake-up costs far more than its work (the interpreter lock, cold caches):
#   11 ms of the worker's event loop and 19 ms of the client's process (scheduler and nannies) per
#   document, 2 and 4 ms with these intervals. They only pace health checks, dashboards and the
#   reaction to a worker outgrowing its memory limit.
WORKER_CONFIG = {
    "distributed.worker.profile.enabled": False,
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,  # None: not set at all
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "5s",
    "distributed.worker.memory.monitor-interval": "1s",
}
ENV = "PHARMAFACTS_FORKSERVER"  # what the server is to load (JSON), put in its environment by start()
loaded_in: int | None = None  # in the server and the workers forked from it: the server's process id, once loaded
STOP_TIMEOUT = 10.0  # seconds stop() waits for the server (it ends once every process forked from it has)


def _server():
    from multiprocessing import forkserver

    return forkserver._forkserver  # the process's one ForkServer (multiprocessing.forkserver.ensure_running's)


def running() -> bool:
    """Whether this process has a fork server (started here or by anyone else)."""
    import multiprocessing

    if "forkserver" not in multiprocessing.get_all_start_methods():
        return False
    return getattr(_server(), "_forkserver_pid", None) is not None


def start(model: str | None = None) -> bool:
    """Start this process's fork server, loading Dask and the pipeline ``model`` in it, unless one
    is running; whether this call started it. Returns at once: the server loads in its own process,
    and a worker asked for meanwhile is forked once it is ready. Nothing is started where the
    platform has no fork server (Windows) or Dask is not installed."""
    import multiprocessing
    from importlib.util import find_spec

    if "forkserver" not in multiprocessing.get_all_start_methods() or find_spec("distributed") is None:
        return False
    if running():
        return False
    from multiprocessing import forkserver

    forkserver.set_forkserver_preload([__name__])
    previous = os.environ.get(ENV)
    os.environ[ENV] = json.dumps({"model": model})  # the server's environment is this process's, now
    try:
        forkserver.ensure_running()
    finally:
        if previous is None:
            del os.environ[ENV]
        else:
            os.environ[ENV] = previous
    return running()


def stop(timeout: float = STOP_TIMEOUT) -> None:
    """Ask this process's fork server to end, and wait for it (so that its CPU time and its
    workers' count among this process's children) up to ``timeout`` seconds: it ends once every
    process forked from it has ended, and a worker still alive (an interrupted run) is not
    waited for."""
    if not running():
        return
    waiting = threading.Thread(target=_server()._stop, name="pharmafacts fork server stop", daemon=True)
    waiting.start()
    waiting.join(timeout)


def _nanny_environ() -> dict[str, str]:
    """What Dask's nanny puts in a spawned worker's environment before it starts
    (``distributed.nanny.pre-spawn-environ``, with :data:`WORKER_CONFIG`): one thread for each of
    OpenMP, MKL and OpenBLAS, which read it once, as they load. Worked out without importing
    ``distributed`` (it imports numpy): its defaults are read from its own file, as its import
    reads them."""
    from importlib.util import find_spec

    import dask
    import yaml

    spec = find_spec("distributed")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = os.path.join(folder, "distributed.yaml")
        if os.path.isfile(path):
            with open(path, encoding="utf-8") as f:
                dask.config.update_defaults(yaml.safe_load(f))
            break
    with dask.config.set(WORKER_CONFIG):  # (read inside: leaving puts the old values back into the same dict)
        environ = dask.config.get("distributed.nanny.pre-spawn-environ", default={})
        return {k: os.environ.get(k, str(v)) for k, v in environ.items() if v is not None}


def _preload() -> None:
    """In the server: Dask's worker and the pipeline, loaded once, after the nanny's environment
    for a worker (:func:`_nanny_environ`) is put in the server's own: the workers inherit what
    numpy and the rest read as they loaded. A model that cannot be loaded is left for each worker
    to report (``PipelinePlugin``, before any output)."""
    global loaded_in
    import gc

    orders = json.loads(os.environ.pop(ENV))
    thresholds = gc.get_threshold()
    gc.set_threshold(0)  # no collector passes over what is being imported and loaded (as the command loads the model)
    try:
        os.environ.update(_nanny_environ())
        from ._malloc import keep_batch_memory

        keep_batch_memory()  # the workers forked from here inherit it (as --jobs workers do the command's)
        import warnings

        import distributed  # noqa: F401  (a worker process starts in distributed.nanny)

        from .distributed import _SLOW_SCRATCH, _lock, worker_extractor

        warnings.filterwarnings("ignore", message=_SLOW_SCRATCH)
        with _lock:
            worker_extractor(orders["model"])
        loaded_in = os.getpid()
    except Exception:  # noqa: BLE001  (a server that raised here would start no worker at all)
        pass
    finally:
        gc.freeze()  # what is loaded now is never visited by a worker's collector: its pages stay shared
        gc.set_threshold(*thresholds)


if os.environ.get(ENV) is not None:  # imported by the server start() launched
    _preload()
