# The few commands a newcomer needs. `make` alone lists them.
.DEFAULT_GOAL := help
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
# The tests also cover the optional transformer backends, so they install those extras too.
INSTALLED_TEST := $(VENV)/.installed-test

##@ Start here

run: $(INSTALLED) ## Run everything on this machine, embedded (SQLite, no servers): API on :8000 + workers
	$(BIN)/modctl run

test: $(INSTALLED_TEST) ## Run the whole test suite (starts local PostgreSQL and Redis if needed). T=path TESTARGS=...
	scripts/ensure-services
	$(BIN)/pytest $(or $(T),tests) $(TESTARGS)

test-fast: $(INSTALLED_TEST) ## The tests that need no servers (no PostgreSQL, no Redis): a couple of minutes
	scripts/ensure-promtool
	$(BIN)/pytest -m "not servers" $(or $(T),tests) $(TESTARGS)

##@ Development

install: $(INSTALLED) ## Create .venv and install the project with its pinned dependencies

# pip's own progress (one line per package, a bar per download) shows while it works: a first install
# takes about a minute, and a silent minute looks like a hang.
$(INSTALLED): pyproject.toml
	@echo "==> [1/3] creating $(VENV) with $$($(PYTHON) --version)"
	$(PYTHON) -m venv $(VENV)
	@echo "==> [2/3] updating pip"
	$(BIN)/pip install --quiet --upgrade pip
	@echo "==> [3/3] installing modsys and its pinned dependencies into $(VENV) (the first time: about a minute)"
	$(BIN)/pip install --progress-bar on -e . 2>&1 | grep -v -e "^  Downloading" -e "already satisfied" -e "^WARNING: Location" ; test $${PIPESTATUS[0]:-0} -eq 0
	@echo "==> installed"
	touch $@

$(INSTALLED_TEST): $(INSTALLED)
	@echo "==> installing the test tools and the transformer backends (PyTorch: a few minutes the first time)"
	$(BIN)/pip install --progress-bar on -e ".[test,detoxify]" 2>&1 | grep -v -e "already satisfied" -e "^WARNING: Location" ; test $${PIPESTATUS[0]:-0} -eq 0
	touch $@

lint: $(INSTALLED_TEST) ## Style, format, types, the architecture's import contracts, migrations and compose.yaml
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/python scripts/check-migrations
	docker-compose -f compose.yaml config --quiet

ops-check: $(INSTALLED_TEST) ## Alert rules (promtool check + unit tests), dashboard, Kubernetes manifests, settings page
	scripts/ensure-promtool
	promtool check rules ops/prometheus/alerts.yml
	promtool test rules ops/prometheus/alerts.test.yml
	$(BIN)/pytest -q tests/test_ops_files.py tests/test_settings_reference.py

settings-doc: $(INSTALLED) ## Regenerate docs/settings.md from shared/settings.py
	$(BIN)/modctl settings-doc --output docs/settings.md

fmt: $(INSTALLED_TEST) ## Format the code and apply ruff's safe fixes
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

train: $(INSTALLED) ## Retrain the embedded models: make train DATA=../shared/data/ru_toxic_dev.csv [EN_DATA=../shared/data/en_toxic_dev.csv]
	$(BIN)/modctl train --data $(DATA) $(if $(EN_DATA),--en-data $(EN_DATA))

bench-quality: $(INSTALLED) ## Toxicity scorer quality: make bench-quality DATA=FILE.csv (without DATA: the cross-validated figures)
	$(BIN)/modctl eval $(if $(DATA),--data $(DATA))

bench-categories: $(INSTALLED) ## Each category, one against the rest: make bench-categories DATA=FILE.csv (default: the project's own Russian set)
	$(BIN)/modctl eval-categories --data $(or $(DATA),lab/toxicity/data/ru_categories.csv)

bench-speed: $(INSTALLED) ## Toxicity scorer speed, load time, memory: make bench-speed DATA=FILE.csv
	$(BIN)/modctl bench-speed --data $(DATA)

bench-spam: $(INSTALLED) ## Spam scorer before/after learning from moderators: make bench-spam DATA=../shared/data/ru_toxic_dev.csv
	$(BIN)/modctl bench-spam --data $(DATA) --redis-url redis://127.0.0.1:6379/8

# Another checkout benchmarking on the same servers at the same time picks other names:
# make bench-ingest BENCH_DB=modsys_bench2 BENCH_REDIS=9 (BENCH_REDIS and the two databases after it).
BENCH_DB ?= modsys_bench
BENCH_REDIS ?= 6
BENCH_ENV := MOD_WEB_WORKERS=4 MOD_WEB_THREADS=1 MOD_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/$(BENCH_DB) MOD_BROKER_URL=redis://127.0.0.1:6379/$$(($(BENCH_REDIS)+1)) MOD_SPAM__REDIS_URL=redis://127.0.0.1:6379/$$(($(BENCH_REDIS)+2)) FLOOR_REDIS=redis://127.0.0.1:6379/$(BENCH_REDIS)
BENCH_FRESH = psql -q -h 127.0.0.1 -U postgres -d test -c 'DROP DATABASE IF EXISTS $(1) WITH (FORCE)' -c 'CREATE DATABASE $(1)'
BENCH_FLUSH := for n in 0 1 2; do redis-cli -n $$(($(BENCH_REDIS)+n)) flushdb >/dev/null || exit 1; done
bench-pipeline: $(INSTALLED) ## Real API + one worker on PostgreSQL/Redis: drain rate (callbacks owed), POST->verdict p50/p99 at 200/s. BENCHARGS=...
	scripts/ensure-services
	$(call BENCH_FRESH,$(BENCH_DB))
	$(BENCH_FLUSH)
	$(BENCH_ENV) $(BIN)/modctl bench-pipeline $(BENCHARGS)

# The stack's floor lives beside the projects (one file every benchmark runs as is), not in the repo.
FLOOR ?= ../shared/bench/floor_ingest.py
bench-ingest: $(INSTALLED) ## POST /v1/comments beside the stack's floor (FLOOR=...), alternating wrk rounds: accepted/s, p99, ratio
	scripts/ensure-services
	scripts/ensure-wrk
	$(call BENCH_FRESH,$(BENCH_DB))
	$(call BENCH_FRESH,$(BENCH_DB)_floor)
	$(BENCH_FLUSH)
	$(BENCH_ENV) $(BIN)/modctl bench-ingest --floor $(FLOOR) $(BENCHARGS)

bench-embedded: $(INSTALLED) ## make run's setup (SQLite + SQLite broker) in a fresh folder: POST->verdict p50/p99
	$(BIN)/modctl bench-embedded

bench-simulate: $(INSTALLED) ## The policy simulator over 100,000 seeded comments on PostgreSQL, beside the floor
	scripts/ensure-services
	psql -q -h 127.0.0.1 -U postgres -d test -c 'DROP DATABASE IF EXISTS modsys_bench WITH (FORCE)' -c 'CREATE DATABASE modsys_bench'
	$(BENCH_ENV) $(BIN)/modctl bench-simulate

bench-analyze: $(INSTALLED) ## Perspective-compatible analyze under 50 concurrent clients: p50/p99, req/s
	scripts/ensure-services
	$(call BENCH_FRESH,$(BENCH_DB))
	$(BENCH_FLUSH)
	$(BENCH_ENV) $(BIN)/modctl bench-analyze

bench-faults: $(INSTALLED) ## Faults under a stream (worker kill, Redis restart, PostgreSQL stop, receiver down, human races): 0 lost/duplicated/stuck/overwritten
	command -v redis-server >/dev/null || (apt-get update -qq && apt-get install -y -qq redis-server >/dev/null)
	test -x "$$(command -v initdb)" || (echo "bench-faults needs PostgreSQL's initdb and pg_ctl on PATH" >&2; exit 1)
	$(BIN)/modctl bench-faults

I18N := shared/translations
I18N_KEYWORDS := -k _l -k N_ -k NP_:1,2 -k phrase -k plural_phrase:1,2
translations: $(INSTALLED) ## Moderators' texts (console, alerts, reasons): extract, update the ru/en catalogs (translate the new msgstr), compile
	$(BIN)/pybabel extract -F babel.cfg $(I18N_KEYWORDS) --no-location --sort-output --project modsys -o $(I18N)/messages.pot .
	$(BIN)/pybabel update -i $(I18N)/messages.pot -d $(I18N) -w 120 --ignore-obsolete --ignore-pot-creation-date --no-fuzzy-matching
	$(BIN)/pybabel compile -d $(I18N) --statistics

##@ Compose (needs a Docker engine)

up: ## docker compose up: postgres, redis, migrate, ingest, workers, beat
	docker compose up --build

down: ## Stop the compose stack
	docker compose down

clean: ## Remove the virtualenv and the embedded database
	rm -rf $(VENV) var

help: ## This list
	@awk 'BEGIN {FS = ":.*##"} /^[a-zA-Z_-]+:.*?##/ { printf "  \033[36m%-10s\033[0m %s\n", $$1, $$2 } /^##@/ { printf "\n\033[1m%s\033[0m\n", substr($$0, 5) }' $(MAKEFILE_LIST)

.PHONY: ops-check settings-doc translations run test test-fast fmt install lint train bench-quality bench-categories bench-speed bench-spam bench-pipeline bench-analyze bench-ingest bench-faults bench-embedded up down clean help
