"""The scorer (tests/scoring.py) on every test article, held to a floor per table: the extraction rules must
keep reading what the articles' writers expected (tests/articles/expected), table by table."""

from __future__ import annotations

import pytest
from scoring import TABLES, articles, f1, score_all

# F1 floors, per table. The issue asks 0.9 of every table; where the rules do better, the floor sits just under
# what they reach, so a change that loses rows shows up here.
# (therapy_aliases 0.93 -> 0.92 with the third blind round: brands under a "Brand names" heading line by line, in an
# "Also called" table row, and after drugs of "a corticosteroid such as ..." are not read yet.)
# (Raised with the fourth blind round, to just under what the 40 articles reach; with the seventh and eighth, to
# just under what the 52 reach.)
FLOORS = {"documents": 1.0, "therapies": 0.98, "therapy_aliases": 0.96, "indications": 0.945,
          "therapy_side_effects": 0.98, "side_effect_examples": 0.965, "side_effect_aliases": 0.96,
          "decision_factors": 0.99, "faqs": 0.99}


@pytest.fixture(scope="module")
def totals():
    total, _ = score_all(articles())
    return total


@pytest.mark.parametrize("table", TABLES)
def test_each_table_scores_above_its_floor(totals, table):
    precision, recall, score = f1(*totals[table])
    assert score >= FLOORS[table], f"{table}: F1 {score:.3f} (precision {precision:.3f}, recall {recall:.3f})"


def test_no_side_effect_goes_to_an_approach_the_writer_did_not_give_it():
    """Never the wrong therapy: every side effect the rules read for an article, the writer listed for the
    same therapy (a row may differ in its other columns, not in its owner)."""
    _, per_article = score_all(articles())
    for article, tables in per_article.items():
        (_, _, _), want, got = tables["therapy_side_effects"]
        expected = {(row[0], row[1]) for row in want}
        owners = {effect: {t for t, e in expected if e == effect} for _, effect in expected}
        wrong = [(t, e) for t, e, *_ in got if e in owners and t not in owners[e]]
        assert not wrong, (article, wrong)
