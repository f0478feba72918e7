# One-command set-up on a fresh machine: `make demo` runs qupia on the bundled samples,
# `make test` runs the checks and the test suite. Both create .venv and install what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: setup debian demo test test-slow docs bench bench-archive corpus model eval eval-long eval-scans \
  locale fuzz fuzz-atheris

$(BIN)/qupia: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

# Debian packages (debian-packages.txt): installed with apt-get when missing and run as root;
# otherwise the missing ones are named, to be installed by hand. Not an error either way:
# qupia runs without them and says what a file needs (OCR, legacy formats).
debian:
	@missing=""; for p in $$(grep -v '^[[:space:]]*#' debian-packages.txt); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "apt-get install$$missing"; apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing \
	    >/dev/null; \
	else echo "qupia: install these Debian packages by hand:$$missing" >&2; fi

setup: $(BIN)/qupia debian

demo: setup
	@$(BIN)/qupia check corpus/samples --reference-date 2026-11-26; s=$$?; \
	  echo "(exit status $$s: 0 clean, 1 findings at --fail-on or unreadable files)"; test $$s -le 1

# The fast suite (in-process tests); `make test-slow` runs the tests marked slow (real
# processes, the real pre-commit, evaluation floors, long OCR or cluster runs). CI runs both.
test: setup
	$(BIN)/ruff check src tests bench fuzz corpus/build.py corpus/longdocs.py corpus/scanlib.py \
	  corpus/scans.py corpus/excerpts.py models
	$(BIN)/pytest -q -m "not slow"

test-slow: setup
	$(BIN)/pytest -q -m slow

# docs/rules.md from the rule modules' docstrings (a test fails when it is out of date).
docs: setup
	$(BIN)/python -c "from qupia.rules import RULES; from qupia.report.ruledocs import markdown; \
	  open('docs/rules.md', 'w', encoding='utf-8').write(markdown(RULES))"

# Hostile input: 10,000 malformed files made on the fly (fuzz/generate.py, nothing kept) through
# the real check path with workers, time and memory limits; prints crashes, hangs, internal
# errors and peak memory, and fails on any of the first three. FUZZ_COUNT=… FUZZ_SEED=… to vary.
FUZZ_COUNT ?= 10000
FUZZ_SEED ?= 0
fuzz: setup
	$(BIN)/python -m fuzz.run --count $(FUZZ_COUNT) --seed $(FUZZ_SEED)

# Coverage-guided fuzzing of the readers with atheris (the `fuzz` extra), seeded by the generator.
fuzz-atheris: setup
	$(BIN)/pip install -q -e '.[fuzz]'
	seeds=$$(mktemp -d) && $(BIN)/python -m fuzz.generate $$seeds --count 500 --atheris && \
	  $(BIN)/python -m fuzz.harness $$seeds -runs=$${FUZZ_RUNS:-20000} -timeout=30 \
	  -rss_limit_mb=2048; s=$$?; rm -rf $$seeds; exit $$s

# Compile the message catalogues (src/qupia/locale/*/LC_MESSAGES/qupia.po → .mo) with Babel. The .mo files
# are committed: pre-commit installs qupia from a clone; a test fails when one is out of date.
locale: setup
	$(BIN)/pybabel compile --domain qupia --directory src/qupia/locale

# Speed: needs poppler's pdftotext for the comparison (Debian package poppler-utils).
bench: setup
	$(BIN)/python bench/bench.py
	$(BIN)/python bench/bench_formats.py
	$(BIN)/python bench/bench_ocr.py

# Archive review speed: `qupia scan` over 2,000 mixed documents (cached in bench/out) with 1 and
# 2 local workers and a 2-worker local Dask cluster, in one run.
bench-archive: setup
	$(BIN)/python bench/archive.py

# The OCR path: a sample of dev documents as rough scans against the same documents as text.
eval-scans: setup
	$(BIN)/python corpus/scans.py --split dev --sample 40

# The corpus rendered from its sources (corpus/src → corpus/build, not committed).
corpus: setup
	$(BIN)/python corpus/build.py corpus/src corpus/build

# Retrain the content classifier and its calibration (train split; thresholds on dev, then
# chosen again on dev by the family micro-F1 of qupia eval among points that leave the law
# texts and as many dev hard negatives clean as the kept model: models/choose_thresholds.py).
# models/select_content.py compares training methods on dev (how the method was chosen).
model: corpus
	$(BIN)/python models/train_content.py
	$(BIN)/python models/choose_thresholds.py

# Detection quality on the dev split, and the reporting figures: the test split, the hidden set
# (written independently of the corpus, never tuned on) and real public texts.
eval: corpus
	$(BIN)/qupia eval corpus --split dev --output corpus/eval-dev.json
	$(BIN)/qupia eval corpus --split test --output corpus/eval-test.json
	$(BIN)/python corpus/build.py corpus/hidden/src corpus/hidden/build
	$(BIN)/qupia eval corpus/hidden --split all --output corpus/eval-hidden.json
	$(BIN)/python corpus/build.py corpus/public/src corpus/public/build
	$(BIN)/qupia eval corpus/public --split all --output corpus/eval-public.json
	$(BIN)/python corpus/build.py corpus/public-2/src corpus/public-2/build
	$(BIN)/qupia eval corpus/public-2 --split all --output corpus/eval-public-2.json
	$(BIN)/python corpus/build.py corpus/archival/src corpus/archival/build
	$(BIN)/qupia eval corpus/archival --split all --output corpus/eval-archival.json
	$(BIN)/python corpus/build.py corpus/archival-2/src corpus/archival-2/build
	$(BIN)/qupia eval corpus/archival-2 --split all --output corpus/eval-archival-2.json
	$(BIN)/python corpus/build.py corpus/public-3/src corpus/public-3/build
	$(BIN)/qupia eval corpus/public-3 --split all --output corpus/eval-public-3.json
	$(BIN)/python corpus/build.py corpus/public-4/src corpus/public-4/build
	$(BIN)/qupia eval corpus/public-4 --split all --output corpus/eval-public-4.json
	$(BIN)/python corpus/build.py corpus/realtext/src corpus/realtext/build
	$(BIN)/qupia eval corpus/realtext --split all --output corpus/eval-realtext.json
	$(BIN)/python corpus/build.py corpus/hidden-2/src corpus/hidden-2/build
	$(BIN)/qupia eval corpus/hidden-2 --split all --output corpus/eval-hidden-2.json

# Long documents made from dev documents: one disclosing section among ten others.
eval-long: corpus
	$(BIN)/python corpus/longdocs.py
