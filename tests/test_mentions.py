"""Mentions, relations and splits: labelled spans for NER and relation extraction, from the articles' own names."""

from __future__ import annotations

import collections
from pathlib import Path

import pytest
from conftest import SEED, extract_text

from pipeline import build
from pipeline.extract.ids import split_of


@pytest.fixture(scope="module")
def seed_rows():
    return extract_text(SEED.read_text(encoding="utf-8"), str(SEED), source_path=SEED.name).rows


def test_every_side_effect_named_in_the_seed_faq_answers_has_a_prose_mention(seed_rows):
    """Written from the article: the third answer names fatigue, skin rashes and diarrhea (a listed side effect,
    and two listed examples: rash, diarrhea)."""
    (text,) = [row.text for row in seed_rows["documents"]]
    answer = seed_rows["faqs"][2]
    inside = [(m.label, m.entity_id, m.text) for m in seed_rows["mentions"]
              if answer.answer_char_start <= m.char_start < answer.answer_char_end and m.source == "prose"
              and m.label in ("SIDE_EFFECT", "EXAMPLE")]
    assert inside == [("SIDE_EFFECT", "fatigue", "fatigue"), ("EXAMPLE", "rash", "rashes"),
                      ("EXAMPLE", "diarrhea", "diarrhea")]
    assert all(text[m.char_start:m.char_end] == m.text for m in seed_rows["mentions"])


def test_the_rows_own_items_are_list_item_mentions(seed_rows):
    mentions = {(m.char_start, m.char_end, m.label): m for m in seed_rows["mentions"]}
    for row in seed_rows["side_effect_examples"]:
        assert mentions[(row.char_start, row.char_end, "EXAMPLE")].source == "list_item"
    for row in seed_rows["indications"]:
        assert mentions[(row.char_start, row.char_end, "CONDITION")].source == "list_item"
    fatigue = [m for m in seed_rows["mentions"] if m.entity_id == "fatigue" and m.label == "SIDE_EFFECT"]
    assert [m.source for m in fatigue] == ["list_item", "prose"]


def test_mention_ids_follow_the_text_and_the_flat_layer_has_no_overlaps(seed_rows):
    mentions = seed_rows["mentions"]
    assert [m.mention_id for m in mentions] == list(range(1, len(mentions) + 1))
    assert [m.char_start for m in mentions] == sorted(m.char_start for m in mentions)
    flat = sorted((m.char_start, m.char_end) for m in mentions if not m.nested)
    assert all(end <= start for (_, end), (start, _) in zip(flat, flat[1:]))


def test_a_shorter_name_inside_a_longer_one_is_nested():
    text = ("Creams vs Tablets\n\nSide effects of creams\n\n- Skin rash\n- Headache\n\n"
            "Side effects of tablets\n\n- Skin changes, such as rash\n")
    rows = extract_text(text, "nested.txt").rows
    at = {(m.label, m.char_start): m for m in rows["mentions"]}
    skin_rash = text.index("Skin rash")
    assert at[("SIDE_EFFECT", skin_rash)].text == "Skin rash" and not at[("SIDE_EFFECT", skin_rash)].nested
    rash = at[("EXAMPLE", skin_rash + len("Skin "))]  # the example's name, found inside the other item
    assert (rash.text, rash.source, rash.nested) == ("rash", "prose", True)
    listed = at[("EXAMPLE", text.rindex("rash"))]
    assert (listed.source, listed.nested) == ("list_item", False)


def test_every_row_of_the_three_association_tables_is_a_relation_with_both_spans(seed_rows):
    relations = seed_rows["relations"]
    counts = collections.Counter(r.relation for r in relations)
    assert counts == {"has_side_effect": len(seed_rows["therapy_side_effects"]),
                      "treats": len(seed_rows["indications"]),
                      "has_example": len(seed_rows["side_effect_examples"])}
    (text,) = [row.text for row in seed_rows["documents"]]
    mentions = {m.mention_id: m for m in seed_rows["mentions"]}
    for relation in relations:
        head, tail = mentions[relation.head_mention_id], mentions[relation.tail_mention_id]
        assert (head.entity_id, tail.entity_id) == (relation.head_id, relation.tail_id)
        assert text[relation.head_char_start:relation.head_char_end] == relation.head_text == head.text
        assert text[relation.tail_char_start:relation.tail_char_end] == relation.tail_text == tail.text
        assert head.char_end <= tail.char_start or relation.relation == "has_side_effect"


def test_the_side_effects_of_immunotherapy_are_headed_by_the_lead_in_mention(seed_rows):
    """Written from the article: "Common side effects of immunotherapy include:" owns the first list."""
    (text,) = [row.text for row in seed_rows["documents"]]
    lead = text.index("Common side effects of immunotherapy include:")
    fatigue = next(r for r in seed_rows["relations"] if r.tail_id == "fatigue")
    assert (fatigue.head_id, fatigue.head_char_start) == ("immunotherapy", lead + len("Common side effects of "))


def test_splits_come_from_the_document_id_alone_80_10_10():
    ids = [f"article-{number}" for number in range(5000)]
    counts = collections.Counter(split_of(doc_id) for doc_id in ids)
    assert set(counts) == {"train", "validation", "test"}
    assert 0.77 < counts["train"] / 5000 < 0.83 and 0.08 < counts["validation"] / 5000 < 0.12
    assert [split_of(doc_id) for doc_id in ids[:50]] == [split_of(doc_id) for doc_id in ids[:50]]
    assert split_of("immunotherapy-vs-immunosuppression") == "train"


ONTOLOGY_LABEL = Path(__file__).resolve().parent / "fixtures" / "mentions" / "ontology-label-in-prose.txt"


def test_the_label_of_the_linked_term_is_a_mention_of_the_same_side_effect():
    """Written from the fixture: `Muscle pain` is listed for heat packs, and HPO gives it as a synonym of
    `Myalgia`; the prose's `myalgia` is a mention of the same side effect, matched by the ontology label, and
    the later `muscle pain` is one by the article's own name."""
    rows = build.read_one(ONTOLOGY_LABEL).rows
    text = ONTOLOGY_LABEL.read_text(encoding="utf-8")
    pain = [(m.text, m.source, m.via, m.line) for m in rows["mentions"] if m.entity_id == "muscle-pain"]
    assert pain == [("Muscle pain", "list_item", "name", 5), ("myalgia", "prose", "ontology_label", 14),
                    ("muscle pain", "prose", "name", 14)]
    myalgia = next(m for m in rows["mentions"] if m.via == "ontology_label")
    assert text[myalgia.char_start:myalgia.char_end] == "myalgia" and myalgia.label == "SIDE_EFFECT"


def test_without_the_ontologies_only_the_articles_own_names_are_mentions():
    rows = extract_text(ONTOLOGY_LABEL.read_text(encoding="utf-8"), str(ONTOLOGY_LABEL)).rows
    assert [m.text for m in rows["mentions"] if m.entity_id == "muscle-pain"] == ["Muscle pain", "muscle pain"]
    assert {m.via for m in rows["mentions"]} == {"name"}


def _occurrences_by_scanning(text: str, surface: str) -> list[tuple[int, int]]:
    """The simple reading the word index must agree with: every place of the surface, checked in turn."""
    lowered, found, start = text.lower(), [], text.lower().find(surface)
    word = lambda char: char.isalnum() or char == "_"  # noqa: E731
    while start >= 0:
        end = start + len(surface)
        if start == 0 or not word(text[start - 1]) or not word(surface[0]):
            for plural in ("", "s", "es"):
                stop = end + len(plural)
                if lowered.startswith(plural, end) and (stop == len(text) or not word(text[stop])
                                                        or not word(surface[-1]) and not plural):
                    found.append((start, stop))
                    break
        start = lowered.find(surface, start + 1)
    return found


def test_the_word_index_finds_what_scanning_the_text_finds():
    """On random texts of a few words, spaces, punctuation and plural endings, for surfaces cut from them."""
    import random

    from pipeline.extract import mentions

    rng = random.Random(7)
    pieces = ["rash", "Rash", "rashes", "es", "s", "skin", " ", " ", "  ", ",", ".", "-", "(", ")", "_", "é", "1"]
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 14)))
        lowered = text.lower()
        a = rng.randrange(len(lowered))
        surface = lowered[a:a + rng.randint(1, 8)]
        got = list(mentions._occurrences(text, lowered, surface, mentions.word_index(lowered)))
        assert got == _occurrences_by_scanning(text, surface), (text, surface)
