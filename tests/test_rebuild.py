"""A build with nothing changed leaves the output as the last build wrote it (issue: scale, rebuilds that cost
what changed): the build record in the cache says what that build followed from; anything else rebuilds."""

from __future__ import annotations

import shutil

import pytest
from conftest import ARTICLES
from faults_support import SEED, build, raw_folder, snapshot

from pipeline.store import cache


def raw_in(folder):
    raw = raw_folder(folder, "sound-article.txt")
    shutil.copyfile(SEED, raw / SEED.name)
    return raw


@pytest.fixture
def raw(tmp_path):
    return raw_in(tmp_path)


def cached_build(tmp_path, raw, *extra):
    result, out_dir = build(tmp_path, raw, "--cache-dir", str(tmp_path / "cache"), *extra)
    assert result.exit_code == 0, result.output
    return result, out_dir


def rewritten(out_dir, before: int) -> bool:
    """Whether the output folder is another one than before (a build swaps a new folder in)."""
    return out_dir.stat().st_ino != before


def test_a_rebuild_with_nothing_changed_leaves_the_output_as_it_is_and_dates_the_manifest(tmp_path, raw):
    first, out_dir = cached_build(tmp_path, raw)
    files = snapshot(out_dir)
    folder = out_dir.stat().st_ino
    (out_dir / "MANIFEST").touch()
    dated = (out_dir / "MANIFEST").stat().st_mtime_ns
    (tmp_path / "validation_report.csv").unlink()
    again, _ = cached_build(tmp_path, raw)
    assert not rewritten(out_dir, folder)
    assert snapshot(out_dir) == files
    assert (again.exit_code, again.stderr) == (0, first.stderr)
    assert (out_dir / "MANIFEST").stat().st_mtime_ns >= dated  # (make sees it newer than the articles)
    assert (tmp_path / "validation_report.csv").exists()  # the report of a build that passed, as always


def test_an_output_file_changed_by_hand_is_made_again(tmp_path, raw):
    _, out_dir = cached_build(tmp_path, raw)
    files = snapshot(out_dir)
    with open(out_dir / "documents.csv", "ab") as handle:
        handle.write(b"x")
    cached_build(tmp_path, raw)
    assert snapshot(out_dir) == files


def test_an_output_file_removed_by_hand_is_made_again(tmp_path, raw):
    _, out_dir = cached_build(tmp_path, raw)
    files = snapshot(out_dir)
    (out_dir / "faqs.parquet").unlink()
    cached_build(tmp_path, raw)
    assert snapshot(out_dir) == files


def test_an_edited_article_is_built_again(tmp_path, raw):
    _, out_dir = cached_build(tmp_path, raw)
    folder = out_dir.stat().st_ino
    article = raw / "sound-article.txt"
    article.write_text(article.read_text(encoding="utf-8").replace("How to Choose", "How to Pick", 1), encoding="utf-8")
    cached_build(tmp_path, raw)
    assert rewritten(out_dir, folder)
    fresh, fresh_dir = build(tmp_path, raw, "--no-cache", out="fresh")
    assert fresh.exit_code == 0 and snapshot(out_dir) == snapshot(fresh_dir)


def test_an_added_article_is_built_again(tmp_path, raw):
    _, out_dir = cached_build(tmp_path, raw)
    folder = out_dir.stat().st_ino
    shutil.copyfile(ARTICLES / "targeted-vs-hormone.txt", raw / "targeted-vs-hormone.txt")
    cached_build(tmp_path, raw)
    assert rewritten(out_dir, folder)
    assert b"targeted-vs-hormone" in (out_dir / "documents.csv").read_bytes()


def test_other_options_build_again(tmp_path, raw):
    _, out_dir = cached_build(tmp_path, raw)
    folder = out_dir.stat().st_ino
    cached_build(tmp_path, raw, "--keep-going")
    assert rewritten(out_dir, folder)


def test_a_build_without_the_cache_builds_again(tmp_path, raw):
    _, out_dir = cached_build(tmp_path, raw)
    folder = out_dir.stat().st_ino
    result, _ = build(tmp_path, raw, "--no-cache")
    assert result.exit_code == 0 and rewritten(out_dir, folder)


def test_the_warnings_of_the_build_are_shown_again(tmp_path, raw):
    (raw / "notes.pdf").write_bytes(b"%PDF-1.4\n")
    first, out_dir = cached_build(tmp_path, raw)
    folder = out_dir.stat().st_ino
    assert "notes.pdf" in first.stderr
    again, _ = cached_build(tmp_path, raw)
    assert not rewritten(out_dir, folder)
    assert again.stderr == first.stderr


@pytest.mark.parametrize("damage", [b"", b"{}", b"not a record", None], ids=["empty", "json", "text", "flipped"])
def test_a_damaged_build_record_is_ignored(tmp_path, raw, damage):
    _, out_dir = cached_build(tmp_path, raw)
    files = snapshot(out_dir)
    folder = out_dir.stat().st_ino
    (record,) = (tmp_path / "cache").glob(f"{cache.RECORD_PREFIX}*.json")
    data = record.read_bytes()
    record.write_bytes(damage if damage is not None else data[:-2] + bytes([data[-2] ^ 1]) + data[-1:])
    result, _ = cached_build(tmp_path, raw)
    assert (result.stderr, snapshot(out_dir)) == ("", files)
    assert rewritten(out_dir, folder)
