# Two commands do all the set-up on a fresh machine with Python 3.11:
#   make serve   create .venv, install the site's requirements, serve at http://127.0.0.1:8000
#   make test    create .venv, install everything, run the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve test build notebooks check-notebooks lint links bench clean

serve: $(VENV)/.site
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

test: $(VENV)/.all
	$(BIN)/python -m pytest

build: $(VENV)/.site
	$(BIN)/mkdocs build --strict

notebooks: $(VENV)/.all
	$(BIN)/python scripts/notebooks.py run

check-notebooks: $(VENV)/.site
	$(BIN)/python scripts/notebooks.py check

lint: $(VENV)/.all
	$(BIN)/ruff check .

links: $(VENV)/.site
	$(BIN)/mkdocs build --strict --quiet
	$(BIN)/python scripts/check_links.py --docs docs --site site

bench: $(VENV)/.all
	$(BIN)/python scripts/bench_site.py

$(VENV)/.site: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.all: $(VENV)/.site requirements-notebooks.txt
	$(BIN)/python -m pip install --quiet -r requirements-notebooks.txt
	touch $@

clean:
	rm -rf site .cache
