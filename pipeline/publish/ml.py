"""The ``ner`` view for machine learning: one row per document (its id, its text, its mentions as spans with
their labels), in one Parquet file per split, with the Hugging Face ``datasets`` features (the labels as a
``ClassLabel``) in each file's metadata and in the dataset card."""

from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd
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


def ner_table(tables: dict) -> pa.Table:
    """Every document (in the documents table's order) with the flat layer of its mentions (``nested`` false),
    in the mentions table's order, which is text order: made column by column (a corpus has millions)."""
    documents, mentions = tables["documents"], tables["mentions"]
    flat = mentions[~mentions["nested"].astype(bool).to_numpy()]
    ids = documents["document_id"].astype(str)
    row_of = pd.Series(np.arange(len(ids)), index=ids.to_numpy())
    rows = row_of.reindex(flat["document_id"].astype(str).to_numpy()).to_numpy()
    order = np.argsort(rows, kind="stable")
    labels = pd.Categorical(flat["label"].astype(str), categories=LABELS).codes.astype("int64")
    spans = pa.StructArray.from_arrays(
        [pa.array(flat["char_start"].to_numpy("int64")[order]), pa.array(flat["char_end"].to_numpy("int64")[order]),
         pa.array(labels[order])], names=["start", "end", "label"])
    offsets = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=len(ids)))]).astype("int32")
    metadata = {b"huggingface": json.dumps({"info": {"features": features()}}, sort_keys=True).encode()}
    return pa.Table.from_arrays([pa.array(ids.tolist(), pa.string()), pa.array(documents["text"].astype(str).tolist(),
                                                                               pa.string()),
                                 pa.ListArray.from_arrays(pa.array(offsets), spans)],
                                schema=ARROW.with_metadata(metadata))


def ner_files(tables: dict) -> dict[str, bytes]:
    """``ner/<split>.parquet`` for each split that has documents (``datasets`` cannot read an empty file)."""
    table = ner_table(tables)
    split_of = tables["documents"]["split"].astype(str).to_numpy()
    files = {}
    for split in SPLIT_NAMES:
        chosen = split_of == split
        if not chosen.any():
            continue
        sink = io.BytesIO()
        pq.write_table(table.filter(pa.array(chosen)), sink, compression="zstd", write_statistics=False)
        files[ner_path(split)] = sink.getvalue()
    return files


def splits_count(tables: dict) -> dict[str, int]:
    documents = tables["documents"]["split"].astype(str)
    return {split: int((documents == split).sum()) for split in SPLIT_NAMES}
