"""The caches: disposable, checked, never trusted blindly.

- Article packs (``<hash>.pack``): the rows of the articles extracted together, as one file: a format line,
  the SHA-256 of the rest, a JSON head (each article's key, warnings and row counts; where each table's
  stream lies) and, per table, the rows end to end as an Arrow IPC stream with named columns. Reading
  10,000 cached articles back is reading a few dozen Arrow streams, with no Python object per row.
- The term memo (``terms-<key>.json``): a format line, the SHA-256 of the JSON below it, the JSON.
- The ontology index: bytes that carry their own format line and SHA-256 (:mod:`pipeline.terms.index`).
- Build records (``build-<output folder>.json``, laid out as the memo): the key of the last build that wrote
  an output folder (its articles, code and settings) and the digest of the MANIFEST it wrote, so that a
  build with nothing changed finds the output as it would make it and leaves it as it is.

Every file is read whole (never mapped: a file changed by someone else while in use cannot bring the
process down) and checked; a missing, truncated, damaged, foreign or wrongly shaped file is ignored and
made again: damage costs time, never a traceback and never different data. Nothing here is read with
pickle. Every file is written under a temporary name and renamed into place. A cache folder that cannot
be written costs speed only: the first failure gives one warning and the build goes on without writing.
Files are only ever removed when they are recognised as this pipeline's.
"""

from __future__ import annotations

import hashlib
import json
import os
from contextlib import suppress
from pathlib import Path

import numpy as np
import pyarrow as pa

from pipeline.tables import ARTICLE_TABLES, row_schema

PACK_FORMAT = b"therapy-comparison-dataset pack 4\n"
# Packs of earlier versions: never read, removed as ours.
OLD_PACK_FORMATS = (b"corpus-pack-2\n", b"therapy-comparison-dataset pack 3\n")
PACK_SUFFIX = ".pack"
MEMO_FORMAT = b"therapy-comparison-dataset term memo 2\n"
MEMO_PREFIX = "terms-"
RECORD_FORMAT = b"therapy-comparison-dataset build record 1\n"
RECORD_PREFIX = "build-"


class Writer:
    """Writes cache files into a folder (None: nowhere); the first failure is noted in ``warnings`` and
    turns writing off for the rest of the build."""

    def __init__(self, folder: Path | None):
        self.folder = folder
        self.warnings: list[str] = []

    def write(self, name: str, data: bytes) -> Path | None:
        if self.folder is None:
            return None
        path = Path(self.folder) / name
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")  # one writer per process and file
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(temporary, "wb") as handle:
                handle.write(data)
            os.replace(temporary, path)
        except OSError as error:
            with suppress(OSError):
                temporary.unlink()
            self.warnings.append(f"{self.folder}: cannot write the cache ({error.strerror or error}); building "
                                 "without it")
            self.folder = None
            return None
        return path


def read_file(path: Path) -> bytes | None:
    """A cache file's bytes, or None where there is none (or it cannot be read)."""
    try:
        return Path(path).read_bytes()
    except OSError:
        return None


def _files(folder: Path | None, suffix: str = "", prefix: str = "") -> list[Path]:
    if folder is None:
        return []
    try:
        return sorted(path for path in Path(folder).iterdir()
                      if path.name.endswith(suffix) and path.name.startswith(prefix) and path.is_file())
    except OSError:
        return []


def _starts_with(path: Path, mark: bytes) -> bool:
    try:
        with open(path, "rb") as handle:
            return handle.read(len(mark)) == mark
    except OSError:
        return False


def remove_ours(paths, *marks: bytes) -> None:
    """Remove those of ``paths`` that begin with one of ``marks`` (files of ours); anything else is left
    alone."""
    for path in paths:
        if any(_starts_with(path, mark) for mark in marks):
            with suppress(OSError):
                Path(path).unlink()


# --- Article packs --------------------------------------------------------------------------------------------


class Pack:
    """Articles extracted together: their keys and warnings, and per table their rows end to end (Arrow,
    columns named as the schema's) with the number of rows each article has there."""

    def __init__(self, keys: list[str], warnings: list[list[str]], tables: dict, counts: dict[str, list[int]],
                 profiles: list[dict] | None = None):
        self.keys, self.warnings, self.tables, self.counts = keys, warnings, tables, counts
        self.profiles = profiles if profiles is not None else [{} for _ in keys]
        self._typed: dict = {}

    @classmethod
    def of(cls, keys: list[str], articles: list) -> "Pack":
        """The pack of these articles (each with ``rows``, table → named rows, and ``warnings``)."""
        tables, counts = {}, {}
        for name in ARTICLE_TABLES:
            rows: list = []
            for article in articles:
                rows += article.rows[name]
            # The rows' columns, by the names the records carry.
            tables[name] = pa.table({column: arrow_array(values) for column, values
                                     in zip(rows[0]._fields, zip(*rows))} if rows else {})
            counts[name] = [len(article.rows[name]) for article in articles]
        return cls(list(keys), [list(article.warnings) for article in articles], tables, counts,
                   [dict(article.profile) for article in articles])

    def to_bytes(self) -> bytes:
        """The format line, the SHA-256 of the rest, the head's length (8 bytes), the head, the streams."""
        streams, places, offset = [], {}, 0
        for name in ARTICLE_TABLES:
            sink = pa.BufferOutputStream()
            with pa.ipc.new_stream(sink, self.tables[name].schema) as writer:
                writer.write_table(self.tables[name])
            data = sink.getvalue()
            streams.append(data)
            places[name] = [offset, data.size]
            offset += data.size
        head = json.dumps({"keys": self.keys, "warnings": self.warnings, "counts": self.counts, "places": places,
                           "profiles": self.profiles},
                          ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        body = b"".join([len(head).to_bytes(8, "little"), head, *(memoryview(s) for s in streams)])
        return PACK_FORMAT + hashlib.sha256(body).digest() + body

    @classmethod
    def from_bytes(cls, data: bytes | None) -> "Pack | None":
        """The pack in ``data``, or None for a missing, truncated, damaged, foreign or ill-shaped file."""
        start = len(PACK_FORMAT) + 32
        if data is None or len(data) < start + 8 or not data.startswith(PACK_FORMAT):
            return None
        body = memoryview(data)[start:]
        if hashlib.sha256(body).digest() != data[len(PACK_FORMAT):start]:
            return None
        try:
            size = int.from_bytes(body[:8], "little")
            head = json.loads(bytes(body[8:8 + size]))
            buffer = pa.py_buffer(body[8 + size:])
            tables = {}
            for name in ARTICLE_TABLES:
                offset, length = head["places"][name]
                tables[name] = pa.ipc.open_stream(buffer.slice(offset, length)).read_all()
            pack = cls(head["keys"], head["warnings"], tables, head["counts"], head["profiles"])
        except Exception:  # noqa: BLE001 - a pack we cannot read is extracted again
            return None
        if not (isinstance(pack.keys, list) and isinstance(pack.warnings, list)
                and len(pack.warnings) == len(pack.keys) and isinstance(pack.profiles, list)
                and len(pack.profiles) == len(pack.keys) and all(isinstance(p, dict) for p in pack.profiles)
                and all(len(pack.counts[name]) == len(pack.keys)
                        and sum(pack.counts[name]) == pack.tables[name].num_rows for name in ARTICLE_TABLES)):
            return None
        return pack

    def typed(self, name: str) -> pa.Table:
        """A table with the schema's column types (made once per pack and table); a table without rows has
        no columns in the pack either."""
        if name not in self._typed:
            table = self.tables[name]
            wanted = row_schema(name)
            self._typed[name] = table.select(wanted.names).cast(wanted) if table.num_rows else wanted.empty_table()
        return self._typed[name]


def arrow_array(column: tuple):
    """A column of the extractor's values, texts or integers (None: missing), as an Arrow array built from
    its buffers.

    ``pa.array`` would do it, but it imports pandas (a third of a second in a worker that has not) to ask
    whether the list is a pandas object. A column of anything else is left to ``pa.array``.
    """
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


class Packs:
    """The packs of a cache folder (or none), and those made during this build."""

    def __init__(self, folder: Path | None):
        self.folder = folder
        self.packs: list[Pack] = []
        self.paths: list[Path | None] = []
        self.index: dict[str, tuple[int, int]] = {}  # key → (pack, entry)
        self.damaged: list[Path] = []
        for path in _files(folder, PACK_SUFFIX):
            pack = Pack.from_bytes(read_file(path))
            if pack is not None:
                self.add(pack, path)
            else:
                self.damaged.append(path)

    def add(self, pack: Pack, path: Path | None) -> int:
        """Use a pack (read from ``path``, or made in this build and written there) and return its number;
        an article in two packs is taken from the first."""
        number = len(self.packs)
        self.packs.append(pack)
        self.paths.append(path)
        for entry, key in enumerate(pack.keys):
            self.index.setdefault(key, (number, entry))
        return number

    def drop_unused(self, keys: set[str]) -> None:
        """Delete the packs that hold none of ``keys`` (old versions of articles, old code), and the damaged
        ones that were not written again whole; only files of ours are touched."""
        used = {self.index[key][0] for key in keys if key in self.index}
        kept = {path for number, path in enumerate(self.paths) if number in used}
        stale = [path for number, path in enumerate(self.paths)
                 if path is not None and number not in used and path not in kept]
        remove_ours(stale + [path for path in self.damaged if path not in kept], PACK_FORMAT, *OLD_PACK_FORMATS)

    def tables(self, keys: list[str]) -> dict:
        """The rows of these cached articles, in this order, per table as one Arrow table of the schema's
        column names and types (see :func:`pipeline.tables.row_schema`)."""
        places = [self.index[key] for key in keys]
        # Runs of articles that lie one after another in one pack: one slice each, nothing copied.
        runs: list[list[int]] = []  # [pack, first entry, entries]
        for number, entry in places:
            if runs and runs[-1][0] == number and runs[-1][1] + runs[-1][2] == entry:
                runs[-1][2] += 1
            else:
                runs.append([number, entry, 1])
        out = {}
        for name in ARTICLE_TABLES:
            slices = []
            for number, entry, count in runs:
                pack = self.packs[number]
                counts = pack.counts[name]
                first, rows = sum(counts[:entry]), sum(counts[entry:entry + count])
                if rows:
                    slices.append(pack.typed(name).slice(first, rows))
            out[name] = pa.concat_tables(slices) if slices else row_schema(name).empty_table()
        return out

    def profiles(self, keys: list[str]) -> list[dict]:
        """Each article's profile (format, sections, blocks and furniture by kind) with its rows per table."""
        found = []
        for key in keys:
            number, position = self.index[key]
            pack = self.packs[number]
            profile = dict(pack.profiles[position])
            profile["rows"] = {name: pack.counts[name][position] for name in ARTICLE_TABLES}
            found.append(profile)
        return found

    def warnings(self, keys: list[str]) -> list[str]:
        return [warning for key in keys for warning in self.packs[self.index[key][0]].warnings[self.index[key][1]]]


def write_pack(pack: Pack, writer: Writer) -> Path | None:
    """Write a pack into the cache (if any) under the hash of its bytes; where it went."""
    if writer.folder is None or not pack.keys:
        return None
    data = pack.to_bytes()
    return writer.write(hashlib.sha256(data).hexdigest()[:32] + PACK_SUFFIX, data)


# --- The term memo and the ontology index ---------------------------------------------------------------------


def read_memo(path: Path | None, mark: bytes = MEMO_FORMAT):
    """The memo (or, with ``mark``, the record) kept at ``path`` (plain JSON data), or None where it is missing
    or not exactly as written."""
    data = read_file(path) if path is not None else None
    start = len(mark) + 65
    if data is None or not data.startswith(mark) or len(data) < start:
        return None
    body = data[start:]
    if data[len(mark):start] != hashlib.sha256(body).hexdigest().encode() + b"\n":
        return None
    try:
        return json.loads(body)
    except ValueError:
        return None


def memo_bytes(memo, mark: bytes = MEMO_FORMAT) -> bytes:
    body = json.dumps(memo, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return mark + hashlib.sha256(body).hexdigest().encode() + b"\n" + body


def record_path(cache_dir: Path, out_dir: Path) -> Path:
    """Where the build record of an output folder is kept: named after the folder's absolute path."""
    where = hashlib.sha256(os.fsencode(Path(out_dir).absolute())).hexdigest()[:24]
    return Path(cache_dir) / f"{RECORD_PREFIX}{where}.json"


def read_record(cache_dir: Path | None, out_dir: Path) -> dict | None:
    """The record of the last build into ``out_dir`` (``key``, ``manifest``, ``shown``), or None: none kept,
    damaged, or of another shape."""
    record = read_memo(record_path(cache_dir, out_dir), RECORD_FORMAT) if cache_dir is not None else None
    if not isinstance(record, dict) or not isinstance(record.get("key"), str) or not isinstance(
            record.get("manifest"), str) or not isinstance(record.get("shown"), list) or not all(
            isinstance(line, str) for line in record["shown"]):
        return None
    return record


def write_record(writer: Writer, out_dir: Path, key: str, manifest: str, shown: list[str]) -> None:
    if writer.folder is not None:
        writer.write(record_path(writer.folder, out_dir).name,
                     memo_bytes({"key": key, "manifest": manifest, "shown": shown}, RECORD_FORMAT))


def prune(folder: Path | None, prefix: str, kept: str, mark: bytes) -> None:
    """Remove the files of ours named ``prefix*`` in ``folder`` but ``kept`` (memos or indexes of an older
    key)."""
    remove_ours([path for path in _files(folder, prefix=prefix) if path.name != kept], mark)
