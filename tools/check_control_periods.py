"""Check data/conflict/control_periods.csv (and optionally tests/data/control_facts.csv).

    .venv/bin/python tools/check_control_periods.py [--shared ../shared] [--facts tests/data/control_facts.csv]

Checks: the CSV parses with the expected columns; controller codes, ISO dates and precision values
are valid; every row names a source; per place the periods are sorted, valid_from < valid_to, with
no gaps and no overlaps, and only the last one may be open-ended; the place's name, coordinates and
codes are the same on all its rows; every point lies in Syria and in its stated governorate (the
project's own governorate polygons, and the OCHA ones when the shared folder is given); with the
shared OCHA files, P-codes exist and the sub-district (admin3_pcode) agrees with the point;
place_reach.csv (next to the table) names existing periods, with a reach of 0-100 km and a source.
Prints a coverage report (sub-districts with at least one place) and exits 1 on any error.
With --facts, also checks that each test fact agrees with the periods (same controller at that
date at the nearest place within 3 km, the date at least 14 days from any change at that place).
"""
from __future__ import annotations

import argparse
import csv
import itertools
import json
import re
import sys
from datetime import date
from pathlib import Path

import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from geo import codes

ROOT = Path(__file__).resolve().parents[1]
CSV = ROOT / "data" / "conflict" / "control_periods.csv"
COLS = ["place_id", "place", "name_ar", "admin1", "pcode", "admin3_pcode", "lat", "lon", "coord_source",
        "controller", "valid_from", "valid_to", "precision", "note", "source"]
DRAWN_ONLY = {"CONTESTED", "UNKNOWN"}  # legend codes the layer draws; never a period's controller
CONTROLLERS = {r["code"] for r in csv.DictReader((ROOT / "data" / "conflict" / "controllers.csv").open(encoding="utf-8"))
               } - DRAWN_ONLY
PLACE_COLS = ["place", "name_ar", "admin1", "pcode", "admin3_pcode", "lat", "lon", "coord_source"]
OCHA_OF_ISO = {g.admin1: g.admin1_pcode for g in codes.governorates()}  # SY-HI -> SY04


def iso_day(text: str) -> date | None:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text or ""):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def load_polygons(path: Path, key: str) -> dict[str, BaseGeometry]:
    doc = json.loads(path.read_text(encoding="utf-8"))
    out = {}
    for f in doc["features"]:
        geom = shape(f["geometry"])
        out[f["properties"][key]] = geom if geom.is_valid else shapely.make_valid(geom)
    return out


def check(rows: list[dict], shared: Path | None) -> tuple[list[str], dict[str, list[dict]]]:
    errors: list[str] = []
    by_place: dict[str, list[dict]] = {}
    for i, r in enumerate(rows, start=2):
        where = f"line {i} ({r.get('place_id')})"
        if r["controller"] not in CONTROLLERS:
            errors.append(f"{where}: controller {r['controller']!r}")
        start, end = iso_day(r["valid_from"]), iso_day(r["valid_to"]) if r["valid_to"] else None
        if start is None:
            errors.append(f"{where}: valid_from {r['valid_from']!r} is not an ISO date")
        if r["valid_to"] and end is None:
            errors.append(f"{where}: valid_to {r['valid_to']!r} is not an ISO date")
        if start and end and not start < end:
            errors.append(f"{where}: valid_from {start} is not before valid_to {end}")
        if r["precision"] not in ("day", "month", "year"):
            errors.append(f"{where}: precision {r['precision']!r}")
        if len((r["source"] or "").strip()) < 10:
            errors.append(f"{where}: no source")
        if not r["place_id"] or not re.fullmatch(r"[a-z0-9_]+", r["place_id"]):
            errors.append(f"{where}: bad place_id")
        by_place.setdefault(r["place_id"], []).append(r)

    for pid, prs in by_place.items():
        for col in PLACE_COLS:
            if len({p[col] for p in prs}) > 1:
                errors.append(f"{pid}: {col} differs between its rows")
        if [p["valid_from"] for p in prs] != sorted(p["valid_from"] for p in prs):
            errors.append(f"{pid}: periods not in date order")
        prs = sorted(prs, key=lambda p: p["valid_from"])
        for a, b in itertools.pairwise(prs):
            if not a["valid_to"]:
                errors.append(f"{pid}: open-ended period {a['valid_from']} is not the last one")
            elif a["valid_to"] != b["valid_from"]:
                kind = "gap" if a["valid_to"] < b["valid_from"] else "overlap"
                errors.append(f"{pid}: {kind} between {a['valid_to']} and {b['valid_from']}")
            if a["controller"] == b["controller"]:
                errors.append(f"{pid}: two consecutive {a['controller']} periods at {b['valid_from']}")
        try:
            lat, lon = float(prs[0]["lat"]), float(prs[0]["lon"])
        except ValueError:
            errors.append(f"{pid}: lat/lon not numbers")
            continue
        if not (32.3 <= lat <= 37.4 and 35.6 <= lon <= 42.4):
            errors.append(f"{pid}: ({lat}, {lon}) outside Syria's bounding box")

    # governorates: the project's own polygons, and OCHA's when available
    point = {pid: shapely.Point(float(p[0]["lon"]), float(p[0]["lat"])) for pid, p in by_place.items()}
    gov_path = ROOT / "data" / "boundaries" / "governorates.geojson"
    if gov_path.exists():
        govs = load_polygons(gov_path, "admin1")
        for pid, pt in point.items():
            stated = by_place[pid][0]["admin1"]
            if stated not in govs:
                errors.append(f"{pid}: unknown admin1 {stated}")
            elif govs[stated].distance(pt) > 0.01:
                errors.append(f"{pid}: point not in {stated} (project polygons)")
    if shared:
        geo = shared / "data" / "geo"
        adm1 = load_polygons(geo / "syr_adm1_ocha_simplified.geojson", "p")
        adm3 = load_polygons(geo / "syr_adm3_ocha_simplified.geojson", "p")
        comm = {r["place_pcode"]: r for r in csv.DictReader((geo / "syr_populated_places_ocha.csv").open(encoding="utf-8"))
                if r["type"] == "C"}
        for pid, pt in point.items():
            r0 = by_place[pid][0]
            ocha1 = OCHA_OF_ISO.get(r0["admin1"])
            if ocha1 not in adm1 or adm1[ocha1].distance(pt) > 0.01:
                errors.append(f"{pid}: point not in {r0['admin1']} (OCHA polygons)")
            if r0["admin3_pcode"] not in adm3:
                errors.append(f"{pid}: unknown admin3_pcode {r0['admin3_pcode']}")
            elif adm3[r0["admin3_pcode"]].distance(pt) > 0.02:
                errors.append(f"{pid}: point {adm3[r0['admin3_pcode']].distance(pt):.3f} deg from {r0['admin3_pcode']}")
            pc = r0["pcode"]
            if pc.startswith("C"):
                if pc not in comm:
                    errors.append(f"{pid}: unknown community P-code {pc}")
                elif comm[pc]["subdist_pcode"] != r0["admin3_pcode"]:
                    errors.append(f"{pid}: {pc} lies in {comm[pc]['subdist_pcode']}, not {r0['admin3_pcode']}")
            elif pc not in adm3:
                errors.append(f"{pid}: pcode {pc} is neither a community nor a sub-district code")
        covered = {by_place[pid][0]["admin3_pcode"] for pid in by_place}
        missing = sorted(set(adm3) - covered)
        print(f"coverage: {len(covered & set(adm3))} of {len(adm3)} sub-districts have a place")
        if missing:
            print("  without a place:", " ".join(missing))
    return errors, by_place


def check_reach(path: Path, by_place: dict[str, list[dict]]) -> list[str]:
    """place_reach.csv: each row names a period of control_periods.csv, a reach in km and a source."""
    errors: list[str] = []
    if not path.exists():
        return errors
    with path.open(encoding="utf-8", newline="") as f:
        reach = list(csv.DictReader(f))
    for i, r in enumerate(reach, start=2):
        starts = {p["valid_from"] for p in by_place.get(r["place_id"], [])}
        if r["valid_from"] not in starts:
            errors.append(f"place_reach line {i}: no period of {r['place_id']!r} starts on {r['valid_from']}")
        try:
            km = float(r["reach_km"])
        except ValueError:
            km = -1.0
        if not 0 < km <= 100:
            errors.append(f"place_reach line {i}: reach_km {r['reach_km']!r} is not a distance of 0-100 km")
        if len((r.get("source") or "").strip()) < 10:
            errors.append(f"place_reach line {i}: no source")
    print(f"place_reach: {len(reach)} periods with a reach of their own")
    return errors


def controller_at(prs: list[dict], day: date) -> tuple[str | None, int | None]:
    """Controller at day and the distance in days to the nearest change (None when outside all periods)."""
    for p in prs:
        start = date.fromisoformat(p["valid_from"])
        end = date.fromisoformat(p["valid_to"]) if p["valid_to"] else None
        if start <= day and (end is None or day < end):
            edges = [abs((day - start).days)] + ([abs((end - day).days)] if end else [])
            return p["controller"], min(edges)
    return None, None


def check_facts(path: Path, by_place: dict[str, list[dict]]) -> list[str]:
    errors = []
    facts = list(csv.DictReader(path.open(encoding="utf-8")))
    for i, f in enumerate(facts, start=2):
        day = iso_day(f["date"])
        if day is None or f["controller"] not in CONTROLLERS or len(f["source"]) < 10:
            errors.append(f"facts line {i}: bad date, controller or source")
            continue
        lat, lon = float(f["lat"]), float(f["lon"])
        best = min(by_place, key=lambda pid: (float(by_place[pid][0]["lat"]) - lat) ** 2
                   + (float(by_place[pid][0]["lon"]) - lon) ** 2)
        d = ((float(by_place[best][0]["lat"]) - lat) ** 2 + (float(by_place[best][0]["lon"]) - lon) ** 2) ** 0.5
        ctrl, margin = controller_at(sorted(by_place[best], key=lambda p: p["valid_from"]), day)
        if d > 0.03:
            errors.append(f"facts line {i} ({f['name_en']}): no place within ~3 km")
        elif ctrl != f["controller"]:
            errors.append(f"facts line {i} ({f['name_en']} {day}): periods say {ctrl} at {best}, fact says {f['controller']}")
        elif margin is not None and margin < 14:
            errors.append(f"facts line {i} ({f['name_en']} {day}): only {margin} days from a change")
    years = sorted({f["date"][:4] for f in facts})
    sides = sorted({f["controller"] for f in facts})
    print(f"facts: {len(facts)}; years {years[0]}-{years[-1]} ({len(years)}); sides {sides}")
    return errors


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--csv", type=Path, default=CSV)
    ap.add_argument("--shared", type=Path, default=None, help="the shared folder (holds data/geo/...)")
    ap.add_argument("--facts", type=Path, default=None)
    args = ap.parse_args()
    with args.csv.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        if reader.fieldnames != COLS:
            print(f"columns are {reader.fieldnames}, expected {COLS}")
            return 1
        rows = list(reader)
    errors, by_place = check(rows, args.shared)
    errors += check_reach(args.csv.parent / "place_reach.csv", by_place)
    if args.facts:
        errors += check_facts(args.facts, by_place)
    years = sorted({r["valid_from"][:4] for r in rows})
    print(f"{len(rows)} rows, {len(by_place)} places, period starts {years[0]}-{years[-1]}")
    for e in errors:
        print("ERROR", e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
