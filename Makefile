# One-command set-up on a fresh machine: `make demo` runs qupia on the bundled samples,
# `make test` runs the checks and the test suite. Both create .venv and install what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: setup demo test bench corpus eval

$(BIN)/qupia: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

setup: $(BIN)/qupia

demo: setup
	@$(BIN)/qupia check corpus/samples --reference-date 2026-11-26; s=$$?; \
	  echo "(exit status $$s: 0 clean, 1 findings at --fail-on or unreadable files)"; test $$s -le 1

test: setup
	$(BIN)/ruff check src tests bench corpus/build.py
	$(BIN)/pytest -q

# Speed: needs poppler's pdftotext for the comparison (Debian package poppler-utils).
bench: setup
	command -v pdftotext >/dev/null || (apt-get update -qq && apt-get install -y -qq poppler-utils)
	$(BIN)/python bench/bench.py
