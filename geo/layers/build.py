"""Static frames (all dates) built from the tables, the sub-districts and users' files."""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.layers.geometry import parse_km, road_corridor, to_metric
from geo.layers.units import Units

ZONE_COLUMNS = ["zone_id", "name_en", "name_ar", "declared", "ceasefire_from", "boundaries_fixed",
                "valid_from", "valid_to", "end_event", "guarantors", "source", "color", "approximate",
                "geometry_note", "origin", "rule", "units", "extent_km", "geometry"]
TOWN_COLUMNS = ["place_id", "name_en", "name_ar", "admin1", "admin3_pcode", "unit", "lat", "lon", "x",
                "y", "controller", "valid_from", "valid_to", "precision", "approximate", "source",
                "origin", "reach_km"]
AREA_COLUMNS = ["controller", "name_en", "valid_from", "valid_to", "approximate", "source",
                "origin", "note", "geometry"]
DRAWN = ("full", "partial")  # unit coverages that are part of a zone's terms


def _zone_units(zone_id: str, units: pd.DataFrame, known: Units) -> tuple[tuple[int, ...], str]:
    """Indices of the sub-districts a zone's terms covered, and a note on how it is drawn."""
    mine = units[units["zone_id"] == zone_id]
    drawn = mine[mine["coverage"].isin(DRAWN)]
    found = tuple(known.index[p] for p in drawn["admin3_pcode"] if p in known.index)
    missing = [n for p, n in zip(drawn["admin3_pcode"], drawn["name_en"]) if p not in known.index]
    left_out = mine.loc[~mine["coverage"].isin(DRAWN), "name_en"].tolist()
    note = (f"approximate: on each date, the part of its {len(found)} sub-districts "
            f"({(drawn['coverage'] == 'partial').sum()} only partly in the zone's terms) that the "
            "control layer shows held by the parties the zone covered (OPP, HTS, or a city divided "
            "between them and the government); government-held parts are not in the zone")
    if missing:
        note += f"; no polygon found for: {', '.join(missing)}"
    if left_out:
        note += f"; not drawn (outside the ceasefire or named only): {', '.join(left_out)}"
    return found, note


def build_zones(zones: pd.DataFrame, units: pd.DataFrame, lines: pd.DataFrame, known: Units
                ) -> gpd.GeoDataFrame:
    """One row per built-in zone: its rule, the units or shape of its terms, and that outline."""
    rows = []
    for _, row in zones.iterrows():
        rule, geometry, note = row["geometry"], None, ""
        member: tuple[int, ...] = ()
        if rule == "units":
            member, note = _zone_units(row["zone_id"], units, known)
            geometry = shapely.coverage_union_all(known.geoms[list(member)]) if member else None
        elif rule.startswith("band:"):
            base = rule.split(":", 1)[1]
            note = (f"approximate: a {row['extent_km']} km band ({parse_km(row['extent_km']):g} km drawn) "
                    f"inside the {base} zone as it stood when the band's limits were fixed "
                    f"({row['boundaries_fixed']}), along its edges that faced government-held land; "
                    "on each date only the part held by the parties the zone covered")
        elif rule == "line":
            pts = lines[lines["zone_id"] == row["zone_id"]]
            if len(pts) >= 2:
                half = parse_km(row["extent_km"])
                geometry = road_corridor(pts["lon"].to_numpy(), pts["lat"].to_numpy(), half,
                                         known.outline_metric)
                member = tuple(int(i) for i in shapely.STRtree(known.geoms).query(
                    geometry, predicate="intersects"))
                note = (f"approximate: {half:g} km either side of a straight-line road through "
                        f"{', '.join(pts['place'])} (see zone_lines.csv); on each date only the part "
                        "held by the parties the zone covered")
            else:
                note = "omitted: no road vertices in zone_lines.csv"
        else:
            note = f"omitted: unknown geometry rule {rule!r}"
        rows.append({**{c: row[c] for c in ZONE_COLUMNS[:12]}, "approximate": True,
                     "geometry_note": note, "origin": "built-in", "rule": rule,
                     "units": member, "extent_km": row["extent_km"], "geometry": geometry})
    return gpd.GeoDataFrame(rows, columns=ZONE_COLUMNS, geometry="geometry", crs="EPSG:4326")


def build_towns(periods: pd.DataFrame, known: Units, reach: pd.DataFrame | None = None) -> pd.DataFrame:
    """Control periods of the places, with metric coordinates, the index of their unit and their
    own reach in km where place_reach.csv gives one (else NaN: the default reach)."""
    x, y = to_metric(periods["lon"].to_numpy(), periods["lat"].to_numpy())
    unit = [known.index.get(p, -1) for p in periods["admin3_pcode"]]
    own: dict[tuple[str, object], float] = {}
    if reach is not None:
        own = {(r.place_id, r.valid_from): float(r.reach_km) for r in reach.itertuples(index=False)}
    reach_km = [own.get((p, v), np.nan) for p, v in zip(periods["place_id"], periods["valid_from"])]
    return pd.DataFrame({
        "place_id": periods["place_id"], "name_en": periods["place"], "name_ar": periods["name_ar"],
        "admin1": periods["admin1"], "admin3_pcode": periods["admin3_pcode"], "unit": unit,
        "lat": periods["lat"], "lon": periods["lon"], "x": x, "y": y,
        "controller": periods["controller"], "valid_from": periods["valid_from"],
        "valid_to": periods["valid_to"], "precision": periods["precision"],
        "approximate": periods["coord_source"].str.startswith("approximate"),
        "source": periods["source"], "origin": "built-in", "reach_km": reach_km}, columns=TOWN_COLUMNS)


def user_zones(user: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The zone features of a user file in the zone frame's columns (drawn as given)."""
    rows = user[user["kind"] == "zone"]
    out = pd.DataFrame({
        "zone_id": rows["zone_id"], "name_en": rows["name_en"], "name_ar": rows["name_ar"],
        "declared": None, "ceasefire_from": None, "boundaries_fixed": None,
        "valid_from": rows["valid_from"], "valid_to": rows["valid_to"], "end_event": "",
        "guarantors": "", "source": rows["source"], "color": None, "approximate": rows["approximate"],
        "geometry_note": ["as given in the user file" + (f"; {n}" if n else "") for n in rows["note"]],
        "origin": "user", "rule": "user", "units": [() for _ in range(len(rows))], "extent_km": "",
        "geometry": rows.geometry.values}, columns=ZONE_COLUMNS)
    return gpd.GeoDataFrame(out, geometry="geometry", crs="EPSG:4326")


def user_towns(user: gpd.GeoDataFrame, known: Units) -> pd.DataFrame:
    """The point controller features of a user file as places joining their sub-district."""
    rows = user[(user["kind"] == "control") & (user.geometry.geom_type == "Point")]
    lon, lat = rows.geometry.x.to_numpy(), rows.geometry.y.to_numpy()
    x, y = to_metric(lon, lat) if len(rows) else (np.array([]), np.array([]))
    unit = known.locate(lat, lon) if len(rows) else np.array([], dtype=int)
    return pd.DataFrame({
        "place_id": rows["name_en"], "name_en": rows["name_en"], "name_ar": rows["name_ar"],
        "admin1": None, "admin3_pcode": [known.pcode[u] if u >= 0 else "" for u in unit],
        "unit": unit, "lat": lat, "lon": lon, "x": x, "y": y, "controller": rows["controller"],
        "valid_from": rows["valid_from"], "valid_to": rows["valid_to"], "precision": "day",
        "approximate": rows["approximate"], "source": rows["source"], "origin": "user",
        "reach_km": np.nan}, columns=TOWN_COLUMNS)


def user_areas(user: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The polygon controller features of a user file."""
    rows = user[(user["kind"] == "control") & (user.geometry.geom_type != "Point")]
    out = pd.DataFrame({
        "controller": rows["controller"], "name_en": rows["name_en"],
        "valid_from": rows["valid_from"], "valid_to": rows["valid_to"],
        "approximate": rows["approximate"], "source": rows["source"], "origin": "user",
        "note": rows["note"], "geometry": rows.geometry.values}, columns=AREA_COLUMNS)
    return gpd.GeoDataFrame(out, geometry="geometry", crs="EPSG:4326")
