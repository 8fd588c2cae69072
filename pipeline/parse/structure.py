"""Elements → the document model: the furniture set aside, the title found, the heading levels worked out where
the markup does not give them, the questions and answers gathered, and the sections built.

Heading levels in a text without markup follow its layout: the title is level 1; a heading that names one of
the approaches the title compares opens that approach's part (level 2); a heading that names several of them,
or none before any part has opened, or that heads the questions and answers, is a top-level topic (level 2,
closing the part); any other heading (``Side effects``, ``How does it work?``) nests one level inside the part
that is open. A line that groups what follows (``Cancer:``, a bold-only paragraph) sits one level below the
heading before it.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from pipeline.document import Block, Document, Furniture, Kind, Meta, Section, Span
from pipeline.labels import BAND_HEADING
from pipeline.names import Names, subjects
from pipeline.parse import furniture as rules
from pipeline.parse.elements import Element, Tag

QA_HEADING = re.compile(r"(?:questions?\s+(?:and|&)\s+answers?|q\s*&\s*a\b|faqs?\b|frequently\s+asked\s+questions|"
                        r"common\s+questions|questions\s+about|your\s+questions)", re.IGNORECASE)
DISCLAIMER = re.compile(r"(?:for\s+informational\s+purposes|not\s+(?:intended\s+as\s+|a\s+substitute\s+for\s+)?"
                        r"medical\s+advice|consult\s+(?:with\s+)?(?:a|your)\s+(?:specialist|doctor|physician|"
                        r"health\s*care))", re.IGNORECASE)
COMPARES = re.compile(r"\b(?:vs\.?|versus|or|and|between|compared?|side[- ]effects)\b|,", re.IGNORECASE)
MAX_GROUPING_WORDS = 10
# The title is among the first heading lines of a text (and each candidate's approaches are looked for in all the
# text after it: more would be quadratic in an article of nothing but headings).
MAX_TITLE_CANDIDATES = 8
PROSE = (Tag.HEADING, Tag.PARAGRAPH, Tag.LABELLED)  # elements whose own words may make them furniture
CONTENT = (Tag.PARAGRAPH, Tag.LIST, Tag.TABLE, Tag.LABELLED)  # elements that start the article's body
BLOCK_KINDS = {Tag.PARAGRAPH: Kind.PARAGRAPH, Tag.LABELLED: Kind.LABELLED, Tag.LIST: Kind.LIST, Tag.TABLE: Kind.TABLE,
               Tag.QUESTION: Kind.QUESTION}


def _text(element: Element) -> str:
    return element.span.value


def _entries(element: Element) -> list[str]:
    return [item.span.value for item in element.items]


class _Furniture:
    """The furniture found so far, by element."""

    def __init__(self):
        self.kind: dict[int, str] = {}  # element index → kind
        self.pieces: list[tuple[int, str, str]] = []  # (first element index, kind, text)

    def add(self, indexes: list[int], kind: str, text: str) -> None:
        fresh = [index for index in indexes if index not in self.kind]
        if not fresh:
            return
        for index in fresh:
            self.kind[index] = kind
        self.pieces.append((fresh[0], kind, text))

    def relabel(self, index: int, kind: str) -> None:
        """Another kind for the piece that starts at an element."""
        self.kind[index] = kind
        self.pieces = [(at, kind if at == index else was, text) for at, was, text in self.pieces]


def _boxes(elements: list[Element], found: _Furniture) -> None:
    """Furniture by markup and by words: what the markup declares, lines that are furniture by their words, and
    boxes (lines that stand together) headed by a table of contents, related links or an "About ..." line, or
    holding a promotion, or an image credit with its caption."""
    groups: dict[int, list[int]] = {}
    for index, element in enumerate(elements):
        if element.group is not None:
            groups.setdefault(element.group, []).append(index)
    for index, element in enumerate(elements):
        if element.hint:
            members = groups.get(element.group, [index]) if element.hint in ("toc", "related", "promo") \
                and element.group is not None else [index]
            kind = element.hint
            own = rules.line_kind(_text(element)) if element.kind in PROSE else None
            if kind in ("byline", "image") and own in ("date", "share", "image") and own != kind:
                kind = own  # a byline box's date line is a date
            text = " ".join(_entries(element)) if element.kind == Tag.LIST and kind == "breadcrumb" else \
                _text(element) or _first_entry(element)  # (a trail as a numbered list: its entries, not numbers)
            found.add(members, kind, text)
    for members in groups.values():
        first = elements[members[0]]
        if len(members) > 1 and first.kind in (Tag.HEADING, Tag.PARAGRAPH) and not first.grouping:
            box = rules.heads_a_box(_text(first))
            if box in ("toc", "byline") or (box == "related" and all(
                    elements[m].kind in (Tag.HEADING, Tag.PARAGRAPH, Tag.LIST) for m in members)):
                found.add(members, box, _text(first))
                continue
            if box == "promo" and len(members) == 2 and elements[members[1]].kind == Tag.PARAGRAPH:
                found.add(members, box, _text(first))
                continue
        kinds = [rules.line_kind(_text(elements[m])) if elements[m].kind in PROSE else None for m in members]
        if len(members) > 1 and "promo" in kinds and not (all(kinds) and rules.ADVERT.match(_text(first))):
            found.add(members, "promo", _text(first))
            continue
        if "image" in kinds and all(elements[m].kind in PROSE for m in members):
            for member in members:
                found.add([member], "image", _text(elements[member]))
            continue
        if len(members) >= 3 and all(_short_line(elements[m]) for m in members) and not any(kinds):
            above = elements[members[0] - 1] if members[0] else None
            if above is not None and len(groups.get(above.group, [None])) == 1 and \
                    above.kind in (Tag.HEADING, Tag.PARAGRAPH) and \
                    "related" in (rules.heads_a_box(_text(above)), rules.line_kind(_text(above))):
                for member in members:  # ("Related information", a blank line, then its links: one box)
                    found.kind[member] = "related"
                continue
            found.add(members, rules.heads_a_box(_text(first)) or "promo", _text(first))  # a box of links
            continue
        if len(members) > 1 and _link_box(elements, members):
            heading = _text(first)
            box = rules.heads_a_box(heading) or ("related" if rules.RELATED.match(heading) else "promo")
            found.add(members, box, heading)
            continue
        for member, kind in zip(members, kinds):
            if kind:
                found.add([member], kind, _text(elements[member]))
    for index, element in enumerate(elements):
        if index not in found.kind and element.group is None and element.kind in PROSE:
            kind = rules.line_kind(_text(element))
            if kind:
                found.add([index], kind, _text(element))
    for index, element in enumerate(elements):
        if element.emphasis and index not in found.kind and found.kind.get(index + 1) == "promo" \
                and len(_text(element).split()) <= 8:
            # ("**Join us – it's free**", then "Get our tips in your inbox": the promotion's title heads it)
            found.pieces = [piece for piece in found.pieces if piece[0] != index + 1]
            del found.kind[index + 1]
            found.add([index, index + 1], "promo", _text(element))
        if index and found.kind.get(index - 1) == "byline" and index not in found.kind \
                and rules.BYLINE_ALONE.match(_text(elements[index - 1]).strip()) and _name_line(element):
            found.add([index], "byline", _text(element))  # ("Written by", then the name on the line below)
        if element.kind == Tag.PARAGRAPH and found.kind.get(index) in (None, "byline"):
            _sentences_of_furniture(index, element, found)
        if index and found.kind.get(index - 1) == "image" and index not in found.kind and _credit_line(element):
            found.add([index], "image", _text(element))
    _boxes_under_headings(elements, found)


def _credit_line(element: Element) -> bool:
    """A short line right after an image that names who made it ("Publisher / Photographer")."""
    value = _text(element).strip()
    return element.kind == Tag.PARAGRAPH and " / " in value and len(value.split()) <= 8 and \
        not value.endswith((".", ":", "?", "!"))


def _sentences_of_furniture(index: int, element: Element, found: _Furniture) -> None:
    """"Medically reviewed by X. Last updated on 12 Jan 2025.": a paragraph whose every sentence (or every part
    between bars: "Updated May 2024 | Reviewed by X") is furniture is each piece of it."""
    value = _text(element)
    if len(value.split()) > rules.MAX_FURNITURE_WORDS:
        return
    parts = [part for part in re.split(r"(?<![A-Z]\.)(?<=[.!?])\s+(?=[A-Z])|(?<!\s)\s++\|\s+", value.strip()) if part]
    if len(parts) < 2:
        return
    kinds = [rules.line_kind(part) for part in parts]
    if all(kinds) and len(set(kinds)) > 1 or all(kinds) and index not in found.kind:
        found.add([index], kinds[0], parts[0])
        found.pieces.extend((index, kind, part) for kind, part in zip(kinds[1:], parts[1:]))


def _boxes_under_headings(elements: list[Element], found: _Furniture) -> None:
    """A heading (or bold line) that is related links, a promotion or a table of contents heads the lists and
    link lines under it (Markdown and HTML, where no blank line or container marks the box)."""
    for index, element in enumerate(elements):
        if element.kind != Tag.HEADING and not (element.kind == Tag.PARAGRAPH and (
                element.emphasis or _short_line(element))):
            continue
        kind = found.kind.get(index) or rules.heads_a_box(_text(element))
        if kind not in ("related", "promo", "toc"):
            continue
        if index not in found.kind:
            if not (index + 1 < len(elements) and elements[index + 1].kind == Tag.LIST):
                continue
            found.add([index], kind, _text(element))
        following = index + 1
        while following < len(elements) and following not in found.kind and (
                elements[following].kind == Tag.LIST or elements[following].links_only):
            found.kind[following] = kind
            following += 1


def _short_line(element: Element) -> bool:
    """A line of a text box of links: short, title-like, without final punctuation (in text, headings stand
    alone; three such lines together are a box of the publisher's links)."""
    value = _text(element).strip()
    return element.kind in (Tag.HEADING, Tag.PARAGRAPH) and not element.grouping and 0 < len(value.split()) <= 6 \
        and (value[-1:].isalnum() or value[-1:] == ")") and value[:1].isupper()


def _name_line(element: Element) -> bool:
    """A line that could be a name (a person's or a team's): short, capitalised, no sentence's end."""
    value = _text(element).strip()
    return element.kind == Tag.PARAGRAPH and 0 < len(value.split()) <= 12 and value[:1].isupper() \
        and not value.endswith((".", "?", "!", ":"))


def _link_line(element: Element) -> bool:
    """A paragraph that is one short link and nothing else, a title without final punctuation: a link of the
    page's own ("See the version for doctors"), not the article's text."""
    value = _text(element).strip()
    return element.kind == Tag.PARAGRAPH and element.links_only and 0 < len(value.split()) <= 6 \
        and (value[-1:].isalnum() or value[-1:] == ")")


def _first_entry(element: Element) -> str:
    return element.items[0].span.value if element.items else ""


def _link_box(elements: list[Element], members: list[int]) -> bool:
    """A short heading line over links only (a box of the publisher's own links); or, in a box of its own, a
    short title line over one list whose every entry is a link ("On this subject" over "Pictures", "Video")."""
    first, rest = elements[members[0]], [elements[m] for m in members[1:]]
    if len(rest) == 1 and rest[0].kind == Tag.LIST and rest[0].links_only and _short_line(first) \
            and len(_text(first).split()) <= 4:
        return True
    return (len(_text(first).split()) <= 6 and (first.kind == Tag.HEADING or first.emphasis or first.grouping)
            and bool(rest) and all(element.links_only for element in rest))


def _tables_of_contents(elements: list[Element], found: _Furniture) -> None:
    """A list (or a box of lines) whose entries repeat the headings after it: a table of contents."""
    heading_at = [index for index, element in enumerate(elements) if element.kind == Tag.HEADING]
    headings = [_text(elements[index]) for index in heading_at]
    for index, element in enumerate(elements):
        if found.kind.get(index) == "breadcrumb":  # "Overview | Uses | Side effects | FAQ": jump links in a row
            later = headings[bisect_right(heading_at, index):]
            parts = [part for part in rules.BREADCRUMB_SEPARATOR.split(_text(element).strip()) if part]
            if rules.repeats_headings(parts, later):
                found.relabel(index, "toc")
            continue
        if index in found.kind or element.kind != Tag.LIST:
            continue
        later = headings[bisect_right(heading_at, index):]
        if rules.repeats_headings(_entries(element), later):
            members = [index]
            if index and elements[index - 1].kind in (Tag.HEADING, Tag.PARAGRAPH) and index - 1 not in found.kind \
                    and len(_text(elements[index - 1]).split()) <= 5 and not elements[index - 1].level == 1:
                members.insert(0, index - 1)
            found.add(members, "toc", _text(elements[members[0]]) if members[0] != index else _first_entry(element))


def _title_index(elements: list[Element], found: _Furniture, format: str, text: str) -> int | None:
    candidates = [index for index, element in enumerate(elements)
                  if element.kind == Tag.HEADING and index not in found.kind and not element.grouping]
    if format != "txt":
        first = [index for index in candidates if elements[index].level == 1]
        return (first or candidates or [None])[0]
    content = next((index for index, element in enumerate(elements)
                    if index not in found.kind and element.kind in CONTENT), len(elements))
    early = [index for index in candidates if index < content][:MAX_TITLE_CANDIDATES]
    recurring = {index: _recurrence(elements[index].span, text) for index in early}
    named = {index: {name.value.lower() for name in subjects(elements[index].span)} for index in early}
    # A category label right above the title ("Drugs and Supplements"): one of its approaches never comes back in
    # the text, where those of the next heading (not its own) all do.
    following = dict(zip(early, early[1:]))
    kept = [index for index in early if min(recurring[index]) or index not in following or not (
        min(recurring[following[index]]) and not named[following[index]] <= named[index])]
    for index in kept:
        title = elements[index].span
        if (len(subjects(title)) >= 2 or (subjects(title) and COMPARES.search(title.value))) \
                and max(recurring[index]):
            return index
    return (kept or candidates or [None])[0]


def _recurrence(heading: Span, text: str) -> tuple[int, int]:
    """How often the text after a heading names the least and the most named of the approaches the heading
    names ((0, 0) where it names none)."""
    named = subjects(heading)
    if not named:
        return 0, 0
    names = Names([[name.value] for name in named])
    counts = [sum(1 for _ in pattern.finditer(text, heading.end)) for pattern in names.patterns]
    return min(counts), max(counts)


def _levels(elements: list[Element], names: Names) -> None:
    """Give every heading a level: the markup's, or one inferred from the layout (see the module)."""
    current = 1
    part_open = False
    qa_level = None  # the level of the questions and answers heading, while its questions go on
    topic = 1  # the level of the last heading that is not a group's label
    for index, element in enumerate(elements):
        if element.kind != Tag.HEADING:
            continue
        if element.level is None and not element.grouping and (
                BAND_HEADING.match(_text(element)) or index and _leads_in(elements[index - 1])):
            # "More common", or a line right after "... if any of these occur:": the label of a group of what
            # the heading above is about, one level below it
            element.level, element.grouping = topic + 1, True
            current = element.level
            continue
        if element.grouping and QA_HEADING.fullmatch(_text(element).strip()):
            element.grouping, element.level = False, None  # "Questions and answers:" heads a block of its own
        if element.grouping:
            element.level = current + 1
            continue
        if element.level is None:
            named = names.named(_text(element))
            if qa_level is not None and _question_like(element):
                element.level = qa_level + 1  # a question of the block
                continue
            qa_level = None
            if QA_HEADING.search(_text(element)):
                element.level, part_open, qa_level = 2, False, 2
            elif len(named) >= 2:
                element.level, part_open = 2, False
            elif len(named) == 1:
                element.level, part_open = 2, True
            else:
                element.level = 3 if part_open else 2
        else:  # a level the layout gives (a numbered section of a text): generic headings after it nest in it
            part_open = element.level >= 2
        current = topic = element.level


def _leads_in(element: Element) -> bool:
    """A paragraph that ends in a colon: it introduces what follows."""
    return element.kind == Tag.PARAGRAPH and _text(element).rstrip().endswith(":")


def _closing_about_box(rest: list[Element], names: Names, found: _Furniture, elements: list[Element]) -> None:
    """An "About ..." heading that names none of the article's approaches ("About the clinic", "About the
    author") and after which only boxes of furniture follow (related links, a promotion) heads a box of
    promotion (of the writer's credits, for "About the author"), not a part of the article: it and what
    follows it are furniture."""
    headings = [at for at, element in enumerate(rest) if element.kind == Tag.HEADING]
    last = None
    for at in reversed(headings):
        text = _text(rest[at])
        if names.named(text):
            break
        box = rules.heads_a_box(text)
        if box == "promo":
            last = at
            break
        if box not in ("related", "toc") and rules.line_kind(text) not in ("promo", "related"):
            break
    if last is None:
        return
    kind = "byline" if rules.ABOUT_THE_WRITER.match(_text(rest[last]).strip()) else "promo"
    position = {id(element): index for index, element in enumerate(elements)}
    for element in rest[last:]:
        found.add([position[id(element)]], kind, _text(element) or _first_entry(element))
    del rest[last:]


def _demote_lone_headings(elements: list[Element]) -> None:
    """A short line taken for a heading that heads nothing (the article ends, or another heading of its level
    or above follows at once) is a paragraph, unless it is a question or in capitals."""
    for index, element in enumerate(elements):
        if element.kind != Tag.HEADING or element.level is not None or element.grouping:
            continue
        if _text(element).endswith("?") or _text(element).isupper():
            continue
        following = elements[index + 1] if index + 1 < len(elements) else None
        if following is None:
            element.kind = Tag.PARAGRAPH


def _block(element: Element) -> Block:
    return Block(BLOCK_KINDS[element.kind], element.span, element.source_line, emphasis=element.emphasis,
                 label=element.label, body=element.body, items=element.items, ordered=element.ordered,
                 rows=element.rows, header_rows=element.header_rows,
                 answer=tuple(_block(e) for e in element.answer))


def _question_like(element: Element) -> bool:
    return _text(element).rstrip().endswith("?")


def _sections(title: Span, elements: list[Element], title_line: int | None) -> Section:
    root = Section(title, 1, source_line=title_line)
    stack = [root]
    question: Block | None = None
    answer: list[Block] = []

    def close_question() -> None:
        nonlocal question, answer
        if question is not None:
            stack[-1].blocks.append(Block(Kind.QUESTION, question.span, question.source_line, answer=tuple(answer)))
        question, answer = None, []

    for element in elements:
        qa = next((section for section in reversed(stack) if section.qa), None)
        is_heading = element.kind == Tag.HEADING
        if qa is not None and (element.kind == Tag.QUESTION or (_question_like(element) and (
                (is_heading and element.level > qa.level) or element.emphasis
                or (is_heading and element.level == qa.level + 1)))):
            close_question()
            if element.kind == Tag.QUESTION:
                stack[-1].blocks.append(_block(element))
            else:
                question = Block(Kind.QUESTION, element.span, element.source_line)
            continue
        if is_heading:
            close_question()
            while stack[-1].level >= element.level:
                stack.pop()
            parent = stack[-1]
            section = Section(element.span, element.level, source_line=element.source_line,
                              path=parent.path + (element.span,),
                              qa=bool(QA_HEADING.search(_text(element))) and not element.grouping,
                              group=element.grouping)
            parent.children.append(section)
            stack.append(section)
            continue
        if question is not None:
            answer.append(_block(element))
        else:
            stack[-1].blocks.append(_block(element))
    close_question()
    return root


def _strip_emphasis_headings(elements: list[Element]) -> None:
    """A bold-only paragraph (Markdown, HTML) that is short and ends without a full stop or a colon groups
    what follows, as a heading one level below the heading before it; a question in bold stays a paragraph
    until the questions and answers are gathered."""
    for element in elements:
        if element.kind == Tag.PARAGRAPH and element.emphasis:
            value = _text(element).rstrip()
            if value and value[-1] not in ".:;,?!" and len(value.split()) <= MAX_GROUPING_WORDS:
                element.kind, element.grouping = Tag.HEADING, True


def build(elements: list[Element], text: str, path: str, format: str, n_lines: int,
          meta: Meta | None = None) -> Document:
    """The document model of an article's elements (see the module)."""
    found = _Furniture()
    _strip_emphasis_headings(elements)
    _boxes(elements, found)
    _tables_of_contents(elements, found)
    title_at = _title_index(elements, found, format, text)
    if title_at is None:
        return None
    title = elements[title_at]
    for index in range(title_at):
        if index not in found.kind:
            found.add([index], "breadcrumb", _text(elements[index]) or _first_entry(elements[index]))
    rest = []
    for index, element in enumerate(elements[title_at + 1:], start=title_at + 1):
        if index in found.kind:
            continue
        if _link_line(element):  # ("See the version for doctors", "Read the summary": the page's links)
            found.add([index], "related", _text(element))
            continue
        if element.kind in (Tag.HEADING, Tag.PARAGRAPH) and _text(element) == _text(title):
            found.add([index], "repeat", _text(element))
            continue
        rest.append(element)
    disclaimer = None
    first = next((element for element in rest if element.kind != Tag.HEADING), None)
    if first is not None and first.kind in (Tag.PARAGRAPH, Tag.LABELLED) and DISCLAIMER.search(_text(first)) \
            and all(element.kind != Tag.HEADING for element in rest[:rest.index(first)]):
        disclaimer = first.span
        rest.remove(first)
    named = subjects(title.span)
    _closing_about_box(rest, Names([[name.value] for name in named]), found, elements)
    _demote_lone_headings(rest)
    _levels(rest, Names([[name.value] for name in named]))
    root = _sections(title.span, rest, title.source_line)
    pieces = [Furniture(kind, value, elements[index].span.line if format == "txt" else None)
              for index, kind, value in sorted(found.pieces, key=lambda piece: piece[0])]
    return Document(text, path, format, root, disclaimer, pieces, meta or Meta(), named, n_lines)
