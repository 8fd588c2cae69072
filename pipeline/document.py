"""The document model: an article as a tree of sections holding blocks, each block, item and cell with its exact
place in the article's text.

Every parser (:mod:`pipeline.parse`: text, Markdown, HTML) makes this model; the rules (:mod:`pipeline.extract`)
read it. It knows nothing of medicine. ``text`` is the text every span indexes: for a ``.txt`` article the
decoded file itself, for ``.md`` and ``.html`` the rendition the parser makes of it (one line per heading,
paragraph, list item and table row, blank lines between blocks); ``source_line`` is where an element starts in
the source file, where the parser knows it.
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

    PARAGRAPH = "paragraph"
    LABELLED = "labelled"  # ``Label: text`` (or a term and its description)
    LIST = "list"
    TABLE = "table"
    QUESTION = "question"  # a question of a questions-and-answers block, with its answer


@dataclass(frozen=True, slots=True)
class Item:
    """A list item: its text (without the bullet or number), its number in a numbered list, the blocks nested in
    it (sub-lists), and, for a ``Label: text`` item, its label and text."""

    span: Span
    number: int | None = None
    children: tuple[Block, ...] = ()
    label: Span | None = None
    body: Span | None = None
    source_line: int | None = None


@dataclass(frozen=True, slots=True)
class Block:
    """One unit of layout inside a section. ``span`` is the block's whole text.

    - a paragraph: its text; ``emphasis`` when the whole paragraph is bold;
    - a labelled paragraph: ``label`` and ``body``;
    - a list: ``items`` (in number order for a numbered list), ``ordered``;
    - a table: ``rows`` of cells, the first ``header_rows`` of them the header;
    - a question: ``span`` the question, ``answer`` the blocks of its answer.
    """

    kind: Kind
    span: Span
    source_line: int | None = None
    emphasis: bool = False
    label: Span | None = None
    body: Span | None = None
    items: tuple[Item, ...] = ()
    ordered: bool = False
    rows: tuple[tuple[Span, ...], ...] = ()
    header_rows: int = 0
    answer: tuple[Block, ...] = ()


@dataclass(slots=True)
class Section:
    """A heading, the blocks under it up to its first sub-heading, and its sub-sections. The root section's
    heading is the title (level 1). ``path`` holds the headings from the one below the title down to this one."""

    heading: Span
    level: int
    blocks: list[Block] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)
    path: tuple[Span, ...] = ()
    qa: bool = False  # a block of questions and answers
    source_line: int | None = None
    group: bool = False  # headed by a line that groups what follows (``Cancer:``, a bold-only paragraph)

    def walk(self):
        """This section and every section below it, in the article's order."""
        yield self
        for child in self.children:
            yield from child.walk()


class Furniture(NamedTuple):
    """A piece of page furniture the parser set aside: its kind (``breadcrumb``, ``byline``, ``date``,
    ``share``, ``image``, ``toc``, ``promo``, ``related``, ``repeat``) and its text."""

    kind: str
    text: str
    line: int | None = None


@dataclass(slots=True)
class Meta:
    """What the page states about itself in machine-readable form (HTML: JSON-LD and ``<meta>``; Markdown:
    front matter)."""

    title: str | None = None
    publisher: str | None = None
    author: str | None = None
    date_published: str | None = None
    date_modified: str | None = None
    url: str | None = None


@dataclass(slots=True)
class Document:
    text: str
    path: str
    format: str  # txt, md or html
    root: Section
    disclaimer: Span | None = None
    furniture: list[Furniture] = field(default_factory=list)
    meta: Meta = field(default_factory=Meta)
    subjects: tuple[Span, ...] = ()  # the approaches the title names, in its order
    n_lines: int = 1

    @property
    def title(self) -> Span:
        return self.root.heading

    def sections(self):
        """Every section, the root (the title's) first, in the article's order."""
        return self.root.walk()
