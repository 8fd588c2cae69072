"""Stage 2, validate: staged tables → the same tables, checked against the schemas and the articles.

Every check runs and every failure is kept (pandera's lazy mode, then the foreign keys and the
provenance spans), so one report lists all that is wrong.
"""

from __future__ import annotations

from bisect import bisect_right

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
    from pipeline.tables import metadata

    problems = []
    for column, (ref_table, ref_column) in metadata(name).get("foreign_keys", {}).items():
        if column not in frame or ref_table not in tables or ref_column not in tables[ref_table]:
            continue
        known = set(tables[ref_table][ref_column].dropna())
        values = frame[column]
        missing = values.notna() & ~values.isin(known)
        for row, value in values[missing].items():
            problems.append((name, column, f"foreign_key({ref_table}.{ref_column})", str(value), str(row)))
    return problems


class _Lines:
    """Line numbers of offsets in one text."""

    def __init__(self, text: str):
        self.starts = [0]
        position = text.find("\n")
        while position >= 0:
            self.starts.append(position + 1)
            position = text.find("\n", position + 1)

    def line_of(self, offset: int) -> int:
        return bisect_right(self.starts, offset)


def _span_problems(name: str, frame, texts: dict[str, str]) -> list[tuple]:
    from pipeline.tables import metadata

    problems = []
    lines: dict[str, _Lines] = {}
    for text_column, start_column, end_column, line_column in metadata(name).get("spans", []):
        if not {text_column, start_column, end_column, "document_id"} <= set(frame.columns):
            continue
        line_values = frame[line_column] if line_column else [None] * len(frame)
        for row, doc_id, value, start, end, line in zip(frame.index, frame["document_id"], frame[text_column],
                                                        frame[start_column], frame[end_column], line_values):
            if value is None or value != value:
                continue
            text = texts.get(doc_id)
            if text is None:
                problems.append((name, "document_id", "article_text_available", str(doc_id), str(row)))
                continue
            if text[start:end] != value:
                problems.append((name, text_column, f"span({start_column},{end_column})", str(value), str(row)))
            elif line_column:
                actual = (lines.get(doc_id) or lines.setdefault(doc_id, _Lines(text))).line_of(start)
                if actual != line:
                    problems.append((name, line_column, f"line_of({start_column})", str(line), str(row)))
    return problems


def find_problems(tables: dict, texts: dict[str, str], expected=None):
    """Every failure of the tables against the schemas, foreign keys and spans, as a DataFrame.

    ``expected`` names the tables that must be there (all the schemas' tables by default).
    """
    import pandas as pd

    from pipeline.tables import models

    problems = []
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
