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
SEED = ROOT / "raw" / "immunotherapy-vs-immunosuppression.txt"


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
