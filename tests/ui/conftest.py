"""Hand-made frames shared by the ui tests."""
from __future__ import annotations

import datetime as dt

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point, box

XSS = '<script>window.snmXSS=1</script><img src=x onerror="window.snmXSS=2">'


@pytest.fixture()
def places() -> pd.DataFrame:
    """Syrian places (one named with a payload, one at its unit's point, one without
    coordinates), Syria itself and one foreign place."""
    return pd.DataFrame([
        dict(place_id="p-homs", name_ar="حمص", name_en="Homs", level="populated_place",
             admin1="SY-HI", lat=34.73, lon=36.72, country="SY", mentions=12, articles=3,
             point="place"),
        dict(place_id="p-evil", name_ar=XSS, name_en="Evil <b>", level="populated_place",
             admin1="SY-DI", lat=33.51, lon=36.29, country="SY", mentions=3, articles=2,
             point="place"),
        dict(place_id="p-douma", name_ar="دوما", name_en="Douma", level="populated_place",
             admin1="SY-RD", lat=33.57, lon=36.40, country="SY", mentions=1, articles=1,
             point="unit"),
        dict(place_id="p-nowhere", name_ar="وادي", name_en="Wadi", level="feature",
             admin1="SY-HI", lat=None, lon=None, country="SY", mentions=4, articles=1,
             point="none"),
        dict(place_id="SY", name_ar="سوريا", name_en="Syria", level="country", admin1=None,
             lat=35.0, lon=38.5, country="SY", mentions=40, articles=5, point="place"),
        dict(place_id="LB", name_ar="لبنان", name_en="Lebanon", level="country", admin1=None,
             lat=33.8, lon=35.8, country="LB", mentions=2, articles=1, point="place"),
    ])


@pytest.fixture()
def govs() -> gpd.GeoDataFrame:
    """Two governorate boxes."""
    return gpd.GeoDataFrame({"admin1": ["SY-HI", "SY-DI"], "admin1_pcode": ["SY04", "SY01"],
                             "name_ar": ["حمص", "دمشق"], "name_en": ["Homs", "Damascus"]},
                            geometry=[box(36.5, 33.5, 40, 35.2), box(36.2, 33.4, 36.4, 33.6)],
                            crs="EPSG:4326")


@pytest.fixture()
def zones() -> gpd.GeoDataFrame:
    """One approximate zone whose source carries a payload and a URL."""
    return gpd.GeoDataFrame({
        "zone_id": ["north_homs"], "name_en": ["Northern Homs zone"], "name_ar": ["شمال حمص"],
        "status": ["active"], "valid_from": [dt.date(2017, 5, 6)], "valid_to": [None],
        "declared": [dt.date(2017, 5, 4)], "approximate": [True],
        "geometry_note": ["union of sub-districts"], "color": ["#123456"],
        "source": [XSS + " https://tass.com/politics/944911 | Xinhua 22 Jul 2017 "
                   "http://news.xinhuanet.com/x.htm"]},
        geometry=[box(36.6, 34.8, 36.9, 35.0)], crs="EPSG:4326")


@pytest.fixture()
def control() -> gpd.GeoDataFrame:
    """A sub-district area decided by places and sources, a contested one, and a key town."""
    return gpd.GeoDataFrame({
        "kind": ["area", "area", "town"], "controller": ["GOV", "CONTESTED", "OPP"],
        "basis": ["Homs (city): GOV from 2014-05-09", "al-Qaryatayn and Mahin disagree",
                  "al-Rastan"],
        "approximate": [False, True, False],
        "valid_from": [dt.date(2017, 7, 23), dt.date(2017, 7, 1), dt.date(2012, 2, 1)],
        "valid_to": [dt.date(2017, 10, 17), None, None],
        "name_en": ["Homs sub-district", None, "al-Rastan"],
        "name_ar": ["ناحية حمص", None, "الرستن"], "admin3_pcode": ["SY040000", "SY040200", None],
        "source": ["Wikipedia https://en.wikipedia.org/wiki/Homs", "timeline", "timeline"]},
        geometry=[box(36.6, 34.6, 36.8, 34.8), box(37.0, 34.0, 37.4, 34.3),
                  Point(36.72, 34.92)], crs="EPSG:4326")


@pytest.fixture()
def controllers() -> dict:
    """The controller table as the layers read it (CONTESTED and UNKNOWN included)."""
    from geo.layers import load_controllers
    return dict(load_controllers())
