# Two commands: `make run` (the app) and `make test` (the whole suite). Both set up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
SERVERS ?= 2
N ?= 200
SCENARIO ?= workshop

.PHONY: run serve test check lint test-tools bench load validity clean

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

# Everything that ships is type-checked strictly: the domain, the Streamlit side, the entry point,
# the deployment and the benchmarks.
SHIPPED := quiz webapp app.py deploy bench

lint: $(VENV)/.dev  ## ruff, formatting and strict types on everything that ships
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy --strict $(SHIPPED)

check: lint  ## the inner loop: lint and every test but the browser ones
	$(BIN)/python -m pytest -m "not browser" tests/unit tests/app

serve: $(VENV)/.runtime  ## $(SERVERS) app processes behind nginx on http://127.0.0.1:8500, sharing one database
	$(BIN)/python -m quiz validate
	$(BIN)/python -m deploy.serve --servers $(SERVERS)

test-tools:  ## Debian packages the tests need: Chromium (browser tests), poppler-utils (PDF pages to PNG), PostgreSQL (storage tests), nginx (the proxy in front of several servers), docker-compose (checks the compose file without a Docker daemon)
	@missing=""; \
	test -x /usr/bin/chromium || missing="$$missing chromium fonts-dejavu-core"; \
	command -v pdftoppm >/dev/null || missing="$$missing poppler-utils"; \
	ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || missing="$$missing postgresql"; \
	test -x /usr/sbin/nginx || missing="$$missing nginx"; \
	command -v docker-compose >/dev/null || missing="$$missing docker-compose"; \
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

validity: $(VENV)/.dev  ## simulated respondents: how often the quiz's stated results hold (before/after, targets)
	$(BIN)/python -m bench.validity

load: $(VENV)/.dev test-tools  ## N simulated participants over Streamlit's protocol, app vs bare twin; report in bench/results/
	$(BIN)/python -m bench.load --n $(N) --scenario $(SCENARIO) --servers $(SERVERS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis artifacts build *.egg-info
