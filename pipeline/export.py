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


def csv_bytes(frame, line_end: str = "\n", spreadsheet: bool = False) -> bytes:
    """The table as CSV: header, ``,`` and ``line_end``; a text is quoted (``"`` doubled) where it holds ``,``,
    ``"`` or a line-end character; empty for a missing value. The same bytes as pandas' ``to_csv``, built
    column-wise with Arrow (pandas writes a 400,000-row corpus row by row, several times slower).

    ``spreadsheet``: a text cell that a spreadsheet would run as a formula (beginning with ``=``, ``+``,
    ``-``, ``@``, tab or CR) is prefixed with ``'`` (OWASP CSV injection); numbers are untouched.
    """
    import pyarrow as pa

    table = pa.Table.from_pandas(frame, preserve_index=False)
    special_chars = ',"\n' if line_end == "\n" else ',"\r\n'
    header = line_end.join([",".join(_csv_field(str(name), special_chars) for name in frame.columns), ""])
    if not len(frame):
        return header.encode("utf-8")
    # A slice of rows at a time: the intermediate columns of a large table stay small.
    bodies = [_csv_body(table.slice(start, CSV_BATCH_ROWS), line_end, special_chars, spreadsheet)
              for start in range(0, table.num_rows, CSV_BATCH_ROWS)]
    return b"".join([header.encode("utf-8"), *bodies])


CSV_BATCH_ROWS = 50_000


def _csv_body(table, line_end: str, special_chars: str, spreadsheet: bool) -> memoryview:
    import pyarrow as pa
    import pyarrow.compute as pc

    text = pa.large_string()
    quote, empty, comma, newline, tick = (pa.scalar(value, type=text) for value in ('"', "", ",", line_end, "'"))
    fields = []
    for column in table.columns:
        if pa.types.is_dictionary(column.type):
            column = column.cast(column.type.value_type)
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            column = column.cast(text).combine_chunks()
            if spreadsheet:
                risky = _starting_with(column, FORMULA_STARTS)
                if risky is not None:
                    column = pc.if_else(risky, pc.binary_join_element_wise(tick, column, empty), column)
            # The regular expression runs only on a column whose bytes hold a character that needs quotes.
            data = column.buffers()[2]
            held = data.to_pybytes() if data is not None else b""
            if any(char.encode() in held for char in special_chars):
                special = pc.match_substring_regex(column, f"[{special_chars}]")
                quoted = pc.binary_join_element_wise(quote, pc.replace_substring(column, '"', '""'), quote, empty)
                column = pc.if_else(special, quoted, column)
        fields.append(pc.fill_null(column.cast(text), empty))
    lines = pc.binary_join_element_wise(pc.binary_join_element_wise(*fields, comma), empty, newline)
    lines = lines.combine_chunks() if isinstance(lines, pa.ChunkedArray) else lines
    # A string array's data buffer holds its values end to end: with a line end on each, that is the body.
    _, offsets, data = lines.buffers()
    starts = memoryview(offsets).cast("q")
    return memoryview(data)[starts[lines.offset]:starts[lines.offset + len(lines)]]


def _starting_with(column, firsts: bytes):
    """Where a value of a large-string array begins with one of the ASCII characters ``firsts`` (an Arrow
    mask), or None where none does: read off the first byte of each value in the array's data buffer."""
    import numpy as np
    import pyarrow as pa

    _, offsets, data = column.buffers()
    if data is None or not len(column):
        return None
    starts = np.frombuffer(offsets, dtype=np.int64)[column.offset:column.offset + len(column) + 1]
    present = starts[1:] > starts[:-1]
    first = np.frombuffer(data, dtype=np.uint8)[starts[:-1][present]]
    hits = np.isin(first, np.frombuffer(firsts, dtype=np.uint8))
    if not hits.any():
        return None
    mask = np.zeros(len(column), dtype=bool)
    mask[np.flatnonzero(present)[hits]] = True
    return pa.array(mask)


def _csv_field(value: str, special_chars: str) -> str:
    return '"' + value.replace('"', '""') + '"' if any(char in value for char in special_chars) else value


FORMULA_STARTS = b"=+-@\t\r"


def excel_csv_bytes(frame) -> bytes:
    """CSV for spreadsheets: UTF-8 with a BOM, CRLF, and text cells that a spreadsheet would run as a formula
    prefixed with ``'`` (OWASP CSV injection); numbers untouched."""
    return b"\xef\xbb\xbf" + csv_bytes(frame, line_end="\r\n", spreadsheet=True)


def manifest_bytes(files: dict[str, bytes], digests: dict[str, str] | None = None) -> bytes:
    """``sha256  size  name``, one line a file, sorted by name; ``digests`` holds the SHA-256s already known."""
    known = digests or {}
    lines = [f"{known.get(name) or hashlib.sha256(data).hexdigest()}  {len(data)}  {name}\n"
             for name, data in sorted(files.items())]
    return "".join(lines).encode()


THREADS_FROM_ROWS = 50_000


def total_rows(tables: dict) -> int:
    return sum(len(frame) for frame in tables.values())


def _table_file(kind: str, name: str, frame) -> tuple[bytes, str]:
    """A table's file of this kind, and its SHA-256 (hashed here, on the thread that made it)."""
    if kind == "parquet":
        data = parquet_bytes(name, frame)
    else:
        data = csv_bytes(frame) if kind == "csv" else excel_csv_bytes(frame)
    return data, hashlib.sha256(data).hexdigest()


def _in_threads(work, jobs: list, rows: int) -> list:
    """``work`` over ``jobs``, in order; on all cores for a large corpus (Arrow's kernels and the Parquet
    writer release the GIL), in this thread for a small one, where threads would only cost."""
    if rows < THREADS_FROM_ROWS:
        return [work(job) for job in jobs]
    from concurrent.futures import ThreadPoolExecutor

    from pipeline.corpus import default_jobs

    with ThreadPoolExecutor(max_workers=default_jobs()) as pool:
        return list(pool.map(work, jobs))


def render(tables: dict, project: dict | None = None, extra: dict[str, bytes] | None = None) -> dict[str, bytes]:
    """Stage 3: every output file's name and bytes: Parquet, CSV and spreadsheet CSV per table, the
    metadata of :mod:`pipeline.describe` (``project``: the settings of :func:`pipeline.io.read_project`),
    the ``extra`` files (the build report) and the manifest of them all."""
    from pipeline.describe import describe

    if project is None:
        from pipeline.io import read_project

        project = read_project()
    files: dict[str, bytes] = {}
    digests: dict[str, str] = {}
    jobs = [(kind, name) for name in tables for kind in ("parquet", "csv", "excel")]
    rendered = _in_threads(lambda job: _table_file(*job, tables[job[1]]), jobs, total_rows(tables))
    for (kind, name), (data, digest) in zip(jobs, rendered):
        path = {"parquet": f"{name}.parquet", "csv": f"{name}.csv", "excel": f"excel/{name}.csv"}[kind]
        files[path], digests[path] = data, digest
    files.update(describe(tables, files, project, digests))
    files.update(extra or {})
    files[MANIFEST] = manifest_bytes(files, digests)
    return files
