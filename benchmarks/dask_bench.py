"""Throughput on a local Dask cluster of 1 and 2 workers against ``--jobs 1`` and ``--jobs 2``.

    python benchmarks/dask_bench.py                  # N = 1000, once each
    python benchmarks/dask_bench.py --n 300 --repeat 2

The corpus is bench.py's (``corpus.build``: the fixture texts with names and figures varied).
Every run is a fresh ``pharmafacts extract DIR --format jsonl --quiet`` process, timed from start
to exit: ``--jobs 1``, ``--jobs 2``, ``--dask local --jobs 1`` and ``--dask local --jobs 2``
(the cluster starts and stops inside the run), interleaved over the rounds. For each it prints
documents per second of wall time and its ratios to ``--jobs 1`` and ``--jobs 2``; the steady
rate between the first and the last document written and its ratio to ``--jobs 2``'s; the
start-up (time to the first document) and the overhead (wall time beyond the documents at the
steady rate: start-up, the last tasks, stopping the cluster); the CPU time (user + system) of
the command and every process it waited for, per document, which the machine's load moves far
less than wall time, and their minor page faults; the largest resident set of any one of its
processes (the client, a worker), sampled every half second. It checks that every output is
byte for byte that of ``--jobs 1``, prints the load average before and after (on a shared
machine, read the figures with it), a markdown table for docs/performance.md and the verdict on
the issue's target (a local cluster of 2 workers within 10 % of ``--jobs 2``). With
``--repeat`` > 1 each figure is the median of the rounds.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
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
    """One fresh process: wall time, times of the first and last document written, CPU time of
    the whole process tree, peak RSS of one process, the output."""
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
    _, status, usage = os.wait4(proc.pid, 0)  # its usage counts every descendant it has waited for: the workers
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    done.set()
    watcher.join()
    if proc.returncode != 0 or len(lines) != n:
        raise SystemExit(f"{' '.join(flags)}: exit {proc.returncode}, {len(lines)} of {n} documents\n{err}")
    steady = (n - 1) / (last - first) if last > first else float("nan")
    return {"seconds": seconds, "docs_per_second": n / seconds, "steady_docs_per_second": steady,
            "first_doc_seconds": first - start, "stop_seconds": seconds - (last - start),
            # what the run costs beyond its documents at the steady rate: start-up, the last
            # partitions and stopping the cluster
            "overhead_seconds": seconds - n / steady,
            "cpu_seconds": usage.ru_utime + usage.ru_stime, "minor_faults": usage.ru_minflt,
            "max_process_rss_mib": peak["rss"] / 1024,
            "output": "".join(lines)}


FIGURES = ["seconds", "docs_per_second", "steady_docs_per_second", "first_doc_seconds", "stop_seconds",
           "overhead_seconds", "cpu_seconds", "minor_faults", "max_process_rss_mib"]


def table(results: dict[str, dict], n: int) -> list[str]:
    """The figures as a markdown table (medians of the rounds)."""
    j1, j2 = results["jobs1"], results["jobs2"]
    rows = ["| run | wall s | docs/s | vs `--jobs 1` | vs `--jobs 2` | first doc after s | steady docs/s | steady vs `--jobs 2` "
            "| overhead s | CPU ms/doc (all processes) | page faults/doc | max process RSS MiB |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for name, r in results.items():
        rows.append(f"| {LABELS[name]} | {r['seconds']:.1f} | {r['docs_per_second']:.1f} | "
                    f"{r['docs_per_second'] / j1['docs_per_second']:.2f} | {r['docs_per_second'] / j2['docs_per_second']:.2f} | "
                    f"{r['first_doc_seconds']:.1f} | {r['steady_docs_per_second']:.1f} | "
                    f"{r['steady_docs_per_second'] / j2['steady_docs_per_second']:.2f} | {r['overhead_seconds']:.1f} | "
                    f"{r['cpu_seconds'] / n * 1000:.0f} | {r['minor_faults'] / n:,.0f} | {r['max_process_rss_mib']:.0f} |")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="documents in the corpus")
    parser.add_argument("--repeat", type=int, default=1, help="rounds, interleaved; the median of each figure is reported")
    parser.add_argument("--runs", nargs="+", default=list(RUNS), choices=list(RUNS),
                        help="which runs (--jobs 1 and --jobs 2 are always made: the ratios need them)")
    parser.add_argument("--json", dest="json_out", default=None, help="also write the figures to this file")
    args = parser.parse_args()
    load_before = os.getloadavg()
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    print(f"{started}; load average at start: {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f} "
          f"on {len(os.sched_getaffinity(0))} cores", flush=True)
    order = ["jobs1", "jobs2", *(r for r in args.runs if r not in ("jobs1", "jobs2"))]
    rounds: dict[str, list[dict]] = {name: [] for name in order}
    with tempfile.TemporaryDirectory(prefix="pharmafacts-dask-bench-") as tmp:
        docs = Path(tmp) / "docs"
        chars = corpus.build(args.n, docs)
        print(f"corpus: {args.n} documents, {chars:,} characters", flush=True)
        reference = None  # --jobs 1 runs first in round 1
        for i in range(args.repeat):
            for name in order if i % 2 == 0 else order[::-1]:  # interleaved, every other round reversed
                r = run(docs, RUNS[name], args.n)
                output = r.pop("output")
                reference = output if reference is None else reference
                assert output == reference, f"{LABELS[name]}: output differs from --jobs 1"
                rounds[name].append(r)
                print(f"  round {i + 1}, {LABELS[name]}: {r['seconds']:.1f} s, first document after "
                      f"{r['first_doc_seconds']:.1f} s, steady {r['steady_docs_per_second']:.1f} docs/s, "
                      f"CPU {r['cpu_seconds']:.1f} s", flush=True)
    results = {name: {k: statistics.median(r[k] for r in rs) for k in FIGURES} for name, rs in rounds.items()}
    load_after = os.getloadavg()
    print(f"\nall outputs byte for byte those of --jobs 1; load average at end: "
          f"{load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}\n")
    print(f"`benchmarks/dask_bench.py --n {args.n} --repeat {args.repeat}`, {started}, load average "
          f"{load_before[0]:.2f} at start, {load_after[0]:.2f} at end; {args.n} documents, {chars:,} characters; "
          f"median of {args.repeat} round(s).\n")
    print("\n".join(table(results, args.n)))
    if "dask2" in results:
        ratio = results["dask2"]["docs_per_second"] / results["jobs2"]["docs_per_second"]
        steady = results["dask2"]["steady_docs_per_second"] / results["jobs2"]["steady_docs_per_second"]
        extra = results["dask2"]["overhead_seconds"] - results["jobs2"]["overhead_seconds"]
        print(f"\nTarget (a local cluster of 2 workers within 10 % of `--jobs 2`): {ratio:.2f} of `--jobs 2` "
              f"end to end, {'met' if ratio >= 0.9 else 'not met'}; steady rate {steady:.2f} of `--jobs 2`'s; "
              f"the cluster's start and stop cost {extra:+.1f} s more than the pool's.")
    print("\n*Steady docs/s*: the rate between the first and the last document written. *Overhead*: wall time "
          "minus the documents at the steady rate (start-up, the last tasks, stopping). *CPU*: user + system "
          "time of the command and every process it waited for (the workers), per document; *page faults*: "
          "minor faults of the same processes, which the machine's load does not move.")
    if args.json_out:
        Path(args.json_out).write_text(json.dumps({"n": args.n, "chars": chars, "load_before": load_before,
                                                   "load_after": load_after, "results": results, "rounds": rounds}, indent=2))


if __name__ == "__main__":
    main()
