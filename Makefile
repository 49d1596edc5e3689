# The first two commands a new user types: `make demo` and `make test`.
PY      := .venv/bin/python
PIP     := .venv/bin/pip
MANAGE  := $(PY) manage.py
PG_URL  ?= postgres://postgres@127.0.0.1:5432/paracover
DEMO_ENV := DEBUG=1 CELERY_TASK_ALWAYS_EAGER=1 SECURE_COOKIES=0
DEMO_DIR := var/demo-bundle
DEMO_SEED ?= 7
DEMO_WEEK ?= 2026-11-23

.PHONY: venv demo test lint check-migrations bench clean

.venv/installed: requirements.txt requirements-dev.txt
	python3.11 -m venv .venv || python3 -m venv .venv
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -r requirements-dev.txt
	$(PY) -c "import ortools.graph.python.min_cost_flow, highspy; highspy.Highs()"
	touch $@

venv: .venv/installed

# Embedded demo: SQLite and eager Celery unless DATABASE_URL is set.
demo: venv
	mkdir -p var
	$(DEMO_ENV) $(MANAGE) migrate --noinput -v0
	rm -rf $(DEMO_DIR)
	$(DEMO_ENV) $(MANAGE) generate_district $(DEMO_DIR) --size small --seed $(DEMO_SEED) --code DEMO --week $(DEMO_WEEK)
	$(DEMO_ENV) $(MANAGE) import_district $(DEMO_DIR)
	$(DEMO_ENV) $(MANAGE) allocate --district DEMO --week $(DEMO_WEEK)
	$(DEMO_ENV) $(MANAGE) demo_setup --district DEMO
	$(DEMO_ENV) $(MANAGE) record_absence --district DEMO --aide A00040 --date 2026-11-24 --reason "called in sick at 6:40"
	for day in 23 24 25 26 27; do $(DEMO_ENV) $(MANAGE) close_day --district DEMO --date 2026-11-$$day; done
	$(DEMO_ENV) $(MANAGE) runserver 127.0.0.1:8000

test: venv
	psql "$(PG_URL)" -c "select 1" >/dev/null 2>&1 || psql "$(dir $(PG_URL))postgres" -c "create database $(notdir $(PG_URL))"
	$(MAKE) lint check-migrations
	DATABASE_URL=$(PG_URL) $(PY) -m pytest

lint: venv
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	DEBUG=1 .venv/bin/mypy .
	.venv/bin/lint-imports

check-migrations: venv
	DEBUG=1 DATABASE_URL=$(PG_URL) $(MANAGE) makemigrations --check --dry-run

bench: venv
	DATABASE_URL=$(PG_URL) $(PY) bench/import_district.py
	DATABASE_URL=$(PG_URL) $(PY) bench/allocate.py

clean:
	rm -rf .venv var
