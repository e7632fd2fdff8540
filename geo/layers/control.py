"""Control by sub-district: each OCHA unit takes the controller of its places valid on a date.

A unit whose places agree takes their controller; a unit whose places disagree is split
between them (each place gets the part of the unit nearer to it than to the unit's other
places: a Voronoi split clipped to the unit; places at the same point that disagree make a
CONTESTED part); a unit with no place valid on the date is UNKNOWN. Nothing is left as a hole.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from geo.layers.geometry import voronoi_split
from geo.layers.units import Units

UNKNOWN = "UNKNOWN"
CONTESTED = "CONTESTED"
SPLIT = ""  # the code of a unit whose places disagree (look at its pieces)
NO_PLACE = "control_periods.csv has no place in this sub-district"
SAME_POINT_M = 1.0  # places closer than this stand at the same point


def span_text(start: dt.date | None, end: dt.date | None) -> str:
    """'from 2016-12-11 to 2017-03-02' style text of a period."""
    text = f"from {start.isoformat()}" if start else "since the start of the records"
    return text + (f" to {end.isoformat()}" if end else "")


def _ordinal(value: Any, missing: int) -> int:
    """The day number of a date, or missing for an open end."""
    return value.toordinal() if isinstance(value, dt.date) else missing


@dataclass(frozen=True)
class Piece:
    """A part of a split unit held by one controller, and the places that decided it."""

    controller: str
    rows: tuple[int, ...]  # rows of the places table
    geometry: BaseGeometry  # lon/lat


@dataclass(frozen=True)
class Split:
    """A unit split between its places: their distinct points, codes and the drawn pieces."""

    x: np.ndarray
    y: np.ndarray
    codes: list[str]  # per distinct point (CONTESTED where places there disagree)
    rows: list[tuple[int, ...]]  # places table rows per distinct point
    pieces: list[Piece]


@dataclass
class UnitControl:
    """Who held each unit during one epoch (between two change dates)."""

    codes: np.ndarray  # controller per unit: a code, UNKNOWN, or SPLIT
    rows: list[tuple[int, ...]]  # places table rows valid in each unit (tuples: no GC tracking)
    splits: dict[int, Split] = field(default_factory=dict)


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
        self.names_by_unit: dict[int, list[str]] = {}
        for r in self.records:
            names = self.names_by_unit.setdefault(int(r["unit"]), [])
            if r["name_en"] not in names:
                names.append(r["name_en"])
        self.points = shapely.points(self.places["lon"].to_numpy(dtype=float),
                                     self.places["lat"].to_numpy(dtype=float))
        self._splits: dict[tuple[Any, ...], Split] = {}

    def valid_rows(self, day: dt.date) -> np.ndarray:
        """Rows of the places table whose period holds on day."""
        d = day.toordinal()
        return np.flatnonzero((self._from <= d) & (d < self._to) & (self._unit >= 0))

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
            found = {self.records[i]["controller"] for i in mine}
            if len(found) == 1:
                codes[u] = found.pop()
            elif found:
                split = self._split(u, mine)
                if len({p.controller for p in split.pieces}) == 1:  # all at one point: contested
                    codes[u] = split.pieces[0].controller
                else:
                    codes[u] = SPLIT
                    control.splits[u] = split
        return control

    def _split(self, u: int, rows: tuple[int, ...]) -> Split:
        """The split of unit u between the places in rows (cached by their points and codes)."""
        key = (u, *sorted((round(self._x[i]), round(self._y[i]), self.records[i]["controller"], i)
                          for i in rows))
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
        x = np.array([p[0] for p in points])
        y = np.array([p[1] for p in points])
        cells = voronoi_split(self.units.geoms[u], self.units.metric[u], x, y)
        pieces = []
        for code in sorted(set(codes)):
            idx = [k for k, c in enumerate(codes) if c == code]
            geom = shapely.union_all([cells[k] for k in idx])
            if not geom.is_empty:
                pieces.append(Piece(code, tuple(i for k in idx for i in point_rows[k]), geom))
        split = Split(x, y, codes, [tuple(r) for r in point_rows], pieces)
        self._splits[key] = split
        return split

    def codes_at_points(self, control: UnitControl, unit: np.ndarray, x: np.ndarray, y: np.ndarray
                        ) -> tuple[list[str | None], list[tuple[int, ...]]]:
        """Controller (UNKNOWN, a code, or None outside every unit) and deciding rows per point."""
        codes: list[str | None] = [None] * len(unit)
        rows: list[tuple[int, ...]] = [()] * len(unit)
        for i, u in enumerate(unit):
            if u < 0:
                continue
            code = control.codes[u]
            if code == SPLIT:
                split = control.splits[u]
                k = int(np.argmin((split.x - x[i]) ** 2 + (split.y - y[i]) ** 2))
                codes[i], rows[i] = split.codes[k], split.rows[k]
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
        others = "; ".join(self.period_text(i) for i in mine if i not in piece.rows)
        this = "; ".join(self.period_text(i) for i in piece.rows)
        how = ("its places disagree, so it is split between them (each part is the area nearer to "
               "its place than to the others, a Voronoi split)")
        if piece.controller == CONTESTED:
            how += "; places at the same point disagree here, so this part is contested"
        return f"{unit}: {how}. This part: {this}. Other parts: {others}"
