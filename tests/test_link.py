"""Linking to ontology terms: the memo spares loading the ontologies when no name is new."""

from __future__ import annotations

import pandas as pd

from conftest import RAW
from pipeline.corpus import extract_articles
from pipeline.io import read_articles
from pipeline.link import Terms, coverage, link_terms


class _Refuses(dict):
    """Stands in for the ontologies; any use fails the test."""

    def __getitem__(self, key):
        raise AssertionError("the ontologies were loaded although every name was memoised")

    def items(self):
        raise AssertionError("the ontologies were loaded although every name was memoised")


def test_memoised_names_do_not_load_the_ontologies():
    tables = extract_articles(read_articles(RAW), cache_dir=None)[0]
    first = Terms()
    expected = link_terms(tables, first)
    again = Terms(memo=first.memo, ontologies=_Refuses())
    for name, frame in link_terms(tables, again).items():
        pd.testing.assert_frame_equal(frame, expected[name])


def test_coverage_counts_matched_and_total_per_table():
    tables = extract_articles(read_articles(RAW), cache_dir=None)[0]
    tables.update(link_terms(tables, Terms()))
    assert coverage(tables) == {"side_effects": {"matched": 9, "total": 22},
                                "side_effect_examples": {"matched": 9, "total": 9},
                                "conditions": {"matched": 8, "total": 9}}
