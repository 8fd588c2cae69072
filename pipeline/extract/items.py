"""A listed side effect, taken apart: its name, the examples it gives and another name it gives in brackets.

``indigestion (dyspepsia)`` → ``indigestion``, alias ``dyspepsia``; ``stroke – when the blood supply ...`` →
``stroke``; ``Skin reactions, such as rash or itching`` → ``Skin reactions`` with two examples; ``Muscle pain: you
may feel ...`` → ``Muscle pain``; ``Headache. It usually passes.`` → ``Headache``; ``headache (7%)`` →
``headache``; ``Liver problems (rare)`` → ``Liver problems``; ``diarrhea, which affects about 1 in 5 people`` →
``diarrhea``. An item shaped as a clause keeps its whole text, and so do brackets inside a name (``tummy
(abdominal) pain``).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from pipeline.document import Span
from pipeline.extract import language
from pipeline.extract.text import depth_zero, enumeration, sub

# A dash between spaces, or an em dash set close between two words ("Allergic reactions—rash, hives").
DASH = re.compile(r"(?<!\s)\s++(?:[–—]|-|--)\s+|(?:(?<=[^\W\d_])|(?<=\)))—(?=[^\W\d_])")
# A part after a dash that goes on as a clause ("this usually passes", "but ..."), not as a symptom it lists.
CLAUSE_START = re.compile(r"(?:this|it|that|which|who|these|those|there|but|so|because|if|when|while|you|your|they|"
                          r"especially|usually|often|mostly|mainly|see|call|tell|get)\b", re.IGNORECASE)
MAX_SYMPTOM_WORDS = 8
EXAMPLES = re.compile(r",\s*(?:such\s+as|like|including|e\.g\.,?|for\s+example,?)(?:\s+|:?$)|"
                      r"(?<!\s)\s++such\s+as(?:\s+|:?$)", re.IGNORECASE)
# ("that looks like an infection", "feels like a burn": a likeness, not examples)
TAIL_EXAMPLES = re.compile(r"\b(?:such\s+as|including|e\.g\.,?|(?<!looks\s)(?<!look\s)(?<!feels\s)(?<!feel\s)"
                           r"(?<!felt\s)(?<!seems\s)(?<!seem\s)(?<!sounds\s)like)\s+", re.IGNORECASE)
# A comma, then words that describe the item rather than name another part of it.
EXPLANATION = re.compile(r",\s+(?=(?:which|who|that|reported|especially|mainly|mostly|usually|often|particularly|"
                         r"typically|affecting|seen|occurring|each|sometimes|even|although|though|because|a|an|with|"
                         r"without|after|during|when|if|for|in\s+people|mostly|more|less|"
                         r"in\s+(?:up\s+to|about|around|more\s+than)|up\s+to|in\s+\d|with\s+\d)\b)", re.IGNORECASE)
RELATIVE_CLAUSE = re.compile(r",\s+(?:which|who|that)\b", re.IGNORECASE)
ARTICLE = re.compile(r"(?:a|an)\s", re.IGNORECASE)
SENTENCE_BREAK = re.compile(r"\.\s+(?=[A-Z])")
# What brackets at the end may hold that is not a name: a rate, a frequency word, a unit.
NOT_A_NAME = re.compile(r"\d|%|^(?:very\s+)?(?:rare|common|uncommon|less\s+common|serious|severe|mild)$",
                        re.IGNORECASE)


# A measure in its units: "40°C", "38.3 degrees Celsius", "2 kg".
MEASURE = re.compile(r"(?:about\s+|around\s+)?\d+(?:[.,]\d+)?\s*(?:°\s*[CF]|"
                     r"degrees?(?:\s+(?:celsius|fahrenheit|[CF]))?|kg|kilograms?|lbs?|pounds?|g|grams?|cm|mm|m|"
                     r"inch(?:es)?|feet|ft)\.?", re.IGNORECASE)


class Listed(NamedTuple):
    name: Span
    examples: list[Span]
    alias: Span | None
    alias_kind: str | None


def _abbreviation(value: str) -> bool:
    return " " not in value and 2 <= len(value) <= 10 and sum(c.isupper() for c in value) >= 2


def take_apart(item: Span, label: Span | None = None) -> Listed:
    """The parts of a side effect as listed (see the module)."""
    if label is not None and len(label.value.split()) <= 8:
        return _brackets(label, [])
    value = item.value
    end = len(value)
    examples: list[Span] = []
    dash = DASH.search(value)
    if dash and dash.start() > 0:
        tail = sub(item, dash.end(), end)
        found = TAIL_EXAMPLES.search(tail.value)
        if found:
            examples = enumeration(tail, found.end())
        else:
            examples = _symptoms(tail)
        end = dash.start()
    found = EXAMPLES.search(value, 0, end)
    described = RELATIVE_CLAUSE.search(value, 0, end)
    if found and described and described.start() < found.start():
        found = None  # "weight gain, which is likelier with some medicines, such as X": X is not an example of it
    if found and found.start() > 0 and not examples:
        rest = sub(item, found.end(), end)
        examples = enumeration(rest, 0) if rest.value else []
        end = found.start()
    colon = value.find(": ", 0, end)
    if colon > 0 and CLAUSE_START.match(value, colon + 2):
        end = colon  # "neck strain: this often comes from ...": what follows the colon explains it
    explanation = EXPLANATION.search(value, 0, end)
    if explanation and ARTICLE.match(value, explanation.end()) and re.search(r",\s+(?:or|"
                                                                             r"and)\s", value[explanation.end():end]):
        explanation = None  # "eye pain, a change in your eyesight, or redness": parts of one item, not a gloss
    if explanation:
        end = explanation.start()
    stop = SENTENCE_BREAK.search(value, 0, end)
    if stop and stop.start() > 0:
        end = stop.start()
    name = sub(item, 0, end, strip=" \t\n.,;:")
    return _brackets(name, examples)


def _symptoms(tail: Span) -> list[Span]:
    """What a dash introduces when it lists the signs of the side effect, comma by comma ("Liver injury—pain in
    the upper right belly, dark urine, unusual tiredness"): those signs, its examples; else none."""
    cuts = depth_zero(tail.value, 0, len(tail.value), ",")
    if not cuts:
        return []
    parts = []
    for begin, end in zip([0] + [cut + 1 for cut in cuts], cuts + [len(tail.value)]):
        part = sub(tail, begin, end, strip=" \t\n.;:")
        connector = re.match(r"(?:and|or)\s+", part.value)
        if connector:
            part = sub(part, connector.end(), len(part.value))
        if not part.value or CLAUSE_START.match(part.value) or len(part.value.split()) > MAX_SYMPTOM_WORDS:
            return []
        parts.append(part)
    return parts


def _brackets(name: Span, examples: list[Span]) -> Listed:
    """Brackets at the end of a name: a rate or a frequency word (dropped), examples (``(fever, chills, or
    rash)``), or another name for it (an abbreviation or a gloss)."""
    alias, kind = None, None
    while name.value.endswith(")"):
        opened = _opening(name.value)
        if opened <= 0:
            break
        inside = sub(name, opened + 1, len(name.value) - 1, strip=" ")
        head = sub(name, 0, opened)
        if not head.value:
            break
        if NOT_A_NAME.search(inside.value):
            if language.FREQUENCY.fullmatch(inside.value) or "%" in inside.value or \
                    language.RATE.search(inside.value) or MEASURE.fullmatch(inside.value):
                name = head  # (a rate, or the same measure in other units at the end: "over 104°F (40°C)")
                continue
            break  # "100.4°F (38°C) or higher": a unit inside the name
        if "," in inside.value or inside.value.lower().startswith(("e.g", "such as", "including")) or \
                _parts_of_a_kind(inside.value):
            start = re.match(r"(?:e\.g\.,?|such\s+as|including)\s*", inside.value, re.IGNORECASE)
            examples = examples or enumeration(inside, start.end() if start else 0)
            name = head
            continue
        if alias is None:
            alias, kind = inside, "abbreviation" if _abbreviation(inside.value) else "gloss"
            name = head
            continue
        break
    return Listed(name, examples, alias, kind)


def _parts_of_a_kind(value: str) -> bool:
    """``colds and sinus infections``, ``blurred vision or difficulty focusing``: two kinds of the thing named
    (examples), not one other name for it (``trouble falling or staying asleep`` describes one thing)."""
    if " and " in value:
        return all(part.strip() for part in value.split(" and "))
    parts = value.split(" or ")
    return len(parts) == 2 and all(len(p.split()) >= 2 and not p.split()[0].lower().endswith("ing") for p in parts)


def _opening(value: str) -> int:
    """Where the bracket that closes ``value`` opens."""
    depth = 0
    for index in range(len(value) - 1, -1, -1):
        if value[index] == ")":
            depth += 1
        elif value[index] == "(":
            depth -= 1
            if depth == 0:
                return index
    return -1
