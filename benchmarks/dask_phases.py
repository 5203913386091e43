"""Where a local cluster's start and stop go: the phases of ``--dask local`` timed one by one.

    python benchmarks/dask_phases.py                 # 2 workers, 32 documents, 3 rounds
    python benchmarks/dask_phases.py --workers 2 --n 32 --repeat 5

Each round is a fresh process doing what ``pharmafacts extract DIR --dask local --jobs N`` does
(``pharmafacts.cli._dask_client``, then :func:`pharmafacts.distributed.extract_paths`),
with the wall time and the client process's own CPU time (user + system) taken between phases:
the interpreter's start, the client's imports, the cluster started (scheduler, nannies, the
worker processes spawned and connected), the pipeline loaded on the workers, the first and the
last record, the cluster stopped, the process's exit. The workers' CPU time is that of the
processes the client waited for (``wait4``'s children usage, taken by this script around the
whole child). For each worker, it also prints when its process was created, counted from the
client's start, and the CPU time it had spent once its pipeline was loaded. With ``--repeat`` > 1 each figure is the
median of the rounds. Wall times move with the machine's load (read them with the load average
it prints); CPU times much less.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402

PHASES = ["interpreter", "imports", "cluster", "pipeline", "first record", "records", "cluster closed", "stop", "exit"]


def child(docs: str, workers: int) -> None:
    """One run, printing its marks as JSON: [name, wall since start, client CPU since start]."""
    import resource

    start = float(os.environ["PF_T0"])

    def cpu() -> float:
        r = resource.getrusage(resource.RUSAGE_SELF)
        return r.ru_utime + r.ru_stime

    marks = [["interpreter", time.time() - start, cpu()]]

    def mark(name: str) -> None:
        marks.append([name, time.time() - start, cpu()])

    from pharmafacts import cli

    connect = cli._dask_client("local", workers, None)  # as the command: Dask imported, nothing started yet
    from pharmafacts import distributed
    from pharmafacts.output import document_json

    mark("imports")
    made = distributed.local_cluster  # connect() calls it to start the cluster: mark when it returns

    def timed_cluster(*args, **kwargs):
        cluster = made(*args, **kwargs)
        mark("cluster")
        close = cluster.close

        def timed_close(*a, **k):
            close(*a, **k)
            mark("cluster closed")

        cluster.close = timed_close
        return cluster

    distributed.local_cluster = timed_cluster
    with connect as client:
        mark("pipeline")
        workers_info = client.run(_worker_times)
        first = True
        for doc in distributed.extract_paths([docs], client):
            document_json(doc)
            if first:
                mark("first record")
                first = False
        mark("records")
    mark("stop")
    print(json.dumps({"marks": marks, "workers": [[t - start, c] for t, c in workers_info.values()]}), flush=True)


def _worker_times() -> tuple[float, float]:
    """This worker process's creation time (epoch seconds) and CPU time so far (its imports,
    the worker's start, the pipeline's load)."""
    import psutil

    p = psutil.Process()
    t = p.cpu_times()
    return p.create_time(), t.user + t.system


def run(docs: Path, workers: int) -> dict:
    env = {**os.environ, "PF_T0": repr(time.time())}
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, __file__, "--child", str(docs), "--workers", str(workers)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    out, err = proc.communicate()
    wall = time.perf_counter() - start
    if proc.returncode:
        raise SystemExit(f"exit {proc.returncode}\n{err}")
    result = json.loads(out.splitlines()[-1])
    result["wall"] = wall
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.workers)
        return
    import resource

    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; load average at start: "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    rounds = []
    with tempfile.TemporaryDirectory(prefix="pharmafacts-dask-phases-") as tmp:
        docs = Path(tmp) / "docs"
        corpus.build(args.n, docs)
        for i in range(args.repeat):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            r = run(docs, args.workers)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            r["all_cpu"] = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
            r["all_faults"] = after.ru_minflt - before.ru_minflt
            rounds.append(r)
            marks = {name: (wall, c) for name, wall, c in r["marks"]}
            print(f"  round {i + 1}: " + ", ".join(f"{name} {wall:.2f} s" for name, (wall, _) in marks.items())
                  + f", exit {r['wall']:.2f} s; CPU of all processes {r['all_cpu']:.2f} s; workers (created at s, CPU s when "
                  f"the pipeline was ready): " + ", ".join(f"({a:.2f}, {b:.2f})" for a, b in sorted(r["workers"])), flush=True)
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}\n")
    print(f"medians of {args.repeat}: {args.workers} worker(s), {args.n} documents\n")
    print("| phase | ends at s | wall s | client CPU s |")
    print("|---|---|---|---|")
    prev_wall = prev_cpu = 0.0
    for name in PHASES:
        if name == "exit":
            wall, c = statistics.median(r["wall"] for r in rounds), None
        else:
            wall = statistics.median(next(m[1] for m in r["marks"] if m[0] == name) for r in rounds)
            c = statistics.median(next(m[2] for m in r["marks"] if m[0] == name) for r in rounds)
        print(f"| {name} | {wall:.2f} | {wall - prev_wall:.2f} | {'' if c is None else f'{c - prev_cpu:.2f}'} |")
        prev_wall, prev_cpu = wall, (c if c is not None else prev_cpu)
    print(f"\nCPU of all processes (client, workers): {statistics.median(r['all_cpu'] for r in rounds):.2f} s; "
          f"minor page faults {statistics.median(r['all_faults'] for r in rounds):,.0f}")
    created = [statistics.median(sorted(r["workers"])[i][0] for r in rounds) for i in range(args.workers)]
    ready = [statistics.median(sorted(r["workers"])[i][1] for r in rounds) for i in range(args.workers)]
    print("workers created at (s): " + ", ".join(f"{c:.2f}" for c in created)
          + "; their CPU until the pipeline was ready (s): " + ", ".join(f"{c:.2f}" for c in ready))


if __name__ == "__main__":
    main()
