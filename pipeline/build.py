"""The orchestrator: the stages wired to files, one function per command (see :mod:`pipeline.cli`).

    read (raw folder → articles) → parse → extract (→ rows, cached per article) → terms (→ term tables)
    → check (schemas, keys, spans) → publish (→ files) → store (swapped into the output folder)

The stages are plain functions of records and tables; reading and writing happen here and in
:mod:`pipeline.store`, and every speed mechanism in :mod:`pipeline.parallel`. Strict (the default), the first
bad article in file-name order stops the build; with ``keep_going`` bad articles (unreadable, unparsable,
clashing ids, rows that fail validation) are set aside with their reason and the rest is built.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from pathlib import Path
from typing import NamedTuple

from pipeline import check, parallel, publish, read
from pipeline.entities import entity_tables
from pipeline.errors import PipelineError
from pipeline.extract import document_id, extract_document
from pipeline.fingerprint import code_version
from pipeline.manifest import MANIFEST
from pipeline.parse import parse
from pipeline.project import read_project
from pipeline.store import cache, folders, stages
from pipeline.store.files import write_report
from pipeline.tables import ARTICLE_TABLES, ENTITIES, arrow_to_frame, models, schema
from pipeline.terms import index as ontology_index
from pipeline.terms.link import CONDITION_ONTOLOGIES, SIDE_EFFECT_ONTOLOGIES, Terms, learn, link_terms, valid_memo
from pipeline.terms.ontology import default_ontologies, match, normalise

DEFAULT_REPORT = Path("build/validation_report.csv")
DEFAULT_CACHE_DIR = Path("build/cache")
SWAP_WARNING = ("output: this file system cannot exchange two folders in one step, so the old output is renamed "
                "aside, the new one renamed in, and the old one removed after")


# --- Stage 1 over a corpus: read, parse and extract, cached per article ----------------------------------------


class Chunk(NamedTuple):
    """What a run of articles gives: a pack of the good ones (and where it was written), the bad ones as
    (position in the run, error), and the cache's warnings; strict, the run stops at its first error."""

    size: int
    pack: cache.Pack
    path: Path | None
    errors: list[tuple[int, PipelineError]]
    warnings: list[str]


def extract_chunk(work: tuple) -> Chunk:
    """Parse and extract a run of articles and write their pack into the cache folder (if any): the work of
    one worker. ``work``: (articles, their cache keys, the cache folder, keep going)."""
    articles, keys, folder, keep_going = work
    done, done_keys, errors = [], [], []
    with parallel.collector_paused():
        for position, (article, key) in enumerate(zip(articles, keys)):
            try:
                doc = parse(article.text, article.path, read.format_of(article.source_path))
                rows = extract_document(doc, document_id(article.source_path), article.sha256, article.source_path,
                                        whole_name, term_labels)
            except PipelineError as error:
                errors.append((position, error))
                if not keep_going:
                    break
                continue
            done.append(rows)
            done_keys.append(key)
        pack = cache.Pack.of(done_keys, done)
    writer = cache.Writer(folder)
    return Chunk(len(articles), pack, cache.write_pack(pack, writer), errors, writer.warnings)


_WHOLE: dict[str, bool] = {}
_LABELS: dict[tuple[str, str], str | None] = {}
_LOADED: dict = {}  # the ontologies by prefix, once loaded in this process


def _loaded() -> dict:
    if not _LOADED:
        _LOADED.update(_ontologies())
    return _LOADED


def whole_name(text: str) -> bool:
    """Whether an ontology lists ``text`` whole, as a term's label or exact synonym (``head and neck cancer``):
    the enumerations of conditions keep such a name as one item. (Asked only of two items an ``and`` or ``or``
    joins, so the ontologies load only for an article that has such a pair.)"""
    if text not in _WHOLE:
        wanted = normalise(text)
        _WHOLE[text] = any(normalise(found.query) == wanted and (
            found.match_on == "label" or found.match_on == "synonym" and found.synonym_scope == "EXACT")
            for found in match(text, tuple(_loaded().values())))
    return _WHOLE[text]


# The ontologies the term tables link each kind of mention in.
LINKED_IN = {"SIDE_EFFECT": SIDE_EFFECT_ONTOLOGIES, "EXAMPLE": SIDE_EFFECT_ONTOLOGIES,
             "CONDITION": CONDITION_ONTOLOGIES}


def term_labels(text: str, label: str) -> tuple[str, ...]:
    """The labels of the terms that the ontologies the term tables use for ``label`` (a mention label) link the
    whole of ``text`` to, as the term tables link it (the best match): their occurrences in the article are
    mentions of the same entity."""
    return tuple(found for prefix in LINKED_IN.get(label, ()) if (found := _term_label(text, prefix)))


def _term_label(text: str, prefix: str) -> str | None:
    if (prefix, text) not in _LABELS:
        found = match(text, _loaded()[prefix])
        best = found[0] if found else None
        whole = best is not None and normalise(best.matched_text) == normalise(text)
        _LABELS[prefix, text] = best.term_label if whole else None
    return _LABELS[prefix, text]


def read_one(path: Path, max_bytes: int = read.DEFAULT_MAX_BYTES):
    """One article file → its rows (stage 1 without the cache): for tools and tests that look at one article."""
    path = Path(path)
    utf8, sha256 = read.read_article(path, max_bytes)
    article = read.Article(path.name, str(path), sha256, utf8)
    doc = parse(article.text, article.path, read.format_of(path.name) or "txt")
    return extract_document(doc, document_id(path.name), sha256, path.name, whole_name, term_labels)


def cache_key(article: read.Article) -> str:
    """An article's rows depend only on its bytes, its file name (and the path its messages show) and the
    code: the key of its cache entry."""
    return hashlib.sha256("\0".join((code_version(), article.sha256, article.source_path,
                                     article.path)).encode()).hexdigest()


def _unique_ids(articles: list[read.Article]) -> tuple[list[read.Article], list]:
    """Two articles whose file names slug to the same document id: the later one is set aside."""
    seen: dict[str, str] = {}
    kept, rejected = [], []
    for article in articles:
        doc_id = document_id(article.source_path)
        if doc_id in seen:
            rejected.append((article.source_path, PipelineError(
                f"has the same document id '{doc_id}' as {seen[doc_id]}; rename one of them", article.path)))
            continue
        seen[doc_id] = article.path
        kept.append(article)
    return kept, rejected


def _prepare_tables() -> None:
    """Make the tables' schemas (pandera builds them slowly), while the workers extract."""
    for name in ARTICLE_TABLES:
        schema(name)


def _combine(arrow_tables: dict) -> dict:
    """Each table's rows (Arrow, in article order) → a DataFrame, and the entity tables made from them."""
    tables = {name: arrow_to_frame(name, arrow_tables[name]) for name in ARTICLE_TABLES}
    tables.update(entity_tables(tables))
    return {name: tables[name] for name in models() if name in tables}  # (in the dataset's order)


class Extracted(NamedTuple):
    """Stage 1 of a build: the tables (term tables included), the texts their spans index, the notes for
    the build report, the lines to show the user, and how many articles were taken from the cache and how
    many extracted."""

    tables: dict
    texts: dict  # document id → text, as UTF-8
    notes: dict
    shown: list[str]
    cached: int
    extracted: int


def extract_folder(*, raw_dir: Path, max_bytes: int = read.DEFAULT_MAX_BYTES, keep_going: bool = False,
                   cache_dir: Path | None = DEFAULT_CACHE_DIR, jobs: int | None = None,
                   progress=None, engine: str = "local", scheduler: str | None = None, corpus=None) -> Extracted:
    """Stage 1 on a raw folder, and the term tables: cached per article, in worker processes when the
    articles are many, names looked up as the chunks arrive; with ``keep_going``, articles whose rows fail
    validation are set aside too. ``progress(total)`` makes a progress bar; ``engine`` and ``scheduler`` say
    where the chunks are extracted (:func:`pipeline.parallel.workers`); ``corpus`` is the folder as
    :func:`pipeline.read.read_corpus` read it with ``keep_going``, where it has been read already."""
    jobs = jobs or parallel.cores()
    articles, rejected, warnings = corpus or read.read_corpus(raw_dir, max_bytes, keep_going=True)
    rejected, warnings = list(rejected), list(warnings)
    articles, clashing = _unique_ids(articles)
    rejected = sorted(rejected + clashing, key=lambda item: item[0])
    found = len(articles) + len(rejected)
    if rejected and not keep_going:
        # The first bad article in file-name order is the one reported: those before it are extracted first.
        articles = [article for article in articles if article.source_path < rejected[0][0]]
    keys = [cache_key(article) for article in articles]
    packs = cache.Packs(cache_dir)
    todo = [index for index, key in enumerate(keys) if key not in packs.index]
    bar = progress(len(articles)) if progress else None
    if bar and len(articles) > len(todo):
        bar(len(articles) - len(todo))
    terms = _terms(cache_dir)
    cache_warnings: list[str] = []
    with parallel.workers(jobs, len(todo), engine, scheduler) as pool:
        written_by_workers = None if pool.remote else cache_dir
        writer = cache.Writer(cache_dir) if pool.remote else None  # (one for the build: a failure stops it)
        work = [([articles[i] for i in todo[a:b]], [keys[i] for i in todo[a:b]], written_by_workers, keep_going)
                for a, b in pool.chunks(len(todo))]
        try:
            for (start, _), chunk in zip(pool.chunks(len(todo)), pool.map(extract_chunk, work, _prepare_tables)):
                for position, error in chunk.errors:
                    if not keep_going:
                        raise error
                    rejected.append((articles[todo[start + position]].source_path, error))
                if writer is not None:  # (the workers wrote no pack: they may not see this file system)
                    chunk = chunk._replace(path=cache.write_pack(chunk.pack, writer),
                                           warnings=chunk.warnings + writer.warnings)
                cache_warnings += [w for w in chunk.warnings if w not in cache_warnings]
                number = packs.add(chunk.pack, chunk.path)
                if chunk.pack.keys:
                    learn({name: packs.packs[number].typed(name) for name in ARTICLE_TABLES}, terms)
                if bar:
                    bar(chunk.size)
        finally:
            if bar:
                bar.close()
    if rejected and not keep_going:
        raise rejected[0][1]
    doc_of = {key: document_id(article.source_path) for article, key in zip(articles, keys)}
    kept = [key for key in keys if key in packs.index]
    packs.drop_unused(set(kept))
    tables = _combine(packs.tables(kept))
    texts = document_texts(tables["documents"])
    if keep_going:
        article_of = {doc_of[key]: article for article, key in zip(articles, keys)}
        failing = _failing_documents(tables, texts, article_of, rejected)
        if failing:
            kept = [key for key in kept if doc_of[key] not in failing]
            tables = _combine(packs.tables(kept))
            texts = document_texts(tables["documents"])
        if not len(tables["documents"]):
            raise PipelineError(f"every article was rejected ({len(rejected)}); nothing to build. First: "
                                f"{sorted(rejected, key=lambda item: item[0])[0][1]}")
    rejected.sort(key=lambda item: item[0])
    tables.update(link_terms(tables, terms))
    cache_warnings += [w for w in _keep_terms(terms, cache_dir) if w not in cache_warnings]
    warnings = warnings + packs.warnings(kept)
    # (The cache's warnings are the user's to see, not the dataset's: its report does not depend on the cache.)
    notes = _notes(found, rejected, warnings, keep_going, raw_dir)
    notes["per_article"] = _per_article(tables["documents"], packs.profiles(kept), [doc_of[key] for key in kept])
    notes["skipped"] = sorted(skipped_files(warnings, raw_dir))
    shown = warnings + cache_warnings + [f"rejected: {error}" for _, error in rejected]
    return Extracted(tables, texts, notes, shown, cached=len(keys) - len(todo), extracted=len(todo))


def document_texts(documents) -> dict[str, bytes]:
    """document id → the text its rows' spans index (documents.text), as UTF-8."""
    return {doc_id: text.encode("utf-8") for doc_id, text in zip(documents["document_id"], documents["text"])}


def _failing_documents(tables: dict, texts: dict, article_of: dict, rejected: list) -> set[str]:
    """Keep going past articles whose own rows fail validation: the corpus is checked once, and the articles
    the failing rows come from are added to ``rejected``; their ids are returned."""
    problems = check.find_problems(tables, texts, expected=[*ARTICLE_TABLES, *ENTITIES])
    if not len(problems):
        return set()
    owners = check.documents_of(problems, tables)
    if any(owner is None for owner in owners):  # a failure no article is to blame for
        raise check.ValidationFailed(problems)
    for doc_id in sorted(set(owners), key=lambda d: article_of[d].source_path):
        own = problems[[owner == doc_id for owner in owners]]
        first = own.iloc[0]
        rejected.append((article_of[doc_id].source_path, PipelineError(
            f"{check.ValidationFailed(own).message}; first: {first['table']}.{first['column']} fails "
            f"{first['check']} with '{first['value']}'", article_of[doc_id].path)))
    return set(owners)


def _per_article(documents, profiles: list[dict], doc_ids: list[str]) -> list[dict]:
    """One entry per article built: its file, document id, format, sections, blocks and furniture by kind, and
    rows per table; in file-name order."""
    source = dict(zip(documents["document_id"], documents["source_path"]))
    entries = [{"file": source[doc_id], "document_id": doc_id, **profile}
               for doc_id, profile in zip(doc_ids, profiles) if doc_id in source]
    return sorted(entries, key=lambda entry: entry["file"])


def skipped_files(warnings: list[str], raw_dir: Path) -> list[str]:
    """The raw folder's entries skipped as not articles (from the scan's warnings), as file names."""
    prefix = str(Path(raw_dir)) + os.sep
    found = []
    for warning in warnings:
        if warning.endswith("; skipped") and warning.startswith(prefix):
            found.append(warning[len(prefix):].split(": ", 1)[0])
    return found


def _notes(articles_found: int, rejected: list, warnings: list[str], keep_going: bool, raw_dir: Path) -> dict:
    """What stage 1 knows for the build report; it rides along with the staged tables. File names are
    relative to the raw folder, so the report is the same wherever the build ran from."""
    prefix = str(Path(raw_dir)) + os.sep
    return {
        "articles_found": articles_found,
        "mode": "keep_going" if keep_going else "strict",
        "rejected": [{"file": name, "line": error.line, "reason": error.message}
                     for name, error in sorted(rejected, key=lambda item: item[0])],
        "warnings": [w[len(prefix):] if w.startswith(prefix) else w for w in warnings],
    }


# --- The term memo and the ontology index ---------------------------------------------------------------------


def index_folder() -> Path:
    """Where the loaded ontologies are kept: beside the Python environment that holds the ontology
    packages (``.venv/share/therapy-comparison-dataset``), as the index follows from those packages and
    our code alone, not from any article. If the folder cannot be written, every process that needs the
    ontologies reads them from their sources instead."""
    return Path(sys.prefix) / "share" / "therapy-comparison-dataset"


def _key() -> str:
    return code_version()[:16]


def _terms(cache_dir: Path | None) -> Terms:
    """Look-ups with the memo kept in ``cache_dir`` (if it is there and sound) and the ontologies loaded from
    the kept index (or their sources, then kept) when first needed."""
    memo = cache.read_memo(cache_dir / f"{cache.MEMO_PREFIX}{_key()}.json") if cache_dir is not None else None
    return Terms(memo if valid_memo(memo) else None, load=_ontologies)


def _ontologies() -> dict:
    name = f"ontologies-{_key()}.index"
    kept = ontology_index.load_index(cache.read_file(index_folder() / name))
    if kept is None:
        kept = {o.prefix: o for o in default_ontologies()}
        cache.Writer(index_folder()).write(name, ontology_index.dump_index(kept))
    cache.prune(index_folder(), "ontologies-", name, ontology_index.INDEX_FORMAT)
    return kept


def _keep_terms(terms: Terms, cache_dir: Path | None) -> list[str]:
    """Keep the memo (if it has grown and has a place), and remove those of other keys; the warning if it
    cannot be written."""
    if cache_dir is None:
        return []
    name = f"{cache.MEMO_PREFIX}{_key()}.json"
    writer = cache.Writer(cache_dir)
    if terms.grown:
        writer.write(name, cache.memo_bytes(terms.memo))
    cache.prune(cache_dir, cache.MEMO_PREFIX, name, cache.MEMO_FORMAT)
    return writer.warnings


# --- The commands ----------------------------------------------------------------------------------------------


def _validated(tables: dict, texts: dict, report: Path) -> dict:
    try:
        validated = check.validate(tables, texts)
    except check.ValidationFailed as failure:
        write_report(report, failure.problems)
        raise PipelineError(f"{failure.message}; every failure is listed in {report}") from None
    write_report(report, check.no_problems())  # no stale failures left behind
    return validated


def _with_swap_note(notes: dict, out_dir: Path) -> list[str]:
    """Say in the build report (and to the user) when the output cannot be swapped in one atomic step."""
    if Path(out_dir).exists() and not folders.can_exchange(Path(out_dir)):
        notes["warnings"] = [*notes.get("warnings", []), SWAP_WARNING]
        return [SWAP_WARNING]
    return []


def _write_dataset(out_dir: Path, tables: dict, notes: dict, jobs: int, started: float | None = None) -> None:
    """Render the validated tables into a folder beside ``out_dir`` and swap it in. A failure of the
    rendering code itself is one line too, and leaves the output as it was.

    The MANIFEST is dated ``started``, when the build began to read the raw folder: make compares it with
    the articles, so an article edited, added or removed while the build ran is rebuilt by the next
    ``make``."""
    project = read_project()

    def write(folder: Path) -> None:
        try:
            with parallel.beside(jobs) as start:
                parallel.write_into(folder, publish.render_files(tables, project, notes, start), jobs)
        except (PipelineError, OSError):
            raise
        except Exception as error:  # noqa: BLE001 - a bug in rendering: said in one line, nothing lost
            raise PipelineError(f"rendering failed: {type(error).__name__}: {error}", str(out_dir)) from None
        if started is not None:
            os.utime(folder / MANIFEST, (started, started))

    folders.replace(out_dir, write)


def run_extract(*, raw_dir: Path, out_dir: Path, max_bytes: int = read.DEFAULT_MAX_BYTES, keep_going: bool = False,
                cache_dir: Path | None = DEFAULT_CACHE_DIR, jobs: int | None = None, progress=None,
                engine: str = "local", scheduler: str | None = None) -> list[str]:
    """Raw folder → staged tables in ``out_dir``; returns the warnings (and the articles set aside).

    ``cache_dir`` holds the per-article cache (None: no cache); ``progress(total)`` makes a progress bar.
    """
    folders.claim(out_dir, "stage", raw_dir)  # (again when written, holding the lock)
    folders.check_cache(cache_dir, (out_dir,), raw_dir)
    extracted = extract_folder(raw_dir=raw_dir, max_bytes=max_bytes, keep_going=keep_going, cache_dir=cache_dir,
                               jobs=jobs, progress=progress, engine=engine, scheduler=scheduler)
    stages.write_stage(out_dir, extracted.tables, extracted.notes, raw_dir)
    return extracted.shown


def run_validate(*, in_dir: Path, raw_dir: Path, out_dir: Path, report: Path = DEFAULT_REPORT) -> list[str]:
    """Staged tables → validated tables in ``out_dir``, or the report of every failure."""
    tables = stages.read_stage(in_dir)
    texts = document_texts(tables["documents"]) if "documents" in tables else {}
    stages.write_stage(out_dir, _validated(tables, texts, report), stages.read_notes(in_dir), raw_dir)
    return []


def run_export(*, in_dir: Path, out_dir: Path, jobs: int | None = None) -> list[str]:
    """Validated tables → the dataset's files and build report in ``out_dir``, swapped in whole."""
    tables = stages.read_stage(in_dir)
    notes = stages.read_notes(in_dir)
    with folders.owned(out_dir, "dataset"):
        shown = _with_swap_note(notes, out_dir)
        _write_dataset(out_dir, tables, notes, jobs or parallel.cores())
    return shown


def run_build(*, raw_dir: Path, out_dir: Path, report: Path = DEFAULT_REPORT, max_bytes: int = read.DEFAULT_MAX_BYTES,
              keep_going: bool = False, cache_dir: Path | None = DEFAULT_CACHE_DIR, jobs: int | None = None,
              progress=None, engine: str = "local", scheduler: str | None = None) -> list[str]:
    """Every stage in one command: raw folder → dataset in ``out_dir``; returns the warnings.

    The output folder is locked for the whole build: a second build into it stops at once.
    """
    jobs = jobs or parallel.cores()
    started = time.time()
    folders.claim(out_dir, "dataset", raw_dir)
    folders.check_cache(cache_dir, (out_dir,), raw_dir)
    with folders.owned(out_dir, "dataset", raw_dir):
        corpus = read.read_corpus(raw_dir, max_bytes, keep_going=True)
        key = build_key(corpus, raw_dir=raw_dir, max_bytes=max_bytes, keep_going=keep_going)
        record = cache.read_record(cache_dir, out_dir)
        if record is not None and record["key"] == key and folders.dataset_digest(out_dir) == record["manifest"]:
            # Nothing changed since the build that wrote this output, which is as it wrote it: it stays.
            write_report(report, check.no_problems())
            os.utime(Path(out_dir) / MANIFEST, (started, started))
            return record["shown"]
        tables, texts, notes, shown, _, _ = extract_folder(raw_dir=raw_dir, max_bytes=max_bytes,
                                                           keep_going=keep_going, cache_dir=cache_dir, jobs=jobs,
                                                           progress=progress, engine=engine, scheduler=scheduler,
                                                           corpus=corpus)
        shown = shown + _with_swap_note(notes, out_dir)
        tables = _validated(tables, texts, report)
        del texts  # (the texts are not needed past the span checks: their memory goes before rendering)
        _write_dataset(out_dir, tables, notes, jobs, started)
        if cache_dir is not None:
            written = hashlib.sha256((Path(out_dir) / MANIFEST).read_bytes()).hexdigest()
            cache.write_record(cache.Writer(cache_dir), out_dir, key, written, shown)
    return shown


def build_key(corpus, *, raw_dir: Path, max_bytes: int, keep_going: bool) -> str:
    """What a build's output follows from: the articles (names and SHA-256s, and those that could not be
    read, with why), the other files of the raw folder, the code, the settings and the options."""
    articles, rejected, warnings = corpus
    return hashlib.sha256(json.dumps({
        "code": code_version(), "project": read_project(), "raw_dir": str(raw_dir), "max_bytes": max_bytes,
        "keep_going": keep_going, "articles": [[a.source_path, a.sha256] for a in articles],
        "rejected": [[name, str(error)] for name, error in rejected], "warnings": warnings,
    }, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()
