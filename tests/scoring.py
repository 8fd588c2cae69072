"""Scores of the pipeline's tables against the hand-written expectations of the test articles
(tests/articles/expected/*.md; the format is in tests/articles/README.md).

Per table: precision, recall and F1 over rows, each row the tuple of the expected file's columns, compared after
white space is collapsed; therapies and side effects are compared by their ids (the slug of the name, so without
regard to case), and the group rows of indications are left out (the expectations list conditions only).

    python -m tests.scoring [--diff TABLE] [ARTICLE ...]    # or: make score
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "tests" / "articles"
EXPECTED = ARTICLES / "expected"
TABLES = ("documents", "therapies", "therapy_aliases", "indications", "therapy_side_effects",
          "side_effect_examples", "side_effect_aliases", "decision_factors", "faqs")


def _slug(name: str) -> str:
    from pipeline.extract.ids import slug
    return slug(name) if name else ""


def _clean(value) -> str:
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return " ".join(str(value).split())


def expected_tables(path: Path) -> dict[str, list[dict[str, str]]]:
    """The pipe tables of an expected file, by section name; ``\\|`` in a cell is a ``|``."""
    tables: dict[str, list[dict[str, str]]] = {}
    name, header = None, None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            name, header = line[3:].strip(), None
            tables.setdefault(name, [])
        elif line.startswith("|") and name:
            cells = [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line.strip()[1:-1])]
            if header is None:
                header = cells
            elif not all(re.fullmatch(r":?-+:?", c) for c in cells):
                tables[name].append(dict(zip(header, cells)))
    return tables


KEYS = {
    "documents": ("title", "format", "publisher", "author", "date_published", "date_modified", "url"),
    "therapies": ("name", "level", "parent"),
    "therapy_aliases": ("therapy", "alias", "kind"),
    "indications": ("therapy", "condition", "group"),
    "therapy_side_effects": ("therapy", "side_effect", "item_text", "frequency", "frequency_lower", "frequency_upper",
                             "severity", "seriousness", "action", "heading_path", "lead_in"),
    "side_effect_examples": ("therapy", "side_effect", "position", "example"),
    "side_effect_aliases": ("side_effect", "alias", "kind"),
    "decision_factors": ("position", "label", "text", "heading_path"),
    "faqs": ("position", "question", "answer"),
}
BY_ID = {"therapies": ("name", "parent"), "therapy_aliases": ("therapy",), "indications": ("therapy",),
         "therapy_side_effects": ("therapy", "side_effect"), "side_effect_examples": ("therapy", "side_effect"),
         "side_effect_aliases": ("side_effect",)}


def _expected_rows(table: str, rows: list[dict[str, str]]) -> list[tuple]:
    out = []
    for row in rows:
        values = []
        for column in KEYS[table]:
            value = _clean(row.get(column, ""))
            if column in BY_ID.get(table, ()):
                value = _slug(value)
            elif column in ("frequency_lower", "frequency_upper") and value:
                value = f"{float(value):g}"
            values.append(value)
        out.append(tuple(values))
    return out


def got_rows(tables: dict[str, pd.DataFrame], doc_id: str) -> dict[str, list[tuple]]:
    """The pipeline's rows of one article, as the expected files' columns."""
    def of(name):
        frame = tables[name]
        return frame[frame.document_id == doc_id] if "document_id" in frame else frame

    therapies = of("document_therapies")
    parent_of = dict(zip(therapies.therapy_id, therapies.parent_id))
    conditions = of("document_conditions")
    groups = set(conditions.parent_id.dropna())
    out: dict[str, list[tuple]] = {}
    out["documents"] = [tuple(_clean(r[c]) for c in KEYS["documents"]) for _, r in of("documents").iterrows()]
    ids = [(t, parent_of.get(t)) for t in therapies.therapy_id]
    mentioned = set(therapies.therapy_id)
    out["therapies"] = []
    seen = set()
    for frame in (of("therapy_aliases"), of("indications"), of("therapy_side_effects")):
        mentioned |= set(frame.therapy_id)
    for therapy_id, parent in ids:
        out["therapies"].append((therapy_id, _level(therapies, therapy_id), _clean(parent)))
        seen.add(therapy_id)
    out["therapy_aliases"] = [(r.therapy_id, _clean(r.alias), str(r.kind)) for r in of("therapy_aliases").itertuples()]
    indications = of("indications")
    indications = indications[~indications.condition_id.isin(groups)]
    out["indications"] = [(r.therapy_id, _clean(r.item_text), _clean(r.condition_group))
                          for r in indications.itertuples()]
    del conditions
    out["therapy_side_effects"] = [
        (r.therapy_id, r.side_effect_id, _clean(r.item_text), str(r.frequency), _clean(r.frequency_lower),
         _clean(r.frequency_upper), str(r.severity), str(r.seriousness), str(r.action), _clean(r.heading_path),
         _clean(r.lead_in)) for r in of("therapy_side_effects").itertuples()]
    out["side_effect_examples"] = [(r.therapy_id, r.side_effect_id, str(r.position), _clean(r.example))
                                   for r in of("side_effect_examples").itertuples()]
    out["side_effect_aliases"] = [(r.side_effect_id, _clean(r.alias), str(r.kind))
                                  for r in of("side_effect_aliases").itertuples()]
    out["decision_factors"] = [(str(r.position), _clean(r.label), _clean(r.text), _clean(r.heading_path))
                               for r in of("decision_factors").itertuples()]
    out["faqs"] = [(str(r.position), _clean(r.question), _clean(r.answer)) for r in of("faqs").itertuples()]
    return out


def _level(therapies: pd.DataFrame, therapy_id: str) -> str:
    return str(therapies.loc[therapies.therapy_id == therapy_id, "level"].iloc[0])


def expected_rows(path: Path) -> dict[str, list[tuple]]:
    tables = expected_tables(path)
    out = {table: _expected_rows(table, tables.get(table, [])) for table in TABLES}
    out["therapies"] = [(_slug(name), level, _slug(parent)) for name, level, parent in
                        ((r.get("name", ""), r.get("level", ""), r.get("parent", "")) for r in tables["therapies"])]
    return out


def counts(expected: list[tuple], got: list[tuple]) -> tuple[int, int, int]:
    """(true positives, rows got, rows expected), rows compared as multisets."""
    matched = sum((Counter(expected) & Counter(got)).values())
    return matched, len(got), len(expected)


def f1(matched: int, got: int, expected: int) -> tuple[float, float, float]:
    precision = matched / got if got else (1.0 if not expected else 0.0)
    recall = matched / expected if expected else (1.0 if not got else 0.0)
    score = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, score


def extracted(article: Path) -> dict[str, pd.DataFrame]:
    """One article's tables as the pipeline extracts them (before the corpus keeps one row per entity)."""
    from pipeline.build import read_one
    from pipeline.tables import ARTICLE_TABLES, to_frame
    rows = read_one(article)
    return {name: to_frame(name, rows.rows[name]) for name in ARTICLE_TABLES}


def articles(names: list[str] | None = None) -> list[Path]:
    found = [p for p in sorted(ARTICLES.iterdir()) if p.is_file() and p.suffix in (".txt", ".md", ".html")
             and p.name != "README.md" and (EXPECTED / f"{p.stem}.md").exists()]
    return [p for p in found if not names or p.stem in names or p.name in names]


def score_all(paths: list[Path]):
    """Per table: (matched, got, expected) summed over the articles; and per article and table."""
    from pipeline.extract.ids import document_id
    total = {table: [0, 0, 0] for table in TABLES}
    per_article = {}
    for path in paths:
        got = got_rows(extracted(path), document_id(path.name))
        want = expected_rows(EXPECTED / f"{path.stem}.md")
        per_article[path.stem] = {}
        for table in TABLES:
            found = counts(want[table], got[table])
            per_article[path.stem][table] = (found, want[table], got[table])
            for i in range(3):
                total[table][i] += found[i]
    return total, per_article


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("articles", nargs="*")
    parser.add_argument("--diff", action="append", default=[], help="show missing/extra rows of this table")
    options = parser.parse_args(argv)
    paths = articles(options.articles)
    total, per_article = score_all(paths)
    print(f"{'table':24} {'precision':>9} {'recall':>7} {'F1':>6} {'rows':>6}")
    for table in TABLES:
        p, r, f = f1(*total[table])
        print(f"{table:24} {p:9.3f} {r:7.3f} {f:6.3f} {total[table][2]:6d}")
    for table in options.diff:
        for article, result in per_article.items():
            (_, _, _), want, got = result[table]
            missing = Counter(want) - Counter(got)
            extra = Counter(got) - Counter(want)
            if missing or extra:
                print(f"\n== {article} / {table}")
                for row in missing.elements():
                    print("  - " + " | ".join(row))
                for row in extra.elements():
                    print("  + " + " | ".join(row))
    return 0


if __name__ == "__main__":
    sys.exit(main())
