"""The national gazetteer rows committed in data/gazetteer, as Place records.

- ``admin_units.csv`` and ``communities.csv``: generated from OCHA COD-AB / COD-PP (and
  OpenSyria aliases) by ``tools/build_gazetteer_data.py``; the place id is the OCHA P-code.
- ``neighbourhoods.csv``: Aleppo's OCHA neighbourhoods (N-codes) and hand-written rows.
- ``features.csv``: rivers, mountains, airbases, oil fields, crossings … written by hand.
- ``aliases.csv``: other names (Kurdish, former, colloquial, spellings) of those places.

Nothing here reads ../shared: the CSVs are the product's data. Rows without a point keep
``lat``/``lon`` None (a river, a region without a centre): they are not drawn.
"""
from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

from geo import codes
from geo.records import Place

ROWS = Path(__file__).resolve().parents[2] / "data" / "gazetteer"
ADMIN_LEVELS = ("governorate", "district", "subdistrict")
REGION_KINDS = ("region", "plain", "valley")  # areas: level "region"; other kinds: "feature"


def read_rows(name: str) -> list[dict[str, str]]:
    """Rows of one CSV of data/gazetteer."""
    with (ROWS / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _float(value: str | None) -> float | None:
    value = (value or "").strip()
    return float(value) if value else None


def _aliases(value: str | None) -> tuple[str, ...]:
    return tuple(a.strip() for a in (value or "").split("|") if a.strip())


def _or_none(value: str | None) -> str | None:
    return (value or "").strip() or None


def _place(r: dict[str, str], place_id: str, level: str, kind: str = "",
           country: str = "SY") -> Place:
    admin = codes.by_pcode().get((r.get("admin1_pcode") or "").strip())
    return Place(
        place_id=place_id, name_ar=r["name_ar"].strip(), name_en=(r.get("name_en") or "").strip(),
        level=level, country=country, lat=_float(r.get("lat")), lon=_float(r.get("lon")),
        admin1=admin.admin1 if admin else None, admin1_pcode=_or_none(r.get("admin1_pcode")),
        admin2_pcode=_or_none(r.get("admin2_pcode")),
        admin3_pcode=_or_none(r.get("admin3_pcode")), population=0,
        aliases_ar=_aliases(r.get("aliases_ar")), source=r["source"].strip(), kind=kind)


def admin_units() -> list[Place]:
    """The 14 governorates, 62 districts and 272 sub-districts (OCHA P-codes)."""
    return [_place(r, r["pcode"], r["level"]) for r in read_rows("admin_units.csv")]


def communities() -> list[Place]:
    """The 7,593 OCHA communities (populated places of type C)."""
    return [_place(r, r["pcode"], "populated_place") for r in read_rows("communities.csv")]


def neighbourhoods() -> list[Place]:
    """City neighbourhoods and camps inside cities (kind neighbourhood or camp)."""
    return [_place(r, r["place_id"], "neighbourhood", r["kind"])
            for r in read_rows("neighbourhoods.csv")]


def features() -> list[Place]:
    """Named features (rivers, mountains, airbases, fields, dams, crossings, camps …), Syrian
    and, for border crossings, the foreign side (its country in ``country``)."""
    out = []
    for r in read_rows("features.csv"):
        kind = r["kind"].strip()
        level = "region" if kind in REGION_KINDS else "feature"
        out.append(_place(r, r["place_id"], level, kind, (r.get("country") or "SY").strip()))
    return out


def aliases() -> dict[str, tuple[str, ...]]:
    """Place id (OCHA P-code or place_id) -> its other Arabic names from aliases.csv."""
    out: dict[str, list[str]] = defaultdict(list)
    for r in read_rows("aliases.csv"):
        alias = r["alias_ar"].strip()
        if alias and alias not in out[r["target"]]:
            out[r["target"]].append(alias)
    return {k: tuple(v) for k, v in sorted(out.items())}
