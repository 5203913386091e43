"""Where a Dask worker's time goes: CPU time per document of the process doing the model work,
measured the same way for one process and for a worker of a local cluster.

    python benchmarks/dask_cpu.py --n 200 --repeat 3                   # every variant
    python benchmarks/dask_cpu.py --n 200 --variants process dask

CPU time (user and system, from ``getrusage`` and the kernel's per-thread counters) moves far
less with the machine's load than wall time does, so this can be run on a shared machine.
Each variant runs in a fresh process, the model loaded and warmed before the clock starts:

- ``process``: ``Extractor.extract_sources`` over the files in the main thread, as ``--jobs 1``.
- ``thread``: the same in a second thread, the main thread waiting (a worker runs its tasks in
  a thread, its event loop in the main one).
- ``thread-malloc``: ``thread`` with ``MALLOC_TRIM_THRESHOLD_=65536``, which a Dask nanny puts
  in every worker's environment by default (``distributed.nanny.pre-spawn-environ``);
  ``thread-mallopt`` the same, glibc's thresholds then raised with ``mallopt`` (``PF_MALLOPT``).
- ``dask-default``: ``distributed.extract_paths`` on a local cluster of one worker with Dask's
  defaults (the worker profiler on, the nanny's environment); ``dask-profiler-off`` what
  ``--dask local`` set before; ``dask-malloc*``: without the nanny's malloc setting, and with
  each of the slower event-loop intervals (:data:`CONFIGS`).
- ``dask``: :func:`pharmafacts.distributed.local_cluster`, as ``--dask local``: the settings of
  :data:`pharmafacts.distributed.WORKER_CONFIG`, the worker forked from the fork server that
  loaded the pipeline; ``dask-spawned`` the same settings, the worker spawned (as before the fork
  server) and loading the pipeline itself. (With ``PF_DASK_CONFIG`` both are spawned.)

``PF_BATCH`` sets the batch of the one-process variants (the CLI's 16; a partition is 8),
``PF_ENV`` (JSON) adds to their environment, ``PF_DASK_CONFIG`` (JSON) to a cluster's configuration.

For the clusters it prints the worker's CPU split by thread (the task thread, the event loop,
others), the nanny's, and the client's own (the client, the scheduler and the nanny live in it).
Minor page faults per document show the allocator at work.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402

# Dask configuration of the dask-* variants, over Dask's defaults; "dask" is WORKER_CONFIG, what
# ``--dask local`` sets, "dask-profiler-off" what it set before.
_PROFILER_OFF = {"distributed.worker.profile.enabled": False}
_MALLOC = {**_PROFILER_OFF, "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}
_TICK = {"distributed.admin.tick.interval": "1s"}
_SYSMON = {"distributed.admin.system-monitor.interval": "5s"}
_MEMMON = {"distributed.worker.memory.monitor-interval": "1s"}
CONFIGS = {
    "dask-default": {},
    "dask-profiler-off": _PROFILER_OFF,
    "dask-malloc": _MALLOC,
    "dask-malloc-tick": {**_MALLOC, **_TICK},
    "dask-malloc-sysmon": {**_MALLOC, **_SYSMON},
    "dask-malloc-memmon": {**_MALLOC, **_MEMMON},
    "dask-malloc-tick-sysmon": {**_MALLOC, **_TICK, **_SYSMON},
    "dask-spawned": None,  # WORKER_CONFIG, a worker spawned as before the fork server
    "dask": None,  # WORKER_CONFIG, local_cluster()
}
VARIANTS = ["process", "thread", "thread-malloc", "thread-mallopt", *CONFIGS]


def _usage() -> dict:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return {"user": r.ru_utime, "sys": r.ru_stime, "minflt": r.ru_minflt, "nvcsw": r.ru_nvcsw, "nivcsw": r.ru_nivcsw}


def _delta(a: dict, b: dict) -> dict:
    return {k: b[k] - a[k] for k in a}


def _threads() -> dict:
    """This process's threads: name -> (user, system) CPU seconds."""
    import psutil

    import re

    names = {t.native_id: re.sub(r"\d+", "N", t.name) for t in threading.enumerate()}
    out: dict = {}
    for t in psutil.Process().threads():
        name = names.get(t.id, "(not a Python thread)")
        try:
            faults = int(open(f"/proc/self/task/{t.id}/stat").read().rsplit(")", 1)[1].split()[7])
        except OSError:
            faults = 0
        u, s, f = out.get(name, (0.0, 0.0, 0))
        out[name] = (u + t.user_time, s + t.system_time, f + faults)
    return out


def _files(docs: Path) -> list[str]:
    return sorted(str(p) for p in docs.glob("*.txt"))


def child_local(docs: Path, in_thread: bool) -> dict:
    from pharmafacts.api import Extractor
    from pharmafacts.load import read_source
    from pharmafacts.output import document_json

    files = _files(docs)
    extractor = Extractor()
    for _ in extractor.extract_sources([read_source(p) for p in files[:16]]):  # warm: as a worker's first partitions
        pass
    out: dict = {}

    def work() -> None:
        before = _usage()
        batch = int(os.environ.get("PF_BATCH", "16"))  # the CLI's batch; a Dask partition is 8
        for doc in extractor.extract_sources((read_source(p) for p in files), batch_size=batch):
            document_json(doc)
        out["worker"] = _delta(before, _usage())

    if in_thread:
        t = threading.Thread(target=work)
        t.start()
        t.join()
    else:
        work()
    return out


def child_dask(docs: Path, config: dict | None) -> dict:
    import dask
    from distributed import Client, LocalCluster

    from pharmafacts import distributed
    from pharmafacts.output import document_json

    files = _files(docs)
    if config is None:  # as --dask local: its settings, the worker forked from the fork server
        cluster = distributed.local_cluster(1)
    else:
        with dask.config.set(config):
            cluster = LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
                                   dashboard_address="127.0.0.1:0", silence_logs=50)
    client = Client(cluster)
    client.register_plugin(distributed.PipelinePlugin())
    list(distributed.extract_paths(files[:16], client))  # warm
    nanny = cluster.workers[0]
    import psutil

    nanny_pid = os.getpid()  # the nanny object lives in this process
    worker_pid = nanny.process.pid
    wproc = psutil.Process(worker_pid)

    def snapshot():
        w = _usage_of(wproc)
        threads = client.run(_threads)
        return w, next(iter(threads.values())), _usage()

    w0, t0, c0 = snapshot()
    for doc in distributed.extract_paths(files, client):
        document_json(doc)
    w1, t1, c1 = snapshot()
    client.close()
    cluster.close()
    split = {}
    for name, (u, s, f) in t1.items():
        u0, s0, f0 = t0.get(name, (0.0, 0.0, 0))
        split[name] = (u - u0, s - s0, f - f0)
    return {"worker": _delta(w0, w1), "worker_threads": split, "client": _delta(c0, c1), "nanny_pid": nanny_pid}


def _usage_of(proc) -> dict:
    t = proc.cpu_times()
    c = proc.num_ctx_switches()
    minflt = int(open(f"/proc/{proc.pid}/stat").read().rsplit(")", 1)[1].split()[7])
    return {"user": t.user, "sys": t.system, "minflt": minflt, "nvcsw": c.voluntary, "nivcsw": c.involuntary}


def run_variant(variant: str, docs: Path) -> dict:
    env = dict(os.environ)
    if variant in ("thread-malloc", "thread-mallopt"):
        env["MALLOC_TRIM_THRESHOLD_"] = "65536"
    env.update(json.loads(os.environ.get("PF_ENV", "{}")))  # e.g. '{"OMP_NUM_THREADS": "1"}'

    args = [sys.executable, __file__, "--child", variant, "--docs", str(docs)]
    proc = subprocess.run(args, capture_output=True, text=True, env=env)
    if proc.returncode:
        raise SystemExit(f"{variant}: exit {proc.returncode}\n{proc.stderr}")
    return json.loads(proc.stdout.splitlines()[-1])


def child(variant: str, docs: Path) -> None:
    from pharmafacts.distributed import WORKER_CONFIG

    if variant == "thread-mallopt":  # PF_MALLOPT="-3=33554432,-1=67108864": mallopt(M_MMAP_THRESHOLD), (M_TRIM_THRESHOLD)
        import ctypes

        libc = ctypes.CDLL(None)
        for option in os.environ.get("PF_MALLOPT", "-3=33554432,-1=67108864").split(","):
            key, value = option.split("=")
            libc.mallopt(int(key), int(value))
    if variant in ("process", "thread", "thread-malloc", "thread-mallopt"):
        result = child_local(docs, variant != "process")
    else:
        extra = json.loads(os.environ.get("PF_DASK_CONFIG", "{}"))
        base = WORKER_CONFIG if CONFIGS[variant] is None else CONFIGS[variant]
        config = None if variant == "dask" and not extra else {**base, **extra}
        result = child_dask(docs, config)
    print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--variants", nargs="+", default=VARIANTS, choices=VARIANTS)
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--docs", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, Path(args.docs))
        return
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    runs: dict[str, list[dict]] = {v: [] for v in args.variants}
    with tempfile.TemporaryDirectory(prefix="pharmafacts-dask-cpu-") as tmp:
        docs = Path(tmp) / "docs"
        corpus.build(args.n, docs)
        for i in range(args.repeat):
            for v in args.variants if i % 2 == 0 else args.variants[::-1]:
                r = run_variant(v, docs)
                runs[v].append(r)
                w = r["worker"]
                print(f"  {v}: worker user {w['user']:.2f} s, sys {w['sys']:.2f} s, minflt {w['minflt']}"
                      + (f"; client user {r['client']['user']:.2f} sys {r['client']['sys']:.2f}" if "client" in r else ""), flush=True)
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}\n")
    n = args.n
    print(f"medians of {args.repeat}, per document (ms of CPU; page faults)\n")
    print("| variant | worker user ms | worker sys ms | worker user+sys ms | minor faults | vol. / invol. ctx switches | client user+sys ms |")
    print("|---|---|---|---|---|---|---|")
    for v, rs in runs.items():
        med = {k: statistics.median(r["worker"][k] for r in rs) for k in rs[0]["worker"]}
        client = (f"{statistics.median(r['client']['user'] + r['client']['sys'] for r in rs) / n * 1000:.1f}"
                  if "client" in rs[0] else "")
        print(f"| {v} | {med['user'] / n * 1000:.1f} | {med['sys'] / n * 1000:.1f} | {(med['user'] + med['sys']) / n * 1000:.1f} | "
              f"{med['minflt'] / n:.0f} | {med['nvcsw'] / n:.1f} / {med['nivcsw'] / n:.1f} | {client} |")
    for v, rs in runs.items():
        if "worker_threads" in rs[0]:
            print(f"\n{v}: worker threads per document (medians): user+sys ms, minor faults")
            for name in rs[0]["worker_threads"]:
                cpu = [sum(r["worker_threads"].get(name, (0, 0, 0))[:2]) for r in rs]
                faults = [r["worker_threads"].get(name, (0, 0, 0))[2] for r in rs]
                print(f"  {name}: {statistics.median(cpu) / n * 1000:.2f} ms, {statistics.median(faults) / n:.0f} faults")


if __name__ == "__main__":
    main()
