"""Capacity facts: what a plant can produce in a year ("up to 7.2 million vials a year").

A count is a capacity when its sentence speaks of capacity, of a yearly figure or of the plant at
full operation ("once fully operational, it will make 40 million vials"), and
it is a number of products: the noun it counts in the parse (else the word after it)
is a product, not staff, buildings, lines or phases. Capacity is yearly: a figure whose
own period is a day, a week or a month is not one, and a volume is one only with a yearly
word ("3 million litres a year", not "2,000-litre bioreactors"); a yearly figure of sales or use
("sold 40 million packs a year") is none unless the sentence speaks of capacity. A small count written in words
("four large upgrades", "one of the two bases") counts things, not output, which is
written in digits or with a scale word. The parse also rules out counts that are not
output: the means or the place of production ("through three filling lines", "split
into two phases") and the step of a change ("raise capacity by 600 million capsules to
1.5 billion": the 1.5 billion is the capacity).
"""

from __future__ import annotations

import re

from spacy.tokens import Token

from .context import FACT_CUES, Analysis, RawFact, cue_regex

_CUES = cue_regex(FACT_CUES["capacity_cues"])
_YEARLY_CUES = cue_regex(FACT_CUES["capacity_yearly_cues"])
_VOLUMES = frozenset(FACT_CUES["capacity_volume_units"])
_SALES = cue_regex(FACT_CUES["capacity_sales_cues"])
_CAPACITY_WORDS = cue_regex(FACT_CUES["capacity_words"])
_UPTO = cue_regex(FACT_CUES["capacity_upto_cues"])
_EXCLUDED = {w.lower() for w in FACT_CUES["capacity_exclusions"]}
_NOT_OUTPUT_PREPOSITIONS = frozenset(FACT_CUES["capacity_not_output_prepositions"])
_PRODUCT = re.compile(r"\s+((?:[a-z][a-z-]+\s+){0,2}?)([a-z][a-z-]+)\b(?=\s+(?:of|per|a|an|each|every|annually|yearly|and|or)\b|[,.;)]|$)")
# the first period said after the figure is its own: "1.8 billion capsules a year and 4 million vials a month"
_PERIOD = re.compile(
    r"(?:\b(?:per|a|an|each|every)\s+|/)(?P<unit>day|month|week|shift|hour|year|annum|yr)\b|\b(?P<adverb>annually|yearly|daily|monthly|weekly)\b|\b(?P<pa>p\.a\.)", re.I
)
_YEARLY = {"year", "annum", "annually", "yearly", "yr", "p.a."}
_WORDS_LIMIT = 100  # "ninety-nine tablets" is a count; "five million tablets" an output


def _counted_noun(an: Analysis, end: int) -> Token | None:
    """The noun the number ending at ``end`` is the number of, in the parse: "5 million [vials]"."""
    tok = an.token_at(end - 1)
    if tok is None or tok.pos_ != "NUM" or tok.dep_ not in ("nummod", "compound"):
        return None
    noun = tok.head
    while noun.pos_ == "NUM" and noun.dep_ in ("nummod", "compound") and noun.head.i > noun.i:
        noun = noun.head  # "3 billion": 3 -> billion -> tablets
    return noun if noun.pos_ == "NOUN" and noun.i > tok.i else None


def is_output(noun: Token) -> bool:
    """False when the parse makes the counted noun the object of a preposition of means or place,
    or the step of a change, rather than what is produced."""
    return not (noun.dep_ == "pobj" and noun.head.lower_ in _NOT_OUTPUT_PREPOSITIONS)


def extract(an: Analysis) -> list[RawFact]:
    out = []
    text = an.text
    cued: dict[int, bool] = {}
    for q in an.quantities:
        if q.kind != "number" or (q.value < _WORDS_LIMIT and not any(c.isdigit() for c in q.text)):
            continue
        s = an.sentence_at(q.start)
        if s is None:
            continue
        noun = _counted_noun(an, q.end)
        if noun is not None and noun.idx + len(noun.text) <= s.end:
            if not is_output(noun):
                continue
            unit, product_end = noun.lower_, noun.idx + len(noun.text)
            modifiers = [t for t in noun.doc[an.token_at(q.end - 1).i + 1 : noun.i] if not t.is_space]
        else:
            m = _PRODUCT.match(text, q.end, min(s.end, q.end + 60))
            if not m:
                continue
            noun = an.token_at(m.start(2))
            if noun is None or noun.tag_ not in ("NNS", "NN") or noun.pos_ != "NOUN":
                continue
            unit, product_end = m.group(2).lower(), m.end(2)
            modifiers = [t for t in an.tokens_between(m.start(1), m.end(1)) if not t.is_space] if m.group(1) else []
        if unit in _EXCLUDED:
            continue
        if any(t.pos_ not in ("ADJ", "VERB", "NOUN", "PUNCT") or t.lower_ in _EXCLUDED for t in modifiers):
            continue
        if s.index not in cued:
            cued[s.index] = _CUES.search(text, s.start, s.end) is not None
        if not cued[s.index]:
            continue
        if _SALES.search(text, s.start, s.end) and not _CAPACITY_WORDS.search(text, s.start, s.end):
            continue  # "sold 40 million packs a year": sales, not what the plant can make
        if unit in _VOLUMES and not _YEARLY_CUES.search(text, s.start, s.end):
            continue  # "four 2,000-litre bioreactors with a total capacity of 8,000 litres": a size
        period = _PERIOD.search(text, product_end, min(s.end, product_end + 80))
        if period and (period["unit"] or period["adverb"] or period["pa"]).lower() not in _YEARLY:
            continue
        qualifier = q.qualifier
        if qualifier is None and _UPTO.search(text, s.start, q.start):
            qualifier = "up_to"
        out.append(RawFact("capacity", q.value, unit, qualifier, q.start, product_end, s, "capacity_cue", 0.8, q.value_max))
    return out
