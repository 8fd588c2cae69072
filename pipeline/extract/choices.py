"""Decision factors and questions and answers.

- In a section about choosing (``How to choose``, ``Which is right for you?``, ``Things to consider``), every
  ``Label: text`` paragraph, term and description, and labelled list item is a factor; so are ``Label. text``
  paragraphs and items (``Cost. Generic pills cost less.``) where the section has at least two of them.
- Anywhere, the items of a list introduced as what the choice depends on (``The choice depends on:``, ``based on
  factors such as:``) are factors, with their labels where they have them; so are the ``Label: text``
  paragraphs right after such a lead-in (``the following should be considered:``).
- Each question of a questions-and-answers block, with the blocks up to the next question as its answer.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from pipeline.document import Document, Kind, Section, Span
from pipeline.extract import language
from pipeline.extract.context import Place
from pipeline.labels import dotted

MIN_LABELLED_ITEMS = 2


class Factor(NamedTuple):
    label: Span | None
    text: Span
    section: Section
    source_line: int | None


class Pair(NamedTuple):
    question: Span
    answer: Span
    source_line: int | None


def _choosing(sections: list[Section]) -> bool:
    for section in reversed(sections):
        if section.level == 1 or section.qa:
            return False
        if language.CHOOSING.search(section.heading.value):
            return True
    return False


OPENING_CLAUSE = re.compile(r"\s*(?:depending|based)\s+on\b[^,:]*,", re.IGNORECASE)


def _depends(place: Place) -> bool:
    """A lead-in to what the choice depends on; not one that opens with a clause of its own ("Depending on the
    drug, X is approved to treat:" lists what X treats)."""
    if place.lead is None:
        return False
    sentence = place.lead.sentence.value
    return bool(language.DEPENDS_ON.search(sentence)) and not OPENING_CLAUSE.match(sentence)


def _dotted_count(place: Place) -> int:
    """How many ``Label. text`` readings a paragraph, or a list's unlabelled items, gives."""
    block = place.block
    if block.kind is Kind.PARAGRAPH:
        return 1 if dotted(block.span) else 0
    if block.kind is Kind.LIST and not _depends(place):
        return sum(1 for item in block.items if item.label is None and dotted(item.span))
    return 0


def factors(places: list[Place], chain: dict[int, list[Section]]) -> list[Factor]:
    found: list[Factor] = []
    choosing = [_choosing(chain[id(place.section)] + [place.section]) for place in places]
    dotted_per_section: dict[int, int] = {}
    for place, about_choosing in zip(places, choosing):
        if about_choosing:
            key = id(place.section)
            dotted_per_section[key] = dotted_per_section.get(key, 0) + _dotted_count(place)
    weighed_in = None  # the section where a lead-in says what follows is to be weighed ("should be considered:")
    for place, about_choosing in zip(places, choosing):
        section, block = place.section, place.block
        with_dots = about_choosing and dotted_per_section.get(id(section), 0) >= MIN_LABELLED_ITEMS
        if block.kind is Kind.PARAGRAPH and place.lead is not None and place.lead.paragraph == block.span:
            weighed_in = section if _depends(place) else None
            continue
        if block.kind is not Kind.LABELLED:
            weighed_in = None
        if block.kind is Kind.LABELLED and (about_choosing or weighed_in is section):
            found.append(Factor(block.label, block.body, section, block.source_line))
        elif block.kind is Kind.PARAGRAPH and with_dots and (pair := dotted(block.span)):
            found.append(Factor(pair[0], pair[1], section, block.source_line))
        elif block.kind is Kind.LIST:
            depends = _depends(place)
            labelled = sum(1 for item in block.items if item.label is not None)
            for item in block.items:
                line = item.source_line or block.source_line
                if item.label is not None:
                    if depends or about_choosing and labelled >= MIN_LABELLED_ITEMS:
                        found.append(Factor(item.label, item.body, section, line))
                elif (depends or with_dots) and (pair := dotted(item.span)):
                    found.append(Factor(pair[0], pair[1], section, line))
                elif depends:
                    found.append(Factor(None, item.span, section, line))
    return found


def faqs(doc: Document, warnings: list[str]) -> list[Pair]:
    pairs: list[Pair] = []
    for section in doc.sections():
        if not section.qa:
            continue
        for block in section.blocks:
            if block.kind is not Kind.QUESTION:
                continue
            if not block.answer:
                warnings.append(f"{doc.path}:{block.span.line}: a question with no answer; skipped")
                continue
            first, last = block.answer[0].span, block.answer[-1].span
            answer = Span(doc.text[first.start:last.end], first.line, first.start, last.end)
            pairs.append(Pair(block.span, answer, block.source_line))
    return pairs
