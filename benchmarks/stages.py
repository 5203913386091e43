"""What the work after the spaCy model costs, stage by stage, and how it grows with text length.

    python benchmarks/stages.py                  # 200 corpus documents, then one long text
    python benchmarks/stages.py --docs 100 --long 100000 400000

The documents go through the model once; then each stage of ``build_document`` is run
over all of them several times and the least CPU time is reported, in milliseconds per
document (no profiler: its overhead would distort the small functions). The long texts
are corpus documents joined with blank lines; work per character that stays the same
as the text grows shows the stages are linear in its length.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402

from pharmafacts.api import build_document, find_facts, find_mentions  # noqa: E402
from pharmafacts.clean import clean  # noqa: E402
from pharmafacts.extract import companies, dates, evidence, mentions  # noqa: E402
from pharmafacts.extract.context import Analysis  # noqa: E402
from pharmafacts.load import Source  # noqa: E402
from pharmafacts.nlp import load_pipeline, pipe  # noqa: E402
from pharmafacts.resolve.aliases import build_entities  # noqa: E402
from pharmafacts.resolve.duplicates import dedupe  # noqa: E402
from pharmafacts.resolve.subjects import SubjectResolver  # noqa: E402
from pharmafacts.values.dates import find_dates  # noqa: E402
from pharmafacts.values.quantities import find_quantities  # noqa: E402


def best_of(repeat: int, f: Callable[[], object]) -> float:
    """The least CPU time (this process's user and system time) of ``repeat`` runs: on a shared
    machine the wall time also counts the other processes' turns."""
    times = []
    for _ in range(repeat):
        start = time.process_time()
        f()
        times.append(time.process_time() - start)
    return min(times)


def stages(texts: list[str], docs: list, repeat: int) -> None:
    n = len(docs)
    ans = [Analysis(t, d) for t, d in zip(texts, docs)]
    for an in ans:
        an.quantities  # noqa: B018 (cached: computed once, as build_document does)
    candidates = [[*companies.extract(a), *mentions.sites(a)] for a in ans]
    found_mentions = [find_mentions(a) for a in ans]
    found = [dates.find(a)[1] for a in ans]
    entities = [build_entities(a, m) for a, m in zip(ans, found_mentions)]

    def facts() -> list:
        return [find_facts(a, d) for a, d in zip(ans, found)]

    raw = facts()
    rows = [
        ("Analysis (sentences, token offsets)", lambda: [Analysis(t, d) for t, d in zip(texts, docs)]),
        ("values.find_quantities", lambda: [find_quantities(t) for t in texts]),
        ("values.find_dates (one pass)", lambda: [find_dates(t) for t in texts]),
        ("extract.dates.find (document date, relative dates)", lambda: [dates.find(a) for a in ans]),
        ("extract.companies", lambda: [companies.extract(a) for a in ans]),
        ("extract.mentions (sites)", lambda: [list(mentions.sites(a)) for a in ans]),
        ("extract.evidence.decide (company or not, per name)", lambda: [evidence.decide(a, c) for a, c in zip(ans, candidates)]),
        ("resolve.aliases.build_entities", lambda: [build_entities(a, m) for a, m in zip(ans, found_mentions)]),
        ("extract facts (area, jobs, investment, capacity, dates)", facts),
        ("resolve subjects and duplicates", lambda: [dedupe(SubjectResolver(a, e, o).run(r)) for a, (e, o), r in zip(ans, entities, raw)]),
        ("build_document (all of the above, and the records)", lambda: [build_document(Source("x", t), d) for t, d in zip(texts, docs)]),
    ]
    load = " ".join(open("/proc/loadavg").read().split()[:3]) if Path("/proc/loadavg").exists() else "?"
    print(f"\n{n} documents, {sum(map(len, texts)) // n:,} characters on average, CPU ms per document (best of {repeat}; load average {load}):\n")
    print("| stage | ms per document |\n|---|---|")
    for name, f in rows:
        print(f"| {name} | {best_of(repeat, f) / n * 1000:.2f} |", flush=True)


def long_texts(texts: list[str], sizes: list[int], nlp) -> None:
    print("\n| characters | build_document s | µs per character | facts |\n|---|---|---|---|")
    for size in sizes:
        parts: list[str] = []
        total = 0
        for t in texts:
            if total >= size:
                break
            parts.append(t)
            total += len(t) + 2
        text = clean("\n\n".join(parts))
        doc = next(pipe(nlp, [(text, None)]))[0]
        seconds = best_of(2, lambda: build_document(Source("long", text), doc))
        facts = len(build_document(Source("long", text), doc).facts)
        print(f"| {len(text):,} | {seconds:.2f} | {seconds / len(text) * 1e6:.2f} | {facts:,} |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--long", type=int, nargs="*", default=[175_000, 700_000], help="lengths of the long texts")
    args = parser.parse_args()
    nlp = load_pipeline()
    with tempfile.TemporaryDirectory(prefix="pharmafacts-stages-") as tmp:
        corpus.build(max(args.docs, 500), Path(tmp))
        texts = [clean(p.read_text(encoding="utf-8")) for p in sorted(Path(tmp).glob("*.txt"))]
    docs = [doc for doc, _ in pipe(nlp, [(t, None) for t in texts[: args.docs]])]
    stages(texts[: args.docs], docs, args.repeat)
    if args.long:
        long_texts(texts, args.long, nlp)


if __name__ == "__main__":
    main()
