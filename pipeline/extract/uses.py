"""Indications: what each approach is said to treat, prevent or be used for.

- a list after a lead-in about uses (``X is used to treat:``, ``Both are approved for:``), or in a section about
  uses (``Uses``, ``What conditions are treated with X?``) whose lead-in is not about something else;
- a table row labelled as uses (``Used to treat``), one cell per approach's column;
- an enumeration after the uses words of a sentence whose subject is an approach (``X is used to treat A, B and
  C``), or, in a section about uses, after ``to treat``, ``prevent``, ``relieve`` or ``cancers such as``.

A sub-heading or ``Label:`` line under a uses section groups the conditions under it; a group that names a
condition (``Cancer``, not ``To relieve symptoms``) is a condition itself.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from pipeline.document import Block, Kind, Section, Span
from pipeline.extract import language
from pipeline.extract.approaches import Approaches
from pipeline.extract.context import Place
from pipeline.extract.ids import slug
from pipeline.extract.text import enumeration, sentences, sub

_VERB = r"(?:treat|prevent|relieve|ease|lower|manage|control|help\s+with)"
# ("to treat A", "to treat or prevent A")
LEADING_VERB = re.compile(rf"^(?:to\s+)?{_VERB}(?:\s+(?:or|and)\s+{_VERB})?\s+", re.IGNORECASE)
TRAILING = re.compile(r"(?<!\s)\s++[–—-]\s+|:\s|,\s+(?=(?:which|who|that|especially|mainly|usually|often)\b)|"
                      r"\s+(?=(?:while|when|until|because|unless|so\s+that|if)\s)|"
                      r"\s+\((?![^)]*\)\s*\S)", re.IGNORECASE)
NOT_A_CONDITION = re.compile(r"^(?:more|fewer|other|either|together|alone|combined|in|for|with|at|from|by|of|on|into|"
                             r"after|during|it|they|them|"
                             r"adults?|children|kids|teens|teenagers|infants|babies|patients|women|men|"
                             r"this|these|that|"
                             r"those|we|people|a\s+person|you|your|the\s+immune|help|to|what|how|"
                             r"why|when|which|who|more\s+than|less\s+than|up\s+to|(?:a|an)\s+(?:short|long)|many|"
                             r"several|various|"
                             r"(?:a\s+)?(?:wide\s+)?(?:range|variety|number|lot)\s+of)\b|"
                             r"\b(?:doctors?|providers?|prescribe|because|so\s+that)\b|\bfrom\s+(?:\d|age\b|birth\b)|"
                             r"\b(?:time|years?|months?|weeks?|days?|hours?|decades?|it|them)$|"
                             r"\brather\s+than\b|\b(?:less|more)\s+(?:often|commonly|frequently)\s+than\b",
                             re.IGNORECASE)
NOT_USES_LEAD = re.compile(r"\bbefore\b|\bif\s+you\b|\binteract|\bside[- ]effects?\b|\bhow\s+to\b", re.IGNORECASE)
# What to do, not what is treated: "eating a low-salt diet", "staying active", "not smoking".
GERUND = re.compile(r"^(?:not\s+)?\w+ing\s+(?:a|an|the|your|their|his|her|more|less|active|healthy|well|fit)\b|"
                    r"^not\s+\w+ing$", re.IGNORECASE)
# A group that is not a condition: it says what for ("To treat cancer"), not what.
ACTION_GROUP = re.compile(r"^\s*(?:to|for|how|when|what|why|which)\b", re.IGNORECASE)
DENIED = re.compile(r"\b(?:not|never|no\s+longer)\s+(?:[\w’']+\s+){0,2}$", re.IGNORECASE)
MAX_CONDITION_WORDS = 7
MAX_LISTED_CONDITION_WORDS = 12  # (a list item stands alone: "Soreness of the skin of the hands after a burn")


class Use(NamedTuple):
    owners: list[int]
    condition: Span
    group: Span | None  # the sub-heading or group line it is listed under
    group_is_condition: bool
    path: tuple[Span, ...]
    source_line: int | None


def keep_whole(found: list[Use], text: str, whole) -> list[Use]:
    """Two items an enumeration cut at its ``and`` or ``or`` are one where an ontology lists them whole
    (``whole(name)``, passed in by the build): ``head and neck cancer``, not ``head`` and ``neck cancer``."""
    if whole is None:
        return found
    kept: list[Use] = []
    for use in found:
        before = kept[-1] if kept else None
        if before is not None and before.owners == use.owners and before.group == use.group:
            start, end = before.condition.start, use.condition.end
            between = text[before.condition.end:use.condition.start]
            if between in (" and ", " or ") and whole(text[start:end]):
                kept[-1] = before._replace(condition=Span(text[start:end], before.condition.line, start, end))
                continue
        kept.append(use)
    return kept


def _uses_section(sections: list[Section]) -> Section | None:
    """The outermost section above (or at) a block whose heading is about uses (sub-headings below it that say
    what for, ``To treat cancer``, group its conditions)."""
    found = None
    for section in reversed(sections):
        if section.level == 1 or section.qa:
            break
        value = section.heading.value
        if language.USES_HEADING.search(value) and not language.NOT_USES_HEADING.search(value):
            found = section
    return found


def condition_name(span: Span, max_words: int = MAX_CONDITION_WORDS) -> Span | None:
    value = span.value
    verb = LEADING_VERB.match(value)
    begin = verb.end() if verb else 0
    end = len(value)
    trailing = TRAILING.search(value, begin)
    if trailing:
        end = trailing.start()
    name = sub(span, begin, end, strip=" \t.,;:")
    if not name.value or len(name.value.split()) > max_words or NOT_A_CONDITION.search(name.value):
        return None
    return name


def _opens_with_a_therapy(item: str, approaches: Approaches) -> bool:
    """An item that is a therapy's name and what follows it (``Alpha gels, such as Alvex``, ``Beta drugs (BDs):``):
    a kind or member of an approach, listed with its examples or abbreviation."""
    folded = item.casefold()
    for therapy in approaches.therapies:
        name = therapy.name.value.casefold()
        if folded.startswith(name) and folded[len(name):len(name) + 2] in (",", ", ", " (", "(", ":"):
            return True
    return False


def _strong_sentence(sentence: Span, approaches: Approaches, previous: Span | None = None):
    """Enumerations after the uses words of a sentence whose subject is an approach (or "it", after a sentence
    that names one, or in an article about one): (owners, items)."""
    for trigger in language.USES_LEAD.finditer(sentence.value):
        subject = sentence.value[:trigger.start()]
        if DENIED.search(subject):
            continue  # "X should not be used to treat A": what it is not for
        owners = approaches.owners.named(subject)
        if not owners and language.PRONOUN_SUBJECT.match(subject.strip()):
            named = approaches.owners.named(previous.value) if previous is not None else []
            owners = named if len(named) == 1 else [0] if approaches.classes == 1 else []
        if not owners and re.match(r"\s*(?:both|either)\b", subject, re.IGNORECASE):
            owners = list(range(approaches.classes))
        said = trigger.group()
        if not owners or not re.search(r"\b(?:used|approved|prescribed?|treatment)\b", said, re.IGNORECASE) \
                or not re.search(r"\b(?:treat|prevent|for)\b", said, re.IGNORECASE):
            # (in prose, only the words of use; "works well for most people", "relieves it for many" are not)
            continue
        yield owners, _items_after(sentence, trigger.end())


def _items_after(sentence: Span, begin: int) -> list[Span]:
    """The conditions after uses words; ``X such as A and B`` gives A and B (X names their kind)."""
    window = sentence.value[begin:begin + 60]
    examples = language.SUCH_AS.search(window)
    if examples and "," not in window[:examples.start()]:
        begin += examples.end()
    return enumeration(sentence, begin, max_words=MAX_CONDITION_WORDS)


def find(places: list[Place], chain: dict[int, list[Section]], approaches: Approaches) -> list[Use]:
    found: list[Use] = []
    taken: set[int] = set()  # where a condition was read (two rules may reach the same words)
    therapy_ids = {t.id for t in approaches.therapies}
    owners_of = approaches.owners
    for place in places:
        section, block = place.section, place.block
        sections = chain[id(section)] + [section]
        uses = _uses_section(sections)
        lead = place.lead.sentence if place.lead else None
        group = section if uses is not None and section is not uses else None
        if group is None and section.group and lead is not None and language.USES_LEAD.search(lead.value):
            group = section  # "X is used to treat:", then "Pain conditions:" over a list of them
        group_span = group.heading if group is not None else None
        group_is_condition = group is not None and not ACTION_GROUP.match(group.heading.value) and \
            not language.USES_HEADING.search(group.heading.value)

        def add(owners: list[int], items: list[Span], source_line: int | None, listed: bool = False) -> None:
            """The conditions among ``items``; an enumeration ends at its first part that is not one."""
            for item in items:
                name = condition_name(item, MAX_LISTED_CONDITION_WORDS if listed else MAX_CONDITION_WORDS)
                if name is None or not listed and GERUND.match(name.value):
                    if listed:
                        continue
                    return
                if slug(name.value) in therapy_ids or _opens_with_a_therapy(item.value, approaches):
                    continue  # a kind or member of an approach (a list of types under "used for"), not a condition
                if owners and name.start not in taken:
                    taken.add(name.start)
                    found.append(Use(owners, name, group_span, group_is_condition, section.path, source_line))

        if block.kind is Kind.LIST:
            if lead is not None and NOT_USES_LEAD.search(lead.value) and not (
                    uses is not None and language.USES_LEAD.search(lead.value)):
                continue  # (but in a section about uses: "Your doctor may recommend X if you have:")
            if (lead is not None and language.USES_LEAD.search(lead.value)) or (uses is not None and (
                    lead is None or language.USES_LEAD.search(lead.value) or re.search(
                        r"\b(?:conditions?|diseases?|cancers?|disorders?)\b", lead.value, re.IGNORECASE))):
                owners = owners_of.of([lead.value if lead else None], section.path)
                add(owners, [sub(item.span, 0) for item in block.items], block.source_line, listed=True)
        elif block.kind is Kind.TABLE:
            _table(block, approaches, add)
        elif block.kind is Kind.PARAGRAPH:
            previous = None
            for sentence in sentences(block.span):
                before, previous = previous, sentence
                if sentence.value.endswith(":"):
                    continue
                done = False
                for owners, items in _strong_sentence(sentence, approaches, before):
                    add(owners, items, block.source_line)
                    done = True
                if done or uses is None:
                    continue
                owners = owners_of.of([sentence.value], section.path)
                for trigger in language.USES_VERB.finditer(sentence.value):
                    if not DENIED.search(sentence.value, 0, trigger.start()):
                        add(owners, _items_after(sentence, trigger.end()), block.source_line)
                for trigger in language.SUCH_AS.finditer(sentence.value):
                    add(owners, enumeration(sentence, trigger.end(), max_words=MAX_CONDITION_WORDS),
                        block.source_line)
    return found


def _table(block: Block, approaches: Approaches, add) -> None:
    if len(block.rows) < 2:
        return
    header = block.rows[0]
    columns = approaches.owners.columns(header)
    if language.CONDITIONS_HEADER.match(header[0].value):  # a row a condition, marked for who treats it
        marks = language.marker(block.rows[max(1, block.header_rows):])
        for row in block.rows[max(1, block.header_rows):]:
            owners = [columns[i] for i in sorted(columns) if i < len(row) and marks(row[i])]
            if row and owners:
                add(owners, [row[0]], block.source_line, listed=True)
        return
    for row in block.rows[max(1, block.header_rows):]:
        if not row or not re.search(r"\b(?:used\s+(?:to\s+treat|for)|uses|treats?|indications?)\b", row[0].value,
                                    re.IGNORECASE):
            continue
        for index, owner in columns.items():
            if index < len(row) and row[index].value:
                add([owner], enumeration(row[index], 0, max_words=MAX_CONDITION_WORDS), block.source_line)
