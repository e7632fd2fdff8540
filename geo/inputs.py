"""Reading untrusted article input: size, encoding, HTML and script checks with clear messages."""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
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
        for n, raw in enumerate(f, start=1):
            if not raw.strip():
                continue
            if len(raw) > max_bytes:
                yield Record(n, None, None, f"record of {len(raw) / 1e6:.1f} MB is over the limit")
                continue
            try:
                obj = json.loads(decode(raw, f"{path}:{n}"))
            except InputError as e:
                yield Record(n, None, None, str(e))
                continue
            except json.JSONDecodeError as e:
                yield Record(n, None, None, f"not JSON ({e.msg} at column {e.colno})")
                continue
            if not isinstance(obj, dict):
                yield Record(n, None, None, "not a JSON object")
                continue
            rid = obj.get("id")
            text = obj.get("text", obj.get("content"))
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
