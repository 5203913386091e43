"""Site mentions: special economic zones, their sites, industrial parks, clusters, named complexes.

Names come from a head word ("SEZ", "site", "Industrial Park", "Cluster",
"Center", "Complex") and the proper name beside it. A city on its own is a
location, not a site.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .context import LEXICON, Analysis, EntityMention
from .names import NAME_WORD, name_after, name_before

_NON_SITE = re.compile(r"\b(?:" + "|".join(map(re.escape, LEXICON["non_site_words"])) + r")\b")
_SEZ_HEAD = r"(?:SEZ|[Ss]pecial[ ]+[Ee]conomic[ ]+[Zz]one|[Ff]ree[ ]+[Ee]conomic[ ]+[Zz]one|[Ss]pecial[ ]+[Ii]ndustrial[ ]+[Zz]one)"
_PARK_HEAD = r"(?:[Ii]ndustrial[ ]+[Pp]ark|[Tt]echnopark|[Tt]echnology[ ]+[Pp]ark|[Ss]cience[ ]+[Pp]ark|[Pp]harma(?:ceutical)?[ ]+[Pp]ark|[Bb]iotech[ ]+[Pp]ark|[Ii]nnovation[ ]+[Pp]ark|Park)"
_CLUSTER_HEAD = r"(?:(?:[Pp]harmaceutical|[Bb]iotech(?:nology)?|[Mm]edical|[Ii]ndustrial)[ ]+)?[Cc]luster"
_COMPLEX_HEAD = r"(?:Center|Centre|Complex|Campus|Hub)"

_SEZ_AFTER_NAME = re.compile(rf"(?<=[\w\"”»])[ \t]+{_SEZ_HEAD}\b(?:[ \t]+\(SEZ\))?")
_SEZ_BEFORE_NAME = re.compile(rf"\b{_SEZ_HEAD}[ \t]+(?=[\"«“]?[A-Z])")
_LOWER_HEADS = re.compile(r"(?<=[\w\"”»])[ \t]+(campus|industrial zone|industrial estate|business park|pharma hub)\b")
_SITE_AFTER_NAME = re.compile(r"(?<=[\w\"”»])[ \t]+[Ss]ite\b")
_PARK_AFTER_NAME = re.compile(rf"(?<=[\w\"”»])[ \t]+{_PARK_HEAD}\b")
_PARK_BEFORE_NAME = re.compile(r"\b(?:[Ii]ndustrial|[Tt]echnology|[Pp]harma(?:ceutical)?)[ \t]+park[ \t]+(?=[\"«“][A-Z])")
_CLUSTER_AFTER_NAME = re.compile(rf"(?<=[\w\"”»])(?:['’]s)?[ \t]+{_CLUSTER_HEAD}\b")
_COMPLEX_NAME = re.compile(
    rf"(?<![\w-])((?:{NAME_WORD}[ \t]+(?:(?:and|of|for|&)[ \t]+)?){{0,6}}{_COMPLEX_HEAD}(?:[ \t]+(?:of|for)[ \t]+(?:{NAME_WORD})(?:[ \t]+(?:and[ \t]+)?{NAME_WORD}){{0,4}})?)"
)
_UNNAMED_COMPLEX = re.compile(
    r"\b(?:construction|building|creation|development)[ \t]+of[ \t]+an?[ \t]+((?:[a-z][a-z-]+[ \t]+){1,3}(?:center|centre|complex|campus|hub))\b(?![ \t]+(?:by|of|for)[ \t]+[A-Z\"«“])"
)
_ADJECTIVES = {"new", "modern", "large", "big", "small", "major", "first", "second", "unique", "powerful", "important", "integrated", "state-of-the-art", "high-tech", "own"}


def _site_name_ok(name: str) -> bool:
    return bool(name) and "\n" not in name and not _NON_SITE.search(name) and len(name) <= 80


def _named_before_head(an: Analysis, pattern: re.Pattern[str], kind: str, fmt: str, rule: str) -> Iterator[EntityMention]:
    for m in pattern.finditer(an.text):
        found = name_before(an, m.start())
        if not found or not _site_name_ok(found[1]):
            continue
        start, name = found
        head = re.sub(r"^['’]s[ \t]+", "", m.group(0).strip())
        yield EntityMention(start, m.end(), fmt.format(name=name, head=head), kind, rule)


def _named_after_head(an: Analysis, pattern: re.Pattern[str], kind: str, fmt: str, rule: str) -> Iterator[EntityMention]:
    for m in pattern.finditer(an.text):
        found = name_after(an, m.end())
        if not found or not _site_name_ok(found[1]):
            continue
        start, name = found
        # "the special economic zone Dubrava SEZ Oka Valley": stop at a following SEZ word
        name = re.split(r"[ \t]+SEZ\b", name)[0]
        yield EntityMention(m.start(), start + len(name), fmt.format(name=name), kind, rule)


def _complexes(an: Analysis) -> Iterator[EntityMention]:
    for m in _COMPLEX_NAME.finditer(an.text):
        full = m.group(1)
        # drop leading function words: "The Research and Production Complex" -> "Research and Production Complex"
        start = m.start(1)
        while True:
            lead = re.match(r"(?:The|A|An|This|That|Its|Our|In|At|On|By|Of)[ \t]+", full)
            if not lead:
                break
            full = full[lead.end() :]
            start += lead.end()
        words = full.split()
        if len(words) < 2 or not _site_name_ok(full) or words[0] in ("and", "of", "for"):
            continue
        yield EntityMention(start, start + len(full), full, "complex", "named_complex")
    for m in _UNNAMED_COMPLEX.finditer(an.text):
        phrase = m.group(1)
        if all(w in _ADJECTIVES for w in phrase.split()[:-1]):
            continue
        yield EntityMention(m.start(1), m.end(1), phrase, "complex", "unnamed_complex")


def extract(an: Analysis) -> list[EntityMention]:
    """All site mentions in the document."""
    out: list[EntityMention] = []
    out += _named_before_head(an, _SEZ_AFTER_NAME, "sez", "{name} SEZ", "name_sez")
    out += _named_after_head(an, _SEZ_BEFORE_NAME, "sez", "{name} SEZ", "sez_name")
    out += _named_before_head(an, _SITE_AFTER_NAME, "site", "{name}", "name_site")
    out += _named_before_head(an, _PARK_AFTER_NAME, "park", "{name} {head}", "name_park")
    out += _named_after_head(an, _PARK_BEFORE_NAME, "park", "{name}", "park_name")
    out += _named_before_head(an, _CLUSTER_AFTER_NAME, "cluster", "{name} {head}", "name_cluster")
    for m in _LOWER_HEADS.finditer(an.text):
        found = name_before(an, m.start())
        if found and _site_name_ok(found[1]):
            kind = "complex" if m.group(1) in ("campus", "pharma hub") else "park" if "park" in m.group(1) or "estate" in m.group(1) else "sez"
            yield_name = f"{found[1]} {m.group(1)}"
            out.append(EntityMention(found[0], m.end(), yield_name, kind, "name_lower_head"))
    out += _complexes(an)
    return out
