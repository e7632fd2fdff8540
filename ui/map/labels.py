"""Basemap labels from the project's own gazetteer: governorate names when zoomed out, then
towns and cities by population as you zoom in (the UI language's names)."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ui.i18n import norm_lang

# (minimum population, minimum zoom): bigger places appear first.
POPULATION_ZOOM: tuple[tuple[int, int], ...] = ((200_000, 7), (50_000, 8), (15_000, 9),
                                                (3_000, 10), (0, 11))
TOWN_LEVELS = ("populated_place",)


def min_zoom(population: int | None) -> int:
    """The zoom from which a place of this population is labelled."""
    pop = int(population or 0)
    for floor, zoom in POPULATION_ZOOM:
        if pop >= floor:
            return zoom
    return POPULATION_ZOOM[-1][1]


def place_labels(places: Iterable[Any], lang: str, limit: int = 4000) -> list[list]:
    """Label rows [lat, lon, name, min_zoom, class] for the Syrian towns of a gazetteer's places
    (objects with name_ar, name_en, level, country, lat, lon, population), biggest first."""
    lang = norm_lang(lang)
    rows = []
    for p in places:
        if getattr(p, "country", None) != "SY" or getattr(p, "level", None) not in TOWN_LEVELS:
            continue
        lat, lon = getattr(p, "lat", None), getattr(p, "lon", None)
        if lat is None or lon is None:
            continue
        name = (p.name_ar if lang == "ar" else p.name_en) or p.name_en or p.name_ar
        if not name:
            continue
        pop = int(getattr(p, "population", 0) or 0)
        rows.append((-pop, [round(float(lat), 4), round(float(lon), 4), str(name), min_zoom(pop),
                            "city" if pop >= 200_000 else "town"]))
    rows.sort(key=lambda r: (r[0], r[1][2]))
    return [r for _, r in rows[:limit]]


def governorate_labels(governorates: Any, lang: str) -> list[list]:
    """Label rows for governorate names at a point inside each polygon, zooms 6 to 8."""
    lang = norm_lang(lang)
    if governorates is None or len(governorates) == 0:
        return []
    rows = []
    for rec in governorates.to_dict("records"):
        geom = rec.get("geometry")
        if geom is None or getattr(geom, "is_empty", True):
            continue
        pt = geom.representative_point()
        name = rec.get("name_ar") if lang == "ar" else rec.get("name_en")
        if name:
            rows.append([round(pt.y, 4), round(pt.x, 4), str(name), 6, "gov", 8])
    return rows
