"""A user's gazetteer CSV (--gazetteer): rows that are read, rows refused with their line."""
from __future__ import annotations

from pathlib import Path

import pytest

from geo.gazetteer import load_csv
from snm.errors import GazetteerError

HEADER = "name_ar,name_en,lat,lon,admin1_pcode,population\n"


def write(tmp_path: Path, rows: str) -> Path:
    """A gazetteer CSV with the documented columns."""
    path = tmp_path / "g.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


def test_a_good_row_becomes_a_syrian_place(tmp_path: Path) -> None:
    (place,) = load_csv(write(tmp_path, "تل التجربة,Tal Test,35.3,36.6,SY05,1200\n"))
    assert (place.name_ar, place.admin1, place.population) == ("تل التجربة", "SY-HM", 1200)


@pytest.mark.parametrize("lat, lon", [("36.6", "35.3"), ("0", "0"), ("48.8", "2.3"), ("nan", "36.6")])
def test_a_point_outside_syria_is_refused_with_its_line(tmp_path: Path, lat: str, lon: str) -> None:
    """Swapped or mistyped coordinates would put a Syrian place abroad on the map."""
    path = write(tmp_path, f"تل التجربة,Tal Test,35.3,36.6,SY05,\nقرية خطأ,Wrong,{lat},{lon},SY05,\n")
    with pytest.raises(GazetteerError, match=r"g\.csv:3: lat/lon .* outside Syria"):
        load_csv(path)


@pytest.mark.parametrize("population", ["many", "1e400", "nan", "-5"])
def test_a_population_that_is_not_a_count_is_refused(tmp_path: Path, population: str) -> None:
    with pytest.raises(GazetteerError, match=r"g\.csv:2: population must be a whole number"):
        load_csv(write(tmp_path, f"تل التجربة,Tal Test,35.3,36.6,SY05,{population}\n"))


def test_a_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(GazetteerError, match="a folder, not a gazetteer CSV"):
        load_csv(tmp_path)
