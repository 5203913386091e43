"""Throughput on a local Dask cluster of 1 and 2 workers against ``--jobs 1`` and ``--jobs 2``.

    python benchmarks/dask_bench.py                  # N = 1000, once each
    python benchmarks/dask_bench.py --n 300 --repeat 2

The corpus is bench.py's (``corpus.build``: the fixture texts with names and figures varied).
Every run is a fresh ``pharmafacts extract DIR --format jsonl --quiet`` process, timed from start
to exit: ``--jobs 1``, ``--jobs 2``, ``--dask local --jobs 1`` and ``--dask local --jobs 2``
(the cluster starts and stops inside the run). For each it prints documents per second of wall
time, the steady rate between the first and the last document written (start-up left out), the
ratios to ``--jobs 1`` and ``--jobs 2``, the largest resident set of any one of its processes
(the client, a worker), sampled every half second, and checks that the output is byte for byte
that of ``--jobs 1``. The load average is printed before and after: on a shared machine, read
the figures with it.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402
from bench import PHARMAFACTS, _memory_kib  # noqa: E402

RUNS = {"jobs1": ["--jobs", "1"], "jobs2": ["--jobs", "2"],
        "dask1": ["--dask", "local", "--jobs", "1"], "dask2": ["--dask", "local", "--jobs", "2"]}
LABELS = {"jobs1": "--jobs 1", "jobs2": "--jobs 2", "dask1": "--dask local, 1 worker", "dask2": "--dask local, 2 workers"}


def _descendants(pid: int) -> list[int]:
    """The process and all its descendants, also those started from other threads than the main
    one (a local cluster's nanny starts its worker from the event loop's thread)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        for task in Path(f"/proc/{p}/task").glob("*"):
            try:
                todo.extend(int(c) for c in (task / "children").read_text().split())
            except OSError:
                pass
    return out


def run(docs: Path, flags: list[str], n: int) -> dict:
    """One fresh process; wall time, first and last document's time, peak RSS of one process, output."""
    args = [sys.executable, "-c", PHARMAFACTS, "extract", str(docs), "--format", "jsonl", "--quiet", *flags]
    peak = {"rss": 0}
    done = threading.Event()
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")

    def watch() -> None:
        while not done.is_set():
            peak["rss"] = max([peak["rss"], *(_memory_kib(p)[0] for p in _descendants(proc.pid))])
            done.wait(0.5)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    lines, first, last = [], None, None
    for line in proc.stdout:  # written and flushed document by document
        last = time.perf_counter()
        first = first or last
        lines.append(line)
    err = proc.stderr.read()
    proc.wait()
    seconds = time.perf_counter() - start
    done.set()
    watcher.join()
    if proc.returncode != 0 or len(lines) != n:
        raise SystemExit(f"{' '.join(flags)}: exit {proc.returncode}, {len(lines)} of {n} documents\n{err}")
    return {"seconds": seconds, "docs_per_second": n / seconds,
            "steady_docs_per_second": (n - 1) / (last - first) if last > first else float("nan"),
            "start_seconds": first - start, "max_process_rss_mib": peak["rss"] / 1024, "output": "".join(lines)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="documents in the corpus")
    parser.add_argument("--repeat", type=int, default=1, help="rounds; the fastest of each run is reported")
    parser.add_argument("--json", dest="json_out", default=None, help="also write the figures to this file")
    args = parser.parse_args()
    load_before = os.getloadavg()
    print(f"load average at start: {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f} "
          f"on {len(os.sched_getaffinity(0))} cores", flush=True)
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="pharmafacts-dask-bench-") as tmp:
        docs = Path(tmp) / "docs"
        chars = corpus.build(args.n, docs)
        print(f"corpus: {args.n} documents, {chars:,} characters", flush=True)
        order = list(RUNS)
        for i in range(args.repeat):
            for name in order if i % 2 == 0 else order[::-1]:  # interleaved, every other round reversed
                r = run(docs, RUNS[name], args.n)
                print(f"  {LABELS[name]}: {r['seconds']:.1f} s", flush=True)
                if name not in results or r["seconds"] < results[name]["seconds"]:
                    results[name] = r
    reference = results["jobs1"].pop("output")
    for name, r in results.items():
        if name != "jobs1":
            assert r.pop("output") == reference, f"{LABELS[name]}: output differs from --jobs 1"
    load_after = os.getloadavg()
    print(f"\nall outputs byte for byte those of --jobs 1; load average at end: {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}\n")
    print("| run | wall s | docs/s | vs --jobs 1 | vs --jobs 2 | first doc after s | steady docs/s | max process RSS MiB |")
    print("|---|---|---|---|---|---|---|---|")
    for name, r in results.items():
        print(f"| {LABELS[name]} | {r['seconds']:.1f} | {r['docs_per_second']:.1f} | "
              f"{r['docs_per_second'] / results['jobs1']['docs_per_second']:.2f} | "
              f"{r['docs_per_second'] / results['jobs2']['docs_per_second']:.2f} | {r['start_seconds']:.1f} | "
              f"{r['steady_docs_per_second']:.1f} | {r['max_process_rss_mib']:.0f} |")
    if args.json_out:
        Path(args.json_out).write_text(json.dumps({"n": args.n, "chars": chars, "load_before": load_before,
                                                   "load_after": load_after, "results": results}, indent=2))


if __name__ == "__main__":
    main()
