# `make run` and `make test` work on a fresh clone: they create .venv when it is missing.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-fast lint imports bench bench-web clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/backpace serve

# The whole suite on two processes (pytest-xdist): servers use free ports, files live under tmp_path
# and every PostgreSQL test has its own schema, so tests never share state.
test: $(STAMP)
	$(BIN)/python -m pytest -q -n 2

# The daily loop: everything but Chromium, property tests, PostgreSQL and every-vignette replays.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not browser and not slow"

lint: imports
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

# The architecture as a test: the import contracts in pyproject.toml ([tool.importlinter]).
imports: $(STAMP)
	$(BIN)/lint-imports --no-logo

bench: $(STAMP)
	$(BIN)/python bench/assess.py

bench-web: $(STAMP)
	$(BIN)/python bench/web.py

clean:
	rm -rf $(VENV) build src/*.egg-info
