"""Synthetic articles for the benchmark: the project's own articles with their items varied.

The items to vary are found by the pipeline's own extractor (the spans of listed conditions, side effects,
examples and therapy types), and each is replaced by a made-up name, so no item is typed here. Names are
drawn from a shared pool, so articles share some ids, as a real archive would. The HTML pages are the test
articles written in publishers' layouts (navigation, cookie banners, share bars, related links, footers and
scripts included); their items are replaced in the page source wherever the item's words stand.
"""

from __future__ import annotations

import html
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = [ROOT / "raw" / "immunotherapy-vs-immunosuppression.txt",
             *sorted((ROOT / "tests" / "articles" / "template").glob("*.txt"))]
SYLLABLES = ("ba be bi bo bu da de di do du fa fe fi fo ka ke ki ko ku la le li lo lu ma me mi mo mu na ne ni no nu "
             "pa pe pi po pu ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo za ze zi zo").split()
ENDINGS = ("itis", "osis", "emia", "algia", "pathy", "oma", "ax", "ine", "ol", "ex")


def name_pool(size: int, rng: random.Random) -> list[str]:
    """Distinct made-up names of one or two words (lower case)."""
    names: set[str] = set()
    while len(names) < size:
        words = ["".join(rng.choices(SYLLABLES, k=rng.randint(1, 3))) + rng.choice(ENDINGS)
                 for _ in range(rng.choice((1, 1, 2)))]
        names.add(" ".join(words))
    return sorted(names)


PAGES = sorted((ROOT / "tests" / "articles").glob("*.html"))


def _rows(text: str, path: str, fmt: str = "txt") -> dict:
    from pipeline.extract import document_id, extract_document
    from pipeline.parse import parse

    return extract_document(parse(text, path, fmt), document_id(Path(path).name), "0" * 64, Path(path).name).rows


def item_spans(text: str, path: str) -> list[tuple[int, int]]:
    """Where the article's items are: (start, end) of every listed condition, side effect, example, type."""
    rows = _rows(text, path)
    tables = ("indications", "document_side_effects", "side_effect_examples")
    spans = {(row.char_start, row.char_end) for table in tables for row in rows[table]}
    spans |= {(row.char_start, row.char_end) for row in rows["document_therapies"] if row.level == "type"}
    kept, end = [], -1
    for start, stop in sorted(spans):  # no overlaps
        if start >= end:
            kept.append((start, stop))
            end = stop
    return kept


class Templates:
    """The template articles, decoded, with the places of their items."""

    def __init__(self):
        self.texts = []
        for path in TEMPLATES:
            text = path.read_bytes().decode("utf-8-sig")
            self.texts.append((text, item_spans(text, str(path))))

    def variant(self, number: int, pool: list[str], rng: random.Random) -> str:
        """Article ``number``: a template with every item replaced by a name from the pool."""
        text, spans = self.texts[number % len(self.texts)]
        parts, cursor = [], 0
        for start, end in spans:
            name = rng.choice(pool)
            original = text[start:end]
            parts += [text[cursor:start], name.capitalize() if original[:1].isupper() else name]
            cursor = end
        parts.append(text[cursor:])
        return "".join(parts)


class Pages:
    """The HTML test pages, with a pattern matching the words of their items in the page source."""

    def __init__(self):
        self.pages = []
        for path in PAGES:
            source = path.read_text(encoding="utf-8")
            rows = _rows(source, str(path), "html")
            words = ({row.name for row in rows["document_side_effects"]}
                     | {row.example for row in rows["side_effect_examples"]}
                     | {row.item_text for row in rows["indications"]})
            alternatives = sorted((re.escape(html.escape(word, quote=False)) for word in words if len(word) > 3),
                                  key=lambda w: (-len(w), w))
            self.pages.append((source, re.compile(r"(?<![\w<>/-])(?:" + "|".join(alternatives) + r")(?![\w>])",
                                                  re.IGNORECASE)))

    def variant(self, number: int, pool: list[str], rng: random.Random) -> str:
        """Page ``number``: a test page with the words of every item replaced by a name from the pool."""
        source, items = self.pages[number % len(self.pages)]
        return items.sub(lambda found: html.escape(rng.choice(pool), quote=False), source)


def write_pages(folder: Path, count: int, seed: int = 0, pool_size: int = 20_000) -> list[Path]:
    """Write ``count`` synthetic HTML pages into ``folder`` (page-00000.html, ...); the same seed, the same bytes."""
    return _write(folder, count, seed, pool_size, Pages(), "page-{:05d}.html")


def write_corpus(folder: Path, count: int, seed: int = 0, pool_size: int = 20_000) -> list[Path]:
    """Write ``count`` synthetic articles into ``folder`` (article-00000.txt, ...); the same seed, the same bytes."""
    return _write(folder, count, seed, pool_size, Templates(), "article-{:05d}.txt")


def _write(folder: Path, count: int, seed: int, pool_size: int, maker, name: str) -> list[Path]:
    rng = random.Random(seed)
    pool = name_pool(pool_size, rng)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(count):
        path = folder / name.format(number)
        path.write_text(maker.variant(number, pool, rng), encoding="utf-8")
        paths.append(path)
    return paths
