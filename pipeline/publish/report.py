"""The build report: what a build read, built, set aside and noticed, written beside the tables.

``build_report.json`` always; ``rejected.csv`` (file, line, reason; the ``Rejected`` model of
``schemas/reports.py``) when the build ran with ``--keep-going``. Both are deterministic: sorted keys,
file names relative to the raw folder, no clock.
"""

from __future__ import annotations

import json

import pandas as pd

from pipeline.publish.files import FORMULA_STARTS, starting_with
from pipeline.tables import text_array
from schemas.reports import Rejected

REPORT = "build_report.json"
REJECTED = "rejected.csv"


def formula_warnings(tables: dict) -> list[str]:
    """Text cells a spreadsheet would take for a formula: kept verbatim, but said out loud."""
    found = []
    for name, frame in tables.items():
        for column in frame.columns:
            values = frame[column]
            if values.dtype.kind not in "OUT" and str(values.dtype) not in ("str", "string"):
                continue
            starts = starting_with(text_array(values, large=True), FORMULA_STARTS)
            count = 0 if starts is None else int(starts.to_numpy(zero_copy_only=False).sum())
            if count:
                found.append(f"{name}.{column}: {count} value(s) begin with =, +, -, @, a tab or a carriage "
                             "return; the CSV keeps them verbatim, so import it as text in a spreadsheet")
    return found


def rejected_frame(stage_notes: dict):
    """The rejected articles as a DataFrame checked against ``schemas.reports.Rejected``."""
    rows = [(r["file"], r["line"], r["reason"]) for r in stage_notes.get("rejected", [])]
    frame = pd.DataFrame(rows, columns=["file", "line", "reason"]).astype(
        {"file": "str", "line": "Int64", "reason": "str"})
    return Rejected.validate(frame)


def _term_coverage(tables: dict) -> dict:
    """Matched / total per linked table (see :func:`coverage`); empty without term tables."""
    return coverage(tables) if "side_effect_terms" in tables else {}


def report_files(tables: dict, stage_notes: dict) -> dict[str, bytes]:
    """``build_report.json`` (and ``rejected.csv`` for a keep-going build) as bytes."""
    rejected = stage_notes.get("rejected", [])
    report = {
        "articles": {"found": stage_notes.get("articles_found", len(tables.get("documents", []))),
                     "built": len(tables["documents"]) if "documents" in tables else 0,
                     "rejected": len(rejected)},
        "mode": stage_notes.get("mode", "strict"),
        "per_article": stage_notes.get("per_article", []),
        "rejected": rejected,
        "skipped": stage_notes.get("skipped", []),
        "rows": {name: len(frame) for name, frame in tables.items()},
        "term_coverage": _term_coverage(tables),
        "warnings": stage_notes.get("warnings", []) + formula_warnings(tables),
    }
    files = {REPORT: (json.dumps(report, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")}
    if report["mode"] == "keep_going":
        files[REJECTED] = rejected_frame(stage_notes).to_csv(index=False, lineterminator="\n").encode("utf-8")
    return files


def coverage(tables: dict) -> dict[str, dict[str, int]]:
    """Matched / total per linked table: side effects, examples and conditions with at least one term."""
    effects = tables["side_effect_terms"]
    examples = tables["side_effect_examples"]
    distinct_examples = examples[["side_effect_id", "example"]].drop_duplicates()
    matched_examples = effects[effects["source"] == "example"][["side_effect_id", "source_text"]].drop_duplicates()
    return {
        "side_effects": {"matched": int(effects[effects["source"] == "name"]["side_effect_id"].nunique()),
                         "total": len(tables["side_effects"])},
        "side_effect_examples": {"matched": len(matched_examples), "total": len(distinct_examples)},
        "conditions": {"matched": int(tables["condition_terms"]["condition_id"].nunique()),
                       "total": len(tables["conditions"])},
    }
