"""Reading and writing, kept at the edges: articles in, staged tables between stages, the dataset out."""

from __future__ import annotations

import codecs
import hashlib
import json
import os
import tempfile
from contextlib import suppress
from pathlib import Path

from pipeline.errors import PipelineError
from pipeline.store import folders

DEFAULT_MAX_BYTES = 50_000_000
STAGE_MANIFEST = folders.STAGE_MANIFEST


def decode(data: bytes, path: str) -> str:
    """Article bytes → text: UTF-8 (a BOM is dropped) or UTF-16/32 with a BOM; anything else is an error."""
    for boms, codec in (((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE), "utf-32"),
                        ((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE), "utf-16")):
        if data.startswith(boms):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as error:
                raise PipelineError(f"not valid {codec.upper()}: bad bytes at byte offset {error.start}",
                                    path) from None
            nul = text.find("\0")
            if nul >= 0:
                raise PipelineError(f"binary file: NUL character at character {nul}", path,
                                    text.count("\n", 0, nul) + 1)
            return text
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    nul = data.find(b"\0")
    if nul >= 0:
        sample = data[:4096]
        hint = " (UTF-16 without a byte-order mark? save the file as UTF-8)" \
            if max(sample[0::2].count(0), sample[1::2].count(0)) * 4 > len(sample) else ""
        raise PipelineError(f"binary file: NUL byte at byte offset {nul}{hint}", path,
                            data.count(b"\n", 0, nul) + 1)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise PipelineError(f"not UTF-8: byte 0x{data[error.start]:02X} at byte offset {error.start} "
                            "(save the file as UTF-8)", path, line) from None


def read_article(path: Path | str, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[str, str]:
    """An article's decoded text and the SHA-256 of its bytes."""
    shown = str(path)
    try:
        # A descriptor, not a file object: a corpus is thousands of small files, read once each.
        descriptor = os.open(path, os.O_RDONLY)
        try:
            size = os.fstat(descriptor).st_size
            if size > max_bytes:
                raise PipelineError(f"file is {size} bytes, over the limit of {max_bytes} (raise it with "
                                    "--max-bytes)", shown)
            chunks = [os.read(descriptor, size + 1)]  # the whole file, unless it grew meanwhile
            while chunks[-1]:
                chunks.append(os.read(descriptor, 1 << 20))
        finally:
            os.close(descriptor)
    except OSError as error:
        raise PipelineError(f"cannot read: {error.strerror}", shown) from None
    data = chunks[0] if len(chunks) == 2 else b"".join(chunks)
    if not data:
        raise PipelineError("empty file (0 bytes)", shown)
    text = decode(data, shown)
    if text.isspace():
        raise PipelineError(f"empty file: {len(data)} bytes of white space only", shown)
    return text, hashlib.sha256(data).hexdigest()


def raw_texts(raw_dir: Path, documents) -> dict[str, str]:
    """document_id → decoded text, for the documents of a table, re-read from the raw folder."""
    texts = {}
    for document_id, source_path in zip(documents["document_id"], documents["source_path"]):
        texts[document_id] = read_article(Path(raw_dir) / source_path, max_bytes=1 << 62)[0]
    return texts


def write_stage(stage_dir: Path, tables: dict, notes: dict | None = None, raw_dir: Path | None = None) -> None:
    """Write a stage's tables as Parquet into a folder, replacing it whole (see
    :func:`pipeline.store.folders.publish`).

    ``notes`` (the build report so far: articles read, rejected, warnings) rides along in the stage's
    manifest so that the last stage can write it beside the tables. The manifest lists every file with its
    SHA-256, which :func:`read_stage` checks.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    def write(folder: Path) -> None:
        counts, files = {}, {}
        for name, frame in tables.items():
            sink = pa.BufferOutputStream()
            pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), sink)
            data = sink.getvalue().to_pybytes()
            _write_durably(folder / f"{name}.parquet", data)
            counts[name] = len(frame)
            files[f"{name}.parquet"] = hashlib.sha256(data).hexdigest()
        # "rows" keeps the tables' order (read_stage returns them in it), so keys are not sorted here.
        manifest = {"format": folders.STAGE_FORMAT, "rows": counts, "files": files,
                    **({"notes": notes} if notes is not None else {})}
        (folder / STAGE_MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n",
                                             encoding="utf-8")

    folders.publish(Path(stage_dir), write, "stage", raw_dir)


def _stage_manifest(stage_dir: Path) -> dict:
    try:
        manifest = json.loads((Path(stage_dir) / STAGE_MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        manifest = None
    if not isinstance(manifest, dict) or manifest.get("format") != folders.STAGE_FORMAT \
            or not isinstance(manifest.get("rows"), dict) or not isinstance(manifest.get("files"), dict):
        raise PipelineError("not a stage folder (run the stage before it first)", str(stage_dir)) from None
    return manifest


def read_stage(stage_dir: Path) -> dict:
    """A stage's tables, by name, in the order they were written; a file that is not as the stage's
    manifest recorded it (damaged, truncated, replaced) is a one-line error."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from pipeline.tables import with_declared_categories

    stage_dir = Path(stage_dir)
    manifest = _stage_manifest(stage_dir)
    tables = {}
    for name in manifest["rows"]:
        path = stage_dir / f"{name}.parquet"
        try:
            data = path.read_bytes()
        except OSError as error:
            raise PipelineError(f"cannot read staged table: {error.strerror}", str(path)) from None
        if hashlib.sha256(data).hexdigest() != manifest["files"].get(path.name):
            raise PipelineError("staged table is damaged (its SHA-256 is not the one its stage recorded); run "
                                "the stage that made it again", str(path))
        try:
            frame = pq.read_table(pa.BufferReader(data)).to_pandas()
        except (OSError, ValueError) as error:  # pyarrow's errors derive from these
            raise PipelineError(f"cannot read staged table: {str(error).splitlines()[0]}", str(path)) from None
        tables[name] = with_declared_categories(name, frame)
    return tables


def read_notes(stage_dir: Path) -> dict:
    """The notes a stage carries (see ``write_stage``); empty for a stage written without them."""
    notes = _stage_manifest(stage_dir).get("notes", {})
    return notes if isinstance(notes, dict) else {}


def write_files(out_dir: Path, files, raw_dir: Path | None = None) -> str:
    """Write a dataset's files as one atomic swap of ``out_dir`` (``files``: see :func:`write_into`); how the
    swap was made (see :func:`pipeline.store.folders.swap_in`)."""
    return folders.publish(Path(out_dir), lambda folder: write_into(folder, files), "dataset", raw_dir)


def write_into(folder: Path, files) -> None:
    """Write files into a folder, each made durable, then the folder. ``files``: name → bytes, or
    (name, bytes) pairs as they are made (names may hold ``/``). The writes and flushes release the GIL, so
    they run on two threads while the caller makes the next file."""
    from concurrent.futures import ThreadPoolExecutor

    made = {Path(".")}
    with ThreadPoolExecutor(max_workers=2) as pool:
        writes = []
        for name, data in files.items() if isinstance(files, dict) else files:
            for inner in reversed(Path(name).parents[:-1]):
                if inner not in made:  # (never ``folder`` itself: once removed, it stays so)
                    (folder / inner).mkdir(exist_ok=True)
                    made.add(inner)
            writes.append(pool.submit(_write_durably, folder / name, data))
    for write in writes:
        write.result()  # the first failure, if any
    _fsync_folder(folder)


REPORT_HEADER = "table,column,check,value,row\n"


def write_report(path: Path, problems) -> None:
    """The validation report: one CSV row per failure (table, column, check, value, row). It replaces only
    a report of ours (a file that begins with its header); any other file in its place is an error."""
    path = Path(path)
    try:
        with open(path, "rb") as existing:
            first = existing.read(len(REPORT_HEADER))
    except FileNotFoundError:
        first = None
    except IsADirectoryError:
        raise PipelineError("is a folder; give a file name for the validation report", str(path)) from None
    except OSError as error:
        raise folders.failed(error, path, "write the validation report") from None
    if first is not None and first != REPORT_HEADER.encode():
        raise PipelineError("is not a validation report of this pipeline; give another file for --report",
                            str(path))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, problems.to_csv(index=False, lineterminator="\n").encode("utf-8"))
    except OSError as error:
        raise folders.failed(error, path, "write the validation report") from None


def write_atomically(path: Path, data: bytes) -> None:
    """Write a file under a temporary name beside it, then rename it over the old one."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(temporary)
        raise


def read_json(path: Path, default):
    """A JSON file's value, or ``default`` where it is missing or unreadable (caches are disposable)."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return default


def write_json(path: Path, value) -> None:
    """Write JSON atomically: to a temporary file beside ``path``, then renamed over it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(json.dumps(value))  # (json.dump would encode in pure Python, piece by piece)
    os.replace(temporary, path)


PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def read_project(path: Path = PYPROJECT) -> dict:
    """The publishing settings: pyproject's name, version, description and licence, then ``[tool.dataset]``
    (whose ``description``, of the data, replaces the project's, of the code)."""
    import tomllib

    try:
        settings = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise PipelineError(f"cannot read the project settings: {error}", str(path)) from None
    project = settings["project"]
    return {"name": project["name"], "version": project["version"], "description": project["description"],
            "license": project["license"], **settings.get("tool", {}).get("dataset", {})}


def read_dataset(out_dir: Path) -> dict:
    """A published dataset's tables (its Parquet files) with the declared dtypes and ordered categories."""
    import pyarrow.parquet as pq

    from pipeline.tables import models, schema

    tables = {}
    for name in models():
        path = Path(out_dir) / f"{name}.parquet"
        try:
            frame = pq.read_table(path).to_pandas()
        except OSError as error:
            raise PipelineError(f"cannot read: {error}", str(path)) from None
        columns = schema(name).columns
        tables[name] = frame.astype({column: spec.dtype.type for column, spec in columns.items()})
    return tables


# --- Bad input: what is in the raw folder, read article by article -------------------------------------


def shown_name(path: Path) -> str:
    """A path as text that can always be printed: bytes that are not UTF-8 are shown as ``\\xNN``."""
    return os.fsencode(str(path)).decode("utf-8", "backslashreplace")


def scan_raw(raw_dir: Path) -> tuple[list[tuple[str, str]], list[tuple[str, PipelineError]], list[str]]:
    """The raw folder's ``*.txt`` entries: (articles, problems, warnings), each sorted by name.

    Articles are regular files, or links to one, as (file name, path as shown). A problem is an entry
    that cannot be read as an article (a broken link, a pipe or device, a name that is not UTF-8):
    (file name, error). A folder named ``*.txt`` holds no article: it is skipped with a warning.
    """
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        raise PipelineError("is a file, not a folder of articles" if raw_dir.exists() else "no such folder",
                            shown_name(raw_dir))
    articles, problems, warnings = [], [], []
    # scandir: the entries' types come with the listing, no stat per file (glob's "*" skips dot files).
    try:
        with os.scandir(raw_dir) as listing:
            entries = sorted((entry for entry in listing
                              if entry.name.endswith(".txt") and not entry.name.startswith(".")),
                             key=lambda entry: os.fsencode(entry.name))
    except OSError as error:
        raise PipelineError(f"cannot read the folder: {error.strerror}", shown_name(raw_dir)) from None
    folder = str(raw_dir)  # each path as pathlib would join it, without a Path object per article
    folder = "" if folder == "." else folder if folder.endswith(os.sep) else folder + os.sep
    shown_folder = shown_name(folder)
    for entry in entries:
        name = entry.name
        if name.isascii():  # (nearly always: nothing to check or escape)
            path, shown, shown_file = folder + name, shown_folder + name, name
        else:
            path, shown, shown_file = folder + name, shown_name(folder + name), shown_name(name)
            try:
                os.fsencode(name).decode("utf-8")
            except UnicodeDecodeError:
                problems.append((shown_file, PipelineError("file name is not UTF-8; rename the file", shown)))
                continue
        if entry.is_dir():
            warnings.append(f"{shown}: a folder, not an article; skipped")
        elif entry.is_file():
            articles.append((name, path))
        elif entry.is_symlink():
            problems.append((shown_file, PipelineError("broken symbolic link: its target does not exist", shown)))
        else:
            problems.append((shown_file, PipelineError("not a regular file (a pipe, socket or device)", shown)))
    return articles, problems, warnings


def read_corpus(raw_dir: Path, max_bytes: int = DEFAULT_MAX_BYTES, keep_going: bool = False):
    """The raw folder as (articles, rejected, warnings).

    ``articles`` are (source_path, path as shown, sha256, text) tuples sorted by file name, for the
    articles that could be read. Strict (the default), the first unreadable article raises; with
    ``keep_going`` it goes to ``rejected`` as (file name, error).
    """
    return _read_scanned(raw_dir, scan_raw(raw_dir), max_bytes, keep_going)


def read_corpus_aside(raw_dir: Path, max_bytes: int = DEFAULT_MAX_BYTES, keep_going: bool = False):
    """:func:`read_corpus`, done by a forked copy of this process while this one goes on (importing
    pandas, pyarrow and the schemas, say): returns a function that waits for the result and returns it.

    The copy writes a JSON head (its length first) and the texts it read (UTF-8, end to end) into an
    anonymous file; this process maps it and gives each article its text as an :class:`EncodedText`,
    decoded only if the article is extracted. A small folder, or a system without fork, is read here and
    now. Should the copy fail in any way of its own, the folder is read again here.
    """
    scanned = found, problems, warnings = scan_raw(raw_dir)
    if len(found) < READ_ASIDE_MIN_ARTICLES or not hasattr(os, "fork"):
        result = _read_scanned(raw_dir, scanned, max_bytes, keep_going)
        return lambda: result
    file = _anonymous_file()
    pid = os.fork()
    if not pid:  # the copy: read, write, end (nothing of the parent's runs on the way out)
        code = 1
        try:
            articles, rejected = _read_found(found, max_bytes)
            texts = [text.encode("utf-8") for _, _, _, text in articles]
            head = json.dumps({"articles": [(name, path, sha256, len(data), len(text))
                                            for (name, path, sha256, text), data in zip(articles, texts)],
                               "rejected": [(name, error.message, error.path, error.line) for name, error in rejected]})
            head = head.encode("utf-8")
            file.write(len(head).to_bytes(8, "little") + head)
            file.writelines(texts)
            file.flush()
            code = 0
        finally:
            os._exit(code)

    def result():
        import mmap

        _, status = os.waitpid(pid, 0)
        with file:
            if os.waitstatus_to_exitcode(status) != 0 or not os.fstat(file.fileno()).st_size:
                return _read_scanned(raw_dir, scanned, max_bytes, keep_going)
            # Mapped for the rest of the build: the texts are views of it, decoded only where needed.
            view = memoryview(mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ))
        head_size = int.from_bytes(view[:8], "little")
        head, articles, start = json.loads(bytes(view[8:8 + head_size])), [], 8 + head_size
        for name, path, sha256, size, length in head["articles"]:
            articles.append((name, path, sha256, EncodedText(view[start:start + size], length)))
            start += size
        rejected = [(name, PipelineError(message, path, line)) for name, message, path, line in head["rejected"]]
        return _checked(raw_dir, articles, problems + rejected, warnings, keep_going)

    return result


# Fewer articles than this are read at once: a fork and the hand-over would cost more than they save.
READ_ASIDE_MIN_ARTICLES = 200


class EncodedText:
    """An article's text kept as its UTF-8 bytes, with its length in characters: a rebuild needs most
    articles' texts only as bytes, for the span checks (see :func:`pipeline.validate.utf8_of`), and decodes
    the few it extracts again with ``str()``."""

    __slots__ = ("data", "length")

    def __init__(self, data, length: int):
        self.data, self.length = data, length

    def __str__(self) -> str:
        return str(self.data, "utf-8")

    def __len__(self) -> int:
        return self.length


def _anonymous_file():
    """A file in memory, or on disk where the system has no memfd, gone when closed."""
    if hasattr(os, "memfd_create"):
        return os.fdopen(os.memfd_create("corpus"), "w+b")
    return tempfile.TemporaryFile()


def _read_scanned(raw_dir: Path, scanned: tuple, max_bytes: int, keep_going: bool):
    """:func:`read_corpus` of a folder :func:`scan_raw` has listed (``scanned``)."""
    found, problems, warnings = scanned
    articles, rejected = _read_found(found, max_bytes)
    return _checked(raw_dir, articles, problems + rejected, warnings, keep_going)


def _read_found(found: list[tuple[str, str]], max_bytes: int) -> tuple[list, list]:
    """The articles of :func:`scan_raw` read: (articles, rejected)."""
    articles, rejected = [], []
    for name, path in found:
        try:
            text, sha256 = read_article(path, max_bytes)
        except PipelineError as error:
            rejected.append((name, error))
            continue
        articles.append((name, path, sha256, text))
    return articles, rejected


def _checked(raw_dir: Path, articles: list, rejected: list, warnings: list, keep_going: bool):
    """(articles, rejected sorted by file name, warnings); strict, the first rejected raises."""
    rejected.sort(key=lambda item: item[0])
    if rejected and not keep_going:
        raise rejected[0][1]
    if not articles and not rejected:
        raise PipelineError("no articles (*.txt) found", shown_name(raw_dir))
    return articles, rejected, warnings


def _write_durably(path: Path, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _fsync_folder(folder: Path) -> None:
    """Make a folder's entries durable, so the swap that follows never exposes missing files."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


# --- Many articles: reading a corpus without pandas, the per-article cache, the extractor's fingerprint ---

def read_articles(raw_dir: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> list[tuple[str, str, str, str]]:
    """The raw folder's articles as (source_path, path, sha256, text) tuples, sorted; strict: the first bad
    one raises."""
    return read_corpus(raw_dir, max_bytes)[0]


def files_digest(paths: list[Path]) -> str:
    """SHA-256 over the names and bytes of some files (the extractor's own source, say)."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(Path(path).name.encode() + b"\0" + Path(path).read_bytes() + b"\0")
    return digest.hexdigest()


def list_cache_files(cache_dir: Path, suffix: str) -> list[Path]:
    """The cache folder's files with this suffix, sorted; none if there is no such folder."""
    try:
        return sorted(path for path in Path(cache_dir).iterdir() if path.name.endswith(suffix))
    except OSError:
        return []


def remove_cache_file(path: Path) -> None:
    with suppress(OSError):
        Path(path).unlink()


def read_cache_entry(path: Path) -> bytes | None:
    """A cache file's bytes, or None where there is none (or it cannot be read)."""
    try:
        return Path(path).read_bytes()
    except OSError:
        return None


def map_cache_entry(path: Path) -> memoryview | None:
    """A cache file's bytes mapped into memory (read as they are used, never copied), or None where there is
    none (or it cannot be read, or it is empty). Entries are replaced by renaming a new file over them,
    never rewritten in place, so what is mapped stays as it was."""
    import mmap

    try:
        with open(path, "rb") as handle:
            return memoryview(mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ))
    except (OSError, ValueError):
        return None


def write_cache_entry(path: Path, data: bytes) -> None:
    """Write a cache file atomically: a reader sees the old file, the new one, or none, never a part.

    A cache that cannot be written (a full disk, a read-only folder) only costs speed, so it is skipped.
    """
    path = Path(path)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")  # one writer per process and entry
    try:
        try:
            handle = open(temporary, "wb")
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle = open(temporary, "wb")
        with handle:
            handle.write(data)
        os.replace(temporary, path)
    except OSError:
        with suppress(OSError):
            temporary.unlink(missing_ok=True)
