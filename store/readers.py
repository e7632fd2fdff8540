"""Input files to records: .jsonl lines, .csv rows, .txt files with an optional NAME.json sidecar."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator

from geo.inputs import json_lines
from store.parts import StoreError
from store.records import RawRecord, Reject

SUFFIXES = (".jsonl", ".csv", ".txt")
Item = RawRecord | Reject


def _decode(data: bytes, file: str, line: int) -> str | Reject:
    """UTF-8 text (a leading BOM dropped), or a reject naming the first bad byte."""
    try:
        return data.decode("utf-8-sig" if line == 1 else "utf-8")
    except UnicodeDecodeError as err:
        raw = data.decode("utf-8", "backslashreplace")
        return Reject(file, line, "not_utf8", f"byte 0x{data[err.start]:02x} at offset {err.start}", raw)


def read_jsonl(stream: BinaryIO, file: str) -> Iterator[Item]:
    """One record per non-blank line of a JSON Lines stream."""
    for item in json_lines(stream):
        if item.value is None:
            yield Reject(file, item.line, item.reason or "not_json", item.detail, item.raw)
        else:
            yield RawRecord(file, item.line, item.value, item.raw)


def read_csv(stream: BinaryIO, file: str) -> Iterator[Item]:
    """One record per CSV row (header row gives the field names); rows start at line 2."""
    text = stream.read().decode("utf-8-sig", "surrogateescape")
    csv.field_size_limit(2**31 - 1)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    start = 2
    try:
        for row in reader:
            line, start = start, reader.line_num + 1
            raw = ",".join(v for v in row.values() if isinstance(v, str))
            if any(_has_surrogates(v) for v in row.values() if isinstance(v, str)):
                yield Reject(file, line, "not_utf8", "a field holds bytes that are not UTF-8",
                             raw.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace"))
                continue
            fields = {k.strip(): v for k, v in row.items() if isinstance(k, str)}
            yield RawRecord(file, line, fields, raw)
    except csv.Error as err:
        yield Reject(file, start, "bad_csv", f"{err}; the rest of the file was not read", "")


def _has_surrogates(value: str) -> bool:
    """True when surrogateescape decoding met a byte that is not UTF-8."""
    return any("\udc80" <= ch <= "\udcff" for ch in value)


def read_txt(data: bytes, file: str, sidecar: Path | None = None) -> Iterator[Item]:
    """A whole .txt file as one record, metadata from its sidecar NAME.json when present."""
    text = _decode(data, file, 1)
    if isinstance(text, Reject):
        yield text
        return
    fields: dict = {}
    if sidecar is not None:
        try:
            fields = json.loads(sidecar.read_bytes().decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as err:
            yield Reject(file, 1, "bad_sidecar", f"{sidecar.name}: {err}", text)
            return
        if not isinstance(fields, dict):
            yield Reject(file, 1, "bad_sidecar", f"{sidecar.name} is not a JSON object", text)
            return
    fields = {k: v for k, v in fields.items() if k not in ("text", "content")}
    yield RawRecord(file, 1, {**fields, "text": text}, text)


def read_path(path: Path) -> Iterator[Item]:
    """The records of one input file, by its suffix; an unreadable file is one reject."""
    try:
        yield from _read_path(path)
    except OSError as err:
        yield Reject(str(path), 0, "unreadable", err.strerror or str(err), "")


def _read_path(path: Path) -> Iterator[Item]:
    """The records of one input file, by its suffix."""
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        with open(path, "rb") as fh:
            yield from read_jsonl(fh, str(path))
    elif suffix == ".csv":
        with open(path, "rb") as fh:
            yield from read_csv(fh, str(path))
    elif suffix == ".txt":
        sidecar = path.with_suffix(".json")
        yield from read_txt(path.read_bytes(), str(path), sidecar if sidecar.is_file() else None)
    else:
        raise StoreError(f"{path}: cannot read {suffix or 'files without a suffix'}; "
                         f"give {', '.join(SUFFIXES)} files or folders of them")


def read_upload(name: str, data: bytes) -> Iterator[Item]:
    """The records of an uploaded file's bytes (no sidecar), by the name's suffix."""
    suffix = Path(name).suffix.lower()
    if suffix == ".jsonl":
        yield from read_jsonl(io.BytesIO(data), name)
    elif suffix == ".csv":
        yield from read_csv(io.BytesIO(data), name)
    elif suffix == ".txt" or not suffix:
        yield from read_txt(data, name)
    else:
        raise StoreError(f"{name}: cannot read {suffix}; give {', '.join(SUFFIXES)} files")


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
                raise StoreError(f"{path}: cannot read {path.suffix or 'files without a suffix'}; "
                                 f"give {', '.join(SUFFIXES)} files or folders of them")
            files.append(path)
        elif path.exists():
            raise StoreError(f"{path} is neither a file nor a folder")
        else:
            raise StoreError(f"{path}: no such file or folder")
    if not files:
        raise StoreError(f"no {', '.join(SUFFIXES)} files in {', '.join(map(str, paths))}")
    return files, skipped


def count_records(path: Path) -> int:
    """Roughly how many records a file holds (for the progress bar's total)."""
    suffix = path.suffix.lower()
    if suffix == ".txt":
        return 1
    with open(path, "rb") as fh:
        lines = sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b""))
    return max(lines - (suffix == ".csv"), 1)

