"""A synthetic corpus in the genre: the fixture texts with their names and figures varied.

``build(n, dest)`` writes ``n`` documents ``dest/doc_00000.txt`` ... drawn in turn from
``fixtures/*.txt``. In each copy the distinctive words of company and site names
(taken from ``fixtures/gold``) are replaced by invented ones, and every figure gets new
digits of the same shape (years stay plausible), so that no two documents are the
same text. Deterministic for a seed.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
_SYLLABLES = "bra ko ve lin dar mo sa ne ri tal vo ru men ka zo fi ler gan to mi sel va dor pe".split()
_NUMBER = re.compile(r"\d+")
# Generic words of names, left as they are.
_SKIP = {"Group", "Pharma", "Biotech", "Pharm", "Industrial", "Valley", "Commerce", "Center", "Park", "Cluster",
         "Biopharmaceutical", "Process", "Systems", "Pharmaceuticals", "Lifesciences", "Biologics", "Bioprocess", "Farm", "Nova"}


def _name_words() -> list[str]:
    words: set[str] = set()
    for path in sorted((FIXTURES / "gold").glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        for ent in gold.get("companies", []) + gold.get("sites", []):
            for name in [ent["name"], *(ent.get("aliases") or [])]:
                for word in re.findall(r"[A-Z][a-z]{3,}", name):
                    if word not in _SKIP:
                        words.add(word)
    return sorted(words)


def _invent(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def _vary_number(match: re.Match[str], rng: random.Random) -> str:
    digits = match.group()
    if len(digits) == 4 and digits[:2] in ("19", "20"):
        return str(rng.randint(2012, 2029))
    if len(digits) <= 2 and int(digits) <= 31:
        return str(rng.randint(1, 28)).zfill(len(digits))
    first = str(rng.randint(1, 9))
    return first + "".join(str(rng.randint(0, 9)) for _ in digits[1:])


def variant(text: str, rng: random.Random, words: list[str]) -> str:
    for word in words:
        if word in text:
            text = re.sub(rf"\b{word}\b", _invent(rng), text)
    return _NUMBER.sub(lambda m: _vary_number(m, rng), text)


def build(n: int, dest: Path, seed: int = 0) -> int:
    """Write ``n`` documents to ``dest``; return their total length in characters."""
    rng = random.Random(seed)
    texts = [p.read_text(encoding="utf-8") for p in sorted(FIXTURES.glob("*.txt"))]
    words = _name_words()
    dest.mkdir(parents=True, exist_ok=True)
    total = 0
    for i in range(n):
        text = variant(texts[i % len(texts)], rng, words)
        (dest / f"doc_{i:05d}.txt").write_text(text, encoding="utf-8")
        total += len(text)
    return total
