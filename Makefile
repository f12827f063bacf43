# The two commands of README.md: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin

.PHONY: install install-dev system-deps run test test-fast gates bench bench-rush clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

install: system-deps $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .

# Pango/HarfBuzz and fonts for the PDF receipts (WeasyPrint); apt-get installs what is missing.
system-deps:
	./scripts/system-deps

install-dev: install
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt

run: install
	./scripts/run

test: install-dev
	./scripts/browser-deps
	./scripts/test

# lint, format, layers, types (a ratchet), migrations: scripts/test runs them first too
gates: install-dev
	./scripts/gates

# The fast lane for development: SQLite only, without the browser tests (CI runs everything).
test-fast: install-dev
	env -u DATABASE_URL $(BIN)/python -m pytest -n "$${TEST_WORKERS:-2}" -m "not browser"

bench: install-dev
	$(BIN)/python bench/rule_engine.py

# Deadline day (bench/rush.py): N signed drafts submitted through gunicorn by C clients, against the
# ceilings; needs PostgreSQL on 127.0.0.1:5432. `make bench-rush RUSH_ARGS="--orgs 200 --clients 20"`.
bench-rush: install-dev
	$(BIN)/python bench/rush.py $(RUSH_ARGS)

clean:
	rm -rf $(VENV) var
