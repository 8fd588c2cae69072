"""Stage 1, extract: an article's document model → rows of the dataset's tables.

The rules read the template's structure and its plain-language markers, never a list of this or that
article's items:

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

Rows are tuples in the column order of the table's schema in ``schemas/tables.py``.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from pipeline.document import Block, Document, Section, Span, parse
from pipeline.errors import PipelineError

TABLE_NAMES = ("documents", "therapies", "conditions", "indications", "side_effects",
               "therapy_side_effects", "side_effect_examples", "decision_factors", "faqs")
ENTITIES = ("therapies", "conditions", "side_effects")  # one row per id (first column) across the corpus

TITLE_PAIR = (
    re.compile(r"\bbetween\s+(?P<a>.+?)\s+(?:and|vs\.?|versus)\s+(?P<b>.+?)\s*[?.!]?$", re.IGNORECASE),
    re.compile(r"^(?:[^:]*:\s+)?(?P<a>[^:]+?)\s+(?:vs\.?|versus)\s+(?P<b>[^:]+?)\s*(?:[:?.!].*)?$", re.IGNORECASE),
    re.compile(r"^(?P<a>[^:]+?)\s+(?:and|or)\s+(?P<b>[^:]+?)(?::.*)?$", re.IGNORECASE),
)
# A sentence runs from a non-space character to the first of . ! ? : followed by white space or the end
# (or to the end): r"\S.*?(?:[.!?:](?=\s|$)|$)", written so that runs of other characters are taken in
# one step instead of one character at a time (three times faster; tests/test_extract.py checks that
# both find the same sentences).
SENTENCE_SIMPLE = r"\S.*?(?:[.!?:](?=\s|$)|$)"
SENTENCE = re.compile(r"\S(?:[^.!?:\n]+|\n(?!\Z)|[.!?:](?!\s|$))*(?:[.!?:](?=\s|$)|$)", re.DOTALL)
LEADING_CONNECTOR = re.compile(r"(?:[A-Z][\w’']*(?:\s+[\w’']+){0,4}),\s+")
CLAUSE_END = re.compile(r";|,?\s(?:whereas|while|but|unlike|instead)\s", re.IGNORECASE)
NEGATED = re.compile(r"\b(?:not|never|no|cannot|without)\s+(?:\w+\s+)?$|n[’']t\s+(?:\w+\s+)?$", re.IGNORECASE)
ENHANCE = re.compile(r"\b(?:enhanc|boost|strengthen|stimulat|activat|amplif)\w*", re.IGNORECASE)
SUPPRESS = re.compile(r"\b(?:suppress|dampen|inhibit|lower|reduc|decreas|weaken)\w*", re.IGNORECASE)
IMMUNE = re.compile(r"\bimmun", re.IGNORECASE)
ENUM_WORDS = ("including", "such as", "like", "e.g.")
ENUM_INTRO = re.compile(r",?\s+(?:including|such as|like|e\.g\.,?)\s+(?=\S)|:\s+(?=\S)", re.IGNORECASE)
TYPE_WORDS = ("type", "kind", "form", "class", "categor")
TYPES_OF = r"\b(?:types|kinds|forms|classes|categories)\s+of\s+"
ANY_TYPES_OF = re.compile(TYPES_OF, re.IGNORECASE)
ITEM_SEPARATOR = re.compile(r"\s*,\s*(?:(?:and|or)\s+)?|\s+(?:and|or|and/or)\s+", re.IGNORECASE)
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
MAX_ITEM_WORDS = 6


@lru_cache(maxsize=1 << 16)  # names repeat within an article and across a corpus
def slug(name: str) -> str:
    """The id of a name: ASCII, lower case, words joined by ``-``.

    A name with no ASCII letters or digits gets ``x-`` and a hash of the name, so ids stay valid and stable.
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    value = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return value or "x-" + hashlib.sha256(name.encode()).hexdigest()[:12]


@dataclass(slots=True)
class Article:
    """One article's rows, by table, and what the extractor noticed but could not use."""

    rows: dict[str, list[tuple]] = field(default_factory=lambda: {name: [] for name in TABLE_NAMES})
    warnings: list[str] = field(default_factory=list)


def _sub(span: Span, begin: int, end: int) -> Span:
    """The part ``span.value[begin:end]`` with surrounding white space and final dots trimmed."""
    value = span.value[begin:end]
    stripped = value.strip().rstrip(".").rstrip()
    begin += len(value) - len(value.lstrip())
    return Span(stripped, span.line, span.start + begin, span.start + begin + len(stripped))


@lru_cache(maxsize=1024)  # every rule reads the same paragraphs' sentences
def _sentences(span: Span) -> tuple[Span, ...]:
    return tuple(_sub(span, m.start(), m.end()) if not m.group().endswith(":")
            else Span(m.group(), span.line, span.start + m.start(), span.start + m.end())
            for m in SENTENCE.finditer(span.value))


def _enumeration(span: Span, begin: int) -> list[Span]:
    """Items of an in-sentence list starting at ``begin``: ``A, B, and C``, ``A or B``.

    The list ends with the sentence, or before the first part too long to be an item.
    """
    end = len(span.value)
    for stop in re.finditer(r"[.;:!?](?=\s|$)|[()]", span.value[begin:]):
        end = begin + stop.start()
        break
    items, cursor = [], begin
    separators = [(m.start() + begin, m.end() + begin) for m in ITEM_SEPARATOR.finditer(span.value[begin:end])]
    for sep_start, sep_end in separators + [(end, end)]:
        item = _sub(span, cursor, sep_start)
        cursor = sep_end
        if not item.value:
            continue
        if len(item.value.split()) > MAX_ITEM_WORDS:
            break
        items.append(item)
    return items


def _has_any(text: str, words: tuple[str, ...]) -> bool:
    for word in words:
        if word in text:
            return True
    return False


def _first_enumeration(sentence: Span) -> list[Span]:
    lowered = sentence.value.lower()
    if ":" not in lowered and not _has_any(lowered, ENUM_WORDS):
        return []  # what ENUM_INTRO needs is not there (a substring test is much quicker than the pattern)
    intro = ENUM_INTRO.search(sentence.value)
    return _enumeration(sentence, intro.end()) if intro else []


class _Classes:
    """The two compared approaches and how to find them in text."""

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


def _compared_classes(doc: Document) -> _Classes:
    title = doc.title
    for pattern in TITLE_PAIR:
        match = pattern.search(title.value)
        if match:
            spans = [_sub(title, match.start(g), match.end(g)) for g in ("a", "b")]
            if all(s.value for s in spans) and slug(spans[0].value) != slug(spans[1].value):
                return _Classes(spans)
    raise PipelineError("the title does not name two approaches ('... Between A and B', 'A vs B')",
                        doc.path, title.line)


def _paragraphs(doc: Document):
    for section in doc.sections:
        for block in section.blocks:
            if block.kind in ("paragraph", "labelled"):
                yield section, block


def _immune_effects(doc: Document, classes: _Classes) -> list[tuple | None]:
    """Per class: (effect, verb span) from the first sentence whose subject is the class."""
    effects: list[tuple | None] = [None] * len(classes.names)
    for _, block in _paragraphs(doc):
        if all(effects):
            break
        if "immun" not in block.span.value.lower() or not IMMUNE.search(block.span.value):
            continue  # no sentence of it can say what an approach does to the immune response
        for sentence in _sentences(block.span):
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


def _therapies(doc: Document, doc_id: str, classes: _Classes, out: Article) -> None:
    effects = _immune_effects(doc, classes)
    for index, name in enumerate(classes.names):
        effect = effects[index]
        evidence = (effect[0], effect[1].value, effect[1].line, effect[1].start, effect[1].end) if effect \
            else (None,) * 5
        out.rows["therapies"].append((classes.ids[index], name.value, "class", None, *evidence,
                                      doc_id, name.line, name.start, name.end))
    types_of: list = []  # compiled when first needed: few paragraphs speak of types at all
    for _, block in _paragraphs(doc):
        lowered = block.span.value.lower()  # substring tests first: the pattern is slow to fail
        if not _has_any(lowered, TYPE_WORDS) or not ANY_TYPES_OF.search(block.span.value):
            continue
        types_of = types_of or [re.compile(TYPES_OF + "(" + p.pattern + ")", re.IGNORECASE)
                                for p in classes.patterns]
        for sentence in _sentences(block.span):
            for index, pattern in enumerate(types_of):
                match = pattern.search(sentence.value)
                intro = match and ENUM_INTRO.match(sentence.value, match.end())
                if not intro:
                    continue
                for item in _enumeration(sentence, intro.end()):
                    out.rows["therapies"].append((slug(item.value), item.value, "type", classes.ids[index],
                                                  None, None, None, None, None,
                                                  doc_id, item.line, item.start, item.end))


def _indications(section: Section, doc_id: str, therapy_id: str, out: Article) -> None:
    group: Span | None = None

    def add(item: Span, parent: Span | None) -> None:
        parent_id = slug(parent.value) if parent else None
        out.rows["conditions"].append((slug(item.value), item.value, parent_id,
                                       doc_id, item.line, item.start, item.end))
        out.rows["indications"].append((doc_id, therapy_id, slug(item.value), item.value,
                                        item.line, item.start, item.end))

    for block in section.blocks:
        if block.kind == "subheading":
            group = block.span
            add(group, None)
        elif block.kind in ("bullets", "numbered"):
            for item in block.items:
                add(item, group)
        elif block.kind in ("paragraph", "labelled"):
            for sentence in _sentences(block.span):
                for item in _first_enumeration(sentence):
                    add(item, group)


def _lead_in(previous: Block | None) -> Span | None:
    if previous and previous.kind == "paragraph" and previous.span.value.endswith(":"):
        return _sentences(previous.span)[-1]
    return None


def _side_effect_item(item: Span) -> tuple[Span, list[Span]]:
    if not EXAMPLE_MARK.search(item.value):
        return item, []  # the patterns below backtrack a lot: most items have no examples at all
    for pattern in ITEM_EXAMPLES:
        match = pattern.fullmatch(item.value)
        if match:
            examples = _enumeration(item, match.start("rest"))
            if examples:
                return _sub(item, match.start("name"), match.end("name")), examples
    return item, []


def _side_effects(section: Section, doc: Document, doc_id: str, classes: _Classes, out: Article) -> None:
    heading = section.heading.span.value if section.heading else None
    subheading: Span | None = None
    previous: Block | None = None
    lists_found = 0
    for block in section.blocks:
        if block.kind == "subheading":
            if subheading and SIDE_EFFECTS.search(subheading.value):
                _warn_no_items(out, doc, subheading, "subheading")
            subheading = block.span
        elif block.kind in ("bullets", "numbered"):
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


def _warn_no_items(out: Article, doc: Document, where: Span, what: str) -> None:
    out.warnings.append(f"{doc.path}:{where.line}: a side-effects {what} with no list of items under it; "
                        "no side effects read there")


def _warning_line(warning: str) -> int:
    """The line a warning of this article points at (``path:line: ...``); sorting keeps the text order."""
    found = re.search(r":(\d+): ", warning)
    return int(found.group(1)) if found else 0


def _side_effect_list(block: Block, source: str, doc_id: str, therapy_id: str, out: Article) -> None:
    frequency = "less_common" if LESS_COMMON.search(source) else "common" if COMMON.search(source) \
        else "not_stated"
    seriousness = "serious" if SERIOUS.search(source) else "not_stated"
    for item, position in zip(block.items, block.positions):
        name, examples = _side_effect_item(item)
        effect_id = slug(name.value)
        out.rows["side_effects"].append((effect_id, name.value, doc_id, name.line, name.start, name.end))
        out.rows["therapy_side_effects"].append((doc_id, therapy_id, effect_id, frequency, seriousness,
                                                 position, source, item.value, item.line, item.start,
                                                 item.end))
        for number, example in enumerate(examples, start=1):
            out.rows["side_effect_examples"].append((doc_id, therapy_id, effect_id, number, example.value,
                                                     example.line, example.start, example.end))


def _decision_factors(doc: Document, doc_id: str, out: Article) -> None:
    position = 0
    for section in doc.sections:
        labelled = [b for b in section.blocks if b.kind == "labelled"]
        if len(labelled) < 2:
            continue
        heading = section.heading.span.value if section.heading else doc.title.value
        for block in labelled:
            position += 1
            label, body = block.label, block.body
            out.rows["decision_factors"].append((doc_id, position, label.value, body.value, heading,
                                                 label.line, label.start, label.end, body.start, body.end))


def _faqs(section: Section, doc: Document, doc_id: str, out: Article) -> None:
    pairs: list[tuple[Block, list[Block]]] = []
    for block in section.blocks:
        if block.kind == "question":
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
        out.rows["faqs"].append((doc_id, position, q.value, doc.text[start:end], q.line, q.start, q.end,
                                 start, end))


def extract_document(doc: Document, doc_id: str, sha256: str, source_path: str) -> Article:
    """All rows one article gives."""
    out = Article()
    disclaimer = doc.disclaimer.value if doc.disclaimer else None
    out.rows["documents"].append((doc_id, doc.title.value, disclaimer, source_path, sha256, len(doc.text),
                                  doc.n_lines, doc.title.line, doc.title.start, doc.title.end))
    classes = _compared_classes(doc)
    _therapies(doc, doc_id, classes, out)
    for section in doc.sections:
        heading = section.heading
        if heading is None:
            continue
        if heading.kind == "qa_heading":
            _faqs(section, doc, doc_id, out)
            continue
        _side_effects(section, doc, doc_id, classes, out)
        if INDICATION_HEADING.search(heading.span.value) and not SIDE_EFFECTS.search(heading.span.value):
            owner = classes.mentioned(heading.span.value)
            if len(owner) == 1:
                before = len(out.rows["indications"])
                _indications(section, doc_id, classes.ids[owner[0]], out)
                if len(out.rows["indications"]) == before:
                    out.warnings.append(f"{doc.path}:{heading.span.line}: a heading on what an approach treats "
                                        "with no conditions under it; no indications read there")
    _decision_factors(doc, doc_id, out)
    _drop_repeats(out)
    return out


def _drop_repeats(out: Article) -> None:
    """Keep the first of rows that repeat a key within the article (a section printed twice); decision
    factors and questions repeat when their label and text, or question and answer, do."""
    keys = {"therapies": 1, "conditions": 1, "side_effects": 1, "indications": 3,
            "therapy_side_effects": 5, "side_effect_examples": 4}
    for table, width in keys.items():
        seen, kept = set(), []
        for row in out.rows[table]:
            key = row[:width]
            if table == "side_effect_examples":
                key = row[:3] + (row[4].casefold(),)
            if key not in seen:
                seen.add(key)
                kept.append(row)
        if table == "side_effect_examples":
            kept = _renumber_examples(kept)
        out.rows[table] = kept
    # A repeated label or question: same text again, so the first is kept and positions close up.
    for table in ("decision_factors", "faqs"):
        seen, kept = set(), []
        for row in out.rows[table]:
            key = (row[2].casefold(), row[3].casefold())
            if key not in seen:
                seen.add(key)
                kept.append(row[:1] + (len(kept) + 1,) + row[2:])
        out.rows[table] = kept


def _renumber_examples(rows: list[tuple]) -> list[tuple]:
    counters: dict[tuple, int] = {}
    renumbered = []
    for row in rows:
        key = row[:3]
        counters[key] = counters.get(key, 0) + 1
        renumbered.append(row[:3] + (counters[key],) + row[4:])
    return renumbered


def extract_text(text: str, path: str, sha256: str, source_path: str) -> Article:
    """Parse and extract one article's decoded text."""
    return extract_document(parse(text, path), document_id(source_path), sha256, source_path)


def document_id(source_path: str) -> str:
    """An article's id: the slug of its file name without ``.txt``."""
    return slug(source_path.rsplit("/", 1)[-1].removesuffix(".txt"))
