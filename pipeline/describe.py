"""The dataset's self-description, generated from the schemas: pure functions, tables and settings → bytes.

Every description here (of a table, a column, a category) is read from the pandera models in
:mod:`schemas.tables`; none is typed a second time. The publishing settings come from ``pyproject.toml``,
read by :func:`pipeline.io.read_project`: ``project.license`` (the data's licence) and ``project.version``,
and the ``[tool.dataset]`` table (title, description of the data, creator, url, release date). Nothing reads
the clock, so the same tables and settings give the same bytes.
"""

from __future__ import annotations

import json
from functools import cache

DATAPACKAGE = "datapackage.json"
CROISSANT = "croissant.json"
CARD = "README.md"
CHART = "side_effects_by_therapy.png"
LICENSES = {"CC-BY-4.0": ("Creative Commons Attribution 4.0 International",
                          "https://creativecommons.org/licenses/by/4.0/")}
NOT_ADVICE = ("The data records what the articles say, and nothing more: it is not medical advice, and a "
              "row is not a finding that a treatment works or causes a side effect.")


def _checks(spec) -> dict:
    """A column's pandera checks as plain constraints: pattern, minimum, minLength, maxLength."""
    constraints = {}
    for check in spec.checks:
        stats = check.statistics or {}
        if check.name == "str_matches":
            constraints["pattern"] = stats["pattern"]
        elif check.name == "greater_than_or_equal_to":
            constraints["minimum"] = stats["min_value"]
        elif check.name == "str_length":
            if stats.get("min_value") is not None:
                constraints["minLength"] = stats["min_value"]
            if stats.get("max_value") is not None:
                constraints["maxLength"] = stats["max_value"]
        else:
            raise ValueError(f"no constraint for the check {check.name}")
    return constraints


def column_type(spec) -> str:
    """``string``, ``integer`` or ``category``: the kind of a schema column, for every projection."""
    kind = str(spec.dtype.type)
    if kind == "category":
        return "category"
    if kind in ("int64", "Int64"):
        return "integer"
    if kind.startswith(("str", "string")):
        return "string"
    raise TypeError(f"no column type for {kind}")


@cache
def dictionary() -> dict:
    """The data dictionary: every table and column with its title, description, type, keys and constraints.

    Cached, so shared: read it, never change it."""
    from pipeline.tables import metadata, models, schema

    tables = {}
    for name in models():
        table = schema(name)
        meta = metadata(name)
        columns = []
        for column, spec in table.columns.items():
            entry = {"name": column, "title": spec.title, "description": spec.description,
                     "type": column_type(spec), "nullable": bool(spec.nullable), "constraints": _checks(spec)}
            if spec.metadata and "categories" in spec.metadata:
                entry["categories"] = dict(spec.metadata["categories"])
            columns.append(entry)
        tables[name] = {
            "title": table.title, "description": table.description,
            "primary_key": list(table.unique or []),
            "foreign_keys": {column: list(target) for column, target in meta.get("foreign_keys", {}).items()},
            "spans": [{"text": text, "start": start, "end": end, "line": line}
                      for text, start, end, line in meta.get("spans", [])],
            "columns": columns,
        }
    return tables


def field_metadata(name: str) -> dict[str, dict[bytes, bytes]]:
    """Column → Arrow field metadata (``description``, ``title``) for a table's Parquet file."""
    return {column["name"]: {b"title": column["title"].encode(), b"description": column["description"].encode()}
            for column in dictionary()[name]["columns"]}


def file_metadata(name: str) -> dict[bytes, bytes]:
    """A table's Parquet file-level metadata: its title, description and the whole data dictionary as JSON."""
    entries = dictionary()
    return {b"title": entries[name]["title"].encode(), b"description": entries[name]["description"].encode(),
            b"table": name.encode(),
            b"data_dictionary": json.dumps(entries, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()}


JSON_WIDTH = 100
_string = json.encoder.encode_basestring  # how json.dumps(..., ensure_ascii=False) writes a string


def _json(value) -> bytes:
    """Indented JSON, keys sorted, where an object or array of plain values, or one that fits in
    ``JSON_WIDTH`` columns, stays on one line: a corpus's 10,000 sources are a line each, and the C encoder
    does nearly all the work (the pure-Python encoder that indents every value took a quarter of
    rendering a large corpus)."""
    encode = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(", ", ": ")).encode
    return (_layout(value, 0, encode) + "\n").encode()


def _layout(value, level: int, encode) -> str:
    if not isinstance(value, (dict, list)):
        return encode(value)
    if isinstance(value, dict) and all(type(item) is str for item in value.values()):
        # Always one line (it nests nothing), and a corpus has thousands (its sources): built here, with the
        # string encoder the C encoder itself uses, it reads exactly as ``encode(value)`` in half the time.
        return "{" + ", ".join(f"{_string(key)}: {_string(value[key])}" for key in sorted(value)) + "}"
    items = value.values() if isinstance(value, dict) else value
    nested = any(isinstance(item, (dict, list)) for item in items)
    # A container of more items than fit on a line is not encoded flat only to be thrown away.
    if not nested or 3 * len(value) + 2 * level <= JSON_WIDTH:
        flat = encode(value)
        if not nested or 2 * level + len(flat) <= JSON_WIDTH:
            return flat
    inner, outer = "\n" + "  " * (level + 1), "\n" + "  " * level
    if isinstance(value, dict):
        parts = [encode(key) + ": " + _layout(value[key], level + 1, encode) for key in sorted(value)]
        return "{" + inner + ("," + inner).join(parts) + outer + "}"
    return "[" + inner + ("," + inner).join(_layout(item, level + 1, encode) for item in value) + outer + "]"


def _sources(tables: dict) -> list[dict]:
    documents = tables["documents"]
    return [{"title": title, "path": f"raw/{source}", "hash": f"sha256:{sha}"}
            for title, source, sha in zip(*(documents[column].tolist()
                                            for column in ("title", "source_path", "sha256")))]


def _ontology_sources(tables: dict) -> list[dict]:
    """The ontology releases the term tables were matched against (the ``ontologies`` table)."""
    ontologies = tables.get("ontologies")
    if ontologies is None:
        return []
    return [{"prefix": str(prefix), "title": title, "version": version, "licence": licence, "url": url}
            for prefix, title, version, licence, url in zip(ontologies["ontology"], ontologies["title"],
                                                           ontologies["version"], ontologies["licence"],
                                                           ontologies["url"])]


def categories_text(categories: dict[str, str]) -> str:
    """A category column's values and their meanings, in order, as one sentence."""
    return "Values, in order: " + "; ".join(f"`{value}`: {meaning.rstrip('.')}"
                                            for value, meaning in categories.items()) + "."


def _license(project: dict) -> tuple[str, str, str]:
    name = project["license"]
    title, url = LICENSES[name]
    return name, title, url


# Frictionless -----------------------------------------------------------------------------------------------

def _frictionless_field(column: dict) -> dict:
    field = {"name": column["name"], "title": column["title"], "description": column["description"],
             "type": "integer" if column["type"] == "integer" else "string"}
    constraints = dict(column["constraints"])
    if not column["nullable"]:
        constraints["required"] = True
    if "categories" in column:
        constraints["enum"] = list(column["categories"])
        field["categories"] = [{"value": value, "label": meaning} for value, meaning in column["categories"].items()]
        field["categoriesOrdered"] = True
    if constraints:
        field["constraints"] = constraints
    return field


def _frictionless_schema(name: str, entry: dict, suffix: str) -> dict:
    schema = {"fields": [_frictionless_field(column) for column in entry["columns"]],
              "missingValues": [""], "primaryKey": entry["primary_key"]}
    foreign_keys = []
    for column, (table, target) in entry["foreign_keys"].items():
        reference = {"fields": [target]}
        if table != name:  # a reference within the same resource names no resource
            reference["resource"] = f"{table}{suffix}"
        foreign_keys.append({"fields": [column], "reference": reference})
    if foreign_keys:
        schema["foreignKeys"] = foreign_keys
    return schema


def datapackage_bytes(tables: dict, facts: dict[str, tuple[int, str]], project: dict) -> bytes:
    """A Frictionless Data Package (v2): one resource per Parquet and CSV file, from the schemas; ``facts``:
    each data file's size and SHA-256."""
    entries = dictionary()
    license_name, license_title, license_url = _license(project)
    resources = []
    for suffix, media_type in ((".csv", "text/csv"), (".parquet", "application/vnd.apache.parquet")):
        for name in tables:
            path = f"{name}{suffix}"
            resource = {"name": path, "type": "table", "path": path, "format": suffix[1:], "mediatype": media_type,
                        "title": entries[name]["title"], "description": entries[name]["description"],
                        "hash": f"sha256:{facts[path][1]}",
                        "schema": _frictionless_schema(name, entries[name], suffix)}
            if suffix == ".csv":  # frictionless reads Parquet through pyarrow, so it cannot count its bytes
                resource["bytes"] = facts[path][0]
                resource["encoding"] = "utf-8"
                resource["dialect"] = {"delimiter": ",", "quoteChar": '"', "header": True}
            resources.append(resource)
    package = {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": project["name"], "title": project["title"], "description": project["description"],
        "version": project["version"], "created": f"{project['released']}T00:00:00Z",
        "homepage": project["url"], "contributors": [{"title": project["creator"], "roles": ["creator"]}],
        "licenses": [{"name": license_name, "title": license_title, "path": license_url}],
        "sources": _sources(tables) + [{"title": f"{o['title']} ({o['prefix']}), licence: {o['licence']}",
                                        "path": o["url"], "version": o["version"]}
                                       for o in _ontology_sources(tables)],
        "resources": resources,
    }
    return _json(package)


# Croissant --------------------------------------------------------------------------------------------------

CROISSANT_CONTEXT = {
    "@language": "en", "@vocab": "https://schema.org/", "citeAs": "cr:citeAs", "column": "cr:column",
    "conformsTo": "dct:conformsTo", "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "data": {"@id": "cr:data", "@type": "@json"}, "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/", "equivalentProperty": "cr:equivalentProperty",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract", "field": "cr:field", "fileProperty": "cr:fileProperty", "fileObject": "cr:fileObject",
    "fileSet": "cr:fileSet", "format": "cr:format", "includes": "cr:includes", "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath", "key": "cr:key", "md5": "cr:md5", "parentField": "cr:parentField", "path": "cr:path",
    "recordSet": "cr:recordSet", "references": "cr:references", "regex": "cr:regex", "repeated": "cr:repeated",
    "replace": "cr:replace", "samplingRate": "cr:samplingRate", "sc": "https://schema.org/",
    "separator": "cr:separator", "source": "cr:source",
    "subField": "cr:subField", "transform": "cr:transform",
}


def cite_as(project: dict) -> str:
    """A BibTeX entry for the dataset, from the project's settings."""
    key = project["name"].replace("-", "_") + "_" + project["version"].replace(".", "_")
    return (f"@misc{{{key}, title = {{{project['title']}}}, author = {{{project['creator']}}}, "
            f"year = {{{project['released'][:4]}}}, version = {{{project['version']}}}, "
            f"url = {{{project['url']}}}, note = {{Licence {project['license']}}}}}")


def _croissant_field(name: str, column: dict, foreign_keys: dict) -> dict:
    description = column["description"]
    if "categories" in column:
        description += " " + categories_text(column["categories"])
    field = {"@type": "cr:Field", "@id": f"{name}/{column['name']}", "name": column["name"],
             "description": description,
             "dataType": "sc:Integer" if column["type"] == "integer" else "sc:Text",
             "source": {"fileObject": {"@id": f"{name}.csv"}, "extract": {"column": column["name"]}}}
    table, target = foreign_keys.get(column["name"], (name, None))
    if table != name:  # mlcroissant reads a reference as a dependency, so one to the record set itself is a cycle
        field["references"] = {"field": {"@id": f"{table}/{target}"}}
    elif target:
        field["description"] += f" References {table}.{target} within this record set."
    return field


def croissant_bytes(tables: dict, facts: dict[str, tuple[int, str]], project: dict) -> bytes:
    """MLCommons Croissant 1.0 JSON-LD: a FileObject per data file, a RecordSet per table (read from its CSV);
    ``facts``: each data file's size and SHA-256."""
    entries = dictionary()
    _, _, license_url = _license(project)
    distribution = []
    for suffix, encoding in ((".csv", "text/csv"), (".parquet", "application/x-parquet")):
        for name in tables:
            path = f"{name}{suffix}"
            distribution.append({"@type": "cr:FileObject", "@id": path, "name": path,
                                 "description": f"{entries[name]['title']} ({suffix[1:]}).",
                                 "contentUrl": path, "contentSize": f"{facts[path][0]} B",
                                 "encodingFormat": encoding, "sha256": facts[path][1]})
    record_sets = []
    referring = {name for name in tables if any(t != name for t, _ in entries[name]["foreign_keys"].values())}
    for name in tables:
        entry = entries[name]
        key = [{"@id": f"{name}/{column}"} for column in entry["primary_key"]]
        fields = [_croissant_field(name, column, entry["foreign_keys"]) for column in entry["columns"]]
        # mlcroissant 1.1.1 fails to join a record set whose first reference goes to a record set that has
        # references of its own; fields referring to a record set without references go first.
        fields.sort(key=lambda f: not ("references" in f and f["references"]["field"]["@id"].split("/")[0]
                                       not in referring))
        record_sets.append({"@type": "cr:RecordSet", "@id": name, "name": name,
                            "description": entry["description"], "key": key[0] if len(key) == 1 else key,
                            "field": fields})
    dataset = {
        "@context": CROISSANT_CONTEXT, "@type": "sc:Dataset", "conformsTo": "http://mlcommons.org/croissant/1.0",
        "name": project["name"], "description": project["description"] + " " + NOT_ADVICE,
        "license": license_url, "url": project["url"], "version": project["version"],
        "datePublished": project["released"], "creator": {"@type": "sc:Organization", "name": project["creator"]},
        "citeAs": cite_as(project), "inLanguage": "en",
        "isBasedOn": [{"@type": "sc:CreativeWork", "name": source["title"], "url": source["path"],
                       "description": f"Article file {source['path']}, {source['hash']}"}
                      for source in _sources(tables)]
                     + [{"@type": "sc:CreativeWork", "name": o["title"], "url": o["url"], "version": o["version"],
                         "license": o["licence"]} for o in _ontology_sources(tables)],
        "distribution": distribution, "recordSet": record_sets,
    }
    return _json(dataset)


# Chart ------------------------------------------------------------------------------------------------------

PALETTE = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666"]


def _label(value: str) -> str:
    return value.replace("_", " ")


CHART_MAX_BARS = 20


def chart_counts(tables: dict) -> tuple[list[str], list[str], list[list[int]]]:
    """Therapy names, frequency · seriousness groups (in category order) and the count of each pair.

    A corpus with more than ``CHART_MAX_BARS`` therapies shows those with the most listed side effects
    (ties in the order of the therapies table).
    """
    from collections import Counter

    from pipeline.tables import schema

    listed = tables["therapy_side_effects"]
    therapies = tables["therapies"]
    ids = therapies["therapy_id"].tolist()
    name_of = dict(zip(ids, therapies["name"].tolist()))
    columns = schema("therapy_side_effects").columns
    groups = [(frequency, seriousness) for frequency in columns["frequency"].dtype.type.categories
              for seriousness in columns["seriousness"].dtype.type.categories]
    sizes = listed.groupby(["therapy_id", "frequency", "seriousness"], observed=True).size()
    tally = Counter({(therapy, str(frequency), str(seriousness)): int(count)
                     for (therapy, frequency, seriousness), count in sizes.items()})
    totals = Counter()
    for (therapy, _, _), count in tally.items():
        totals[therapy] += count
    order = {therapy: rank for rank, therapy in enumerate(dict.fromkeys(ids))}
    shown = sorted(totals, key=lambda therapy: (-totals[therapy], order.get(therapy, len(order))))
    shown = sorted(shown[:CHART_MAX_BARS], key=lambda therapy: order.get(therapy, len(order)))
    counts = [[tally[(therapy, *group)] for group in groups] for therapy in shown]
    used = [index for index in range(len(groups)) if any(row[index] for row in counts)]
    labels = [f"{_label(groups[i][0])} · {_label(groups[i][1])}" for i in used]
    return [name_of[t] for t in shown], labels, [[row[i] for i in used] for row in counts]


def chart_png(tables: dict) -> bytes:
    """A horizontal stacked bar per therapy: its listed side effects, split by frequency and seriousness."""
    import io

    from PIL import Image, ImageDraw, ImageFont

    names, groups, counts = chart_counts(tables)
    font, small = ImageFont.load_default(size=15), ImageFont.load_default(size=13)
    title = "Side effects listed per therapy, by frequency · seriousness"
    label_width = max([int(font.getlength(name)) for name in names] + [60]) + 20
    bar, gap, top, plot_width = 28, 14, 48, 520
    legend_top = top + len(names) * (bar + gap) + 10
    width = label_width + plot_width + 40
    height = legend_top + 24 * len(groups) + 16
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    draw.text((16, 14), title, fill="black", font=font)
    most = max([sum(row) for row in counts] + [1])
    scale = plot_width / most
    for row, (name, values) in enumerate(zip(names, counts)):
        y = top + row * (bar + gap)
        draw.text((label_width - 10, y + bar // 2), name, fill="black", font=font, anchor="rm")
        x = label_width
        for index, value in enumerate(values):
            if value:
                end = x + value * scale
                draw.rectangle([x, y, end - 1, y + bar], fill=PALETTE[index % len(PALETTE)])
                draw.text(((x + end) / 2, y + bar // 2), str(value), fill="white", font=small, anchor="mm")
                x = end
        draw.text((x + 6, y + bar // 2), f"{sum(values)}", fill="black", font=small, anchor="lm")
    for index, group in enumerate(groups):
        y = legend_top + index * 24
        draw.rectangle([label_width, y, label_width + 16, y + 16], fill=PALETTE[index % len(PALETTE)])
        draw.text((label_width + 24, y + 8), group, fill="black", font=small, anchor="lm")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()


# Dataset card -----------------------------------------------------------------------------------------------

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
    for index, name in enumerate(tables):
        lines += [f"- config_name: {name}", f"  data_files: {name}.parquet"]
        if index == 0:
            lines.append("  default: true")
    return lines + ["---", ""]


def card_bytes(tables: dict, project: dict) -> bytes:
    """The dataset card (``README.md``): Hugging Face header, contents, provenance, loading, data dictionary."""
    entries = dictionary()
    license_name, license_title, license_url = _license(project)
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
    out += [f"- {source['title']}: `{source['path']}`, `{source['hash']}`" for source in _sources(tables)]
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
    from pipeline.link import coverage

    sources = _ontology_sources(tables)
    if not sources:
        return []
    out = ["## Standard terms", "",
           "`side_effect_terms` and `condition_terms` link the articles' words to ontology terms, found "
           "automatically by exact matching of labels and synonyms (after normalising case, spaces, apostrophes "
           "and plurals), whole names first, then each part of an `A or B` name. `match_on` and `synonym_scope` "
           "say how each match was made: a `RELATED`, `BROAD` or `NARROW` synonym is a match of lower precision. "
           "No match, no row. The ontologies' content is copied unaltered.", ""]
    out += [f"- This dataset uses the {o['title']} (version {o['version']}). Find out more at {o['url']}. "
            f"Licence: {o['licence']}." for o in sources]
    out += ["", "Coverage (rows with at least one term / all rows):", "", "| table | matched | total |",
            "| --- | --- | --- |"]
    out += [f"| `{name}` | {counts['matched']} | {counts['total']} |" for name, counts in coverage(tables).items()]
    return out + [""]


def catalogues(tables: dict, facts: dict[str, tuple[int, str]], project: dict) -> dict[str, bytes]:
    """The Data Package and the Croissant of a dataset whose data files are made (``facts``: their sizes
    and SHA-256s)."""
    return {DATAPACKAGE: datapackage_bytes(tables, facts, project), CROISSANT: croissant_bytes(tables, facts, project)}
