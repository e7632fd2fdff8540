"""The dashboard's map in the page: the constant page and each data layer rendered once per its
inputs (Streamlit caches), and per session which layers the map iframe already holds, so a
rerun sends only what changed (see ui.map.swap)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

import folium
import pandas as pd
import streamlit as st

from store.query import Filters
from ui import offline, panels, queries
from ui.map import builders, component, swap
from ui.map.elements import PlaceCluster
from ui.map.styles import FOREIGN_COLOR
from ui.state import Session
from ui.text import esc

RETURNED = ["last_object_clicked_popup"]
HEIGHT = 600
SENT = "_map_sent"        # session: what the iframe holds (see plan)
ASKED = "_map_asked"      # session: the nonce of the iframe's last request
WANTED = "_map_wanted"    # session: hidden layers the user has ticked (sent from then on)
KEEP = swap.CAPACITY - 6  # digests counted as held: fewer than the iframe keeps


def _layer(fg: folium.FeatureGroup) -> swap.LayerJs:
    """A built data layer as JS, in its drawing slot."""
    key = builders.layer_key(fg)
    offline.localize(fg)
    slot = builders.LAYER_KEYS.index(key)
    count = next((c.count for c in fg._children.values() if isinstance(c, PlaceCluster)), None)
    return swap.layer_js(key, fg.layer_name, slot, swap.body_of(fg, slot), count)


@st.cache_resource(show_spinner=False, max_entries=4)
def page(path: str, lang: str) -> component.MapPage:
    """The constant map of a language (basemap, rivers, labels, governorate lines, search)."""
    base = builders.base_map(lang, queries.basemap(), queries.governorates(),
                             queries.labels(path, lang), queries.water())
    cluster = PlaceCluster([], {})
    offline.localize(base, cluster)
    return component.page_of(base, f"map_{lang}", [cluster])


def places(path: str, stamp: queries.Stamp, f: Filters) -> pd.DataFrame:
    """Store.place_counts(f) with the places outside Syria. Under a governorate filter, the
    rows of those governorates out of the (cached) count without it: a place's mentions all
    carry its governorate, so the rows are the same, and the map follows the filter without
    waiting for the store."""
    rows = queries.place_counts(path, stamp, replace(f, syria_only=False, admin1=None))
    if f.admin1 is None:
        return rows
    return rows[rows["admin1"].isin(list(f.admin1))].reset_index(drop=True)


@st.cache_resource(show_spinner=False, max_entries=32)
def day_layer(path: str, day: dt.date, lang: str, key: str) -> swap.LayerJs:
    """Areas of control ("control") or de-escalation zones ("zones") on the front-lines date."""
    zones, control = queries.layers_at(path, day)
    if key == "control":
        return _layer(builders.control_layer(control, day, lang, queries.controllers(path)))
    return _layer(builders.zones_layer(zones, day, lang))


@st.cache_resource(show_spinner=False, max_entries=64)
def filter_layer(path: str, stamp: queries.Stamp, f: Filters, lang: str,
                 key: str) -> swap.LayerJs:
    """Mentions per governorate ("choropleth"), Syrian places ("places") or places outside
    Syria ("foreign") under filters f."""
    if key == "choropleth":
        return _layer(builders.choropleth_layer(
            queries.governorates(), queries.admin1_counts(path, stamp, f), lang))
    syrian, foreign = builders.split_places(places(path, stamp, f))
    names = panels.admin1_names_safe()
    if key == "places":
        return _layer(builders.places_layer(syrian, lang, names=names))
    return _layer(builders.places_layer(foreign, lang, key="foreign",
                                        name=builders.layer_name("foreign", lang),
                                        color=FOREIGN_COLOR, names=names))


def layers(path: str, stamp: queries.Stamp, f: Filters, lang: str, day: dt.date,
           needed: Iterable[str]) -> list[swap.LayerJs]:
    """Every data layer in drawing order: built when `needed` (shown or asked for), else a
    placeholder that only names it (built once its box is ticked)."""
    needed = set(needed)
    out = []
    for slot, key in enumerate(builders.LAYER_KEYS):
        dated = key in ("zones", "control")
        if key not in needed:
            label = esc(builders.layer_name(key, lang, day))
            out.append(swap.waiting_js(key, label, slot, repr((f, lang, day if dated else None))))
        elif dated:
            out.append(day_layer(path, day, lang, key))
        else:
            out.append(filter_layer(path, stamp, f, lang, key))
    return out


def plan(session: Session, key: str, layers: Sequence[swap.LayerJs],
         shown: Iterable[str], ring: tuple[str, float, float] | None) -> str:
    """The feature-group script of this rerun: the same text as the last one when nothing
    changed (Streamlit then sends nothing), else bodies only for the layers the iframe lacks
    and shows (or was asked for)."""
    sent = session.get(SENT)
    if not isinstance(sent, dict) or sent.get("key") != key:
        sent = {"key": key, "held": [], "last": None}
    shown = tuple(sorted(set(shown)))
    wanted = tuple(sorted(session.get(WANTED) or ()))
    digests = [x.digest for x in layers]
    signature = (tuple(digests), shown, wanted, ring)
    if sent["last"] and sent["last"][0] == signature:
        return str(sent["last"][1])
    text = swap.feature_groups_js(layers, shown, set(sent["held"]), ring, wanted)
    sent_now = [x.digest for x in layers if x.key in shown or x.key in wanted
                or x.digest in sent["held"]]
    held = [d for d in sent["held"] if d not in sent_now] + sent_now
    session[SENT] = {"key": key, "held": held[-KEEP:], "last": (signature, text)}
    return text


def asked(session: Session, value: Any) -> bool:
    """Take the iframe's request for layers from the component's value; whether it is new
    (the page must rerun to send them)."""
    request = value.get(swap.ASK) if isinstance(value, dict) else None
    if not (isinstance(request, list) and len(request) == 2 and request[0] != session.get(ASKED)):
        return False
    session[ASKED] = request[0]
    keys = {str(k) for k in request[1] or ()}
    if swap.EVERY in keys:
        session.pop(SENT, None)
    session[WANTED] = sorted(set(session.get(WANTED) or ()) | (keys & set(builders.LAYER_KEYS)))
    return True


def show(path: str, stamp: queries.Stamp, f: Filters, lang: str, day: dt.date, *,
         visible: Iterable[str] | None, selected: str | None, center: list[float],
         zoom: int) -> dict | None:
    """Draw the map; the component's value (the last popup clicked)."""
    session = st.session_state
    base = page(path, lang)
    asked(session, session.get(base.key))  # a request made before this rerun is served in it
    shown = builders.DEFAULT_ON if visible is None else tuple(visible)
    drawn = layers(path, stamp, f, lang, day, set(shown) | set(session.get(WANTED) or ()))
    ring = builders.selection(places(path, stamp, f), selected) if selected else None
    value = component.show(base, plan(session, base.key, drawn, shown, ring),
                           swap.layer_control_js(drawn), returned=RETURNED, height=HEIGHT,
                           center=center, zoom=zoom)
    if asked(session, value):  # made as this rerun began
        st.rerun()
    return value
