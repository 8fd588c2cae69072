"""The document model: an article as sections of blocks, each with its exact place in the text.

Every parser (:mod:`pipeline.parse`) makes this model; the rules (:mod:`pipeline.extract`) read it. It knows
nothing of medicine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import NamedTuple


class Span(NamedTuple):
    """A piece of the text: ``text[start:end] == value``; ``line`` is 1-based. (Immutable and hashable; a
    named tuple is made in half the time of a frozen dataclass, and an article makes hundreds.)"""

    value: str
    line: int
    start: int
    end: int


class Kind(Enum):
    """What a block is."""

    HEADING = "heading"  # a line ending in ``?``
    SUBHEADING = "subheading"  # a short title-case line, or a short line ending in ``:``
    QA_HEADING = "qa_heading"  # the heading of the questions and answers
    PARAGRAPH = "paragraph"
    LABELLED = "labelled"  # ``Label: text``
    BULLETS = "bullets"
    NUMBERED = "numbered"
    QUESTION = "question"  # a question line inside the questions and answers


LISTS = (Kind.BULLETS, Kind.NUMBERED)
PROSE = (Kind.PARAGRAPH, Kind.LABELLED)


@dataclass(frozen=True, slots=True)
class Block:
    """One unit of layout. ``span`` is the block's text; for a subheading it is the name without its colon.
    Lists carry ``items`` (in number order for numbered lists) and ``positions``; a labelled paragraph its
    ``label`` and ``body``."""

    kind: Kind
    span: Span
    items: tuple[Span, ...] = ()
    positions: tuple[int, ...] = ()
    label: Span | None = None
    body: Span | None = None


@dataclass(slots=True)
class Section:
    """A heading and the blocks up to the next heading (the intro has no heading)."""

    heading: Block | None
    blocks: list[Block] = field(default_factory=list)


@dataclass(slots=True)
class Document:
    text: str
    path: str
    title: Span
    disclaimer: Span | None
    sections: list[Section]
    n_lines: int
