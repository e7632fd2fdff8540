"""Places as compact marker rows for the map, and the search key of a name.

A place whose mentions have no coordinates (point "none") is not drawn but counted; one placed at
its admin unit's point (point "unit") is drawn and marked approximate.
"""
from __future__ import annotations

import re
from collections.abc import Mapping

import pandas as pd

from ui.i18n import admin1_label, bilingual, level_label, norm_lang, t
from ui.map.styles import class_breaks, count_color, marker_size

# What each marker row holds, in order (the JS in ui.map.elements reads them by position).
ROW_FIELDS: tuple[str, ...] = ("lat", "lon", "mentions", "size", "color", "title", "meta",
                               "articles", "approximate", "key", "search")
PLACE_COLUMNS = ["place_id", "name_ar", "name_en", "level", "admin1", "lat", "lon", "country",
                 "mentions", "articles", "point"]

_DIACRITICS = re.compile("[\u064b-\u0652\u0670\u0640]")
_ALEFS = str.maketrans({"\u0622": "\u0627", "\u0623": "\u0627", "\u0625": "\u0627",
                        "\u0671": "\u0627", "\u0649": "\u064a", "\u0629": "\u0647"})
_ARTICLE = re.compile(r"(^|\s)(\u0627\u0644|al-|el-|al |el )")
_OTHER = re.compile(r"[^0-9a-z\u0600-\u06ff]+")


def search_key(*names: str | None) -> str:
    """Names folded for search (lower case, no diacritics, one alef, ى→ي, ة→ه, no leading
    ال / al-), joined by '|'. The search box folds what is typed the same way."""
    out = []
    for name in names:
        if not name:
            continue
        s = _DIACRITICS.sub("", str(name).lower()).translate(_ALEFS)
        s = _ARTICLE.sub(r"\1", s)
        s = _OTHER.sub(" ", s).strip()
        if s and s not in out:
            out.append(s)
    return "|".join(out)


def point_kind(places: pd.DataFrame) -> pd.Series:
    """Where each place's coordinates come from: the store's `point` column, else inferred
    ('none' without coordinates, 'place' otherwise)."""
    has = places["lat"].notna() & places["lon"].notna()
    inferred = has.map({True: "place", False: "none"})
    if "point" not in places.columns:
        return inferred
    given = places["point"].where(places["point"].isin(("place", "unit", "none")), None)
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
               ) -> tuple[list[list], list[int]]:
    """Marker rows (ROW_FIELDS) for drawable places and the class breaks of their counts."""
    lang = norm_lang(lang)
    if places.empty:
        return [], [1]
    counts = places["mentions"].fillna(0).astype(int).tolist()
    breaks = class_breaks(counts)
    max_count = max(counts) if counts else 1
    arts = (places["articles"].fillna(0).astype(int).tolist() if "articles" in places.columns
            else [0] * len(counts))
    rows = []
    for rec, n, n_art in zip(places.to_dict("records"), counts, arts):
        admin1 = rec.get("admin1")
        if isinstance(admin1, str) and admin1:
            where = admin1_label(admin1, lang, dict(names) if names is not None else None)
        else:
            country = rec.get("country")
            where = t("outside_syria", lang) + (f" ({country})" if isinstance(country, str)
                                                 and country else "")
        meta = f"{where} · {level_label(rec.get('level'), lang)}"
        rows.append([round(float(rec["lat"]), 5), round(float(rec["lon"]), 5), n,
                     marker_size(n, max_count), color or count_color(n, breaks),
                     bilingual(rec.get("name_ar"), rec.get("name_en"), lang), meta, n_art,
                     1 if rec.get("point") == "unit" else 0, str(rec.get("place_id")),
                     search_key(rec.get("name_ar"), rec.get("name_en"))])
    return rows, breaks
