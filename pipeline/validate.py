"""Stage 2, validate: staged tables → the same tables, checked against the schemas and the articles.

Every check runs and every failure is kept (pandera's lazy mode, then the foreign keys and the
provenance spans), so one report lists all that is wrong.
"""

from __future__ import annotations

from pipeline.errors import PipelineError

PROBLEM_COLUMNS = ["table", "column", "check", "value", "row"]


class ValidationFailed(PipelineError):
    """The tables broke the schemas; ``problems`` lists every failure."""

    def __init__(self, problems):
        self.problems = problems
        counts = problems["table"].value_counts(sort=False)
        tables = ", ".join(f"{table}: {count}" for table, count in counts.items())
        super().__init__(f"validation failed: {len(problems)} problem(s) ({tables})")

    def __reduce__(self):
        return (type(self), (self.problems,))


def _schema_problems(name: str, frame) -> list[tuple]:
    import pandera.errors

    from pipeline.tables import models

    try:
        models()[name].validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as errors:
        cases = errors.failure_cases
        return [(name, column if column is not None else "", str(check), _shown(value), _shown(row))
                for column, check, value, row in
                zip(cases["column"], cases["check"], cases["failure_case"], cases["index"])]
    return []


def _shown(value) -> str:
    return "" if value is None or value != value else str(value)


def _foreign_key_problems(name: str, frame, tables: dict) -> list[tuple]:
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    from pipeline.tables import metadata, text_array

    problems = []
    for column, (ref_table, ref_column) in metadata(name).get("foreign_keys", {}).items():
        if column not in frame or ref_table not in tables or ref_column not in tables[ref_table]:
            continue
        known = text_array(tables[ref_table][ref_column]).drop_null()
        values = text_array(frame[column])
        missing = pc.and_(pc.is_valid(values), pc.invert(pc.is_in(values, value_set=known)))
        for index in np.flatnonzero(missing.to_numpy(zero_copy_only=False)):
            problems.append((name, column, f"foreign_key({ref_table}.{ref_column})", values[index].as_py(),
                             str(frame.index[index])))
    return problems


# Spans are checked for this many characters of article text at a time: each span's bytes are gathered
# into index arrays (8 bytes a byte of text compared), so a batch bounds the memory that takes.
SPAN_BATCH_CHARS = 4_000_000


class _SpanCheck:
    """The rows of one provenance span (a text column, its start and end, its line) of one table.

    The values stay in Arrow: their UTF-8 bytes are compared with the article's, no Python string each.
    """

    def __init__(self, name: str, spec: tuple, frame, doc_index):
        import numpy as np
        import pandas as pd
        import pyarrow.compute as pc

        from pipeline.tables import text_array

        text_column, start_column, end_column, line_column = spec
        self.name, self.spec = name, spec
        present = frame[text_column].notna().to_numpy()
        self.rows = frame.index[present]
        self.doc_ids = frame["document_id"][present]
        self.doc = pc.index_in(text_array(self.doc_ids), value_set=doc_index).to_numpy(zero_copy_only=False)
        self.doc = np.nan_to_num(self.doc, nan=-1).astype(np.int64)  # -1: no such article
        self.values = values = text_array(frame[text_column][present], large=True)
        _, offsets, data = values.buffers()
        self.value_offsets = np.frombuffer(offsets, dtype=np.int64)[values.offset:values.offset + len(values) + 1]
        self.value_bytes = np.frombuffer(data, dtype=np.uint8) if data is not None else np.empty(0, np.uint8)

        def numbers(column):
            numbers = pd.to_numeric(frame[column][present])
            return numbers.fillna(-1).to_numpy(dtype=np.int64), numbers.isna().to_numpy()

        (self.start, no_start), (self.end, no_end) = numbers(start_column), numbers(end_column)
        self.broken = no_start | no_end
        self.lines = pd.to_numeric(frame[line_column][present]).to_numpy(dtype=np.float64) if line_column else None
        self.span_ok = np.zeros(len(values), dtype=bool)
        self.actual_line = np.zeros(len(values), dtype=np.int64)

    def problems(self) -> list[tuple]:
        """One problem for each row that fails: no such article, else the span, else the line."""
        import numpy as np

        text_column, start_column, end_column, line_column = self.spec
        no_text = self.doc < 0
        wrong_span = ~no_text & ~self.span_ok
        wrong_line = ~no_text & self.span_ok & (self.lines != self.actual_line) if self.lines is not None else None
        failing = no_text | wrong_span | (wrong_line if wrong_line is not None else False)
        problems = []
        for index in np.flatnonzero(failing):
            row = str(self.rows[index])
            if no_text[index]:
                problems.append((self.name, "document_id", "article_text_available",
                                 str(self.doc_ids.iloc[index]), row))
            elif wrong_span[index]:
                problems.append((self.name, text_column, f"span({start_column},{end_column})",
                                 self.values[int(index)].as_py(), row))
            else:
                shown = self.lines[index]
                problems.append((self.name, line_column, f"line_of({start_column})",
                                 str(int(shown)) if shown == shown else "", row))
        return problems


class _Batch:
    """Some articles' texts end to end, as UTF-8 bytes: where each article starts, where the characters of
    more than one byte are (to turn character offsets into byte offsets), where the lines end."""

    def __init__(self, texts: list, lengths):
        import numpy as np

        self.lengths = lengths  # of the texts, in characters
        self.base = np.concatenate([[0], np.cumsum(self.lengths)])
        self.utf8 = np.frombuffer(b"".join(map(utf8_of, texts)), dtype=np.uint8)
        self.newlines = np.flatnonzero(self.utf8 == ord("\n"))  # never part of a longer character
        leads = np.flatnonzero(self.utf8 >= 0xC0)  # the first byte of each character of 2, 3 or 4 bytes
        width = self.utf8[leads]
        extra = 1 + (width >= 0xE0).astype(np.int64) + (width >= 0xF0)
        self.extra = np.cumsum(extra)  # extra bytes up to and including each such character
        self.wide = leads - (self.extra - extra)  # the characters' own offsets

    def bytes_at(self, chars):
        """The byte offsets of these character offsets."""
        import numpy as np

        if not len(self.wide):
            return chars  # ASCII: a character is a byte
        before = np.searchsorted(self.wide, chars, side="left")
        return chars + np.where(before > 0, self.extra[np.maximum(before - 1, 0)], 0)


def utf8_of(text) -> bytes:
    """A text's UTF-8 bytes: a ``str`` encoded, or the bytes an ``io.EncodedText`` keeps (read from the
    article, never decoded)."""
    return text.encode("utf-8") if isinstance(text, str) else text.data


def _check_spans(checks: list[_SpanCheck], texts: list) -> None:
    """Fill each check's ``span_ok`` (the article's text from start to end is the value) and ``actual_line``
    (the line the start is on), a batch of articles at a time."""
    import numpy as np

    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    batch_of = np.cumsum(lengths) // SPAN_BATCH_CHARS
    bounds = [0, *(np.flatnonzero(np.diff(batch_of)) + 1).tolist(), len(texts)]
    rows = []  # per check: its rows in article order, and their articles in that order
    for check in checks:
        order = np.argsort(check.doc, kind="stable")
        rows.append((check, order, check.doc[order]))
    for first, stop in zip(bounds[:-1], bounds[1:]):
        batch = _Batch(texts[first:stop], lengths[first:stop])
        for check, order, sorted_doc in rows:
            chosen = order[np.searchsorted(sorted_doc, first):np.searchsorted(sorted_doc, stop)]
            if len(chosen):
                _check_batch(check, chosen, batch, first)


def _check_batch(check: _SpanCheck, chosen, batch: _Batch, first: int) -> None:
    import numpy as np

    doc = check.doc[chosen] - first
    start, end = check.start[chosen], check.end[chosen]
    fits = ~check.broken[chosen] & (start >= 0) & (start <= end) & (end <= batch.lengths[doc])
    text_start = batch.bytes_at(batch.base[doc] + np.where(fits, start, 0))
    text_end = batch.bytes_at(batch.base[doc] + np.where(fits, end, 0))
    value_start, value_end = check.value_offsets[chosen], check.value_offsets[chosen + 1]
    size = value_end - value_start
    same = fits & (text_end - text_start == size)
    where = np.flatnonzero(same & (size > 0))
    if len(where):
        # Byte k of each value against byte k of its span in the text, all values at once.
        size = size[where]
        first_byte = np.concatenate([[0], np.cumsum(size)[:-1]])
        step = np.arange(int(size.sum()), dtype=np.int64)
        text_at = np.repeat(text_start[where] - first_byte, size) + step
        value_at = np.repeat(value_start[where] - first_byte, size) + step
        differs = np.add.reduceat((batch.utf8[text_at] != check.value_bytes[value_at]).astype(np.int64),
                                  first_byte) > 0
        same[where[differs]] = False
    check.span_ok[chosen] = same
    if check.lines is not None:
        # An offset past the end is on the last line, as bisecting the line starts would say.
        at = batch.bytes_at(batch.base[doc] + np.clip(start, 0, batch.lengths[doc]))
        article = batch.bytes_at(batch.base[doc])
        check.actual_line[chosen] = (np.searchsorted(batch.newlines, at, side="left")
                                     - np.searchsorted(batch.newlines, article, side="left") + 1)


def _span_checks(tables: dict, names, doc_index) -> dict[str, list[_SpanCheck]]:
    from pipeline.tables import metadata

    checks = {}
    for name in names:
        frame = tables.get(name)
        if frame is None:
            continue
        checks[name] = [_SpanCheck(name, spec, frame, doc_index) for spec in metadata(name).get("spans", [])
                        if {spec[0], spec[1], spec[2], "document_id"} <= set(frame.columns)
                        and (spec[3] is None or spec[3] in frame.columns)]
    return checks


def find_problems(tables: dict, texts: dict, expected=None):
    """Every failure of the tables against the schemas, foreign keys and spans, as a DataFrame.

    ``texts``: document id → the article's text (a ``str``, or an ``io.EncodedText``: see :func:`utf8_of`).

    ``expected`` names the tables that must be there (all the schemas' tables by default).
    """
    import pandas as pd

    from pipeline.tables import models

    import pyarrow as pa

    names = list(expected or models())
    doc_ids = list(texts)
    checks = _span_checks(tables, names, pa.array(doc_ids, type=pa.string()))
    _check_spans([check for table in checks.values() for check in table], [texts[d] for d in doc_ids])
    problems = []
    for name in names:
        if name not in tables:
            problems.append((name, "", "table_present", "", ""))
            continue
        problems += _schema_problems(name, tables[name])
        problems += _foreign_key_problems(name, tables[name], tables)
        for check in checks[name]:
            problems += check.problems()
    for name in tables:
        if name not in models():
            problems.append((name, "", "table_known", "", ""))
    return pd.DataFrame(problems, columns=PROBLEM_COLUMNS, dtype="str")


def in_schema_order(tables: dict) -> dict:
    """The tables with their columns in schema order and a fresh index: what :func:`validate` returns."""
    from pipeline.tables import schema

    return {name: frame[list(schema(name).columns)].reset_index(drop=True) for name, frame in tables.items()}


def validate(tables: dict, texts: dict) -> dict:
    """Stage 2: the tables in schema column order, or ``ValidationFailed`` listing every problem."""
    problems = find_problems(tables, texts)
    if len(problems):
        raise ValidationFailed(problems)
    return in_schema_order(tables)
