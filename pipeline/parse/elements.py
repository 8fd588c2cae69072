"""What the format readers hand to the structure builder: the article's visible elements in order, each with its
span in the text the document model will hold, before the title, the furniture, the heading levels and the
questions and answers are worked out (:mod:`pipeline.parse.structure`). For Markdown and HTML the readers also
make that text (:class:`Rendition`): one line per heading, paragraph, list item and table row, blank lines
between blocks."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from pipeline.document import Block, Item, Kind, Span
from pipeline.labels import labelled
from pipeline.lines import SPACE


class Tag:
    """What an element is: a heading, or one of the document model's block kinds (the values of
    :class:`pipeline.document.Kind`), which the structure builder turns it into."""

    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LABELLED = "labelled"
    LIST = "list"
    TABLE = "table"
    QUESTION = "question"  # a question whose answer the markup gives (an HTML <details>)


@dataclass(slots=True)
class Element:
    """One visible element of the article, in order.

    ``level`` is a heading's level where the markup gives it (None: to be inferred from the layout);
    ``grouping`` marks a line that groups what follows (``Cancer:``, a bold-only paragraph), which sits one level
    below the heading before it; ``group`` numbers the lines that stand together (a text's lines without a blank
    line between them, an HTML element's container); ``hint`` is the furniture the markup itself declares.
    """

    kind: str
    span: Span
    source_line: int | None = None
    level: int | None = None
    grouping: bool = False
    emphasis: bool = False
    label: Span | None = None
    body: Span | None = None
    items: tuple[Item, ...] = ()
    ordered: bool = False
    rows: tuple[tuple[Span, ...], ...] = ()
    header_rows: int = 0
    answer: list[Element] = field(default_factory=list)
    group: int | None = None
    hint: str | None = None
    links_only: bool = False


class InlineRun:
    """The visible text of an inline run (a paragraph's, an item's, a cell's) as it is gathered, and what it is
    made of: characters of plain text, of bold and of links. Each reader walks its own markup into it."""

    def __init__(self):
        self.parts: list[str] = []
        self.plain = 0  # characters of text outside bold and links
        self.bold = 0
        self.linked = 0

    def add(self, text: str | None, bold: bool, link: bool) -> None:
        if not text:
            return
        self.parts.append(text)
        visible = len(text.strip(SPACE))
        if link:
            self.linked += visible
        elif bold:
            self.bold += visible
        else:
            self.plain += visible

    @property
    def emphasis(self) -> bool:
        """All bold: a line that groups what follows, or a question in bold."""
        return self.bold > 0 and self.plain == 0 and self.linked == 0

    @property
    def links_only(self) -> bool:
        """(Nearly) all links: a line of a box of links."""
        return self.linked > 0 and self.plain + self.bold <= 3


class Rendition:
    """The text of a Markdown or HTML article as the pipeline writes it, built element by element: each
    ``add_*`` writes a block and returns the spans of its parts."""

    def __init__(self):
        self.parts: list[str] = []
        self.starts: list[int] = []  # where each part starts, for joining a few parts again
        self.length = 0
        self.line = 1

    def _put(self, text: str) -> None:
        """Write text that is no span of its own (a separator, a bullet)."""
        self.parts.append(text)
        self.starts.append(self.length)
        self.length += len(text)
        if "\n" in text:
            self.line += text.count("\n")

    def _write(self, text: str) -> Span:
        span = Span(text, self.line, self.length, self.length + len(text))
        self._put(text)
        return span

    def _block(self) -> None:
        if self.parts:
            self._put("\n\n")

    def line_of(self, text: str) -> Span:
        """A block of one line (a heading, a paragraph; a paragraph may hold line breaks)."""
        self._block()
        return self._write(text)

    def lines_of(self, lines: list[tuple[str, str]]) -> list[Span]:
        """A block of lines, each written after its prefix (a list's bullets and indentation, say): the spans
        of the lines' texts, without their prefixes."""
        self._block()
        spans = []
        for index, (prefix, text) in enumerate(lines):
            if index:
                self._put("\n")
            if prefix:
                self._put(prefix)
            spans.append(self._write(text))
        return spans

    def rows_of(self, rows: list[list[str]]) -> list[list[Span]]:
        """A table's block: a line a row, its cells joined by `` | ``; the spans of the cells."""
        self._block()
        spans = []
        for index, row in enumerate(rows):
            if index:
                self._put("\n")
            cells = []
            for number, cell in enumerate(row):
                if number:
                    self._put(" | ")
                cells.append(self._write(cell))
            spans.append(cells)
        return spans

    def joined(self, first: Span, last: Span) -> Span:
        """The span from the start of ``first`` to the end of ``last`` (both written already)."""
        begin = bisect.bisect_right(self.starts, first.start) - 1
        end = bisect.bisect_left(self.starts, last.end)
        text = "".join(self.parts[begin:end])
        offset = self.starts[begin]
        return Span(text[first.start - offset:last.end - offset], first.line, first.start, last.end)

    def text(self) -> str:
        return "".join(self.parts) + ("\n" if self.parts else "")


def nested_items(spans: list[Span], depths: list[int], numbers: list[int | None], lines: list[int | None],
                 out: Rendition) -> tuple[Item, ...]:
    """A list's items, nested, from its lines as the rendition holds them (each with its depth, its number in a
    numbered list, its source line): the deeper lines that follow an item are its sub-list."""

    def build(start: int, depth: int) -> tuple[list[Item], int]:
        items, index = [], start
        while index < len(spans) and depths[index] >= depth:
            if depths[index] > depth:
                index += 1
                continue
            children, after = build(index + 1, depth + 1)
            nested = ()
            if children:
                nested = (Block(Kind.LIST, out.joined(spans[index + 1], spans[after - 1]), lines[index + 1],
                                items=tuple(children), ordered=numbers[index + 1] is not None),)
            pair = labelled(spans[index])
            items.append(Item(spans[index], numbers[index], nested, label=pair[0] if pair else None,
                              body=pair[1] if pair else None, source_line=lines[index]))
            index = after
        return items, index

    return tuple(build(0, 0)[0])
