"""Property tests: mutated articles (lines deleted or doubled, sections shuffled, odd white space, random
Unicode, CRLF) never make the parser or extractor raise anything but ``PipelineError``, and every row
that comes out still points at exactly its text."""

from __future__ import annotations

import re

import pytest
from conftest import extract_text
from faults_support import FIXTURES, SEED
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.errors import PipelineError
from pipeline.tables import ARTICLE_TABLES, metadata, schema, to_frame

# The README's line ends: CR LF, LF, a lone CR, NEL, LINE and PARAGRAPH SEPARATOR.
LINE_ENDS = re.compile("\r\n|[\n\r\x85\u2028\u2029]")

BUILT = {}  # test name → examples that built, so that a test whose examples all raise is noticed


def article_tables(article) -> dict:
    return {name: to_frame(name, article.rows[name]) for name in ARTICLE_TABLES}

TEMPLATES = [SEED.read_text(encoding="utf-8"), (FIXTURES / "sound-article.txt").read_text(encoding="utf-8")]
ODD_SPACE = ["\t", " ", "\u00a0", "\u2003", "\u200b", "\u2028", "\u0085", "\x0b", "\x0c", "\x1c", "\r", "\ufeff"]
SETTINGS = settings(max_examples=200, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _delete_lines(lines, data):
    doomed = data.draw(st.sets(st.integers(0, len(lines) - 1), max_size=max(1, len(lines) // 4)))
    return [line for index, line in enumerate(lines) if index not in doomed]


def _double_lines(lines, data):
    twice = data.draw(st.sets(st.integers(0, len(lines) - 1), max_size=5))
    return [copy for index, line in enumerate(lines) for copy in ([line, line] if index in twice else [line])]


def _shuffle_sections(lines, data):
    """Sections start at lines ending in ``?``; their order is shuffled, the title block stays first."""
    starts = [0] + [i for i, line in enumerate(lines) if line.rstrip().endswith("?")] + [len(lines)]
    sections = [lines[a:b] for a, b in zip(starts, starts[1:]) if b > a]
    head, rest = sections[:1], data.draw(st.permutations(sections[1:]))
    return [line for section in head + list(rest) for line in section]


def _odd_whitespace(lines, data):
    for _ in range(data.draw(st.integers(1, 8))):
        index = data.draw(st.integers(0, len(lines) - 1))
        line = lines[index]
        at = data.draw(st.integers(0, len(line)))
        lines[index] = line[:at] + data.draw(st.sampled_from(ODD_SPACE)) + line[at:]
    return lines


def _random_unicode(lines, data):
    for _ in range(data.draw(st.integers(1, 5))):
        index = data.draw(st.integers(0, len(lines) - 1))
        line = lines[index]
        at = data.draw(st.integers(0, len(line)))
        lines[index] = line[:at] + data.draw(st.text(max_size=12)) + line[at:]
    return lines


def _replace_lines(lines, data):
    index = data.draw(st.integers(0, len(lines) - 1))
    lines[index] = data.draw(st.text(max_size=40))
    return lines


MUTATIONS = [_delete_lines, _double_lines, _shuffle_sections, _odd_whitespace, _random_unicode, _replace_lines]


@st.composite
def mutated_articles(draw):
    text = draw(st.sampled_from(TEMPLATES))
    lines = text.split("\n")
    for mutation in draw(st.lists(st.sampled_from(MUTATIONS), min_size=1, max_size=4)):
        lines = mutation(lines, draw(st.data())) or [""]
    line_end = draw(st.sampled_from(["\n", "\r\n"]))
    return line_end.join(lines)


def assert_spans_match(tables, text: str, test: str) -> None:
    """Every span column of every row equals the article's text at those offsets, on the stated line."""
    BUILT[test] = BUILT.get(test, 0) + 1
    for name in ARTICLE_TABLES:
        frame = tables[name]
        assert list(frame.columns) == list(schema(name).columns)
        for text_column, start, end, line in metadata(name).get("spans", []):
            for row in frame.itertuples(index=False):
                row = row._asdict()
                if row[text_column] is None or row[text_column] != row[text_column]:
                    continue
                assert text[row[start]:row[end]] == row[text_column], (name, text_column)
                if line:
                    assert len(LINE_ENDS.findall(text, 0, row[start])) + 1 == row[line], (name, line)


@pytest.mark.slow
@SETTINGS
@given(mutated_articles())
def test_mutated_articles_raise_only_pipeline_errors_and_keep_spans_exact(text):
    try:
        article = extract_text(text, "raw/mutated.txt", "0" * 64, "mutated.txt")
    except PipelineError as error:
        assert str(error).startswith("raw/mutated.txt")
        assert "\n" not in str(error)
        return
    assert_spans_match(article_tables(article), text, "mutated")


@pytest.mark.slow
@SETTINGS
@given(st.text(max_size=300))
def test_any_text_raises_only_pipeline_errors(text):
    try:
        extract_text(text, "raw/any.txt", "0" * 64, "any.txt")
    except PipelineError:
        return


@pytest.mark.slow
@SETTINGS
@given(st.text(max_size=300))
def test_any_text_under_a_title_and_a_heading_keeps_spans_exact(text):
    text = "Alpha Therapy vs Beta Therapy\n\nWhat Are the Side Effects of Alpha Therapy?\n\n" + text
    try:
        article = extract_text(text, "raw/any.txt", "0" * 64, "any.txt")
    except PipelineError:
        return
    assert_spans_match(article_tables(article), text, "any text")


STRUCTURE = ["1. ", "2) ", "5. ", " 3. ", "• ", "- ", "?", "?\n", ":", ": ", "Side effects", "side-effect",
             "Immunotherapy", "Immunosuppression", " vs ", "Between ", " and ", "such as ", ", ", " or ", "\r", "\n",
             "\n\n", "(", ")", "e.g. ", "types of ", "Common ", "Rare ", "serious ", "boosts the immune",
             "suppresses immune", "Questions and answers:", "Label: ", ".", " ", "\t", "é", "\u2028", "Q&A",
             "\nWhat Conditions are Treated with Immunosuppression?\n"]


@pytest.mark.slow
@SETTINGS
@given(st.lists(st.sampled_from(STRUCTURE), max_size=120))
def test_articles_made_of_template_pieces_raise_only_pipeline_errors(pieces):
    """The template's own markers (numbers, bullets, headings, labels, enumerations) in random order."""
    text = "Immunotherapy vs Immunosuppression\n\nWhat Are the Side Effects of Immunotherapy?\n" + "".join(pieces)
    try:
        article = extract_text(text, "raw/pieces.txt", "0" * 64, "pieces.txt")
    except PipelineError:
        return
    assert_spans_match(article_tables(article), text, "pieces")


@pytest.mark.slow
def test_the_span_assertions_ran_for_most_examples():
    """Each property test above checked the spans of most of its examples (a test whose examples all raise
    would check nothing)."""
    if len(BUILT) < 3:
        pytest.skip("run with the property tests above")
    assert min(BUILT.values()) >= SETTINGS.max_examples // 2, BUILT
