# pro-service: `make run` for a demo on SQLite, `make test` for the whole suite.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi
# PORT is exported: in development it is also the public base URL (links point at this server)
export PORT ?= 5000

.PHONY: run test venv dev-deps migrate seed lint clean mutation

$(BIN)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

venv: $(BIN)/.installed

migrate: venv
	$(BIN)/flask db upgrade

seed: migrate
	$(BIN)/flask demo seed

run: seed
	@echo "pro-service: http://127.0.0.1:$(PORT)/healthz  dashboard http://127.0.0.1:$(PORT)/dashboard/login"
	@echo "API docs: http://127.0.0.1:$(PORT)/api/openapi.json  dev SMS inbox: http://127.0.0.1:$(PORT)/dev/sms"
	@echo "demo logins: admin@demo.test, investigator@demo.test, coordinator@demo.test, safety@demo.test, analyst@demo.test (password demo-password)"
	PRO_SMS_GATEWAY=console $(BIN)/python -m scheduler & \
	  SCHED=$$!; trap "kill $$SCHED 2>/dev/null" EXIT INT TERM; \
	  $(BIN)/gunicorn --bind 127.0.0.1:$(PORT) --workers 2 wsgi:app

test: venv
	@echo "== architecture: import contracts =="
	$(BIN)/lint-imports --no-cache
	@echo "== test suite on SQLite =="
	PRO_TEST_DB=sqlite $(BIN)/python -m pytest -q -n 2 --dist loadfile
	@if [ -n "$$PRO_TEST_POSTGRES_URL" ]; then \
	  echo "== test suite on PostgreSQL ($$PRO_TEST_POSTGRES_URL) =="; \
	  PRO_TEST_DB=postgres $(BIN)/python -m pytest -q -n 2 --dist loadfile -m "not sqlite_only" tests/integration tests/e2e && \
	  echo "== fault suite on PostgreSQL (real processes, fixed ports: one at a time) ==" && \
	  PRO_TEST_DB=postgres $(BIN)/python -m pytest -q tests/faults; \
	else echo "PRO_TEST_POSTGRES_URL not set: PostgreSQL run skipped"; fi

# Mutation testing of the pure cores, one module at a time (slow; not part of `make test`).
# `make mutation MODULES="audit crypto"` runs some (MUTATION_ARGS=--again continues the last run);
# see docs/mutation.md for scores and equivalents.
mutation: venv
	$(BIN)/python tools/mutation.py $(MUTATION_ARGS) $(MODULES)

lint: venv
	$(BIN)/lint-imports --no-cache

clean:
	rm -rf $(VENV) instance/*.sqlite3* test-output build
