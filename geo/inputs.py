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
from typing import Any, BinaryIO

from nlp.dates import DateError, parse_date
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

_SURROGATE = re.compile("[\ud800-\udfff]")
SNIFF_BYTES = 4096  # bytes looked at to recognise UTF-16 / UTF-32


def utf16_guess(head: bytes) -> str | None:
    """'UTF-32', 'UTF-16', 'UTF-16LE' or 'UTF-16BE' when the first bytes look like it, else None.

    Arabic in UTF-16 has no zero bytes (U+06xx), so the test is the share of 0x00 and 0x06 bytes
    at odd (little-endian) or even (big-endian) offsets; UTF-8 and Windows-1256 text have none.
    """
    if head.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "UTF-32"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16"
    sample = head[:SNIFF_BYTES]
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    high = sum(b in (0, 6) for b in sample[1:2 * pairs:2]) / pairs
    low = sum(b in (0, 6) for b in sample[0:2 * pairs:2]) / pairs
    if high >= 0.6 and low < 0.3:
        return "UTF-16LE"
    if low >= 0.6 and high < 0.3:
        return "UTF-16BE"
    return None


def _encoding_hint(data: bytes) -> str:
    """What the bytes probably are, to say in the error."""
    guess = utf16_guess(data[:SNIFF_BYTES])
    if guess is not None:
        return f"it looks like {guess}; convert it, e.g. iconv -f {guess} -t UTF-8"
    return "convert it, e.g. iconv -f WINDOWS-1256 -t UTF-8"


def decode(data: bytes, name: str) -> str:
    """UTF-8 text of a file's bytes (a BOM is allowed), or an InputError naming the bad byte."""
    guess = utf16_guess(data[:SNIFF_BYTES])
    if guess is not None:
        raise InputError(f"{name}: not UTF-8 text; {_encoding_hint(data)}")
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
    bad = _SURROGATE.search(text)
    if bad is not None:
        raise InputError(f"{name}: holds an unpaired surrogate (\\u{ord(bad.group()):04x}), "
                         "not Unicode text")
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

CHUNK = 1 << 20  # bytes read at a time: no line, record or file is held whole before its size is known
PREFIX = 2000  # bytes of an oversized record kept in its rejection
SIDECAR_LIMIT = 1 << 20  # a NAME.json sidecar holds metadata only
DATE_COLUMNS = ("date", "published", "date_extracted")
# Columns whose value never spans lines: a CSV record where one does has an unclosed quote.
ONE_LINE_COLUMNS = ("id", *DATE_COLUMNS, "url", "source")
_ID_LIKE = re.compile(r"(?=[^\d]*\d)[A-Za-z0-9_.:/#-]{1,64}")


def human_size(n: int) -> str:
    """A byte count for people: 12.3 MB, 45.6 kB or 789 bytes."""
    if n >= 1_000_000:
        return f"{n / 1e6:.1f} MB"
    return f"{n / 1e3:.1f} kB" if n >= 1000 else f"{n} bytes"


@dataclass(frozen=True)
class _Line:
    """One physical line: its number, its bytes with the line end (a prefix when over the limit)
    and its full size in bytes."""

    number: int
    data: bytes
    size: int


def _grow(pending: bytearray, size: int, piece: bytes, max_bytes: int) -> int:
    """Append piece to a line being read, keeping only a prefix once it is over the limit."""
    size += len(piece)
    if size <= max_bytes:
        pending += piece
    elif len(pending) > PREFIX:
        del pending[PREFIX:]
    else:
        pending += piece[:PREFIX - len(pending)]
    return size


def _lines(stream: BinaryIO, max_bytes: int, cr: bool = False, head: bytes = b"") -> Iterator[_Line]:
    """The lines of a byte stream, read CHUNK bytes at a time (head first): memory stays bounded
    however long a line is. With cr, a lone carriage return also ends a line (CSV)."""
    ends = re.compile(rb"\r\n|\r|\n" if cr else rb"\n")
    number, size, pending = 0, 0, bytearray()
    chunk = head or stream.read(CHUNK)
    while chunk:
        while cr and chunk.endswith(b"\r"):  # keep \r\n together across two reads
            more = stream.read(1)
            if not more:
                break
            chunk += more
        pos = 0
        for match in ends.finditer(chunk):
            size = _grow(pending, size, chunk[pos:match.end()], max_bytes)
            number += 1
            yield _Line(number, bytes(pending), size)
            pending.clear()
            size, pos = 0, match.end()
        size = _grow(pending, size, chunk[pos:], max_bytes)
        chunk = stream.read(CHUNK)
    if size:
        yield _Line(number + 1, bytes(pending), size)


def _file_encoding_problem(head: bytes, file: str) -> InputProblem | None:
    """One problem for a whole file that is UTF-16 or UTF-32 (every line of it would fail)."""
    if utf16_guess(head[:SNIFF_BYTES]) is None:
        return None
    return InputProblem(file, 0, "not_utf8", f"the whole file is not UTF-8: {_encoding_hint(head)}")


def json_lines(stream: BinaryIO, file: str = "", max_bytes: int = MAX_ARTICLE_BYTES) -> Iterator[Item]:
    """The non-blank lines of a JSON Lines byte stream, each a record or a problem."""
    head = stream.read(CHUNK)
    problem = _file_encoding_problem(head, file)
    if problem is not None:
        yield problem
        return
    for line in _lines(stream, max_bytes, head=head):
        n, data = line.number, line.data
        if line.size > max_bytes:
            yield InputProblem(file, n, "too_large",
                               f"a record of {human_size(line.size)} (limit {human_size(max_bytes)})",
                               data.decode("utf-8", "replace"))
            continue
        try:
            text = data.decode("utf-8-sig" if n == 1 else "utf-8")
        except UnicodeDecodeError as e:
            yield InputProblem(file, n, "not_utf8", f"byte 0x{data[e.start]:02x} at offset {e.start}",
                               data.decode("utf-8", "backslashreplace"))
            continue
        if not text.strip(" \t\r\n"):  # JSON's own white space; anything else is a bad line
            continue
        try:
            value = json.loads(text)
        except json.JSONDecodeError as e:
            yield InputProblem(file, n, "not_json", f"{e.msg} at column {e.colno}", text)
            continue
        except RecursionError:
            yield InputProblem(file, n, "not_json", "nested too deeply", text)
            continue
        except ValueError as e:  # e.g. an integer of more than 4300 digits
            yield InputProblem(file, n, "not_json", str(e), text)
            continue
        if not isinstance(value, dict):
            yield InputProblem(file, n, "not_object", f"a JSON {type(value).__name__}", text)
            continue
        yield InputRecord(file, n, value, text)


class _Window:
    """Lines read ahead of the CSV parser, decoded, so a rejected record can be re-read from
    its second line."""

    def __init__(self, lines: Iterator[_Line]) -> None:
        """Nothing read yet."""
        self._lines = lines
        self._buf: list[tuple[_Line, str]] = []

    def get(self, i: int) -> tuple[_Line, str] | None:
        """The i-th line from the current one (with its text), or None past the end."""
        while len(self._buf) <= i:
            line = next(self._lines, None)
            if line is None:
                return None
            text = line.data.decode("utf-8", "surrogateescape")
            self._buf.append((line, text[1:] if line.number == 1 and text[:1] == "\ufeff" else text))
        return self._buf[i]

    def drop(self, n: int) -> None:
        """Move on by n lines."""
        del self._buf[:max(n, 1)]


class _RunsIntoRow(Exception):
    """A quoted field would swallow a later line that reads as a row of its own."""

    def __init__(self, index: int) -> None:
        """index: that line, counted from the record's first line."""
        super().__init__(index)
        self.index = index


class _Oversize(Exception):
    """A record grows over the size limit."""


def _id_shape(value: str) -> str:
    """The shape of an id: letters as 'a', digits as '9' (r56 and r7 are alike, 2017 is not)."""
    return re.sub(r"[0-9]+", "9", re.sub(r"[A-Za-z]+", "a", value.strip()))


class _Ids:
    """The shapes of the ids of the rows read so far (many shapes: ids too varied to learn)."""

    def __init__(self) -> None:
        """None seen yet."""
        self.shapes: set[str] = set()

    def add(self, value: str) -> None:
        """Learn the shape of a good row's id."""
        if value.strip() and len(self.shapes) <= 20:
            self.shapes.add(_id_shape(value))

    def like(self, value: str) -> bool:
        """Whether a value could be an id of this file."""
        if _ID_LIKE.fullmatch(value.strip()) is None:
            return False
        return not self.shapes or len(self.shapes) > 20 or _id_shape(value) in self.shapes


def _is_date(value: str) -> bool:
    """Whether a value reads as a date."""
    try:
        return parse_date(value).date is not None
    except DateError:
        return False


def _row_like(text: str, header: list[str], ids: _Ids) -> bool:
    """Whether a line met inside a quoted field is a row of its own (what a quote left open
    swallows): read alone, it has the header's number of fields, and its own columns hold an id
    shaped like this file's ids or a date, and no prose where the id or the date should be.

    A line with an odd number of quotes is where the open field would close: only the columns
    before that quote would be the row's own (after it come the open record's columns, with its
    own id and date). Read with a quote added at its end, it may also be a row whose last field
    opens over the next lines; then all columns but that last one are its own."""
    if len(header) < 2:
        return False
    closing = text.count('"') % 2 == 1
    candidates = [(text, False)]
    line = text.rstrip("\r\n")
    start = line.rfind(',"')
    if closing and start >= 0 and '"' not in line[start + 2:]:
        candidates.append((line + '"', True))
    for candidate, opens in candidates:
        try:
            rows = list(csv.reader([candidate], strict=True))
        except csv.Error:
            continue
        if len(rows) != 1 or len(rows[0]) != len(header):
            continue
        row = rows[0]
        if opens:
            own = len(row) - 1
        elif closing:
            own = next((k for k, v in enumerate(row) if '"' in v), len(row))
        else:
            own = len(row)
        if any('"' in v for v in row[:own]):
            continue
        fields = dict(zip(header[:own], row[:own]))
        if "id" in fields and not ids.like(fields["id"]):
            continue
        days = [fields[c] for c in DATE_COLUMNS if (fields.get(c) or "").strip()]
        if days and not all(_is_date(d) for d in days):
            continue
        if "id" in fields or days:
            return True
    return False


def csv_records(stream: BinaryIO | bytes, file: str, max_bytes: int = MAX_ARTICLE_BYTES) -> Iterator[Item]:
    """One record per CSV row (the header row gives the field names), read strictly: a row with
    a quote that is not closed (it would run into the rows after it), a stray quote, the wrong
    number of fields or too many bytes is rejected with its line, and the rows after it are read."""
    if isinstance(stream, (bytes, bytearray)):
        stream = io.BytesIO(stream)
    head = stream.read(CHUNK)
    problem = _file_encoding_problem(head, file)
    if problem is not None:
        yield problem
        return
    csv.field_size_limit(max(csv.field_size_limit(), max_bytes + 1))
    window = _Window(_lines(stream, max_bytes, cr=True, head=head))
    header: list[str] | None = None
    ids = _Ids()
    while (current := window.get(0)) is not None:
        first = current[0]
        if first.size > max_bytes:
            yield InputProblem(file, first.number, "too_large",
                               f"a line of {human_size(first.size)} (limit {human_size(max_bytes)})"
                               + ("; the file was not read further" if header is None else ""),
                               first.data.decode("utf-8", "replace"))
            if header is None:
                return
            window.drop(1)
            continue
        item, used = _csv_record(window, header, ids, file, max_bytes)
        if isinstance(item, list):
            header = [h.strip() for h in item]
        elif isinstance(item, InputProblem) and header is None:  # no names for the fields
            yield InputProblem(file, item.line, item.reason, f"the header row: {item.detail}; the "
                               "file was not read further", item.raw)
            return
        elif item is not None:
            if isinstance(item, InputRecord):
                ids.add(item.fields.get("id") or "")
            yield item
        window.drop(used)


def _csv_record(window: _Window, header: list[str] | None, ids: _Ids, file: str,
                max_bytes: int) -> tuple[Item | list[str] | None, int]:
    """The record starting at the window's first line (the header row as a list, None for a blank
    line) and how many lines to move on: all it used, or one when its end is in doubt."""
    start = window.get(0)
    assert start is not None
    n = start[0].number
    taken: list[str] = []

    def feed() -> Iterator[str]:
        """The record's lines, as long as the parser asks for more."""
        total = 0
        i = 0
        while (entry := window.get(i)) is not None:
            line, text = entry
            if i and header is not None and _row_like(text, header, ids):
                raise _RunsIntoRow(i)
            total += line.size
            if total > max_bytes:
                raise _Oversize
            taken.append(text)
            yield text
            i += 1

    reader = csv.reader(feed(), strict=True)
    try:
        row = next(reader, None)
    except _RunsIntoRow as stop:
        lines = f"line {n}" if stop.index == 1 else f"lines {n}-{n + stop.index - 1}"
        return InputProblem(file, n, "bad_csv", f"{lines}: the quote opened on line {n} is not closed; "
                            f"it runs into line {n + stop.index}, a row of its own", "".join(taken)), stop.index
    except _Oversize:
        return InputProblem(file, n, "too_large", f"a record over the limit of {human_size(max_bytes)} "
                            "(or a quote that is not closed)", "".join(taken)[:PREFIX]), 1
    except csv.Error as err:
        where = n + max(len(taken) - 1, 0)
        if "end of data" in str(err):
            detail = f"the quote opened on line {n} is never closed"
        elif "expected after" in str(err):
            detail = f'a stray quote on line {where} (a quote inside a quoted field is written "")'
        else:
            detail = f"{err} on line {where}"
        return InputProblem(file, n, "bad_csv", detail, "".join(taken)), 1
    used = len(taken)
    raw = "".join(taken)
    if not row:
        return None, used
    if header is None:
        return row, used
    if any(_has_surrogates(v) for v in row):
        return InputProblem(file, n, "not_utf8", "a field holds bytes that are not UTF-8",
                            raw.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")), used
    if len(row) != len(header):
        if used == 1:
            return InputProblem(file, n, "bad_csv", f"{len(row)} fields where the header has "
                                f"{len(header)}", raw), 1
        # over several lines: a quote was probably not closed; the next line is read as a row
        return InputProblem(file, n, "bad_csv", f"{len(row)} fields where the header has "
                            f"{len(header)}, read over lines {n}-{n + used - 1}: the quote opened on "
                            f"line {n} is probably not closed", raw), 1
    fields = dict(zip(header, row))
    if used > 1:
        spanning = [c for c in ONE_LINE_COLUMNS if "\n" in fields.get(c, "") or "\r" in fields.get(c, "")]
        if spanning:
            return InputProblem(file, n, "bad_csv", f"the {spanning[0]} field runs over lines {n}-"
                                f"{n + used - 1}: a quote is not closed", raw), 1
    return InputRecord(file, n, fields, raw), used


def _has_surrogates(value: str) -> bool:
    """True when surrogateescape decoding met a byte that is not UTF-8."""
    return any("\udc80" <= ch <= "\udcff" for ch in value)


def txt_record(data: bytes, file: str, sidecar: Path | None = None,
               max_bytes: int = MAX_ARTICLE_BYTES) -> Iterator[Item]:
    """A whole .txt file as one record, metadata from its sidecar NAME.json when present."""
    if len(data) > max_bytes:
        yield InputProblem(file, 1, "too_large", f"{human_size(len(data))} (limit {human_size(max_bytes)})")
        return
    try:
        text = decode(data, file)
    except InputError as err:
        yield InputProblem(file, 1, "not_utf8", str(err).split(": ", 1)[-1],
                           data.decode("utf-8", "backslashreplace"))
        return
    fields: dict[str, Any] = {}
    if sidecar is not None:
        if sidecar.stat().st_size > SIDECAR_LIMIT:
            yield InputProblem(file, 1, "bad_sidecar", f"{sidecar.name} is over {human_size(SIDECAR_LIMIT)}",
                               text)
            return
        try:
            fields = json.loads(sidecar.read_bytes().decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError, RecursionError) as err:
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
    """The records of one input file, by its suffix (.txt sized before it is read)."""
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        with open(path, "rb") as fh:
            yield from json_lines(fh, str(path), max_bytes)
    elif suffix == ".csv":
        with open(path, "rb") as fh:
            yield from csv_records(fh, str(path), max_bytes)
    elif suffix == ".txt":
        size = path.stat().st_size
        if size > max_bytes:
            yield InputProblem(str(path), 1, "too_large", f"{human_size(size)} (limit {human_size(max_bytes)})")
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


NOT_JSON_LINES_AFTER = 1000  # leading lines without a JSON object after which --jsonl gives up


def jsonl_articles(path: str | Path, max_bytes: int = MAX_ARTICLE_BYTES
                   ) -> Iterator[tuple[int, Any, str | None, str | None]]:
    """(line, id, text, error) for each record of a JSON Lines file of articles (geoparse CLI).

    A file that is not JSON Lines at all is one InputError, not an error per line: UTF-16, or no
    JSON object in its lines (all of them, or the first NOT_JSON_LINES_AFTER), as a .txt article
    given to --jsonl. Lines that are not JSON before the first record are reported once one comes."""
    path = Path(path)
    if path.is_dir():
        raise InputError(f"{path}: is a folder, not a JSON Lines file")
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    leading: list[tuple[int, str]] = []  # unreadable lines before the first JSON value
    started = False
    with path.open("rb") as fh:
        for item in json_lines(fh, str(path), max_bytes):
            if isinstance(item, InputProblem) and item.line == 0:
                raise InputError(f"{path}: {item.detail}")
            if not started:
                if isinstance(item, InputProblem) and item.reason in ("not_json", "not_utf8"):
                    leading.append((item.line, f"{REASON_TEXT[item.reason]} ({item.detail})"))
                    if len(leading) >= NOT_JSON_LINES_AFTER:
                        raise _not_json_lines(path, leading)
                    continue
                started = True
                for line, error in leading:
                    yield line, None, None, error
            yield _article(path, item)
    if leading and not started:
        raise _not_json_lines(path, leading)


def _not_json_lines(path: Path, leading: list[tuple[int, str]]) -> InputError:
    """The one error for a file given to --jsonl that is not JSON Lines."""
    line, error = leading[0]
    return InputError(f"{path}: not JSON Lines: no JSON object in its first {len(leading)} line(s) "
                      f"(line {line}: {error}); --jsonl reads one JSON object per line; for a text "
                      "article leave it out")


def _article(path: Path, item: Item) -> tuple[int, Any, str | None, str | None]:
    """(line, id, text, error) of one JSON Lines item."""
    if isinstance(item, InputProblem):
        return item.line, None, None, f"{REASON_TEXT[item.reason]} ({item.detail})"
    rid = item.fields.get("id")
    if _SURROGATE.search(json.dumps(rid, ensure_ascii=False)):
        return item.line, None, None, "the id holds an unpaired surrogate, not Unicode text"
    text = record_text(item.fields)
    if not isinstance(text, str):
        return item.line, rid, None, 'no "text" field'
    text, _ = blank_markup(text)
    try:
        check_text(text, f"{path}:{item.line}")
    except InputError as e:
        return item.line, rid, None, str(e)
    return item.line, rid, text, None
