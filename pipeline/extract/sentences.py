"""Sentences and in-sentence enumerations (``A, B, and C``), as spans of the text."""

from __future__ import annotations

import re
from functools import lru_cache

from pipeline.document import Span

# A sentence runs from a non-space character to the first of . ! ? : followed by white space or the end
# (or to the end): r"\S.*?(?:[.!?:](?=\s|$)|$)", written so that runs of other characters are taken in
# one step instead of one character at a time (three times faster; tests/test_extract.py checks that
# both find the same sentences).
SENTENCE_SIMPLE = r"\S.*?(?:[.!?:](?=\s|$)|$)"
SENTENCE = re.compile(r"\S(?:[^.!?:\n]+|\n(?!\Z)|[.!?:](?!\s|$))*(?:[.!?:](?=\s|$)|$)", re.DOTALL)
ENUM_WORDS = ("including", "such as", "like", "e.g.")
ENUM_INTRO = re.compile(r",?\s+(?:including|such as|like|e\.g\.,?)\s+(?=\S)|:\s+(?=\S)", re.IGNORECASE)
ITEM_SEPARATOR = re.compile(r"\s*,\s*(?:(?:and|or)\s+)?|\s+(?:and|or|and/or)\s+", re.IGNORECASE)
MAX_ITEM_WORDS = 6


def sub(span: Span, begin: int, end: int) -> Span:
    """The part ``span.value[begin:end]`` with surrounding white space and final dots trimmed."""
    value = span.value[begin:end]
    stripped = value.strip().rstrip(".").rstrip()
    begin += len(value) - len(value.lstrip())
    return Span(stripped, span.line, span.start + begin, span.start + begin + len(stripped))


@lru_cache(maxsize=1024)  # every rule reads the same paragraphs' sentences
def sentences(span: Span) -> tuple[Span, ...]:
    return tuple(sub(span, m.start(), m.end()) if not m.group().endswith(":")
            else Span(m.group(), span.line, span.start + m.start(), span.start + m.end())
            for m in SENTENCE.finditer(span.value))


def enumeration(span: Span, begin: int) -> list[Span]:
    """Items of an in-sentence list starting at ``begin``: ``A, B, and C``, ``A or B``.

    The list ends with the sentence, or before the first part too long to be an item.
    """
    end = len(span.value)
    for stop in re.finditer(r"[.;:!?](?=\s|$)|[()]", span.value[begin:]):
        end = begin + stop.start()
        break
    items, cursor = [], begin
    separators = [(m.start() + begin, m.end() + begin) for m in ITEM_SEPARATOR.finditer(span.value[begin:end])]
    for sep_start, sep_end in separators + [(end, end)]:
        item = sub(span, cursor, sep_start)
        cursor = sep_end
        if not item.value:
            continue
        if len(item.value.split()) > MAX_ITEM_WORDS:
            break
        items.append(item)
    return items


def has_any(text: str, words: tuple[str, ...]) -> bool:
    for word in words:
        if word in text:
            return True
    return False


def first_enumeration(sentence: Span) -> list[Span]:
    lowered = sentence.value.lower()
    if ":" not in lowered and not has_any(lowered, ENUM_WORDS):
        return []  # what ENUM_INTRO needs is not there (a substring test is much quicker than the pattern)
    intro = ENUM_INTRO.search(sentence.value)
    return enumeration(sentence, intro.end()) if intro else []
