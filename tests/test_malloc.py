"""glibc's malloc thresholds for batch after batch (pharmafacts._malloc): the values set, nothing
done elsewhere than on glibc and nothing raised, set by the command and not by in-process callers,
and what they do to a real process's allocations. No timing is asserted here."""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys

import pytest

from pharmafacts import _malloc

from .conftest import FIXTURES, ROOT

MIB = 1024 * 1024


class _FakeMallopt:
    """A C function as ctypes gives it: called, and told its argument and result types."""

    def __init__(self, answer: int) -> None:
        self.calls: list[tuple[int, int]] = []
        self.answer = answer
        self.argtypes = self.restype = None

    def __call__(self, param: int, value: int) -> int:
        assert self.argtypes == (ctypes.c_int, ctypes.c_int) and self.restype is ctypes.c_int
        self.calls.append((param, value))
        return self.answer


class _FakeLibc:
    def __init__(self, answer: int = 1) -> None:
        self.mallopt = _FakeMallopt(answer)
        self.calls = self.mallopt.calls


def _fake_cdll(monkeypatch, libc) -> list:
    opened: list = []

    def cdll(name, *args, **kwargs):
        opened.append(name)
        if isinstance(libc, Exception):
            raise libc
        return libc

    monkeypatch.setattr(ctypes, "CDLL", cdll)
    return opened


def test_on_glibc_it_sets_the_trim_and_mmap_thresholds(monkeypatch):
    monkeypatch.setattr(os, "confstr", lambda name: "glibc 2.36", raising=False)
    libc = _FakeLibc()
    _fake_cdll(monkeypatch, libc)
    assert _malloc.keep_batch_memory() is True
    assert libc.calls == [(-1, 128 * MIB), (-3, 32 * MIB)]  # M_TRIM_THRESHOLD, M_MMAP_THRESHOLD


@pytest.mark.parametrize("confstr", [lambda name: None, lambda name: "musl 1.2", "no confstr", ValueError, OSError])
def test_without_glibc_it_does_nothing(monkeypatch, confstr):
    if confstr == "no confstr":
        monkeypatch.delattr(os, "confstr", raising=False)
    elif isinstance(confstr, type):
        def raising(name, error=confstr):
            raise error("unrecognized configuration name")
        monkeypatch.setattr(os, "confstr", raising, raising=False)
    else:
        monkeypatch.setattr(os, "confstr", confstr, raising=False)
    libc = _FakeLibc()
    opened = _fake_cdll(monkeypatch, libc)
    assert _malloc.keep_batch_memory() is False
    assert opened == [] and libc.calls == []


@pytest.mark.parametrize("libc", [OSError("no libc"), object()])  # no library, no mallopt in it
def test_no_mallopt_is_no_failure(monkeypatch, libc):
    monkeypatch.setattr(os, "confstr", lambda name: "glibc 2.36", raising=False)
    _fake_cdll(monkeypatch, libc)
    assert _malloc.keep_batch_memory() is False


def test_a_refused_value_is_reported_not_raised(monkeypatch):
    monkeypatch.setattr(os, "confstr", lambda name: "glibc 2.36", raising=False)
    libc = _FakeLibc(answer=0)
    _fake_cdll(monkeypatch, libc)
    assert _malloc.keep_batch_memory() is False
    assert len(libc.calls) == 2


def test_the_command_keeps_batch_memory_a_cli_runner_does_not():
    """The settings are the whole process's: the command makes them (before the model loads),
    an in-process caller (a CliRunner, a notebook) is left as it was."""
    text = sorted(FIXTURES.glob("*.txt"))[0]
    code = (
        "import sys\n"
        "from pharmafacts import _malloc, api\n"
        "from pharmafacts.cli import main\n"
        "from click.testing import CliRunner\n"
        "calls, loaded = [], []\n"
        "init = api.Extractor.__init__\n"
        "def spy_init(self, *a, **k):\n"
        "    loaded.append(len(calls))\n"
        "    init(self, *a, **k)\n"
        "api.Extractor.__init__ = spy_init\n"
        "_malloc.keep_batch_memory = lambda: calls.append('kept') or True\n"
        f"args = ['extract', {str(text)!r}, '--format', 'json']\n"
        "assert CliRunner().invoke(main, args).exit_code == 0\n"
        "assert calls == [] and loaded == [0], (calls, loaded)\n"
        "sys.argv = ['pharmafacts', *args]\n"
        "try:\n    main()\nexcept SystemExit as exit:\n    assert exit.code == 0, exit.code\n"
        "assert calls == ['kept'] and loaded == [0, 1], (calls, loaded)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr


# What a real process's malloc does with a block of 20 MiB: mapped on its own (glibc's moving
# threshold starts at 128 KiB), or taken from the heap and, once freed, kept there for reuse.
_PROBE = """
import ctypes, json, sys
from pharmafacts import _malloc
class Info(ctypes.Structure):
    _fields_ = [(n, ctypes.c_size_t) for n in ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks",
                                               "fsmblks", "uordblks", "fordblks", "keepcost")]
libc = ctypes.CDLL(None)
libc.mallinfo2.restype = Info
libc.malloc.restype = ctypes.c_void_p
libc.malloc.argtypes = (ctypes.c_size_t,)
libc.free.argtypes = (ctypes.c_void_p,)
kept = _malloc.keep_batch_memory() if sys.argv[1] == "keep" else None
before = libc.mallinfo2()
block = libc.malloc(20 * 1024 * 1024)
during = libc.mallinfo2()
libc.free(block)
after = libc.mallinfo2()
print(json.dumps({"kept": kept, "mapped": during.hblks - before.hblks,
                  "heap_grew": during.arena - before.arena, "heap_after_free": after.arena - before.arena}))
"""


def _probe(mode: str) -> dict:
    import json

    result = subprocess.run([sys.executable, "-c", _PROBE, mode], capture_output=True, text=True, cwd=ROOT,
                            env={k: v for k, v in os.environ.items() if not k.startswith("MALLOC_")})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.skipif(not _malloc.glibc() or not hasattr(ctypes.CDLL(None), "mallinfo2"), reason="glibc 2.33 or later only")
def test_on_glibc_a_freed_block_stays_in_the_heap_for_the_next_batch():
    default, kept = _probe("default"), _probe("keep")
    assert default["mapped"] == 1 and default["heap_grew"] < 20 * 1024 * 1024, default
    assert kept["kept"] is True, kept
    assert kept["mapped"] == 0 and kept["heap_grew"] >= 20 * 1024 * 1024, kept
    assert kept["heap_after_free"] >= 20 * 1024 * 1024, kept  # not trimmed: the next batch reuses its pages
