"""The raw folder: which of its entries are articles, which cannot be read, which are not articles."""

from __future__ import annotations

import os
from pathlib import Path

from pipeline.errors import PipelineError

# The formats the parser reads, by file extension (lower case); see pipeline.parse.
EXTENSIONS = {".txt": "txt", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}
# The raw folder's own description (where each file came from): never an article.
NOT_ARTICLES = frozenset({"readme.md", "readme.txt", "readme"})


def format_of(name: str) -> str | None:
    """The format of an article file by its extension: ``txt``, ``md`` or ``html``; None for any other file."""
    dot = name.rfind(".")
    return EXTENSIONS.get(name[dot:].lower()) if dot > 0 else None


def shown_name(path: Path) -> str:
    """A path as text that can always be printed: bytes that are not UTF-8 are shown as ``\\xNN``."""
    return os.fsencode(str(path)).decode("utf-8", "backslashreplace")


def scan_raw(raw_dir: Path) -> tuple[list[tuple[str, str]], list[tuple[str, PipelineError]], list[str]]:
    """The raw folder's articles (``*.txt``, ``*.md``, ``*.html``): (articles, problems, warnings), each sorted
    by name.

    Articles are regular files, or links to one, as (file name, path as shown). A problem is an entry
    that cannot be read as an article (a broken link, a pipe or device, a name that is not UTF-8):
    (file name, error). A folder named like an article holds none, and a file of another kind is not one:
    each is skipped with a warning. The folder's README (where each file came from) and dot files are
    skipped silently.
    """
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        raise PipelineError("is a file, not a folder of articles" if raw_dir.exists() else "no such folder",
                            shown_name(raw_dir))
    articles, problems, warnings = [], [], []
    # scandir: the entries' types come with the listing, no stat per file (glob's "*" skips dot files).
    try:
        with os.scandir(raw_dir) as listing:
            entries = sorted((entry for entry in listing if not entry.name.startswith(".")
                              and entry.name.lower() not in NOT_ARTICLES),
                             key=lambda entry: os.fsencode(entry.name))
    except OSError as error:
        raise PipelineError(f"cannot read the folder: {error.strerror}", shown_name(raw_dir)) from None
    folder = str(raw_dir)  # each path as pathlib would join it, without a Path object per article
    folder = "" if folder == "." else folder if folder.endswith(os.sep) else folder + os.sep
    shown_folder = shown_name(folder)
    for entry in entries:
        name = entry.name
        if format_of(name) is None:
            if not entry.is_dir():
                warnings.append(f"{shown_name(folder + name)}: not an article (the formats read are .txt, .md and "
                                ".html); skipped")
            continue
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
