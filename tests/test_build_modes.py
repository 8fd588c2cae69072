"""Strict by default, ``--keep-going`` on request, and the build report that says what happened."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from click.testing import CliRunner
from faults_support import FIXTURES, build, raw_folder, snapshot

from pipeline.cli import cli
from schemas.reports import Rejected

BAD = ["binary-file.txt", "cp1252.txt", "empty-file.txt", "truncated-in-table.txt"]


def test_strict_build_fails_on_one_bad_article_and_leaves_output_untouched(tmp_path):
    good = raw_folder(tmp_path, "sound-article.txt", name="good")
    result, out_dir = build(tmp_path, good)
    assert result.exit_code == 0
    before = snapshot(out_dir)
    bad = raw_folder(tmp_path, "sound-article.txt", "no-lists.txt", "cp1252.txt", name="bad")
    result, _ = build(tmp_path, bad)
    assert (result.exit_code, result.stderr) == (
        1, f"Error: {bad}/cp1252.txt:5: not UTF-8: byte 0x92 at byte offset 194 (save the file as UTF-8)\n")
    assert snapshot(out_dir) == before


def test_keep_going_sets_bad_articles_aside_in_rejected_csv(tmp_path):
    raw = raw_folder(tmp_path, "sound-article.txt", *BAD)
    result, out_dir = build(tmp_path, raw, "--keep-going")
    assert result.exit_code == 0
    rejected = pd.read_csv(out_dir / "rejected.csv", dtype={"file": str, "line": "Int64", "reason": str})
    assert rejected.to_dict("list") == {
        "file": BAD,
        "line": [3, 5, None, 24],
        "reason": ["binary file: NUL byte at byte offset 8",
                   "not UTF-8: byte 0x92 at byte offset 194 (save the file as UTF-8)",
                   "empty file (0 bytes)",
                   "numbered list skips item 4 (is the file cut short?)"]}
    Rejected.validate(rejected)
    assert list(pd.read_parquet(out_dir / "documents.parquet")["document_id"]) == ["sound-article"]
    assert result.stderr.splitlines() == [f"warning: rejected: {raw}/binary-file.txt:3: binary file: NUL byte at "
                                          "byte offset 8",
                                          f"warning: rejected: {raw}/cp1252.txt:5: not UTF-8: byte 0x92 at byte "
                                          "offset 194 (save the file as UTF-8)",
                                          f"warning: rejected: {raw}/empty-file.txt: empty file (0 bytes)",
                                          f"warning: rejected: {raw}/truncated-in-table.txt:24: numbered list skips "
                                          "item 4 (is the file cut short?)"]
    assert "rejected.csv" in (out_dir / "MANIFEST").read_text()


def test_keep_going_sets_aside_a_clashing_document_id(tmp_path):
    raw = raw_folder(tmp_path, "sound-article.txt")
    (raw / "sound article.txt").write_bytes((FIXTURES / "sound-article.txt").read_bytes())
    result, out_dir = build(tmp_path, raw, "--keep-going")
    assert result.exit_code == 0
    rejected = pd.read_csv(out_dir / "rejected.csv", dtype=str, keep_default_na=False)
    assert rejected.values.tolist() == [["sound-article.txt", "", f"has the same document id 'sound-article' as "
                                                                   f"{raw}/sound article.txt; rename one of them"]]


def test_keep_going_with_every_article_bad_fails(tmp_path):
    raw = raw_folder(tmp_path, "empty-file.txt", "nul-bytes.txt")
    result, out_dir = build(tmp_path, raw, "--keep-going")
    assert (result.exit_code, result.stderr) == (
        1, f"Error: every article was rejected (2); nothing to build. First: {raw}/empty-file.txt: empty file "
           "(0 bytes)\n")
    assert not out_dir.exists()


def test_build_report_counts_articles_rows_and_warnings(tmp_path):
    raw = raw_folder(tmp_path, "sound-article.txt", "heading-without-items.txt", "empty-file.txt")
    result, out_dir = build(tmp_path, raw, "--keep-going")
    assert result.exit_code == 0
    assert json.loads((out_dir / "build_report.json").read_text()) == {
        "articles": {"built": 2, "found": 3, "rejected": 1},
        "mode": "keep_going",
        "per_article": [
            {"file": "heading-without-items.txt", "document_id": "heading-without-items", "format": "txt",
             "sections": 6, "blocks": {"labelled": 2, "list": 1, "paragraph": 2, "question": 1}, "furniture": {},
             "rows": {"documents": 1, "document_therapies": 2, "therapy_aliases": 0, "document_conditions": 3,
                      "indications": 3, "document_side_effects": 8, "therapy_side_effects": 8, "side_effect_aliases": 0,
                      "side_effect_examples": 0, "decision_factors": 2, "faqs": 1,
                      # the sound article's 28 without the lead-in's therapy, 2 side effects and 2 examples
                      "mentions": 23, "relations": 11}},
            {"file": "sound-article.txt", "document_id": "sound-article", "format": "txt", "sections": 6,
             "blocks": {"labelled": 2, "list": 2, "paragraph": 3, "question": 1}, "furniture": {},
             "rows": {"documents": 1, "document_therapies": 2, "therapy_aliases": 0, "document_conditions": 3,
                      "indications": 3, "document_side_effects": 10, "therapy_side_effects": 10,
                      "side_effect_aliases": 0, "side_effect_examples": 2, "decision_factors": 2, "faqs": 1,
                      "mentions": 28, "relations": 15}}],
        "rejected": [{"file": "empty-file.txt", "line": None, "reason": "empty file (0 bytes)"}],
        "skipped": [],
        "rows": {"conditions": 3, "document_conditions": 6, "decision_factors": 4, "documents": 2, "faqs": 2,
                 "indications": 6, "side_effect_examples": 2, "side_effects": 10, "document_side_effects": 18,
                 "therapies": 2, "document_therapies": 4, "therapy_side_effects": 18,
                 "therapy_aliases": 0, "side_effect_aliases": 0, "mentions": 51, "relations": 26,
                 "side_effect_terms": 9, "condition_terms": 8, "term_xrefs": 15, "ontologies": 2},
        "term_coverage": {"conditions": {"matched": 3, "total": 3},
                          "side_effect_examples": {"matched": 1, "total": 2},
                          "side_effects": {"matched": 4, "total": 10}},
        "warnings": ["heading-without-items.txt:11: a side-effects heading with nothing listed under it; no side "
                     "effects read there"],
    }


@pytest.mark.slow
def test_build_report_is_deterministic(tmp_path, monkeypatch):
    """Same input, same bytes: wherever the build runs from and however the raw folder is spelt."""
    raw = raw_folder(tmp_path, "sound-article.txt", "no-lists.txt", "empty-file.txt")
    first, out_a = build(tmp_path, raw, "--keep-going", out="a")
    monkeypatch.chdir(tmp_path)
    second, out_b = build(tmp_path, raw.relative_to(tmp_path), "--keep-going", out="b")
    assert first.exit_code == second.exit_code == 0
    assert snapshot(out_a) == snapshot(out_b)
    assert (out_a / "build_report.json").read_text().startswith('{\n  "articles": {\n    "built": 2,')


@pytest.mark.slow
def test_stage_commands_carry_the_report_to_the_output(tmp_path):
    """extract → validate → export writes the same folder as build, report and rejected list included."""
    raw = raw_folder(tmp_path, "sound-article.txt", "no-lists.txt", "cp1252.txt")
    _, built = build(tmp_path, raw, "--keep-going")
    runner = CliRunner()
    steps = [["extract", "--raw-dir", str(raw), "--out-dir", str(tmp_path / "extracted"), "--keep-going"],
             ["validate", "--in-dir", str(tmp_path / "extracted"), "--raw-dir", str(raw), "--out-dir",
              str(tmp_path / "validated"), "--report", str(tmp_path / "report.csv")],
             ["export", "--in-dir", str(tmp_path / "validated"), "--out-dir", str(tmp_path / "staged-out")]]
    for step in steps:
        assert runner.invoke(cli, step).exit_code == 0, step
    assert snapshot(tmp_path / "staged-out") == snapshot(built)
