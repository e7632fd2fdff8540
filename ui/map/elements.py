"""Folium elements of the map, one job each (as folium keeps one plugin per module's class):
GeoJSON with escaped popups, the place cluster, legends in one foldable dock, layer state, basemap
labels, the place search box and the view/layers mirror in the page URL.

Every string that reaches innerHTML is escaped in Python first; place popups, labels and search
results are built in the browser with textContent only.
"""
from __future__ import annotations

from typing import Any

import folium
from folium.elements import JSCSSMixin
from folium.plugins import MarkerCluster
from folium.template import Template

from ui import offline
from ui.map.encode import js_data, js_json
from ui.text import esc

# Leaflet panes: labels above areas and below markers; never clickable.
LABEL_PANE = "snmLabels"

# The marker of a row, as a Leaflet class made once per layer: a marker holds its row and a
# point until it is first drawn; then its icon is made (HTML of numbers and a colour of ours, no
# text). The popup is bound with textContent as the first click begins, before any listener of
# the click runs (so streamlit-folium returns its text). Most of 17,000 markers are never drawn
# or opened: icons, titles and listeners made for each cost the first map about 30 ms.
_PLACE_MARKER = """
function (placePopup, words, key) {
    var Place = L.Marker.extend({
        options: {riseOnHover: true},
        initialize: function (row) {
            this._latlng = new L.LatLng(row[0], row[1]);  // options: the class's own (see L.Class)
            this.snmRow = row;
        },
        _initIcon: function () {
            if (!this.options.hasOwnProperty('icon')) {
                var row = this.snmRow, size = row[3];
                this.options.icon = L.divIcon({
                    html: '<div class="snm-marker' + (row[8] ? ' snm-approx' : '') +
                          '" style="width:' + size + 'px;height:' + size + 'px;background:' +
                          words.colors[row[4]] + '"></div>',
                    className: 'snm-place snm-place-' + key, iconSize: [size, size]});
                this.options.title = row[5];
            }
            L.Marker.prototype._initIcon.call(this);
        },
        on: function (types, fn, context) {
            // markercluster listens to each marker for drags and moves (dragstart, move,
            // dragend): a place is never dragged or moved, and 17,000 x 3 listeners cost ~20 ms
            if (types && types.dragstart && types.move && !this.options.draggable) {
                return this;
            }
            return L.Marker.prototype.on.call(this, types, fn, context);
        },
        fire: function (type, data, propagate) {
            if (type === 'click' && !this._popup) {
                this.bindPopup(placePopup(this.snmRow, words), {maxWidth: 360,
                    autoPanPaddingTopLeft: [40, 40], autoPanPaddingBottomRight: [40, 40]});
            }
            return L.Marker.prototype.fire.call(this, type, data, propagate);
        }
    });
    return Place;
}"""

_PLACE_POPUP = """
function (row, words) {
    var div = document.createElement('div');
    div.className = 'snm-popup';
    div.dir = words.dir;
    function add(tag, cls, text) {
        var el = document.createElement(tag);
        if (cls) { el.className = cls; }
        el.textContent = text;
        div.appendChild(el);
        return el;
    }
    add('h4', '', row[5]);
    add('div', 'snm-meta', words.metas[row[6]]);
    add('div', 'snm-meta', words.mentions + ': ' + row[2] + ' · ' + words.articles + ': ' + row[7]);
    if (row[8]) { add('div', 'snm-approx-note', words.approx); }
    if (words.hint) { add('div', 'snm-hint', words.hint); }
    add('span', 'snm-key', '\\u2063' + row[9] + '\\u2063').setAttribute('aria-hidden', 'true');
    return div;
}"""

_CLUSTER_ICON = """
function (cluster) {
    var n = 0;
    cluster.getAllChildMarkers().forEach(function (m) { n += m.snmRow[2]; });
    var size = n < 10 ? 30 : (n < 100 ? 36 : (n < 1000 ? 42 : 50));
    var inner = document.createElement('div');
    inner.textContent = String(n);
    return L.divIcon({html: inner, className: 'marker-cluster snm-cluster snm-cluster-' + KEY,
                      iconSize: L.point(size, size)});
}"""


class HtmlGeoJson(folium.MacroElement):
    """GeoJSON features styled from properties.style, with pre-escaped properties.popup (a DOM
    node, so streamlit-folium returns its text) and properties.tip (tooltip)."""

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
                    layer.bindPopup(div, {maxWidth: 380, autoPanPaddingTopLeft: [40, 40],
                                          autoPanPaddingBottomRight: [40, 40]});
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


class PlaceCluster(MarkerCluster):
    """Clustered place markers from compact rows (see ui.map.places.ROW_FIELDS); popups are DOM
    nodes built with textContent on a marker's first click; the markers are registered for the
    search box."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function () {
            var KEY = {{ this.key|tojson }};
            var placePopup = {{ this.popup }};
            var data = {{ this.data_expr }};
            var words = data.words, rows = data.rows;
            var Place = ({{ this.marker_class }})(placePopup, words, KEY);
            var cluster = L.markerClusterGroup({{ this.options|tojavascript }});
            cluster.options.iconCreateFunction = {{ this.icon_create_function }};
            var markers = new Array(rows.length);
            for (var i = 0; i < rows.length; i++) { markers[i] = new Place(rows[i]); }
            // the markers join once the group is on a map: off the map, addLayers checks each
            // new marker against every pending one (quadratic, 0.2 s at 17,000 places)
            var pending = true;
            cluster.on('add', function () {
                if (pending) { pending = false; cluster.addLayers(markers); }
            });
            function register() {  // the search box and tests read the layer on the map
                window.snmPlaces = window.snmPlaces || {};
                window.snmPlaces[KEY] = {cluster: cluster, markers: markers};
                window.snmCounts = window.snmCounts || {};
                window.snmCounts[KEY] = rows.length;
            }
            register();
            cluster.on('add', function () {
                register();
                if (KEY === "places") {
                    window.snmRenders = (window.snmRenders || 0) + 1;  // tests and benchmarks
                }
            });
            cluster.addTo({{ this._parent.get_name() }});
            return cluster;
        })();
        {% endmacro %}
    """)

    def __init__(self, rows: list[list[Any]], words: dict[str, Any], key: str = "places",
                 **options: Any) -> None:
        """Rows as ui.map.places.ROW_FIELDS; words: popup labels and the rows' lookup tables
        (colors, metas); options: markerClusterGroup."""
        super().__init__(name=None, overlay=True, control=False, show=True, **options)
        self._name = "PlaceCluster"
        self.key = key
        self.marker_class = _PLACE_MARKER.strip()
        self.popup = _PLACE_POPUP.strip()
        self.icon_create_function = _CLUSTER_ICON.strip()
        self.rows = rows
        self.data_expr = js_data({"rows": rows, "words": words})
        self.count = len(rows)


class LayerState(folium.MacroElement):
    """Tags a data layer with its stable overlay key (the URL mirror and the layer swap read
    it); `show`: whether it is on when a link says nothing (folium's `show`, or
    ui.map.swap when the app swaps layers)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.snmKey = {{ this.key|tojson }};
        {% endmacro %}
    """)

    def __init__(self, key: str, show: bool) -> None:
        """Keep what the template renders."""
        super().__init__()
        self._name = "LayerState"
        self.key = key
        self.show = show


class Legend(folium.MacroElement):
    """A legend in the map's one legend dock (bottom left, foldable as a whole and one by one),
    shown while its parent layer is on the map. title and body are pre-escaped HTML."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function (fg) {
            var key = {{ this.key|tojson }};
            var box = document.createElement('details');
            box.className = 'snm-legend';
            box.setAttribute('data-layer', key);
            window.snmFolded = window.snmFolded || {};
            box.open = !window.snmFolded[key];
            box.innerHTML = '<summary>' + {{ this.title_json }} + '</summary>' + {{ this.body_json }};
            box.addEventListener('toggle', function () { window.snmFolded[key] = !box.open; });
            function show(map) {
                var dock = window.snmDock && window.snmDock(map);
                if (!dock) { return; }
                var old = dock.querySelector('.snm-legend[data-layer="' + key + '"]');
                if (old && old !== box) { old.remove(); }
                var order = {{ this.order|tojson }};
                box.style.order = order;
                dock.appendChild(box);
            }
            fg.on('add', function (e) { show(e.target._map); });
            fg.on('remove', function () { box.remove(); });
            if (fg._map) { show(fg._map); }
        })({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, title: str, body: str, key: str, order: int = 0) -> None:
        """Keep what the template renders (title and body already escaped)."""
        super().__init__()
        self._name = "Legend"
        self.title = title
        self.body = body
        self.html = title + body
        self.title_json = js_json(title)
        self.body_json = js_json(body)
        self.key = key
        self.order = order


class DataDecoder(JSCSSMixin, folium.MacroElement):
    """Defines snmData(base64, deflated) -> value in the map page (see js_data); add first.
    Loads fflate, whose unzlibSync inflates synchronously, so every layer stays one script."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        window.snmData = function (b64, deflated) {
            var bytes;
            if (Uint8Array.fromBase64) {  // Chromium 140+, Firefox 133+: a third of the loop's time
                bytes = Uint8Array.fromBase64(b64);
            } else {
                var bin = atob(b64);
                bytes = new Uint8Array(bin.length);
                for (var i = 0; i < bin.length; i++) { bytes[i] = bin.charCodeAt(i); }
            }
            if (deflated) { bytes = fflate.unzlibSync(bytes); }
            return JSON.parse(new TextDecoder("utf-8").decode(bytes));
        };
        {% endmacro %}
    """)

    def __init__(self) -> None:
        """Keep what the template renders."""
        super().__init__()
        self._name = "DataDecoder"
        url = offline.local_url("fflate")
        if url is None:
            raise offline.OfflineAssetError("the map's data needs fflate (ui.offline.LOCAL_ASSETS)")
        self.default_js = [("fflate", url)]


class LegendDock(folium.MacroElement):
    """The one corner (bottom left) where every legend stacks; folds away as a whole."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        window.snmDock = function (map) {
            if (!map) { return null; }
            if (!map._snmDock) {
                var ctl = L.control({position: 'bottomleft'});
                ctl.onAdd = function () {
                    var d = L.DomUtil.create('details', 'snm-dock');
                    d.open = {{ this.open|tojson }};
                    var s = L.DomUtil.create('summary', '', d);
                    s.textContent = {{ this.title|tojson }};
                    L.DomUtil.create('div', 'snm-dock-body', d);
                    L.DomEvent.disableClickPropagation(d);
                    L.DomEvent.disableScrollPropagation(d);
                    return d;
                };
                ctl.addTo(map);
                map._snmDock = ctl;
            }
            return map._snmDock.getContainer().querySelector('.snm-dock-body');
        };
        window.snmDock({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, title: str, open_: bool = True) -> None:
        """title: plain text of the dock's summary line."""
        super().__init__()
        self._name = "LegendDock"
        self.title = title
        self.open = open_


class MapState(folium.MacroElement):
    """Mirrors the map view (view=lat,lon,zoom) and the overlays that are on (layers=…) in the
    page's URL, so a copied link reopens them; remembers which overlays the user toggled."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        window.snmVisible = window.snmVisible || {};
        (function (map) {
            var start = {{ this.start|tojson }};
            var defaults = {{ this.defaults|tojson }};
            function loc() { try { return window.parent.location; } catch (e) { return null; } }
            function onKeys() {
                var keys = [];
                map.eachLayer(function (l) {
                    if (l.snmKey && keys.indexOf(l.snmKey) < 0) { keys.push(l.snmKey); }
                });
                return keys.sort();
            }
            function write() {
                var where = loc();
                if (!where) { return; }
                var params = new URLSearchParams(where.search);
                var c = map.getCenter(), z = map.getZoom();
                var view = c.lat.toFixed(4) + ',' + c.lng.toFixed(4) + ',' + z;
                var moved = Math.abs(c.lat - start[0]) > 0.01 || Math.abs(c.lng - start[1]) > 0.01
                            || z !== start[2];
                if (moved) { params.set('view', view); } else { params.delete('view'); }
                if (Object.keys(window.snmVisible).length) {
                    var keys = onKeys().join(',');
                    if (keys === defaults.slice().sort().join(',')) { params.delete('layers'); }
                    else { params.set('layers', keys || 'none'); }
                }
                var q = params.toString();
                var url = where.pathname + (q ? '?' + q : '') + where.hash;
                if (url !== where.pathname + where.search + where.hash) {
                    window.parent.history.replaceState(window.parent.history.state, '', url);
                }
            }
            window.snmWriteState = write;
            function record(on) {
                return function (e) {
                    var ctl = window.layer_control;
                    if (ctl && ctl._handlingClick && e.layer && e.layer.snmKey) {
                        window.snmVisible[e.layer.snmKey] = on;
                        setTimeout(write, 0);
                    }
                };
            }
            map.on('overlayadd', record(true));
            map.on('overlayremove', record(false));
            map.on('moveend', function () { setTimeout(write, 0); });
            // Streamlit rewrites the URL after a rerun from its own copy: put ours back.
            setInterval(write, 1500);
        })({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, start: tuple[float, float, int], defaults: list[str]) -> None:
        """start: the view the page asked for; defaults: overlay keys on by default."""
        super().__init__()
        self._name = "MapState"
        self.start = [round(start[0], 4), round(start[1], 4), int(start[2])]
        self.defaults = sorted(defaults)


class LabelLayer(folium.MacroElement):
    """Place and governorate names drawn on the basemap, more as you zoom in: rows
    [lat, lon, name, min_zoom, class]; non-interactive, under the markers."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function (map) {
            var rows = {{ this.data_expr }};
            var pane = map.getPane('{{ this.pane }}') || map.createPane('{{ this.pane }}');
            pane.style.zIndex = 450;
            pane.style.pointerEvents = 'none';
            var shown = new Array(rows.length), marks = new Array(rows.length);
            function mark(i) {
                if (!marks[i]) {
                    var r = rows[i], span = document.createElement('span');
                    span.textContent = r[2];
                    marks[i] = L.marker([r[0], r[1]], {pane: '{{ this.pane }}', interactive: false,
                        keyboard: false, icon: L.divIcon({html: span, iconSize: null,
                        className: 'snm-label snm-label-' + r[4]})});
                }
                return marks[i];
            }
            function update() {
                var z = map.getZoom(), b = map.getBounds().pad(0.1), n = 0;
                for (var i = 0; i < rows.length; i++) {
                    var r = rows[i];
                    var on = z >= r[3] && (r[5] === undefined || z <= r[5]) && b.contains([r[0], r[1]]);
                    if (on && !shown[i]) { mark(i).addTo(map); shown[i] = true; }
                    else if (!on && shown[i]) { map.removeLayer(marks[i]); shown[i] = false; }
                    if (shown[i]) { n++; }
                }
                window.snmLabelsShown = n;
            }
            map.on('zoomend moveend', update);
            update();
        })({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, rows: list[list[Any]], pane: str = LABEL_PANE) -> None:
        """rows: [lat, lon, name, min_zoom, class(, max_zoom)]."""
        super().__init__()
        self._name = "LabelLayer"
        self.rows = rows
        self.data_expr = js_data(rows)
        self.pane = pane


class SearchControl(folium.MacroElement):
    """A search box over the places on the map (Arabic or English; with or without ال, any
    alef or hamza form): picking one zooms to it, opens its popup and selects it (a click)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function (map) {
            var words = {{ this.words_json }};
            function norm(s) {
                s = (s || '').toLowerCase();
                s = s.replace(/[\\u064B-\\u0652\\u0670\\u0640]/g, '');
                s = s.replace(/[\\u0622\\u0623\\u0625\\u0671]/g, '\\u0627')
                     .replace(/\\u0649/g, '\\u064A').replace(/\\u0629/g, '\\u0647');
                s = s.replace(/(^|\\s)(\\u0627\\u0644|al-|el-|al |el )/g, '$1');
                return s.replace(/[^0-9a-z\\u0600-\\u06FF]+/g, ' ').trim();
            }
            window.snmNorm = norm;
            var ctl = L.control({position: 'topleft'});
            ctl.onAdd = function () {
                var box = L.DomUtil.create('div', 'snm-search');
                var input = L.DomUtil.create('input', '', box);
                input.type = 'search';
                input.placeholder = words.placeholder;
                input.setAttribute('aria-label', words.placeholder);
                input.dir = 'auto';
                var list = L.DomUtil.create('ul', 'snm-search-results', box);
                L.DomEvent.disableClickPropagation(box);
                L.DomEvent.disableScrollPropagation(box);
                function pick(marker) {
                    list.innerHTML = '';
                    input.value = marker.snmRow[5];
                    var group = window.snmPlaces.places.cluster;
                    var open = function () {
                        marker.fire('click', {latlng: marker.getLatLng()}, true);
                        if (!marker.isPopupOpen()) { marker.openPopup(); }
                    };
                    if (group.hasLayer(marker)) { group.zoomToShowLayer(marker, open); }
                    else { open(); }
                }
                function results() {
                    list.innerHTML = '';
                    var q = norm(input.value);
                    if (!q) { return []; }
                    var hits = [];
                    ['places', 'foreign'].forEach(function (key) {
                        var src = (window.snmPlaces || {})[key];
                        if (!src) { return; }
                        src.markers.forEach(function (m) {
                            if (m.snmKey === undefined) { m.snmKey = norm(m.snmRow[5]).replace(/[()]/g, ' '); }
                            var k = ' ' + m.snmKey;
                            var at = k.indexOf(q);
                            if (at >= 0) { hits.push([k[at - 1] === ' ' ? 0 : 1, -m.snmRow[2], m]); }
                        });
                    });
                    hits.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
                    hits.slice(0, 8).forEach(function (h) {
                        var li = L.DomUtil.create('li', '', list);
                        li.textContent = h[2].snmRow[5] + ' · ' + h[2].snmRow[2];
                        li.tabIndex = 0;
                        li.addEventListener('click', function () { pick(h[2]); });
                        li.addEventListener('keydown', function (e) { if (e.key === 'Enter') { pick(h[2]); } });
                    });
                    if (!hits.length) {
                        var none = L.DomUtil.create('li', 'snm-none', list);
                        none.textContent = words.none;
                    }
                    return hits;
                }
                input.addEventListener('input', results);
                input.addEventListener('keydown', function (e) {
                    if (e.key === 'Enter') {
                        var hits = results();
                        if (hits.length) { pick(hits[0][2]); }
                        e.preventDefault();
                    }
                });
                return box;
            };
            ctl.addTo(map);
        })({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, placeholder: str, none: str) -> None:
        """Labels in the UI language (plain text)."""
        super().__init__()
        self._name = "SearchControl"
        self.words_json = js_json({"placeholder": placeholder, "none": none})
