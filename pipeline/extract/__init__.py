"""Stage 1, extract: an article's document model → named rows of the dataset's tables.

The rules read structure (heading paths, lists, tables, ``Label: text``, lead-ins, questions and answers) and
plain-language markers, never a list of an article's items or a site's headings:

- :mod:`~pipeline.extract.approaches`: the approaches, their types, drugs and other names;
- :mod:`~pipeline.extract.side_effects`: the side effects of each, with what the text states of them;
- :mod:`~pipeline.extract.uses`: what each is said to treat;
- :mod:`~pipeline.extract.choices`: the decision factors and the questions and answers.

Each rule takes the article's blocks in their places (:mod:`~pipeline.extract.context`) and gives records; this
module turns those into rows.
"""

from __future__ import annotations

import re

from pipeline.document import Document, Kind, Span
from pipeline.extract import approaches as approaches_rules
from pipeline.extract import choices, language, side_effects, uses
from pipeline.extract.context import ancestors_of, path_text, walk
from pipeline.extract.ids import document_id, slug, split_of
from pipeline.extract.mentions import add_mentions
from pipeline.extract.text import sentences
from pipeline.tables import ARTICLE_TABLES, ENTITIES
from schemas.records import RECORDS

# Rows that repeat these columns within an article repeat a section printed twice: the first is kept.
REPEATS = {"document_therapies": ("therapy_id",), "document_conditions": ("condition_id",),
           "document_side_effects": ("side_effect_id",),
           "therapy_aliases": ("therapy_id", "alias", "kind"),
           "indications": ("document_id", "therapy_id", "condition_id"),
           "therapy_side_effects": ("document_id", "therapy_id", "side_effect_id", "frequency", "seriousness",
                                    "severity", "action", "heading_path", "lead_in"),
           "side_effect_aliases": ("side_effect_id", "alias", "kind"),
           "side_effect_examples": ("document_id", "therapy_id", "side_effect_id", "example"),
           "decision_factors": ("label", "text"), "faqs": ("question", "answer")}
CASE_BLIND = ("example", "label", "text", "question", "answer", "alias")  # compared without regard to case
RENUMBERED = {"side_effect_examples": ("document_id", "therapy_id", "side_effect_id"),
              "decision_factors": (), "faqs": ()}  # positions close up within these groups
TABLE_NAMES = ARTICLE_TABLES

__all__ = ["ENTITIES", "TABLE_NAMES", "Extracted", "document_id", "extract_document", "slug"]


class Extracted:
    """One article's rows by table (named records of :mod:`schemas.records`), its warnings, and its profile (what
    the parser saw: format, sections, blocks and furniture by kind) for the build report."""

    __slots__ = ("rows", "warnings", "profile")

    def __init__(self):
        self.rows: dict[str, list] = {name: [] for name in TABLE_NAMES}
        self.warnings: list[str] = []
        self.profile: dict = {}


def profile(doc: Document) -> dict:
    """What the parser saw in an article, counted: for the build report."""
    blocks: dict[str, int] = {}
    sections = 0
    for section in doc.sections():
        sections += section.level > 1
        for block in section.blocks:
            blocks[block.kind.value] = blocks.get(block.kind.value, 0) + 1
    furniture: dict[str, int] = {}
    for piece in doc.furniture:
        furniture[piece.kind] = furniture.get(piece.kind, 0) + 1
    return {"format": doc.format, "sections": sections, "blocks": dict(sorted(blocks.items())),
            "furniture": dict(sorted(furniture.items()))}


def _headings_seen(doc: Document, limit: int = 12) -> str:
    headings = [" ".join(s.heading.value.split()) for s in doc.sections() if s.level > 1]
    shown = "; ".join(headings[:limit]) + ("; ..." if len(headings) > limit else "")
    return shown or "none"


def _words(found, name: str) -> dict:
    """The columns of the words that state an attribute: ``{name}_text``, ``{name}_char_start``, ``_char_end``."""
    words = found.words if found is not None else None
    return {f"{name}_text": words.value if words else None, f"{name}_char_start": words.start if words else None,
            f"{name}_char_end": words.end if words else None}


def extract_document(doc: Document, doc_id: str, sha256: str, source_path: str, whole_name=None,
                     term_labels=None) -> Extracted:
    """All rows one article gives. ``whole_name(text)``: whether an ontology lists a name whole, so that an
    enumeration keeps it as one item (the build passes the ontologies' own; without it, names split at their
    ``and``); ``term_labels(name, label)``: the labels of the terms the ontologies link a whole name of that
    mention label to, whose occurrences are mentions too (without it, only the article's own names are)."""
    out = Extracted()
    out.profile = profile(doc)
    rows = out.rows
    title = doc.title
    meta = doc.meta
    rows["documents"].append(RECORDS["documents"](
        document_id=doc_id, title=title.value, disclaimer=doc.disclaimer.value if doc.disclaimer else None,
        source_path=source_path, sha256=sha256, n_chars=len(doc.text), n_lines=doc.n_lines, line=title.line,
        char_start=title.start, char_end=title.end, format=doc.format, publisher=meta.publisher,
        author=meta.author, date_published=meta.date_published, date_modified=meta.date_modified, url=meta.url,
        source_line=doc.root.source_line, text=doc.text, split=split_of(doc_id)))
    if not doc.subjects:
        out.warnings.append(f"{doc.path}:{title.line}: the title names no approach ('A vs B', 'Side effects of "
                            f"A', or a name alone); only the document row is read; headings seen: "
                            f"{_headings_seen(doc)}")
        return out
    places = list(walk(doc))
    chain = ancestors_of(doc)
    found = approaches_rules.approaches(doc, places)
    _therapies(doc, doc_id, found, out)
    ids = [t.id for t in found.therapies]
    effects = side_effects.find(places, chain, found, out.warnings, doc.path, list(doc.sections()))
    _side_effects(effects, doc_id, ids, out)
    _indications(uses.keep_whole(uses.find(places, chain, found), doc.text, whole_name), doc_id, ids, out)
    _factors(choices.factors(places, chain), doc, doc_id, out)
    _faqs(choices.faqs(doc, out.warnings), doc_id, out)
    if not rows["therapy_side_effects"] and not any("side-effects heading" in w for w in out.warnings):
        beyond = sum(len(rows[name]) for name in TABLE_NAMES if name != "documents") - len(found.therapies)
        said = "no rows beyond its title and approaches" if beyond <= 0 else "no side effects"
        out.warnings.append(f"{doc.path}:{title.line}: {said} found in the article; headings seen: "
                            f"{_headings_seen(doc)}")
    _drop_repeats(out)
    add_mentions(doc.text, rows, doc_id, term_labels)
    return out


def _therapies(doc: Document, doc_id: str, found, out: Extracted) -> None:
    effects = _immune_effects(doc, found)
    for index, therapy in enumerate(found.therapies):
        effect = effects[index] if index < len(effects) else None
        parent = found.therapies[therapy.parent].id if therapy.parent is not None else None
        out.rows["document_therapies"].append(RECORDS["document_therapies"](
            therapy_id=therapy.id, name=therapy.name.value, level=therapy.level, parent_id=parent,
            immune_effect=effect[0] if effect else None, immune_effect_word=effect[1].value if effect else None,
            immune_effect_line=effect[1].line if effect else None,
            immune_effect_char_start=effect[1].start if effect else None,
            immune_effect_char_end=effect[1].end if effect else None, document_id=doc_id, line=therapy.name.line,
            char_start=therapy.name.start, char_end=therapy.name.end, source_line=therapy.source_line))
    for alias in found.aliases:
        out.rows["therapy_aliases"].append(RECORDS["therapy_aliases"](
            document_id=doc_id, therapy_id=found.therapies[alias.therapy].id, alias=alias.alias.value, kind=alias.kind,
            line=alias.alias.line, char_start=alias.alias.start, char_end=alias.alias.end,
            source_line=alias.source_line))


LEADING_CONNECTOR = re.compile(r"(?:[A-Z][\w’']*(?:\s+[\w’']+){0,4}),\s+")
CLAUSE_END = re.compile(r";|,?\s(?:whereas|while|but|unlike|instead)\s", re.IGNORECASE)


def _immune_effects(doc: Document, found) -> list[tuple | None]:
    """Per class: (effect, verb span) from the first sentence whose subject is the class and which says what it
    does to the immune response (``X boosts the immune system``)."""
    patterns = found.owners.names.patterns[:found.classes]
    effects: list[tuple | None] = [None] * found.classes
    for section in doc.sections():
        if section.qa:
            continue
        for block in section.blocks:
            if all(effects):
                return effects
            if block.kind is not Kind.PARAGRAPH or not language.IMMUNE.search(block.span.value):
                continue
            about = None  # the class the sentence before was about, for "It ..." / "They ..."
            for sentence in sentences(block.span):
                connector = LEADING_CONNECTOR.match(sentence.value)
                pronoun = language.PRONOUN_SUBJECT.match(sentence.value)
                starts = [i for i, p in enumerate(patterns) if p.match(sentence.value)]
                for index, pattern in enumerate(patterns):
                    subject = pattern.match(sentence.value) or (connector and pattern.match(sentence.value,
                                                                                             connector.end())) or (
                        pronoun if about == index else None)
                    if effects[index] or not subject:
                        continue
                    rest = sentence.value[subject.end():]
                    ends = [m.start() for m in CLAUSE_END.finditer(rest)]
                    ends += [m.start() for other in patterns if other is not pattern for m in other.finditer(rest)]
                    clause = rest[:min(ends)] if ends else rest
                    immune = [m.start() for m in language.IMMUNE.finditer(clause)]
                    if not immune:
                        continue
                    verbs = [(m, "enhance") for m in language.ENHANCE.finditer(clause, 0, immune[-1])]
                    verbs += [(m, "suppress") for m in language.SUPPRESS.finditer(clause, 0, immune[-1])]
                    verbs = [(m, e) for m, e in verbs if not language.NEGATED.search(
                        clause, max(0, m.start() - 40), m.start())]
                    if verbs:
                        verb, effect = min(verbs, key=lambda v: v[0].start())
                        offset = subject.end() + verb.start()
                        effects[index] = (effect, Span(verb.group(), sentence.line, sentence.start + offset,
                                                       sentence.start + offset + len(verb.group())))
                about = starts[0] if len(starts) == 1 else (about if pronoun else None)
    return effects


def _side_effects(effects: list, doc_id: str, ids: list[str], out: Extracted) -> None:
    rows = out.rows
    memo: dict = {}
    for effect in effects:
        listed = effect.listed
        name = listed.name
        if not name.value:
            continue
        effect_id = slug(name.value)
        stated = side_effects.stated(effect, memo)
        rows["document_side_effects"].append(RECORDS["document_side_effects"](
            side_effect_id=effect_id, name=name.value, document_id=doc_id, line=name.line, char_start=name.start,
            char_end=name.end, source_line=effect.source_line))
        if listed.alias is not None:
            rows["side_effect_aliases"].append(RECORDS["side_effect_aliases"](
                document_id=doc_id, side_effect_id=effect_id, alias=listed.alias.value, kind=listed.alias_kind,
                line=listed.alias.line, char_start=listed.alias.start, char_end=listed.alias.end,
                source_line=effect.source_line))
        lead = effect.lead_sentence
        for owner in effect.owners:
            rate = stated.rate
            rows["therapy_side_effects"].append(RECORDS["therapy_side_effects"](
                document_id=doc_id, therapy_id=ids[owner], side_effect_id=effect_id,
                frequency=stated.frequency.value if stated.frequency else "not_stated",
                seriousness=stated.seriousness.value if stated.seriousness else "not_stated",
                position=effect.position, source_heading=effect.source_heading, item_text=effect.item.value,
                line=effect.item.line, char_start=effect.item.start, char_end=effect.item.end,
                severity=stated.severity.value if stated.severity else "not_stated",
                action=stated.action.value if stated.action else "not_stated",
                frequency_lower=rate.lower if rate else None, frequency_upper=rate.upper if rate else None,
                heading_path=path_text(effect.path), lead_in=lead.value if lead else None,
                lead_in_char_start=lead.start if lead else None, lead_in_char_end=lead.end if lead else None,
                **_words(stated.frequency, "frequency"),
                rate_text=rate.words.value if rate else None, rate_char_start=rate.words.start if rate else None,
                rate_char_end=rate.words.end if rate else None,
                **_words(stated.severity, "severity"), **_words(stated.seriousness, "seriousness"),
                **_words(stated.action, "action"), source_line=effect.source_line))
            for number, example in enumerate(listed.examples, start=1):
                rows["side_effect_examples"].append(RECORDS["side_effect_examples"](
                    document_id=doc_id, therapy_id=ids[owner], side_effect_id=effect_id, position=number,
                    example=example.value, line=example.line, char_start=example.start, char_end=example.end,
                    source_line=effect.source_line))


def _indications(found: list, doc_id: str, ids: list[str], out: Extracted) -> None:
    rows = out.rows
    groups_done: set[tuple] = set()
    for use in found:
        group_id = None
        if use.group is not None and use.group_is_condition:
            group_id = slug(use.group.value)
            for owner in use.owners:
                if (owner, group_id) in groups_done:
                    continue
                groups_done.add((owner, group_id))
                group = use.group
                rows["document_conditions"].append(RECORDS["document_conditions"](
                    condition_id=group_id, name=group.value, parent_id=None, document_id=doc_id, line=group.line,
                    char_start=group.start, char_end=group.end, source_line=use.source_line))
                rows["indications"].append(RECORDS["indications"](
                    document_id=doc_id, therapy_id=ids[owner], condition_id=group_id, item_text=group.value,
                    line=group.line, char_start=group.start, char_end=group.end,
                    heading_path=path_text(use.path[:-1]) if use.path else None, condition_group=None,
                    source_line=use.source_line))
        condition = use.condition
        condition_id = slug(condition.value)
        if condition_id == group_id:
            continue
        rows["document_conditions"].append(RECORDS["document_conditions"](
            condition_id=condition_id, name=condition.value, parent_id=group_id, document_id=doc_id,
            line=condition.line, char_start=condition.start, char_end=condition.end, source_line=use.source_line))
        for owner in use.owners:
            rows["indications"].append(RECORDS["indications"](
                document_id=doc_id, therapy_id=ids[owner], condition_id=condition_id, item_text=condition.value,
                line=condition.line, char_start=condition.start, char_end=condition.end,
                heading_path=path_text(use.path), condition_group=use.group.value if use.group else None,
                source_line=use.source_line))


def _factors(found: list, doc: Document, doc_id: str, out: Extracted) -> None:
    for position, factor in enumerate(found, start=1):
        label, text = factor.label, factor.text
        out.rows["decision_factors"].append(RECORDS["decision_factors"](
            document_id=doc_id, position=position, label=label.value if label else None, text=text.value,
            source_heading=factor.section.heading.value, line=label.line if label else None,
            char_start=label.start if label else None, char_end=label.end if label else None,
            text_char_start=text.start, text_char_end=text.end, heading_path=path_text(factor.section.path),
            text_line=text.line, source_line=factor.source_line))


def _faqs(found: list, doc_id: str, out: Extracted) -> None:
    for position, pair in enumerate(found, start=1):
        q, a = pair.question, pair.answer
        out.rows["faqs"].append(RECORDS["faqs"](
            document_id=doc_id, position=position, question=q.value, answer=a.value, line=q.line,
            char_start=q.start, char_end=q.end, answer_char_start=a.start, answer_char_end=a.end,
            source_line=pair.source_line))


def _drop_repeats(out: Extracted) -> None:
    """Keep the first of rows that repeat (see ``REPEATS``) within the article; positions close up."""
    for table, columns in REPEATS.items():
        seen, kept = set(), []
        for row in out.rows[table]:
            key = tuple(v.casefold() if c in CASE_BLIND and isinstance(v, str) else v
                        for c, v in ((c, getattr(row, c)) for c in columns))
            if key not in seen:
                seen.add(key)
                kept.append(row)
        if table in RENUMBERED:
            counters: dict[tuple, int] = {}
            group = RENUMBERED[table]
            for index, row in enumerate(kept):
                key = tuple(getattr(row, c) for c in group)
                counters[key] = counters.get(key, 0) + 1
                kept[index] = row._replace(position=counters[key])
        out.rows[table] = kept
