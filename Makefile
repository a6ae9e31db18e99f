# The README's two commands: `make demo` (install, then one full offline monitoring cycle) and
# `make test` (install with the test tools, then lint, type-check and the whole test suite).
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin

.PHONY: demo test lint bench chromium postgres catalogs

# setuptools tells every editable install, as a warning, to beware of a folder named like the package in the
# working directory (there is none: the package is `rasd`, its folders are crawler/, extract/, ...); pip shows
# it despite --quiet. That one message is filtered out (PYTHONWARNINGS, by its first words); any other stays.
$(BIN)/rasd: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	PYTHONWARNINGS="ignore:Editable installation" $(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

demo: $(BIN)/rasd
	$(BIN)/rasd demo

STAGES := crawler extract classify storage alerts config monitor

lint: $(BIN)/rasd
	$(BIN)/ruff check .
	mkdir -p build/typecheck/rasd
	for stage in $(STAGES); do ln -sfn ../../../$$stage build/typecheck/rasd/$$stage; done
	$(BIN)/mypy

test: lint chromium postgres
	$(BIN)/python -m pytest -q

# The digest render test lays out an email in Debian's headless Chromium; installed once (needs root).
chromium:
	command -v chromium >/dev/null || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium)

# The storage tests start their own throwaway PostgreSQL server from Debian's package (needs root once).
postgres:
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql)

# The digest's messages: list them from the code and templates (build/rasd.pot, to merge into each
# alerts/locale/<lang>/LC_MESSAGES/rasd.po), then compile every catalog to the .mo the digest reads.
catalogs: $(BIN)/rasd
	mkdir -p build
	$(BIN)/pybabel extract -F alerts/babel.cfg --no-location -o build/rasd.pot alerts monitor config storage/query_language.py storage/unwritable.py storage/database.py classify/evaluation.py classify/scoring.py
	$(BIN)/pybabel compile -D rasd -d alerts/locale --statistics

bench: $(BIN)/rasd
	for script in bench/*.py; do $(BIN)/python $$script || exit 1; done
