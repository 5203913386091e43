"""Review extraction by eye: a document with its facts and entities highlighted in place.

- :func:`render_terminal` -> a rich ``Text``: the article with each fact and entity mention
  styled by kind and the normalised value written beside it.
- :func:`render_html` -> one self-contained HTML page (inline CSS and JS, no external
  resources) for one or more documents: highlighted text, a legend, a details panel filled
  on click, and a table of facts linking to their place in the text.

Offsets in the records refer to the decoded source text, so both renderers need that text.
Article text is always escaped (HTML) or styled by offsets (rich), never read as markup.
"""

from __future__ import annotations

import html
import json
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cmp_to_key
from itertools import accumulate
from typing import TYPE_CHECKING, Any

from .records import FACT_KINDS, DocumentFacts, Fact

if TYPE_CHECKING:
    from rich.text import Text

ENTITY_KINDS = ("company", "site")

# One colour per kind, shared by the terminal and the page. Each has a contrast of at least 4.5:1
# (WCAG AA) against both black and white, so that it reads on a dark terminal and on a light one,
# as text (underlined mentions, notes) and as the background of white text (facts).
COLOURS = {
    "area": "#318636",
    "jobs": "#1874dd",
    "investment": "#986e09",
    "date": "#a647df",
    "capacity": "#d73b3b",
    "company": "#00828e",
    "site": "#8e6f64",
}


@dataclass(frozen=True)
class Mark:
    """A highlighted span: one fact, or one mention of a company or site."""

    start: int
    end: int
    kind: str  # a fact kind, "company" or "site"
    ref: str  # id of the fact or entity in the page: "d1-f3", "d1-c2", "d1-s1"
    label: str  # what the span means, shown on hover

    @property
    def is_fact(self) -> bool:
        return self.kind in FACT_KINDS

    @property
    def rank(self) -> int:  # facts outside entity mentions when spans coincide
        return 0 if self.is_fact else 1


def format_value(fact: Fact) -> str:
    """``16,750 m2``, ``over 8,500,000,000 RUB``, ``180–215 jobs``, ``2025-10``."""

    def num(v: Any) -> str:
        return f"{v:,}" if isinstance(v, (int, float)) and not isinstance(v, bool) else str(v)

    value = num(fact.value) + (f"–{num(fact.value_max)}" if fact.value_max is not None else "")
    qualifier = fact.qualifier.replace("_", " ") + " " if fact.qualifier else ""
    unit = f" {fact.unit}" if fact.unit else ""
    return f"{qualifier}{value}{unit}"


def fact_label(fact: Fact) -> str:
    """``area: 16,750 m2 → Lumeria`` (and the event, for dates)."""
    event = f" ({fact.event})" if fact.event else ""
    return f"{fact.kind}: {format_value(fact)}{event} → {fact.subject or 'no subject'}"


def marks(doc: DocumentFacts, prefix: str = "") -> list[Mark]:
    """Every fact and entity mention of ``doc`` as a mark; refs are prefixed by ``prefix``."""
    out = [Mark(f.start, f.end, f.kind, f"{prefix}f{i}", fact_label(f)) for i, f in enumerate(doc.facts, 1)]
    for i, c in enumerate(doc.companies, 1):
        label = f"company: {c.name}" + (f" ({c.parent})" if c.parent else "")
        out += [Mark(m.start, m.end, "company", f"{prefix}c{i}", label) for m in c.mentions]
    for i, s in enumerate(doc.sites, 1):
        label = f"site ({s.kind}): {s.name}" + (f", part of {s.part_of}" if s.part_of else "")
        out += [Mark(m.start, m.end, "site", f"{prefix}s{i}", label) for m in s.mentions]
    return list(dict.fromkeys(out))  # a mention listed twice is highlighted once


# --------------------------------------------------------------------------- nesting


@dataclass
class Node:
    """A piece of highlighted text: ``mark`` is None for the root. ``first`` is False for the
    continuation of a mark that had to be closed where it crosses another one."""

    mark: Mark | None
    first: bool = True
    children: list[Node | str] = field(default_factory=list)


def _enclosing_first(a: Mark, b: Mark) -> int:
    """Order of two marks covering the same characters, outermost first: a mark that contains
    the other encloses it (a fact encloses an entity mention with the same span); of two that
    cross, the fact encloses the entity mention (so a fact stays one piece), else the earlier one."""
    a_in_b = b.start <= a.start and a.end <= b.end
    b_in_a = a.start <= b.start and b.end <= a.end
    if a_in_b != b_in_a:
        return -1 if b_in_a else 1
    if a.rank != b.rank:
        return a.rank - b.rank
    return a.start - b.start


def nest(text: str, spans: Iterable[Mark]) -> Node:
    """Turn possibly overlapping marks into a tree of properly nested nodes.

    The text is cut at every mark boundary; each piece is wrapped in the marks covering it,
    outermost first (see :func:`_enclosing_first`). A mark open over the previous piece stays
    open while the marks outside it do not change; otherwise it is closed and continues as a
    new node (``first`` False). Marks outside the text or empty are left out.
    """
    items = list(dict.fromkeys(m for m in spans if 0 <= m.start < m.end <= len(text)))
    starting: dict[int, list[int]] = {}
    for i, m in enumerate(items):
        starting.setdefault(m.start, []).append(i)
    cuts = sorted({0, len(text), *(m.start for m in items), *(m.end for m in items)})
    order = cmp_to_key(lambda i, j: _enclosing_first(items[i], items[j]) or i - j)
    root = Node(None)
    stack: list[tuple[Node, int]] = [(root, -1)]  # open nodes with the index of their mark
    opened: set[int] = set()
    active: list[int] = []
    for a, b in zip(cuts, cuts[1:]):
        active = sorted([i for i in active if items[i].end > a] + starting.get(a, []))
        wanted = sorted(active, key=order)
        keep = 0
        while keep < len(wanted) and keep + 1 < len(stack) and stack[keep + 1][1] == wanted[keep]:
            keep += 1
        del stack[keep + 1 :]
        for i in wanted[keep:]:
            node = Node(items[i], first=i not in opened)
            opened.add(i)
            stack[-1][0].children.append(node)
            stack.append((node, i))
        stack[-1][0].children.append(text[a:b])
    return root


# --------------------------------------------------------------------------- terminal


# Control characters would reach the terminal as they are (an escape sequence in an article
# could recolour or retitle it) and rich drops some (\r), which would move every offset after
# them: each becomes one visible character instead, so offsets still hold.
_TERMINAL_SAFE = {c: chr(0x2400 + c) for c in range(32) if c not in (9, 10)}
_TERMINAL_SAFE.update({13: " ", 127: "\u2421"})
_TERMINAL_SAFE.update({c: "\ufffd" for c in range(0x80, 0xA0)})


def terminal_safe(text: str) -> str:
    """``text`` with control characters (other than tab and newline) replaced, same length."""
    return text.translate(_TERMINAL_SAFE)


def render_terminal(doc: DocumentFacts, text: str) -> Text:
    """The document as rich ``Text``: facts on a coloured background with ``⟨value → subject⟩``
    after them, company and site mentions underlined in their colour."""
    from rich.text import Text

    text = terminal_safe(text)
    inserts = sorted(
        (f.end, terminal_safe(f" ⟨{fact_label(f)}⟩"), f.kind) for f in doc.facts if 0 <= f.start < f.end <= len(text)
    )
    out = Text()
    pos = 0
    for at, note, kind in inserts:
        out.append(text[pos:at])
        out.append(note, style=f"italic {COLOURS[kind]}")
        pos = at
    out.append(text[pos:])
    where = [at for at, _, _ in inserts]  # source offsets with notes inserted, ascending
    added = [0, *accumulate(len(note) for _, note, _ in inserts)]

    def start_of(p: int) -> int:  # after the notes inserted at p
        return p + added[bisect_right(where, p)]

    def end_of(p: int) -> int:  # before the notes inserted at p
        return p + added[bisect_left(where, p)]

    for m in marks(doc):
        if not 0 <= m.start < m.end <= len(text):
            continue
        style = f"bold white on {COLOURS[m.kind]}" if m.is_fact else f"underline {COLOURS[m.kind]}"
        out.stylize(style, start_of(m.start), end_of(m.end))
    return out


def terminal_legend() -> Text:
    from rich.text import Text

    legend = Text("legend: ")
    for kind in FACT_KINDS:
        legend.append(f" {kind} ", style=f"bold white on {COLOURS[kind]}").append(" ")
    for kind in ENTITY_KINDS:
        legend.append(kind, style=f"underline {COLOURS[kind]}").append(" ")
    return legend


# --------------------------------------------------------------------------- HTML


def _attr(value: str) -> str:
    return html.escape(value, quote=True)


def _node_html(node: Node, out: list[str]) -> None:
    for child in node.children:
        if isinstance(child, str):
            out.append(html.escape(child, quote=False))
            continue
        m = child.mark
        cls = f"{'fact' if m.is_fact else 'ent'} k-{m.kind}"
        anchor = f' id="{_attr(m.ref)}"' if m.is_fact and child.first else ""
        out.append(f'<span class="{cls}"{anchor} data-ref="{_attr(m.ref)}" title="{_attr(m.label)}">')
        _node_html(child, out)
        out.append("</span>")


def _script_json(data: Any) -> str:
    """JSON safe inside a <script> element: no '<', '>' or '&' that could end it."""
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _details(doc: DocumentFacts, prefix: str) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for i, f in enumerate(doc.facts, 1):
        out[f"{prefix}f{i}"] = {
            "what": "fact", "source": doc.source, "kind": f.kind, "normalised": format_value(f),
            "value": f.value, "value_max": f.value_max,
            "unit": f.unit, "qualifier": f.qualifier, "subject": f.subject, "event": f.event, "text": f.text,
            "offsets": f"{f.start}-{f.end}", "sentence": f.sentence, "rule": f.rule, "confidence": f.confidence,
        }
    for i, c in enumerate(doc.companies, 1):
        out[f"{prefix}c{i}"] = {"what": "company", "source": doc.source, "name": c.name, "aliases": ", ".join(c.aliases),
                                "legal_form": c.legal_form, "parent": c.parent, "mentions": len(c.mentions)}
    for i, s in enumerate(doc.sites, 1):
        out[f"{prefix}s{i}"] = {"what": "site", "source": doc.source, "name": s.name, "kind": s.kind, "aliases": ", ".join(s.aliases),
                                "part_of": s.part_of, "location": s.location, "mentions": len(s.mentions)}
    return out


def _facts_table(doc: DocumentFacts, prefix: str) -> str:
    if not doc.facts:
        return '<p class="none">No facts found.</p>'
    rows = []
    for i, f in enumerate(doc.facts, 1):
        ref = f"{prefix}f{i}"
        rows.append(
            f'<tr><td><span class="chip k-{f.kind}">{f.kind}</span></td>'
            f"<td>{html.escape(format_value(f))}</td><td>{html.escape(f.subject or '—')}</td>"
            f"<td>{html.escape(f.event or '')}</td>"
            f'<td><a href="#{_attr(ref)}">{html.escape(f.text)}</a></td><td>{f.start}–{f.end}</td></tr>'
        )
    return ('<table class="facts"><thead><tr><th>kind</th><th>value</th><th>subject</th><th>event</th>'
            "<th>text</th><th>offsets</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>")


def _entities_line(doc: DocumentFacts, prefix: str) -> str:
    items = [f'<span class="ent k-company" data-ref="{prefix}c{i}">{html.escape(c.name)}</span>' for i, c in enumerate(doc.companies, 1)]
    items += [f'<span class="ent k-site" data-ref="{prefix}s{i}">{html.escape(s.name)}</span>' for i, s in enumerate(doc.sites, 1)]
    return '<p class="entities">' + (" · ".join(items) if items else "No companies or sites found.") + "</p>"


def document_html(doc: DocumentFacts, text: str, number: int) -> str:
    prefix = f"d{number}-"
    parts: list[str] = []
    _node_html(nest(text, marks(doc, prefix)), parts)
    meta = f" · written {html.escape(doc.doc_date)}" if doc.doc_date else ""
    lead = "\n" if text.startswith("\n") else ""  # an HTML parser drops one newline right after <pre>
    warnings = "".join(f"<li>{html.escape(w)}</li>" for w in doc.warnings)
    return (
        f'<section class="doc" id="d{number}"><h2>{html.escape(doc.source)}</h2>'
        f'<p class="meta">{len(doc.facts)} fact(s), {len(doc.companies)} company(ies), {len(doc.sites)} site(s){meta}</p>'
        + (f'<ul class="warnings">{warnings}</ul>' if warnings else "")
        + f"{_entities_line(doc, prefix)}"
        f'<pre class="text">{lead}{"".join(parts)}</pre>'
        f"<h3>Facts</h3>{_facts_table(doc, prefix)}</section>"
    )


def _all_facts(documents: Sequence[tuple[DocumentFacts, str]]) -> str:
    """Every fact of every document in one table, filtered in the page by kind, subject and confidence."""
    rows = []
    for number, (doc, _) in enumerate(documents, 1):
        for i, f in enumerate(doc.facts, 1):
            ref = f"d{number}-f{i}"
            rows.append(
                f'<tr data-kind="{f.kind}" data-subject="{_attr((f.subject or "").casefold())}" data-confidence="{f.confidence}">'
                f'<td>{html.escape(doc.source)}</td><td><span class="chip k-{f.kind}">{f.kind}</span></td>'
                f"<td>{html.escape(format_value(f))}</td><td>{html.escape(f.subject or '—')}</td><td>{f.confidence:.2f}</td>"
                f'<td><a href="#{_attr(ref)}">{html.escape(f.text)}</a></td></tr>'
            )
    kinds = "".join(f'<option value="{k}">{k}</option>' for k in FACT_KINDS)
    return (
        '<section class="doc" id="all-facts"><h2>All facts</h2><p class="filters">'
        f'<label>kind <select id="f-kind"><option value="">any</option>{kinds}</select></label> '
        '<label>subject <input id="f-subject" type="search" placeholder="contains"></label> '
        '<label>confidence at least <input id="f-confidence" type="number" min="0" max="1" step="0.05" value="0"></label> '
        f'<span id="f-count">{len(rows)} fact(s)</span></p>'
        '<table class="facts" id="all-facts-table"><thead><tr><th>document</th><th>kind</th><th>value</th><th>subject</th>'
        "<th>confidence</th><th>text</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table></section>"
    )


def _problems(problems: Sequence[tuple[str, str]]) -> str:
    if not problems:
        return ""
    items = "".join(f'<li class="{_attr(level)}"><b>{html.escape(level)}</b>: {html.escape(message)}</li>' for level, message in problems)
    return f'<section class="doc" id="problems"><h2>Files not shown</h2><ul>{items}</ul></section>'


def render_html(documents: Sequence[tuple[DocumentFacts, str]], title: str = "pharmafacts review",
                problems: Sequence[tuple[str, str]] = ()) -> str:
    """One self-contained page for ``(document, source text)`` pairs; ``problems`` are the files
    that were skipped or failed, as ``(level, message)`` ("skipped", "FILE: not a text file")."""
    details: dict[str, dict[str, Any]] = {}
    sections = []
    for number, (doc, text) in enumerate(documents, 1):
        details.update(_details(doc, f"d{number}-"))
        sections.append(document_html(doc, text, number))
    legend = "".join(f'<span class="chip k-{k}">{k}</span>' for k in FACT_KINDS)
    legend += "".join(f'<span class="ent k-{k}">{k}</span>' for k in ENTITY_KINDS)
    toc = "".join(f'<li><a href="#d{n}">{html.escape(doc.source)}</a> ({len(doc.facts)})</li>' for n, (doc, _) in enumerate(documents, 1))
    colours = "\n".join(
        f".fact.k-{k},.chip.k-{k}{{background:{c}22;border-bottom:2px solid {c}}}" if k in FACT_KINDS
        else f".ent.k-{k}{{text-decoration:underline 2px {c};text-underline-offset:3px}}"
        for k, c in COLOURS.items()
    )
    return _PAGE.format(
        title=html.escape(title), css=_CSS + colours, legend=legend, toc=toc,
        count=len(documents), sections=_problems(problems) + _all_facts(documents) + "".join(sections),
        data=_script_json(details), script=_SCRIPT,
    )


_CSS = """
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#222;background:#fafafa}
header{padding:.8em 1.5em;background:#fff;border-bottom:1px solid #ddd;position:sticky;top:0;z-index:2}
h1{font-size:1.2em;margin:0 0 .3em}
main{margin-right:24em;padding:0 1.5em 3em}
.doc{background:#fff;border:1px solid #ddd;border-radius:6px;padding:1em 1.5em;margin:1.5em 0}
h2{font-size:1.05em;margin:0 0 .2em;word-break:break-all}
.meta,.none{color:#666;margin:.2em 0}
pre.text{white-space:pre-wrap;word-wrap:break-word;font:inherit;line-height:1.8;margin:1em 0}
.fact,.ent{cursor:pointer}
[id]{scroll-margin-top:7em}
.fact{border-radius:3px;padding:1px 0}
.selected{outline:2px solid #000;outline-offset:1px}
.chip{display:inline-block;padding:0 .5em;margin-right:.5em;border-radius:3px}
.legend .ent{margin-right:.8em}
table.facts{border-collapse:collapse;width:100%;font-size:.9em}
table.facts td,table.facts th{border-bottom:1px solid #eee;padding:.25em .5em;text-align:left;vertical-align:top}
aside{position:fixed;right:0;top:0;bottom:0;width:22em;overflow:auto;background:#fff;border-left:1px solid #ddd;padding:1em;box-sizing:border-box;z-index:3}
aside h2{font-size:1em}
aside dl{display:grid;grid-template-columns:auto 1fr;gap:.2em .8em;margin:0}
aside dt{color:#666}
aside dd{margin:0;word-break:break-word}
nav ul{margin:.2em 0;padding-left:1.2em;font-size:.9em}
.warnings{color:#8a4b00;margin:.3em 0;padding-left:1.2em}
#problems li.failed b{color:#b00020}
.filters label{margin-right:1em}
"""

_SCRIPT = """
(function () {
  var data = JSON.parse(document.getElementById("pf-data").textContent);
  var panel = document.getElementById("details");
  function show(ref) {
    var item = data[ref];
    if (!item) return;
    document.querySelectorAll(".selected").forEach(function (el) { el.classList.remove("selected"); });
    document.querySelectorAll('[data-ref="' + ref + '"]').forEach(function (el) { el.classList.add("selected"); });
    panel.querySelector("p").hidden = true;
    var title = panel.querySelector("h2");
    title.textContent = item.what === "fact" ? item.kind + " fact" : item.what;
    panel.setAttribute("data-shown", ref);
    var list = panel.querySelector("dl");
    list.textContent = "";
    Object.keys(item).forEach(function (key) {
      var value = item[key];
      if (key === "what" || value === null || value === "") return;
      var dt = document.createElement("dt"), dd = document.createElement("dd");
      dt.textContent = key;
      dd.textContent = typeof value === "string" ? value : JSON.stringify(value);
      dd.setAttribute("data-field", key);
      list.appendChild(dt);
      list.appendChild(dd);
    });
  }
  document.addEventListener("click", function (event) {
    var el = event.target.closest("[data-ref]");
    if (el) show(el.getAttribute("data-ref"));
  });
  function fromHash() {  // #d1-f3 or #click=d1-f3: select that fact as a click on it would
    var id;
    try { id = decodeURIComponent(location.hash.slice(1)); } catch (e) { return; }
    if (id.indexOf("click=") === 0) id = id.slice(6);
    var el = id && document.getElementById(id);
    if (!el || !el.hasAttribute("data-ref")) return;
    el.click();
    el.scrollIntoView({block: "nearest"});  // only if it is out of view
  }
  var kind = document.getElementById("f-kind"), subject = document.getElementById("f-subject"),
      confidence = document.getElementById("f-confidence"), count = document.getElementById("f-count");
  function filter() {  // the table of all facts: rows of the kind, subject and confidence asked for
    var rows = document.querySelectorAll("#all-facts-table tbody tr"), shown = 0, least = parseFloat(confidence.value) || 0,
        part = subject.value.toLowerCase();
    rows.forEach(function (row) {
      var keep = (!kind.value || row.getAttribute("data-kind") === kind.value) &&
                 row.getAttribute("data-subject").indexOf(part) >= 0 &&
                 parseFloat(row.getAttribute("data-confidence")) >= least;
      row.hidden = !keep;
      if (keep) shown++;
    });
    count.textContent = shown + " fact(s)";
  }
  [kind, subject, confidence].forEach(function (el) { el.addEventListener("input", filter); });
  window.addEventListener("hashchange", fromHash);
  fromHash();
})();
"""

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{css}</style>
</head>
<body>
<header>
<h1>{title}: {count} document(s)</h1>
<div class="legend">{legend}</div>
</header>
<aside id="details"><h2>Details</h2><p>Click a highlighted fact, company or site to see what was extracted.</p><dl></dl></aside>
<main>
<nav><ul>{toc}</ul></nav>
{sections}
</main>
<script type="application/json" id="pf-data">{data}</script>
<script>{script}</script>
</body>
</html>
"""
