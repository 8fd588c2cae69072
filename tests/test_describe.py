"""The generated metadata (Parquet metadata, datapackage.json, croissant.json, dataset card, chart, MANIFEST)
against the schemas they are generated from."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.build import run_build
from pipeline.manifest import MANIFEST_MARK
from pipeline.project import read_project
from pipeline.publish import render
from pipeline.publish.chart import chart_counts, chart_png
from pipeline.publish.dictionary import dictionary
from pipeline.store.dataset import read_dataset
from pipeline.tables import models, schema

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "tests" / "fixtures" / "seed" / "immunotherapy-vs-immunosuppression.txt"  # (as conftest.SEED)

BANDS = ["very_common", "common", "less_common", "uncommon", "rare", "very_rare", "not_stated"]


@pytest.fixture(scope="module")
def seed_dir(tmp_path_factory) -> Path:
    raw = tmp_path_factory.mktemp("raw")
    (raw / SEED.name).write_bytes(SEED.read_bytes())
    out = tmp_path_factory.mktemp("seed") / "output"
    run_build(raw_dir=raw, out_dir=out, report=out.parent / "report.csv")
    return out


@pytest.fixture(scope="module")
def tables(seed_dir):
    return read_dataset(seed_dir)


@pytest.mark.parametrize("name", list(models()))
def test_every_parquet_column_has_its_schema_description(seed_dir, name):
    arrow = pq.read_schema(seed_dir / f"{name}.parquet")
    columns = schema(name).columns
    assert arrow.names == list(columns)
    for field in arrow:
        assert field.metadata[b"description"].decode() == columns[field.name].description
        assert field.metadata[b"title"].decode() == columns[field.name].title


def test_parquet_file_metadata_holds_table_description_and_whole_dictionary(seed_dir):
    metadata = pq.read_schema(seed_dir / "therapy_side_effects.parquet").metadata
    assert metadata[b"description"].decode() == schema("therapy_side_effects").description
    assert metadata[b"table"] == b"therapy_side_effects"
    embedded = json.loads(metadata[b"data_dictionary"])
    assert list(embedded) == list(models())  # (in the schemas' order, categories too)
    frequency = next(c for c in embedded["therapy_side_effects"]["columns"] if c["name"] == "frequency")
    assert list(frequency["categories"]) == ["very_common", "common", "less_common", "uncommon", "rare",
                                             "very_rare", "not_stated"]
    for name, entry in embedded.items():  # against the pandera models themselves
        table = schema(name)
        assert (entry["title"], entry["description"]) == (table.title, table.description)
        assert entry["primary_key"] == list(table.unique)
        assert [(c["name"], c["title"], c["description"], c["nullable"]) for c in entry["columns"]] == [
            (column, spec.title, spec.description, spec.nullable) for column, spec in table.columns.items()]


def test_ordered_categoricals_read_back_ordered_from_parquet(seed_dir):
    frame = pq.read_table(seed_dir / "therapy_side_effects.parquet").to_pandas()
    assert frame["frequency"].dtype.ordered
    assert frame["seriousness"].dtype.ordered


def test_dictionary_carries_keys_categories_and_constraints():
    entry = dictionary()["document_therapies"]
    assert entry["primary_key"] == ["document_id", "therapy_id"]
    assert entry["foreign_keys"] == {"document_id": ["documents", "document_id"],
                                     "therapy_id": ["therapies", "therapy_id"],
                                     "parent_id": ["therapies", "therapy_id"]}
    level = next(c for c in entry["columns"] if c["name"] == "level")
    assert level["type"] == "category" and list(level["categories"]) == ["class", "type", "drug"]
    line = next(c for c in entry["columns"] if c["name"] == "line")
    assert line == {"name": "line", "title": "Line", "type": "integer", "nullable": False,
                    "constraints": {"minimum": 1},
                    "description": schema("document_therapies").columns["line"].description}


def test_datapackage_describes_every_file_from_the_schemas(seed_dir):
    package = json.loads((seed_dir / "datapackage.json").read_text())
    assert [r["name"] for r in package["resources"]] == (
        [f"{n}.csv" for n in models()] + [f"{n}.parquet" for n in models()])
    for resource in package["resources"]:
        data = (seed_dir / resource["path"]).read_bytes()
        assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
        name = resource["path"].split(".")[0]
        fields = resource["schema"]["fields"]
        assert [f["name"] for f in fields] == list(schema(name).columns)
        assert [f["description"] for f in fields] == [c.description for c in schema(name).columns.values()]
        assert resource["schema"]["primaryKey"] == list(schema(name).unique)
    tse = next(r for r in package["resources"] if r["name"] == "therapy_side_effects.csv")
    frequency = next(f for f in tse["schema"]["fields"] if f["name"] == "frequency")
    assert frequency["constraints"]["enum"] == BANDS
    assert {"fields": ["therapy_id"], "reference": {"resource": "therapies.csv", "fields": ["therapy_id"]}} \
        in tse["schema"]["foreignKeys"]
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    sha = hashlib.sha256(SEED.read_bytes()).hexdigest()
    assert package["sources"][0] == {"title": "Understanding the Difference Between Immunotherapy and "
                                              "Immunosuppression",
                                     "path": f"raw/{SEED.name}", "hash": f"sha256:{sha}"}
    ontologies = package["sources"][1:]
    assert [(o["path"], o["version"]) for o in ontologies] == [
        ("https://hpo.jax.org/", "hp/releases/2025-01-16"), ("https://disease-ontology.org/", "2021-11-17")]
    assert "Human Phenotype Ontology" in ontologies[0]["title"] and "licence" in ontologies[0]["title"]


def test_versions_and_dates_come_from_pyproject_not_the_clock(seed_dir):
    project = read_project()
    package = json.loads((seed_dir / "datapackage.json").read_text())
    croissant = json.loads((seed_dir / "croissant.json").read_text())
    assert package["version"] == croissant["version"] == project["version"] == "0.1.0"
    assert croissant["datePublished"] == project["released"]
    assert package["created"] == f"{project['released']}T00:00:00Z"
    assert croissant["license"] == "https://creativecommons.org/licenses/by/4.0/"


def test_croissant_record_sets_have_keys_and_references(seed_dir):
    croissant = json.loads((seed_dir / "croissant.json").read_text())
    assert croissant["conformsTo"] == "http://mlcommons.org/croissant/1.0"
    for key in ("name", "description", "license", "url", "creator", "datePublished", "version", "citeAs"):
        assert croissant[key]
    files = {f["@id"]: f for f in croissant["distribution"]}
    assert files["faqs.parquet"]["sha256"] == hashlib.sha256((seed_dir / "faqs.parquet").read_bytes()).hexdigest()
    assert files["faqs.csv"]["encodingFormat"] == "text/csv"
    record_sets = {r["@id"]: r for r in croissant["recordSet"]}
    assert list(record_sets) == list(models())
    assert record_sets["indications"]["key"] == [{"@id": "indications/document_id"},
                                                 {"@id": "indications/therapy_id"},
                                                 {"@id": "indications/condition_id"}]
    fields = {f["name"]: f for f in record_sets["indications"]["field"]}
    assert fields["therapy_id"]["references"] == {"field": {"@id": "therapies/therapy_id"}}
    assert fields["line"]["dataType"] == "sc:Integer"


def _card_dictionary(card: str) -> dict[str, list[list[str]]]:
    """The data dictionary tables of the card: table → rows of cells."""
    section = card.split("\n## Data dictionary\n", 1)[1].split("\n## Licence\n", 1)[0]
    tables = {}
    for block in re.split(r"^### ", section, flags=re.M)[1:]:
        name = block.split("`")[1]
        rows = [line for line in block.splitlines() if line.startswith("| `")]
        tables[name] = [[cell.strip() for cell in re.split(r"(?<!\\)\|", row)[1:-1]] for row in rows]
    return tables


def test_card_data_dictionary_matches_the_schemas(seed_dir):
    card = (seed_dir / "README.md").read_text()
    documented = _card_dictionary(card)
    assert list(documented) == list(models())
    for name, rows in documented.items():
        columns = schema(name).columns
        assert [row[0] for row in rows] == [f"`{c}`" for c in columns]
        for (column, spec), (_, kind, required, description) in zip(columns.items(), rows):
            assert required == ("no" if spec.nullable else "yes")
            assert description.replace("\\|", "|").startswith(spec.description)
            categories = (spec.metadata or {}).get("categories", {})
            assert kind == ("category (ordered)" if categories else
                            "integer" if str(spec.dtype) in ("int64", "Int64") else
                            "number" if str(spec.dtype).lower().startswith("float") else
                            "boolean" if str(spec.dtype) == "bool" else "string")
            for value, meaning in categories.items():
                assert f"`{value}`: {meaning.rstrip('.')}" in description


def test_card_header_counts_provenance_and_statement(seed_dir, tables):
    card = (seed_dir / "README.md").read_text()
    header = card.split("---\n")[1]
    assert "license: cc-by-4.0\n" in header
    # a config per table that has rows (`datasets` cannot read a Parquet file without rows), and the ner view
    configs, info = header.split("dataset_info:\n")
    assert re.findall(r"config_name: (\w+)", configs) == [name for name in models() if len(tables[name])] + ["ner"]
    assert info.startswith("- config_name: ner\n  features:\n")
    assert "- config_name: documents\n  data_files: documents.parquet\n  default: true\n" in header
    assert "| [`therapy_side_effects`](#therapy_side_effects) | 22 |" in card
    assert "| [`faqs`](#faqs) | 4 |" in card
    assert "not medical advice" in card
    assert f"`sha256:{hashlib.sha256(SEED.read_bytes()).hexdigest()}`" in card
    assert "text[char_start:char_end]" in card
    assert "![Side effects listed per therapy, by frequency and seriousness](side_effects_by_therapy.png)" in card


def test_chart_counts_side_effects_per_therapy_by_frequency_and_seriousness(tables):
    names, groups, counts = chart_counts(tables)
    # (the therapies table's names and order: the seed writes `immunosuppression` most often in lower case)
    assert names == ["immunosuppression", "Immunotherapy"]
    assert groups == ["common · not stated", "less common · serious"]
    assert counts == [[8, 8], [6, 0]]


def test_chart_is_a_deterministic_png(seed_dir, tables):
    png = chart_png(tables)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert png == chart_png(tables) == (seed_dir / "side_effects_by_therapy.png").read_bytes()
    assert b"tIME" not in png


def test_render_twice_gives_the_same_bytes(tables):
    project = read_project()
    assert render(tables, project) == render(tables, project)


def test_manifest_lists_every_other_file_with_hash_and_size(seed_dir):
    listed = {}
    mark, *lines = (seed_dir / "MANIFEST").read_text().splitlines()
    assert mark + "\n" == MANIFEST_MARK
    for line in lines:
        sha, size, name = line.split("  ")
        listed[name] = (sha, int(size))
    on_disk = {p.relative_to(seed_dir).as_posix() for p in seed_dir.rglob("*") if p.is_file()} - {"MANIFEST"}
    assert set(listed) == on_disk
    assert {"datapackage.json", "croissant.json", "README.md", "side_effects_by_therapy.png",
            "excel/therapies.csv"} <= on_disk
    for name, (sha, size) in listed.items():
        data = (seed_dir / name).read_bytes()
        assert (hashlib.sha256(data).hexdigest(), len(data)) == (sha, size)


@given(st.dictionaries(st.text(), st.text(), max_size=5))
@settings(max_examples=300, deadline=None)
def test_a_flat_object_of_strings_is_laid_out_as_the_json_encoder_writes_it(value):
    """The sources of a corpus are laid out without the encoder (thousands of them): the same text."""
    from pipeline.publish.catalogues import _layout

    encode = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(", ", ": ")).encode
    assert _layout(value, 3, encode) == encode(value)
