"""Broken or odd articles in the raw folder: a one-line error naming the file (and line or byte offset),
exit 1 and no traceback; or, where the article is still sound, a correct build."""

from __future__ import annotations

import json
import os
import shutil

import pandas as pd
import pytest
from faults_support import FIXTURES, build, raw_folder, run_pipeline, snapshot

SOUND_SIDE_EFFECTS = ["Burns", "Skin redness", "Numbness", "Skin irritation", "Frostbite", "Nerve damage",
                      "Chilblains", "Joint stiffness", "Headache", "Raised blood pressure"]
SOUND_ROWS = {"conditions": 3, "document_conditions": 3, "decision_factors": 2, "documents": 1, "faqs": 1,
              "indications": 3, "therapy_aliases": 0, "side_effect_aliases": 0, "side_effect_examples": 2,
              "side_effects": 10, "document_side_effects": 10, "therapies": 2, "document_therapies": 2,
              "therapy_side_effects": 10,
              "side_effect_terms": 5, "condition_terms": 4, "term_xrefs": 15, "ontologies": 2,
              # counted by hand: 13 therapy names (title, headings, lead-in, prose, the question), 3 conditions,
              # 10 side effects, 2 examples; a relation per side effect, indication and example
              "mentions": 28, "relations": 15}


def table(out_dir, name: str) -> pd.DataFrame:
    return pd.read_parquet(out_dir / f"{name}.parquet")


def report(out_dir) -> dict:
    return json.loads((out_dir / "build_report.json").read_text(encoding="utf-8"))


def assert_fails(tmp_path, fixture: str, message: str) -> None:
    """The build of a folder holding only ``fixture`` fails with exactly ``message`` and writes nothing."""
    raw = raw_folder(tmp_path, fixture)
    result, out_dir = build(tmp_path, raw)
    assert (result.exit_code, result.stderr) == (1, f"Error: {raw / fixture}{message}\n")
    assert "Traceback" not in result.output
    assert not out_dir.exists()


def test_sound_article_builds(tmp_path):
    result, out_dir = build(tmp_path, raw_folder(tmp_path, "sound-article.txt"))
    assert (result.exit_code, result.stderr) == (0, "")
    assert list(table(out_dir, "document_side_effects")["name"]) == SOUND_SIDE_EFFECTS
    assert report(out_dir)["rows"] == SOUND_ROWS


def test_empty_file(tmp_path):
    assert_fails(tmp_path, "empty-file.txt", ": empty file (0 bytes)")


def test_whitespace_only_file(tmp_path):
    assert_fails(tmp_path, "whitespace-only.txt", ": empty file: 10 bytes of white space only")


def test_binary_file(tmp_path):
    assert_fails(tmp_path, "binary-file.txt", ":3: binary file: NUL byte at byte offset 8")


def test_cp1252_file_is_not_utf8_at_a_byte_offset(tmp_path):
    assert (FIXTURES / "cp1252.txt").read_bytes()[194] == 0x92  # the right single quote of cp1252
    assert_fails(tmp_path, "cp1252.txt", ":5: not UTF-8: byte 0x92 at byte offset 194 (save the file as UTF-8)")


def test_latin_1_file_is_not_utf8_at_a_byte_offset(tmp_path):
    assert (FIXTURES / "latin-1.txt").read_bytes()[862] == 0xE9  # é in Latin-1
    assert_fails(tmp_path, "latin-1.txt", ":31: not UTF-8: byte 0xE9 at byte offset 862 (save the file as UTF-8)")


def test_nul_bytes(tmp_path):
    assert_fails(tmp_path, "nul-bytes.txt", ":9: binary file: NUL byte at byte offset 311")


def test_utf16_without_bom_is_named(tmp_path):
    assert_fails(tmp_path, "utf-16-without-bom.txt", ":1: binary file: NUL byte at byte offset 1 (UTF-16 without "
                 "a byte-order mark? save the file as UTF-8)")


def test_utf16_with_bom_is_decoded(tmp_path):
    result, out_dir = build(tmp_path, raw_folder(tmp_path, "utf-16-with-bom.txt"))
    assert (result.exit_code, result.stderr) == (0, "")
    assert list(table(out_dir, "document_side_effects")["name"]) == SOUND_SIDE_EFFECTS
    documents = table(out_dir, "documents")
    # CRLF line ends are kept in the decoded text, so offsets count them: 34 lines, 33 line ends.
    text = (FIXTURES / "sound-article.txt").read_text(encoding="utf-8")
    assert documents.loc[0, "n_chars"] == len(text) + text.count("\n")
    assert report(out_dir)["rows"] == SOUND_ROWS


def test_utf32_with_bom_is_decoded(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "utf-32.txt").write_bytes((FIXTURES / "sound-article.txt").read_text(encoding="utf-8").encode("utf-32"))
    result, out_dir = build(tmp_path, raw)
    assert (result.exit_code, result.stderr) == (0, "")
    assert list(table(out_dir, "document_side_effects")["name"]) == SOUND_SIDE_EFFECTS


def test_truncated_article_cut_inside_a_table(tmp_path):
    assert_fails(tmp_path, "truncated-in-table.txt", ":24: numbered list skips item 4 (is the file cut short?)")


def test_article_with_no_lists(tmp_path):
    result, out_dir = build(tmp_path, raw_folder(tmp_path, "no-lists.txt"))
    assert result.exit_code == 0
    warnings = ["no-lists.txt:11: a side-effects heading with nothing listed under it; no side effects read there",
                "no-lists.txt:16: a side-effects heading with nothing listed under it; no side effects read there",
                "no-lists.txt:18: a side-effects heading with nothing listed under it; no side effects read "
                "there"]
    assert report(out_dir)["warnings"] == warnings
    raw = tmp_path / "raw"
    assert result.stderr == "".join(f"warning: {raw}/{w}\n" for w in warnings)
    assert report(out_dir)["rows"] == {**SOUND_ROWS, "side_effects": 0, "document_side_effects": 0,
                                       "therapy_side_effects": 0, "side_effect_examples": 0, "side_effect_terms": 0,
                                       "term_xrefs": 6,
                                       "mentions": 28 - 10 - 2, "relations": 3}
    assert list(table(out_dir, "document_conditions")["name"]) == ["back pain", "neck pain", "arthritis"]


def test_heading_with_no_items(tmp_path):
    result, out_dir = build(tmp_path, raw_folder(tmp_path, "heading-without-items.txt"))
    assert result.exit_code == 0
    assert report(out_dir)["warnings"] == [
        "heading-without-items.txt:11: a side-effects heading with nothing listed under it; no side effects read "
        "there"]
    assert list(table(out_dir, "document_side_effects")["name"]) == SOUND_SIDE_EFFECTS[2:]


def test_section_repeated_twice_gives_no_duplicate_rows(tmp_path):
    """The cold-therapy side effects and the decision factors are printed twice: each row once, and the
    build (which validates every key and span) passes."""
    text = (FIXTURES / "repeated-section.txt").read_text(encoding="utf-8")
    assert text.count("1. Numbness 5. Chilblains") == 2 and text.count("Consider the injury:") == 2
    result, out_dir = build(tmp_path, raw_folder(tmp_path, "repeated-section.txt"))
    assert (result.exit_code, result.stderr) == (0, "")
    # The text is there twice, so are its mentions: a heading naming cold therapy, 8 side effects, a heading
    # naming both therapies.
    assert report(out_dir)["rows"] == {**SOUND_ROWS, "mentions": 28 + 1 + 8 + 2}
    assert list(table(out_dir, "document_side_effects")["name"]) == SOUND_SIDE_EFFECTS
    factors = table(out_dir, "decision_factors")
    assert list(zip(factors["position"], factors["label"])) == [(1, "Consider the injury"), (2, "Ask a specialist")]
    first = text.index("1. Numbness")
    assert table(out_dir, "document_side_effects").loc[2, "char_start"] == first + len("1. ")


def test_list_items_beginning_with_formula_characters(tmp_path):
    """Kept verbatim (Parquet and CSV agree with the text), and the report says which columns hold them."""
    result, out_dir = build(tmp_path, raw_folder(tmp_path, "items-starting-with-formula-characters.txt"))
    assert result.exit_code == 0
    names = ["=1+1", "+Swelling", "- Dizziness", "@Rash", "-Itching"]
    assert list(table(out_dir, "document_side_effects")["name"])[:5] == names
    from_csv = pd.read_csv(out_dir / "document_side_effects.csv", dtype=str, keep_default_na=False)
    assert list(from_csv["name"])[:5] == names
    formula = ("{}: {} value(s) begin with =, +, -, @, a tab or a carriage return; the CSV keeps them verbatim, "
               "so import it as text in a spreadsheet")
    assert report(out_dir)["warnings"] == [formula.format("side_effects.name", 5),
                                           formula.format("document_side_effects.name", 5),
                                           formula.format("therapy_side_effects.item_text", 5),
                                           formula.format("mentions.text", 5),
                                           formula.format("relations.tail_text", 5),
                                           formula.format("side_effect_terms.source_text", 2)]


def test_file_names_with_spaces_and_non_ascii_letters(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    name = "Chaleur et froid – thérapie Öl.txt"
    (raw / name).write_bytes((FIXTURES / "sound-article.txt").read_bytes())
    result, out_dir = build(tmp_path, raw)
    assert (result.exit_code, result.stderr) == (0, "")
    documents = pd.read_csv(out_dir / "documents.csv", dtype=str)
    assert (documents.loc[0, "document_id"], documents.loc[0, "source_path"]) == ("chaleur-et-froid-therapie-ol",
                                                                                   name)


def test_file_name_that_is_not_utf8(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    with open(os.fsencode(raw) + b"/caf\xe9.txt", "wb") as handle:
        handle.write((FIXTURES / "sound-article.txt").read_bytes())
    result, out_dir = build(tmp_path, raw)
    assert (result.exit_code, result.stderr) == (1, f"Error: {raw}/caf\\xe9.txt: file name is not UTF-8; rename the "
                                                    "file\n")
    assert not out_dir.exists()


def test_symlink_to_an_article_is_read(tmp_path):
    raw = raw_folder(tmp_path, "sound-article.txt")
    (raw / "linked-article.txt").symlink_to(raw / "sound-article.txt")
    result, out_dir = build(tmp_path, raw)
    assert (result.exit_code, result.stderr) == (0, "")
    assert list(table(out_dir, "documents")["document_id"]) == ["linked-article", "sound-article"]


def test_broken_symlink_is_named(tmp_path):
    raw = raw_folder(tmp_path, "sound-article.txt")
    (raw / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    result, out_dir = build(tmp_path, raw)
    assert (result.exit_code, result.stderr) == (
        1, f"Error: {raw}/gone.txt: broken symbolic link: its target does not exist\n")
    assert not out_dir.exists()


def test_pipe_named_txt_is_named_not_read(tmp_path):
    raw = raw_folder(tmp_path, "sound-article.txt")
    os.mkfifo(raw / "pipe.txt")  # reading it would block for ever
    result, _ = build(tmp_path, raw)
    assert (result.exit_code, result.stderr) == (1, f"Error: {raw}/pipe.txt: not a regular file (a pipe, socket or "
                                                    "device)\n")


def test_folder_named_txt_is_skipped_with_a_warning(tmp_path):
    raw = raw_folder(tmp_path, "sound-article.txt")
    (raw / "notes.txt").mkdir()
    result, out_dir = build(tmp_path, raw)
    assert (result.exit_code, result.stderr) == (0, f"warning: {raw}/notes.txt: a folder, not an article; skipped\n")
    assert report(out_dir)["warnings"] == ["notes.txt: a folder, not an article; skipped"]
    assert report(out_dir)["articles"] == {"built": 1, "found": 1, "rejected": 0}


def test_file_over_the_size_limit_names_the_flag(tmp_path):
    raw = raw_folder(tmp_path, "sound-article.txt")
    result, out_dir = build(tmp_path, raw, "--max-bytes", "1000")
    assert (result.exit_code, result.stderr) == (1, f"Error: {raw}/sound-article.txt: file is 1048 bytes, over the "
                                                    "limit of 1000 (raise it with --max-bytes)\n")
    result, out_dir = build(tmp_path, raw, "--max-bytes", "1048")
    assert result.exit_code == 0


def _large_build(tmp_path, raw):
    """Build in a real process; the timeout only stops a hang (the speed is the benchmark's business)."""
    return run_pipeline("build", "--raw-dir", str(raw), "--out-dir", str(tmp_path / "out"),
                        "--report", str(tmp_path / "report.csv"), "--max-bytes", "100000000", timeout=300)


@pytest.mark.slow
def test_file_of_tens_of_megabytes(tmp_path):
    """20 MB of article (the decision-factor section printed over and over, half a million lines) builds in
    a real process, each factor once."""
    sound = (FIXTURES / "sound-article.txt").read_text(encoding="utf-8")
    start, end = sound.index("How to Choose"), sound.index("Questions and answers:")
    copies = 20_000_000 // (end - start)
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "long.txt").write_text(sound[:end] + sound[start:end] * copies + sound[end:], encoding="utf-8")
    assert (raw / "long.txt").stat().st_size > 20_000_000
    done = _large_build(tmp_path, raw)
    assert (done.returncode, done.stderr) == (0, "")
    factors = table(tmp_path / "out", "decision_factors")
    assert list(zip(factors["position"], factors["label"])) == [(1, "Consider the injury"), (2, "Ask a specialist")]
    assert list(table(tmp_path / "out", "document_side_effects")["name"]) == SOUND_SIDE_EFFECTS


@pytest.mark.slow
def test_single_line_of_tens_of_megabytes(tmp_path):
    """A 20 MB paragraph on one line builds, in a real process, and the rest is read as usual."""
    sound = (FIXTURES / "sound-article.txt").read_text(encoding="utf-8")
    sentence = "Warmth is pleasant for many people and calms the body. "
    at = sound.index("What Conditions")
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "long-line.txt").write_text(sound[:at] + sentence * (20_000_000 // len(sentence)) + "\n\n" + sound[at:],
                                       encoding="utf-8")
    done = _large_build(tmp_path, raw)
    assert (done.returncode, done.stderr) == (0, "")
    assert list(table(tmp_path / "out", "document_side_effects")["name"]) == SOUND_SIDE_EFFECTS


@pytest.mark.parametrize("fixture, message", [
    ("cp1252.txt", ":5: not UTF-8: byte 0x92 at byte offset 194 (save the file as UTF-8)"),
    ("binary-file.txt", ":3: binary file: NUL byte at byte offset 8"),
    ("truncated-in-table.txt", ":24: numbered list skips item 4 (is the file cut short?)"),
])
@pytest.mark.slow
def test_bad_article_in_a_real_process_is_one_line_without_traceback(tmp_path, fixture, message):
    raw = raw_folder(tmp_path, "sound-article.txt", fixture)
    out_dir = tmp_path / "out"
    done = run_pipeline("build", "--raw-dir", str(raw), "--out-dir", str(out_dir), "--report",
                        str(tmp_path / "report.csv"))
    assert (done.returncode, done.stdout, done.stderr) == (1, "", f"Error: {raw / fixture}{message}\n")
    assert not out_dir.exists()


def test_seed_article_still_builds_unchanged(tmp_path):
    """The committed dataset is what a build of raw/ gives, byte for byte."""
    from conftest import OUTPUT, RAW

    result, out_dir = build(tmp_path, RAW)
    assert (result.exit_code, result.stderr) == (0, "")
    assert snapshot(out_dir) == snapshot(OUTPUT)


def test_the_first_bad_article_in_file_name_order_is_the_one_reported(tmp_path):
    """An article that cannot be read sorts after one that cannot be parsed: the parsed one, first in
    file-name order, is reported, although reading comes before parsing."""
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a-no-headings.txt").write_text("A title\n\nJust one paragraph, no headings.\n")
    (raw / "b-binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (raw / "c-empty.txt").write_bytes(b"")
    result, out_dir = build(tmp_path, raw)
    assert (result.exit_code, result.stderr) == (
        1, f"Error: {raw / 'a-no-headings.txt'}: no recognisable structure: no headings found\n")
    (raw / "a-no-headings.txt").unlink()
    result, out_dir = build(tmp_path, raw)
    assert (result.exit_code, result.stderr) == (
        1, f"Error: {raw / 'b-binary.txt'}:3: binary file: NUL byte at byte offset 8\n")


def test_a_raw_folder_that_is_a_file_is_one_line(tmp_path):
    raw = tmp_path / "article.txt"
    raw.write_text("not a folder")
    result, out_dir = build(tmp_path, raw)
    assert (result.exit_code, result.stderr) == (1, f"Error: {raw}: is a file, not a folder of articles\n")


def test_a_folder_of_the_three_formats_builds_and_other_files_are_skipped_by_name(tmp_path):
    """Text, Markdown and HTML articles build together; raw/README.md is never an article; another file is
    skipped with a warning that names it, and listed in the build report."""
    from conftest import ROOT
    raw = tmp_path / "raw"
    raw.mkdir()
    for article in ("nhs-naproxen.html", "goodrx-prednisone.md", "handout-warfarin-vs-doacs.txt"):
        shutil.copyfile(ROOT / "tests" / "articles" / article, raw / article)
    (raw / "README.md").write_text("# Where each file came from\n", encoding="utf-8")
    (raw / "scan.pdf").write_bytes(b"%PDF-1.4\n")
    result, out_dir = build(tmp_path, raw)
    assert (result.exit_code, result.stderr) == (
        0, f"warning: {raw}/scan.pdf: not an article (the formats read are .txt, .md and .html); skipped\n")
    built = report(out_dir)
    assert built["skipped"] == ["scan.pdf"]
    assert [(a["file"], a["format"]) for a in built["per_article"]] == [
        ("goodrx-prednisone.md", "md"), ("handout-warfarin-vs-doacs.txt", "txt"), ("nhs-naproxen.html", "html")]
    assert list(table(out_dir, "documents")["format"]) == ["md", "txt", "html"]


def test_a_folder_of_other_files_only_says_what_it_found(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.pdf").write_bytes(b"%PDF")
    (raw / "b.docx").write_bytes(b"PK")
    result, out_dir = build(tmp_path, raw)
    assert result.exit_code == 1
    assert result.stderr.endswith(f"Error: {raw}: no articles (*.txt, *.md, *.html) found; found only 2 other "
                                  "file(s): a.pdf, b.docx\n")
    assert not out_dir.exists()


@pytest.mark.slow
@pytest.mark.parametrize("case, text", [
    ("a line of 40,000 spaces", "A vs B\n\nWhat is A?\n\n" + " " * 40_000 + "x\n\nSide effects of A\n\n- Rash\n"),
    ("10,000 empty headings", "A vs B\n\n" + "".join(f"Heading {i}\n\n" for i in range(10_000)) + "Side effects of A\n"
     "\n- Rash\n"),
    ("a paragraph of 20,000 commas", "A vs B\n\nSide effects of A\n\nA can cause " + "x, " * 20_000 + "and y.\n"),
    # (each of these took minutes: a pattern that begins with white space tried every position of a run)
    ("a title with 40,000 spaces", "A" + " " * 40_000 + "vs B\n\nSide effects of A\n\n- Rash\n"),
    ("a list item with 40,000 spaces", "A vs B\n\nSide effects of A\n\n- Rash" + " " * 40_000 + "x\n- Rash\n"),
    ("a paragraph of 10,000 ands", "A vs B\n\nSide effects of A\n\nA can cause " + "x and " * 10_000 + "y.\n"),
    # (and this, with each listed name looked for through the whole text)
    ("20,000 listed side effects", "A vs B\n\nSide effects of A\n\n- Rash\n" + "".join(
        f"- Effect {number}\n" for number in range(20_000))),
])
def test_pathological_articles_build(tmp_path, case, text):
    """Inputs that make naive patterns backtrack or loop: they build (speed is `make bench`'s to show)."""
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "odd.txt").write_text(text, encoding="utf-8")
    result, out_dir = build(tmp_path, raw)
    assert result.exit_code == 0, result.output
    assert "rash" in list(table(out_dir, "document_side_effects")["side_effect_id"]) or case.startswith("a paragraph")
