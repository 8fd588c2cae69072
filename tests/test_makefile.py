"""`make`: it rebuilds the dataset when an article is added, edited or removed, and does nothing otherwise."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess

import pytest
from conftest import ARTICLES, ROOT, SEED


@pytest.fixture
def project(tmp_path):
    """A copy of the project to run make in: the code and environment linked, its own raw/, build/, output/."""
    for name in ("pipeline", "schemas", ".venv"):
        (tmp_path / name).symlink_to(ROOT / name)
    for name in ("Makefile", "pyproject.toml", "requirements.lock", "requirements-data.lock"):
        shutil.copy2(ROOT / name, tmp_path / name)  # keeps the times: make sees the environment up to date
    (tmp_path / "raw").mkdir()
    shutil.copy2(SEED, tmp_path / "raw" / SEED.name)
    return tmp_path


def fresh_env() -> dict:
    """The environment without an enclosing make's variables (a make inside `make test` prints its levels)."""
    return {key: value for key, value in os.environ.items() if key not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}


def make(project, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "-s", *args], cwd=project, capture_output=True, text=True, env=fresh_env())


def up_to_date(project) -> bool:
    """``make -q``: exit 0 when nothing would run."""
    return make(project, "-q").returncode == 0


def documents(project) -> list[str]:
    with open(project / "output" / "documents.csv", newline="", encoding="utf-8") as file:
        return sorted(row["document_id"] for row in csv.DictReader(file))


@pytest.mark.slow
def test_make_rebuilds_when_an_article_is_added_edited_or_removed_and_only_then(project):
    assert (make(project).returncode, up_to_date(project)) == (0, True)
    assert documents(project) == ["immunotherapy-vs-immunosuppression"]

    shutil.copy2(ARTICLES / "dmards-vs-nsaids.txt", project / "raw" / "dmards-vs-nsaids.txt")
    assert not up_to_date(project)
    assert make(project).returncode == 0 and up_to_date(project)
    assert documents(project) == ["dmards-vs-nsaids", "immunotherapy-vs-immunosuppression"]

    edited = project / "raw" / "dmards-vs-nsaids.txt"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert not up_to_date(project)
    assert make(project).returncode == 0 and up_to_date(project)

    edited.unlink()
    assert not up_to_date(project)  # a removed article changes raw/ itself
    assert make(project).returncode == 0 and up_to_date(project)
    assert documents(project) == ["immunotherapy-vs-immunosuppression"]


def test_make_help_lists_every_documented_target(project):
    listed = [line.split()[1] for line in make(project, "help").stdout.splitlines()]
    assert listed == ["all", "build/extracted/stage.json", "build/validated/stage.json", "test", "test-all", "score",
                      "bench", "clean", "help"]


def test_the_makefiles_code_is_the_fingerprints_code():
    """The dataset's prerequisites and the caches' keys name the same files: every module of the packages."""
    from pipeline.fingerprint import code_files

    shown = subprocess.run(["make", "-s", "-f", "Makefile", "-f", "-", "print-code"], cwd=ROOT, capture_output=True,
                           text=True, input="print-code: ; @echo $(CODE)\n", env=fresh_env())
    assert shown.returncode == 0, shown.stderr
    assert sorted(shown.stdout.split()) == [path.as_posix() for path in code_files()]
    on_disk = sorted(str(path.relative_to(ROOT)) for folder in ("pipeline", "schemas")
                     for path in (ROOT / folder).rglob("*.py"))
    assert [path.as_posix() for path in code_files()] == on_disk


@pytest.mark.slow
def test_an_article_edited_while_a_build_runs_is_rebuilt_by_the_next_make(project):
    """The MANIFEST is dated when the build began to read: make sees the edit as newer than the dataset."""
    import sys
    import time

    assert make(project).returncode == 0 and up_to_date(project)
    article = project / "raw" / SEED.name
    slow = ("import sys, time\nfrom pipeline import parallel\nwrite = parallel.write_durably\n"
            "def slow(path, data):\n    print('writing', flush=True, file=sys.stderr)\n    time.sleep(0.3)\n"
            "    write(path, data)\nparallel.write_durably = slow\nfrom pipeline.cli import main\nmain()\n")
    (project / "raw" / "second.txt").write_bytes((ARTICLES / "dmards-vs-nsaids.txt").read_bytes())
    running = subprocess.Popen([sys.executable, "-c", slow, "build", "--raw-dir", "raw", "--out-dir", "output",
                                "--report", "build/validation_report.csv", "--quiet"], cwd=project,
                               stderr=subprocess.PIPE, text=True)
    assert running.stderr.readline() == "writing\n"
    time.sleep(0.05)
    article.write_text(article.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # edited meanwhile
    running.communicate(timeout=120)
    assert running.returncode == 0
    assert not up_to_date(project)  # the edit is noticed
    assert make(project).returncode == 0 and up_to_date(project)


@pytest.mark.slow
def test_an_out_of_date_environment_reached_through_a_link_is_refused_never_removed(project):
    """A scratch copy shares the environment through a link: when its settings are newer, make says so in one
    line and leaves the environment it points to as it is."""
    stamps = sorted(path.name for path in (ROOT / ".venv").glob(".installed-*"))
    (project / "pyproject.toml").touch()
    result = make(project)
    assert result.returncode == 2
    assert "make: .venv is a link to an environment that is out of date; update it where it points (make there)\n" \
        in result.stderr
    assert sorted(path.name for path in (ROOT / ".venv").glob(".installed-*")) == stamps
    assert (ROOT / ".venv" / "bin" / "python").exists()


@pytest.mark.slow
def test_adding_an_article_as_the_readme_says_keeps_make_and_make_test_green(tmp_path):
    """The README's "Adding an article" in a scratch copy of the project: copy a page into raw/, add its line
    to raw/README.md, run `make` and `make test`. Both pass, and the seed's rows are the seed's still."""
    import hashlib

    project = tmp_path / "project"
    project.mkdir()
    for name in ("pipeline", "schemas", ".venv", ".venv-readers"):
        (project / name).symlink_to(ROOT / name)
    for name in ("Makefile", "pyproject.toml", "requirements.lock", "requirements-data.lock",
                 "requirements-readers.lock"):
        shutil.copy2(ROOT / name, project / name)
    for name in ("raw", "output", "tests"):
        shutil.copytree(ROOT / name, project / name, copy_function=shutil.copy2,
                        ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache"))
    article = ROOT / "tests" / "articles" / "nhs-naproxen.html"
    shutil.copyfile(article, project / "raw" / article.name)
    digest = hashlib.sha256(article.read_bytes()).hexdigest()
    with open(project / "raw" / "README.md", "a", encoding="utf-8") as readme:
        readme.write(f"\n| `{article.name}` | Naproxen | a test page of this project | `{digest}` |\n")
    built = make(project)
    assert built.returncode == 0, built.stderr
    assert documents(project) == ["immunotherapy-vs-immunosuppression", "nhs-naproxen"]
    tested = subprocess.run(["make", "test"], cwd=project, capture_output=True, text=True, env=fresh_env())
    assert tested.returncode == 0, tested.stdout[-3000:]
    assert " passed" in tested.stdout and " failed" not in tested.stdout
