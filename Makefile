# Quick start: `make run` (set up and run the main job) and `make test` (set up and run the checks).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run demo test browser lint typecheck pytest bench figures clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

## run: set up, then serve the web app, REST API (/docs) and CDS Hooks service on http://127.0.0.1:8000/
run: $(STAMP)
	$(BIN)/allostasis serve --host 127.0.0.1 --port 8000

## demo: the command-line demo (alprazolam 0.5 mg TID vs its diazepam equivalent, with a plot)
demo: $(STAMP)
	$(BIN)/allostasis demo --plot alprazolam_vs_diazepam.png

## test: set up, then ruff, mypy and pytest (doctests included)
test: $(STAMP) browser lint typecheck pytest

# the browser tests drive Debian's chromium (never a downloaded browser); install it when missing
browser:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks tools docs
	$(BIN)/ruff format --check src tests benchmarks tools docs

typecheck: $(STAMP)
	$(BIN)/mypy

# pytest exits 5 when it collects no test; that is a failure of the suite, not a pass
pytest: $(STAMP)
	MPLBACKEND=Agg $(BIN)/python -m pytest -q; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests"; exit 1; fi; exit $$rc

## bench: the PK engine benchmark (not part of the tests)
bench: $(STAMP)
	$(BIN)/python benchmarks/bench_pk.py

## figures: redraw the documentation figures with the package
figures: $(STAMP)
	MPLBACKEND=Agg $(BIN)/python docs/make_figures.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
