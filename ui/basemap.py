"""Tile-less basemap: Natural Earth countries (npm world-atlas@2.0.2, ISC) clipped to the region.

Built at set-up by tools/fetch_assets.sh (`python -m ui.basemap SRC DEST`); the app reads the
small GeoJSON, or derives it from the TopoJSON when set-up skipped that step.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from ui.map.encode import round_geometry

REGION_BBOX: tuple[float, float, float, float] = (30.0, 28.0, 48.0, 41.0)  # W, S, E, N
SIMPLIFY_DEG = 0.01
SOURCE = "Natural Earth 1:50m countries via npm world-atlas@2.0.2 (public domain / ISC)"

# Arabic names of the countries inside the region box (for tooltips in Arabic mode).
COUNTRY_AR: dict[str, str] = {
    "Syria": "سوريا", "Turkey": "تركيا", "Iraq": "العراق", "Jordan": "الأردن",
    "Lebanon": "لبنان", "Israel": "إسرائيل", "Palestine": "فلسطين", "Saudi Arabia": "السعودية",
    "Egypt": "مصر", "Iran": "إيران", "Kuwait": "الكويت", "Cyprus": "قبرص",
    "N. Cyprus": "شمال قبرص", "Armenia": "أرمينيا", "Azerbaijan": "أذربيجان",
    "Georgia": "جورجيا",
}


def build_region_geojson(topojson_path: str | Path,
                         bbox: tuple[float, float, float, float] = REGION_BBOX,
                         tolerance: float = SIMPLIFY_DEG) -> dict:
    """Clip and simplify world-atlas countries to bbox; a GeoJSON FeatureCollection dict."""
    import geopandas as gpd

    gdf = gpd.read_file(topojson_path, layer="countries")
    if gdf.crs is None:
        gdf = gdf.set_crs("EPSG:4326")
    gdf = gdf.clip(bbox)
    gdf["geometry"] = gdf.geometry.simplify(tolerance)
    gdf = gdf[~gdf.geometry.is_empty & gdf.geometry.notna()]
    gdf = gdf[["name", "geometry"]].copy()
    gdf["name_ar"] = gdf["name"].map(COUNTRY_AR).fillna(gdf["name"])
    gdf["source"] = SOURCE
    data = json.loads(gdf.to_json(drop_id=True))
    for feature in data["features"]:
        feature["geometry"] = round_geometry(feature["geometry"], 3)
    return data


def load_region_geojson(vendor_dir: str | Path) -> dict | None:
    """The region basemap from vendor_dir (built file, else derived from the TopoJSON), or None."""
    vendor = Path(vendor_dir)
    built = vendor / "basemap" / "countries_region.geojson"
    if built.is_file():
        return json.loads(built.read_text(encoding="utf-8"))
    topo = vendor / "world-atlas" / "countries-50m.json"
    if topo.is_file():
        return build_region_geojson(topo)
    return None


def main(argv: list[str]) -> int:
    """CLI: python -m ui.basemap SRC_TOPOJSON DEST_GEOJSON."""
    if len(argv) != 2:
        print("usage: python -m ui.basemap countries-50m.json out.geojson", file=sys.stderr)
        return 2
    data = build_region_geojson(argv[0])
    out = Path(argv[1])
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print(f"basemap: {len(data['features'])} countries, {out.stat().st_size // 1024} KB -> {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))


def load_water(path: str | Path | None = None) -> dict | None:
    """Rivers and lakes for the basemap (data/basemap/water.geojson), or None if absent."""
    from snm.settings import DATA_DIR
    p = Path(path) if path else DATA_DIR / "basemap" / "water.geojson"
    return json.loads(p.read_text(encoding="utf-8")) if p.is_file() else None
