# Two commands do everything on a fresh Debian 12 machine (as root): `make demo`, `make test`.
VENV := .venv
PY := $(VENV)/bin/python
PYTEST_ARGS ?=

.PHONY: setup demo test lint unit integration clean-twin

setup:
	@bash scripts/setup.sh

demo: setup
	$(VENV)/bin/aaas demo

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

test: setup lint
	$(PY) -m pytest $(PYTEST_ARGS)

unit: setup
	$(PY) -m pytest tests/unit $(PYTEST_ARGS)

clean-twin: setup
	$(VENV)/bin/aaas twin clean
