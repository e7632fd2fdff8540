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
from nlp.cues import ORG_NAMES
from nlp.match import Matcher
from nlp.normalize import normalize_name
from nlp.shape import nisba_of
from snm.errors import GazetteerError
from snm.settings import BOUNDARIES_DIR, GAZETTEER_CACHE, GAZETTEER_DIR, SYRIA_BOUNDS

ROWS = GAZETTEER_DIR
CACHE = GAZETTEER_CACHE
CACHE_VERSION = 4
USER_REQUIRED = ("name_ar", "name_en", "lat", "lon", "admin1_pcode")
VILLAGE_POPULATION = 1000
CONTEXT_WORDINESS = 0.5  # names this much more frequent as words than as places need context
USER_SOURCE = "user gazetteer"


class Gazetteer:
    """Places and the index from normalised names to them."""

    def __init__(self, places: Sequence[Place], wordiness: dict[str, float] | None = None,
                 common_words: frozenset[str] = frozenset(),
                 clitic_words: dict[str, frozenset[str]] | None = None,
                 nisbas: frozenset[str] = frozenset()) -> None:
        """Index places by every normalised name and alias. Built with the gazetteer (see
        geo.prominence): wordiness, key -> how much the name reads as an ordinary word;
        common_words, frequent Arabic words (normalised); clitic_words, «clitic + name» forms
        that are words of their own, each with the name keys it can be split into."""
        self.places: tuple[Place, ...] = tuple(places)
        self.wordiness: dict[str, float] = dict(wordiness or {})
        self.common_words = common_words
        self.clitic_words = dict(clitic_words or {})  # «clitic + name» word -> those names
        self.nisbas = nisbas  # nisba adjectives of the countries (السوري، السورية …), normalised
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
        """What the cache keeps: places, index, wordiness (not the matcher)."""
        return {"places": self.places, "index": self.index, "wordiness": self.wordiness,
                "common_words": self.common_words, "clitic_words": self.clitic_words,
                "nisbas": self.nisbas}

    def __setstate__(self, state: dict) -> None:
        """Restore from the cache."""
        self.places, self.index = state["places"], state["index"]
        self.wordiness = state.get("wordiness", {})
        self.common_words = state.get("common_words", frozenset())
        self.clitic_words = state.get("clitic_words", {})
        self.nisbas = state.get("nisbas", frozenset())

    def candidates(self, key: str) -> list[Place]:
        """Places whose name or alias normalises to key (a shared list: do not change it)."""
        found = self._candidates.get(key)
        if found is None:
            found = self._candidates[key] = [self.places[i] for i in self.index.get(key, ())]
        return found

    def is_country(self, key: str) -> bool:
        """True when a key names a country (among other places, maybe)."""
        found = self._is_country.get(key)
        if found is None:
            found = self._is_country[key] = any(p.level == "country" for p in self.candidates(key))
        return found

    def opens_lists(self, key: str) -> bool:
        """True when a key names a Syrian region or governorate: a list of its places may
        follow it («ريف حمص: …»)."""
        found = self._opens_lists.get(key)
        if found is None:
            found = self._opens_lists[key] = any(
                p.level in ("region", "governorate") and p.country == "SY"
                for p in self.candidates(key))
        return found

    def spellings(self, key: str) -> tuple[str, ...]:
        """Every written name and alias of the places of a key (for checks of word shape)."""
        if key not in self._spellings:
            self._spellings[key] = tuple(dict.fromkeys(n for p in self.candidates(key)
                                                       for n in (p.name_ar, *p.aliases_ar)))
        return self._spellings[key]

    def by_id(self, place_id: str) -> Place | None:
        """The place with this id, if any."""
        return self._ids.get(place_id)

    # per-key answers, filled as keys are asked for (not pickled: see __getstate__)
    @cached_property
    def _candidates(self) -> dict[str, list[Place]]:
        return {}

    @cached_property
    def _is_country(self) -> dict[str, bool]:
        return {}

    @cached_property
    def _spellings(self) -> dict[str, tuple[str, ...]]:
        return {}

    @cached_property
    def _opens_lists(self) -> dict[str, bool]:
        return {}

    @cached_property
    def country_nisbas(self) -> dict[str, Place]:
        """The country each definite nisba adjective names (التركية -> Turkey), normalised; a
        nisba two countries share names neither."""
        found: dict[str, set[str]] = defaultdict(set)
        countries: dict[str, Place] = {}
        for p in self.places:
            if p.level == "country" and p.country:
                countries.setdefault(p.country, p)
                for form in nisba_of(p.name_ar):
                    found[normalize_name(form)].add(p.country)
        return {form: countries[next(iter(codes))] for form, codes in found.items() if len(codes) == 1}

    @cached_property
    def _ids(self) -> dict[str, Place]:
        return {p.place_id: p for p in self.places}

    @cached_property
    def matcher(self) -> Matcher:
        """A matcher over every key of this gazetteer and the organisation names."""
        return Matcher(self.index.keys(), ORG_NAMES)

    @cached_property
    def needs_context(self) -> frozenset[str]:
        """Keys that name a place only with context (a cue, a list, a relation): names that
        read as ordinary words, and one-word names of small places in a user's gazetteer."""
        out = {k for k, w in self.wordiness.items() if w >= CONTEXT_WORDINESS}
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
        """A new gazetteer with more places (a user's richer gazetteer); a place with the id
        of a built-in one replaces it."""
        new = list(places)
        ids = {p.place_id for p in new}
        return Gazetteer((*(p for p in self.places if p.place_id not in ids), *new),
                         self.wordiness, self.common_words, self.clitic_words, self.nisbas)


def _cache_inputs() -> list[Path]:
    """Files whose change makes the cached gazetteer stale."""
    here = Path(__file__).resolve().parent
    return [*ROWS.glob("*.csv"), *BOUNDARIES_DIR.glob("admin*.geojson"),
            *(here / name for name in ("gazetteer.py", "gazetteer_build.py", "prominence.py",
                                       "records.py", "codes.py", "boundaries.py")),
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
        from geo.gazetteer_build import build_default

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
    except IsADirectoryError:
        raise GazetteerError(f"{path}: a folder, not a gazetteer CSV file") from None
    except OSError as e:
        raise GazetteerError(f"{path}: cannot be read ({e.strerror or e})") from None


def _aliases(value: str | None) -> tuple[str, ...]:
    """Pipe-separated aliases as a tuple."""
    return tuple(a.strip() for a in (value or "").split("|") if a.strip())


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
    south, west, north, east = SYRIA_BOUNDS
    if not (south <= lat <= north and west <= lon <= east):
        raise GazetteerError(f"{where}: lat/lon ({lat}, {lon}) is outside Syria "
                             f"(lat {south}..{north}, lon {west}..{east}; are they swapped?)")
    if not (r.get("name_ar") or "").strip():
        raise GazetteerError(f"{where}: empty name_ar")
    level = (r.get("level") or "populated_place").strip()
    if level not in LEVELS:
        raise GazetteerError(f"{where}: level must be one of {', '.join(LEVELS)}")
    pop = (r.get("population") or "").strip()
    if pop and not pop.isdigit():
        raise GazetteerError(f"{where}: population must be a whole number, not {pop!r}")
    return Place(
        place_id=(r.get("pcode") or "").strip() or f"user:{path.name}:{line}",
        name_ar=r["name_ar"].strip(), name_en=(r.get("name_en") or "").strip(), level=level,
        country="SY", lat=lat, lon=lon, admin1=admin.admin1, admin1_pcode=admin.admin1_pcode,
        admin2_pcode=(r.get("admin2_pcode") or "").strip() or None,
        admin3_pcode=(r.get("admin3_pcode") or "").strip() or None,
        population=int(pop) if pop else 0,
        aliases_ar=_aliases(r.get("aliases_ar")) + _hyphen_parts(r["name_ar"]),
        source=f"{USER_SOURCE} {path.name}")


def main(argv: list[str] | None = None) -> int:
    """`python -m geo.gazetteer build`: build and cache the default gazetteer."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] != ["build"]:
        print("usage: python -m geo.gazetteer build", file=sys.stderr)
        return 2
    from geo.gazetteer_build import build_default

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
