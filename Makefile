# Two commands: `make run` (the app) and `make test` (the whole suite). Both set up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501

.PHONY: run test lint test-tools bench clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime: requirements.txt | $(BIN)/activate
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/activate
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

run: $(VENV)/.runtime  ## start the app on http://localhost:$(PORT)
	$(BIN)/python -m quiz validate
	$(BIN)/python -m streamlit run app.py --server.port $(PORT) --server.headless true

lint: $(VENV)/.dev  ## ruff, formatting and types
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy quiz

test-tools:  ## Debian packages the tests need: Chromium (browser tests), poppler-utils (PDF pages to PNG), PostgreSQL (storage tests)
	@missing=""; \
	test -x /usr/bin/chromium || missing="$$missing chromium fonts-dejavu-core"; \
	command -v pdftoppm >/dev/null || missing="$$missing poppler-utils"; \
	ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || missing="$$missing postgresql"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing from Debian:$$missing"; \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	  else \
	    echo "The tests need these Debian packages:$$missing. Run: sudo apt-get install$$missing"; exit 1; \
	  fi; \
	fi

test: lint test-tools  ## lint, then every test, browser tests included
	$(BIN)/python -m pytest

bench: $(VENV)/.dev  ## benchmarks against a baseline in the same run, as ratios
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis artifacts
