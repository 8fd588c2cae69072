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

    from pipeline.tables import metadata

    problems = []
    for column, (ref_table, ref_column) in metadata(name).get("foreign_keys", {}).items():
        if column not in frame or ref_table not in tables or ref_column not in tables[ref_table]:
            continue
        known = pa.array([str(v) for v in tables[ref_table][ref_column].dropna().tolist()], type=pa.string())
        values = frame[column]
        present = values.notna().to_numpy()
        shown = [str(v) if ok else None for v, ok in zip(values.tolist(), present)]
        found = pc.is_in(pa.array(shown, type=pa.string()), value_set=known).to_numpy(zero_copy_only=False)
        for index in np.flatnonzero(present & ~found):
            problems.append((name, column, f"foreign_key({ref_table}.{ref_column})", shown[index],
                             str(values.index[index])))
    return problems


class _Texts:
    """The articles' texts, and where their lines end, for finding the lines of many offsets at once."""

    def __init__(self, texts: dict[str, str]):
        self.texts = texts
        self._index = None

    def _line_index(self):
        """Per document: where its text starts in all texts laid end to end, and all the line ends."""
        import numpy as np

        bases, lengths, newlines, base = {}, {}, [], 0
        for doc_id, text in self.texts.items():
            codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
            newlines.append(np.flatnonzero(codes == ord("\n")) + base)
            bases[doc_id], lengths[doc_id] = base, len(text)
            base += len(text)
        every = np.concatenate(newlines) if newlines else np.empty(0, dtype=np.int64)
        return bases, lengths, every

    def lines_of(self, doc_ids: list, starts: list):
        """1-based line of each (document, offset): one plus the line ends before the offset in its text."""
        import numpy as np

        if self._index is None:
            self._index = self._line_index()
        bases, lengths, every = self._index
        base = np.array([bases[doc_id] for doc_id in doc_ids], dtype=np.int64)
        length = np.array([lengths[doc_id] for doc_id in doc_ids], dtype=np.int64)
        # An offset past the end is on the last line, as bisecting the line starts would say.
        offsets = base + np.clip(np.array(starts, dtype=np.int64), 0, length)
        return np.searchsorted(every, offsets, side="left") - np.searchsorted(every, base, side="left") + 1


def _span_problems(name: str, frame, texts: _Texts) -> list[tuple]:
    from pipeline.tables import metadata

    problems = []
    for text_column, start_column, end_column, line_column in metadata(name).get("spans", []):
        if not {text_column, start_column, end_column, "document_id"} <= set(frame.columns):
            continue
        present = frame[frame[text_column].notna()]
        rows = present.index.tolist()
        doc_ids, values = present["document_id"].tolist(), present[text_column].tolist()
        starts, ends = present[start_column].tolist(), present[end_column].tolist()
        line_values = present[line_column].tolist() if line_column else None
        matched = []
        for index, (doc_id, value, start, end) in enumerate(zip(doc_ids, values, starts, ends)):
            text = texts.texts.get(doc_id)
            if text is None:
                problems.append((name, "document_id", "article_text_available", str(doc_id), str(rows[index])))
            elif text[start:end] != value:
                problems.append((name, text_column, f"span({start_column},{end_column})", str(value),
                                 str(rows[index])))
            elif line_values is not None:
                matched.append(index)
        if matched:
            actual = texts.lines_of([doc_ids[i] for i in matched], [starts[i] for i in matched])
            for index, line in zip(matched, actual.tolist()):
                if line != line_values[index]:
                    problems.append((name, line_column, f"line_of({start_column})", str(line_values[index]),
                                     str(rows[index])))
    return problems


def find_problems(tables: dict, texts: dict[str, str], expected=None):
    """Every failure of the tables against the schemas, foreign keys and spans, as a DataFrame.

    ``expected`` names the tables that must be there (all the schemas' tables by default).
    """
    import pandas as pd

    from pipeline.tables import models

    problems = []
    texts = _Texts(texts)
    for name in expected or models():
        if name not in tables:
            problems.append((name, "", "table_present", "", ""))
            continue
        problems += _schema_problems(name, tables[name])
        problems += _foreign_key_problems(name, tables[name], tables)
        problems += _span_problems(name, tables[name], texts)
    for name in tables:
        if name not in models():
            problems.append((name, "", "table_known", "", ""))
    return pd.DataFrame(problems, columns=PROBLEM_COLUMNS, dtype="str")


def validate(tables: dict, texts: dict[str, str]) -> dict:
    """Stage 2: the tables in schema column order, or ``ValidationFailed`` listing every problem."""
    from pipeline.tables import schema

    problems = find_problems(tables, texts)
    if len(problems):
        raise ValidationFailed(problems)
    return {name: frame[list(schema(name).columns)].reset_index(drop=True) for name, frame in tables.items()}
