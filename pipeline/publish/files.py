"""The tables' files: Parquet with explicit Arrow types and the data dictionary in its metadata, the canonical
CSV, and the CSV for spreadsheets, each as bytes."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline.publish.dictionary import field_metadata, file_metadata
from pipeline.tables import schema, text_array

# A text cell that a spreadsheet would run as a formula begins with one of these (OWASP CSV injection).
FORMULA_STARTS = b"=+-@\t\r"
MEDIA_TYPES = {"csv": "text/csv", "parquet": "application/vnd.apache.parquet"}


def arrow_type(spec):
    """The Arrow type of a schema column: ordered categoricals become ordered dictionary columns."""
    dtype = spec.dtype.type
    if isinstance(dtype, pd.CategoricalDtype):
        return pa.dictionary(pa.int32(), pa.string(), ordered=True)
    if str(dtype) in ("int64", "Int64"):
        return pa.int64()
    if str(dtype).lower().startswith("float"):
        return pa.float64()
    if str(dtype) in ("str", "string"):
        return pa.string()
    if str(dtype) == "bool":
        return pa.bool_()
    raise TypeError(f"no Arrow type for {dtype}")


def arrow_schema(name: str):
    """A table's Arrow schema, each field carrying its title and description from the schemas."""
    columns = schema(name).columns
    described = field_metadata(name)
    return pa.schema([pa.field(column, arrow_type(spec), nullable=spec.nullable, metadata=described[column])
                      for column, spec in columns.items()])


def parquet_bytes(name: str, frame) -> bytes:
    """A table as Parquet (zstd), with its column descriptions and the data dictionary in its metadata."""
    table = pa.Table.from_pandas(frame, schema=arrow_schema(name), preserve_index=False)
    table = table.replace_schema_metadata({**table.schema.metadata, **file_metadata(name)})
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd")
    return sink.getvalue().to_pybytes()


def csv_pair(frame) -> tuple[bytes, bytes]:
    """The table as CSV, and as CSV for spreadsheets, built column-wise with Arrow (pandas writes a
    400,000-row corpus row by row, several times slower); a column that reads the same in both is done once.

    CSV: header, ``,`` and LF; a text is quoted (``"`` doubled) where it holds ``,``, ``"``, LF or CR; empty
    for a missing value: the bytes pandas' ``to_csv`` writes, but for a lone CR, which pandas leaves unquoted
    (and then reads as a line end). For spreadsheets: UTF-8 with a BOM, CRLF, and a text cell that a
    spreadsheet would run as a formula (beginning with ``=``, ``+``, ``-``, ``@``, tab or CR) prefixed with
    ``'`` (OWASP CSV injection); numbers untouched.
    """
    table = pa.Table.from_pandas(frame, preserve_index=False)
    header = ",".join(_csv_field(str(name)) for name in frame.columns)
    plain = [(header + "\n").encode()]
    spread = [b"\xef\xbb\xbf" + (header + "\r\n").encode()]
    # A slice of rows at a time: the intermediate columns of a large table stay small.
    for start in range(0, table.num_rows, CSV_BATCH_ROWS):
        fields = [_fields(column) for column in table.slice(start, CSV_BATCH_ROWS).columns]
        plain.append(_body([field for field, _ in fields], "\n"))
        spread.append(_body([field for _, field in fields], "\r\n"))
    return b"".join(plain), b"".join(spread)


CSV_BATCH_ROWS = 50_000
# A CSV cell is quoted where it holds a comma, a quote or a line end of either kind: readers (pandas, csv)
# split rows at a lone carriage return too.
SPECIAL = ',"\n\r'


def _fields(column):
    """A column's cells as CSV text: (for the CSV, for spreadsheets)."""
    text = pa.large_string()
    kind = column.type.value_type if pa.types.is_dictionary(column.type) else column.type
    if not (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
        field = pc.fill_null(column.cast(text), pa.scalar("", type=text))
        return field, field
    column = text_array(column, large=True)
    held = _data_bytes(column)
    plain = _quoted(column, held)
    risky = starting_with(column, FORMULA_STARTS)
    if risky is None:
        return plain, plain
    empty = pa.scalar("", type=text)
    column = pc.if_else(risky, pc.binary_join_element_wise(pa.scalar("'", type=text), column, empty), column)
    return plain, _quoted(column, _data_bytes(column))


def _data_bytes(column) -> bytes:
    data = column.buffers()[2]
    return data.to_pybytes() if data is not None else b""


def _quoted(column, held: bytes):
    """Cells quoted where they hold one of ``SPECIAL``; empty for a missing value. The regular expression
    runs only when the column's bytes (``held``) hold such a character at all."""
    text = pa.large_string()
    empty = pa.scalar("", type=text)
    if any(char.encode() in held for char in SPECIAL):
        quote = pa.scalar('"', type=text)
        special = pc.match_substring_regex(column, f"[{SPECIAL}]")
        quoted = pc.binary_join_element_wise(quote, pc.replace_substring(column, '"', '""'), quote, empty)
        column = pc.if_else(special, quoted, column)
    return pc.fill_null(column, empty)


def _body(fields: list, line_end: str) -> memoryview:
    """The rows of these cell columns joined with ``,`` and each ended with ``line_end``."""
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


def _csv_field(value: str) -> str:
    return '"' + value.replace('"', '""') + '"' if any(char in value for char in SPECIAL) else value


def file_facts(data: bytes) -> tuple[int, str]:
    """A file's size and SHA-256, as the manifest and the metadata list them."""
    return len(data), hashlib.sha256(data).hexdigest()
