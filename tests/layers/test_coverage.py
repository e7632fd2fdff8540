"""The control areas cover Syria at every month-end 2012-2025, with no hole and no overlap."""
from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from geo.layers import Layers
from geo.layers.geometry import to_metric
from snm.settings import BOUNDARIES_DIR, GAZETTEER_DIR, METRIC_CRS

MONTH_ENDS = [d.date() for d in pd.date_range("2012-01-31", "2025-12-31", freq="ME")]
MIN_COVER = 0.99  # share of Syria's area under some area row (UNKNOWN counts, holes do not)
MAX_OVERLAP_M2 = 10_000.0  # 1 ha in all, for rounding where a unit is cut between its places
# Share of Syria's area that may be UNKNOWN on any date. A place decides the land within its
# reach (geo/layers/control.py), so the empty desert beyond every place's reach is UNKNOWN: 39% to
# 42% of the country (the Badia, the steppe south of the Jazira and of the Euphrates, the Harra
# east of as-Suwayda; 39% while al-Tanf's 55 km zone is drawn, 2016-2024), up to 44% from
# 2025-07-13, when the as-Suwayda places end.
MAX_UNKNOWN = 0.45
# The same on settled land (within 5 km of an OCHA community): 4.5% on every date (the two
# Israeli-occupied Golan units, which have no place, and villages far from every place of a large
# unit, most of them in the desert), 9.2% from 2025-07-13: the 12 as-Suwayda units, whose places
# control_periods.csv ends there because no code named the local Druze forces that held them.
MAX_UNKNOWN_SETTLED = 0.10
SETTLED_M = 5_000.0


@pytest.fixture(scope="module")
def syria_m2() -> shapely.Geometry:
    """Syria from the OCHA governorates (admin1.geojson, not the sub-districts the layer paints)."""
    govs = gpd.read_file(BOUNDARIES_DIR / "admin1.geojson").to_crs(METRIC_CRS)
    return shapely.union_all(govs.geometry.values)


@pytest.fixture(scope="module")
def settled_m2(syria_m2: shapely.Geometry) -> shapely.Geometry:
    """Syria's settled land: within SETTLED_M of an OCHA community (data/gazetteer/communities.csv)."""
    places = pd.read_csv(GAZETTEER_DIR / "communities.csv")
    x, y = to_metric(places["lon"].to_numpy(), places["lat"].to_numpy())
    rings = shapely.buffer(shapely.points(x, y), SETTLED_M, quad_segs=4)
    return shapely.union_all(rings).intersection(syria_m2)


def test_every_month_end_is_covered_without_overlap(syria_m2: shapely.Geometry,
                                                    settled_m2: shapely.Geometry) -> None:
    layers = Layers.default()
    assert len(MONTH_ENDS) == 168
    problems = []
    for day in MONTH_ENDS:
        control = layers.control_at(day)
        areas = control[control["kind"] == "area"].to_crs(METRIC_CRS)
        geoms = areas.geometry.values
        union = shapely.union_all(geoms)
        covered = union.intersection(syria_m2).area / syria_m2.area
        overlap = shapely.area(geoms).sum() - union.area  # any two rows, same controller or not
        unknown_geoms = geoms[(areas["controller"] == "UNKNOWN").to_numpy()]
        unknown = shapely.area(unknown_geoms).sum() / syria_m2.area
        settled = shapely.union_all(unknown_geoms).intersection(settled_m2).area / settled_m2.area
        if (covered < MIN_COVER or overlap > MAX_OVERLAP_M2 or unknown > MAX_UNKNOWN
                or settled > MAX_UNKNOWN_SETTLED):
            problems.append(f"{day}: covered {covered:.4f}, overlap {overlap:.0f} m², unknown {unknown:.4f}, "
                            f"unknown settled land {settled:.4f}")
        if areas["controller"].isna().any() or (areas["controller"] == "").any():
            problems.append(f"{day}: an area without a controller code")
    assert not problems, problems
