"""The rules: an article's document model → rows, by reading its structure and plain-language markers.

- the two approaches (``class`` therapies) are the two names the title compares;
- a therapy's immune effect is the verb of the first sentence whose subject is the approach and which
  says what it does to the immune response;
- ``types of X, including A, B, and C`` gives types of the class X;
- a section whose heading names one approach and asks what it treats holds its conditions: subheadings
  are groups, and enumerations (``such as``, ``including``, ``like``) or list items under them are
  conditions;
- a list whose lead-in sentence, subheading or heading speaks of side effects lists side effects; its
  frequency and seriousness come from the words of that subheading or lead-in, nothing else;
- a run of ``Label: text`` paragraphs is a list of decision factors; the block after the question-and-
  answer heading is the FAQ.
"""

from __future__ import annotations

import re

from pipeline.document import LISTS, PROSE, Block, Document, Kind, Section, Span
from pipeline.errors import PipelineError
from pipeline.extract.ids import slug
from pipeline.extract.sentences import enumeration, first_enumeration, has_any, sentences, sub
from schemas.records import (
    ConditionRow,
    DecisionFactorRow,
    FaqRow,
    IndicationRow,
    SideEffectExampleRow,
    SideEffectRow,
    TherapyRow,
    TherapySideEffectRow,
)

TITLE_PAIR = (
    re.compile(r"\bbetween\s+(?P<a>.+?)\s+(?:and|vs\.?|versus)\s+(?P<b>.+?)\s*[?.!]?$", re.IGNORECASE),
    re.compile(r"^(?:[^:]*:\s+)?(?P<a>[^:]+?)\s+(?:vs\.?|versus)\s+(?P<b>[^:]+?)\s*(?:[:?.!].*)?$", re.IGNORECASE),
    re.compile(r"^(?P<a>[^:]+?)\s+(?:and|or)\s+(?P<b>[^:]+?)(?::.*)?$", re.IGNORECASE),
)
LEADING_CONNECTOR = re.compile(r"(?:[A-Z][\w’']*(?:\s+[\w’']+){0,4}),\s+")
CLAUSE_END = re.compile(r";|,?\s(?:whereas|while|but|unlike|instead)\s", re.IGNORECASE)
NEGATED = re.compile(r"\b(?:not|never|no|cannot|without)\s+(?:\w+\s+)?$|n[’']t\s+(?:\w+\s+)?$", re.IGNORECASE)
ENHANCE = re.compile(r"\b(?:enhanc|boost|strengthen|stimulat|activat|amplif)\w*", re.IGNORECASE)
SUPPRESS = re.compile(r"\b(?:suppress|dampen|inhibit|lower|reduc|decreas|weaken)\w*", re.IGNORECASE)
IMMUNE = re.compile(r"\bimmun", re.IGNORECASE)
TYPE_WORDS = ("type", "kind", "form", "class", "categor")
TYPES_OF = r"\b(?:types|kinds|forms|classes|categories)\s+of\s+"
ANY_TYPES_OF = re.compile(TYPES_OF, re.IGNORECASE)
ENUM_INTRO = re.compile(r",?\s+(?:including|such as|like|e\.g\.,?)\s+(?=\S)|:\s+(?=\S)", re.IGNORECASE)
ITEM_EXAMPLES = (
    re.compile(r"(?P<name>.+?),?\s+(?:such as|like|including|e\.g\.,?)\s+(?P<rest>\S.*?)\.?$", re.IGNORECASE),
    re.compile(r"(?P<name>[^()]+?)\s*\((?:e\.g\.,?\s*)?(?P<rest>[^()]+)\)\.?$", re.IGNORECASE),
)
# What every item with examples holds (a cheap test before ITEM_EXAMPLES).
EXAMPLE_MARK = re.compile(r"\s(?:such as|like|including|e\.g\.,?)\s|\(", re.IGNORECASE)
SIDE_EFFECTS = re.compile(r"\bside[- ]effects?\b", re.IGNORECASE)
INDICATION_HEADING = re.compile(r"\b(?:conditions?|diseases?|disorders?|treat\w*|used\s+for|uses)\b",
                                re.IGNORECASE)
LESS_COMMON = re.compile(r"\b(?:less[- ]common|uncommon|rare|infrequent)\b", re.IGNORECASE)
COMMON = re.compile(r"\b(?:common|frequent|usual)\b", re.IGNORECASE)
SERIOUS = re.compile(r"(?<!not )(?<!less )\bserious\b", re.IGNORECASE)


class Rows:
    """One article's rows, by table, and what the rules noticed but could not use."""

    __slots__ = ("rows", "warnings")

    def __init__(self, tables: tuple[str, ...]):
        self.rows: dict[str, list] = {name: [] for name in tables}
        self.warnings: list[str] = []


class Classes:
    """The compared approaches and how to find them in text."""

    def __init__(self, names: list[Span]):
        self.names = names
        self.ids = [slug(n.value) for n in names]
        self.patterns = [re.compile(r"\b" + re.escape(n.value) + r"\b", re.IGNORECASE) for n in names]

    def mentioned(self, text: str) -> list[int]:
        return [i for i, pattern in enumerate(self.patterns) if pattern.search(text)]

    def only_one(self, *texts: str | None) -> int | None:
        """The class that the first text naming exactly one class names."""
        for text in texts:
            if text:
                found = self.mentioned(text)
                if len(found) == 1:
                    return found[0]
        return None


def compared_classes(doc: Document) -> Classes:
    title = doc.title
    for pattern in TITLE_PAIR:
        match = pattern.search(title.value)
        if match:
            spans = [sub(title, match.start(g), match.end(g)) for g in ("a", "b")]
            if all(s.value for s in spans) and slug(spans[0].value) != slug(spans[1].value):
                return Classes(spans)
    raise PipelineError("the title does not name two approaches ('... Between A and B', 'A vs B')",
                        doc.path, title.line)


def _paragraphs(doc: Document):
    for section in doc.sections:
        for block in section.blocks:
            if block.kind in PROSE:
                yield section, block


def _immune_effects(doc: Document, classes: Classes) -> list[tuple | None]:
    """Per class: (effect, verb span) from the first sentence whose subject is the class."""
    effects: list[tuple | None] = [None] * len(classes.names)
    for _, block in _paragraphs(doc):
        if all(effects):
            break
        if "immun" not in block.span.value.lower() or not IMMUNE.search(block.span.value):
            continue  # no sentence of it can say what an approach does to the immune response
        for sentence in sentences(block.span):
            connector = LEADING_CONNECTOR.match(sentence.value)
            for index, pattern in enumerate(classes.patterns):
                subject = pattern.match(sentence.value) or (connector and pattern.match(sentence.value,
                                                                                         connector.end()))
                if effects[index] or not subject:
                    continue
                rest = sentence.value[subject.end():]
                ends = [m.start() for m in CLAUSE_END.finditer(rest)]
                ends += [m.start() for other in classes.patterns if other is not pattern
                         for m in other.finditer(rest)]
                clause = rest[:min(ends)] if ends else rest
                immune = [m.start() for m in IMMUNE.finditer(clause)]
                if not immune:
                    continue
                # a verb counts only if "immun..." follows it; found once, as a line can be megabytes long
                verbs = [(m, "enhance") for m in ENHANCE.finditer(clause, 0, immune[-1])]
                verbs += [(m, "suppress") for m in SUPPRESS.finditer(clause, 0, immune[-1])]
                verbs = [(m, e) for m, e in verbs
                         if m.end() <= immune[-1] and not NEGATED.search(clause, max(0, m.start() - 40), m.start())]
                if verbs:
                    verb, effect = min(verbs, key=lambda v: v[0].start())
                    offset = subject.end() + verb.start()
                    effects[index] = (effect, Span(verb.group(), sentence.line, sentence.start + offset,
                                                   sentence.start + offset + len(verb.group())))
    return effects


def therapies(doc: Document, doc_id: str, classes: Classes, out: Rows) -> None:
    effects = _immune_effects(doc, classes)
    no_effect = {"immune_effect": None, "immune_effect_word": None, "immune_effect_line": None,
                 "immune_effect_char_start": None, "immune_effect_char_end": None}
    for index, name in enumerate(classes.names):
        effect = effects[index]
        stated = {"immune_effect": effect[0], "immune_effect_word": effect[1].value,
                  "immune_effect_line": effect[1].line, "immune_effect_char_start": effect[1].start,
                  "immune_effect_char_end": effect[1].end} if effect else no_effect
        out.rows["therapies"].append(TherapyRow(
            therapy_id=classes.ids[index], name=name.value, level="class", parent_id=None, **stated,
            document_id=doc_id, line=name.line, char_start=name.start, char_end=name.end))
    types_of: list = []  # compiled when first needed: few paragraphs speak of types at all
    for _, block in _paragraphs(doc):
        lowered = block.span.value.lower()  # substring tests first: the pattern is slow to fail
        if not has_any(lowered, TYPE_WORDS) or not ANY_TYPES_OF.search(block.span.value):
            continue
        types_of = types_of or [re.compile(TYPES_OF + "(" + p.pattern + ")", re.IGNORECASE)
                                for p in classes.patterns]
        for sentence in sentences(block.span):
            for index, pattern in enumerate(types_of):
                match = pattern.search(sentence.value)
                intro = match and ENUM_INTRO.match(sentence.value, match.end())
                if not intro:
                    continue
                for item in enumeration(sentence, intro.end()):
                    out.rows["therapies"].append(TherapyRow(
                        therapy_id=slug(item.value), name=item.value, level="type", parent_id=classes.ids[index],
                        **no_effect, document_id=doc_id, line=item.line, char_start=item.start,
                        char_end=item.end))


def indications(section: Section, doc_id: str, therapy_id: str, out: Rows) -> None:
    group: Span | None = None

    def add(item: Span, parent: Span | None) -> None:
        condition_id = slug(item.value)
        out.rows["conditions"].append(ConditionRow(
            condition_id=condition_id, name=item.value, parent_id=slug(parent.value) if parent else None,
            document_id=doc_id, line=item.line, char_start=item.start, char_end=item.end))
        out.rows["indications"].append(IndicationRow(
            document_id=doc_id, therapy_id=therapy_id, condition_id=condition_id, item_text=item.value,
            line=item.line, char_start=item.start, char_end=item.end))

    for block in section.blocks:
        if block.kind is Kind.SUBHEADING:
            group = block.span
            add(group, None)
        elif block.kind in LISTS:
            for item in block.items:
                add(item, group)
        elif block.kind in PROSE:
            for sentence in sentences(block.span):
                for item in first_enumeration(sentence):
                    add(item, group)


def _lead_in(previous: Block | None) -> Span | None:
    if previous and previous.kind is Kind.PARAGRAPH and previous.span.value.endswith(":"):
        return sentences(previous.span)[-1]
    return None


def _side_effect_item(item: Span) -> tuple[Span, list[Span]]:
    if not EXAMPLE_MARK.search(item.value):
        return item, []  # the patterns below backtrack a lot: most items have no examples at all
    for pattern in ITEM_EXAMPLES:
        match = pattern.fullmatch(item.value)
        if match:
            examples = enumeration(item, match.start("rest"))
            if examples:
                return sub(item, match.start("name"), match.end("name")), examples
    return item, []


def side_effects(section: Section, doc: Document, doc_id: str, classes: Classes, out: Rows) -> None:
    heading = section.heading.span.value if section.heading else None
    subheading: Span | None = None
    previous: Block | None = None
    lists_found = 0
    for block in section.blocks:
        if block.kind is Kind.SUBHEADING:
            if subheading and SIDE_EFFECTS.search(subheading.value):
                _warn_no_items(out, doc, subheading, "subheading")
            subheading = block.span
        elif block.kind in LISTS:
            lead_in = _lead_in(previous)
            contexts = [lead_in.value if lead_in else None, subheading.value if subheading else None, heading]
            if any(c and SIDE_EFFECTS.search(c) for c in contexts):
                owner = classes.only_one(*contexts)
                if owner is None:
                    out.warnings.append(f"{doc.path}:{block.span.line}: a side-effect list names neither "
                                        "approach, or both, in its lead-in, subheading and heading; skipped")
                else:
                    source = subheading or lead_in or section.heading.span
                    _side_effect_list(block, source.value, doc_id, classes.ids[owner], out)
                lists_found += 1
            subheading = None
        previous = block
    if subheading and SIDE_EFFECTS.search(subheading.value):
        _warn_no_items(out, doc, subheading, "subheading")
    if section.heading and SIDE_EFFECTS.search(section.heading.span.value) and not lists_found:
        _warn_no_items(out, doc, section.heading.span, "heading")
        out.warnings.sort(key=_warning_line)


def _warn_no_items(out: Rows, doc: Document, where: Span, what: str) -> None:
    out.warnings.append(f"{doc.path}:{where.line}: a side-effects {what} with no list of items under it; "
                        "no side effects read there")


def _warning_line(warning: str) -> int:
    """The line a warning of this article points at (``path:line: ...``); sorting keeps the text order."""
    found = re.search(r":(\d+): ", warning)
    return int(found.group(1)) if found else 0


def _side_effect_list(block: Block, source: str, doc_id: str, therapy_id: str, out: Rows) -> None:
    frequency = "less_common" if LESS_COMMON.search(source) else "common" if COMMON.search(source) \
        else "not_stated"
    seriousness = "serious" if SERIOUS.search(source) else "not_stated"
    for item, position in zip(block.items, block.positions):
        name, examples = _side_effect_item(item)
        effect_id = slug(name.value)
        out.rows["side_effects"].append(SideEffectRow(
            side_effect_id=effect_id, name=name.value, document_id=doc_id, line=name.line, char_start=name.start,
            char_end=name.end))
        out.rows["therapy_side_effects"].append(TherapySideEffectRow(
            document_id=doc_id, therapy_id=therapy_id, side_effect_id=effect_id, frequency=frequency,
            seriousness=seriousness, position=position, source_heading=source, item_text=item.value,
            line=item.line, char_start=item.start, char_end=item.end))
        for number, example in enumerate(examples, start=1):
            out.rows["side_effect_examples"].append(SideEffectExampleRow(
                document_id=doc_id, therapy_id=therapy_id, side_effect_id=effect_id, position=number,
                example=example.value, line=example.line, char_start=example.start, char_end=example.end))


def decision_factors(doc: Document, doc_id: str, out: Rows) -> None:
    position = 0
    for section in doc.sections:
        labelled = [b for b in section.blocks if b.kind is Kind.LABELLED]
        if len(labelled) < 2:
            continue
        heading = section.heading.span.value if section.heading else doc.title.value
        for block in labelled:
            position += 1
            label, body = block.label, block.body
            out.rows["decision_factors"].append(DecisionFactorRow(
                document_id=doc_id, position=position, label=label.value, text=body.value, source_heading=heading,
                line=label.line, char_start=label.start, char_end=label.end, text_char_start=body.start,
                text_char_end=body.end))


def faqs(section: Section, doc: Document, doc_id: str, out: Rows) -> None:
    pairs: list[tuple[Block, list[Block]]] = []
    for block in section.blocks:
        if block.kind is Kind.QUESTION:
            pairs.append((block, []))
        elif pairs:
            pairs[-1][1].append(block)
    position = 0
    for question, answer in pairs:
        if not answer:
            out.warnings.append(f"{doc.path}:{question.span.line}: a question with no answer; skipped")
            continue
        position += 1
        start, end = answer[0].span.start, answer[-1].span.end
        q = question.span
        out.rows["faqs"].append(FaqRow(
            document_id=doc_id, position=position, question=q.value, answer=doc.text[start:end], line=q.line,
            char_start=q.start, char_end=q.end, answer_char_start=start, answer_char_end=end))
