# The archive's commands. `make run` serves it, `make test` tests it; both set up .venv on first use.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 4
BENCH_N ?= 20000

.PHONY: run serve test test-sqlite test-postgres bench bench-ranking load screenshots clean

$(VENV)/installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

## run: install, migrate, ingest seeds/, index, and serve on http://127.0.0.1:8000 (development: debug on)
run: $(VENV)/installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py ingest seeds/
	$(PY) manage.py ensure_index
	ARCHIVE_DEBUG=true $(PY) manage.py runserver --noreload $(HOST):$(PORT)

## serve: the production server: migrate, collect static files, index if needed, gunicorn with $(WORKERS) workers
## on $(HOST):$(PORT). Configure it with ARCHIVE_SECRET_KEY, ARCHIVE_ALLOWED_HOSTS, ARCHIVE_HTTPS (see the README).
serve: $(VENV)/installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py ensure_index
	$(VENV)/bin/gunicorn archive.wsgi:application --workers $(WORKERS) --bind $(HOST):$(PORT) --access-logfile -

# Node tools for the page tests (axe-core, the Nu HTML checker), pinned in tests/browser/package-lock.json.
# --ignore-scripts: vnu-jar's install script would download a Java runtime; the machine's java is used.
NODE_TOOLS := tests/browser/node_modules/.installed
$(NODE_TOOLS): tests/browser/package.json tests/browser/package-lock.json
	npm ci --prefix tests/browser --ignore-scripts --no-audit --no-fund
	touch $@

## test: the whole suite (unit, integration and browser tests) on SQLite, then again on PostgreSQL
test: test-sqlite test-postgres

test-sqlite: $(VENV)/installed $(NODE_TOOLS)
	$(PY) -m pytest

## test-postgres: the whole suite against a throw-away Debian PostgreSQL server (skipped if not installed, except in CI)
test-postgres: $(VENV)/installed $(NODE_TOOLS)
	$(PY) -m tests.postgres_server

## bench: BENCH_N generated reports (default 20000): ingest, rebuild_index, index size, search latency over HTTP
## against gunicorn, time to a searchable new report, RSS per worker; beside SQLite FTS5. BENCH_OUT=file.json
bench: $(VENV)/installed
	$(PY) bench/run.py --n $(BENCH_N) $(if $(BENCH_OUT),--out $(BENCH_OUT))

## bench-ranking: ranking on the Cranfield collection (../shared/ir/cranfield), the archive beside SQLite FTS5 BM25
bench-ranking: $(VENV)/installed
	$(PY) bench/cranfield.py $(BENCH_ARGS)

## load: the production server searched while concurrent ingests write and one is killed (bench/load.py)
load: $(VENV)/installed
	$(PY) bench/load.py $(LOAD_ARGS)

## screenshots: home, search (timeline, map), article, coverage and help pages at 1280 and 375 px, into ./screenshots/
screenshots: $(VENV)/installed
	$(PY) -m tests.browser.screenshots screenshots

clean:
	rm -rf $(VENV) var
