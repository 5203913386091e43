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

import heapq
import html
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .records import DocumentFacts, Fact

if TYPE_CHECKING:
    from rich.text import Text

FACT_KINDS = ("area", "jobs", "investment", "date", "capacity")
ENTITY_KINDS = ("company", "site")

# One colour per kind, shared by the terminal and the page.
COLOURS = {
    "area": "#2e7d32",
    "jobs": "#1565c0",
    "investment": "#b8860b",
    "date": "#6a1b9a",
    "capacity": "#c62828",
    "company": "#00838f",
    "site": "#8d6e63",
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
    continuation of a mark split where it crosses the end of an enclosing one."""

    mark: Mark | None
    first: bool = True
    children: list[Node | str] = field(default_factory=list)


def nest(text: str, spans: Iterable[Mark]) -> Node:
    """Turn possibly overlapping marks into a tree of properly nested nodes.

    Marks open in order of (start, longer first, facts first); a mark that runs past the
    end of the node it opened in is cut there and continues as a new piece after it.
    """
    heap: list[tuple[int, int, int, int, Mark, bool]] = []
    seq = 0
    for m in spans:
        if 0 <= m.start < m.end <= len(text):
            heap.append((m.start, -m.end, m.rank, seq, m, True))
            seq += 1
    heapq.heapify(heap)
    root = Node(None)
    stack: list[tuple[Node, int]] = [(root, len(text))]
    pos = 0

    def emit(upto: int) -> None:
        nonlocal pos
        if upto > pos:
            stack[-1][0].children.append(text[pos:upto])
            pos = upto

    while heap:
        start, neg_end, rank, _, mark, first = heapq.heappop(heap)
        end = -neg_end
        while stack[-1][1] <= start and len(stack) > 1:
            emit(stack[-1][1])
            stack.pop()
        emit(start)
        limit = stack[-1][1]
        if end > limit:
            seq += 1
            heapq.heappush(heap, (limit, -end, rank, seq, mark, False))
            end = limit
        node = Node(mark, first)
        stack[-1][0].children.append(node)
        stack.append((node, end))
    while len(stack) > 1:
        emit(stack[-1][1])
        stack.pop()
    emit(len(text))
    return root


# --------------------------------------------------------------------------- terminal


def render_terminal(doc: DocumentFacts, text: str) -> Text:
    """The document as rich ``Text``: facts on a coloured background with ``⟨value → subject⟩``
    after them, company and site mentions underlined in their colour."""
    from rich.text import Text

    inserts = sorted((f.end, f" ⟨{fact_label(f)}⟩", f.kind) for f in doc.facts if 0 <= f.start < f.end <= len(text))
    out = Text()
    shift: list[tuple[int, int]] = []  # (source offset, characters inserted at it)
    pos = 0
    for at, note, kind in inserts:
        out.append(text[pos:at])
        shift.append((at, len(note)))
        out.append(note, style=f"italic {COLOURS[kind]}")
        pos = at
    out.append(text[pos:])

    def start_of(p: int) -> int:
        return p + sum(n for at, n in shift if at <= p)

    def end_of(p: int) -> int:
        return p + sum(n for at, n in shift if at < p)

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
            "what": "fact", "source": doc.source, "kind": f.kind, "value": f.value, "value_max": f.value_max,
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
    return (
        f'<section class="doc" id="d{number}"><h2>{html.escape(doc.source)}</h2>'
        f'<p class="meta">{len(doc.facts)} fact(s), {len(doc.companies)} company(ies), {len(doc.sites)} site(s){meta}</p>'
        f"{_entities_line(doc, prefix)}"
        f'<pre class="text">{"".join(parts)}</pre>'
        f"<h3>Facts</h3>{_facts_table(doc, prefix)}</section>"
    )


def render_html(documents: Sequence[tuple[DocumentFacts, str]], title: str = "pharmafacts review") -> str:
    """One self-contained page for ``(document, source text)`` pairs."""
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
        count=len(documents), sections="".join(sections), data=_script_json(details), script=_SCRIPT,
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
    var title = panel.querySelector("h2");
    title.textContent = item.what === "fact" ? item.kind + " fact" : item.what;
    panel.setAttribute("data-ref", ref);
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
  function fromHash() {  // #d1-f3: select that fact as a click on it would
    var el = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (el && el.hasAttribute("data-ref")) el.click();
  }
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
