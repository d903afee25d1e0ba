# Borderzone developer entry points.
#   make run    start PostgreSQL/Redis (embedded unless DATABASE_URL/REDIS_URL are set), migrate,
#               load demo data, serve http://127.0.0.1:8000/ with a Celery worker
#   make test   same services, then pytest (extra args: make test PYTEST_ARGS="-k agreements -x")
#   make lint   ruff check .
#   make venv   create .venv and install requirements.txt
#   make bench-deps  the load generator of bench/dashboard.py (wrk)
# Override the interpreter used to create .venv with: make venv PYTHON=/path/to/python3.12

SHELL := /bin/bash
.DEFAULT_GOAL := run

VENV := .venv
VENV_PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=

# First Python >= 3.12 among python3.13, python3.12, python3 on PATH (each one is actually run:
# pyenv shims exist for versions that are not active and fail), then pyenv-installed versions,
# newest first. Empty if there is none; the targets that need it report that.
PY_OK := import sys; sys.exit(sys.version_info < (3, 12))
ifeq ($(origin PYTHON),undefined)
PYTHON := $(shell \
	for p in python3.13 python3.12 python3 \
	         $$(ls -d $(HOME)/.pyenv/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -r -V); do \
	  if command -v "$$p" >/dev/null 2>&1 && "$$p" -c '$(PY_OK)' >/dev/null 2>&1; then \
	    command -v "$$p"; break; \
	  fi; \
	done)
endif

define NO_PYTHON
error: no Python >= 3.12 found (tried python3.13, python3.12, python3 on PATH and
$(HOME)/.pyenv/versions/3.1[2-9]*). Install Python 3.12 or newer, or pass PYTHON=/path/to/python3.12.
endef
export NO_PYTHON

.PHONY: run test lint venv system-deps bench-deps print-python check-python

check-python:
	@if [ -z "$(PYTHON)" ]; then echo "$$NO_PYTHON" >&2; exit 1; fi
	@if ! "$(PYTHON)" -c '$(PY_OK)' >/dev/null 2>&1; then \
	  echo "error: PYTHON=$(PYTHON) is not a working Python >= 3.12" >&2; exit 1; fi

print-python: check-python
	@echo "$(PYTHON)"

$(VENV_PY):
	@$(MAKE) --no-print-directory check-python
	"$(PYTHON)" -m venv $(VENV)

$(STAMP): requirements.txt | $(VENV_PY)
	$(VENV_PY) -m pip install --disable-pip-version-check -q -r requirements.txt
	@touch $@

venv: $(STAMP)

system-deps:
	@scripts/install_system_deps.sh

bench-deps: $(STAMP)
	@scripts/install_system_deps.sh wrk

run: $(STAMP)
	$(VENV_PY) -m tools.devstack run

test: $(STAMP) system-deps
	$(VENV_PY) -m tools.devstack test $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV_PY) -m ruff check .
