# Everything a newcomer runs. `make demo` and `make test` do all the set-up they need.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
# Looked up only when the virtual environment is first made.
PYTHON = $(shell scripts/find-python)
export UV_PYTHON_DOWNLOADS := never
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: demo test install assets lint format check lock bench clean

demo: install assets
	$(PY) manage.py migrate --verbosity 0
	$(PY) manage.py seed_demo
	scripts/run-demo

test: install assets
	npm test --silent
	$(PY) -m pytest -n 2 --dist loadfile $(PYTEST_ARGS)

check: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) scripts/check_views_query_through_practice.py
	$(PY) scripts/check_app_imports.py
	npm run --silent lint

lint: check

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
	npm run --silent format

install: $(VENV)/.installed node_modules/.installed var

# The demo's SQLite database, screenshots from the browser tests, CI's logs.
var:
	mkdir -p var

$(VENV)/.installed: pyproject.toml uv.lock
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is needed." >&2; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check uv==0.13.8
	$(VENV)/bin/uv sync --frozen --quiet --python $(PY)
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

assets: build/assets/css/main.css

build/assets/css/main.css: node_modules/.installed frontend/build.mjs $(wildcard frontend/scss/*.scss frontend/js/*.mjs frontend/js/*/*.mjs)
	npm run --silent build

lock:
	$(VENV)/bin/uv lock

bench: install assets
	$(PY) bench/run_all.py

clean:
	rm -rf $(VENV) node_modules build var
