"""Offline maps: point every folium element's JS/CSS at files Streamlit serves from ./static.

folium links its assets from CDNs; streamlit-folium loads each element's `default_js` /
`default_css` one by one and stops at the first failure, so offline the map is blank. We give
each element new *instance* lists of local URLs (folium's `add_js_link` would mutate the
class-level lists shared by every map). Files come from tools/fetch_assets.sh (npm registry).
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import branca
import folium
from folium.elements import JSCSSMixin
from folium.template import Template

from snm.errors import AssetError
from snm.settings import STATIC_DIR

STATIC_URL = "/app/static"                 # Streamlit's enableStaticServing mount
VENDOR_URL = f"{STATIC_URL}/vendor"

# streamlit-folium's front end (its PyPI package's build), copied by tools/fetch_assets.sh and served
# by the static route: Streamlit's own component route sends it without validators, so the
# browser fetched and compiled its 225 KB script again on every page load. The version is in
# the path so that an upgrade is a new URL, never a stale cached page.
FRONTEND_PACKAGE = "streamlit-folium"


def frontend_rel() -> str:
    """The path under static/ of the map front end's page, for the installed version."""
    from importlib.metadata import version
    return f"vendor/streamlit_folium/{version(FRONTEND_PACKAGE)}/index.html"


# Resource name (as folium names it) -> path under static/. None: dropped (not used offline).
LOCAL_ASSETS: dict[str, str | None] = {
    "leaflet": "vendor/leaflet/dist/leaflet.js",
    "jquery": "vendor/jquery/dist/jquery.min.js",
    "bootstrap": "vendor/bootstrap/dist/js/bootstrap.bundle.min.js",
    "awesome_markers": "vendor/leaflet.awesome-markers/dist/leaflet.awesome-markers.js",
    "leaflet_css": "vendor/leaflet/dist/leaflet.css",
    "bootstrap_css": "vendor/bootstrap/dist/css/bootstrap.min.css",
    "glyphicons_css": None,  # Bootstrap 3 glyphicons: no registry package, no icon uses them
    "awesome_markers_font_css": "vendor/fontawesome-free/css/all.min.css",
    "awesome_markers_css": "vendor/leaflet.awesome-markers/dist/leaflet.awesome-markers.css",
    "awesome_rotate_css": "snm/awesome-rotate.css",
    "markerclusterjs": "vendor/leaflet.markercluster/dist/leaflet.markercluster.js",
    "markercluster": "vendor/leaflet.markercluster/dist/leaflet.markercluster.js",
    "markerclustercss": "vendor/leaflet.markercluster/dist/MarkerCluster.css",
    "markerclusterdefaultcss": "vendor/leaflet.markercluster/dist/MarkerCluster.Default.css",
    "fflate": "vendor/fflate/umd/index.js",  # not folium's: inflates ui.map.encode.js_data
}
IMAGE_PATH = f"{VENDOR_URL}/leaflet/dist/images/"


class OfflineAssetError(AssetError, LookupError):
    """A folium element links an asset that has no local copy."""


def local_url(name: str) -> str | None:
    """The /app/static URL serving folium resource `name`, None if deliberately dropped."""
    if name not in LOCAL_ASSETS:
        raise OfflineAssetError(f"no local copy of folium resource {name!r}; "
                                "add it to tools/fetch_assets.sh and ui.offline.LOCAL_ASSETS")
    rel = LOCAL_ASSETS[name]
    return None if rel is None else f"{STATIC_URL}/{rel}"


def _walk(element: branca.element.Element) -> Iterator[branca.element.Element]:
    """The element and all its descendants."""
    yield element
    for child in list(getattr(element, "_children", {}).values()):
        yield from _walk(child)


def localize(*elements: branca.element.Element) -> None:
    """Give every JSCSSMixin element under `elements` instance lists of local asset URLs."""
    for root in elements:
        for el in _walk(root):
            if isinstance(el, branca.colormap.ColorMap):
                # streamlit-folium adds two d3 CDN links for any colormap in the tree.
                raise OfflineAssetError("branca colormaps pull d3 from a CDN; use ui legends")
            if not isinstance(el, JSCSSMixin):
                continue
            for attr in ("default_js", "default_css"):
                links = []
                for name, url in getattr(el, attr):
                    if url.startswith(STATIC_URL):
                        links.append((name, url))
                        continue
                    new = local_url(name)
                    if new is not None:
                        links.append((name, new))
                setattr(el, attr, links)


def asset_links(*elements: branca.element.Element) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(css, js): the URLs the elements make the browser load, in tree order, without repeats."""
    css: list[str] = []
    js: list[str] = []
    for root in elements:
        for el in _walk(root):
            css.extend(href for _, href in getattr(el, "default_css", []))
            js.extend(src for _, src in getattr(el, "default_js", []))
    return tuple(dict.fromkeys(css)), tuple(dict.fromkeys(js))


def asset_urls(*elements: branca.element.Element) -> list[str]:
    """Every JS/CSS URL the elements would make the browser load (for checks and tests)."""
    css, js = asset_links(*elements)
    return [*js, *css]


def missing_files(static_dir: Path = STATIC_DIR) -> list[str]:
    """Local asset files that are not on disk (run `make setup` / tools/fetch_assets.sh)."""
    rels = {rel for rel in LOCAL_ASSETS.values() if rel} | {frontend_rel()}
    return sorted(rel for rel in rels if not (static_dir / rel).is_file())


class ImagePath(folium.MacroElement):
    """Sets L.Icon.Default.imagePath to the served Leaflet images (add first to the map)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            L.Icon.Default.imagePath = {{ this.path|tojson }};
        {% endmacro %}
    """)

    def __init__(self, path: str = IMAGE_PATH) -> None:
        """The folder URL of Leaflet's marker images."""
        super().__init__()
        self._name = "ImagePath"
        self.path = path


# What a Map needs when no awesome-marker icons or Bootstrap widgets are used: Leaflet only.
LEAN_MAP_JS = [("leaflet", f"{STATIC_URL}/{LOCAL_ASSETS['leaflet']}")]
LEAN_MAP_CSS = [("leaflet_css", f"{STATIC_URL}/{LOCAL_ASSETS['leaflet_css']}")]


def offline_map(location: Iterable[float] = (35.0, 38.5), zoom_start: int = 7,
                lean: bool = True, **kwargs) -> folium.Map:
    """A tile-less folium Map whose assets are local (maxZoom set for marker clusters).

    lean: load only Leaflet, not jQuery, Bootstrap, awesome-markers and Font Awesome, which
    folium links for its default markers and which this app does not use (faster first map).
    """
    # max_zoom/min_zoom only reach a tile layer; without tiles Leaflet needs them on the map
    # (MarkerCluster throws "Map has no maxZoom specified").
    m = folium.Map(location=list(location), zoom_start=zoom_start, tiles=None,
                   maxZoom=kwargs.pop("max_zoom", 18), minZoom=kwargs.pop("min_zoom", 5),
                   prefer_canvas=kwargs.pop("prefer_canvas", False), **kwargs)
    ImagePath().add_to(m)
    if lean:
        m.default_js = list(LEAN_MAP_JS)
        m.default_css = list(LEAN_MAP_CSS)
    localize(m)
    return m
