"""Ids: slugs of names, the same name in two articles giving the same id."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

EXTENSIONS = ("txt", "md", "markdown", "html", "htm")


@lru_cache(maxsize=1 << 16)  # names repeat within an article and across a corpus
def slug(name: str) -> str:
    """The id of a name: ASCII, lower case, words joined by ``-``.

    A name with no ASCII letters or digits gets ``x-`` and a hash of the name, so ids stay valid and stable.
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    value = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return value or "x-" + hashlib.sha256(name.encode()).hexdigest()[:12]


def document_id(source_path: str) -> str:
    """An article's id: the slug of its file name without its extension (``.txt``, ``.md``, ``.html``)."""
    name = source_path.rsplit("/", 1)[-1]
    stem, dot, extension = name.rpartition(".")
    return slug(stem if dot and stem and extension.lower() in EXTENSIONS else name)


def split_of(doc_id: str) -> str:
    """A document's machine-learning split, from a hash of its id alone (80/10/10): adding articles moves none."""
    bucket = int(hashlib.sha256(doc_id.encode()).hexdigest()[:8], 16) % 10
    return "train" if bucket < 8 else "validation" if bucket == 8 else "test"
