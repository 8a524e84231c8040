# The archive's commands. `make run` serves it, `make test` tests it; both set up what they need on first use.
# `make help` lists the targets: each documented by a `## target: text` comment above it.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 4
BENCH_N ?= 20000

.DEFAULT_GOAL := help
.PHONY: help run serve deps lint test test-sqlite test-postgres test-quick bench bench-ranking load screenshots \
	clean clean-data

## help: this list
help:
	@awk '/^## [a-z-]+:/ { name = $$2; sub(/:$$/, "", name); sub(/^## [a-z-]+: */, ""); printf "  %-14s %s\n", name, $$0; next } \
	     /^## / { sub(/^## /, ""); printf "  %-14s %s\n", "", $$0 }' $(firstword $(MAKEFILE_LIST))

# The virtualenv is made once; a changed requirements.txt installs into the same one.
$(VENV)/installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

## run: install, migrate, ingest seeds/, index, and serve on http://127.0.0.1:8000 (development: debug on)
run: $(VENV)/installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py ingest seeds/
	$(PY) manage.py ensure_index
	ARCHIVE_DEBUG=true $(PY) manage.py runserver --noreload $(HOST):$(PORT)

## serve: the production server: migrate, collect static files, index if needed, then gunicorn with
## WORKERS (4) workers on HOST:PORT; set ARCHIVE_SECRET_KEY, ARCHIVE_ALLOWED_HOSTS, ARCHIVE_HTTPS (README)
serve: $(VENV)/installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py ensure_index
	$(VENV)/bin/gunicorn archive.wsgi:application --workers $(WORKERS) --bind $(HOST):$(PORT) --access-logfile -

## deps: the Debian packages the tests need (chromium, default-jre-headless, postgresql, npm,
## fonts-dejavu-core): installs the missing ones if this user may (root, or sudo without a password),
## else names them and fails
deps:
	.ci/system-deps

# Node tools for the page tests (axe-core, the Nu HTML checker), pinned in tests/browser/package-lock.json.
# --ignore-scripts: vnu-jar's install script would download a Java runtime; the machine's java is used.
NODE_TOOLS := tests/browser/node_modules/.installed
$(NODE_TOOLS): tests/browser/package.json tests/browser/package-lock.json | deps
	npm ci --prefix tests/browser --ignore-scripts --no-audit --no-fund
	touch $@

## lint: ruff check . (the rules are in pyproject.toml)
lint: $(VENV)/installed
	$(VENV)/bin/ruff check .

# A test that cannot run (no browser, no PostgreSQL server) fails these runs instead of skipping: tests/strictness.py.
test-sqlite test-postgres: export ARCHIVE_STRICT_TESTS := 1

## test: lint, then the whole suite (unit, integration, browser) on SQLite, then again on PostgreSQL;
## installs what it needs (make deps) and fails if any test cannot run
test: lint test-sqlite test-postgres

## test-sqlite: the whole suite on SQLite, strict as make test; PYTEST_ARGS="-k upload -x" for pytest
test-sqlite: deps $(VENV)/installed $(NODE_TOOLS)
	$(PY) -m pytest $(PYTEST_ARGS)

## test-postgres: the whole suite against a throw-away PostgreSQL server (Debian's), strict as make test
test-postgres: deps $(VENV)/installed $(NODE_TOOLS)
	$(PY) -m tests.postgres_server $(PYTEST_ARGS)

## test-quick: lint, then the suite on SQLite without the browser tests and PostgreSQL; skips allowed
test-quick: lint
	$(PY) -m pytest --ignore=tests/browser --ignore=tests/test_postgres.py $(PYTEST_ARGS)

## bench: BENCH_N generated reports (default 20000): ingest, rebuild_index, index size, search latency
## over HTTP against gunicorn, time to a searchable new report, RSS per worker; beside SQLite FTS5; then the
## time and peak memory of exporting every report as CSV (bench/export.py). BENCH_OUT=file.json writes JSON too;
## then bench/serving.py: ingest while the server serves, two mixes of costly queries, each worker's memory
bench: $(VENV)/installed
	$(PY) bench/run.py --n $(BENCH_N) $(if $(BENCH_OUT),--out $(BENCH_OUT))
	$(PY) bench/serving.py --n $(BENCH_N)

## bench-ranking: ranking on Cranfield (../shared/ir/cranfield) and CACM (bench/collections/cacm), beside SQLite FTS5 BM25
bench-ranking: $(VENV)/installed
	$(PY) bench/ranking.py $(BENCH_ARGS)

## load: the production server searched while concurrent ingests write and one is killed (bench/load.py)
load: $(VENV)/installed
	$(PY) bench/load.py $(LOAD_ARGS)

## screenshots: home, search (timeline, map), article, coverage and help pages at 1280 and 375 px, into ./screenshots/
screenshots: $(VENV)/installed
	$(PY) -m tests.browser.screenshots screenshots

## clean: delete what setup and tests made (.venv, the node tools, caches); keeps var/, the archive's data
clean:
	rm -rf $(VENV) tests/browser/node_modules .pytest_cache .ruff_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
	@echo "Kept var/ (database, search index, uploads, secret key): make clean-data deletes it, after asking."

## clean-data: delete var/, the archive's data (database, search index, uploads, secret key), after asking
clean-data:
	@printf 'Delete var/: the database, the search index, the uploads and the secret key? Type "delete": '; \
	read answer && [ "$$answer" = delete ] && rm -rf var && echo "Deleted var/." || { echo "Kept var/."; exit 1; }
