"""The ``ner`` view for machine learning: one row per document (its id, its text, its mentions as spans with
their labels), in one Parquet file per split, with the Hugging Face ``datasets`` features (the labels as a
``ClassLabel``) in each file's metadata and in the dataset card."""

from __future__ import annotations

import io
import json

import pyarrow as pa
import pyarrow.parquet as pq

from schemas.tables import MENTION_LABELS, SPLITS

LABELS = list(MENTION_LABELS)
SPLIT_NAMES = list(SPLITS)


def ner_path(split: str) -> str:
    return f"ner/{split}.parquet"


def features() -> dict:
    """The ``datasets`` features of the ``ner`` rows (as ``Features.to_dict()`` writes them)."""
    value = {"_type": "Value"}
    return {"id": value | {"dtype": "string"}, "text": value | {"dtype": "string"},
            "spans": {"_type": "List", "feature": {"start": value | {"dtype": "int64"},
                                                    "end": value | {"dtype": "int64"},
                                                    "label": {"_type": "ClassLabel", "names": LABELS}}}}


def card_features() -> list[str]:
    """The same features as the dataset card's ``dataset_info`` YAML."""
    lines = ["  features:", "  - name: id", "    dtype: string", "  - name: text", "    dtype: string",
             "  - name: spans", "    list:", "    - name: start", "      dtype: int64", "    - name: end",
             "      dtype: int64", "    - name: label", "      dtype:", "        class_label:", "          names:"]
    return lines + [f"            '{index}': {label}" for index, label in enumerate(LABELS)]


ARROW = pa.schema([pa.field("id", pa.string()), pa.field("text", pa.string()),
                   pa.field("spans", pa.list_(pa.struct([pa.field("start", pa.int64()), pa.field("end", pa.int64()),
                                                        pa.field("label", pa.int64())])))])


def ner_rows(tables: dict) -> dict[str, list[dict]]:
    """Split → its rows: every document, with the flat layer of its mentions (``nested`` false) in text order."""
    spans: dict[str, list[dict]] = {}
    mentions = tables["mentions"]
    flat = mentions[~mentions["nested"].astype(bool)]
    for doc, start, end, label in zip(flat["document_id"], flat["char_start"], flat["char_end"],
                                      flat["label"].astype(str)):
        spans.setdefault(doc, []).append({"start": int(start), "end": int(end), "label": LABELS.index(label)})
    rows: dict[str, list[dict]] = {split: [] for split in SPLIT_NAMES}
    documents = tables["documents"]
    for doc, text, split in zip(documents["document_id"], documents["text"], documents["split"].astype(str)):
        rows[split].append({"id": doc, "text": text, "spans": spans.get(doc, [])})
    return rows


def ner_files(tables: dict) -> dict[str, bytes]:
    """``ner/<split>.parquet`` for each split that has documents (``datasets`` cannot read an empty file)."""
    metadata = {b"huggingface": json.dumps({"info": {"features": features()}}, sort_keys=True).encode()}
    files = {}
    for split, rows in ner_rows(tables).items():
        if not rows:
            continue
        table = pa.Table.from_pylist(rows, schema=ARROW.with_metadata(metadata))
        sink = io.BytesIO()
        pq.write_table(table, sink, compression="zstd", write_statistics=False)
        files[ner_path(split)] = sink.getvalue()
    return files


def splits_count(tables: dict) -> dict[str, int]:
    documents = tables["documents"]["split"].astype(str)
    return {split: int((documents == split).sum()) for split in SPLIT_NAMES}
