"""The map page's stylesheet (markers, clusters, popups, legend dock, labels, search box)."""
from __future__ import annotations

from ui.map.styles import FOREIGN_COLOR, SELECTED_COLOR

MAP_CSS = """
<style>
.snm-marker{border-radius:50%;border:1.5px solid rgba(60,20,0,.75);box-sizing:border-box;
  box-shadow:0 0 2px rgba(0,0,0,.4)}
.snm-marker.snm-approx{border:2px dashed #333}
.snm-cluster{background:rgba(240,59,32,.25);border-radius:50%}
.snm-cluster div{background:rgba(240,59,32,.75);color:#fff;border-radius:50%;width:80%;
  height:80%;margin:10%;display:flex;align-items:center;justify-content:center;
  font:bold 12px/1 sans-serif}
.snm-cluster-foreign{background:FOREIGN33}
.snm-cluster-foreign div{background:FOREIGN}
.snm-popup{font:13px/1.45 sans-serif;min-width:200px;max-width:360px}
.snm-popup h4{margin:0 0 4px;font-size:15px}
.snm-popup .snm-meta{color:#555;margin-bottom:2px}
.snm-popup .snm-hint{color:#777;font-size:11px;margin-top:4px}
.snm-popup .snm-approx-note{color:#a33;font-style:italic}
.snm-popup .snm-key{font-size:0;line-height:0;opacity:0}
.snm-popup ul{margin:4px 0;padding-inline-start:16px;max-height:160px;overflow:auto}
.snm-sources li{margin-bottom:3px}
.leaflet-control-layers{font:12px/1.5 sans-serif}
.leaflet-control-layers label{margin:0}
.leaflet-container{background:#cfe0ec;font-family:sans-serif}
.snm-dock{background:rgba(255,255,255,.93);border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,.3);
  font:11px/1.4 sans-serif;max-width:230px;max-height:45vh;overflow:auto;padding:3px 6px}
.snm-dock>summary{cursor:pointer;font-weight:bold;font-size:12px}
.snm-dock-body{display:flex;flex-direction:column;gap:4px;margin-top:3px}
.snm-legend>summary{cursor:pointer;font-weight:bold}
.snm-legend i{display:inline-block;width:14px;height:10px;margin:0 4px;vertical-align:middle;
  border:1px solid #666}
.snm-legend i.snm-dash{border-style:dashed;background:transparent!important}
.snm-legend .snm-note{color:#666;font-style:italic}
.snm-tip{font:12px sans-serif}
.snm-label{white-space:nowrap;font:11px/1 sans-serif;color:#333;
  text-shadow:0 0 2px #fff,0 0 2px #fff,0 0 3px #fff}
.snm-label span{display:inline-block;transform:translate(-50%,-50%)}
.snm-label-city span{font-weight:bold;font-size:12px}
.snm-label-gov span{font-size:13px;color:#6b5b4b;letter-spacing:.5px;font-weight:bold}
.snm-search{background:#fff;border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,.3);padding:3px;
  width:220px;font:13px sans-serif}
.snm-search input{width:100%;box-sizing:border-box;border:1px solid #bbb;border-radius:3px;
  padding:4px 6px;font-size:13px}
.snm-search-results{list-style:none;margin:2px 0 0;padding:0;max-height:220px;overflow:auto}
.snm-search-results li{padding:3px 5px;cursor:pointer;border-bottom:1px solid #eee}
.snm-search-results li:hover,.snm-search-results li:focus{background:#eef3ff}
.snm-search-results li.snm-none{color:#777;cursor:default}
path.snm-selected{stroke:SELECTED;stroke-width:4;fill:none}
.leaflet-container.snm-busy::after{content:attr(data-busy);position:absolute;top:10px;left:50%;
  transform:translateX(-50%);z-index:1000;background:rgba(255,255,255,.95);padding:3px 12px;
  border-radius:12px;box-shadow:0 1px 4px rgba(0,0,0,.3);font:12px sans-serif;color:#333}
</style>
""".replace("FOREIGN33", FOREIGN_COLOR + "44").replace("FOREIGN", FOREIGN_COLOR).replace(
    "SELECTED", SELECTED_COLOR)


# The map's key starts with this (ui.map.component), and Streamlit gives the map's element
# container the class st-key-<key>. busy_css finds the container by that class: a selector with
# :has(iframe) found it too, but cost about 150 ms of every page load (style recalculation on
# each change of the page while Streamlit builds it).
MAP_KEY_PREFIX = "snm-map-"
MAP_BOX = f'[data-testid="stElementContainer"][class*="st-key-{MAP_KEY_PREFIX}"]'


def busy_css(label: str, delay_s: float = 0.3) -> str:
    """Page CSS (for the Streamlit page, not the map): while a rerun has not yet sent the new
    map, a note over it says the map is being updated, from `delay_s` on."""
    text = label.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ")
    box = MAP_BOX
    return (f"{box}{{position:relative}}"
            f'{box}[data-stale="true"]::after{{content:"{text}";position:absolute;top:12px;'
            "left:50%;transform:translateX(-50%);z-index:5;background:rgba(255,255,255,.95);"
            "padding:3px 12px;border-radius:12px;box-shadow:0 1px 4px rgba(0,0,0,.3);"
            f"font-size:.8rem;color:#333;animation:snm-busy-in 0s linear {delay_s}s both}}"
            "@keyframes snm-busy-in{from{opacity:0}to{opacity:1}}")
