"""Article dates in ISO and Arabic forms, with the precision the text really gives.

    parse_date("٢٢ تموز ٢٠١٧")          -> ParsedDate(date(2017, 7, 22), "day")
    parse_date("يوليو/ تموز 2017")       -> ParsedDate(date(2017, 7, 1), "month")
    parse_date("2015-07-21 02:18:08")    -> ParsedDate(date(2015, 7, 21), "day")
    parse_date("")                       -> ParsedDate(None, "unknown")
    parse_date("next week")              -> raises DateError

A month-precision date is the 1st of its month, a year-precision date the 1st of January.
Numeric dates with slashes or dots are read day-first (22/07/2017), as Arabic news writes them.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

PRECISIONS = ("day", "month", "year", "unknown")
MIN_YEAR, MAX_YEAR = 1900, 2100


class DateError(ValueError):
    """A date field that is present but cannot be read as a date."""


class ParsedDate(NamedTuple):
    """A date (or None) and its precision: day, month, year or unknown."""

    date: dt.date | None
    precision: str


UNDATED = ParsedDate(None, "unknown")

# Month names after `_fold` (alef forms folded, no diacritics). Levantine/Iraqi, Egyptian/Gulf,
# Maghrebi, English.
_MONTH_NAMES: dict[str, int] = {}
for _number, _names in {
    1: "كانون الثاني|كانون ثاني|يناير|جانفي|january|jan",
    2: "شباط|فبراير|فيفري|february|feb",
    3: "اذار|مارس|march|mar",
    4: "نيسان|ابريل|افريل|april|apr",
    5: "ايار|مايو|ماي|may",
    6: "حزيران|يونيو|يونيه|جوان|june|jun",
    7: "تموز|يوليو|يوليه|جويلية|جويليه|july|jul",
    8: "اب|اغسطس|غشت|اوت|august|aug",
    9: "ايلول|سبتمبر|شتنبر|september|sept|sep",
    10: "تشرين الاول|تشرين اول|اكتوبر|october|oct",
    11: "تشرين الثاني|تشرين ثاني|نوفمبر|نونبر|november|nov",
    12: "كانون الاول|كانون اول|ديسمبر|دجنبر|december|dec",
}.items():
    for _name in _names.split("|"):
        _MONTH_NAMES[_name] = _number

_MONTH = "|".join(sorted((re.escape(n) for n in _MONTH_NAMES), key=len, reverse=True))
# "يوليو/ تموز", "يوليو (تموز)", "تموز - يوليو": two names for one month.
_MONTHS = rf"(?P<m1>{_MONTH})(?:\s*[/\-(]\s*(?P<m2>{_MONTH})\s*\)?)?"
_WEEKDAY = r"(?:يوم\s+)?(?:ال)?(?:احد|اثنين|ثلاثاء|اربعاء|خميس|جمعه|جمعة|سبت)"
_EN_WEEKDAY = r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?"
_PREFIX = rf"(?:(?:{_WEEKDAY}|{_EN_WEEKDAY})\s*,?\s*)?"
_TIME = r"(?:[ t]?\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:ص|م|am|pm)?\s*(?:z|utc|gmt|[+-]\d{2}:?\d{2})?)"
_ERA = r"(?:\s*م\b\.?)?"  # "2017م": the Gregorian era mark
_YEAR = r"(?P<y>\d{4})"

_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"{_YEAR}-(?P<m>\d{{1,2}})-(?P<d>\d{{1,2}})(?:\s*,?\s*{_TIME})?"), "day"),
    (re.compile(rf"{_YEAR}/(?P<m>\d{{1,2}})/(?P<d>\d{{1,2}})(?:\s*,?\s*{_TIME})?"), "day"),
    (re.compile(rf"{_PREFIX}(?P<d>\d{{1,2}})[/.\-](?P<m>\d{{1,2}})[/.\-]{_YEAR}{_ERA}(?:\s*,?\s*-?\s*{_TIME})?"), "day"),
    (re.compile(rf"{_YEAR}-(?P<m>\d{{1,2}})"), "month"),
    (re.compile(rf"{_PREFIX}(?P<d>\d{{1,2}})\s*(?:من\s+)?(?:شهر\s+)?{_MONTHS}\s*,?\s*(?:عام\s+|سنة\s+)?{_YEAR}{_ERA}(?:\s*,?\s*-?\s*{_TIME})?"), "day"),
    (re.compile(rf"{_PREFIX}{_MONTHS}\s+(?P<d>\d{{1,2}})\s*,?\s*{_YEAR}(?:\s*,?\s*{_TIME})?"), "day"),
    (re.compile(rf"(?:شهر\s+)?{_MONTHS}\s*,?\s*(?:عام\s+|سنة\s+)?{_YEAR}{_ERA}"), "month"),
    (re.compile(rf"(?:عام\s+|سنة\s+)?{_YEAR}{_ERA}"), "year"),
]

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_DIACRITICS = re.compile("[\u064b-\u0652\u0670\u0640]")  # harakat, dagger alef, tatweel


def _fold(text: str) -> str:
    """Lower-case, ASCII digits, one alef, no diacritics, single spaces."""
    text = _DIACRITICS.sub("", text.translate(_DIGITS)).lower()
    text = re.sub("[أإآٱ]", "ا", text).replace("ى", "ي").replace("،", ",")
    text = re.sub(r"^\s*(?:بتاريخ|تاريخ النشر|نشر في|published)\s*:?\s*", "", text.strip())
    # "... الموافق 28 شوال 1438 هـ": the Hijri equivalent after the Gregorian date.
    text = re.split(r"\s*[,\-]?\s*الموافق", text)[0]
    return re.sub(r"\s+", " ", text).strip(" ,")


def _month_of(match: re.Match[str]) -> int:
    """The month number a match names (by digits or by one or two month names)."""
    groups = match.groupdict()
    if groups.get("m") is not None:
        return int(groups["m"])
    first = _MONTH_NAMES[groups["m1"]]
    if groups.get("m2") and _MONTH_NAMES[groups["m2"]] != first:
        raise DateError(f"two different months named: {groups['m1']!r} and {groups['m2']!r}")
    return first


def parse_date(value: object) -> ParsedDate:
    """Read a date field; empty means undated, unreadable raises DateError."""
    if value is None:
        return UNDATED
    if isinstance(value, dt.datetime):
        return ParsedDate(value.date(), "day")
    if isinstance(value, dt.date):
        return ParsedDate(value, "day")
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise DateError(f"not a date: {value!r}")
    raw = str(value)
    text = _fold(raw)
    if not text:
        return UNDATED
    for pattern, precision in _PATTERNS:
        match = pattern.fullmatch(text)
        if match is None:
            continue
        year = int(match["y"])
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise DateError(f"year {year} out of range {MIN_YEAR}-{MAX_YEAR}: {raw!r}")
        month = 1 if precision == "year" else _month_of(match)
        day = int(match["d"]) if precision == "day" else 1
        try:
            return ParsedDate(dt.date(year, month, day), precision)
        except ValueError as err:
            raise DateError(f"impossible date {raw!r}: {err}") from None
    raise DateError(f"unreadable date: {raw!r}")
