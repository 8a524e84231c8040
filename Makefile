# The archive's commands. `make run` serves it, `make test` tests it; both set up .venv on first use.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test bench screenshots check clean

$(VENV)/installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

## run: install, migrate, ingest seeds/, index, and serve on http://127.0.0.1:8000
run: $(VENV)/installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py ingest seeds/
	$(PY) manage.py ensure_index
	$(PY) manage.py runserver --noreload $(HOST):$(PORT)

## test: the whole suite (unit, integration and browser tests)
test: $(VENV)/installed
	$(PY) -m pytest

## bench: ranking on the Cranfield collection (../shared/ir/cranfield), the archive beside SQLite FTS5 BM25
bench: $(VENV)/installed
	$(PY) bench/cranfield.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var
