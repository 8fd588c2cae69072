"""Stage 3, export: validated tables → the dataset's files, as bytes, ready to be written in one go."""

from __future__ import annotations

import hashlib

MANIFEST = "MANIFEST"


def arrow_type(spec):
    """The Arrow type of a schema column: ordered categoricals become ordered dictionary columns."""
    import pandas as pd
    import pyarrow as pa

    dtype = spec.dtype.type
    if isinstance(dtype, pd.CategoricalDtype):
        return pa.dictionary(pa.int32(), pa.string(), ordered=True)
    if str(dtype) in ("int64", "Int64"):
        return pa.int64()
    if str(dtype) in ("str", "string"):
        return pa.string()
    raise TypeError(f"no Arrow type for {dtype}")


def arrow_schema(name: str):
    import pyarrow as pa

    from pipeline.tables import schema

    columns = schema(name).columns
    return pa.schema([pa.field(column, arrow_type(spec), nullable=spec.nullable)
                      for column, spec in columns.items()])


def parquet_bytes(name: str, frame) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(frame, schema=arrow_schema(name), preserve_index=False)
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd")
    return sink.getvalue().to_pybytes()


def csv_bytes(frame) -> bytes:
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8")


def manifest_bytes(files: dict[str, bytes]) -> bytes:
    """``sha256  size  name``, one line a file, sorted by name."""
    lines = [f"{hashlib.sha256(data).hexdigest()}  {len(data)}  {name}\n" for name, data in sorted(files.items())]
    return "".join(lines).encode()


def render(tables: dict) -> dict[str, bytes]:
    """Stage 3: every output file's name and bytes (Parquet and CSV per table, and the manifest)."""
    files: dict[str, bytes] = {}
    for name, frame in tables.items():
        files[f"{name}.parquet"] = parquet_bytes(name, frame)
        files[f"{name}.csv"] = csv_bytes(frame)
    files[MANIFEST] = manifest_bytes(files)
    return files
