"""Stage 3, publish: validated tables → the dataset's files, as (name, bytes), each made on its own so that
it can be written while the next is made (see :mod:`pipeline.parallel` for doing several at once).

The files: per table its Parquet file, its CSV and its spreadsheet CSV; the ``ner`` view (a Parquet file per
split), the SQLite database, the dataset card, the chart and the build report; then, from the sizes and SHA-256s
of all of those, the catalogues and the MANIFEST.
"""

from __future__ import annotations

from pipeline.manifest import MANIFEST, manifest_bytes
from pipeline.publish.card import CARD, card_bytes
from pipeline.publish.catalogues import catalogues
from pipeline.publish.chart import CHART, chart_png
from pipeline.publish.database import DATABASE, database_bytes
from pipeline.publish.files import csv_pair, file_facts, parquet_bytes
from pipeline.publish.ml import ner_files
from pipeline.publish.report import report_files


def file_jobs(tables: dict, notes: dict | None = None) -> list[tuple[str, str | None]]:
    """The files to make before the catalogues, as jobs (kind, table name or None): "parquet", and "csv"
    (CSV and spreadsheet CSV) per table; the database file, the dataset card, the chart, and with ``notes`` the
    build report."""
    extras = [("ner", None), ("database", None), ("card", None), ("chart", None)]
    extras += [("report", None)] if notes is not None else []
    return [(kind, name) for name in tables for kind in ("parquet", "csv")] + extras


def make_files(tables: dict, job: tuple[str, str | None], project: dict,
               notes: dict | None = None) -> list[tuple[str, bytes, tuple[int, str]]]:
    """The files of one of :func:`file_jobs`, each with its size and SHA-256 (hashed here, on the thread
    that made it)."""
    kind, name = job
    if kind == "parquet":
        files = {f"{name}.parquet": parquet_bytes(name, tables[name])}
    elif kind == "csv":
        files = dict(zip((f"{name}.csv", f"excel/{name}.csv"), csv_pair(tables[name])))
    elif kind == "ner":
        files = ner_files(tables)
    elif kind == "database":
        files = {DATABASE: database_bytes(tables)}
    elif kind == "card":
        files = {CARD: card_bytes(tables, project)}
    elif kind == "chart":
        files = {CHART: chart_png(tables)}
    else:
        files = report_files(tables, notes)
    return [(path, data, file_facts(data)) for path, data in files.items()]


def closing_files(tables: dict, facts: dict[str, tuple[int, str]], project: dict):
    """(name, bytes) of the files made once all the others are (``facts``: their sizes and SHA-256s,
    added to as this goes): the catalogues of :func:`pipeline.publish.catalogues.catalogues`, then the manifest."""
    for path, data in catalogues(tables, facts, project).items():
        facts[path] = file_facts(data)
        yield path, data
    yield MANIFEST, manifest_bytes(facts)


# The file that takes longest to make (SQLite binds and stores every row): where a second core is given, it is
# made beside the others from the start.
SLOWEST = ("database", None)


def render_files(tables: dict, project: dict, notes: dict | None = None, beside=None):
    """Stage 3, one file at a time: (name, bytes) of every output file, each as soon as it is made, so
    that it can be written while the next is made and need not be kept: the files of :func:`file_jobs`
    (``project``: the settings of :func:`pipeline.project.read_project`; ``notes``: what stage 1 reported,
    for the build report), then :func:`closing_files`. ``beside(function, *args)``, where given, starts a call
    beside this one and returns what gives its ``result()``: the slowest file is made so, and still comes in
    its place.
    """
    jobs = file_jobs(tables, notes)
    ahead = beside(make_files, tables, SLOWEST, project, notes) if beside is not None and SLOWEST in jobs else None
    facts: dict[str, tuple[int, str]] = {}
    for job in jobs:
        made = ahead.result() if ahead is not None and job == SLOWEST else make_files(tables, job, project, notes)
        for path, data, fact in made:
            facts[path] = fact
            yield path, data
    yield from closing_files(tables, facts, project)


def render(tables: dict, project: dict, notes: dict | None = None) -> dict[str, bytes]:
    """Stage 3: every output file's name and bytes (see :func:`render_files`)."""
    return dict(render_files(tables, project, notes))
