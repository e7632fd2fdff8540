"""OCHA sub-districts (data/boundaries/admin3.geojson) as the clean coverage the control layer paints.

The OCHA polygons, as shipped, overlap their neighbours by 18 km² in all and leave 674 slivers
between them; `shapely.coverage_clean` gives every overlap and every gap narrower than
GAP_DEG to one neighbour, so the 272 units tile the country with no overlap and no hole.
Each unit also knows its settled land: the ground within SETTLED_KM of its OCHA communities
(data/gazetteer/communities.csv, COD-PP), which the control layer uses to tell a unit's villages
and fields from its empty desert (see geo/layers/control.py).
Read once per Layers object (no module-level cache).
"""
from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from geo.layers.geometry import geom_to_metric, to_metric
from snm.errors import LayerError
from snm.settings import BOUNDARIES_DIR, GAZETTEER_DIR

ADMIN3_FILE = "admin3.geojson"
GAP_DEG = 0.005  # gaps narrower than ~500 m between OCHA polygons go to a neighbour
# Long straight desert edges are cut into short ones, so that an edge is (to a centimetre) the same
# line in lon/lat and in metres and parts cut from a unit still meet their neighbours in both.
SEGMENT_DEG = 0.02
NEAR_M = 2_000.0  # a point this close outside every unit (coast, border) takes the nearest one
COMMUNITIES_CSV = GAZETTEER_DIR / "communities.csv"
# A village's fields and grazing reach about this far: the settled land of a unit is the ground
# within SETTLED_KM of one of its communities (villages 2 x SETTLED_KM apart form one belt).
SETTLED_KM = 7.0


@dataclass(eq=False)
class Units:
    """The sub-districts: codes, names, lon/lat and metric polygons, and point lookups."""

    pcode: list[str]
    name_en: list[str]
    name_ar: list[str]
    admin1_pcode: list[str]
    admin2_pcode: list[str]
    geoms: np.ndarray  # lon/lat polygons, a clean coverage
    attribution: str = ""
    communities: dict[str, np.ndarray] = field(default_factory=dict)  # pcode -> (n, 2) lon/lat
    index: dict[str, int] = field(init=False)

    def __post_init__(self) -> None:
        """Index the polygons for point lookups and keep their metric versions."""
        self.index = {p: i for i, p in enumerate(self.pcode)}
        self.metric = np.array([geom_to_metric(g) for g in self.geoms], dtype=object)
        self.outline = shapely.coverage_union_all(self.geoms)
        self.outline_metric = geom_to_metric(self.outline)
        self._tree = shapely.STRtree(self.geoms)
        self._tree_metric = shapely.STRtree(self.metric)
        self.by_admin2: dict[str, list[int]] = {}
        for i, code in enumerate(self.admin2_pcode):
            self.by_admin2.setdefault(code, []).append(i)
        self.area_km2 = shapely.area(self.metric) / 1e6
        self._settled: dict[int, BaseGeometry] = {}

    def settled(self, u: int) -> BaseGeometry:
        """Unit u's settled land in metres: within SETTLED_KM of its communities (built on first use)."""
        geom = self._settled.get(u)
        if geom is None:
            lonlat = self.communities.get(self.pcode[u])
            if lonlat is None or not len(lonlat):
                geom = shapely.Polygon()
            else:
                x, y = to_metric(lonlat[:, 0], lonlat[:, 1])
                rings = shapely.buffer(shapely.points(x, y), SETTLED_KM * 1000, quad_segs=4)
                geom = shapely.union_all(rings).intersection(self.metric[u])
            self._settled[u] = geom
        return geom

    def __len__(self) -> int:
        """Number of units."""
        return len(self.pcode)

    def locate(self, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
        """Index of the unit holding each point (the nearest within NEAR_M outside all), else -1."""
        lat, lon = np.asarray(lat, dtype=float), np.asarray(lon, dtype=float)
        out = np.full(len(lat), -1, dtype=int)
        ok = np.flatnonzero(np.isfinite(lat) & np.isfinite(lon))
        if not len(ok):
            return out
        pts, unit = self._tree.query(shapely.points(lon[ok], lat[ok]), predicate="intersects")
        out[ok[pts[::-1]]] = unit[::-1]  # a point on a shared edge takes the first unit
        miss = ok[out[ok] < 0]
        if len(miss):
            x, y = to_metric(lon[miss], lat[miss])
            pts, unit = self._tree_metric.query_nearest(shapely.points(x, y), max_distance=NEAR_M)
            out[miss[pts[::-1]]] = unit[::-1]
        return out


def load_communities(path: Path = COMMUNITIES_CSV) -> dict[str, np.ndarray]:
    """The OCHA community points (lon, lat) of each sub-district; empty if the file is missing."""
    out: dict[str, list[tuple[float, float]]] = {}
    try:
        with path.open(encoding="utf-8", newline="") as f:
            for r in csv.DictReader(f):
                if r.get("admin3_pcode") and r.get("lat") and r.get("lon"):
                    out.setdefault(r["admin3_pcode"], []).append((float(r["lon"]), float(r["lat"])))
    except OSError:
        return {}
    return {k: np.array(v, dtype=float) for k, v in out.items()}


def load_units(folder: Path = BOUNDARIES_DIR, communities: Path = COMMUNITIES_CSV) -> Units:
    """The OCHA sub-districts of folder/admin3.geojson, cleaned into a coverage, with their communities."""
    path = folder / ADMIN3_FILE
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        raise LayerError(f"cannot read the sub-district polygons {path}: {err}") from None
    feats = sorted(doc.get("features") or [], key=lambda f: f["properties"]["pcode"])
    if not feats:
        raise LayerError(f"{path} has no features")
    props = [f["properties"] for f in feats]
    raw = np.array([shapely.make_valid(shape(f["geometry"])) for f in feats], dtype=object)
    clean = shapely.coverage_clean(shapely.segmentize(raw, SEGMENT_DEG), gap_width=GAP_DEG)
    geoms = np.array([_polygonal(g) for g in clean], dtype=object)
    return Units([p["pcode"] for p in props], [p["name_en"] for p in props],
                 [p["name_ar"] for p in props], [p["admin1_pcode"] for p in props],
                 [p["admin2_pcode"] for p in props], geoms, str(doc.get("attribution", "")),
                 load_communities(communities))


def _polygonal(geom: BaseGeometry) -> BaseGeometry:
    """The polygonal part of a geometry (cleaning may leave stray lines in a collection)."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts)
