"""The Layers object: zones and control at a date, answered per epoch between change dates.

Everything here is pure computation over the tables: no UI, no database.
"""
from __future__ import annotations

import bisect
import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from geo.layers.build import (
    AREA_COLUMNS,
    ZONE_COLUMNS,
    build_towns,
    build_zones,
    user_areas,
    user_towns,
    user_zones,
)
from geo.layers.geometry import geom_to_lonlat, geom_to_metric, nearest, to_metric, voronoi_cells
from geo.layers.tables import (
    Controller,
    as_date,
    load_control_periods,
    load_controllers,
    load_zone_lines,
    load_zone_units,
    load_zones,
    read_user_layers,
)
from snm.errors import LayerError
from snm.settings import CONFLICT_DIR

REACH_KM = 75.0  # beyond this distance from every key town the controller is unknown
BORDER_SLACK_M = 2_000  # points this close outside the outline still count as in Syria
ZONE_OUT = ["zone_id", "name_en", "name_ar", "status", "valid_from", "valid_to", "declared",
            "ceasefire_from", "approximate", "geometry_note", "origin", "source", "color", "geometry"]
CONTROL_OUT = ["kind", "controller", "basis", "approximate", "valid_from", "valid_to", "place_id",
               "name_en", "name_ar", "origin", "source", "geometry"]
VORONOI_SOURCE = ("approximation: each area is the part of Syria nearer to its key towns than to "
                  "any other key town (Voronoi), within {reach} of a town; the towns' control "
                  "periods and their sources are in data/conflict/control_periods.csv")


def _holds(record: dict[str, Any], day: dt.date) -> bool:
    """Whether a record's half-open period [valid_from, valid_to) contains day (None = open)."""
    start, end = _day_or_none(record["valid_from"]), _day_or_none(record["valid_to"])
    return (start is None or start <= day) and (end is None or day < end)


def _day_or_none(value: Any) -> dt.date | None:
    """value if it is a date, else None (missing values may arrive as NaN after a concat)."""
    return value if isinstance(value, dt.date) else None


def zone_status(declared: dt.date | None, start: dt.date | None, end: dt.date | None,
                day: dt.date) -> str | None:
    """'announced', 'active' or 'ended' on day, or None before the zone existed."""
    if end is not None and day >= end:
        return "ended"
    if start is None or day >= start:
        return "active"
    if declared is not None and day >= declared:
        return "announced"
    return None


def _span_text(start: dt.date | None, end: dt.date | None) -> str:
    """'from 2016-12-11 to 2017-03-02' style text of a period."""
    text = f"from {start.isoformat()}" if start else "since the start of the records"
    return text + (f" to {end.isoformat()}" if end else "")


@dataclass
class _Epoch:
    """Everything that holds between two consecutive change dates, ready for lookups."""

    start: dt.date | None
    end: dt.date | None
    zone_rows: list[dict[str, Any]]  # zones with a status on this epoch's dates
    active: list[tuple[str, BaseGeometry | None, BaseGeometry | None]]  # id, member, partial
    towns: list[dict[str, Any]]  # key-town periods valid in the epoch
    town_x: np.ndarray
    town_y: np.ndarray
    town_text: list[str]  # "nearest key town Raqqa: ISIS from ... to ..."
    areas: list[dict[str, Any]]  # user control polygons valid in the epoch
    zones: gpd.GeoDataFrame | None = None  # built on first use
    control: gpd.GeoDataFrame | None = None  # built on first use


@dataclass(eq=False)
class Layers:
    """Zones and areas of control at any date, from built-in tables and users' files."""

    zones: gpd.GeoDataFrame  # one row per zone, all dates (ZONE_COLUMNS)
    towns: pd.DataFrame  # key-town control periods (TOWN_COLUMNS)
    areas: gpd.GeoDataFrame  # control polygons from users' files (AREA_COLUMNS)
    outline: BaseGeometry  # Syria
    reach_km: float | None = REACH_KM
    notes: tuple[str, ...] = ()
    controllers: dict[str, Controller] = field(default_factory=dict)  # the legend, in order
    fingerprint: str = ""  # changes whenever a table or user file behind these layers does
    _epochs: dict[int, _Epoch] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        """Prepare geometry for fast point tests and the list of change dates."""
        self._outline_metric = geom_to_metric(self.outline)
        self._outline_m = self._outline_metric.buffer(BORDER_SLACK_M)
        shapely.prepare(self._outline_m)
        self._zone_records = self.zones.to_dict("records")
        self._town_records = self.towns.to_dict("records")
        self._area_records = self.areas.to_dict("records")
        for geoms in (self.zones["member_geom"], self.zones["partial_geom"], self.areas.geometry):
            for g in geoms:
                if isinstance(g, BaseGeometry):
                    shapely.prepare(g)
        dates = set()
        for frame, cols in ((self.zones, ("declared", "valid_from", "valid_to")),
                            (self.towns, ("valid_from", "valid_to")),
                            (self.areas, ("valid_from", "valid_to"))):
            for col in cols:
                dates.update(d for d in frame[col] if isinstance(d, dt.date))
        self._changes = sorted(dates)

    # ---- construction -------------------------------------------------------------------
    @classmethod
    def default(cls) -> Layers:
        """The built-in zones and control from data/conflict (build once, pass it around)."""
        return cls.from_tables()

    @classmethod
    def from_tables(cls, folder: Path = CONFLICT_DIR, reach_km: float | None = REACH_KM) -> Layers:
        """Layers built from the conflict tables in folder and the shipped boundaries."""
        from geo import boundaries

        outline = boundaries.country_outline()
        zones = build_zones(load_zones(folder), load_zone_units(folder), load_zone_lines(folder),
                            boundaries.subdistricts(), outline)
        notes = tuple(f"{z}: {n}" for z, n, g in zip(zones["zone_id"], zones["geometry_note"],
                                                     zones.geometry) if g is None)
        empty_areas = gpd.GeoDataFrame(columns=AREA_COLUMNS, geometry="geometry", crs="EPSG:4326")
        return cls(zones, build_towns(load_control_periods(folder)), empty_areas, outline,
                   reach_km, notes, load_controllers(folder), _fingerprint(folder.glob("*.csv")))

    def with_user_file(self, path: str | Path, mode: str = "add") -> Layers:
        """New Layers with a user's GeoJSON added ('add') or replacing the built-in kinds it has."""
        if mode not in ("add", "replace"):
            raise LayerError(f"mode must be 'add' or 'replace', not {mode!r}")
        user = read_user_layers(path)
        zones, towns, areas = user_zones(user), user_towns(user), user_areas(user)
        keep_zones, keep_control = self.zones, (self.towns, self.areas)
        if mode == "replace":
            if len(zones):
                keep_zones = self.zones.iloc[0:0]
            if len(towns) or len(areas):
                keep_control = (self.towns.iloc[0:0], self.areas.iloc[0:0])
        controllers = dict(self.controllers)
        for code in sorted(set(towns["controller"]) | set(areas["controller"]) - set(controllers)):
            controllers[code] = Controller(code, code, code, "#7f7f7f", "from a user file")
        fingerprint = hashlib.sha256(
            f"{self.fingerprint}|{mode}|{_fingerprint([Path(path)])}".encode()).hexdigest()[:16]
        return Layers(_concat_geo([keep_zones, zones], ZONE_COLUMNS),
                      pd.concat([keep_control[0], towns], ignore_index=True),
                      _concat_geo([keep_control[1], areas], AREA_COLUMNS),
                      self.outline, self.reach_km, self.notes, controllers, fingerprint)

    # ---- per-date state -----------------------------------------------------------------
    def _epoch(self, day: dt.date) -> _Epoch:
        """The cached state of the period between change dates that contains day."""
        key = bisect.bisect_right(self._changes, day)
        epoch = self._epochs.get(key)
        if epoch is None:
            epoch = self._build_epoch(key, day)
            self._epochs[key] = epoch
        return epoch

    def _build_epoch(self, key: int, day: dt.date) -> _Epoch:
        """Select the zones, towns and user areas that hold on day and index them for lookups."""
        rows = []
        for z in self._zone_records:
            status = zone_status(_day_or_none(z["declared"]), _day_or_none(z["valid_from"]),
                                 _day_or_none(z["valid_to"]), day)
            if status is not None and z["geometry"] is not None:
                rows.append({**z, "status": status})
        active = [(r["zone_id"], r["member_geom"], r["partial_geom"]) for r in rows
                  if r["status"] == "active"]
        towns = [t for t in self._town_records if _holds(t, day)]
        text = [f"nearest key town {t['name_en']}: {t['controller']} "
                f"{_span_text(t['valid_from'], t['valid_to'])}" for t in towns]
        areas = [a for a in self._area_records if _holds(a, day)]
        start = self._changes[key - 1] if key > 0 else None
        end = self._changes[key] if key < len(self._changes) else None
        return _Epoch(start, end, rows, active, towns, np.array([t["x"] for t in towns], float),
                      np.array([t["y"] for t in towns], float), text, areas)

    # ---- zones --------------------------------------------------------------------------
    def zones_at(self, day: Any, include_ended: bool = False) -> gpd.GeoDataFrame:
        """Zones announced or in force on day (and those already ended if include_ended)."""
        epoch = self._epoch(_require_date(day))
        if epoch.zones is None:
            epoch.zones = gpd.GeoDataFrame([{c: r[c] for c in ZONE_OUT} for r in epoch.zone_rows],
                                           columns=ZONE_OUT, geometry="geometry", crs="EPSG:4326")
        zones = epoch.zones
        if not include_ended:
            zones = zones[zones["status"] != "ended"].reset_index(drop=True)
        return zones.copy()

    def zone_ids_at(self, lat: float, lon: float, day: Any) -> list[str]:
        """Ids of the zones in force on day that contain the point."""
        d = _require_date(day)
        return self._zone_ids(np.array([lat], float), np.array([lon], float), d)[0]

    def _zone_ids(self, lat: np.ndarray, lon: np.ndarray, day: dt.date,
                  codes: list[str | None] | None = None) -> list[list[str]]:
        """Zone ids for each point on day; partial units count unless the government held the point."""
        epoch = self._epoch(day)
        out: list[list[str]] = [[] for _ in range(len(lat))]
        if not epoch.active:
            return out
        if codes is None:
            codes = self._controllers(lat, lon, day)[0]
        gov = np.array([c == "GOV" for c in codes], dtype=bool)
        for zone_id, member, partial in epoch.active:
            inside = np.zeros(len(lat), dtype=bool)
            if isinstance(member, BaseGeometry):
                inside |= shapely.contains_xy(member, lon, lat)
            if isinstance(partial, BaseGeometry):
                inside |= shapely.contains_xy(partial, lon, lat) & ~gov
            for i in np.flatnonzero(inside):
                if zone_id not in out[i]:
                    out[i].append(zone_id)
        return out

    # ---- control ------------------------------------------------------------------------
    def control_at(self, day: Any) -> gpd.GeoDataFrame:
        """Approximate areas of control on day (Voronoi of key towns, user areas) and the towns."""
        epoch = self._epoch(_require_date(day))
        if epoch.control is None:
            epoch.control = self._build_control(epoch)
        return epoch.control.copy()

    def _build_control(self, epoch: _Epoch) -> gpd.GeoDataFrame:
        """The control frame of one epoch: dissolved Voronoi areas, user areas, town points."""
        towns, rows = epoch.towns, []
        reach = None if self.reach_km is None else self.reach_km * 1000
        cells = voronoi_cells(epoch.town_x, epoch.town_y, self._outline_metric, reach)
        by_ctl: dict[str, list[int]] = {}
        for i, t in enumerate(towns):
            by_ctl.setdefault(t["controller"], []).append(i)
        reach_text = "any distance" if reach is None else f"{self.reach_km:g} km"
        for code, idx in sorted(by_ctl.items()):
            area = shapely.union_all([cells[i] for i in idx])
            if area.is_empty:
                continue
            rows.append({"kind": "area", "controller": code,
                         "basis": ", ".join(towns[i]["name_en"] for i in idx),
                         "approximate": True, "valid_from": epoch.start, "valid_to": epoch.end,
                         "place_id": None, "name_en": None, "name_ar": None, "origin": "built-in",
                         "source": VORONOI_SOURCE.format(reach=reach_text),
                         "geometry": geom_to_lonlat(area)})
        for a in epoch.areas:
            rows.append({"kind": "area", "controller": a["controller"],
                         "basis": f"user area {a['name_en']}", "approximate": a["approximate"],
                         "valid_from": a["valid_from"], "valid_to": a["valid_to"], "place_id": None,
                         "name_en": a["name_en"], "name_ar": None, "origin": "user",
                         "source": a["source"], "geometry": a["geometry"]})
        for t in towns:
            rows.append({"kind": "town", "controller": t["controller"], "basis": t["name_en"],
                         "approximate": bool(t["approximate"]), "valid_from": t["valid_from"],
                         "valid_to": t["valid_to"], "place_id": t["place_id"],
                         "name_en": t["name_en"], "name_ar": t["name_ar"], "origin": t["origin"],
                         "source": t["source"], "geometry": shapely.Point(t["lon"], t["lat"])})
        return gpd.GeoDataFrame(rows, columns=CONTROL_OUT, geometry="geometry", crs="EPSG:4326")

    def controller_at(self, lat: float, lon: float, day: Any) -> tuple[str | None, str]:
        """Controller code at the point on day (or None) and the basis of that answer."""
        d = _require_date(day)
        codes, bases = self._controllers(np.array([lat], float), np.array([lon], float), d)
        return codes[0], bases[0]

    def _controllers(self, lat: np.ndarray, lon: np.ndarray, day: dt.date
                     ) -> tuple[list[str | None], list[str]]:
        """Controller and basis for each point: a user area, else the nearest key town in reach."""
        epoch = self._epoch(day)
        n = len(lat)
        codes: list[str | None] = [None] * n
        bases = ["no control data for this date"] * n
        x, y = to_metric(lon, lat)
        in_syria = shapely.contains_xy(self._outline_m, x, y)
        done = np.zeros(n, dtype=bool)
        for a in epoch.areas:
            hit = shapely.contains_xy(a["geometry"], lon, lat) & ~done
            for i in np.flatnonzero(hit):
                codes[i] = a["controller"]
                bases[i] = f"user area {a['name_en']} ({_span_text(a['valid_from'], a['valid_to'])})"
            done |= hit
        for i in np.flatnonzero(~done & ~in_syria):
            bases[i] = "outside Syria"
        if not epoch.towns:
            return codes, bases
        idx, dist = nearest(x, y, epoch.town_x, epoch.town_y)
        reach = np.inf if self.reach_km is None else self.reach_km * 1000
        far = ~done & in_syria & (dist > reach)
        for i in np.flatnonzero(far):
            bases[i] = f"no key town within {self.reach_km:g} km"
        for i in np.flatnonzero(~done & in_syria & (dist <= reach)):
            codes[i] = epoch.towns[idx[i]]["controller"]
            bases[i] = f"{epoch.town_text[idx[i]]}, {dist[i] / 1000:.0f} km away (approximate)"
        return codes, bases

    # ---- tables of mentions ---------------------------------------------------------------
    def annotate(self, df: pd.DataFrame) -> pd.DataFrame:
        """A copy of df (lat, lon, date) with zone_ids (list[str]) and controller (str or None)."""
        missing = {"lat", "lon", "date"} - set(df.columns)
        if missing:
            raise LayerError(f"annotate needs the columns lat, lon, date; missing {sorted(missing)}")
        out = df.copy()
        zone_ids: list[list[str]] = [[] for _ in range(len(df))]
        controllers: list[str | None] = [None] * len(df)
        lat = pd.to_numeric(df["lat"], errors="coerce").to_numpy(dtype=float)
        lon = pd.to_numeric(df["lon"], errors="coerce").to_numpy(dtype=float)
        days = [_lenient_date(v) for v in df["date"]]
        usable = np.isfinite(lat) & np.isfinite(lon) & np.array([d is not None for d in days], bool)
        groups: dict[int, list[int]] = {}  # rows by change period: same answers within one
        for i in np.flatnonzero(usable):
            groups.setdefault(bisect.bisect_right(self._changes, days[i]), []).append(int(i))
        for rows in groups.values():
            idx, day = np.array(rows), days[rows[0]]
            codes, _ = self._controllers(lat[idx], lon[idx], day)
            ids = self._zone_ids(lat[idx], lon[idx], day, codes)
            for j, i in enumerate(rows):
                controllers[i] = codes[j]
                zone_ids[i] = ids[j]
        out["zone_ids"] = pd.Series(zone_ids, index=out.index, dtype=object)
        out["controller"] = pd.Series(controllers, index=out.index, dtype=object)
        return out


def _require_date(value: Any) -> dt.date:
    """A date from value; raises LayerError if there is none."""
    day = as_date(value)
    if day is None:
        raise LayerError("a date is required (YYYY-MM-DD)")
    return day


def _lenient_date(value: Any) -> dt.date | None:
    """A date from value, or None when it is missing or unreadable."""
    try:
        return as_date(value)
    except LayerError:
        return None


def _concat_geo(frames: list[gpd.GeoDataFrame], columns: list[str]) -> gpd.GeoDataFrame:
    """Row-wise union of GeoDataFrames with the same columns."""
    frames = [f for f in frames if len(f)]
    if not frames:
        return gpd.GeoDataFrame(columns=columns, geometry="geometry", crs="EPSG:4326")
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True)[columns], geometry="geometry",
                            crs="EPSG:4326")


def _fingerprint(paths: Iterable[Path]) -> str:
    """A short hash of the names and bytes of the files that define a set of layers."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
