"""Where a block sits: the headings above it, the lead-in that governs it, and whose it is.

The walk gives every block of the article (questions and answers apart) with its section, its heading path
(the headings from the one below the title down to its own, ``Label:`` group lines included) and its lead-in: the
sentence ending in a colon right before it. A lead-in governs the lists and tables that follow it, across the
group lines and sub-headings below its own section, until a paragraph that is not a lead-in or a heading at its
own level or above.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from pipeline.document import Block, Document, Kind, Section, Span
from pipeline.extract import language
from pipeline.extract.text import last_sentence
from pipeline.names import Names

PATH_SEPARATOR = " > "
# What comes right before a therapy taken with the one a sentence is about: "alpha with a beta pill".
ALONGSIDE = re.compile(r"\b(?:with|alongside|plus)\s+(?:a\s+|an\s+|the\s+|your\s+)?$", re.IGNORECASE)


class Lead(NamedTuple):
    """A lead-in: its sentence (ending in a colon), the paragraph that holds it, the paragraph right before that
    one (which may say whose list it is; in the same section, its words about frequency and seriousness count
    for the list too), and the level of the section it belongs to."""

    sentence: Span
    paragraph: Span
    previous: Span | None
    level: int
    intro: Span | None = None  # the section's opening paragraph ("Serious side effects are rare."), if before it
    previous_in_section: bool = True  # (False: a heading stands between: "Hair loss" and its paragraph, then
    # "Other possible effects" and its lead-in; the paragraph speaks of its own heading's effect)


@dataclass(slots=True)
class Place:
    section: Section
    block: Block
    lead: Lead | None
    previous: Block | None  # the block before it in its section


def scope_level(section: Section, ancestors: list[Section]) -> int:
    """The level of the nearest section at or above ``section`` that is not a group line."""
    for node in [section] + ancestors[::-1]:
        if not node.group:
            return node.level
    return 1


def walk(doc: Document):
    """Every block of the article outside its questions and answers, in order, with its place."""
    lead: Lead | None = None
    last: list[Block | None] = [None]  # the block before, in reading order (across a heading)

    def visit(section: Section, ancestors: list[Section]):
        nonlocal lead
        if section.qa:
            lead = None
            return
        if lead is not None and section.level <= lead.level:
            lead = None
        previous: Block | None = last[0]
        last_before = previous  # (the block before the section's heading)
        opening = section.blocks[0].span if section.blocks and section.blocks[0].kind is Kind.PARAGRAPH \
            and not section.blocks[0].span.value.rstrip().endswith(":") else None
        for block in section.blocks:
            if block.kind is Kind.PARAGRAPH and block.span.value.rstrip().endswith(":"):
                before = previous.span if previous is not None and previous.kind in (Kind.PARAGRAPH, Kind.LABELLED) \
                    else None
                intro = opening if opening is not None and opening is not before else None
                lead = Lead(last_sentence(block.span), block.span, before, scope_level(section, ancestors), intro,
                            previous is not last_before)
            elif block.kind in (Kind.PARAGRAPH, Kind.LABELLED, Kind.QUESTION):
                yield Place(section, block, None, previous)
                lead = None
                previous = block
                last[0] = previous
                continue
            yield Place(section, block, lead, previous)
            previous = block
        last[0] = previous
        for child in section.children:
            yield from visit(child, ancestors + [section])

    yield from visit(doc.root, [])


def path_text(path: tuple[Span, ...]) -> str | None:
    return PATH_SEPARATOR.join(" ".join(h.value.split()) for h in path) or None


def ancestors_of(doc: Document) -> dict[int, list[Section]]:
    """id(section) → its ancestors, the root first."""
    found: dict[int, list[Section]] = {}

    def visit(section: Section, above: list[Section]) -> None:
        found[id(section)] = above
        for child in section.children:
            visit(child, above + [section])

    visit(doc.root, [])
    return found


class Owners:
    """Whose a list, a sentence or a section is: the approaches the article compares, found by their names."""

    def __init__(self, names: Names, count: int, parents: list[int | None] | None = None):
        """``names``: the therapies' patterns, the ``count`` classes first; ``parents``: each one's parent."""
        self.names = names
        self.count = count
        self.parents = parents or [None] * count

    def columns(self, header) -> dict[int, int]:
        """The columns of a table (its header cells after the first) that each name one approach: index → it."""
        found = {}
        for index, cell in enumerate(header[1:], start=1):
            named = self.named(cell.value)
            if len(named) == 1:
                found[index] = named[0]
        return found

    def named(self, text: str | None) -> list[int]:
        """The therapies a text names; of a therapy and its class (or type) both named, the wider one."""
        found = self.names.named(text)
        if len(found) < 2:
            return found
        return [index for index in found if not any(self._above(other, index) for other in found if other != index)]

    def _above(self, upper: int, index: int) -> bool:
        parent = self.parents[index] if index < len(self.parents) else None
        while parent is not None:
            if parent == upper:
                return True
            parent = self.parents[parent]
        return False

    def in_text(self, text: str | None) -> list[int]:
        """The approaches a lead-in or sentence gives its list to: the one it names, each it names, or all of
        them where it says ``both``/``either``; none where it names none."""
        if not text:
            return []
        named = self.named(text)
        if len(named) > 1:  # "If you take alpha with a beta pill, you may notice:": the list is alpha's
            alone = [index for index in named if not all(
                ALONGSIDE.search(text, 0, found.start()) for found in self.names.patterns[index].finditer(text))]
            named = alone or named
        if len(named) == 1 and language.ONLY.match(text):
            return named
        if not named and self.count > 1 and language.BOTH.search(text):
            return list(range(self.count))
        return named

    def of(self, texts: list[str | None], path: tuple[Span, ...], after: list[str | None] = ()) -> list[int]:
        """The owners: those the first text naming any gives, else the nearest heading naming exactly one (a
        heading naming several approaches is no answer; one naming several of their members is passed), else
        those the first of the ``after`` texts (the paragraph before a lead-in) gives, else the only approach of
        a one-approach article."""
        for text in texts:
            found = self.in_text(text)
            if found:
                return found
        for heading in reversed(path):
            named = self.named(heading.value)
            if len(named) == 1:
                return named
            if len(named) > 1 and any(index < self.count for index in named):
                break  # (a heading naming two of the members, "Alvex and Betamist", leaves it to the one above)
        for text in after:
            found = self.in_text(text)
            if found:
                return found
        return [0] if self.count == 1 else []
