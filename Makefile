# Two commands from a fresh clone:  make run  (the main job)  and  make test.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
ARGS ?=

.PHONY: run test install bench clean

$(BIN)/laborshift: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

install: $(BIN)/laborshift

## run the default scenario (baseline, 10,000 workers, 120 months); pass overrides with ARGS="..."
run: install
	$(BIN)/laborshift $(ARGS)

## run the test suite
test: install
	$(BIN)/python -m pytest -q

## benchmark: 10k, 100k and 1M workers, and the idiomatic-Mesa comparison
bench: install
	$(BIN)/python benchmarks/benchmark.py

clean:
	rm -rf $(VENV) .pytest_cache
