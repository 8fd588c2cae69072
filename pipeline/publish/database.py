"""The dataset as one SQLite file (``dataset.sqlite``), generated from the schemas like every other description.

SQLite rather than DuckDB: the same rows give the same bytes (a DuckDB file differs at every write, so it could
not be in the MANIFEST nor the byte-identity check), Datasette browses it as it is, Python reads it with no
package at all, and DuckDB and polars read it too. Every table has its declared types (``STRICT``), its primary
key, its foreign keys and, for a category, a ``CHECK`` of its values; each table's and column's description is a
comment in its ``CREATE TABLE`` (``sqlite_schema.sql``, shown by Datasette). The ``categories`` table gives every
category's values in their declared order with their meanings, so ``ORDER BY`` can follow that order.
"""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

import pandas as pd

from pipeline.publish.dictionary import dictionary

DATABASE = "dataset.sqlite"
SQL_TYPES = {"string": "TEXT", "category": "TEXT", "integer": "INTEGER", "number": "REAL", "boolean": "INTEGER"}
CATEGORIES = "categories"


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _comment(text: str) -> str:
    return " ".join(text.split())


def create_table(name: str, entry: dict) -> str:
    """The ``CREATE TABLE`` statement of a table, with its description and its columns' as comments."""
    lines = [f"CREATE TABLE {name} ( -- {_comment(entry['title'])}: {_comment(entry['description'])}"]
    parts = []
    for column in entry["columns"]:
        kind = column["type"]
        sql = f"  {column['name']} {SQL_TYPES[kind]}" + ("" if column["nullable"] else " NOT NULL")
        if kind == "category":
            sql += f" CHECK ({column['name']} IN ({', '.join(map(_quote, column['categories']))}))"
        elif kind == "boolean":
            sql += f" CHECK ({column['name']} IN (0, 1))"
        parts.append((sql, column["description"]))
    parts.append((f"  PRIMARY KEY ({', '.join(entry['primary_key'])})", "The table's key."))
    for column, (table, target) in entry["foreign_keys"].items():
        parts.append((f"  FOREIGN KEY ({column}) REFERENCES {table} ({target})", f"{column} → {table}.{target}"))
    for index, (sql, comment) in enumerate(parts):
        comma = "," if index < len(parts) - 1 else ""
        lines.append(f"{sql}{comma} -- {_comment(comment)}")
    return "\n".join(lines + [") STRICT"])


def _categories_table() -> str:
    return (f"CREATE TABLE {CATEGORIES} ( -- Categories: every category column's values in their declared order, "
            "with what each means\n"
            "  table_name TEXT NOT NULL, -- The table.\n"
            "  column_name TEXT NOT NULL, -- The category column.\n"
            "  position INTEGER NOT NULL, -- The value's place in the declared order (1 first).\n"
            "  value TEXT NOT NULL, -- The value.\n"
            "  meaning TEXT NOT NULL, -- What the value means.\n"
            "  PRIMARY KEY (table_name, column_name, value) -- The key.\n"
            ") STRICT")


def _values(frame: pd.DataFrame) -> list[tuple]:
    """A frame's rows as SQLite values: missing values None, categories their text, booleans 0 and 1."""
    columns = []
    for name in frame.columns:
        series = frame[name]
        values = series.astype(object).where(series.notna(), None).tolist()  # (a category as its text)
        if series.dtype == bool:
            values = [int(value) for value in values]
        columns.append(values)
    return list(zip(*columns))


def database_bytes(tables: dict) -> bytes:
    """The SQLite file of the tables. The foreign keys and the categories' checks are declared, not enforced while
    writing: validation has checked them already (a user's connection enforces the checks, and the foreign keys
    with ``PRAGMA foreign_keys = ON``)."""
    entries = dictionary()
    with tempfile.TemporaryDirectory(prefix="dataset-db-") as folder:
        path = Path(folder) / DATABASE
        connection = sqlite3.connect(path, isolation_level=None)
        try:
            connection.execute("PRAGMA journal_mode = OFF")
            # (the keys' indexes of a large corpus outgrow the default 2 MiB cache, and a scratch file need not
            # wait for the disk: the bytes are the same)
            connection.execute("PRAGMA cache_size = -262144")
            connection.execute("PRAGMA synchronous = OFF")
            # (validation has checked every category already; evaluating the CHECKs again took a third of the
            # writing. They stay in the schema, so a user's connection still enforces them.)
            connection.execute("PRAGMA ignore_check_constraints = ON")
            connection.execute("BEGIN")
            connection.execute(_categories_table())
            for name, frame in tables.items():
                entry = entries[name]
                connection.execute(create_table(name, entry))
                marks = ", ".join("?" * len(frame.columns))
                connection.executemany(f"INSERT INTO {name} VALUES ({marks})", _values(frame))
                for column in entry["columns"]:
                    for position, (value, meaning) in enumerate(column.get("categories", {}).items(), start=1):
                        connection.execute(f"INSERT INTO {CATEGORIES} VALUES (?, ?, ?, ?, ?)",
                                           (name, column["name"], position, value, meaning))
            connection.execute("COMMIT")
            connection.execute("VACUUM")
        finally:
            connection.close()
        return path.read_bytes()
