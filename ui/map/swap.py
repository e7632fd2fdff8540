"""Swapping data layers in the map iframe, sending and building only what it lacks.

Each data layer is JavaScript keyed by a digest of its text, sent one of three ways:
- its body, built the first time the layer is shown (the iframe keeps the few it last used);
- its digest alone, when the iframe already holds it;
- neither, while it is hidden: ticking its box asks the page for it.
The iframe asks through the component's value (`ASK`: a nonce and the layer keys it wants, `*`
for every layer again when one it was said to hold is gone, e.g. after a reload); the page then
reruns once and sends those bodies.
"""
from __future__ import annotations

import hashlib
from collections.abc import Container, Sequence
from dataclasses import dataclass

import folium
from folium.template import Template

from ui.map.encode import js_json

CAPACITY = 16  # layers the iframe keeps (six are in use at a time)
ASK = "snm_ask"  # the component value's key when the iframe asks for layers: [nonce, keys]
EVERY = "*"      # ... for every layer again


@dataclass(frozen=True)
class LayerJs:
    """One data layer as the iframe gets it: `body` defines `var <name>` (a FeatureGroup)."""

    key: str       # overlay key (choropleth, control, zones, places, foreign)
    label: str     # the layer control's label (escaped HTML)
    slot: int      # position in the drawing order; names the JS variable
    body: str
    digest: str
    count: int | None = None  # markers of a places layer (known before it is built)

    @property
    def name(self) -> str:
        """The JS variable of the layer (as streamlit-folium names a feature group)."""
        return var_name(self.slot)


def var_name(slot: int) -> str:
    """The JS variable streamlit-folium gives feature group number `slot`."""
    return f"feature_group_feature_group_{slot}"


def layer_js(key: str, label: str, slot: int, body: str, count: int | None = None) -> LayerJs:
    """A layer with its digest."""
    digest = hashlib.sha1(f"{key}\n{slot}\n{body}".encode()).hexdigest()[:20]
    return LayerJs(key, label, slot, body, digest, count)


def waiting_js(key: str, label: str, slot: int, inputs: str) -> LayerJs:
    """A layer not built (hidden and not asked for): its name, and a digest of its inputs."""
    digest = "w" + hashlib.sha1(f"{key}\n{slot}\n{inputs}".encode()).hexdigest()[:19]
    return LayerJs(key, label, slot, "", digest)


def feature_groups_js(layers: Sequence[LayerJs], shown: Container[str],
                      known: Container[str], ring: tuple[str, float, float] | None = None,
                      wanted: Container[str] = ()) -> str:
    """The `feature_group` script: each layer by body, by digest when the iframe holds it
    (`known`), or as a placeholder when it is neither shown nor `wanted` (asked for); then the
    shown layers (by default, or as the user left them) go on the map and the selected place
    is ringed (ring: layer key, lat, lon)."""
    parts = ["window.feature_group = [];", "window.snmCounts = window.snmCounts || {};",
             "snmBusy(false);"]
    for layer in layers:
        if layer.count is not None:
            parts.append(f"window.snmCounts[{js_json(layer.key)}] = {int(layer.count)};")
        if layer.digest in known:
            build = "null"
        elif layer.key in shown or layer.key in wanted:
            build = "function () {\n" + layer.body + f"\nreturn {layer.name};\n}}"
        else:
            build = "false"
        parts.append(f"var {layer.name} = snmLayer({js_json(layer.digest)}, "
                     f"{js_json(layer.key)}, {build});")
    for layer in layers:
        parts.append(f"snmShowLayer(map_div, {layer.name}, "
                     f"{'true' if layer.key in shown else 'false'});")
        parts.append(f"window.feature_group.push({layer.name});")
    target = next((x.name for x in layers if ring and x.key == ring[0]), None)
    where = f"{target}, [{ring[1]}, {ring[2]}]" if ring and target else "null, null"
    parts.append(f"snmRing({where});")
    return "\n".join(parts) + "\n"


def layer_control_js(layers: Sequence[LayerJs], position: str = "topright") -> str:
    """The layer switcher over the data layers, collapsed to a button (as folium writes it)."""
    overlays = ",\n".join(f"    {js_json(x.label)}: {x.name}" for x in layers)
    options = js_json({"autoZIndex": True, "collapsed": True, "position": position})
    return ("var layer_control_layer_control_layers = {base_layers: {}, overlays: {\n"
            f"{overlays}\n}}}};\n"
            "let layer_control_layer_control = L.control.layers(\n"
            "    layer_control_layer_control_layers.base_layers,\n"
            f"    layer_control_layer_control_layers.overlays, {options}).addTo(map_div);\n"
            "window.layer_control = layer_control_layer_control;\n")


def body_of(fg: folium.FeatureGroup, slot: int) -> str:
    """The JS that builds a feature group and its children as streamlit-folium writes it, but
    never adding it to the map (snmShowLayer does that when it is shown)."""
    from streamlit_folium import generate_leaflet_string, get_full_id

    parent = folium.Map(tiles=None)
    fg.show = False  # no `.addTo(map)` in the body
    fg._id = f"feature_group_{slot}"
    fg.add_to(parent)
    fg.render()
    text = generate_leaflet_string(fg, base_id=f"feature_group_{slot}")
    return text.replace(get_full_id(parent), "map_div").strip()


class LayerSwap(folium.MacroElement):
    """The iframe's side of the swap (see the module): snmLayer, snmShowLayer, snmRing."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function () {
            var cache = {}, order = [], CAPACITY = {{ this.capacity }};
            var ASK = {{ this.ask|tojson }}, EVERY = {{ this.every|tojson }}, asking = null;
            function touch(digest) {
                var at = order.indexOf(digest);
                if (at >= 0) { order.splice(at, 1); }
                order.push(digest);
                while (order.length > CAPACITY) { delete cache[order.shift()]; }
            }
            var box = {{ this._parent.get_name() }}.getContainer();
            window.snmBusy = function (on) {  // a note on the map while the page is asked
                box.setAttribute('data-busy', {{ this.busy|tojson }});
                box.classList.toggle('snm-busy', !!on);
            };
            function ask(key) {  // the page reruns and sends the layer (EVERY: all of them)
                if (asking) { if (asking.indexOf(key) < 0) { asking.push(key); } return; }
                asking = [key];
                window.snmBusy(true);
                setTimeout(function () {
                    var S = window.Streamlit, g = window.__GLOBAL_DATA__ || {};
                    var value = Object.assign({}, g.previous_data || {});
                    value[ASK] = [String(Date.now()), asking];
                    asking = null;
                    if (S) { S.setComponentValue(value); }
                }, 0);
            }
            function waiting(shell) {  // a layer not sent: asked for when its box is ticked
                shell.on('add', function () {
                    if (!shell.snmAsked) { shell.snmAsked = true; ask(shell.snmKey); }
                });
                return shell;
            }
            window.snmLayer = function (digest, key, build) {
                var shell = cache[digest];
                if (!shell) {
                    shell = L.featureGroup();
                    shell.snmKey = key;
                    if (build === false) { return waiting(shell); }
                    if (!build) { ask(EVERY); return shell; }
                    shell.snmBuild = build;
                    shell.on('add', function () {
                        var make = shell.snmBuild;
                        if (make) { shell.snmBuild = null; shell.addLayer(make()); }
                    });
                    cache[digest] = shell;
                }
                touch(digest);
                return shell;
            };
            window.snmShowLayer = function (map, shell, show) {
                var seen = window.snmVisible || {};
                if ((shell.snmKey in seen) ? seen[shell.snmKey] : show) { map.addLayer(shell); }
            };
            var ring = null;
            window.snmRing = function (shell, latlng) {
                if (ring && ring.snmGroup) { ring.snmGroup.removeLayer(ring); }
                ring = null;
                if (!shell || !latlng) { return; }
                ring = L.circleMarker(latlng, {radius: 22, color: {{ this.color|tojson }},
                    weight: 4, fill: false, interactive: false, className: 'snm-selected'});
                ring.snmGroup = shell;
                shell.addLayer(ring);
            };
        })();
        {% endmacro %}
    """)

    def __init__(self, color: str, busy: str, capacity: int = CAPACITY) -> None:
        """color: the selection ring's; busy: the note shown while a layer is asked for."""
        super().__init__()
        self._name = "LayerSwap"
        self.color = color
        self.busy = busy
        self.capacity = capacity
        self.ask = ASK
        self.every = EVERY
