"""Governorate codes: ISO 3166-2, OCHA P-codes and GeoNames admin1, from one table."""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache

from snm.settings import ADMIN1_CSV


@dataclass(frozen=True)
class Admin1:
    """A governorate and its codes."""

    admin1: str
    admin1_pcode: str
    geonames_admin1: str
    name_en: str
    name_ar: str
    aliases_ar: tuple[str, ...]
    lat: float
    lon: float


@cache
def governorates() -> tuple[Admin1, ...]:
    """The 14 governorates of Syria."""
    with ADMIN1_CSV.open(encoding="utf-8") as f:
        return tuple(
            Admin1(r["admin1"], r["admin1_pcode"], r["geonames_admin1"], r["name_en"],
                   r["name_ar"], tuple(a for a in r["aliases_ar"].split("|") if a),
                   float(r["lat"]), float(r["lon"]))
            for r in csv.DictReader(f))


@cache
def by_iso() -> dict[str, Admin1]:
    """Governorates keyed by ISO 3166-2 code (SY-HI)."""
    return {g.admin1: g for g in governorates()}


@cache
def by_pcode() -> dict[str, Admin1]:
    """Governorates keyed by OCHA P-code (SY04)."""
    return {g.admin1_pcode: g for g in governorates()}


@cache
def by_geonames() -> dict[str, Admin1]:
    """Governorates keyed by GeoNames admin1 code ('11' is Homs, not OCHA's SY11)."""
    return {g.geonames_admin1: g for g in governorates()}
