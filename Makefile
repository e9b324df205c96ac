# The two commands of the README: `make run` and `make test`. Every set-up step
# lives here so that a clean checkout on a fresh machine needs nothing else.
SHELL := /bin/bash
VENV ?= .venv
PYTHON ?= python3
PORT ?= 8000
# Cases in the registry `make bench` measures (SIZE=1000000 for the full run).
SIZE ?= 100000
# Synthetic cases in the database `make load` drives (calcinosis_load).
LOAD_CASES ?= 10000
# Local development defaults; a deployment sets these in its environment instead.
export DEBUG ?= 1
export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/calcinosis_registry
MANAGE := $(VENV)/bin/python manage.py
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test lint setup install install-test db migrate demo chromium redis replication collectstatic clean backup restore bench load

run: setup
	@echo
	@echo "Calcinosis registry: http://127.0.0.1:$(PORT)/   (curation: http://127.0.0.1:$(PORT)/admin/)"
	$(MANAGE) runserver 127.0.0.1:$(PORT)

# ruff first: a lint or format problem fails fast, before minutes of tests.
test: setup chromium redis replication lint
	$(VENV)/bin/pytest

lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Static files collected too, so that whitenoise serves them as it will in production.
setup: demo collectstatic

# The registry at SIZE cases in a database of its own (calcinosis_bench_SIZE; the development
# database stays as it is), served by gunicorn and measured against raw SQL: bench/results.md.
# Niced, because it keeps both cores busy for minutes.
bench: setup install-test
	nice -n 10 $(VENV)/bin/python -m bench.run --size $(SIZE)

# 50 simulated users for 60 s against gunicorn on 127.0.0.1 (database calcinosis_load): requests/s,
# p50/p95/p99, errors and lost writes; exits non-zero on any of the last two. A load run, not a test.
# REDIS=1: the workers share a Redis started for the run. RATE_LIMIT=10/min: that per-user API limit, run
# twice (the workers sharing a Redis, then each on its own) to count what each user was let through.
load: setup install-test $(if $(REDIS)$(RATE_LIMIT),redis)
	nice -n 10 $(VENV)/bin/python -m bench.load --cases $(LOAD_CASES) $(if $(REDIS),--redis) \
		$(if $(RATE_LIMIT),--rate-limit $(RATE_LIMIT))

# One venv, two stamps: serving the site needs the registry only; the test tools (Playwright,
# schemathesis, hypothesis, ruff, pandas for the README's snippets) come with `make test`.
$(VENV)/.installed: pyproject.toml
	@test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

db: install
	$(MANAGE) ensure_database

migrate: db
	$(MANAGE) migrate --noinput

demo: migrate
	$(MANAGE) load_vocabularies
	$(MANAGE) load_demo

# Browser tests drive Debian's Chromium; Playwright's own browser download cannot work offline.
chromium:
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium; }

# The shared-cache test starts its own Redis (registry/tests/test_shared_cache.py), as `make load REDIS=1` does.
redis:
	@command -v redis-server >/dev/null || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq redis-server; }

# The read-replica test (registry/tests/test_read_replicas.py) streams a copy of the local PostgreSQL with
# pg_basebackup, over a replication connection from 127.0.0.1. A pg_hba.conf of "all" lines refuses that
# ("all" does not cover replication): this adds the line for DATABASE_URL's user, with the method the cluster
# already asks of 127.0.0.1, and reloads. Nothing changes where the connection is allowed already.
PSQL := psql -X -A -t -q -d "$(DATABASE_URL)"
replication: db
	@command -v pg_basebackup >/dev/null || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq postgresql-client; }
	@psql -X -q -d "$(DATABASE_URL)$(if $(findstring ?,$(DATABASE_URL)),&,?)replication=true" -c "IDENTIFY_SYSTEM" \
		>/dev/null 2>&1 || { \
		hba=$$($(PSQL) -c "SHOW hba_file") && user=$$($(PSQL) -c "SELECT current_user") && \
		method=$$($(PSQL) -c "SELECT coalesce((SELECT auth_method FROM pg_hba_file_rules WHERE type = 'host' \
			AND address = '127.0.0.1' ORDER BY line_number LIMIT 1), 'scram-sha-256')") && \
		if [ -f "$$hba" ]; then \
			echo "replication: adding 'host replication $$user 127.0.0.1/32 $$method' to $$hba"; \
			echo "host replication $$user 127.0.0.1/32 $$method" | $(SUDO) tee -a "$$hba" >/dev/null && \
			$(PSQL) -c "SELECT pg_reload_conf()" >/dev/null; \
		else echo "replication: $$hba is not on this machine; allow a replication connection from 127.0.0.1 there"; fi; }

# A pg_dump archive of the database DATABASE_URL names (FILE=… to choose the path).
backup: install
	$(MANAGE) backup_registry $(if $(FILE),--output "$(FILE)")

# Restore FILE=… into the (empty) database DATABASE_URL names; it is created if missing.
restore: install
	@test -n "$(FILE)" || { echo "usage: make restore FILE=backups/registry-….dump"; exit 2; }
	$(MANAGE) restore_registry "$(FILE)"

collectstatic: install
	$(MANAGE) collectstatic --noinput

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
