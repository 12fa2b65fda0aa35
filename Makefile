# partnermap: two commands on a fresh machine — `make demo` and `make test`.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)

.PHONY: demo test lint bench browser clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

## Load the bundled Southwark papers, print the headlines, write the report site.
demo: $(STAMP)
	$(BIN)/partnermap demo --out partnermap-demo
	@echo "partnermap is installed in the venv: run $(BIN)/partnermap (or 'source $(BIN)/activate' first)."

## Headless Chromium for the page tests (Debian package; nothing downloaded at run time).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian chromium for the browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || echo "warning: could not install chromium; browser tests will be skipped"; }

## Everything: venv, packages, browser, Bolt test server (started by the tests), lint, tests.
test: $(STAMP) browser
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

## Style and types: ruff, and mypy on the library packages (configured in pyproject.toml).
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run --actions 10000

clean:
	rm -rf $(VENV) partnermap-demo .partnermap .pytest_cache
