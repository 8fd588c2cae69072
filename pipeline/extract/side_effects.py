"""Side effects: who has them, and what the article says of how often, how intense, how serious, and what to do.

Side effects come as:

- list items, where the list sits under a side-effects heading (the nearest heading that is not a group line or an
  approach's name alone) or follows a lead-in that introduces side effects or symptoms to act on (``Common side
  effects include:``, ``Call a doctor now if you get:``), and is not a list of cautions, interactions or tips;
- table rows marked (✓, X, yes) in an approach's column, in the same places;
- sub-headings, one per side effect, under a side-effects heading (or numbered, under a side-effects title), with
  prose under each;
- enumerations in a sentence of a side-effects section (``X can cause A, B and C``, ``the most common side effects
  of X are A and B``, ``A and B were very common``).

The list's approach is the one its lead-in names (each, where it names several or says ``both``), else the one the
nearest heading names, else the only approach of a one-approach article; else there is no row, and a warning.
Each attribute comes from the nearest words that state it: the item's own, then its lead-in (with the paragraph
before it), then its headings from the nearest up.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from pipeline.document import Block, Kind, Section, Span
from pipeline.extract import language
from pipeline.extract.approaches import Approaches
from pipeline.extract.context import Lead, Place, path_text
from pipeline.extract.items import Listed, take_apart
from pipeline.extract.text import enumeration, semicolon_pieces, sentences, sub
from pipeline.labels import BAND_HEADING

MAX_EFFECT_HEADING_WORDS = 8
MAX_GROUP_ITEM_WORDS = 4  # an item over a sub-list that names a kind of side effect
# In a side-effects section: the words after which a sentence enumerates side effects.
CAUSES = re.compile(r"\b(?:cause[sd]?|causing|lead\s+to|leads\s+to|led\s+to|result\s+in|results\s+in|bring\s+on)\s+|"
                    r"\b(?:people|patients)\s+(?:also\s+|may\s+|might\s+|can\s+|often\s+)*(?:notice|get|"
                    r"experience|report|develop)\s+", re.IGNORECASE)
PROSE_TAIL = re.compile(r"(?<!\s)\s++(?:after|during|when|while|if|because|especially|unless|until|in\s+people)\b",
                        re.IGNORECASE)
# A heading that names an act, not a side effect: "Comparing the two", "Taking it with food" ("Bleeding gums" is one).
AN_ACT = re.compile(r"[A-Za-z]{2,}ing\s+(?:the|your|a|an|this|these|those|it|them|with|for|to|between|both)\b",
                    re.IGNORECASE)
GERUND = re.compile(r"[A-Za-z]{2,}(?<!th)ing$")  # ("stopping", "taking"; not "something", "nothing")
NEGATION = re.compile(r"\b(?:not|never|no|don[’']t|doesn[’']t|won[’']t|cannot|can[’']t|without)\b", re.IGNORECASE)
# "the same general risks as any surgery, including A, B and C"
# "After alpha therapy, it is common to have A, B and C": what people have, said with how often.
USUAL_TO_HAVE = re.compile(r"\bit(?:\s+is|[’']s)\s+(?:very\s+|quite\s+|fairly\s+)?(?:common|usual|normal|possible|rare|"
                           r"uncommon)\s+to\s+(?:have|get|feel|notice|experience|develop)\s+", re.IGNORECASE)
RISKS_INCLUDING = re.compile(r"\b(?:risks?|side[- ]effects?|complications?)\b[^.;:]{0,60}?,?\s+(?:including|"
                             r"such\s+as)\s+",
                             re.IGNORECASE)
# "Side effects are more likely with higher doses": a statement about them, not a list.
NOT_ITEMS = re.compile(r"(?:more|less|most|usually|often|rare|rarely|common|mild|generally|very|not|likely|few|"
                       r"temporary|similar|different|the\s+same)\b", re.IGNORECASE)
INCLUDING = re.compile(r",?\s+(?:including|such\s+as|like)\s+", re.IGNORECASE)
# "Side effects of alpha include A and B", "... are rare but include", "... are uncommon and include".
EFFECTS_ARE = re.compile(r"\b(?:side[- ]effects?|adverse\s+effects?|reactions)\b(?:\s+(?:of|from|"
                         r"with)\s+[^,:;]{1,60}?)?"
                         r"(?:,\s*(?:which|that)\s+[^,:;]{1,80},)?"  # ("Common side effects, which affect ..., are")
                         r"(?:\s+(?:are|were)\s+\w+,?\s+(?:but|and))?\s+(?:can\s+|may\s+|might\s+|often\s+)?"
                         r"(?:are|were|include|includes|included)\s+", re.IGNORECASE)
SUBJECT_LIST = re.compile(r"^(?:[^,]{1,60},\s+)?(?P<items>[^:;]+?)\s+(?:(?:were|are|is|was)\s+(?:very\s+|more\s+|"
                          r"most\s+|"
                          r"less\s+)?(?:common|rare|uncommon|frequent|reported)|(?:each\s+|both\s+)?(?:affect|affects|"
                          r"occur|occurs|happen|happens)\s+(?:in\s+)?(?:about|around|up\s+to|more\s+than|fewer\s+than|"
                          r"less\s+than|\d|one|two|three|some|many|most))\b", re.IGNORECASE)


class Effect(NamedTuple):
    """One side effect as the article gives it, before it becomes rows."""

    owners: list[int]
    item: Span  # as written
    listed: Listed  # its name, examples, alias
    position: int
    own: list[Span]  # texts whose words are the item's own, nearest first
    lead: Lead | None
    lead_sentence: Span | None  # the lead-in (or the sentence holding the enumeration)
    path: tuple[Span, ...]  # the headings above it
    source_heading: str
    source_line: int | None
    anchor: int  # where the block that gives it starts: effects come in the article's order of blocks
    context: tuple[Span, ...] = ()  # the paragraph an enumeration's sentence stands in


def _heading_is_about_effects(section_path: tuple[Span, ...], sections: list[Section],
                              approaches: Approaches) -> Section | None:
    """The nearest heading that says what the section is about (not a group line, not an approach's name alone),
    if it is a side-effects heading; else None."""
    for section in reversed(sections):
        if section.level == 1:
            return None
        value = section.heading.value
        if (section.group or BAND_HEADING.match(value)) and not language.SIDE_EFFECTS.search(value):
            continue
        if _names_only(value, approaches):
            continue
        if language.EFFECTS_ONLY.search(value) and not language.SIDE_EFFECTS.search(value):
            continue  # ("Side effects of X" > "Other possible effects": side effects)
        return section if language.SIDE_EFFECTS.search(value) else None
    return None


def _names_only(value: str, approaches: Approaches) -> bool:
    rest = value
    for pattern in approaches.owners.names.patterns:
        rest = pattern.sub(" ", rest)
    rest = re.sub(r"[\W_]+", " ", rest).strip()
    return len(rest.split()) < 2 and rest != value.strip()


def _lead_is_about_effects(lead: Lead | None) -> bool | None:
    """True: the lead-in introduces side effects or symptoms to act on; False: it introduces something else
    (cautions, interactions, instructions); None: it says neither."""
    if lead is None:
        return None
    text = lead.sentence.value
    if language.NOT_SIDE_EFFECTS.search(text):
        watch = re.search(language.YOU_TAKE + r".*\b(?:notice|have|get|experience|develop)\b", text, re.IGNORECASE)
        if not watch or re.search(r"\bbefore\b|\binteract|\boverdose", text, re.IGNORECASE):
            return False
    if language.SIDE_EFFECT_WORDS.search(text) or language.CAUSES_LIST.search(text):
        return True
    if language.action(lead.sentence) and (language.WATCH_FOR.search(text) or re.search(
            r"\b(?:symptoms?|signs?)\b", text, re.IGNORECASE)):
        return True
    return None


def find(places: list[Place], chain: dict[int, list[Section]], approaches: Approaches,
         warnings: list[str], path: str, all_sections: list[Section] = ()) -> list[Effect]:
    """Every side effect the article lists (see the module)."""
    effects: list[Effect] = []
    owners = approaches.owners
    effect_sections: set[int] = set()
    labelled: dict[int, int] = {}  # (the labelled paragraphs of each section so far: their positions)
    # (a paragraph that speaks of what follows it and names approaches, "The signs below are the same after alpha
    # and beta", says whose the lists after it are, until a heading above its level or one naming an approach)
    ahead: tuple[int, str] | None = None
    for place in places:
        section = place.section
        sections = chain[id(section)] + [section]
        block = place.block
        if ahead is not None and (section.level < ahead[0] or owners.named(section.heading.value)):
            ahead = None
        if block.kind is Kind.PARAGRAPH and language.POINTS_AHEAD.search(block.span.value) \
                and owners.in_text(block.span.value):
            ahead = (section.level, block.span.value)
        if id(section) in effect_sections:
            continue
        about = _heading_is_about_effects(section.path, sections, approaches)
        if block.kind is Kind.TABLE and about is None and _effects_table(block):
            effects += _table_effects(block, place, approaches, section)
        elif block.kind is Kind.TABLE and (column := _effects_column(block, approaches)) is not None:
            effects += _column_effects(block, place, approaches, section, column)
        elif block.kind is Kind.TABLE and about is None and (rows := _effects_rows(block, approaches)):
            effects += _row_effects(block, place, approaches, section, rows)
        elif block.kind in (Kind.LIST, Kind.TABLE):
            lead_says = _lead_is_about_effects(place.lead)
            if lead_says is False:
                continue
            if about is not None and language.TIPS_HEADING.search(about.heading.value) and not lead_says:
                continue
            if not lead_says and about is None:
                continue
            lead = place.lead
            lead_texts = [lead.sentence.value, lead.paragraph.value] if lead else []
            if block.kind is Kind.LIST:
                # (the paragraph before the lead-in says whose the list is from the same section; past a heading
                # only where it points at what follows, "the signs below": else it speaks of its own section)
                before = lead.previous.value if lead and lead.previous and (
                    lead.previous_in_section or language.POINTS_AHEAD.search(lead.previous.value)) else None
                found = owners.of(lead_texts, section.path, [before, ahead[1] if ahead else None])
                if not found:
                    warnings.append(f"{path}:{block.span.line}: a side-effect list that no lead-in or heading gives "
                                    "to one approach; no rows read from it")
                    continue
                effects += _list_effects(block, place, found, section)
            else:
                effects += _table_effects(block, place, approaches, section,
                                          rows_are_effects=bool(lead_says) or about is not None)
        elif block.kind in (Kind.PARAGRAPH, Kind.LABELLED) and about is not None and not language.TIPS_HEADING.search(
                about.heading.value):
            effects += _prose_effects(block, place, approaches, section, labelled)
        elif block.kind is Kind.LABELLED and BAND_HEADING.match(block.label.value):
            effects += _prose_effects(block, place, approaches, section, labelled)  # "Common (1% to 10%): A, B"
    for section, parent in _effect_sections(places, chain, approaches):
        effect_sections.add(id(section))
    effects += _heading_effects(places, chain, approaches)
    effects.sort(key=lambda e: e.anchor)  # (stable: a list keeps its items in their numbers' order)
    _warn_empty_headings(all_sections, effects, warnings, path)
    return effects


def _warn_empty_headings(sections: list[Section], effects: list[Effect], warnings: list[str], path: str) -> None:
    """A side-effects heading under which nothing was read: a warning on its line (the reader may want to look)."""
    read_under: set[int] = set()
    for effect in effects:
        read_under.update(heading.start for heading in effect.path)
        read_under.add(effect.item.start)
    for section in sections:
        heading = section.heading
        if section.level == 1 or section.qa:
            continue
        if language.SIDE_EFFECT_WORDS.search(heading.value) and not language.TIPS_HEADING.search(heading.value) \
                and heading.start not in read_under:
            warnings.append(f"{path}:{heading.line}: a side-effects heading with nothing listed under it; no side "
                            "effects read there")


def _source_heading(section: Section, lead_sentence: Span | None) -> str:
    if section.level >= 3 and not section.group or section.level >= 3 and lead_sentence is None:
        return section.heading.value
    if lead_sentence is not None:
        return lead_sentence.value
    return section.heading.value


def _list_effects(block: Block, place: Place, owners: list[int], section: Section) -> list[Effect]:
    effects = []
    lead = place.lead
    sentence = lead.sentence if lead else None
    for order, item in enumerate(block.items, start=1):
        span = sub(item.span, 0, strip=" \t.")
        listed = take_apart(span, item.label)
        if not listed.examples and item.children and (span.value.rstrip().endswith(":") or
                                                      len(span.value.split()) <= MAX_GROUP_ITEM_WORDS):
            # ("Skin changes" over "a rash on the chest", "dry skin": the kinds it comes in)
            listed = listed._replace(examples=[sub(child.span, 0, strip=" \t.") for sub_list in item.children
                                               for child in sub_list.items])
        effects.append(Effect(owners, span, listed, item.number or order, [span], lead, sentence, section.path,
                              _source_heading(section, sentence), item.source_line or block.source_line,
                              block.span.start))
    return effects


def _effects_table(block: Block) -> bool:
    """A table whose first header cell says its rows are side effects ("Common side effects (these affect ...)")."""
    return len(block.rows) >= 2 and bool(block.rows[0]) and bool(
        language.SIDE_EFFECT_WORDS.search(block.rows[0][0].value))


def _effects_column(block: Block, approaches: Approaches) -> int | None:
    """A table of the approaches, a row each, with a column of their side effects (``Medicine | Some side effects
    | Comments``): that column."""
    if len(block.rows) < 2 or len(block.rows[0]) < 2 or approaches.owners.columns(block.rows[0]):
        return None
    return next((index for index, cell in enumerate(block.rows[0][1:], start=1)
                 if language.SIDE_EFFECT_WORDS.search(cell.value)), None)


def _effects_rows(block: Block, approaches: Approaches) -> list[int]:
    """A table whose columns are the approaches, with a row headed ``Side effects``: the rows so headed."""
    if len(block.rows) < 2 or not approaches.owners.columns(block.rows[0]):
        return []
    return [index for index, row in enumerate(block.rows[1:], start=1)
            if row and language.SIDE_EFFECT_WORDS.fullmatch(row[0].value.strip(" :"))]


def _row_effects(block: Block, place: Place, approaches: Approaches, section: Section,
                 rows: list[int]) -> list[Effect]:
    """Each approach's cell of a ``Side effects`` row: the side effects it enumerates."""
    columns = approaches.owners.columns(block.rows[0])
    sentence = place.lead.sentence if place.lead else None
    effects = []
    for index in rows:
        row = block.rows[index]
        for column in sorted(columns):
            if column < len(row):
                for order, part in enumerate(enumeration(row[column], 0), start=1):
                    effects.append(Effect([columns[column]], part, take_apart(part), order, [part], place.lead,
                                          sentence, section.path, _source_heading(section, sentence),
                                          block.source_line, block.span.start))
    return effects


def _column_effects(block: Block, place: Place, approaches: Approaches, section: Section,
                    column: int) -> list[Effect]:
    """Each row whose first cell names one approach: the side effects its cell in ``column`` enumerates."""
    effects = []
    sentence = place.lead.sentence if place.lead else None
    order = 0
    for row in block.rows[max(1, block.header_rows):]:
        owners = approaches.owners.named(row[0].value) if row else []
        if len(owners) != 1 or column >= len(row):
            continue
        for part in enumeration(row[column], 0):
            order += 1
            effects.append(Effect(owners, part, take_apart(part), order, [part], place.lead, sentence, section.path,
                                  _source_heading(section, sentence), block.source_line, block.span.start))
    return effects


def _table_effects(block: Block, place: Place, approaches: Approaches, section: Section,
                   rows_are_effects: bool = False) -> list[Effect]:
    """``rows_are_effects``: the lead-in says the table's rows are side effects ("Some problems are rare:")."""
    if len(block.rows) < 2:
        return []
    header = block.rows[0]
    columns = approaches.owners.columns(header)
    effects = []
    lead = place.lead
    sentence = lead.sentence if lead else None
    if not columns:
        if not (_effects_table(block) or rows_are_effects):
            return []
        # A row a side effect, its other cells what to do about it; the header cell says whose and how often.
        owners = approaches.owners.in_text(header[0].value) or approaches.owners.of(
            [lead.sentence.value, lead.paragraph.value] if lead else [], section.path)
        for order, row in enumerate(block.rows[max(1, block.header_rows):], start=1):
            if owners and row and row[0].value:
                span = sub(row[0], 0, strip=" \t.")
                effects.append(Effect(owners, span, take_apart(span), order, [span, *row[1:], header[0]], lead,
                                      sentence, section.path, _source_heading(section, sentence), block.source_line,
                                      block.span.start))
        return effects
    marks = language.marker(block.rows[max(1, block.header_rows):])
    for order, row in enumerate(block.rows[max(1, block.header_rows):], start=1):
        if not row:
            continue
        marked = list(dict.fromkeys(columns[i] for i in sorted(columns) if i < len(row) and marks(row[i])))
        if not marked:
            continue
        span = sub(row[0], 0, strip=" \t.")
        for owner in marked:  # (an approach's own cells are its words: "Alpha frequency" 3%)
            cells = [row[i] for i in sorted(columns) if columns[i] == owner and i < len(row) and not marks(row[i])]
            effects.append(Effect([owner], span, take_apart(span), order, [span, *cells], lead, sentence,
                                  section.path, _source_heading(section, sentence), block.source_line,
                                  block.span.start))
    return effects


def _prose_effects(block: Block, place: Place, approaches: Approaches, section: Section,
                   labelled: dict[int, int] | None = None) -> list[Effect]:
    """``labelled``: per section (by id), how many of its labelled paragraphs came before (counted here)."""
    effects = []
    if block.kind is Kind.LABELLED:
        labelled = {} if labelled is None else labelled
        labelled[id(section)] = position = labelled.get(id(section), 0) + 1
        if not BAND_HEADING.match(block.label.value):
            return _labelled_effect(block, approaches, section, position)
        # "Very common (10% or more): Tiredness, dizziness": a band and its side effects
        items = [part for piece in semicolon_pieces(block.body) for part in enumeration(piece, 0, max_words=8)]
        owners = approaches.owners.of([block.span.value], section.path)
        return [Effect(owners, item, take_apart(item), order, [item, block.label], None, block.span, section.path,
                       _source_heading(section, block.span), block.source_line, block.span.start)
                for order, item in enumerate(items, start=1)] if owners else []
    value = block.span.value.rstrip()
    if section.group and BAND_HEADING.match(section.heading.value) and "," in value \
            and not value.endswith((".", ":", "?", "!")):
        # "Common (may affect up to 1 in 10 people):" over "sore throat, nosebleeds, headache": the band's list
        items = enumeration(block.span, 0, max_words=8)
        owners = approaches.owners.of([], section.path)
        return [Effect(owners, item, take_apart(item), order, [item], None, block.span, section.path,
                       _source_heading(section, block.span), block.source_line, block.span.start)
                for order, item in enumerate(items, start=1)] if owners and len(items) >= 2 else []
    found = sentences(block.span)
    for number, sentence in enumerate(found):
        said = approaches.owners.in_text(sentence.value)
        if not said and number and language.PRONOUN_SUBJECT.match(sentence.value):
            said = approaches.owners.in_text(found[number - 1].value)  # "X is ... . It can cause A and B."
        if sentence.value.endswith(":"):
            if number + 1 < len(found) and _lead_is_about_effects(Lead(sentence, block.span, None, 0)):
                # "Call 911 if it causes signs of an allergic reaction: A; B; C." (the list inside the paragraph)
                rest = found[number + 1]
                base = block.span.start
                whole = Span(block.span.value[sentence.start - base:rest.end - base], sentence.line, sentence.start,
                             rest.end)  # the lead-in and its list: one sentence
                items = semicolon_pieces(rest) if ";" in rest.value else enumeration(rest, 0, max_words=8)
                owners = approaches.owners.of([sentence.value], section.path)
                for order, item in enumerate(items if len(items) >= 2 and owners else [], start=1):
                    effects.append(Effect(owners, item, take_apart(item), order, [item], None, whole,
                                          section.path, _source_heading(section, sentence), block.source_line,
                                          sentence.start))
            continue
        items = _enumerated(sentence)
        if len(items) < 2:
            continue
        cause = CAUSES.search(sentence.value)
        if cause and _an_act(sentence.value[:cause.start()]) and not approaches.owners.in_text(
                sentence.value[:cause.start()]):
            continue  # "Stopping the habit can cause low mood ...": what an act causes, not an approach
        owners = said if len(said) >= 1 else approaches.owners.of([], section.path)
        if not owners:
            continue
        # (the sentence's words are its items' own, but not those of the other items: "mild aches and cramps";
        # the item's own words are read first, so the sentence is read with every item blanked, once)
        around, paragraph = _without(sentence, items), _without(block.span, items)
        for order, item in enumerate(items, start=1):
            tail = PROSE_TAIL.search(item.value)
            if tail and tail.start() > 0:
                item = sub(item, 0, tail.start())  # "irritability after a hard session": the effect is the first part
            listed = take_apart(item)
            effects.append(Effect(owners, item, listed, order, [item, around], None, sentence, section.path,
                                  _source_heading(section, sentence), block.source_line, sentence.start, (paragraph,)))
    return effects


def _labelled_effect(block: Block, approaches: Approaches, section: Section, position: int) -> list[Effect]:
    """``Label: text`` (a term and its description) in a side-effects section: the label names a side effect and
    the text is its own words, as a heading per side effect and its paragraph are (``Jaw damage: A part of
    the jaw bone does not heal. Call your doctor if your jaw hurts.``)."""
    label = block.label
    name = label.value.strip()
    if not _effect_name(name, approaches) or language.NOTICE_LABEL.match(name) or not block.body.value.strip():
        return []
    owners = approaches.owners.of([], section.path) or approaches.owners.of([block.body.value], ())
    if not owners:
        return []
    span = sub(label, 0, strip=" \t.:")
    return [Effect(owners, span, take_apart(span), position, [span, block.body], None, None, section.path,
                   section.heading.value, block.source_line, block.span.start)]


def _effect_name(name: str, approaches: Approaches) -> bool:
    """Whether a heading's or a label's words may name a side effect: short, not a question, not a topic
    (side effects, tips), not an approach, not an act, not a frequency or a seriousness alone."""
    return not (name.rstrip().endswith("?") or language.QUESTION_START.match(name) or
                len(name.split()) > MAX_EFFECT_HEADING_WORDS or language.SIDE_EFFECT_WORDS.search(name) or
                language.TIPS_HEADING.match(name) or approaches.owners.named(name) or AN_ACT.match(name) or
                language.FREQUENCY.fullmatch(name.strip()) or language.SERIOUS.fullmatch(name.strip()))


def _an_act(subject: str) -> bool:
    """Whether the subject of a sentence's cause verb is an act, a verb's -ing form ("Keep in mind that stopping
    the habit can cause ...")."""
    that = list(re.finditer(r"\bthat\s+", subject, re.IGNORECASE))
    if that:
        subject = subject[that[-1].end():]
    first = subject.split()[:1]
    return bool(first) and GERUND.match(first[0]) is not None


def _enumerated(sentence: Span) -> list[Span]:
    """The side effects a sentence enumerates, if it enumerates any (and does not deny them)."""
    value = sentence.value
    found = CAUSES.search(value)
    if found:
        if NEGATION.search(value, max(0, found.start() - 24), found.start()):
            return []  # "it doesn't cause physical side effects such as ..."
        including = INCLUDING.search(value, found.end())
        if including and "," in value[found.end():including.start()]:
            including = None  # "A, B and C, such as D": the examples of C, not the start of the list
        begin = including.end() if including else found.end()
        return enumeration(sentence, begin)
    found = RISKS_INCLUDING.search(value)
    if found and not NEGATION.search(value, 0, found.start()):
        return enumeration(sentence, found.end())
    found = USUAL_TO_HAVE.search(value)
    if found and not NEGATION.search(value, max(0, found.start() - 24), found.start()):
        return enumeration(sentence, found.end())
    found = EFFECTS_ARE.search(value)
    if found and not NOT_ITEMS.match(value, found.end()):
        return enumeration(sentence, found.end())
    found = SUBJECT_LIST.match(value)
    if found and ("," in found.group("items") or " and " in found.group("items")):
        begin = found.start("items")
        return enumeration(sentence, begin, found.end("items"))
    return []


def _effect_sections(places: list[Place], chain: dict[int, list[Section]], approaches: Approaches):
    """(section, parent) for each sub-heading that names one side effect: under a side-effects heading (or, when
    numbered, under a side-effects title), holding prose and no lists, not a question, not a frequency band,
    naming no approach."""
    seen: set[int] = set()
    for place in places:
        section = place.section
        if id(section) in seen:
            continue
        seen.add(id(section))
        above = chain[id(section)]
        if not above:
            continue
        parent = above[-1]
        value = section.heading.value
        numbered = language.NUMBERED_HEADING.match(value)
        if not (language.SIDE_EFFECTS.search(parent.heading.value) and (parent.level > 1 or numbered)):
            continue
        if parent.qa or section.qa or any(b.kind in (Kind.LIST, Kind.TABLE) for b in section.blocks):
            continue
        if not any(b.kind is Kind.PARAGRAPH for b in section.blocks):
            continue
        name = value[numbered.end():] if numbered else value
        if value.rstrip().endswith("?") or not _effect_name(name, approaches):
            continue
        yield section, parent


def _heading_effects(places: list[Place], chain: dict[int, list[Section]], approaches: Approaches) -> list[Effect]:
    effects = []
    order: dict[int, int] = {}
    for section, parent in _effect_sections(places, chain, approaches):
        prose = [b.span for b in section.blocks if b.kind in (Kind.PARAGRAPH, Kind.LABELLED)]
        owners = approaches.owners.of([], section.path[:-1]) or approaches.owners.of(
            [b.value for b in prose], ())
        if not owners:
            continue
        heading = section.heading
        numbered = language.NUMBERED_HEADING.match(heading.value)
        span = sub(heading, numbered.end() if numbered else 0, strip=" \t.:")
        order[id(parent)] = order.get(id(parent), 0) + 1
        position = int(numbered.group(1)) if numbered else order[id(parent)]
        effects.append(Effect(owners, span, take_apart(span), position, [span] + prose, None, None,
                              section.path[:-1], parent.heading.value, section.source_line, heading.start))
    return effects


class Stated(NamedTuple):
    frequency: language.Found | None
    rate: language.Rate | None
    severity: language.Found | None
    seriousness: language.Found | None
    action: language.Found | None


def stated(effect: Effect, memo: dict | None = None) -> Stated:
    """What the nearest words say of the effect: its own, then its lead-in's (with the paragraph before it for how
    often and how serious), then its headings'. ``memo`` keeps each finder's answer per span across the effects of
    one article: the items of one long sentence share it, and reading it once per item would be quadratic."""
    memo = {} if memo is None else memo
    lead: list[Span] = []
    before: list[Span] = []
    if effect.lead is not None:
        lead = [effect.lead.sentence, effect.lead.paragraph]
        for previous in (effect.lead.previous if effect.lead.previous_in_section else None, effect.lead.intro):
            if previous is not None and not _lists_its_own(previous, memo):
                before.append(previous)  # (a paragraph that lists side effects of its own speaks of those)
    elif effect.lead_sentence is not None and not any(
            (text.start, text.end) == (effect.lead_sentence.start, effect.lead_sentence.end) for text in effect.own):
        lead = [effect.lead_sentence]
    lead = lead + [p for p in effect.context if p not in lead]
    headings = list(reversed(effect.path))
    own = effect.own

    def find(finder, text):
        key = (finder, text)
        if key not in memo:
            memo[key] = finder(text)
        return memo[key]

    def first(finder, candidates):
        for text in candidates:
            found = find(finder, text)
            if found is not None:
                return found
        return None

    # (how often the examples of an item happen is theirs: "A rash (red spots, blisters or frequent itching)")
    unexampled = [_without(text, effect.listed.examples) if text is effect.item else text for text in own]

    def nearest(finder, rest, own=own):
        """The first answer in the effect's own words, else in ``rest`` (the words around it, which the items
        of one list or sentence share: their answer is read once)."""
        found = first(finder, own)
        if found is None:
            key = ("around", finder, tuple(rest))
            if key not in memo:
                memo[key] = first(finder, rest)
            found = memo[key]
        return found

    band = headings[:1] if headings and BAND_HEADING.match(headings[0].value) else []
    # (a band's own heading gives its rate too: "Common (may affect up to 1 in 10 people)")
    return Stated(nearest(language.frequency, lead + before + headings, unexampled),
                  nearest(language.rate, lead + before + band, unexampled),
                  nearest(language.severity, lead + [b for b in before[:1] if find(language.frequency, b) or
                                                     find(language.rate, b)] + headings),
                  nearest(language.seriousness, lead + before + headings),
                  nearest(language.action, lead + headings))


def _without(text: Span, parts: list[Span]) -> Span:
    """``text`` with the ``parts`` inside it blanked out (the same length, so its offsets hold); in one pass, so
    a sentence of a hundred thousand items costs what its length does."""
    pieces, cursor = [], 0
    for part in sorted((p for p in parts if text.start <= p.start and p.end <= text.end), key=lambda p: p.start):
        begin, end = max(part.start - text.start, cursor), part.end - text.start
        if end > begin:
            pieces += [text.value[cursor:begin], " " * (end - begin)]
            cursor = end
    if not pieces:
        return text
    return text._replace(value="".join(pieces) + text.value[cursor:])


def _lists_its_own(paragraph: Span, memo: dict) -> bool:
    key = (_lists_its_own, paragraph)
    if key not in memo:
        memo[key] = any(len(_enumerated(s)) >= 2 for s in sentences(paragraph))
    return memo[key]


def path_of(effect: Effect) -> str | None:
    return path_text(effect.path)
