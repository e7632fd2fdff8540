"""Convert OCHA populated places (as in ../shared/data/geo) to the user gazetteer CSV format.

    python tools/ocha_gazetteer.py OUT.csv [SRC.csv]

Shows the documented --gazetteer import path with a real, richer gazetteer; the output stays
outside the repo (OCHA data is evaluation input here, not shipped)."""
from __future__ import annotations

import csv
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "shared" / "data" / "geo" / "syr_populated_places_ocha.csv"
COLUMNS = ("name_ar", "name_en", "lat", "lon", "admin1_pcode", "admin2_pcode", "admin3_pcode",
           "pcode", "level")


def convert(src: Path, out: Path) -> int:
    """Write the CSV and return its row count."""
    n = 0
    with src.open(encoding="utf-8") as f, out.open("w", encoding="utf-8", newline="") as g:
        w = csv.DictWriter(g, COLUMNS)
        w.writeheader()
        for r in csv.DictReader(f):
            w.writerow({"name_ar": r["place_ar"], "name_en": r["place_en"], "lat": r["lat"],
                        "lon": r["lon"], "admin1_pcode": r["gov_pcode"],
                        "admin2_pcode": r["dist_pcode"], "admin3_pcode": r["subdist_pcode"],
                        "pcode": r["place_pcode"], "level": "populated_place"})
            n += 1
    return n


if __name__ == "__main__":
    src = Path(sys.argv[2]) if len(sys.argv) > 2 else SRC
    print(convert(src, Path(sys.argv[1])), "rows")
