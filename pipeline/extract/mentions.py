"""An article's rows → its mentions and relations: labelled spans for named-entity recognition and relation
extraction, from the article's own extracted names (no list of names of ours).

Every place the text names one of the article's therapies, side effects, conditions or examples (their names
and aliases, on word boundaries, without regard to case) is a mention; a row's own item is one even where it
cuts a word. The relations are the rows of therapy_side_effects, indications and side_effect_examples, each
between the mention of its head nearest before its tail and the tail's own mention.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from pipeline.document import Span
from pipeline.extract.ids import slug
from pipeline.extract.text import at
from schemas.records import RECORDS

LABELS = ("THERAPY", "SIDE_EFFECT", "CONDITION", "EXAMPLE")  # (their order breaks ties between equal spans)
MIN_LENGTH = 2
# Where the names are, and the rows' own items: (table, label, id column, name column or None, whether the row's
# span is a mention of it, or only the item that holds one, and whether the term tables link the name).
SOURCES = (("document_therapies", "THERAPY", "therapy_id", "name", True, False),
           ("therapy_aliases", "THERAPY", "therapy_id", "alias", True, False),
           ("document_side_effects", "SIDE_EFFECT", "side_effect_id", "name", True, True),
           ("side_effect_aliases", "SIDE_EFFECT", "side_effect_id", "alias", True, True),
           ("therapy_side_effects", "SIDE_EFFECT", "side_effect_id", None, False, False),
           ("document_conditions", "CONDITION", "condition_id", "name", True, True),
           ("indications", "CONDITION", "condition_id", "item_text", True, False))


class Found(NamedTuple):
    start: int
    end: int
    label: str
    entity: str
    via: str  # "name" (the article's own name or alias) or "ontology_label"


def _surfaces(rows: dict, term_labels=None) -> tuple[dict[str, set], dict[tuple, list], list[Found]]:
    """The names to look for (lower case → (label, entity, via)), the spans that are rows' own items per (label,
    entity), and the mentions those own spans are. ``term_labels(name, label)``: the labels of the terms the
    ontologies link a whole name of that label to; such a label is looked for too, where the article does not
    use it as a name of its own."""
    names: dict[str, set] = {}
    own: dict[tuple, list] = {}
    exact: list[Found] = []
    linked: list[tuple] = []

    def name(value, label, entity, is_linked=False):
        if value and len(value.strip()) >= MIN_LENGTH:
            names.setdefault(value.lower(), set()).add((label, entity, "name"))
            if is_linked:
                linked.append((value, label, entity))

    def item(start, end, label, entity, is_mention):
        own.setdefault((label, entity), []).append((start, end))
        if is_mention:
            exact.append(Found(start, end, label, entity, "name"))

    for table, label, id_column, name_column, is_mention, is_linked in SOURCES:
        for row in rows[table]:
            entity = getattr(row, id_column)
            if name_column:
                name(getattr(row, name_column), label, entity, is_linked)
            item(row.char_start, row.char_end, label, entity, is_mention)
    for row in rows["side_effect_examples"]:
        entity = slug(row.example)
        if entity:
            name(row.example, "EXAMPLE", entity, True)
            item(row.char_start, row.char_end, "EXAMPLE", entity, True)
    if term_labels:
        labels: dict[str, set] = {}
        for value, label, entity in linked:
            for found in term_labels(value, label):
                if len(found.strip()) >= MIN_LENGTH and found.lower() not in names:
                    labels.setdefault(found.lower(), set()).add((label, entity, "ontology_label"))
        names.update(labels)
    return names, own, exact


def _word(char: str) -> bool:
    return char.isalnum() or char == "_"


TOKEN = re.compile(r"\w+")  # (for a str pattern, \w is exactly what _word says: alphanumeric or "_")


def word_index(lowered: str) -> dict[str, list[int]]:
    """Where each word of the (lower-cased) text starts, in order."""
    index: dict[str, list[int]] = {}
    for found in TOKEN.finditer(lowered):
        index.setdefault(found.group(), []).append(found.start())
    return index


def _starts(words: dict[str, list[int]], surface: str) -> list[int] | None:
    """Where ``surface`` may start: the places of its rarest word, moved back by that word's offset in it (a
    superset of its occurrences, checked by the caller); None for a surface without a word."""
    choices = []
    for token in TOKEN.finditer(surface):
        closed = token.end() < len(surface)  # a word with a non-word character after it stands alone in the text
        keys = (token.group(),) if closed else (token.group(), token.group() + "s", token.group() + "es")
        choices.append((sum(len(words.get(key, ())) for key in keys), token.start(), keys))
    if not choices:
        return None
    _, offset, keys = min(choices)
    return sorted(start - offset for key in keys for start in words.get(key, ()))


def _occurrences(text: str, lowered: str, surface: str, words: dict[str, list[int]]):
    """Where ``surface`` (lower case) stands in the text as whole words, or with a plural ending (``rash`` in
    ``rashes``). ``words``: the :func:`word_index` of ``lowered``, so that a text of many names is not read once
    per name."""
    if len(lowered) != len(text):  # lower() changed the length (a dotted capital I): ask the regex engine
        for found in re.finditer(r"(?<!\w)" + re.escape(surface) + r"(?:e?s)?(?!\w)", text, re.IGNORECASE):
            yield found.start(), found.end()
        return
    starts = _starts(words, surface)
    if starts is None:  # no word in it: look for it everywhere
        starts, start = [], lowered.find(surface)
        while start >= 0:
            starts.append(start)
            start = lowered.find(surface, start + 1)
    for start in starts:
        if start < 0 or not lowered.startswith(surface, start):
            continue
        end = start + len(surface)
        if start == 0 or not _word(text[start - 1]) or not _word(surface[0]):
            for plural in ("", "s", "es"):
                stop = end + len(plural)
                if lowered.startswith(plural, end) and (stop == len(text) or not _word(text[stop])
                                                        or not _word(surface[-1]) and not plural):
                    yield start, stop
                    break


def _nested(found: list[Found], length: int) -> set[Found]:
    """The mentions that overlap a longer one, or an equally long one earlier: the rest are a flat layer."""
    covered = bytearray(length + 1)
    nested = set()
    for mention in sorted(found, key=lambda m: (m.start - m.end, m.start, LABELS.index(m.label), m.entity)):
        if covered.find(1, mention.start, mention.end) >= 0:
            nested.add(mention)
        else:
            covered[mention.start:mention.end] = b"\x01" * (mention.end - mention.start)
    return nested


def add_mentions(text: str, rows: dict, doc_id: str, term_labels=None) -> None:
    """Add the article's mentions and relations to its rows (``term_labels``: see :func:`_surfaces`)."""
    names, own, exact = _surfaces(rows, term_labels)
    lowered = text.lower()
    words = word_index(lowered)
    found = {(m.start, m.end, m.label, m.entity): m for m in exact}
    for surface, entities in names.items():
        for start, end in _occurrences(text, lowered, surface, words):
            for label, entity, via in entities:
                found.setdefault((start, end, label, entity), Found(start, end, label, entity, via))
    found = sorted(found.values(), key=lambda m: (m.start, -m.end, LABELS.index(m.label), m.entity))
    nested = _nested(found, len(text))
    whole = Span(text, 1, 0, len(text))
    ids: dict[Found, int] = {}
    for number, mention in enumerate(found, start=1):
        ids[mention] = number
        items = own.get((mention.label, mention.entity), ())
        listed = any(start <= mention.start and mention.end <= end for start, end in items)
        rows["mentions"].append(RECORDS["mentions"](
            document_id=doc_id, mention_id=number, label=mention.label, entity_id=mention.entity,
            text=text[mention.start:mention.end], line=at(whole, mention.start, mention.end).line,
            char_start=mention.start, char_end=mention.end, source="list_item" if listed else "prose",
            via=mention.via, nested=mention in nested))
    _relations(text, rows, doc_id, found, ids)


def _relations(text: str, rows: dict, doc_id: str, found: list[Found], ids: dict[Found, int]) -> None:
    by_entity: dict[tuple, list[Found]] = {}
    for mention in found:  # (in text order)
        by_entity.setdefault((mention.label, mention.entity), []).append(mention)

    def tail(label, entity, start, end):
        """The entity's first mention inside the row's own item."""
        return next((m for m in by_entity.get((label, entity), ()) if start <= m.start and m.end <= end), None)

    def head(label, entity, before: Found):
        """The entity's last mention that ends before the tail starts, else its first."""
        mentions = by_entity.get((label, entity), ())
        earlier = [m for m in mentions if m.end <= before.start]
        return earlier[-1] if earlier else (mentions[0] if mentions else None)

    pairs = []
    for row in rows["therapy_side_effects"]:
        pairs.append(("has_side_effect", ("THERAPY", row.therapy_id),
                      tail("SIDE_EFFECT", row.side_effect_id, row.char_start, row.char_end)))
    for row in rows["indications"]:
        pairs.append(("treats", ("THERAPY", row.therapy_id),
                      tail("CONDITION", row.condition_id, row.char_start, row.char_end)))
    for row in rows["side_effect_examples"]:
        pairs.append(("has_example", ("SIDE_EFFECT", row.side_effect_id),
                      tail("EXAMPLE", slug(row.example), row.char_start, row.char_end)))
    seen = set()
    for relation, (label, entity), end in pairs:
        start = head(label, entity, end) if end is not None else None
        if start is None or (relation, ids[start], ids[end]) in seen:
            continue
        seen.add((relation, ids[start], ids[end]))
        rows["relations"].append(RECORDS["relations"](
            document_id=doc_id, relation=relation, head_mention_id=ids[start], tail_mention_id=ids[end],
            head_id=start.entity, tail_id=end.entity, head_text=text[start.start:start.end],
            head_char_start=start.start, head_char_end=start.end, tail_text=text[end.start:end.end],
            tail_char_start=end.start, tail_char_end=end.end))
