"""Geometry of the conflict layers: zones from admin units, bands, corridors, Voronoi areas."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer
from rapidfuzz import fuzz, process
from shapely.geometry import LineString, MultiPoint, Point
from shapely.geometry.base import BaseGeometry

from snm.settings import METRIC_CRS

_TO_METRIC = Transformer.from_crs("EPSG:4326", METRIC_CRS, always_xy=True)
_TO_LONLAT = Transformer.from_crs(METRIC_CRS, "EPSG:4326", always_xy=True)
FUZZY_MIN = 60  # rapidfuzz ratio below which a sub-district name is not matched
BORDER_TOLERANCE_M = 2_000  # zone edges this close to the national border are not contact lines
SEAM_M = 250  # gaps narrower than twice this between member polygons are closed
HOLE_M2 = 5e6  # holes and islands smaller than 5 km² are dropped


def name_key(name: str) -> str:
    """ASCII letters of a romanised name, lower case (Rabī‘ah -> rabiah)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]", "", ascii_name.lower())


def to_metric(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Longitude/latitude arrays to UTM 37N metres."""
    x, y = _TO_METRIC.transform(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    return np.asarray(x), np.asarray(y)


def geom_to_metric(geom: BaseGeometry) -> BaseGeometry:
    """A lon/lat geometry in UTM 37N metres."""
    return shapely.transform(geom, lambda xy: np.column_stack(_TO_METRIC.transform(xy[:, 0], xy[:, 1])))


def geom_to_lonlat(geom: BaseGeometry) -> BaseGeometry:
    """A UTM 37N geometry back in lon/lat."""
    return shapely.transform(geom, lambda xy: np.column_stack(_TO_LONLAT.transform(xy[:, 0], xy[:, 1])))


def match_units(units: pd.DataFrame, subdistricts: gpd.GeoDataFrame) -> pd.DataFrame:
    """Units with the shape_id of the sub-district polygon of the same name and governorate."""
    keys = subdistricts["name_en"].fillna("").map(name_key)
    shape_ids, how = [], []
    for name, admin1, level in zip(units["name_en"], units["admin1"], units["admin_level"]):
        if str(level) != "3":
            shape_ids.append(None)
            how.append("none")
            continue
        same_gov = keys[subdistricts["admin1"] == admin1]
        exact = same_gov[same_gov == name_key(name)]
        if len(exact) == 1:
            shape_ids.append(subdistricts.loc[exact.index[0], "shape_id"])
            how.append("exact")
            continue
        best = process.extractOne(name_key(name), same_gov.to_dict(), scorer=fuzz.ratio)
        if best and best[1] >= FUZZY_MIN:
            shape_ids.append(subdistricts.loc[best[2], "shape_id"])
            how.append("fuzzy")
        else:
            shape_ids.append(None)
            how.append("none")
    return units.assign(shape_id=shape_ids, match=how)


def clean(geom: BaseGeometry) -> BaseGeometry:
    """geom without the slivers and small holes left where neighbouring polygons do not meet."""
    closed = geom_to_metric(geom).buffer(SEAM_M).buffer(-SEAM_M)
    parts = [shapely.Polygon(p.exterior, [r for r in p.interiors if shapely.Polygon(r).area > HOLE_M2])
             for p in shapely.get_parts(closed) if p.area > HOLE_M2]
    return geom_to_lonlat(shapely.union_all(parts)) if parts else geom


def union_of(shape_ids: Sequence[str], subdistricts: gpd.GeoDataFrame) -> BaseGeometry | None:
    """The cleaned union of the sub-district polygons with these ids, or None if there are none."""
    chosen = subdistricts[subdistricts["shape_id"].isin(list(shape_ids))]
    if chosen.empty:
        return None
    return clean(shapely.union_all(shapely.make_valid(chosen.geometry.values)))


def parse_km(extent: str) -> float:
    """Kilometres from '6' or a range '15-20' (its middle)."""
    parts = [float(p) for p in str(extent).split("-") if p.strip()]
    if not parts:
        raise ValueError(f"no distance in {extent!r}")
    return sum(parts) / len(parts)


def contact_band(base: BaseGeometry, outline: BaseGeometry, depth_km: float) -> BaseGeometry:
    """The strip of base within depth_km of its edges that are not the national border."""
    base_m, outline_m = geom_to_metric(base), geom_to_metric(outline)
    border = outline_m.boundary.buffer(BORDER_TOLERANCE_M)
    contact = base_m.boundary.difference(border)
    band = base_m.intersection(contact.buffer(depth_km * 1000))
    return geom_to_lonlat(band)


def road_corridor(lon: Sequence[float], lat: Sequence[float], half_width_km: float,
                  outline: BaseGeometry) -> BaseGeometry:
    """The area within half_width_km of the road through these vertices, inside the country."""
    x, y = to_metric(np.asarray(lon), np.asarray(lat))
    corridor = LineString(np.column_stack([x, y])).buffer(half_width_km * 1000)
    return geom_to_lonlat(corridor.intersection(geom_to_metric(outline)))


def voronoi_cells(x: np.ndarray, y: np.ndarray, outline_m: BaseGeometry,
                  reach_m: float | None) -> list[BaseGeometry]:
    """The Voronoi cell of each metric point, clipped to the outline and to reach_m around it."""
    pts = np.column_stack([x, y])
    if len(pts) == 0:
        return []
    uniq, inverse = np.unique(pts, axis=0, return_inverse=True)
    inverse = np.asarray(inverse).reshape(-1)
    if len(uniq) == 1:
        cells = [outline_m]
    else:
        regions = shapely.voronoi_polygons(MultiPoint(uniq), extend_to=outline_m.envelope.buffer(1),
                                           ordered=True)
        cells = list(shapely.get_parts(regions))
    clipped = []
    for i, cell in enumerate(cells):
        area = cell.intersection(outline_m)
        if reach_m is not None:
            area = area.intersection(Point(uniq[i]).buffer(reach_m, quad_segs=16))
        clipped.append(area)
    return [clipped[k] for k in inverse]


def nearest(x: np.ndarray, y: np.ndarray, sx: np.ndarray, sy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Index of the nearest seed to each point and its distance in metres."""
    d2 = (x[:, None] - sx[None, :]) ** 2 + (y[:, None] - sy[None, :]) ** 2
    idx = np.argmin(d2, axis=1)
    return idx, np.sqrt(d2[np.arange(len(x)), idx])
