# Two entry points for a fresh machine with Python 3.11: `make serve` and `make test`.
# Each creates .venv and installs what it needs the first time (and when pyproject.toml changes).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: serve test bench train install clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade "pip>=24" "setuptools>=69,<81" wheel

$(VENV)/.installed: $(BIN)/activate pyproject.toml
	$(BIN)/python -m pip install -q -e ".[test]"
	touch $@

install: $(VENV)/.installed

serve: install
	$(BIN)/genguard serve

# The console's browser tests drive Debian's Chromium (installed once, when it is missing).
# Lint, types and import rules first (config in pyproject.toml, docs/architecture.md), then the tests.
test: install
	if [ ! -x /usr/bin/chromium ]; then apt-get update && apt-get install -y chromium chromium-driver; fi
	$(BIN)/ruff check src tests bench tools
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The bench extra (python-threatexchange, for bench/banks.py's comparison rows) is installed here,
# not by `make install`: only benchmarks need it.
bench: install
	$(BIN)/python -m pip install -q -e ".[bench]"
	$(BIN)/python -m bench

# Retrains the intent model (docs/intent.md, "Training"): the encoder with its out-of-fold scores
# (the train extra, torch 2.13.0 CPU; ~26 min on 2 cores), then the first stage and the operating
# point of both. Seeded and pinned: the committed files come back byte for byte.
train: install
	$(BIN)/python -m pip install -q -e ".[train]"
	HF_HUB_OFFLINE=1 $(BIN)/python -m genguard.training.encoder --folds
	$(BIN)/python -m genguard.training.intent

clean:
	rm -rf $(VENV) build *.egg-info
