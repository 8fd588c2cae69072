"""Reading a large raw folder in a forked copy of the process (io.read_corpus_aside): the same articles,
rejections and errors as reading it here, and a fall-back to reading it here if the copy fails."""

from __future__ import annotations

import os
import shutil

import pytest

from conftest import ARTICLES, FIXTURES, SEED
from pipeline import io
from pipeline.errors import PipelineError

SOURCES = (SEED, ARTICLES / "dmards-vs-nsaids.txt", ARTICLES / "targeted-vs-hormone.txt",
           FIXTURES / "utf-16-with-bom.txt")


def decoded(result):
    """A reading's articles with their texts as str (read aside, they are io.EncodedText)."""
    articles, rejected, warnings = result
    return [(name, path, sha256, str(text)) for name, path, sha256, text in articles], rejected, warnings


@pytest.fixture
def large_raw(tmp_path):
    """Enough articles to be read aside (a few of them UTF-16 or with non-ASCII names)."""
    raw = tmp_path / "raw"
    raw.mkdir()
    for number in range(io.READ_ASIDE_MIN_ARTICLES + 10):
        source = SOURCES[number % len(SOURCES)]
        name = f"article-{number:04d}{'-é' if number % 50 == 0 else ''}.txt"
        shutil.copyfile(source, raw / name)
    return raw


def test_a_large_folder_read_aside_gives_what_reading_it_here_gives(large_raw):
    expected = io.read_corpus(large_raw)
    aside = io.read_corpus_aside(large_raw)()
    assert decoded(aside) == expected
    assert [len(text) for *_, text in aside[0]] == [len(text) for *_, text in expected[0]]  # in characters
    assert len(expected[0]) == io.READ_ASIDE_MIN_ARTICLES + 10


@pytest.mark.parametrize("keep_going", [False, True], ids=["strict", "keep_going"])
def test_bad_articles_read_aside_are_rejected_with_the_same_errors(large_raw, keep_going):
    shutil.copyfile(FIXTURES / "nul-bytes.txt", large_raw / "article-0003.txt")
    shutil.copyfile(FIXTURES / "empty-file.txt", large_raw / "article-0100.txt")
    if not keep_going:
        with pytest.raises(PipelineError) as here:
            io.read_corpus(large_raw)
        with pytest.raises(PipelineError) as aside:
            io.read_corpus_aside(large_raw)()
        assert (str(aside.value), aside.value.path, aside.value.line) == (
            str(here.value), here.value.path, here.value.line)
        return
    articles, rejected, warnings = decoded(io.read_corpus_aside(large_raw, keep_going=True)())
    expected_articles, expected_rejected, expected_warnings = io.read_corpus(large_raw, keep_going=True)
    assert (articles, warnings) == (expected_articles, expected_warnings)
    assert [(name, str(error)) for name, error in rejected] == [(name, str(error)) for name, error in expected_rejected]
    assert [name for name, _ in rejected] == ["article-0003.txt", "article-0100.txt"]


def test_a_failing_copy_leaves_the_folder_to_be_read_here(large_raw, monkeypatch):
    parent = os.getpid()
    read_found = io._read_found

    def failing_in_the_copy(found, max_bytes):
        if os.getpid() != parent:
            raise MemoryError("the copy ran out of memory")
        return read_found(found, max_bytes)

    monkeypatch.setattr(io, "_read_found", failing_in_the_copy)
    assert io.read_corpus_aside(large_raw)() == io.read_corpus(large_raw)  # read here: texts as str


def test_a_small_folder_is_read_here_and_now(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copyfile(SEED, raw / SEED.name)
    monkeypatch.setattr(os, "fork", lambda: pytest.fail("a folder of one article was read in a forked copy"))
    assert io.read_corpus_aside(raw)() == io.read_corpus(raw)
