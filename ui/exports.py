"""Filtered mentions (Store.citations: with title, outlet, URL and sentence) as downloadable
CSV and GeoJSON bytes."""
from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any

import pandas as pd

from store.query import CITATION_COLUMNS

EXPORT_COLUMNS: tuple[str, ...] = CITATION_COLUMNS  # the store's citation, in its order
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _columns(df: pd.DataFrame) -> list[str]:
    """The export columns present in df, in the export order."""
    return [c for c in EXPORT_COLUMNS if c in df.columns]


def _plain(value: Any) -> Any:
    """A JSON-friendly scalar: dates as ISO strings, NaN as None, arrays as lists."""
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "tolist") and not isinstance(value, (str, bytes)):
        return _plain(value.tolist())
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        return value.date().isoformat() if not pd.isna(value) else None
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and math.isnan(value):
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if hasattr(value, "item"):
        return value.item()
    return value


def _csv_cell(value: Any) -> Any:
    """A CSV cell: lists joined with '|', text that a spreadsheet would run as a formula quoted."""
    value = _plain(value)
    if isinstance(value, list):
        value = "|".join(str(v) for v in value)
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def mentions_csv(df: pd.DataFrame) -> bytes:
    """Mentions as UTF-8 CSV (with BOM so spreadsheets read the Arabic), formula-safe."""
    cols = _columns(df)
    out = df[cols].copy() if cols else pd.DataFrame()
    for c in cols:
        if not pd.api.types.is_numeric_dtype(out[c]):
            out[c] = out[c].map(_csv_cell)
    return out.to_csv(index=False).encode("utf-8-sig")


def mentions_geojson(df: pd.DataFrame) -> bytes:
    """Mentions as a GeoJSON FeatureCollection of points (rows without coordinates skipped)."""
    cols = [c for c in _columns(df) if c not in ("lat", "lon")]
    features = []
    if {"lat", "lon"} <= set(df.columns):
        sub = df[df["lat"].notna() & df["lon"].notna()]
        records = sub[[*cols, "lat", "lon"]].to_dict("records")
        for r in records:
            features.append({
                "type": "Feature",
                "geometry": {"type": "Point",
                             "coordinates": [round(float(r["lon"]), 6), round(float(r["lat"]), 6)]},
                "properties": {c: _plain(r[c]) for c in cols},
            })
    data = {"type": "FeatureCollection", "features": features}
    return json.dumps(data, ensure_ascii=False).encode("utf-8")
