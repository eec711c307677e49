# Two commands set everything up: `make run` and `make test`. Each creates .venv and installs what it needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run console migrate test audit lint messages clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Continuity needs Python 3.11 or newer; set PYTHON=/path/to/python3.11 and try again."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

run: $(VENV)/.installed  ## start every platform whose token is set (the console if none is)
	$(BIN)/python -m bot run

console: $(VENV)/.installed  ## talk to the bot in this terminal
	$(BIN)/python -m bot console

migrate: $(VENV)/.installed
	$(BIN)/python -m bot migrate

test: $(VENV)/.installed-dev  ## lint, audit, then the whole test suite
	$(BIN)/ruff check .
	$(BIN)/bandit --quiet --configfile pyproject.toml --recursive bot cogs
	$(BIN)/python -m pytest $(PYTEST_ARGS)

audit: $(VENV)/.installed-dev  ## bandit's security checks of the code (also part of make test)
	$(BIN)/bandit --quiet --configfile pyproject.toml --recursive bot cogs

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .

messages: $(VENV)/.installed-dev  ## refresh the translation template and catalogs after changing strings
	$(BIN)/pybabel extract -F babel.cfg -k _ -k N_ -k _n:1,2 -k pgettext:1c,2 -k NC_:1c,2 --no-location \
		--sort-output -o bot/locales/continuity.pot bot cogs
	$(BIN)/pybabel update -i bot/locales/continuity.pot -d bot/locales -D continuity --no-fuzzy-matching

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info
