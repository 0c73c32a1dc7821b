# Italian auto-industry news pipeline. `make` alone lists the targets.
# Stages are file targets: `make all` rebuilds only what changed since the last run.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
RAW ?= data/raw
OUT ?= data/processed
DB := $(OUT)/news.duckdb
STAMP := $(VENV)/.installed
MANIFEST := $(OUT)/.raw.manifest
export PIPELINE_WORKERS ?=

INGEST_SRC := $(wildcard pipeline/*.py pipeline/ingest/*.py pipeline/text/*.py data/reference/*.yaml)
EXTRACT_SRC := $(wildcard pipeline/extract/*.py pipeline/extract/*/*.py pipeline/engines/*.py data/reference/*/*)
LOAD_SRC := $(wildcard pipeline/load/warehouse.py pipeline/load/catalog.py pipeline/load/fts.py pipeline/load/sqltext.py)
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9]*.ipynb))
REPORTS := $(patsubst notebooks/%.ipynb,reports/%.html,$(NOTEBOOKS))

.PHONY: help all venv build ingest extract load reports docs check test test-fast eval bench fuzz lab clean distclean FORCE

help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN{FS=":.*## "}{printf "  \033[1m%-11s\033[0m %s\n", $$1, $$2}'

all: build docs reports check ## Set up .venv, build every table and news.duckdb from data/raw, render reports

venv: $(STAMP) ## Create .venv and install the package with its dev extras

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,spark]'
	@touch $@

build: $(DB) ## Ingest, extract and load (only the stages whose inputs changed)

# The manifest lists every raw file with size and mtime; it is rewritten only when that list changes,
# so file names with spaces, new files and deleted files all trigger a re-ingest.
$(MANIFEST): FORCE | $(STAMP)
	@mkdir -p $(OUT)
	@find -L $(RAW) -mindepth 1 -printf '%P\t%s\t%T@\n' 2>/dev/null | LC_ALL=C sort > $@.new || true
	@cmp -s $@.new $@ && rm -f $@.new || mv -f $@.new $@

ingest: $(OUT)/articles.parquet ## Raw files -> articles, sentences, rejects

$(OUT)/articles.parquet: $(MANIFEST) $(INGEST_SRC) $(STAMP)
	$(PY) -m pipeline ingest --raw $(RAW) --out $(OUT)

extract: $(OUT)/.extract.done ## articles -> entities, mentions, claims, quantities, time_expressions, claim_threads

$(OUT)/.extract.done: $(OUT)/articles.parquet $(EXTRACT_SRC)
	$(PY) -m pipeline extract --out $(OUT)
	@touch $@

load: $(DB) ## Parquet tables -> news.duckdb (views, macros, full-text index)

$(DB): $(OUT)/.extract.done $(LOAD_SRC) pipeline/schema.py
	$(PY) -m pipeline load --out $(OUT)

docs: docs/data-dictionary.md ## Write the data dictionary from pipeline/schema.py

docs/data-dictionary.md: pipeline/schema.py pipeline/docs.py pipeline/load/catalog.py $(STAMP)
	$(PY) -m pipeline docs --path $@

reports: $(REPORTS) ## Execute every notebook with a real kernel into reports/*.html

reports/%.html: notebooks/%.ipynb $(DB) pipeline/reports.py pipeline/load/queries.py pipeline/load/notebook.py
	$(PY) -m pipeline report --notebook $< --html $@ --db $(DB)

check: $(OUT)/.check.done ## Validate the processed tables (schema, offsets, integrity)

$(OUT)/.check.done: $(DB) pipeline/check.py
	$(PY) -m pipeline check --out $(OUT)
	@touch $@

test: $(STAMP) ## Run the whole test suite (unit, end-to-end, notebooks, browser, Spark)
	$(PY) -m pytest -q -p no:cacheprovider

test-fast: $(STAMP) ## Run the unit tests only (no kernel, browser or Spark)
	$(PY) -m pytest -q -p no:cacheprovider -m "not slow"

EVAL_SETS := $(patsubst eval/%/ann,%,$(wildcard eval/*/ann))

eval: $(STAMP) ## Score the extractors on every annotated set in eval/ (gold = dev set, heldout = untuned test set)
	@set -e; for s in $(EVAL_SETS); do \
	  echo "== eval set: $$s ($$(ls eval/$$s/ann | wc -l) annotated articles)"; \
	  PIPELINE_PROGRESS=0 $(PY) -m pipeline build --raw eval/$$s/raw --out eval/out/$$s --no-load > eval/out-$$s.log 2>&1 || { cat eval/out-$$s.log; exit 1; }; \
	  $(PY) eval/score.py eval/$$s eval/out/$$s --json eval/out/$$s/scores.json; \
	done

bench: $(STAMP) ## Benchmark speed and memory (N=20000 articles by default) -> benchmarks/results.json
	$(PY) benchmarks/bench.py --n $${N:-20000}

lab: $(STAMP) ## Open the project in JupyterLab
	$(VENV)/bin/jupyter lab --notebook-dir=. $$( [ "$$(id -u)" = 0 ] && echo --allow-root )

clean: ## Remove generated data and reports (keeps .venv)
	rm -rf $(OUT)/*.parquet $(OUT)/*/ $(OUT)/news.duckdb* $(OUT)/.[!.]* reports/*.html reports/*.png reports/screenshots eval/out eval/out-*.log

distclean: clean ## Also remove .venv
	rm -rf $(VENV)

FORCE:

fuzz: $(STAMP) ## Fuzz ingest + extraction with atheris (RUNS=100000 by default)
	$(PY) tests/fuzz/fuzz_ingest.py -runs=$${RUNS:-100000} -max_len=4000 -artifact_prefix=/tmp/
