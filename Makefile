# Everything a newcomer needs: `make run` and `make test` build the environment themselves.
PYTHON ?= python3
# `make run PORT=8001` when 8000 is taken.
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
# Reinstall only when the declared dependencies change.
STAMP := $(VENV)/.installed

.PHONY: run test lint format migrations-check demo venv screenshots backup restore

venv: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

demo: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo

test: $(STAMP)
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: $(STAMP)
	$(PY) manage.py makemigrations --check --dry-run

# Clinic data (staff, patients, clinical records, audit trail) as JSON, one file per run.
BACKUP_DIR ?= backups
backup: $(STAMP)
	mkdir -p -m 700 $(BACKUP_DIR)
	$(PY) manage.py backup --output $(BACKUP_DIR)/needletrack-$$(date -u +%Y%m%dT%H%M%SZ).json

# Into an empty, migrated database only: `make restore FILE=backups/needletrack-....json`.
restore: $(STAMP)
	@test -n "$(FILE)" || (echo "usage: make restore FILE=backups/needletrack-....json" && exit 2)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py restore $(FILE)

# Re-takes docs/screenshots/ from the browser tests (needs Debian's chromium).
screenshots: $(STAMP)
	NEEDLETRACK_SCREENSHOTS=docs/screenshots NEEDLETRACK_REQUIRE_BROWSER=1 $(BIN)/pytest tests/e2e
