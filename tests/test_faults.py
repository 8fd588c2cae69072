"""Faults: a build killed mid-export, two builds at once, a validation failure. The last good dataset
always survives whole."""

from __future__ import annotations

import random
import shutil
import signal
import subprocess
import sys

import pandas as pd
import pytest
from click.testing import CliRunner
from faults_support import (
    ROOT,
    SEED,
    manifest_matches,
    raw_folder,
    run_pipeline,
    snapshot,
)

from pipeline.cli import cli
from pipeline.store import stages

# The CLI in a real process whose every output-file write announces itself and then takes its time,
# so that a test can kill it while the new dataset is half written.
SLOW_WRITER = """
import sys, time
from pipeline.store import files
write = files.write_durably
def slow_write(path, data):
    print("writing", path.name, file=sys.stderr, flush=True)
    time.sleep(DELAY)
    write(path, data)
files.write_durably = slow_write
from pipeline import parallel
parallel.write_durably = slow_write
from pipeline.cli import cli
cli(sys.argv[1:], prog_name="pipeline")
"""


def slow_build(raw, out_dir, report, delay: float) -> subprocess.Popen:
    code = SLOW_WRITER.replace("DELAY", repr(delay))
    return subprocess.Popen([sys.executable, "-c", code, "build", "--raw-dir", str(raw), "--out-dir", str(out_dir),
                             "--report", str(report)], cwd=ROOT, stderr=subprocess.PIPE, text=True)


def wait_for_writing(process: subprocess.Popen) -> None:
    line = process.stderr.readline()
    assert line.startswith("writing "), line


@pytest.mark.slow
def test_sigkill_during_export_leaves_output_wholly_old_or_wholly_new(tmp_path):
    old_raw = raw_folder(tmp_path, "sound-article.txt", name="old")
    new_raw = raw_folder(tmp_path, "sound-article.txt", name="new")
    (new_raw / SEED.name).write_bytes(SEED.read_bytes())
    out_dir = tmp_path / "out"
    assert run_pipeline("build", "--raw-dir", str(new_raw), "--out-dir", str(out_dir), "--report",
                        str(tmp_path / "r.csv")).returncode == 0
    new = manifest_matches(out_dir)
    assert run_pipeline("build", "--raw-dir", str(old_raw), "--out-dir", str(out_dir), "--report",
                        str(tmp_path / "r.csv")).returncode == 0
    old = manifest_matches(out_dir)
    assert old != new
    shutil.copytree(out_dir, tmp_path / "old-copy")
    delay, files = 0.02, len(new) + 1
    chance = random.Random(20261128)
    outcomes = []
    for _ in range(6):
        process = slow_build(new_raw, out_dir, tmp_path / "r.csv", delay)
        # Killed once this many files have begun to be written (by either process), or once the build ended.
        for _ in range(chance.randint(1, files + 3)):
            if not process.stderr.readline():
                break
        process.send_signal(signal.SIGKILL)
        process.communicate()
        assert process.returncode in (-signal.SIGKILL, 0)
        found = manifest_matches(out_dir)  # every file listed, with its hash, and nothing else
        assert found in (old, new)
        outcomes.append("new" if found == new else "old")
        if found == new:  # put the old dataset back for the next try
            shutil.rmtree(out_dir)
            shutil.copytree(tmp_path / "old-copy", out_dir)
    assert "old" in outcomes  # at least one kill landed mid-export
    # A killed build leaves at most a temporary folder beside the output; the next build clears it.
    assert run_pipeline("build", "--raw-dir", str(new_raw), "--out-dir", str(out_dir), "--report",
                        str(tmp_path / "r.csv")).returncode == 0
    assert manifest_matches(out_dir) == new
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".out.")) == [".out.lock"]


@pytest.mark.slow
def test_second_build_into_the_same_output_stops_with_a_clear_message(tmp_path):
    raw = raw_folder(tmp_path, "sound-article.txt")
    (raw / SEED.name).write_bytes(SEED.read_bytes())
    out_dir = tmp_path / "out"
    first = slow_build(raw, out_dir, tmp_path / "r1.csv", delay=0.1)
    try:
        wait_for_writing(first)
        second = run_pipeline("build", "--raw-dir", str(raw), "--out-dir", str(out_dir), "--report",
                              str(tmp_path / "r2.csv"))
        assert (second.returncode, second.stderr) == (
            1, f"Error: {out_dir}: another build is writing this folder; try again when it has finished\n")
    finally:
        first.communicate(timeout=60)
    assert first.returncode == 0
    manifest_matches(out_dir)
    # Once the first has finished, the folder is free again.
    again = run_pipeline("build", "--raw-dir", str(raw), "--out-dir", str(out_dir), "--report",
                         str(tmp_path / "r2.csv"))
    assert (again.returncode, again.stderr) == (0, "")


@pytest.mark.slow
def test_a_render_process_left_running_by_a_killed_build_does_not_keep_the_next_build_out(tmp_path):
    raw = raw_folder(tmp_path, "sound-article.txt")
    out_dir = tmp_path / "out"
    first = slow_build(raw, out_dir, tmp_path / "r1.csv", delay=0.2)
    wait_for_writing(first)
    first.kill()  # the building process only: its render process is left to notice
    again = run_pipeline("build", "--raw-dir", str(raw), "--out-dir", str(out_dir), "--report",
                         str(tmp_path / "r2.csv"))
    assert (again.returncode, again.stderr) == (0, "")
    first.communicate(timeout=60)  # the render process has ended too: nothing holds the pipe
    manifest_matches(out_dir)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".out.")) == [".out.lock"]


def test_validation_failure_lists_every_failure_and_leaves_output_untouched(tmp_path):
    """A staged table corrupted three ways: the report lists each failure, the validated folder and the
    dataset stay as they were."""
    raw = raw_folder(tmp_path, "sound-article.txt")
    extracted, validated, out_dir, report = (tmp_path / n for n in ("extracted", "validated", "out", "report.csv"))
    runner = CliRunner()
    assert runner.invoke(cli, ["extract", "--raw-dir", str(raw), "--out-dir", str(extracted)]).exit_code == 0
    validate = ["validate", "--in-dir", str(extracted), "--raw-dir", str(raw), "--out-dir", str(validated),
                "--report", str(report)]
    assert runner.invoke(cli, validate).exit_code == 0
    assert runner.invoke(cli, ["export", "--in-dir", str(validated), "--out-dir", str(out_dir)]).exit_code == 0
    assert report.read_text() == "table,column,check,value,row\n"
    before_validated, before_out = snapshot(validated), snapshot(out_dir)

    # The stage is written again through the pipeline's own writer, as a faulty extractor would write it.
    tables, notes = stages.read_stage(extracted), stages.read_notes(extracted)
    side_effects = tables["document_side_effects"]
    side_effects.loc[1, "side_effect_id"] = "Not A Slug"      # breaks the id pattern (and its foreign keys)
    side_effects.loc[3, "char_start"] += 1                     # the span no longer equals the name
    tables["indications"].loc[0, "condition_id"] = "no-such-condition"   # a dangling foreign key
    stages.write_stage(extracted, tables, notes)

    result = runner.invoke(cli, validate)
    assert (result.exit_code, result.stderr) == (
        1, f"Error: validation failed: 5 problem(s) (indications: 1, side_effects: 1, document_side_effects: 3); "
           f"every failure is listed in {report}\n")
    problems = pd.read_csv(report, dtype=str, keep_default_na=False)
    assert problems.values.tolist() == [
        ["indications", "condition_id", "foreign_key(conditions.condition_id)", "no-such-condition", "0"],
        # (the row's old id is now named by no article; the entity tables are sorted by id, it is the last)
        ["side_effects", "side_effect_id", "named_in(document_side_effects.side_effect_id)", "skin-redness", "9"],
        ["document_side_effects", "side_effect_id", "str_matches('^[a-z0-9]+(-[a-z0-9]+)*$')", "Not A Slug", "1"],
        ["document_side_effects", "side_effect_id", "foreign_key(side_effects.side_effect_id)", "Not A Slug", "1"],
        ["document_side_effects", "name", "span(char_start,char_end)", "Skin irritation", "3"],
    ]
    assert snapshot(validated) == before_validated
    assert runner.invoke(cli, ["export", "--in-dir", str(validated), "--out-dir", str(out_dir)]).exit_code == 0
    assert snapshot(out_dir) == before_out


def test_damaged_staged_table_is_a_one_line_error(tmp_path):
    raw = raw_folder(tmp_path, "sound-article.txt")
    extracted = tmp_path / "extracted"
    runner = CliRunner()
    assert runner.invoke(cli, ["extract", "--raw-dir", str(raw), "--out-dir", str(extracted)]).exit_code == 0
    (extracted / "faqs.parquet").write_bytes(b"not parquet at all")
    result = runner.invoke(cli, ["validate", "--in-dir", str(extracted), "--raw-dir", str(raw), "--out-dir",
                                 str(tmp_path / "validated"), "--report", str(tmp_path / "report.csv")])
    assert result.exit_code == 1
    assert result.stderr == (f"Error: {extracted}/faqs.parquet: staged table is damaged (its SHA-256 is not the "
                             "one its stage recorded); run the stage that made it again\n")
    assert not (tmp_path / "validated").exists()
