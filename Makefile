# The doors: `make run` (install, build the UI, migrate, serve) and `make test` (everything CI checks).
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
# uv on PATH if there is one, else the one `pip install uv` puts in the user's Python.
UV := $(shell command -v uv 2>/dev/null || echo python3 -m uv)
HOST ?= 127.0.0.1
PORT ?= 8000
BACKEND_COVERAGE_MIN := 85

.PHONY: help install uv ui browsers run lint test test-backend test-frontend test-e2e api-types check-api-types bench

help:
	@echo "make run    install everything, build the UI, migrate the database, serve on http://$(HOST):$(PORT)"
	@echo "make test   install what is missing, then lint, type-check and run every test"
	@echo "make lint   ruff, mypy, eslint and tsc only"

uv:
	@$(UV) --version >/dev/null 2>&1 || python3 -m pip install --quiet uv

$(VENV)/.installed: pyproject.toml uv.lock | uv
	$(UV) sync --frozen --all-extras --python 3.11
	@touch $@

frontend/node_modules/.installed: frontend/package.json frontend/package-lock.json
	npm ci --prefix frontend --no-audit --no-fund
	@touch $@

install: $(VENV)/.installed frontend/node_modules/.installed

ui: frontend/node_modules/.installed
	npm --prefix frontend run build

# The browser journeys drive Debian's Chromium; nothing downloads a browser of its own.
browsers:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; }

run: install ui
	$(VENV)/bin/tunix-rt serve --host $(HOST) --port $(PORT)

lint: install
	$(VENV)/bin/ruff check src tests
	$(VENV)/bin/ruff format --check src tests
	$(VENV)/bin/mypy
	npm --prefix frontend run lint
	npm --prefix frontend run typecheck

# Regenerate the committed OpenAPI document and TypeScript types from the backend.
api-types: install
	$(PY) -m tunix_rt.openapi frontend/openapi.json
	npm --prefix frontend run gen:api

# Fails when the committed types no longer match the backend.
check-api-types: install
	@tmp=$$(mktemp -d) && $(PY) -m tunix_rt.openapi $$tmp/openapi.json \
	  && npx --prefix frontend openapi-typescript $$tmp/openapi.json -o $$tmp/schema.d.ts >/dev/null \
	  && diff -q frontend/openapi.json $$tmp/openapi.json >/dev/null \
	  && diff -q frontend/src/api/schema.d.ts $$tmp/schema.d.ts >/dev/null \
	  || { echo "frontend API types are stale: run 'make api-types' and commit the result"; exit 1; }

test-backend: install
	$(VENV)/bin/pytest -m "not e2e" --cov --cov-report=term --cov-fail-under=$(BACKEND_COVERAGE_MIN)

test-frontend: install
	npm --prefix frontend run test:coverage
	npm --prefix frontend run build

# Real Chromium against real `tunix-rt serve` processes, on the UI that test-frontend built.
test-e2e: install browsers ui
	$(VENV)/bin/pytest -m e2e -p no:cacheprovider

test: lint check-api-types test-backend test-frontend test-e2e

bench: install
	$(PY) -m bench.run
