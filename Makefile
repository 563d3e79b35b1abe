# The two commands that matter: `make run` and `make test`. Both set everything up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
DEV_ENV := DEBUG=true
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help install run migrate seed test test-all lint format ci vendor clean bench

help:
	@echo "make run    set up, migrate, load demo data and serve on http://127.0.0.1:$(PORT)"
	@echo "make test   set up and run the unit and functional tests (SQLite)"
	@echo "make lint   ruff, mypy, bandit, check --deploy, makemigrations --check"
	@echo "make test-all  the whole suite, integration and browser tests included; set"
	@echo "               DATABASE_URL (PostgreSQL) and REDIS_URL first, as .ci/run does"
	@echo "make format make vendor make clean"
	@echo "make ci     what CI runs (.ci/run): PostgreSQL, Redis, Celery and Chromium too"
	@echo "make bench  performance figures on PostgreSQL (docs/performance.md); BENCH_QUICK=1 is shorter"

$(BIN)/activate:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is needed"'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

migrate: install
	$(DEV_ENV) $(PY) manage.py migrate --noinput
	$(DEV_ENV) $(PY) manage.py createcachetable

seed: migrate
	$(DEV_ENV) $(PY) manage.py seed_demo

# Web, Celery worker and Celery beat together; Ctrl+C stops all three.
run: seed
	PATH="$(abspath $(BIN)):$$PATH" $(DEV_ENV) PORT=$(PORT) $(BIN)/honcho --env /dev/null --procfile Procfile.dev start

# One worker per CPU (pytest-xdist): each has its own test database.
test: install
	$(PY) -m pytest -m "not integration and not browser" -q -n auto

# The whole suite, integration and browser tests included: they need DATABASE_URL pointing at
# PostgreSQL and REDIS_URL at Redis, and fail without them (see .ci/run).
test-all: install
	$(PY) -m pytest -q

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/bandit -c pyproject.toml -r . -q
	DEBUG=false SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" ALLOWED_HOSTS=mecc.example \
		FIELD_ENCRYPTION_KEY="$$($(PY) -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')" \
		$(PY) manage.py check --deploy --fail-level WARNING
	$(DEV_ENV) $(PY) manage.py makemigrations --check --dry-run

ci:
	bash .ci/run

# Builds its own PostgreSQL databases (mecc_bench_*), serves them with gunicorn on loopback and
# writes var/bench/latest.json. Not a test: `make test` never runs it. See docs/performance.md.
bench: install
	$(PY) -m bench

vendor:
	cd frontend && bash build.sh

clean:
	rm -rf $(VENV) var staticfiles db.sqlite3*
