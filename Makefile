# The two commands of the README: `make demo` and `make test`.
# Everything installs into .venv; nothing outside the repo is needed for the
# embedded mode (SQLite, eager Celery, database search backend).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install demo test lint format serve

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# The demo account may use the staff console without enrolling a TOTP device.
# Quiet: warnings only in the log; load_demo prints what it loaded, the URL and the
# account. The app demos (chains, needs, talents…) load in the background
# (var/log/demo-apps.log) so the server starts once the patents are searchable.
demo: export DEMO_MODE := true
demo: export ADMIN_REQUIRE_OTP := false
demo: export LOG_LEVEL := WARNING
demo: install
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) manage.py load_demo --apps-in-background --url http://127.0.0.1:8000/
	$(PY) manage.py runserver 127.0.0.1:8000

test: install
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/djlint templates --lint

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .
