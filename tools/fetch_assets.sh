#!/usr/bin/env bash
# Fetch the browser assets the map needs (Leaflet and the plugins folium links) from the npm
# registry and unpack them into DEST, so Streamlit serves them at /app/static/vendor/... and the
# map works offline. Also builds the tile-less basemap (Natural Earth countries from npm
# world-atlas, clipped to the region). Idempotent: a package already unpacked at the pinned
# version is not fetched again. No network other than the npm registry (`npm pack`).
#
#   bash tools/fetch_assets.sh static/vendor
set -euo pipefail

DEST="${1:-static/vendor}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
mkdir -p "$DEST"
DEST="$(cd "$DEST" && pwd)"

# package@version  subdir-in-DEST  files (paths inside the tarball's package/ folder)
PACKAGES=(
  "leaflet@1.9.3|leaflet|dist/leaflet.js dist/leaflet.css dist/images LICENSE"
  "leaflet.markercluster@1.1.0|leaflet.markercluster|dist/leaflet.markercluster.js dist/MarkerCluster.css dist/MarkerCluster.Default.css MIT-LICENCE.txt"
  "jquery@3.7.1|jquery|dist/jquery.min.js LICENSE.txt"
  "bootstrap@5.2.2|bootstrap|dist/js/bootstrap.bundle.min.js dist/css/bootstrap.min.css LICENSE"
  "leaflet.awesome-markers@2.0.5|leaflet.awesome-markers|dist/leaflet.awesome-markers.js dist/leaflet.awesome-markers.css dist/images LICENSE"
  "@fortawesome/fontawesome-free@6.2.0|fontawesome-free|css/all.min.css webfonts LICENSE.txt"
  "world-atlas@2.0.2|world-atlas|countries-50m.json LICENSE"
  "fflate@0.8.2|fflate|umd/index.js LICENSE"
)

if ! command -v npm >/dev/null 2>&1; then
  echo "fetch_assets: npm is required (apt-get install npm)" >&2
  exit 1
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

for entry in "${PACKAGES[@]}"; do
  IFS='|' read -r spec sub files <<<"$entry"
  version="${spec##*@}"
  target="$DEST/$sub"
  if [[ -f "$target/.version" && "$(cat "$target/.version")" == "$spec" ]]; then
    echo "fetch_assets: $spec present"
    continue
  fi
  echo "fetch_assets: npm pack $spec"
  (cd "$WORK" && npm pack "$spec" --silent >"$WORK/name.txt" 2>"$WORK/npm.err") || {
    cat "$WORK/npm.err" >&2
    echo "fetch_assets: npm pack $spec failed (is the npm registry reachable?)" >&2
    exit 1
  }
  tgz="$WORK/$(tail -n1 "$WORK/name.txt")"
  rm -rf "$WORK/package"
  tar -xzf "$tgz" -C "$WORK"
  rm -rf "$target.tmp"
  mkdir -p "$target.tmp"
  for f in $files; do
    if [[ -e "$WORK/package/$f" ]]; then
      mkdir -p "$target.tmp/$(dirname "$f")"
      cp -R "$WORK/package/$f" "$target.tmp/$f"
    elif [[ "$f" != LICENSE* && "$f" != MIT-LICENCE* ]]; then
      echo "fetch_assets: $spec has no $f" >&2
      exit 1
    fi
  done
  echo "$spec" >"$target.tmp/.version"
  rm -rf "$target" "$tgz" "$WORK/package"
  mv "$target.tmp" "$target"
done

PY="${PYTHON:-}"
if [[ -z "$PY" ]]; then
  if [[ -x "$ROOT/.venv/bin/python" ]]; then PY="$ROOT/.venv/bin/python"; else PY="python3"; fi
fi

# streamlit-folium's front end, from its PyPI package, served from static/ so that the browser
# caches it (see ui/offline.py). Modification times are kept: browsers cache by their age.
FRONT_SRC="$("$PY" -c 'import importlib.util as u, pathlib; print(pathlib.Path(u.find_spec("streamlit_folium").origin).parent / "frontend" / "build")')"
FRONT_VER="$("$PY" -c 'from importlib.metadata import version; print(version("streamlit-folium"))')"
FRONT="$DEST/streamlit_folium/$FRONT_VER"
if [[ -f "$FRONT/index.html" ]]; then
  echo "fetch_assets: streamlit-folium $FRONT_VER front end present"
else
  echo "fetch_assets: streamlit-folium $FRONT_VER front end from its package"
  rm -rf "$DEST/streamlit_folium"
  mkdir -p "$FRONT.tmp/static/js"
  cp -p "$FRONT_SRC/index.html" "$FRONT.tmp/"
  cp -p "$FRONT_SRC"/static/js/*.js "$FRONT_SRC"/static/js/*.LICENSE.txt "$FRONT.tmp/static/js/"
  mv "$FRONT.tmp" "$FRONT"
fi

# The tile-less basemap: countries clipped to the region, simplified (about 45 KB).
BASEMAP="$DEST/basemap/countries_region.geojson"
if [[ ! -f "$BASEMAP" || "$DEST/world-atlas/countries-50m.json" -nt "$BASEMAP" ]]; then
  (cd "$ROOT" && "$PY" -m ui.basemap "$DEST/world-atlas/countries-50m.json" "$BASEMAP") ||
    echo "fetch_assets: basemap not built (Python deps missing?); the app derives it at start" >&2
fi
echo "fetch_assets: done -> $DEST"
