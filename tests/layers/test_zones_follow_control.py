"""De-escalation zones follow the control layer: the part of their terms the covered parties held."""
from __future__ import annotations

from datetime import date

import numpy as np
import pytest
import shapely

from geo.layers import Layers
from snm.settings import METRIC_CRS

KHAN_SHAYKHUN = (35.443726, 36.650513)
MAARAT_AL_NUMAN = (35.647705, 36.676697)
IDLIB_CITY = (35.93062, 36.63393)
FUAH = (35.982117, 36.703674)  # government-held enclave inside the Idlib zone's terms until Jul 2018
SARMADA = (36.186707, 36.723877)  # by the Turkish border, far from any government front
ARIHA = (35.81374, 36.60964)
SARAQIB = (35.861084, 36.806091)


def area_km2(layers: Layers, zone_id: str, day: date) -> float:
    zones = layers.zones_at(day).set_index("zone_id")
    geom = zones.loc[zone_id, "geometry"]
    return 0.0 if geom is None else float(zones.loc[[zone_id]].to_crs(METRIC_CRS).area.iloc[0] / 1e6)


def test_the_idlib_zone_shrank_with_the_offensives_of_2018_2020(layers: Layers) -> None:
    sizes = [area_km2(layers, "idlib", date(y, m, d)) for y, m, d in
             ((2017, 9, 30), (2018, 3, 31), (2019, 9, 30), (2020, 3, 31), (2024, 11, 1))]
    assert sizes[0] > sizes[1] > sizes[2] > sizes[3] > 1000
    assert sizes[3] == pytest.approx(sizes[4])  # the March 2020 lines held until Nov 2024
    assert sizes[3] < 0.6 * sizes[0]


@pytest.mark.parametrize("where, day, inside", [
    (KHAN_SHAYKHUN, date(2019, 6, 1), True), (KHAN_SHAYKHUN, date(2019, 10, 1), False),
    (MAARAT_AL_NUMAN, date(2019, 12, 1), True), (MAARAT_AL_NUMAN, date(2020, 6, 1), False),
    (IDLIB_CITY, date(2022, 6, 1), True), (FUAH, date(2018, 5, 1), False), (FUAH, date(2018, 12, 1), True),
])
def test_a_place_is_in_the_idlib_zone_only_while_the_covered_parties_held_it(
        layers: Layers, where: tuple[float, float], day: date, inside: bool) -> None:
    assert ("idlib" in layers.zone_ids_at(*where, day)) is inside


@pytest.mark.parametrize("day", [date(2017, 7, 31), date(2018, 3, 1), date(2018, 12, 1), date(2019, 9, 1),
                                 date(2020, 6, 1)])
def test_no_zone_holds_government_land(layers: Layers, day: date) -> None:
    control = layers.control_at(day)
    gov = shapely.union_all(control[(control["kind"] == "area") & (control["controller"] == "GOV")]
                            .geometry.values)
    zones = layers.zones_at(day)
    for zone in zones.itertuples():
        if zone.geometry is not None:
            assert zone.geometry.intersection(gov).area < 1e-6 * zone.geometry.area, zone.zone_id


def test_zone_ids_of_points_agree_with_the_drawn_zone(layers: Layers) -> None:
    day = date(2019, 12, 31)
    zone = layers.zones_at(day).set_index("zone_id").loc["idlib", "geometry"]
    lon, lat = np.meshgrid(np.arange(36.0, 37.4, 0.07), np.arange(35.3, 36.4, 0.07))
    inside = shapely.contains_xy(zone, lon.ravel(), lat.ravel())
    assert 20 < inside.sum() < inside.size - 20
    syria = layers.units.outline
    for x, y, drawn in zip(lon.ravel(), lat.ravel(), inside):
        point = shapely.Point(x, y)
        # points just outside the country take the nearest sub-district, and the drawn edge is
        # only as exact as the split between places: leave out the first kilometre or so
        if syria.contains(point) and point.distance(zone.boundary) > 0.01:
            assert ("idlib" in layers.zone_ids_at(y, x, day)) is bool(drawn), (y, x)


def test_the_sochi_band_lies_along_the_government_front_not_the_turkish_border(layers: Layers) -> None:
    day = date(2018, 12, 1)
    assert "idlib_dmz" in layers.zone_ids_at(*KHAN_SHAYKHUN, day)
    assert "idlib_dmz" not in layers.zone_ids_at(*SARMADA, day)
    zones = layers.zones_at(day).set_index("zone_id")
    dmz, idlib = zones.loc["idlib_dmz", "geometry"], zones.loc["idlib", "geometry"]
    assert dmz.difference(idlib).area < 1e-6 and dmz.area < 0.9 * idlib.area
    assert layers.zones_at(date(2018, 10, 1)).set_index("zone_id").loc["idlib_dmz", "status"] == "announced"


def test_the_m4_corridor_is_only_where_the_opposition_held_the_road(layers: Layers) -> None:
    day = date(2020, 6, 1)
    assert "m4_corridor" in layers.zone_ids_at(*ARIHA, day)
    assert layers.zone_ids_at(*SARAQIB, day) == []  # on the road, but government-held since Mar 2020


def test_an_ended_zone_is_drawn_as_it_last_stood_and_says_so(layers: Layers) -> None:
    zones = layers.zones_at(date(2018, 9, 1), include_ended=True).set_index("zone_id")
    assert zones.loc["eastern_ghouta", "status"] == "ended"
    assert zones.loc["eastern_ghouta", "geometry"] is not None
    assert zones.loc["eastern_ghouta", "geometry_note"].startswith("ended; drawn as on")
    assert "eastern_ghouta" not in set(layers.zones_at(date(2018, 9, 1))["zone_id"])
