"""Data for the map page: compact, script-safe JSON and simplified GeoJSON geometry."""
from __future__ import annotations

import base64
import functools
import json
import re
import zlib
from collections.abc import Mapping
from typing import Any

_JS_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "'": "\\u0027",
              "\u2028": "\\u2028", "\u2029": "\\u2029"}
SIMPLIFY_DEG = 0.003  # ~300 m: invisible at the zoom levels that show a whole governorate
# Below this many bytes of JSON, zlib saves less than inflating costs.
DEFLATE_FROM = 2048
# zlib's default level: on the 1.3 MB of 17,279 places' rows it takes 19 ms where level 9 takes
# 95 ms for 2 % less, and a places layer is deflated each time a filter builds a new one.
DEFLATE_LEVEL = 6
_BLOB = re.compile(r'snmData\("([A-Za-z0-9+/=]*)"(, 1)?\)')


def js_data(value: Any) -> str:
    """A JS expression that evaluates to value in the map (needs DataDecoder on the map):
    base64 of UTF-8 JSON, zlib-deflated when it is large. Streamlit sends component arguments
    as ASCII-escaped JSON, where an Arabic letter costs 6 bytes; in base64 it costs 2.7, and
    deflated about 0.5. Every megabyte the page receives costs its busy main thread ~50 ms."""
    raw = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if len(raw) < DEFLATE_FROM:
        return f'snmData("{base64.b64encode(raw).decode("ascii")}")'
    return f'snmData("{base64.b64encode(zlib.compress(raw, DEFLATE_LEVEL)).decode("ascii")}", 1)'


def js_json(value: Any) -> str:
    """Compact JSON safe to inline in a <script> (no </script>, no HTML specials), UTF-8 kept."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return "".join(_JS_UNSAFE.get(ch, ch) for ch in text) if any(
        ch in text for ch in _JS_UNSAFE) else text


def decode_blobs(html: str) -> list[Any]:
    """Every value a rendered map page carries as snmData("…") (for tests and checks)."""
    out = []
    for blob, deflated in _BLOB.findall(html):
        raw = base64.b64decode(blob)
        out.append(json.loads((zlib.decompress(raw) if deflated else raw).decode("utf-8")))
    return out


def round_geometry(geometry: Mapping[str, Any], ndigits: int = 4) -> dict:
    """A GeoJSON geometry dict with rounded coordinates (smaller payload)."""
    def walk(c: Any) -> Any:
        """Coordinates, rounded, at any nesting depth."""
        if isinstance(c, (list, tuple)) and c and isinstance(c[0], (int, float)):
            return [round(float(v), ndigits) for v in c]
        return [walk(x) for x in c]
    if geometry.get("type") == "GeometryCollection":
        return {"type": "GeometryCollection",
                "geometries": [round_geometry(g, ndigits) for g in geometry["geometries"]]}
    return {"type": geometry["type"], "coordinates": walk(geometry["coordinates"])}


def geom_json(geom: Any, ndigits: int = 3, tolerance: float = SIMPLIFY_DEG) -> dict | None:
    """A shapely geometry (or GeoJSON dict) as a simplified, rounded GeoJSON dict (None if
    empty). Memoised: the same polygons come back on every rerun."""
    if geom is None:
        return None
    if isinstance(geom, Mapping):
        return round_geometry(geom, ndigits)
    if getattr(geom, "is_empty", False):
        return None
    try:
        return _shape_json(geom, ndigits, tolerance)
    except TypeError:  # unhashable geometry
        return _shape_json.__wrapped__(geom, ndigits, tolerance)


@functools.lru_cache(maxsize=8192)
def _shape_json(geom: Any, ndigits: int, tolerance: float) -> dict:
    """Cached body of geom_json for shapely geometries."""
    from shapely.geometry import mapping
    if tolerance and geom.geom_type != "Point":
        geom = geom.simplify(tolerance, preserve_topology=True)
    return round_geometry(mapping(geom), ndigits)
