# A4P+ Monitor — the README's commands. `make run` serves the demo; `make test` runs the tests.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run setup lock audit test test-fast test-browser lint format messages bench bench-reports \
	bench-dashboards bench-registers bench-api clean

$(BIN)/activate:
	$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "A4P+ Monitor needs Python 3.11")'
	$(PYTHON) -m venv $(VENV)

# Development and tests install the dev lock (the runtime lock plus the `dev` extra: pytest,
# ruff, mypy, playwright...). Production installs the runtime lock only:
#   pip install -r requirements.lock && pip install --no-deps .
# Both locks carry hashes, so pip checks every file it installs (hash-checking mode); a PyPI
# mirror must serve PyPI's own files for their hashes to match.
$(VENV)/.installed: requirements.lock requirements-dev.lock pyproject.toml | $(BIN)/activate
	$(BIN)/python -m pip install --quiet --require-virtualenv -r requirements-dev.lock
	$(BIN)/python -m pip install --quiet --require-virtualenv --no-deps -e .
	touch $@

setup: $(VENV)/.installed

# Tools that are not the application's dependencies (the lock compiler, the auditor) live in a
# venv of their own, at pinned versions, so they never enter either lock.
TOOLS := .venv-tools
PIP_TOOLS_VERSION := 7.7.0
PIP_AUDIT_VERSION := 2.10.1

$(TOOLS)/.pip-tools-$(PIP_TOOLS_VERSION):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --require-virtualenv pip-tools==$(PIP_TOOLS_VERSION)
	touch $@

$(TOOLS)/.pip-audit-$(PIP_AUDIT_VERSION):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --require-virtualenv pip-audit==$(PIP_AUDIT_VERSION)
	touch $@

# Rewrite both locks from pyproject.toml: requirements.lock (the runtime dependencies: what
# production installs) and requirements-dev.lock (the same pins plus the `dev` extra; the runtime
# lock is its constraint, so a package has one version in both). Pins already in a lock are kept;
# `make lock UPGRADE=1` moves every package to its newest release allowed by pyproject.toml.
LOCK_FLAGS := --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url \
	--no-emit-find-links $(if $(UPGRADE),--upgrade)
lock: $(TOOLS)/.pip-tools-$(PIP_TOOLS_VERSION)
	$(TOOLS)/bin/pip-compile $(LOCK_FLAGS) --output-file=requirements.lock pyproject.toml
	$(TOOLS)/bin/pip-compile $(LOCK_FLAGS) --extra=dev --constraint=requirements.lock \
		--output-file=requirements-dev.lock pyproject.toml

# Known vulnerabilities in the runtime lock (pip-audit on PyPI's advisories): fails on one, only
# warns when the advisory service cannot be reached (.ci/audit says which).
audit: $(TOOLS)/.pip-audit-$(PIP_AUDIT_VERSION)
	$(TOOLS)/bin/python .ci/audit.py --pip-audit $(TOOLS)/bin/pip-audit requirements.lock

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

# Every API list endpoint on the dashboards' scaled data set (the same database: --keep reuses it).
bench-api: setup
	$(BIN)/python -m bench.api

clean:
	rm -rf $(VENV) $(TOOLS) var .pytest_cache .mypy_cache .ruff_cache *.egg-info
