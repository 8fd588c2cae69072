"""The catalogues, generated from the data dictionary and the project's settings: a Frictionless Data Package
(v2) and MLCommons Croissant 1.0. Pure functions: tables, file facts and settings → bytes."""

from __future__ import annotations

import json

from pipeline.publish.dictionary import categories_text, dictionary
from pipeline.publish.files import MEDIA_TYPES

DATAPACKAGE = "datapackage.json"
CROISSANT = "croissant.json"
LICENSES = {"CC-BY-4.0": ("Creative Commons Attribution 4.0 International",
                          "https://creativecommons.org/licenses/by/4.0/")}
NOT_ADVICE = ("The data records what the articles say, and nothing more: it is not medical advice, and a "
              "row is not a finding that a treatment works or causes a side effect.")
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


def sources(tables: dict) -> list[dict]:
    documents = tables["documents"]
    return [{"title": title, "path": f"raw/{source}", "hash": f"sha256:{sha}"}
            for title, source, sha in zip(*(documents[column].tolist()
                                            for column in ("title", "source_path", "sha256")))]


def ontology_sources(tables: dict) -> list[dict]:
    """The ontology releases the term tables were matched against (the ``ontologies`` table)."""
    ontologies = tables.get("ontologies")
    if ontologies is None:
        return []
    return [{"prefix": str(prefix), "title": title, "version": version, "licence": licence, "url": url}
            for prefix, title, version, licence, url in zip(ontologies["ontology"], ontologies["title"],
                                                           ontologies["version"], ontologies["licence"],
                                                           ontologies["url"])]


def _data_files(tables: dict):
    """(table, suffix, path, media type) of each data file: the CSVs, then the Parquet files."""
    for suffix in (".csv", ".parquet"):
        for name in tables:
            yield name, suffix, f"{name}{suffix}", MEDIA_TYPES[suffix[1:]]


def license_of(project: dict) -> tuple[str, str, str]:
    name = project["license"]
    title, url = LICENSES[name]
    return name, title, url


# Frictionless -----------------------------------------------------------------------------------------------

def _frictionless_field(column: dict) -> dict:
    field = {"name": column["name"], "title": column["title"], "description": column["description"],
             "type": column["type"] if column["type"] in ("integer", "number", "boolean") else "string"}
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
    license_name, license_title, license_url = license_of(project)
    resources = []
    for name, suffix, path, media_type in _data_files(tables):
        resource = {"name": path, "type": "table", "path": path, "format": suffix[1:], "mediatype": media_type,
                    "title": entries[name]["title"], "description": entries[name]["description"],
                    "hash": f"sha256:{facts[path][1]}", "schema": _frictionless_schema(name, entries[name], suffix)}
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
        "sources": sources(tables) + [{"title": f"{o['title']} ({o['prefix']}), licence: {o['licence']}",
                                        "path": o["url"], "version": o["version"]}
                                       for o in ontology_sources(tables)],
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


CROISSANT_TYPES = {"integer": "sc:Integer", "number": "sc:Float", "boolean": "sc:Boolean"}


def _croissant_field(name: str, column: dict, foreign_keys: dict) -> dict:
    description = column["description"]
    if "categories" in column:
        description += " " + categories_text(column["categories"])
    field = {"@type": "cr:Field", "@id": f"{name}/{column['name']}", "name": column["name"],
             "description": description,
             "dataType": CROISSANT_TYPES.get(column["type"], "sc:Text"),
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
    _, _, license_url = license_of(project)
    distribution = []
    for name, suffix, path, encoding in _data_files(tables):
        distribution.append({"@type": "cr:FileObject", "@id": path, "name": path,
                             "description": f"{entries[name]['title']} ({suffix[1:]}).", "contentUrl": path,
                             "contentSize": f"{facts[path][0]} B", "encodingFormat": encoding,
                             "sha256": facts[path][1]})
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
                      for source in sources(tables)]
                     + [{"@type": "sc:CreativeWork", "name": o["title"], "url": o["url"], "version": o["version"],
                         "license": o["licence"]} for o in ontology_sources(tables)],
        "distribution": distribution, "recordSet": record_sets,
    }
    return _json(dataset)


def catalogues(tables: dict, facts: dict[str, tuple[int, str]], project: dict) -> dict[str, bytes]:
    """The Data Package and the Croissant of a dataset whose data files are made (``facts``: their sizes
    and SHA-256s)."""
    return {DATAPACKAGE: datapackage_bytes(tables, facts, project), CROISSANT: croissant_bytes(tables, facts, project)}
