"""Pieces of an article's text as spans: parts of a span, sentences, and the items of an in-sentence list
(``A, B, and C``)."""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

from pipeline.document import Span
from pipeline.lines import LINE_END, SPACE

# A sentence runs from a non-space character to the first of . ! ? : followed by white space or the end
# (or to the end): r"\S.*?(?:[.!?:](?=\s|$)|$)", written so that runs of other characters are taken in
# one step instead of one character at a time (three times faster; tests/test_extract.py checks that
# both find the same sentences). A full stop after a lone capital or an abbreviation ("C. diff", "e.g.")
# does not end one.
SENTENCE_SIMPLE = r"\S.*?(?:[.!?:](?=\s|$)|$)"
SENTENCE = re.compile(r"\S(?:[^.!?:\n]+|\n(?!\Z)|[.!?:](?!\s|$))*(?:[.!?:](?=\s|$)|$)", re.DOTALL)
ABBREVIATION_END = re.compile(r"(?:\b[A-Z]|\be\.g|\bi\.e|\bvs|\betc|\bDr|\bSt|\bNo)\.$")
INITIALS_END = re.compile(r"\b(?:[A-Za-z]\.){2,}$|\b(?:e\.g|i\.e|vs|Dr|St|No)\.$")  # "U.S. Food": never a sentence end
# Words that start a clause describing the item before them: what follows is not another item.
RELATIVE = re.compile(r"(?:which|who|whom|whose|that|where|when|while|especially|mainly|mostly|usually|often|"
                      r"particularly|typically|reported|affecting|each|as well|though|although|because|"
                      r"depending)\b", re.IGNORECASE)
CONNECTOR = re.compile(r"^(?:and|or|and/or|as well as|plus)\s+", re.IGNORECASE)
PAIR = re.compile(r"(?<!\s)\s++(?:and/or|and|or)\s+", re.IGNORECASE)
MAX_ITEM_WORDS = 6
PRONOUN = re.compile(r"(?:they|it|this|these|those|he|she|we|you|there)\b", re.IGNORECASE)
EXAMPLES_START = re.compile(r"(?:such\s+as|including|like|e\.g\.)\s", re.IGNORECASE)
# Words that describe the noun after them: "black, tarry stools" is one thing, not "black" and "tarry stools".
ADJECTIVES = frozenset("black red dark pale yellow brown pink white grey gray sudden severe mild hard soft dry wet "
                       "cold hot fast slow loose thick thin tarry sticky itchy swollen painful unusual new large small "
                       "deep high low bloody cloudy frequent persistent".split())
EDGE = SPACE + ".,;"


def sub(span: Span, begin: int, end: int | None = None, strip: str = EDGE) -> Span:
    """The part ``span.value[begin:end]`` without surrounding white space and final punctuation (``strip``), its
    line counted from the span's."""
    value = span.value
    end = len(value) if end is None else end
    while begin < end and value[begin] in SPACE:
        begin += 1
    while end > begin and value[end - 1] in strip:
        end -= 1
    return at(span, begin, end)


def at(span: Span, begin: int, end: int) -> Span:
    """The part ``span.value[begin:end]`` exactly, with its own line."""
    value = span.value
    line = span.line
    if begin:
        ends = _line_ends(value)
        if ends:
            line += bisect_right(ends, begin)
    return Span(value[begin:end], line, span.start + begin, span.start + end)


@lru_cache(maxsize=256)
def _line_ends(value: str) -> tuple[int, ...]:
    """Where the lines of a text after its first begin (a line end's end), for counting lines by bisection."""
    if "\n" not in value and "\r" not in value and "\u2028" not in value and "\x85" not in value \
            and "\u2029" not in value:
        return ()
    return tuple(found.end() for found in LINE_END.finditer(value))


def joined(first: Span, last: Span, text: str) -> Span:
    """The span of the text from ``first``'s start to ``last``'s end."""
    return Span(text[first.start:last.end], first.line, first.start, last.end)


@lru_cache(maxsize=4096)  # every rule reads the same paragraphs' sentences
def sentences(span: Span) -> tuple[Span, ...]:
    """The sentences of a span, each with its final punctuation."""
    found, begin = [], None
    for match in SENTENCE.finditer(span.value):
        if begin is None:
            begin = match.start()
        window = max(0, match.end() - 12)  # (searching from 0 would read the paragraph again each sentence)
        if ABBREVIATION_END.search(span.value, window, match.end()) and match.end() < len(span.value) and (
                INITIALS_END.search(span.value, window, match.end()) or _goes_on(span.value, match.end())):
            continue  # "C. diff", "e.g. rash": the sentence goes on
        found.append(sub(span, begin, match.end(), strip=SPACE))
        begin = None
    if begin is not None:
        found.append(sub(span, begin, len(span.value), strip=SPACE))
    return tuple(s for s in found if s.value)


def _goes_on(value: str, index: int) -> bool:
    """Whether the text after an abbreviation's full stop goes on with the sentence (a small letter or a digit)."""
    rest = value[index:index + 40].lstrip(SPACE)
    return bool(rest) and (rest[0].islower() or rest[0].isdigit())


def last_sentence(span: Span) -> Span:
    found = sentences(span)
    return found[-1] if found else span


def depth_zero(value: str, begin: int, end: int, characters: str) -> list[int]:
    """Where the ``characters`` stand in ``value[begin:end]`` outside brackets."""
    depth, found = 0, []
    for index in range(begin, end):
        char = value[index]
        if depth == 0 and char in characters:
            found.append(index)
        if char in "([":
            depth += 1
        elif char in ")]":
            depth = max(0, depth - 1)
    return found


# A verb after the items of an enumeration ends it: "A, B and C are usually tried first".
FINITE = re.compile(r"(?<!\s)\s++(?:are|is|were|was|can|may|might|will|would|should|could|have|has|had|do|does)\s+",
                    re.IGNORECASE)


# A part that ends in one of these was cut inside a clause ("a long clause that | is ..."): not an item.
DANGLING = re.compile(r"\s(?:that|which|who|whom|whose|the|a|an|of|to|and|or|with|for|by|as|than)$", re.IGNORECASE)


def clause_end(value: str, begin: int) -> int:
    """Where the clause starting at ``begin`` ends: a ; : . ! ? outside brackets followed by a space, or the
    end."""
    for index in depth_zero(value, begin, len(value), ";:.!?"):
        if index + 1 == len(value) or value[index + 1] in SPACE:
            if value[index] == "." and ABBREVIATION_END.search(value, 0, index + 1):
                continue
            return index
    return len(value)


def _before_the_verb(value: str, begin: int, end: int) -> int:
    """Where a list ends at a finite verb (``A and B are ...``), passing over the verbs of the clauses that
    describe an item (``A, which are small, and B``): each is skipped up to the comma after it."""
    position = begin
    counted, depth = begin, 0  # (brackets before the verb, counted as the verbs come: linear)
    while (verb := FINITE.search(value, position, end)) is not None:
        depth += value.count("(", counted, verb.start()) - value.count(")", counted, verb.start())
        counted = verb.start()
        if depth > 0:  # a verb inside a bracket: "A (a state in which the gland does not work) and B"
            close = value.find(")", verb.end(), end)
            if close < 0:
                return verb.start()
            position = close
            continue
        comma = value.rfind(",", begin, verb.start())
        if comma < 0 or not RELATIVE.match(value[comma + 1:verb.start()].strip()):
            return verb.start()
        following = value.find(",", verb.end(), end)
        if following < 0:
            return verb.start()
        position = following
    return end


def enumeration(span: Span, begin: int, end: int | None = None, max_words: int = MAX_ITEM_WORDS,
                split_pairs: bool = True) -> list[Span]:
    """The items of an in-sentence list that starts at ``begin``: ``A, B, and C``, ``A or B``,
    ``A (X), which ..., and B``. It ends with the clause, or before the first part too long to be an item;
    clauses that describe an item (``, which ...``) are not items."""
    value = span.value
    end = clause_end(value, begin) if end is None else end
    end = _before_the_verb(value, begin, end)
    cuts = depth_zero(value, begin, end, ",")
    pieces: list[tuple[Span, bool]] = []  # (piece, whether a connector began it)
    cursor = begin
    describing = False  # inside a clause that describes the item before it
    for cut in cuts + [end]:
        piece = sub(span, cursor, cut)
        cursor = cut + 1
        if not piece.value:
            continue
        offset = piece.start - span.start
        connector = CONNECTOR.match(piece.value)
        if connector:
            piece = sub(span, offset + connector.end(), offset + len(piece.value))
        elif describing:
            continue  # "A, which ..., in or near B, and C": the clause goes on to the next connector
        describing = False
        if RELATIVE.match(piece.value):
            if not pieces:
                return []
            describing = True
            continue
        if PRONOUN.match(piece.value):
            break  # "A and B, and they can also ...": a new clause
        if pieces and EXAMPLES_START.match(piece.value):
            first = pieces.pop()  # "sexual problems, such as low sex drive": examples of the item before
            piece, connector = at(span, first[0].start - span.start, piece.end - span.start), first[1]
        elif pieces and not connector and pieces[-1][0].value.lower() in ADJECTIVES and len(piece.value.split()) > 1:
            first = pieces.pop()[0]  # "black, tarry stools": one item
            piece = at(span, first.start - span.start, piece.end - span.start)
        pieces.append((piece, bool(connector)))
    # "A, B, and C" or "A, or B" (a connector after the last comma) leaves each part whole; otherwise ("A, B and
    # C", "A and B") a part splits at its "and" / "or".
    oxford = pieces and pieces[-1][1] and (len(pieces) >= 3 or PAIR.search(pieces[0][0].value) is not None)
    items: list[Span] = []
    for piece, _ in pieces:
        parts = [piece]
        if split_pairs and not oxford:
            offset = piece.start - span.start
            parts, at_ = [], offset
            counted, opened, closed = 0, 0, 0  # brackets before the pair, counted as the pairs come (linear)
            for pair in PAIR.finditer(piece.value):
                opened += piece.value.count("(", counted, pair.start())
                closed += piece.value.count(")", counted, pair.start())
                counted = pair.start()
                if opened <= closed:  # outside brackets
                    parts.append(sub(span, at_, offset + pair.start()))
                    at_ = offset + pair.end()
            parts.append(sub(span, at_, offset + len(piece.value)))
        for part in parts:
            if not part.value:
                continue
            if _words_outside_brackets(part.value) > max_words or DANGLING.search(part.value):
                return items
            items.append(part)
    return items


def _words_outside_brackets(value: str) -> int:
    """Words of an item, a bracket's apart: "goiter (an enlarged gland in the neck)" is one word long."""
    if "(" not in value:
        return len(value.split())
    depth, kept = 0, []
    for char in value:
        if char == "(":
            depth += 1
            kept.append(" ")
        elif char == ")" and depth:
            depth -= 1
            kept.append(" ")
        elif not depth:
            kept.append(char)
    return len("".join(kept).split())


def words(value: str) -> int:
    return len(value.split())


def semicolon_pieces(span: Span) -> list[Span]:
    """A span cut at its semicolons (an inline list of items that hold commas)."""
    if ";" not in span.value:
        return [span]
    pieces, cursor = [], 0
    for index in [i for i, c in enumerate(span.value) if c == ";"] + [len(span.value)]:
        piece = sub(span, cursor, index)
        if piece.value:
            pieces.append(piece)
        cursor = index + 1
    return pieces
