"""An HTML page → its elements and its text rendition, with lxml (libxml2's forgiving HTML parser, which also
gives each element's line in the source).

The main content is kept: ``<main>`` (else the ``<article>``, else the body), without what a reader never sees
as the article (scripts, styles, navigation, headers, footers, asides, forms, buttons, cookie banners, and
anything hidden: the ``hidden`` attribute, ``aria-hidden``, ``display: none``, screen-reader-only text).
Headings ``h1``-``h6`` and ``role="heading"`` elements give levels; a paragraph in bold only is a grouping
line; ``ul``/``ol``/``li``, nested; ``table`` with its header cells; ``dl`` as terms and their descriptions;
``details``/``summary`` as a question and its answer; ``<br>`` as a line break; figure captions as furniture.
JSON-LD (``MedicalWebPage``, ``Article``, ``FAQPage``...) and ``<meta>`` give the page's own metadata, and an
FAQPage whose questions the page does not show is added to the rendition as its questions and answers.
"""

from __future__ import annotations

import json
import re

from lxml import etree
from lxml import html as lxml_html

from pipeline.document import Meta, Span
from pipeline.labels import labelled
from pipeline.lines import SPACE
from pipeline.parse.elements import Element, InlineRun, Rendition, Tag, nested_items
from pipeline.parse.furniture import fold

DROPPED = frozenset("script style noscript template svg iframe object embed form nav header footer aside "
                    "input select textarea option label canvas video audio map dialog".split())
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
HIDDEN_CLASS = re.compile(r"(?:^|[\s_-])(?:visually-hidden|sr-only|screen-reader|hidden|cookie|consent|gdpr)"
                          r"(?:$|[\s_-])", re.IGNORECASE)
# Words in a container's class or id that declare what kind of furniture it holds.
HINTS = (("breadcrumb", re.compile(r"breadcrumb", re.I)), ("share", re.compile(r"(?:^|[\s_-])(?:share|social|"
                                   r"sharing)", re.I)),
         ("toc", re.compile(r"(?:^|[\s_-])(?:toc|table-of-contents|contents-list)(?:$|[\s_-])", re.I)),
         ("promo", re.compile(r"(?:^|[\s_-])(?:ad|ads|advert\w*|sponsor\w*|promo\w*|newsletter|cta)(?:$|[\s_-])",
                              re.I)),
         ("related", re.compile(r"(?:^|[\s_-])(?:related|see-also|further-reading)(?:$|[\s_-])", re.I)),
         ("byline", re.compile(r"(?:^|[\s_-])(?:byline|author)(?:$|[\s_-])", re.I)))
ANY_HINT = re.compile("|".join(f"(?:{pattern.pattern})" for _, pattern in HINTS), re.I)
BLOCK_TAGS = frozenset("p div section article main h1 h2 h3 h4 h5 h6 ul ol li dl dt dd table thead tbody tfoot tr "
                       "th td details summary figure figcaption blockquote pre address hr body".split())
HEADINGS = {f"h{level}": level for level in range(1, 7)}
BREAK = "\x00"  # a <br> in gathered text (the HTML parser turns a NUL of the page into U+FFFD)
PAGE_TYPES = ("MedicalWebPage", "WebPage", "Article", "NewsArticle", "BlogPosting", "MedicalScholarlyArticle",
              "HealthTopicContent", "ScholarlyArticle", "Report")


def _classes(element) -> str:
    return f"{element.get('class') or ''} {element.get('id') or ''}"


def _hidden(element) -> bool:
    if element.get("hidden") is not None or element.get("aria-hidden") == "true":
        return True
    style = element.get("style")
    if style and HIDDEN_STYLE.search(style):
        return True
    return bool((element.get("class") or element.get("id")) and HIDDEN_CLASS.search(_classes(element)))


def _drop(element) -> None:
    """Remove an element and its content, keeping the text that follows it (lxml.html's ``drop_tree``)."""
    parent = element.getparent()
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def _text_content(element) -> str:
    return "".join(element.itertext())


def _drop_invisible(root) -> None:
    # The tags never shown, in lxml's own loop; then the elements hidden by their attributes.
    etree.strip_elements(root, *DROPPED, etree.Comment, etree.ProcessingInstruction, with_tail=False)
    for element in root.xpath("//*[@hidden or @aria-hidden or @style or @class or @id]"):
        if element.getparent() is not None and _hidden(element):
            _drop(element)


MIN_JUMP_LINKS = 3


class _Text(InlineRun):
    """The visible text of inline content, with what it is made of (bold, links)."""

    def __init__(self):
        super().__init__()
        self.links = 0  # the links in it, and those of them to a place in the page ("#side-effects")
        self.in_page = 0
        self.worded = False  # a letter or a digit outside the links

    def add(self, text: str | None, bold: bool, link: bool) -> None:
        super().add(text, bold, link)
        if text and not link and not self.worded:
            self.worded = any(char.isalnum() for char in text)  # (stops at the first: most text starts with one)

    @property
    def jump_links(self) -> bool:
        """Links to the page's own sections and nothing else but separators: a table of contents in a row."""
        return self.links >= MIN_JUMP_LINKS and self.in_page == self.links and not self.worded

    def walk(self, element, bold: bool = False, link: bool = False, skip=()) -> None:
        self.add(element.text, bold, link)
        for child in element:
            if isinstance(child.tag, str) and child.tag not in skip:
                if child.tag == "br":
                    self.parts.append(BREAK)
                elif child.tag == "img":
                    pass
                else:
                    if child.tag == "a":
                        self.links += 1
                        self.in_page += (child.get("href") or "").startswith("#")
                    self.walk(child, bold or child.tag in ("strong", "b"), link or child.tag == "a", skip)
            self.add(child.tail, bold, link)

    def text(self) -> str:
        """The text as a browser shows it: white space (line ends of the source too) collapsed, a line per
        ``<br>``."""
        whole = "".join(self.parts)
        if BREAK not in self.parts:  # (the common case)
            return " ".join(whole.split())
        lines = [" ".join(line.split()) for line in whole.split(BREAK)]
        return "\n".join(line for line in lines if line)


def _inline(element, skip=()) -> _Text:
    text = _Text()
    text.walk(element, skip=skip)
    return text


def _has_blocks(element) -> bool:
    return any(isinstance(child.tag, str) and child.tag in BLOCK_TAGS for child in element)


class _Reader:
    def __init__(self):
        self.out = Rendition()
        self.elements: list[Element] = []
        self.groups = 0

    def add(self, element: Element) -> Element:
        self.elements.append(element)
        return element

    def paragraph(self, node, group, hint) -> None:
        text = _inline(node)
        value = text.text()
        if not value:
            return
        span = self.out.line_of(value)
        emphasis = text.emphasis
        if hint is None and text.jump_links:
            hint = "toc"  # ("Overview | Uses | Side effects | FAQ", each a link to "#...")
        element = Element(Tag.PARAGRAPH, span, node.sourceline, emphasis=emphasis, group=group, hint=hint,
                          links_only=text.links_only)
        pair = labelled(span)
        if pair and not emphasis:
            element.kind, element.label, element.body = Tag.LABELLED, pair[0], pair[1]
        self.add(element)

    def heading(self, node, level: int, group, hint) -> None:
        value = _inline(node).text().replace("\n", " ")
        if value:
            self.add(Element(Tag.HEADING, self.out.line_of(value), node.sourceline, level=level, group=group,
                             hint=hint))

    def list(self, node, group, hint) -> None:
        flat: list[tuple[int, object, str, int | None, bool]] = []  # depth, li, text, number, links only

        def collect(listed, depth: int) -> None:
            ordered = listed.tag == "ol"
            number = int(listed.get("start") or 1) if ordered and (listed.get("start") or "1").isdigit() else None
            if ordered and number is None:
                number = 1
            for item in listed:
                if not isinstance(item.tag, str) or item.tag != "li":
                    continue
                text = _inline(item, skip=("ul", "ol"))
                flat.append((depth, item, " ".join(text.text().split()), number,
                             text.links_only))
                for child in item.iter("ul", "ol"):
                    if child.getparent() is item or _only_wrappers(item, child):
                        collect(child, depth + 1)
                if number is not None:
                    number += 1

        collect(node, 0)
        flat = [entry for entry in flat if entry[2]]
        if not flat:
            return
        lines = [("  " * depth + (f"{number}. " if number is not None else "- "), text)
                 for depth, _, text, number, _ in flat]
        spans = self.out.lines_of(lines)

        items = nested_items(spans, [entry[0] for entry in flat], [entry[3] for entry in flat],
                             [entry[1].sourceline for entry in flat], self.out)
        self.add(Element(Tag.LIST, self.out.joined(spans[0], spans[-1]), node.sourceline, items=items,
                         ordered=node.tag == "ol", group=group, hint=hint,
                         links_only=all(entry[4] for entry in flat)))

    def table(self, node, group, hint) -> None:
        rows, header_rows = [], 0
        for row in node.iter("tr"):
            cells = [cell for cell in row if isinstance(cell.tag, str) and cell.tag in ("th", "td")]
            if not cells:
                continue
            rows.append([" ".join(_inline(cell).text().split()) for cell in cells])
            in_head = row.getparent() is not None and row.getparent().tag == "thead"
            if in_head or (header_rows == len(rows) - 1 and all(cell.tag == "th" for cell in cells)):
                header_rows += 1
        if not rows:
            return
        spans = self.out.rows_of(rows)
        self.add(Element(Tag.TABLE, self.out.joined(spans[0][0], spans[-1][-1]), node.sourceline,
                         rows=tuple(tuple(row) for row in spans), header_rows=header_rows, group=group, hint=hint))

    def definitions(self, node, group, hint) -> None:
        term = None
        for child in node:
            if not isinstance(child.tag, str):
                continue
            if child.tag == "dt":
                term = " ".join(_inline(child).text().split())
            elif child.tag == "dd" and term:
                description = " ".join(_inline(child).text().split())
                span = self.out.line_of(f"{term}: {description}")
                label = Span(term, span.line, span.start, span.start + len(term))
                body_start = span.start + len(term) + 2
                body = Span(description, span.line, body_start, body_start + len(description))
                self.add(Element(Tag.LABELLED, span, child.sourceline, label=label, body=body, group=group, hint=hint))
                term = None

    def details(self, node, group, hint) -> None:
        summary = next((child for child in node if isinstance(child.tag, str) and child.tag == "summary"), None)
        if summary is None:
            self.walk(node, group, hint)
            return
        question = " ".join(_inline(summary).text().split())
        if not question:
            return
        start = len(self.elements)
        span = self.out.line_of(question)
        holder = Element(Tag.QUESTION, span, summary.sourceline, group=group, hint=hint)
        _drop(summary)
        self.walk(node, group, hint)
        holder.answer = self.elements[start:]
        del self.elements[start:]
        self.add(holder)

    def walk(self, node, group=None, hint=None) -> None:
        """The elements of a container's content, in order."""
        if node.text and node.text.strip(SPACE) and _has_blocks(node):
            self.out.line_of(" ".join(node.text.split()))  # (loose text beside blocks: written, not an element)
        for child in node:
            if not isinstance(child.tag, str):
                continue
            self.block(child, group, hint)
            if child.tail and child.tail.strip(SPACE) and _has_blocks(node):
                self.out.line_of(" ".join(child.tail.split()))

    def block(self, node, group, hint) -> None:
        tag = node.tag
        own_hint = hint
        if hint is None and (node.get("class") or node.get("id")):
            classes = _classes(node)
            if ANY_HINT.search(classes):  # (most classes declare nothing: one search, not six)
                own_hint = next((kind for kind, pattern in HINTS if pattern.search(classes)), None)
        if tag in HEADINGS:
            self.heading(node, HEADINGS[tag], group, own_hint)
        elif node.get("role") == "heading":
            level = node.get("aria-level") or "2"
            self.heading(node, int(level) if level.isdigit() else 2, group, own_hint)
        elif tag == "p":
            self.paragraph(node, group, own_hint)
        elif tag in ("ul", "ol"):
            self.list(node, group, own_hint)
        elif tag == "table":
            self.table(node, group, own_hint)
        elif tag == "dl":
            self.definitions(node, group, own_hint)
        elif tag == "details":
            self.details(node, group, own_hint)
        elif tag == "figure":
            for child in node:  # a figure's own buttons ("Share on Pinterest") are lines of their own
                if isinstance(child.tag, str) and child.tag == "button" and not _hidden(child):
                    value = " ".join(_inline(child).text().split())
                    if value:
                        self.add(Element(Tag.PARAGRAPH, self.out.line_of(value), child.sourceline))
            caption = next(node.iter("figcaption"), None)
            if caption is not None:
                value = " ".join(_inline(caption).text().split())
                if value:
                    self.add(Element(Tag.PARAGRAPH, self.out.line_of(value), caption.sourceline, hint="image"))
        elif tag in ("img", "hr"):
            return
        elif tag in ("div", "section", "article", "main", "blockquote", "span", "address", "center", "li", "dd",
                     "dt", "tbody") and _has_blocks(node):
            self.groups += 1
            inner = group if tag in ("section", "article", "main") and group is not None else self.groups
            self.walk(node, inner if tag not in ("section", "article", "main") else None, own_hint)
        else:  # an inline container standing as a block (a <div> of text): one paragraph
            self.groups += 1
            self.paragraph(node, group if group is not None else self.groups, own_hint)


def _only_wrappers(item, listed) -> bool:
    """Whether a nested list sits in its item through wrappers only (``<li><div><ul>``)."""
    parent = listed.getparent()
    while parent is not None and parent is not item:
        if parent.tag in ("li", "ul", "ol"):
            return False
        parent = parent.getparent()
    return parent is item


def _json_ld(root) -> list[dict]:
    found = []
    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, dict):
                found.append(item)
                stack.extend(item.get("@graph") or [])
            elif isinstance(item, list):
                stack.extend(item)
    return found


def _types(item: dict) -> set[str]:
    kind = item.get("@type")
    return set(kind) if isinstance(kind, list) else {kind} if isinstance(kind, str) else set()


def _name(value) -> str | None:
    """A JSON-LD value as text: a name, an object's name, names joined."""
    if isinstance(value, list):
        names = [_name(v) for v in value]
        return ", ".join(n for n in names if n) or None
    if isinstance(value, dict):
        return _name(value.get("name"))
    if value is None:
        return None
    return str(value).strip() or None


def _plain(value) -> str:
    """Text that may hold HTML (an FAQPage's answer), as plain text."""
    if not value:
        return ""
    if "<" in value:
        try:
            value = lxml_html.fragment_fromstring(value, create_parent="div").text_content()
        except (etree.ParserError, ValueError):
            pass
    return " ".join(value.split())


def _answer(question: dict) -> str:
    answer = question.get("acceptedAnswer")
    answer = answer[0] if isinstance(answer, list) and answer else answer
    return _plain(answer.get("text")) if isinstance(answer, dict) else ""


def _meta(root, items: list[dict]) -> tuple[Meta, list[tuple[str, str]]]:
    """The page's metadata (its JSON-LD page or article, then its ``<meta>`` tags) and its FAQPage's questions
    and answers."""
    page = next((item for kind in PAGE_TYPES for item in items if kind in _types(item)), {})
    by_id = {item["@id"]: item for item in items if isinstance(item.get("@id"), str)}

    def node(value):
        """A value that only points at another node of the graph (``{"@id": "#org"}``): that node."""
        if isinstance(value, dict) and set(value) == {"@id"}:
            return by_id.get(value["@id"], value)
        return value

    faq = [(_plain(_name(question)), _answer(question))
           for item in items if "FAQPage" in _types(item)
           for question in (item.get("mainEntity") or []) if isinstance(question, dict)]

    def meta_tag(*names):
        for tag in root.iter("meta"):
            if (tag.get("name") in names or tag.get("property") in names) and tag.get("content"):
                return tag.get("content").strip()
        return None

    canonical = next((link.get("href") for link in root.iter("link") if link.get("rel") == "canonical"), None)
    entity = page.get("mainEntityOfPage")
    url = page.get("url") or (entity.get("@id") if isinstance(entity, dict) else entity)
    meta = Meta(title=_name(page.get("headline") or page.get("name")) or meta_tag("og:title"),
                publisher=_name(node(page.get("publisher"))) or meta_tag("og:site_name"),
                author=_name(node(page.get("author"))) or meta_tag("author"),
                date_published=_name(page.get("datePublished")) or meta_tag("article:published_time"),
                date_modified=_name(page.get("dateModified")) or meta_tag("article:modified_time"),
                url=_name(url) or canonical or meta_tag("og:url"))
    return meta, [(question, answer) for question, answer in faq if question and answer]


def read(source: str, path: str) -> tuple[list[Element], str, Meta, int]:
    """An HTML page's elements, its rendition (the text their spans index), its metadata, and the rendition's
    number of lines."""
    # lxml.etree's own elements: lxml.html's element classes cost a Python-level lookup at every step of a walk
    parser = etree.HTMLParser(encoding="utf-8", remove_comments=True)
    root = etree.fromstring(source.encode("utf-8"), parser=parser)
    if root is None:
        root = etree.fromstring(b"<html><body></body></html>", parser=parser)
    meta, faq = _meta(root, _json_ld(root))
    _drop_invisible(root)
    content = next(root.iter("main"), None)
    if content is None:
        articles = list(root.iter("article"))
        content = max(articles, key=lambda a: len(_text_content(a))) if articles else root.find("body")
    if content is None:
        content = root
    reader = _Reader()
    if not any(element.tag == "h1" for element in content.iter()) and meta.title:
        reader.add(Element(Tag.HEADING, reader.out.line_of(meta.title), None, level=1))
    reader.walk(content)
    shown = {fold(element.span.value) for element in reader.elements}
    missing = [(q, a) for q, a in faq if fold(q) not in shown]
    if missing:
        reader.add(Element(Tag.HEADING, reader.out.line_of("Frequently asked questions"), None, level=2))
        for question, answer in missing:
            holder = Element(Tag.QUESTION, reader.out.line_of(question), None)
            holder.answer = [Element(Tag.PARAGRAPH, reader.out.line_of(answer), None)]
            reader.add(holder)
    text = reader.out.text()
    return reader.elements, text, meta, text.count("\n") + 1
