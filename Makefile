# A4P+ Monitor — the README's commands. `make run` serves the demo; `make test` runs the tests.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run setup test test-fast test-browser lint format messages bench bench-reports \
	bench-dashboards bench-registers clean

$(BIN)/activate:
	$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "A4P+ Monitor needs Python 3.11")'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.lock pyproject.toml | $(BIN)/activate
	$(BIN)/python -m pip install --quiet --require-virtualenv -r requirements.lock
	$(BIN)/python -m pip install --quiet --require-virtualenv --no-deps -e .
	touch $@

setup: $(VENV)/.installed

# Create the environment, migrate the embedded SQLite database, load the plan, the reference
# data and the demo users (printing their log-ins), and serve on http://127.0.0.1:8000.
run: setup
	A4P_DEMO=true $(BIN)/a4p demo
	$(BIN)/a4p runserver $(HOST):$(PORT)

# Test workers: one per core (pytest-xdist); TEST_WORKERS=0 runs in one process.
TEST_WORKERS ?= auto

# The whole suite, browser tests included.
test: setup
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile

# Everything but the browser tests and the whole-demo builds.
test-fast: setup
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile -m "not browser and not slow"

test-browser: setup
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile -m browser

# ruff, mypy, and the import contracts (the apps' dependency order, docs/architecture.md).
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/lint-imports

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Refresh the French catalogue from the code (needs GNU gettext), then compile it.
messages: setup
	$(BIN)/a4p makemessages --locale fr --ignore ".venv/*" --ignore "var/*" --ignore "tests/*" \
		--ignore "bench/*" --no-obsolete
	$(BIN)/a4p compilemessages --locale fr --ignore ".venv/*"

bench: setup
	$(BIN)/python -m bench.run

bench-reports: setup
	$(BIN)/python -m bench.reports

# SQLite by default; A4P_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_dash for PostgreSQL.
bench-dashboards: setup
	$(BIN)/python -m bench.dashboards

bench-registers: setup
	$(BIN)/python -m bench.registers

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache *.egg-info
