"""The staged tables between the stages (``extract``, ``validate``): Parquet files and a ``stage.json`` that
lists them with their SHA-256s and carries the notes for the build report."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.errors import PipelineError
from pipeline.store import folders
from pipeline.store.files import write_durably
from pipeline.tables import with_declared_categories

STAGE_MANIFEST = folders.STAGE_MANIFEST


def write_stage(stage_dir: Path, tables: dict, notes: dict | None = None, raw_dir: Path | None = None) -> None:
    """Write a stage's tables as Parquet into a folder, replacing it whole (see
    :func:`pipeline.store.folders.publish`).

    ``notes`` (the build report so far: articles read, rejected, warnings) rides along in the stage's
    manifest so that the last stage can write it beside the tables. The manifest lists every file with its
    SHA-256, which :func:`read_stage` checks.
    """

    def write(folder: Path) -> None:
        counts, files = {}, {}
        for name, frame in tables.items():
            sink = pa.BufferOutputStream()
            pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), sink)
            data = sink.getvalue().to_pybytes()
            write_durably(folder / f"{name}.parquet", data)
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
