"""Stage 1a, parse: an article → the document model (:mod:`pipeline.document`), whatever its format.

``.txt`` articles are read as they are (:mod:`pipeline.parse.text`); the elements of every format go through
one structure builder (:mod:`pipeline.parse.structure`), so every layout ends as the same tree.
"""

from __future__ import annotations

from pipeline.document import Block, Document, Kind
from pipeline.errors import PipelineError
from pipeline.parse import html, markdown, structure, text

FORMATS = {".txt": "txt", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}


def parse(content: str, path: str, format: str = "txt") -> Document:
    """Parse an article's decoded text into the document model."""
    if not content.strip():
        raise PipelineError("no text", path)
    if format == "txt":
        elements, n_lines = text.read(content, path)
        rendered, meta = content, None
    elif format == "md":
        elements, rendered, meta, n_lines = markdown.read(content, path)
    elif format == "html":
        elements, rendered, meta, n_lines = html.read(content, path)
    else:
        raise PipelineError(f"no reader for the format {format!r}", path)
    doc = structure.build(elements, rendered, path, format, n_lines, meta)
    if doc is None:
        raise PipelineError("no recognisable structure: no title found", path)
    if not doc.root.children and not any(b.kind is not Kind.PARAGRAPH for b in doc.root.blocks):
        raise PipelineError("no recognisable structure: no headings found", path)
    return doc


def _words(value: str, count: int = 5) -> str:
    return " ".join(value.split()[:count])


def _block_lines(block: Block, depth: int) -> list[str]:
    pad = "  " * depth
    if block.kind is Kind.PARAGRAPH:
        return [f"{pad}paragraph {_words(block.span.value)}"]
    if block.kind is Kind.LABELLED:
        return [f"{pad}labelled {block.label.value}"]
    if block.kind is Kind.TABLE:
        return [f"{pad}table"] + [f"{pad}  | " + " | ".join(cell.value for cell in row) + " |" for row in block.rows]
    if block.kind is Kind.QUESTION:
        lines = [f"{pad}question {block.span.value}"]
        for answer in block.answer:
            lines += _block_lines(answer, depth + 1)
        return lines
    lines = [f"{pad}list"]

    def items(listed: Block, level: int) -> None:
        for item in listed.items:
            lines.append("  " * level + f"- {' '.join(item.span.value.split())}")
            for child in item.children:
                items(child, level + 1)

    items(block, depth + 1)
    return lines


def outline(doc: Document) -> str:
    """The document tree as text: a line per heading (with its level), paragraph (its first five words),
    labelled paragraph (its label), list (then its items, nested), table (then its rows) and question (then its
    answer), indented two spaces a level; the layout of ``tests/articles/README.md``."""
    lines: list[str] = []

    def section(node, depth: int) -> None:
        lines.append("  " * depth + f"h{node.level} {' '.join(node.heading.value.split())}")
        for block in node.blocks:
            lines.extend(_block_lines(block, depth + 1))
        for child in node.children:
            section(child, depth + 1)

    section(doc.root, 0)
    return "\n".join(lines) + "\n"
