"""The dataset's ``MANIFEST``: a format line, then every file with its SHA-256 and size. It is what makes a
folder recognisably a dataset of this pipeline (see :mod:`pipeline.store.folders`), and the last file a build
writes (see :mod:`pipeline.publish`)."""

from __future__ import annotations

MANIFEST = "MANIFEST"
MANIFEST_MARK = ("# MANIFEST of a dataset made by the therapy-comparison-dataset pipeline (format 1): "
                 "sha256  bytes  path\n")


def manifest_bytes(facts: dict[str, tuple[int, str]]) -> bytes:
    """The format line, then ``sha256  size  path`` per file, sorted by path, from each file's (size, SHA-256)."""
    lines = "".join(f"{digest}  {size}  {name}\n" for name, (size, digest) in sorted(facts.items()))
    return (MANIFEST_MARK + lines).encode()
