"""The map's layers, built from query results and the layers' tables (pure functions, no
Streamlit). One constant base map (basemap, rivers, labels, governorate lines, search, legend
dock, URL mirror) and a list of data layers that streamlit-folium swaps in place."""
from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import folium
import pandas as pd

from ui.i18n import LABELS, bilingual, count_words, fmt_date, norm_lang, t
from ui.map.css import MAP_CSS
from ui.map.elements import (
    DataDecoder,
    HtmlGeoJson,
    LabelLayer,
    LayerState,
    Legend,
    LegendDock,
    MapState,
    PlaceCluster,
    SearchControl,
)
from ui.map.encode import geom_json
from ui.map.legends import legend_body
from ui.map.places import place_rows, split_drawable
from ui.map.popups import is_missing, polygon_popup_html
from ui.map.styles import (
    FOREIGN_COLOR,
    SELECTED_COLOR,
    UNKNOWN_COLOR,
    class_breaks,
    class_items,
    controller_colors,
    count_color,
    zone_color,
)
from ui.map.swap import LayerSwap
from ui.offline import localize, offline_map
from ui.text import esc
from ui.urlstate import LAYERS

SYRIA_BOUNDS: list[list[float]] = [[32.3, 35.6], [37.4, 42.4]]
SYRIA_CENTER: tuple[float, float] = (34.85, 39.0)  # the centre of SYRIA_BOUNDS
START_ZOOM = 7
# Overlay keys, in drawing order (the link's), and which are on when a link says nothing.
LAYER_KEYS: tuple[str, ...] = LAYERS
DEFAULT_ON: tuple[str, ...] = ("zones", "places")


def controller_label(code: str | None, lang: str, controllers: Mapping[str, Any] | None) -> str:
    """Words for a controller code from the layers' table (the code itself if unknown)."""
    entry = (controllers or {}).get(code or "")
    if entry is None:
        return str(code or "")
    return str(entry.name_ar if norm_lang(lang) == "ar" else entry.name_en)


def status_label(status: Any, lang: str) -> str:
    """A zone status in words (announced / active / ended)."""
    if is_missing(status):
        return ""
    return t(f"status_{status}", lang) if f"status_{status}" in LABELS else str(status)


def _span(start: Any, end: Any, lang: str) -> str:
    """'2017-05-06 → 2017-11-27' ('open-ended' when there is no end)."""
    return f"{fmt_date(start, lang)} → " + (t("until_now", lang) if is_missing(end)
                                            else fmt_date(end, lang))


def layer_name(key: str, lang: str, date: dt.date | None = None) -> str:
    """An overlay's name in the layer control (plain text; the areas' with their date)."""
    base = t(f"layer_{key}", lang)
    date_s = fmt_date(date, lang) if date and key in ("zones", "control") else ""
    return base + (f" · {date_s}" if date_s else "")


def _group(key: str, name: str, show: bool) -> folium.FeatureGroup:
    """A keyed overlay FeatureGroup (its HTML-escaped name shows in the layer control)."""
    fg = folium.FeatureGroup(name=esc(name), overlay=True, control=True, show=show)
    fg.add_child(LayerState(key, show))
    return fg


def _gov_rows(governorates: Any) -> list[dict]:
    """Governorate polygons as dicts with admin1, name_ar, name_en, geometry."""
    if governorates is None:
        return []
    if isinstance(governorates, Mapping) and "features" in governorates:
        return [dict(f.get("properties") or {}, geometry=f.get("geometry"))
                for f in governorates["features"]]
    return list(governorates.to_dict("records"))


# ---------------------------------------------------------------- the constant base map

def base_map(lang: str, basemap: Mapping[str, Any] | None = None, boundaries: Any = None,
             labels: Sequence[list] = (), rivers: Mapping[str, Any] | None = None) -> folium.Map:
    """The constant map: no tiles, local assets, Natural Earth countries and rivers, labels from
    the gazetteer, governorate lines, the search box, the legend dock and the URL mirror."""
    lang = norm_lang(lang)
    m = offline_map(location=SYRIA_CENTER, zoom_start=START_ZOOM, control_scale=True)
    root: Any = m.get_root()
    root.header.add_child(folium.Element(MAP_CSS), name="snm_css")
    m.add_child(DataDecoder())
    m.add_child(LayerSwap(SELECTED_COLOR, t("map_updating", lang)))
    m.add_child(LegendDock(t("legend", lang)))
    m.add_child(MapState((*SYRIA_CENTER, START_ZOOM), list(DEFAULT_ON)))
    if basemap:
        feats = []
        for f in basemap.get("features", []):
            is_syria = (f.get("properties") or {}).get("name") == "Syria"
            feats.append({"type": "Feature", "geometry": f["geometry"], "properties": {
                "style": {"color": "#888", "weight": 1 if is_syria else 0.6,
                          "fillColor": "#fbfaf6" if is_syria else "#e6e3dc",
                          "fillOpacity": 1, "interactive": False}}})
        fg = folium.FeatureGroup(name=esc(t("layer_basemap", lang)), overlay=True,
                                 control=False, show=True)
        fg.add_child(HtmlGeoJson(feats, interactive=False,
                                 attribution="Natural Earth · world-atlas"))
        m.add_child(fg)
    if rivers and rivers.get("features"):
        fg = folium.FeatureGroup(name=esc(t("layer_rivers", lang)), overlay=True, control=False,
                                 show=True)
        feats = [{"type": "Feature", "geometry": f["geometry"], "properties": {
            "style": {"color": "#6fa8dc", "weight": 1.6 if (f.get("properties") or {}).get(
                "kind") == "lake" else 1.3, "fillColor": "#9fc5e8", "fillOpacity": 0.9,
                "className": "snm-water"}}} for f in rivers["features"]]
        fg.add_child(HtmlGeoJson(feats, interactive=False, attribution="Natural Earth"))
        m.add_child(fg)
    if boundaries is not None:
        m.add_child(boundaries_layer(boundaries, lang))
    if labels:
        m.add_child(LabelLayer(list(labels)))
    m.add_child(SearchControl(t("search_place", lang), t("search_none", lang)))
    m.fit_bounds(SYRIA_BOUNDS)
    return m


def boundaries_layer(governorates: Any, lang: str) -> folium.FeatureGroup:
    """Governorate boundary lines (non-interactive: names come from the labels)."""
    fg = folium.FeatureGroup(name=esc(t("layer_boundaries", lang)), overlay=True, show=True,
                             control=False)
    feats = []
    for r in _gov_rows(governorates):
        geom = geom_json(r.get("geometry"))
        if geom is not None:
            feats.append({"type": "Feature", "geometry": geom, "properties": {
                "style": {"color": "#5b5b5b", "weight": 1.2, "fill": False, "dashArray": "4 3",
                          "className": "snm-boundary"}}})
    fg.add_child(HtmlGeoJson(feats, interactive=False))
    return fg


# ---------------------------------------------------------------- the swappable layers

def places_layer(places: pd.DataFrame, lang: str, key: str = "places", name: str | None = None,
                 show: bool = True, color: str | None = None,
                 names: Mapping[str, tuple[str, str]] | None = None) -> folium.FeatureGroup:
    """Clustered places, one marker per place sized and coloured by mentions; countries and
    places without coordinates counted in the legend (the selected place is ringed by the
    iframe: see selection and ui.map.swap)."""
    lang = norm_lang(lang)
    fg = _group(key, name or layer_name(key, lang), show)
    drawn, whole, unplaced = split_drawable(places, key)
    rows, breaks, tables = place_rows(drawn, lang, color, names)
    words = {"mentions": t("mentions", lang), "articles": t("articles", lang),
             "approx": t("approx_point", lang), "hint": t("popup_hint", lang),
             "dir": "rtl" if lang == "ar" else "ltr", **tables}
    # not chunked: chunked loading waits 50 ms after each 200 ms of work and shows nothing
    # until the last chunk (the first map came 0.13 s later at 17,000 places)
    fg.add_child(PlaceCluster(rows, words, key=key, max_cluster_radius=45,
                              show_coverage_on_hover=False, spiderfy_on_max_zoom=True,
                              disable_clustering_at_zoom=10))
    notes = [t("country_wide", lang, n=count_words(int(r.get("mentions") or 0), "mention", lang),
               name=(r.get("name_ar") if lang == "ar" else r.get("name_en")) or "")
             for r in whole.to_dict("records")]
    if len(unplaced):
        notes.append(t("unplaced", lang, n=count_words(len(unplaced), "place", lang),
                       mentions=count_words(int(unplaced["mentions"].fillna(0).sum()), "mention",
                                            lang)))
    if len(drawn) and (drawn["point"] == "unit").any():
        notes.append(t("approx_point_legend", lang))
    if key == "places":
        fg.add_child(Legend(esc(t("legend_mentions", lang)),
                            legend_body(class_items(breaks), note=" · ".join(notes) or None),
                            key, order=1))
    else:
        fg.add_child(Legend(esc(name or key), legend_body([(color or FOREIGN_COLOR,
                                                            t("layer_foreign", lang))]),
                            key, order=5))
    return fg


def choropleth_layer(governorates: Any, counts: pd.DataFrame | None, lang: str,
                     show: bool = False) -> folium.FeatureGroup:
    """Governorates filled by mention count in quantile classes, popup with name and counts."""
    lang = norm_lang(lang)
    fg = _group("choropleth", layer_name("choropleth", lang), show)
    by_code: dict[str, dict] = {}
    if counts is not None and not counts.empty and "admin1" in counts.columns:
        by_code = {r["admin1"]: r for r in counts.to_dict("records")}
    breaks = class_breaks(int(r.get("mentions") or 0) for r in by_code.values())
    feats = []
    for r in _gov_rows(governorates):
        geom = geom_json(r.get("geometry"))
        if geom is None:
            continue
        c = by_code.get(str(r.get("admin1")), {})
        n = int(c.get("mentions") or 0)
        name = bilingual(r.get("name_ar"), r.get("name_en"), lang)
        popup = polygon_popup_html(name, [(t("mentions", lang), n),
                                          (t("articles", lang), c.get("articles"))], lang)
        feats.append({"type": "Feature", "geometry": geom, "properties": {
            "style": {"color": "#666", "weight": 0.8, "fillColor": count_color(n, breaks),
                      "fillOpacity": 0.7 if n else 0.15, "className": "snm-choropleth"},
            "popup": popup, "tip": esc(f"{name}: {n}")}})
    fg.add_child(HtmlGeoJson(feats))
    fg.add_child(Legend(esc(t("layer_choropleth", lang)), legend_body(class_items(breaks)),
                        "choropleth", order=2))
    return fg


def zones_layer(zones: Any, date: dt.date | None, lang: str,
                show: bool = True) -> folium.FeatureGroup:
    """De-escalation zones on `date`: popup with status, dates, sources; approximate said so."""
    lang = norm_lang(lang)
    date_s = fmt_date(date, lang) if date else ""
    fg = _group("zones", layer_name("zones", lang, date), show)
    feats, items = [], []
    rows = [] if zones is None or len(zones) == 0 else zones.to_dict("records")
    any_approx = False
    for r in rows:
        geom = geom_json(r.get("geometry"))
        if geom is None:
            continue
        color = zone_color(r)
        title = bilingual(r.get("name_ar"), r.get("name_en"), lang)
        approx = False if is_missing(r.get("approximate")) else bool(r.get("approximate"))
        any_approx = any_approx or approx
        note = None
        if approx:
            note = t("approximate", lang)
            if not is_missing(r.get("geometry_note")):
                note += f": {r.get('geometry_note')}"
        popup = polygon_popup_html(title, [
            (t("status", lang), status_label(r.get("status"), lang)),
            (t("declared", lang), None if is_missing(r.get("declared"))
             else fmt_date(r.get("declared"), lang)),
            (t("valid", lang), _span(r.get("valid_from"), r.get("valid_to"), lang))],
            lang, note=note, sources=r.get("source"))
        feats.append({"type": "Feature", "geometry": geom, "properties": {
            "style": {"color": color, "weight": 2, "fillColor": color, "fillOpacity": 0.18,
                      "dashArray": "6 4" if approx else None, "className": "snm-zone"},
            "popup": popup, "tip": esc(f"{title} ({t('approximate', lang)})" if approx
                                       else title)}})
        items.append((color, r.get("name_ar") if lang == "ar" else r.get("name_en")))
    fg.add_child(HtmlGeoJson(feats))
    note = t("no_zones", lang) if not items else (t("approximate_dashed", lang)
                                                  if any_approx else None)
    fg.add_child(Legend(esc(t("legend_zones", lang, date=date_s)),
                        legend_body(items, note=note), "zones", order=3))
    return fg


def _basis_text(basis: Any) -> str:
    """A control row's basis (a string or a list of places/sources) as one line."""
    if isinstance(basis, (list, tuple)) or hasattr(basis, "tolist"):
        return ", ".join(str(b) for b in list(basis))
    return "" if is_missing(basis) else str(basis)


def control_layer(control: Any, date: dt.date | None, lang: str,
                  controllers: Mapping[str, Any] | None = None,
                  show: bool = False) -> folium.FeatureGroup:
    """Areas of control on `date` (sub-districts or approximate areas, contested and unknown
    included) and any key towns; popups say which places and sources decided."""
    lang = norm_lang(lang)
    controllers = controllers or {}
    palette = controller_colors(controllers)
    date_s = fmt_date(date, lang) if date else ""
    fg = _group("control", layer_name("control", lang, date), show)
    feats: list[dict[str, Any]] = []
    seen: dict[str, tuple[str, str]] = {}
    any_approx = False
    rows = [] if control is None or len(control) == 0 else control.to_dict("records")
    for r in rows:
        geom = geom_json(r.get("geometry"))
        if geom is None:
            continue
        code = str(r.get("controller") or "UNKNOWN")
        color = palette.get(code, UNKNOWN_COLOR)
        label = controller_label(code, lang, controllers)
        approx = True if is_missing(r.get("approximate")) else bool(r.get("approximate"))
        is_town = r.get("kind") == "town" or geom["type"] == "Point"
        basis = _basis_text(r.get("basis"))
        span = _span(r.get("valid_from"), r.get("valid_to"), lang)
        if is_town:
            title = bilingual(r.get("name_ar"), r.get("name_en"), lang) or basis
            popup_rows = [(t("controller_word", lang), label), (t("valid", lang), span)]
            style = {"radius": 5, "color": "#222", "weight": 1, "fillColor": color,
                     "fillOpacity": 0.95, "className": "snm-town"}
            tip = f"{title}: {label}"
        else:
            unit = bilingual(r.get("name_ar"), r.get("name_en"), lang)
            title = f"{label} · {unit}" if unit else label
            popup_rows = [(t("at_date", lang, date=date_s), label),
                          (t("decided_by", lang), basis), (t("valid", lang), span)]
            any_approx = any_approx or approx
            style = {"color": color, "weight": 1 if r.get("kind") == "area" else 1.5,
                     "fillColor": color, "fillOpacity": 0.32,
                     "dashArray": "5 4" if approx else None, "className": "snm-control"}
            tip = f"{title} ({t('approximate', lang)})" if approx else title
            seen[code] = (color, label)
        popup = polygon_popup_html(title, popup_rows, lang,
                                   note=t("approximate", lang) if approx and not is_town
                                   else None, sources=r.get("source"))
        feats.append({"type": "Feature", "geometry": geom, "properties": {
            "style": style, "popup": popup, "tip": esc(tip)}})
    feats.sort(key=lambda f: f["geometry"]["type"] == "Point")  # towns above the areas
    fg.add_child(HtmlGeoJson(feats))
    order = list(controllers)
    items = sorted(seen.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 99)
    fg.add_child(Legend(esc(t("legend_control", lang, date=date_s)),
                        legend_body([v for _, v in items],
                                    note=t("approximate_dashed", lang) if any_approx else None),
                        "control", order=4))
    return fg


def split_places(places: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(Syrian places, foreign places): foreign ones never go on the Syria layers."""
    if places is None or places.empty:
        return places, places
    if "country" in places.columns:
        syrian = places["country"].fillna("") == "SY"
    else:
        syrian = places["admin1"].notna()
    return places[syrian], places[~syrian]


def selection(places: pd.DataFrame | None, selected: str | None
              ) -> tuple[str, float, float] | None:
    """Where the selected place is drawn: (overlay key, lat, lon), None when it is not."""
    if not selected or places is None or places.empty:
        return None
    for key, part in zip(("places", "foreign"), split_places(places)):
        drawn = split_drawable(part, key)[0]
        hit = drawn[drawn["place_id"] == selected] if len(drawn) else drawn
        if len(hit):
            r = hit.iloc[0]
            return key, round(float(r["lat"]), 5), round(float(r["lon"]), 5)
    return None


def data_layers(lang: str, places: pd.DataFrame | None, governorates: Any = None,
                admin1_counts: pd.DataFrame | None = None, zones: Any = None,
                control: Any = None, date: dt.date | None = None,
                controllers: Mapping[str, Any] | None = None,
                visible: Iterable[str] | None = None,
                names: Mapping[str, tuple[str, str]] | None = None
                ) -> list[folium.FeatureGroup]:
    """The swappable layers, in drawing order (areas below points, as LAYER_KEYS); `visible`:
    overlay keys on (None: the defaults)."""
    on = set(DEFAULT_ON if visible is None else visible)
    syrian, foreign = split_places(places if places is not None else pd.DataFrame())
    layers: list[folium.FeatureGroup] = []
    if governorates is not None:
        layers.append(choropleth_layer(governorates, admin1_counts, lang,
                                       show="choropleth" in on))
    layers.append(control_layer(control, date, lang, controllers, show="control" in on))
    layers.append(zones_layer(zones, date, lang, show="zones" in on))
    layers.append(places_layer(syrian, lang, names=names, show="places" in on))
    layers.append(places_layer(foreign, lang, key="foreign", name=layer_name("foreign", lang),
                               show="foreign" in on, color=FOREIGN_COLOR, names=names))
    return layers


def layer_key(fg: folium.FeatureGroup) -> str:
    """The overlay key a data layer was built with (its LayerState's)."""
    return next(c.key for c in fg._children.values() if isinstance(c, LayerState))


def layer_control() -> folium.LayerControl:
    """The layer switcher: collapsed to a button (top right) that opens on hover or tap."""
    return folium.LayerControl(collapsed=True, position="topright")


def assemble(base: folium.Map, layers: Iterable[folium.FeatureGroup]) -> folium.Map:
    """Everything on one map (for a standalone HTML file or tests; the app swaps layers)."""
    for fg in layers:
        base.add_child(fg)
    layer_control().add_to(base)
    localize(base)
    return base


def view_for(governorates: Any, codes: Sequence[str] | None, width_px: int = 900,
             height_px: int = 620) -> tuple[list[float], int]:
    """Map centre [lat, lon] and zoom showing the chosen governorates (all Syria if none)."""
    bounds = SYRIA_BOUNDS
    rows = [r for r in _gov_rows(governorates) if codes and r.get("admin1") in codes]
    if rows:
        from shapely.geometry import shape
        geoms = [r["geometry"] if hasattr(r["geometry"], "bounds") else shape(r["geometry"])
                 for r in rows if r.get("geometry") is not None]
        if geoms:
            xs = [g.bounds for g in geoms]
            bounds = [[min(b[1] for b in xs), min(b[0] for b in xs)],
                      [max(b[3] for b in xs), max(b[2] for b in xs)]]
    (s, w), (n, e) = bounds
    lon_span = max(e - w, 0.05)
    merc = [math.log(math.tan(math.pi / 4 + math.radians(v) / 2)) for v in (s, n)]
    lat_span = max(abs(merc[1] - merc[0]), 0.001)
    z_lon = math.log2(width_px * 360 / (256 * lon_span))
    z_lat = math.log2(height_px * 2 * math.pi / (256 * lat_span))
    zoom = int(max(5, min(10, math.floor(min(z_lon, z_lat)))))
    return [round((s + n) / 2, 4), round((w + e) / 2, 4)], zoom
