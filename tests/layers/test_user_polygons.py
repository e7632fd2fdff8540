"""A user's control polygons override the sub-districts they cover; bad rings are repaired, and said so."""
from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import shapely

from geo.layers import Layers
from snm.errors import LayerWarning
from snm.settings import METRIC_CRS, REPO

RAQQA = (35.95283, 39.00788)
# A self-intersecting "bow tie" around Raqqa: two triangles meeting at the city. buffer(0) keeps
# one of them; shapely.make_valid keeps both.
BOWTIE = [[38.8, 35.8], [39.2, 36.1], [39.2, 35.8], [38.8, 36.1], [38.8, 35.8]]
WEST_LOBE, EAST_LOBE = (35.95, 38.86), (35.95, 39.14)


def write(tmp_path: Path, ring: list[list[float]], **props: str) -> Path:
    path = tmp_path / "bowtie.geojson"
    feature = {"type": "Feature", "properties": {"controller": "XYZ", "name_en": "bow tie", **props},
               "geometry": {"type": "Polygon", "coordinates": [ring]}}
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}), encoding="utf-8")
    return path


def test_a_self_intersecting_polygon_is_made_valid_whole_and_the_repair_is_reported(tmp_path: Path) -> None:
    with pytest.warns(LayerWarning, match="make_valid"):
        layers = Layers.default().with_user_file(write(tmp_path, BOWTIE))
    assert any("bow tie" in n and "Self-intersection" in n for n in layers.notes)
    day = date(2020, 1, 1)
    assert layers.controller_at(*WEST_LOBE, day)[0] == "XYZ"
    assert layers.controller_at(*EAST_LOBE, day)[0] == "XYZ"  # buffer(0) would have lost a lobe
    control = layers.control_at(day)
    user = control[control["origin"] == "user"]
    assert len(user) == 1 and user.geometry.iloc[0].is_valid and "make_valid" in user["basis"].iloc[0]


def test_user_polygons_cut_the_sub_districts_they_overlap(tmp_path: Path) -> None:
    square = [[38.8, 35.8], [39.2, 35.8], [39.2, 36.1], [38.8, 36.1], [38.8, 35.8]]
    layers = Layers.default().with_user_file(write(tmp_path, square))
    areas = layers.control_at(date(2020, 1, 1))
    areas = areas[areas["kind"] == "area"].to_crs(METRIC_CRS)
    union = shapely.union_all(areas.geometry.values)
    assert shapely.area(areas.geometry.values).sum() - union.area < 10_000  # no overlap left
    raqqa = areas[areas["admin3_pcode"] == "SY110100"]
    # what is left of the Raqqa unit outside the square: Raqqa's reach, and the steppe beyond it
    assert list(raqqa["controller"]) == ["SDF", "UNKNOWN"]
    assert raqqa.geometry.area.sum() < layers.units.metric[layers.units.index["SY110100"]].area


def test_cli_warns_and_exits_3_after_a_repair(tmp_path: Path) -> None:
    path = write(tmp_path, BOWTIE)
    done = subprocess.run([sys.executable, "-m", "geo.layers", "--point", f"{WEST_LOBE[0]},{WEST_LOBE[1]}",
                           "--date", "2020-01-01", "--user", str(path)], cwd=REPO, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 3, done.stderr
    assert "warning:" in done.stderr and "make_valid" in done.stderr and "Traceback" not in done.stderr
    assert json.loads(done.stdout)["controller"] == "XYZ"
