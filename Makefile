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
RAW := $(filter-out raw/README.md,$(wildcard raw/*.txt raw/*.md raw/*.markdown raw/*.html raw/*.htm))
# The code that makes the dataset: every module of the two packages (pipeline.fingerprint lists the same
# files for the caches' keys; tests/test_makefile.py checks that the two agree).
CODE := $(wildcard pipeline/*.py pipeline/*/*.py schemas/*.py)
# pytest exits 5 when it collected no test: say so, and fail.
PYTEST = $(PY) -m pytest $(1) || { status=$$?; [ $$status -eq 5 ] && echo "make: pytest collected no tests" >&2; exit $$status; }

.PHONY: all test test-all score bench help clean

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
output/MANIFEST: raw $(RAW) $(CODE) pyproject.toml $(ENV)
	$(PIPELINE) build --raw-dir raw --out-dir $(@D) --report build/validation_report.csv --quiet

# The stages one at a time, each writing its tables (Parquet) for inspection; the dataset does not need them.
build/extracted/stage.json: raw $(RAW) $(CODE) $(ENV) ## Stage 1 alone: the extracted tables
	$(PIPELINE) extract --raw-dir raw --out-dir $(@D) --quiet

build/validated/stage.json: build/extracted/stage.json $(RAW) $(CODE) ## Stage 2 alone: the validated tables
	$(PIPELINE) validate --in-dir $(<D) --raw-dir raw --out-dir $(@D) --report build/validation_report.csv

test: $(ENV) ## Run the fast tests (what to run while working; under a minute)
	$(call PYTEST,-m "not slow")

test-all: $(ENV) ## Run every test, the slow ones too (what CI runs)
	$(call PYTEST,)

score: $(ENV) ## Print the scores of the rules on the test articles (precision, recall, F1 per table)
	$(PY) -m tests.scoring

bench: $(ENV) ## Time the build (see benchmarks/) and print the figures
	$(PY) benchmarks/bench.py

clean: ## Remove the build folder and the environment (output/ is kept: it is committed)
	rm -rf build $(VENV)

help: ## List the targets
	@grep -E '^[a-z/._-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{ printf "  make %-28s %s\n", $$1, $$2 }'
