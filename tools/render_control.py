"""Render the control layer (and the zones in force) on given dates as PNG maps, offline.

    .venv/bin/python tools/render_control.py [--out docs] [DATE ...]

Defaults to the four dates of the README (2015-08-31, 2017-07-31, 2019-12-31, 2024-12-15);
writes docs/control_DATE.png. Colours and names come from data/conflict/controllers.csv; grey
(UNKNOWN) is land beyond the reach of every place (geo/layers/control.py) or of a unit with no
place known on the date.
"""
from __future__ import annotations

import argparse
import datetime as dt
import io
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import geopandas as gpd
import matplotlib.pyplot as plt
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from PIL import Image

from geo.layers import Layers
from geo.layers.control import REACH_KM
from snm.settings import BOUNDARIES_DIR, REPO

DATES = ("2015-08-31", "2017-07-31", "2019-12-31", "2024-12-15")
UNKNOWN_LABEL = ": beyond every place's reach, or no place known"
SYRIA = (35.5, 32.2, 42.5, 37.4)  # lon/lat extent: min lon, min lat, max lon, max lat


def render(layers: Layers, day: dt.date, out: Path, governorates: gpd.GeoDataFrame,
           extent: tuple[float, float, float, float] = SYRIA) -> Path:
    """Draw control areas, zone outlines, governorate borders and deciding places on day."""
    control = layers.control_at(day)
    zones = layers.zones_at(day)
    areas = control[control["kind"] == "area"]
    towns = control[control["kind"] == "town"]
    fig, ax = plt.subplots(figsize=(9, 8.2), dpi=110)
    areas.plot(ax=ax, color=list(areas["color"]), edgecolor="white", linewidth=0.15)
    governorates.boundary.plot(ax=ax, color="#444444", linewidth=0.5)
    towns.plot(ax=ax, color=list(towns["color"]), edgecolor="#222222", linewidth=0.4, markersize=7)
    if extent != SYRIA:
        for t in towns.itertuples():
            x, y = t.geometry.x, t.geometry.y
            if extent[0] < x < extent[2] and extent[1] < y < extent[3]:
                ax.annotate(t.name_en, (x, y), fontsize=5, xytext=(2, 2), textcoords="offset points")
    handles: list[Patch | Line2D] = []
    for code in layers.controllers:
        if code in set(areas["controller"]):
            c = layers.controllers[code]
            label = f"{c.name_en} ({code})" + (UNKNOWN_LABEL if code == "UNKNOWN" else "")
            handles.append(Patch(facecolor=c.color, edgecolor="#999999", label=label))
    drawn = zones[zones.geometry.notna()]
    if len(drawn):
        drawn.boundary.plot(ax=ax, color="#1f1fff", linewidth=1.3, linestyle="--")
        names = ", ".join(drawn["zone_id"])
        handles.append(Line2D([], [], color="#1f1fff", linestyle="--", label=f"de-escalation zones: {names}"))
    ax.legend(handles=handles, loc="lower right", fontsize=7, framealpha=0.9)
    ax.set_title(f"Areas of control on {day.isoformat()}: each place (dot) decides its sub-district "
                 f"within {REACH_KM:g} km and the villages joined to it", fontsize=9)
    ax.set_xlim(extent[0], extent[2])
    ax.set_ylim(extent[1], extent[3])
    ax.set_aspect(1 / 0.82)
    ax.tick_params(labelsize=7)
    suffix = "" if extent == SYRIA else "_" + "_".join(f"{v:g}" for v in extent)
    path = out / f"control_{day.isoformat()}{suffix}.png"
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    buffer.seek(0)
    # a flat-colour map: a 128-colour palette keeps it sharp at a third of the size, unless the
    # palette would lose a colour of the legend (then the full-colour image is kept)
    image = Image.open(buffer).convert("RGB")
    small = image.quantize(colors=128, method=Image.Quantize.FASTOCTREE)
    kept = [tuple(rgb) for _, rgb in small.convert("RGB").getcolors(maxcolors=256) or []
            if isinstance(rgb, tuple)]
    wanted = [_rgb(layers.controllers[c].color) for c in set(areas["controller"]) if c in layers.controllers]
    close = all(any(max(abs(a - b) for a, b in zip(w, k)) <= 8 for k in kept) for w in wanted)
    (small if close else image).save(path, optimize=True)
    return path


def _rgb(color: str) -> tuple[int, int, int]:
    """(r, g, b) of '#rrggbb'."""
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


def main(argv: list[str] | None = None) -> int:
    """Render each date; print the files written."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dates", nargs="*", default=list(DATES))
    parser.add_argument("--out", type=Path, default=REPO / "docs")
    parser.add_argument("--extent", default=None, help="MINLON,MINLAT,MAXLON,MAXLAT (default: Syria)")
    args = parser.parse_args(argv)
    layers = Layers.default()
    governorates = gpd.read_file(BOUNDARIES_DIR / "admin1.geojson")
    args.out.mkdir(parents=True, exist_ok=True)
    for text in args.dates:
        extent = tuple(float(v) for v in args.extent.split(",")) if args.extent else SYRIA
        print(render(layers, dt.date.fromisoformat(text), args.out, governorates, extent))  # type: ignore[arg-type]
    return 0


if __name__ == "__main__":
    sys.exit(main())
