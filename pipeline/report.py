"""The build report: what a build read, built, set aside and noticed, written beside the tables.

``build_report.json`` always; ``rejected.csv`` (file, line, reason; the ``Rejected`` model of
``schemas/reports.py``) when the build ran with ``--keep-going``. Both are deterministic: sorted keys,
file names relative to the raw folder, no clock.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from pipeline.errors import PipelineError

REPORT = "build_report.json"
REJECTED = "rejected.csv"
FORMULA_STARTS = ("=", "+", "-", "@")


def relative_to_raw(message: str, raw_dir: Path) -> str:
    """A message with the raw folder's prefix dropped from its file name, so the report is the same
    wherever the build ran from."""
    prefix = str(Path(raw_dir)) + os.sep
    return message[len(prefix):] if message.startswith(prefix) else message


def notes(articles_found: int, rejected: list[tuple[str, PipelineError]], warnings: list[str],
          keep_going: bool, raw_dir: Path) -> dict:
    """What stage 1 knows for the report; it rides along with the staged tables."""
    return {
        "articles_found": articles_found,
        "mode": "keep_going" if keep_going else "strict",
        "rejected": [{"file": name, "line": error.line, "reason": error.message}
                     for name, error in sorted(rejected, key=lambda item: item[0])],
        "warnings": [relative_to_raw(w, raw_dir) for w in warnings],
    }


def formula_warnings(tables: dict) -> list[str]:
    """Text cells a spreadsheet would take for a formula: kept verbatim, but said out loud."""
    from pipeline.export import starting_with
    from pipeline.tables import text_array

    found = []
    for name, frame in tables.items():
        for column in frame.columns:
            values = frame[column]
            if values.dtype.kind not in "OUT" and str(values.dtype) not in ("str", "string"):
                continue
            starts = starting_with(text_array(values, large=True), "".join(FORMULA_STARTS).encode())
            count = 0 if starts is None else int(starts.to_numpy(zero_copy_only=False).sum())
            if count:
                found.append(f"{name}.{column}: {count} value(s) begin with =, +, - or @; the CSV "
                             "keeps them verbatim, so import it as text in a spreadsheet")
    return found


def rejected_frame(stage_notes: dict):
    """The rejected articles as a DataFrame checked against ``schemas.reports.Rejected``."""
    import pandas as pd

    from schemas.reports import Rejected

    rows = [(r["file"], r["line"], r["reason"]) for r in stage_notes.get("rejected", [])]
    frame = pd.DataFrame(rows, columns=["file", "line", "reason"]).astype(
        {"file": "str", "line": "Int64", "reason": "str"})
    return Rejected.validate(frame)


def _term_coverage(tables: dict) -> dict:
    """Matched / total per linked table (see pipeline.link.coverage); empty without term tables."""
    from pipeline.link import coverage

    return coverage(tables) if "side_effect_terms" in tables else {}


def report_files(tables: dict, stage_notes: dict) -> dict[str, bytes]:
    """``build_report.json`` (and ``rejected.csv`` for a keep-going build) as bytes."""
    rejected = stage_notes.get("rejected", [])
    report = {
        "articles": {"found": stage_notes.get("articles_found", len(tables.get("documents", []))),
                     "built": len(tables["documents"]) if "documents" in tables else 0,
                     "rejected": len(rejected)},
        "mode": stage_notes.get("mode", "strict"),
        "rejected": rejected,
        "rows": {name: len(frame) for name, frame in tables.items()},
        "term_coverage": _term_coverage(tables),
        "warnings": stage_notes.get("warnings", []) + formula_warnings(tables),
    }
    files = {REPORT: (json.dumps(report, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")}
    if report["mode"] == "keep_going":
        files[REJECTED] = rejected_frame(stage_notes).to_csv(index=False, lineterminator="\n").encode("utf-8")
    return files
