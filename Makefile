# Two commands from a fresh clone:  make run  (the main job)  and  make test.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
ARGS ?=

.PHONY: run run-one test install install-test bench clean explore golden docs

# two install levels, each marked by a stamp file: the package alone (what `make run` needs), and the test stack
# (pytest, the explorer and its browser test, Ray, notebooks: what `make test` needs); the explorer has its own
RUN_STAMP := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test
EXPLORE_STAMP := $(VENV)/.installed-explorer

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@ $(RUN_STAMP)

$(EXPLORE_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[explorer]"
	touch $@ $(RUN_STAMP)

install: $(RUN_STAMP)

install-test: $(TEST_STAMP)

## the main job: compare all seven scenarios (10 replications x 10,000 workers x 120 months) and write the report;
## pass overrides with ARGS="...", e.g. ARGS="scenarios=[baseline,retraining_push] replications=20"
run: install
	$(BIN)/laborshift-compare $(ARGS)

## run one scenario (baseline by default); pass overrides with ARGS="..."
run-one: install
	$(BIN)/laborshift $(ARGS)

## run the test suite and execute every notebook (nbmake, with the venv's python3 kernel), on 2 workers
## (pytest-xdist; a file runs whole on one worker, slowest files first, see tests/conftest.py)
test: install-test
	$(BIN)/python -m pytest -q -n 2 --dist loadfile --no-loadscope-reorder --nbmake --nbmake-timeout=600 tests notebooks

## the interactive explorer on http://127.0.0.1:8765 (Ctrl-C to stop); PORT=... to change
explore: $(EXPLORE_STAMP)
	$(BIN)/laborshift-explore --port $(or $(PORT),8765)

## regenerate the golden reference tables (tests/golden/) after a change meant to move the model's outputs
golden: install
	$(BIN)/python scripts/golden.py

## regenerate every generated page after a change meant to move the model's outputs: docs/PARAMETERS.md and
## OUTPUTS.md's column tables, then the validation pages of both profiles and of the two regions (with their figures,
## docs/VALIDATION.md and the README's China block); 8-11 minutes on 2 cores. On an unchanged model only the
## pages' run times change.
docs: install
	$(BIN)/python scripts/gen_docs.py
	$(BIN)/laborshift-validate
	$(BIN)/laborshift-validate profile=us
	$(BIN)/laborshift-validate regions=china_us

## benchmark: 10k, 100k and 1M workers, and the idiomatic-Mesa comparison
bench: install
	$(BIN)/python benchmarks/benchmark.py

clean:
	rm -rf $(VENV) .pytest_cache
