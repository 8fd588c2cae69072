"""A text article (a ``.txt`` file, or text copied from a browser) → its elements, with spans into the text
itself.

Lines that stand together (no blank line between them) are read together: bullet and numbered lines are a
list (nested by indentation; a numbered table prints two or more columns to a line, ``1. Fever 5. Chills``);
a line ending in ``:`` followed by lines is a lead-in and its list, the lines without bullets too, as a browser
copies a list; lines with tabs, or with columns two spaces apart, are a table; a paragraph wrapped over
several lines is one paragraph. A line alone is a heading if it looks like one (a question, ALL CAPS, a short
title- or sentence-case line without a final full stop; ``Label:`` alone groups what follows), a
``Label: text`` paragraph, or a paragraph. The structure builder decides the rest.
"""

from __future__ import annotations

import re

from pipeline.document import Block, Item, Kind, Span
from pipeline.errors import PipelineError
from pipeline.labels import BAND_HEADING, LABEL, labelled, trimmed
from pipeline.lines import SPACE, Line, split_lines
from pipeline.parse.elements import Element, Tag

BULLET = re.compile(r"[ \t\u00a0\u200b\ufeff]*[•·‣◦▪▫●○■□►▸➢➤✓✔*\-–][ \t\u00a0]+(?=[^ \t\u00a0])")
NUMBERED = re.compile(r"[ \t\u00a0\u200b\ufeff]*(\d{1,3})[.)][ \t\u00a0]+(?=[^ \t\u00a0])")
# Another column of a numbered table: white space, a number, a dot, white space.
NUMBER_MARK = re.compile(r"\s(\d{1,4})[.)]\s+(?=\S)")
COLUMNS = re.compile(r"\t|[ \u00a0]{2,}")
TERMINAL = ".!?;,:"
SENTENCE_END = '.!?:;"”’)'
MAX_HEADING_WORDS = 20
MAX_SHORT_HEADING_WORDS = 12
MAX_NAME_LINE_WORDS = 3  # (a line of a name: "Alvex", "Alpharin XR")
MAX_GROUPING_WORDS = 6
MAX_ITEM_WORDS = 40
MAX_ITEM_CHARS = 60
# Words that make a line ending in ":" a lead-in sentence rather than a label that groups what follows.
SENTENCE_WORDS = frozenset("""a an the is are was were be been being include includes including included can could
may might will would should must cause caused treat treats treated used use if you your we our they
their it its this these those here there some following below such like to for of with when how what which who
get have has had notice experience see call seek tell talk ask contact go do does did as by from on at into while
during after before about than comes come take takes taking make makes give gives need needs""".split())


def _content(line: Line) -> str:
    return line.content


def _blank(line: Line) -> bool:
    return not line.content.strip(SPACE)


def _span(line: Line, begin: int = 0) -> Span:
    return trimmed(Span(line.content, line.number, line.start, line.end), begin)


def _indent(line: Line) -> int:
    width = 0
    for char in line.content:
        if char == "\t":
            width += 4
        elif char in " \u00a0\u200b\ufeff":
            width += 1
        else:
            break
    return width


def _marker(line: Line) -> tuple[str, int, int | None] | None:
    """("bullet" or "number", where the item's text begins, its number) of a list line, or None."""
    content = line.content
    first = content.lstrip(" \t\u00a0\u200b\ufeff")[:1]
    if not first:
        return None
    if first.isdigit():
        found = NUMBERED.match(content)
        return ("number", found.end(), int(found.group(1))) if found else None
    found = BULLET.match(content)
    return ("bullet", found.end(), None) if found else None


def _numbered_table(run: list[Line], path: str) -> list[Item]:
    """The items of numbered lines, read back in number order; a table prints two or more columns to a line:
    ``1. Fever 5. Chills``. A further column starts where white space is followed by a number greater than the
    line's first, a dot and white space."""
    found: dict[int, Item] = {}
    for line in run:
        first = NUMBERED.match(line.content)
        marks = [(int(first.group(1)), first.end(), len(line.content))]
        for mark in NUMBER_MARK.finditer(line.content, first.end()):
            if int(mark.group(1)) > marks[-1][0]:
                marks.append((int(mark.group(1)), mark.end(), mark.start()))
        stops = [m[2] for m in marks[1:]] + [len(line.content)]
        for (number, begin, _), stop in zip(marks, stops):
            if number in found:
                raise PipelineError(f"numbered list repeats item {number}", path, line.number)
            span = trimmed(Span(line.content[:stop], line.number, line.start, line.start + stop), begin)
            found[number] = Item(span, number, label=None, body=None)
    order = sorted(found)
    missing = sorted(set(range(order[0], order[-1] + 1)) - found.keys())
    if missing:
        raise PipelineError(f"numbered list skips item {missing[0]} (is the file cut short?)", path,
                            run[-1].number)
    return [found[number] for number in order]


def _item(span: Span, number: int | None, children: tuple = ()) -> Item:
    pair = labelled(span)
    return Item(span, number, children, label=pair[0] if pair else None, body=pair[1] if pair else None)


def _whole(run: list[Line], text: str) -> Span:
    first, last = run[0], run[-1]
    return Span(text[first.start:last.end], first.number, first.start, last.end)


def _list(run: list[Line], text: str, path: str, group: int) -> Element:
    """A run of list lines → one list, nested by indentation (a deeper line is an item of the item above it)."""
    kinds = [_marker(line) for line in run]
    if all(kind and kind[0] == "number" for kind in kinds) and len({_indent(line) for line in run}) == 1:
        items = _numbered_table(run, path)
        return Element(Tag.LIST, _whole(run, text), items=tuple(items), ordered=True, group=group)

    def build(start: int, stop: int, depth_indent: int) -> list[Item]:
        items: list[Item] = []
        index = start
        while index < stop:
            line = run[index]
            kind, begin, number = kinds[index]
            child = index + 1
            while child < stop and _indent(run[child]) > _indent(line):
                child += 1
            children = ()
            if child > index + 1:
                nested = build(index + 1, child, _indent(run[index + 1]))
                children = (Block(Kind.LIST, _whole(run[index + 1:child], text), items=tuple(nested),
                                  ordered=kinds[index + 1][0] == "number"),)
            items.append(_item(_span(line, begin), number, children))
            index = child
        return items

    items = build(0, len(run), _indent(run[0]))
    return Element(Tag.LIST, _whole(run, text), items=tuple(items), ordered=kinds[0][0] == "number", group=group)


def _plain_list(run: list[Line], text: str, group: int) -> Element:
    """Lines without bullets after a lead-in, as a browser copies a list: one item a line."""
    items = tuple(_item(_span(line), None) for line in run)
    return Element(Tag.LIST, _whole(run, text), items=items, group=group)


def _table(run: list[Line], text: str, group: int) -> Element | None:
    """Lines of cells (tab-separated, or two spaces apart) with as many cells each: a table, its first line the
    header; None where the lines are not one."""
    if len(run) < 2:
        return None
    if all("\t" in line.content for line in run):
        return _tab_table(run, text, group)
    rows = []
    for line in run:
        cells, cursor = [], 0
        for gap in COLUMNS.finditer(line.content):
            cells.append((cursor, gap.start()))
            cursor = gap.end()
        cells.append((cursor, len(line.content)))
        spans = tuple(_span(Line(line.number, line.start + a, line.start + b, line.content[a:b])) for a, b in cells)
        spans = tuple(span for span in spans if span.value)
        rows.append(spans)
    if len({len(row) for row in rows}) != 1 or len(rows[0]) < 2:
        return None
    return Element(Tag.TABLE, _whole(run, text), rows=tuple(rows), header_rows=1, group=group)


def _tab_table(run: list[Line], text: str, group: int) -> Element | None:
    """Tab-separated lines (a table copied from a browser): a cell between two tabs may be empty (a mark left
    out), and a row may stop before the header does (its last cells empty)."""
    rows = []
    for line in run:
        cells, cursor = [], 0
        for part in line.content.split("\t"):
            cells.append(_span(Line(line.number, line.start + cursor, line.start + cursor + len(part), part)))
            cursor += len(part) + 1
        while cells and not cells[-1].value:
            cells.pop()
        rows.append(cells)
    width = len(rows[0])
    # (the corner cell of a header may be empty: "<tab>Alpha<tab>Beta" over rows headed "Also called", "Taken")
    if width < 2 or not all(cell.value for cell in rows[0][1:]) or not (rows[0][0].value or width >= 3) or any(
            len(row) > width or not row or not row[0].value for row in rows[1:]):
        return None
    padded = tuple(tuple(row) + (Span("", line.number, line.start + len(line.content),
                                      line.start + len(line.content)),) * (width - len(row))
                   for row, line in zip(rows, run))
    return Element(Tag.TABLE, _whole(run, text), rows=padded, header_rows=1, group=group)


def _words(text: str) -> list[str]:
    return text.split()


def _all_caps(value: str) -> bool:
    letters = [char for char in value if char.isalpha()]
    return len(letters) >= 2 and all(not char.islower() for char in letters)


def _grouping(value: str) -> bool:
    """``Cancer:``, ``Rare but serious:``: a short label that groups what follows (not a lead-in sentence)."""
    if not value.endswith(":") or value.count(":") != 1:
        return False
    name = value[:-1].strip(SPACE)
    if BAND_HEADING.match(name):  # "Common (may affect up to 1 in 10 people):"
        return True
    words = _words(name)
    return (0 < len(words) <= MAX_GROUPING_WORDS and name[:1].isupper()
            and not any(word.lower().strip(",") in SENTENCE_WORDS for word in words))


def _single(line: Line, group: int) -> Element:
    """A line standing alone: a heading (level to be inferred), a grouping label, ``Label: text``, or a
    paragraph."""
    span = _span(line)
    value = span.value
    words = _words(value)
    if _grouping(value):
        name = trimmed(span, 0, len(value) - 1)
        return Element(Tag.HEADING, name, grouping=True, group=group)
    if value.endswith("?") and len(words) <= MAX_HEADING_WORDS:
        return Element(Tag.HEADING, span, group=group)
    if value[-1] not in TERMINAL and len(words) <= MAX_SHORT_HEADING_WORDS \
            and (_all_caps(value) or value[:1].isupper() or value[:1].isdigit()):
        return Element(Tag.HEADING, span, group=group)
    pair = labelled(span)
    if pair:
        return Element(Tag.LABELLED, span, label=pair[0], body=pair[1], group=group)
    return Element(Tag.PARAGRAPH, span, group=group)


def _wrapped(run: list[Line]) -> bool:
    """Whether a run of lines is one paragraph wrapped over them: a line that ends mid-sentence, followed by
    one that goes on in lower case."""
    for line, following in zip(run, run[1:]):
        end = line.content.rstrip(SPACE)[-1:]
        start = following.content.lstrip(SPACE)[:1]
        if end and end not in SENTENCE_END and start.islower():
            return True
    return False


def _long(run: list[Line]) -> bool:
    """Lines as long as a wrapped paragraph's (a list's lines after a lead-in are short). Wrapping fills every
    line but the last, so the last may be of any length, and one short line before it is no wrapping."""
    return min(len(line.content.strip(SPACE)) for line in run[:-1] or run) > MAX_ITEM_CHARS


def _item_shaped(line: Line) -> bool:
    value = line.content.strip(SPACE)
    return 0 < len(_words(value)) <= MAX_ITEM_WORDS and not value.endswith(":")


NAME_BREAKERS = SENTENCE_WORDS | {"and", "or", "in", "vs", "versus"}


def _names(run: list[Line]) -> bool:
    """Two or more lines together of a name each (one to three words, none a word of a sentence or a title's
    "and", "in", no punctuation at the end, not in capitals): right under a heading, the items of a list whose
    bullets the copy lost."""
    values = [line.content.strip(SPACE) for line in run]
    return len(run) >= 2 and all(0 < len(_words(value)) <= MAX_NAME_LINE_WORDS and value[-1] not in TERMINAL
                                 and not _all_caps(value) and not _marker(line)
                                 and not any(word.lower() in NAME_BREAKERS for word in _words(value))
                                 for value, line in zip(values, run))


def _group(run: list[Line], text: str, path: str, group: int, after_lead: bool = False) -> list[Element]:
    """The elements of lines that stand together (``after_lead``: right after a paragraph ending in a colon)."""
    if after_lead and len(run) >= 2 and not any(_marker(line) or LABEL.match(line.content) for line in run) \
            and all(_item_shaped(line) for line in run) and not (_wrapped(run) and _long(run)) \
            and not _table(run, text, group):
        return [_plain_list(run, text, group)]  # "... if any of these do not go away:", a blank line, then the items
    elements: list[Element] = []
    index = 0
    while index < len(run):
        line = run[index]
        if _marker(line):
            stop = index
            while stop < len(run) and (_marker(run[stop]) or (stop > index and _indent(run[stop]) > _indent(line)
                                                               and not _blank(run[stop]))):
                stop += 1
            listed = [l for l in run[index:stop] if _marker(l)]
            elements.append(_list(listed, text, path, group))
            index = stop
            continue
        rest = run[index + 1:]
        value = line.content.strip(SPACE)
        if value.endswith(":") and rest:
            head = _single(line, group)
            if head.kind == Tag.HEADING and not head.grouping:
                head = Element(Tag.PARAGRAPH, head.span, group=group)
            elements.append(head)
            if not _marker(rest[0]):
                table = _table(rest, text, group)
                if table:
                    elements.append(table)
                    return elements
                if all(_item_shaped(l) for l in rest) and not (_wrapped(rest) and _long(rest)):
                    stop = len(rest)
                    for offset, following in enumerate(rest):
                        if _marker(following):
                            stop = offset
                            break
                    elements.append(_plain_list(rest[:stop], text, group))
                    index += 1 + stop
                    continue
            index += 1
            continue
        if index == 0 and len(run) > 1 and not any(_marker(l) for l in run):
            table = _table(run, text, group)
            if table:
                return [table]
            if _wrapped(run):
                return [Element(Tag.PARAGRAPH, trimmed(_whole(run, text)), group=group)]
        elements.append(_single(line, group))
        index += 1
    return elements


def read(text: str, path: str) -> tuple[list[Element], int]:
    """A text's elements, in order, and its number of lines."""
    lines = split_lines(text)
    elements: list[Element] = []
    run: list[Line] = []
    group = 0
    for line in lines + [Line(len(lines) + 1, len(text), len(text), "")]:
        if _blank(line):
            if run:
                group += 1
                after_lead = bool(elements) and elements[-1].kind == Tag.PARAGRAPH \
                    and elements[-1].span.value.rstrip().endswith((":", ","))  # ("Before taking X," then items)
                if elements and elements[-1].kind == Tag.HEADING and not elements[-1].grouping and _names(run):
                    elements.append(_plain_list(run, text, group))  # ("Brand names", then "Alvex", "Alpharin XR")
                else:
                    elements += _group(run, text, path, group, after_lead)
                run = []
            continue
        run.append(line)
    _numbered_sections(elements)
    return elements, len(lines)


def _numbered_sections(elements: list[Element]) -> None:
    """Numbered lines that each stand alone, numbered 1, 2, 3 ... across the article ("1. What X is and what it
    is used for", "2. Before you take X"): the article's numbered section headings, not lists of one item."""
    alone = [index for index, element in enumerate(elements)
             if element.kind == Tag.LIST and element.ordered and len(element.items) == 1
             and not element.items[0].children and sum(1 for other in elements if other.group == element.group) == 1]
    numbers = [elements[index].items[0].number for index in alone]
    if len(alone) < 2 or numbers != list(range(1, len(alone) + 1)):
        return
    for index in alone:
        elements[index] = Element(Tag.HEADING, elements[index].span, level=2, group=elements[index].group)
