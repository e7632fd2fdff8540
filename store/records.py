"""From an input record to a stored article, or to a reject that says why not."""
from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from geo.inputs import TEXT_FIELDS, InputRecord, clean_field, clean_text, human_size
from nlp.dates import DateError, parse_date
from snm.settings import MAX_ARTICLE_BYTES

DATE_FIELDS = ("date", "published", "date_extracted")
RAW_LIMIT = 20_000  # characters of a rejected record kept in the store
_SURROGATE = re.compile("[\ud800-\udfff]")  # from JSON escapes: not Unicode text, cannot be stored
_NOT_IN_URL = re.compile(r"[<>\x00-\x1f\x7f]")  # markup or control characters

REASONS = {
    "unreadable": "the file cannot be read",
    "not_utf8": "bytes that are not UTF-8",
    "not_json": "not JSON",
    "not_object": "JSON but not an object",
    "no_text": "no text field",
    "bad_text": "text is not a string",
    "empty_text": "text is empty",
    "bad_date": "date present but unreadable",
    "bad_sidecar": "the sidecar .json is unreadable",
    "bad_csv": "CSV that cannot be parsed",
    "too_large": "over the size limit of one article",
    "bad_url": "the url holds markup or control characters",
    "analysis_failed": "geoparsing the text raised an error",
}


RawRecord = InputRecord  # one input record before validation: file, line, fields, raw text


def storable(text: str) -> str:
    """Text with unpaired surrogates written as \\udXXX escapes (they cannot be stored)."""
    if _SURROGATE.search(text) is None:
        return text
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def utf8_size(text: str) -> int:
    """Bytes of a text in UTF-8 (counted only when the characters alone do not decide)."""
    return len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))


def article_id(text: str) -> str:
    """The article's content id: sha256 of its NFC text, first 16 hex digits."""
    return hashlib.sha256(unicodedata.normalize("NFC", text).encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Reject:
    """An input record that was not stored, where it is and why."""

    file: str
    line: int
    reason: str
    detail: str
    raw: str = ""

    def __post_init__(self) -> None:
        """Keep a bounded copy of the raw record, every field storable text."""
        if self.reason not in REASONS:
            raise ValueError(f"unknown reject reason {self.reason!r}")
        for name in ("file", "detail", "raw"):
            object.__setattr__(self, name, storable(getattr(self, name)))
        object.__setattr__(self, "raw", self.raw[:RAW_LIMIT])

    @property
    def origin(self) -> str:
        """file:line of the record."""
        return f"{self.file}:{self.line}"

    @property
    def reject_id(self) -> str:
        """Stable id of this rejection, so re-ingesting the same input adds no new reject."""
        key = "\0".join((os.path.abspath(self.file), str(self.line), self.reason, self.raw))
        return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:16]

    def row(self) -> dict[str, Any]:
        """The rejects-table row."""
        return {**asdict(self), "origin": self.origin, "reject_id": self.reject_id}

    def __str__(self) -> str:
        """file:line: reason (detail)."""
        return f"{self.origin}: {REASONS[self.reason]} ({self.detail})"


@dataclass(frozen=True)
class Article:
    """An article as stored."""

    article_id: str
    text: str
    title: str | None
    date: date | None
    date_precision: str
    source: str | None
    url: str | None
    external_id: str | None
    origin: str

    def row(self) -> dict[str, Any]:
        """The articles-table row."""
        return asdict(self)


def _first(fields: dict[str, Any], names: tuple[str, ...]) -> tuple[str | None, Any]:
    """The first of `names` present with a non-empty value: (name, value)."""
    for name in names:
        value = fields.get(name)
        if value is not None and not (isinstance(value, str) and not value.strip()):
            return name, value
    return None, None


def to_article(record: RawRecord, max_bytes: int = MAX_ARTICLE_BYTES) -> Article | Reject:
    """Validate and normalise one record; never raises for bad content."""
    fields = record.fields

    def reject(reason: str, detail: str) -> Reject:
        """This record, rejected."""
        return Reject(record.file, record.line, reason, detail, record.raw)

    present = [n for n in TEXT_FIELDS if n in fields]
    if not present:
        return reject("no_text", f"none of the fields {', '.join(TEXT_FIELDS)}")
    _, raw_text = _first(fields, TEXT_FIELDS)
    if raw_text is None:
        return reject("empty_text", f"field {present[0]!r} is empty")
    if not isinstance(raw_text, str):
        return reject("bad_text", f"text is a {type(raw_text).__name__}")
    if 4 * len(raw_text) > max_bytes and (size := utf8_size(raw_text)) > max_bytes:
        return reject("too_large", f"a text of {human_size(size)} (limit {human_size(max_bytes)})")
    for name, value in fields.items():
        if isinstance(value, str) and (bad := _SURROGATE.search(value)) is not None:
            return reject("not_utf8", f"field {name!r} holds an unpaired surrogate "
                                      f"(\\u{ord(bad.group()):04x}), not Unicode text")
    url = fields.get("url")
    if url is not None and not (isinstance(url, str) and not url.strip()):
        if not isinstance(url, str):
            return reject("bad_url", f"url is a {type(url).__name__}, not text")
        if _NOT_IN_URL.search(url):
            return reject("bad_url", f"url {url.strip()[:120]!r} holds markup or control characters; "
                                     "fix or remove it (it is not cut)")
    text = clean_text(raw_text)
    if not text:
        return reject("empty_text", "no text left after removing markup and spaces")
    if not any(ch.isalpha() for ch in text):
        return reject("empty_text", "no letters: only digits, punctuation or control characters")
    date_field, date_value = _first(fields, DATE_FIELDS)
    try:
        parsed = parse_date(date_value)
    except DateError as err:
        return reject("bad_date", f"{date_field}: {err}")
    external = fields.get("id")
    return Article(
        article_id=article_id(text), text=text, title=clean_field(fields.get("title")),
        date=parsed.date, date_precision=parsed.precision,
        source=clean_field(fields.get("source")),
        url=unicodedata.normalize("NFC", url).strip() if isinstance(url, str) and url.strip() else None,
        external_id=None if external is None else str(external),
        origin=f"{record.file}:{record.line}",
    )
