"""Articles as publishers lay them out (tests/articles, in text, Markdown and HTML): each is read into the tree
and the page furniture its writer expected, by hand, before any code ran on it (tests/articles/expected)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from scoring import ARTICLES, EXPECTED, articles, expected_tables

from pipeline.parse import FORMATS, outline, parse

ARTICLE_FILES = articles()


def expected_tree(path: Path) -> str:
    found = re.search(r"## tree\s*```text\n(.*?)```", path.read_text(encoding="utf-8"), re.S)
    return found.group(1)


def parsed(article: Path):
    return parse(article.read_bytes().decode("utf-8-sig"), str(article), FORMATS[article.suffix])


def test_every_format_is_among_the_articles():
    assert {FORMATS[a.suffix] for a in ARTICLE_FILES} == {"txt", "md", "html"}


@pytest.mark.parametrize("article", ARTICLE_FILES, ids=lambda p: p.name)
def test_the_tree_is_the_one_the_writer_expected(article):
    assert outline(parsed(article)) == expected_tree(EXPECTED / f"{article.stem}.md")


@pytest.mark.parametrize("article", ARTICLE_FILES, ids=lambda p: p.name)
def test_the_furniture_is_the_one_the_writer_expected(article):
    expected = [(row["kind"], " ".join(row["text"].split()))
                for row in expected_tables(EXPECTED / f"{article.stem}.md").get("furniture", [])]
    got = [(piece.kind, " ".join(piece.text.split())) for piece in parsed(article).furniture
           if piece.kind != "repeat"]
    assert len(got) == len(expected)
    for (kind, text), (want_kind, want_text) in zip(got, expected):
        assert kind == want_kind and text.startswith(want_text.rstrip(". …")[:40]), (text, want_text)


def test_the_articles_folder_holds_only_articles_and_their_readme():
    assert sorted(p.name for p in ARTICLES.iterdir() if p.is_file() and p not in ARTICLE_FILES) == ["README.md"]
