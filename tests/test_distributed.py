"""Dask: the output of a cluster is byte for byte that of `--jobs 1`, in the same order, for 1, 2
and 3 workers, for a worker killed mid-run, in every format; without Dask, `--dask` says what to
install. Every cluster here listens on the loopback interface only, and every wait is bounded."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from .conftest import FIXTURES, ROOT

try:
    import distributed as _distributed  # noqa: F401
except ImportError:
    _distributed = None
needs_dask = pytest.mark.skipif(_distributed is None, reason='Dask is not installed: pip install "pharmafacts[dask]"')

RUN_TIMEOUT = 240  # seconds for one command (a local cluster starting on a busy machine included)
CODE = "import sys; from pharmafacts.cli import main; sys.argv[0] = 'pharmafacts'; main()"


def _cli(*args: str, prelude: str = "") -> subprocess.CompletedProcess:
    """The real command in a fresh process."""
    return subprocess.run([sys.executable, "-c", prelude + CODE, *args], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"}, timeout=RUN_TIMEOUT)


def _same(got: tuple[int, str, str], want: tuple[int, str, str]) -> None:
    """The same exit code and data, byte for byte; the same warning and error lines and the same
    summary. (With one process a file that cannot be read is reported as it is read, a warning
    as its document is written after its batch; on a cluster each comes in input order.)"""
    assert got[:2] == want[:2]
    assert sorted(got[2].splitlines()) == sorted(want[2].splitlines()), got[2]
    assert got[2].splitlines()[-1:] == want[2].splitlines()[-1:]


def _run(*args: str) -> tuple[int, str, str]:
    """The command in this process (the pipeline loaded once for all): exit code, stdout, stderr."""
    from click.testing import CliRunner

    from pharmafacts.cli import main

    with deadline(RUN_TIMEOUT):
        result = CliRunner().invoke(main, ["extract", *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@contextmanager
def deadline(seconds: float):
    """Fail (instead of hanging) when the block takes longer than ``seconds``."""
    def expired(signum, frame):
        raise TimeoutError(f"took longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# --- without Dask ----------------------------------------------------------------------------

def test_dask_not_installed_says_what_to_install():
    hide = "import sys; sys.modules['dask'] = sys.modules['distributed'] = None; "  # import raises ImportError
    result = _cli("extract", str(FIXTURES), "--dask", "local", prelude=hide)
    assert result.returncode == 1
    assert result.stderr == 'pharmafacts: error: Dask is not installed: pip install "pharmafacts[dask]"\n'
    assert result.stdout == ""


@needs_dask
def test_partition_lost_on_every_worker_is_reported_per_document(corpus):
    """When Dask gives up on a partition (KilledWorker: each worker that ran it died), each of its
    documents is a WorkerError, in its place, as with `--jobs`; the others go on."""
    from distributed import KilledWorker

    from pharmafacts import distributed
    from pharmafacts.errors import WorkerError

    class Done:
        def __init__(self, fn, args):
            self.fn, self.args = fn, args

        def result(self):
            if any(isinstance(x, tuple) and "b_02" in x[0] for x in self.args[0]):
                raise KilledWorker("extract_partition-1", "tcp://127.0.0.1:1", 3)
            return [x if not isinstance(x, tuple) else x[0] for x in self.args[0]]  # a name for a record

    class Client:
        def nthreads(self):
            return {"tcp://127.0.0.1:1": 1}

        def submit(self, fn, *args, pure=True):
            return Done(fn, args)

    errors = []
    got = list(distributed.extract_paths([str(corpus)], Client(), partition_size=2, on_error=errors.append))
    lost = [e for e in errors if isinstance(e, WorkerError)]
    assert [e.path for e in lost] == [str(corpus / "b_02_oka_valley_sez_residents.txt"), str(corpus / "b_03_greer_fill_finish_usa.txt")]
    assert str(lost[0]).endswith(": every worker that extracted it died (killed, or out of memory)")
    assert len(got) + len(errors) == 23


# --- on a local cluster ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """20 fixture texts (two of each, so that every worker gets partitions), one in Windows-1251
    (a warning), a file that cannot be read and one that is not text."""
    root = tmp_path_factory.mktemp("corpus")
    for copy in "ab":
        for path in sorted(FIXTURES.glob("*.txt")):
            shutil.copyfile(path, root / f"{copy}_{path.name}")
    (root / "b_00_cyrillic.txt").write_bytes("ООО «Нордвита» открыло завод площадью 5000 кв. м.\n".encode("cp1251"))
    (root / "b_00_gone.txt").symlink_to(root / "nowhere.txt")
    (root / "b_00_image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    return root


@pytest.fixture(scope="module")
def serial(corpus):
    """`--jobs 1` in a format: (exit code, stdout, stderr), computed when first asked for."""
    runs: dict[str, tuple[int, str, str]] = {}

    def get(fmt: str) -> tuple[int, str, str]:
        if fmt not in runs:
            runs[fmt] = _run(str(corpus), "--format", fmt, "--jobs", "1")
            assert runs[fmt][0] == 1, runs[fmt]  # the file that cannot be read
        return runs[fmt]

    return get


@pytest.fixture(scope="module")
def cluster():
    if _distributed is None:
        pytest.skip('Dask is not installed: pip install "pharmafacts[dask]"')
    from distributed import Client

    from pharmafacts.distributed import local_cluster

    with deadline(RUN_TIMEOUT):
        cluster = local_cluster(3)
        client = Client(cluster, timeout=60)
    yield cluster, client
    with deadline(60):
        client.close()
        cluster.close()


def _workers(cluster, n: int) -> str:
    """The cluster with ``n`` workers (waited for); its address."""
    local, client = cluster
    local.scale(n)
    with deadline(RUN_TIMEOUT):
        while len(client.scheduler_info(n_workers=-1)["workers"]) != n:
            time.sleep(0.2)
    return local.scheduler_address


@needs_dask
def test_local_cluster_workers_run_with_pharmafacts_settings(cluster):
    """What --dask local sets reaches every worker process: no statistical profiler, glibc's
    adaptive malloc thresholds (the nanny's MALLOC_TRIM_THRESHOLD_ left out of its environment),
    and the event loop's health checks slowed down (docs/performance.md, "Dask")."""
    import dask

    from pharmafacts.distributed import WORKER_CONFIG

    _workers(cluster, 3)

    def settings() -> tuple:
        return (os.environ.get("MALLOC_TRIM_THRESHOLD_"), *(dask.config.get(k) for k in WORKER_CONFIG))

    want = (os.environ.get("MALLOC_TRIM_THRESHOLD_"), *WORKER_CONFIG.values())
    assert set(cluster[1].run(settings).values()) == {want}
    assert WORKER_CONFIG["distributed.worker.profile.enabled"] is False


def _mapped_alone(size: int = 20 * 1024 * 1024) -> int | None:
    """On a worker: how many blocks glibc mapped on their own for one malloc of ``size``
    (0: taken from the heap, as pharmafacts._malloc has it); None without glibc's mallinfo2."""
    import ctypes

    from pharmafacts import _malloc

    libc = ctypes.CDLL(None)
    if not _malloc.glibc() or not hasattr(libc, "mallinfo2"):
        return None

    class Info(ctypes.Structure):
        _fields_ = [(n, ctypes.c_size_t) for n in ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks",
                                                   "fsmblks", "uordblks", "fordblks", "keepcost")]

    libc.mallinfo2.restype = Info
    libc.malloc.restype, libc.malloc.argtypes, libc.free.argtypes = ctypes.c_void_p, (ctypes.c_size_t,), (ctypes.c_void_p,)
    before = libc.mallinfo2().hblks
    block = libc.malloc(size)
    mapped = libc.mallinfo2().hblks - before
    libc.free(block)
    return mapped


@needs_dask
def test_forked_workers_keep_batch_memory(cluster):
    """The fork server sets glibc's malloc thresholds (pharmafacts._malloc) before it forks the
    workers: a block of 20 MiB is taken from a worker's heap, not mapped on its own (as by
    default, and as with the nanny's MALLOC_TRIM_THRESHOLD_)."""
    _workers(cluster, 3)
    assert set(cluster[1].run(_mapped_alone).values()) <= {0, None}


def _blas_threads() -> int | None:
    """The threads numpy's OpenBLAS was set up with in this process (read once, as it loads), if
    this numpy bundles one."""
    import ctypes
    import glob

    import numpy

    for path in glob.glob(os.path.join(os.path.dirname(numpy.__file__), os.pardir, "numpy.libs", "*openblas*")):
        lib = ctypes.CDLL(path)
        for name in ("scipy_openblas_get_num_threads64_", "scipy_openblas_get_num_threads", "openblas_get_num_threads64_",
                     "openblas_get_num_threads"):
            get = getattr(lib, name, None)
            if get is not None:
                return get()
    return None


@needs_dask
def test_forked_workers_blas_was_set_up_with_the_nannys_environment(cluster):
    """The nanny puts OPENBLAS_NUM_THREADS=1 (and the like) in a spawned worker's environment
    before it starts; a worker forked from the fork server has numpy from the server, which
    puts them in its own environment before it imports spaCy: one BLAS thread per worker, not
    one per core in each (which the variables set later, in the worker, could not change)."""
    import dask

    _workers(cluster, 3)
    threads = set(cluster[1].run(_blas_threads).values())
    if threads == {None}:
        pytest.skip("this numpy bundles no OpenBLAS to ask")
    want = os.environ.get("OPENBLAS_NUM_THREADS", str(dask.config.get("distributed.nanny.pre-spawn-environ.OPENBLAS_NUM_THREADS")))
    assert threads == {int(want)}


def _pipeline_origin() -> tuple:
    """On a worker: where its pipeline was loaded (the fork server's process id, if there), its
    parent's and its own process id, whether the default pipeline is there, and how many objects
    the collector was told never to visit."""
    import gc

    from pharmafacts import _forkserver, distributed

    return _forkserver.loaded_in, os.getppid(), os.getpid(), (None, ()) in distributed._extractors, gc.get_freeze_count()


@needs_dask
def test_local_cluster_workers_are_forked_with_the_pipeline_loaded(cluster):
    """A local cluster's workers come from the fork server, which loaded the pipeline once: each
    worker has it without loading it, its parent being the server, with the model's objects out
    of the collector's reach (their pages stay shared); the pipeline is not loaded here."""
    from pharmafacts import _forkserver

    _workers(cluster, 3)
    origins = list(cluster[1].run(_pipeline_origin).values())
    assert len(origins) == 3
    for loaded_in, parent, pid, has_pipeline, frozen in origins:
        assert loaded_in == parent != pid
        assert has_pipeline and frozen > 0
    assert len({o[1] for o in origins}) == 1  # one server for all
    assert _forkserver.running() and _forkserver.loaded_in is None


def _origin_and_settings() -> tuple:
    """On a worker: :func:`_pipeline_origin`, then its malloc variable and its Dask settings (WORKER_CONFIG's keys)."""
    import dask

    from pharmafacts.distributed import WORKER_CONFIG

    return (*_pipeline_origin(), os.environ.get("MALLOC_TRIM_THRESHOLD_"), *(dask.config.get(k) for k in WORKER_CONFIG))


@needs_dask
def test_workers_added_later_or_started_again_are_forked_with_the_pipeline_and_the_settings(cluster):
    """A worker the cluster adds after it was scaled down, and one its nanny starts again after a
    kill, are forked from the server with the pipeline loaded and have --dask local's settings, as
    the first workers do: the cluster keeps its settings in Dask's configuration until it closes
    (a nanny reads them as it is made, and the multiprocessing method each time it starts a worker),
    not only while it is being made."""
    from pharmafacts.distributed import WORKER_CONFIG

    local, client = cluster
    _workers(cluster, 1)
    (first,) = client.run(os.getpid).values()
    _workers(cluster, 2)  # one worker added
    os.kill(first, signal.SIGKILL)  # and the one from the start killed: its nanny starts another
    with deadline(RUN_TIMEOUT):
        while len(now := client.run(_origin_and_settings, on_error="ignore")) != 2 or first in {o[2] for o in now.values()}:
            time.sleep(0.2)
    want = (os.environ.get("MALLOC_TRIM_THRESHOLD_"), *WORKER_CONFIG.values())
    for loaded_in, parent, pid, has_pipeline, _, *settings in now.values():
        assert loaded_in == parent != pid and has_pipeline
        assert tuple(settings) == want


@needs_dask
def test_a_local_clusters_settings_are_held_until_the_last_one_closes():
    """Local clusters alive at once share one hold on Dask's configuration: it is left when the
    last of them closes, whatever the order (the first to close does not take the settings from the
    others)."""
    import dask

    from pharmafacts.distributed import _HeldConfig

    held, key = _HeldConfig(), "pharmafacts-test.held"
    held.hold({key: 1})
    held.hold({key: 1})
    held.release()
    assert dask.config.get(key) == 1
    held.release()
    assert dask.config.get(key, default=None) is None


@needs_dask
def test_connect_local_forks_again_after_a_crash_and_stops_its_server():
    """``connect("local")``: a worker started again after one was killed is forked from the server
    too (the pipeline at once); leaving stops the server it started (and waits for it)."""
    from pharmafacts import _forkserver, distributed

    was_running = _forkserver.running()
    with deadline(RUN_TIMEOUT), distributed.connect("local", 2) as client:
        before = client.run(_pipeline_origin)
        victim = sorted(before)[0]
        os.kill(before[victim][2], signal.SIGKILL)
        while len(after := client.run(_pipeline_origin, on_error="ignore")) != 2 or before[victim][2] in {o[2] for o in after.values()}:
            time.sleep(0.2)  # (until the nanny has started another worker in its place)
        for loaded_in, parent, pid, has_pipeline, _ in after.values():
            assert loaded_in == parent != pid and has_pipeline
    assert _forkserver.running() == was_running


def test_no_fork_server_where_the_platform_has_none_or_without_dask(monkeypatch):
    """(Windows has no fork server: the workers are spawned and load the pipeline themselves.)"""
    import importlib.util
    import multiprocessing
    from multiprocessing import forkserver

    from pharmafacts import _forkserver

    launched = []
    monkeypatch.setattr(forkserver, "ensure_running", lambda: launched.append(os.environ[_forkserver.ENV]))
    monkeypatch.setattr(_forkserver, "running", lambda: False)  # as if none had been started in this process
    _forkserver.start("some_model")
    assert launched == ['{"model": "some_model"}'] and _forkserver.ENV not in os.environ
    launched.clear()
    methods = multiprocessing.get_all_start_methods
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: [m for m in methods() if m != "forkserver"])
    assert _forkserver.start() is False and launched == []
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", methods)
    find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "distributed" else find_spec(name, *a))
    assert _forkserver.start() is False and launched == []


@needs_dask
@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "table"])
def test_three_workers_every_format_is_jobs_1_byte_for_byte(cluster, corpus, serial, fmt):
    address = _workers(cluster, 3)
    _same(_run(str(corpus), "--format", fmt, "--dask", address), serial(fmt))


@needs_dask
def test_known_entities_and_consolidate_on_the_cluster(cluster, tmp_path):
    """--entities reach the workers; --consolidate reads the cluster's records as it reads its own."""
    import json

    address = _workers(cluster, 3)
    (tmp_path / "a.txt").write_text("Orlin Biotech will build a plant of 12,000 square meters. OBT will employ 340 people.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("The plant of OBT in Lindow will cost 2 billion rubles.\n", encoding="utf-8")
    (tmp_path / "known.json").write_text(json.dumps([{"name": "Orlin Biotech", "aliases": ["OBT"]}]), encoding="utf-8")
    for extra in (["--entities", str(tmp_path / "known.json")], ["--consolidate"]):
        args = [str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--format", "json", *extra]
        _same(_run(*args, "--dask", address), _run(*args))
    docs = json.loads(_run(*args[:4], "--entities", str(tmp_path / "known.json"), "--dask", address)[1])["documents"]
    assert [[c["name"] for c in d["companies"]] for d in docs] == [["Orlin Biotech"], ["Orlin Biotech"]]


@needs_dask
def test_no_such_model_on_the_workers_is_the_same_one_line(cluster, corpus):
    address = _workers(cluster, 3)
    args = [str(corpus), "--format", "json", "--model", "no_such_pipeline"]
    got, want = _run(*args, "--dask", address), _run(*args)
    assert got == want
    assert want[0] == 1 and want[1] == "" and "no_such_pipeline" in want[2] and len(want[2].splitlines()) == 1


@needs_dask
def test_extract_bag_of_fsspec_urls(cluster, corpus, serial):
    """The library's bag over a file:// URL (read through fsspec on the workers): the same records,
    the source named by its URL, and what cannot be read kept in its place or left out."""
    import json

    from pharmafacts.distributed import extract_bag
    from pharmafacts.errors import LoadError, NotTextError
    from pharmafacts.output import document_json

    _workers(cluster, 3)
    url = f"file://{corpus}"
    with deadline(RUN_TIMEOUT):
        kept = extract_bag([url], partition_size=3, errors="keep").compute()
        skipped = extract_bag(url, partition_size=5).map(document_json).compute()
    want = [json.loads(line) for line in serial("jsonl")[1].splitlines()]
    records = [r for r in kept if not isinstance(r, LoadError)]
    assert [r.source for r in records] == [f"file://{d['source']}" for d in want]
    assert [json.loads(document_json(r.model_copy(update={"source": d["source"]}))) for r, d in zip(records, want)] == want
    failed = [(i, type(r), str(r)) for i, r in enumerate(kept) if isinstance(r, LoadError)]
    assert failed == [(11, LoadError, f"{url}/b_00_gone.txt: no such file"),
                      (12, NotTextError, f"{url}/b_00_image.txt: not a text file (PNG image)")]
    assert [json.loads(line)["source"] for line in skipped] == [r.source for r in records]


@needs_dask
def test_extract_bag_to_textfiles_is_the_cli_jsonl(cluster, corpus, serial, tmp_path):
    """The recipe of the README: a bag of local paths, written by the workers one file per
    partition; the files in order are the JSONL the CLI writes."""
    from pharmafacts import document_json
    from pharmafacts.distributed import extract_bag

    _workers(cluster, 3)
    with deadline(RUN_TIMEOUT):
        extract_bag([str(corpus)], partition_size=4).map(document_json).to_textfiles(str(tmp_path / "*.jsonl"), last_endline=True)
    files = sorted(tmp_path.glob("*.jsonl"), key=lambda p: int(p.stem))
    assert len(files) == 6  # 23 paths in partitions of 4
    assert "".join(p.read_text(encoding="utf-8") for p in files) == serial("jsonl")[1]


@needs_dask
def test_worker_killed_mid_run_output_is_whole_and_the_same(cluster, corpus, serial):
    from pharmafacts import distributed
    from pharmafacts.output import document_json

    _workers(cluster, 3)
    client = cluster[1]
    errors = []
    with deadline(RUN_TIMEOUT):
        docs = distributed.extract_paths([str(corpus)], client, partition_size=2, on_error=errors.append)
        first = next(docs)  # the other partitions are on their way
        busy = {addr: keys for addr, keys in client.processing().items() if keys}
        victim = sorted(busy)[0]
        pid = client.run(os.getpid, workers=[victim])[victim]
        os.kill(pid, signal.SIGKILL)
        lines = [document_json(d) + "\n" for d in [first, *docs]]
    assert pid not in client.run(os.getpid).values()  # it is gone (its nanny starts another)
    assert "".join(lines) == serial("jsonl")[1]
    assert [str(e) for e in errors] == [f"{corpus / 'b_00_gone.txt'}: broken symbolic link",
                                        f"{corpus / 'b_00_image.txt'}: not a text file (PNG image)"]


@needs_dask
@pytest.mark.parametrize("workers", [2, 1])
def test_fewer_workers_same_output_to_a_file(cluster, corpus, serial, tmp_path, workers):
    address = _workers(cluster, workers)
    out = tmp_path / "out.jsonl"
    code, stdout, _ = _run(str(corpus), "--format", "jsonl", "-o", str(out), "--dask", address, "--quiet")
    assert (code, stdout) == (1, "")
    assert out.read_text(encoding="utf-8") == serial("jsonl")[1]


@needs_dask
def test_dask_local_starts_its_own_cluster(corpus, serial, tmp_path):
    """The real command in a fresh process, with a cluster of its own. The command itself never
    imports spaCy (the workers have the model), and has waited for its fork server when it exits."""
    report = tmp_path / "at_exit.txt"
    at_exit = ("import atexit, sys\n"
               "def report():\n"
               "    from pharmafacts import _forkserver\n"
               "    loaded = [m for m in ('spacy', 'thinc', 'pharmafacts.api', 'pharmafacts.nlp') if m in sys.modules]\n"
               f"    open({str(report)!r}, 'w').write(repr((loaded, _forkserver.running())))\n"
               "atexit.register(report)\n")
    got = _cli("extract", str(corpus), "--format", "jsonl", "--dask", "local", "--jobs", "2", prelude=at_exit)
    _same((got.returncode, got.stdout, got.stderr), serial("jsonl"))
    assert report.read_text() == "([], False)"


@needs_dask
def test_unreachable_scheduler_is_one_line(corpus):
    import socket

    with socket.socket() as s:  # a loopback port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env_timeout = "import os; os.environ['DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT'] = '2s'; "
    got = _cli("extract", str(corpus), "--dask", f"tcp://127.0.0.1:{port}", prelude=env_timeout)
    assert got.returncode == 1
    assert got.stdout == ""
    lines = got.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"pharmafacts: error: cannot reach the Dask scheduler at tcp://127.0.0.1:{port}: "), got.stderr
