# Letterpress: the two commands are `make build` and `make test`.
# Each sets up .venv from the pinned requirements on first use (and again when they change).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: build test serve publish clean lint requirements

build: $(VENV)/.runtime
	$(BIN)/invoke build
	@echo "The site is in $(CURDIR)/output/ (open output/index.html, or run 'make serve')."

test: $(VENV)/.dev node_modules/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	# The types, at the strictness [tool.mypy] in pyproject.toml states (docs/architecture.md).
	$(BIN)/mypy
	# One worker per core (pytest-xdist): each builds the sample site once for its tests.
	$(BIN)/pytest -n auto

lint: $(VENV)/.dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# make serve PORT=8010 when port 8000 is taken; the inbox's port is dev_inbox_url in
# letterpress.toml, so every build, in any terminal, aims the forms where it listens.
PORT ?= 8000
serve: $(VENV)/.runtime
	$(BIN)/invoke serve --port $(PORT)

publish: $(VENV)/.runtime
	$(BIN)/invoke publish

clean:
	rm -rf output build .pytest_cache .mypy_cache

# The pins, written from pyproject.toml by pip-compile (docs/architecture.md, "Dependencies and
# types"; it reads the package index):
# every extra first, then the runtime and the preview's subsets held to the same versions.
# make requirements UPGRADE="--upgrade-package stripe" (or UPGRADE=--upgrade) to move pins on.
PIP_COMPILE := CUSTOM_COMPILE_COMMAND="make requirements" $(BIN)/pip-compile --quiet \
	--strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links
requirements: $(VENV)/.dev
	$(PIP_COMPILE) $(UPGRADE) --all-extras -o requirements-dev.txt pyproject.toml
	$(PIP_COMPILE) -c requirements-dev.txt -o requirements.txt pyproject.toml
	$(PIP_COMPILE) -c requirements-dev.txt --extra preview -o requirements-preview.txt pyproject.toml

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime: requirements.txt | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(VENV)/.runtime $@

# The validators (Nu HTML Checker, axe-core) come from npm; without npm the tests that need them skip,
# except under CI, where .ci/run installs Node first.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: HTML validation and accessibility tests will skip (apt-get install nodejs npm)"; fi
