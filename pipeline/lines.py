"""Lines as every stage counts them: a line ends at CR LF, LF, a lone CR, NEL (U+0085), LINE SEPARATOR (U+2028)
or PARAGRAPH SEPARATOR (U+2029). A parser splits on exactly these, messages and the ``line`` columns count them,
and the span checks count them again from the text's bytes."""

from __future__ import annotations

import re
from typing import NamedTuple

# White space a reader trims: Python's, and the zero-width characters that copied text carries.
SPACE = " \t\n\r\x0b\x0c\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a" \
        "\u2028\u2029\u202f\u205f\u3000\u200b\u200c\u200d\u2060\ufeff"
LINE_END = re.compile(r"\r\n|[\n\r\x85\u2028\u2029]")
# The same line ends as UTF-8 bytes (the span checks read the texts as bytes).
LINE_END_BYTES = re.compile(rb"\r\n|[\n\r]|\xc2\x85|\xe2\x80[\xa8\xa9]")


class Line(NamedTuple):
    """A line of a text: its 1-based number, where it starts and ends (its line end excluded), its content."""

    number: int
    start: int
    end: int
    content: str


def split_lines(text: str) -> list[Line]:
    """The lines of a text; a text ending in a line end has an empty last line, as ``str.split`` would give."""
    lines, start, number = [], 0, 1
    if "\r" not in text and "\x85" not in text and "\u2028" not in text and "\u2029" not in text:
        for content in text.split("\n"):  # (the common case, several times faster)
            lines.append(Line(number, start, start + len(content), content))
            start += len(content) + 1
            number += 1
        return lines
    for end in LINE_END.finditer(text):
        lines.append(Line(number, start, end.start(), text[start:end.start()]))
        start, number = end.end(), number + 1
    lines.append(Line(number, start, len(text), text[start:]))
    return lines


def line_of(text: str, offset: int) -> int:
    """The 1-based line on which ``offset`` lies."""
    return 1 + sum(1 for end in LINE_END.finditer(text, 0, offset) if end.end() <= offset)
