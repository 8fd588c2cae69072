"""Stage 2, check: the tables against the schemas, the foreign keys and the articles' text.

Every check runs and every failure is kept (pandera's lazy mode, then the foreign keys and the provenance
spans), so one report lists all that is wrong.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

from pipeline.check.schema import foreign_key_problems, schema_problems
from pipeline.check.spans import check_spans, span_checks
from pipeline.errors import PipelineError
from pipeline.tables import models, schema

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


def find_problems(tables: dict, texts: dict, expected=None):
    """Every failure of the tables against the schemas, foreign keys and spans, as a DataFrame.

    ``texts``: document id → the article's text, as UTF-8 bytes (see :class:`pipeline.read.Article`).

    ``expected`` names the tables that must be there (all the schemas' tables by default).
    """



    names = list(expected or models())
    doc_ids = list(texts)
    checks = span_checks(tables, names, pa.array(doc_ids, type=pa.string()))
    check_spans([check for table in checks.values() for check in table], [texts[d] for d in doc_ids])
    problems = []
    for name in names:
        if name not in tables:
            problems.append((name, "", "table_present", "", ""))
            continue
        problems += schema_problems(name, tables[name])
        problems += foreign_key_problems(name, tables[name], tables)
        for check in checks[name]:
            problems += check.problems()
    for name in tables:
        if name not in models():
            problems.append((name, "", "table_known", "", ""))
    return pd.DataFrame(problems, columns=PROBLEM_COLUMNS, dtype="str")


def no_problems() -> pd.DataFrame:
    """The report of a validation that found nothing wrong."""
    return pd.DataFrame(columns=PROBLEM_COLUMNS)


def documents_of(problems: pd.DataFrame, tables: dict) -> list[str | None]:
    """For each problem, the article its row comes from (its ``document_id``), or None where none is to blame
    (a table missing, a row of a table without articles)."""
    owners = []
    for table, row in zip(problems["table"], problems["row"]):
        frame = tables.get(table)
        if frame is None or "document_id" not in frame or not row.isdigit() or int(row) not in frame.index:
            owners.append(None)
            continue
        owner = frame.at[int(row), "document_id"]
        owners.append(owner if isinstance(owner, str) else None)
    return owners


def in_schema_order(tables: dict) -> dict:
    """The tables with their columns in schema order and a fresh index: what :func:`validate` returns (a
    table already so is returned as it is, not copied)."""
    ordered = {}
    for name, frame in tables.items():
        columns = list(schema(name).columns)
        if list(frame.columns) != columns or not isinstance(frame.index, pd.RangeIndex) or frame.index.start != 0:
            frame = frame[columns].reset_index(drop=True)
        ordered[name] = frame
    return ordered


def validate(tables: dict, texts: dict) -> dict:
    """Stage 2: the tables in schema column order, or ``ValidationFailed`` listing every problem."""
    problems = find_problems(tables, texts)
    if len(problems):
        raise ValidationFailed(problems)
    return in_schema_order(tables)
