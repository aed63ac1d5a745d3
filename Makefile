# Hilfenetz. `make run` serves the platform with demo data; `make test` runs every test.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
UV := $(VENV)/bin/uv
PORT ?= 8000
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: run test install lint format messages pytest bench bench-scale clean

$(VENV)/.installed: pyproject.toml uv.lock
	@python=$$(scripts/find-python) || exit 1; \
	  [ -x $(PY) ] || { echo "Creating $(VENV) with $$python"; $$python -m venv $(VENV); }
	@[ -x $(UV) ] || $(PY) -m pip install -q uv==0.13.8
	$(UV) sync --frozen --all-groups --python $(PY) -q
	@touch $@

install: $(VENV)/.installed
	@$(MANAGE) compilemessages_po --quiet

run: install
	$(MANAGE) migrate --noinput
	$(MANAGE) load_district
	$(MANAGE) demo --if-empty
	$(MANAGE) collectstatic --noinput -v 0
	PORT=$(PORT) scripts/serve

test: install
	scripts/ensure-system-packages
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run
	$(VENV)/bin/pytest

lint: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: install
	scripts/make-messages

bench: install
	$(PY) bench/run.py

# The help exchange with 10,000 and 100,000 listings on SQLite and PostgreSQL, served by granian
# and driven by wrk through what people do (about half an hour; see bench/README.md).
bench-scale: install
	scripts/ensure-system-packages
	$(PY) bench/scale.py

clean:
	rm -rf $(VENV) var
