"""The data dictionary, generated from the schemas: every table and column with its title, description,
type, keys and constraints. Every other description of the data (Parquet metadata, the catalogues, the
card) is read from here; none is typed a second time."""

from __future__ import annotations

import json
from functools import cache

from pipeline.tables import metadata, models, schema


def _checks(spec) -> dict:
    """A column's pandera checks as plain constraints: pattern, minimum, minLength, maxLength."""
    constraints = {}
    for check in spec.checks:
        stats = check.statistics or {}
        if check.name == "str_matches":
            constraints["pattern"] = stats["pattern"]
        elif check.name == "greater_than_or_equal_to":
            constraints["minimum"] = stats["min_value"]
        elif check.name == "less_than_or_equal_to":
            constraints["maximum"] = stats["max_value"]
        elif check.name == "str_length":
            if stats.get("min_value") is not None:
                constraints["minLength"] = stats["min_value"]
            if stats.get("max_value") is not None:
                constraints["maxLength"] = stats["max_value"]
        else:
            raise ValueError(f"no constraint for the check {check.name}")
    return constraints


def column_type(spec) -> str:
    """``string``, ``integer``, ``number``, ``boolean`` or ``category``: the kind of a schema column, for every
    projection."""
    kind = str(spec.dtype.type)
    if kind == "category":
        return "category"
    if kind == "bool":
        return "boolean"
    if kind in ("int64", "Int64"):
        return "integer"
    if kind.lower().startswith("float"):
        return "number"
    if kind.startswith(("str", "string")):
        return "string"
    raise TypeError(f"no column type for {kind}")


@cache
def dictionary() -> dict:
    """The data dictionary: every table and column with its title, description, type, keys and constraints.

    Cached, so shared: read it, never change it."""
    tables = {}
    for name in models():
        table = schema(name)
        meta = metadata(name)
        columns = []
        for column, spec in table.columns.items():
            entry = {"name": column, "title": spec.title, "description": spec.description,
                     "type": column_type(spec), "nullable": bool(spec.nullable), "constraints": _checks(spec)}
            if spec.metadata and "categories" in spec.metadata:
                entry["categories"] = dict(spec.metadata["categories"])
            columns.append(entry)
        tables[name] = {
            "title": table.title, "description": table.description,
            "primary_key": list(table.unique or []),
            "foreign_keys": {column: list(target) for column, target in meta.get("foreign_keys", {}).items()},
            "spans": [{"text": text, "start": start, "end": end, "line": line}
                      for text, start, end, line in meta.get("spans", [])],
            "columns": columns,
        }
    return tables


def field_metadata(name: str) -> dict[str, dict[bytes, bytes]]:
    """Column → Arrow field metadata (``description``, ``title``) for a table's Parquet file."""
    return {column["name"]: {b"title": column["title"].encode(), b"description": column["description"].encode()}
            for column in dictionary()[name]["columns"]}


def file_metadata(name: str) -> dict[bytes, bytes]:
    """A table's Parquet file-level metadata: its title, description and the whole data dictionary as JSON (its
    categories in their declared order)."""
    entries = dictionary()
    return {b"title": entries[name]["title"].encode(), b"description": entries[name]["description"].encode(),
            b"table": name.encode(),
            b"data_dictionary": json.dumps(entries, ensure_ascii=False, separators=(",", ":")).encode()}


def categories_text(categories: dict[str, str]) -> str:
    """A category column's values and their meanings, in order, as one sentence."""
    return "Values, in order: " + "; ".join(f"`{value}`: {meaning.rstrip('.')}"
                                            for value, meaning in categories.items()) + "."
