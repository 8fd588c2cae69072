"""Stage 1 over a whole corpus: a per-article cache, then a process pool for the articles not cached.

Strict (the default), the first bad article in file-name order stops the build. With ``keep_going`` a bad
article (one the parser or extractor rejects, one whose document id clashes with an earlier article's,
one whose own rows fail validation) is set aside with its reason, and the rest is built.

An article's rows depend only on its bytes, its file name and the extractor's code, so they are cached
under a key made of those: the article's SHA-256, its name (and the path its messages show), and the
extractor's version, a hash of the source files that shape the rows. Adding or editing one article of
10,000 re-extracts that article only; changing the extractor re-extracts them all.

The cache is column-wise. The articles extracted together (one chunk) are stored as one pack file
(``<hash>.pack``): their keys and warnings, and per table their rows end to end as an Arrow IPC stream,
with each article's row count. Reading 10,000 cached articles back is reading a few dozen Arrow streams
and taking their rows in article order, with no Python object per row. A pack is written whole and
renamed into place, and carries the SHA-256 of its content: a damaged pack is ignored and its articles
extracted again. A pack none of whose articles the corpus still uses is deleted after the build.

Workers extract a chunk of articles, turn its rows into Arrow columns and write its pack; this process
only gathers the packs (their Arrow tables travel as Arrow IPC buffers).
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from pipeline import extract as extractor
from pipeline import io
from pipeline.errors import PipelineError

# Worker processes cost a fork and a chunk round trip: worth it from this many articles to extract.
POOL_MIN_ARTICLES = 200
MAX_CHUNK = 1000  # with the bound of 8 chunks a worker below, 625 articles a chunk for 10,000
PACK_FORMAT = b"corpus-pack-2\n"
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


@dataclass
class _Pack:
    """Articles extracted together: their keys and warnings, and per table their rows end to end (Arrow)
    with the number of rows each article has there."""

    keys: list[str]
    warnings: list[list[str]]
    tables: dict  # table name → pyarrow.Table
    counts: dict[str, list[int]]
    typed: dict = field(default_factory=dict)  # the tables with the schema's names and types, once made

    @classmethod
    def of(cls, keys: list[str], articles: list[extractor.Article]) -> "_Pack":
        """The pack of these articles: columns ``c0, c1, ...`` with types inferred from the values (workers
        do not load the schemas; :meth:`_Cache.tables` gives the columns their names and types)."""
        import pyarrow as pa

        tables, counts = {}, {}
        for name in extractor.TABLE_NAMES:
            rows: list[tuple] = []
            for article in articles:
                rows += article.rows[name]
            tables[name] = pa.table({f"c{index}": _arrow_array(column) for index, column in enumerate(zip(*rows))})
            counts[name] = [len(article.rows[name]) for article in articles]
        return cls(list(keys), [list(article.warnings) for article in articles], tables, counts)

    def to_bytes(self) -> bytes:
        """``PACK_FORMAT``, the SHA-256 of the rest, the head's length (8 bytes), the head, the tables' streams."""
        import pyarrow as pa

        streams, places, offset = [], {}, 0
        for name in extractor.TABLE_NAMES:
            sink = pa.BufferOutputStream()
            with pa.ipc.new_stream(sink, self.tables[name].schema) as writer:
                writer.write_table(self.tables[name])
            data = sink.getvalue()
            streams.append(data)
            places[name] = (offset, data.size)
            offset += data.size
        head = pickle.dumps({"keys": self.keys, "warnings": self.warnings, "counts": self.counts,
                             "places": places}, protocol=pickle.HIGHEST_PROTOCOL)
        body = b"".join([len(head).to_bytes(8, "little"), head, *(memoryview(s) for s in streams)])
        return PACK_FORMAT + hashlib.sha256(body).digest() + body

    @classmethod
    def from_bytes(cls, data: bytes | memoryview | None) -> "_Pack | None":
        """The pack in ``data``, or None for a missing, truncated, damaged or foreign file. Its tables are
        read from ``data`` itself, not copied."""
        start = len(PACK_FORMAT) + 32
        if data is None or len(data) < start + 8 or data[:len(PACK_FORMAT)] != PACK_FORMAT:
            return None
        body = memoryview(data)[start:]
        if hashlib.sha256(body).digest() != data[len(PACK_FORMAT):start]:
            return None
        try:
            import pyarrow as pa

            size = int.from_bytes(body[:8], "little")
            head = pickle.loads(body[8:8 + size])
            buffer = pa.py_buffer(body[8 + size:])
            tables = {}
            for name in extractor.TABLE_NAMES:
                offset, length = head["places"][name]
                tables[name] = pa.ipc.open_stream(buffer.slice(offset, length)).read_all()
            pack = cls(head["keys"], head["warnings"], tables, head["counts"])
        except Exception:  # noqa: BLE001 - a pack we cannot read is extracted again
            return None
        if not all(sum(pack.counts[name]) == pack.tables[name].num_rows and len(pack.counts[name]) == len(pack.keys)
                   for name in extractor.TABLE_NAMES) or len(pack.warnings) != len(pack.keys):
            return None
        return pack


def _arrow_array(column: tuple):
    """A column of the extractor's values, texts or integers (None: missing), as an Arrow array built from
    its buffers.

    ``pa.array`` would do it, but it imports pandas (a third of a second in every worker) to ask whether
    the list is a pandas object. A column of anything else is left to ``pa.array``.
    """
    import numpy as np
    import pyarrow as pa

    size = len(column)
    present = [value for value in column if value is not None] if None in column else column
    if not present:
        return pa.nulls(size)
    nulls = size - len(present)
    validity = None
    if nulls:
        validity = pa.py_buffer(np.packbits(np.fromiter((value is not None for value in column), dtype=bool,
                                                        count=size), bitorder="little"))
    if type(present[0]) is str:
        try:
            joined = "".join(present)  # a TypeError if a value is not a text
        except TypeError:
            return pa.array(column)
        data = joined.encode("utf-8")
        if len(data) >= 2**31:
            return pa.array(column)
        widths = map(len, present) if joined.isascii() else (len(value.encode("utf-8")) for value in present)
        lengths = np.fromiter(widths, dtype=np.int32, count=len(present))
        if nulls:
            spread = np.zeros(size, dtype=np.int32)
            spread[[index for index, value in enumerate(column) if value is not None]] = lengths
            lengths = spread
        offsets = np.concatenate([np.zeros(1, dtype=np.int32), np.cumsum(lengths, dtype=np.int32)])
        return pa.Array.from_buffers(pa.string(), size, [validity, pa.py_buffer(offsets), pa.py_buffer(data)],
                                     null_count=nulls)
    if type(present[0]) is int and all(type(value) is int for value in present):
        values = np.fromiter((0 if value is None else value for value in column) if nulls else column,
                             dtype=np.int64, count=size)
        return pa.Array.from_buffers(pa.int64(), size, [validity, pa.py_buffer(values)], null_count=nulls)
    return pa.array(column)


class _Cache:
    """The packs of a cache folder (or none), and those made during this build."""

    def __init__(self, folder: Path | None):
        self.folder = folder
        self.packs: list[_Pack] = []
        self.paths: list[Path | None] = []
        self.index: dict[str, tuple[int, int]] = {}  # key → (pack, entry)
        self.damaged: list[Path] = []
        for path in io.list_cache_files(folder, PACK_SUFFIX) if folder is not None else []:
            pack = _Pack.from_bytes(io.map_cache_entry(path))
            if pack is not None:
                self.add(pack, path)
            else:
                self.damaged.append(path)

    def add(self, pack: _Pack, path: Path | None) -> int:
        """Use a pack (read from ``path``, or made in this build and written there if there is a cache
        folder) and return its number; an article in two packs is taken from the first."""
        number = len(self.packs)
        self.packs.append(pack)
        self.paths.append(path)
        for entry, key in enumerate(pack.keys):
            self.index.setdefault(key, (number, entry))
        return number

    def drop_unused(self, keys: set[str]) -> None:
        """Delete the packs that hold none of ``keys`` (old versions of articles, old extractors), and the
        damaged ones that were not written again whole."""
        used = {self.index[key][0] for key in keys if key in self.index}
        kept = {path for number, path in enumerate(self.paths) if number in used}
        for number, path in enumerate(self.paths):
            if path is not None and number not in used and path not in kept:
                io.remove_cache_file(path)
        for path in self.damaged:
            if path not in kept:
                io.remove_cache_file(path)

    def tables(self, keys: list[str]) -> dict:
        """The rows of these cached articles, in this order, per table as one Arrow table of the schema's
        column names and types (see :func:`pipeline.tables.row_schema`)."""
        import pyarrow as pa

        from pipeline.tables import row_schema

        places = [self.index[key] for key in keys]
        # Runs of articles that lie one after another in one pack: one slice each, nothing copied.
        runs: list[list[int]] = []  # [pack, first entry, entries]
        for number, entry in places:
            if runs and runs[-1][0] == number and runs[-1][1] + runs[-1][2] == entry:
                runs[-1][2] += 1
            else:
                runs.append([number, entry, 1])
        out = {}
        for name in extractor.TABLE_NAMES:
            slices = []
            for number, entry, count in runs:
                pack = self.packs[number]
                counts = pack.counts[name]
                first, rows = sum(counts[:entry]), sum(counts[entry:entry + count])
                if rows:
                    slices.append(self.typed(number, name).slice(first, rows))
            out[name] = pa.concat_tables(slices) if slices else row_schema(name).empty_table()
        return out

    def typed(self, number: int, name: str):
        """A pack's table with the schema's column names and types (made once per pack and table)."""
        from pipeline.tables import row_schema

        pack = self.packs[number]
        if name not in pack.typed:
            table = pack.tables[name]  # a table without rows has no columns either
            pack.typed[name] = (table.rename_columns(row_schema(name).names).cast(row_schema(name))
                                if table.num_rows else row_schema(name).empty_table())
        return pack.typed[name]

    def warnings(self, keys: list[str]) -> list[str]:
        return [warning for key in keys for warning in self.packs[self.index[key][0]].warnings[self.index[key][1]]]


def _article_rows(article: Article, keep_going: bool = False) -> extractor.Article | PipelineError:
    """One article's rows, extracted; or the error it stops with."""
    source_path, path, sha256, text = article
    text = str(text)  # (an io.EncodedText from a rebuild's reading is decoded here, when it is extracted)
    try:
        result = extractor.extract_text(text, path, sha256, source_path)
        if keep_going:
            _check_alone(result, text, path)
    except PipelineError as error:
        return error
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


def article_tables(article: extractor.Article) -> dict:
    """One article's rows as the stage's DataFrames, by the same path as a whole corpus's."""
    cache = _Cache(None)
    cache.add(_Pack.of(["article"], [article]), None)
    return _combine(cache.tables(["article"]))


def _write_pack(pack: _Pack, folder: Path | None) -> Path | None:
    """Write a pack into the cache folder (if any) under the hash of its bytes; where it went."""
    if folder is None or not pack.keys:
        return None
    data = pack.to_bytes()
    path = Path(folder) / (hashlib.sha256(data).hexdigest()[:32] + PACK_SUFFIX)
    io.write_cache_entry(path, data)
    return path


@dataclass
class _Chunk:
    """What a run of articles gives: a pack of the good ones (and where it was written), and the bad ones
    as (position in the run, error); strict, the run stops at its first error."""

    size: int
    pack: _Pack
    path: Path | None
    errors: list[tuple[int, PipelineError]]


def _extract_chunk(articles: list[Article], keys: list[str], folder: Path | None, keep_going: bool) -> _Chunk:
    # The rows are tuples of strings and numbers, no cycles: the cyclic garbage collector would only
    # walk the growing heap again and again.
    collecting = gc.isenabled()
    gc.disable()
    try:
        done, done_keys, errors = [], [], []
        for position, (article, key) in enumerate(zip(articles, keys)):
            result = _article_rows(article, keep_going)
            if isinstance(result, PipelineError):
                errors.append((position, result))
                if not keep_going:
                    break
            else:
                done.append(result)
                done_keys.append(key)
        pack = _Pack.of(done_keys, done)
    finally:
        if collecting:
            gc.enable()
    return _Chunk(len(articles), pack, _write_pack(pack, folder), errors)


# The articles to extract and their keys, handed to forked workers without pickling them.
_POOL_WORK: tuple[list[Article], list[str]] = ([], [])


def _pool_chunk(bounds: tuple[int, int], folder: Path | None, keep_going: bool) -> _Chunk:
    articles, keys = _POOL_WORK
    return _extract_chunk(articles[bounds[0]:bounds[1]], keys[bounds[0]:bounds[1]], folder, keep_going)


def _chunked(articles: list[Article], keys: list[str], folder: Path | None, jobs: int, while_waiting,
             keep_going: bool):
    """(start, chunk) for runs of the articles, in order: in ``jobs`` worker processes when there are
    enough of them. ``while_waiting()`` runs in this process while the workers work."""
    global _POOL_WORK
    if jobs < 2 or len(articles) < POOL_MIN_ARTICLES:
        if articles:
            yield 0, _extract_chunk(articles, keys, folder, keep_going)
        return
    import multiprocessing
    from functools import partial

    size = max(1, min(MAX_CHUNK, len(articles) // (jobs * 8)))
    bounds = [(start, min(start + size, len(articles))) for start in range(0, len(articles), size)]
    _POOL_WORK = (articles, keys)
    try:
        # fork: workers start with the extractor imported and the articles in memory, nothing is copied
        # (the pages of pandas and pyarrow, imported by then in a build, are shared and never touched).
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            chunks = pool.imap(partial(_pool_chunk, folder=folder, keep_going=keep_going), bounds)
            while_waiting()
            for (start, _), chunk in zip(bounds, chunks):
                yield start, chunk
    finally:
        _POOL_WORK = ([], [])


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def extract_articles(articles: list[Article], cache_dir: Path | None, jobs: int | None = None,
                     progress=None, stats: Stats | None = None, keep_going: bool = False,
                     on_extracted=None) -> tuple[dict, list[str], list[tuple[str, PipelineError]]]:
    """Stage 1 over a corpus: every article's rows (from the cache where it has them), combined, with the
    warnings and the articles set aside.

    ``cache_dir`` holds the per-article cache (None: none); ``jobs`` worker processes (default: one per
    core) are used when there are at least ``POOL_MIN_ARTICLES`` articles to extract. ``progress(n)`` is
    called as articles are done; ``stats`` counts cache hits and extractions. Strict, the first bad
    article in file-name order stops the build, as it would without the pool or the cache; with
    ``keep_going`` bad articles are returned as (file name, error) and the rest is built.
    ``on_extracted(tables)`` is given the rows of each chunk of newly extracted articles (Arrow tables
    with the schemas' column names) as it arrives: with a pool, it runs while the workers go on.
    """
    stats = stats if stats is not None else Stats()
    articles, rejected = _unique_ids(articles, keep_going)
    version = extractor_version()
    keys = [cache_key(article, version) for article in articles]
    cache = _Cache(cache_dir)
    todo = [index for index, key in enumerate(keys) if key not in cache.index]
    stats.cached += len(articles) - len(todo)
    if progress and len(articles) > len(todo):
        progress(len(articles) - len(todo))
    chunked = _chunked([articles[index] for index in todo], [keys[index] for index in todo], cache_dir,
                       jobs or default_jobs(), prepare_tables, keep_going)
    try:
        for start, chunk in chunked:
            for position, error in chunk.errors:
                if not keep_going:
                    raise error
                rejected.append((articles[todo[start + position]][0], error))
            stats.extracted += chunk.size
            number = cache.add(chunk.pack, chunk.path)
            if on_extracted and chunk.pack.keys:
                on_extracted({name: cache.typed(number, name) for name in extractor.TABLE_NAMES})
            if progress:
                progress(chunk.size)
    finally:
        chunked.close()  # stops the pool at once on an error
    kept = [key for key in keys if key in cache.index]
    cache.drop_unused(set(kept))
    return _combine(cache.tables(kept)), cache.warnings(kept), sorted(rejected, key=lambda item: item[0])


def prepare_tables() -> None:
    """Import pandas, pyarrow and the schemas and make the tables' schemas (most of a build's start-up),
    so that it can be done while something else is (the workers extract, the articles are read)."""
    from pipeline.tables import schema

    for name in extractor.TABLE_NAMES:
        schema(name)


def _combine(arrow_tables: dict) -> dict:
    """Each table's rows (Arrow, in article order) → a DataFrame; an entity keeps the row of its first
    mention. Articles come in file-name order, so that is the first mention in the corpus."""
    from pipeline.tables import arrow_to_frame

    import pyarrow.compute as pc

    tables = {}
    for name in extractor.TABLE_NAMES:
        table = arrow_tables[name]
        if name in extractor.ENTITIES:
            # Each id's first row: the distinct ids come in order of first appearance, and index_in gives
            # the position of each one's first appearance.
            ids = table.column(0).combine_chunks()
            table = table.take(pc.index_in(pc.unique(ids), value_set=ids))
        tables[name] = arrow_to_frame(name, table)
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
