# confvote — the two commands: `make run` and `make test`. Everything else is a helper for them.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed-dev
# Throwaway values that let `check --deploy` judge the production settings without real secrets.
DEPLOY_CHECK_ENV := DJANGO_SETTINGS_MODULE=confvote.settings.prod \
	DJANGO_SECRET_KEY=deploy-check-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJKLMNOPQRSTUVWXYZ \
	DJANGO_ALLOWED_HOSTS=confvote.example REDIS_URL=redis://127.0.0.1:6379/0 \
	EMAIL_URL=smtp+tls://user:password@smtp.example.org:587

.PHONY: run test lint pytest install seed worker clean

run: $(INSTALLED)  ## Install, migrate, seed the small demo and serve it at http://127.0.0.1:8000
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo --scale small
	@echo "Serving the demo at http://127.0.0.1:8000 (Ctrl-C to stop)"
	$(BIN)/python manage.py runserver 127.0.0.1:8000

test: lint pytest  ## The whole suite plus the quality gates

lint: $(INSTALLED)  ## Quality gates: ruff, import contracts, migrations in sync, deploy checks
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	DJANGO_SETTINGS_MODULE=confvote.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	$(DEPLOY_CHECK_ENV) $(BIN)/python manage.py check --deploy --fail-level WARNING

pytest: $(INSTALLED)
	$(BIN)/pytest $(PYTEST_ARGS)

install: $(INSTALLED)

$(INSTALLED): requirements/base.txt requirements/dev.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements/dev.txt
	@touch $@

seed: $(INSTALLED)  ## Rebuild the demo: make seed SCALE=medium
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo --reset --scale $(or $(SCALE),small)

worker: $(INSTALLED)  ## A Celery worker with beat (needs CELERY_BROKER_URL or REDIS_URL)
	$(BIN)/celery -A confvote worker --beat --loglevel=INFO

clean:
	rm -rf $(VENV) .pytest-db.sqlite3* .ruff_cache staticfiles
