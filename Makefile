# The two commands a newcomer needs: `make serve` builds the catalogue from content/ and serves
# it on http://127.0.0.1:8000; `make test` installs what the tests need and runs them.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup serve build test test-deps clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test,bench]'
	touch $(STAMP)

setup: $(STAMP)

build: setup
	$(BIN)/portal build --output output

serve: setup
	$(BIN)/portal serve --output output --host 127.0.0.1 --port 8000

test-deps: setup
	bash scripts/install-test-deps

test: test-deps
	$(BIN)/python -m pytest

clean:
	rm -rf output .pytest_cache
