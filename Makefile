# Clocks: `make run` serves the API locally, `make test` runs every check.
# Both install what they need first.

SHELL := /bin/bash
# Lambda runs Python 3.13; develop and build on the same version.
PYTHON313 ?= $(shell command -v python3.13 >/dev/null 2>&1 && python3.13 -c '' 2>/dev/null && command -v python3.13 || ls -d $$HOME/.pyenv/versions/3.13*/bin/python3.13 2>/dev/null | tail -n 1)
VENV := .venv
SAM_VENV := .venv-sam
PY := $(VENV)/bin/python
# SAM asks AWS STS first; point it nowhere so that nothing leaves the machine.
SAM_ENV := SAM_CLI_TELEMETRY=0 AWS_ENDPOINT_URL=http://127.0.0.1:9 AWS_MAX_ATTEMPTS=1 \
	AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=eu-central-1 \
	PATH="$(CURDIR)/$(SAM_VENV)/bin:$$PATH"
SAM := $(SAM_ENV) $(SAM_VENV)/bin/sam

.PHONY: run admin test lint format unit integration integration-dynamodb-local e2e \
	fuzz packaging build deploy clean

$(VENV)/.installed: requirements-dev.txt layers/clocks/requirements.txt
	@test -n "$(PYTHON313)" || { echo "Python 3.13 is required (python3.13 not found)"; exit 1; }
	$(PYTHON313) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

$(SAM_VENV)/.installed: requirements-sam.txt
	@test -n "$(PYTHON313)" || { echo "Python 3.13 is required (python3.13 not found)"; exit 1; }
	$(PYTHON313) -m venv $(SAM_VENV)
	$(SAM_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(SAM_VENV)/bin/python -m pip install --quiet -r requirements-sam.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

run: $(VENV)/.installed node_modules/.installed
	$(PY) -m tools.local_api

# Tokens and time zones, e.g. make admin ARGS="list-tokens --owner local"
admin: $(VENV)/.installed
	$(PY) -m tools.admin $(ARGS)

test: lint unit integration integration-dynamodb-local e2e fuzz packaging

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

unit: $(VENV)/.installed node_modules/.installed
	$(PY) -m pytest tests/unit

integration: $(VENV)/.installed node_modules/.installed
	$(PY) -m pytest tests/integration

# The handler tests again, on DynamoDB Local: strict where moto is lenient.
integration-dynamodb-local: $(VENV)/.installed node_modules/.installed
	CLOCKS_TEST_DATABASE=dynamodb-local $(PY) -m pytest tests/integration

e2e: $(VENV)/.installed node_modules/.installed
	$(PY) -m pytest tests/e2e

# openapi.json must be what the models give; then schemathesis and hand-picked
# bad requests against a local server on 127.0.0.1.
fuzz: $(VENV)/.installed node_modules/.installed
	$(PY) -m tools.openapi --check
	$(PY) -m pytest tests/fuzz

packaging: $(VENV)/.installed $(SAM_VENV)/.installed
	$(SAM) validate --lint
	$(PY) -m pytest tests/packaging

build: $(SAM_VENV)/.installed
	$(SAM) build

# Cold starts, request and read costs, the feed and the layer's size, written to
# bench/results.md. Not part of `make test`: it takes a few minutes.
.PHONY: bench
bench: $(VENV)/.installed $(SAM_VENV)/.installed node_modules/.installed
	$(SAM_ENV) PYTHONPATH=layers/clocks $(PY) -m bench

# The one target that talks to AWS: it deploys with your own credentials.
deploy: $(SAM_VENV)/.installed
	PATH="$(CURDIR)/$(SAM_VENV)/bin:$$PATH" SAM_CLI_TELEMETRY=0 $(SAM_VENV)/bin/sam build
	PATH="$(CURDIR)/$(SAM_VENV)/bin:$$PATH" SAM_CLI_TELEMETRY=0 $(SAM_VENV)/bin/sam deploy

clean:
	rm -rf $(VENV) $(SAM_VENV) node_modules .aws-sam
