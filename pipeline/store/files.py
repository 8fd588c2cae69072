"""Writing files that must not be lost: each made durable before its folder is, reports replaced atomically
and only when they are ours."""

from __future__ import annotations

import os
import tempfile
from contextlib import suppress
from pathlib import Path

from pipeline.errors import PipelineError
from pipeline.store import folders

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


def write_durably(path: Path, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def fsync_folder(folder: Path) -> None:
    """Make a folder's entries durable, so the swap that follows never exposes missing files."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
