"""End to end: whole builds compared with golden CSVs, the committed output, and each other."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pandas as pd
import pytest
from conftest import ARTICLES, GOLDEN, OUTPUT, RAW, SEED

from pipeline.build import run_build
from pipeline.manifest import MANIFEST_MARK
from pipeline.tables import metadata, models

TEST_ARTICLES = sorted(ARTICLES.glob("*.txt"))

BANDS = ["very_common", "common", "less_common", "uncommon", "rare", "very_rare", "not_stated"]


def build(raw: Path, out: Path) -> Path:
    assert run_build(raw_dir=raw, out_dir=out, report=out.parent / "report.csv") == []
    return out


def compare_with_golden(out: Path, name: str, update: bool) -> None:
    """Each table's CSV against its golden file; with ``--update-golden`` the golden files are rewritten
    instead and the test is skipped (a rewritten file proves nothing: review its diff)."""
    golden = GOLDEN / name
    if update:
        golden.mkdir(parents=True, exist_ok=True)
        for table in models():
            (golden / f"{table}.csv").write_bytes((out / f"{table}.csv").read_bytes())
        pytest.skip(f"golden files of {name} rewritten: review the diff")
    for table in models():
        produced = (out / f"{table}.csv").read_text(encoding="utf-8")
        assert produced == (golden / f"{table}.csv").read_text(encoding="utf-8"), f"{name}: {table} differs"


def test_seed_build_matches_golden_tables(seed_output, update_golden):
    compare_with_golden(seed_output, SEED.stem, update_golden)


@pytest.mark.parametrize("article", TEST_ARTICLES, ids=lambda p: p.stem)
def test_test_article_build_matches_golden_tables(article, raw_dir_with, tmp_path, update_golden):
    out = build(raw_dir_with(article), tmp_path / "out")
    compare_with_golden(out, article.stem, update_golden)


def test_seed_has_the_rows_the_article_lists(seed_output):
    tables = {name: pd.read_parquet(seed_output / f"{name}.parquet") for name in models()}
    tse = tables["therapy_side_effects"]
    assert len(tse) == 22
    assert tse.groupby(["therapy_id", "frequency", "seriousness"], observed=True).size().to_dict() == {
        ("immunosuppression", "common", "not_stated"): 8,
        ("immunosuppression", "less_common", "serious"): 8,
        ("immunotherapy", "common", "not_stated"): 6}
    less_common = tse[tse.frequency == "less_common"].sort_values("position")
    assert less_common.item_text.tolist()[:2] == ["Severe infections", "Increased risk of cardiovascular disease"]
    assert less_common.item_text.tolist()[-1] == "Increased risk of lymphoma"
    assert len(tables["side_effect_examples"]) == 9
    therapies = tables["document_therapies"].set_index("therapy_id")
    assert therapies.loc["immunotherapy", "immune_effect"] == "enhance"
    assert therapies.loc["immunosuppression", "immune_effect"] == "suppress"
    assert sorted(therapies[therapies.level == "type"].name) == [
        "CAR-T cell therapy", "cancer vaccines", "checkpoint inhibitors"]
    conditions = tables["document_conditions"]
    assert conditions.parent_id.isna().sum() == 2 and conditions.parent_id.notna().sum() == 7
    assert conditions.set_index("condition_id").loc["melanoma", "parent_id"] == "cancer"
    assert len(tables["decision_factors"]) == 6 and len(tables["faqs"]) == 4


def test_seed_tables_keep_declared_types(seed_output):
    tse = pd.read_parquet(seed_output / "therapy_side_effects.parquet")
    assert tse.frequency.cat.ordered and list(tse.frequency.cat.categories) == BANDS
    assert str(tse.position.dtype) == "int64"


@pytest.mark.parametrize("article", [SEED, *TEST_ARTICLES], ids=lambda p: p.stem)
def test_every_span_equals_its_surface_text(article, raw_dir_with, tmp_path):
    out = build(raw_dir_with(article), tmp_path / "out")
    text = article.read_bytes().decode("utf-8-sig")
    checked = 0
    for table in models():
        frame = pd.read_parquet(out / f"{table}.parquet")
        for column, start, end, line in metadata(table)["spans"]:
            for _, row in frame[frame[column].notna()].iterrows():
                assert text[row[start]:row[end]] == row[column], (table, column)
                if line:
                    assert text.count("\n", 0, row[start]) + 1 == row[line]
                checked += 1
    assert checked > 20


def test_committed_output_is_exactly_a_fresh_build_of_raw(tmp_path):
    fresh_output = build(RAW, tmp_path / "output")
    committed = {p.relative_to(OUTPUT): p.read_bytes() for p in OUTPUT.rglob("*") if p.is_file()}
    fresh = {p.relative_to(fresh_output): p.read_bytes() for p in fresh_output.rglob("*") if p.is_file()}
    assert sorted(committed) == sorted(fresh)
    for name in sorted(fresh):
        assert committed[name] == fresh[name], name


def test_two_builds_are_byte_identical(tmp_path):
    articles = [SEED, *TEST_ARTICLES]
    first = build(_raw(tmp_path / "a", articles), tmp_path / "a" / "out")
    second = build(_raw(tmp_path / "b", articles), tmp_path / "b" / "out")
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    for name in files:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def _raw(folder: Path, articles: list[Path]) -> Path:
    raw = folder / "raw"
    raw.mkdir(parents=True)
    for article in articles:
        (raw / article.name).write_bytes(article.read_bytes())
    return raw


def test_manifest_lists_every_file_with_its_hash(seed_output):
    mark, *lines = (seed_output / "MANIFEST").read_text().splitlines()
    assert mark + "\n" == MANIFEST_MARK
    listed = {}
    for line in lines:
        digest, size, name = re.fullmatch(r"([0-9a-f]{64})  (\d+)  (.+)", line).groups()
        data = (seed_output / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == digest and len(data) == int(size)
        listed[name] = digest
    on_disk = {str(p.relative_to(seed_output)) for p in seed_output.rglob("*") if p.is_file()} - {"MANIFEST"}
    assert set(listed) == on_disk


def test_seed_terms_follow_the_ontologies(seed_output):
    """Golden mappings from the issue: exact, related and part matches, and no match for a vague item."""
    effects = pd.read_csv(seed_output / "side_effect_terms.csv", keep_default_na=False)
    by_text = {row.source_text: row for row in effects.itertuples()}
    assert (by_text["Fatigue"].term_id, by_text["Fatigue"].match_on) == ("HP:0012378", "label")
    assert (by_text["itching"].term_id, by_text["itching"].synonym_scope) == ("HP:0000989", "EXACT")
    assert by_text["shortness of breath"].term_id == "HP:0002094"
    high = by_text["High blood pressure"]
    assert (high.term_id, high.match_on, high.synonym_scope) == ("HP:0000822", "synonym", "RELATED")
    assert (by_text["Swelling or fluid retention"].matched_text, by_text["Swelling or fluid retention"].term_id) \
        == ("fluid retention", "HP:0000969")
    assert "Increased risk of certain cancers" not in by_text
    conditions = pd.read_csv(seed_output / "condition_terms.csv", keep_default_na=False)
    assert conditions.set_index(["condition_id", "ontology"]).loc[("melanoma", "DOID"), "term_id"] == "DOID:1909"
    xrefs = pd.read_csv(seed_output / "term_xrefs.csv")
    assert set(xrefs.term_id) <= set(effects.term_id) | set(conditions.term_id)
    assert "UMLS:C0015672" in set(xrefs[xrefs.term_id == "HP:0012378"].xref)
    ontologies = pd.read_csv(seed_output / "ontologies.csv").set_index("ontology")
    assert ontologies.loc["HP", "version"] == "hp/releases/2025-01-16"
    assert ontologies.loc["DOID", "version"] == "2021-11-17"
