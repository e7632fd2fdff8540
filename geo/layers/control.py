"""Control by sub-district: each OCHA unit takes the controller of its places valid on a date.

A place decides the part of its unit near it, not a whole desert (the reach rule):

- A place reaches the ground within REACH_KM (20 km) of it, and the settled land of its unit
  joined to that ground: the unit's OCHA communities, each with the land within SETTLED_KM
  (7 km, geo/layers/units.py), as far as they form one belt with the place (villages up to
  14 km apart). 20 km is the depth of a town's own countryside: its nearest villages, the roads
  out of it and the ground its garrison patrols or shells, and twice the radius of a median
  sub-district (220 km², a circle of 8 km), so a place still decides the whole of an ordinary
  unit around it. The belt carries it along a river valley or a farming plain whose villages
  follow each other (the Euphrates, the Khabur, the Jazira plain), where a sub-district's
  villages go with its town; it stops where the steppe is empty. A reach alone (20 km and no
  belt) would leave 55% of Syria UNKNOWN, half the farmland of the Jazira with it; with the belt
  it is 43%: the Badia, the steppe south of the Jazira and of the Euphrates, the Harra east of
  as-Suwayda. A row of data/conflict/place_reach.csv gives a place a reach of its own for one
  period when a source names its area (the 55 km de-confliction zone around al-Tanf).
- What no place of the unit reaches is UNKNOWN: a town at the edge of a 13,000 km² desert
  unit no longer paints the desert (al-Sab' Biyar, al-Dumayr, as-Saan, the long strip of the
  Deir ez-Zor unit). A unit of at most WHOLE_KM2 (250 km², a circle of 9 km radius, about the
  median unit) is small enough that its places plausibly hold all of it: it is drawn whole, as
  is a unit its places reach all but WHOLE_SHARE of.
- Places that disagree split what they reach: each takes the part nearer to it than to the
  unit's other places (a Voronoi split clipped to the unit and to its reach); places at the
  same point that disagree make a CONTESTED part.

A unit with no place valid on the date is UNKNOWN. Nothing is left as a hole: the unreached
rest of a unit is an UNKNOWN piece of it.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from geo.layers.geometry import geom_to_lonlat, geom_to_metric, voronoi_split
from geo.layers.units import SETTLED_KM, Units

UNKNOWN = "UNKNOWN"
CONTESTED = "CONTESTED"
SPLIT = ""  # the code of a unit drawn in pieces (look at its pieces)
NO_PLACE = "control_periods.csv has no place in this sub-district"
SAME_POINT_M = 1.0  # places closer than this stand at the same point
NECK_M = 10.0  # a reach is opened by this much (see ControlModel._reach)
REACH_KM = 20.0  # a place decides its unit within this distance (and the settled belt joined to it)
WHOLE_KM2 = 250.0  # a unit this small is decided whole by its places
WHOLE_SHARE = 0.999  # a unit its places reach this much of is drawn whole (no unknown slivers)
REACH_TEXT = (f"a place decides the land within {REACH_KM:g} km of it and the villages of its "
              f"sub-district joined to that land (OCHA communities with the land within "
              f"{SETTLED_KM:g} km of each)")


def span_text(start: dt.date | None, end: dt.date | None) -> str:
    """'from 2016-12-11 to 2017-03-02' style text of a period."""
    text = f"from {start.isoformat()}" if start else "since the start of the records"
    return text + (f" to {end.isoformat()}" if end else "")


def _ordinal(value: Any, missing: int) -> int:
    """The day number of a date, or missing for an open end."""
    return value.toordinal() if isinstance(value, dt.date) else missing


@dataclass(frozen=True)
class Piece:
    """A part of a unit held by one controller (UNKNOWN: reached by none), and the places that decided it."""

    controller: str
    rows: tuple[int, ...]  # rows of the places table (empty for the unreached rest)
    geometry: BaseGeometry  # lon/lat


@dataclass(frozen=True)
class Cells:
    """The geometry of a unit between a set of distinct place points (independent of controllers)."""

    x: np.ndarray
    y: np.ndarray
    cells: list[BaseGeometry]  # lon/lat: the part each point decides (Voronoi cell, within its reach)
    reach: list[BaseGeometry | None]  # metric, prepared: each point's reach (None: no limit)
    rest: BaseGeometry | None  # lon/lat: the part of the unit no point reaches (None: nothing)


@dataclass(frozen=True)
class Split:
    """A unit drawn in pieces: its distinct points, their codes and rows, reaches and the pieces."""

    x: np.ndarray
    y: np.ndarray
    codes: list[str]  # per distinct point (CONTESTED where places there disagree)
    rows: list[tuple[int, ...]]  # places table rows per distinct point
    reach: list[BaseGeometry | None]  # per distinct point, metric (None: the whole Voronoi cell)
    pieces: list[Piece]


@dataclass
class UnitControl:
    """Who held each unit during one epoch (between two change dates)."""

    codes: np.ndarray  # controller per unit: a code, UNKNOWN, or SPLIT
    rows: list[tuple[int, ...]]  # places table rows valid in each unit (tuples: no GC tracking)
    splits: dict[int, Split] = field(default_factory=dict)


SLIVER_DEG2 = 1e-9  # no part smaller than this (~10 m²) is kept
SPIKE_DEG = 1e-6  # and its spikes and necks narrower than twice this (~20 cm) are cut off


def _clean(geom: BaseGeometry) -> BaseGeometry:
    """A part cut from a unit without slivers: parts under SLIVER_DEG2 dropped; if it is not
    valid in lon/lat or once projected to metres (a sliver left between a reach and the unit's
    edge can cross itself there), it is opened by SPIKE_DEG (what is thinner goes)."""
    geom = _polygons(geom)
    if geom.is_empty or (geom.is_valid and geom_to_metric(geom).is_valid):
        return geom
    opened = geom.buffer(-SPIKE_DEG, quad_segs=2).buffer(SPIKE_DEG, quad_segs=2)
    return _polygons(opened.intersection(geom))


def _polygons(geom: BaseGeometry) -> BaseGeometry:
    """The polygons of geom of at least SLIVER_DEG2, as one (multi)polygon."""
    parts = [p for p in shapely.get_parts(geom) if p.geom_type == "Polygon" and p.area >= SLIVER_DEG2]
    if not parts:
        return shapely.Polygon()
    return parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)


class ControlModel:
    """The places (control periods) of each unit, and the unit control on any date."""

    def __init__(self, units: Units, places: pd.DataFrame) -> None:
        """Index the places by unit; places has TOWN_COLUMNS and 'unit' (an index into units, or -1)."""
        self.units = units
        self.places = places.reset_index(drop=True)
        self.records: list[dict[str, Any]] = self.places.to_dict("records")
        self._from = np.array([_ordinal(v, -(10**9)) for v in self.places["valid_from"]], dtype=np.int64)
        self._to = np.array([_ordinal(v, 10**9) for v in self.places["valid_to"]], dtype=np.int64)
        self._unit = self.places["unit"].to_numpy(dtype=int)
        self._x = self.places["x"].to_numpy(dtype=float)
        self._y = self.places["y"].to_numpy(dtype=float)
        reach = pd.to_numeric(self.places.get("reach_km", pd.Series(np.nan, index=self.places.index)),
                              errors="coerce").to_numpy(dtype=float)
        self._reach_m = np.where(np.isfinite(reach) & (reach > 0), reach, REACH_KM) * 1000.0
        self._small = np.asarray(units.area_km2) <= WHOLE_KM2
        self.names_by_unit: dict[int, list[str]] = {}
        for r in self.records:
            names = self.names_by_unit.setdefault(int(r["unit"]), [])
            if r["name_en"] not in names:
                names.append(r["name_en"])
        self.points = shapely.points(self.places["lon"].to_numpy(dtype=float),
                                     self.places["lat"].to_numpy(dtype=float))
        self._splits: dict[tuple[Any, ...], Split] = {}
        self._cells: dict[tuple[Any, ...], Cells] = {}
        self._reaches: dict[tuple[int, int, int, int], tuple[BaseGeometry, BaseGeometry]] = {}

    def valid_rows(self, day: dt.date) -> np.ndarray:
        """Rows of the places table whose period holds on day."""
        d = day.toordinal()
        return np.flatnonzero((self._from <= d) & (d < self._to) & (self._unit >= 0))

    def reach_km(self, i: int) -> float:
        """The reach of row i of the places table, in km."""
        return float(self._reach_m[i]) / 1000.0

    def at(self, day: dt.date) -> UnitControl:
        """The unit control on day."""
        n = len(self.units)
        lists: dict[int, list[int]] = {}
        for i in self.valid_rows(day).tolist():
            lists.setdefault(int(self._unit[i]), []).append(i)
        rows: list[tuple[int, ...]] = [tuple(lists.get(u, ())) for u in range(n)]
        codes = np.full(n, UNKNOWN, dtype=object)
        control = UnitControl(codes, rows)
        for u, mine in enumerate(rows):
            if not mine:
                continue
            found = {self.records[i]["controller"] for i in mine}
            if len(found) == 1 and self._small[u]:  # a small unit that agrees: whole, no geometry
                codes[u] = found.pop()
                continue
            split = self._split(u, mine)
            if len(split.pieces) == 1:  # one controller reaching all of it (or contested at one point)
                codes[u] = split.pieces[0].controller
            else:
                codes[u] = SPLIT
                control.splits[u] = split
        return control

    def _split(self, u: int, rows: tuple[int, ...]) -> Split:
        """Unit u drawn from the places in rows: pieces per controller and the unreached rest
        (cached by their points, reaches and codes)."""
        key = (u, *sorted((round(self._x[i]), round(self._y[i]), round(self._reach_m[i]),
                           self.records[i]["controller"], i) for i in rows))
        cached = self._splits.get(key)
        if cached is not None:
            return cached
        points: list[tuple[float, float]] = []
        point_rows: list[list[int]] = []
        for i in sorted(rows, key=lambda r: (self._x[r], self._y[r])):
            for k, (px, py) in enumerate(points):
                if np.hypot(px - self._x[i], py - self._y[i]) < SAME_POINT_M:
                    point_rows[k].append(i)
                    break
            else:
                points.append((self._x[i], self._y[i]))
                point_rows.append([i])
        codes = []
        for pr in point_rows:
            found = {self.records[i]["controller"] for i in pr}
            codes.append(found.pop() if len(found) == 1 else CONTESTED)
        reach = [max(float(self._reach_m[i]) for i in pr) for pr in point_rows]
        cells = self._cells_of(u, points, reach)
        pieces = []
        for code in sorted(set(codes)):
            idx = [k for k, c in enumerate(codes) if c == code]
            geom = cells.cells[idx[0]] if len(idx) == 1 else _clean(shapely.union_all([cells.cells[k] for k in idx]))
            if not geom.is_empty:
                pieces.append(Piece(code, tuple(i for k in idx for i in point_rows[k]), geom))
        if cells.rest is not None:
            pieces.append(Piece(UNKNOWN, (), cells.rest))
        split = Split(cells.x, cells.y, codes, [tuple(r) for r in point_rows], cells.reach, pieces)
        self._splits[key] = split
        return split

    def _cells_of(self, u: int, points: list[tuple[float, float]], reach: list[float]) -> Cells:
        """The part of unit u each point decides, and the rest none reaches (cached by the points)."""
        key = (u, *((round(px), round(py), round(r)) for (px, py), r in zip(points, reach)))
        cached = self._cells.get(key)
        if cached is not None:
            return cached
        x = np.array([p[0] for p in points])
        y = np.array([p[1] for p in points])
        unit = self.units.geoms[u]
        voronoi = voronoi_split(unit, self.units.metric[u], x, y)
        cells: list[BaseGeometry] = voronoi
        limits: list[BaseGeometry | None] = [None] * len(points)
        rest = None
        if not self._small[u]:
            reaches = [self._reach(u, px, py, r) for (px, py), r in zip(points, reach)]
            clipped = [cell.intersection(lonlat) for cell, (_, lonlat) in zip(voronoi, reaches)]
            reached = shapely.union_all(clipped)
            if reached.area < WHOLE_SHARE * unit.area:  # else: reached all but slivers, drawn whole
                # the rest without its slivers, and the parts as its exact complement cut by the
                # Voronoi cells: every part meets the rest on the same vertices
                rest = _clean(unit.difference(reached))
                reached = unit.difference(rest)
                cells = [_clean(cell.intersection(reached)) for cell in voronoi]
                limits = [metric for metric, _ in reaches]
                if rest.is_empty:
                    rest = None
        out = Cells(x, y, cells, limits, rest)
        self._cells[key] = out
        return out

    def _reach(self, u: int, x: float, y: float, reach_m: float) -> tuple[BaseGeometry, BaseGeometry]:
        """A point's reach in unit u, in metres (prepared) and lon/lat: the disc of reach_m around
        it and the settled belt of the unit joined to that disc (cached)."""
        key = (u, round(x), round(y), round(reach_m))
        cached = self._reaches.get(key)
        if cached is not None:
            return cached
        disc = Point(x, y).buffer(reach_m, quad_segs=16)
        settled = self.units.settled(u)
        zone = disc
        if not settled.is_empty and settled.intersects(disc):
            parts = shapely.get_parts(shapely.union(settled, disc))
            zone = next((p for p in parts if p.intersects(Point(x, y))), disc)
        # necks narrower than 2 x NECK_M (two village circles that barely touch) are cut: they
        # would leave near-degenerate spikes in the parts cut from the unit
        zone = zone.buffer(-NECK_M, quad_segs=4).buffer(NECK_M, quad_segs=4)
        zone = next((p for p in shapely.get_parts(zone) if p.intersects(Point(x, y))), disc)
        metric = zone.intersection(self.units.metric[u].buffer(1_000))
        shapely.prepare(metric)
        out = (metric, geom_to_lonlat(zone))
        self._reaches[key] = out
        return out

    def codes_at_points(self, control: UnitControl, unit: np.ndarray, x: np.ndarray, y: np.ndarray
                        ) -> tuple[list[str | None], list[tuple[int, ...]]]:
        """Controller (UNKNOWN, a code, or None outside every unit) and deciding rows per point.

        In a unit drawn in pieces the nearest place answers if the point is within its reach;
        beyond it the answer is UNKNOWN, with that nearest place's rows (to say why).
        """
        codes: list[str | None] = [None] * len(unit)
        rows: list[tuple[int, ...]] = [()] * len(unit)
        for i, u in enumerate(unit):
            if u < 0:
                continue
            code = control.codes[u]
            if code == SPLIT:
                split = control.splits[u]
                k = int(np.argmin((split.x - x[i]) ** 2 + (split.y - y[i]) ** 2))
                limit = split.reach[k]
                inside = limit is None or bool(shapely.contains_xy(limit, x[i], y[i]))
                codes[i], rows[i] = (split.codes[k] if inside else UNKNOWN), split.rows[k]
            else:
                codes[i], rows[i] = code, control.rows[u]
        return codes, rows

    # ---- words for popups and answers -----------------------------------------------------
    def period_text(self, i: int) -> str:
        """'Yarmouk camp: ISIS from 2015-04-04 to 2018-05-21' for one row of the places table."""
        r = self.records[i]
        return f"{r['name_en']}: {r['controller']} {span_text(r['valid_from'], r['valid_to'])}"

    def sources(self, rows: tuple[int, ...] | list[int]) -> str:
        """The distinct sources of these rows, joined by ' | '."""
        seen: list[str] = []
        for i in rows:
            for part in str(self.records[i]["source"]).split(" | "):
                if part and part not in seen:
                    seen.append(part)
        return " | ".join(seen)

    def unit_basis(self, control: UnitControl, u: int, piece: Piece | None = None) -> str:
        """In words, which places decided unit u (or one piece of it) during the epoch."""
        unit = f"{self.units.name_en[u]} sub-district ({self.units.pcode[u]})"
        mine = control.rows[u]
        if not mine:
            names = self.names_by_unit.get(u)
            if not names:
                return f"{unit}: unknown, {NO_PLACE}"
            return f"{unit}: unknown, none of its places ({', '.join(names)}) has a known controller on this date"
        if piece is None:
            texts = "; ".join(self.period_text(i) for i in mine)
            if control.codes[u] == CONTESTED:
                return f"{unit}: contested, its places at the same point disagree: {texts}"
            return f"{unit} takes the controller of its places: {texts}"
        split = control.splits.get(u)
        reached = split is not None and any(r is not None for r in split.reach)
        if piece.controller == UNKNOWN and not piece.rows:
            texts = "; ".join(self.period_text(i) for i in mine)
            return (f"{unit}: unknown here, beyond the reach of its places ({REACH_TEXT}; "
                    f"the rest of a large unit is not decided by them): {texts}")
        others = "; ".join(self.period_text(i) for i in mine if i not in piece.rows)
        this = "; ".join(self.period_text(i) for i in piece.rows)
        how = []
        if reached:
            how.append(f"{REACH_TEXT}; the rest of this large unit is unknown")
        if split is not None and len(split.codes) > 1 and len(set(split.codes)) > 1:
            how.append("its places disagree, so it is split between them (each part is the area "
                       "nearer to its place than to the others, a Voronoi split)")
        if piece.controller == CONTESTED:
            how.append("places at the same point disagree here, so this part is contested")
        text = f"{unit}: {'; '.join(how)}. This part: {this}"
        return text + (f". Other parts: {others}" if others else "")
