VENV := .venv
BIN := $(VENV)/bin
BASE_STAMP := $(VENV)/.base-stamp
STAMP := $(VENV)/.installed-stamp

.PHONY: help demo test lint format bench docs clean

help:  ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-8s %s\n", $$1, $$2}'

# The demo needs the package alone; the tests add the dev tools, Spark (pyspark is most of
# the venv's size and install time), the lakehouse and the database readers.
$(BASE_STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $(BASE_STAMP)

$(STAMP): $(BASE_STAMP)
	$(BIN)/pip install --quiet -e '.[dev,spark,lake,sql]'
	touch $(STAMP)

demo: $(BASE_STAMP)  ## set up .venv (the package alone) and run engagement on sample_data/
	$(BIN)/csmetrics engagement --config sample_data/csmetrics.toml

# Two pytest workers (pytest-xdist; this machine has two cores): 10.3 min instead of 12.9 for
# the suite on 2026-12-03. Keeping every Spark test on one worker (one JVM) was slower, 11.1 min:
# the Spark tests alone are the longest path. Also tried on 2026-12-03 (whole suite, same
# machine): --dist loadscope 12.3 min against 12.5 (its imbalance ate the Connect server it
# saved starting twice), -n 3 over 13 min. (--dist loadgroup does nothing with pytest 9.2:
# xdist 3.8 renames the item's _nodeid, which pytest 9.2 no longer reads.)
test: $(STAMP)  ## set up .venv, then ruff, mypy, the import contracts and the whole test suite
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/pytest -n 2 --durations=15

lint: $(STAMP)  ## ruff check, format check, mypy and the import contracts only
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

format: $(STAMP)  ## apply ruff fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(STAMP)  ## 1M and 20M events: csmetrics vs the DuckDB reference (slow; not in test)
	$(BIN)/python bench/run.py

docs: $(STAMP)  ## regenerate the reference pages from the code, then build the site into site/
	$(BIN)/python -m csmetrics.cli.reference docs
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet

clean:  ## remove the venv and caches
	rm -rf $(VENV) .pytest_cache .ruff_cache bench/data site
