"""raw/ is documented: every article has its line in raw/README.md with the right SHA-256; the seed the tests
read (tests/fixtures/seed) is the file raw/README.md lists for it."""

from __future__ import annotations

import hashlib
import re

from conftest import RAW, SEED

ARTICLE = re.compile(r"^\| `([^`]+\.(?:txt|md|markdown|html|htm))` \|.*\| `([0-9a-f]{64})` \|$", re.MULTILINE)


def listed() -> dict[str, str]:
    return dict(ARTICLE.findall((RAW / "README.md").read_text(encoding="utf-8")))


def test_every_raw_article_is_listed_with_its_sha256():
    on_disk = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in RAW.iterdir()
               if p.suffix in (".txt", ".md", ".markdown", ".html", ".htm") and p.name != "README.md"}
    assert listed() == on_disk


def test_the_seed_fixture_is_the_seed_article_listed_in_raw():
    assert listed()[SEED.name] == hashlib.sha256(SEED.read_bytes()).hexdigest()
