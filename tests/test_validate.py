"""The provenance checks of stage 2: every span must be the article's text, on the line it names."""

from __future__ import annotations

import pytest
from conftest import ARTICLES, SEED

from pipeline.build import extract_folder
from pipeline.check import find_problems
from pipeline.store import stages


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """The seed and two test articles (curly quotes, dashes, an umlaut; CRLF and a BOM), their tables and texts."""
    raw = tmp_path_factory.mktemp("raw")
    for path in (SEED, ARTICLES / "dmards-vs-nsaids.txt", ARTICLES / "targeted-vs-hormone.txt"):
        (raw / path.name).write_bytes(path.read_bytes())
    extracted = extract_folder(raw_dir=raw, cache_dir=None, jobs=1)
    return extracted.tables, extracted.texts


def problems_of(tables: dict, texts: dict) -> list[list[str]]:
    return find_problems(tables, texts, expected=list(tables)).values.tolist()


def changed(tables: dict, name: str, row: int, column: str, value) -> dict:
    copy = dict(tables)
    copy[name] = tables[name].copy()
    copy[name].loc[row, column] = value
    return copy


def row_of(tables: dict, name: str, document: str, column: str, contains: str) -> int:
    frame = tables[name]
    return int(frame.index[(frame["document_id"] == document) & frame[column].str.contains(contains)][0])


@pytest.mark.parametrize("batch_chars", [1, 5_000, 10_000_000])
def test_sound_tables_have_no_problem_however_the_texts_are_batched(corpus, monkeypatch, batch_chars):
    monkeypatch.setattr("pipeline.check.spans.SPAN_BATCH_BYTES", batch_chars)
    tables, texts = corpus
    assert problems_of(tables, texts) == []


def test_span_one_character_off_after_non_ascii_text_is_caught(corpus):
    tables, texts = corpus
    row = row_of(tables, "therapy_side_effects", "dmards-vs-nsaids", "item_text", "")
    start = int(tables["therapy_side_effects"].loc[row, "char_start"])
    assert not texts["dmards-vs-nsaids"].decode("utf-8")[:start].isascii()
    broken = changed(tables, "therapy_side_effects", row, "char_start", start + 1)
    assert problems_of(broken, texts) == [["therapy_side_effects", "item_text", "span(char_start,char_end)",
                                           tables["therapy_side_effects"].loc[row, "item_text"], str(row)]]


def test_span_with_the_same_length_but_other_text_is_caught(corpus):
    tables, texts = corpus
    row = row_of(tables, "faqs", "targeted-vs-hormone", "question", "")
    question = tables["faqs"].loc[row, "question"]
    broken = changed(tables, "faqs", row, "question", question[:-1] + "!")
    assert problems_of(broken, texts) == [["faqs", "question", "span(char_start,char_end)", question[:-1] + "!",
                                           str(row)]]


def test_span_past_the_end_of_the_article_is_a_problem_not_a_crash(corpus):
    tables, texts = corpus
    end = len(texts["immunotherapy-vs-immunosuppression"].decode("utf-8"))
    broken = changed(tables, "document_side_effects", 0, "char_start", end + 5)
    name = tables["document_side_effects"].loc[0, "name"]
    broken = changed(broken, "document_side_effects", 0, "char_end", end + 5 + len(name))
    assert [p[2] for p in problems_of(broken, texts)] == ["span(char_start,char_end)"]


def test_wrong_line_is_caught_with_the_line_given(corpus):
    tables, texts = corpus
    row = row_of(tables, "decision_factors", "dmards-vs-nsaids", "label", "")
    line = int(tables["decision_factors"].loc[row, "line"])
    broken = changed(tables, "decision_factors", row, "line", line + 1)
    assert problems_of(broken, texts) == [["decision_factors", "line", "line_of(char_start)", str(line + 1), str(row)]]


def test_missing_immune_effect_start_is_a_span_problem(corpus):
    tables, texts = corpus
    therapies = tables["document_therapies"]
    row = int(therapies.index[therapies["immune_effect_word"].notna()][0])
    broken = changed(tables, "document_therapies", row, "immune_effect_char_start", None)
    assert problems_of(broken, texts) == [["document_therapies", "immune_effect_word",
                                           "span(immune_effect_char_start,immune_effect_char_end)",
                                           therapies.loc[row, "immune_effect_word"], str(row)]]


def test_row_of_an_article_whose_text_is_missing_is_named(corpus):
    tables, texts = corpus
    others = {doc: text for doc, text in texts.items() if doc != "targeted-vs-hormone"}
    rows = tables["faqs"].index[tables["faqs"]["document_id"] == "targeted-vs-hormone"]
    found = [p for p in problems_of(tables, others) if p[0] == "faqs"]
    # One problem a row for each of the table's two spans (question, answer), in row order.
    assert found == [["faqs", "document_id", "article_text_available", "targeted-vs-hormone", str(row)]
                     for _ in ("question", "answer") for row in rows]


def test_spans_after_four_byte_characters_are_checked_exactly(tmp_path):
    """An emoji is one character and four UTF-8 bytes: spans after it still line up, and an edit is caught."""
    raw = tmp_path / "raw"
    raw.mkdir()
    text = (ARTICLES / "dmards-vs-nsaids.txt").read_text(encoding="utf-8")
    cut = text.index("\n\n") + 2
    (raw / "emoji.txt").write_text(text[:cut] + "😀 ✓ ü\n\n" + text[cut:], encoding="utf-8")
    extracted = extract_folder(raw_dir=raw, cache_dir=None, jobs=1)
    tables, texts = extracted.tables, extracted.texts
    assert problems_of(tables, texts) == []
    name = tables["document_side_effects"].loc[0, "name"]
    broken = changed(tables, "document_side_effects", 0, "name", name[:-1] + ("x" if name[-1] != "x" else "y"))
    assert [p[2] for p in problems_of(broken, texts)] == ["span(char_start,char_end)"]


def test_an_empty_table_keeps_its_declared_categories_through_a_stage(tmp_path):
    """Parquet keeps no categories for an empty column: they are the schema's again on reading."""
    from pipeline.tables import to_frame

    tables = {"condition_terms": to_frame("condition_terms", [])}
    stages.write_stage(tmp_path / "stage", tables)
    back = stages.read_stage(tmp_path / "stage")
    assert dict(back["condition_terms"].dtypes) == dict(tables["condition_terms"].dtypes)
    assert find_problems(back, {}, expected=["condition_terms"]).empty


def test_a_staged_category_outside_the_schema_is_still_reported(corpus, tmp_path):
    tables, _ = corpus
    frame = tables["therapy_side_effects"].head(3).copy()
    frame["frequency"] = frame["frequency"].astype(str).astype("category")
    frame.loc[0, "frequency"] = None
    frame["frequency"] = frame["frequency"].cat.add_categories(["weekly"]).fillna("weekly")
    stages.write_stage(tmp_path / "stage", {"therapy_side_effects": frame})
    back = stages.read_stage(tmp_path / "stage")
    found = find_problems(back, {}, expected=["therapy_side_effects"])
    assert "frequency" in set(found["column"])


def test_a_text_column_holding_a_value_that_is_not_text_is_reported_with_that_value(corpus):
    """Text columns are checked for their dtype once per column (schemas.tables.Text); one that is not
    all text is still reported value by value."""
    tables, texts = corpus
    copy = dict(tables)
    copy["document_side_effects"] = tables["document_side_effects"].astype({"name": object})
    copy["document_side_effects"].loc[1, "name"] = 42
    assert problems_of(copy, texts)[0][:4] == ["document_side_effects", "name", "dtype('string[pyarrow]')", "42"]
    assert problems_of(tables, texts) == []


def test_an_entity_that_no_article_names_is_a_problem(corpus):
    """An entity row must come from an article: an id missing from its per-article table is reported."""
    tables, texts = corpus
    effects = tables["side_effects"]
    row = int(effects.index[effects["side_effect_id"] == "fatigue"][0])
    broken = changed(tables, "side_effects", row, "side_effect_id", "never-listed")
    found = problems_of(broken, texts)
    assert ["side_effects", "side_effect_id", "named_in(document_side_effects.side_effect_id)", "never-listed",
            str(row)] in found
    # (and the per-article rows of fatigue now name an entity that is not there)
    assert {(p[0], p[2]) for p in found} == {("side_effects", "named_in(document_side_effects.side_effect_id)"),
                                           ("document_side_effects", "foreign_key(side_effects.side_effect_id)"),
                                           ("therapy_side_effects", "foreign_key(side_effects.side_effect_id)"),
                                           ("side_effect_terms", "foreign_key(side_effects.side_effect_id)")}
