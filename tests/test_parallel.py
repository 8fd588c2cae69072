"""The speed module (pipeline.parallel): one switch, ``--jobs``, and the same bytes whichever way the work is
done; a failure while the files are made stops the build with one line and keeps the output."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner
from conftest import ARTICLES, SEED
from faults_support import snapshot

from pipeline import parallel
from pipeline.cli import cli
from pipeline.errors import PipelineError


@pytest.fixture
def raw(raw_dir_with):
    return raw_dir_with(SEED, ARTICLES / "dmards-vs-nsaids.txt", ARTICLES / "targeted-vs-hormone.txt")


def build(raw, out_dir, tmp_path, *extra: str):
    cache = tmp_path / f"cache-{out_dir.name}"
    return CliRunner().invoke(cli, ["build", "--raw-dir", str(raw), "--out-dir", str(out_dir), "--report",
                                    str(tmp_path / "report.csv"), "--cache-dir", str(cache), *extra])


def leftovers(out_dir):
    return sorted(path.name for path in out_dir.parent.glob(f".{out_dir.name}.*.tmp"))


@pytest.mark.slow
def test_one_job_and_many_give_the_same_bytes(raw, tmp_path, monkeypatch):
    """Enough articles for the worker processes (the threshold lowered), chunks of two: the same dataset as
    with everything in order in one process."""
    for copy in range(5):
        shutil.copyfile(ARTICLES / "cytokine-vs-corticosteroid.txt", raw / f"copy-{copy}.txt")
    monkeypatch.setattr(parallel, "POOL_MIN_ARTICLES", 2)
    monkeypatch.setattr(parallel, "MAX_CHUNK", 2)
    started = []
    real_workers = parallel.Workers

    class Counted(real_workers):
        def __init__(self, count):
            super().__init__(count)
            started.append(self._pool is not None)

    monkeypatch.setattr(parallel, "Workers", Counted)
    assert build(raw, tmp_path / "alone", tmp_path, "--jobs", "1").exit_code == 0
    assert build(raw, tmp_path / "many", tmp_path, "--jobs", "2").exit_code == 0
    assert started == [False, True]
    assert snapshot(tmp_path / "many") == snapshot(tmp_path / "alone")


def fails_with(error):
    def failing(*args, **kwargs):
        raise error

    return failing


@pytest.mark.parametrize("broken, failure, message", [
    ("pipeline.publish.make_files", RuntimeError("disk on fire"),
     "{out_dir}: rendering failed: RuntimeError: disk on fire"),
    ("pipeline.build._validated", PipelineError("validation failed: 1 problem(s) (faqs: 1)"),
     "validation failed: 1 problem(s) (faqs: 1)"),
    ("pipeline.publish.closing_files", KeyError("datapackage.json"),
     "{out_dir}: rendering failed: KeyError: 'datapackage.json'"),
    ("pipeline.parallel.write_durably", OSError(28, "No space left on device"),
     "{out_dir}: cannot write the output: no space left on the device"),
], ids=["making_a_file", "in_validation", "in_the_closing_files", "writing_a_file"])
def test_a_failure_stops_the_build_with_one_line_and_keeps_the_output(raw, tmp_path, monkeypatch, broken, failure,
                                                                     message):
    out_dir = tmp_path / "out"
    assert build(raw, out_dir, tmp_path).exit_code == 0
    before = snapshot(out_dir)
    (raw / "targeted-vs-hormone.txt").unlink()  # (something to build: with nothing changed, nothing is made)
    monkeypatch.setattr(broken, fails_with(failure))
    result = build(raw, out_dir, tmp_path)
    assert (result.exit_code, result.stderr) == (1, f"Error: {message.format(out_dir=out_dir)}\n")
    assert snapshot(out_dir) == before and leftovers(out_dir) == []


def test_the_collector_is_back_as_it_was_after_rows_are_made():
    import gc

    assert gc.isenabled()
    with parallel.collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
