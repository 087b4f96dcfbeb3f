# carnet: `make run` serves the API on SQLite; `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# Reinstall when the project's dependencies change.
STAMP_RUN := $(VENV)/.installed-run
STAMP_TEST := $(VENV)/.installed-test
LINTED := src tests $(wildcard bench)
# Tests run in 3 processes: many wait on servers and databases, so 2 cores keep up.
PYTEST_ARGS ?= -n 3

.PHONY: run test lint bench bench-quick screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP_RUN): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(STAMP_TEST): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(STAMP_RUN)

run: $(STAMP_RUN)
	$(BIN)/carnet serve

lint: $(STAMP_TEST)
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)
	$(BIN)/mypy

# Debian packages the tests drive (chromium, nginx), installed when missing.
system-packages:
	bash tests/install-system-packages.sh

test: lint system-packages
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The README's pictures of the dashboard, taken again by the browser tests.
screenshots: system-packages
	CARNET_SCREENSHOTS=1 $(BIN)/python -m pytest $(PYTEST_ARGS) tests/web

# Every goal beside its baseline, then carnet beside the limit apps (3 runs of 5 s).
bench: $(STAMP_TEST)
	$(BIN)/python -m bench
	$(BIN)/python -m bench.limits_run

# carnet beside the limit apps (bench/limit_apps), 3 alternating runs of 3 s each.
bench-quick: $(STAMP_TEST)
	$(BIN)/python -m bench.limits_run --quick

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
