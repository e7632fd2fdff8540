"""Every setting in one place: data paths, the store, size limits, the projected CRS.

Paths are those of a checkout installed with `pip install -e .` (the README's `make setup`).
Environment variables override the defaults where a user needs to: SNM_STORE (the store the app
and `python -m store` use), SNM_HOST / SNM_PORT (where the app listens).
"""
from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA_DIR = REPO / "data"
GAZETTEER_DIR = DATA_DIR / "gazetteer"
CONFLICT_DIR = DATA_DIR / "conflict"
BOUNDARIES_DIR = DATA_DIR / "boundaries"
SAMPLES_DIR = DATA_DIR / "samples"
CACHE_DIR = DATA_DIR / "cache"
GAZETTEER_CACHE = CACHE_DIR / "gazetteer.pkl"
DEFAULT_STORE = DATA_DIR / "store"
STATIC_DIR = REPO / "static"
VENDOR_DIR = STATIC_DIR / "vendor"
ADMIN1_CSV = GAZETTEER_DIR / "admin1.csv"
ACTORS_CSV = CONFLICT_DIR / "actors.csv"

# One article (a file, a JSON Lines record, a pasted text, an upload) may not exceed this.
MAX_ARTICLE_BYTES = 10 * 1024 * 1024
# UTM zone 37N: metres, covers Syria with small distortion (buffers, areas, distances).
METRIC_CRS = "EPSG:32637"
WGS84 = "EPSG:4326"
# Syria's extent (south, west, north, east in degrees) widened by about 20 km: a user's
# gazetteer row outside it is a typing error (swapped or mistyped lat/lon), not a Syrian place.
SYRIA_BOUNDS = (32.1, 35.5, 37.5, 42.6)


def store_path() -> Path:
    """The store the app and the store command use: $SNM_STORE, else data/store."""
    return Path(os.environ.get("SNM_STORE") or DEFAULT_STORE)
