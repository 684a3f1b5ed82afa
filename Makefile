# Two commands: `make demo` and `make test`. Each creates .venv when missing and installs areo with its
# test and docs extras. Nothing is downloaded at run time; data come from PyPI packages and files in this repo.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint docs bench clean browser java fuzz

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[all,test,docs]'
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/areo replay exomars2016 --out out/exomars2016

# Lint first: ruff (lint + format check) and mypy, configured in pyproject.toml.
lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks docs
	$(BIN)/ruff format --check src tests benchmarks docs
	$(BIN)/mypy

test: $(STAMP) lint docs browser java
	$(BIN)/python -m pytest -n 2 -q

# The documentation site into build/site, offline, warnings as errors; every tutorial notebook is executed (a
# failing cell fails the build) and the scenario/CLI reference pages are generated from the code.
docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet

# Long property-based fuzzing of scenario files, CLI arguments and the numeric and ground APIs (minutes); `make test` runs a short one.
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=long $(BIN)/python -m pytest tests/fuzz -q

# The report test drives Debian's Chromium headless through playwright (no browser download). Installed here
# when missing and when we may (root, apt-get); otherwise that one test is skipped with a message.
browser:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
	  { if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	      echo "installing Debian's chromium for the report test"; \
	      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || \
	      echo "could not install chromium: the browser test will be skipped"; \
	    else echo "chromium not found: the browser test will be skipped (apt-get install chromium)"; fi; }

# The Orekit test (tests/io/test_orekit.py, through orekit-jpype) needs a Java runtime: Debian's, installed here
# the same way; without one that test is skipped with a message.
java:
	@command -v java >/dev/null 2>&1 || \
	  { if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	      echo "installing Debian's Java runtime for the Orekit test"; \
	      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null) || \
	      echo "could not install Java: the Orekit test will be skipped"; \
	    else echo "java not found: the Orekit test will be skipped (apt-get install default-jre-headless)"; fi; }

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[all,test,bench]'
	$(BIN)/python benchmarks/bench_lambert.py
	$(BIN)/python benchmarks/bench_porkchop.py

clean:
	rm -rf $(VENV) out
