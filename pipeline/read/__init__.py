"""Stage 0, read: the raw folder's articles, decoded, in file-name order (see :mod:`pipeline.read.scan` and
:mod:`pipeline.read.decode`)."""

from __future__ import annotations

from pathlib import Path

from pipeline.errors import PipelineError
from pipeline.read.decode import DEFAULT_MAX_BYTES, Article, decode, read_article
from pipeline.read.scan import scan_raw, shown_name

__all__ = ["DEFAULT_MAX_BYTES", "Article", "decode", "raw_texts", "read_article", "read_corpus", "scan_raw",
           "shown_name"]


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
        raise PipelineError("no articles (*.txt) found", shown_name(raw_dir))
    return articles, rejected, warnings


def raw_texts(raw_dir: Path, documents) -> dict[str, bytes]:
    """document_id → text (as UTF-8, see :class:`Article`), for the documents of a table, re-read from the raw
    folder."""
    texts = {}
    for document_id, source_path in zip(documents["document_id"], documents["source_path"]):
        texts[document_id] = read_article(Path(raw_dir) / source_path, max_bytes=1 << 62)[0]
    return texts
