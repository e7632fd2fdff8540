"""Article dates: Arabic and ISO forms, their precision, and unreadable dates refused."""
from datetime import date

import pytest

from nlp.dates import DateError, parse_date

LEVANTINE = ["كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول",
             "تشرين الأول", "تشرين الثاني", "كانون الأول"]
EGYPTIAN_GULF = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر",
                 "أكتوبر", "نوفمبر", "ديسمبر"]


@pytest.mark.parametrize("text", [
    "٢٢ تموز ٢٠١٧",
    "22 يوليو 2017",
    "22 تموز 2017",
    "۲۲ تموز ۲۰۱۷",
    "الأحد، 22 يوليو 2017م",
    "22 يوليو/ تموز 2017",
    "22 يوليو (تموز) 2017",
    "2017-07-22",
    "2017-07-22T09:15:00+03:00",
    "22/07/2017",
    "22 July 2017",
    "22 يوليو 2017 الموافق 28 شوال 1438 هـ",
])
def test_day_dates(text: str) -> None:
    assert parse_date(text) == (date(2017, 7, 22), "day")


def test_crawl_timestamp_of_the_corpus_is_a_day() -> None:
    assert parse_date("2015-07-21 02:18:08") == (date(2015, 7, 21), "day")


@pytest.mark.parametrize("month", range(1, 13))
def test_levantine_and_egyptian_month_names(month: int) -> None:
    expected = (date(2016, month, 1), "month")
    assert parse_date(f"{LEVANTINE[month - 1]} 2016") == expected
    assert parse_date(f"{EGYPTIAN_GULF[month - 1]} ٢٠١٦") == expected
    assert parse_date(f"15 {LEVANTINE[month - 1]} 2016") == (date(2016, month, 15), "day")


@pytest.mark.parametrize("text", ["يوليو/ تموز 2017", "تموز 2017", "2017-07", "شهر يوليو 2017"])
def test_month_precision_is_the_first_of_the_month(text: str) -> None:
    assert parse_date(text) == (date(2017, 7, 1), "month")


def test_year_only() -> None:
    assert parse_date("2017") == (date(2017, 1, 1), "year")
    assert parse_date("عام ٢٠١٧") == (date(2017, 1, 1), "year")


@pytest.mark.parametrize("value", [None, "", "   "])
def test_missing_date_is_undated_not_today(value: object) -> None:
    assert parse_date(value) == (None, "unknown")


@pytest.mark.parametrize("text", [
    "next week",
    "2017-13-01",
    "31 شباط 2017",
    "22 يوليو",          # no year: never guessed
    "1438",              # a Hijri year alone
    "يوليو/ آب 2017",     # two different months
    "hello 2017",
])
def test_unreadable_dates_raise(text: str) -> None:
    with pytest.raises(DateError):
        parse_date(text)
