# hestai-datagen: `make dataset` installs and builds the default dataset; `make test` runs every check.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
OUT    ?= data/build
STAMP  := $(VENV)/.installed

.PHONY: install dataset test test-fast lint typecheck bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

dataset: $(STAMP)
	$(BIN)/hestai-datagen build --out $(OUT)
	$(BIN)/hestai-datagen validate $(OUT)
	@echo "dataset ready in $(OUT)"

lint: $(STAMP)
	$(BIN)/ruff check hestai_datagen tests benchmarks
	$(BIN)/ruff format --check hestai_datagen tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy --strict hestai_datagen

test: lint typecheck
	$(BIN)/python -m pytest

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m 'not slow' -x -q

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .mypy_cache .ruff_cache
