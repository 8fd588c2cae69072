"""Decision factors and questions and answers.

- In a section about choosing (``How to choose``, ``Which is right for you?``, ``Things to consider``), every
  ``Label: text`` paragraph, term and description, and labelled list item is a factor.
- Anywhere, the items of a list introduced as what the choice depends on (``The choice depends on:``, ``based on
  factors such as:``) are factors, with their labels where they have them.
- Each question of a questions-and-answers block, with the blocks up to the next question as its answer.
"""

from __future__ import annotations

from typing import NamedTuple

from pipeline.document import Document, Kind, Section, Span
from pipeline.extract import language
from pipeline.extract.context import Place

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


def factors(places: list[Place], chain: dict[int, list[Section]]) -> list[Factor]:
    found: list[Factor] = []
    for place in places:
        section, block = place.section, place.block
        choosing = _choosing(chain[id(section)] + [section])
        if block.kind is Kind.LABELLED and choosing:
            found.append(Factor(block.label, block.body, section, block.source_line))
        elif block.kind is Kind.LIST:
            depends = place.lead is not None and language.DEPENDS_ON.search(place.lead.sentence.value)
            labelled = sum(1 for item in block.items if item.label is not None)
            if depends:
                for item in block.items:
                    if item.label is not None:
                        found.append(Factor(item.label, item.body, section, item.source_line or block.source_line))
                    else:
                        found.append(Factor(None, item.span, section, item.source_line or block.source_line))
            elif choosing and labelled >= MIN_LABELLED_ITEMS:
                for item in block.items:
                    if item.label is not None:
                        found.append(Factor(item.label, item.body, section, item.source_line or block.source_line))
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
