"""How a build uses the process: a forked renderer (same files as rendering in one process, same failures),
and the garbage collector set aside while it runs."""

from __future__ import annotations

import os

import pytest
from click.testing import CliRunner

from conftest import ARTICLES, SEED
from faults_support import snapshot
from pipeline import renderer
from pipeline.cli import cli
from pipeline.errors import PipelineError


@pytest.fixture
def raw(raw_dir_with):
    return raw_dir_with(SEED, ARTICLES / "dmards-vs-nsaids.txt", ARTICLES / "targeted-vs-hormone.txt")


def build(raw, out_dir, tmp_path):
    return CliRunner().invoke(cli, ["build", "--raw-dir", str(raw), "--out-dir", str(out_dir), "--report",
                                    str(tmp_path / "report.csv"), "--cache-dir", str(tmp_path / "cache")])


def leftovers(out_dir):
    return sorted(path.name for path in out_dir.parent.glob(f".{out_dir.name}.*.tmp"))


def test_forked_render_writes_the_same_files(raw, tmp_path, monkeypatch):
    monkeypatch.setattr(renderer, "CAN_FORK", False)
    assert build(raw, tmp_path / "alone", tmp_path).exit_code == 0
    monkeypatch.setattr(renderer, "CAN_FORK", True)
    assert build(raw, tmp_path / "forked", tmp_path).exit_code == 0
    assert snapshot(tmp_path / "forked") == snapshot(tmp_path / "alone")
    assert leftovers(tmp_path / "forked") == []


def fails_with(error):
    def failing(*args, **kwargs):
        raise error

    return failing


@pytest.mark.parametrize("broken, failure, message", [
    ("pipeline.export.make_files", RuntimeError("disk on fire"), "{out_dir}: rendering failed: RuntimeError: disk on fire"),
    ("pipeline.jobs._validated", PipelineError("validation failed: 1 problem(s) (faqs: 1)"),
     "validation failed: 1 problem(s) (faqs: 1)"),
    ("pipeline.export.closing_files", KeyError("datapackage.json"),
     "{out_dir}: rendering failed: KeyError: 'datapackage.json'"),
], ids=["in_the_render_process", "in_validation", "in_the_closing_files"])
def test_a_failure_on_either_side_stops_the_build_and_keeps_the_output(raw, tmp_path, monkeypatch, broken, failure,
                                                                      message):
    out_dir = tmp_path / "out"
    assert build(raw, out_dir, tmp_path).exit_code == 0
    before = snapshot(out_dir)
    monkeypatch.setattr(broken, fails_with(failure))
    result = build(raw, out_dir, tmp_path)
    assert (result.exit_code, result.stderr) == (1, f"Error: {message.format(out_dir=out_dir)}\n")
    assert snapshot(out_dir) == before and leftovers(out_dir) == []
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # the render process ended (or was stopped) and was reaped: no child is left


def test_a_build_leaves_the_garbage_collector_as_it_found_it(raw, tmp_path):
    import gc

    assert build(raw, tmp_path / "out", tmp_path).exit_code == 0
    assert gc.get_freeze_count() == 0


def test_a_process_takes_only_the_jobs_left_in_the_queue_until_it_is_empty(raw, tmp_path):
    """The queue the two processes share: what one took, the other does not make; nothing is made twice."""
    from pipeline import io
    from pipeline.export import file_jobs, make_files, render
    from pipeline.jobs import _extracted
    from pipeline.validate import in_schema_order

    tables, _, notes, _ = _extracted(raw, io.DEFAULT_MAX_BYTES, False, None, None)
    tables, project = in_schema_order(tables), io.read_project()
    jobs = file_jobs(tables, notes)
    queue, filler = os.pipe()
    os.write(filler, bytes(range(len(jobs))))
    os.close(filler)
    taken_elsewhere = os.read(queue, 5)
    staging = tmp_path / "staging"
    staging.mkdir()
    facts = renderer.take_and_render(queue, jobs, tables, project, notes, staging)
    assert os.read(queue, 1) == b""
    os.close(queue)
    everything = render(tables, project, notes)
    made = {str(path.relative_to(staging)) for path in staging.rglob("*") if path.is_file()}
    made_elsewhere = {path for number in taken_elsewhere
                      for path, _, _ in make_files(tables, jobs[number], project, notes)}
    assert made == set(facts) and not made & made_elsewhere
    assert made | made_elsewhere == set(everything) - {"datapackage.json", "croissant.json", "MANIFEST"}
    assert all((staging / path).read_bytes() == everything[path] for path in made)
