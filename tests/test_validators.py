"""The metadata standards' own tools accept the dataset: `frictionless validate` (with the foreign keys) and
`mlcroissant validate`, and mlcroissant reads every record set."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.build import run_build
from pipeline.project import read_project
from pipeline.publish import render
from pipeline.store.dataset import read_dataset
from pipeline.tables import models

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
INJECTION = ROOT / "tests" / "fixtures" / "csv-injection"


@pytest.fixture(scope="module")
def injection_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("injection") / "output"
    run_build(raw_dir=INJECTION, out_dir=out, report=out.parent / "report.csv")
    return out


def frictionless(package: Path) -> subprocess.CompletedProcess:
    return subprocess.run([BIN / "frictionless", "validate", package.name], cwd=package.parent,
                          capture_output=True, text=True)


def croissant(jsonld: Path) -> subprocess.CompletedProcess:
    return subprocess.run([BIN / "mlcroissant", "validate", "--jsonld", jsonld.name], cwd=jsonld.parent,
                          capture_output=True, text=True)


@pytest.mark.slow
@pytest.mark.parametrize("folder", ["committed", "injection"])
def test_frictionless_validates_the_package_with_its_foreign_keys(folder, injection_dir):
    out = ROOT / "output" if folder == "committed" else injection_dir
    result = frictionless(out / "datapackage.json")
    assert result.returncode == 0, result.stdout
    assert result.stdout.count("VALID") == 2 * len(models()) and "INVALID" not in result.stdout


@pytest.mark.slow
def test_frictionless_catches_a_broken_foreign_key(tmp_path):
    out = tmp_path / "output"
    shutil.copytree(ROOT / "output", out)
    tables = read_dataset(out)
    tables["indications"].loc[0, "therapy_id"] = "no-such-therapy"

    files = render(tables, read_project())
    for name, data in files.items():
        (out / name).write_bytes(data)
    result = frictionless(out / "datapackage.json")
    assert result.returncode == 1
    assert "foreign-key" in result.stdout


@pytest.mark.slow
def test_frictionless_catches_a_changed_file(tmp_path):
    out = tmp_path / "output"
    shutil.copytree(ROOT / "output", out)
    csv = out / "faqs.csv"
    csv.write_bytes(csv.read_bytes().replace(b"Immunotherapy", b"Immunotherapie", 1))
    result = frictionless(out / "datapackage.json")
    assert result.returncode == 1
    assert "hash-count" in result.stdout


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
@pytest.mark.parametrize("folder", ["committed", "injection"])
def test_mlcroissant_validates_and_reads_every_record_set(folder, injection_dir):
    import mlcroissant

    out = ROOT / "output" if folder == "committed" else injection_dir
    result = croissant(out / "croissant.json")
    assert result.returncode == 0, result.stderr
    assert "Done." in result.stderr
    dataset = mlcroissant.Dataset(jsonld=str(out / "croissant.json"))
    tables = read_dataset(out)
    records = {record_set.uuid: list(dataset.records(record_set=record_set.uuid))
               for record_set in dataset.metadata.record_sets}
    assert list(records) == list(tables)
    for name, rows in records.items():
        assert len(rows) == len(tables[name])
    assert all(len(tables[name]) > 0 for name in ("documents", "therapies", "therapy_side_effects"))
    first = records["therapy_side_effects"][0]
    expected = tables["therapy_side_effects"].iloc[0]
    assert first["therapy_side_effects/item_text"].decode() == expected["item_text"]
    assert first["therapy_side_effects/char_start"] == expected["char_start"]
