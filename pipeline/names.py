"""Finding the approaches an article names: in its title (what it compares), and wherever a heading, a lead-in
or a sentence names one of them. Plain language only: the title's own words, their singular and plural, and
the abbreviations the article defines; shared by the parser (heading levels) and the rules (who owns a list)."""

from __future__ import annotations

import re
from functools import lru_cache

from pipeline.document import Span

# The parts of a title, most telling first: what comes before a colon or a dash is the comparison, after it a
# gloss ("X vs. Y: What's the Difference?"), unless the first part compares nothing. A pattern that begins with
# white space enters a run of it only at its start and never gives it back (``(?<!\s)\s++``): linear in a run
# of any length, where a plain ``\s+`` tries every position of the run again.
TITLE_PARTS = re.compile(r"(?<!\s)(?:\s*+:|\s++[-–—|]\s)\s*")
VERSUS = re.compile(r"(?<!\s)\s++(?:vs\.?|versus)\s+", re.IGNORECASE)
OR = re.compile(r"(?<!\s)\s++or\s+", re.IGNORECASE)
AND_LIST = re.compile(r"(?<!\s)\s*+,\s*+(?:(?:and|or)\s+)?|(?<!\s)\s++(?:and|&)\s+", re.IGNORECASE)
LEADING = re.compile(r"^(?:.*?\b(?:between|about|comparing|compared:?)\s+)", re.IGNORECASE)
SIDE_EFFECTS_OF = re.compile(r"^(?:(?:common|serious|possible)\s+)*side[- ]effects\s+of\s+(?:the\s+)?", re.IGNORECASE)
SIDE_EFFECTS_AFTER = re.compile(r"(?<!\s)\s++side[- ]effects\b.*$", re.IGNORECASE)
# A tail that says what for, not what: "Surgery for Knee Osteoarthritis", "X and Y for pain".
TAIL = re.compile(r"(?<!\s)\s++(?:for|in|to treat|to prevent|with|after|during|when|while|which|that)\s+.*$",
                  re.IGNORECASE)
QUESTION_WORDS = re.compile(r"^(?:what|which|how|why|when|is|are|should|can|do|does)\b", re.IGNORECASE)
EDGE = " \t.,;:!?\"'“”‘’()[]"
MAX_NAME_WORDS = 6


# A name's own words before a bracket at its end: "Escitalopram (Lexapro)", "Gabapentin (Oral Route)" (what the
# bracket holds is another name or a qualifier, found as such in the text, not part of the name).
BRACKET_AFTER = re.compile(r"\S\s*+(\([^()]*\))\s*$")
# A strength and what follows it: "Atorvastatin 20 mg film-coated tablets" names atorvastatin.
STRENGTH = re.compile(r"(?<=\S)\s++\d+(?:[.,]\d+)?\s*(?:mg|mcg|µg|micrograms?|milligrams?|g|ml|mL|%|iu|IU|units?)"
                      r"(?:/\S+)?\b.*$", re.IGNORECASE)


def _trimmed(title: Span, start: int, end: int) -> Span | None:
    value = title.value
    strength = STRENGTH.search(value, start, end)
    if strength:
        end = strength.start()
    bracket = BRACKET_AFTER.search(value, start, end)
    if bracket:
        end = bracket.start(1)
    while start < end and value[start] in EDGE:
        start += 1
    while end > start and value[end - 1] in EDGE:
        end -= 1
    if end <= start:
        return None
    first = re.match(r"(?:the|a|an)\s+", value[start:end], re.IGNORECASE)
    if first and end - start > first.end():
        start += first.end()
    return Span(value[start:end], title.line, title.start + start, title.start + end)


def _split(title: Span, start: int, end: int, separator: re.Pattern) -> list[Span]:
    whole = TAIL.search(title.value, start, end)  # "X for pain and migraine": the tail is the whole part's
    if whole and whole.start() > start:
        end = whole.start()
    pieces, cursor = [], start
    for found in separator.finditer(title.value, start, end):
        pieces.append((cursor, found.start()))
        cursor = found.end()
    pieces.append((cursor, end))
    names = []
    for a, b in pieces:
        tail = TAIL.search(title.value, a, b)
        span = _trimmed(title, a, tail.start() if tail else b)
        if span:
            names.append(span)
    return names


def subjects(title: Span) -> tuple[Span, ...]:
    """The approaches a title names, as spans of it: two for ``X vs. Y``, ``X or Y``, ``Difference Between X and
    Y``; three for ``X, Y and Z``; one for ``Side effects of X``, ``X Side Effects: ...`` or a title that is a
    name alone (``Naproxen``). None when the title names nothing recognisable."""
    value = title.value
    parts, cursor = [], 0
    for found in TITLE_PARTS.finditer(value):
        parts.append((cursor, found.start()))
        cursor = found.end()
    parts.append((cursor, len(value)))
    parts = [(a, b) for a, b in parts if b > a]
    for number, (a, b) in enumerate(parts):
        lead = LEADING.match(value[a:b])
        start = a + lead.end() if lead else a
        for separator in (VERSUS, OR):
            if separator.search(value, start, b):
                names = _split(title, start, b, separator)
                if len(names) >= 2 and all(len(n.value.split()) <= MAX_NAME_WORDS for n in names):
                    return tuple(names)
        before = SIDE_EFFECTS_OF.match(value[a:b])
        if before:
            name = _trimmed(title, a + before.end(), b)
            return (name,) if name and len(name.value.split()) <= MAX_NAME_WORDS else ()
        after = SIDE_EFFECTS_AFTER.search(value, a, b)
        if after and after.start() > a:
            name = _trimmed(title, a, after.start())
            return (name,) if name and len(name.value.split()) <= MAX_NAME_WORDS else ()
        if number == 0:  # "A, B and C" only in the comparison itself, not in a gloss after it
            names = _split(title, start, b, AND_LIST)
            if len(names) >= 2 and all(len(n.value.split()) <= MAX_NAME_WORDS for n in names) \
                    and not QUESTION_WORDS.match(value[a:b]):
                return tuple(names)
    a, b = parts[0] if parts else (0, 0)
    tail = TAIL.search(value, a, b)
    name = _trimmed(title, a, tail.start() if tail and tail.start() > a else b)
    if name and len(name.value.split()) <= 3 and not QUESTION_WORDS.match(name.value):
        return (name,)
    return ()


WORD_START, WORD_END = r"(?<![\w-])", r"(?![\w-])"  # a name's ends: not inside a word or a hyphenated one
THE = r"(?:the\s+)?"


@lru_cache(maxsize=1 << 15)  # the same names are looked for in block after block, and article after article
def word_forms(name: str) -> str:
    """A pattern for a name written as the article may write it: any case, the last word singular or plural
    (``statin`` / ``Statins``, ``DOAC`` / ``DOACs``, ``therapy`` / ``therapies``)."""
    words = name.split()
    stem, ending = _ending(words[-1])
    head = r"\s+".join(re.escape(word) for word in words[:-1])
    body = re.escape(stem) + ending
    return (head + r"\s+" + body) if head else body


def _ending(last: str) -> tuple[str, str]:
    """A name's last word → (its stem, the pattern of the endings it may take)."""
    lower = last.lower()
    if len(last) > 3 and lower.endswith("ies"):
        return last[:-3], r"(?:y|ies)"
    if len(last) > 3 and lower.endswith(("ses", "xes", "zes", "ches", "shes")):
        return last[:-2], r"(?:es)?"
    if len(last) > 2 and last.endswith("s") and not lower.endswith("ss"):
        return last[:-1], r"s?"
    if lower.endswith("y") and len(last) > 2:
        return last[:-1], r"(?:y|ies)"
    return last, r"(?:e?s)?"


# The characters outside ASCII that the regex engine, ignoring case, takes for an ASCII letter where
# ``str.lower`` does not make them that letter ("ſ" for "s", dotless and dotted "i"): a text holding one is
# always given to the regex (``tests/test_names.py`` derives the set from the engine itself).
FOLDS_TO_ASCII = "İıſ"


class NamePattern:
    """A name's pattern (:func:`word_forms` between two pieces of pattern, in any case), compiled the first time
    a text could hold the name. Compiling is most of the cost of a name that is looked for once: an article's
    names are its own, so a corpus compiles anew for nearly every article, and most patterns meet only texts
    without the name. ``needles``: per alternative, the lower-case words (the last one's stem) that a match
    must hold; a text that lacks them is answered without the regex, as the regex would answer it."""

    __slots__ = ("source", "needles", "_compiled")

    def __init__(self, source: str, needles: tuple[tuple[str, ...], ...]):
        self.source, self.needles, self._compiled = source, needles, None

    @property
    def compiled(self) -> re.Pattern:
        if self._compiled is None:
            self._compiled = re.compile(self.source, re.IGNORECASE)
        return self._compiled

    def _may_hold(self, text: str) -> bool:
        if self._compiled is not None or not self.needles:
            return True  # (compiled, the regex answers as fast as the test would)
        if not text.isascii() and any(char in text for char in FOLDS_TO_ASCII):
            return True
        lowered = text.lower()
        return any(all(needle in lowered for needle in words) for words in self.needles)

    def finditer(self, text: str, *bounds):
        return self.compiled.finditer(text, *bounds) if self._may_hold(text) else iter(())

    def search(self, text: str, *bounds):
        return self.compiled.search(text, *bounds) if self._may_hold(text) else None

    def match(self, text: str, *bounds):
        return self.compiled.match(text, *bounds) if self._may_hold(text) else None

    def fullmatch(self, text: str, *bounds):
        return self.compiled.fullmatch(text, *bounds) if self._may_hold(text) else None

    def sub(self, replacement: str, text: str) -> str:
        return self.compiled.sub(replacement, text) if self._may_hold(text) else text


def _needles(name: str) -> tuple[str, ...] | None:
    """The lower-case words a match of :func:`word_forms` holds whatever its case and ending; None where a
    word is not ASCII (the engine's case rules for it are not ``str.lower``'s)."""
    words = name.split()
    if not words or not all(word.isascii() for word in words):
        return None
    return tuple(word.lower() for word in words[:-1]) + (_ending(words[-1])[0].lower(),)


@lru_cache(maxsize=1 << 15)
def name_pattern(name: str, before: str = "", after: str = "") -> NamePattern:
    """The pattern of a name in any case (:func:`word_forms`) between two pieces of pattern, which hold no
    alternative of their own (a match holds the name)."""
    needles = _needles(name)
    return NamePattern(before + word_forms(name) + after, (needles,) if needles else ())


@lru_cache(maxsize=1 << 13)
def _any_of(forms: tuple[str, ...]) -> NamePattern:
    ordered = sorted(set(forms), key=len, reverse=True)
    needles = tuple(_needles(name) for name in ordered)
    return NamePattern(WORD_START + "(?:" + "|".join(word_forms(n) for n in ordered) + ")" + WORD_END,
                       () if None in needles else needles)


class Names:
    """Patterns for a set of names (the approaches an article compares, with the other names it gives them):
    which of them a text names, on word boundaries, in any case."""

    def __init__(self, names: list[list[str]]):
        """``names``: per approach, the names it goes by (its own first)."""
        self.patterns = [_any_of(tuple(forms)) for forms in names]

    def named(self, text: str | None) -> list[int]:
        """The approaches ``text`` names, in their order."""
        if not text:
            return []
        return [index for index, pattern in enumerate(self.patterns) if pattern.search(text)]

    def only_one(self, *texts: str | None) -> int | None:
        """The approach that the first text naming exactly one of them names."""
        for text in texts:
            found = self.named(text)
            if len(found) == 1:
                return found[0]
        return None
