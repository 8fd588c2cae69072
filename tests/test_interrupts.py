"""Ctrl-C and SIGTERM at any stage: ``Aborted!`` and nothing else on stderr, the old output as it was, and no
process left behind (issue: data safety)."""

from __future__ import annotations

import os
import shutil
import signal

import pytest
from conftest import ARTICLES
from faults_support import (
    SEED,
    manifest_matches,
    raw_folder,
    run_pipeline,
    snapshot,
    started_with_slow_workers,
    tree_gone,
)

pytestmark = pytest.mark.slow


@pytest.fixture
def corpus(tmp_path):
    """Six articles and a dataset built from two of them: the output an interrupted build must leave."""
    raw = raw_folder(tmp_path, "sound-article.txt")
    shutil.copyfile(SEED, raw / SEED.name)
    out_dir = tmp_path / "out"
    done = run_pipeline("build", "--raw-dir", str(raw), "--out-dir", str(out_dir), "--report",
                        str(tmp_path / "r.csv"), "--no-cache")
    assert done.returncode == 0, done.stderr
    for article in sorted(ARTICLES.glob("*.txt")):
        shutil.copyfile(article, raw / article.name)
    return raw, out_dir


@pytest.mark.parametrize("how", ["ctrl_c", "sigterm"])
@pytest.mark.parametrize("stage", ["extracting", "writing"])
def test_an_interrupted_build_says_aborted_keeps_the_output_and_leaves_no_process(tmp_path, corpus, how, stage):
    raw, out_dir = corpus
    before = snapshot(out_dir)
    build = started_with_slow_workers("build", "--raw-dir", str(raw), "--out-dir", str(out_dir), "--report",
                                      str(tmp_path / "r.csv"), "--no-cache", "--jobs", "2")
    announced = []
    while stage not in announced:  # a worker busy with a chunk, or a file being written
        announced.append(build.stderr.readline().strip())
        assert announced[-1], announced
    if how == "ctrl_c":
        os.killpg(build.pid, signal.SIGINT)  # as a terminal sends it: to every process of the group
    else:
        build.send_signal(signal.SIGTERM)  # to the building process only
    _, stderr = build.communicate(timeout=60)
    said = [line for line in stderr.splitlines() if line not in ("extracting", "writing")]
    assert (build.returncode, said) == (1, ["Aborted!"])
    assert tree_gone(build.pid)
    assert snapshot(out_dir) == before
    manifest_matches(out_dir)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".out.")) == [".out.lock"]
