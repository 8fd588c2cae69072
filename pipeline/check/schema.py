"""The schemas' own checks (pandera, lazily: every failure kept) and the foreign keys between tables."""

from __future__ import annotations

import numpy as np
import pandera.errors
import pyarrow.compute as pc

from pipeline.tables import metadata, models, text_array


def schema_problems(name: str, frame) -> list[tuple]:


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


def foreign_key_problems(name: str, frame, tables: dict) -> list[tuple]:
    """Every reference of the table that names no row: its foreign keys, and, for an entity table, its ids that
    no article names (``named_in``)."""
    problems = []
    meta = metadata(name)
    # (an entity table's ids must each be named by an article, as a reference must name a row)
    references = [("foreign_key", reference) for reference in meta.get("foreign_keys", {}).items()]
    references += [("named_in", reference) for reference in meta.get("named_in", {}).items()]
    for check, (column, (ref_table, ref_column)) in references:
        if column not in frame or ref_table not in tables or ref_column not in tables[ref_table]:
            continue
        known = text_array(tables[ref_table][ref_column]).drop_null()
        values = text_array(frame[column])
        missing = pc.and_(pc.is_valid(values), pc.invert(pc.is_in(values, value_set=known)))
        for index in np.flatnonzero(missing.to_numpy(zero_copy_only=False)):
            problems.append((name, column, f"{check}({ref_table}.{ref_column})", values[index].as_py(),
                             str(frame.index[index])))
    return problems
