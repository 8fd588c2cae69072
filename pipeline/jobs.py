"""The stages wired to files: what each CLI command runs."""

from __future__ import annotations

from pathlib import Path

from pipeline import io
from pipeline.errors import PipelineError

DEFAULT_REPORT = Path("build/validation_report.csv")
DEFAULT_CACHE_DIR = Path("build/cache")


def _extract_corpus(articles: list, cache_dir: Path | None, progress) -> tuple[dict, list[str]]:
    """Stage 1 over every article: cached, in a process pool when they are many; a bar if asked."""
    from pipeline.corpus import extract_articles

    bar = progress(len(articles)) if progress else None
    try:
        return extract_articles(articles, cache_dir=cache_dir, progress=bar)
    finally:
        if bar:
            bar.close()


def extract_job(raw_dir: Path, out_dir: Path, max_bytes: int = io.DEFAULT_MAX_BYTES,
                cache_dir: Path | None = DEFAULT_CACHE_DIR, progress=None) -> list[str]:
    """Raw folder → staged tables in ``out_dir``; returns the extractor's warnings.

    ``cache_dir`` holds the per-article cache (None: no cache); ``progress(total)`` makes a progress bar.
    """
    tables, warnings = _extract_corpus(io.read_articles(raw_dir, max_bytes), cache_dir, progress)
    io.write_stage(out_dir, tables)
    return warnings


def _validated(tables: dict, texts: dict[str, str], report: Path) -> dict:
    from pipeline.validate import ValidationFailed, validate

    try:
        return validate(tables, texts)
    except ValidationFailed as failure:
        io.write_report(report, failure.problems)
        raise PipelineError(f"{failure.message}; every failure is listed in {report}") from None


def validate_job(in_dir: Path, raw_dir: Path, out_dir: Path, report: Path = DEFAULT_REPORT) -> None:
    """Staged tables → validated tables in ``out_dir``, or the report of every failure."""
    tables = io.read_stage(in_dir)
    texts = io.raw_texts(raw_dir, tables["documents"]) if "documents" in tables else {}
    io.write_stage(out_dir, _validated(tables, texts, report))


def export_job(in_dir: Path, out_dir: Path) -> None:
    """Validated tables → the dataset's files in ``out_dir``, swapped in whole."""
    from pipeline.export import render

    io.write_files(out_dir, render(io.read_stage(in_dir)))


def build_job(raw_dir: Path, out_dir: Path, report: Path = DEFAULT_REPORT,
              max_bytes: int = io.DEFAULT_MAX_BYTES, cache_dir: Path | None = DEFAULT_CACHE_DIR,
              progress=None) -> list[str]:
    """Every stage in one process: raw folder → dataset in ``out_dir``; returns the warnings."""
    from pipeline.export import render

    articles = io.read_articles(raw_dir, max_bytes)
    tables, warnings = _extract_corpus(articles, cache_dir, progress)
    text_of = {source_path: text for source_path, _, _, text in articles}
    documents = tables["documents"]
    texts = {doc_id: text_of[source] for doc_id, source in zip(documents["document_id"], documents["source_path"])}
    io.write_files(out_dir, render(_validated(tables, texts, report)))
    return warnings
