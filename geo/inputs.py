"""Reading untrusted article input: size, encoding, HTML and script checks with clear messages."""
from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from geo.errors import InputError

MAX_ARTICLE_BYTES = 10 * 1024 * 1024
_ARABIC = re.compile(r"[\u0621-\u064A]")
_LATIN = re.compile(r"[A-Za-z]")
_HTML_TAG = re.compile(r"<(script|style)\b.*?</\1\s*>|<!--.*?-->|<[A-Za-z!/][^>]*>", re.S | re.I)


@dataclass(frozen=True)
class Record:
    """One article of a JSON Lines file, or the reason it was rejected."""

    line: int
    id: object
    text: str | None
    error: str | None = None


@dataclass(frozen=True)
class JsonLine:
    """One line of a JSON Lines stream: its object, or why it has none."""

    line: int
    value: dict | None
    raw: str
    reason: str | None = None  # not_utf8 | not_json | not_object
    detail: str = ""


REASON_TEXT = {"not_utf8": "not UTF-8 text", "not_json": "not JSON",
               "not_object": "not a JSON object"}


def json_lines(stream: Iterable[bytes]) -> Iterator[JsonLine]:
    """The non-blank lines of a JSON Lines byte stream, each an object or a reason."""
    for n, data in enumerate(stream, start=1):
        try:
            text = data.decode("utf-8-sig" if n == 1 else "utf-8")
        except UnicodeDecodeError as e:
            yield JsonLine(n, None, data.decode("utf-8", "backslashreplace"), "not_utf8",
                           f"byte 0x{data[e.start]:02x} at offset {e.start}")
            continue
        if not text.strip():
            continue
        try:
            value = json.loads(text)
        except json.JSONDecodeError as e:
            yield JsonLine(n, None, text, "not_json", f"{e.msg} at column {e.colno}")
            continue
        if not isinstance(value, dict):
            yield JsonLine(n, None, text, "not_object", f"a JSON {type(value).__name__}")
            continue
        yield JsonLine(n, value, text)


def decode(data: bytes, name: str) -> str:
    """UTF-8 text of a file's bytes (a BOM is allowed), or an error naming the bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(f"{name}: not UTF-8 text (byte 0x{data[e.start]:02x} at offset "
                         f"{e.start}); convert it, e.g. iconv -f WINDOWS-1256 -t UTF-8") from None


def blank_markup(text: str) -> tuple[str, bool]:
    """Text with HTML tags (and script/style bodies) replaced by spaces, offsets kept."""
    if "<" not in text:
        return text, False
    out, n = _HTML_TAG.subn(lambda m: " " * len(m.group()), text)
    return out, n > 0


def check_text(text: str, name: str) -> None:
    """Reject text that cannot be an Arabic article: empty, or without Arabic letters."""
    if not text.strip():
        raise InputError(f"{name}: empty text")
    if not _ARABIC.search(text):
        kind = "Latin-only" if _LATIN.search(text) else "non-Arabic"
        raise InputError(f"{name}: {kind} text, no Arabic letters to geoparse")


def read_article(path: str | Path, max_bytes: int = MAX_ARTICLE_BYTES) -> tuple[str, bool]:
    """One article file as text and whether HTML markup was blanked."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    size = path.stat().st_size
    if size > max_bytes:
        raise InputError(f"{path}: {size / 1e6:.1f} MB is too large for one article (limit "
                         f"{max_bytes / 1e6:.0f} MB); split it, or pass a collection with --jsonl")
    text, had_html = blank_markup(decode(path.read_bytes(), str(path)))
    check_text(text, str(path))
    return text, had_html


def read_jsonl(path: str | Path, max_bytes: int = MAX_ARTICLE_BYTES) -> Iterator[Record]:
    """Records of a JSON Lines file; a bad line becomes a Record with its error."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    with path.open("rb") as f:
        for item in json_lines(f):
            n = item.line
            if len(item.raw) > max_bytes:
                yield Record(n, None, None, f"record of {len(item.raw) / 1e6:.1f} MB is over the limit")
                continue
            if item.value is None:
                yield Record(n, None, None, f"{REASON_TEXT[item.reason or '']} ({item.detail})")
                continue
            rid = item.value.get("id")
            text = item.value.get("text", item.value.get("content"))
            if not isinstance(text, str):
                yield Record(n, rid, None, "no \"text\" field")
                continue
            text, _ = blank_markup(text)
            try:
                check_text(text, f"{path}:{n}")
            except InputError as e:
                yield Record(n, rid, None, str(e))
                continue
            yield Record(n, rid, text)
