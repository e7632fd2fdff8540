"""Static layer frames (all dates) built from the tables, the boundaries and user files."""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from geo.layers.geometry import clean, contact_band, match_units, parse_km, road_corridor, to_metric, union_of

ZONE_COLUMNS = ["zone_id", "name_en", "name_ar", "declared", "ceasefire_from", "boundaries_fixed",
                "valid_from", "valid_to", "end_event", "guarantors", "source", "color", "approximate",
                "geometry_note", "origin", "member_geom", "partial_geom", "geometry"]
TOWN_COLUMNS = ["place_id", "name_en", "name_ar", "admin1", "lat", "lon", "x", "y", "controller",
                "valid_from", "valid_to", "precision", "approximate", "source", "origin"]
AREA_COLUMNS = ["controller", "name_en", "valid_from", "valid_to", "approximate", "source",
                "origin", "geometry"]
DRAWN = ("full", "partial")  # unit coverages drawn as part of a zone


def _units_geometry(zone_id: str, units: pd.DataFrame, subdistricts: gpd.GeoDataFrame
                    ) -> tuple[BaseGeometry | None, BaseGeometry | None, str]:
    """Full-unit and partial-unit unions of one zone, and a note on how they were drawn."""
    mine = units[units["zone_id"] == zone_id]
    full = union_of(mine.loc[mine["coverage"] == "full", "shape_id"].dropna(), subdistricts)
    partial = union_of(mine.loc[mine["coverage"] == "partial", "shape_id"].dropna(), subdistricts)
    drawn = mine[mine["coverage"].isin(DRAWN)]
    missing = drawn.loc[drawn["match"] == "none", "name_en"].tolist()
    fuzzy = drawn.loc[drawn["match"] == "fuzzy", "name_en"].tolist()
    left_out = mine.loc[~mine["coverage"].isin(DRAWN), "name_en"].tolist()
    note = (f"approximate: union of {len(drawn) - len(missing)} sub-districts "
            f"({(drawn['coverage'] == 'partial').sum()} only partly in the zone), so it overstates "
            "the zone; a place in a partly covered sub-district counts only where the government "
            "did not hold it")
    if fuzzy:
        note += f"; matched by similar name: {', '.join(fuzzy)}"
    if missing:
        note += f"; no polygon found for: {', '.join(missing)}"
    if left_out:
        note += f"; not drawn (outside the ceasefire or named only): {', '.join(left_out)}"
    return full, partial, note


def _zone_shape(row: pd.Series, units: pd.DataFrame, lines: pd.DataFrame, drawn: dict[str, BaseGeometry],
                subdistricts: gpd.GeoDataFrame, outline: BaseGeometry
                ) -> tuple[BaseGeometry | None, BaseGeometry | None, str]:
    """Member geometry, partial-member geometry and note for one built-in zone row."""
    rule = row["geometry"]
    if rule == "units":
        return _units_geometry(row["zone_id"], units, subdistricts)
    if rule.startswith("band:"):
        base = drawn.get(rule.split(":", 1)[1])
        if base is None:
            return None, None, f"omitted: its base zone {rule.split(':', 1)[1]} has no geometry"
        depth = parse_km(row["extent_km"])
        band = contact_band(base, outline, depth)
        return band, None, (f"approximate: a {row['extent_km']} km band ({depth:g} km drawn) inside the "
                            f"{rule.split(':', 1)[1]} zone along its edges away from the national border; "
                            "the real line followed the front of the day, not these admin units")
    if rule == "line":
        pts = lines[lines["zone_id"] == row["zone_id"]]
        if len(pts) < 2:
            return None, None, "omitted: no road vertices in zone_lines.csv"
        half = parse_km(row["extent_km"])
        corridor = road_corridor(pts["lon"].to_numpy(), pts["lat"].to_numpy(), half, outline)
        return corridor, None, (f"approximate: {half:g} km either side of a straight-line road through "
                                f"{', '.join(pts['place'])} (see zone_lines.csv)")
    return None, None, f"omitted: unknown geometry rule {rule!r}"


def build_zones(zones: pd.DataFrame, units: pd.DataFrame, lines: pd.DataFrame,
                subdistricts: gpd.GeoDataFrame, outline: BaseGeometry) -> gpd.GeoDataFrame:
    """One row per built-in zone with its drawn geometry and the geometry used for membership."""
    matched = match_units(units, subdistricts)
    drawn: dict[str, BaseGeometry] = {}
    rows = []
    for _, row in zones.iterrows():
        member, partial, note = _zone_shape(row, matched, lines, drawn, subdistricts, outline)
        parts = [g for g in (member, partial) if g is not None and not g.is_empty]
        geometry = (clean(shapely.union_all(parts)) if len(parts) > 1 else parts[0]) if parts else None
        if geometry is not None:
            drawn[row["zone_id"]] = geometry
        rows.append({**{c: row[c] for c in ZONE_COLUMNS[:12]}, "approximate": True,
                     "geometry_note": note, "origin": "built-in", "member_geom": member,
                     "partial_geom": partial, "geometry": geometry})
    return gpd.GeoDataFrame(rows, columns=ZONE_COLUMNS, geometry="geometry", crs="EPSG:4326")


def build_towns(periods: pd.DataFrame) -> pd.DataFrame:
    """Key-town control periods with metric coordinates."""
    x, y = to_metric(periods["lon"].to_numpy(), periods["lat"].to_numpy())
    return pd.DataFrame({
        "place_id": periods["place_id"], "name_en": periods["place"], "name_ar": periods["name_ar"],
        "admin1": periods["admin1"], "lat": periods["lat"], "lon": periods["lon"], "x": x, "y": y,
        "controller": periods["controller"], "valid_from": periods["valid_from"],
        "valid_to": periods["valid_to"], "precision": periods["precision"],
        "approximate": periods["coord_source"].str.startswith("approximate"),
        "source": periods["source"], "origin": "built-in"}, columns=TOWN_COLUMNS)


def user_zones(user: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The zone features of a user file in the zone frame's columns."""
    rows = user[user["kind"] == "zone"]
    out = pd.DataFrame({
        "zone_id": rows["zone_id"], "name_en": rows["name_en"], "name_ar": rows["name_ar"],
        "declared": None, "ceasefire_from": None, "boundaries_fixed": None,
        "valid_from": rows["valid_from"], "valid_to": rows["valid_to"], "end_event": "",
        "guarantors": "", "source": rows["source"], "color": None, "approximate": rows["approximate"],
        "geometry_note": "as given in the user file", "origin": "user",
        "member_geom": rows.geometry.values, "partial_geom": None, "geometry": rows.geometry.values},
        columns=ZONE_COLUMNS)
    return gpd.GeoDataFrame(out, geometry="geometry", crs="EPSG:4326")


def user_towns(user: gpd.GeoDataFrame) -> pd.DataFrame:
    """The point controller features of a user file as town periods."""
    rows = user[(user["kind"] == "control") & (user.geometry.geom_type == "Point")]
    lon, lat = rows.geometry.x.to_numpy(), rows.geometry.y.to_numpy()
    x, y = to_metric(lon, lat) if len(rows) else (np.array([]), np.array([]))
    return pd.DataFrame({
        "place_id": rows["name_en"], "name_en": rows["name_en"], "name_ar": rows["name_ar"],
        "admin1": None, "lat": lat, "lon": lon, "x": x, "y": y, "controller": rows["controller"],
        "valid_from": rows["valid_from"], "valid_to": rows["valid_to"], "precision": "day",
        "approximate": rows["approximate"], "source": rows["source"], "origin": "user"},
        columns=TOWN_COLUMNS)


def user_areas(user: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The polygon controller features of a user file."""
    rows = user[(user["kind"] == "control") & (user.geometry.geom_type != "Point")]
    out = pd.DataFrame({
        "controller": rows["controller"], "name_en": rows["name_en"],
        "valid_from": rows["valid_from"], "valid_to": rows["valid_to"],
        "approximate": rows["approximate"], "source": rows["source"], "origin": "user",
        "geometry": rows.geometry.values}, columns=AREA_COLUMNS)
    return gpd.GeoDataFrame(out, geometry="geometry", crs="EPSG:4326")
