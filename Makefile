# RightsTrack — `make demo` sets up and serves the demo; `make test` runs the whole suite.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
export RIGHTSTRACK_DATA_DIR ?= $(CURDIR)/var
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install demo serve test test-fast lint browser messages clean

$(BIN)/.installed: pyproject.toml
	@bash scripts/bootstrap.sh $(VENV)
	@touch $@

install: $(BIN)/.installed

demo: install
	$(BIN)/rightstrack demo
	$(BIN)/rightstrack serve --host $(HOST) --port $(PORT)

serve: install
	$(BIN)/rightstrack init
	$(BIN)/rightstrack serve --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

browser:
	@bash scripts/install-browser.sh

# The whole suite (unit, leak harness, browser) on the database in DATABASE_URL (SQLite by default).
# RIGHTSTRACK_SKIP_E2E=1 skips the browser tests and so does not install Chromium (no root needed).
test: install $(if $(filter 1,$(RIGHTSTRACK_SKIP_E2E)),,browser) lint
	$(BIN)/pytest -n 2 --create-db

test-fast: install
	$(BIN)/pytest -n 2 -m "not e2e"

messages: install
	cd src/rightstrack && ../../$(BIN)/rightstrack makemessages -l ru -l kk --no-obsolete --ignore 'migrations/*' && ../../$(BIN)/rightstrack compilemessages

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info
