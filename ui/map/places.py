"""Places as compact marker rows for the map (the search box folds names in the browser).

A place whose mentions have no coordinates (point "none") is not drawn but counted; one placed at
its admin unit's point (point "unit") is drawn and marked approximate.
"""
from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from store.schema import POINTS
from ui.i18n import bilingual, level_label, norm_lang, where_label
from ui.map.styles import class_breaks, count_color, marker_size

# What each marker row holds, in order (the JS in ui.map.elements reads them by position);
# colour and meta are indexes into small tables sent once (a smaller payload at 5,000+ places).
ROW_FIELDS: tuple[str, ...] = ("lat", "lon", "mentions", "size", "color", "title", "meta",
                               "articles", "approximate", "key")
PLACE_COLUMNS = ["place_id", "name_ar", "name_en", "level", "admin1", "lat", "lon", "country",
                 "mentions", "articles", "point"]


def point_kind(places: pd.DataFrame) -> pd.Series:
    """Where each place's coordinates come from: the store's `point` column, else (a store
    written before it kept point) inferred: 'none' without coordinates, 'place' otherwise."""
    has = places["lat"].notna() & places["lon"].notna()
    inferred = has.map({True: "place", False: "none"})
    if "point" not in places.columns:
        return inferred
    given = places["point"].where(places["point"].isin(POINTS), None)
    return given.fillna(inferred).where(has, "none")


def split_drawable(places: pd.DataFrame, key: str = "places"
                   ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(drawn, whole countries, without coordinates): a country is not a point, and a place
    without coordinates is counted and listed but not drawn."""
    if places is None or places.empty or "lat" not in places.columns:
        empty = pd.DataFrame(columns=PLACE_COLUMNS)
        return empty, empty, empty
    places = places.assign(point=point_kind(places))
    unplaced = places[places["point"] == "none"]
    drawn = places[places["point"] != "none"]
    whole = drawn[drawn["level"] == "country"] if key == "places" else drawn.iloc[0:0]
    return drawn.drop(whole.index), whole, unplaced


def place_rows(places: pd.DataFrame, lang: str, color: str | None = None,
               names: Mapping[str, tuple[str, str]] | None = None
               ) -> tuple[list[list], list[int], dict[str, list[str]]]:
    """Marker rows (ROW_FIELDS) for drawable places, the class breaks of their counts and the
    lookup tables the rows index (colors, metas)."""
    lang = norm_lang(lang)
    if places.empty:
        return [], [1], {"colors": [], "metas": []}
    counts = places["mentions"].fillna(0).astype(int)
    breaks = class_breaks(counts.tolist())
    max_count = max(int(counts.max()), 1)
    arts = (places["articles"].fillna(0).astype(int) if "articles" in places.columns
            else counts * 0)
    lookup = dict(names) if names is not None else None
    where_cache: dict[tuple, str] = {}
    metas: dict[str, int] = {}
    colors: dict[str, int] = {}
    rows = []
    def col(name: str) -> list:
        """A column as a plain list (None where missing)."""
        if name not in places.columns:
            return [None] * len(places)
        return places[name].astype(object).where(places[name].notna(), None).tolist()

    for lat, lon, n, n_art, admin1, country, level, name_ar, name_en, point, pid in zip(
            places["lat"].astype(float).tolist(), places["lon"].astype(float).tolist(),
            counts.tolist(), arts.tolist(), col("admin1"), col("country"), col("level"),
            col("name_ar"), col("name_en"), col("point"), col("place_id")):
        meta_key = (admin1 if isinstance(admin1, str) else None,
                    country if isinstance(country, str) else None, level)
        meta = where_cache.get(meta_key)
        if meta is None:
            where = where_label(meta_key[0], meta_key[1], lang, lookup)
            meta = where_cache[meta_key] = " · ".join(
                x for x in (where, level_label(level, lang)) if x)
        fill = color or count_color(n, breaks)
        rows.append([round(lat, 4), round(lon, 4), n, marker_size(n, max_count),
                     colors.setdefault(fill, len(colors)), bilingual(name_ar, name_en, lang),
                     metas.setdefault(meta, len(metas)), n_art, 1 if point == "unit" else 0,
                     str(pid)])
    return rows, breaks, {"colors": list(colors), "metas": list(metas)}
