"""The raw folder: which of its entries are articles, which cannot be read, which are not articles."""

from __future__ import annotations

import os
from pathlib import Path

from pipeline.errors import PipelineError


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
