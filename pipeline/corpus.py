"""Stage 1 over a whole corpus: a per-article cache, then a process pool for the articles not cached.

Strict (the default), the first bad article in file-name order stops the build. With ``keep_going`` a bad
article (one the parser or extractor rejects, one whose document id clashes with an earlier article's,
one whose own rows fail validation) is set aside with its reason, and the rest is built.

An article's rows depend only on its bytes, its file name and the extractor's code, so they are cached
under a key made of those: the article's SHA-256, its name (and the path its messages show), and the
extractor's version, a hash of the source files that shape the rows. Adding or editing one article of
10,000 re-extracts that article only; changing the extractor re-extracts them all.

Entries are stored in packs, one file per chunk of newly extracted articles (``<hash>.pack``): creating
and renaming 10,000 small files costs more kernel time than extracting a thousand articles. A pack is
written whole and renamed into place; each entry in it carries its own SHA-256, so a damaged entry is
extracted again. A pack none of whose entries the corpus still uses is deleted after the build.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pipeline import extract as extractor
from pipeline import io
from pipeline.errors import PipelineError

# Worker processes cost a fork and a chunk round trip: worth it from this many articles to extract,
# or this many to read back from the cache (a cache hit is about a fifth of the work of an extraction).
POOL_MIN_ARTICLES = 200
POOL_MIN_CACHED = 1000
MAX_CHUNK = 250
CACHE_FORMAT = b"corpus-cache-1"
PACK_FORMAT = b"corpus-pack-1\n"
PACK_SUFFIX = ".pack"
_PACKAGE = Path(__file__).resolve().parent
# The code that shapes an article's rows (and this module, which shapes the cache entries).
EXTRACTOR_SOURCES = (_PACKAGE / "document.py", _PACKAGE / "extract.py", _PACKAGE / "errors.py",
                     _PACKAGE / "tables.py", _PACKAGE / "corpus.py", _PACKAGE.parent / "schemas" / "tables.py")

Article = tuple[str, str, str, str]  # source_path, path (as shown), sha256, text


@cache
def extractor_version() -> str:
    """A hash of the extractor's own source files: any edit to them invalidates every cache entry."""
    return io.files_digest(list(EXTRACTOR_SOURCES))


@dataclass
class Stats:
    """What one extraction did: articles taken from the cache and articles extracted."""

    cached: int = 0
    extracted: int = 0


def cache_key(article: Article, version: str) -> str:
    source_path, path, sha256, _ = article
    return hashlib.sha256("\0".join((version, sha256, source_path, path)).encode()).hexdigest()


def _load(data: bytes | None) -> extractor.Article | None:
    """A cache entry's article, or None for a missing, truncated or otherwise damaged entry.

    An entry is ``CACHE_FORMAT``, the SHA-256 of the payload, then the payload (the pickled rows and
    warnings); a digest that does not match means the entry is extracted again.
    """
    header = len(CACHE_FORMAT) + 32
    if not data or len(data) < header or not data.startswith(CACHE_FORMAT):
        return None
    payload = memoryview(data)[header:]
    if hashlib.sha256(payload).digest() != data[len(CACHE_FORMAT):header]:
        return None
    try:
        rows, warnings = pickle.loads(payload)
    except Exception:  # noqa: BLE001 - an entry we cannot read is extracted again
        return None
    if not (isinstance(rows, dict) and set(rows) == set(extractor.TABLE_NAMES)
            and all(isinstance(table, list) for table in rows.values()) and isinstance(warnings, list)):
        return None
    return extractor.Article(rows, warnings)


def _dump(article: extractor.Article) -> bytes:
    payload = pickle.dumps((article.rows, article.warnings), protocol=pickle.HIGHEST_PROTOCOL)
    return CACHE_FORMAT + hashlib.sha256(payload).digest() + payload


class _Cache:
    """The packs of a cache folder, read whole, and the entries extracted since (written by ``flush``)."""

    def __init__(self, folder: Path | None):
        self.folder = folder
        self.packs: dict[Path, bytes] = {}
        self.index: dict[str, list[tuple[Path, int, int]]] = {}  # key → [(pack, offset, length)]
        self.new: dict[str, bytes] = {}
        for path in io.list_cache_files(folder, PACK_SUFFIX) if folder is not None else []:
            data = io.read_cache_entry(path)
            entries = _pack_entries(data)
            if entries is not None:
                self.packs[path] = data
                for key, (offset, length) in entries.items():
                    self.index.setdefault(key, []).append((path, offset, length))

    def get(self, key: str) -> extractor.Article | None:
        """The article cached under ``key``: the first of its entries that is whole, if any."""
        for path, offset, length in self.index.get(key, ()):
            article = _load(self.packs[path][offset:offset + length])
            if article is not None:
                return article
        return None

    def put(self, key: str, data: bytes) -> None:
        if self.folder is not None:
            self.new[key] = data

    def flush(self) -> None:
        """Write the entries extracted since the last flush as one pack."""
        if self.folder is None or not self.new:
            return
        data = _pack(self.new)
        io.write_cache_entry(Path(self.folder) / (hashlib.sha256(data).hexdigest()[:32] + PACK_SUFFIX), data)
        self.new = {}

    def drop_unused(self, keys: set[str]) -> None:
        """Delete the packs that hold none of ``keys`` (old versions of articles, old extractors)."""
        used = {path for key in keys for path, _, _ in self.index.get(key, ())}
        for path in self.packs:
            if path not in used:
                io.remove_cache_file(path)


def _pack(entries: dict[str, bytes]) -> bytes:
    """``PACK_FORMAT``, the index's length (8 bytes), the index {key: (offset, length)}, the entries."""
    index, offset = {}, 0
    for key, data in entries.items():
        index[key] = (offset, len(data))
        offset += len(data)
    head = pickle.dumps(index, protocol=pickle.HIGHEST_PROTOCOL)
    return b"".join([PACK_FORMAT, len(head).to_bytes(8, "little"), head, *entries.values()])


def _pack_entries(data: bytes | None) -> dict[str, tuple[int, int]] | None:
    """A pack's entries as key → (offset, length) in the pack, or None if its head is damaged."""
    start = len(PACK_FORMAT) + 8
    if not data or not data.startswith(PACK_FORMAT):
        return None
    size = int.from_bytes(data[len(PACK_FORMAT):start], "little")
    try:
        index = pickle.loads(data[start:start + size])
        return {str(key): (start + size + int(offset), int(length)) for key, (offset, length) in index.items()}
    except Exception:  # noqa: BLE001 - a pack we cannot read is as good as none
        return None


def _article_rows(article: Article, cache: _Cache, version: str, stats: Stats, keep_going: bool = False):
    """One article's rows: from its cache entry, else extracted (and cached); or the error it stops with."""
    source_path, path, sha256, text = article
    key = cache_key(article, version)
    cached = cache.get(key)
    if cached is not None:
        stats.cached += 1
        return cached
    stats.extracted += 1
    try:
        result = extractor.extract_text(text, path, sha256, source_path)
        if keep_going:
            _check_alone(result, text, path)
    except PipelineError as error:
        return error
    cache.put(key, _dump(result))
    return result


def _check_alone(article: extractor.Article, text: str, path: str) -> None:
    """Validate one article's rows on their own, so that a keep-going build can set it aside."""
    from pipeline.validate import ValidationFailed, find_problems

    tables = article_tables(article)
    document_id = article.rows["documents"][0][0]
    problems = find_problems(tables, {document_id: text}, expected=list(tables))
    if len(problems):
        first = problems.iloc[0]
        failure = ValidationFailed(problems)
        raise PipelineError(f"{failure.message}; first: {first['table']}.{first['column']} fails "
                            f"{first['check']} with '{first['value']}'", path)


def _arrow(columns: list[tuple]):
    """Columns of values → an Arrow table of ``c0, c1, ...``: types inferred, a column of only empties is
    null. Arrow columns hold a corpus's rows in a fraction of the memory of Python tuples."""
    import pyarrow as pa

    return pa.table({f"c{index}": pa.array(column) for index, column in enumerate(columns)})


def _arrow_tables(rows: dict[str, list[tuple]]) -> dict:
    """Rows by table → Arrow tables of columns, as chunks carry them."""
    return {name: _arrow(list(zip(*rows[name]))) for name in extractor.TABLE_NAMES}


def article_tables(article: extractor.Article) -> dict:
    """One article's rows as the stage's DataFrames, by the same path as a whole corpus's."""
    return _combine([_arrow_tables(article.rows)])


@dataclass
class _Chunk:
    """What a run of articles gives: per table its rows as Arrow columns, the warnings, the first error
    (strict) or the articles set aside (keep-going)."""

    tables: dict
    warnings: list[str]
    error: PipelineError | None
    stats: Stats
    rejected: list[tuple[str, PipelineError]]


def _chunk(articles: list[Article], cache: _Cache, version: str, keep_going: bool = False) -> _Chunk:
    # The rows are tuples of strings and numbers, no cycles: the cyclic garbage collector would only
    # walk the growing heap again and again (a fifth of the time of reading entries back).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _chunk_rows(articles, cache, version, keep_going)
    finally:
        if collecting:
            gc.enable()


def _chunk_rows(articles: list[Article], cache: _Cache, version: str, keep_going: bool) -> _Chunk:
    stats = Stats()
    rows: dict[str, list[tuple]] = {name: [] for name in extractor.TABLE_NAMES}
    warnings: list[str] = []
    rejected: list[tuple[str, PipelineError]] = []
    for article in articles:
        result = _article_rows(article, cache, version, stats, keep_going)
        if isinstance(result, PipelineError):
            if not keep_going:
                return _Chunk({}, [], result, stats, [])
            rejected.append((article[0], result))
            continue
        for name in extractor.TABLE_NAMES:
            rows[name] += result.rows[name]
        warnings += result.warnings
    cache.flush()
    return _Chunk(_arrow_tables(rows), warnings, None, stats, rejected)


# The articles and the cache, handed to forked workers without pickling them.
_POOL_ARTICLES: list[Article] = []
_POOL_CACHE = _Cache(None)


def _pool_chunk(bounds: tuple[int, int], version: str, keep_going: bool) -> _Chunk:
    return _chunk(_POOL_ARTICLES[bounds[0]:bounds[1]], _POOL_CACHE, version, keep_going)


def _chunked(articles: list[Article], cache: _Cache, version: str, jobs: int, while_waiting, keep_going: bool):
    """The articles' chunks, in order: in ``jobs`` worker processes when there are enough articles.

    ``while_waiting()`` runs in this process while the workers work.
    """
    global _POOL_ARTICLES, _POOL_CACHE
    if jobs < 2 or not _worth_a_pool(articles, cache, version):
        yield _chunk(articles, cache, version, keep_going), len(articles)
        return
    import multiprocessing
    from functools import partial

    size = max(1, min(MAX_CHUNK, len(articles) // (jobs * 8)))
    bounds = [(start, min(start + size, len(articles))) for start in range(0, len(articles), size)]
    _POOL_ARTICLES, _POOL_CACHE = articles, cache
    try:
        # fork: workers start with the extractor imported and the articles in memory, nothing is copied;
        # it happens before this process imports pandas or pyarrow (and starts their threads).
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            work = partial(_pool_chunk, version=version, keep_going=keep_going)
            results = pool.imap(work, bounds)
            while_waiting()
            for (start, end), chunk in zip(bounds, results):
                yield chunk, end - start
    finally:
        _POOL_ARTICLES, _POOL_CACHE = [], _Cache(None)


def _worth_a_pool(articles: list[Article], cache: _Cache, version: str) -> bool:
    if len(articles) < POOL_MIN_ARTICLES:
        return False
    if len(articles) >= POOL_MIN_CACHED:
        return True
    cached = sum(cache_key(article, version) in cache.index for article in articles)
    return len(articles) - cached >= POOL_MIN_ARTICLES or cached >= POOL_MIN_CACHED


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def extract_articles(articles: list[Article], cache_dir: Path | None, jobs: int | None = None,
                     progress=None, stats: Stats | None = None,
                     keep_going: bool = False) -> tuple[dict, list[str], list[tuple[str, PipelineError]]]:
    """Stage 1 over a corpus: every article's rows (from the cache where it has them), combined, with the
    warnings and the articles set aside.

    ``cache_dir`` holds the per-article cache (None: none); ``jobs`` worker processes (default: one per
    core) are used when there are at least ``POOL_MIN_ARTICLES`` articles. ``progress(n)`` is called as
    articles are done; ``stats`` counts cache hits and extractions. Strict, the first bad article in
    file-name order stops the build, as it would without the pool or the cache; with ``keep_going`` bad
    articles are returned as (file name, error) and the rest is built.
    """
    stats = stats if stats is not None else Stats()
    articles, rejected = _unique_ids(articles, keep_going)
    version = extractor_version()
    chunks, warnings = [], []
    cache = _Cache(cache_dir)
    chunked = _chunked(articles, cache, version, jobs or default_jobs(), _prepare_tables, keep_going)
    try:
        for chunk, count in chunked:
            stats.cached += chunk.stats.cached
            stats.extracted += chunk.stats.extracted
            if chunk.error is not None:
                raise chunk.error
            chunks.append(chunk.tables)
            warnings += chunk.warnings
            rejected += chunk.rejected
            if progress:
                progress(count)
    finally:
        chunked.close()  # stops the pool at once on an error
    cache.drop_unused({cache_key(article, version) for article in articles})
    return _combine(chunks), warnings, sorted(rejected, key=lambda item: item[0])


def _prepare_tables() -> None:
    """Import pandas, pyarrow and the schemas (most of a build's start-up) while the workers extract."""
    from pipeline.tables import schema

    for name in extractor.TABLE_NAMES:
        schema(name)


def _combine(chunks: list[dict]) -> dict:
    """Chunks' Arrow tables → one DataFrame per table; an entity keeps the row of its first mention.

    Chunks come in file-name order and rows in article order, so keeping the first row of each id keeps
    the first mention in the corpus.
    """
    import pyarrow as pa

    from pipeline.tables import arrow_to_frame

    tables = {}
    for name in extractor.TABLE_NAMES:
        parts = [chunk[name] for chunk in chunks if chunk[name].num_columns]
        table = pa.concat_tables(parts, promote_options="default") if parts else None
        frame = arrow_to_frame(name, table)
        if name in extractor.ENTITIES:
            frame = frame.drop_duplicates(subset=frame.columns[0], keep="first", ignore_index=True)
        tables[name] = frame
    return tables


def _unique_ids(articles: list[Article], keep_going: bool) -> tuple[list[Article], list]:
    """Two articles whose file names slug to the same document id: the later one stops the build (strict)
    or is set aside (keep-going)."""
    seen: dict[str, str] = {}
    kept, rejected = [], []
    for article in articles:
        source_path, path, _, _ = article
        document_id = extractor.document_id(source_path)
        if document_id in seen:
            error = PipelineError(f"has the same document id '{document_id}' as {seen[document_id]}; "
                                  "rename one of them", path)
            if not keep_going:
                raise error
            rejected.append((source_path, error))
            continue
        seen[document_id] = path
        kept.append(article)
    return kept, rejected
