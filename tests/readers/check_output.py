"""Read a built output folder as a user without the project would: with pandas, pyarrow, polars, DuckDB,
sqlite3 and Hugging Face ``datasets`` only (run by the readers' environment, which has no pipeline installed).
Prints one JSON object of what it found; tests/test_readers.py asserts on it.

Usage: python tests/readers/check_output.py OUTPUT_DIR
"""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pyarrow.parquet as pq
import yaml
from datasets import load_dataset


def configs(out: Path) -> list[str]:
    header = (out / "README.md").read_text(encoding="utf-8").split("---")[1]
    return [config["config_name"] for config in yaml.safe_load(header)["configs"]]


def main(out: Path) -> dict:
    found: dict = {"pipeline_importable": True}
    try:
        import pipeline  # noqa: F401
    except ImportError:
        found["pipeline_importable"] = False
    found["configs"] = {}
    for config in configs(out):
        dataset = load_dataset(str(out), config)
        found["configs"][config] = {split: dataset[split].num_rows for split in dataset}
    ner = load_dataset(str(out), "ner")
    labels = ner[next(iter(ner))].features["spans"].feature["label"].names
    found["ner_labels"] = labels
    found["ner_spans"] = found["ner_spans_equal_mentions"] = 0
    mentions = pd.read_parquet(out / "mentions.parquet")
    flat = mentions[~mentions["nested"]]
    by_place = {(d, s, e): (label, text) for d, s, e, label, text in
                zip(flat["document_id"], flat["char_start"], flat["char_end"], flat["label"], flat["text"])}
    for split in ner:
        for row in ner[split]:
            for span in row["spans"]:
                found["ner_spans"] += 1
                label, text = by_place[(row["id"], span["start"], span["end"])]
                found["ner_spans_equal_mentions"] += (labels[span["label"]] == label
                                                      and row["text"][span["start"]:span["end"]] == text)
    # Every span of every table resolves through documents.text, from the files' own metadata.
    documents = pd.read_parquet(out / "documents.parquet")
    texts = dict(zip(documents["document_id"], documents["text"]))
    dictionary = json.loads(pq.read_schema(out / "documents.parquet").metadata[b"data_dictionary"])
    found["spans_checked"] = found["spans_resolved"] = 0
    for name, entry in dictionary.items():
        if not entry["spans"] or not (out / f"{name}.parquet").exists():
            continue
        frame = pd.read_parquet(out / f"{name}.parquet")
        for span in entry["spans"]:
            for doc, value, start, end in zip(frame["document_id"], frame[span["text"]], frame[span["start"]],
                                              frame[span["end"]]):
                if value is None or value != value:
                    continue
                found["spans_checked"] += 1
                found["spans_resolved"] += texts[doc][int(start):int(end)] == value
    # The declared order of a category, from the file's own data dictionary, as a polars Enum (the README's recipe).
    columns = {column["name"]: column for column in dictionary["therapy_side_effects"]["columns"]}
    order = pl.Enum(list(columns["frequency"]["categories"]))
    effects = pl.read_parquet(out / "therapy_side_effects.parquet").with_columns(pl.col("frequency").cast(order))
    found["polars_frequency_order"] = effects["frequency"].dtype.categories.to_list()
    found["polars_sorted"] = effects.sort("frequency")["frequency"].cast(pl.String).to_list()
    found["duckdb_rows"] = duckdb.sql(f"SELECT count(*) FROM '{out / 'mentions.parquet'}'").fetchall()[0][0]
    with sqlite3.connect(f"file:{out / 'dataset.sqlite'}?mode=ro", uri=True) as db:
        found["sqlite_tables"] = [row[0] for row in db.execute(
            "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")]
        found["sqlite_mentions"] = db.execute("SELECT count(*) FROM mentions").fetchone()[0]
    return found


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]))))
