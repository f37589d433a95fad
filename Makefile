# Quick start: `make run` (serve on http://127.0.0.1:8000) and `make test`.
# Needs only Python 3.11+ and make. Without DATABASE_URL an embedded PostgreSQL
# under var/ is started on demand and reused.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test test-fast gates fuzz lint format db-stop browser clean messages

# Reinstall only when pyproject.toml changed.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

run: export DJANGO_SETTINGS_MODULE = config.settings.local
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_reference_data
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@echo "Serving on http://$(HOST):$(PORT)/ (Ctrl-C to stop)"
	DEBUG=$${DEBUG:-False} $(BIN)/gunicorn config.wsgi_local:application \
		--bind $(HOST):$(PORT) --workers $${WEB_WORKERS:-2} --graceful-timeout 5 \
		--access-logfile -

# Tests run in TEST_WORKERS processes (pytest-xdist; 0 = one process), each on
# its own copy of the migrated test database (docs/testing.md).
TEST_WORKERS ?= 2
PYTEST := DJANGO_SETTINGS_MODULE=config.settings.test GATES=1 $(BIN)/python -m pytest -n $(TEST_WORKERS)

# The whole suite with the gates: the access matrix and the number scan
# (GATES=1 switches the scan on for every test). The schema fuzzing gate (marker
# `fuzz`) is left out until it passes (issue 11; `make fuzz` runs it); then
# MARKERS becomes empty. A lane: make test MARKERS='not fuzz and not federation'.
MARKERS ?= not fuzz
test: install
	$(PYTEST) -m "$(MARKERS)" $(PYTEST_ARGS)

# The inner loop: without the two-instance, browser, slow and fuzzing tests.
test-fast: install
	$(PYTEST) -m "not fuzz and not federation and not browser and not slow" $(PYTEST_ARGS)

# The generated gates: access matrix, schema fuzzing, the number scan.
gates: install
	DJANGO_SETTINGS_MODULE=config.settings.test GATES=1 $(BIN)/python -m pytest tests/gates $(PYTEST_ARGS)

# The schema fuzzing gate, deeper than in `make test`: 200 examples per API
# operation and caller (GATES_FUZZ_EXAMPLES to change it). See docs/testing.md.
fuzz: install
	DJANGO_SETTINGS_MODULE=config.settings.test GATES=1 GATES_FUZZ_EXAMPLES=$${GATES_FUZZ_EXAMPLES:-200} \
		$(BIN)/python -m pytest tests/gates/test_schema_fuzz.py $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Debian's chromium for the browser tests (tests/browser); needs root or sudo.
browser:
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)

db-stop: install
	$(BIN)/python -m config.embedded_db stop

clean: db-stop
	rm -rf var/static

# Refresh the zh_Hans catalogue after changing English msgids; commit the .po and .mo.
messages: install
	$(BIN)/python manage.py makemessages -l zh_Hans --no-obsolete -i ".venv/*" -i "var/*" -i "tests/*" -i "bench/*"
	$(BIN)/python manage.py compilemessages -l zh_Hans -i .venv -i var
