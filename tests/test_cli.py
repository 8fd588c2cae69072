"""The command line: exit codes and the exact one-line messages."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import ROOT, SEED

from pipeline.cli import cli
from pipeline.store import stages


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


@pytest.fixture
def raw(tmp_path):
    folder = tmp_path / "raw"
    folder.mkdir()
    return folder


@pytest.mark.parametrize("content, message", [
    (b"", "empty file (0 bytes)"),
    (b"  \n\t\n", "empty file: 5 bytes of white space only"),
    (b"Title vs Other\n\nCaf\xe9 au lait\n", "not UTF-8: byte 0xE9 at byte offset 19 (save the file as UTF-8)"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file: NUL byte at byte offset 8"),
    (b"A title\n\nJust one paragraph, no headings.\n", "no recognisable structure: no headings found"),
])
def test_bad_article_is_one_line_naming_the_file(raw, tmp_path, content, message):
    article = raw / "bad.txt"
    article.write_bytes(content)
    result = run("build", "--raw-dir", str(raw), "--out-dir", str(tmp_path / "out"))
    assert result.exit_code == 1
    where = str(article)
    if message.startswith("not UTF-8"):
        where += ":3"
    elif message.startswith("binary"):
        where += ":3"
    assert result.stderr == f"Error: {where}: {message}\n"
    assert not (tmp_path / "out").exists()


def test_failed_build_leaves_previous_output_untouched(raw, tmp_path):
    shutil.copyfile(SEED, raw / SEED.name)
    out = tmp_path / "out"
    assert run("build", "--raw-dir", str(raw), "--out-dir", str(out)).exit_code == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    (raw / "broken.txt").write_bytes(b"")
    result = run("build", "--raw-dir", str(raw), "--out-dir", str(out))
    assert result.exit_code == 1
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_empty_raw_folder_is_an_error(raw, tmp_path):
    result = run("build", "--raw-dir", str(raw), "--out-dir", str(tmp_path / "out"))
    assert (result.exit_code, result.stderr) == (1, f"Error: {raw}: no articles (*.txt, *.md, *.html) found\n")


def test_unknown_option_is_a_usage_error():
    result = run("build", "--no-such-option")
    assert result.exit_code == 2
    assert result.stderr.endswith("Error: No such option '--no-such-option'.\n")


def test_stages_one_by_one_give_the_same_dataset_as_build(raw, tmp_path):
    shutil.copyfile(SEED, raw / SEED.name)
    staged, validated = tmp_path / "extracted", tmp_path / "validated"
    assert run("extract", "--raw-dir", str(raw), "--out-dir", str(staged)).exit_code == 0
    assert run("validate", "--in-dir", str(staged), "--raw-dir", str(raw), "--out-dir", str(validated),
               "--report", str(tmp_path / "report.csv")).exit_code == 0
    assert run("export", "--in-dir", str(validated), "--out-dir", str(tmp_path / "staged-out")).exit_code == 0
    assert run("build", "--raw-dir", str(raw), "--out-dir", str(tmp_path / "built-out")).exit_code == 0
    built = tmp_path / "built-out"
    for path in sorted(p for p in built.rglob("*") if p.is_file()):
        assert path.read_bytes() == (tmp_path / "staged-out" / path.relative_to(built)).read_bytes(), path.name


def test_validation_failure_reports_every_problem_and_exits_1(raw, tmp_path):
    shutil.copyfile(SEED, raw / SEED.name)
    staged = tmp_path / "extracted"
    assert run("extract", "--raw-dir", str(raw), "--out-dir", str(staged)).exit_code == 0
    tables = stages.read_stage(staged)  # written again as a faulty extractor would write it
    effects = tables["document_side_effects"]
    effects.loc[0, "char_start"] += 1  # the span no longer points at the name
    effects.loc[1, "side_effect_id"] = "Not A Slug"
    stages.write_stage(staged, tables, stages.read_notes(staged))
    report = tmp_path / "report.csv"
    result = run("validate", "--in-dir", str(staged), "--raw-dir", str(raw), "--out-dir", str(tmp_path / "v"),
                 "--report", str(report))
    assert result.exit_code == 1
    problems = pd.read_csv(report, dtype=str, keep_default_na=False)
    assert result.stderr == (f"Error: validation failed: 4 problem(s) (side_effects: 1, document_side_effects: 3); "
                             f"every failure is listed in {report}\n")
    assert set(zip(problems.table, problems.column, problems.check)) == {
        ("side_effects", "side_effect_id", "named_in(document_side_effects.side_effect_id)"),  # (its old id)
        ("document_side_effects", "name", "span(char_start,char_end)"),
        ("document_side_effects", "side_effect_id", "str_matches('^[a-z0-9]+(-[a-z0-9]+)*$')"),
        ("document_side_effects", "side_effect_id", "foreign_key(side_effects.side_effect_id)")}
    assert not (tmp_path / "v").exists()


@pytest.mark.parametrize("command", ["build", "extract", "validate", "export"])
def test_every_command_help_has_an_example(command):
    result = run(command, "--help")
    assert result.exit_code == 0 and "Example:" in result.output and "python -m pipeline" in result.output


def test_module_and_console_script_both_run():
    module = subprocess.run([sys.executable, "-m", "pipeline", "--help"], capture_output=True, text=True, cwd=ROOT)
    script = subprocess.run([str(ROOT / ".venv" / "bin" / "pipeline"), "--help"], capture_output=True, text=True)
    assert module.returncode == 0 and script.returncode == 0
    assert module.stdout.replace("Usage: pipeline", "") == script.stdout.replace("Usage: pipeline", "")


@pytest.mark.slow
@pytest.mark.parametrize("entry", ["module", "script"])
def test_the_commands_end_with_the_right_code_and_message_and_all_output_flushed(entry, raw_dir_with, tmp_path):
    """They end the process without tearing down its heap (pipeline.cli.main): nothing may be lost."""
    command = [sys.executable, "-m", "pipeline"] if entry == "module" else [str(ROOT / ".venv" / "bin" / "pipeline")]
    out_dir = tmp_path / "out"
    ok = subprocess.run(command + ["build", "--raw-dir", str(raw_dir_with(SEED)), "--out-dir", str(out_dir),
                                   "--report", str(tmp_path / "r.csv"), "--no-cache"],
                        capture_output=True, text=True, cwd=ROOT)
    assert (ok.returncode, ok.stderr) == (0, "")
    assert (out_dir / "MANIFEST").read_text().count("\n") == len([p for p in out_dir.rglob("*") if p.is_file()])
    missing = subprocess.run(command + ["build", "--raw-dir", str(tmp_path / "nowhere")], capture_output=True,
                             text=True, cwd=ROOT)
    assert (missing.returncode, missing.stderr) == (1, f"Error: {tmp_path / 'nowhere'}: no such folder\n")
    usage = subprocess.run(command + ["no-such-command"], capture_output=True, text=True, cwd=ROOT)
    assert usage.returncode == 2 and usage.stderr.endswith("Error: No such command 'no-such-command'.\n")
    helped = subprocess.run(command + ["--help"], capture_output=True, text=True, cwd=ROOT)
    assert helped.returncode == 0 and "build" in helped.stdout.split("Commands:")[1]  # the whole text came out


@pytest.mark.slow
def test_a_build_validates_without_importing_hypothesis(raw_dir_with, tmp_path):
    """pandera would import hypothesis (installed for our tests) on its first validation: 0.1 s a command."""
    probe = ("import os, sys; from pipeline import cli, parallel; "
             "os._exit = lambda code: print(code, 'pandera.backends.pandas.builtin_checks' in sys.modules, "
             "sorted(m for m, module in sys.modules.items() if m.startswith('hypothesis') and module)); "
             f"sys.argv = ['pipeline', 'build', '--raw-dir', {str(raw_dir_with(SEED))!r}, '--out-dir', "
             f"{str(tmp_path / 'out')!r}, '--report', {str(tmp_path / 'r.csv')!r}, '--no-cache']; cli.main()")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT)
    assert (result.stdout, result.stderr) == ("0 True []\n", "")


def test_version_is_the_project_version():
    import tomllib

    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    result = run("--version")
    assert (result.exit_code, result.output) == (0, f"pipeline, version {version}\n")
