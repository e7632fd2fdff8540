"""The dashboard's map in the page: the constant page and each data layer rendered once per its
inputs (Streamlit caches), and per session which layers the map iframe already holds, so a
rerun sends only what changed (see ui.map.swap)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

import folium
import streamlit as st

from store.query import Filters
from ui import offline, panels, queries
from ui.map import builders, component, swap
from ui.map.elements import PlaceCluster
from ui.state import Session

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


@st.cache_resource(show_spinner=False, max_entries=16)
def day_layers(path: str, day: dt.date, lang: str) -> tuple[swap.LayerJs, ...]:
    """Areas of control and zones on the front-lines date."""
    zones, control = queries.layers_at(path, day)
    return tuple(_layer(fg) for fg in builders.day_layers(
        lang, zones, control, day, queries.controllers(path)))


@st.cache_resource(show_spinner=False, max_entries=32)
def filter_layers(path: str, stamp: queries.Stamp, f: Filters,
                  lang: str) -> tuple[swap.LayerJs, ...]:
    """Mentions per governorate, Syrian places and places outside Syria under filters f."""
    places = queries.place_counts(path, stamp, replace(f, syria_only=False))
    return tuple(_layer(fg) for fg in builders.filter_layers(
        lang, places, queries.governorates(), queries.admin1_counts(path, stamp, f),
        names=panels.admin1_names_safe()))


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
    layers = sorted(filter_layers(path, stamp, f, lang) + day_layers(path, day, lang),
                    key=lambda x: x.slot)
    shown = builders.DEFAULT_ON if visible is None else tuple(visible)
    ring = builders.selection(queries.place_counts(path, stamp, replace(f, syria_only=False)),
                              selected) if selected else None
    base = page(path, lang)
    asked(session, session.get(base.key))  # a request made before this rerun is served in it
    value = component.show(base, plan(session, base.key, layers, shown, ring),
                           swap.layer_control_js(layers), returned=RETURNED, height=HEIGHT,
                           center=center, zoom=zoom)
    if asked(session, value):  # made as this rerun began
        st.rerun()
    return value
