"""Which mentions get a controller and zones: places on the ground yes, wide areas only when whole."""
from __future__ import annotations

import pandas as pd

from geo.layers import Layers

ZABADANI = (33.725281, 36.102478)
YARMOUK = (33.471313, 36.305725)
DAMASCUS = (33.5102, 36.29128)
AFRIN = (36.51194, 36.86954)
IDLIB_CITY = (35.93062, 36.63393)
EUPHRATES_AT_RAQQA = (35.94, 39.02)


def annotate(layers: Layers, rows: list[tuple[tuple[float, float], str, str, str]]) -> pd.DataFrame:
    frame = pd.DataFrame({"lat": [r[0][0] for r in rows], "lon": [r[0][1] for r in rows],
                          "date": [r[1] for r in rows], "level": [r[2] for r in rows],
                          "kind": [r[3] for r in rows]})
    return layers.annotate(frame)


def test_places_on_the_ground_are_answered_at_their_point(layers: Layers) -> None:
    out = annotate(layers, [(ZABADANI, "2015-08-31", "populated_place", ""),
                            (YARMOUK, "2015-08-31", "neighbourhood", "camp"),
                            (IDLIB_CITY, "2018-01-01", "feature", "prison"),
                            (EUPHRATES_AT_RAQQA, "2016-01-01", "feature", "river")])
    assert list(out["controller"]) == ["OPP", "ISIS", "HTS", None]  # a river spans several sides
    assert list(out["zone_ids"]) == [[], [], ["idlib"], []]


def test_a_sub_district_or_district_only_when_one_controller_held_all_of_it(layers: Layers) -> None:
    out = annotate(layers, [
        (ZABADANI, "2015-08-31", "subdistrict", ""),    # Zabadani sub-district: one place, OPP
        (DAMASCUS, "2015-08-31", "subdistrict", ""),    # split between GOV, OPP and ISIS places
        (AFRIN, "2019-06-01", "district", ""),          # all seven Afrin sub-districts TR_SNA
        (AFRIN, "2017-06-01", "district", ""),          # all of them SDF before Olive Branch
        (DAMASCUS, "2015-08-31", "district", ""),       # the Damascus district is that split unit
        (IDLIB_CITY, "2017-12-01", "subdistrict", ""),  # Idlib city sub-district, all HTS: in the zone
        (IDLIB_CITY, "2019-06-01", "district", ""),     # Idlib district: Abu al-Duhur was GOV by then
    ])
    assert list(out["controller"]) == ["OPP", None, "TR_SNA", "SDF", None, "HTS", None]
    assert list(out["zone_ids"]) == [[], [], [], [], [], ["idlib"], []]


def test_country_governorate_and_region_never_get_one(layers: Layers) -> None:
    out = annotate(layers, [(IDLIB_CITY, "2018-01-01", level, "")
                            for level in ("country", "governorate", "region", "something_else")])
    assert list(out["controller"]) == [None] * 4 and list(out["zone_ids"]) == [[]] * 4


def test_without_a_level_column_every_row_is_a_point(layers: Layers) -> None:
    frame = pd.DataFrame({"lat": [IDLIB_CITY[0]], "lon": [IDLIB_CITY[1]], "date": ["2018-01-01"]})
    out = layers.annotate(frame)
    assert list(out["controller"]) == ["HTS"] and list(out["zone_ids"]) == [["idlib"]]
