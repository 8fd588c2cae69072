"""The provenance spans: every row's text is exactly ``text[char_start:char_end]`` of its article, on its line.

The values stay in Arrow: their UTF-8 bytes are compared with the article's, all at once, with no Python
string per row."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from pipeline.tables import metadata, text_array

# Spans are checked for this many bytes of article text at a time: each span's bytes are gathered
# into index arrays (8 bytes a byte of text compared), so a batch bounds the memory that takes.
SPAN_BATCH_BYTES = 4_000_000


class _SpanCheck:
    """The rows of one provenance span (a text column, its start and end, its line) of one table.

    The values stay in Arrow: their UTF-8 bytes are compared with the article's, no Python string each.
    """

    def __init__(self, name: str, spec: tuple, frame, doc_index):


        text_column, start_column, end_column, line_column = spec
        self.name, self.spec = name, spec
        present = frame[text_column].notna().to_numpy()
        self.rows = frame.index[present]
        self.doc_ids = frame["document_id"][present]
        self.doc = pc.index_in(text_array(self.doc_ids), value_set=doc_index).to_numpy(zero_copy_only=False)
        self.doc = np.nan_to_num(self.doc, nan=-1).astype(np.int64)  # -1: no such article
        self.values = values = text_array(frame[text_column][present], large=True)
        _, offsets, data = values.buffers()
        self.value_offsets = np.frombuffer(offsets, dtype=np.int64)[values.offset:values.offset + len(values) + 1]
        self.value_bytes = np.frombuffer(data, dtype=np.uint8) if data is not None else np.empty(0, np.uint8)

        def numbers(column):
            numbers = pd.to_numeric(frame[column][present])
            return numbers.fillna(-1).to_numpy(dtype=np.int64), numbers.isna().to_numpy()

        (self.start, no_start), (self.end, no_end) = numbers(start_column), numbers(end_column)
        self.broken = no_start | no_end
        self.lines = pd.to_numeric(frame[line_column][present]).to_numpy(dtype=np.float64) if line_column else None
        self.span_ok = np.zeros(len(values), dtype=bool)
        self.actual_line = np.zeros(len(values), dtype=np.int64)

    def problems(self) -> list[tuple]:
        """One problem for each row that fails: no such article, else the span, else the line."""
        text_column, start_column, end_column, line_column = self.spec
        no_text = self.doc < 0
        wrong_span = ~no_text & ~self.span_ok
        wrong_line = ~no_text & self.span_ok & (self.lines != self.actual_line) if self.lines is not None else None
        failing = no_text | wrong_span | (wrong_line if wrong_line is not None else False)
        problems = []
        for index in np.flatnonzero(failing):
            row = str(self.rows[index])
            if no_text[index]:
                problems.append((self.name, "document_id", "article_text_available",
                                 str(self.doc_ids.iloc[index]), row))
            elif wrong_span[index]:
                problems.append((self.name, text_column, f"span({start_column},{end_column})",
                                 self.values[int(index)].as_py(), row))
            else:
                shown = self.lines[index]
                problems.append((self.name, line_column, f"line_of({start_column})",
                                 str(int(shown)) if shown == shown else "", row))
        return problems


def line_ends(utf8: np.ndarray) -> np.ndarray:
    """Where the lines of UTF-8 text end, as the offset of each line end's last byte: LF (and so CRLF, once), a
    CR not followed by LF, NEL (C2 85), LINE and PARAGRAPH SEPARATOR (E2 80 A8/A9), as pipeline.lines counts
    them. (No byte of a longer character is LF or CR.)"""
    lf = utf8 == 0x0A
    cr = utf8 == 0x0D
    cr[:-1] &= ~lf[1:]
    ends = lf | cr
    if len(utf8) >= 2:
        ends[1:] |= (utf8[1:] == 0x85) & (utf8[:-1] == 0xC2)
    if len(utf8) >= 3:
        ends[2:] |= ((utf8[2:] == 0xA8) | (utf8[2:] == 0xA9)) & (utf8[1:-1] == 0x80) & (utf8[:-2] == 0xE2)
    return np.flatnonzero(ends)


class _Batch:
    """Some articles' texts end to end, as UTF-8 bytes: where each article starts, how many characters it
    has, where the characters of more than one byte are (to turn character offsets into byte offsets),
    where the lines end."""

    def __init__(self, texts: list[bytes]):
        self.utf8 = np.frombuffer(b"".join(texts), dtype=np.uint8)
        sizes = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
        byte_starts = np.concatenate([[0], np.cumsum(sizes)])
        # A character starts at every byte that is not a continuation byte (0b10xxxxxx).
        starts = np.concatenate([[0], np.cumsum((self.utf8 & 0xC0) != 0x80)])
        self.lengths = starts[byte_starts[1:]] - starts[byte_starts[:-1]]  # of the texts, in characters
        self.base = np.concatenate([[0], np.cumsum(self.lengths)])
        self.newlines = line_ends(self.utf8)
        leads = np.flatnonzero(self.utf8 >= 0xC0)  # the first byte of each character of 2, 3 or 4 bytes
        width = self.utf8[leads]
        extra = 1 + (width >= 0xE0).astype(np.int64) + (width >= 0xF0)
        self.extra = np.cumsum(extra)  # extra bytes up to and including each such character
        self.wide = leads - (self.extra - extra)  # the characters' own offsets

    def bytes_at(self, chars):
        """The byte offsets of these character offsets."""
        if not len(self.wide):
            return chars  # ASCII: a character is a byte
        before = np.searchsorted(self.wide, chars, side="left")
        return chars + np.where(before > 0, self.extra[np.maximum(before - 1, 0)], 0)


def check_spans(checks: list[_SpanCheck], texts: list[bytes]) -> None:
    """Fill each check's ``span_ok`` (the article's text from start to end is the value) and ``actual_line``
    (the line the start is on), a batch of articles at a time (``texts``: as UTF-8, in article order)."""
    sizes = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    batch_of = np.cumsum(sizes) // SPAN_BATCH_BYTES
    bounds = [0, *(np.flatnonzero(np.diff(batch_of)) + 1).tolist(), len(texts)]
    rows = []  # per check: its rows in article order, and their articles in that order
    for check in checks:
        order = np.argsort(check.doc, kind="stable")
        rows.append((check, order, check.doc[order]))
    for first, stop in zip(bounds[:-1], bounds[1:]):
        batch = _Batch(texts[first:stop])
        for check, order, sorted_doc in rows:
            chosen = order[np.searchsorted(sorted_doc, first):np.searchsorted(sorted_doc, stop)]
            if len(chosen):
                _check_batch(check, chosen, batch, first)


def _check_batch(check: _SpanCheck, chosen, batch: _Batch, first: int) -> None:

    doc = check.doc[chosen] - first
    start, end = check.start[chosen], check.end[chosen]
    fits = ~check.broken[chosen] & (start >= 0) & (start <= end) & (end <= batch.lengths[doc])
    text_start = batch.bytes_at(batch.base[doc] + np.where(fits, start, 0))
    text_end = batch.bytes_at(batch.base[doc] + np.where(fits, end, 0))
    value_start, value_end = check.value_offsets[chosen], check.value_offsets[chosen + 1]
    size = value_end - value_start
    same = fits & (text_end - text_start == size)
    where = np.flatnonzero(same & (size > 0))
    if len(where):
        # Byte k of each value against byte k of its span in the text, all values at once.
        size = size[where]
        first_byte = np.concatenate([[0], np.cumsum(size)[:-1]])
        step = np.arange(int(size.sum()), dtype=np.int64)
        text_at = np.repeat(text_start[where] - first_byte, size) + step
        value_at = np.repeat(value_start[where] - first_byte, size) + step
        differs = np.add.reduceat((batch.utf8[text_at] != check.value_bytes[value_at]).astype(np.int64),
                                  first_byte) > 0
        same[where[differs]] = False
    check.span_ok[chosen] = same
    if check.lines is not None:
        # An offset past the end is on the last line, as bisecting the line starts would say.
        at = batch.bytes_at(batch.base[doc] + np.clip(start, 0, batch.lengths[doc]))
        article = batch.bytes_at(batch.base[doc])
        check.actual_line[chosen] = (np.searchsorted(batch.newlines, at, side="left")
                                     - np.searchsorted(batch.newlines, article, side="left") + 1)


def span_checks(tables: dict, names, doc_index) -> dict[str, list[_SpanCheck]]:

    checks = {}
    for name in names:
        frame = tables.get(name)
        if frame is None:
            continue
        checks[name] = [_SpanCheck(name, spec, frame, doc_index) for spec in metadata(name).get("spans", [])
                        if {spec[0], spec[1], spec[2], "document_id"} <= set(frame.columns)
                        and (spec[3] is None or spec[3] in frame.columns)]
    return checks
