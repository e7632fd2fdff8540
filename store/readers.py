"""Input files to the store's records: geo.inputs reads and decodes, this maps to RawRecord/Reject."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from geo.inputs import InputProblem, InputRecord, count_records, file_records, input_files, upload_records
from snm.settings import MAX_ARTICLE_BYTES
from store.records import RawRecord, Reject

Item = RawRecord | Reject
__all__ = ["Item", "count_records", "input_files", "read_path", "read_upload"]


def _item(item: InputRecord | InputProblem) -> Item:
    """A record as it is, a problem as a reject."""
    if isinstance(item, InputProblem):
        return Reject(item.file, item.line, item.reason, item.detail, item.raw)
    return item


def read_path(path: Path, max_bytes: int = MAX_ARTICLE_BYTES) -> Iterator[Item]:
    """The records of one input file (.jsonl, .csv, .txt with an optional NAME.json sidecar)."""
    return (_item(i) for i in file_records(path, max_bytes))


def read_upload(name: str, data: bytes, max_bytes: int = MAX_ARTICLE_BYTES) -> Iterator[Item]:
    """The records of an uploaded file's bytes, by the name's suffix."""
    return (_item(i) for i in upload_records(name, data, max_bytes))
