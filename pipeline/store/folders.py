"""The folders the pipeline writes (the dataset, the staged tables): claimed only when they are its own,
built beside the target, swapped in whole, and locked while they are written.

A build may write into a folder that is missing, empty, or one this pipeline made before, recognised by
its marker: the dataset's ``MANIFEST`` (a format line, then every file with its SHA-256 and size) or a
stage's ``stage.json`` (a format and every file). A folder holding anything else is refused, and so are
the raw folder, any folder inside it or holding it, and the project folder the command runs in: nothing
the pipeline did not make is ever deleted or replaced.

The new content is written into a staging folder beside the target (``.NAME.<random>.tmp``, marked as
ours by a file written first), then swapped in with one atomic exchange (``renameat2``). Where the file
system cannot exchange, the old folder is renamed aside, the new one renamed in, and the old one removed
only then; a build killed between those two renames is repaired by the next one, which puts the old
folder back before it starts. Leftover staging folders of killed builds are removed only when they carry
the marker.

The lock is a POSIX record lock on ``.NAME.lock`` beside the target: it belongs to the process that took
it, so forked workers never hold it, and the system releases it the moment that process dies, however it
dies.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import hashlib
import json
import os
import re
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from pipeline.errors import PipelineError
from pipeline.manifest import MANIFEST, MANIFEST_MARK

STAGE_MANIFEST = "stage.json"
STAGE_FORMAT = "therapy-comparison-dataset stage 1"
STAGING_MARK = ".made-by-therapy-comparison-dataset"
_MANIFEST_LINE = re.compile(r"(?P<sha256>[0-9a-f]{64})  (?P<size>\d+)  (?P<name>.+)")
_RENAME_EXCHANGE = 2
_HELD_LOCKS: dict[str, int] = {}  # lock file path → its descriptor, in this process


def _shown(path: Path) -> str:
    return os.fsencode(str(path)).decode("utf-8", "backslashreplace")


def failed(error: OSError, path: Path, doing: str) -> PipelineError:
    """An OS error on a path as the one line the user sees."""
    reason = error.strerror or str(error)
    if error.errno == errno.ENOSPC:
        reason = "no space left on the device"
    elif error.errno == errno.EROFS:
        reason = "the file system is read-only"
    return PipelineError(f"cannot {doing}: {reason}", _shown(Path(error.filename or path)))


# --- Whose folder is it --------------------------------------------------------------------------------------


def _listed_in_manifest(folder: Path) -> set[str] | None:
    """The paths the dataset's MANIFEST lists (itself included), or None where it is no MANIFEST of ours.

    Datasets made before the format line was added are recognised by their lines alone."""
    try:
        text = (folder / MANIFEST).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    lines = text.splitlines()
    if lines and lines[0] + "\n" == MANIFEST_MARK:
        lines = lines[1:]
    elif not lines:
        return None
    names = set()
    for line in lines:
        found = _MANIFEST_LINE.fullmatch(line)
        if not found:
            return None
        names.add(found["name"])
    return names | {MANIFEST}


def dataset_digest(folder: Path) -> str | None:
    """The SHA-256 of the dataset's MANIFEST when the folder holds exactly the files it lists, each with the size
    and SHA-256 it gives (the dataset as it was written); otherwise None."""
    try:
        data = (folder / MANIFEST).read_bytes()
        lines = data.decode("utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    if not lines or lines[0] + "\n" != MANIFEST_MARK:
        return None
    listed = [_MANIFEST_LINE.fullmatch(line) for line in lines[1:]]
    if not all(listed) or sorted([found["name"] for found in listed] + [MANIFEST]) != sorted(_files_under(folder)):
        return None
    for found in listed:
        try:
            with open(folder / found["name"], "rb") as handle:
                if os.fstat(handle.fileno()).st_size != int(found["size"]) or hashlib.file_digest(
                        handle, "sha256").hexdigest() != found["sha256"]:
                    return None
        except OSError:
            return None
    return hashlib.sha256(data).hexdigest()


def _listed_in_stage(folder: Path) -> set[str] | None:
    """The files a stage folder's ``stage.json`` lists (itself included), or None where it is not ours."""
    try:
        manifest = json.loads((folder / STAGE_MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict):
        return None
    if manifest.get("format") == STAGE_FORMAT and isinstance(manifest.get("files"), dict):
        names = set(manifest["files"])
    elif isinstance(manifest.get("rows"), dict):  # a stage written before the format was added
        names = {f"{name}.parquet" for name in manifest["rows"]}
    else:
        return None
    return names | {STAGE_MANIFEST}


def _files_under(folder: Path) -> list[str]:
    """Every entry under a folder that is not a folder itself, as paths relative to it, sorted."""
    found = []
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        base = Path(root).relative_to(folder)
        found += [(base / name).as_posix() for name in sorted(files)]
        found += [(base / name).as_posix() for name in dirs if os.path.islink(os.path.join(root, name))]
    return found


def _project_root(start: Path) -> Path | None:
    """The project folder a command runs in: the nearest folder at or above ``start`` with a
    ``pyproject.toml`` or a ``.git``."""
    for folder in (start, *start.parents):
        if (folder / "pyproject.toml").exists() or (folder / ".git").exists():
            return folder
    return None


def _inside(inner: Path, outer: Path) -> bool:
    return inner == outer or outer in inner.parents


def claim(target: Path, kind: str, raw_dir: Path | None = None) -> None:
    """Refuse, with one line, a ``target`` that this build may not replace: ``kind`` is ``dataset`` (the
    output of ``build`` and ``export``) or ``stage`` (the staged tables of ``extract`` and ``validate``).

    Also puts back the old folder of a build killed in the middle of a rename swap."""
    target = Path(target)
    shown = _shown(target)
    _recover_aside(target)
    if target.is_symlink():
        raise PipelineError("is a symbolic link; give the folder itself (or a new one) as the output", shown)
    if target.exists() and not target.is_dir():
        raise PipelineError("is a file, not a folder; give a folder for the output", shown)
    resolved = target.resolve()
    if raw_dir is not None:
        raw = Path(raw_dir).resolve()
        if _inside(raw, resolved):
            raise PipelineError(f"holds the raw folder {_shown(Path(raw_dir))}; give another output folder", shown)
        if _inside(resolved, raw):
            raise PipelineError(f"is inside the raw folder {_shown(Path(raw_dir))}, which the pipeline never "
                                "writes; give another output folder", shown)
    root = _project_root(Path.cwd().resolve())
    if root is not None and resolved == root:
        raise PipelineError("is the project folder itself; give a folder inside it (such as output)", shown)
    if not target.exists():
        return
    try:
        entries = _files_under(target)
    except OSError as error:
        raise failed(error, target, "read the output folder") from None
    if not entries:
        return
    listed = _listed_in_manifest(target) if kind == "dataset" else _listed_in_stage(target)
    if listed is None:
        what = "a dataset" if kind == "dataset" else "staged tables"
        mark = MANIFEST if kind == "dataset" else STAGE_MANIFEST
        raise PipelineError(f"holds files this pipeline did not make ({_some(entries)}) and no {mark} of {what}; "
                            "give a new or empty folder, or move them away", shown)
    unknown = [entry for entry in entries if entry not in listed]
    if unknown:
        raise PipelineError(f"holds files this pipeline did not make ({_some(unknown)}); move them away, or "
                            "give another folder", shown)


def check_cache(cache_dir: Path | None, out_dirs: tuple[Path, ...], raw_dir: Path | None) -> None:
    """Refuse a cache folder inside the raw folder (which is never written) or inside an output folder (whose
    content is replaced whole)."""
    if cache_dir is None:
        return
    cache = Path(cache_dir).resolve()
    if raw_dir is not None and _inside(cache, Path(raw_dir).resolve()):
        raise PipelineError(f"is inside the raw folder {_shown(Path(raw_dir))}, which the pipeline never writes; "
                            "give another cache folder", _shown(Path(cache_dir)))
    for out_dir in out_dirs:
        if _inside(cache, Path(out_dir).resolve()):
            raise PipelineError(f"is inside the output folder {_shown(Path(out_dir))}, which each build replaces; "
                                "give another cache folder", _shown(Path(cache_dir)))


def _some(names: list[str]) -> str:
    shown = ", ".join(f"'{name}'" for name in names[:3])
    return shown + (f" and {len(names) - 3} more" if len(names) > 3 else "")


# --- Building beside and swapping in -------------------------------------------------------------------------


def _ours(folder: Path) -> bool:
    return (folder / STAGING_MARK).is_file()


def new_staging(target: Path) -> Path:
    """An empty folder beside ``target`` to build its new content in, marked as ours (leftovers of killed
    builds that carry the mark are removed first; nothing else is touched)."""
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        for leftover in target.parent.glob(f".{target.name}.*.tmp"):
            if leftover.is_dir() and not leftover.is_symlink() and _ours(leftover):
                shutil.rmtree(leftover, ignore_errors=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
        (staging / STAGING_MARK).touch()
    except OSError as error:
        raise failed(error, target.parent, "make a folder beside the output") from None
    return staging


def discard(staging: Path) -> None:
    """Remove a staging folder (ours: it carries the mark)."""
    if _ours(staging):
        shutil.rmtree(staging, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step (Linux ``renameat2``); False where the system cannot."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE) == 0


def can_exchange(target: Path) -> bool:
    """Whether the file system under ``target`` exchanges two folders atomically (tried on two empty folders
    of ours beside it)."""
    first = new_staging(target)
    try:
        second = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    except OSError:
        discard(first)
        return False
    (second / STAGING_MARK).touch()
    try:
        return _exchange(first, second)
    finally:
        discard(first)
        discard(second)


def _aside_name(target: Path) -> Path:
    return target.parent / f".{target.name}.old.tmp"


def _recover_aside(target: Path) -> None:
    """A build killed between renaming the old folder aside and the new one in: put the old one back."""
    aside = _aside_name(target)
    if not target.exists() and not target.is_symlink() and aside.is_dir() and _ours(aside):
        try:
            (aside / STAGING_MARK).unlink()
            aside.rename(target)
        except OSError as error:
            raise failed(error, target, "restore the output a killed build left aside") from None


def swap_in(staging: Path, target: Path) -> str:
    """Put the finished folder ``staging`` in the place of ``target``; ``staging`` is gone afterwards.

    Returns how: ``exchange`` (one atomic step), ``rename`` (no old folder) or ``rename aside`` (the file
    system cannot exchange: old renamed aside, new renamed in, old removed). The target is never left
    missing or mixed."""
    target = Path(target)
    try:
        (staging / STAGING_MARK).unlink()
        staging.chmod(0o755)
        if not target.exists():
            staging.rename(target)
            return "rename"
        if _exchange(staging, target):
            (staging / STAGING_MARK).touch()  # it now holds the old content, ours to remove
            discard(staging)
            return "exchange"
        aside = _aside_name(target)
        target.rename(aside)
        (aside / STAGING_MARK).touch()
        try:
            staging.rename(target)
        except OSError:
            (aside / STAGING_MARK).unlink()
            aside.rename(target)
            raise
        discard(aside)
        return "rename aside"
    except OSError as error:
        if staging.is_dir():
            (staging / STAGING_MARK).touch()
            discard(staging)
        raise failed(error, target, "put the new output in place") from None


@contextmanager
def owned(target: Path, kind: str, raw_dir: Path | None = None):
    """Within: ``target`` is claimed (see :func:`claim`) and locked (see :func:`locked`). A target refused
    is refused before anything is written, the lock file included."""
    claim(target, kind, raw_dir)
    with locked(target):
        claim(target, kind, raw_dir)  # again: another process may have written it meanwhile
        yield


def replace(target: Path, write) -> str:
    """Build a folder with ``write(folder)`` beside ``target`` and swap it in whole (see :func:`swap_in`); the
    caller owns ``target`` (see :func:`owned`). A failure or a kill at any moment leaves it as it was."""
    staging = new_staging(target)
    try:
        write(staging)
    except OSError as error:
        discard(staging)
        raise failed(error, target, "write the output") from None
    except BaseException:
        discard(staging)
        raise
    return swap_in(staging, target)


def publish(target: Path, write, kind: str, raw_dir: Path | None = None) -> str:
    """:func:`replace`, owning ``target`` for the time it takes."""
    with owned(target, kind, raw_dir):
        return replace(target, write)


# --- The lock ------------------------------------------------------------------------------------------------


@contextmanager
def locked(target: Path):
    """Hold an exclusive lock for writing ``target``; a second writer stops with a clear message.

    Stopping, not waiting: a build takes seconds, and a second build queued behind the first would only
    replace its result; the user re-runs it knowingly. Re-entrant within one process. The lock is a POSIX
    record lock (``lockf``): forked children never hold it, and it ends with the process that took it."""
    target = Path(os.path.abspath(target))  # ("." names the folder it stands for)
    lock_path = target.parent / f".{target.name}.lock"
    key = str(lock_path)
    if key in _HELD_LOCKS:  # this process holds it already (a whole build around its writes)
        yield
        return
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as error:
        raise failed(error, lock_path, "lock the output folder") from None
    try:
        try:
            fcntl.lockf(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            if error.errno in (errno.EACCES, errno.EAGAIN):
                raise PipelineError("another build is writing this folder; try again when it has finished",
                                    _shown(target)) from None
            raise failed(error, lock_path, "lock the output folder") from None
        _HELD_LOCKS[key] = descriptor
        try:
            yield
        finally:
            _HELD_LOCKS.pop(key, None)
    finally:
        os.close(descriptor)  # (releases the lock)
