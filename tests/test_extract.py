"""Extraction rules on small texts of the template: each rule reads structure, not a word list."""

from __future__ import annotations

import pytest
from conftest import extract_text

from pipeline.document import Span
from pipeline.errors import PipelineError
from pipeline.extract import slug
from pipeline.extract.rules import _side_effect_item
from pipeline.extract.sentences import enumeration
from pipeline.tables import schema
from schemas.records import RECORDS

TEMPLATE = """{title}

All materials on the site are for informational purposes!

{body}
"""


def rows(body: str, title: str = "Understanding the Difference Between Alpha Therapy and Beta Therapy"):
    text = TEMPLATE.format(title=title, body=body)
    return extract_text(text, "a.txt", "0" * 64, "a.txt").rows


def span(value: str) -> Span:
    return Span(value, 1, 0, len(value))


@pytest.mark.parametrize("name, expected", [
    ("CAR-T cell therapy", "car-t-cell-therapy"), ("Hair thinning or loss", "hair-thinning-or-loss"),
    ("  Crème  brûlée ", "creme-brulee"), ("Type 2 diabetes", "type-2-diabetes")])
def test_slug_of_a_name(name, expected):
    assert slug(name) == expected


def test_slug_of_a_name_without_ascii_letters_is_a_stable_hash():
    assert slug("腫瘍").startswith("x-") and slug("腫瘍") == slug("腫瘍") and len(slug("腫瘍")) == 14


@pytest.mark.parametrize("intro, listed, items", [
    ("such as", "A, B, and C.", ["A", "B", "C"]),
    ("such as", "fever, chills, or muscle aches", ["fever", "chills", "muscle aches"]),
    ("like", "A or B", ["A", "B"]),
    ("including", "melanoma and leukemia; later text", ["melanoma", "leukemia"]),
    ("such as", "A, B, and a very long clause that is clearly not an item at all.", ["A", "B"]),
])
def test_in_sentenceenumeration(intro, listed, items):
    text = f"{intro} {listed}"
    assert [i.value for i in enumeration(span(text), len(intro) + 1)] == items


@pytest.mark.parametrize("item, name, examples", [
    ("Skin reactions, such as rash or itching", "Skin reactions", ["rash", "itching"]),
    ("Digestive issues, like diarrhea or nausea", "Digestive issues", ["diarrhea", "nausea"]),
    ("Liver problems (e.g., raised enzymes)", "Liver problems", ["raised enzymes"]),
    ("Swelling or fluid retention", "Swelling or fluid retention", []),
])
def test_side_effect_item_splits_name_and_examples(item, name, examples):
    got_name, got_examples = _side_effect_item(span(item))
    assert got_name.value == name
    assert [e.value for e in got_examples] == examples
    for example in got_examples:
        assert item[example.start:example.end] == example.value


@pytest.mark.parametrize("title, classes", [
    ("Understanding the Difference Between Alpha Therapy and Beta Therapy", ["Alpha Therapy", "Beta Therapy"]),
    ("Alpha Therapy vs Beta Therapy: What to Know", ["Alpha Therapy", "Beta Therapy"]),
    ("Alpha Therapy versus Beta Therapy", ["Alpha Therapy", "Beta Therapy"]),
])
def test_the_two_classes_come_from_the_title(title, classes):
    therapies = rows("What is Alpha Therapy?\n\nText.", title)["therapies"]
    assert [(t[1], t[2]) for t in therapies] == [(c, "class") for c in classes]


def test_a_title_that_compares_nothing_is_an_error_on_line_1():
    with pytest.raises(PipelineError) as error:
        rows("What is it?\n\nText.", title="A Guide to Healthy Sleep")
    assert str(error.value).startswith("a.txt:1: the title does not name two approaches")


def test_immune_effect_from_the_subject_sentence_and_its_verb():
    therapies = rows("Intro, Alpha therapy strengthens the immune system. Beta therapy works by lowering "
                     "immune activity.\n\nWhat is Alpha Therapy?\n\nText.")["therapies"]
    assert [(t[0], t[4], t[5]) for t in therapies] == [
        ("alpha-therapy", "enhance", "strengthens"), ("beta-therapy", "suppress", "lowering")]


def test_no_immune_effect_where_the_article_states_none():
    therapies = rows("Alpha therapy is a pill. Beta therapy is an injection.\n\nWhat is Alpha Therapy?\n\nT.")
    assert [t[4] for t in therapies["therapies"]] == [None, None]


def test_types_of_a_class_are_enumerated_types():
    therapies = rows("What is Beta Therapy?\n\nThere are many kinds of beta therapy, like gels and sprays.")
    assert [(t[1], t[2], t[3]) for t in therapies["therapies"][2:]] == [
        ("gels", "type", "beta-therapy"), ("sprays", "type", "beta-therapy")]


def test_side_effect_frequency_and_seriousness_come_from_the_heading_words():
    body = ("What Are the Side Effects of Beta Therapy?\n\nUncommon Side Effects\n\n1. Rash 2. Itch\n\n"
            "Serious Side Effects\n\n- Fainting\n\nSide effects of beta therapy may include:\n\n- Cough")
    tse = rows(body)["therapy_side_effects"]
    assert [(t[2], t[3], t[4], t[6]) for t in tse] == [
        ("rash", "less_common", "not_stated", "Uncommon Side Effects"),
        ("itch", "less_common", "not_stated", "Uncommon Side Effects"),
        ("fainting", "not_stated", "serious", "Serious Side Effects"),
        ("cough", "not_stated", "not_stated", "Side effects of beta therapy may include:")]


def test_lists_outside_side_effect_context_are_not_side_effects():
    assert rows("What is Alpha Therapy?\n\nIt comes as:\n\n- Tablets\n- Syrup")["therapy_side_effects"] == []


def test_a_section_printed_twice_gives_no_duplicate_rows():
    section = "What Are the Side Effects of Alpha Therapy?\n\nCommon side effects of alpha therapy include:\n\n" \
              "- Rash, such as hives\n- Cough\n\n"
    out = rows(section + section)
    assert len(out["therapy_side_effects"]) == 2
    assert len(out["side_effects"]) == 2
    assert len(out["side_effect_examples"]) == 1


def test_every_extracted_row_is_a_record_of_its_table():
    out = rows("What Are the Side Effects of Alpha Therapy?\n\nCommon side effects of alpha therapy include:\n\n"
               "- Rash, such as hives\n\nHow to Choose?\n\nA: b.\n\nC: d.\n\nQuestions and answers:\n\nWhy?\n\nNo.")
    for table, table_rows in out.items():
        for row in table_rows:
            assert type(row) is RECORDS[table] and row._fields == tuple(schema(table).columns), table


def test_the_fast_sentence_pattern_finds_what_the_simple_one_finds():
    import random
    import re

    from pipeline.extract.sentences import SENTENCE, SENTENCE_SIMPLE

    simple = re.compile(SENTENCE_SIMPLE, re.DOTALL)
    rng = random.Random(7)
    texts = ["a. b", "...", "x:y: z", "Q? A! B", " lead", "a.b.c. d", "x\n", "a\nb. c\n", "é’ x? y", ""]
    texts += ["".join(rng.choice("ab .!?:\n\t’") for _ in range(rng.randint(0, 14))) for _ in range(5000)]
    for text in texts:
        assert [m.span() for m in SENTENCE.finditer(text)] == [m.span() for m in simple.finditer(text)], text
