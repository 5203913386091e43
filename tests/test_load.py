"""Loading: finding files, telling text from binary, decoding, and the text oddities after it."""

from __future__ import annotations

import os
import socket

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from pharmafacts.clean import INVISIBLE, LONG_RUN, clean, clean_text
from pharmafacts.errors import LoadError, NotTextError, one_line
from pharmafacts import load
from pharmafacts.load import decode, expand_paths, read_source

RU_EN = "Компания «Герофарм» открыла завод. Nordvita LLC opened a plant of 12,000 square meters in Tver.\n"
DE = "Die Fabrik in Halle kostet 120 Mio. € – größer als erwartet. Über 250 Arbeitsplätze, “sagt” Müller.\n"
RU_LONG = (
    "Компания Герофарм открыла завод площадью 28 000 кв. м в особой экономической зоне. "
    "Инвестиции составили 6,3 млрд рублей. На заводе будут работать 340 человек.\n"
)
FR = "L'usine de Château-Thierry, d'une surface de 12 000 m², élève déjà la production.\n"


# --- decoding -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data, text",
    [
        (RU_EN.encode("utf-8"), RU_EN),
        (RU_EN.encode("utf-8-sig"), RU_EN),  # BOM dropped: offsets start at the first character
        (RU_EN.encode("utf-16"), RU_EN),
        (RU_EN.encode("utf-16-be").join([b"\xfe\xff", b""]), RU_EN),
        (RU_EN.encode("utf-32"), RU_EN),
        (b"", ""),
        (b"  \n\t\r\n", "  \n\t\r\n"),
    ],
    ids=["utf8", "utf8-bom", "utf16-le-bom", "utf16-be-bom", "utf32-bom", "empty", "whitespace"],
)
def test_decode_unicode_without_warning(data, text):
    assert decode(data, "f.txt") == (text, ())


@pytest.mark.parametrize(
    "text, encoding, guessed",
    [
        (RU_EN, "cp1251", "cp1251"),
        (DE, "cp1252", "cp1252"),
        (FR, "latin-1", "cp1252"),  # the same characters: Windows-1252 extends Latin-1
        (RU_LONG, "koi8-r", "koi8-r"),  # KOI8-R needs more text than one sentence to be told from 1251
    ],
)
def test_decode_guesses_legacy_encodings_and_says_so(text, encoding, guessed):
    assert decode(text.encode(encoding), "f.txt") == (text, (f"encoding guessed as {guessed}",))


EN = ("Nordvita’s new plant in Tver opened this week. “It’s a big step,” the company’s head said. "
      "Velmar JSC will invest 7.4 billion rubles and employ 340 people — more than planned.\n") * 3
EN8 = EN.encode("utf-8")
APOS = EN.index("’")  # the first curly apostrophe: its UTF-8 bytes start at APOS too (all ASCII before it)
RU3 = RU_LONG * 3
DE3 = DE * 3


@pytest.mark.parametrize("data, text, warning", [
    (EN8[:60] + b"\x92" + EN8[60:], EN8[:60].decode() + "’" + EN8[60:].decode(), "1 byte(s) read as cp1252"),
    (EN8[:APOS] + "’".encode()[:2] + EN8[APOS + 3 :], EN[:APOS] + "\ufffd" + EN[APOS + 1 :], "1 replaced by U+FFFD"),
    (EN8 + "—".encode()[:2], EN + "\ufffd", "1 replaced by U+FFFD"),
    (EN8 + "—".encode()[:1], EN + "\ufffd", "1 replaced by U+FFFD"),
    (EN8 + b"\xe9t\xe9.", EN + "été.", "2 byte(s) read as cp1252"),
    (RU3.encode() + RU3.encode("cp1251"), RU3 + RU3, "cp1251"),
    (EN8 + DE3.encode("cp1252"), EN + DE3, "cp1252"),
], ids=["a stray Windows-1252 quote", "a character cut short", "cut short at the end", "a lone lead byte at the end",
        "two stray Windows-1252 letters", "UTF-8 then Windows-1251 (two files joined)", "UTF-8 then Windows-1252"])
def test_decode_utf8_with_broken_bytes_part_by_part(data, text, warning):
    """UTF-8 with a few bytes that are not: the UTF-8 as UTF-8, a character cut short as U+FFFD, the
    other bytes in the legacy encoding they fit best, and one warning line saying so."""
    got, warnings = decode(data, "f.txt")
    assert got == text
    [message] = warnings
    assert message.startswith("invalid UTF-8 at ") and warning in message


@pytest.mark.parametrize("text, encoding", [
    (EN, "cp1252"), (DE3, "cp1252"), (FR * 3, "latin-1"), (RU3, "cp1251"), (RU3, "koi8-r"), (RU3, "cp866"),
    (RU3 + "Nordvita LLC opened a plant in Tver.\n", "cp1251"),
])
def test_decode_keeps_the_legacy_guess_for_legacy_texts(text, encoding):
    got, [warning] = decode(text.encode(encoding), "f.txt")
    assert got == text and warning.startswith("encoding guessed as ")


def test_decode_names_windows_1252_when_it_reads_the_same():
    """A text whose only bytes beyond ASCII are quotes and dashes reads the same in 1251 and 1252."""
    assert decode("Velmar’s “plant” — opened.".encode("cp1252"), "f.txt")[1] == ("encoding guessed as cp1252",)


@pytest.mark.parametrize(
    "data, kind",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG image"),
        (b"GIF89a\x01\x00", "GIF image"),
        (b"PK\x03\x04\x14\x00\x06\x00", "ZIP archive"),
        (b"\x1f\x8b\x08\x00", "gzip archive"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3", "PDF document"),
        (b"\x7fELF\x02\x01\x01", "ELF executable"),
        (b"plain start\x00then a NUL", "contains NUL bytes"),
        (bytes(range(1, 32)) * 40, "binary data"),
    ],
)
def test_decode_rejects_binary(data, kind):
    with pytest.raises(NotTextError) as info:
        decode(data, "f.txt")
    assert str(info.value) == f"f.txt: not a text file ({kind})"


@pytest.mark.parametrize(("controls", "binary"), [(100, False), (101, True)])
def test_binary_data_is_more_than_a_tenth_control_bytes(controls, binary):
    # 1,000 bytes: tabs, line breaks and escapes are text; other control bytes and DEL are not
    data = bytes([1, 0x7F] * (controls // 2) + [0x1F] * (controls % 2)) + b"\t\n\r\x1b plain words " * 60
    data = data[:1000]
    assert len(data) == 1000
    assert (load._binary_kind(data) == "binary data") is binary


def test_decode_broken_utf16_is_an_error_not_a_skip():
    with pytest.raises(LoadError) as info:
        decode(b"\xff\xfeA\x00B", "f.txt")  # a BOM, then an odd number of bytes
    assert not isinstance(info.value, NotTextError)
    assert str(info.value) == "f.txt: invalid UTF-16 at byte 4"  # bytes counted from the start of the file


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=600))
def test_decode_arbitrary_bytes_gives_text_or_a_load_error(data):
    try:
        text, warnings = decode(data, "f.txt")
    except LoadError as err:
        assert "\n" not in str(err) and str(err).startswith("f.txt: ")
        return
    assert isinstance(text, str) and all(isinstance(w, str) for w in warnings)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300), st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-be", "utf-32"]))
def test_decode_round_trips_unicode_encodings(text, encoding):
    assume(not text.startswith("\ufeff" if encoding == "utf-8" else "\x00"))  # would read as a BOM
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    try:
        decoded, _ = decode(data, "f.txt")
    except NotTextError:  # NULs or many controls in plain UTF-8: fair to call it binary; never with a BOM
        assert encoding == "utf-8"
        return
    assert decoded == text


# --- reading files --------------------------------------------------------------------------


def test_read_source_files(tmp_path):
    (tmp_path / "ru.txt").write_bytes(RU_EN.encode("cp1251"))
    (tmp_path / "empty.txt").write_bytes(b"")
    assert read_source(str(tmp_path / "ru.txt")).warnings == ("encoding guessed as cp1251",)
    assert read_source(str(tmp_path / "empty.txt")).text == ""


def test_read_source_errors_name_the_file(tmp_path):
    (tmp_path / "dir.txt").mkdir()
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "nowhere")
    cases = {
        "gone.txt": "no such file",
        "dir.txt": "is a directory",
        "dangling.txt": "broken symbolic link",
    }
    for name, reason in cases.items():
        path = str(tmp_path / name)
        with pytest.raises(LoadError) as info:
            read_source(path)
        assert str(info.value) == f"{path}: {reason}"
        assert not isinstance(info.value, NotTextError)


def test_read_source_permission_denied(tmp_path, monkeypatch):
    path = tmp_path / "locked.txt"
    path.write_text("Nordvita LLC will employ 340 people.\n")
    real_open = os.open

    def deny(file, *args, **kwargs):  # as root chmod 000 does not stop reading, so refuse here
        if os.fspath(file) == str(path):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(os, "open", deny)
    with pytest.raises(LoadError) as info:
        read_source(str(path))
    assert str(info.value) == f"{path}: permission denied"


def test_special_files_are_skipped_without_opening(tmp_path):
    fifo = tmp_path / "fifo.txt"
    os.mkfifo(fifo)  # opening it for reading would block this test forever
    sock_path = tmp_path / "sock.txt"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(sock_path))
        for path, kind in [(str(fifo), "FIFO"), (str(sock_path), "socket"), (os.devnull, "device")]:
            with pytest.raises(NotTextError) as info:
                read_source(path)
            assert str(info.value) == f"{path}: not a regular file ({kind})"
    finally:
        server.close()


def test_one_line_escapes_odd_file_names():
    err = LoadError("a\nb\udcff.txt", "no such file")
    assert str(err) == "a\\nb\\udcff.txt: no such file"
    assert one_line("Завод 1.txt") == "Завод 1.txt"


# --- finding files --------------------------------------------------------------------------


def test_expand_paths_sorted_recursive_and_pattern(tmp_path):
    for rel in ["b/2.txt", "b/1.txt", "a.txt", "c.md", "a/z.txt"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    got = [os.path.relpath(p, tmp_path) for p in expand_paths([str(tmp_path)])]
    assert got == ["a.txt", os.path.join("a", "z.txt"), os.path.join("b", "1.txt"), os.path.join("b", "2.txt")]
    assert [os.path.relpath(p, tmp_path) for p in expand_paths([str(tmp_path)], "*.md")] == ["c.md"]


def test_expand_paths_symlink_loops_end(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "doc.txt").write_text("x")
    (tmp_path / "a" / "b" / "up").symlink_to(tmp_path / "a")  # a/b/up -> a: a loop
    (tmp_path / "a" / "self").symlink_to(".")  # a/self -> a: another
    (tmp_path / "twin").symlink_to(tmp_path / "a" / "b")  # a second way into the same directory
    got = list(expand_paths([str(tmp_path)]))
    assert [os.path.basename(p) for p in got] == ["doc.txt"]


def test_expand_paths_reports_unlistable_directories(tmp_path, monkeypatch):
    (tmp_path / "ok.txt").write_text("x")
    (tmp_path / "sub").mkdir()
    real_scandir = os.scandir

    def refuse(path="."):
        if os.fspath(path) == str(tmp_path / "sub"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", refuse)
    errors: list[LoadError] = []
    got = list(expand_paths([str(tmp_path)], on_error=errors.append))
    assert got == [str(tmp_path / "ok.txt")]
    assert [str(e) for e in errors] == [f"{tmp_path / 'sub'}: cannot list directory: permission denied"]


def test_expand_paths_yields_special_files_for_read_source_to_skip(tmp_path):
    os.mkfifo(tmp_path / "fifo.txt")
    assert list(expand_paths([str(tmp_path)])) == [str(tmp_path / "fifo.txt")]


# --- text oddities through clean ------------------------------------------------------------


_NOISE = st.one_of(
    st.text(),
    st.text(alphabet=INVISIBLE + "ab1 .,-()[]\"'=«»\r\n", max_size=400),
    st.lists(st.sampled_from(["((", "))", "=", "\"", "[", "]", "-", "Nord", "vita", " ", "\n", *INVISIBLE]), max_size=300).map("".join),
)


def _by_hand(text: str) -> str:
    """What clean makes of ``text``, one rule at a time, without its tables or regular expressions."""
    out = []
    for c in text:
        if c in INVISIBLE:
            continue
        if c in "\u00a0\u2007\u202f\u2009\u200a\u2002\u2003\u2004\u2005\u2006\u2008\u205f\u3000" or (
            (ord(c) < 0x20 and c not in "\t\n\r") or 0x7F <= ord(c) < 0xA0
        ):
            c = " "
        elif c in "\u2018\u2019\u201a\u201b\u2032\u00b4`":
            c = "'"
        elif c in "\u201c\u201d\u201e\u201f\u2033":
            c = '"'
        elif c in "\u2010\u2011\u2212":
            c = "-"
        out.append(c)
    return "".join(out).replace("\r\n", " \n").replace("\r", "\n")


@settings(max_examples=300, deadline=None)
@given(_NOISE)
def test_clean_maps_every_character_back_to_the_original(text):
    c = clean_text(text)
    kept = [c.source_offset(i) for i in range(len(c.text))]
    assert kept == sorted(set(kept))  # in order, each original character at most once
    dropped = set(range(len(text))) - set(kept)
    assert all(text[i] in INVISIBLE for i in dropped) and all(text[i] not in INVISIBLE for i in kept)
    expected = _by_hand(text)
    assert len(c.text) == len(expected)
    for got, want, i in zip(c.text, expected, kept):  # the same, but where a long run was blanked
        assert got == want or (got == " " and not want.isalnum() and not want.isspace() and text[i] not in INVISIBLE)
    assert all((a == "\n") == (text[i] == "\n") or text[i] == "\r" for a, i in zip(c.text, kept))
    if len(text) <= LONG_RUN:  # a span's original characters clean to the span
        for a in range(len(c.text) + 1):
            for b in range(a, min(len(c.text), a + 12) + 1):
                piece = text[c.source_span(a, b)]
                if not piece.endswith("\r"):  # (CR LF cut in two is a lone CR)
                    assert clean(piece) == c.text[a:b]


@pytest.mark.parametrize("text, cleaned", [
    ("Nord\u00advita LLC", "Nordvita LLC"),
    ("\u200f340 people", "340 people"),
    ("12\u200b000\u2060m\u00b2", "12000m\u00b2"),
    ("\u202bالشركة\u202c Velmar", "الشركة Velmar"),
    ("a\u200c\u200d\u200eb", "ab"),
    ("\ufeffKestrel", "Kestrel"),
], ids=["soft hyphen", "right-to-left mark", "zero-width space and word joiner", "embedding", "joiners", "inner BOM"])
def test_invisible_characters_are_removed_and_offsets_map_back(text, cleaned):
    c = clean_text(text)
    assert c.text == cleaned
    last = len(cleaned)
    assert text[c.source_span(0, last)] == text.strip(INVISIBLE)
    assert c.read(text)[0:last] == cleaned


def test_a_long_run_of_punctuation_is_blanked_without_moving_an_offset():
    text = "Nordvita " + "=" * 4000 + " " + "(" * 500 + '"' * 500 + " end (a) " + "=" * (LONG_RUN - 5)
    c = clean_text(text)
    assert c.text == "Nordvita " + " " * 5001 + " end (a) " + "=" * (LONG_RUN - 5)  # a shorter run is kept
    word = "Nordvita" * 40  # letters are never touched, however long the run
    assert clean(word) == word
    assert clean("(Velmar)" * 30) == " Velmar " * 30
    spaced = "( [ = ] )\n" * 30  # no letter or digit in 300 characters: blanked, line breaks kept
    assert clean(spaced) == "         \n" * 30
    assert clean("( [ = ] )\n" * 20) == "( [ = ] )\n" * 20


def test_five_megabyte_line_loads_and_cleans_one_to_one(tmp_path):
    line = ("Nordvita\u00a0LLC opened a plant of 28\u202f000 m² — “good” 🙂 news\x07. " * 80_000)[: 5_000_000]
    path = tmp_path / "long.txt"
    path.write_bytes(line.encode("utf-8"))
    source = read_source(str(path))
    assert source.text == line and "\n" not in source.text
    cleaned = clean(source.text)
    assert len(cleaned) == len(line)  # nothing invisible in it: every offset is its own
    i = line.index("28\u202f000")
    assert cleaned[i : i + 9] == "28 000 m²"
