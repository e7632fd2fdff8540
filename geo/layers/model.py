"""The Layers object: zones and control at a date, answered per epoch between change dates.

Control is painted on the 272 OCHA sub-districts (geo/layers/control.py): every unit takes the
controller of its places in data/conflict/control_periods.csv that are valid on the date, within
their reach (20 km and the villages joined to it; small units whole), is split between them
where they disagree, and is UNKNOWN beyond their reach or where none is valid. A de-escalation zone
on a date is the part of the units of its terms that the parties it covered (ZONE_PARTIES) held
then. Everything is computed once per epoch (the days between two change dates) and per Layers
object; there is no module-level cache. Pure computation: no UI, no database.
"""
from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import warnings
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
from geo.layers.control import (
    CONTESTED,
    REACH_TEXT,
    SPLIT,
    UNKNOWN,
    ControlModel,
    UnitControl,
    span_text,
)
from geo.layers.geometry import contact_band, parse_km, to_metric
from geo.layers.tables import (
    Controller,
    as_date,
    load_control_periods,
    load_controllers,
    load_place_reach,
    load_zone_lines,
    load_zone_units,
    load_zones,
    read_user_layers,
)
from geo.layers.units import Units, load_units
from snm.errors import LayerError, LayerWarning
from snm.settings import BOUNDARIES_DIR, CONFLICT_DIR

# The parties a de-escalation zone covered: its area on a date is what they held then.
ZONE_PARTIES = frozenset({"OPP", "HTS", "GOV+OPP"})
# Mention levels that stand for one place on the ground: answered at their point.
POINT_LEVELS = frozenset({"populated_place", "neighbourhood", "feature"})
# Mention levels that stand for an admin area: answered only when the whole area had one controller.
AREA_LEVELS = {"subdistrict": "unit", "district": "admin2"}
# Feature kinds that stretch across a region (a river, a plain): no controller at their point.
EXTENDED_KINDS = frozenset({"river", "lake", "mountain", "plain", "valley", "region"})
ZONE_OUT = ["zone_id", "name_en", "name_ar", "status", "valid_from", "valid_to", "declared",
            "ceasefire_from", "approximate", "geometry_note", "origin", "source", "color", "geometry"]
CONTROL_OUT = ["kind", "controller", "basis", "approximate", "valid_from", "valid_to", "place_id",
               "name_en", "name_ar", "admin3_pcode", "origin", "source", "color", "controller_en",
               "controller_ar", "geometry"]
AREA_SOURCE_NONE = "none: no place of data/conflict/control_periods.csv decides this sub-district on this date"
AREA_SOURCE_REACH = ("none: this part of the sub-district is beyond the reach of its places in "
                     "data/conflict/control_periods.csv (geo/layers/control.py, the reach rule)")


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


@dataclass
class _Epoch:
    """Everything that holds between two consecutive change dates, ready for lookups."""

    start: dt.date | None
    end: dt.date | None
    control: UnitControl  # who held each sub-district
    zone_rows: list[dict[str, Any]]  # zones with a status on this epoch's dates
    areas: list[dict[str, Any]]  # user control polygons valid in the epoch
    area_union: BaseGeometry | None  # their union (they override the units)
    zone_geoms: dict[str, BaseGeometry | None] = field(default_factory=dict)  # built on first use
    whole: dict[str, np.ndarray] = field(default_factory=dict)  # per unit / district, on first use
    zones: dict[str, gpd.GeoDataFrame] = field(default_factory=dict)  # built on first use
    frame: gpd.GeoDataFrame | None = None  # built on first use


@dataclass(eq=False)
class Layers:
    """Zones and areas of control at any date, from built-in tables and users' files."""

    units: Units  # the OCHA sub-districts the control is painted on
    zones: gpd.GeoDataFrame  # one row per zone, all dates (ZONE_COLUMNS); geometry = its terms
    towns: pd.DataFrame  # control periods of the places (TOWN_COLUMNS)
    areas: gpd.GeoDataFrame  # control polygons from users' files (AREA_COLUMNS)
    notes: tuple[str, ...] = ()
    controllers: dict[str, Controller] = field(default_factory=dict)  # the legend, in order
    fingerprint: str = ""  # changes whenever a table or user file behind these layers does
    _epochs: dict[int, _Epoch] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        """Index the places by unit, prepare the user areas and list the change dates."""
        self._control = ControlModel(self.units, self.towns)
        self._zone_records = self.zones.to_dict("records")
        self._area_records = self.areas.to_dict("records")
        for g in list(self.areas.geometry) + [z["geometry"] for z in self._zone_records]:
            if isinstance(g, BaseGeometry):
                shapely.prepare(g)
        self._static: dict[str, tuple[BaseGeometry | None, tuple[int, ...]]] = {}
        dates: set[dt.date] = set()
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
    def from_tables(cls, folder: Path = CONFLICT_DIR, boundaries: Path = BOUNDARIES_DIR) -> Layers:
        """Layers built from the conflict tables in folder and the OCHA sub-districts in boundaries."""
        units = load_units(boundaries)
        zones = build_zones(load_zones(folder), load_zone_units(folder), load_zone_lines(folder), units)
        notes = tuple(f"{z}: {n}" for z, n, r in zip(zones["zone_id"], zones["geometry_note"],
                                                     zones["rule"]) if n.startswith("omitted")
                      or "no polygon found" in n)
        empty_areas = gpd.GeoDataFrame(columns=AREA_COLUMNS, geometry="geometry", crs="EPSG:4326")
        towns = build_towns(load_control_periods(folder), units, load_place_reach(folder))
        return cls(units, zones, towns, empty_areas, notes, load_controllers(folder),
                   _fingerprint([*folder.glob("*.csv"), boundaries / "admin3.geojson"]))

    def with_user_file(self, path: str | Path, mode: str = "add") -> Layers:
        """New Layers with a user's GeoJSON added ('add') or replacing the built-in kinds it has.

        User polygons override the sub-districts where they overlap; user points join the places
        of the sub-district they lie in. A polygon that is not valid (self-intersecting) is
        repaired with shapely.make_valid and a note says so (in .notes, and as a LayerWarning).
        """
        if mode not in ("add", "replace"):
            raise LayerError(f"mode must be 'add' or 'replace', not {mode!r}")
        user = read_user_layers(path)
        zones, towns, areas = user_zones(user), user_towns(user, self.units), user_areas(user)
        new_notes = [n for n in user["note"] if n]
        new_notes += [f"{Path(path).name}: point {n!r} lies outside Syria's sub-districts; ignored"
                      for n, u in zip(towns["name_en"], towns["unit"]) if u < 0]
        keep_zones, keep_towns, keep_areas = self.zones, self.towns, self.areas
        if mode == "replace":
            if len(zones):
                keep_zones = self.zones.iloc[0:0]
            if len(towns) or len(areas):
                keep_towns, keep_areas = self.towns.iloc[0:0], self.areas.iloc[0:0]
        controllers = dict(self.controllers)
        for code in sorted((set(towns["controller"]) | set(areas["controller"])) - set(controllers)):
            controllers[code] = Controller(code, code, code, "#7f7f7f", "from a user file")
        for note in new_notes:
            warnings.warn(note, LayerWarning, stacklevel=2)
        fingerprint = hashlib.sha256(
            f"{self.fingerprint}|{mode}|{_fingerprint([Path(path)])}".encode()).hexdigest()[:16]
        return Layers(self.units, _concat_geo([keep_zones, zones], ZONE_COLUMNS),
                      pd.concat([keep_towns, towns], ignore_index=True),
                      _concat_geo([keep_areas, areas], AREA_COLUMNS),
                      (*self.notes, *new_notes), controllers, fingerprint)

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
        """Who held each unit, which zones have a status and which user areas hold on day."""
        rows = []
        for z in self._zone_records:
            status = zone_status(_day_or_none(z["declared"]), _day_or_none(z["valid_from"]),
                                 _day_or_none(z["valid_to"]), day)
            if status is not None:
                rows.append({**z, "status": status})
        areas = [a for a in self._area_records if _holds(a, day)]
        union = shapely.union_all([a["geometry"] for a in areas]) if areas else None
        start = self._changes[key - 1] if key > 0 else None
        end = self._changes[key] if key < len(self._changes) else None
        return _Epoch(start, end, self._control.at(day), rows, areas, union)

    # ---- zones --------------------------------------------------------------------------
    def zones_at(self, day: Any, include_ended: bool = False) -> gpd.GeoDataFrame:
        """Zones announced or in force on day (and those already ended if include_ended).

        A built-in zone's geometry is the part of its terms held by ZONE_PARTIES on day (an
        ended zone: on its last day in force); a user's zone is drawn as given.
        """
        epoch = self._epoch(_require_date(day))
        key = "all" if include_ended else "current"
        zones = epoch.zones.get(key)
        if zones is None:
            out = []
            for r in epoch.zone_rows:
                row = {c: r[c] for c in ZONE_OUT if c != "geometry"}
                if r["status"] != "ended":
                    row["geometry"] = self._zone_geometry(epoch, r)
                elif include_ended:
                    row["geometry"], row["geometry_note"] = self._ended_geometry(r)
                else:
                    continue
                out.append(row)
            zones = gpd.GeoDataFrame(out, columns=ZONE_OUT, geometry="geometry", crs="EPSG:4326")
            epoch.zones[key] = zones
        return zones.copy()

    def _ended_geometry(self, zone: dict[str, Any]) -> tuple[BaseGeometry | None, str]:
        """An ended zone as on its last day in force (or, if nothing was left by then, as on the
        day it took effect) and the note that says which."""
        note = zone["geometry_note"]
        end, start = _day_or_none(zone["valid_to"]), _day_or_none(zone["valid_from"])
        for day, what in ((end - dt.timedelta(days=1) if end else None, "its last day in force"),
                          (start, "the day it took effect")):
            if day is None:
                continue
            geom = self._zone_geometry(self._epoch(day), zone)
            if geom is not None:
                return geom, f"ended; drawn as on {what} ({day.isoformat()}); {note}"
        return None, f"ended; {note}"

    def _zone_geometry(self, epoch: _Epoch, zone: dict[str, Any]) -> BaseGeometry | None:
        """The zone's area in this epoch: its terms where ZONE_PARTIES held them (cached)."""
        zid = zone["zone_id"]
        if zid in epoch.zone_geoms:
            return epoch.zone_geoms[zid]
        if zone["rule"] == "user":
            geom = zone["geometry"]
        else:
            terms, member = self._terms(zone)
            geom = None
            if member:
                geom = self._held_by_parties(epoch, member, terms)
                if terms is not None and geom is not None:
                    geom = terms.intersection(geom)
            if geom is not None and geom.is_empty:
                geom = None
        epoch.zone_geoms[zid] = geom
        return geom

    def _terms(self, zone: dict[str, Any]) -> tuple[BaseGeometry | None, tuple[int, ...]]:
        """A built-in zone's fixed shape (None for a union of whole units) and its units."""
        rule = zone["rule"]
        if rule == "units":
            return None, tuple(zone["units"])
        if rule == "line":
            return zone["geometry"], tuple(zone["units"])
        if not rule.startswith("band:"):
            return None, ()
        cached = self._static.get(zone["zone_id"])
        if cached is None:
            cached = self._band(zone, rule.split(":", 1)[1])
            self._static[zone["zone_id"]] = cached
        return cached

    def _band(self, zone: dict[str, Any], base_id: str) -> tuple[BaseGeometry | None, tuple[int, ...]]:
        """A band zone's shape: a strip of its base zone, as on the day its limits were fixed,
        along the edges that faced government-held land; and the units it crosses."""
        base = next((z for z in self._zone_records if z["zone_id"] == base_id), None)
        fixed = _day_or_none(zone["boundaries_fixed"]) or _day_or_none(zone["valid_from"])
        if base is None or fixed is None:
            return None, ()
        epoch = self._epoch(fixed)
        base_geom = self._zone_geometry(epoch, base)
        if base_geom is None:
            return None, ()
        near = np.flatnonzero(shapely.dwithin(self.units.geoms, base_geom, 0.05)).tolist()
        gov = self._held_by(epoch, near, frozenset({"GOV"}))
        if gov is None:
            return None, ()
        band = contact_band(base_geom, gov, parse_km(zone["extent_km"]))
        if band.is_empty:
            return None, ()
        shapely.prepare(band)
        return band, tuple(int(i) for i in _query(self.units.geoms, band))

    def _held_by_parties(self, epoch: _Epoch, member: tuple[int, ...], terms: BaseGeometry | None
                         ) -> BaseGeometry | None:
        """The part of these units held by ZONE_PARTIES in the epoch, user areas included."""
        held = self._held_by(epoch, list(member), ZONE_PARTIES)
        if epoch.area_union is None:
            return held
        outline = terms if terms is not None else shapely.union_all(self.units.geoms[list(member)])
        parts = [] if held is None else [held.difference(epoch.area_union)]
        parts += [outline.intersection(a["geometry"]) for a in epoch.areas
                  if a["controller"] in ZONE_PARTIES]
        geom = shapely.union_all(parts) if parts else None
        return None if geom is None or geom.is_empty else geom

    def _held_by(self, epoch: _Epoch, member: list[int], codes: frozenset[str]) -> BaseGeometry | None:
        """The part of these units whose (built-in) controller in the epoch is one of codes."""
        parts = []
        for u in member:
            code = epoch.control.codes[u]
            if code in codes:
                parts.append(self.units.geoms[u])
            elif code == SPLIT:
                parts += [p.geometry for p in epoch.control.splits[u].pieces if p.controller in codes]
        if not parts:
            return None
        return shapely.union_all(parts)

    def zone_ids_at(self, lat: float, lon: float, day: Any) -> list[str]:
        """Ids of the zones in force on day that contain the point."""
        d = _require_date(day)
        lat_a, lon_a = np.array([lat], float), np.array([lon], float)
        epoch = self._epoch(d)
        unit = self.units.locate(lat_a, lon_a)
        codes = self._point_codes(epoch, lat_a, lon_a, unit)[0]
        return self._zone_ids(epoch, lat_a, lon_a, unit, codes)[0]

    def _zone_ids(self, epoch: _Epoch, lat: np.ndarray, lon: np.ndarray, unit: np.ndarray,
                  codes: list[str | None]) -> list[list[str]]:
        """Zone ids for each point: in a zone's terms and held by the parties it covered."""
        out: list[list[str]] = [[] for _ in range(len(lat))]
        held = np.array([c in ZONE_PARTIES for c in codes], dtype=bool)
        for z in epoch.zone_rows:
            if z["status"] != "active":
                continue
            if z["rule"] == "user":
                inside = shapely.contains_xy(z["geometry"], lon, lat)
            else:
                terms, member = self._terms(z)
                if terms is None:
                    inside = np.isin(unit, member) & held
                else:
                    inside = shapely.contains_xy(terms, lon, lat) & held
            for i in np.flatnonzero(inside):
                if z["zone_id"] not in out[i]:
                    out[i].append(z["zone_id"])
        return out

    # ---- control ------------------------------------------------------------------------
    def control_at(self, day: Any) -> gpd.GeoDataFrame:
        """Areas of control on day (every sub-district, or its parts, and user areas) and the towns.

        Rows of kind 'area' cover the country with no overlap and no hole: each sub-district
        (place_id = its P-code) with the controller its places give within their reach, split
        between them where they disagree, UNKNOWN beyond their reach or where none is known;
        user polygons cut out of them and added.
        Rows of kind 'town' are the places (and their periods) that decided them.
        """
        epoch = self._epoch(_require_date(day))
        if epoch.frame is None:
            epoch.frame = self._build_control(epoch)
        return epoch.frame.copy()

    def _build_control(self, epoch: _Epoch) -> gpd.GeoDataFrame:
        """The control frame of one epoch: unit areas, user areas, town points."""
        control, units, model = epoch.control, self.units, self._control
        rows = []
        for u in range(len(units)):
            code = control.codes[u]
            if code == SPLIT:
                for piece in control.splits[u].pieces:
                    rows.append(self._area_row(epoch, u, piece.controller, piece.geometry,
                                               model.unit_basis(control, u, piece),
                                               model.sources(piece.rows) or AREA_SOURCE_REACH))
            else:
                rows.append(self._area_row(epoch, u, code, units.geoms[u], model.unit_basis(control, u),
                                           model.sources(control.rows[u]) or AREA_SOURCE_NONE))
        if epoch.area_union is not None:
            for r in rows:
                if r["geometry"].intersects(epoch.area_union):
                    r["geometry"] = r["geometry"].difference(epoch.area_union)
            rows = [r for r in rows if not r["geometry"].is_empty]
            for a in epoch.areas:
                note = f"; {a['note']}" if a["note"] else ""
                rows.append({**self._legend(a["controller"]), "kind": "area",
                             "controller": a["controller"],
                             "basis": f"user area {a['name_en']}{note}", "approximate": a["approximate"],
                             "valid_from": a["valid_from"], "valid_to": a["valid_to"],
                             "place_id": None, "name_en": a["name_en"], "name_ar": None,
                             "admin3_pcode": None, "origin": "user", "source": a["source"],
                             "geometry": a["geometry"]})
        for u in range(len(units)):
            for i in control.rows[u]:
                t = model.records[i]
                rows.append({**self._legend(t["controller"]), "kind": "town",
                             "controller": t["controller"], "basis": t["name_en"],
                             "approximate": bool(t["approximate"]), "valid_from": t["valid_from"],
                             "valid_to": t["valid_to"], "place_id": t["place_id"],
                             "name_en": t["name_en"], "name_ar": t["name_ar"],
                             "admin3_pcode": t["admin3_pcode"], "origin": t["origin"],
                             "source": t["source"], "geometry": model.points[i]})
        return gpd.GeoDataFrame(rows, columns=CONTROL_OUT, geometry="geometry", crs="EPSG:4326")

    def _area_row(self, epoch: _Epoch, u: int, code: str, geom: BaseGeometry, basis: str,
                  source: str) -> dict[str, Any]:
        """One built-in area row: a sub-district or the part of it one controller held."""
        return {**self._legend(code), "kind": "area", "controller": code, "basis": basis,
                "approximate": True, "valid_from": epoch.start, "valid_to": epoch.end,
                "place_id": self.units.pcode[u], "name_en": self.units.name_en[u],
                "name_ar": self.units.name_ar[u], "admin3_pcode": self.units.pcode[u],
                "origin": "built-in", "source": source, "geometry": geom}

    def _legend(self, code: str) -> dict[str, Any]:
        """Colour and names of a controller code from the legend (controllers.csv)."""
        c = self.controllers.get(code)
        if c is None:
            return {"color": "#7f7f7f", "controller_en": code, "controller_ar": code}
        return {"color": c.color, "controller_en": c.name_en, "controller_ar": c.name_ar}

    def controller_at(self, lat: float, lon: float, day: Any) -> tuple[str | None, str]:
        """Controller code at the point on day (None where unknown or outside Syria) and why.

        The point's sub-district (or the nearest within 2 km, for coastal and border points)
        answers: its controller, or, where it is drawn in parts, that of its place nearest the
        point if the point is within that place's reach (else unknown); a user polygon holding
        the point overrides it. CONTESTED is an answer; UNKNOWN is None.
        """
        d = _require_date(day)
        lat_a, lon_a = np.array([lat], float), np.array([lon], float)
        epoch = self._epoch(d)
        unit = self.units.locate(lat_a, lon_a)
        codes, rows, area = self._point_answers(epoch, lat_a, lon_a, unit)
        code, u = codes[0], int(unit[0])
        if area[0] >= 0:
            a = epoch.areas[area[0]]
            return code, f"user area {a['name_en']} ({span_text(a['valid_from'], a['valid_to'])})"
        if u < 0:
            return None, "outside Syria"
        name = f"{self.units.name_en[u]} sub-district ({self.units.pcode[u]})"
        places = "; ".join(self._control.period_text(i) for i in rows[0])
        if code == UNKNOWN:
            if rows[0]:
                return None, (f"{name}: unknown here on this date, the point is beyond the reach of "
                              f"its nearest place ({REACH_TEXT}): {places}")
            return None, f"{name}: unknown on this date (no place of the table decides it)"
        how = "its places decide"
        split = epoch.control.splits.get(u)
        if split is not None:
            parts = []
            if len(set(split.codes)) > 1:
                parts.append("split between its places; the place nearest this point decides")
            if any(r is not None for r in split.reach):
                parts.append(f"within the reach of its places ({REACH_TEXT})")
            how = "; ".join(parts) or how
        if code == CONTESTED:
            how += "; they disagree at the same point, so it is contested"
        return code, f"{name}, {how}: {places} (approximate: a place stands for the land around it)"

    def _point_answers(self, epoch: _Epoch, lat: np.ndarray, lon: np.ndarray, unit: np.ndarray
                       ) -> tuple[list[str | None], list[tuple[int, ...]], np.ndarray]:
        """Code (UNKNOWN kept), deciding place rows and the user area (or -1) for each point."""
        x, y = to_metric(lon, lat)
        codes, rows = self._control.codes_at_points(epoch.control, unit, x, y)
        area = np.full(len(lat), -1, dtype=int)
        for k, a in enumerate(epoch.areas):
            hit = shapely.contains_xy(a["geometry"], lon, lat) & (area < 0)
            for i in np.flatnonzero(hit):
                codes[i], rows[i] = a["controller"], ()
            area[hit] = k
        return codes, rows, area

    def _point_codes(self, epoch: _Epoch, lat: np.ndarray, lon: np.ndarray, unit: np.ndarray
                     ) -> tuple[list[str | None], list[str | None]]:
        """(codes with UNKNOWN, public codes with UNKNOWN as None) for each point."""
        codes = self._point_answers(epoch, lat, lon, unit)[0]
        return codes, [None if c == UNKNOWN else c for c in codes]

    # ---- whole areas (sub-district and district mentions) -------------------------------------
    def _whole(self, epoch: _Epoch, kind: str) -> np.ndarray:
        """Per unit ('unit') or per unit's district ('admin2'): the one controller of the whole
        area in the epoch (of all of it its places decide), or None where it was split, unknown
        or partly under a user area."""
        cached = epoch.whole.get(kind)
        if cached is not None:
            return cached
        n = len(self.units)
        per_unit = np.array([None if c in (SPLIT, UNKNOWN) else c for c in epoch.control.codes],
                            dtype=object)
        for u, split in epoch.control.splits.items():
            # the parts beyond every place's reach are nobody's known ground: the unit has one
            # controller when all the parts its places decide agree
            known = {p.controller for p in split.pieces if p.controller != UNKNOWN}
            if len(known) == 1:
                per_unit[u] = known.pop()
        for a in epoch.areas:
            for u in _query(self.units.geoms, a["geometry"]):
                inter = self.units.geoms[u].intersection(a["geometry"]).area
                if inter >= 0.999 * self.units.geoms[u].area:
                    per_unit[u] = a["controller"]
                elif inter > 0:
                    per_unit[u] = None
        out = per_unit
        if kind == "admin2":
            out = np.full(n, None, dtype=object)
            for members in self.units.by_admin2.values():
                found = {per_unit[u] for u in members}
                if len(found) == 1:
                    out[members] = found.pop()
        epoch.whole[kind] = out
        return out

    def _whole_zone_ids(self, epoch: _Epoch, kind: str, u: int) -> list[str]:
        """Zones in force whose terms hold the whole area of unit u (or its district), all held
        by the parties they covered."""
        members = [u] if kind == "unit" else self.units.by_admin2[self.units.admin2_pcode[u]]
        whole = self._whole(epoch, "unit")
        out = []
        for z in epoch.zone_rows:
            if z["status"] != "active" or z["rule"] != "units":
                continue
            if all(m in z["units"] and whole[m] in ZONE_PARTIES for m in members):
                out.append(z["zone_id"])
        return out

    # ---- tables of mentions ---------------------------------------------------------------
    def annotate(self, df: pd.DataFrame) -> pd.DataFrame:
        """A copy of df (lat, lon, date; optional level, kind) with zone_ids and controller.

        Only mentions that stand for a place on the ground get them: levels populated_place,
        neighbourhood and feature (not a river, lake, mountain, plain, valley or region when a
        `kind` column says so) are answered at their point, like controller_at; a subdistrict or
        district only when the whole unit had one controller on the date (and zones whose terms
        hold all of it); country, governorate and region never (they span several controllers).
        Without a level column every row counts as a point. Undated rows, rows without
        coordinates and rows outside Syria get [] and None; UNKNOWN areas give None.
        """
        missing = {"lat", "lon", "date"} - set(df.columns)
        if missing:
            raise LayerError(f"annotate needs the columns lat, lon, date; missing {sorted(missing)}")
        out = df.copy()
        n = len(df)
        zone_ids: list[list[str]] = [[] for _ in range(n)]
        controllers: list[str | None] = [None] * n
        lat = pd.to_numeric(df["lat"], errors="coerce").to_numpy(dtype=float)
        lon = pd.to_numeric(df["lon"], errors="coerce").to_numpy(dtype=float)
        days = [_lenient_date(v) for v in df["date"]]
        how = self._how(df)
        usable = (np.isfinite(lat) & np.isfinite(lon) & np.array([d is not None for d in days], bool)
                  & np.array([h is not None for h in how], bool))
        unit = np.full(n, -1, dtype=int)
        if usable.any():
            unit[usable] = self.units.locate(lat[usable], lon[usable])
        groups: dict[int, list[int]] = {}  # rows by change period: same answers within one
        for k in np.flatnonzero(usable).tolist():
            day = days[k]
            assert day is not None  # usable rows have a date
            groups.setdefault(bisect.bisect_right(self._changes, day), []).append(k)
        for rows in groups.values():
            first = days[rows[0]]
            assert first is not None
            epoch = self._epoch(first)
            points = [k for k in rows if how[k] == "point"]
            if points:
                idx = np.array(points)
                codes, public = self._point_codes(epoch, lat[idx], lon[idx], unit[idx])
                ids = self._zone_ids(epoch, lat[idx], lon[idx], unit[idx], codes)
                for j, k in enumerate(points):
                    controllers[k], zone_ids[k] = public[j], ids[j]
            for k in rows:
                kind = how[k]
                if kind in ("unit", "admin2") and unit[k] >= 0:
                    controllers[k] = self._whole(epoch, kind)[unit[k]]
                    zone_ids[k] = self._whole_zone_ids(epoch, kind, int(unit[k]))
        out["zone_ids"] = pd.Series(zone_ids, index=out.index, dtype=object)
        out["controller"] = pd.Series(controllers, index=out.index, dtype=object)
        return out

    @staticmethod
    def _how(df: pd.DataFrame) -> list[str | None]:
        """Per row: 'point', 'unit', 'admin2', or None (no controller) from level and kind."""
        n = len(df)
        levels = list(df["level"]) if "level" in df.columns else [None] * n
        kinds = list(df["kind"]) if "kind" in df.columns else [None] * n
        out: list[str | None] = []
        for level, kind in zip(levels, kinds):
            if not isinstance(level, str) or not level:
                out.append("point")
            elif level in POINT_LEVELS:
                out.append(None if isinstance(kind, str) and kind in EXTENDED_KINDS else "point")
            else:
                out.append(AREA_LEVELS.get(level))
        return out


def _query(geoms: np.ndarray, geom: BaseGeometry) -> np.ndarray:
    """Indices of the geometries that intersect geom."""
    return np.flatnonzero(shapely.intersects(geoms, geom))


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
