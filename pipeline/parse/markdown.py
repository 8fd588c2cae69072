"""A Markdown article → its elements and its text rendition, with markdown-it-py (CommonMark, plus GFM tables):
``#`` headings (and underlined ones) with their levels, paragraphs, nested lists, tables, links kept as their
text, images as furniture (their alt text), YAML front matter as the page's own metadata."""

from __future__ import annotations

import re

import yaml
from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

from pipeline.document import Meta
from pipeline.labels import labelled
from pipeline.lines import SPACE
from pipeline.parse.elements import Element, InlineRun, Rendition, Tag, nested_items

FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL)
PARSER = MarkdownIt("commonmark").enable(["table", "strikethrough"])
NESTED_INDENT = "  "


class _Inline(InlineRun):
    """An inline run's text as the rendition writes it, and what it is made of."""

    def __init__(self):
        super().__init__()
        self.images: list[str] = []

    def walk(self, node: SyntaxTreeNode, bold: bool = False, link: bool = False) -> None:
        for child in node.children:
            kind = child.type
            if kind in ("text", "code_inline"):
                self.add(child.content, bold, link)
            elif kind == "softbreak":
                self.parts.append(" ")
            elif kind == "hardbreak":
                self.parts.append("\n")
            elif kind == "image":
                self.images.append(child.content or "".join(c.content for c in child.children))
            elif kind == "strong":
                self.walk(child, True, link)
            elif kind == "link":
                self.walk(child, bold, True)
            elif kind == "html_inline":
                continue
            else:
                self.walk(child, bold, link)

    def text(self) -> str:
        return " ".join("".join(self.parts).replace("\n", "\x00").split()).replace("\x00", "\n").replace(" \n ", "\n")


def _inline(node: SyntaxTreeNode) -> _Inline:
    run = _Inline()
    for child in node.children:
        if child.type == "inline":
            run.walk(child)
    return run


def _front_matter(source: str) -> tuple[Meta, int, str]:
    """The front matter's metadata, the lines it takes, and the Markdown after it."""
    found = FRONT_MATTER.match(source)
    if not found:
        return Meta(), 0, source
    try:
        data = yaml.safe_load(found.group(1))
    except yaml.YAMLError:
        data = None
    data = data if isinstance(data, dict) else {}

    def value(*keys, web=False):
        for key in keys:
            found = data.get(key)
            if isinstance(found, list):  # ("author: [A, B]", or a list under the key)
                found = ", ".join(str(part) for part in found if part not in (None, ""))
            if found in (None, "") or web and not str(found).startswith(("http://", "https://")):
                continue
            return str(found)
        return None

    meta = Meta(title=value("title"), publisher=value("publisher", "site"), author=value("author", "authors"),
                date_published=value("date", "published", "date_published"),
                date_modified=value("updated", "modified", "date_modified", "lastmod"),
                url=value("url", "canonical") or value("source", "link", web=True))  # (a web clipper's "source")
    return meta, found.group(0).count("\n"), source[found.end():]


class _Reader:
    def __init__(self, offset: int):
        self.out = Rendition()
        self.elements: list[Element] = []
        self.offset = offset  # lines taken by the front matter

    def line(self, node: SyntaxTreeNode) -> int | None:
        return node.map[0] + 1 + self.offset if node.map else None

    def heading(self, node: SyntaxTreeNode) -> None:
        text = _inline(node).text()
        if text:
            span = self.out.line_of(text)
            self.elements.append(Element(Tag.HEADING, span, self.line(node), level=int(node.tag[1])))

    def paragraph(self, node: SyntaxTreeNode) -> None:
        run = _inline(node)
        text = run.text()
        if not text.strip(SPACE):
            for alt in run.images:
                span = self.out.line_of(alt or "image")
                self.elements.append(Element(Tag.PARAGRAPH, span, self.line(node), hint="image"))
            return
        span = self.out.line_of(text)
        pair = labelled(span)
        emphasis = run.emphasis
        element = Element(Tag.PARAGRAPH, span, self.line(node), emphasis=emphasis,
                          links_only=run.links_only)
        if pair and not emphasis:
            element.kind, element.label, element.body = Tag.LABELLED, pair[0], pair[1]
        self.elements.append(element)

    def list(self, node: SyntaxTreeNode) -> None:
        flat: list[tuple[int, SyntaxTreeNode, str, int | None]] = []  # depth, item node, text, number

        def collect(listed: SyntaxTreeNode, depth: int) -> None:
            ordered = listed.type == "ordered_list"
            number = int(listed.attrs.get("start", 1)) if ordered else None
            for item in listed.children:
                texts = [_inline(child).text() for child in item.children if child.type == "paragraph"]
                flat.append((depth, item, " ".join(t for t in texts if t), number))
                for child in item.children:
                    if child.type in ("bullet_list", "ordered_list"):
                        collect(child, depth + 1)
                if number is not None:
                    number += 1

        collect(node, 0)
        lines = [(NESTED_INDENT * depth + (f"{number}. " if number is not None else "- "), text)
                 for depth, _, text, number in flat]
        spans = self.out.lines_of(lines)
        links = all(_inline_links(item) for _, item, _, _ in flat)

        items = nested_items(spans, [entry[0] for entry in flat], [entry[3] for entry in flat],
                             [self.line(entry[1]) for entry in flat], self.out)
        whole = self.out.joined(spans[0], spans[-1])
        self.elements.append(Element(Tag.LIST, whole, self.line(node), items=items,
                                     ordered=node.type == "ordered_list", links_only=links))

    def table(self, node: SyntaxTreeNode) -> None:
        rows, header_rows = [], 0
        for part in node.children:
            for row in part.children:
                rows.append([_inline(cell).text() for cell in row.children])
                header_rows += part.type == "thead"
        if not rows:
            return
        spans = self.out.rows_of(rows)
        whole = self.out.joined(spans[0][0], spans[-1][-1])
        self.elements.append(Element(Tag.TABLE, whole, self.line(node), rows=tuple(tuple(r) for r in spans),
                                     header_rows=header_rows))

    def block(self, node: SyntaxTreeNode) -> None:
        kind = node.type
        if kind == "heading":
            self.heading(node)
        elif kind == "paragraph":
            self.paragraph(node)
        elif kind in ("bullet_list", "ordered_list"):
            self.list(node)
        elif kind == "table":
            self.table(node)
        elif kind in ("fence", "code_block"):
            text = " ".join(node.content.split())
            if text:
                self.elements.append(Element(Tag.PARAGRAPH, self.out.line_of(text), self.line(node)))
        elif kind == "blockquote":
            for child in node.children:
                self.block(child)


def _inline_links(item: SyntaxTreeNode) -> bool:
    runs = [_inline(child) for child in item.children if child.type == "paragraph"]
    return bool(runs) and all(run.links_only for run in runs)


def read(source: str, path: str) -> tuple[list[Element], str, Meta, int]:
    """A Markdown article's elements, its rendition (the text their spans index), its metadata, and the
    rendition's number of lines."""
    meta, offset, body = _front_matter(source)
    reader = _Reader(offset)
    for node in SyntaxTreeNode(PARSER.parse(body)).children:
        reader.block(node)
    text = reader.out.text()
    return reader.elements, text, meta, text.count("\n") + 1
