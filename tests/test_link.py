"""Linking to ontology terms: the memo spares loading the ontologies when no name is new; the index kept with
the environment spares reading their sources; both are checked and made again when damaged."""

from __future__ import annotations

import hashlib

import pandas as pd
import pytest
from conftest import FIXTURES, SEED

from pipeline import build
from pipeline.publish.report import coverage
from pipeline.store import cache
from pipeline.tables import ARTICLE_TABLES, ENTITIES
from pipeline.terms import index as ontology_index
from pipeline.terms.link import Terms, learn, link_terms
from pipeline.terms.ontology import default_ontologies


class _Refuses(dict):
    """Stands in for the ontologies; any use fails the test."""

    def __getitem__(self, key):
        raise AssertionError("the ontologies were loaded although every name was memoised")

    def items(self):
        raise AssertionError("the ontologies were loaded although every name was memoised")


@pytest.fixture(scope="module")
def tables():
    """The seed's article and entity tables (without the term tables)."""
    extracted = build.extract_folder(raw_dir=SEED.parent, cache_dir=None, jobs=1)
    return {name: extracted.tables[name] for name in (*ARTICLE_TABLES, *ENTITIES)}


@pytest.fixture
def kept_in(tmp_path, monkeypatch):
    """The index folder of the environment, moved into the test's own folder."""
    monkeypatch.setattr(build, "index_folder", lambda: tmp_path / "env")
    return tmp_path / "env"


def index_file(folder):
    return folder / f"ontologies-{build._key()}.index"


def test_memoised_names_do_not_load_the_ontologies(tables):
    first = Terms()
    expected = link_terms(tables, first)
    again = Terms(memo=first.memo, ontologies=_Refuses())
    for name, frame in link_terms(tables, again).items():
        pd.testing.assert_frame_equal(frame, expected[name])


def test_coverage_counts_matched_and_total_per_table(tables):
    linked = {**tables, **link_terms(tables, Terms())}
    assert coverage(linked) == {"side_effects": {"matched": 9, "total": 22},
                                "side_effect_examples": {"matched": 9, "total": 9},
                                "conditions": {"matched": 8, "total": 9}}


@pytest.mark.slow
def test_kept_index_is_used_instead_of_the_sources(tables, kept_in, monkeypatch):
    expected = link_terms(tables, Terms(load=build._ontologies))
    assert index_file(kept_in).exists()

    def no_sources():
        raise AssertionError("the ontologies were read from their sources although an index was kept")

    monkeypatch.setattr(build, "default_ontologies", no_sources)
    for name, frame in link_terms(tables, Terms(load=build._ontologies)).items():
        pd.testing.assert_frame_equal(frame, expected[name])


@pytest.mark.slow
def test_damaged_or_foreign_index_is_built_again_from_the_sources(tables, kept_in):
    expected = link_terms(tables, Terms(load=build._ontologies))
    path = index_file(kept_in)
    whole = path.read_bytes()
    assert ontology_index.load_index(whole) is not None
    assert ontology_index.load_index(whole[:-1] + bytes([whole[-1] ^ 1])) is None
    assert ontology_index.load_index(b"not an index") is None
    # Right digest, but not a database of ours: refused.
    payload = b"SQLite format 3\0" + bytes(100)
    assert ontology_index.load_index(ontology_index.INDEX_FORMAT + hashlib.sha256(payload).digest() + payload) is None
    path.write_bytes(whole[: len(whole) // 2])
    for name, frame in link_terms(tables, Terms(load=build._ontologies)).items():
        pd.testing.assert_frame_equal(frame, expected[name])
    assert path.read_bytes() == whole  # written again, whole


def test_names_learnt_from_each_chunk_leave_nothing_to_look_up(tables):
    """The build looks names up as chunks of articles arrive; the term tables then come from the memo."""
    import pyarrow as pa

    chunk = {name: pa.Table.from_pandas(frame, preserve_index=False) for name, frame in tables.items()}
    learnt = Terms()
    learn(chunk, learnt)
    expected = link_terms(tables, Terms())
    for name, frame in link_terms(tables, Terms(memo=learnt.memo, ontologies=_Refuses())).items():
        pd.testing.assert_frame_equal(frame, expected[name])


@pytest.mark.slow
def test_the_index_is_kept_in_the_environment_even_without_a_cache_folder(kept_in, raw_dir_with, tmp_path):
    """The index follows from the installed ontologies alone, so a build without a cache keeps it too."""
    from conftest import SEED

    assert build.run_build(raw_dir=raw_dir_with(SEED), out_dir=tmp_path / "out", report=tmp_path / "r.csv",
                           cache_dir=None) == []
    assert index_file(kept_in).name == f"ontologies-{build._key()}.index"


@pytest.mark.slow
def test_the_memos_and_indexes_of_other_keys_only_are_removed(tables, kept_in, tmp_path):
    folder = tmp_path / "cache"
    folder.mkdir()
    kept_in.mkdir()
    stale = [folder / "terms-0000000000000000.json", kept_in / "ontologies-0000000000000000.index"]
    stale[0].write_bytes(cache.MEMO_FORMAT + b"old")
    stale[1].write_bytes(ontology_index.INDEX_FORMAT + b"old")
    theirs = [folder / "terms-notes.json", kept_in / "ontologies-mine.index", folder / "0123.pack",
              kept_in / "notes.txt"]
    for path in theirs:
        path.write_bytes(b"someone else's")
    terms = build._terms(folder)
    link_terms(tables, terms)
    build._keep_terms(terms, folder)
    left = sorted(p for p in tmp_path.rglob("*") if p.is_file())
    assert left == sorted(theirs + [index_file(kept_in), folder / f"terms-{build._key()}.json"])


@pytest.mark.slow
def test_records_read_all_at_once_after_many_look_ups_give_the_same_terms(tables, kept_in, monkeypatch):
    """A large build's look-ups switch to a dict of the records' texts; the terms found are the same."""
    one_by_one = link_terms(tables, Terms(load=build._ontologies))
    monkeypatch.setattr(ontology_index._Records, "BULK_AFTER", 0)
    at_once = link_terms(tables, Terms(load=build._ontologies))
    for name, frame in one_by_one.items():
        pd.testing.assert_frame_equal(at_once[name], frame)
    assert len(one_by_one["side_effect_terms"]) > 0


def test_names_answered_in_an_earlier_chunk_or_build_are_not_looked_up_again(tables):
    import pyarrow as pa

    chunk = {name: pa.Table.from_pandas(frame, preserve_index=False) for name, frame in tables.items()}
    first = Terms()
    learn(chunk, first)
    asked = []
    again = Terms(memo=first.memo, ontologies=_Refuses())
    again.match = lambda name, prefix: asked.append((prefix, name))
    learn(chunk, again)  # the memo of an earlier build
    first.match = again.match
    learn(chunk, first)  # the same names in a later chunk
    assert asked == []


def test_the_ontologies_load_from_their_sources_by_default():
    assert sorted(o.prefix for o in default_ontologies()) == ["DOID", "HP"]


ALIAS = FIXTURES / "rules" / "side_effect_alias_linked_through_the_ontology.txt"


def test_an_alias_is_looked_up_like_a_name_and_match_on_says_so(tmp_path):
    """Written from the fixture: `Feeling sick (nausea)` gives the side effect `Feeling sick` with the alias
    `nausea`; the name matches no HPO term, the alias is the label of HP:0002018 Nausea."""
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / ALIAS.name).write_bytes(ALIAS.read_bytes())
    terms = build.extract_folder(raw_dir=raw, cache_dir=None, jobs=1).tables["side_effect_terms"]
    sick = terms[terms.side_effect_id == "feeling-sick"]
    assert sick[["source", "source_text", "term_id", "term_label", "match_on"]].values.tolist() == [
        ["alias", "nausea", "HP:0002018", "Nausea", "alias"]]
    assert sick.synonym_scope.isna().all()
