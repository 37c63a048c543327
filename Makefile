# Two commands do all the set-up on a fresh machine with Python 3.11 and Node.js/npm (MathJax typesets the
# formulas at build time; the tests and the offline edition use the other front-end packages):
#   make serve   create .venv and node_modules, install the site's requirements, serve at http://127.0.0.1:8000
#   make test    create .venv, install everything, run the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve test build notebooks check-notebooks lint typography markdown-lint links links-external \
        offline pdf editions bench bench-notebooks bench-links bench-lighthouse clean

serve: $(VENV)/.site node_modules/.installed
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

test: $(VENV)/.all node_modules/.installed
	$(BIN)/python -m pytest

build: $(VENV)/.site node_modules/.installed
	$(BIN)/mkdocs build --strict

# --- single checks (each is also part of `make test`) -------------------------------------------------
notebooks: $(VENV)/.all
	$(BIN)/python scripts/notebooks.py run

check-notebooks: $(VENV)/.site
	$(BIN)/python scripts/notebooks.py check

lint: $(VENV)/.site
	$(BIN)/ruff check .

typography: $(VENV)/.site
	$(BIN)/python scripts/lint_zh.py

markdown-lint: $(VENV)/.site
	$(BIN)/pymarkdown scan docs

links: $(VENV)/.site node_modules/.installed
	$(BIN)/mkdocs build --strict --quiet
	$(BIN)/python scripts/check_links.py --docs docs --site site

links-external: $(VENV)/.site
	$(BIN)/python scripts/check_links.py --docs docs --external

# --- downloadable editions -----------------------------------------------------------------------------
offline: $(VENV)/.site node_modules/.installed
	$(BIN)/python scripts/build_editions.py offline

pdf: $(VENV)/.all node_modules/.installed
	$(BIN)/python scripts/build_editions.py pdf

editions: offline pdf

# --- benchmarks (print numbers, assert nothing) ----------------------------------------------------------
bench: $(VENV)/.all node_modules/.installed
	$(BIN)/python scripts/bench_site.py

bench-notebooks: $(VENV)/.all
	$(BIN)/python scripts/bench_notebooks.py

bench-lighthouse: $(VENV)/.site node_modules/.installed
	$(BIN)/python scripts/bench_lighthouse.py

bench-links: $(VENV)/.all
	$(BIN)/python -m pip install --quiet -r requirements-bench.txt
	$(BIN)/python scripts/bench_linkcheck.py

# --- installation ------------------------------------------------------------------------------------------
$(VENV)/.site: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.all: $(VENV)/.site requirements-notebooks.txt
	$(BIN)/python -m pip install --quiet -r requirements-notebooks.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

clean:
	rm -rf site build .cache
