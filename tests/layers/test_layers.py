"""Zones and areas of control at a date: the answers users see on the map and in filters."""
from __future__ import annotations

import csv
import json
import math
import subprocess
import sys
from datetime import date
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from geo.layers import Layers
from snm.errors import LayerError
from snm.settings import REPO

CONFLICT = REPO / "data" / "conflict"
# Town coordinates as published by OCHA (admin capitals), not the ones in our own table.
RAQQA = (35.95307, 39.00606)
DOUMA = (33.57057, 36.40459)
PALMYRA = (34.56563, 38.28769)
DAMASCUS = (33.51718, 36.27671)
BEIRUT = (33.89, 35.50)


def zone_ids(frame: gpd.GeoDataFrame) -> set[str]:
    return set(frame["zone_id"])


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "geo.layers", *args], cwd=REPO,
                          capture_output=True, text=True, timeout=120)


# ---- zones over time ---------------------------------------------------------------------
def test_ghouta_and_north_homs_ended_by_june_2018_idlib_and_south_not(layers: Layers) -> None:
    now = layers.zones_at(date(2018, 6, 1))
    assert {"idlib", "south"} <= zone_ids(now)
    assert not {"eastern_ghouta", "north_homs"} & zone_ids(now)
    everything = layers.zones_at(date(2018, 6, 1), include_ended=True).set_index("zone_id")
    assert everything.loc["eastern_ghouta", "status"] == "ended"
    assert everything.loc["north_homs", "status"] == "ended"
    assert everything.loc["idlib", "status"] == "active"


def test_south_ended_by_september_2018(layers: Layers) -> None:
    assert "south" in zone_ids(layers.zones_at(date(2018, 7, 30)))
    assert "south" not in zone_ids(layers.zones_at(date(2018, 9, 1)))
    assert "idlib" in zone_ids(layers.zones_at(date(2018, 9, 1)))


def test_no_zone_before_astana_and_dmz_announced_before_it_took_effect(layers: Layers) -> None:
    assert layers.zones_at(date(2017, 5, 1)).empty
    announced = layers.zones_at(date(2018, 10, 1)).set_index("zone_id")
    assert announced.loc["idlib_dmz", "status"] == "announced"
    assert layers.zones_at(date(2018, 11, 1)).set_index("zone_id").loc["idlib_dmz", "status"] == "active"


def test_zone_frame_has_the_contract_columns_and_real_polygons(layers: Layers) -> None:
    zones = layers.zones_at(date(2020, 6, 1))
    for col in ("zone_id", "name_en", "name_ar", "status", "valid_from", "valid_to", "source", "geometry"):
        assert col in zones.columns
    assert zone_ids(zones) == {"idlib", "m4_corridor"}
    assert zones.geometry.is_valid.all() and (shapely.area(zones.geometry.values) > 0.01).all()
    assert zones["approximate"].all() and zones["source"].str.len().gt(20).all()


def test_every_member_sub_district_was_found_in_the_shipped_boundaries(layers: Layers) -> None:
    assert layers.notes == ()
    assert not layers.zones["geometry_note"].str.contains("no polygon found").any()


def test_point_zone_membership_follows_the_dates(layers: Layers) -> None:
    assert layers.zone_ids_at(*DOUMA, date(2017, 7, 25)) == ["eastern_ghouta"]
    assert layers.zone_ids_at(*DOUMA, date(2018, 6, 1)) == []
    idlib_city = (35.93062, 36.63393)
    assert layers.zone_ids_at(*idlib_city, date(2017, 7, 25)) == ["idlib"]
    assert layers.zone_ids_at(*idlib_city, date(2017, 4, 1)) == []


def test_government_held_city_in_a_partly_covered_unit_is_not_in_the_zone(layers: Layers) -> None:
    # The Damascus sub-district is in the Ghouta zone only for Jobar; the capital itself was not.
    assert layers.zone_ids_at(*DAMASCUS, date(2017, 7, 25)) == []


# ---- control over time ---------------------------------------------------------------------
@pytest.mark.parametrize("where, day, expected", [
    (RAQQA, date(2017, 7, 25), "ISIS"),
    (RAQQA, date(2017, 11, 1), "SDF"),
    (DOUMA, date(2017, 7, 25), "OPP"),
    (DOUMA, date(2018, 5, 1), "GOV"),
    (PALMYRA, date(2015, 6, 1), "ISIS"),
    (PALMYRA, date(2016, 6, 1), "GOV"),
    (PALMYRA, date(2017, 1, 15), "ISIS"),
])
def test_controller_of_key_towns(layers: Layers, where: tuple[float, float], day: date,
                                 expected: str) -> None:
    code, basis = layers.controller_at(*where, day)
    assert code == expected
    assert "approximate" in basis and expected in basis


def test_controller_accepts_iso_strings_and_timestamps(layers: Layers) -> None:
    assert layers.controller_at(*PALMYRA, "2015-06-01")[0] == "ISIS"
    assert layers.controller_at(*PALMYRA, pd.Timestamp("2016-06-01"))[0] == "GOV"


def test_outside_syria_has_no_controller(layers: Layers) -> None:
    assert layers.controller_at(*BEIRUT, date(2017, 7, 25)) == (None, "outside Syria")


def test_a_point_just_off_the_coast_takes_the_nearest_sub_district(layers: Layers) -> None:
    # off Tartus: 0.75 and 1.6 km out at sea (the OCHA outline), then 2.5 and 6 km out
    answers = [layers.controller_at(34.8867, lon, date(2016, 1, 1)) for lon in (35.88, 35.87, 35.86, 35.80)]
    assert [a[0] for a in answers] == ["GOV", "GOV", None, None]
    assert "Tartus" in answers[0][1] and answers[3][1] == "outside Syria"


@pytest.mark.parametrize("day, expected", [("2015-06-01", "ISIS"), ("2016-06-01", "GOV"),
                                           ("2017-01-15", "ISIS")])
def test_cli_point_palmyra(day: str, expected: str) -> None:
    done = run_cli("--point", f"{PALMYRA[0]},{PALMYRA[1]}", "--date", day)
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["controller"] == expected and answer["zones"] == [] and "Palmyra" in answer["basis"]


def test_cli_point_douma_in_ghouta_zone() -> None:
    answer = json.loads(run_cli("--point", "33.57,36.40", "--date", "2017-07-25").stdout)
    assert answer == {**answer, "zones": ["eastern_ghouta"], "controller": "OPP"}


def test_control_areas_are_sub_districts_with_their_deciding_towns(layers: Layers) -> None:
    control = layers.control_at(date(2017, 7, 25))
    areas = control[control["kind"] == "area"]
    towns = control[control["kind"] == "town"]
    assert {"kind", "controller", "basis", "approximate", "valid_from", "valid_to", "place_id", "name_en",
            "name_ar", "admin3_pcode", "origin", "source", "geometry"} <= set(control.columns)
    assert areas["approximate"].all()
    assert set(towns["controller"]) <= set(areas["controller"])
    assert set(areas["admin3_pcode"]) == set(layers.units.pcode)  # every sub-district is drawn
    raqqa = areas[areas.contains(shapely.Point(RAQQA[1], RAQQA[0]))]
    assert list(raqqa["controller"]) == ["ISIS"] and list(raqqa["place_id"]) == ["SY110100"]
    assert "Raqqa: ISIS from 2014-01-14" in raqqa["basis"].iloc[0]
    assert "franspat.com" in raqqa["source"].iloc[0]
    assert (areas["valid_from"] <= date(2017, 7, 25)).all() and (areas["valid_to"] > date(2017, 7, 25)).all()
    union = shapely.union_all(areas.geometry.values)
    assert math.isclose(union.area, shapely.area(areas.geometry.values).sum(), rel_tol=1e-6)
    assert union.within(shapely.box(35.5, 32.2, 42.5, 37.4))


def test_a_unit_whose_places_disagree_is_split_between_them(layers: Layers) -> None:
    # 2015-08-31: in the Damascus sub-district the capital was GOV, Yarmouk camp ISIS, Jobar and
    # al-Qaboun OPP: the unit is cut into the parts nearest each place, which tile it exactly
    areas = layers.control_at(date(2015, 8, 31))
    damascus = areas[(areas["kind"] == "area") & (areas["admin3_pcode"] == "SY010000")]
    assert set(damascus["controller"]) == {"GOV", "ISIS", "OPP"}
    assert damascus["basis"].str.contains("split between them").all()
    unit = layers.units.geoms[layers.units.index["SY010000"]]
    assert math.isclose(shapely.union_all(damascus.geometry.values).area, unit.area, rel_tol=1e-9)
    yarmouk = damascus[damascus["controller"] == "ISIS"]
    assert "This part: Yarmouk camp (Damascus): ISIS from 2015-04-04" in yarmouk["basis"].iloc[0]


def test_control_frame_is_self_describing(layers: Layers) -> None:
    control = layers.control_at(date(2015, 8, 31))
    legend = layers.controllers
    for row in control.drop_duplicates("controller").itertuples():
        assert (row.color, row.controller_en, row.controller_ar) == (
            legend[row.controller].color, legend[row.controller].name_en, legend[row.controller].name_ar)
    assert {"CONTESTED", "UNKNOWN"} <= set(legend)
    golan = control[(control["kind"] == "area") & (control["admin3_pcode"] == "SY140003")]
    assert list(golan["controller"]) == ["UNKNOWN"] and "no place" in golan["basis"].iloc[0]


def test_same_date_is_served_from_the_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    fresh = Layers.default()
    built: list[object] = []
    real = Layers._build_control
    monkeypatch.setattr(Layers, "_build_control", lambda self, epoch: built.append(epoch) or real(self, epoch))
    first = fresh.control_at(date(2016, 1, 1))
    again = fresh.control_at(date(2016, 1, 2))  # nothing changed in between: no second build
    assert len(built) == 1
    assert first is not again and first.equals(again)  # callers get copies they may change


# ---- a user's file -------------------------------------------------------------------------
def user_file(tmp_path: Path, features: list[dict]) -> Path:
    path = tmp_path / "mine.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    return path


def box_feature(props: dict, lon: float, lat: float, half: float = 0.2) -> dict:
    geom = shapely.geometry.mapping(shapely.box(lon - half, lat - half, lon + half, lat + half))
    return {"type": "Feature", "properties": props, "geometry": geom}


DESERT = (34.0, 39.5)
USER_FEATURES = [
    box_feature({"zone": "my_zone", "name_en": "My zone", "valid_from": "2020-01-01",
                 "valid_to": "2021-01-01"}, DESERT[1], DESERT[0]),
    box_feature({"controller": "XYZ", "name_en": "Raqqa box", "valid_from": "2020-01-01"},
                RAQQA[1], RAQQA[0]),
]


def test_user_file_adds_to_the_built_in_layers(tmp_path: Path) -> None:
    layers = Layers.default().with_user_file(user_file(tmp_path, USER_FEATURES), mode="add")
    day = date(2020, 6, 1)
    assert zone_ids(layers.zones_at(day)) == {"idlib", "m4_corridor", "my_zone"}
    assert layers.zone_ids_at(*DESERT, day) == ["my_zone"]
    assert layers.zone_ids_at(*DESERT, date(2021, 1, 1)) == []
    assert layers.controller_at(*RAQQA, day)[0] == "XYZ"
    assert layers.controller_at(*RAQQA, date(2019, 6, 1))[0] == "SDF"
    assert layers.controller_at(*PALMYRA, day)[0] == "GOV"  # built-in towns still count
    assert Layers.default().controller_at(*RAQQA, day)[0] == "SDF"  # the default is untouched


def test_user_file_replaces_the_built_in_layers(tmp_path: Path) -> None:
    layers = Layers.default().with_user_file(user_file(tmp_path, USER_FEATURES), mode="replace")
    day = date(2020, 6, 1)
    assert zone_ids(layers.zones_at(day)) == {"my_zone"}
    control = layers.control_at(day)
    # the user's area, and the rest of the country unknown: no built-in place decides anything
    assert set(control["controller"]) == {"XYZ", "UNKNOWN"} and set(control["kind"]) == {"area"}
    assert layers.controller_at(*PALMYRA, day) == (None, layers.controller_at(*PALMYRA, day)[1])
    assert "unknown" in layers.controller_at(*PALMYRA, day)[1]
    assert layers.controller_at(*RAQQA, day)[0] == "XYZ"


def test_user_points_join_the_places_of_their_sub_district(tmp_path: Path) -> None:
    point = {"type": "Feature", "properties": {"controller": "ABC", "name_en": "Town X"},
             "geometry": {"type": "Point", "coordinates": [DESERT[1], DESERT[0]]}}
    layers = Layers.default().with_user_file(user_file(tmp_path, [point]))
    code, basis = layers.controller_at(DESERT[0] + 0.05, DESERT[1], date(2019, 1, 1))
    assert code == "ABC" and "Town X" in basis and "split" in basis
    # without it the point is desert 120 km from Palmyra, beyond the reach of the unit's places
    code, basis = Layers.default().controller_at(DESERT[0] + 0.05, DESERT[1], date(2019, 1, 1))
    assert code is None and "beyond the reach" in basis and "Palmyra" in basis


@pytest.mark.parametrize("features, message", [
    ([{"type": "Feature", "properties": {"name": "x"},
       "geometry": {"type": "Point", "coordinates": [38, 35]}}], "exactly one of"),
    ([box_feature({"zone": "z", "valid_from": "01/02/2020"}, 38, 35)], "ISO date"),
    ([box_feature({"zone": "z", "valid_from": "2020-02-01", "valid_to": "2020-01-01"}, 38, 35)],
     "after valid_from"),
    ([{"type": "Feature", "properties": {"zone": "z"},
       "geometry": {"type": "Point", "coordinates": [38, 35]}}], "Polygon"),
    ([], "no features"),
])
def test_malformed_user_files_are_refused_with_a_reason(tmp_path: Path, features: list[dict],
                                                        message: str) -> None:
    with pytest.raises(LayerError, match=message):
        Layers.default().with_user_file(user_file(tmp_path, features))


def test_user_file_mode_must_be_add_or_replace(tmp_path: Path) -> None:
    with pytest.raises(LayerError, match="mode"):
        Layers.default().with_user_file(user_file(tmp_path, USER_FEATURES), mode="merge")


# ---- annotate ------------------------------------------------------------------------------
def test_annotate_adds_zone_ids_and_controller_per_row(layers: Layers) -> None:
    df = pd.DataFrame({
        "place": ["Douma", "Douma", "Damascus", "Raqqa", "undated", "no coords", "Beirut"],
        "lat": [DOUMA[0], DOUMA[0], DAMASCUS[0], RAQQA[0], RAQQA[0], None, BEIRUT[0]],
        "lon": [DOUMA[1], DOUMA[1], DAMASCUS[1], RAQQA[1], RAQQA[1], None, BEIRUT[1]],
        "date": [date(2017, 7, 25), "2018-05-01", date(2017, 7, 25), pd.Timestamp("2017-11-01"),
                 None, date(2017, 7, 25), date(2017, 7, 25)],
    }, index=[10, 11, 12, 13, 14, 15, 16])
    out = layers.annotate(df)
    assert list(out["zone_ids"]) == [["eastern_ghouta"], [], [], [], [], [], []]
    assert list(out["controller"]) == ["OPP", "GOV", "GOV", "SDF", None, None, None]
    assert list(out.index) == list(df.index) and "zone_ids" not in df.columns
    assert out["place"].equals(df["place"])


def test_annotate_agrees_with_the_point_functions(layers: Layers) -> None:
    days = pd.date_range("2014-01-01", "2024-12-31", periods=40)
    df = pd.DataFrame({"lat": [33.0 + 0.1 * i for i in range(40)],
                       "lon": [36.2 + 0.12 * i for i in range(40)], "date": days})
    out = layers.annotate(df)
    for row in out.itertuples():
        assert row.controller == layers.controller_at(row.lat, row.lon, row.date)[0]
        assert row.zone_ids == layers.zone_ids_at(row.lat, row.lon, row.date)


def test_annotate_needs_lat_lon_date(layers: Layers) -> None:
    with pytest.raises(LayerError, match="date"):
        layers.annotate(pd.DataFrame({"lat": [1.0], "lon": [2.0]}))


# ---- the data files ------------------------------------------------------------------------
CSV_FILES = ["zones.csv", "zone_events.csv", "zone_units.csv", "zone_lines.csv",
             "control_periods.csv", "actors.csv"]


def test_every_built_in_row_names_its_source() -> None:
    assert {p.name for p in CONFLICT.glob("*.csv")} >= set(CSV_FILES)
    for path in sorted(CONFLICT.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        assert rows, path.name
        assert "source" in rows[0], f"{path.name} has no source column"
        unsourced = [i + 2 for i, r in enumerate(rows) if len((r["source"] or "").strip()) < 10]
        assert not unsourced, f"{path.name}: rows without a source at lines {unsourced}"


def test_control_periods_do_not_overlap_or_leave_gaps() -> None:
    periods = pd.read_csv(CONFLICT / "control_periods.csv", dtype=str, keep_default_na=False)
    for place, rows in periods.groupby("place_id"):
        rows = rows.sort_values("valid_from")
        assert list(rows["valid_to"])[:-1] == list(rows["valid_from"])[1:], place


def test_zone_events_fall_inside_their_zones_lives() -> None:
    zones = pd.read_csv(CONFLICT / "zones.csv", dtype=str, keep_default_na=False).set_index("zone_id")
    events = pd.read_csv(CONFLICT / "zone_events.csv", dtype=str, keep_default_na=False)
    for ev in events[events["zone_id"] != "all"].itertuples():
        z = zones.loc[ev.zone_id]
        assert z["declared"] <= ev.date <= z["valid_to"], (ev.zone_id, ev.date)
    for zone_id, z in zones.iterrows():
        assert z["declared"] <= z["valid_from"] < z["valid_to"], zone_id


def test_town_coordinates_lie_in_their_governorate() -> None:
    from geo import boundaries

    govs = boundaries.governorates().set_index("admin1").geometry
    periods = pd.read_csv(CONFLICT / "control_periods.csv", dtype={"lat": float, "lon": float})
    for t in periods.drop_duplicates("place_id").itertuples():
        point = shapely.Point(t.lon, t.lat)
        distances = shapely.distance(govs.values, point)
        assert govs.index[distances.argmin()] == t.admin1, t.place_id
        assert distances.min() < 0.01, t.place_id  # border towns may sit on the line


def test_zone_units_match_the_ocha_reference_codes_and_names(shared: Path) -> None:
    ref = json.loads((shared / "data" / "geo" / "syr_adm3_ocha_simplified.geojson").read_text(encoding="utf-8"))
    by_code = {f["properties"]["p"]: f["properties"] for f in ref["features"]}
    units = pd.read_csv(CONFLICT / "zone_units.csv", dtype=str, keep_default_na=False)
    for u in units[units["admin_level"] == "3"].itertuples():
        ocha = by_code[u.admin3_pcode]
        assert (ocha["nEn"], ocha["nAr"], ocha["adm1_pcode"]) == (u.name_en, u.name_ar, u.admin1_pcode)


def test_drawn_zones_match_the_reference_outlines(layers: Layers, shared: Path) -> None:
    ref = gpd.read_file(shared / "data" / "conflict" / "deescalation_zones_approx.geojson")
    ref_id = "zone_id" if "zone_id" in ref.columns else ref.columns[0]
    ours = layers.zones.set_index("zone_id").geometry
    for _, r in ref.iterrows():
        mine = ours[r[ref_id]]
        iou = mine.intersection(r.geometry).area / mine.union(r.geometry).area
        assert iou > 0.85, (r[ref_id], iou)


def test_control_periods_agree_with_the_compiled_reference(shared: Path) -> None:
    ref = pd.read_csv(shared / "data" / "conflict" / "control_periods_key_towns.csv", dtype=str,
                      keep_default_na=False)
    ours = pd.read_csv(CONFLICT / "control_periods.csv", dtype=str, keep_default_na=False)
    cols = ["place_id", "controller", "valid_from", "valid_to"]
    # the table extends the reference (more places, earlier periods of the same places): every
    # reference period must still be there unchanged
    missing = set(map(tuple, ref[cols].values)) - set(map(tuple, ours[cols].values))
    assert not missing, sorted(missing)
    ref_xy = ref.drop_duplicates("place_id").set_index("place_id")[["lat", "lon"]].astype(float)
    for t in ours[ours["place_id"].isin(ref_xy.index)].drop_duplicates("place_id").itertuples():
        dlat = (float(t.lat) - ref_xy.loc[t.place_id, "lat"]) * 111
        dlon = (float(t.lon) - ref_xy.loc[t.place_id, "lon"]) * 111 * math.cos(math.radians(float(t.lat)))
        assert math.hypot(dlat, dlon) < 3, t.place_id


# ---- the command line ----------------------------------------------------------------------
def test_cli_date_prints_zones_and_control_as_geojson() -> None:
    done = run_cli("--date", "2017-07-25")
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["type"] == "FeatureCollection"
    zones = {f["properties"]["zone_id"] for f in doc["features"] if f["properties"]["layer"] == "zone"}
    assert zones == {"idlib", "north_homs", "eastern_ghouta", "south"}
    controls = [f["properties"] for f in doc["features"] if f["properties"]["layer"] == "control"]
    assert any(p["controller"] == "ISIS" and p["basis"] == "Raqqa" for p in controls)


def test_cli_boundaries_prints_the_governorates() -> None:
    doc = json.loads(run_cli("--boundaries").stdout)
    props = [f["properties"] for f in doc["features"]]
    assert len(props) == 14
    assert {"admin1", "admin1_pcode", "name_ar", "name_en"} <= set(props[0])
    assert {"admin1": "SY-HI", "admin1_pcode": "SY04"}.items() <= next(
        p for p in props if p["admin1"] == "SY-HI").items()


def test_cli_user_file_replace(tmp_path: Path) -> None:
    path = user_file(tmp_path, USER_FEATURES)
    doc = json.loads(run_cli("--date", "2020-06-01", "--user", str(path), "--mode", "replace").stdout)
    assert {f["properties"].get("zone_id") for f in doc["features"]
            if f["properties"]["layer"] == "zone"} == {"my_zone"}


@pytest.mark.parametrize("args,code", [
    (["--date", "2017-13-45"], 1),
    (["--point", "33.57"], 1),
    (["--point", "north,east", "--date", "2017-07-25"], 1),
    (["--point", "95,36", "--date", "2017-07-25"], 1),
    (["--date", "2017-07-25", "--user", "/no/such/file.geojson"], 1),
    ([], 1),
    (["--date", "2017-07-25", "--mode", "merge"], 2),  # malformed command line (argparse)
])
def test_cli_bad_input_exits_with_the_project_codes(args: list[str], code: int, tmp_path: Path) -> None:
    done = run_cli(*args)
    assert done.returncode == code
    assert "error" in done.stderr and "Traceback" not in done.stderr
    assert done.stdout == ""


def test_cli_rejects_a_file_that_is_not_geojson(tmp_path: Path) -> None:
    bad = tmp_path / "bad.geojson"
    bad.write_text("{not json", encoding="utf-8")
    done = run_cli("--date", "2017-07-25", "--user", str(bad))
    assert done.returncode == 1 and "bad.geojson" in done.stderr and "Traceback" not in done.stderr
