"""Linking to ontology terms: the memo spares loading the ontologies when no name is new."""

from __future__ import annotations

import pandas as pd

from conftest import RAW
from pipeline.corpus import extract_articles
from pipeline.io import read_articles
from pipeline.link import Terms, coverage, learn, link_terms


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


def test_kept_index_is_used_instead_of_the_sources(tmp_path, monkeypatch):
    import pipeline.ontology

    tables = extract_articles(read_articles(RAW), cache_dir=None)[0]
    index = tmp_path / "ontologies.index"
    expected = link_terms(tables, Terms(index_path=index))
    assert index.exists()

    def no_sources():
        raise AssertionError("the ontologies were read from their sources although an index was kept")

    monkeypatch.setattr(pipeline.ontology, "default_ontologies", no_sources)
    for name, frame in link_terms(tables, Terms(index_path=index)).items():
        pd.testing.assert_frame_equal(frame, expected[name])


def test_damaged_or_foreign_index_is_built_again_from_the_sources(tmp_path):
    import hashlib

    from pipeline.ontology import _INDEX_FORMAT, load_index

    tables = extract_articles(read_articles(RAW), cache_dir=None)[0]
    index = tmp_path / "ontologies.index"
    expected = link_terms(tables, Terms(index_path=index))
    whole = index.read_bytes()
    assert load_index(whole) is not None
    assert load_index(whole[:-1] + bytes([whole[-1] ^ 1])) is None
    assert load_index(b"not an index") is None
    # Right digest, but not a database of ours: refused.
    payload = b"SQLite format 3\0" + bytes(100)
    assert load_index(_INDEX_FORMAT + hashlib.sha256(payload).digest() + payload) is None
    index.write_bytes(whole[: len(whole) // 2])
    for name, frame in link_terms(tables, Terms(index_path=index)).items():
        pd.testing.assert_frame_equal(frame, expected[name])
    assert index.read_bytes() == whole  # written again, whole


def test_names_learnt_from_each_chunk_leave_nothing_to_look_up(tmp_path):
    """The build looks names up as chunks of articles arrive; the term tables then come from the memo."""
    chunks = []
    tables = extract_articles(read_articles(RAW), cache_dir=None, on_extracted=chunks.append)[0]
    assert len(chunks) == 1 and chunks[0]["side_effects"].num_rows == len(tables["side_effects"])
    learnt = Terms()
    for chunk in chunks:
        learn(chunk, learnt)
    expected = link_terms(tables, Terms())
    for name, frame in link_terms(tables, Terms(memo=learnt.memo, ontologies=_Refuses())).items():
        pd.testing.assert_frame_equal(frame, expected[name])


def test_index_is_kept_in_the_environment_even_without_a_cache_folder(tmp_path, monkeypatch):
    """The index follows from the installed ontologies alone, so a build without a cache keeps it too."""
    import pipeline.link

    monkeypatch.setattr(pipeline.link, "index_folder", lambda: tmp_path / "env")
    terms = Terms.kept_in(None)
    assert terms.memo_path is None
    assert terms.index_path == tmp_path / "env" / f"ontologies-{Terms.key()}.index"
    link_terms(extract_articles(read_articles(RAW), cache_dir=None)[0], terms)
    assert terms.index_path.exists()


def test_prune_removes_the_memos_and_indexes_of_other_keys_only(tmp_path, monkeypatch):
    import pipeline.link

    monkeypatch.setattr(pipeline.link, "index_folder", lambda: tmp_path / "env")
    cache, env = tmp_path / "cache", tmp_path / "env"
    cache.mkdir()
    env.mkdir()
    terms = Terms.kept_in(cache)
    keep = [terms.index_path, terms.memo_path, cache / "0123.pack", env / "notes.txt"]
    stale = [cache / "terms-0000000000000000.json", env / "ontologies-0000000000000000.index", env / "ontologies-0000000000000000.pickle"]
    for path in keep + stale:
        path.write_bytes(b"x")
    terms.prune()
    assert sorted(p for p in tmp_path.rglob("*") if p.is_file()) == sorted(keep)


def test_records_read_all_at_once_after_many_look_ups_give_the_same_terms(tmp_path, monkeypatch):
    """A large build's look-ups switch to a dict of the records' texts; the terms found are the same."""
    from pipeline import ontology

    tables = extract_articles(read_articles(RAW), cache_dir=None)[0]
    index = tmp_path / "ontologies.index"
    one_by_one = link_terms(tables, Terms(index_path=index))
    monkeypatch.setattr(ontology._Records, "BULK_AFTER", 0)
    at_once = link_terms(tables, Terms(index_path=index))
    for name, frame in one_by_one.items():
        pd.testing.assert_frame_equal(at_once[name], frame)
    assert len(one_by_one["side_effect_terms"]) > 0


def test_names_answered_in_an_earlier_chunk_or_build_are_not_looked_up_again():
    chunks = []
    extract_articles(read_articles(RAW), cache_dir=None, on_extracted=chunks.append)
    first = Terms()
    learn(chunks[0], first)
    asked = []
    again = Terms(memo=first.memo, ontologies=_Refuses())
    again.match = lambda name, prefix: asked.append((prefix, name))
    learn(chunks[0], again)  # the memo of an earlier build
    first.match = again.match
    learn(chunks[0], first)  # the same names in a later chunk
    assert asked == []
