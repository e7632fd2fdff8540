"""Build the national gazetteer's OCHA-derived data files from the shared reference geodata.

    python tools/build_gazetteer_data.py [--shared DIR] [--out DIR]

--shared defaults to ../shared/data/geo beside the repository root; --out (default: the
repository's data/ folder) receives gazetteer/*.csv and boundaries/admin*.geojson (the tests
build into a temporary folder and compare with the committed files). Every output is written by this
tool (never a byte-for-byte copy of a shared file), deterministically: rows and features sorted
by code, coordinates rounded to 5 decimals (about 1 m), so a rerun gives identical files.

Outputs and where each comes from (licences: OCHA COD-AB / COD-PP CC BY 3.0 IGO; OpenSyria
data-geography CC BY 4.0; see NOTICE and data/SOURCES.md):

- ``data/gazetteer/admin_units.csv``: the 14 governorates, 62 districts and 272 sub-districts.
  Codes and Arabic/English names from the OCHA COD-AB polygons
  (``syr_adm1/2/3_ocha_simplified.geojson``); ``lat``/``lon`` a representative point inside
  the (valid) polygon; ``aliases_ar`` the Arabic aliases OpenSyria gives for the same OCHA
  P-code (``opensyria_governorates/districts/subdistricts.json``), keeping only the
  unambiguous forms with a head word («محافظة X», «منطقة X», «ناحية X», «مركز X») and
  OpenSyria's own name where it only spells OCHA's bare name differently (أعزاز for اعزاز):
  a bare «X» otherwise names the town (a second place),
  and a few OpenSyria aliases name a wider region (الغوطة الشرقية, الغاب …), see DROP_ALIASES.
- ``data/gazetteer/communities.csv``: the 7,593 OCHA populated places of type C
  (``syr_populated_places_ocha.csv``). The 414 rows of type N are dropped: they carry their
  city's name and community code instead of the neighbourhood's (a known defect).
- ``data/boundaries/admin1.geojson``, ``admin2.geojson``, ``admin3.geojson``: the OCHA
  polygons with properties ``pcode, name_ar, name_en`` (+ ``admin1_pcode``, ``admin2_pcode``),
  made valid with ``shapely.make_valid`` where needed (the tool prints which), snapped to a
  1e-5 degree grid (``shapely.set_precision``, which keeps them valid); a top-level
  ``attribution`` member names the source and licence.
- ``data/gazetteer/neighbourhoods.csv``: the 109 Aleppo city neighbourhoods of
  ``aleppo_neighbourhoods_ocha.json`` (OCHA city_neighbourhoods, N-codes, centre points),
  merged with the hand-written rows of ``data/gazetteer/neighbourhoods_written.csv`` (other
  cities, Palestinian camps, Aleppo names OCHA's file lacks; researched, each row with its
  source and ``approx_km``). A written row whose name already is an OCHA community of the
  same sub-district is not added (the tool prints it).

Only names, codes, points and shapes are taken (facts); nothing from the news corpus, the
Wikipedia snapshot or the shared GeoNames extract is read.
"""
from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from pathlib import Path

import shapely
from shapely.geometry import mapping, shape

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = REPO.parent / "shared" / "data" / "geo"
GAZ = REPO / "data" / "gazetteer"

GRID = 1e-5
ATTRIBUTION = ("Administrative boundaries: UN OCHA Syria Common Operational Dataset - "
               "Administrative Boundaries (COD-AB, v02, 2020-12-17), CC BY 3.0 IGO, via HDX. "
               "Modified: made valid, coordinates snapped to 1e-5 degrees, properties renamed.")
SRC_AB = "OCHA COD-AB v02 (CC BY 3.0 IGO)"
SRC_OS = "OpenSyria data-geography (CC BY 4.0)"
SRC_PP = "OCHA COD-PP (CC BY 3.0 IGO)"
SRC_NB = "OCHA city_neighbourhoods, Aleppo (CC BY 3.0 IGO)"

LEVELS = {1: "governorate", 2: "district", 3: "subdistrict"}
ADMIN_COLUMNS = ("pcode", "level", "name_ar", "name_en", "aliases_ar", "admin1_pcode",
                 "admin2_pcode", "admin3_pcode", "lat", "lon", "source")
COMMUNITY_COLUMNS = ("pcode", "name_ar", "name_en", "admin1_pcode", "admin2_pcode",
                     "admin3_pcode", "lat", "lon", "source")
NEIGHBOURHOOD_COLUMNS = ("place_id", "name_ar", "name_en", "aliases_ar", "kind", "city_pcode",
                         "admin1_pcode", "admin2_pcode", "admin3_pcode", "lat", "lon",
                         "approx_km", "source")

HEADS = ("محافظة ", "منطقة ", "ناحية ", "مركز ")
# OpenSyria aliases whose name part is a wider region or a different feature, not the unit.
DROP_ALIASES = {"الغوطة الشرقية", "الغوطة الغربية", "الغاب", "حرمون", "وادي النصارى"}
# Obvious typing errors in OCHA's Arabic names, fixed (and listed in data/SOURCES.md).
NAME_FIXES = {"مركزالحفة": "مركز الحفة"}
_ARABIC = re.compile(r"^[\u0621-\u064A ]+$")
_SPACES = re.compile(r"\s+")

# Aleppo neighbourhood names of OCHA's file that the news writes with the article, or by
# another common name (spelling aliases; the head noun «حي» is never part of a name).
ALEPPO_ALIASES = {
    "N0124": ("الرصافة",), "N0127": ("الخالدية",), "N0122": ("الحيدرية",),
    "N0145": ("الجابرية",), "N0149": ("العروبة",), "N0157": ("الحلوانية",),
    "N0161": ("الجميلية",), "N0197": ("الكلاسة",), "N0209": ("الفردوس",),
    "N0211": ("الصالحين",), "N0213": ("المرجة",), "N0182": ("المشارقة",),
    "N0178": ("البياضة",), "N0171": ("الأبراج",), "N0129": ("مساكن هنانو",),
    "N0227": ("مخيم حندرات", "مخيم عين التل"), "N0226": ("الراموسة",),
    "N0163": ("بيت محب", "الجديدة"),
}
# OCHA's file names the camp «مخيم حندرات»: the name is the part after the head noun.
ALEPPO_CAMPS = {"N0227": ("حندرات", "Handarat camp")}


def clean(name: str) -> str:
    """An Arabic or English name with single spaces and known typing errors fixed."""
    name = _SPACES.sub(" ", (name or "").strip())
    return NAME_FIXES.get(name, name)


def fmt(x: float | None) -> str:
    """A coordinate rounded to 5 decimals, as text ('' for none)."""
    if x is None:
        return ""
    return f"{round(x, 5):.5f}".rstrip("0").rstrip(".")


def valid_geometry(geom, label: str, report: list[str]):
    """The geometry made valid (polygons only) and snapped to the grid."""
    if not geom.is_valid:
        report.append(f"{label}: {shapely.is_valid_reason(geom)}")
        geom = shapely.make_valid(geom)
        if geom.geom_type == "GeometryCollection":
            polys = [g for g in geom.geoms if g.geom_type in ("Polygon", "MultiPolygon")]
            geom = shapely.union_all(polys)
    geom = shapely.set_precision(geom, GRID)
    if not geom.is_valid:  # never seen; keep the output valid whatever happens
        geom = shapely.make_valid(geom)
    return geom


def inside_point(geom) -> tuple[float, float]:
    """(lat, lon) of a point inside the polygon, rounded to 5 decimals."""
    p = geom.representative_point()
    lat, lon = round(p.y, 5), round(p.x, 5)
    if not geom.contains(shapely.Point(lon, lat)):
        raise ValueError("rounded representative point fell outside its polygon")
    return lat, lon


def _round_coords(obj):
    """Coordinates of a GeoJSON geometry rounded to 5 decimals."""
    if isinstance(obj, (list, tuple)):
        if obj and isinstance(obj[0], float):
            return [round(v, 5) for v in obj]
        return [_round_coords(o) for o in obj]
    return obj


def read_admin(shared: Path, report: list[str]) -> dict[int, list[dict]]:
    """The OCHA admin units of levels 1-3: pcode, names, parents, valid geometry."""
    out: dict[int, list[dict]] = {}
    for level in (1, 2, 3):
        data = json.loads((shared / f"syr_adm{level}_ocha_simplified.geojson").read_text("utf-8"))
        units = []
        for f in data["features"]:
            p = f["properties"]
            geom = valid_geometry(shape(f["geometry"]), p["p"], report)
            units.append({"pcode": p["p"], "name_ar": clean(p["nAr"]), "name_en": clean(p["nEn"]),
                          "admin1_pcode": p.get("adm1_pcode") or p["p"],
                          "admin2_pcode": p.get("adm2_pcode") or (p["p"] if level == 2 else ""),
                          "geometry": geom})
        out[level] = sorted(units, key=lambda u: u["pcode"])
    return out


def opensyria_aliases(shared: Path) -> dict[str, tuple[str, list[str]]]:
    """OCHA P-code -> (OpenSyria's Arabic name, its Arabic aliases)."""
    out = {}
    for name in ("governorates", "districts", "subdistricts"):
        for x in json.loads((shared / f"opensyria_{name}.json").read_text("utf-8")):
            pcode = (x.get("externalIds") or {}).get("ochaPcode")
            if pcode:
                out[pcode] = (clean(x["name"]["ar"]),
                              [clean(a["value"]) for a in x["aliases"] if a["language"] == "ar"])
    return out


def _skeleton(name: str) -> str:
    """A name without article, spaces and alef/teh marbuta/yaa variants, to spot spellings."""
    from nlp.normalize import normalize_name
    words = [w[2:] if w.startswith("ال") and len(w) > 3 else w for w in normalize_name(name).split()]
    return "".join(words)


def unit_aliases(name_ar: str, os_name: str, os_aliases: list[str]) -> list[str]:
    """The aliases kept for one admin unit (see the module docstring)."""
    keep: list[str] = []
    bare_unit = not name_ar.startswith(HEADS)
    for a in [os_name, *os_aliases]:
        if not a or a == name_ar or not _ARABIC.match(a) or a in keep:
            continue
        head = next((h for h in HEADS if a.startswith(h)), None)
        rest = a[len(head):] if head else a
        if rest in DROP_ALIASES:
            continue
        if head is None and not (a == os_name and bare_unit and _skeleton(a) == _skeleton(name_ar)):
            continue  # a bare name is the town's (or a region's), not the unit's
        keep.append(a)
    return keep


def admin_rows(units: dict[int, list[dict]], os: dict[str, tuple[str, list[str]]]) -> list[dict]:
    """Rows of admin_units.csv."""
    rows = []
    for level, items in units.items():
        for u in items:
            lat, lon = inside_point(u["geometry"])
            os_name, os_al = os.get(u["pcode"], ("", []))
            aliases = unit_aliases(u["name_ar"], os_name, os_al)
            rows.append({
                "pcode": u["pcode"], "level": LEVELS[level], "name_ar": u["name_ar"],
                "name_en": u["name_en"], "aliases_ar": "|".join(aliases),
                "admin1_pcode": u["admin1_pcode"],
                "admin2_pcode": u["admin2_pcode"] if level >= 2 else "",
                "admin3_pcode": u["pcode"] if level == 3 else "",
                "lat": fmt(lat), "lon": fmt(lon),
                "source": SRC_AB + (f"; aliases: {SRC_OS}" if aliases else "")})
    return rows


def pcode_key(code: str) -> tuple[str, int]:
    """Sort key for C1001-style codes."""
    m = re.match(r"^([A-Z]+)(\d+)$", code)
    return (m.group(1), int(m.group(2))) if m else (code, 0)


def community_rows(shared: Path, admin3: dict[str, dict]) -> tuple[list[dict], int]:
    """Rows of communities.csv and the number of N rows dropped."""
    rows, dropped = [], 0
    with (shared / "syr_populated_places_ocha.csv").open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            if r["type"] != "C":
                dropped += 1
                continue
            unit = admin3[r["subdist_pcode"]]
            if (unit["admin2_pcode"], unit["admin1_pcode"]) != (r["dist_pcode"], r["gov_pcode"]):
                raise ValueError(f"admin chain of {r['place_pcode']} disagrees with COD-AB")
            rows.append({"pcode": r["place_pcode"], "name_ar": clean(r["place_ar"]),
                         "name_en": clean(r["place_en"]), "admin1_pcode": r["gov_pcode"],
                         "admin2_pcode": r["dist_pcode"], "admin3_pcode": r["subdist_pcode"],
                         "lat": fmt(float(r["lat"])), "lon": fmt(float(r["lon"])),
                         "source": SRC_PP})
    rows.sort(key=lambda r: pcode_key(r["pcode"]))
    return rows, dropped


def aleppo_rows(shared: Path, communities: dict[str, dict]) -> list[dict]:
    """Neighbourhood rows of Aleppo city from OCHA's city_neighbourhoods file."""
    data = json.loads((shared / "aleppo_neighbourhoods_ocha.json").read_text("utf-8"))
    city = communities[data["communityExternalPCode"]]
    rows = []
    for it in data["items"]:
        code = it["pCode"]
        name = clean(it["nameArabic"])
        kind = "neighbourhood"
        aliases = list(ALEPPO_ALIASES.get(code, ()))
        name_en = clean(it["nameEnglish"])
        if code in ALEPPO_CAMPS:
            kind, (name, name_en) = "camp", ALEPPO_CAMPS[code]
        name = name.replace("/ ", "/").replace(" /", "/")
        rows.append({"place_id": code, "name_ar": name, "name_en": name_en,
                     "aliases_ar": "|".join(a for a in aliases if a != name), "kind": kind,
                     "city_pcode": city["pcode"], "admin1_pcode": city["admin1_pcode"],
                     "admin2_pcode": city["admin2_pcode"], "admin3_pcode": city["admin3_pcode"],
                     "lat": fmt(float(it["centerLatitude"])),
                     "lon": fmt(float(it["centerLongitude"])), "approx_km": "",
                     "source": f"{SRC_NB}, {code}"
                               + ("; aliases: spellings written by this project" if aliases else "")})
    return rows


def neighbourhood_rows(shared: Path, communities: list[dict]) -> tuple[list[dict], list[str]]:
    """Aleppo rows from OCHA plus the hand-written rows, minus names OCHA already has."""
    from nlp.normalize import normalize_name
    by_code = {c["pcode"]: c for c in communities}
    rows = aleppo_rows(shared, by_code)
    written = GAZ / "neighbourhoods_written.csv"
    skipped: list[str] = []
    if written.exists():
        have = {(c["admin3_pcode"], normalize_name(c["name_ar"])) for c in communities}
        with written.open(encoding="utf-8", newline="") as f:
            for r in csv.DictReader(f):
                city = by_code[r["city_pcode"]]
                key = (city["admin3_pcode"], normalize_name(r["name_ar"]))
                if key in have:
                    skipped.append(f"{r['place_id']} {r['name_ar']}: OCHA community of "
                                   f"{city['admin3_pcode']}")
                    continue
                row = {c: (r.get(c) or "").strip() for c in NEIGHBOURHOOD_COLUMNS}
                row.update(admin1_pcode=city["admin1_pcode"], admin2_pcode=city["admin2_pcode"],
                           admin3_pcode=city["admin3_pcode"])
                rows.append(row)
    ids = [r["place_id"] for r in rows]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise ValueError(f"duplicate neighbourhood place_id: {dupes}")
    rows.sort(key=lambda r: (r["city_pcode"], r["place_id"]))
    return rows, skipped


def write_csv(path: Path, columns: tuple[str, ...], rows: list[dict]) -> None:
    """A UTF-8 CSV with Unix line ends."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, columns, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def write_boundaries(level: int, units: list[dict], folder: Path) -> None:
    """One GeoJSON FeatureCollection of the OCHA polygons of a level."""
    feats = []
    for u in units:
        props = {"pcode": u["pcode"], "name_ar": u["name_ar"], "name_en": u["name_en"]}
        if level >= 2:
            props["admin1_pcode"] = u["admin1_pcode"]
        if level == 3:
            props["admin2_pcode"] = u["admin2_pcode"]
        geom = mapping(u["geometry"])
        feats.append({"type": "Feature", "properties": props,
                      "geometry": {"type": geom["type"],
                                   "coordinates": _round_coords(geom["coordinates"])}})
    doc = {"type": "FeatureCollection", "attribution": ATTRIBUTION, "features": feats}
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"admin{level}.geojson"
    path.write_text(json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n", "utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED,
                    help="folder with the OCHA/OpenSyria files (default ../shared/data/geo)")
    ap.add_argument("--out", type=Path, default=REPO / "data",
                    help="data folder to write gazetteer/ and boundaries/ into (default: data/)")
    args = ap.parse_args(argv)
    gaz_out, bounds_out = args.out / "gazetteer", args.out / "boundaries"

    report: list[str] = []
    units = read_admin(args.shared, report)
    admin = admin_rows(units, opensyria_aliases(args.shared))
    write_csv(gaz_out / "admin_units.csv", ADMIN_COLUMNS, admin)
    admin3 = {u["pcode"]: u for u in units[3]}
    communities, dropped = community_rows(args.shared, admin3)
    write_csv(gaz_out / "communities.csv", COMMUNITY_COLUMNS, communities)
    for level, items in units.items():
        write_boundaries(level, items, bounds_out)
    hoods, skipped = neighbourhood_rows(args.shared, communities)
    write_csv(gaz_out / "neighbourhoods.csv", NEIGHBOURHOOD_COLUMNS, hoods)
    counts = {lv: sum(r["level"] == lv for r in admin) for lv in LEVELS.values()}
    print(f"admin_units.csv: {len(admin)} rows {counts}")
    print(f"communities.csv: {len(communities)} rows ({dropped} type-N rows dropped)")
    print(f"neighbourhoods.csv: {len(hoods)} rows")
    for s in skipped:
        print(f"  not added (already an OCHA community): {s}")
    print("boundaries admin1-3.geojson: made valid:", "; ".join(report) or "none needed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
