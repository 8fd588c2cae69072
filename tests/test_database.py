"""The SQLite file: every table with its types, keys, checks and comments, generated from the schemas."""

from __future__ import annotations

import sqlite3

import pandas as pd
import pytest
from conftest import OUTPUT

from pipeline.publish.database import database_bytes
from pipeline.publish.dictionary import dictionary
from pipeline.tables import models


@pytest.fixture(scope="module")
def db(seed_output):
    connection = sqlite3.connect(f"file:{seed_output / 'dataset.sqlite'}?mode=ro", uri=True)
    yield connection
    connection.close()


def test_every_table_is_there_with_the_rows_of_its_parquet_file(db, seed_output):
    names = [row[0] for row in db.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")]
    assert names == ["categories", *models()]
    for name in models():
        assert db.execute(f"SELECT count(*) FROM {name}").fetchone()[0] == len(pd.read_parquet(
            seed_output / f"{name}.parquet"))


def test_keys_references_and_comments_come_from_the_schemas(db):
    entries = dictionary()
    for name, entry in entries.items():
        info = db.execute(f"PRAGMA table_info({name})").fetchall()
        assert [row[1] for row in info] == [column["name"] for column in entry["columns"]]
        key = [row[1] for row in sorted((row for row in info if row[5]), key=lambda row: row[5])]
        assert key == entry["primary_key"]
        references = {row[3]: [row[2], row[4]] for row in db.execute(f"PRAGMA foreign_key_list({name})")}
        assert references == entry["foreign_keys"]
        sql = db.execute("SELECT sql FROM sqlite_schema WHERE name = ?", (name,)).fetchone()[0]
        assert f"-- {entry['title']}: " in sql
        for column in entry["columns"]:
            assert " ".join(column["description"].split()) in sql
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_a_category_is_checked_and_its_declared_order_is_in_the_categories_table(db, tmp_path, seed_output):
    order = [row[0] for row in db.execute("SELECT value FROM categories WHERE table_name = 'therapy_side_effects' "
                                          "AND column_name = 'frequency' ORDER BY position")]
    assert order == ["very_common", "common", "less_common", "uncommon", "rare", "very_rare", "not_stated"]
    copy = tmp_path / "copy.sqlite"
    copy.write_bytes((seed_output / "dataset.sqlite").read_bytes())
    with sqlite3.connect(copy) as writable, pytest.raises(sqlite3.IntegrityError, match="CHECK constraint failed"):
        writable.execute("UPDATE therapy_side_effects SET frequency = 'often'")


def test_the_readme_query_runs(db):
    """The query the README shows: side effects of each therapy, the most frequent first."""
    rows = db.execute("""
        SELECT t.name, s.name, e.frequency
        FROM therapy_side_effects e
        JOIN therapies t USING (therapy_id)
        JOIN side_effects s USING (side_effect_id)
        JOIN categories c ON c.table_name = 'therapy_side_effects' AND c.column_name = 'frequency'
                         AND c.value = e.frequency
        ORDER BY t.name, c.position, s.name""").fetchall()
    assert rows[0] == ("Immunotherapy", "Digestive issues", "common")
    assert rows[-1] == ("immunosuppression", "Severe infections", "less_common")


def test_the_file_is_the_same_bytes_for_the_same_tables():
    from pipeline import load

    tables = load(OUTPUT)
    assert database_bytes(tables) == database_bytes(tables) == (OUTPUT / "dataset.sqlite").read_bytes()
