"""A published dataset read back: its Parquet files with the declared dtypes and ordered categories."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq

from pipeline.errors import PipelineError
from pipeline.tables import models, schema


def read_dataset(out_dir: Path) -> dict:
    """A published dataset's tables (its Parquet files) with the declared dtypes and ordered categories."""


    tables = {}
    for name in models():
        path = Path(out_dir) / f"{name}.parquet"
        try:
            frame = pq.read_table(path).to_pandas()
        except OSError as error:
            raise PipelineError(f"cannot read: {error}", str(path)) from None
        columns = schema(name).columns
        tables[name] = frame.astype({column: spec.dtype.type for column, spec in columns.items()})
    return tables
