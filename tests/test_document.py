"""The document model: one test per block kind, on fixture files named after the case."""

from __future__ import annotations

import pytest
from conftest import FIXTURES

from pipeline.errors import PipelineError
from pipeline.parse import parse


def parsed(name: str):
    path = FIXTURES / "blocks" / f"{name}.txt"
    return parse(path.read_bytes().decode("utf-8"), str(path))


def blocks(doc):
    return [block for section in doc.sections for block in section.blocks]


def test_title_disclaimer_and_stray_repeat():
    doc = parsed("title_disclaimer_and_stray_repeat")
    assert doc.title.value == "Aspirin vs Ibuprofen: Which One"
    assert doc.disclaimer.value == "All materials on the site are for informational purposes!"
    assert [s.heading.span.value for s in doc.sections if s.heading] == ["What is Aspirin?"]
    assert [b.span.value for b in blocks(doc)] == ["A paragraph."]


def test_question_heading_and_both_kinds_of_subheading():
    doc = parsed("headings_and_subheadings")
    section = doc.sections[1]
    assert section.heading.kind.value == "heading"
    assert section.heading.span.value == "What Are the Side Effects of A?"
    kinds = [(b.kind.value, b.span.value) for b in section.blocks]
    assert kinds == [("subheading", "Common Side Effects"), ("paragraph", "Text under a title-case subheading."),
                     ("subheading", "Cancer"), ("paragraph", "Text under a colon subheading.")]


def test_bullets_of_each_marker_in_order():
    doc = parsed("bullets")
    lists = [b for b in blocks(doc) if b.kind.value == "bullets"]
    assert [[i.value for i in b.items] for b in lists] == [
        ["First item", "Second item, such as x or y"], ["Dash item", "Another dash item"], ["Star item"]]
    assert lists[0].positions == (1, 2)


def test_numbered_table_with_odd_count_reads_in_number_order():
    (table,) = [b for b in blocks(parsed("numbered_table_odd_count")) if b.kind.value == "numbered"]
    assert [i.value for i in table.items] == ["One", "Two", "Three", "Four", "Five", "Six", "Seven"]
    assert table.positions == (1, 2, 3, 4, 5, 6, 7)


def test_numbered_table_with_tab_and_spaces_between_columns():
    (table,) = [b for b in blocks(parsed("numbered_table_tabs_and_spaces")) if b.kind.value == "numbered"]
    assert [i.value for i in table.items] == ["Alpha item", "Beta item", "Gamma item", "Delta item"]


def test_numbered_list_of_one_column():
    (table,) = [b for b in blocks(parsed("numbered_list_one_column")) if b.kind.value == "numbered"]
    assert [i.value for i in table.items] == ["Only", "A plain", "List"]


def test_labelled_paragraphs_split_label_and_text():
    labelled = [b for b in blocks(parsed("labelled_paragraphs")) if b.kind.value == "labelled"]
    assert [(b.label.value, b.body.value) for b in labelled] == [
        ("Check the goal", "Decide what matters most."), ("Ask a doctor", "They know your history.")]


def test_questions_and_answers_after_the_qa_heading():
    doc = parsed("questions_and_answers")
    qa = doc.sections[-1]
    assert qa.heading.kind.value == "qa_heading"
    assert [(b.kind.value, b.span.value) for b in qa.blocks] == [
        ("question", "Is A better?"), ("paragraph", "It depends."),
        ("paragraph", "Second paragraph of the answer."), ("question", "Is B safe?"), ("paragraph", "Mostly.")]


def test_crlf_line_ends_keep_offsets_exact():
    path = FIXTURES / "blocks" / "crlf_dash_bullets.txt"
    text = path.read_bytes().decode("utf-8")
    doc = parse(text, str(path))
    (bullets,) = [b for b in blocks(doc) if b.kind.value == "bullets"]
    for item in bullets.items:
        assert text[item.start:item.end] == item.value
    assert [i.value for i in bullets.items] == ["Item one", "Item two"]
    assert [i.line for i in bullets.items] == [7, 8]


def test_every_span_points_at_its_text():
    for path in sorted((FIXTURES / "blocks").glob("*.txt")):
        text = path.read_bytes().decode("utf-8")
        doc = parse(text, str(path))
        spans = [doc.title] + [b.span for b in blocks(doc)] + [i for b in blocks(doc) for i in b.items]
        for span in spans:
            assert text[span.start:span.end] == span.value, path.name


def test_text_without_headings_is_rejected():
    with pytest.raises(PipelineError, match="no recognisable structure"):
        parse("Just a title\n\nAnd one paragraph.\n", "plain.txt")


def test_repeated_number_in_a_table_is_rejected_with_its_line():
    with pytest.raises(PipelineError) as error:
        parse("A vs B\n\nDisclaimer.\n\nWhat?\n\n1. One 2. Two\n2. Again\n", "dup.txt")
    assert str(error.value) == "dup.txt:8: numbered list repeats item 2"
