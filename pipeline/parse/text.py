"""Raw text → the document model, following the template's layout.

The parser finds the title, the disclaimer, headings, subheadings, paragraphs, ``Label: text`` paragraphs,
bullet and numbered lists (including numbered tables printed two columns to a line) and the
question-and-answer block, each with its exact place in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from itertools import accumulate, count

from pipeline.document import LISTS, PROSE, Block, Document, Kind, Section, Span
from pipeline.errors import PipelineError

BULLET_CHARS = "•-*‣◦▪●"
BULLET = re.compile(rf"[ \t]*[{re.escape(BULLET_CHARS)}][ \t]+(?=\S)")
NUMBERED = re.compile(r"[ \t]*(\d{1,4})[.)][ \t]+(?=\S)")
# Another column of a numbered table: whitespace, a number, a dot, whitespace.
NUMBER_MARK = re.compile(r"\s(\d{1,4})[.)]\s+(?=\S)")
QA_HEADING = re.compile(r"(?:questions?\s+(?:and|&)\s+answers?|q\s*&\s*a|faqs?|frequently asked questions)\s*:?",
                        re.IGNORECASE)
LABELLED = re.compile(r"([A-Z][^:.!?]{0,80}?):[ \t]+(?=\S)")
SMALL_WORDS = frozenset("a an and as at but by for from in into nor of on or per the to vs via with".split())
TERMINAL = ".!?;,"
MAX_HEADING_WORDS = 20
MAX_TITLE_CASE_WORDS = 10
MAX_SUBHEADING_WORDS = 6
MAX_LABEL_WORDS = 8


@dataclass(slots=True)
class _Line:
    number: int
    start: int
    end: int  # excludes the line end
    content: str


def _lines(text: str) -> list[_Line]:
    raws = text.split("\n")
    starts = accumulate([len(raw) + 1 for raw in raws], initial=0)
    if "\r" not in text:
        return [_Line(number, start, start + len(raw), raw) for number, start, raw in zip(count(1), starts, raws)]
    lines = []
    for number, start, raw in zip(count(1), starts, raws):
        content = raw[:-1] if raw.endswith("\r") else raw
        lines.append(_Line(number, start, start + len(content), content))
    return lines


def _strip(line: _Line, offset: int = 0) -> Span:
    """The span of ``line.content[offset:]`` without surrounding white space."""
    value = line.content[offset:]
    left = len(value) - len(value.lstrip())
    value = value.strip()
    start = line.start + offset + left
    return Span(value, line.number, start, start + len(value))


def _is_title_case(words: list[str]) -> bool:
    if not words[0][:1].isupper():
        return False
    for word in words:
        letters = word.strip("()'\"’-")
        if letters.lower() in SMALL_WORDS or not letters[:1].isalpha():
            continue
        if not letters[:1].isupper():
            return False
    return True


def _classify_text_line(line: _Line) -> Block:
    span = _strip(line)
    value = span.value
    last = value[-1]
    if QA_HEADING.fullmatch(value):
        return Block(Kind.QA_HEADING, span)
    # Only a line that may be a heading is split into words (most lines are paragraphs that end in ".").
    if last == "?" and len(value.split()) <= MAX_HEADING_WORDS:
        return Block(Kind.HEADING, span)
    if last == ":" and len(value.split()) <= MAX_SUBHEADING_WORDS and value.count(":") == 1:
        name = value[:-1].rstrip()
        return Block(Kind.SUBHEADING, Span(name, span.line, span.start, span.start + len(name)))
    if last not in TERMINAL + ":":
        words = value.split()
        if len(words) <= MAX_TITLE_CASE_WORDS and _is_title_case(words):
            return Block(Kind.SUBHEADING, span)
    # A label is at most 81 characters and its colon: most paragraphs have none so early.
    labelled = LABELLED.match(value) if ":" in value[:82] else None
    if labelled and len(labelled.group(1).split()) <= MAX_LABEL_WORDS:
        label = labelled.group(1)
        body = value[labelled.end():]
        body_start = span.start + labelled.end()
        return Block(Kind.LABELLED, span, label=Span(label, span.line, span.start, span.start + len(label)),
                     body=Span(body, span.line, body_start, body_start + len(body)))
    return Block(Kind.PARAGRAPH, span)


def _numbered_items(lines: list[_Line], path: str) -> tuple[list[Span], list[int]]:
    """Items of a numbered list or table, read back in number order.

    A table prints two (or more) columns to a line: ``1. Fever 5. Chills``. A further column starts where
    white space is followed by a number greater than the line's first, a dot and white space.
    """
    found: dict[int, Span] = {}
    for line in lines:
        first = NUMBERED.match(line.content)
        marks = [(int(first.group(1)), first.end(), len(line.content))]
        for mark in NUMBER_MARK.finditer(line.content, first.end()):
            if int(mark.group(1)) > marks[-1][0]:
                marks.append((int(mark.group(1)), mark.end(), mark.start()))
        stops = [m[2] for m in marks[1:]] + [len(line.content)]
        for (number, begin, _), stop in zip(marks, stops):
            value = line.content[begin:stop].rstrip()
            if number in found:
                raise PipelineError(f"numbered list repeats item {number}", path, line.number)
            start = line.start + begin
            found[number] = Span(value, line.number, start, start + len(value))
    order = sorted(found)
    missing = sorted(set(range(order[0], order[-1] + 1)) - found.keys())
    if missing:
        raise PipelineError(f"numbered list skips item {missing[0]} (is the file cut short?)", path,
                            lines[-1].number)
    return [found[n] for n in order], order


def _group_lines(text: str, lines: list[_Line], path: str) -> list[Block]:
    blocks: list[Block] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        first = line.content.lstrip(" \t")[:1]
        if not first or not line.content.strip():
            index += 1
            continue
        # The first character decides which list pattern can match (most lines are neither).
        if first in BULLET_CHARS and BULLET.match(line.content):
            run = []
            while index < len(lines) and BULLET.match(lines[index].content):
                run.append(lines[index])
                index += 1
            items = [_strip(item, BULLET.match(item.content).end()) for item in run]
            whole = Span(text[run[0].start:run[-1].end], run[0].number, run[0].start, run[-1].end)
            blocks.append(Block(Kind.BULLETS, whole, tuple(items), tuple(range(1, len(items) + 1))))
            continue
        if first.isdigit() and NUMBERED.match(line.content):
            run = []
            while index < len(lines) and NUMBERED.match(lines[index].content):
                run.append(lines[index])
                index += 1
            items, positions = _numbered_items(run, path)
            whole = Span(text[run[0].start:run[-1].end], run[0].number, run[0].start, run[-1].end)
            blocks.append(Block(Kind.NUMBERED, whole, tuple(items), tuple(positions)))
            continue
        blocks.append(_classify_text_line(line))
        index += 1
    return blocks


def parse(text: str, path: str) -> Document:
    """Parse an article's decoded text into sections of blocks."""
    lines = _lines(text)
    blocks = _group_lines(text, lines, path)
    if not blocks:
        raise PipelineError("no text", path)
    first = blocks[0]
    if first.kind in LISTS:
        raise PipelineError("the article does not start with a title line", path, first.span.line)
    title = _strip(lines[first.span.line - 1])
    rest = [b for b in blocks[1:] if lines[b.span.line - 1].content.strip() != title.value]
    disclaimer = None
    if rest and rest[0].kind in PROSE:
        disclaimer = rest.pop(0).span
    sections = [Section(None, [])]
    in_qa = False
    for block in rest:
        if block.kind is Kind.QA_HEADING:
            in_qa = True
            sections.append(Section(block, []))
        elif block.kind is Kind.HEADING and in_qa:
            sections[-1].blocks.append(replace(block, kind=Kind.QUESTION))
        elif block.kind is Kind.HEADING:
            sections.append(Section(block, []))
        else:
            sections[-1].blocks.append(block)
    if not any(s.heading for s in sections):
        raise PipelineError("no recognisable structure: no headings found", path)
    return Document(text, path, title, disclaimer, sections, len(lines))
