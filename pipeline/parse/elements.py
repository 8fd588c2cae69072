"""What the format readers hand to the structure builder: the article's visible elements in order, each with its
span in the text the document model will hold, before the title, the furniture, the heading levels and the
questions and answers are worked out (:mod:`pipeline.parse.structure`). For Markdown and HTML the readers also
make that text (:class:`Rendition`): one line per heading, paragraph, list item and table row, blank lines
between blocks."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from pipeline.document import Item, Span

HEADING = "heading"
PARAGRAPH = "paragraph"
LABELLED = "labelled"
LIST = "list"
TABLE = "table"
QUESTION = "question"  # a question whose answer the markup gives (an HTML <details>)
# White space a reader trims: Python's, and the zero-width characters that copied text carries.
SPACE = " \t\n\r\x0b\x0c\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a" \
        "\u2028\u2029\u202f\u205f\u3000\u200b\u200c\u200d\u2060\ufeff"
LABEL = re.compile(r"([A-Z](?:[^:.!?\n]|\.(?=\d)){0,80}?)\s*:[ \t\u00a0]+(?=\S)")  # ("Rare (0.01% to 0.1%): A")
MAX_LABEL_WORDS = 8
# A label names a thing ("Kidney function", "Ask about cost"); words like these make it the start of
# a sentence that goes on after a colon ("There are two kinds of X: A and B").
FINITE_VERBS = frozenset("is are was were be has have had include includes can cannot may might will would should "
                         "could must do does did".split())
# ``Cost. Generic pills cost less.``: a short capitalised phrase with a full stop, then a sentence.
DOTTED_LABEL = re.compile(r"([A-Z][^.!?:;\n]{0,48}?)\.[ \t\u00a0]+(?=[A-Z0-9\"\u201c(])")
MAX_DOTTED_LABEL_WORDS = 5
# Words that make the phrase before a full stop a sentence (a subject or a reply), not a label.
SENTENCE_WORDS = frozenset("i you he she it we they this that these those there here yes no not".split())


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


def trimmed(span: Span, begin: int = 0, end: int | None = None) -> Span:
    """The part ``span.value[begin:end]`` without surrounding white space (zero-width characters too)."""
    value = span.value[begin:end] if end is not None else span.value[begin:]
    left = len(value) - len(value.lstrip(SPACE))
    value = value.strip(SPACE)
    start = span.start + begin + left
    return Span(value, span.line, start, start + len(value))


def _words_of(label: str) -> list[str]:
    return [word.lower().strip(",’'") for word in label.split()]


def _label_and_body(span: Span, found: re.Match) -> tuple[Span, Span]:
    """A span cut where a label pattern matched: the label (its group 1) and the text after the match."""
    label = Span(found.group(1), span.line, span.start, span.start + len(found.group(1)))
    return label, trimmed(span, found.end())


def labelled(span: Span) -> tuple[Span, Span] | None:
    """The label and text of a ``Label: text`` span, or None."""
    if ":" not in span.value[:MAX_LABEL_WORDS * 12]:
        return None
    found = LABEL.match(span.value)
    if not found or len(found.group(1).split()) > MAX_LABEL_WORDS:
        return None
    label_words = _words_of(found.group(1))
    if any(word in FINITE_VERBS for word in label_words):
        return None
    if any(word in ("come", "comes") and index and label_words[index - 1] not in ("that", "which", "who")
           for index, word in enumerate(label_words)):
        return None  # "Tablets come in 3 strengths: ...": a sentence going on after its colon
    return _label_and_body(span, found)


def dotted(span: Span) -> tuple[Span, Span] | None:
    """The label and text of a ``Label. text`` span (a short phrase without a verb or a subject, a full stop,
    and a sentence after it), or None. A reading for the places where labelled lines are expected: on its
    own, ``Surgery. It may help`` reads as well as two sentences."""
    found = DOTTED_LABEL.match(span.value)
    if not found or found.end() >= len(span.value):
        return None
    words = _words_of(found.group(1))
    if not words or len(words) > MAX_DOTTED_LABEL_WORDS or any(
            word in FINITE_VERBS or word in SENTENCE_WORDS for word in words):
        return None
    return _label_and_body(span, found)


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
