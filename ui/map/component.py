"""The map as streamlit-folium's component gets it, rendered once and kept as text.

`st_folium` renders the whole folium map on every rerun (~0.2 s at 6,000 places). Here the
constant page (basemap, labels, search, …) is rendered once per language with streamlit-folium's
own helpers, the data layers once per their inputs (ui.map.swap), and each rerun only joins
strings and calls the component with the arguments `st_folium` would pass.
"""
from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import folium

from ui.map.css import MAP_KEY_PREFIX
from ui.offline import STATIC_URL, asset_links, frontend_rel


@dataclass(frozen=True)
class MapPage:
    """The constant part of the component's arguments (one per language)."""

    script: str
    header: str
    html: str
    map_id: str
    css_links: tuple[str, ...]
    js_links: tuple[str, ...]
    key: str  # the component's widget key: MAP_KEY_PREFIX + st_folium's hash of script and key


def page_of(base: folium.Map, key: str, extras: Iterable[Any] = ()) -> MapPage:
    """Render the constant map once (as st_folium does); `key`: the map's Streamlit key;
    `extras`: elements of the data layers whose scripts and stylesheets the page must load too
    (e.g. the marker cluster)."""
    from streamlit_folium import (
        _get_header,
        _get_html,
        _get_map_string,
        generate_js_hash,
        get_full_id,
    )

    base.get_root().render()
    base.render()
    html = _get_html(base)
    header = _get_header(base)
    script = _get_map_string(base)
    css, js = asset_links(base, *extras)
    return MapPage(script, header, html, get_full_id(base), css, js,
                   MAP_KEY_PREFIX + generate_js_hash(script, key, False))


@functools.cache
def _frontend() -> Any:
    """streamlit-folium's front end, served from static/ (see ui.offline.frontend_rel)."""
    import streamlit.components.v1 as components
    return components.declare_component("st_folium", url=f"{STATIC_URL}/{frontend_rel()}")


def show(page: MapPage, feature_group: str, layer_control: str, *,
         returned: list[str], height: int, center: list[float] | None = None,
         zoom: int | None = None) -> Any:
    """Call the component with the arguments st_folium would pass (width: the container's)."""
    return _frontend()(
        script=page.script, header=page.header, html=page.html, id=page.map_id,
        key=page.key, height=height, width=None, returned_objects=returned,
        default={k: None for k in returned}, zoom=zoom, center=center,
        feature_group=feature_group, return_on_hover=False, layer_control=layer_control,
        pixelated=False, css_links=list(page.css_links), js_links=list(page.js_links),
        on_change=None, wrap_longitude=False)
