"""Issue 13, items 2 and 3: CSV read strictly (a broken quote costs one record, not the next
rows), and one byte limit for every record, line and file, read in bounded pieces."""
from __future__ import annotations

import builtins
import csv
import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from geo.inputs import InputProblem, InputRecord, csv_records, file_records, json_lines
from snm.settings import MAX_ARTICLE_BYTES
from store import Store
from store.ingest import ingest_paths

HEADER = "id,title,text,date\n"
ROW2 = '2,ب,اشتباكات في مدينة حمص,2017-07-02\n'
ROW2_QUOTED = '2,ب,"اشتباكات في مدينة حمص",2017-07-02\n'
ROW3 = '3,ج,"معارك في إدلب، وقصف على حماة",2017-07-03\n'


def _ingest(tmp_path: Path, name: str, content: str | bytes, pipeline: Any, **options: Any):
    """Ingest one file; the report and the store."""
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    report = ingest_paths([path], tmp_path / "store", pipeline, progress=False, **options)
    return report, Store(tmp_path / "store")


# ---- item 2: a broken quote -----------------------------------------------------------------

@pytest.mark.parametrize("broken, after", [
    ('1,أ,"قصف على مدينة حلب,2017-07-01\n', ROW2 + ROW3),         # the next row is unquoted
    ('1,أ,"قصف على مدينة حلب,2017-07-01\n', ROW2_QUOTED + ROW3),  # its quote would close this one
    ('1,أ,"قصف على مدينة حلب,2017-07-01\n', '2,ب,اشتباكات في مدينة حمص",2017-07-02\n' + ROW3),
    ('1,أ,"قصف على مدينة حلب,2017-07-01\n', ROW2 + ROW3.replace('"', "")),  # never closed
    ('1,أ,"قصف "حلب" اليوم",2017-07-01\n', ROW2 + ROW3),           # an inner quote not doubled
], ids=["next-unquoted", "next-quoted", "closed-later", "never-closed", "stray-quote"])
def test_csv_broken_quote_is_rejected_with_its_line_and_the_rows_after_go_in(
        tmp_path: Path, pipeline, broken: str, after: str) -> None:
    report, store = _ingest(tmp_path, "broken.csv", HEADER + broken + after, pipeline)
    rejects = store.rejects()
    assert rejects[["line", "reason"]].values.tolist() == [[2, "bad_csv"]]
    assert "quote" in rejects["detail"][0] and "line 2" in rejects["detail"][0]
    articles = {a["origin"].rsplit(":", 1)[1]: a for a in store.table("articles").to_pylist()}
    assert sorted(articles) == ["3", "4"]  # the rows after it, each with its own text and date
    assert articles["3"]["text"].startswith("اشتباكات في مدينة حمص")
    assert "حلب" not in articles["3"]["text"]
    assert (articles["3"]["date"], articles["4"]["date"]) == (date(2017, 7, 2), date(2017, 7, 3))
    assert (report.ingested, report.rejected) == (2, 1)


def test_csv_quoted_text_over_several_lines_is_one_record(tmp_path: Path, pipeline) -> None:
    text = "قصف على مدينة حلب.\nوقال مصدر, إن الاشتباكات, مستمرة\n\nوفي حمص, هدوء."
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows([["id", "text", "date"], ["a1", text, "2017-07-01"], ["a2", "معارك في إدلب", "2017-07-02"]])
    report, store = _ingest(tmp_path, "multi.csv", out.getvalue(), pipeline)
    assert (report.ingested, report.rejected) == (2, 0)
    first = next(a for a in store.table("articles").to_pylist() if a["external_id"] == "a1")
    assert first["text"] == text and first["origin"].endswith(":2")


def test_csv_wrong_field_count_and_a_date_over_two_lines_are_rejected_alone(tmp_path: Path, pipeline) -> None:
    content = (HEADER + '1,أ,قصف على حلب\n'            # 3 fields
               + '2,ب,"قصف على حمص","2017-07-02\n'     # a date field running into the next line
               + '3,ج,معارك في إدلب,2017-07-03\n')
    _, store = _ingest(tmp_path, "count.csv", content, pipeline)
    assert store.rejects()[["line", "reason"]].values.tolist() == [[2, "bad_csv"], [3, "bad_csv"]]
    assert [a["origin"].rsplit(":", 1)[1] for a in store.table("articles").to_pylist()] == ["4"]


# ---- item 3: bytes, not characters, and bounded reads --------------------------------------

LIMIT = 1000
FITS = "حلب " * 120  # 480 characters, 840 bytes
TOO_BIG = "حلب " * 200  # 800 characters (under the limit), 1400 bytes (over it)


def _jsonl(*texts: str) -> bytes:
    return b"".join(json.dumps({"text": t}, ensure_ascii=False).encode() + b"\n" for t in texts)


def _csv(*texts: str) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([["text"], *[[t] for t in texts]])
    return out.getvalue().encode()


@pytest.mark.parametrize("suffix, make", [(".jsonl", _jsonl), (".csv", _csv)])
def test_record_limits_count_utf8_bytes(tmp_path: Path, suffix: str, make: Any) -> None:
    assert len(TOO_BIG) < LIMIT < len(TOO_BIG.encode())
    path = tmp_path / f"in{suffix}"
    path.write_bytes(make(FITS, TOO_BIG, FITS + "2"))
    items = list(file_records(path, max_bytes=LIMIT))
    assert [type(i).__name__ for i in items] == ["InputRecord", "InputProblem", "InputRecord"]
    problem = items[1]
    assert isinstance(problem, InputProblem) and problem.reason == "too_large" and problem.line == 2 + (suffix == ".csv")


def test_txt_limit_counts_bytes(tmp_path: Path) -> None:
    (tmp_path / "fits.txt").write_text(FITS, encoding="utf-8")
    (tmp_path / "big.txt").write_text(TOO_BIG, encoding="utf-8")
    assert isinstance(next(file_records(tmp_path / "fits.txt", LIMIT)), InputRecord)
    big = next(file_records(tmp_path / "big.txt", LIMIT))
    assert isinstance(big, InputProblem) and big.reason == "too_large"


def test_a_csv_field_over_the_limit_costs_that_record_only(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_bytes(_csv(FITS, "حمص " * 100_000, FITS + "2"))  # 700 kB in one field
    items = list(file_records(path, max_bytes=100_000))
    assert [(type(i).__name__, i.line) for i in items] == [
        ("InputRecord", 2), ("InputProblem", 3), ("InputRecord", 4)]


class _Watched(io.RawIOBase):
    """A byte stream that remembers the largest piece any read handed out."""

    def __init__(self, data: bytes) -> None:
        self._inner = io.BytesIO(data)
        self.largest = 0

    def readable(self) -> bool:
        return True

    def _seen(self, data: bytes) -> bytes:
        self.largest = max(self.largest, len(data))
        return data

    def read(self, size: int = -1) -> bytes:
        return self._seen(self._inner.read(size))

    def readline(self, size: int | None = -1) -> bytes:
        return self._seen(self._inner.readline(size))

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)

    def __iter__(self):
        return self

    def __next__(self) -> bytes:
        line = self.readline()
        if not line:
            raise StopIteration
        return line


@pytest.mark.parametrize("reader", [json_lines, csv_records])
def test_a_huge_line_is_rejected_without_being_held_whole(reader: Any) -> None:
    huge = b"a" * 30_000_000
    if reader is json_lines:
        data = b'{"text": "' + huge + b'"}\n' + _jsonl(FITS)
    else:
        data = b"text\n" + huge + b"\n" + FITS.encode() + b"\n"
    stream = _Watched(data)
    items = list(reader(stream, "huge", 1_000_000))
    assert [(type(i).__name__, i.reason if isinstance(i, InputProblem) else "") for i in items] == [
        ("InputProblem", "too_large"), ("InputRecord", "")]
    assert stream.largest <= 2_000_000  # read in pieces, never the 30 MB line at once


def test_a_60_mb_txt_is_rejected_without_being_read(tmp_path: Path, pipeline, monkeypatch) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    big = folder / "big.txt"
    with open(big, "wb") as fh:
        fh.truncate(60 * 1024 * 1024)  # sparse: no disk used
    (folder / "small.txt").write_text("قصف على مدينة حلب", encoding="utf-8")
    real_open = builtins.open

    def guarded_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        if Path(str(file)) == big:
            raise AssertionError("the 60 MB file was opened")
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded_open)
    monkeypatch.setattr(io, "open", guarded_open)
    report = ingest_paths([folder], tmp_path / "store", pipeline, progress=False)
    assert (report.ingested, report.rejected) == (1, 1)
    [reject] = report.rejects
    assert (reject.file, reject.reason) == (str(big), "too_large") and "62.9 MB" in reject.detail


def test_pasted_text_over_the_limit_is_rejected(tmp_path: Path, pipeline) -> None:
    store = Store(tmp_path / "store")
    big = "قصف على حلب " * (MAX_ARTICLE_BYTES // 20 + 1)
    assert len(big) < MAX_ARTICLE_BYTES < len(big.encode())
    report = store.add_texts([big, "قصف على مدينة حمص"], pipeline)
    assert (report.ingested, report.rejected) == (1, 1)
    assert report.rejects[0].reason == "too_large" and "MB" in report.rejects[0].detail


def test_a_csv_whose_header_cannot_be_read_is_one_rejection() -> None:
    items = list(csv_records(b'text,"da"te\n' + ROW2.encode() + ROW3.encode(), "bad-header.csv"))
    assert [(i.line, i.reason) for i in items if isinstance(i, InputProblem)] == [(1, "bad_csv")]
    assert len(items) == 1 and "header" in items[0].detail
