"""Stage 0, read: the raw folder's articles, decoded, in file-name order (see :mod:`pipeline.read.scan` and
:mod:`pipeline.read.decode`)."""

from __future__ import annotations

from pathlib import Path

from pipeline.errors import PipelineError
from pipeline.read.decode import DEFAULT_MAX_BYTES, Article, decode, read_article
from pipeline.read.scan import EXTENSIONS, format_of, scan_raw, shown_name

__all__ = ["DEFAULT_MAX_BYTES", "EXTENSIONS", "Article", "decode", "format_of", "read_article", "read_corpus",
           "scan_raw", "shown_name"]


def read_corpus(raw_dir: Path, max_bytes: int = DEFAULT_MAX_BYTES, keep_going: bool = False):
    """The raw folder as (articles, rejected, warnings).

    ``articles`` are :class:`Article` records sorted by file name, for the articles that could be read.
    Strict (the default), the first unreadable article raises; with ``keep_going`` it goes to
    ``rejected`` as (file name, error).
    """
    found, problems, warnings = scan_raw(raw_dir)
    articles, rejected = [], list(problems)
    for name, path in found:
        try:
            utf8, sha256 = read_article(path, max_bytes)
        except PipelineError as error:
            rejected.append((name, error))
            continue
        articles.append(Article(name, path, sha256, utf8))
    rejected.sort(key=lambda item: item[0])
    if rejected and not keep_going:
        raise rejected[0][1]
    if not articles and not rejected:
        others = [w.rsplit("/", 1)[-1].split(": ", 1)[0] for w in warnings if w.endswith("; skipped")]
        found = f"; found only {len(others)} other file(s): {', '.join(others[:5])}" + (", ..." if len(others) > 5
                                                                                       else "") if others else ""
        raise PipelineError(f"no articles (*.txt, *.md, *.html) found{found}", shown_name(raw_dir))
    return articles, rejected, warnings
