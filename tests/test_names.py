"""Name patterns: compiled only when a text could hold the name, and answering exactly as the regex would."""

from __future__ import annotations

import re
import string

import pytest

from pipeline.names import FOLDS_TO_ASCII, THE, WORD_END, WORD_START, Names, name_pattern

NAMES = ["statins", "DOACs", "therapy", "beta blockers", "ACE inhibitor", "5-FU", "St John's wort", "café au lait",
         "Hemodialysis", "boxes"]
TEXTS = ["Statins and a statin.", "The doac, DOACs and doacs", "therapies, THERAPY and therapist",
         "Beta\n  blockers or beta-blockers", "ace inhibitors", "5-fu and 5-FUs", "st john’s wort, St John's worts",
         "Café au lait spots", "CAFÉ AU LAIT", "hemodialysis", "a box and two boxes", "", "no name here",
         "ſtatins (a long s)", "THERAPİES with a dotted capital I", "dıoacs"]


def test_the_characters_that_fold_to_ascii_are_all_known():
    """Every character outside ASCII that the engine, ignoring case, matches to an ASCII letter, and that
    ``str.lower`` does not turn into that letter, is in FOLDS_TO_ASCII (found by asking the engine itself)."""
    others = "".join(chr(code) for code in range(128, 0x110000) if not 0xD800 <= code < 0xE000)
    unknown = {found.group() for letter in string.ascii_lowercase
               for found in re.finditer(letter, others, re.IGNORECASE) if found.group().lower() != letter}
    assert unknown <= set(FOLDS_TO_ASCII)
    assert unknown  # (the engine does take some for ASCII letters: the check above checks something)


@pytest.mark.parametrize("before, after", [("", ""), (WORD_START, WORD_END), (THE, WORD_END), (THE, ""),
                                           (WORD_START + "(?:", ")$")])
def test_a_name_pattern_answers_as_its_regex(before, after):
    """search, match, fullmatch, finditer and sub give what the compiled regex gives, texts without the name
    included (those are answered without compiling)."""
    for name in NAMES:
        pattern = name_pattern(name, before, after)
        regex = re.compile(pattern.source, re.IGNORECASE)
        for text in TEXTS:
            fresh = type(pattern)(pattern.source, pattern.needles)  # (not yet compiled: the shortcut is taken)
            assert [m.span() for m in fresh.finditer(text)] == [m.span() for m in regex.finditer(text)], (name, text)
            for method in ("search", "match", "fullmatch"):
                got = getattr(type(pattern)(pattern.source, pattern.needles), method)(text)
                want = getattr(regex, method)(text)
                assert (got and got.span()) == (want and want.span()), (name, text, method)
            assert type(pattern)(pattern.source, pattern.needles).sub(" ", text) == regex.sub(" ", text)


def test_a_text_without_the_name_compiles_nothing():
    pattern = name_pattern("carbamazepine", WORD_START, WORD_END)
    fresh = type(pattern)(pattern.source, pattern.needles)
    assert fresh.search("Nothing of the sort is named here.") is None
    assert fresh._compiled is None
    assert fresh.search("Carbamazepines help some people.").group() == "Carbamazepines"
    assert fresh._compiled is not None


def test_names_find_the_approaches_a_text_names():
    names = Names([["selective serotonin reuptake inhibitors", "SSRIs"], ["SNRIs"]])
    assert names.named("An SSRI or an SNRI") == [0, 1]
    assert names.named("Selective serotonin reuptake inhibitor side effects") == [0]
    assert names.named("Neither is named") == []
    assert names.only_one("Both SSRIs and SNRIs", "SNRIs alone") == 1
