"""Dated control facts (tests/data/control_facts.csv, each with its source) read off the layers."""
from __future__ import annotations

import csv
from datetime import date

import pandas as pd
import pytest

from geo.layers import Layers
from snm.settings import REPO

FACTS_CSV = REPO / "tests" / "data" / "control_facts.csv"
with FACTS_CSV.open(encoding="utf-8", newline="") as _f:
    FACTS = list(csv.DictReader(_f))


def test_the_facts_span_every_year_and_every_side() -> None:
    assert len(FACTS) >= 40
    assert {f["date"][:4] for f in FACTS} >= {str(y) for y in range(2012, 2026)}
    assert {f["controller"] for f in FACTS} >= {"GOV", "OPP", "HTS", "ISIS", "SDF", "TR_SNA", "MOC"}
    assert all(len(f["source"]) >= 10 for f in FACTS)


@pytest.mark.parametrize("fact", FACTS, ids=[f"{f['name_en']}@{f['date']}" for f in FACTS])
def test_controller_at_a_dated_fact(layers: Layers, fact: dict[str, str]) -> None:
    # Some facts sit in a sub-district another place holds on the same date (Yarmouk camp and
    # the capital in Damascus, the eastern districts and the rest of Aleppo, al-Fuah and Binnish,
    # Morek and Suran, Nasib and Daraa): the unit is split between its places, and the fact's
    # point lies in its own place's part. None of the 110 facts is expected to read CONTESTED.
    code, basis = layers.controller_at(float(fact["lat"]), float(fact["lon"]), fact["date"])
    assert code == fact["controller"], basis


AUGUST_2015 = [  # issue 12: what a user saw wrongly on 31 Aug 2015
    ("al-Zabadani", "OPP"), ("Darayya", "OPP"), ("Yarmouk camp (Damascus)", "ISIS"), ("A'zaz", "OPP"),
    ("Mare'", "OPP"), ("Tal Rifaat", "OPP"), ("al-Qaryatayn", "ISIS"),
]


@pytest.mark.parametrize("name, expected", AUGUST_2015)
def test_the_places_named_in_the_issue_on_31_august_2015(layers: Layers, name: str, expected: str) -> None:
    fact = next(f for f in FACTS if f["name_en"] == name and f["date"] == "2015-08-31")
    assert fact["controller"] == expected
    code, basis = layers.controller_at(float(fact["lat"]), float(fact["lon"]), date(2015, 8, 31))
    assert code == expected, basis


def test_yarmouk_is_answered_by_splitting_the_damascus_sub_district(layers: Layers) -> None:
    yarmouk = next(f for f in FACTS if f["name_en"].startswith("Yarmouk") and f["date"] == "2015-08-31")
    code, basis = layers.controller_at(float(yarmouk["lat"]), float(yarmouk["lon"]), "2015-08-31")
    assert code == "ISIS" and "Damascus sub-district (SY010000)" in basis and "split" in basis
    assert layers.controller_at(33.5102, 36.29128, "2015-08-31")[0] == "GOV"  # the capital itself


def test_annotate_gives_the_facts_to_towns_but_nothing_to_the_country_and_regions(layers: Layers) -> None:
    towns = pd.DataFrame({"lat": [float(f["lat"]) for f in FACTS], "lon": [float(f["lon"]) for f in FACTS],
                          "date": [f["date"] for f in FACTS], "level": "populated_place"})
    assert list(layers.annotate(towns)["controller"]) == [f["controller"] for f in FACTS]
    # the gazetteer's points for Syria, "Northern Syria" and the Aleppo governorate, in 2015
    wide = pd.DataFrame({"lat": [35.0, 36.40, 36.2], "lon": [38.5, 37.50, 37.16], "date": "2015-08-31",
                         "level": ["country", "region", "governorate"]})
    out = layers.annotate(wide)
    assert list(out["controller"]) == [None, None, None]
    assert list(out["zone_ids"]) == [[], [], []]
    as_towns = layers.annotate(wide.assign(level="populated_place"))  # what the old filter counted
    # (the country's point lies in the desert beyond every place's reach: unknown even as a town)
    assert list(as_towns["controller"]) == [None, "ISIS", "GOV+OPP"]
