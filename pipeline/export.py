"""Stage 3, export: validated tables → the dataset's files, as bytes, ready to be written in one go."""

from __future__ import annotations

import hashlib

from pipeline.store.folders import MANIFEST, manifest_bytes


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


def csv_pair(frame) -> tuple[bytes, bytes]:
    """The table as CSV, and as CSV for spreadsheets, built column-wise with Arrow (pandas writes a
    400,000-row corpus row by row, several times slower); a column that reads the same in both is done once.

    CSV: header, ``,`` and LF; a text is quoted (``"`` doubled) where it holds ``,``, ``"`` or LF; empty for
    a missing value: the same bytes as pandas' ``to_csv``. For spreadsheets: UTF-8 with a BOM, CRLF (a text
    holding CR is quoted too), and a text cell that a spreadsheet would run as a formula (beginning with
    ``=``, ``+``, ``-``, ``@``, tab or CR) prefixed with ``'`` (OWASP CSV injection); numbers untouched.
    """
    import pyarrow as pa

    table = pa.Table.from_pandas(frame, preserve_index=False)
    plain = [(",".join(_csv_field(str(name), PLAIN_SPECIAL) for name in frame.columns) + "\n").encode()]
    spread = [b"\xef\xbb\xbf" + (",".join(_csv_field(str(name), SPREAD_SPECIAL) for name in frame.columns)
                                  + "\r\n").encode()]
    # A slice of rows at a time: the intermediate columns of a large table stay small.
    for start in range(0, table.num_rows, CSV_BATCH_ROWS):
        fields = [_fields(column) for column in table.slice(start, CSV_BATCH_ROWS).columns]
        plain.append(_body([field for field, _ in fields], "\n"))
        spread.append(_body([field for _, field in fields], "\r\n"))
    return b"".join(plain), b"".join(spread)


def csv_bytes(frame) -> bytes:
    """The table as CSV (see :func:`csv_pair`)."""
    return csv_pair(frame)[0]


def excel_csv_bytes(frame) -> bytes:
    """The table as CSV for spreadsheets (see :func:`csv_pair`)."""
    return csv_pair(frame)[1]


CSV_BATCH_ROWS = 50_000
PLAIN_SPECIAL = ',"\n'
SPREAD_SPECIAL = ',"\r\n'


def _fields(column):
    """A column's cells as CSV text: (for the CSV, for spreadsheets)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from pipeline.tables import text_array

    text = pa.large_string()
    kind = column.type.value_type if pa.types.is_dictionary(column.type) else column.type
    if not (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
        field = pc.fill_null(column.cast(text), pa.scalar("", type=text))
        return field, field
    column = text_array(column, large=True)
    held = _data_bytes(column)
    plain = _quoted(column, PLAIN_SPECIAL, held)
    risky = starting_with(column, FORMULA_STARTS)
    if risky is None and b"\r" not in held:
        return plain, plain
    if risky is not None:
        empty = pa.scalar("", type=text)
        column = pc.if_else(risky, pc.binary_join_element_wise(pa.scalar("'", type=text), column, empty), column)
        held = _data_bytes(column)
    return plain, _quoted(column, SPREAD_SPECIAL, held)


def _data_bytes(column) -> bytes:
    data = column.buffers()[2]
    return data.to_pybytes() if data is not None else b""


def _quoted(column, special_chars: str, held: bytes):
    """Cells quoted where they hold one of ``special_chars``; empty for a missing value. The regular
    expression runs only when the column's bytes (``held``) hold such a character at all."""
    import pyarrow as pa
    import pyarrow.compute as pc

    text = pa.large_string()
    empty = pa.scalar("", type=text)
    if any(char.encode() in held for char in special_chars):
        quote = pa.scalar('"', type=text)
        special = pc.match_substring_regex(column, f"[{special_chars}]")
        quoted = pc.binary_join_element_wise(quote, pc.replace_substring(column, '"', '""'), quote, empty)
        column = pc.if_else(special, quoted, column)
    return pc.fill_null(column, empty)


def _body(fields: list, line_end: str) -> memoryview:
    """The rows of these cell columns joined with ``,`` and each ended with ``line_end``."""
    import pyarrow as pa
    import pyarrow.compute as pc

    text = pa.large_string()
    comma, newline, empty = (pa.scalar(value, type=text) for value in (",", line_end, ""))
    lines = pc.binary_join_element_wise(pc.binary_join_element_wise(*fields, comma), empty, newline)
    lines = lines.combine_chunks() if isinstance(lines, pa.ChunkedArray) else lines
    # A string array's data buffer holds its values end to end: with a line end on each, that is the body.
    _, offsets, data = lines.buffers()
    starts = memoryview(offsets).cast("q")
    return memoryview(data)[starts[lines.offset]:starts[lines.offset + len(lines)]]


def starting_with(column, firsts: bytes):
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


def file_facts(data: bytes) -> tuple[int, str]:
    """A file's size and SHA-256, as the manifest and the metadata list them."""
    return len(data), hashlib.sha256(data).hexdigest()


THREADS_FROM_ROWS = 50_000


def total_rows(tables: dict) -> int:
    return sum(len(frame) for frame in tables.values())


def file_jobs(tables: dict, notes: dict | None = None) -> list[tuple[str, str | None]]:
    """The files to make before the catalogues, as jobs (kind, table name or None): "parquet", and "csv"
    (CSV and spreadsheet CSV) per table; the dataset card, the chart, and with ``notes`` the build report."""
    extras = [("card", None), ("chart", None)] + ([("report", None)] if notes is not None else [])
    return [(kind, name) for name in tables for kind in ("parquet", "csv")] + extras


def make_files(tables: dict, job: tuple[str, str | None], project: dict,
               notes: dict | None = None) -> list[tuple[str, bytes, tuple[int, str]]]:
    """The files of one of :func:`file_jobs`, each with its size and SHA-256 (hashed here, on the thread
    that made it)."""
    kind, name = job
    if kind == "parquet":
        files = {f"{name}.parquet": parquet_bytes(name, tables[name])}
    elif kind == "csv":
        files = dict(zip((f"{name}.csv", f"excel/{name}.csv"), csv_pair(tables[name])))
    elif kind == "card":
        from pipeline.describe import CARD, card_bytes

        files = {CARD: card_bytes(tables, project)}
    elif kind == "chart":
        from pipeline.describe import CHART, chart_png

        files = {CHART: chart_png(tables)}
    else:
        from pipeline.report import report_files

        files = report_files(tables, notes)
    return [(path, data, file_facts(data)) for path, data in files.items()]


def closing_files(tables: dict, facts: dict[str, tuple[int, str]], project: dict):
    """(name, bytes) of the files made once all the others are (``facts``: their sizes and SHA-256s,
    added to as this goes): the catalogues of :func:`pipeline.describe.catalogues`, then the manifest."""
    from pipeline.describe import catalogues

    for path, data in catalogues(tables, facts, project).items():
        facts[path] = file_facts(data)
        yield path, data
    yield MANIFEST, manifest_bytes(facts)


def _in_threads(work, jobs: list, threads: int):
    """``work`` over ``jobs``, yielding the results in order, on ``threads`` threads (Arrow's kernels and
    the Parquet writer release the GIL); on this thread alone, one at a time, for one."""
    if threads < 2:
        yield from map(work, jobs)
        return
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=threads) as pool:
        yield from pool.map(work, jobs)


def render_files(tables: dict, project: dict | None = None, notes: dict | None = None,
                 threads: int | None = None):
    """Stage 3, one file at a time: (name, bytes) of every output file, each as soon as it is made, so
    that it can be written while the next is rendered and need not be kept: the files of
    :func:`file_jobs` (``project``: the settings of :func:`pipeline.io.read_project`; ``notes``: what
    stage 1 reported, for the build report), then :func:`closing_files`.

    The files are made on ``threads`` threads: by default one per core for a large corpus, one for a
    small one, where threads would only cost.
    """
    if project is None:
        from pipeline.io import read_project

        project = read_project()
    if threads is None:
        from pipeline.corpus import default_jobs

        threads = default_jobs() if total_rows(tables) >= THREADS_FROM_ROWS else 1
    facts: dict[str, tuple[int, str]] = {}
    jobs = file_jobs(tables, notes)
    for made in _in_threads(lambda job: make_files(tables, job, project, notes), jobs, threads):
        for path, data, fact in made:
            facts[path] = fact
            yield path, data
    yield from closing_files(tables, facts, project)


def render(tables: dict, project: dict | None = None, notes: dict | None = None,
           threads: int | None = None) -> dict[str, bytes]:
    """Stage 3: every output file's name and bytes (see :func:`render_files`)."""
    return dict(render_files(tables, project, notes, threads))
