"""The dataset card (``README.md``): Hugging Face header, contents, provenance, loading, the data dictionary,
the standard terms and the licence, generated from the schemas and the settings."""

from __future__ import annotations

from pipeline.publish.catalogues import (
    CROISSANT,
    DATAPACKAGE,
    NOT_ADVICE,
    cite_as,
    license_of,
    ontology_sources,
    sources,
)
from pipeline.publish.chart import CHART
from pipeline.publish.dictionary import categories_text, dictionary
from pipeline.publish.ml import card_features, ner_path, splits_count
from pipeline.publish.report import coverage

CARD = "README.md"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def dictionary_rows(entry: dict) -> list[tuple[str, str, str, str]]:
    """A table's data dictionary rows for the card: column, type, required, description (with categories)."""
    rows = []
    for column in entry["columns"]:
        description = column["description"]
        if "categories" in column:
            description += " " + categories_text(column["categories"])
        kind = "category (ordered)" if column["type"] == "category" else column["type"]
        rows.append((column["name"], kind, "no" if column["nullable"] else "yes", description))
    return rows


def _yaml_header(tables: dict, project: dict) -> list[str]:
    lines = ["---", f"license: {project['license'].lower()}", f"pretty_name: {project['title']}",
             "language:", "- en", "size_categories:", "- n<1K", "configs:"]
    for index, name in enumerate(name for name, frame in tables.items() if len(frame)):
        # (a table with no rows gets no config: `datasets` cannot read a Parquet file without rows)
        lines += [f"- config_name: {name}", f"  data_files: {name}.parquet"]
        if index == 0:
            lines.append("  default: true")
    lines += ["- config_name: ner", "  data_files:"]
    for split, count in splits_count(tables).items():
        if count:
            lines += [f"  - split: {split}", f"    path: {ner_path(split)}"]
    lines += ["dataset_info:", "- config_name: ner"] + card_features()
    return lines + ["---", ""]


def card_bytes(tables: dict, project: dict) -> bytes:
    """The dataset card (``README.md``): Hugging Face header, contents, provenance, loading, data dictionary."""
    entries = dictionary()
    license_name, license_title, license_url = license_of(project)
    out = _yaml_header(tables, project)
    out += [f"# {project['title']}", "", f"{project['description']} Version {project['version']}, "
            f"released {project['released']}.", "", f"**{NOT_ADVICE}**", "",
            "Every file here is generated from the articles in `raw/` and the schemas in `schemas/tables.py`; "
            "none is edited by hand.", "", "## Tables", "", "| table | rows | what a row is |", "| --- | --- | --- |"]
    out += [f"| [`{name}`](#{name}) | {len(frame)} | {_cell(entries[name]['description'])} |"
            for name, frame in tables.items()]
    out += ["", f"![Side effects listed per therapy, by frequency and seriousness]({CHART})", "",
            "## Provenance and spans", "",
            "Each row records where in which article it was read. `document_id` names the article (`documents`); "
            "`char_start` and `char_end` are offsets into the article's decoded text (a Python string: BOM removed, "
            "line ends kept), so `text[char_start:char_end]` is exactly the row's surface text, and `line` is the "
            "1-based line on which it starts. Some rows carry a second span (an answer, a factor's text, the word "
            "that states an immune effect) with its own start and end columns, listed under each table below.", "",
            "The articles, with the SHA-256 of their bytes:", ""]
    out += [f"- {source['title']}: `{source['path']}`, `{source['hash']}`" for source in sources(tables)]
    out += ["", "## Files", "",
            "- `<table>.parquet`: the tables with their dtypes; each column's description is in its Arrow field "
            "metadata (`description`), and the file-level metadata holds the table's `description` and the whole "
            "`data_dictionary` as JSON.",
            "- `<table>.csv`: the same rows as UTF-8 CSV with LF line ends; an empty cell is a missing value.",
            "- `excel/<table>.csv`: for spreadsheets: UTF-8 with a BOM, CRLF, and a text cell beginning with `=`, "
            "`+`, `-`, `@`, tab or carriage return prefixed with `'` so that it is not run as a formula.",
            f"- `{DATAPACKAGE}`: Frictionless Data Package (v2); `frictionless validate {DATAPACKAGE}`.",
            f"- `{CROISSANT}`: MLCommons Croissant 1.0 metadata; `mlcroissant validate --jsonld {CROISSANT}`.",
            f"- `{CHART}`: the chart above.", "- `MANIFEST`: every file with its SHA-256 and size in bytes.", "",
            "## Loading", "", "pandas, with the declared dtypes and ordered categories (`pipeline.load` of this "
            "project does the same for every table):", "", "```python", "import pandas as pd",
            "therapies = pd.read_parquet(\"output/therapies.parquet\")", "", "from pipeline import load",
            "tables = load(\"output\")  # {table name: DataFrame}", "```", "", "polars:", "", "```python",
            "import polars as pl", "listed = pl.read_parquet(\"output/therapy_side_effects.parquet\")", "```", "",
            "DuckDB, joining tables and reading the descriptions kept in the files:", "", "```sql",
            "select t.name as therapy, s.name as side_effect, ts.frequency, ts.seriousness",
            "from 'output/therapy_side_effects.parquet' ts",
            "join 'output/therapies.parquet' t using (therapy_id)",
            "join 'output/side_effects.parquet' s using (side_effect_id)",
            "order by therapy, ts.position;", "",
            "select file_name, decode(value) as description from parquet_kv_metadata('output/*.parquet')",
            "where decode(key) = 'description';", "```", "", "Hugging Face `datasets` (one config per table):", "",
            "```python", "from datasets import load_dataset",
            "listed = load_dataset(\"output\", \"therapy_side_effects\", split=\"train\")  # a config of this card",
            "therapies = load_dataset(\"parquet\", data_files=\"output/therapies.parquet\", split=\"train\")",
            "```", "",
            "`datasets` reads the categories as plain strings; `pipeline.load` and pandas keep them ordered.",
            ""]
    out += _terms_section(tables)
    out += ["## Data dictionary", ""]
    for name, entry in entries.items():
        out += [f"### `{name}`", "", f"{entry['title']}: {entry['description']}", "",
                f"Primary key: {', '.join(f'`{c}`' for c in entry['primary_key'])}."]
        if entry["foreign_keys"]:
            out.append("Foreign keys: " + ", ".join(f"`{column}` → `{table}.{target}`"
                                                    for column, (table, target) in entry["foreign_keys"].items())
                       + ".")
        if entry["spans"]:
            out.append("Spans: " + ", ".join(f"`{span['text']}` at `{span['start']}`–`{span['end']}`"
                                             + (f" (line `{span['line']}`)" if span["line"] else "")
                                             for span in entry["spans"]) + ".")
        out += ["", "| column | type | required | description |", "| --- | --- | --- | --- |"]
        out += [f"| `{column}` | {kind} | {required} | {_cell(description)} |"
                for column, kind, required, description in dictionary_rows(entry)]
        out.append("")
    out += ["## Licence", "",
            f"The data is licensed under [{license_title}]({license_url}) (`{license_name}`). Cite it as:", "",
            "```bibtex", cite_as(project), "```", ""]
    return "\n".join(out).encode()


def _terms_section(tables: dict) -> list[str]:
    """Standard terms: the ontologies used, with the statement HPO's licence asks for, and coverage."""
    releases = ontology_sources(tables)
    if not releases:
        return []
    out = ["## Standard terms", "",
           "`side_effect_terms` and `condition_terms` link the articles' words to ontology terms, found "
           "automatically by exact matching of labels and synonyms (after normalising case, spaces, apostrophes "
           "and plurals), whole names first, then each part of an `A or B` name. `match_on` and `synonym_scope` "
           "say how each match was made: a `RELATED`, `BROAD` or `NARROW` synonym is a match of lower precision. "
           "No match, no row. The ontologies' content is copied unaltered.", ""]
    out += [f"- This dataset uses the {o['title']} (version {o['version']}). Find out more at {o['url']}. "
            f"Licence: {o['licence']}." for o in releases]
    out += ["", "Coverage (rows with at least one term / all rows):", "", "| table | matched | total |",
            "| --- | --- | --- |"]
    out += [f"| `{name}` | {counts['matched']} | {counts['total']} |" for name, counts in coverage(tables).items()]
    return out + [""]
