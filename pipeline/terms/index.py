"""The loaded ontologies as an index that loads in a fraction of the time of reading their sources: an SQLite
database of plain data (texts, and records as JSON) behind a format line and a SHA-256, read as names are
looked up. Bytes in, ontologies out: where the index is kept is the caller's business."""

from __future__ import annotations

import hashlib
import json
import sqlite3

from pipeline.terms.ontology import IndexEntry, Ontology, Term

INDEX_FORMAT = b"ontology-index-3\n"


class _Records:
    """One kind of record of one ontology in the index database, made into ``make(value)`` as it is looked
    up with ``[]``, ``get`` or ``in``, the only ways matching reads them: a build of a few articles looks up
    a few hundred of the hundred thousand records, so none is made before it is asked for. A build of
    thousands looks up tens of thousands: after ``BULK_AFTER`` look-ups the records' texts are read into
    a dict at once (a query costs a hundred times a dict look-up)."""

    BULK_AFTER = 2000

    def __init__(self, db, kind: str, prefix: str, make):
        self._db, self._kind, self._prefix, self._make = db, kind, prefix, make
        self._asked, self._all = 0, None

    def get(self, key, default=None):
        if self._all is None:
            self._asked += 1
            if self._asked > self.BULK_AFTER:
                self._all = dict(self._db.execute("SELECT key, value FROM records WHERE kind = ? AND prefix = ?",
                                                  (self._kind, self._prefix)))
        if self._all is not None:
            value = self._all.get(key)
        else:
            row = self._db.execute("SELECT value FROM records WHERE kind = ? AND prefix = ? AND key = ?",
                                   (self._kind, self._prefix, key)).fetchone()
            value = row and row[0]
        return default if value is None else self._make(json.loads(value))

    def __getitem__(self, key):
        value = self.get(key)
        if value is None:
            raise KeyError(key)
        return value

    def __contains__(self, key) -> bool:
        return self.get(key) is not None


def _term(plain: list) -> Term:
    term_id, label, synonyms, xrefs_, alt_ids, obsolete, replaced_by = plain
    return Term(term_id, label, tuple(map(tuple, synonyms)), tuple(xrefs_), tuple(alt_ids), obsolete, replaced_by)


def _entries(plain: list) -> tuple[IndexEntry, ...]:
    return tuple(IndexEntry._make(entry) for entry in plain)


def dump_index(ontologies: dict[str, Ontology]) -> bytes:
    """Loaded ontologies as bytes that :func:`load_index` reads back: the format, a SHA-256, and an SQLite
    database of plain data only (texts, and records as JSON)."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE meta (prefix TEXT PRIMARY KEY, version TEXT, source_path TEXT)")
    db.execute("CREATE TABLE records (kind TEXT, prefix TEXT, key TEXT, value TEXT, PRIMARY KEY (kind, prefix, key))"
               " WITHOUT ROWID")
    for prefix, o in ontologies.items():
        db.execute("INSERT INTO meta VALUES (?, ?, ?)", (prefix, o.version, o.source_path))
        for kind, records in (("term", o.terms), ("index", o.index), ("alt_id", o.alt_ids)):
            db.executemany("INSERT INTO records VALUES (?, ?, ?, ?)",
                           ((kind, prefix, key, json.dumps(value, ensure_ascii=False))
                            for key, value in sorted(records.items())))
    db.commit()
    payload = db.serialize()
    db.close()
    return INDEX_FORMAT + hashlib.sha256(payload).digest() + payload


def load_index(data: bytes | None) -> dict[str, Ontology] | None:
    """The ontologies :func:`dump_index` wrote, or None for bytes that are missing, damaged or foreign.
    Its records are read as they are looked up (see :class:`_Records`)."""
    start = len(INDEX_FORMAT) + 32
    if not data or not data.startswith(INDEX_FORMAT):
        return None
    payload = memoryview(data)[start:]
    if hashlib.sha256(payload).digest() != data[len(INDEX_FORMAT):start]:
        return None
    try:
        db = sqlite3.connect(":memory:")
        db.deserialize(payload)
        meta = db.execute("SELECT prefix, version, source_path FROM meta ORDER BY rowid").fetchall()
    except sqlite3.Error:  # an index we cannot read is built again from the sources
        return None
    return {prefix: Ontology(prefix=prefix, version=version, source_path=source_path,
                             terms=_Records(db, "term", prefix, _term), index=_Records(db, "index", prefix, _entries),
                             alt_ids=_Records(db, "alt_id", prefix, str))
            for prefix, version, source_path in meta}


