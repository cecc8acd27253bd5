# Two commands: `make run` starts the app, `make test` runs the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test test-postgres lint format bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.run-deps: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-deps: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.run-deps

run: $(VENV)/.run-deps
	$(BIN)/python manage.py runall

test: $(VENV)/.dev-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Lint and format drift fail CI before any test runs (settings in pyproject.toml).
lint: $(VENV)/.dev-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev-deps
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test-postgres: $(VENV)/.dev-deps
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/test $(BIN)/python -m pytest $(PYTEST_ARGS)

# Every executable in bench/ (or only `make bench BENCH=load`); a bench that crashes does not stop
# the others, but makes the target fail at the end.
bench: $(VENV)/.dev-deps
	@failed=""; for b in $(if $(BENCH),bench/$(BENCH),bench/*); do \
		[ -x "$$b" ] && [ -f "$$b" ] || continue; $(BIN)/python "$$b" || failed="$$failed $$b"; \
	done; if [ -n "$$failed" ]; then echo "benches that failed:$$failed"; exit 1; fi

clean:
	rm -rf $(VENV) var/test-*.sqlite3
