"""The command line: a thin click group over :mod:`pipeline.build`. Each command parses its options, calls one
function with keyword arguments, and turns the pipeline's own errors into one-line click errors. The
modules behind the commands are imported when a command runs, so that ``--help`` stays quick."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from pipeline.errors import PipelineError

RAW_DIR = click.option("--raw-dir", type=click.Path(path_type=Path), default=Path("raw"), show_default=True,
                       help="Folder of articles (*.txt).")
REPORT = click.option("--report", type=click.Path(path_type=Path), default=Path("build/validation_report.csv"),
                      show_default=True, help="Where to write the list of validation failures.")
KEEP_GOING = click.option("--keep-going", is_flag=True,
                          help="Set bad articles aside in rejected.csv (file, line, reason) and build the rest; "
                               "by default one bad article fails the build.")
CACHE_DIR = click.option("--cache-dir", type=click.Path(path_type=Path), default=Path("build/cache"),
                         show_default=True, help="Per-article extraction cache: unchanged articles are not "
                                                 "extracted again.")
NO_CACHE = click.option("--no-cache", is_flag=True,
                        help="Extract every article and look every name up: neither read nor write the cache "
                             "folder. (The ontology index kept with the environment is still used.)")
QUIET = click.option("--quiet", "-q", is_flag=True, help="No progress bar (it shows only on a terminal anyway).")
JOBS = click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
                    help="Processes and threads to use (default: one per core); 1 runs everything in order "
                         "in one process, with the same result.")
ENGINE = click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
                      help="Where the articles are extracted: here (worker processes, see --jobs), or on a Dask "
                           "distributed cluster (the one at --scheduler; without it, a local one of --jobs "
                           "workers). The result is the same to the byte.")
SCHEDULER = click.option("--scheduler", metavar="ADDRESS", default=None,
                         help="With --engine dask: the address of a running scheduler (tcp://host:8786).")
MAX_BYTES = click.option("--max-bytes", type=click.IntRange(min=1), default=50_000_000, show_default=True,
                         help="Largest article file accepted, in bytes.")


def reading_options(command):
    """The options of the commands that read the raw folder (``build``, ``extract``)."""
    for option in reversed((RAW_DIR, MAX_BYTES, KEEP_GOING, CACHE_DIR, NO_CACHE, JOBS, ENGINE, SCHEDULER, QUIET)):
        command = option(command)
    return command


def _corpus_options(cache_dir: Path, no_cache: bool, quiet: bool, engine: str, scheduler: str | None) -> dict:
    """The cache folder (None when off), a progress bar maker and the engine for the commands."""
    if scheduler and engine != "dask":
        raise click.UsageError("--scheduler goes with --engine dask")

    def progress(total: int):
        from pipeline.progress import bar_for

        return bar_for(total, sys.stderr, quiet)

    return {"cache_dir": None if no_cache else cache_dir, "progress": progress, "engine": engine,
            "scheduler": scheduler}


def _run(command, **options):
    """Run a command's function; our own errors become one-line click errors (exit 1), with no traceback, and
    an interruption (Ctrl-C, SIGTERM) is ``Aborted!`` alone."""
    try:
        warnings = command(**options)
    except PipelineError as error:
        raise click.ClickException(str(error)) from None
    except KeyboardInterrupt:
        raise click.Abort() from None
    for warning in warnings or []:
        click.echo(f"warning: {warning}", err=True)


@click.group(name="pipeline")
@click.version_option(package_name="therapy-comparison-dataset")
def cli():
    """Turn consumer-health articles that compare two treatment approaches into validated tables.

    Stages: extract (articles → staged tables), validate (schemas, foreign keys, spans),
    export (Parquet and CSV). `build` runs all three.
    """


@cli.command()
@reading_options
@click.option("--out-dir", type=click.Path(path_type=Path), default=Path("output"), show_default=True,
              help="Folder to write the dataset into; replaced whole, and only on success.")
@REPORT
def build(raw_dir, out_dir, report, max_bytes, keep_going, cache_dir, no_cache, jobs, engine, scheduler, quiet):
    """Run every stage on every article in RAW_DIR and write the dataset to OUT_DIR.

    Example:

        python -m pipeline build --raw-dir raw --out-dir output

    On a Dask cluster: python -m pipeline build --engine dask --scheduler tcp://10.0.0.5:8786
    """
    from pipeline.build import run_build

    _run(run_build, raw_dir=raw_dir, out_dir=out_dir, report=report, max_bytes=max_bytes, keep_going=keep_going,
         jobs=jobs, **_corpus_options(cache_dir, no_cache, quiet, engine, scheduler))


@cli.command()
@reading_options
@click.option("--out-dir", type=click.Path(path_type=Path), default=Path("build/extracted"), show_default=True,
              help="Folder for the staged tables.")
def extract(raw_dir, out_dir, max_bytes, keep_going, cache_dir, no_cache, jobs, engine, scheduler, quiet):
    """Read every article in RAW_DIR and stage its tables in OUT_DIR.

    Example:

        python -m pipeline extract --raw-dir raw --out-dir build/extracted
    """
    from pipeline.build import run_extract

    _run(run_extract, raw_dir=raw_dir, out_dir=out_dir, max_bytes=max_bytes, keep_going=keep_going, jobs=jobs,
         **_corpus_options(cache_dir, no_cache, quiet, engine, scheduler))


@cli.command()
@click.option("--in-dir", type=click.Path(path_type=Path), default=Path("build/extracted"), show_default=True,
              help="Staged tables from `extract`.")
@RAW_DIR
@click.option("--out-dir", type=click.Path(path_type=Path), default=Path("build/validated"), show_default=True,
              help="Folder for the validated tables.")
@REPORT
def validate(in_dir, raw_dir, out_dir, report):
    """Check the staged tables against the schemas and the articles' text.

    Every failure (table, column, check, value, row) goes to the report; the command then
    exits 1 with a one-line summary.

    Example:

        python -m pipeline validate --in-dir build/extracted --raw-dir raw --out-dir build/validated
    """
    from pipeline.build import run_validate

    _run(run_validate, in_dir=in_dir, raw_dir=raw_dir, out_dir=out_dir, report=report)


@cli.command()
@click.option("--in-dir", type=click.Path(path_type=Path), default=Path("build/validated"), show_default=True,
              help="Validated tables from `validate`.")
@click.option("--out-dir", type=click.Path(path_type=Path), default=Path("output"), show_default=True,
              help="Folder to write the dataset into; replaced whole, and only on success.")
@JOBS
def export(in_dir, out_dir, jobs):
    """Write the validated tables as Parquet and CSV into OUT_DIR, all files at once.

    Example:

        python -m pipeline export --in-dir build/validated --out-dir output
    """
    from pipeline.build import run_export

    _run(run_export, in_dir=in_dir, out_dir=out_dir, jobs=jobs)


def _terminated(signum, frame):
    """SIGTERM ends a command as Ctrl-C does: the work in hand is stopped, ``Aborted!``, nothing lost."""
    raise KeyboardInterrupt


def main() -> None:
    """The ``pipeline`` command (and ``python -m pipeline``): run the CLI, then end the process at once (see
    :func:`pipeline.parallel.exit_now`). Used in-process (tests, notebooks), ``cli`` ends nothing."""
    import signal

    from pipeline.parallel import exit_now

    # pandera imports hypothesis (for synthesising data, which the pipeline never does) whenever it is
    # installed, as it is for the tests: a tenth of a second of every command. Marked absent, it is skipped.
    sys.modules.setdefault("hypothesis", None)
    signal.signal(signal.SIGTERM, _terminated)
    try:
        cli(prog_name="pipeline")
        code = 0
    except SystemExit as exit_:
        code = exit_.code
        if code is not None and not isinstance(code, int):
            print(code, file=sys.stderr)
            code = 1
    exit_now(code or 0)
