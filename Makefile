# The two commands of the README: `make run` and `make test`. Everything else is a helper of those.
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PYTHON ?= python3
HOST ?= 127.0.0.1:8000

.PHONY: run test install install-dev migrate seed lint messages worker beat bench-engine

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip "setuptools<81" wheel
	# XStatic-Bootstrap ships only an sdist whose setup.py needs pkg_resources (gone in setuptools 81).
	$(PIP) install -q --no-build-isolation "XStatic-Bootstrap>=5.3"
	$(PIP) install -q -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(PIP) install -q -e ".[dev]"
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

migrate: install
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py load_catalogue
	$(PY) manage.py seed_demo

## Run the portal with demo data on SQLite, tasks in-process, at http://$(HOST)/
run: seed
	@echo "Open http://$(HOST)/ (Korean) or http://$(HOST)/en/ (English); admin at /admin/"
	$(PY) manage.py runserver $(HOST)

## Run the whole test suite (PostgreSQL/Redis when DATABASE_URL/REDIS_URL are set, else SQLite)
test: install-dev
	$(VENV)/bin/pytest

lint: install-dev
	$(VENV)/bin/ruff check .

messages: install-dev
	$(PY) manage.py makemessages -l ko --no-obsolete --ignore=.venv --ignore=eligibility/engine --ignore=tests --ignore=scripts --ignore=locale
	$(PY) scripts/translations_ko.py

worker: install
	$(VENV)/bin/celery -A config worker -l info -c 2

beat: install
	$(VENV)/bin/celery -A config beat -l info

bench-engine: install
	$(PY) manage.py bench_engine --households 1000000
