"""Reading and writing, kept at the edges: articles in, staged tables between stages, the dataset out."""

from __future__ import annotations

import codecs
import ctypes
import ctypes.util
import hashlib
import json
import os
import shutil
import tempfile
from contextlib import contextmanager, suppress
from pathlib import Path

from pipeline.errors import PipelineError

DEFAULT_MAX_BYTES = 50_000_000
STAGE_MANIFEST = "stage.json"
_RENAME_EXCHANGE = 2


def list_articles(raw_dir: Path) -> list[Path]:
    """The articles of a raw folder: its ``*.txt`` regular files (links followed), sorted by name."""
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        raise PipelineError("no such folder", str(raw_dir))
    return sorted((p for p in raw_dir.glob("*.txt") if p.is_file()), key=lambda p: p.name)


def decode(data: bytes, path: str) -> str:
    """Article bytes → text: UTF-8 (a BOM is dropped) or UTF-16 with a BOM; anything else is an error."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise PipelineError(f"not valid UTF-16: bad bytes at byte offset {error.start}", path) from None
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    nul = data.find(b"\0")
    if nul >= 0:
        raise PipelineError(f"binary file: NUL byte at byte offset {nul}", path, data.count(b"\n", 0, nul) + 1)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise PipelineError(f"not UTF-8: byte 0x{data[error.start]:02X} at byte offset {error.start} "
                            "(save the file as UTF-8)", path, line) from None


def read_article(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[str, str]:
    """An article's decoded text and the SHA-256 of its bytes."""
    shown = str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise PipelineError(f"file is {size} bytes, over the limit of {max_bytes} (raise it with "
                                "--max-bytes)", shown)
        data = path.read_bytes()
    except OSError as error:
        raise PipelineError(f"cannot read: {error.strerror}", shown) from None
    text = decode(data, shown)
    if not text.strip():
        raise PipelineError("empty file", shown)
    return text, hashlib.sha256(data).hexdigest()


def read_raw(raw_dir: Path, max_bytes: int = DEFAULT_MAX_BYTES):
    """The raw folder as a DataFrame: source_path (the file name), path (as shown), sha256, text."""
    import pandas as pd

    rows = []
    for path in list_articles(raw_dir):
        text, sha256 = read_article(path, max_bytes)
        rows.append((path.name, str(path), sha256, text))
    if not rows:
        raise PipelineError("no articles (*.txt) found", str(raw_dir))
    return pd.DataFrame(rows, columns=["source_path", "path", "sha256", "text"])


def raw_texts(raw_dir: Path, documents) -> dict[str, str]:
    """document_id → decoded text, for the documents of a table, re-read from the raw folder."""
    texts = {}
    for document_id, source_path in zip(documents["document_id"], documents["source_path"]):
        texts[document_id] = read_article(Path(raw_dir) / source_path, max_bytes=1 << 62)[0]
    return texts


def write_stage(stage_dir: Path, tables: dict) -> None:
    """Write a stage's tables as Parquet into a folder, replacing it whole."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    def write(folder: Path) -> None:
        counts = {}
        for name, frame in tables.items():
            pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), folder / f"{name}.parquet")
            counts[name] = len(frame)
        (folder / STAGE_MANIFEST).write_text(json.dumps({"rows": counts}, indent=2) + "\n")

    publish(Path(stage_dir), write)


def read_stage(stage_dir: Path) -> dict:
    """A stage's tables, by name, in the order they were written."""
    import pyarrow.parquet as pq

    stage_dir = Path(stage_dir)
    try:
        names = json.loads((stage_dir / STAGE_MANIFEST).read_text())["rows"]
    except (OSError, ValueError, KeyError):
        raise PipelineError("not a stage folder (run the stage before it first)", str(stage_dir)) from None
    return {name: pq.read_table(stage_dir / f"{name}.parquet").to_pandas() for name in names}


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step (Linux renameat2); False where the system cannot."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE) == 0


def publish(target: Path, write) -> None:
    """Build a folder with ``write(folder)`` beside ``target`` and swap it in whole.

    A failure or a kill at any moment leaves ``target`` wholly old or wholly new: the new folder is
    built under a temporary name and exchanged with the old one in one atomic rename.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    for leftover in target.parent.glob(f".{target.name}.*.tmp"):
        shutil.rmtree(leftover, ignore_errors=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    try:
        write(staging)
        staging.chmod(0o755)
        if target.exists() and _exchange(staging, target):
            shutil.rmtree(staging)
        else:
            if target.exists():
                shutil.rmtree(target)
            staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


@contextmanager
def locked(target: Path):
    """Hold an exclusive lock for writing ``target``; a second writer stops with a clear message."""
    import fcntl

    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    lock_path = target.parent / f".{target.name}.lock"
    with open(lock_path, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise PipelineError("another build is writing this folder; try again when it has finished",
                                str(target)) from None
        yield


def write_files(out_dir: Path, files: dict[str, bytes]) -> None:
    """Write a dataset's files (name → bytes; names may hold ``/``) as one atomic swap of ``out_dir``."""

    def write(folder: Path) -> None:
        for name, data in files.items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)

    with locked(out_dir):
        publish(Path(out_dir), write)


def write_report(path: Path, problems) -> None:
    """The validation report: one CSV row per failure (table, column, check, value, row)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(problems.to_csv(index=False, lineterminator="\n"), encoding="utf-8")


# --- Many articles: reading a corpus without pandas, the per-article cache, the extractor's fingerprint ---

def read_articles(raw_dir: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> list[tuple[str, str, str, str]]:
    """The raw folder's articles as (source_path, path, sha256, text) tuples, sorted by file name."""
    articles = []
    for path in list_articles(raw_dir):
        text, sha256 = read_article(path, max_bytes)
        articles.append((path.name, str(path), sha256, text))
    if not articles:
        raise PipelineError("no articles (*.txt) found", str(raw_dir))
    return articles


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
