"""Reading the conflict-layer tables (data/conflict/*.csv) and users' layer GeoJSON files."""
from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from snm.errors import LayerError
from snm.settings import CONFLICT_DIR

ZONE_KINDS = ("Polygon", "MultiPolygon")
CONTROL_KINDS = ("Polygon", "MultiPolygon", "Point")


@dataclass(frozen=True)
class Controller:
    """One controller code of the legend: its names and colour (data/conflict/controllers.csv)."""

    code: str
    name_en: str
    name_ar: str
    color: str
    note: str = ""


def load_controllers(folder: Path = CONFLICT_DIR) -> dict[str, Controller]:
    """The controller codes the built-in tables use, in legend order; a user file may bring others."""
    table = read_table("controllers.csv", folder)
    return {r.code: Controller(r.code, r.name_en, r.name_ar, r.color, r.note)
            for r in table.itertuples(index=False)}


def as_date(value: Any) -> dt.date | None:
    """A date from a date, datetime, Timestamp or ISO string; None for empty values."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        raise LayerError(f"not an ISO date (YYYY-MM-DD): {text!r}") from None


def read_table(name: str, folder: Path = CONFLICT_DIR) -> pd.DataFrame:
    """One data/conflict CSV as strings (empty cells stay empty strings)."""
    path = folder / name
    if not path.is_file():
        raise LayerError(f"layer table not found: {path}")
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


def with_dates(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    """A copy with the named ISO-date columns turned into datetime.date or None."""
    out = frame.copy()
    for col in columns:
        out[col] = [as_date(v) for v in out[col]]
    return out


def load_zones(folder: Path = CONFLICT_DIR) -> pd.DataFrame:
    """The zone table with its date columns parsed."""
    cols = ("declared", "ceasefire_from", "boundaries_fixed", "valid_from", "valid_to")
    return with_dates(read_table("zones.csv", folder), cols)


def load_zone_units(folder: Path = CONFLICT_DIR) -> pd.DataFrame:
    """The member admin units of each zone."""
    return read_table("zone_units.csv", folder)


def load_zone_lines(folder: Path = CONFLICT_DIR) -> pd.DataFrame:
    """The vertices of zones drawn along a road, in order."""
    lines = read_table("zone_lines.csv", folder)
    lines["seq"] = lines["seq"].astype(int)
    lines["lat"] = lines["lat"].astype(float)
    lines["lon"] = lines["lon"].astype(float)
    return lines.sort_values(["zone_id", "seq"]).reset_index(drop=True)


def load_control_periods(folder: Path = CONFLICT_DIR) -> pd.DataFrame:
    """Who held each key town, interval by interval, with coordinates as floats."""
    periods = with_dates(read_table("control_periods.csv", folder), ("valid_from", "valid_to"))
    periods["lat"] = periods["lat"].astype(float)
    periods["lon"] = periods["lon"].astype(float)
    return periods


def load_place_reach(folder: Path = CONFLICT_DIR) -> pd.DataFrame:
    """Reaches of their own for some periods of some places (place_reach.csv; optional file).

    Columns place_id, valid_from (the period's start, as in control_periods.csv), reach_km,
    note, source. Other periods reach geo.layers.control.REACH_KM.
    """
    cols = ["place_id", "valid_from", "reach_km", "note", "source"]
    if not (folder / "place_reach.csv").is_file():
        return pd.DataFrame(columns=cols)
    table = with_dates(read_table("place_reach.csv", folder), ("valid_from",))
    try:
        table["reach_km"] = table["reach_km"].astype(float)
    except ValueError:
        raise LayerError("place_reach.csv: reach_km must be a number of kilometres") from None
    return table[cols]


def _user_row(feature: dict[str, Any], index: int, label: str) -> dict[str, Any]:
    """One user feature as a row (kind, ids, dates, geometry); raises LayerError if malformed."""
    where = f"{label}: feature {index}"
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise LayerError(f"{where} is not a GeoJSON Feature")
    props = feature.get("properties") or {}
    zone, controller = props.get("zone"), props.get("controller")
    if bool(zone) == bool(controller):
        raise LayerError(f"{where} needs exactly one of the properties 'zone' or 'controller'")
    try:
        geom = shape(feature["geometry"])
    except Exception:  # shapely raises several types for bad geometry
        raise LayerError(f"{where} has no valid geometry") from None
    kinds = ZONE_KINDS if zone else CONTROL_KINDS
    if geom.is_empty or geom.geom_type not in kinds:
        raise LayerError(f"{where}: a {'zone' if zone else 'controller'} feature must be "
                         f"{' or '.join(kinds)}, not {geom.geom_type}")
    minx, miny, maxx, maxy = geom.bounds
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        raise LayerError(f"{where}: coordinates must be longitude, latitude (WGS84)")
    try:
        start, end = as_date(props.get("valid_from")), as_date(props.get("valid_to"))
    except LayerError as err:
        raise LayerError(f"{where}: {err}") from None
    if start and end and end <= start:
        raise LayerError(f"{where}: valid_to must be after valid_from")
    name = props.get("name_en") or props.get("name") or str(zone or controller)
    note = ""
    if not geom.is_valid:
        reason = shapely.is_valid_reason(geom)
        geom = _polygonal(shapely.make_valid(geom)) if geom.geom_type != "Point" else geom
        if geom.is_empty:
            raise LayerError(f"{where}: the geometry is not valid ({reason}) and has no area once repaired")
        note = (f"{label}: feature {index} ({name}) was not a valid polygon ({reason}); "
                "repaired with shapely.make_valid")
    return {"kind": "zone" if zone else "control", "zone_id": str(zone) if zone else None,
            "controller": str(controller) if controller else None,
            "name_en": str(name), "name_ar": props.get("name_ar"),
            "valid_from": start, "valid_to": end,
            "approximate": bool(props.get("approximate", False)),
            "source": str(props.get("source") or f"user file {label}"), "note": note,
            "geometry": geom}


def _polygonal(geom: BaseGeometry) -> BaseGeometry:
    """The polygons of a repaired geometry (make_valid may add lines or points where it cut)."""
    if geom.geom_type in ZONE_KINDS:
        return geom
    return shapely.union_all([p for p in shapely.get_parts(geom) if p.geom_type in ZONE_KINDS])


def read_user_layers(path: str | Path) -> gpd.GeoDataFrame:
    """A user's layer GeoJSON as rows of kind 'zone' or 'control'; raises LayerError if unusable."""
    path = Path(path)
    label = path.name
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LayerError(f"layer file not found: {path}") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise LayerError(f"cannot read {path} as GeoJSON: {err}") from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise LayerError(f"{label}: expected a GeoJSON FeatureCollection")
    features = data.get("features")
    if not isinstance(features, list) or not features:
        raise LayerError(f"{label}: the FeatureCollection has no features")
    rows = [_user_row(f, i, label) for i, f in enumerate(features)]
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
