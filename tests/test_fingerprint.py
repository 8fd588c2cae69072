"""The code's fingerprint: every module of the packages counts, so no edit can leave a cache stale."""

from __future__ import annotations

import shutil

import pytest
from conftest import ROOT

from pipeline.fingerprint import code_files, code_version, digest


@pytest.fixture(scope="module")
def copy(tmp_path_factory):
    """A copy of the code, to edit."""
    folder = tmp_path_factory.mktemp("code")
    for package in ("pipeline", "schemas"):
        shutil.copytree(ROOT / package, folder / package, ignore=shutil.ignore_patterns("__pycache__"))
    return folder


def test_the_copy_has_the_same_version(copy):
    assert code_files(copy) == code_files() and digest(copy) == code_version()


@pytest.mark.parametrize("module", [path.as_posix() for path in code_files()])
def test_editing_any_module_changes_the_version(copy, module):
    path = copy / module
    before = path.read_bytes()
    path.write_bytes(before + b"\n# an edit\n")
    try:
        assert digest(copy) != code_version()
    finally:
        path.write_bytes(before)


def test_adding_a_module_changes_the_version(copy):
    added = copy / "pipeline" / "extract" / "new_rule.py"
    added.write_text("RULE = 1\n")
    try:
        assert digest(copy) != code_version()
    finally:
        added.unlink()
