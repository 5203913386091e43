"""Time per character of whole extraction as a text grows, for prose and for hostile input.

    PYTHONPATH=src python benchmarks/linear.py                 # 10 KB, 100 KB, 1 MB
    PYTHONPATH=src python benchmarks/linear.py --sizes 10000 100000

Each input is one text of the given length made by repeating a unit: invented news prose,
and runs of punctuation that make spaCy's tokenizer quadratic unless ``clean`` blanks
them (nested brackets, brackets and quotes, "=" runs, short punctuation groups between
spaces, digits and hyphens). A column that stays flat as the size grows is linear work.
Figures are printed, never asserted (tests assert no timings).
"""

from __future__ import annotations

import argparse
import time

from pharmafacts import Extractor

PROSE = (
    "Nordvita LLC opened a plant of 12,000 square meters in the Kestrel Park industrial zone in Tver. "
    "It will employ 340 people. Velmar JSC will invest 7.4 billion rubles in a second site by 2027.\n\n"
)
UNITS = {
    "prose": PROSE,
    "nested brackets": "(" * 5000 + ")" * 5000 + "\n",
    "brackets and quotes": '(["' * 3000 + "\n",
    "= runs": "=" * 4000 + "\n",
    "short groups": "((((=====)))) " * 20 + "\n",
    "digits and hyphens": "1-" * 2000 + "\n",
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    args = parser.parse_args()
    extractor = Extractor()
    extractor.extract_text(PROSE * 20)  # warm-up
    print("| input | " + " | ".join(f"{n:,} chars µs/char" for n in args.sizes) + " |")
    print("|---|" + "---|" * len(args.sizes))
    for name, unit in UNITS.items():
        cells = []
        for size in args.sizes:
            text = (unit * (size // len(unit) + 1))[:size]
            start = time.perf_counter()
            extractor.extract_text(text)
            cells.append(f"{(time.perf_counter() - start) / size * 1e6:.1f}")
        print(f"| {name} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
