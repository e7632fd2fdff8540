"""The records that flow between modules: places in the gazetteer and mentions in a text."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

LEVELS = ("country", "governorate", "district", "subdistrict", "populated_place", "neighbourhood",
          "feature", "region")
# What a feature or neighbourhood is (Place.kind); empty for administrative units and towns.
KINDS = ("neighbourhood", "camp", "river", "lake", "mountain", "hill", "plain", "valley", "region",
         "airbase", "airport", "oil_field", "gas_field", "dam", "border_crossing", "prison",
         "military_base", "port", "island", "facility", "checkpoint")


@dataclass(frozen=True)
class Place:
    """One gazetteer entry."""

    place_id: str
    name_ar: str
    name_en: str
    level: str
    country: str
    lat: float | None  # None: no trustworthy point (a river, a region without a centre)
    lon: float | None
    admin1: str | None = None
    admin1_pcode: str | None = None
    admin2_pcode: str | None = None
    admin3_pcode: str | None = None
    population: int = 0
    aliases_ar: tuple[str, ...] = field(default_factory=tuple)
    source: str = ""
    kind: str = ""  # one of KINDS for features and neighbourhoods
    prominence: float = 0.0  # 0-1, how well known (geo.prominence); set when the gazetteer is built

    @property
    def in_syria(self) -> bool:
        """True for places inside Syria."""
        return self.country == "SY"


@dataclass(slots=True)  # not frozen: made by the ten thousand, and frozen init is slow
class Mention:
    """A place named in a document, resolved against the gazetteer."""

    text: str
    start: int
    end: int
    place_id: str
    name_ar: str
    name_en: str
    level: str
    country: str
    admin1: str | None
    admin1_pcode: str | None
    admin2_pcode: str | None
    admin3_pcode: str | None
    lat: float | None
    lon: float | None
    confidence: float
    cue: str = ""  # the word or list that decided, as written in the text
    kind: str = ""  # what a feature or neighbourhood is (Place.kind)
    basis: str = ""  # why this place: cue, context, list, coherence or prior, in words
    point: str = "place"  # where lat/lon come from: place | unit (the admin unit's point) | none

    @classmethod
    def of(cls, place: Place, text: str, start: int, end: int, confidence: float,
           cue: str = "", basis: str = "", point: str | None = None) -> Mention:
        """Mention of a place at [start, end) of a document."""
        if point is None:
            point = "place" if place.lat is not None and place.lon is not None else "none"
        return cls(text=text, start=start, end=end, place_id=place.place_id,
                   name_ar=place.name_ar, name_en=place.name_en, level=place.level,
                   country=place.country, admin1=place.admin1, admin1_pcode=place.admin1_pcode,
                   admin2_pcode=place.admin2_pcode, admin3_pcode=place.admin3_pcode,
                   lat=place.lat, lon=place.lon, confidence=round(confidence, 3), cue=cue,
                   kind=place.kind, basis=basis, point=point)

    def to_dict(self) -> dict[str, Any]:
        """Plain dict for JSON and data frames."""
        return asdict(self)
