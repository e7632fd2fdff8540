"""Typed, cached reads for the page: each store query by name, cached until the store changes
(its manifest stamp) or the filters do; resources (store, pipeline, polygons) built once.

Streamlit's caches live here so app.py only calls functions with real signatures.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from snm.pipeline import Pipeline, Sources
from snm.settings import VENDOR_DIR
from store.parts import manifest_stamp
from store.query import Filters, Store
from ui.basemap import load_region_geojson, load_water

Stamp = Any  # the store's manifest stamp: changes whenever a part is added
# Actor types that are not armed actors (media, monitors): left out of the actor filter.
NOT_ARMED = ("monitor", "media")


@dataclass(frozen=True)
class ActorOption:
    """One choice of the actor filter: names, Arabic aliases (searchable) and its type."""

    actor_id: str
    name_ar: str
    name_en: str
    aliases_ar: tuple[str, ...] = ()
    kind: str = ""


@st.cache_resource(show_spinner=False)
def get_store(path: str) -> Store:
    """The store (one DuckDB connection shared by the sessions)."""
    return Store(path)


@st.cache_resource(show_spinner=False)
def get_pipeline(path: str) -> Pipeline:
    """The pipeline the store was ingested with (gazetteer, actors, layers), built once."""
    return Pipeline.from_sources(Sources.from_dict(get_store(path).recorded_pipeline()))


def stamp_of(path: str) -> Stamp:
    """The store's current manifest stamp (None when there is no store)."""
    from pathlib import Path
    return manifest_stamp(Path(path))


@st.cache_data(show_spinner=False, max_entries=64)
def place_counts(path: str, stamp: Stamp, f: Filters) -> pd.DataFrame:
    """Store.place_counts(f)."""
    return get_store(path).place_counts(f)


@st.cache_data(show_spinner=False, max_entries=64)
def articles(path: str, stamp: Stamp, f: Filters, limit: int | None = None) -> pd.DataFrame:
    """Store.articles(f, limit)."""
    return get_store(path).articles(f, limit=limit)


@st.cache_data(show_spinner=False, max_entries=64)
def article_count(path: str, stamp: Stamp, f: Filters) -> int:
    """Store.article_count(f): how many articles match, without listing them."""
    return get_store(path).article_count(f)


@st.cache_data(show_spinner=False, max_entries=2)
def citations(path: str, stamp: Stamp, f: Filters, limit: int | None = None) -> pd.DataFrame:
    """Store.citations(f, limit): the mentions with their title, outlet, URL and sentence (kept
    for the CSV and the GeoJSON of one download, not more)."""
    return get_store(path).citations(f, limit=limit)


@st.cache_data(show_spinner=False, max_entries=64)
def admin1_counts(path: str, stamp: Stamp, f: Filters) -> pd.DataFrame:
    """Store.admin1_counts(f)."""
    return get_store(path).admin1_counts(f)


@st.cache_data(show_spinner=False, max_entries=64)
def daily_counts(path: str, stamp: Stamp, f: Filters, freq: str) -> pd.DataFrame:
    """Store.daily_counts(f, freq)."""
    return get_store(path).daily_counts(f, freq=freq)


@st.cache_data(show_spinner=False, max_entries=8)
def date_span(path: str, stamp: Stamp) -> tuple[dt.date | None, dt.date | None]:
    """First and last dates in the store."""
    return get_store(path).date_span()


@st.cache_data(show_spinner=False, max_entries=8)
def actor_ids_named(path: str, stamp: Stamp) -> list[str]:
    """Ids of the actors the stored articles name."""
    return list(get_store(path).actor_counts(None)["actor_id"])


def article(path: str, article_id: str) -> dict[str, Any] | None:
    """One article with its mentions (not cached: small, and the newest wins)."""
    return get_store(path).article(article_id)


@st.cache_data(show_spinner=False, max_entries=32)
def layers_at(path: str, day: dt.date) -> tuple[Any, Any]:
    """Zones and control on a day."""
    layers = get_pipeline(path).layers
    return layers.zones_at(day), layers.control_at(day)


@st.cache_data(show_spinner=False, max_entries=2)
def zone_options(path: str) -> dict[str, tuple[str, str]]:
    """Zone id -> (Arabic, English) name, for the zone filter."""
    z = get_pipeline(path).layers.zones
    return {i: (ar, en) for i, ar, en in zip(z["zone_id"], z["name_ar"], z["name_en"])}


def controllers(path: str) -> dict[str, Any]:
    """The layers' controller table: code -> Controller (names, colour), in legend order."""
    return dict(get_pipeline(path).layers.controllers)


@st.cache_data(show_spinner=False, max_entries=2)
def actor_options(path: str) -> dict[str, ActorOption]:
    """Armed actors of the pipeline's table with their Arabic aliases (media and monitors
    left out, by the table's type column)."""
    return {a.actor_id: ActorOption(a.actor_id, a.name_ar, a.name_en, tuple(a.aliases_ar), a.kind)
            for a in get_pipeline(path).actors.actors if not any(k in a.kind for k in NOT_ARMED)}


@st.cache_resource(show_spinner=False)
def governorates() -> Any:
    """Governorate polygons (geo.boundaries)."""
    from geo.boundaries import governorates as load
    return load()


@st.cache_resource(show_spinner=False)
def basemap() -> dict | None:
    """The region's country outlines (static/vendor, built at set-up)."""
    return load_region_geojson(VENDOR_DIR)


@st.cache_resource(show_spinner=False)
def water() -> dict | None:
    """Rivers and lakes (data/basemap/water.geojson)."""
    return load_water()


@st.cache_data(show_spinner=False, max_entries=4)
def labels(path: str, lang: str) -> list[list]:
    """Basemap labels: governorates, then the gazetteer's towns by population."""
    from ui.map.labels import governorate_labels, place_labels
    govs = governorate_labels(governorates(), lang)
    towns = place_labels(get_pipeline(path).gazetteer.places, lang)
    for row in towns:  # a town beside a governorate's name waits until that one is gone
        if any(abs(row[0] - g[0]) < 0.3 and abs(row[1] - g[1]) < 0.4 for g in govs):
            row[3] = max(row[3], 9)
    return govs + towns
