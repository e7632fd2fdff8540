"""Geometry of the conflict layers: projections, Voronoi splits of a unit, bands and corridors."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import LineString, MultiPoint
from shapely.geometry.base import BaseGeometry

from snm.settings import METRIC_CRS

_TO_METRIC = Transformer.from_crs("EPSG:4326", METRIC_CRS, always_xy=True)
_TO_LONLAT = Transformer.from_crs(METRIC_CRS, "EPSG:4326", always_xy=True)
CONTACT_M = 1_000  # a zone edge this close to government-held land is a contact line
BAND_SIMPLIFY_M = 1_000  # a contact line is drawn to this tolerance before its band is drawn
CELL_SEGMENT_M = 1_000  # Voronoi cell edges are cut into pieces this long (see voronoi_split)


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


def voronoi_split(unit: BaseGeometry, unit_metric: BaseGeometry, x: np.ndarray, y: np.ndarray
                  ) -> list[BaseGeometry]:
    """The part of a lon/lat unit nearer (in metres) to each of the distinct metric points than to the others.

    The cells are drawn in metres and cut from the lon/lat unit, so the pieces keep the unit's
    own edges exactly and tile it. Their edges are cut into CELL_SEGMENT_M pieces first: a long
    straight edge is not straight in lon/lat, and a part cut again later (by a place's reach)
    must still meet its neighbour in both.
    """
    if len(x) == 1:
        return [unit]
    envelope = unit_metric.envelope.buffer(1_000)
    cells = shapely.get_parts(shapely.voronoi_polygons(MultiPoint(np.column_stack([x, y])),
                                                       extend_to=envelope, ordered=True))
    return [unit.intersection(geom_to_lonlat(shapely.segmentize(cell.intersection(envelope), CELL_SEGMENT_M)))
            for cell in cells]


def parse_km(extent: str) -> float:
    """Kilometres from '6' or a range '15-20' (its middle)."""
    parts = [float(p) for p in str(extent).split("-") if p.strip()]
    if not parts:
        raise ValueError(f"no distance in {extent!r}")
    return sum(parts) / len(parts)


def contact_band(zone: BaseGeometry, opponent: BaseGeometry, depth_km: float) -> BaseGeometry:
    """The strip of a lon/lat zone within depth_km of its edges that face the opponent's land."""
    zone_m, opponent_m = geom_to_metric(zone), geom_to_metric(opponent)
    segments = []
    for ring in shapely.get_parts(zone_m.boundary):
        xy = shapely.get_coordinates(ring)
        segments += [LineString(xy[i:i + 2]) for i in range(len(xy) - 1)]
    edges = np.array(segments, dtype=object)
    facing = edges[shapely.dwithin(edges, opponent_m, CONTACT_M)]
    if not len(facing):
        return shapely.Polygon()
    contact = shapely.line_merge(shapely.union_all(facing)).simplify(BAND_SIMPLIFY_M)
    return geom_to_lonlat(zone_m.intersection(contact.buffer(depth_km * 1000, quad_segs=4)))


def road_corridor(lon: Sequence[float], lat: Sequence[float], half_width_km: float,
                  outline_metric: BaseGeometry) -> BaseGeometry:
    """The lon/lat area within half_width_km of the road through these vertices, inside the country."""
    x, y = to_metric(np.asarray(lon), np.asarray(lat))
    corridor = LineString(np.column_stack([x, y])).buffer(half_width_km * 1000)
    return geom_to_lonlat(corridor.intersection(outline_metric))
