"""Reading untrusted input: bytes to text, markup, records of .jsonl/.csv/.txt files, size limits.

The one place where article files, uploads and pasted text are decoded and stripped. Every reader
yields either an `InputRecord` (the fields of one record) or an `InputProblem` (where and why a
record could not be read), so a caller can keep the good records and report the bad ones.
"""
from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from snm.errors import InputError
from snm.settings import MAX_ARTICLE_BYTES

SUFFIXES = (".jsonl", ".csv", ".txt")
TEXT_FIELDS = ("text", "content")
_ARABIC = re.compile(r"[\u0621-\u064A]")
_LATIN = re.compile(r"[A-Za-z]")
_MARKUP = re.compile(r"<(script|style)\b.*?</\1\s*>|<!--.*?-->|<[A-Za-z!/][^>]*>", re.S | re.I)
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>|<!--.*?-->", re.S)
_BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "article",
          "section", "blockquote", "header", "footer", "ul", "ol", "table", "title"}
_SKIP = {"script", "style", "noscript", "template", "head"}


@dataclass(frozen=True)
class InputRecord:
    """One readable record: its file, line, fields and raw text (for a reject's copy)."""

    file: str
    line: int
    fields: dict[str, Any]
    raw: str


@dataclass(frozen=True)
class InputProblem:
    """A record that could not be read: where, a reason code and a detail for users."""

    file: str
    line: int
    reason: str  # not_utf8 | not_json | not_object | bad_csv | too_large | unreadable | bad_sidecar
    detail: str
    raw: str = ""


Item = InputRecord | InputProblem

REASON_TEXT = {"not_utf8": "not UTF-8 text", "not_json": "not JSON",
               "not_object": "not a JSON object", "bad_csv": "CSV that cannot be parsed",
               "too_large": "over the size limit", "unreadable": "the file cannot be read",
               "bad_sidecar": "the sidecar .json is unreadable"}


# ---- bytes and text ------------------------------------------------------------------------

def _encoding_hint(data: bytes) -> str:
    """What the bytes probably are, to say in the error."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or data[1:2] == b"\x00" or data[:1] == b"\x00":
        return "it looks like UTF-16; convert it, e.g. iconv -f UTF-16 -t UTF-8"
    return "convert it, e.g. iconv -f WINDOWS-1256 -t UTF-8"


def decode(data: bytes, name: str) -> str:
    """UTF-8 text of a file's bytes (a BOM is allowed), or an InputError naming the bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(f"{name}: not UTF-8 text (byte 0x{data[e.start]:02x} at offset "
                         f"{e.start}); {_encoding_hint(data)}") from None


def blank_markup(text: str) -> tuple[str, bool]:
    """Text with HTML tags (and script/style bodies) replaced by spaces, offsets kept."""
    if "<" not in text:
        return text, False
    out, n = _MARKUP.subn(lambda m: " " * len(m.group()), text)
    return out, n > 0


class _TextOnly(HTMLParser):
    """Collects the visible text of an HTML fragment, a newline per block element."""

    def __init__(self) -> None:
        """An empty collector."""
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Enter an element."""
        if tag in _SKIP:
            self.skipping += 1
        elif tag in _BLOCK:
            self.out.append("\n")

    def handle_endtag(self, tag: str) -> None:
        """Leave an element."""
        if tag in _SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK:
            self.out.append("\n")

    def handle_data(self, data: str) -> None:
        """Keep text outside script and style."""
        if not self.skipping:
            self.out.append(data)


def looks_like_html(text: str) -> bool:
    """True when the text carries HTML tags (at least two) rather than plain prose."""
    return len(_TAG.findall(text, 0, 20000)) >= 2


def html_to_text(text: str) -> str:
    """The visible text of an HTML document or fragment."""
    parser = _TextOnly()
    parser.feed(text)
    parser.close()
    return unescape("".join(parser.out))


def clean_text(text: str) -> str:
    """Text as stored and geoparsed: HTML stripped, NFC, LF newlines, trimmed lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if looks_like_html(text):
        text = html_to_text(text)
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"[ \t\u00a0]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def clean_field(value: object) -> str | None:
    """A metadata value as a trimmed NFC string with markup removed, or None when empty."""
    if value is None:
        return None
    text = unicodedata.normalize("NFC", str(value)).strip()
    if "<" in text:
        text = html_to_text(_MARKUP.sub(" ", text) if not looks_like_html(text) else text)
    return " ".join(text.split()) or None


def check_text(text: str, name: str) -> None:
    """Reject text that cannot be an Arabic article: empty, or without Arabic letters."""
    if not text.strip():
        raise InputError(f"{name}: empty text")
    if not _ARABIC.search(text):
        kind = "Latin-only" if _LATIN.search(text) else "non-Arabic"
        raise InputError(f"{name}: {kind} text, no Arabic letters to geoparse")


def check_size(size: int, name: str, max_bytes: int = MAX_ARTICLE_BYTES) -> None:
    """Reject an article larger than the limit, with the figures."""
    if size > max_bytes:
        raise InputError(f"{name}: {size / 1e6:.1f} MB is too large for one article (limit "
                         f"{max_bytes / 1e6:.1f} MB); split it")


def read_article(path: str | Path, max_bytes: int = MAX_ARTICLE_BYTES) -> tuple[str, bool]:
    """One article file as text and whether HTML markup was blanked (offsets kept)."""
    path = Path(path)
    if path.is_dir():
        raise InputError(f"{path}: is a folder, not an article file")
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    check_size(path.stat().st_size, str(path), max_bytes)
    text, had_html = blank_markup(decode(path.read_bytes(), str(path)))
    check_text(text, str(path))
    return text, had_html


def record_text(fields: dict[str, Any]) -> Any:
    """The article text of a record: its first non-empty text field, or None."""
    for name in TEXT_FIELDS:
        value = fields.get(name)
        if value is not None and not (isinstance(value, str) and not value.strip()):
            return value
    return None


# ---- records of files ------------------------------------------------------------------------

def json_lines(stream: Iterable[bytes], file: str = "",
               max_bytes: int = MAX_ARTICLE_BYTES) -> Iterator[Item]:
    """The non-blank lines of a JSON Lines byte stream, each a record or a problem."""
    for n, data in enumerate(stream, start=1):
        if len(data) > max_bytes:
            yield InputProblem(file, n, "too_large",
                               f"a record of {len(data) / 1e6:.1f} MB (limit {max_bytes / 1e6:.1f} MB)",
                               data[:2000].decode("utf-8", "replace"))
            continue
        try:
            text = data.decode("utf-8-sig" if n == 1 else "utf-8")
        except UnicodeDecodeError as e:
            yield InputProblem(file, n, "not_utf8", f"byte 0x{data[e.start]:02x} at offset {e.start}",
                               data.decode("utf-8", "backslashreplace"))
            continue
        if not text.strip():
            continue
        try:
            value = json.loads(text)
        except json.JSONDecodeError as e:
            yield InputProblem(file, n, "not_json", f"{e.msg} at column {e.colno}", text)
            continue
        if not isinstance(value, dict):
            yield InputProblem(file, n, "not_object", f"a JSON {type(value).__name__}", text)
            continue
        yield InputRecord(file, n, value, text)


def csv_records(data: bytes, file: str, max_bytes: int = MAX_ARTICLE_BYTES) -> Iterator[Item]:
    """One record per CSV row (the header row gives the field names); rows start at line 2."""
    text = data.decode("utf-8-sig", "surrogateescape")
    csv.field_size_limit(max(max_bytes, 1 << 20))
    reader = csv.DictReader(io.StringIO(text, newline=""))
    start = 2
    try:
        for row in reader:
            line, start = start, reader.line_num + 1
            raw = ",".join(v for v in row.values() if isinstance(v, str))
            if any(_has_surrogates(v) for v in row.values() if isinstance(v, str)):
                yield InputProblem(file, line, "not_utf8", "a field holds bytes that are not UTF-8",
                                   raw.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace"))
                continue
            fields = {k.strip(): v for k, v in row.items() if isinstance(k, str)}
            yield InputRecord(file, line, fields, raw)
    except csv.Error as err:
        yield InputProblem(file, start, "bad_csv", f"{err}; the rest of the file was not read")


def _has_surrogates(value: str) -> bool:
    """True when surrogateescape decoding met a byte that is not UTF-8."""
    return any("\udc80" <= ch <= "\udcff" for ch in value)


def txt_record(data: bytes, file: str, sidecar: Path | None = None,
               max_bytes: int = MAX_ARTICLE_BYTES) -> Iterator[Item]:
    """A whole .txt file as one record, metadata from its sidecar NAME.json when present."""
    if len(data) > max_bytes:
        yield InputProblem(file, 1, "too_large",
                           f"{len(data) / 1e6:.1f} MB (limit {max_bytes / 1e6:.1f} MB)")
        return
    try:
        text = decode(data, file)
    except InputError as err:
        yield InputProblem(file, 1, "not_utf8", str(err).split(": ", 1)[-1],
                           data.decode("utf-8", "backslashreplace"))
        return
    fields: dict[str, Any] = {}
    if sidecar is not None:
        try:
            fields = json.loads(sidecar.read_bytes().decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as err:
            yield InputProblem(file, 1, "bad_sidecar", f"{sidecar.name}: {err}", text)
            return
        if not isinstance(fields, dict):
            yield InputProblem(file, 1, "bad_sidecar", f"{sidecar.name} is not a JSON object", text)
            return
    fields = {k: v for k, v in fields.items() if k not in TEXT_FIELDS}
    yield InputRecord(file, 1, {**fields, "text": text}, text)


def file_records(path: Path, max_bytes: int = MAX_ARTICLE_BYTES) -> Iterator[Item]:
    """The records of one input file, by its suffix; an unreadable file is one problem."""
    try:
        yield from _file_records(path, max_bytes)
    except OSError as err:
        yield InputProblem(str(path), 0, "unreadable", err.strerror or str(err))


def _file_records(path: Path, max_bytes: int) -> Iterator[Item]:
    """The records of one input file, by its suffix."""
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        with open(path, "rb") as fh:
            yield from json_lines(fh, str(path), max_bytes)
    elif suffix == ".csv":
        yield from csv_records(path.read_bytes(), str(path), max_bytes)
    elif suffix == ".txt":
        if path.stat().st_size > max_bytes:
            yield InputProblem(str(path), 1, "too_large",
                               f"{path.stat().st_size / 1e6:.1f} MB (limit {max_bytes / 1e6:.1f} MB)")
            return
        sidecar = path.with_suffix(".json")
        yield from txt_record(path.read_bytes(), str(path), sidecar if sidecar.is_file() else None,
                              max_bytes)
    else:
        raise InputError(f"{path}: cannot read {suffix or 'files without a suffix'}; "
                         f"give {', '.join(SUFFIXES)} files or folders of them")


def upload_records(name: str, data: bytes, max_bytes: int = MAX_ARTICLE_BYTES) -> Iterator[Item]:
    """The records of an uploaded file's bytes (no sidecar), by the name's suffix."""
    suffix = Path(name).suffix.lower()
    if suffix == ".jsonl":
        yield from json_lines(io.BytesIO(data), name, max_bytes)
    elif suffix == ".csv":
        yield from csv_records(data, name, max_bytes)
    elif suffix == ".txt" or not suffix:
        yield from txt_record(data, name, None, max_bytes)
    else:
        raise InputError(f"{name}: cannot read {suffix}; give {', '.join(SUFFIXES)} files")


def input_files(paths: Iterable[str | Path]) -> tuple[list[Path], list[Path]]:
    """Input files under the given paths (folders walked, sorted) and the files skipped there."""
    paths = list(paths)
    files: list[Path] = []
    skipped: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for entry in sorted(p for p in path.rglob("*") if p.is_file()):
                rel = entry.relative_to(path).parts
                if any(part.startswith(".") for part in rel):
                    continue
                if entry.suffix.lower() in SUFFIXES:
                    files.append(entry)
                elif not (entry.suffix.lower() == ".json" and entry.with_suffix(".txt").is_file()):
                    skipped.append(entry)
        elif path.is_file():
            if path.suffix.lower() not in SUFFIXES:
                raise InputError(f"{path}: cannot read {path.suffix or 'files without a suffix'}; "
                                 f"give {', '.join(SUFFIXES)} files or folders of them")
            files.append(path)
        elif path.exists():
            raise InputError(f"{path} is neither a file nor a folder")
        else:
            raise InputError(f"{path}: no such file or folder")
    if not files:
        raise InputError(f"no {', '.join(SUFFIXES)} files in {', '.join(map(str, paths))}")
    return files, skipped


def count_records(path: Path) -> int:
    """Roughly how many records a file holds (for a progress total)."""
    suffix = path.suffix.lower()
    if suffix == ".txt":
        return 1
    with open(path, "rb") as fh:
        lines = sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b""))
    return max(lines - (suffix == ".csv"), 1)


def jsonl_articles(path: str | Path, max_bytes: int = MAX_ARTICLE_BYTES
                   ) -> Iterator[tuple[int, Any, str | None, str | None]]:
    """(line, id, text, error) for each record of a JSON Lines file of articles (geoparse CLI)."""
    path = Path(path)
    if path.is_dir():
        raise InputError(f"{path}: is a folder, not a JSON Lines file")
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    with path.open("rb") as fh:
        for item in json_lines(fh, str(path), max_bytes):
            if isinstance(item, InputProblem):
                yield item.line, None, None, f"{REASON_TEXT[item.reason]} ({item.detail})"
                continue
            rid = item.fields.get("id")
            text = record_text(item.fields)
            if not isinstance(text, str):
                yield item.line, rid, None, 'no "text" field'
                continue
            text, _ = blank_markup(text)
            try:
                check_text(text, f"{path}:{item.line}")
            except InputError as e:
                yield item.line, rid, None, str(e)
                continue
            yield item.line, rid, text, None

