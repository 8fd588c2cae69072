"""Shared fixtures: paths, the golden-file switch and a helper that builds a raw folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "raw"
OUTPUT = ROOT / "output"
# The articles of the seed's template that we wrote (tests/articles/template); the articles laid out as
# publishers lay them out are under tests/articles (see its README).
ARTICLES = Path(__file__).resolve().parent / "articles" / "template"
GOLDEN = Path(__file__).resolve().parent / "golden"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# The seed article, as a fixture copy: the tests that check the seed read it here, so articles added to raw/
# break no test (tests/test_raw.py checks that it is the file raw/README.md lists).
SEED = FIXTURES / "seed" / "immunotherapy-vs-immunosuppression.txt"


@pytest.fixture(scope="session")
def seed_output(tmp_path_factory) -> Path:
    """The dataset of the seed alone, built once per session (in a folder named ``output``)."""
    from pipeline.build import run_build

    out = tmp_path_factory.mktemp("seed") / "output"
    assert run_build(raw_dir=SEED.parent, out_dir=out, report=out.parent / "report.csv", cache_dir=None) == []
    return out


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="Rewrite the golden CSVs from the current build (then review the diff).")


@pytest.fixture
def update_golden(request) -> bool:
    return request.config.getoption("--update-golden")


@pytest.fixture
def raw_dir_with(tmp_path):
    """Make a raw folder holding copies of the given article files."""

    def make(*paths: Path) -> Path:
        raw = tmp_path / "raw"
        raw.mkdir(exist_ok=True)
        for path in paths:
            shutil.copyfile(path, raw / path.name)
        return raw

    return make


def extract_text(text: str, path: str, sha256: str = "0" * 64, source_path: str | None = None):
    """One article's text parsed and extracted, as a build does it."""
    from pipeline.extract import document_id, extract_document
    from pipeline.parse import parse
    from pipeline.read import format_of

    source_path = source_path or path
    return extract_document(parse(text, path, format_of(source_path) or "txt"), document_id(source_path), sha256,
                            source_path)
