"""The stages wired to files: what each CLI command runs."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from pathlib import Path

from pipeline import io
from pipeline.errors import PipelineError
from pipeline.store import folders

DEFAULT_REPORT = Path("build/validation_report.csv")
DEFAULT_CACHE_DIR = Path("build/cache")


@contextmanager
def _sparing_the_collector():
    """Within: ``gc.freeze()`` may set the objects made so far aside (``_extracted`` does, once the articles
    are read and once the tables are made: they live to the end of the build, hold no cycles, and the
    collector's full passes would walk their millions of objects again and again). After: they are
    collected as usual again, so that a process that builds many times does not keep them all."""
    try:
        yield
    finally:
        gc.unfreeze()


def _link(tables: dict, cache_dir: Path | None, terms=None) -> None:
    """Add the term tables, keeping the memo of ontology look-ups in ``cache_dir``; ``terms``: the look-ups
    made so far in this build (see :meth:`pipeline.link.Terms.kept_in`)."""
    from pipeline.link import Terms, link_terms

    terms = terms or Terms.kept_in(cache_dir)
    tables.update(link_terms(tables, terms))
    terms.save()
    terms.prune()


def _extracted(raw_dir: Path, max_bytes: int, keep_going: bool, cache_dir: Path | None,
               progress) -> tuple[dict, dict, dict, list[str]]:
    """Stage 1 on a raw folder: (tables, texts by document id, notes for the build report, lines to show
    the user). Cached per article, in a process pool when the articles are many; a bar if asked."""
    from pipeline import report
    from pipeline.corpus import extract_articles, prepare_tables
    from pipeline.link import Terms, learn

    # A forked copy reads the articles (a large folder's) while this process imports what the build needs;
    # their texts stay UTF-8 bytes until an article is extracted (by a worker, if many are).
    reading = io.read_corpus_aside(raw_dir, max_bytes, keep_going)
    prepare_tables()
    articles, rejected, warnings = reading()
    gc.freeze()  # see _sparing_the_collector
    bar = progress(len(articles)) if progress else None
    terms = Terms.kept_in(cache_dir)
    try:
        # The names of newly extracted articles are looked up as their chunks arrive, while workers extract.
        tables, extract_warnings, extract_rejected = extract_articles(
            articles, cache_dir=cache_dir, progress=bar, keep_going=keep_going,
            on_extracted=lambda rows: learn(rows, terms))
    finally:
        if bar:
            bar.close()
    gc.freeze()
    rejected = sorted(rejected + extract_rejected, key=lambda r: r[0])
    warnings += extract_warnings
    if keep_going and not len(tables["documents"]):
        raise PipelineError(f"every article was rejected ({len(rejected)}); nothing to build. First: "
                            f"{rejected[0][1]}")
    _link(tables, cache_dir, terms)
    notes = report.notes(len(articles) + len(rejected) - len(extract_rejected), rejected, warnings, keep_going,
                         raw_dir)
    shown = warnings + [f"rejected: {error}" for _, error in rejected]
    text_of = {source_path: text for source_path, _, _, text in articles}
    documents = tables["documents"]
    texts = {doc_id: text_of[source] for doc_id, source in zip(documents["document_id"], documents["source_path"])}
    return tables, texts, notes, shown


def extract_job(raw_dir: Path, out_dir: Path, max_bytes: int = io.DEFAULT_MAX_BYTES, keep_going: bool = False,
                cache_dir: Path | None = DEFAULT_CACHE_DIR, progress=None) -> list[str]:
    """Raw folder → staged tables in ``out_dir``; returns the warnings (and the articles set aside).

    ``cache_dir`` holds the per-article cache (None: no cache); ``progress(total)`` makes a progress bar.
    """
    folders.claim(out_dir, "stage", raw_dir)  # (again when written, holding the lock)
    with _sparing_the_collector():
        tables, _, notes, shown = _extracted(raw_dir, max_bytes, keep_going, cache_dir, progress)
    io.write_stage(out_dir, tables, notes, raw_dir)
    return shown


def _validated(tables: dict, texts: dict, report: Path) -> dict:
    from pipeline.validate import PROBLEM_COLUMNS, ValidationFailed, validate

    try:
        validated = validate(tables, texts)
    except ValidationFailed as failure:
        io.write_report(report, failure.problems)
        raise PipelineError(f"{failure.message}; every failure is listed in {report}") from None
    import pandas as pd

    io.write_report(report, pd.DataFrame(columns=PROBLEM_COLUMNS))  # no stale failures left behind
    return validated


def validate_job(in_dir: Path, raw_dir: Path, out_dir: Path, report: Path = DEFAULT_REPORT) -> None:
    """Staged tables → validated tables in ``out_dir``, or the report of every failure."""
    tables = io.read_stage(in_dir)
    texts = io.raw_texts(raw_dir, tables["documents"]) if "documents" in tables else {}
    io.write_stage(out_dir, _validated(tables, texts, report), io.read_notes(in_dir), raw_dir)


SWAP_WARNING = ("output: this file system cannot exchange two folders in one step, so the old output is renamed "
                "aside, the new one renamed in, and the old one removed after")


def _with_swap_note(notes: dict, out_dir: Path) -> list[str]:
    """Say in the build report (and to the user) when the output cannot be swapped in one atomic step."""
    if Path(out_dir).exists() and not folders.can_exchange(Path(out_dir)):
        notes["warnings"] = [*notes.get("warnings", []), SWAP_WARNING]
        return [SWAP_WARNING]
    return []


def export_job(in_dir: Path, out_dir: Path) -> list[str]:
    """Validated tables → the dataset's files and build report in ``out_dir``, swapped in whole."""
    from pipeline.export import render_files

    tables = io.read_stage(in_dir)
    notes = io.read_notes(in_dir)
    with folders.owned(out_dir, "dataset"):
        shown = _with_swap_note(notes, out_dir)
        io.write_files(out_dir, render_files(tables, io.read_project(), notes))
    return shown


def build_job(raw_dir: Path, out_dir: Path, report: Path = DEFAULT_REPORT, max_bytes: int = io.DEFAULT_MAX_BYTES,
              keep_going: bool = False, cache_dir: Path | None = DEFAULT_CACHE_DIR, progress=None) -> list[str]:
    """Every stage in one command: raw folder → dataset in ``out_dir``; returns the warnings.

    The output folder is locked for the whole build: a second build into it stops at once. Where the
    platform can fork, the files are rendered by a forked copy of this process while the tables are
    validated, and by both once they pass (see :mod:`pipeline.renderer`).
    """
    from pipeline import renderer
    from pipeline.export import render_files

    with folders.owned(out_dir, "dataset", raw_dir), _sparing_the_collector():
        tables, texts, notes, shown = _extracted(raw_dir, max_bytes, keep_going, cache_dir, progress)
        shown += _with_swap_note(notes, out_dir)
        project = io.read_project()
        if not renderer.CAN_FORK:
            validated = _validated(tables, texts, report)
            io.write_files(out_dir, render_files(validated, project, notes), raw_dir)
            return shown
        # A forked copy renders and writes the files while this process validates, then helps it finish.
        job = renderer.render_in_child(tables, project, notes, folders.new_staging(out_dir), Path(out_dir))
        try:
            job.finish(_validated(tables, texts, report))
        except BaseException:
            job.cancel()
            raise
        folders.swap_in(job.staging, out_dir)
    return shown
