"""The approaches: the classes the title names, the types and drugs the article lists under them, and the other
names it gives each (abbreviations, brands, other forms of the name, glosses in brackets).

- a class is a name the title compares (or the one it is about);
- ``types (kinds, forms) of X`` followed by an enumeration or a list gives types of X;
- ``X include``, ``X such as``, ``examples of X include:``, ``the N X ... are`` followed by medicine-shaped names
  gives drugs of X (a class or a type); a type's own ``such as`` or sub-list gives drugs of the type;
- ``name (Other)`` gives an alias: an abbreviation (``(SSRIs)``, ``(chemo)``, or the long form of an abbreviated
  name), brands (capitalised names), or a gloss (other words); a ``Brand names`` label, heading or lead-in gives
  brands of the approach it belongs to; another grammatical number of a class's name used in the text is a form.
"""

from __future__ import annotations

import os
import re
from collections import deque
from dataclasses import dataclass, field

from pipeline.document import Block, Document, Kind, Span
from pipeline.extract import language
from pipeline.extract.context import Owners, Place
from pipeline.extract.ids import slug
from pipeline.extract.text import at, depth_zero, enumeration, semicolon_pieces, sentences, sub
from pipeline.names import THE, WORD_END, WORD_START, Names, name_pattern

# A class's name after "types of", with up to two words that narrow it first ("types of skin alpha therapy").
QUALIFIED = THE + r"(?:[\w’'-]+\s+){0,2}?"

# A medicine's name: one to three words of letters (and digits, hyphens), none of them a function word.
FUNCTION_WORDS = frozenset("a an the for of to in on with by and or but most more less very not safe usually often "
                           "people your you their it its this that these those is are was were be been can may "
                           "also other some many all any each both such as like include includes including "
                           "used use uses only".split())
NAME_WORD = re.compile(r"^(?:\d+-)?[A-Za-z][A-Za-z0-9’'\-]*$")  # ("5-fluoro-alpha": a number may start it)
BRAND_WORD = re.compile(r"^(?:[A-Z][A-Za-z0-9\-]*|[A-Z0-9\-]{2,})[®™]?$")
ACRONYM = re.compile(r"^[A-Za-z][A-Za-z0-9\-]*$")
COUNTED = re.compile(r"\b(?:two|three|four|five|several|common|main|examples?|most|widely|available|popular)\b",
                     re.IGNORECASE)
THERE_ARE = re.compile(r"there\s+are\s+(?:two|three|four|five|six|seven|eight|several|many|\d+)\s+"
                       r"(?:main\s+|common\s+)?(?P<group>[^:.;]{1,40}?)(?:\s+(?:available|licensed|approved|used|prescribed|sold)\b[^:.;]{0,60})?"
                       r"\s*:$", re.IGNORECASE)
LAST_PHRASE = re.compile(r"(?<!\s)\s++(?:or|and)\s+|,\s*", re.IGNORECASE)
# Who can get them, after a group's name: "Alpha drugs (that) you can buy without a prescription".
YOU_CAN_BUY = re.compile(r"(?<!\s)\s++(?:that\s+)?(?:you|people)\s+can\s+(?:buy|get)\b[^,:;]*$", re.IGNORECASE)
# "There are two main types: A and B" (of the approach its part is about).
BARE_TYPES = re.compile(r"\bthere\s+are\s+(?:two|three|four|five|several|\d+)\s+(?:main\s+|common\s+|different\s+)?"
                        r"(?:types|kinds|forms)\s*:\s*", re.IGNORECASE)
ARTICLE_START = re.compile(r"(?:a|an|the)\s+(?=\w)", re.IGNORECASE)
INDEFINITE_START = re.compile(r"(?:a|an)\s+(?=\w)", re.IGNORECASE)
# A name with its abbreviation in brackets inside it: "Alpha-2 (A2) Blockers".
# (the long form ends at its last letter before the bracket: a run of spaces is crossed once, linear in its length)
INNER_ABBREVIATION = re.compile(r"(?P<long>[^()]*[^()\s])\s+\((?P<short>[A-Z][A-Za-z0-9-]{0,7})\)\s+(?P<rest>[^()]+)")
REFERRING = re.compile(r"^\s*(?:(?:the\s+)?(?:most\s+)?(?:common|other|main|popular)\s+)?(?:ones|examples|these)\b",
                       re.IGNORECASE)
COMBINATION = re.compile(r"\bcombination\b", re.IGNORECASE)
TRAILING = re.compile(r"(?<!\s)\s++(?:[–—-]|:)\s+|\.\s+(?=[A-Z])|,\s+(?=(?:which|who|that|where|when|in\s+which|"
                      r"during\s+which|used|using|given|"
                      r"made|taken|for|mostly|mainly|also|usually)\b)|:\s*$", re.IGNORECASE)
NOT_A_TYPE = re.compile(r"\b(?:side[- ]effects?|symptoms?|can|may|might|will|is|are|was|were|which|that)\b",
                        re.IGNORECASE)
# A type named by what its medicines do: "Drugs that block alpha receptors" (its "that" makes no clause of it).
DRUGS_THAT = re.compile(r"^(?:drugs|medicines|medications|treatments)\s+that\s+(?=\w)", re.IGNORECASE)
# What may stand between a group's name and "include" / "such as": "drugs", "available in the United States".
AFTER_NAME = re.compile(r"(?:[\s,]+|\b(?:drugs?|medicines?|medications?|available|prescribed|used|sold|approved|"
                        r"marketed|most|more|often|commonly|widely|frequently|in|on|the|a|an|u\.?s\.?|uk|united|"
                        r"states|kingdom|market|today|now|currently)\b)*", re.IGNORECASE)
# "Three JAK inhibitors are approved for RA: A, B and C."
COUNTED_COLON = re.compile(r"^(?:the\s+)?(?:two|three|four|five|six|several|"
                           r"\d+)\s+(?P<group>[^:.;]{1,40}?)\s+(?:are|is)\b"
                           r"[^:.;]{0,80}:\s+", re.IGNORECASE)
# Where a noun phrase may start: the start of the text, punctuation, or a word that cannot be part of a name.
NOUN_PHRASE_START = re.compile(r"(?:^|[^\w\s-]|\b(?:the|a|an|of|and|or|with|called|is|are|as|to|for|on|in|by|"
                               r"take|taking|use|using|about)\b)\s*$", re.IGNORECASE)
# "Janus kinase inhibitors, or JAK inhibitors, are ...", "CBT, also called talk therapy".
APPOSITION = re.compile(r"(?P<a>\b[\w’'-]+(?:\s+[\w’'-]+){0,4}),\s+(?:or|also\s+called|also\s+known\s+as|known\s+as)\s+"
                        r"(?P<b>[\w’'-]+(?:\s+[\w’'-]+){0,4}?)(?=,|\.|\s+(?:are|is|was|were)\b)", re.IGNORECASE)
# "ibuprofen is sold as Nurofen and Brufen, and paracetamol as Panadol and Calpol".
SOLD_AS = re.compile(r"\b(?P<name>[\w-]+(?:\s+[\w-]+)??)\s+(?:is\s+|are\s+)?(?:sold|marketed|available)?\s*"
                     r"(?:as|under)\s+(?:the\s+)?(?:brand\s+names?\s+)?(?=[A-Z])")
LOWER_WORD = re.compile(r"[a-z]{4}")
LEADING_AND = re.compile(r"^(?:and|or)\s+", re.IGNORECASE)
ALSO_CALLED = re.compile(r"\s*(?:also\s+(?:called|known\s+as)|other\s+names?|(?:sold|marketed)\s+as)\b",
                         re.IGNORECASE)
MEDICINES = re.compile(r"^(?:\w+\s+){0,3}?(?:medicines|medications|drugs|options|treatments)\b", re.IGNORECASE)
RELATIVE_CLAUSE = re.compile(r"\b(?:that|which|who)\b.*$", re.IGNORECASE)
MAX_TYPE_WORDS = 6
# A medicine's name (one word, or a word and a lower-case one: "zoledronic acid") and its brands in brackets.
NAME_AND_BRAND = re.compile(r"(?<![\w-])([A-Za-z][\w-]*(?: [a-z][\w-]*)?) \(([^()]{2,60})\)")
MAX_DRUG_WORDS = 3


@dataclass(slots=True)
class Therapy:
    name: Span
    level: str
    parent: int | None  # index of the parent therapy
    source_line: int | None = None

    @property
    def id(self) -> str:
        return slug(self.name.value)


@dataclass(slots=True)
class Alias:
    therapy: int
    alias: Span
    kind: str
    source_line: int | None = None


@dataclass(slots=True)
class Approaches:
    """What the article names: its therapies (the classes first), their aliases, and how to find the classes in
    text (by any of their names)."""

    therapies: list[Therapy] = field(default_factory=list)
    aliases: list[Alias] = field(default_factory=list)
    classes: int = 0
    owners: Owners | None = None

    def class_of(self, index: int) -> int:
        while self.therapies[index].parent is not None:
            index = self.therapies[index].parent
        return index


def _is_medicine(name: str, max_words: int = MAX_DRUG_WORDS) -> bool:
    words = name.split()
    return 0 < len(words) <= max_words and all(NAME_WORD.match(w) and w.lower() not in FUNCTION_WORDS for w in words)


def _is_brand(name: str) -> bool:
    words = name.split()
    return 0 < len(words) <= 3 and all(BRAND_WORD.match(w) for w in words) and not name.isupper() or \
        (len(words) == 1 and BRAND_WORD.match(name) is not None and len(name) > 5)


def _brands_only(bracket: Span) -> list[Span]:
    """The names a bracket lists (``Actonel, Atelvia``) where every one is a brand; else none."""
    parts = enumeration(bracket, 0, len(bracket.value), split_pairs=False)
    return parts if parts and all(_is_brand(part.value) for part in parts) else []


def _pair_of_brands(span: Span) -> list[Span]:
    """``Alvex and Alvira`` (a pair an enumeration kept whole): its two brands, or none."""
    found = re.search(r"\s+(?:and|or)\s+", span.value)
    if not found:
        return []
    pair = [sub(span, 0, found.start()), sub(span, found.end())]
    return pair if all(_is_brand(part.value) for part in pair) else []


def _looks_abbreviation(value: str) -> bool:
    """Capitals mostly (``SSRIs``, ``iCBT``, ``5-ARIs``); a word of four small letters in it makes a name
    (``Al-Liquid``)."""
    return " " not in value and 2 <= len(value) <= 10 and sum(c.isupper() for c in value) >= 2 \
        and not LOWER_WORD.search(value)


def _other_form(value: str, name: str) -> bool:
    """Another form of the same words (``alphic therapy`` for ``Alpha therapy``): as many words, two or more, each
    the same or differing only in its last two letters or so."""
    words, named = value.casefold().split(), name.casefold().split()
    return 2 <= len(words) == len(named) and words != named and all(
        a == b or len(os.path.commonprefix([a, b])) >= max(5, min(len(a), len(b)) - 2) for a, b in zip(words, named))


def long_form(short: str, text: str) -> int | None:
    """Schwartz and Hearst's algorithm: where in ``text`` (the words before a bracket) the long form of the
    abbreviation ``short`` starts, or None. Each letter of the abbreviation, from the last, is found further
    back in the text; the first must start a word."""
    letters = [c.lower() for c in short.rstrip("s") if c.isalnum()] if short.endswith("s") and len(short) > 2 \
        else [c.lower() for c in short if c.isalnum()]
    if not letters:
        return None
    s_index, l_index = len(letters) - 1, len(text) - 1
    while s_index >= 0:
        char = letters[s_index]
        while l_index >= 0 and (text[l_index].lower() != char or (
                s_index == 0 and l_index > 0 and text[l_index - 1].isalnum())):
            l_index -= 1
        if l_index < 0:
            return None
        l_index -= 1
        s_index -= 1
    start = l_index + 1
    if len(text[start:].split()) > len(letters) + 2:
        return None
    return start


def _item_name(span: Span, max_words: int) -> tuple[Span, Span | None, Span | None]:
    """A listed type or drug: its name, the text in brackets after it, and what follows ``such as`` in it."""
    value = span.value
    examples = None
    found = re.search(r",?\s+(?:such\s+as|including|like|e\.g\.,?)\s+", value, re.IGNORECASE)
    if found:
        examples = sub(span, found.end())
        value_end = found.start()
    else:
        value_end = len(value)
    trailing = TRAILING.search(value, 0, value_end)
    if trailing:
        value_end = trailing.start()
    name = sub(span, 0, value_end)
    bracket = None
    opened = name.value.find("(")
    if opened > 0 and name.value.rstrip().endswith(")"):
        bracket = sub(name, opened + 1, len(name.value.rstrip()) - 1, strip=" ")
        name = sub(name, 0, opened)
    return name, bracket, examples

# What a bracket after a name may hold that is no other name for it: a qualifier ("as the calcium salt", "for
# adults") or how to say the name, syllable by syllable with the stressed one in capitals ("ton-sil-EK-tuh-mee").
CALLED_IN_BRACKET = re.compile(r"(?:(?:often|also|sometimes|commonly|usually)\s+)?(?:called|known\s+as|named)\s+",
                               re.IGNORECASE)
NOT_A_NAME = re.compile(r"(?:as|for|in|with|from|by|of|when|if)\s|[A-Za-z]+(?:-[A-Za-z]+)*-[A-Z]{2,}(?:-[A-Za-z]+)*$|"
                        r"[a-z]+(?:\s[a-z]+)*\s[A-Z]{2,}(?:\s[a-z]+)+$")


class _Builder:
    def __init__(self, doc: Document, places: list[Place]):
        self.doc = doc
        self.places = places
        self.out = Approaches()
        self.index: dict[str, int] = {}
        self.long_forms_only = False

    def add(self, name: Span, level: str, parent: int | None, source_line: int | None) -> int | None:
        key = slug(name.value)
        if key in self.index:
            return self.index[key]
        if parent is not None and key == slug(self.out.therapies[parent].name.value):
            return None
        self.out.therapies.append(Therapy(name, level, parent, source_line))
        self.index[key] = len(self.out.therapies) - 1
        return self.index[key]

    def alias(self, therapy: int, alias: Span, kind: str, source_line: int | None) -> None:
        if not alias.value or alias.value.casefold() == self.out.therapies[therapy].name.value.casefold():
            return
        for known in self.out.aliases:
            if known.therapy == therapy and known.alias.value.casefold() == alias.value.casefold() \
                    and known.kind == kind:
                return
        self.out.aliases.append(Alias(therapy, alias, kind, source_line))

    def brands(self, therapy: int, bracket: Span, source_line: int | None) -> None:
        for part in enumeration(bracket, 0, len(bracket.value), split_pairs=False):
            if _is_brand(part.value):
                self.alias(therapy, part, "brand", source_line)

    # --- classes ----------------------------------------------------------------------------------------------
    def classes(self) -> None:
        for name in self.doc.subjects:
            self.out.therapies.append(Therapy(name, "class", None, self.doc.root.source_line))
            self.index.setdefault(slug(name.value), len(self.out.therapies) - 1)
        self.out.classes = len(self.out.therapies)

    def names(self, every: bool = False) -> Names:
        """Patterns for the classes (or, ``every``, all the therapies) by their names and non-brand aliases."""
        count = len(self.out.therapies) if every else self.out.classes
        forms: list[list[str]] = [[t.name.value] for t in self.out.therapies[:count]]
        for alias in self.out.aliases:
            if alias.therapy < count and alias.kind != "brand":
                forms[alias.therapy].append(alias.alias.value)
        return Names(forms)

    # --- types and drugs --------------------------------------------------------------------------------------
    def _therapy_at_end(self, text: str, candidates: range | list[int]) -> int | None:
        """The therapy named last in ``text`` (of two names ending there, the longer: "conventional synthetic
        DMARDs" before "DMARDs")."""
        best, best_key = None, None
        for index in candidates:
            for name in self._forms(index):
                found = None
                for found in name_pattern(name, WORD_START, WORD_END).finditer(text):
                    pass
                if found and (best_key is None or (found.end(), -found.start()) > best_key):
                    best, best_key = index, (found.end(), -found.start())
        return best

    def _end_of(self, index: int, text: str) -> int:
        end = 0
        for name in self._forms(index):
            for found in name_pattern(name, WORD_START, WORD_END).finditer(text):
                end = max(end, found.end())
        return end

    def _forms(self, index: int) -> list[str]:
        names = [self.out.therapies[index].name.value]
        names += [a.alias.value for a in self.out.aliases if a.therapy == index and a.kind in ("form", "abbreviation")]
        return names

    def members(self) -> None:
        for place in self.places:
            block = place.block
            if block.kind is Kind.PARAGRAPH:
                self._paragraph(block, place)
            elif block.kind is Kind.LIST:
                self._listed(block, place.lead.sentence if place.lead else None, place)

    def _types_intro(self, span: Span) -> tuple[int, int] | None:
        """(class, where the enumeration starts) for ``types of X include ...`` / ``types of X: ...``."""
        for found in language.TYPES_OF.finditer(span.value):
            rest = span.value[found.end():]
            for index in range(self.out.classes):
                for name in self._forms(index):
                    match = name_pattern(name, QUALIFIED, WORD_END).match(rest)
                    if not match:
                        continue
                    after = found.end() + match.end()
                    tail = span.value[after:after + 200]
                    intro = re.match(r"(?:,?\s+[\w’'-]+){0,14}?\s*(?:,\s*(?:including|such\s+as|like)\s+|:\s*|\s+"
                                     r"(?:include|includes|are)\s*:?\s*)", tail, re.IGNORECASE)
                    if intro:
                        if span.value.rstrip().endswith(":") and ":" not in tail[:intro.end()]:
                            return index, len(span.value)  # ("Four types of X are used for pain, ...:": its list)
                        return index, after + intro.end()
        return None

    def _bare_types(self, span: Span, place: Place) -> tuple[int, int] | None:
        """(the approach, where the enumeration starts) for ``There are two main types: A and B`` in a part that
        a heading gives to one approach."""
        found = BARE_TYPES.search(span.value)
        if found is None or self.out.owners is None:
            return None
        owners = self.out.owners.of([span.value[:found.start()]], place.section.path)
        return (owners[0], found.end()) if len(owners) == 1 else None

    def _paragraph(self, block: Block, place: Place) -> None:
        span = block.span
        lowered = span.value.lower()
        if "type" in lowered or "kind" in lowered or "form" in lowered or "class" in lowered or "categor" in lowered \
                or "group" in lowered:
            intro = self._types_intro(span) or self._bare_types(span, place)
            if intro and intro[1] < len(span.value):
                parent, begin = intro
                for item in enumeration(span, begin, max_words=2 * MAX_TYPE_WORDS):  # (a bracket may follow)
                    article = ARTICLE_START.match(item.value)
                    name, bracket, examples = _item_name(sub(item, article.end()) if article else item, MAX_TYPE_WORDS)
                    self._type(name, bracket, examples, parent, block.source_line)
        if not language.MEMBERS.search(span.value):
            return
        previous: Span | None = None
        for sentence in sentences(span):
            if sentence.value.endswith(":") and sentence.end < span.end and COUNTED_COLON.match(
                    sentence.value + " "):
                owner = self._therapy_at_end(COUNTED_COLON.match(sentence.value + " ").group("group"),
                                             range(len(self.out.therapies)))
                if owner is not None and self.out.therapies[owner].level != "drug":
                    for item in enumeration(span, sentence.end - span.start):
                        if not self._drug(item, owner, block.source_line):
                            break
            self._drug_sentence(sentence, previous, place, block.source_line)
            previous = sentence

    def _type(self, name: Span, bracket: Span | None, examples: Span | None, parent: int,
              source_line: int | None) -> int | None:
        if not name.value or len(name.value.split()) > MAX_TYPE_WORDS or NOT_A_TYPE.search(
                DRUGS_THAT.sub("", name.value)):
            return None
        index = self.add(name, "type", parent, source_line)
        if index is None:
            return None
        if bracket is not None:
            self._bracket(index, name, bracket, source_line)
        if examples is not None:
            for drug in enumeration(examples, 0):
                if not self._drug(drug, index, source_line):
                    break
        return index

    def _drug(self, item: Span, parent: int, source_line: int | None) -> bool:
        """A listed medicine; False where the item is not one (an enumeration of them ends there)."""
        name, bracket, _ = _item_name(item, MAX_DRUG_WORDS)
        if not _is_medicine(name.value):
            return False
        index = self.add(name, "drug", parent, source_line)
        if index is not None and bracket is not None:
            self.brands(index, bracket, source_line)
        return True

    def _subject_owner(self, subject: str, previous: Span | None) -> int | None:
        """The therapy a subject (``Common statins``, ``The SNRIs available in the United States``, ``Alpha drugs
        you can buy without a prescription``) is about."""
        subject = YOU_CAN_BUY.sub("", subject)
        if language.NOT_MEMBERS.search(subject) or len(subject.split()) > 12:
            return None
        found = self._therapy_at_end(subject, range(len(self.out.therapies)))
        if found is not None and not AFTER_NAME.fullmatch(subject[self._end_of(found, subject):]):
            return None  # "NSAIDs relieve everyday pain such as ...": a clause, not a group of medicines
        if found is None and REFERRING.match(subject) and previous is not None \
                and re.search(r"\b(?:drugs?|medicines?|medications?)\b", previous.value, re.IGNORECASE):
            named = self._therapy_at_end(previous.value, range(len(self.out.therapies)))
            return named
        if found is not None and self.out.therapies[found].level == "drug":
            return None
        return found

    def _drug_sentence(self, sentence: Span, previous: Span | None, place: Place, source_line: int | None) -> None:
        if sentence.value.endswith(":"):
            return  # a lead-in: its list is read with the list
        counted = COUNTED_COLON.match(sentence.value)
        if counted:
            owner = self._therapy_at_end(counted.group("group"), range(len(self.out.therapies)))
            if owner is not None and self.out.therapies[owner].level != "drug":
                for item in enumeration(sentence, counted.end()):
                    if not self._drug(item, owner, source_line):
                        break
                return
        for trigger in language.MEMBERS.finditer(sentence.value):
            said = sentence.value[:trigger.start()]
            subject = language.EXAMPLES_OF.sub("", said)
            if trigger.group().lower().startswith("are") and not COUNTED.search(said):
                continue  # ("Examples of X are A and B", "Common X are A and B": members; "X are ...": not)
            owner = self._subject_owner(subject.strip(" ,"), previous)
            if owner is None and trigger.group().lower() in ("such as", "like"):
                # "Your doctor can prescribe more or other alpha drugs, such as A": the phrase before it
                owner = self._subject_owner(LAST_PHRASE.split(subject.strip(" ,"))[-1], None)
            if owner is None:
                continue
            for item in enumeration(sentence, trigger.end()):
                if not self._drug(item, owner, source_line):
                    break
            return

    def _types_heading(self, place: Place) -> int | None:
        """The class a ``Types of X`` heading (the list's own section's) names."""
        heading = place.section.heading
        if place.section.level == 1:
            return None
        found = re.match(r"\s*(?:the\s+)?(?:main\s+|different\s+)?" + language.TYPES_OF.pattern, heading.value,
                         re.IGNORECASE)
        if not found:
            return None
        rest = heading.value[found.end():]
        for index in range(self.out.classes):
            for name in self._forms(index):
                if name_pattern(name, QUALIFIED, WORD_END).match(rest):
                    return index
        return None

    def _listed(self, block: Block, lead: Span | None, place: Place) -> None:
        intro = self._types_intro(lead) if lead is not None else None
        parent = None
        if intro is not None and intro[1] >= len(lead.value.rstrip()) - 1:
            parent = intro[0]
        elif lead is None or not (language.SIDE_EFFECT_WORDS.search(lead.value) or
                                  language.NOT_SIDE_EFFECTS.search(lead.value)):
            parent = self._types_heading(place)
        if parent is not None:
            for item in block.items:
                span = item.label if item.label is not None else sub(item.span, 0)
                name, bracket, examples = _item_name(span, MAX_TYPE_WORDS)
                kind = self._type(name, bracket, examples, parent, item.source_line or block.source_line)
                if kind is not None:
                    self._members_of(kind, item, block, name.end)
            return
        if lead is None:
            return
        there = THERE_ARE.match(lead.value.strip())
        if there is not None:  # "There are five alpha drugs available in the UK:"
            owner = self._therapy_at_end(there.group("group"), range(len(self.out.therapies)))
            if owner is not None and self.out.therapies[owner].level != "drug":
                for item in block.items:
                    self._drug(item.label if item.label is not None else sub(item.span, 0), owner,
                               item.source_line or block.source_line)
                return
        trigger = None
        for trigger in language.MEMBERS.finditer(lead.value):
            pass
        if trigger is None:
            return
        subject = language.EXAMPLES_OF.sub("", lead.value[:trigger.start()]).strip(" ,")
        if trigger.group().lower().startswith("are") and not COUNTED.search(subject):
            return
        owner = self._subject_owner(subject, None)
        if owner is None and MEDICINES.match(subject) and not language.NOT_MEMBERS.search(
                RELATIVE_CLAUSE.sub("", subject)):
            # "Prescription medicines without hormones that can ease hot flashes include:" under a heading that
            # names one approach: its medicines
            named = self.out.owners.of([], place.section.path) if self.out.owners else []
            owner = named[0] if len(named) == 1 else None
        if owner is None:
            return
        for item in block.items:
            span = item.label if item.label is not None else sub(item.span, 0)
            name = _item_name(span, MAX_TYPE_WORDS)[0]
            known = self.index.get(slug(name.value.rstrip(" :")))
            if item.children and known is not None and self.out.therapies[known].level == "type" \
                    and self.out.therapies[known].parent == owner:
                self._members_of(known, item, block, name.end)  # "Oral alpha therapy:" over its medicines
                continue
            if not self._drug(span, owner, item.source_line or block.source_line):
                continue

    def _members_of(self, kind: int, item, block: Block, after: int) -> None:
        """The medicines a type's list item gives: its sub-items, and the ``name (Brand)`` pairs of its text after
        the type's name (``after``, an offset in the article): ``Alpha gels. These are rubbed in. Zorvex
        (Zorvia) belongs to this group.``"""
        for child in item.children:
            for sub_item in child.items:
                self._drug(sub(sub_item.span, 0), kind, sub_item.source_line or block.source_line)
        body = item.span
        for found in NAME_AND_BRAND.finditer(body.value, max(0, after - body.start)):
            if _brands_only(sub(body, found.start(2), found.end(2))):
                first, _, rest = found.group(1).partition(" ")
                start = found.start() + (len(first) + 1 if rest and first.lower() in FUNCTION_WORDS else 0)
                self._drug(sub(body, start, found.end()), kind, item.source_line or block.source_line)

    # --- aliases ----------------------------------------------------------------------------------------------
    def _bracket(self, therapy: int, name: Span, bracket: Span, source_line: int | None) -> None:
        """``name (bracket)``: what the bracket says of the therapy."""
        value = bracket.value
        if not value or value.lower().startswith(("e.g", "see ", "also")) and not CALLED_IN_BRACKET.match(value) or \
                any(c.isdigit() for c in value) and not (
                _looks_abbreviation(value) and long_form(value, name.value) == 0):  # ("(2 weeks)"; but "(5-AB)")
            return
        if NOT_A_NAME.match(value):
            return  # "(as atorvastatin calcium)", "(ton-sil-EK-tuh-mee)": a qualifier or how to say it
        called = CALLED_IN_BRACKET.match(value)
        if called and called.end() < len(value):
            article = INDEFINITE_START.match(value, called.end())  # ("called the alpha pill" keeps "the")
            bracket = sub(bracket, article.end() if article else called.end())  # "(often called a beta shot)"
            value = bracket.value
            names = enumeration(bracket, 0, split_pairs=True)
            if len(names) > 1:  # "(also called beta therapy or alphic therapy)": each name
                for other in names:
                    self._bracket(therapy, name, other, source_line)
                return
        if _other_form(value, name.value):
            self.alias(therapy, bracket, "form", source_line)  # "alphic therapy" for "Alpha therapy"
            return
        first_word = name.value.split()[0].lower() if name.value.split() else ""
        if _looks_abbreviation(value):
            self.alias(therapy, bracket, "abbreviation", source_line)
            return
        if " " not in value and value.islower() and len(value) >= 3 and first_word.startswith(value.lower()) \
                and first_word != value.lower():
            self.alias(therapy, bracket, "abbreviation", source_line)  # a clipped form: "chemo"
            return
        for token in name.value.split():
            if _looks_abbreviation(token) and long_form(token, value) == 0:
                self.alias(therapy, bracket, "abbreviation", source_line)
                return
        parts = _brands_only(bracket)
        if parts:
            for part in parts:
                self.alias(therapy, part, "brand", source_line)
            return
        if "," not in value and len(value.split()) <= 5 and not language.NOT_MEMBERS.search(value):
            self.alias(therapy, bracket, "gloss", source_line)

    def brackets(self, long_forms_only: bool = False) -> None:
        """Every ``name (other)`` and ``long form (ABBREVIATION)`` the article writes, for every therapy (only
        the long forms of abbreviated class names, before the types and drugs are known)."""
        self.long_forms_only = long_forms_only
        for place in self.places:
            for span, source_line in _texts(place.block):
                if "(" not in span.value:
                    continue
                for opened in depth_zero(span.value, 0, len(span.value), "("):
                    closed = span.value.find(")", opened)
                    if closed < 0:
                        continue
                    window = max(0, opened - 120)
                    before = span.value[window:opened].rstrip()
                    bracket = sub(span, opened + 1, closed, strip=" ")
                    self._one_bracket(span, before, window, bracket, source_line)

    def _one_bracket(self, span: Span, before: str, start_of_before: int, bracket: Span,
                     source_line: int | None) -> None:
        best = None
        for index in range(len(self.out.therapies)):
            for name in self._forms(index):
                found = name_pattern(name, WORD_START + "(?:", ")$").search(before)
                if found and self.long_forms_only and not NOUN_PHRASE_START.search(before, 0, found.start()):
                    continue  # "external beam radiation therapy (EBRT)": a type's name, not yet known
                if found and (best is None or found.start() < best[1].start()):
                    best = (index, found)  # the longest name written there: "external beam radiation therapy"
        if best is not None:
            index, found = best
            named = at(span, start_of_before + found.start(), start_of_before + found.end())
            self._bracket(index, named, bracket, source_line)
            return
        # the abbreviation of a therapy in brackets after its long form: "direct oral anticoagulants (DOACs)"
        for index in range(len(self.out.therapies)):
            if any(name_pattern(name).fullmatch(bracket.value) for name in self._forms(index)):
                start = long_form(bracket.value, before)
                if start is not None:
                    self.alias(index, at(span, start_of_before + start, start_of_before + len(before)),
                               "abbreviation", source_line)
                return

    def other_names(self) -> None:
        """``A, or B,`` / ``A, also called B`` where one of the two is a therapy's name: the other is its
        abbreviation (when one abbreviates the other) or a gloss; ``X is sold as A and B`` gives brands."""
        for place in self.places:
            block = place.block
            if block.kind not in (Kind.PARAGRAPH, Kind.LABELLED):
                continue  # ("Brand names: alpha is sold as Alvex": a labelled paragraph says it too)
            value = block.span.value
            if ", or " in value or "called" in value or "known as" in value:
                for found in APPOSITION.finditer(value):
                    first = sub(block.span, found.start("a"), found.end("a"))
                    second = sub(block.span, found.start("b"), found.end("b"))
                    for named, other in ((first, second), (second, first)):
                        index = self._named_exactly(named.value)
                        if index is None or self._named_exactly(other.value) is not None:
                            continue
                        short, long_ = (named, other) if len(named.value) < len(other.value) else (other, named)
                        kind = "abbreviation" if _looks_abbreviation(short.value.replace(" ", "")[:10]) or \
                            long_form(short.value.split()[0], long_.value) == 0 else "gloss"
                        if len(other.value.split()) <= 5 and not language.NOT_MEMBERS.search(other.value):
                            self.alias(index, other, kind, block.source_line)
                        break
            if "sold as" in value or "brand" in value.lower():
                for found in SOLD_AS.finditer(value):
                    index = self._named_exactly(LEADING_AND.sub("", found.group("name")))  # (", and Y as C")
                    if index is None:
                        continue
                    for part in enumeration(block.span, found.end(), split_pairs=True):
                        brands = [part] if _is_brand(part.value) else _pair_of_brands(part)
                        if not brands:
                            break
                        for brand in brands:
                            self.alias(index, brand, "brand", block.source_line)

    def _named_exactly(self, text: str) -> int | None:
        """The therapy whose name (or a form of it) ``text`` is."""
        for index in range(len(self.out.therapies)):
            for name in self._forms(index):
                if name_pattern(name, THE).fullmatch(text.strip()):
                    return index
        return None

    def brand_lists(self) -> None:
        """``Brand names: A, B``, a list under a ``Brand names`` heading or lead-in, ``this version is called A``."""
        owners = self.out.owners
        for place in self.places:
            block = place.block
            path = place.section.path
            heading = path[-1].value if path else ""
            lead = place.lead.sentence.value if place.lead else ""
            if block.kind is Kind.LABELLED and language.BRAND_LEAD.search(block.label.value) \
                    and not COMBINATION.search(block.label.value):
                for owner in owners.of([block.label.value, block.body.value], path)[:1]:
                    for part in enumeration(block.body, 0, split_pairs=False):
                        if _is_brand(part.value):
                            self.alias(owner, part, "brand", block.source_line)
            elif block.kind is Kind.LIST and (language.BRAND_LEAD.search(lead) or (
                    not lead and language.BRAND_LEAD.search(heading))) and not COMBINATION.search(lead + heading):
                for owner in owners.of([lead], path)[:1]:
                    for item in block.items:
                        name = sub(item.span, 0)
                        if _is_brand(name.value):
                            self.alias(owner, name, "brand", item.source_line or block.source_line)
            elif block.kind is Kind.TABLE:
                self._brand_row(block)
            elif block.kind is Kind.PARAGRAPH and ("called" in block.span.value or "named" in block.span.value):
                for sentence in sentences(block.span):
                    found = language.CALLED.search(sentence.value)
                    if not found:
                        continue
                    name = sub(sentence, found.end())
                    if _is_brand(name.value):
                        for owner in owners.of([sentence.value], path)[:1]:
                            self.alias(owner, name, "brand", block.source_line)

    def _brand_row(self, block: Block) -> None:
        """A table whose columns are the approaches, with a row headed ``Also called`` or ``Brand names``: each
        column's cell gives that approach's brands (``Alvex; Alvex Junior``)."""
        if len(block.rows) < 2:
            return
        columns = self.out.owners.columns(block.rows[0])
        if not columns:
            self._brand_column(block)
            return
        known = {alias.alias.value.casefold() for alias in self.out.aliases}  # (a drug's brand stays the drug's)
        for row in block.rows[1:] if columns else ():
            if not (language.BRAND_LEAD.search(row[0].value) or ALSO_CALLED.match(row[0].value)):
                continue
            for index, owner in columns.items():
                if index < len(row):
                    for piece in semicolon_pieces(row[index]):
                        for part in enumeration(piece, 0, split_pairs=False):
                            if _is_brand(part.value) and part.value.casefold() not in known:
                                self.alias(owner, part, "brand", block.source_line)

    def inner_abbreviations(self) -> None:
        """A class named with its abbreviation inside (``Alpha-2 (A2) Blockers``, ``Beta-cell (BC) therapy``): the
        abbreviation with the words after the bracket (``A2 blockers``) is its abbreviation where the text
        writes it."""
        text = self.doc.text
        for index, therapy in enumerate(self.out.therapies[:self.out.classes]):
            found = INNER_ABBREVIATION.fullmatch(therapy.name.value) if "(" in therapy.name.value else None
            if not found or LOWER_WORD.search(found["short"]) \
                    or found["short"][0].casefold() != found["long"][0].casefold():
                continue
            short = name_pattern(f"{found['short']} {found['rest']}", WORD_START, WORD_END).search(text)
            if short is not None:
                self.alias(index, Span(short.group(), _line(text, short.start()), short.start(), short.end()),
                           "abbreviation", None)

    def _brand_column(self, block: Block) -> None:
        """A table with a column headed ``Brand names`` and one of names (``Generic name | Brand names``): each row
        whose name is a therapy's gives its brands; the header says they are brands, so capitals pass too."""
        header = [cell.value for cell in block.rows[0]]
        brand = next((i for i, value in enumerate(header) if language.BRAND_LEAD.search(value)), None)
        if brand is None or len(header) < 2:
            return
        for row in block.rows[1:]:
            owners = [index for column, cell in enumerate(row) if column != brand
                      if (index := self._named_exactly(cell.value)) is not None]
            if len(owners) != 1 or brand >= len(row):
                continue
            for piece in semicolon_pieces(row[brand]):
                for part in enumeration(piece, 0, split_pairs=False):
                    words = part.value.split()
                    if 0 < len(words) <= 4 and all(BRAND_WORD.match(word) for word in words):
                        self.alias(owners[0], part, "brand", block.source_line)

    def forms(self) -> None:
        """Another grammatical number of a class's name (``statin`` for ``Statins``) or of its abbreviation in
        words (``A2 blocker`` for ``A2 blockers``), and ``X therapy`` for a class named ``X``, where the text
        writes them."""
        text = self.doc.text
        for index, therapy in enumerate(self.out.therapies):
            if therapy.level == "drug":
                continue
            name = therapy.name.value
            candidates = [(name, name_pattern(name, WORD_START, WORD_END))]
            candidates += [(a.alias.value, name_pattern(a.alias.value, WORD_START, WORD_END)) for a in self.out.aliases
                           if a.therapy == index and a.kind == "abbreviation" and " " in a.alias.value]
            if therapy.level == "class" and not re.search(r"\b(?:therapy|therapies|treatment|"
                                                          r"treatments)$", name, re.IGNORECASE):
                candidates.append((name, re.compile(r"(?<![\w-])" + re.escape(name) + r"\s+therapy(?![\w-])",
                                                    re.IGNORECASE)))
            for base, pattern in candidates:
                # (the first written in lower case where one is: "alpha gel", not "Alpha gel" opening a sentence)
                others = [found for found in pattern.finditer(text) if found.group().casefold() != base.casefold()]
                found = next((f for f in others if f.group()[:1].islower()), others[0] if others else None)
                if found is not None:
                    self.alias(index, Span(found.group(), _line(text, found.start()), found.start(), found.end()),
                               "form", None)


def _line(text: str, offset: int) -> int:
    from pipeline.lines import line_of
    return line_of(text, offset)


def _texts(block: Block):
    """The texts of a block where names and brackets are written: its own, its items', its cells'."""
    if block.kind is Kind.LIST:
        queue = deque(block.items)  # (breadth first: the items, then their sub-items)
        while queue:
            item = queue.popleft()
            yield item.span, item.source_line or block.source_line
            for child in item.children:
                queue.extend(child.items)
    elif block.kind is Kind.TABLE:
        for row in block.rows:
            for cell in row:
                yield cell, block.source_line
    else:
        yield block.span, block.source_line


def approaches(doc: Document, places: list[Place]) -> Approaches:
    """The article's therapies and aliases (see the module)."""
    builder = _Builder(doc, places)
    builder.classes()
    builder.inner_abbreviations()
    builder.forms()
    builder.brackets(long_forms_only=True)  # "(SSRIs)", "direct oral anticoagulants (DOACs)": names of the classes
    builder.out.owners = Owners(builder.names(), builder.out.classes)
    builder.members()
    builder.brackets()
    builder.brand_lists()
    builder.other_names()
    builder.forms()  # (again: the types are known now; "alpha blocker" for a type named "Alpha blockers")
    parents = [t.parent for t in builder.out.therapies]
    builder.out.owners = Owners(builder.names(every=True), builder.out.classes, parents)
    builder.out.aliases.sort(key=lambda a: a.alias.start)
    return builder.out
