"""The output folder: a build writes only into a folder that is missing, empty or its own dataset, and never
deletes or replaces what it did not make (issue: data safety)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from faults_support import (
    SEED,
    build,
    manifest_matches,
    raw_folder,
    run_pipeline,
    snapshot,
)

from pipeline.store import folders


@pytest.fixture
def raw(tmp_path):
    return raw_folder(tmp_path, "sound-article.txt")


def assert_refused(result, message: str) -> None:
    assert (result.exit_code, result.stderr) == (1, f"Error: {message}\n")
    assert "Traceback" not in result.output


def test_out_dir_equal_to_raw_dir_is_refused_and_the_articles_stay(tmp_path, raw):
    before = snapshot(raw)
    result, _ = build(tmp_path, raw, out="raw")
    assert_refused(result, f"{raw}: holds the raw folder {raw}; give another output folder")
    assert snapshot(raw) == before


def test_out_dir_holding_the_raw_folder_is_refused(tmp_path, raw):
    (tmp_path / "notes.txt").write_text("mine")
    result, _ = build(tmp_path, raw, out=".")
    assert_refused(result, f"{tmp_path}: holds the raw folder {raw}; give another output folder")
    assert (tmp_path / "notes.txt").read_text() == "mine" and snapshot(raw)


def test_out_dir_inside_the_raw_folder_is_refused(tmp_path, raw):
    result, _ = build(tmp_path, raw, out="raw/out")
    assert_refused(result, f"{raw}/out: is inside the raw folder {raw}, which the pipeline never writes; give "
                           "another output folder")
    assert sorted(p.name for p in raw.iterdir()) == ["sound-article.txt"]


def test_out_dir_holding_someone_elses_files_is_refused_untouched(tmp_path, raw):
    home = tmp_path / "home"
    (home / "documents").mkdir(parents=True)
    (home / "documents" / "letter.txt").write_text("dear")
    (home / ".profile").write_text("PATH=")
    (home / "photo.jpg").write_bytes(b"\xff\xd8")
    before = snapshot(home)
    result, _ = build(tmp_path, raw, out="home")
    assert_refused(result, f"{home}: holds files this pipeline did not make ('.profile', 'photo.jpg', "
                           "'documents/letter.txt') and no MANIFEST of a dataset; give a new or empty folder, or "
                           "move them away")
    assert snapshot(home) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".home.")]  # not even a lock file


@pytest.mark.slow
def test_out_dir_dot_in_a_project_folder_is_refused(tmp_path, raw):
    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text("[project]\nname = 'mine'\n")
    result = run_pipeline("build", "--raw-dir", str(raw), "--out-dir", ".", "--report", str(tmp_path / "r.csv"),
                          cwd=project)
    assert (result.returncode, result.stderr) == (
        1, "Error: .: is the project folder itself; give a folder inside it (such as output)\n")
    assert sorted(p.name for p in project.iterdir()) == ["pyproject.toml"]


def test_out_dir_that_is_a_file_is_refused_and_the_file_stays(tmp_path, raw):
    target = tmp_path / "out"
    target.write_text("my notes")
    result, _ = build(tmp_path, raw)
    assert_refused(result, f"{target}: is a file, not a folder; give a folder for the output")
    assert target.read_text() == "my notes"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.") and p.name != ".out.lock"]


def test_out_dir_that_is_a_symbolic_link_is_refused_and_its_target_stays(tmp_path, raw):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("keep")
    (tmp_path / "out").symlink_to(elsewhere)
    result, _ = build(tmp_path, raw)
    assert_refused(result, f"{tmp_path / 'out'}: is a symbolic link; give the folder itself (or a new one) as the "
                           "output")
    assert snapshot(elsewhere) == {"keep.txt": b"keep"} and (tmp_path / "out").is_symlink()


def test_an_empty_folder_and_a_dataset_of_ours_are_written(tmp_path, raw):
    (tmp_path / "out").mkdir()
    result, out_dir = build(tmp_path, raw)
    assert (result.exit_code, result.stderr) == (0, "")
    first = manifest_matches(out_dir)
    (raw / SEED.name).write_bytes(SEED.read_bytes())
    result, _ = build(tmp_path, raw)
    assert (result.exit_code, result.stderr) == (0, "")
    assert manifest_matches(out_dir) != first


def test_a_dataset_with_a_file_added_by_someone_is_refused_untouched(tmp_path, raw):
    result, out_dir = build(tmp_path, raw)
    assert result.exit_code == 0
    (out_dir / "excel" / "my-pivot.xlsx").write_bytes(b"PK")
    before = snapshot(out_dir)
    result, _ = build(tmp_path, raw)
    assert_refused(result, f"{out_dir}: holds files this pipeline did not make ('excel/my-pivot.xlsx'); move them "
                           "away, or give another folder")
    assert snapshot(out_dir) == before


def test_a_dataset_made_before_the_manifest_had_its_format_line_is_still_ours(tmp_path, raw):
    result, out_dir = build(tmp_path, raw)
    manifest = out_dir / "MANIFEST"
    manifest.write_text(manifest.read_text().split("\n", 1)[1])
    result, _ = build(tmp_path, raw)
    assert (result.exit_code, result.stderr) == (0, "")
    manifest_matches(out_dir)


def test_a_stage_folder_holding_other_files_is_refused(tmp_path, raw):
    target = tmp_path / "staged"
    target.mkdir()
    (target / "results.csv").write_text("a,b\n")
    from click.testing import CliRunner

    from pipeline.cli import cli

    result = CliRunner().invoke(cli, ["extract", "--raw-dir", str(raw), "--out-dir", str(target), "--no-cache"])
    assert_refused(result, f"{target}: holds files this pipeline did not make ('results.csv') and no stage.json of "
                           "staged tables; give a new or empty folder, or move them away")
    assert snapshot(target) == {"results.csv": b"a,b\n"}


def test_a_report_path_holding_someone_elses_file_is_refused(tmp_path, raw):
    mine = tmp_path / "validation_report.csv"
    mine.write_text("my own spreadsheet\n")
    result, out_dir = build(tmp_path, raw)
    assert_refused(result, f"{mine}: is not a validation report of this pipeline; give another file for --report")
    assert mine.read_text() == "my own spreadsheet\n" and not out_dir.exists()


def test_a_leftover_folder_that_only_looks_like_a_staging_folder_is_never_removed(tmp_path, raw):
    lookalike = tmp_path / ".out.backup.tmp"
    lookalike.mkdir()
    (lookalike / "precious.txt").write_text("precious")
    result, _ = build(tmp_path, raw)
    assert result.exit_code == 0
    assert (lookalike / "precious.txt").read_text() == "precious"


def test_without_an_atomic_exchange_the_old_folder_is_renamed_aside_and_the_report_says_so(tmp_path, raw,
                                                                                            monkeypatch):
    result, out_dir = build(tmp_path, raw)
    old = manifest_matches(out_dir)
    monkeypatch.setattr(folders, "_exchange", lambda a, b: False)
    (raw / SEED.name).write_bytes(SEED.read_bytes())
    result, _ = build(tmp_path, raw)
    warning = ("output: this file system cannot exchange two folders in one step, so the old output is renamed "
               "aside, the new one renamed in, and the old one removed after")
    assert (result.exit_code, result.stderr) == (0, f"warning: {warning}\n")
    assert manifest_matches(out_dir) != old
    assert json.loads((out_dir / "build_report.json").read_text())["warnings"] == [warning]
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".out.")) == [".out.lock"]


def test_a_build_killed_between_the_two_renames_is_repaired_by_the_next(tmp_path, raw, monkeypatch):
    result, out_dir = build(tmp_path, raw)
    old = manifest_matches(out_dir)
    monkeypatch.setattr(folders, "_exchange", lambda a, b: False)
    renamed = []
    real_rename = os.rename

    def rename_then_die(self, target):
        renamed.append(self)
        if len(renamed) == 2:  # the old folder is aside, the new one not yet in: the process dies here
            raise KeyboardInterrupt
        return real_rename(self, target)

    monkeypatch.setattr(type(out_dir), "rename", rename_then_die)
    (raw / SEED.name).write_bytes(SEED.read_bytes())
    result, _ = build(tmp_path, raw)
    assert result.exit_code == 1 and not out_dir.exists()
    monkeypatch.undo()
    assert folders.claim(out_dir, "dataset") is None  # the next command puts the old folder back first
    assert manifest_matches(out_dir) == old


def mounted_tmpfs(folder, size: str, read_only: bool = False):
    folder.mkdir()
    options = f"size={size}" + (",ro" if read_only else "")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root and mount rights): {done.stderr.decode().strip()}")


@pytest.fixture
def small_disk(tmp_path):
    disk = tmp_path / "disk"
    mounted_tmpfs(disk, "4m")
    yield disk
    subprocess.run(["umount", "-l", str(disk)], check=False)


@pytest.fixture
def read_only_disk(tmp_path):
    disk = tmp_path / "ro"
    mounted_tmpfs(disk, "1m", read_only=True)
    yield disk
    subprocess.run(["umount", "-l", str(disk)], check=False)


@pytest.mark.slow
def test_a_full_disk_is_one_line_and_the_old_output_stays(tmp_path, small_disk):
    raw = raw_folder(tmp_path, "sound-article.txt")
    result, out_dir = build(tmp_path, raw, "--no-cache", out="disk/out")
    assert result.exit_code == 0
    before = snapshot(out_dir)
    (raw / SEED.name).write_bytes(SEED.read_bytes())
    used = sum(len(data) for data in before.values())
    free = os.statvfs(small_disk).f_bavail * os.statvfs(small_disk).f_frsize
    (small_disk / "filler").write_bytes(b"\1" * (free - used // 2))  # room for half a dataset
    result = run_pipeline("build", "--raw-dir", str(raw), "--out-dir", str(out_dir), "--report",
                          str(tmp_path / "r.csv"), "--no-cache")
    assert result.returncode == 1
    assert result.stderr.startswith(f"Error: {out_dir}") or result.stderr.startswith(f"Error: {small_disk}")
    assert result.stderr.endswith(": no space left on the device\n") and result.stderr.count("\n") == 1
    assert snapshot(out_dir) == before
    assert sorted(p.name for p in small_disk.iterdir()) == [".out.lock", "filler", "out"]


@pytest.mark.slow
def test_a_read_only_file_system_is_one_line_and_nothing_changes(tmp_path, read_only_disk):
    raw = raw_folder(tmp_path, "sound-article.txt")
    result = run_pipeline("build", "--raw-dir", str(raw), "--out-dir", str(read_only_disk / "out"), "--report",
                          str(tmp_path / "r.csv"), "--no-cache")
    assert (result.returncode, result.stderr) == (
        1, f"Error: {read_only_disk}/.out.lock: cannot lock the output folder: the file system is read-only\n")
    assert list(read_only_disk.iterdir()) == []


def started_build(tmp_path, raw, out_dir) -> subprocess.Popen:
    """A build in a real process, slowed at its first file write so that it can be killed mid-build."""
    code = ("import sys, time\nfrom pipeline import parallel\n"
            "def slow(path, data):\n    print('writing', flush=True, file=sys.stderr)\n    time.sleep(30)\n"
            "parallel.write_durably = slow\nfrom pipeline.cli import main\nmain()\n")
    return subprocess.Popen([sys.executable, "-c", code, "build", "--raw-dir", str(raw), "--out-dir", str(out_dir),
                             "--report", str(tmp_path / "r.csv"), "--no-cache"], stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


@pytest.mark.slow
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_the_lock_ends_with_the_build_however_it_dies(tmp_path, raw, how):
    out_dir = tmp_path / "out"
    first = started_build(tmp_path, raw, out_dir)
    assert first.stderr.readline() == "writing\n"
    os.kill(first.pid, how)  # the building process only: a forked child of it may live on
    first.wait(timeout=30)
    started = time.monotonic()
    again = run_pipeline("build", "--raw-dir", str(raw), "--out-dir", str(out_dir), "--report",
                         str(tmp_path / "r2.csv"), "--no-cache")
    assert (again.returncode, again.stderr) == (0, "")
    assert time.monotonic() - started < 20
    manifest_matches(out_dir)
    try:
        os.killpg(first.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    first.communicate(timeout=30)


# (the test forks on purpose, from a process whose libraries run threads: Python 3.12 and later warn of it)
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded, use of fork")
def test_a_forked_child_never_holds_the_lock(tmp_path):
    """A child forked while the lock is held (a worker, the render process) and still running after its parent
    let go does not keep the next build out."""
    out_dir = tmp_path / "out"
    with folders.locked(out_dir):
        pid = os.fork()
        if not pid:  # the child keeps every descriptor it inherited, and lives on
            time.sleep(5)
            os._exit(0)
    try:
        probe = ("import fcntl, os, sys; d = os.open(sys.argv[1], os.O_RDWR); "
                 "fcntl.lockf(d, fcntl.LOCK_EX | fcntl.LOCK_NB); print('locked')")
        taken = subprocess.run([sys.executable, "-c", probe, str(tmp_path / ".out.lock")], capture_output=True,
                               text=True)
        assert (taken.returncode, taken.stdout) == (0, "locked\n")
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)


@pytest.mark.parametrize("where, message", [
    ("raw/cache", "is inside the raw folder {raw}, which the pipeline never writes; give another cache folder"),
    ("out/cache", "is inside the output folder {out}, which each build replaces; give another cache folder"),
], ids=["inside_the_raw_folder", "inside_the_output_folder"])
def test_a_cache_folder_inside_the_raw_or_output_folder_is_refused(tmp_path, raw, where, message):
    before = snapshot(raw)
    result, out_dir = build(tmp_path, raw, "--cache-dir", str(tmp_path / where))
    assert_refused(result, f"{tmp_path / where}: " + message.format(raw=raw, out=out_dir))
    assert snapshot(raw) == before and not out_dir.exists()
