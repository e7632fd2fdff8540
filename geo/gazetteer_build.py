"""Build the shipped gazetteer from its sources (see data/SOURCES.md):

- OCHA admin units and communities, hand-written neighbourhoods, features and aliases
  (data/gazetteer/*.csv, via geo.sources.ocha);
- GeoNames towns (population, other Arabic names) merged into the OCHA community they are;
- the regions Syrian news names and «ريف X» for each governorate (data/gazetteer/regions.csv);
- foreign places: data/gazetteer/foreign.csv and GeoNames/CLDR (geo.sources.foreign).

Every Syrian place with a point gets its admin1/admin2/admin3 P-codes by point in polygon
when its row lacks them; each place gets a prominence and each name key a wordiness
(geo.prominence), kept in the cache.
"""
from __future__ import annotations

import csv
import math
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

from geo import boundaries, codes
from geo.gazetteer import Gazetteer
from geo.prominence import clitic_words, frequent_words, prominence, wordiness
from geo.records import Place
from geo.sources import foreign, geonames, ocha
from nlp.cues import GENERIC_PLACE_NOUNS
from nlp.normalize import normalize_name
from nlp.shape import nisba_of
from snm.settings import GAZETTEER_DIR

MERGE_KM = 6.0  # a GeoNames town this close to an OCHA community of the same name is that community
# A name known only in a derived form (a part of an OCHA «X_Y» name, a village's name with the
# article added) needs a cue or a located context (geo.acceptance: CUE evidence).
DERIVED_WORDINESS = 2.0
_UNIT_PREFIXES = ("مركز ", "منطقة ", "ناحية ", "محافظة ")
# Generic nouns that, with a nisba adjective, describe rather than name (الأراضي السورية).
_DESCRIPTION_HEADS = frozenset(normalize_name(w) for w in (
    "الأراضي", "العاصمة", "الساحل", "الشمال", "الجنوب", "الشرق", "الغرب", "الحدود", "الدولة",
    "الجمهورية", "المدن", "المناطق", "المحافظات", "البلاد"))


def _km(a: Place, b: Place) -> float:
    """Approximate distance in km between two places with points."""
    assert a.lat is not None and a.lon is not None and b.lat is not None and b.lon is not None
    dy = (a.lat - b.lat) * 111.0
    dx = (a.lon - b.lon) * 111.0 * math.cos(math.radians((a.lat + b.lat) / 2))
    return math.hypot(dx, dy)


def _keys(place: Place) -> set[str]:
    """The normalised keys of a place's names."""
    return {normalize_name(n) for n in (place.name_ar, *place.aliases_ar) if n.strip()}


def _is_description(name: str, nisbas: frozenset[str]) -> bool:
    """True for «generic noun + nisba adjective» phrases (الأراضي السورية، العاصمة السورية)."""
    words = normalize_name(name).split()
    return len(words) == 2 and words[0] in _DESCRIPTION_HEADS and words[1] in nisbas


def _is_generic(name: str) -> bool:
    """True for a generic place noun with the article (المدينة، المحافظة، القرية): it refers back
    to a place named before, it never names one."""
    return normalize_name(name) in GENERIC_PLACE_NOUNS


def _clean_aliases(place: Place, nisbas: frozenset[str]) -> Place:
    """Drop aliases that are descriptions, and the article-less form of an ال name («رقة»)."""
    bare = normalize_name(place.name_ar[2:]) if place.name_ar.startswith("ال") else None
    kept = tuple(a for a in place.aliases_ar if a != place.name_ar and normalize_name(a) != bare
                 and not _is_description(a, nisbas))
    return replace(place, aliases_ar=tuple(dict.fromkeys(kept)))


def _merge_geonames(communities: list[Place], towns: list[Place]) -> tuple[list[Place], list[Place]]:
    """Communities with the population and other names of the GeoNames town each one is, and
    the GeoNames towns no community matches."""
    by_key: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(communities):
        for k in _keys(c):
            by_key[k].append(i)
    merged = list(communities)
    left: list[Place] = []
    for t in towns:
        near = sorted({i for k in _keys(t) for i in by_key.get(k, ())
                       if merged[i].lat is not None and _km(merged[i], t) <= MERGE_KM},
                      key=lambda i: _km(merged[i], t))
        if not near:
            left.append(t)
            continue
        c = merged[near[0]]
        names = tuple(dict.fromkeys((*c.aliases_ar, t.name_ar, *t.aliases_ar)))
        merged[near[0]] = replace(c, population=max(c.population, t.population),
                                  aliases_ar=tuple(n for n in names if n != c.name_ar),
                                  source=f"{c.source}; population and other names: {t.source} "
                                         f"({t.place_id})")
    return merged, left


def _seats(units: list[Place], communities: list[Place]) -> dict[str, str]:
    """Community id -> the highest unit level it is the seat of (a town named like its unit)."""
    by_key: dict[str, list[Place]] = defaultdict(list)
    for c in communities:
        by_key[normalize_name(c.name_ar)].append(c)
    rank = {"governorate": 3, "district": 2, "subdistrict": 1}
    seats: dict[str, str] = {}
    for u in units:
        names = {n[len(p):] if n.startswith(p) else n for n in (u.name_ar, *u.aliases_ar)
                 for p in ("", *_UNIT_PREFIXES) if not p or n.startswith(p)}
        code = {"governorate": u.admin1_pcode, "district": u.admin2_pcode,
                "subdistrict": u.admin3_pcode}[u.level] or u.place_id
        for n in names:
            for c in by_key.get(normalize_name(n), ()):
                inside = {"governorate": c.admin1_pcode, "district": c.admin2_pcode,
                          "subdistrict": c.admin3_pcode}[u.level]
                if inside == code and rank[u.level] > rank.get(seats.get(c.place_id, ""), 0):
                    seats[c.place_id] = u.level
    return seats


def _governorates(units: list[Place]) -> list[Place]:
    """Governorates with the names of data/gazetteer/admin1.csv as aliases too."""
    out = []
    for u in units:
        if u.level != "governorate":
            out.append(u)
            continue
        g = codes.by_pcode()[u.place_id]
        names = tuple(dict.fromkeys((*u.aliases_ar, g.name_ar, *g.aliases_ar)))
        out.append(replace(u, aliases_ar=tuple(n for n in names if n != u.name_ar)))
    return out


def _rural(govs: list[Place]) -> list[Place]:
    """«ريف X» for each governorate but Damascus and Rural Damascus (a governorate itself)."""
    out = []
    for g in govs:
        if g.level != "governorate" or g.admin1 in ("SY-DI", "SY-RD"):
            continue
        base = codes.by_pcode()[g.place_id]
        names = (g.name_ar, *(a for a in base.aliases_ar if not a.startswith("محافظة")))
        out.append(Place(place_id=f"rural-{g.place_id}", name_ar=f"ريف {g.name_ar}",
                         name_en=f"Rural {g.name_en}", level="region", country="SY",
                         lat=g.lat, lon=g.lon, admin1=g.admin1, admin1_pcode=g.admin1_pcode,
                         aliases_ar=tuple(dict.fromkeys(f"ريف {n}" for n in names[1:])),
                         source=f"the countryside of the governorate; its point: {g.source}"))
    return out


def _row_places(path: Path) -> list[Place]:
    """Places written in this repo (regions, foreign places), one CSV row each."""
    out = []
    with path.open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            admin = codes.by_iso().get(r.get("admin1") or "")
            out.append(Place(
                place_id=r["place_id"], name_ar=r["name_ar"], name_en=r["name_en"],
                level=r["level"], country=r["country"],
                lat=float(r["lat"]) if r.get("lat") else None,
                lon=float(r["lon"]) if r.get("lon") else None,
                admin1=admin.admin1 if admin else None,
                admin1_pcode=admin.admin1_pcode if admin else None,
                aliases_ar=tuple(a.strip() for a in (r.get("aliases_ar") or "").split("|") if a.strip()),
                source=r["source"]))
    return out


def _article_alias(place: Place) -> Place:
    """A city quarter named without the article is often written with it too (غويران، الغويران)."""
    if place.level != "neighbourhood" or place.name_ar.startswith("ال") or " " in place.name_ar:
        return place
    return replace(place, aliases_ar=(*place.aliases_ar, "ال" + place.name_ar))


def _joined_parts(name: str) -> list[str]:
    """The names an OCHA «X_Y» name joins (one part when there is no «_»)."""
    return [part.strip() for part in name.split("_")]


def _part_names(place: Place) -> Place:
    """A community OCHA names in parts is known by them. «X_Y» joins two names of one village,
    its Arabic one and its older Turkmen or Kurdish one (العميانة_كورهيوك): X is shown, Y is an
    alias. «X - Y» (two merged villages, or X near the town Y) and «X / Y» (X in the town Y, or
    two names) are also «X»."""
    name = place.name_ar
    if "_" in name:
        first, *others = _joined_parts(name)
        extra = tuple(o for o in others if len(o) >= 4 and o != first)
        return replace(place, name_ar=first, aliases_ar=tuple(dict.fromkeys(
            (*place.aliases_ar, *extra))))
    for mark in ("-", "/"):
        if mark in name:
            first = name.split(mark)[0].strip()
            if len(first) >= 4 and first not in place.aliases_ar:
                return replace(place, aliases_ar=(*place.aliases_ar, first))
            return place
    return place


def _with_aliases(places: list[Place], aliases: dict[str, tuple[str, ...]]) -> list[Place]:
    """Places with the other names aliases.csv gives them."""
    return [replace(p, aliases_ar=tuple(dict.fromkeys((*p.aliases_ar, *aliases[p.place_id]))))
            if p.place_id in aliases else p for p in places]


def _with_pcodes(places: list[Place]) -> list[Place]:
    """Syrian places with a point and no sub-district: P-codes by point in polygon."""
    todo = [i for i, p in enumerate(places) if p.country == "SY" and p.lat is not None
            and not p.admin3_pcode and p.level in ("populated_place", "neighbourhood", "feature")]
    found = boundaries.admin_pcodes([places[i].lat for i in todo], [places[i].lon for i in todo])
    out = list(places)
    for i, chain in zip(todo, found):
        if chain is None:
            continue
        a1, a2, a3 = chain
        gov = codes.by_pcode()[a1]
        out[i] = replace(out[i], admin1=gov.admin1, admin1_pcode=a1, admin2_pcode=a2, admin3_pcode=a3)
    return out


def build_default() -> Gazetteer:
    """Build the shipped gazetteer from registry packages and the rows in data/gazetteer."""
    units = _governorates(ocha.admin_units())
    raw_communities = ocha.communities()
    communities, towns_left = _merge_geonames([_part_names(c) for c in raw_communities],
                                              geonames.places())
    seats = _seats(units, communities)
    aliases = ocha.aliases()
    syrian = [*units, *_rural(units), *communities, *towns_left,
              *(_article_alias(q) for q in ocha.neighbourhoods()),
              *ocha.features(), *_row_places(GAZETTEER_DIR / "regions.csv")]
    world = [*_row_places(GAZETTEER_DIR / "foreign.csv"), *foreign.places()]
    places = _with_pcodes(_with_aliases([*syrian, *world], aliases))
    country_names = [p.name_ar for p in places if p.level == "country"]
    nisbas = frozenset(normalize_name(f) for n in country_names for f in nisba_of(n))
    places = [_clean_aliases(p, nisbas) for p in places
              if not _is_description(p.name_ar, nisbas) and not _is_generic(p.name_ar)]
    places = [replace(p, aliases_ar=tuple(a for a in p.aliases_ar if not _is_generic(a)))
              for p in places]
    words = frozenset(normalize_name(w) for w in frequent_words())
    places, definite = _article_forms(places, {c.place_id for c in raw_communities}, words)
    places = [_dual_alias(p) for p in places]
    ranked = [replace(p, prominence=prominence(p, seats.get(p.place_id))) for p in places]
    cliticised: dict[str, set[str]] = defaultdict(set)
    for p in ranked:
        for name in (p.name_ar, *p.aliases_ar):
            for whole in clitic_words((name,)):
                cliticised[normalize_name(whole)].add(normalize_name(name))
    derived = _joined_only(raw_communities, ranked) | definite
    return Gazetteer(ranked, wordiness_of(ranked, derived), words,
                     {k: frozenset(v) for k, v in cliticised.items()}, nisbas)


def _article_forms(places: list[Place], communities: set[str], words: frozenset[str]
                   ) -> tuple[list[Place], frozenset[str]]:
    """Villages OCHA names without the article, with the article as an alias (قرقور: القرقور,
    دويركه: الدويركة): Syrian news writes many village names either way. Only one-word names,
    only where no place is already known by the form with the article, and only where that
    form is not an ordinary word (`words`): «الصراع», «السلام», «الحياة» are the conflict, peace
    and life far more often than the villages صراع, سلام, حياة (on 1,620 news articles, 150 such
    forms gave 3,202 matches to weigh, the other 1,964 gave 133). Returns the places and the
    keys added (they need a cue or a located context: see DERIVED_WORDINESS)."""
    taken = {normalize_name(n) for p in places for n in (p.name_ar, *p.aliases_ar)}
    added: set[str] = set()
    out = []
    for p in places:
        name = p.name_ar
        definite = "ال" + name
        key = normalize_name(definite)
        if (p.place_id in communities and " " not in name.strip() and not name.startswith("ال")
                and len(name) >= 3 and key not in words and (key not in taken or key in added)):
            p = replace(p, aliases_ar=(*p.aliases_ar, definite))
            added.add(key)
        out.append(p)
    return out, frozenset(added)


def _dual_alias(place: Place) -> Place:
    """A Syrian region named by one word in ة is also named by its dual, for its two parts
    (الغوطتين: the eastern and the western Ghouta)."""
    name = place.name_ar
    if place.level != "region" or place.country != "SY" or " " in name or not name.endswith("ة"):
        return place
    return replace(place, aliases_ar=(*place.aliases_ar, name[:-1] + "تين", name[:-1] + "تان"))


def _joined_only(communities: list[Place], places: list[Place]) -> frozenset[str]:
    """Keys that name places only as a part of an OCHA «X_Y» name. Those villages are small and
    their names are often words (السمحة: tolerant, المعامل: the factories), so read as places
    they need a cue or a located context: on 1,620 news articles, 39 of 39 new matches without
    one were words, names of people or foreign places."""
    parts = {normalize_name(part) for c in communities if "_" in c.name_ar
             for part in _joined_parts(c.name_ar)}
    joined = {c.place_id for c in communities if "_" in c.name_ar}
    elsewhere = {normalize_name(n) for p in places if p.place_id not in joined
                 for n in (p.name_ar, *p.aliases_ar)}
    return frozenset(parts - elsewhere)


def wordiness_of(places: list[Place], derived_only: frozenset[str] = frozenset()) -> dict[str, float]:
    """Key -> wordiness (geo.prominence), for the keys whose names read as ordinary words;
    keys in `derived_only` (_joined_only, _article_forms) at least DERIVED_WORDINESS."""
    forms: dict[str, set[str]] = defaultdict(set)
    best: dict[str, float] = defaultdict(float)
    for p in places:
        for name in (p.name_ar, *p.aliases_ar):
            key = normalize_name(name)
            if key:
                forms[key].add(name)
                best[key] = max(best[key], p.prominence)
    from geo.prominence import normalised_frequencies

    frequencies = normalised_frequencies(normalize_name)
    out = {}
    top_level = {normalize_name(n) for p in places
                 if p.level in ("country", "governorate") or (p.country != "SY" and p.prominence >= 0.9)
                 for n in (p.name_ar, *p.aliases_ar)}
    for key, written in forms.items():
        if key in top_level and not key.endswith("ي"):
            continue  # countries and governorates: adjectives are told apart by their context;
            # but a name shaped like a nisba is the adjective more often (مالي: financial)
        w = wordiness(written, best[key], frequencies.get(key, 0.0))
        if key in top_level and frequencies.get(key, 0.0) >= 4.0:
            w = max(w, 1.0)  # مالي: the adjective is common; the country needs a preposition
        if key in derived_only:
            w = max(w, DERIVED_WORDINESS)
        if w > 0:
            out[key] = w
    return out
