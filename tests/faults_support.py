"""Helpers shared by the bad-input, mode and fault tests: fixtures, raw folders, running the CLI."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.manifest import MANIFEST_MARK

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED = ROOT / "tests" / "fixtures" / "seed" / "immunotherapy-vs-immunosuppression.txt"  # (as conftest.SEED)


def raw_folder(tmp_path: Path, *fixtures: str, name: str = "raw") -> Path:
    """A raw folder holding copies of the named fixtures (file names kept)."""
    folder = tmp_path / name
    folder.mkdir(exist_ok=True)
    for fixture in fixtures:
        shutil.copyfile(FIXTURES / fixture, folder / fixture)
    return folder


def build(tmp_path: Path, raw: Path, *extra: str, out: str = "out"):
    """``pipeline build`` through click's runner; the result and the output folder."""
    out_dir = tmp_path / out
    result = CliRunner().invoke(cli, ["build", "--raw-dir", str(raw), "--out-dir", str(out_dir),
                                      "--report", str(tmp_path / "validation_report.csv"), *extra])
    return result, out_dir


def run_pipeline(*args: str, cwd: Path = ROOT, env: dict | None = None, **kwargs) -> subprocess.CompletedProcess:
    """The CLI in a real process."""
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, **kwargs)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under a folder (relative name → bytes), to tell whether it changed."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def manifest_matches(folder: Path) -> dict[str, str]:
    """The MANIFEST's entries, after checking that the folder holds exactly those files with those hashes."""
    entries = {}
    mark, *lines = (folder / "MANIFEST").read_text().splitlines()
    assert mark + "\n" == MANIFEST_MARK
    for line in lines:
        digest, size, name = line.split("  ", 2)
        data = (folder / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == digest and len(data) == int(size), name
        entries[name] = digest
    on_disk = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
    assert on_disk == sorted([*entries, "MANIFEST"])
    return entries


def slow_write(path, data):
    """Writing a dataset file, announced on stderr and slowed."""
    import time

    from pipeline.store.files import write_durably

    print("writing", file=sys.stderr, flush=True)
    time.sleep(2)
    write_durably(path, data)


def slow_extract_chunk(work):
    """The workers' chunk extraction, announced on stderr and slowed, so that a test can interrupt a build
    while its workers are busy (workers import this module by name)."""
    import time

    from pipeline.build import extract_chunk

    print("extracting", file=sys.stderr, flush=True)
    time.sleep(2)
    return extract_chunk(work)


# The CLI in a real process, its workers and its writes slowed (see slow_extract_chunk, slow_write), with the
# pool's threshold lowered so that a few articles use it.
SLOW_WORKERS = """
import sys
sys.path.insert(0, TESTS)
import faults_support
from pipeline import build, parallel
parallel.POOL_MIN_ARTICLES = 2
parallel.MAX_CHUNK = 1
build.extract_chunk = faults_support.slow_extract_chunk
parallel.write_durably = faults_support.slow_write
from pipeline.cli import main
main()
"""


def started_with_slow_workers(*args: str) -> subprocess.Popen:
    """``pipeline ARGS`` in a process of its own session (so that its whole tree can be found)."""
    code = SLOW_WORKERS.replace("TESTS", repr(str(Path(__file__).resolve().parent)))
    return subprocess.Popen([sys.executable, "-c", code, *args], cwd=ROOT, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def tree_gone(session: int, seconds: float = 10) -> bool:
    """Whether every process of a session has ended (waiting up to ``seconds``)."""
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.killpg(session, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False
