# `make run` and `make test` are the two commands; everything they need is installed here.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
# aws-sam-cli pins its own boto3/pydantic: it lives in a virtualenv of its own.
SAM_VENV := .sam-venv
SAM := $(SAM_VENV)/bin/sam
SAM_CLI_VERSION := 1.170.0
SAM_INSTALLED := $(SAM_VENV)/.installed-$(SAM_CLI_VERSION)
ENV ?= dev
# The read API's local port: `make run PORT=3001` when 3000 is taken.
PORT ?= 3000
export SAM_CLI_TELEMETRY := 0

.PHONY: install lint format validate test run db serve openapi bench bench-load bench-workflow \
	build deploy migrate-remote

$(INSTALLED): pyproject.toml layers/core/requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(INSTALLED)

$(SAM_INSTALLED):
	test -x $(SAM_VENV)/bin/python || $(PYTHON) -m venv $(SAM_VENV)
	$(SAM_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(SAM_VENV)/bin/python -m pip install --quiet aws-sam-cli==$(SAM_CLI_VERSION)
	touch $(SAM_INSTALLED)

install: $(INSTALLED)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Offline: no AWS account is needed (the region only satisfies the SDK).
validate: install $(SAM_INSTALLED)
	AWS_DEFAULT_REGION=$${AWS_DEFAULT_REGION:-us-east-1} $(SAM) validate --lint
	$(BIN)/cfn-lint template.yaml
	$(BIN)/python -m alpha_monday_local.statelint_check

test: lint validate
	$(BIN)/pytest

db: install
	$(BIN)/alpha-monday db up

run: install
	$(BIN)/alpha-monday run-week
	$(BIN)/alpha-monday serve --port $(PORT)

serve: install
	$(BIN)/alpha-monday serve --port $(PORT)

openapi: install
	$(BIN)/alpha-monday openapi

bench: install
	$(BIN)/python -m benchmarks.api

bench-load: install
	$(BIN)/python -m benchmarks.load
	$(BIN)/python -m benchmarks.load --edge

bench-workflow: install
	$(BIN)/python -m benchmarks.workflow

# The layer's and the dashboard's Makefiles run the project's layer_build (hence install).
build: install $(SAM_INSTALLED)
	$(SAM) build --config-env $(ENV)

deploy: build
	$(SAM) deploy --config-env $(ENV)

migrate-remote: install
	$(BIN)/alpha-monday migrate-remote --stack-name alpha-monday-$(ENV)
