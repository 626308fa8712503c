# jeugdhulp — set-up, demo, tests. Everything installs into .venv from requirements.lock.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.8
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# Debian packages the project needs: a browser for the browser tests, pango for PDF reports,
# gettext for the translation catalogs.
DEB_PACKAGES := chromium fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 gettext

.PHONY: install debs demo serve test test-sqlite test-postgres lint bench clean messages lock screenshots

# messages on every install (1.3 s): a pulled .po change must not leave a stale .mo behind.
install: $(STAMP) debs
	@$(MAKE) --no-print-directory messages

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(BIN)/uv pip sync --quiet --compile-bytecode --python $(BIN)/python requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $(STAMP)

debs:
	@scripts/install-debs.sh $(DEB_PACKAGES)

messages:
	@scripts/compile-messages.sh $(abspath $(BIN))/jeugdhulp

demo: install
	$(BIN)/jeugdhulp migrate --noinput
	$(BIN)/jeugdhulp demo $(if $(PASSWORD),--password $(PASSWORD),)
	$(BIN)/jeugdhulp serve --host $(HOST) --port $(PORT)

serve: install
	$(BIN)/jeugdhulp serve --host $(HOST) --port $(PORT)

# The whole suite on SQLite, then again on PostgreSQL (mandatory when CI=true).
test: install
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

test-sqlite:
	DATABASE_URL=sqlite:///:memory: $(BIN)/pytest -n 2 $(PYTEST_ARGS)

test-postgres:
	@url=$$(scripts/postgres-url.sh) || exit 1; \
	if [ -z "$$url" ]; then echo "PostgreSQL: none answers and CI is not set; skipped."; exit 0; fi; \
	echo "PostgreSQL: $$url"; \
	DATABASE_URL=$$url $(BIN)/pytest -n 2 -m "not browser" $(PYTEST_ARGS)

# Style, the import contracts ([tool.importlinter]: pure packages, layers, no circles) and
# pyright's basic rules on the pure packages ([tool.basedpyright]; no baseline: any error fails).
lint: install
	$(BIN)/ruff check src benchmarks scripts conftest.py
	$(BIN)/ruff format --check src benchmarks scripts conftest.py
	$(BIN)/lint-imports
	$(BIN)/basedpyright

# Every main page of the demo per role at 1280 and 390 px, into var/screenshots/<role>/.
screenshots: install
	$(BIN)/python scripts/screenshots.py $(SCREENSHOT_ARGS)

bench: install
	$(BIN)/python -m benchmarks.run

clean:
	rm -rf $(VENV) var/test-*

# Re-compile requirements.lock after changing the dependencies in pyproject.toml.
lock:
	test -x $(BIN)/uv || { $(PYTHON) -m venv $(VENV) && $(BIN)/python -m pip install --quiet uv==$(UV_VERSION); }
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 \
		--python-platform x86_64-manylinux_2_28 --generate-hashes --quiet -o requirements.lock
