# Two commands matter: `make run` and `make test`. Everything they need is installed here.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: install lint format test run db openapi serve bench bench-workflow

$(INSTALLED): pyproject.toml layers/core/requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(INSTALLED)

install: $(INSTALLED)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: lint
	$(BIN)/pytest

db: install
	$(BIN)/alpha-monday db up

run: install
	$(BIN)/alpha-monday run-week
	$(BIN)/alpha-monday serve

openapi: install
	$(BIN)/alpha-monday openapi

serve: install
	$(BIN)/alpha-monday serve

bench: install
	$(BIN)/python -m benchmarks.api

bench-workflow: install
	$(BIN)/python -m benchmarks.workflow
