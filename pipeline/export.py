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
    """A table's Arrow schema, each field carrying its title and description from the schemas."""
    import pyarrow as pa

    from pipeline.describe import field_metadata
    from pipeline.tables import schema

    columns = schema(name).columns
    described = field_metadata(name)
    return pa.schema([pa.field(column, arrow_type(spec), nullable=spec.nullable, metadata=described[column])
                      for column, spec in columns.items()])


def parquet_bytes(name: str, frame) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from pipeline.describe import file_metadata

    table = pa.Table.from_pandas(frame, schema=arrow_schema(name), preserve_index=False)
    table = table.replace_schema_metadata({**table.schema.metadata, **file_metadata(name)})
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd")
    return sink.getvalue().to_pybytes()


def csv_bytes(frame) -> bytes:
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8")


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def excel_csv_bytes(frame) -> bytes:
    """CSV for spreadsheets: UTF-8 with a BOM, CRLF, and text cells that a spreadsheet would run as a formula
    prefixed with ``'`` (OWASP CSV injection); numbers untouched."""
    import pandas as pd

    safe = frame.copy()
    for column in safe.columns:
        if not pd.api.types.is_numeric_dtype(safe[column]):
            text = safe[column].astype(object)
            risky = text.str.startswith(FORMULA_START).fillna(False).astype(bool)
            safe[column] = text.mask(risky, "'" + text)
    return safe.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def manifest_bytes(files: dict[str, bytes]) -> bytes:
    """``sha256  size  name``, one line a file, sorted by name."""
    lines = [f"{hashlib.sha256(data).hexdigest()}  {len(data)}  {name}\n" for name, data in sorted(files.items())]
    return "".join(lines).encode()


def render(tables: dict, project: dict | None = None) -> dict[str, bytes]:
    """Stage 3: every output file's name and bytes: Parquet, CSV and spreadsheet CSV per table, the
    metadata of :mod:`pipeline.describe` (``project``: the settings of :func:`pipeline.io.read_project`),
    and the manifest."""
    from pipeline.describe import describe

    if project is None:
        from pipeline.io import read_project

        project = read_project()
    files: dict[str, bytes] = {}
    for name, frame in tables.items():
        files[f"{name}.parquet"] = parquet_bytes(name, frame)
        files[f"{name}.csv"] = csv_bytes(frame)
        files[f"excel/{name}.csv"] = excel_csv_bytes(frame)
    files.update(describe(tables, files, project))
    files[MANIFEST] = manifest_bytes(files)
    return files
