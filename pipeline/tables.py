"""The dataset's tables as the schemas declare them: names, column order and dtypes."""

from __future__ import annotations

from functools import cache


@cache
def models() -> dict:
    """Table name → pandera model, in the dataset's order."""
    from schemas.tables import TABLES

    return TABLES


@cache
def schema(name: str):
    return models()[name].to_schema()


def metadata(name: str) -> dict:
    return models()[name].__config__.metadata or {}


def to_frame(name: str, rows: list[tuple]):
    """Rows in schema column order → a DataFrame with the declared dtypes."""
    import pandas as pd

    columns = schema(name).columns
    frame = pd.DataFrame.from_records(rows, columns=list(columns), nrows=len(rows))
    return frame.astype({column: spec.dtype.type for column, spec in columns.items()})


def arrow_to_frame(name: str, table):
    """An Arrow table of rows in schema column order (columns named anyhow; None: no rows) → a DataFrame
    with the declared dtypes, the same as :func:`to_frame` gives for those rows."""
    if table is None:
        return to_frame(name, [])
    columns = schema(name).columns
    frame = table.rename_columns(list(columns)).to_pandas()
    return frame.astype({column: spec.dtype.type for column, spec in columns.items()})
