"""Loading the published dataset: `pipeline.load`, and DuckDB, polars and the CSV reading the same rows."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import pipeline
from pipeline.tables import models, schema

BANDS = ["very_common", "common", "less_common", "uncommon", "rare", "very_rare", "not_stated"]


@pytest.fixture(scope="module")
def tables(seed_output) -> dict:
    return pipeline.load(seed_output)


def test_load_restores_declared_dtypes_and_ordered_categories(tables):
    assert list(tables) == list(models())
    for name, frame in tables.items():
        for column, spec in schema(name).columns.items():
            assert frame[column].dtype == spec.dtype.type, (name, column)
    frequency = tables["therapy_side_effects"]["frequency"].dtype
    assert frequency.ordered and list(frequency.categories) == BANDS
    assert list(tables["document_therapies"]["immune_effect"].dtype.categories) == ["enhance", "suppress"]
    assert tables["document_therapies"]["immune_effect_line"].dtype == "Int64"


def test_load_names_a_missing_file(tmp_path):
    from pipeline.errors import PipelineError

    with pytest.raises(PipelineError, match=r"documents\.parquet: cannot read"):
        pipeline.load(tmp_path)


def test_importing_pipeline_loads_no_heavy_library():
    code = "import sys, pipeline; print(sorted({'pandas', 'pyarrow', 'pandera', 'PIL'} & set(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout == "[]\n"


def _text(cell) -> str | None:
    """A cell as the CSV writes it: missing → None, a boolean as ``true``/``false``."""
    if cell is None or cell is pd.NA or isinstance(cell, float) and cell != cell:
        return None
    return str(cell).lower() if isinstance(cell, (bool, np.bool_)) else str(cell)


def _rows(frame: pd.DataFrame) -> list[tuple]:
    """Rows as tuples of strings, for comparing readers that type cells differently."""
    return [tuple(_text(cell) for cell in row) for row in frame.itertuples(index=False)]


@pytest.mark.parametrize("name", list(models()))
def test_duckdb_polars_and_csv_read_the_same_rows(tables, name, seed_output):
    import duckdb
    import polars as pl

    expected = _rows(tables[name])
    from_duckdb = duckdb.sql(f"select * from '{seed_output / name}.parquet'").df()
    from_polars = pl.read_parquet(seed_output / f"{name}.parquet")
    from_csv = pd.read_csv(seed_output / f"{name}.csv", dtype=str, keep_default_na=False).replace("", None)
    # (The seed gives no other name for an approach or a side effect: its alias tables are empty, headers only.)
    assert len(expected) > 0 or name in ("therapy_aliases", "side_effect_aliases")
    polars_rows = [tuple(_text(cell) for cell in row) for row in from_polars.rows()]
    assert _rows(from_duckdb) == polars_rows == _rows(from_csv) == expected
    assert list(from_duckdb.columns) == list(from_polars.columns) == list(schema(name).columns)


def test_the_cards_duckdb_queries_run(tables, seed_output):
    import duckdb

    card = (seed_output / "README.md").read_text()
    sql = card.split("```sql\n", 1)[1].split("```", 1)[0]
    # (the card's paths are relative to the project; DuckDB looks in the working directory first)
    sql = sql.replace("'output/", f"'{seed_output}/")
    join, descriptions = [q.strip() for q in sql.split(";") if q.strip()]
    connection = duckdb.connect()
    joined = connection.sql(join).fetchall()
    assert len(joined) == len(tables["therapy_side_effects"])
    # (names as the seed writes them most often: `Immunotherapy`, but `immunosuppression`, which sorts after it)
    assert joined[0] == ("Immunotherapy", "Fatigue", "common", "not_stated")
    described = dict(connection.sql(descriptions).fetchall())
    assert described[f"{seed_output}/faqs.parquet"] == schema("faqs").description
    assert len(described) == len(models())
