"""The two ways a line labels what it says, as every format's reader and the rules read them: ``Label: text``
and ``Label. text``; and the white-space trimming they share."""

from __future__ import annotations

import re

from pipeline.document import Span
from pipeline.lines import SPACE

LABEL = re.compile(r"([A-Z](?:[^:.!?\n]|\.(?=\d)){0,80}?)\s*:[ \t\u00a0]+(?=\S)")  # ("Rare (0.01% to 0.1%): A")
MAX_LABEL_WORDS = 8
# A label names a thing ("Kidney function", "Ask about cost"); words like these make it the start of
# a sentence that goes on after a colon ("There are two kinds of X: A and B").
FINITE_VERBS = frozenset("is are was were be has have had include includes can cannot may might will would should "
                         "could must do does did".split())
QUESTION_WORDS = frozenset("who what when where how why which".split())
# ``Cost. Generic pills cost less.``: a short capitalised phrase with a full stop, then a sentence.
DOTTED_LABEL = re.compile(r"([A-Z][^.!?:;\n]{0,48}?)\.[ \t\u00a0]+(?=[A-Z0-9\"\u201c(])")
MAX_DOTTED_LABEL_WORDS = 5
# Words that make the phrase before a full stop a sentence (a subject or a reply), not a label.
SENTENCE_WORDS = frozenset("i you he she it we they this that these those there here yes no not".split())
# A heading that only names a band of frequency ("More common", "Rare", "Incidence not known"): it labels a group
# of what the heading above it is about.
BAND_HEADING = re.compile(r"^\s*(?:(?:very|more|less|most)\s+)?(?:common|uncommon|rare|frequent|infrequent)"
                          r"(?:\s+(?:but|and)\s+(?:serious|severe))?\s*(?:\([^)]*\))?\s*$|"
                          r"^\s*(?:(?:incidence|frequency)\s+)?not\s+known\s*(?:\([^)]*\))?\s*$", re.IGNORECASE)


def trimmed(span: Span, begin: int = 0, end: int | None = None) -> Span:
    """The part ``span.value[begin:end]`` without surrounding white space (zero-width characters too)."""
    value = span.value[begin:end] if end is not None else span.value[begin:]
    left = len(value) - len(value.lstrip(SPACE))
    value = value.strip(SPACE)
    start = span.start + begin + left
    return Span(value, span.line, start, start + len(value))


def _words_of(label: str) -> list[str]:
    return [word.lower().strip(",’'") for word in label.split()]


def _label_and_body(span: Span, found: re.Match) -> tuple[Span, Span]:
    """A span cut where a label pattern matched: the label (its group 1) and the text after the match."""
    label = Span(found.group(1), span.line, span.start, span.start + len(found.group(1)))
    return label, trimmed(span, found.end())


def labelled(span: Span) -> tuple[Span, Span] | None:
    """The label and text of a ``Label: text`` span, or None."""
    if ":" not in span.value[:MAX_LABEL_WORDS * 12]:
        return None
    found = LABEL.match(span.value)
    if not found or len(found.group(1).split()) > MAX_LABEL_WORDS:
        return None
    label_words = _words_of(found.group(1))
    if any(word in FINITE_VERBS for word in label_words) and label_words[0] not in QUESTION_WORDS:
        return None  # (but "Who it suits: adults with ...", "What it costs: ...": a question's words name it)
    if any(word in ("come", "comes") and index and label_words[index - 1] not in ("that", "which", "who")
           for index, word in enumerate(label_words)):
        return None  # "Tablets come in 3 strengths: ...": a sentence going on after its colon
    return _label_and_body(span, found)


def dotted(span: Span) -> tuple[Span, Span] | None:
    """The label and text of a ``Label. text`` span (a short phrase without a verb or a subject, a full stop,
    and a sentence after it), or None. A reading for the places where labelled lines are expected: on its
    own, ``Surgery. It may help`` reads as well as two sentences."""
    found = DOTTED_LABEL.match(span.value)
    if not found or found.end() >= len(span.value):
        return None
    words = _words_of(found.group(1))
    if not words or len(words) > MAX_DOTTED_LABEL_WORDS or any(
            word in FINITE_VERBS or word in SENTENCE_WORDS for word in words):
        return None
    return _label_and_body(span, found)
