# Hilfenetz. `make run` serves the platform with demo data (never in production); `make test` runs
# every test. A server installs with `make install-production` (deploy/README.md).
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
UV := $(VENV)/bin/uv
PORT ?= 8000
# pytest's processes for `make test`: one a core, at most 8 (each has its own test database
# and Redis database, of which there are 16).
TEST_PROCESSES ?= auto
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: run prepare test install install-production lint format messages pytest bench bench-scale clean

$(VENV)/.installed: pyproject.toml uv.lock
	@python=$$(scripts/find-python) || exit 1; \
	  [ -x $(PY) ] || { echo "Creating $(VENV) with $$python"; $$python -m venv $(VENV); }
	@[ -x $(UV) ] || $(PY) -m pip install -q uv==0.13.8
	$(UV) sync --frozen --all-groups --python $(PY) -q
	@touch $@

install: $(VENV)/.installed
	@$(MANAGE) compilemessages_po --quiet

# Only what the platform needs to run (no test or lint tools), with the S3 storage backend.
install-production:
	@python=$$(scripts/find-python) || exit 1; \
	  [ -x $(PY) ] || { echo "Creating $(VENV) with $$python"; $$python -m venv $(VENV); }
	@[ -x $(UV) ] || $(PY) -m pip install -q uv==0.13.8
	$(UV) sync --frozen --no-dev --extra s3 --python $(PY) -q
	@rm -f $(VENV)/.installed
	@$(MANAGE) compilemessages_po --quiet

# Migrations, the district, static files; demo data only outside production (scripts/prepare).
prepare: install
	scripts/prepare

run: prepare
	PORT=$(PORT) scripts/serve

test: install
	scripts/ensure-system-packages
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run
	$(VENV)/bin/pytest -n $(TEST_PROCESSES) --maxprocesses 8

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
