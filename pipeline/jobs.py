"""The stages wired to files: what each CLI command runs."""

from __future__ import annotations

from pathlib import Path

from pipeline import io
from pipeline.errors import PipelineError

DEFAULT_REPORT = Path("build/validation_report.csv")
DEFAULT_CACHE = Path("build/cache")


def _extracted(raw, cache_dir: Path | None) -> tuple[dict, list[str]]:
    """Extract the articles and link their entities to ontology terms (the term memo kept in cache_dir)."""
    from pipeline.extract import extract
    from pipeline.link import Terms, link_terms

    tables, warnings = extract(raw)
    memo_path = cache_dir / f"terms-{Terms.key()}.json" if cache_dir else None
    terms = Terms(io.read_json(memo_path, None) if memo_path else None)
    size = len(terms.memo["matches"])
    tables.update(link_terms(tables, terms))
    if memo_path and len(terms.memo["matches"]) != size:
        io.write_json(memo_path, terms.memo)
    return tables, warnings


def extract_job(raw_dir: Path, out_dir: Path, max_bytes: int = io.DEFAULT_MAX_BYTES,
                cache_dir: Path | None = DEFAULT_CACHE) -> list[str]:
    """Raw folder → staged tables in ``out_dir``; returns the extractor's warnings."""
    tables, warnings = _extracted(io.read_raw(raw_dir, max_bytes), cache_dir)
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

    io.write_files(out_dir, render(io.read_stage(in_dir), io.read_project()))


def build_job(raw_dir: Path, out_dir: Path, report: Path = DEFAULT_REPORT,
              max_bytes: int = io.DEFAULT_MAX_BYTES, cache_dir: Path | None = DEFAULT_CACHE) -> list[str]:
    """Every stage in one process: raw folder → dataset in ``out_dir``; returns the warnings."""
    from pipeline.export import render

    raw = io.read_raw(raw_dir, max_bytes)
    tables, warnings = _extracted(raw, cache_dir)
    text_of = dict(zip(raw["source_path"], raw["text"]))
    documents = tables["documents"]
    texts = {doc_id: text_of[source] for doc_id, source in zip(documents["document_id"], documents["source_path"])}
    io.write_files(out_dir, render(_validated(tables, texts, report), io.read_project()))
    return warnings
