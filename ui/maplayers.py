"""Folium layers for the dashboard, built from query results (pure functions, no Streamlit).

The page shows one constant base map (basemap, governorate boundaries) and a list of data layers
(places, choropleth, zones, control, foreign places) that streamlit-folium swaps in place when the
filters change, so the view is kept. Every string that reaches the browser as HTML is escaped
here; the JavaScript only sets innerHTML from these pre-escaped strings.
"""
from __future__ import annotations

import base64
import datetime as dt
import functools
import json
import math
import zlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import folium
import pandas as pd
from folium.plugins import MarkerCluster
from folium.template import Template

from ui.i18n import LABELS, admin1_label, bilingual, fmt_date, level_label, norm_lang, t
from ui.offline import localize, offline_map
from ui.text import esc, snippet_html

SYRIA_BOUNDS: list[list[float]] = [[32.3, 35.6], [37.4, 42.4]]
SYRIA_CENTER: tuple[float, float] = (35.0, 38.5)

# ColorBrewer YlOrRd, 5 classes.
SEQUENTIAL: tuple[str, ...] = ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")
CATEGORICAL: tuple[str, ...] = ("#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b",
                                "#e377c2", "#17becf", "#bcbd22", "#7f7f7f", "#d62728")
ZONE_COLORS: dict[str, str] = {
    "idlib": "#1f77b4", "north_homs": "#9467bd", "eastern_ghouta": "#e377c2",
    "south": "#17becf", "idlib_dmz": "#ff7f0e", "m4_corridor": "#8c564b",
}
CONTROLLER_COLORS: dict[str, str] = {
    "GOV": "#d62728", "OPP": "#2ca02c", "HTS": "#4d4d4d", "ISIS": "#111111",
    "SDF": "#f2c500", "TR_SNA": "#17becf", "MOC": "#ff7f0e", "GOV+OPP": "#9467bd",
    "GOV+ISIS": "#8c564b",
}
CONTROLLER_LABELS: dict[str, dict[str, str]] = {
    "GOV": {"ar": "الحكومة السورية وحلفاؤها", "en": "Syrian government & allies"},
    "OPP": {"ar": "فصائل المعارضة المسلحة", "en": "Armed opposition factions"},
    "HTS": {"ar": "هيئة تحرير الشام", "en": "Hay'at Tahrir al-Sham"},
    "ISIS": {"ar": "تنظيم الدولة الإسلامية", "en": "Islamic State"},
    "SDF": {"ar": "قوات سوريا الديمقراطية", "en": "SDF / YPG"},
    "TR_SNA": {"ar": "تركيا والجيش الوطني", "en": "Turkey & Turkish-backed SNA"},
    "MOC": {"ar": "إدارة العمليات العسكرية (2024)", "en": "Military Operations Command (2024)"},
    "GOV+OPP": {"ar": "مقسّمة: الحكومة والمعارضة", "en": "divided: government / opposition"},
    "GOV+ISIS": {"ar": "مقسّمة: الحكومة وتنظيم الدولة", "en": "divided: government / ISIS"},
}

MAP_CSS = """
<style>
.snm-marker{border-radius:50%;border:1.5px solid rgba(60,20,0,.75);box-sizing:border-box;
  box-shadow:0 0 2px rgba(0,0,0,.4)}
.snm-cluster{background:rgba(240,59,32,.25);border-radius:50%}
.snm-cluster div{background:rgba(240,59,32,.75);color:#fff;border-radius:50%;width:80%;
  height:80%;margin:10%;display:flex;align-items:center;justify-content:center;
  font:bold 12px/1 sans-serif}
.snm-popup{font:13px/1.45 sans-serif;min-width:220px;max-width:340px}
.snm-popup h4{margin:0 0 4px;font-size:15px}
.snm-popup .snm-meta{color:#555;margin-bottom:4px}
.snm-popup ul{margin:4px 0;padding-inline-start:16px;max-height:220px;overflow:auto}
.snm-popup li{margin-bottom:4px}
.snm-popup .snm-id{color:#999;font-size:11px;direction:ltr;text-align:left}
.snm-popup .snm-approx{color:#a33;font-style:italic}
.snm-legend{background:rgba(255,255,255,.92);padding:5px 7px;border-radius:4px;
  font:11px/1.4 sans-serif;box-shadow:0 1px 4px rgba(0,0,0,.3);max-width:210px;
  max-height:220px;overflow:auto}
.leaflet-control-layers{font:12px/1.5 sans-serif}
.leaflet-control-layers label{margin:0}
.leaflet-container{background:#cfe0ec;font-family:sans-serif}
.snm-legend b{display:block;margin-bottom:2px}
.snm-legend i{display:inline-block;width:14px;height:10px;margin:0 4px;vertical-align:middle;
  border:1px solid #666}
.snm-legend i.snm-dash{border-style:dashed;background:transparent!important}
.snm-legend .snm-note{color:#666;font-style:italic}
.snm-tip{font:12px sans-serif}
</style>
"""


# ---------------------------------------------------------------- small pure helpers

_JS_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "'": "\\u0027",
              "\u2028": "\\u2028", "\u2029": "\\u2029"}


def js_data(value: Any) -> str:
    """A JS expression that evaluates to value in the map (needs DataDecoder on the map):
    base64 of UTF-8 JSON. Streamlit sends component arguments as ASCII-escaped JSON, where an
    Arabic letter costs 6 bytes; in base64 it costs 2.7, and the map loads that much sooner."""
    raw = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return f'snmData("{base64.b64encode(raw).decode("ascii")}")'


def js_json(value: Any) -> str:
    """Compact JSON safe to inline in a <script> (no </script>, no HTML specials), UTF-8 kept
    (Arabic as itself, a third of the size of \\u escapes)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return "".join(_JS_UNSAFE.get(ch, ch) for ch in text) if any(
        ch in text for ch in _JS_UNSAFE) else text


def count_breaks(max_count: int, n: int = len(SEQUENTIAL)) -> list[int]:
    """Upper bounds of up to n geometric classes covering 1..max_count (last = max_count)."""
    max_count = max(1, int(max_count))
    bounds = sorted({max(1, round(max_count ** (i / n))) for i in range(1, n + 1)})
    if bounds[-1] != max_count:
        bounds.append(max_count)
    return bounds


def count_color(count: float, breaks: Sequence[int]) -> str:
    """The sequential colour of a count given class upper bounds (0 gives no fill colour)."""
    if not count or count <= 0:
        return "#f7f7f7"
    offset = len(SEQUENTIAL) - len(breaks)
    for i, upper in enumerate(breaks):
        if count <= upper:
            return SEQUENTIAL[max(0, offset + i)]
    return SEQUENTIAL[-1]


def class_labels(breaks: Sequence[int]) -> list[str]:
    """'1', '2–5', … for class upper bounds."""
    labels, low = [], 1
    for upper in breaks:
        labels.append(str(upper) if upper == low else f"{low}–{upper}")
        low = upper + 1
    return labels


def marker_size(count: float, max_count: float, smallest: int = 14, largest: int = 40) -> int:
    """Marker diameter in px, area proportional to the count."""
    if max_count <= 0:
        return smallest
    return round(smallest + (largest - smallest) * math.sqrt(max(count, 0) / max_count))


def stable_color(key: str, palette: Mapping[str, str] | None = None) -> str:
    """A colour for a category: from palette, else a stable pick from CATEGORICAL."""
    if palette and key in palette:
        return palette[key]
    return CATEGORICAL[zlib.crc32(str(key).encode("utf-8")) % len(CATEGORICAL)]


def controller_label(code: str | None, lang: str) -> str:
    """Words for a controller code (the code itself if unknown)."""
    entry = CONTROLLER_LABELS.get(code or "")
    return entry[norm_lang(lang)] if entry else str(code or "")


def _is_missing(value: Any) -> bool:
    """True for None / NaN / NaT / empty string."""
    if value is None or value == "":
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def round_geometry(geometry: Mapping[str, Any], ndigits: int = 4) -> dict:
    """A GeoJSON geometry dict with rounded coordinates (smaller payload)."""
    def walk(c: Any) -> Any:
        """Coordinates, rounded, at any nesting depth."""
        if isinstance(c, (list, tuple)) and c and isinstance(c[0], (int, float)):
            return [round(float(v), ndigits) for v in c]
        return [walk(x) for x in c]
    if geometry.get("type") == "GeometryCollection":
        return {"type": "GeometryCollection",
                "geometries": [round_geometry(g, ndigits) for g in geometry["geometries"]]}
    return {"type": geometry["type"], "coordinates": walk(geometry["coordinates"])}


SIMPLIFY_DEG = 0.003  # ~300 m: invisible at the zoom levels that show a whole governorate


def _geom_json(geom: Any, ndigits: int = 3, tolerance: float = SIMPLIFY_DEG) -> dict | None:
    """A shapely geometry (or GeoJSON dict) as a simplified, rounded GeoJSON dict (None if
    empty). Memoised: the same polygons come back on every rerun."""
    if geom is None:
        return None
    if isinstance(geom, Mapping):
        return round_geometry(geom, ndigits)
    if getattr(geom, "is_empty", False):
        return None
    try:
        return _shape_json(geom, ndigits, tolerance)
    except TypeError:  # unhashable geometry
        return _shape_json.__wrapped__(geom, ndigits, tolerance)


@functools.lru_cache(maxsize=4096)
def _shape_json(geom: Any, ndigits: int, tolerance: float) -> dict:
    """Cached body of _geom_json for shapely geometries."""
    from shapely.geometry import mapping
    if tolerance and geom.geom_type != "Point":
        geom = geom.simplify(tolerance, preserve_topology=True)
    return round_geometry(mapping(geom), ndigits)


# ---------------------------------------------------------------- popups (escaped HTML)

def place_popup_html(place: Mapping[str, Any], articles: Sequence[Mapping[str, Any]],
                     lang: str, total_articles: int | None = None) -> str:
    """Popup of one place: names, governorate, level, counts, latest articles with snippets."""
    lang = norm_lang(lang)
    title = bilingual(place.get("name_ar"), place.get("name_en"), lang)
    gov = admin1_label(place.get("admin1"), lang) if not _is_missing(place.get("admin1")) \
        else (t("outside_syria", lang) + (f" ({place.get('country')})"
                                           if not _is_missing(place.get("country")) else ""))
    n_mentions = int(place.get("mentions") or 0)
    n_articles = int(place.get("articles") or (total_articles or len(articles)))
    items = []
    for a in articles:
        head = esc(fmt_date(a.get("date"), lang, a.get("date_precision")))
        if not _is_missing(a.get("source")):
            head += f" · {esc(a.get('source'))}"
        if not _is_missing(a.get("title")):
            title_s = str(a.get("title"))
            title_s = title_s if len(title_s) <= 70 else title_s[:69] + "…"
            head += f" · <i dir=\"rtl\">{esc(title_s)}</i>"
        snip = ""
        if not _is_missing(a.get("text")) and not _is_missing(a.get("start")):
            snip = "<br>" + snippet_html(a["text"], int(a["start"]), int(a["end"]), 32)
        elif not _is_missing(a.get("snippet")):
            snip = f"<br><span dir=\"rtl\">{esc(a.get('snippet'))}</span>"
        items.append(f"<li>{head}{snip}</li>")
    more = n_articles - len(articles)
    more_html = f"<div>{esc(t('more_articles', lang, n=more))}</div>" if more > 0 else ""
    return (
        f'<div class="snm-popup" dir="{"rtl" if lang == "ar" else "ltr"}">'
        f"<h4>{esc(title)}</h4>"
        f'<div class="snm-meta">{esc(gov)} · {esc(level_label(place.get("level"), lang))}<br>'
        f"{esc(t('mentions', lang))}: <b>{n_mentions}</b> · "
        f"{esc(t('articles', lang))}: <b>{n_articles}</b></div>"
        f"<ul>{''.join(items)}</ul>{more_html}"
        f'<div class="snm-id">ID {esc(place.get("place_id"))}</div></div>')


def place_id_from_popup(popup_text: str | None) -> str | None:
    """The place id a place popup carries ('ID <place_id>' on its last line), else None."""
    if not popup_text:
        return None
    lines = [ln.strip() for ln in str(popup_text).strip().splitlines() if ln.strip()]
    if not lines or not lines[-1].startswith("ID "):
        return None
    pid = lines[-1][3:].strip()
    return pid or None


def articles_by_place(rows: pd.DataFrame) -> dict[str, list[dict]]:
    """Store.place_articles rows grouped per place_id, in the store's order."""
    out: dict[str, list[dict]] = {}
    if rows is None or rows.empty:
        return out
    for rec in rows.to_dict("records"):
        out.setdefault(rec["place_id"], []).append(rec)
    return out


def polygon_popup_html(title: str, rows: Sequence[tuple[str, Any]], lang: str,
                       note: str | None = None) -> str:
    """A small popup: escaped title, label/value rows and an optional italic note."""
    body = "".join(f"<div><b>{esc(k)}:</b> {esc(v)}</div>" for k, v in rows
                   if not _is_missing(v))
    note_html = f'<div class="snm-approx">{esc(note)}</div>' if note else ""
    return (f'<div class="snm-popup" dir="{"rtl" if norm_lang(lang) == "ar" else "ltr"}">'
            f"<h4>{esc(title)}</h4>{body}{note_html}</div>")


def legend_html(title: str, items: Sequence[tuple[str, str]], note: str | None = None,
                dashed: bool = False) -> str:
    """Legend box HTML: escaped title, (colour, label) swatches, optional note."""
    cls = ' class="snm-dash"' if dashed else ""
    rows = "".join(
        f'<div><i{cls} style="background:{esc(color)};border-color:{esc(color)}"></i>'
        f"{esc(label)}</div>" for color, label in items)
    note_html = f'<div class="snm-note">{esc(note)}</div>' if note else ""
    return f"<b>{esc(title)}</b>{rows}{note_html}"


# ---------------------------------------------------------------- folium elements

class HtmlGeoJson(folium.MacroElement):
    """GeoJSON features styled from properties.style, with pre-escaped properties.popup (as a
    DOM node, so streamlit-folium returns its text) and properties.tip (tooltip)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.geoJSON({{ this.data_expr }}, {
            interactive: {{ this.interactive|tojson }},
            attribution: {{ this.attribution|tojson }},
            style: function(f) { return f.properties.style || {}; },
            pointToLayer: function(f, latlng) {
                return L.circleMarker(latlng, f.properties.style || {radius: 5});
            },
            onEachFeature: function(f, layer) {
                if (f.properties.popup) {
                    var div = document.createElement('div');
                    div.innerHTML = f.properties.popup;
                    layer.bindPopup(div, {maxWidth: 360});
                }
                if (f.properties.tip) {
                    layer.bindTooltip(f.properties.tip, {sticky: true, className: 'snm-tip'});
                }
            }
        }).addTo({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, features: list[dict], interactive: bool = True,
                 attribution: str = "") -> None:
        """Keep what the template renders."""
        super().__init__()
        self._name = "HtmlGeoJson"
        self.data = {"type": "FeatureCollection", "features": features}
        self.data_expr = js_data(self.data)
        self.interactive = interactive
        self.attribution = esc(attribution)



_PLACE_CALLBACK = """
function (row) {
    var size = row[3];
    var dot = document.createElement('div');
    dot.className = 'snm-marker';
    dot.style.width = size + 'px';
    dot.style.height = size + 'px';
    dot.style.background = row[4];
    var icon = L.divIcon({html: dot, className: 'snm-place', iconSize: [size, size]});
    var marker = L.marker(new L.LatLng(row[0], row[1]),
                          {icon: icon, count: row[2], title: row[6], riseOnHover: true});
    var div = document.createElement('div');
    div.innerHTML = row[5];
    marker.bindPopup(div, {maxWidth: 360});
    return marker;
}"""

_CLUSTER_ICON = """
function (cluster) {
    var n = 0;
    cluster.getAllChildMarkers().forEach(function (m) { n += (m.options.count || 0); });
    var size = n < 10 ? 30 : (n < 100 ? 36 : (n < 1000 ? 42 : 50));
    var inner = document.createElement('div');
    inner.textContent = String(n);
    return L.divIcon({html: inner, className: 'marker-cluster snm-cluster',
                      iconSize: L.point(size, size)});
}"""


class PlaceCluster(MarkerCluster):
    """FastMarkerCluster with compact UTF-8 data: rows [lat, lon, count, size, colour,
    popup HTML (pre-escaped), tooltip text, place_id]; popups are DOM nodes."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function () {
            var callback = {{ this.callback }};
            var data = {{ this.data_expr }};
            var cluster = L.markerClusterGroup({{ this.options|tojavascript }});
            cluster.options.iconCreateFunction = {{ this.icon_create_function }};
            for (var i = 0; i < data.length; i++) { callback(data[i]).addTo(cluster); }
            cluster.addTo({{ this._parent.get_name() }});
            window.snmCounts = window.snmCounts || {};
            window.snmCounts[{{ this.key|tojson }}] = data.length;
            if ({{ this.key|tojson }} === "places") {
                window.snmRenders = (window.snmRenders || 0) + 1;  // for tests and benchmarks
            }
            return cluster;
        })();
        {% endmacro %}
    """)

    def __init__(self, rows: list[list[Any]], key: str = "places", **options: Any) -> None:
        """Rows as in the class docstring; options go to L.markerClusterGroup."""
        super().__init__(name=None, overlay=True, control=False, show=True, **options)
        self._name = "PlaceCluster"
        self.key = key
        self.callback = _PLACE_CALLBACK.strip()
        self.icon_create_function = _CLUSTER_ICON.strip()
        self.data_json = js_json(rows)
        self.data_expr = js_data(rows)
        self.count = len(rows)


class LayerState(folium.MacroElement):
    """Keeps a swapped-in layer's visibility as the user left it (default: `show`), and tags
    the layer with a stable key; hidden layers are removed right after streamlit-folium adds
    them."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function (fg) {
            fg.snmKey = {{ this.key|tojson }};
            var seen = window.snmVisible || {};
            var show = (fg.snmKey in seen) ? seen[fg.snmKey] : {{ this.show|tojson }};
            if (!show) {
                setTimeout(function () { if (fg._map) { fg._map.removeLayer(fg); } }, 0);
            }
        })({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, key: str, show: bool) -> None:
        """Keep what the template renders."""
        super().__init__()
        self._name = "LayerState"
        self.key = key
        self.show = show


class Legend(folium.MacroElement):
    """A legend control shown while its parent layer is on the map (pre-escaped HTML)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function (fg) {
            var legend = L.control({position: {{ this.position|tojson }}});
            legend.onAdd = function () {
                var div = L.DomUtil.create('div', 'snm-legend');
                div.setAttribute('data-layer', {{ this.key|tojson }});
                div.innerHTML = {{ this.html_json }};
                L.DomEvent.disableClickPropagation(div);
                return div;
            };
            fg.on('add', function (e) { legend.addTo(e.target._map); });
            fg.on('remove', function () { legend.remove(); });
            if (fg._map) { legend.addTo(fg._map); }
        })({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, html: str, key: str, position: str = "bottomright") -> None:
        """Keep what the template renders."""
        super().__init__()
        self._name = "Legend"
        self.html = html
        self.html_json = js_json(html)
        self.key = key
        self.position = position


class DataDecoder(folium.MacroElement):
    """Defines snmData(base64) -> value in the map page (see js_data); add first."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        window.snmData = function (b64) {
            var bin = atob(b64), bytes = new Uint8Array(bin.length);
            for (var i = 0; i < bin.length; i++) { bytes[i] = bin.charCodeAt(i); }
            return JSON.parse(new TextDecoder("utf-8").decode(bytes));
        };
        {% endmacro %}
    """)

    def __init__(self) -> None:
        """Keep what the template renders."""
        super().__init__()
        self._name = "DataDecoder"


class VisibilityTracker(folium.MacroElement):
    """Remembers (in the map iframe) which keyed overlays the user turned on or off in the
    layer control; layers removed when streamlit-folium swaps them do not count."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        window.snmVisible = window.snmVisible || {};
        (function (map) {
            function record(on) {
                return function (e) {
                    var ctl = window.layer_control;
                    if (ctl && ctl._handlingClick && e.layer && e.layer.snmKey) {
                        window.snmVisible[e.layer.snmKey] = on;
                    }
                };
            }
            map.on('overlayadd', record(true));
            map.on('overlayremove', record(false));
        })({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self) -> None:
        """Keep what the template renders."""
        super().__init__()
        self._name = "VisibilityTracker"


def _group(key: str, name: str, show: bool) -> folium.FeatureGroup:
    """A keyed overlay FeatureGroup (its HTML-escaped name shows in the layer control)."""
    fg = folium.FeatureGroup(name=esc(name), overlay=True, control=True, show=show)
    fg.add_child(LayerState(key, show))
    return fg


# ---------------------------------------------------------------- the layers

def base_map(lang: str, basemap: Mapping[str, Any] | None = None,
             boundaries: Any = None) -> folium.Map:
    """The constant map: no tiles, local assets, Natural Earth basemap, governorate lines."""
    lang = norm_lang(lang)
    m = offline_map(location=SYRIA_CENTER, zoom_start=7, control_scale=True)
    m.get_root().header.add_child(folium.Element(MAP_CSS), name="snm_css")
    m.add_child(DataDecoder())
    m.add_child(VisibilityTracker())
    if basemap:
        feats = []
        for f in basemap.get("features", []):
            props = f.get("properties") or {}
            is_syria = props.get("name") == "Syria"
            feats.append({"type": "Feature", "geometry": f["geometry"], "properties": {
                "style": {"color": "#888", "weight": 1 if is_syria else 0.6,
                          "fillColor": "#fbfaf6" if is_syria else "#e6e3dc",
                          "fillOpacity": 1, "interactive": False}}})
        fg = folium.FeatureGroup(name=esc(t("layer_basemap", lang)), overlay=True,
                                 control=False, show=True)
        fg.add_child(HtmlGeoJson(feats, interactive=False,
                                 attribution="Natural Earth · world-atlas"))
        m.add_child(fg)
    if boundaries is not None:
        m.add_child(boundaries_layer(boundaries, lang))
    m.fit_bounds(SYRIA_BOUNDS)
    return m


def _gov_rows(governorates: Any) -> list[dict]:
    """Governorate polygons as dicts with admin1, name_ar, name_en, geometry (GeoJSON dict)."""
    if governorates is None:
        return []
    if isinstance(governorates, Mapping) and "features" in governorates:
        rows = []
        for f in governorates["features"]:
            p = dict(f.get("properties") or {})
            p["geometry"] = f.get("geometry")
            rows.append(p)
        return rows
    rows = []
    for rec in governorates.to_dict("records"):
        rows.append(rec)
    return rows


def boundaries_layer(governorates: Any, lang: str) -> folium.FeatureGroup:
    """Governorate boundary lines with a bilingual name tooltip."""
    fg = folium.FeatureGroup(name=esc(t("layer_boundaries", lang)), overlay=True, show=True)
    feats = []
    for r in _gov_rows(governorates):
        geom = _geom_json(r.get("geometry"))
        if geom is None:
            continue
        feats.append({"type": "Feature", "geometry": geom, "properties": {
            "style": {"color": "#5b5b5b", "weight": 1.2, "fill": False, "dashArray": "4 3",
                      "className": "snm-boundary"},
            "tip": esc(bilingual(r.get("name_ar"), r.get("name_en"), lang))}})
    fg.add_child(HtmlGeoJson(feats, interactive=False))
    return fg


def places_layer(places: pd.DataFrame, lang: str,
                 articles_by_place: Mapping[str, list[dict]] | None = None,
                 key: str = "places", name: str | None = None, show: bool = True,
                 color: str | None = None, max_articles: int = 3) -> folium.FeatureGroup:
    """Clustered places, one marker per place sized and coloured by mentions, with popups."""
    lang = norm_lang(lang)
    fg = _group(key, name or t("layer_places", lang), show)
    if places is None or places.empty or "lat" not in places.columns:
        places = pd.DataFrame(columns=["place_id", "name_ar", "name_en", "level", "admin1",
                                       "lat", "lon", "country", "mentions", "articles"])
    p = places[places["lat"].notna() & places["lon"].notna()]
    whole = p[p["level"] == "country"] if "level" in p.columns and key == "places" \
        else p.iloc[0:0]
    p = p.drop(whole.index)  # a country is not a point: said in the legend instead
    counts = p["mentions"].fillna(0).astype(int) if "mentions" in p.columns \
        else pd.Series(1, index=p.index)
    max_count = max(1, int(counts.max())) if len(counts) else 1
    breaks = count_breaks(max_count)
    articles_by_place = articles_by_place or {}
    rows = []
    for rec, n in zip(p.to_dict("records"), counts.tolist()):
        arts = articles_by_place.get(rec.get("place_id"), [])[:max_articles]
        popup = place_popup_html(rec, arts, lang)
        tip = bilingual(rec.get("name_ar"), rec.get("name_en"), lang) + f" · {n}"
        rows.append([round(float(rec["lat"]), 5), round(float(rec["lon"]), 5), n,
                     marker_size(n, max_count), color or count_color(n, breaks), popup, tip,
                     str(rec.get("place_id"))])
    cluster = PlaceCluster(rows, key=key, max_cluster_radius=45, show_coverage_on_hover=False,
                           spiderfy_on_max_zoom=True, disable_clustering_at_zoom=10)
    fg.add_child(cluster)
    if key == "places":
        items = [(count_color(b, breaks), lab) for b, lab in zip(breaks, class_labels(breaks))]
        note = "; ".join(t("country_wide", lang, n=int(r.get("mentions") or 0),
                           name=(r.get("name_ar") if lang == "ar" else r.get("name_en")) or "")
                         for r in whole.to_dict("records")) or None
        fg.add_child(Legend(legend_html(t("legend_mentions", lang), items, note=note), key))
    return fg


def choropleth_layer(governorates: Any, counts: pd.DataFrame | None, lang: str,
                     show: bool = False) -> folium.FeatureGroup:
    """Governorates filled by mention count, popup with name and counts."""
    lang = norm_lang(lang)
    fg = _group("choropleth", t("layer_choropleth", lang), show)
    by_code: dict[str, dict] = {}
    if counts is not None and not counts.empty and "admin1" in counts.columns:
        by_code = {r["admin1"]: r for r in counts.to_dict("records")}
    values = [int(r.get("mentions") or 0) for r in by_code.values()]
    breaks = count_breaks(max(values) if values else 1)
    feats = []
    for r in _gov_rows(governorates):
        geom = _geom_json(r.get("geometry"))
        if geom is None:
            continue
        c = by_code.get(r.get("admin1"), {})
        n = int(c.get("mentions") or 0)
        n_art = c.get("articles")
        name = bilingual(r.get("name_ar"), r.get("name_en"), lang)
        popup = polygon_popup_html(name, [(t("mentions", lang), n),
                                          (t("articles", lang), n_art)], lang)
        feats.append({"type": "Feature", "geometry": geom, "properties": {
            "style": {"color": "#666", "weight": 0.8, "fillColor": count_color(n, breaks),
                      "fillOpacity": 0.65 if n else 0.15, "className": "snm-choropleth"},
            "popup": popup, "tip": esc(f"{name}: {n}")}})
    fg.add_child(HtmlGeoJson(feats))
    items = [(count_color(b, breaks), lab) for b, lab in zip(breaks, class_labels(breaks))]
    fg.add_child(Legend(legend_html(t("layer_choropleth", lang), items), "choropleth",
                        position="bottomleft"))
    return fg


def _span(start: Any, end: Any, lang: str) -> str:
    """'2017-05-06 → 2017-11-27' ('open-ended' when there is no end)."""
    return f"{fmt_date(start, lang)} → " + (t("until_now", lang) if _is_missing(end)
                                            else fmt_date(end, lang))


def zones_layer(zones: Any, date: dt.date | None, lang: str,
                show: bool = True) -> folium.FeatureGroup:
    """De-escalation zones on `date`: popup with status, dates, sources; approximate said so."""
    lang = norm_lang(lang)
    date_s = fmt_date(date, lang) if date else ""
    name = t("layer_zones", lang) + (f" · {date_s}" if date_s else "")
    fg = _group("zones", name, show)
    feats, items = [], []
    rows = [] if zones is None or len(zones) == 0 else zones.to_dict("records")
    any_approx = False
    for r in rows:
        geom = _geom_json(r.get("geometry"))
        if geom is None:
            continue
        zid = str(r.get("zone_id", ""))
        color = stable_color(zid, ZONE_COLORS)
        title = bilingual(r.get("name_ar"), r.get("name_en"), lang)
        approx = False if _is_missing(r.get("approximate")) else bool(r.get("approximate"))
        any_approx = any_approx or approx
        note = None
        if approx:
            note = t("approximate", lang)
            if not _is_missing(r.get("geometry_note")):
                note += f": {r.get('geometry_note')}"
        popup = polygon_popup_html(title, [
            (t("status", lang), status_label(r.get("status"), lang)),
            (t("declared", lang), None if _is_missing(r.get("declared"))
             else fmt_date(r.get("declared"), lang)),
            (t("valid", lang), _span(r.get("valid_from"), r.get("valid_to"), lang)),
            (t("sources", lang), r.get("source"))], lang, note=note)
        feats.append({"type": "Feature", "geometry": geom, "properties": {
            "style": {"color": color, "weight": 2, "fillColor": color, "fillOpacity": 0.18,
                      "dashArray": "6 4" if approx else None, "className": "snm-zone"},
            "popup": popup, "tip": esc(f"{title} ({t('approximate', lang)})" if approx
                                       else title)}})
        items.append((color, r.get("name_ar") if lang == "ar" else r.get("name_en")))
    fg.add_child(HtmlGeoJson(feats))
    legend_title = t("legend_zones", lang, date=date_s)
    note = t("no_zones", lang) if not items else (t("approximate_dashed", lang)
                                                  if any_approx else None)
    fg.add_child(Legend(legend_html(legend_title, items, note=note), "zones"))
    return fg


def control_layer(control: Any, date: dt.date | None, lang: str,
                  show: bool = False) -> folium.FeatureGroup:
    """Areas of control on `date` and the key towns they rest on (approximate areas dashed,
    said so in popups and legend)."""
    lang = norm_lang(lang)
    date_s = fmt_date(date, lang) if date else ""
    fg = _group("control", t("layer_control", lang) + (f" · {date_s}" if date_s else ""), show)
    feats, seen = [], {}
    rows = [] if control is None or len(control) == 0 else control.to_dict("records")
    for r in rows:
        geom = _geom_json(r.get("geometry"))
        if geom is None:
            continue
        code = str(r.get("controller") or "")
        color = stable_color(code, CONTROLLER_COLORS)
        label = controller_label(code, lang)
        approx = True if _is_missing(r.get("approximate")) else bool(r.get("approximate"))
        is_town = r.get("kind") == "town" or geom["type"] == "Point"
        basis = r.get("basis")
        if isinstance(basis, (list, tuple)) or hasattr(basis, "tolist"):
            basis = ", ".join(str(b) for b in list(basis))
        if is_town:
            title = bilingual(r.get("name_ar"), r.get("name_en"), lang) or str(basis or "")
            rows_html = [(t("controller_word", lang), f"{label} ({code})"),
                         (t("valid", lang), _span(r.get("valid_from"), r.get("valid_to"), lang)),
                         (t("sources", lang), r.get("source"))]
            style = {"radius": 5, "color": "#222", "weight": 1, "fillColor": color,
                     "fillOpacity": 0.95, "className": "snm-town"}
            tip = f"{title}: {label}"
        else:
            title = f"{label} ({code})"
            rows_html = [(t("at_date", lang, date=date_s), label),
                         (t("basis_towns", lang), basis),
                         (t("valid", lang), _span(r.get("valid_from"), r.get("valid_to"), lang)),
                         (t("sources", lang), r.get("source"))]
            style = {"color": color, "weight": 1.5, "fillColor": color, "fillOpacity": 0.28,
                     "dashArray": "5 4" if approx else None, "className": "snm-control"}
            tip = f"{label} ({t('approximate', lang)})" if approx else label
            seen[code] = (color, label)
        popup = polygon_popup_html(title, rows_html, lang,
                                   note=t("approximate", lang) if approx and not is_town
                                   else None)
        feats.append({"type": "Feature", "geometry": geom, "properties": {
            "style": style, "popup": popup, "tip": esc(tip)}})
    # areas first, town dots on top
    feats.sort(key=lambda f: f["geometry"]["type"] == "Point")
    fg.add_child(HtmlGeoJson(feats))
    fg.add_child(Legend(legend_html(t("legend_control", lang, date=date_s), list(seen.values()),
                                    note=t("control_note", lang), dashed=False), "control",
                        position="bottomleft"))
    return fg


def status_label(status: Any, lang: str) -> str:
    """A zone status in words (announced / active / ended)."""
    if _is_missing(status):
        return ""
    return t(f"status_{status}", lang) if f"status_{status}" in LABELS else str(status)


def view_for(governorates: Any, codes: Sequence[str] | None, width_px: int = 700,
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
    lat_rad = [math.radians(v) for v in (s, n)]
    merc = [math.log(math.tan(math.pi / 4 + r / 2)) for r in lat_rad]
    lat_span = max(abs(merc[1] - merc[0]), 0.001)
    z_lon = math.log2(width_px * 360 / (256 * lon_span))
    z_lat = math.log2(height_px * 2 * math.pi / (256 * lat_span))
    zoom = int(max(5, min(10, math.floor(min(z_lon, z_lat)))))
    return [round((s + n) / 2, 4), round((w + e) / 2, 4)], zoom


def split_places(places: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(Syrian places, foreign places): foreign ones never go on the Syria layers."""
    if places is None or places.empty:
        return places, places
    if "country" in places.columns:
        syrian = places["country"].fillna("") == "SY"
    else:
        syrian = places["admin1"].notna()
    return places[syrian], places[~syrian]


def data_layers(lang: str, places: pd.DataFrame | None,
                articles_by_place: Mapping[str, list[dict]] | None = None,
                governorates: Any = None, admin1_counts: pd.DataFrame | None = None,
                zones: Any = None, control: Any = None, date: dt.date | None = None
                ) -> list[folium.FeatureGroup]:
    """The swappable layers, in drawing order (areas below points)."""
    syrian, foreign = split_places(places if places is not None else pd.DataFrame())
    layers: list[folium.FeatureGroup] = []
    if governorates is not None:
        layers.append(choropleth_layer(governorates, admin1_counts, lang))
    layers.append(control_layer(control, date, lang))
    layers.append(zones_layer(zones, date, lang))
    layers.append(places_layer(syrian, lang, articles_by_place))
    layers.append(places_layer(foreign, lang, articles_by_place, key="foreign",
                               name=t("layer_foreign", lang), show=False, color="#7f7f7f",
                               max_articles=0))
    return layers


def layer_control() -> folium.LayerControl:
    """The layer switcher (expanded, top right)."""
    return folium.LayerControl(collapsed=False, position="topright")


def assemble(base: folium.Map, layers: Iterable[folium.FeatureGroup]) -> folium.Map:
    """Everything on one map (for a standalone HTML file or tests; the app swaps layers)."""
    for fg in layers:
        base.add_child(fg)
    layer_control().add_to(base)
    localize(base)
    return base
