"""The output as a user without the project reads it: the readers' environment (pandas, pyarrow, polars, DuckDB,
datasets; `make test` makes it from requirements-readers.lock) runs tests/readers/check_output.py on the
committed output/ and on a build of every test article (three formats, several splits)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pandas as pd
import pytest
from conftest import OUTPUT, ROOT

from pipeline.build import run_build
from pipeline.tables import models
from schemas.tables import FREQUENCIES, MENTION_LABELS

READERS = ROOT / ".venv-readers" / "bin" / "python"


def read_as_a_user(out, tmp_path) -> dict:
    if not READERS.exists():
        pytest.fail("the readers' environment is missing: run `make test`, which makes .venv-readers")
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env |= {"HF_HOME": str(tmp_path / "hf"), "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"}
    result = subprocess.run([str(READERS), str(ROOT / "tests" / "readers" / "check_output.py"), str(out)],
                            capture_output=True, text=True, cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def corpus_output(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    raw = folder / "raw"
    raw.mkdir()
    for path in sorted((ROOT / "tests" / "articles").glob("*.*")):
        if path.suffix in (".txt", ".md", ".html") and path.name != "README.md":
            shutil.copyfile(path, raw / path.name)
    run_build(raw_dir=raw, out_dir=folder / "out", cache_dir=None)
    return folder / "out"


@pytest.mark.slow  # (a real process in the readers' environment: pandas, polars, DuckDB and datasets start in ~4 s)
@pytest.mark.parametrize("which", ["committed", "corpus"])
def test_every_config_loads_and_every_span_resolves_without_the_project(which, corpus_output, tmp_path):
    out = OUTPUT if which == "committed" else corpus_output
    found = read_as_a_user(out, tmp_path)
    assert found["pipeline_importable"] is False
    documents = pd.read_parquet(out / "documents.parquet")
    for name in models():
        rows = len(pd.read_parquet(out / f"{name}.parquet"))
        assert sum(found["configs"].get(name, {}).values()) == rows, name  # (a table without rows has no config)
    assert found["configs"]["ner"] == {split: int(count) for split, count in
                                       documents["split"].astype(str).value_counts().items()}
    assert found["ner_labels"] == list(MENTION_LABELS)
    assert found["ner_spans"] == found["ner_spans_equal_mentions"] > 0
    assert found["spans_checked"] == found["spans_resolved"] > 0
    assert found["polars_frequency_order"] == list(FREQUENCIES)
    assert found["duckdb_rows"] == found["sqlite_mentions"] == len(pd.read_parquet(out / "mentions.parquet"))
    assert found["sqlite_tables"] == sorted(["categories", *models()])

