"""The corpus's entity tables (therapies, conditions, side effects), made from the per-article tables and the
mentions: one row per id with its name and counts, so that adding, editing or removing an article changes no
entity row but in its counts (and its name, where the article tips the majority)."""

from __future__ import annotations

from collections import Counter

from pipeline.extract.ids import slug
from pipeline.tables import ENTITIES, to_frame
from schemas.records import RECORDS


def entity_tables(tables: dict) -> dict:
    """The per-article tables and the mentions (DataFrames) → the entity tables, rows sorted by id."""
    mentions = tables["mentions"]
    out = {}
    for name, (per_article, id_column, label) in ENTITIES.items():
        rows = tables[per_article]
        own = mentions[(mentions["label"] == label).to_numpy()]
        # (counted by distinct pair first: a corpus writes the same names over and over, and slug is slow)
        spelled: dict[str, Counter] = {}
        n_mentions: Counter = Counter()
        for (entity, text), count in Counter(zip(own["entity_id"].astype(str).tolist(),
                                                 own["text"].astype(str).tolist())).items():
            n_mentions[entity] += count
            if slug(text) == entity:
                spelled.setdefault(entity, Counter())[text] += count
        listed: dict[str, Counter] = {}  # (a per-article table has one row per article and id)
        for (entity, text), count in Counter(zip(rows[id_column].astype(str).tolist(),
                                                 rows["name"].astype(str).tolist())).items():
            listed.setdefault(entity, Counter())[text] += count
        record = RECORDS[name]
        out[name] = to_frame(name, [
            record(**{id_column: entity, "name": most_frequent(spelled.get(entity) or listed[entity]),
                      "n_documents": listed[entity].total(), "n_mentions": n_mentions[entity]})
            for entity in sorted(listed)])
    return out


def most_frequent(counts: Counter) -> str:
    """The most frequent value; of equally frequent ones, the first in code-point order."""
    return min(counts, key=lambda value: (-counts[value], value))
