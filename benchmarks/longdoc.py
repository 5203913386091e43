"""Long documents: peak memory per MB of text, and time per character split between the model
and the work after it, as one text grows.

    PYTHONPATH=src python benchmarks/longdoc.py                          # memory at 1, 2, 5 MB; time at 10 KB, 100 KB, 1 MB
    PYTHONPATH=src python benchmarks/longdoc.py --memory 1 2 --time      # memory only
    PYTHONPATH=src python benchmarks/longdoc.py --memory --time 10000 100000 --kinds prose

Texts: ``varied`` is corpus documents (fixture texts with their names and figures varied, see
corpus.py) joined with blank lines; ``prose`` is linear.py's unit of invented prose repeated,
so that a few names get thousands of mentions.

Memory: each size runs in a fresh process that loads the pipeline, spends the memory-zone
warm-up on other text, builds the text, then resets the kernel's peak (``/proc/self/clear_refs``)
and extracts; the figures are the peak resident set over what the process held before
(``VmHWM`` - ``VmRSS``), for the model and the join (``nlp.parse``) and for the work after it
(``build_document``); and the process's peak resident set in all (the reset peak also resets
``ru_maxrss``, so it is the resident set before plus the larger of the two).

Time: CPU seconds (user + system) of ``nlp.pipe`` over the text's pieces, of joining them
(``nlp.join``) and of ``build_document``, median of ``--repeat`` runs, in µs per character.
A column that stays flat as the text grows is linear work. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402
from linear import PROSE  # noqa: E402

MB = 1_000_000


def varied(size: int, seed: int = 0) -> str:
    """Corpus documents joined with blank lines, cut at a document's end once ``size`` is reached."""
    rng = random.Random(seed)
    texts = [p.read_text(encoding="utf-8") for p in sorted(corpus.FIXTURES.glob("*.txt"))]
    words = corpus._name_words()
    parts: list[str] = []
    total = i = 0
    while total < size:
        parts.append(corpus.variant(texts[i % len(texts)], rng, words).strip())
        total += len(parts[-1]) + 2
        i += 1
    return "\n\n".join(parts) + "\n"


def prose(size: int) -> str:
    return (PROSE * (size // len(PROSE) + 1))[:size]


KINDS = {"varied": varied, "prose": prose}


def _status(field: str) -> int:
    """A field of /proc/self/status in KiB."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise KeyError(field)


def _reset_peak() -> None:
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")  # resets VmHWM to the current RSS


def _child_memory(kind: str, size: int) -> None:
    from pharmafacts import Extractor
    from pharmafacts.api import build_document
    from pharmafacts.clean import clean_text
    from pharmafacts.load import Source
    from pharmafacts.nlp import WARM_CHARS, memory_zone, parse

    ext = Extractor()
    nlp = ext.nlp
    ext.extract_text(varied(WARM_CHARS, seed=1))  # the warm-up spent on other text
    text = KINDS[kind](size)
    cleaned = clean_text(text)
    gc.collect()
    base = _status("VmRSS")
    _reset_peak()
    with memory_zone(nlp, [cleaned.text]):
        doc = parse(nlp, cleaned.text)
        parse_peak = _status("VmHWM") - base
        held = _status("VmRSS") - base
        _reset_peak()
        record = build_document(Source("long", text), doc, None, cleaned=cleaned)
        build_peak = _status("VmHWM") - base
        del doc
    print(json.dumps({"chars": len(text), "facts": len(record.facts), "parse_peak": parse_peak, "held": held,
                      "build_peak": build_peak, "base": base}))


def memory(sizes: list[float], kinds: list[str]) -> None:
    print("\nPeak memory over the loaded, warmed process (MiB; per MB of text in brackets):\n")
    print("| text | MB | model and join: peak | resident after it | build_document: peak | process peak RSS | facts |")
    print("|---|---|---|---|---|---|---|")
    for kind in kinds:
        for mb in sizes:
            out = subprocess.run([sys.executable, __file__, "--child-memory", kind, str(int(mb * MB))],
                                 capture_output=True, text=True, check=True)
            r = json.loads(out.stdout.splitlines()[-1])
            per = r["chars"] / MB

            def cell(kib: int) -> str:
                return f"{kib / 1024:.0f} ({kib / 1024 / per:.0f})"

            print(f"| {kind} | {per:.2f} | {cell(r['parse_peak'])} | {cell(r['held'])} | {cell(r['build_peak'])} "
                  f"| {(r['base'] + max(r['parse_peak'], r['build_peak'])) / 1024:.0f} | {r['facts']:,} |", flush=True)


def _cpu() -> float:
    t = os.times()
    return t.user + t.system


def timing(sizes: list[int], kinds: list[str], repeat: int) -> None:
    from pharmafacts import nlp as pf_nlp
    from pharmafacts.api import build_document
    from pharmafacts.clean import clean_text
    from pharmafacts.load import Source
    from spacy.tokens import Doc

    nlp = pf_nlp.load_pipeline()
    strip = getattr(pf_nlp, "strip", lambda doc: doc)  # (before the change: nothing dropped)
    join = getattr(pf_nlp, "join", lambda docs: Doc.from_docs(docs, ensure_whitespace=False, exclude=["tensor", "user_data"]))
    with pf_nlp.memory_zone(nlp, [varied(pf_nlp.WARM_CHARS, seed=1)]):
        pass
    print(f"\nCPU µs per character, median of {repeat} (load average {os.getloadavg()[0]:.2f} at start):\n")
    print("| text | characters | model (nlp.pipe of the pieces) | join | build_document | all | facts |")
    print("|---|---|---|---|---|---|---|")
    for kind in kinds:
        for size in sizes:
            text = KINDS[kind](size)
            cleaned = clean_text(text)
            pieces = pf_nlp.split_text(cleaned.text, min(pf_nlp.PIECE_CHARS, nlp.max_length), nlp.max_length)
            runs = []
            for _ in range(repeat):
                with pf_nlp.memory_zone(nlp, [cleaned.text]):
                    t0 = _cpu()
                    docs = [strip(d) for d in nlp.pipe(pieces, batch_size=16)]
                    t1 = _cpu()
                    doc = join(docs) if len(docs) > 1 else docs[0]
                    del docs
                    t2 = _cpu()
                    record = build_document(Source("long", text), doc, None, cleaned=cleaned)
                    t3 = _cpu()
                    del doc
                runs.append((t1 - t0, t2 - t1, t3 - t2, t3 - t0))
            cells = [f"{statistics.median(r[k] for r in runs) / len(text) * 1e6:.1f}" for k in range(4)]
            print(f"| {kind} | {len(text):,} | " + " | ".join(cells) + f" | {len(record.facts):,} |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--memory", type=float, nargs="*", default=[1, 2, 5], help="sizes in MB (none: skip)")
    parser.add_argument("--time", type=int, nargs="*", default=[10_000, 100_000, 1_000_000], help="sizes in characters (none: skip)")
    parser.add_argument("--kinds", nargs="+", default=["varied", "prose"], choices=sorted(KINDS))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child-memory", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_memory:
        _child_memory(args.child_memory[0], int(args.child_memory[1]))
        return
    print(f"load average at start: {os.getloadavg()[0]:.2f}")
    if args.memory:
        memory(args.memory, args.kinds)
    if args.time:
        timing(args.time, args.kinds, args.repeat)


if __name__ == "__main__":
    main()
