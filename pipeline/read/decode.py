"""An article's bytes → its text: UTF-8 (a BOM dropped) or UTF-16/32 with a BOM; anything else is a
one-line error that names the file and the line or byte offset."""

from __future__ import annotations

import codecs
import hashlib
import os
from pathlib import Path
from typing import NamedTuple

from pipeline.errors import PipelineError

DEFAULT_MAX_BYTES = 50_000_000


class Article(NamedTuple):
    """An article read: its file name in the raw folder, its path as messages show it, the SHA-256 of its
    bytes, and its text, decoded and checked, kept as UTF-8 (a BOM dropped): a Python string holding a
    single curly quote takes two bytes a character, and a build keeps every text to check the spans."""

    source_path: str
    path: str
    sha256: str
    utf8: bytes

    @property
    def text(self) -> str:
        return self.utf8.decode("utf-8")


def decode(data: bytes, path: str) -> str:
    """Article bytes → text: UTF-8 (a BOM is dropped) or UTF-16/32 with a BOM; anything else is an error.
    (:func:`read_article` keeps the text as UTF-8.)"""
    for boms, codec in (((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE), "utf-32"),
                        ((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE), "utf-16")):
        if data.startswith(boms):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as error:
                raise PipelineError(f"not valid {codec.upper()}: bad bytes at byte offset {error.start}",
                                    path) from None
            nul = text.find("\0")
            if nul >= 0:
                raise PipelineError(f"binary file: NUL character at character {nul}", path,
                                    text.count("\n", 0, nul) + 1)
            return text
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    nul = data.find(b"\0")
    if nul >= 0:
        sample = data[:4096]
        hint = " (UTF-16 without a byte-order mark? save the file as UTF-8)" \
            if max(sample[0::2].count(0), sample[1::2].count(0)) * 4 > len(sample) else ""
        raise PipelineError(f"binary file: NUL byte at byte offset {nul}{hint}", path,
                            data.count(b"\n", 0, nul) + 1)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise PipelineError(f"not UTF-8: byte 0x{data[error.start]:02X} at byte offset {error.start} "
                            "(save the file as UTF-8)", path, line) from None


def read_article(path: Path | str, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[bytes, str]:
    """An article's text, decoded and checked, as UTF-8 bytes (see :class:`Article`), and the SHA-256 of the
    file's bytes."""
    shown = str(path)
    try:
        # A descriptor, not a file object: a corpus is thousands of small files, read once each.
        descriptor = os.open(path, os.O_RDONLY)
        try:
            size = os.fstat(descriptor).st_size
            if size > max_bytes:
                raise PipelineError(f"file is {size} bytes, over the limit of {max_bytes} (raise it with "
                                    "--max-bytes)", shown)
            chunks = [os.read(descriptor, size + 1)]  # the whole file, unless it grew meanwhile
            while chunks[-1]:
                chunks.append(os.read(descriptor, 1 << 20))
        finally:
            os.close(descriptor)
    except OSError as error:
        raise PipelineError(f"cannot read: {error.strerror}", shown) from None
    data = chunks[0] if len(chunks) == 2 else b"".join(chunks)
    if not data:
        raise PipelineError("empty file (0 bytes)", shown)
    text = decode(data, shown)
    if text.isspace():
        raise PipelineError(f"empty file: {len(data)} bytes of white space only", shown)
    if data.startswith(codecs.BOM_UTF8):
        utf8 = data[len(codecs.BOM_UTF8):]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        utf8 = text.encode("utf-8")
    else:
        utf8 = data
    return utf8, hashlib.sha256(data).hexdigest()
