"""Many articles at once: shared ids, exact provenance per document, the per-article cache and the pool."""

from __future__ import annotations

import io as text_io
import shutil
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import ARTICLES, FIXTURES, GOLDEN, SEED

from pipeline import build, parallel, read
from pipeline.build import run_build
from pipeline.cli import cli
from pipeline.errors import PipelineError
from pipeline.extract.ids import slug
from pipeline.progress import Progress, bar_for
from pipeline.store.cache import arrow_array
from pipeline.tables import ARTICLE_TABLES, ENTITIES, models

TARGETED = ARTICLES / "targeted-vs-hormone.txt"
ASSOCIATIONS = ("indications", "therapy_side_effects", "side_effect_examples", "decision_factors", "faqs")


def golden(article: Path, table: str) -> pd.DataFrame:
    return pd.read_csv(GOLDEN / article.stem / f"{table}.csv", dtype=str, keep_default_na=False)


def built(out: Path, table: str) -> pd.DataFrame:
    return pd.read_csv(out / f"{table}.csv", dtype=str, keep_default_na=False)


@pytest.fixture
def two_articles_sharing_items(raw_dir_with, tmp_path) -> Path:
    """The seed and the targeted-vs-hormone article both list fatigue, high blood pressure, (breast) cancer."""
    raw = raw_dir_with(SEED, TARGETED)
    assert run_build(raw_dir=raw, out_dir=tmp_path / "out", report=tmp_path / "report.csv",
                     cache_dir=tmp_path / "cache") == []
    return tmp_path / "out"


def test_a_thing_named_in_two_articles_has_one_entity_row_and_a_row_per_article(two_articles_sharing_items):
    effects = built(two_articles_sharing_items, "side_effects").set_index("side_effect_id")
    assert effects.index.is_unique
    mentions = {article: golden(article, "mentions") for article in (SEED, TARGETED)}
    fatigue = sum(len(m[(m.label == "SIDE_EFFECT") & (m.entity_id == "fatigue")]) for m in mentions.values())
    assert effects.loc["fatigue"].tolist() == ["Fatigue", "2", str(fatigue)]
    per_article = built(two_articles_sharing_items, "document_side_effects")
    assert per_article[per_article.side_effect_id == "fatigue"].values.tolist() == [
        [SEED.stem, "fatigue", "Fatigue", "65", "6664", "6671", ""],
        [TARGETED.stem, "fatigue", "Fatigue", "42", "1360", "1367", ""]]
    conditions = built(two_articles_sharing_items, "document_conditions")
    assert conditions[conditions.condition_id == "breast-cancer"].values.tolist() == [
        [SEED.stem, "breast-cancer", "breast cancer", "cancer", "31", "2769", "2782", ""],
        [TARGETED.stem, "breast-cancer", "breast cancer", "cancer", "19", "879", "892", ""]]


def test_entity_tables_count_the_articles_and_mentions_of_each_id(two_articles_sharing_items):
    """Each entity table is the union of the articles' ids, with the documents and mentions counted and the
    name written most often (ties by code point), all from the two articles' hand-checked golden tables."""
    mentions = pd.concat([golden(SEED, "mentions"), golden(TARGETED, "mentions")])
    for table, (per_article, id_column, label) in ENTITIES.items():
        rows = pd.concat([golden(SEED, per_article), golden(TARGETED, per_article)])
        own = mentions[mentions.label == label]
        expected = []
        for entity in sorted(set(rows[id_column])):
            texts = own[own.entity_id == entity].text
            spelled = Counter(t for t in texts if slug(t) == entity) or Counter(rows[rows[id_column] == entity].name)
            name = min(spelled, key=lambda value: (-spelled[value], value))
            expected.append([entity, name, str(rows[rows[id_column] == entity].document_id.nunique()),
                             str(len(texts))])
        assert built(two_articles_sharing_items, table).values.tolist() == expected, table


def test_adding_an_article_changes_no_row_of_the_others_but_the_counts(tmp_path, raw_dir_with):
    """Provenance is stable: the seed's rows in every table are the same with a second article beside it (one
    that sorts first and shares names with it); an entity row changes only in its counts (and its name, where
    the new article tips the majority)."""
    first = ARTICLES / "dmards-vs-nsaids.txt"
    alone, both = tmp_path / "alone", tmp_path / "both"
    assert run_build(raw_dir=SEED.parent, out_dir=alone, report=tmp_path / "a.csv", cache_dir=None) == []
    assert run_build(raw_dir=raw_dir_with(SEED, first), out_dir=both, report=tmp_path / "b.csv",
                     cache_dir=None) == []
    shared_ids = 0
    for table in models():
        before, after = built(alone, table), built(both, table)
        if "document_id" in before.columns:
            seed_rows = after[after.document_id == SEED.stem].reset_index(drop=True)
            pd.testing.assert_frame_equal(seed_rows, before, obj=table)
        elif table in ENTITIES:
            id_column = ENTITIES[table][1]
            shared = after[after[id_column].isin(before[id_column])].reset_index(drop=True)
            shared_ids += int((shared.n_documents == "2").sum())
            stable = [id_column] + [c for c in before.columns if c not in (id_column, "name", "n_documents",
                                                                           "n_mentions")]
            pd.testing.assert_frame_equal(shared[stable], before[stable], obj=table)
            only_seed = ~before[id_column].isin(built(both, ENTITIES[table][0]).query(
                f"document_id == '{first.stem}'")[id_column])
            pd.testing.assert_frame_equal(shared[only_seed.to_numpy()].reset_index(drop=True),
                                          before[only_seed].reset_index(drop=True), obj=table)
        else:  # the term cross-references and the ontologies: the seed's rows stay
            assert set(map(tuple, before.values)) <= set(map(tuple, after.values)), table
    assert shared_ids > 0  # (the two articles name some of the same things)


@pytest.mark.parametrize("table", ASSOCIATIONS + ("documents",))
def test_every_association_row_keeps_its_own_document_and_span(two_articles_sharing_items, table):
    produced = built(two_articles_sharing_items, table)
    for article in (SEED, TARGETED):
        own = produced[produced.document_id == article.stem].reset_index(drop=True)
        pd.testing.assert_frame_equal(own, golden(article, table))
    assert set(produced.document_id) == {SEED.stem, TARGETED.stem}


def test_shared_side_effect_is_listed_once_per_article_with_that_articles_span(two_articles_sharing_items):
    listed = built(two_articles_sharing_items, "therapy_side_effects")
    fatigue = listed[listed.side_effect_id == "fatigue"]
    assert fatigue[["document_id", "therapy_id", "line", "char_start", "char_end"]].values.tolist() == [
        [SEED.stem, "immunotherapy", "65", "6664", "6671"],
        [TARGETED.stem, "hormone-therapy", "42", "1360", "1367"]]


# --- the per-article cache ---

@pytest.fixture
def counted_extractions(monkeypatch) -> list[str]:
    """The paths of the articles really extracted (not taken from the cache), in order."""
    calls: list[str] = []
    real = build.extract_document

    def counting(doc, doc_id, sha256, source_path, whole_name=None, term_labels=None):
        calls.append(Path(doc.path).name)
        return real(doc, doc_id, sha256, source_path, whole_name, term_labels)

    monkeypatch.setattr(build, "extract_document", counting)
    return calls


def three_articles(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for article in (SEED, ARTICLES / "cytokine-vs-corticosteroid.txt", ARTICLES / "targeted-vs-hormone.txt"):
        shutil.copyfile(article, folder / article.name)
    return folder


def extract_folder(raw: Path, cache_dir: Path | None, **kw):
    extracted = build.extract_folder(raw_dir=raw, cache_dir=cache_dir, **kw)
    return extracted.tables, extracted


def test_unchanged_articles_are_taken_from_the_cache(tmp_path, counted_extractions):
    raw, cache_dir = three_articles(tmp_path / "raw"), tmp_path / "cache"
    first, stats = extract_folder(raw, cache_dir)
    assert (stats.extracted, stats.cached, len(counted_extractions)) == (3, 0, 3)
    second, stats = extract_folder(raw, cache_dir)
    assert (stats.extracted, stats.cached, len(counted_extractions)) == (0, 3, 3)
    for name in ARTICLE_TABLES:
        pd.testing.assert_frame_equal(first[name], second[name])


def test_an_edited_article_alone_is_extracted_again(tmp_path, counted_extractions):
    raw, cache_dir = three_articles(tmp_path / "raw"), tmp_path / "cache"
    extract_folder(raw, cache_dir)
    counted_extractions.clear()
    edited = raw / TARGETED.name
    edited.write_bytes(edited.read_bytes() + b"\nOne more closing line.\n")
    tables, stats = extract_folder(raw, cache_dir)
    assert counted_extractions == [TARGETED.name]
    assert (stats.extracted, stats.cached) == (1, 2)
    assert tables["documents"].set_index("document_id").loc[TARGETED.stem, "sha256"] == read.read_article(edited)[1]


def test_an_added_article_alone_is_extracted(tmp_path, counted_extractions):
    raw, cache_dir = three_articles(tmp_path / "raw"), tmp_path / "cache"
    extract_folder(raw, cache_dir)
    counted_extractions.clear()
    shutil.copyfile(SEED, raw / "seed-copy.txt")
    tables, stats = extract_folder(raw, cache_dir)
    assert counted_extractions == ["seed-copy.txt"]
    assert tables["documents"].document_id.tolist() == [
        "cytokine-vs-corticosteroid", SEED.stem, "seed-copy", "targeted-vs-hormone"]


@pytest.mark.slow
def test_new_code_extracts_every_article_again(tmp_path, counted_extractions, monkeypatch):
    raw, cache_dir = three_articles(tmp_path / "raw"), tmp_path / "cache"
    extract_folder(raw, cache_dir)
    monkeypatch.setattr(build, "code_version", lambda: "an edited extractor")
    counted_extractions.clear()
    _, stats = extract_folder(raw, cache_dir)
    assert (stats.extracted, stats.cached, len(counted_extractions)) == (3, 0, 3)


@pytest.mark.parametrize("damage", [
    lambda data: data[:-1] + bytes([data[-1] ^ 1]),
    lambda data: data[:-1],
    lambda data: data[: len(data) // 2],
    lambda data: b"",
    lambda data: b"not a cache file at all",
], ids=["last_byte_flipped", "last_byte_cut", "half_the_pack", "empty", "foreign_bytes"])
def test_a_damaged_pack_is_extracted_again(tmp_path, counted_extractions, damage):
    raw, cache_dir = three_articles(tmp_path / "raw"), tmp_path / "cache"
    first, _ = extract_folder(raw, cache_dir)
    (pack,) = cache_dir.glob("*.pack")
    whole = pack.read_bytes()
    pack.write_bytes(damage(whole))
    second, stats = extract_folder(raw, cache_dir)
    assert (stats.extracted, stats.cached) == (3, 0)
    for name in ARTICLE_TABLES:
        pd.testing.assert_frame_equal(first[name], second[name])
    _, stats = extract_folder(raw, cache_dir)
    assert stats.cached == 3  # the articles were written again, whole: the same pack
    assert list(cache_dir.glob("*.pack")) == [pack] and pack.read_bytes() == whole


def test_a_damaged_pack_costs_only_its_own_articles(tmp_path, counted_extractions):
    raw, cache_dir = three_articles(tmp_path / "raw"), tmp_path / "cache"
    extract_folder(raw, cache_dir)
    (first_pack,) = cache_dir.glob("*.pack")
    shutil.copyfile(SEED, raw / "seed-copy.txt")
    extract_folder(raw, cache_dir)
    (second_pack,) = set(cache_dir.glob("*.pack")) - {first_pack}
    second_pack.write_bytes(second_pack.read_bytes()[:-10])
    counted_extractions.clear()
    _, stats = extract_folder(raw, cache_dir)
    assert (stats.extracted, stats.cached, counted_extractions) == (1, 3, ["seed-copy.txt"])


def test_cached_articles_keep_their_warnings_in_article_order(tmp_path):
    raw = three_articles(tmp_path / "raw")
    alone = build.extract_folder(raw_dir=_with_warning_articles(raw), cache_dir=None).shown
    assert alone and any("b-heading" in w for w in alone) and any("z-heading" in w for w in alone)
    raw, cache_dir = three_articles(tmp_path / "raw-cached"), tmp_path / "cache"
    build.extract_folder(raw_dir=raw, cache_dir=cache_dir)  # some cached, in a pack of their own
    mixed = build.extract_folder(raw_dir=_with_warning_articles(raw), cache_dir=cache_dir)
    cached = build.extract_folder(raw_dir=raw, cache_dir=cache_dir)
    assert (mixed.cached, cached.cached) == (3, 5)
    assert [w.replace("raw-cached", "raw") for w in mixed.shown] == alone
    assert [w.replace("raw-cached", "raw") for w in cached.shown] == alone


def _with_warning_articles(raw: Path) -> Path:
    shutil.copyfile(FIXTURES / "heading-without-items.txt", raw / "b-heading-without-items.txt")
    shutil.copyfile(FIXTURES / "heading-without-items.txt", raw / "z-heading-without-items.txt")
    return raw


def test_cache_is_one_pack_per_chunk_without_leftovers(tmp_path):
    raw, cache_dir = three_articles(tmp_path / "raw"), tmp_path / "cache"
    extract_folder(raw, cache_dir)
    files = sorted(p.name for p in cache_dir.rglob("*"))
    assert len(files) == 2 and files[0].endswith(".pack") and files[1].startswith("terms-")  # and no leftovers


def test_a_pack_no_article_uses_any_more_is_deleted(tmp_path):
    raw, cache_dir = three_articles(tmp_path / "raw"), tmp_path / "cache"
    extract_folder(raw, cache_dir)
    (first_pack,) = cache_dir.glob("*.pack")
    edited = raw / TARGETED.name
    edited.write_bytes(edited.read_bytes() + b"\nOne more closing line.\n")
    extract_folder(raw, cache_dir)
    assert len(list(cache_dir.glob("*.pack"))) == 2  # the first still holds two articles in use
    for article in raw.glob("*.txt"):
        article.write_bytes(article.read_bytes() + b"\nAnd another.\n")
    extract_folder(raw, cache_dir)
    assert not first_pack.exists() and len(list(cache_dir.glob("*.pack"))) == 1


def test_an_unwritable_cache_only_costs_speed(tmp_path):
    raw = three_articles(tmp_path / "raw")
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder should be")
    tables, stats = extract_folder(raw, blocker)
    assert stats.extracted == 3 and len(tables["documents"]) == 3


def test_no_cache_extracts_everything_and_writes_nothing(tmp_path, counted_extractions):
    raw = three_articles(tmp_path / "raw")
    extract_folder(raw, None)
    _, stats = extract_folder(raw, None)
    assert (stats.extracted, stats.cached, len(counted_extractions)) == (3, 0, 6)


# --- the process pool ---

@pytest.mark.slow
def test_the_pool_gives_the_same_tables_as_one_process(tmp_path, monkeypatch):
    raw = three_articles(tmp_path / "raw")
    for copy in range(5):
        shutil.copyfile(TARGETED, raw / f"copy-{copy}.txt")
    alone, _ = extract_folder(raw, None, jobs=1)
    monkeypatch.setattr(parallel, "POOL_MIN_ARTICLES", 2)
    monkeypatch.setattr(parallel, "MAX_CHUNK", 2)
    pooled, stats = extract_folder(raw, tmp_path / "cache", jobs=2)
    assert (stats.extracted, stats.cached) == (8, 0)
    for name in ARTICLE_TABLES:
        pd.testing.assert_frame_equal(alone[name], pooled[name])
    _, stats = extract_folder(raw, tmp_path / "cache", jobs=2)
    assert (stats.extracted, stats.cached) == (0, 8)


@pytest.mark.slow
def test_the_pool_stops_at_the_first_bad_article_in_name_order(tmp_path, monkeypatch):
    raw = three_articles(tmp_path / "raw")
    (raw / "b-empty.txt").write_bytes(b"A title\n\nJust one paragraph, no headings.\n")
    (raw / "z-empty.txt").write_bytes(b"Another title\n\nNo headings either.\n")
    monkeypatch.setattr(parallel, "POOL_MIN_ARTICLES", 2)
    monkeypatch.setattr(parallel, "MAX_CHUNK", 1)
    with pytest.raises(PipelineError) as error:
        extract_folder(raw, None, jobs=2)
    assert str(error.value) == f"{raw / 'b-empty.txt'}: no recognisable structure: no headings found"


def test_a_single_article_build_starts_no_pool(raw_dir_with, tmp_path, monkeypatch):
    import multiprocessing

    def no_pool(*args, **kwargs):
        raise AssertionError("a pool was started")

    monkeypatch.setattr(multiprocessing, "get_context", no_pool)
    assert run_build(raw_dir=raw_dir_with(SEED), out_dir=tmp_path / "out", report=tmp_path / "r.csv",
                     cache_dir=None) == []


# --- progress and the command line ---

class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_progress_shows_articles_done_rate_and_time_left():
    stream, clock = text_io.StringIO(), Clock()
    bar = Progress(1000, stream, clock=clock)
    clock.now = 2.0
    bar(250)
    assert stream.getvalue() == "\rextract [######------------------] 250/1000 articles  125/s  0:06 left"
    bar.close()
    assert stream.getvalue().endswith("\n")


class Terminal(text_io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_bar_shows_on_a_terminal_only_and_not_when_quiet():
    assert bar_for(10, text_io.StringIO(), quiet=False) is None
    assert bar_for(10, Terminal(), quiet=True) is None
    assert isinstance(bar_for(10, Terminal(), quiet=False), Progress)


def test_cli_build_uses_the_given_cache_folder_and_is_silent_off_a_terminal(raw_dir_with, tmp_path):
    raw = raw_dir_with(SEED)
    result = CliRunner().invoke(cli, ["build", "--raw-dir", str(raw), "--out-dir", str(tmp_path / "out"),
                                      "--cache-dir", str(tmp_path / "cache"), "--report", str(tmp_path / "r.csv")])
    assert (result.exit_code, result.stderr) == (0, "")
    assert len(list((tmp_path / "cache").glob("*.pack"))) == 1


def test_cli_no_cache_writes_no_cache(raw_dir_with, tmp_path):
    raw = raw_dir_with(SEED)
    result = CliRunner().invoke(cli, ["extract", "--raw-dir", str(raw), "--out-dir", str(tmp_path / "staged"),
                                      "--cache-dir", str(tmp_path / "cache"), "--no-cache", "--quiet"])
    assert (result.exit_code, result.stderr) == (0, "")
    assert not (tmp_path / "cache").exists()


@pytest.mark.parametrize("column", [
    ("plain", "", "two\nlines"), ("é’—", None, "a", None), (None, None), (1, None, -3), (7, 8),
    ("😀", "x" * 300), (None, "only one"),
], ids=["texts", "non_ascii_with_missing", "all_missing", "integers_with_missing", "integers", "wide",
        "leading_missing"])
def test_workers_build_the_same_arrow_columns_as_pyarrow(column):
    import pyarrow as pa

    built, expected = arrow_array(column), pa.array(column)
    assert built.type == expected.type and built.equals(expected)
