"""Consolidation at scale: time and peak memory of ``pharmafacts consolidate`` on synthetic corpora.

    PYTHONPATH=src python3 benchmarks/consolidate.py [N ...]      # default: 10000 30000 100000

For each N, writes N synthetic per-document records (JSONL, as ``extract`` writes them) to a
temporary directory and runs ``pharmafacts consolidate`` on them in a fresh process, twice:
``--format json`` and ``--format xlsx``. Prints the time, the peak resident memory of that
process, and what was kept. The records are drawn from a fixed pool of 2,000 invented companies
and 300 sites, each with a few true figures (some revised over time); a document names one or two
of them (with or without legal form, in capitals, by a defined acronym) and states three or four
of their figures, rounded as outlets round. So the entities and facts kept stay about the same
from 10,000 to 100,000 documents while the documents read grow tenfold: what grows is only the
list of sources (one per document and fact, which the output lists). Deterministic for a seed.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_SYLLABLES = "bra ko ve lin dar mo sa ne ri tal vo ru men ka zo fi ler gan to mi sel va dor pe".split()
_TAILS = ["Pharma", "Biologics", "Labs", "Biotech", "Medical", "Therapeutics"]
_FORMS = ["LLC", "JSC", "Ltd", "GmbH"]
_UNITS = {"area": "m2", "jobs": "jobs", "investment": "RUB"}


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def _round(value: float, rng: random.Random) -> int:
    digits = rng.choice([2, 3, 4])
    return int(float(f"{value:.{digits}g}"))


def pool(rng: random.Random, companies: int = 2_000, sites: int = 300) -> tuple[list[dict], list[dict]]:
    comps, seen = [], set()
    while len(comps) < companies:
        words = [_word(rng), *([_word(rng)] if rng.random() < 0.3 else []), rng.choice(_TAILS)]
        name = " ".join(words)
        if name.casefold() in seen:
            continue
        seen.add(name.casefold())
        figures = {kind: [rng.uniform(lo, hi) for _ in range(rng.choice([1, 1, 2]))]  # a second value: a revision
                   for kind, lo, hi in (("area", 2e3, 9e4), ("jobs", 50, 1500), ("investment", 2e8, 2e10))}
        comps.append({"name": name, "form": rng.choice(_FORMS), "acronym": "".join(w[0] for w in words).upper()
                      if rng.random() < 0.2 else None, "figures": figures, "opens": f"{rng.randint(2024, 2029)}"})
    site_list = [{"name": f"{_word(rng)} {rng.choice(['Park', 'Valley', 'Campus'])}", "kind": rng.choice(["park", "sez", "complex"])}
                 for _ in range(sites)]
    return comps, site_list


def document(i: int, rng: random.Random, comps: list[dict], sites: list[dict]) -> dict:
    year, month, day = rng.randint(2023, 2026), rng.randint(1, 12), rng.randint(1, 28)
    text, companies, facts = [], [], []

    def span(s: str) -> dict:
        start = sum(len(t) + 1 for t in text)
        text.append(s)
        return {"start": start, "end": start + len(s), "text": s}

    for c in rng.sample(comps, rng.choice([1, 1, 2])):
        style = rng.random()
        if style < 0.1 and c["acronym"]:
            name, aliases = c["acronym"], []
        elif style < 0.3:
            name, aliases = c["name"].upper(), []
        else:
            name, aliases = c["name"], [f"{c['name']} {c['form']}"]
        companies.append({"name": name, "aliases": aliases + ([c["acronym"]] if c["acronym"] and style > 0.9 else []),
                          "legal_form": c["form"] if aliases else None, "parent": None, "mentions": [span(name)]})
        for kind in rng.sample(["area", "jobs", "investment", "date"], rng.choice([2, 3])):
            if kind == "date":
                value, unit, event = c["opens"], None, "plant opened"
            else:
                value, unit, event = _round(rng.choice(c["figures"][kind]), rng), _UNITS[kind], None
            s = span(f"{value} {unit or ''}".strip())
            facts.append({"kind": kind, "value": value, "value_max": None, "unit": unit, "qualifier": None, "subject": name,
                          **s, "sentence": s["text"], "event": event, "rule": "synthetic", "confidence": 0.9})
    site = rng.choice(sites)
    return {"source": f"synthetic/doc_{i:06d}.txt", "title": None, "doc_date": f"{year}-{month:02d}-{day:02d}",
            "companies": companies, "sites": [{"name": site["name"], "aliases": [], "kind": site["kind"], "part_of": None,
                                               "location": None, "mentions": [span(site["name"])]}],
            "facts": facts, "warnings": []}


def build(n: int, path: Path, seed: int = 0) -> int:
    """Write ``n`` synthetic documents as JSONL to ``path``; return its size in bytes."""
    rng = random.Random(seed)
    comps, sites = pool(rng)
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n):
            f.write(json.dumps(document(i, rng, comps, sites), ensure_ascii=False) + "\n")
    return path.stat().st_size


def run(jsonl: Path, fmt: str, out: Path) -> tuple[float, float, str]:
    """(seconds, peak RSS in MiB of the consolidating process, its summary line)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    start = time.perf_counter()
    code = ("import resource, sys\nfrom pharmafacts.cli import main\n"
            "try:\n    main()\nexcept SystemExit as e:\n    code = e.code\n"
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\nsys.exit(code)\n")
    proc = subprocess.run([sys.executable, "-c", code, "consolidate", str(jsonl), "--format", fmt, "-o", str(out)],
                          env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode:
        raise SystemExit(proc.stderr)
    lines = proc.stderr.strip().splitlines()
    return seconds, int(lines[-1]) / 1024, lines[-2].removeprefix("pharmafacts: ")


def main(sizes: list[int]) -> None:
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores; peak RSS of the consolidating process")
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            jsonl = Path(tmp) / f"docs_{n}.jsonl"
            size = build(n, jsonl)
            for fmt in ("json", "xlsx"):
                out = Path(tmp) / f"corpus_{n}.{fmt}"
                seconds, rss, summary = run(jsonl, fmt, out)
                print(f"N={n:>7,}  input {size / 2**20:6.1f} MiB  --format {fmt:<4}  {seconds:6.1f} s  "
                      f"{n / seconds:7,.0f} doc/s  peak RSS {rss:6.0f} MiB  output {out.stat().st_size / 2**20:6.1f} MiB  | {summary}")
                out.unlink()
            jsonl.unlink()


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [10_000, 30_000, 100_000])
