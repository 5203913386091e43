"""Throughput and peak memory of pharmafacts against the spaCy model alone.

    python benchmarks/bench.py                   # N = 100 and 1000, once each
    python benchmarks/bench.py --sizes 100 --repeat 3 --json out.json

For each corpus size N (synthetic documents in the genre, see corpus.py) every run is
a fresh process, timed from start to exit and watched for memory:

- ``raw``: the same pipeline (same model, same components) loading, reading the texts
  and running ``nlp.pipe`` over them; the time of ``nlp.pipe`` alone is reported too;
- ``jobs1`` / ``jobs2``: ``pharmafacts extract DIR --format jsonl --jobs 1|2`` with its
  output going to a file.

Throughput is characters of input per second of wall time. Ratios are given against
``nlp.pipe`` alone (the model's own speed: the target) and against the raw process
end to end (which pays the same start-up: import and model load). Peak memory is the
largest resident set of one process (``wait4``'s ``ru_maxrss``) and the peak of the
whole process tree, as the sum of its processes' resident sets and of their
proportional sets (PSS: shared pages of forked workers counted once), sampled every
250 ms from /proc (reading a process's PSS costs the kernel about 1.6 ms: sampled more
often, the watcher itself takes a share of the cores the workers need). CPU time is
the process's and its workers' (``wait4``). Also timed: ``pharmafacts --help``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402

RAW = r"""
import json, sys, time
from pathlib import Path
from pharmafacts.clean import clean
from pharmafacts.nlp import load_pipeline
nlp = load_pipeline(sys.argv[2] or None)
texts = [clean(p.read_text(encoding="utf-8")) for p in sorted(Path(sys.argv[1]).glob("*.txt"))]
start = time.perf_counter()
for doc in nlp.pipe(texts, batch_size=16):
    pass
print(json.dumps({"pipe_seconds": time.perf_counter() - start, "chars": sum(map(len, texts)),
                  "components": nlp.pipe_names, "model": nlp.meta["name"], "model_version": nlp.meta["version"]}))
"""
SAMPLE_SECONDS = 0.25
PHARMAFACTS = "import sys; from pharmafacts.cli import main; sys.argv[0] = 'pharmafacts'; main()"


def _children(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            with open(f"/proc/{p}/task/{p}/children") as f:
                todo.extend(int(c) for c in f.read().split())
        except OSError:
            pass
    return out


def _memory_kib(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of one process in KiB, 0 if it is gone."""
    rss = pss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Rss:"):
                    rss = int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss = int(line.split()[1])
    except (OSError, ValueError):
        pass
    return rss, pss


class Run:
    """A command in a fresh process: wall time, its standard output, and peak memory."""

    def __init__(self, args: list[str], stdout_path: Path | None = None) -> None:
        self.peak_tree_rss = self.peak_tree_pss = 0
        with tempfile.TemporaryFile("w+") as err, tempfile.TemporaryFile("w+") as tmp_out:
            out = open(stdout_path, "w") if stdout_path else tmp_out
            start = time.perf_counter()
            proc = subprocess.Popen(args, stdout=out, stderr=err, text=True)
            done = threading.Event()
            watcher = threading.Thread(target=self._watch, args=(proc.pid, done), daemon=True)
            watcher.start()
            _, status, usage = os.wait4(proc.pid, 0)  # wait4: the largest resident set of one process
            self.seconds = time.perf_counter() - start
            proc.returncode = os.waitstatus_to_exitcode(status)
            done.set()
            watcher.join()
            self.max_rss = usage.ru_maxrss
            self.cpu_seconds = usage.ru_utime + usage.ru_stime  # with the workers it has reaped
            if stdout_path:
                out.close()
            if proc.returncode != 0:
                err.seek(0)
                raise SystemExit(f"{' '.join(args)} failed ({proc.returncode}):\n{err.read()}")
            tmp_out.seek(0)
            self.stdout = tmp_out.read()

    def _watch(self, pid: int, done: threading.Event) -> None:
        while not done.is_set():
            rss = pss = 0
            for p in _children(pid):
                r, s = _memory_kib(p)
                rss += r
                pss += s
            self.peak_tree_rss = max(self.peak_tree_rss, rss)
            self.peak_tree_pss = max(self.peak_tree_pss, pss)
            done.wait(SAMPLE_SECONDS)


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), platform.processor())
    import spacy

    return {"nproc": os.cpu_count(), "affinity": len(os.sched_getaffinity(0)), "cpu": cpu,
            "python": platform.python_version(), "spacy": spacy.__version__, "platform": platform.platform(),
            "load_average_at_start": os.getloadavg()}


def bench_help(repeat: int = 7) -> float:
    times = [Run([sys.executable, "-c", PHARMAFACTS, "--help"]).seconds for _ in range(repeat)]
    return statistics.median(times)


def bench_size(n: int, repeat: int, model: str | None, jobs: list[int]) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"pharmafacts-bench-{n}-") as tmp:
        docs = Path(tmp) / "docs"
        chars = corpus.build(n, docs)
        result: dict = {"n": n, "chars": chars}
        runs: dict[str, list[dict]] = {}

        def run_raw() -> None:
            raw = Run([sys.executable, "-c", RAW, str(docs), model or ""])
            info = json.loads(raw.stdout)
            result.update(components=info["components"], model=f"{info['model']} {info['model_version']}")
            runs.setdefault("raw", []).append({"seconds": raw.seconds, "cpu_seconds": raw.cpu_seconds, "pipe_seconds": info["pipe_seconds"],
                                               "max_rss": raw.max_rss, "tree_rss": raw.peak_tree_rss, "tree_pss": raw.peak_tree_pss})

        def run_jobs(j: int) -> None:
            out = Path(tmp) / f"out{j}.jsonl"
            args = [sys.executable, "-c", PHARMAFACTS, "extract", str(docs), "--format", "jsonl", "--jobs", str(j), "--quiet"]
            if model:
                args += ["--model", model]
            run = Run(args, stdout_path=out)
            lines = sum(1 for _ in open(out))
            assert lines == n, f"{lines} documents out of {n}"
            runs.setdefault(f"jobs{j}", []).append({"seconds": run.seconds, "cpu_seconds": run.cpu_seconds, "max_rss": run.max_rss,
                                                    "tree_rss": run.peak_tree_rss, "tree_pss": run.peak_tree_pss})

        order = [run_raw, *(lambda j=j: run_jobs(j) for j in jobs)]
        for i in range(repeat):
            # interleaved, and every other round in reverse (raw, 1, 2, 2, 1, raw, ...), so that a busy
            # spell on the machine, or a slow drift of its speed, hits all runs alike
            for run_one in order if i % 2 == 0 else order[::-1]:
                run_one()
        for name, rs in runs.items():
            best = min(rs, key=lambda r: r["seconds"])  # the least disturbed run
            result[name] = {**best, "chars_per_second": chars / best["seconds"], "all_seconds": [round(r["seconds"], 2) for r in rs]}
        raw = result["raw"]
        raw["pipe_chars_per_second"] = chars / raw["pipe_seconds"]
        for j in jobs:
            r = result[f"jobs{j}"]
            r["ratio_to_pipe"] = r["chars_per_second"] / raw["pipe_chars_per_second"]
            r["ratio_to_raw_process"] = r["chars_per_second"] / raw["chars_per_second"]
        if 1 in jobs:
            for j in jobs:
                result[f"jobs{j}"]["speedup_over_jobs1"] = result[f"jobs{j}"]["chars_per_second"] / result["jobs1"]["chars_per_second"]
        return result


def _mib(kib: int) -> str:
    return f"{kib / 1024:.0f}"


def table(results: list[dict], jobs: list[int]) -> str:
    lines = ["| N | chars | run | wall s | CPU s | chars/s | vs nlp.pipe | vs raw process | vs jobs 1 | max RSS MiB | tree RSS MiB | tree PSS MiB |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        raw = r["raw"]
        lines.append(f"| {r['n']} | {r['chars']:,} | nlp.pipe only | {raw['pipe_seconds']:.1f} | | {raw['pipe_chars_per_second']:,.0f} | 1.00 | | | | | |")
        lines.append(f"| {r['n']} | {r['chars']:,} | raw process | {raw['seconds']:.1f} | {raw['cpu_seconds']:.1f} | {raw['chars_per_second']:,.0f} | "
                     f"{raw['chars_per_second'] / raw['pipe_chars_per_second']:.2f} | 1.00 | | {_mib(raw['max_rss'])} | {_mib(raw['tree_rss'])} | {_mib(raw['tree_pss'])} |")
        for j in jobs:
            x = r[f"jobs{j}"]
            lines.append(f"| {r['n']} | {r['chars']:,} | pharmafacts --jobs {j} | {x['seconds']:.1f} | {x['cpu_seconds']:.1f} | {x['chars_per_second']:,.0f} | "
                         f"{x['ratio_to_pipe']:.2f} | {x['ratio_to_raw_process']:.2f} | {x.get('speedup_over_jobs1', float('nan')):.2f} | "
                         f"{_mib(x['max_rss'])} | {_mib(x['tree_rss'])} | {_mib(x['tree_pss'])} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=1, help="runs of each; the fastest is reported")
    parser.add_argument("--model", default=None)
    parser.add_argument("--json", dest="json_out", default=None, help="also write the figures to this file")
    args = parser.parse_args()

    info = machine()
    print(f"machine: {info}", flush=True)
    help_seconds = bench_help()
    print(f"pharmafacts --help: {help_seconds:.3f} s (median of 7)", flush=True)
    results = []
    for n in args.sizes:
        results.append(bench_size(n, args.repeat, args.model, args.jobs))
        print(f"N={n} done: " + json.dumps({k: v for k, v in results[-1].items() if k not in ("components",)}, default=str), flush=True)
    print(f"\nmodel: {results[0]['model']}, components: {', '.join(results[0]['components'])}\n")
    print(table(results, args.jobs))
    if len(results) > 1 and 1 in args.jobs:
        small, big = results[0], results[-1]
        for j in args.jobs:
            a, b = small[f"jobs{j}"], big[f"jobs{j}"]
            print(f"\n--jobs {j}: peak memory N={big['n']} vs N={small['n']}: max RSS {b['max_rss'] / a['max_rss']:.3f}x, "
                  f"tree PSS {b['tree_pss'] / a['tree_pss']:.3f}x", end="")
        print()
    if args.json_out:
        Path(args.json_out).write_text(json.dumps({"machine": info, "help_seconds": help_seconds, "results": results}, indent=2))


if __name__ == "__main__":
    main()
