"""``--engine dask``: the same build on a Dask distributed cluster (issue: scale). Extraction is a pure map over
the articles' chunks, so a cluster of two worker processes gives the bytes of the local build, and the
cache it fills serves a local build after it."""

from __future__ import annotations

import shutil

import pytest
from conftest import ARTICLES, SEED
from faults_support import run_pipeline, snapshot


@pytest.fixture
def raw(raw_dir_with):
    folder = raw_dir_with(SEED, ARTICLES / "dmards-vs-nsaids.txt", ARTICLES / "targeted-vs-hormone.txt")
    for copy in range(3):
        shutil.copyfile(ARTICLES / "cytokine-vs-corticosteroid.txt", folder / f"copy-{copy}.txt")
    return folder


def build(raw, tmp_path, out: str, *extra: str):
    return run_pipeline("build", "--raw-dir", str(raw), "--out-dir", str(tmp_path / out), "--report",
                        str(tmp_path / f"{out}.csv"), "--quiet", *extra)


def needs_dask():
    pytest.importorskip("distributed", reason="the Dask engine's tests run in .venv-dask (make test-all)")


@pytest.mark.slow
def test_a_local_dask_cluster_of_two_workers_gives_the_bytes_of_the_local_build(raw, tmp_path):
    needs_dask()
    local = build(raw, tmp_path, "local", "--no-cache", "--jobs", "1")
    distributed = build(raw, tmp_path, "dask", "--engine", "dask", "--jobs", "2", "--cache-dir",
                        str(tmp_path / "cache"))
    assert (local.returncode, local.stderr) == (0, "")
    assert (distributed.returncode, distributed.stderr) == (0, "")
    assert snapshot(tmp_path / "dask") == snapshot(tmp_path / "local")
    # The packs came back from the workers and were cached here: a local build now extracts nothing.
    assert sorted((tmp_path / "cache").glob("*.pack"))
    again = build(raw, tmp_path, "again", "--cache-dir", str(tmp_path / "cache"))
    assert (again.returncode, again.stderr) == (0, "")
    assert snapshot(tmp_path / "again") == snapshot(tmp_path / "local")


@pytest.mark.slow
def test_a_scheduler_that_does_not_answer_is_one_line(raw, tmp_path):
    needs_dask()
    result = build(raw, tmp_path, "out", "--engine", "dask", "--scheduler", "tcp://127.0.0.1:9", "--no-cache")
    assert result.returncode == 1
    assert result.stderr.startswith("Error: --scheduler tcp://127.0.0.1:9: cannot reach the scheduler (")
    assert result.stderr.count("\n") == 1
    assert not (tmp_path / "out").exists()


def test_a_scheduler_without_the_dask_engine_is_a_usage_error(raw, tmp_path):
    result = build(raw, tmp_path, "out", "--scheduler", "tcp://127.0.0.1:8786")
    assert result.returncode == 2
    assert result.stderr.endswith("Error: --scheduler goes with --engine dask\n")


def test_the_dask_engine_without_its_packages_is_one_line(raw, tmp_path):
    """The build's own environment has no dask (its import would slow every command): one line, exit 1."""
    try:
        import distributed  # noqa: F401
    except ImportError:
        pass
    else:
        pytest.skip("dask is installed here")
    result = build(raw, tmp_path, "out", "--engine", "dask", "--no-cache")
    assert (result.returncode, result.stderr) == (
        1, "Error: --engine dask needs the packages dask and distributed (pip install "
           "'therapy-comparison-dataset[dask]')\n")
    assert not (tmp_path / "out").exists()
