"""The reach rule: a place decides the part of its sub-district near it, not a whole desert."""
from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
import shapely

from geo.layers import UNKNOWN, Layers
from geo.layers.control import REACH_KM, WHOLE_KM2
from geo.layers.geometry import to_metric

DUMAYR = (33.644104, 36.691101)  # the town; its unit (al-Dumayr, SY030203) is 5,930 km² of desert
DUMAYR_DESERT = (33.60, 37.30)  # the same unit, 56 km east of the town
SAB_BIYAR = (33.78009, 37.68811)  # a crossroads in a 12,925 km² desert unit (SY030202)
SAB_BIYAR_CORNER = (32.95, 37.85)  # the same unit by the Jordanian border, 93 km south
TANF = (33.50583, 38.61778)  # the al-Tanf garrison, in the same unit
TANF_40KM = (33.30, 38.30)  # 37 km south-west of it: inside its 55 km zone, beyond 20 km
HASAKAH_COUNTRY = (36.43, 40.60)  # 15 km south-west of al-Hasakah city


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    x, y = to_metric(np.array([a[1], b[1]]), np.array([a[0], b[0]]))
    return float(((x[0] - x[1]) ** 2 + (y[0] - y[1]) ** 2) ** 0.5) / 1000


def test_the_points_are_where_the_tests_say(layers: Layers) -> None:
    points = np.array([DUMAYR, DUMAYR_DESERT, SAB_BIYAR, SAB_BIYAR_CORNER, TANF, TANF_40KM])
    unit = layers.units.locate(points[:, 0], points[:, 1])
    assert [layers.units.pcode[u] for u in unit] == ["SY030203"] * 2 + ["SY030202"] * 4
    assert km(DUMAYR, DUMAYR_DESERT) > 50 and km(SAB_BIYAR, SAB_BIYAR_CORNER) > 90
    assert REACH_KM < km(TANF, TANF_40KM) < 55


@pytest.mark.parametrize("day", ["2015-08-31", "2017-07-31"])
def test_a_far_corner_of_a_desert_unit_is_unknown_the_town_surroundings_are_its_controllers(
        layers: Layers, day: str) -> None:
    code, basis = layers.controller_at(*DUMAYR_DESERT, day)
    assert code is None and "beyond the reach" in basis and "al-Dumayr: OPP" in basis
    assert layers.controller_at(*DUMAYR, day)[0] == "OPP"
    assert layers.controller_at(DUMAYR[0], DUMAYR[1] + 0.12, day)[0] == "OPP"  # 11 km east of the town
    corner, basis = layers.controller_at(*SAB_BIYAR_CORNER, day)
    assert corner is None and "beyond the reach" in basis


def test_the_unreached_rest_is_an_unknown_part_of_the_unit_that_says_why(layers: Layers) -> None:
    control = layers.control_at("2015-08-31")
    dumayr = control[(control["kind"] == "area") & (control["admin3_pcode"] == "SY030203")]
    assert sorted(dumayr["controller"]) == ["OPP", UNKNOWN]
    rest = dumayr[dumayr["controller"] == UNKNOWN].iloc[0]
    assert "beyond the reach of its places" in rest["basis"] and "al-Dumayr" in rest["basis"]
    assert rest["source"].startswith("none")
    held = dumayr[dumayr["controller"] == "OPP"].iloc[0]
    unit_area = layers.units.geoms[layers.units.index["SY030203"]].area
    assert held.geometry.area < 0.15 * unit_area  # the town's surroundings, not the desert unit
    assert shapely.contains_xy(held.geometry, DUMAYR[1], DUMAYR[0])


def test_the_al_tanf_zone_reaches_55_km_and_only_from_2016(layers: Layers) -> None:
    assert layers.controller_at(*TANF_40KM, "2019-06-01")[0] == "OPP"  # its own reach (place_reach.csv)
    assert layers.controller_at(*TANF, "2015-10-01")[0] == "ISIS"
    assert layers.controller_at(*TANF_40KM, "2015-10-01")[0] is None  # the default 20 km then
    assert layers.controller_at(*TANF_40KM, "2025-03-01")[0] is None


def test_the_hasakah_countryside_is_sdf_in_2015_the_city_centre_government(layers: Layers) -> None:
    assert layers.controller_at(*HASAKAH_COUNTRY, "2015-08-31")[0] == "SDF"
    assert layers.controller_at(36.495, 40.745, "2015-08-31")[0] == "GOV"  # the southern centre
    assert layers.controller_at(36.525, 40.740, "2015-08-31")[0] == "SDF"  # the Kurdish north


def test_small_units_are_decided_whole_by_their_places(layers: Layers) -> None:
    control = layers.control_at(date(2019, 12, 31))
    areas = control[control["kind"] == "area"]
    small = {layers.units.pcode[u] for u in range(len(layers.units)) if layers.units.area_km2[u] <= WHOLE_KM2}
    placed = set(control.loc[control["kind"] == "town", "admin3_pcode"])
    unknown = areas[(areas["controller"] == UNKNOWN) & areas["admin3_pcode"].isin(small & placed)]
    assert len(small & placed) > 100 and unknown.empty


def test_a_sub_district_mention_takes_the_controller_of_the_parts_its_places_decide(layers: Layers) -> None:
    frame = pd.DataFrame({"lat": [DUMAYR[0], SAB_BIYAR[0]], "lon": [DUMAYR[1], SAB_BIYAR[1]],
                          "date": ["2015-08-31", "2019-06-01"], "level": "subdistrict"})
    # al-Dumayr: the town's part is OPP, the rest nobody's known ground; al-Sab' Biyar in 2019 is
    # split between the government crossroads and the rebels' al-Tanf: no one controller
    assert list(layers.annotate(frame)["controller"]) == ["OPP", None]
