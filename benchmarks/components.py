"""What each spaCy component costs and contributes.

    python benchmarks/components.py [--docs 200] [--repeat 4]

1. Cost: the model with every component (the lemmatizer too) is run component by
   component over a synthetic corpus (corpus.py); the CPU time of each is the best of
   ``--repeat`` rounds (CPU time, not wall time: other work on the machine disturbs it less).
2. Contribution: for each variant of the pipeline (the default one, then one component
   dropped or added), in a fresh process, the scores of ``score.py`` on the gold sets
   (the seeds in /work/shared when present, and fixtures/ with fixtures/gold).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SCORE = Path("/work/shared/tools/score.py")
VARIANTS = {
    "default (lemmatizer excluded)": {"exclude": ["lemmatizer"]},
    "+ lemmatizer": {"exclude": []},
    "- attribute_ruler": {"exclude": ["lemmatizer", "attribute_ruler"]},
    "- tagger (and attribute_ruler)": {"exclude": ["lemmatizer", "tagger", "attribute_ruler"]},
    "- ner": {"exclude": ["lemmatizer", "ner"]},
    "- parser (+ sentencizer)": {"exclude": ["lemmatizer", "parser"]},
    "- parser (+ senter)": {"exclude": ["lemmatizer", "parser"], "senter": True},
}

WORKER = r"""
import json, sys
from pathlib import Path
import spacy
import pharmafacts.nlp as N
from pharmafacts.api import Extractor
from pharmafacts.output import write_json

variant, out_dir, gold_sets = json.loads(sys.argv[1])
nlp = spacy.load(N.DEFAULT_MODELS[1] if not spacy.util.is_package(N.DEFAULT_MODELS[0]) else N.DEFAULT_MODELS[0],
                 exclude=variant["exclude"])
if variant.get("senter"):
    nlp.enable_pipe("senter")
if "parser" in nlp.pipe_names:
    nlp.add_pipe("pharmafacts_line_breaks", before="parser")
elif "senter" in nlp.pipe_names:
    nlp.add_pipe("pharmafacts_line_breaks", after="senter")
else:
    nlp.add_pipe("sentencizer")
ex = Extractor(nlp=nlp)
outs = []
for i, (gold, docs) in enumerate(gold_sets):
    out = Path(out_dir) / f"pred{i}.json"
    with open(out, "w", encoding="utf-8") as f:
        for _ in write_json(ex.extract_paths([docs]), f):
            pass
    outs.append(str(out))
print(json.dumps({"components": nlp.pipe_names, "outputs": outs}))
"""


COST = r"""
import json, sys, time
from pathlib import Path
import spacy
import pharmafacts.nlp as N
from pharmafacts.clean import clean

corpus_dir, repeat = sys.argv[1], int(sys.argv[2])
name = N.DEFAULT_MODELS[0] if spacy.util.is_package(N.DEFAULT_MODELS[0]) else N.DEFAULT_MODELS[1]
nlp = spacy.load(name)
nlp.add_pipe("pharmafacts_line_breaks", before="parser")
texts = [clean(p.read_text(encoding="utf-8")) for p in sorted(Path(corpus_dir).glob("*.txt"))]
best = {}
for _ in range(repeat):
    docs = [nlp.make_doc(t) for t in texts]
    for component, proc in nlp.pipeline:
        start = time.process_time()
        docs = list(proc.pipe(docs, batch_size=16)) if hasattr(proc, "pipe") else [proc(d) for d in docs]
        best[component] = min(best.get(component, float("inf")), time.process_time() - start)
print(json.dumps({"model": f"{nlp.meta['name']} {nlp.meta['version']}", "chars": sum(map(len, texts)), "seconds": best}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=4)
    args = parser.parse_args()
    gold_sets = [(str(ROOT / "fixtures" / "gold"), str(ROOT / "fixtures"))]
    if Path("/work/shared/gold").is_dir():
        gold_sets.insert(0, ("/work/shared/gold", "/work/shared/seeds"))
    with tempfile.TemporaryDirectory() as tmp:
        docs = Path(tmp) / "docs"
        corpus.build(args.docs, docs)
        res = subprocess.run([sys.executable, "-c", COST, str(docs), str(args.repeat)], capture_output=True, text=True)
        if res.returncode:
            raise SystemExit(res.stderr)
        cost = json.loads(res.stdout.strip().splitlines()[-1])
        total = sum(cost["seconds"].values())
        print(f"Cost per component: {cost['model']}, {args.docs} documents, {cost['chars']:,} characters, CPU seconds, best of {args.repeat}\n")
        print("| component | CPU s | share | characters/s if it ran alone |")
        print("|---|---|---|---|")
        for component, seconds in cost["seconds"].items():
            print(f"| {component} | {seconds:.2f} | {100 * seconds / total:.1f} % | {cost['chars'] / max(seconds, 1e-9):,.0f} |")
        print(f"| all | {total:.2f} | 100 % | {cost['chars'] / total:,.0f} |\n", flush=True)

        rows = []
        for name, variant in VARIANTS.items():
            res = subprocess.run([sys.executable, "-c", WORKER, json.dumps([variant, tmp, gold_sets])], capture_output=True, text=True)
            if res.returncode:
                raise SystemExit(res.stderr)
            info = json.loads(res.stdout.strip().splitlines()[-1])
            scores = []
            for (gold, texts), out in zip(gold_sets, info["outputs"]):
                s = subprocess.run([sys.executable, str(SCORE), gold, texts, out, "--json"], capture_output=True, text=True, check=True)
                scores.append(json.loads(s.stdout))
            saved = sum(v for k, v in cost["seconds"].items() if k not in info["components"] and k != "lemmatizer")
            added = cost["seconds"].get("lemmatizer", 0) if "lemmatizer" in info["components"] else 0
            rows.append((name, info, scores, saved, added))
    names = [Path(g).parent.name + "/" + Path(g).name for g, _ in gold_sets]
    print("| variant | model time vs default | " + " | ".join(
        f"{n}: companies F1 | sites F1 | facts F1 | facts+subject F1" for n in names) + " |")
    print("|" + "---|" * (2 + 4 * len(names)))
    default = total - cost["seconds"].get("lemmatizer", 0)
    for name, info, scores, saved, added in rows:
        cells = []
        for s in scores:
            cells += [f"{s['companies']['f1']:.3f}", f"{s['sites']['f1']:.3f}", f"{s['ALL facts']['f1']:.3f}", f"{s['ALL facts+subject']['f1']:.3f}"]
        print(f"| {name} | {(default - saved + added) / default:.2f} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
