"""Issue 13, fuzz: generated bad inputs (random bytes, truncated UTF-8, mixed encodings, UTF-16,
huge lines, malformed JSON and CSV) mixed with good records, through ingest and geoparse: no
traceback, every good record kept (its text, line and date), every bad one rejected with a reason.

A seeded generator (no extra dependency): CASES files by default; SNM_FUZZ_CASES=n or SNM_SLOW=1
for more. Each case is one file whose records know what should become of them in the store and in
geoparse (which ignores dates and URLs but wants Arabic text).
"""
from __future__ import annotations

import csv
import io
import json
import os
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from geo.inputs import clean_text
from nlp.dates import parse_date
from store import Store
from store.ingest import ingest_paths
from store.records import REASONS

SLOW = os.environ.get("SNM_SLOW") == "1"
CASES = int(os.environ.get("SNM_FUZZ_CASES") or (3000 if SLOW else 300))
SEED = int(os.environ.get("SNM_FUZZ_SEED") or 20130)
LIMIT = 20_000  # the byte limit of these runs: "huge" stays cheap
WORDS = ("قصف", "مدينة", "حلب", "حمص", "إدلب", "دمشق", "الرقة", "درعا", "ريف", "اشتباكات", "قوات",
         "المعارضة", "الحكومية", "قتلى", "جرحى", "طائرات", "بلدة", "الغوطة", "الشرقية", "أمس", "،",
         "في", "على", "من", "و", "بين", ".", ",", "«", "»", "(", ")", "2017", "حماة", "دير الزور")


@dataclass
class Record:
    """One record of a case: its line, text, date, and whether store and geoparse keep it."""

    line: int
    text: str = ""
    day: str = ""
    store_ok: bool = True
    geo_ok: bool = True
    rid: str = ""


@dataclass
class Case:
    """One generated file and what should become of each of its records."""

    name: str
    data: bytes
    records: list[Record] = field(default_factory=list)
    whole_file_bad: bool = False  # one rejection for the file (UTF-16, random bytes as .txt ...)


class Gen:
    """The seeded generator of cases."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.n = 0

    def text(self, lines: bool = True) -> str:
        """A good Arabic text, unique (a token), sometimes over several lines, with commas,
        quotes or a little markup."""
        r = self.rng
        self.n += 1
        words = [r.choice(WORDS) for _ in range(r.randint(3, 60))]
        if lines and r.random() < 0.3:
            for _ in range(r.randint(1, 3)):
                words.insert(r.randrange(len(words)), r.choice(["\n", "\n\n", "\r\n"]))
        if r.random() < 0.1:
            words.insert(r.randrange(len(words)), '"حلب"')
        words.insert(0, r.choice(WORDS[:20]))  # an article starts with a word
        if r.random() < 0.05:
            words = ["<p>", *words, "</p><p>", "حمص", "</p>"]
        return " ".join(words) + f" t{self.n}"

    def day(self) -> str:
        """A good date, or none."""
        r = self.rng
        return r.choice(["", f"2017-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}",
                         f"{r.randint(1, 28)} تموز 2016", "2015"])

    def junk(self, n: int) -> bytes:
        """Random bytes without a line end, not blank."""
        data = bytes(self.rng.randrange(256) for _ in range(n)).replace(b"\n", b"").replace(b"\r", b"")
        return data if data.strip() else b"x" + data

    # ---- JSON Lines -----------------------------------------------------------------------

    def jsonl(self, name: str) -> Case:
        """A .jsonl with good and bad lines."""
        r = self.rng
        case = Case(name, b"")
        lines: list[bytes] = []
        for i in range(r.randint(1, 8)):
            line = i + 1
            if r.random() < 0.55:
                rec = Record(line, self.text(), self.day(), rid=f"g{self.n}")
                obj = {"id": rec.rid, "text": rec.text}
                if rec.day:
                    obj["date"] = rec.day
                if r.random() < 0.3:
                    obj["title"] = self.text(lines=False)[:40]
                if r.random() < 0.3:
                    obj["url"] = f"https://example.com/{self.n}/سوريا"
                lines.append(json.dumps(obj, ensure_ascii=r.random() < 0.3).encode())
                case.records.append(rec)
            else:
                data, rec = self.bad_json_line(line)
                lines.append(data)
                case.records.append(rec)
        if r.random() < 0.2:  # blank lines are skipped, not records
            at = r.randrange(len(lines) + 1)
            lines.insert(at, b"   ")
            for rec in case.records:
                rec.line += rec.line > at
        case.data = b"\n".join(lines) + (b"\n" if r.random() < 0.8 else b"")
        return case

    def bad_json_line(self, line: int) -> tuple[bytes, Record]:
        """One bad JSON Lines line and its expectation."""
        r = self.rng
        good = json.dumps({"id": "x", "text": self.text()}, ensure_ascii=False)
        kind = r.choice(["junk", "cut_utf8", "cp1256", "cut_json", "array", "number", "deep",
                         "bigint", "text_number", "no_text", "empty_text", "null_text", "surrogate",
                         "surrogate_title", "bad_date", "tag_url", "huge", "single_quotes", "nan"])
        geo_ok = kind in ("bad_date", "tag_url", "surrogate_title", "nan")
        rid = "x" if geo_ok else ""
        if kind == "junk":
            data = self.junk(r.randint(1, 200))
        elif kind == "cut_utf8":
            raw = good.encode()
            cut = r.randrange(10, len(raw))
            while cut < len(raw) and raw[cut] & 0xC0 == 0x80:
                cut += 1
            data = raw[:cut] + b"\xd8"  # half of a letter
        elif kind == "cp1256":
            data = good.encode("cp1256", "replace")
        elif kind == "cut_json":
            data = good[:r.randrange(1, len(good) - 1)].encode()
        elif kind == "array":
            data = json.dumps([self.text()], ensure_ascii=False).encode()
        elif kind == "number":
            data = str(r.randint(-10**6, 10**6)).encode()
        elif kind == "deep":
            data = b"[" * r.randint(5_000, 50_000)
        elif kind == "bigint":
            data = b'{"text": ' + b"9" * 5000 + b"}"
        elif kind == "text_number":
            data = b'{"text": 12345}'
        elif kind == "no_text":
            data = json.dumps({"title": self.text()}, ensure_ascii=False).encode()
        elif kind == "empty_text":
            data = b'{"text": "  \\n "}'
        elif kind == "null_text":
            data = b'{"text": null, "content": ""}'
        elif kind == "surrogate":
            data = b'{"text": "\\ud800 ' + json.dumps(self.text(), ensure_ascii=False)[1:-1].encode() + b'"}'
        elif kind == "surrogate_title":
            data = json.dumps({"id": "x", "text": self.text(), "title": "a"}).encode().replace(
                b'"a"', b'"\\udc80"')
        elif kind == "bad_date":
            data = json.dumps({"id": "x", "text": self.text(), "date": "2017-13-45"}).encode()
        elif kind == "tag_url":
            data = json.dumps({"id": "x", "text": self.text(), "url": "http://e.com/<script>x</script>"},
                              ensure_ascii=False).encode()
        elif kind == "huge":
            data = json.dumps({"text": self.text() + " حلب" * (LIMIT // 6)}, ensure_ascii=False).encode()
        elif kind == "single_quotes":
            data = good.replace('"', "'").encode()
        else:  # nan: valid for json.loads, a text that is a float
            data = json.dumps({"id": "x", "text": self.text(), "source": float("nan")}).encode()
            geo_ok, rid = True, "x"
            return data, Record(line, store_ok=True, geo_ok=True, rid=rid,
                                text=json.loads(data)["text"])
        return data, Record(line, store_ok=False, geo_ok=geo_ok, rid=rid)

    # ---- CSV --------------------------------------------------------------------------------

    def csv(self, name: str) -> Case:
        """A .csv with good rows and broken ones."""
        r = self.rng
        # an id column: what tells a row from prose inside a field left open (see _row_like)
        header = ["text", "id", *[c for c in ("title", "date", "source", "url") if r.random() < 0.5]]
        r.shuffle(header)
        case = Case(name, b"")
        out = io.BytesIO()
        out.write(",".join(header).encode() + (b"\r\n" if r.random() < 0.5 else b"\n"))
        line = 2
        for _ in range(r.randint(1, 8)):
            if r.random() < 0.6:
                rec = Record(line, self.text(), self.day() if "date" in header else "")
                row = {"text": rec.text, "id": f"r{self.n}", "title": "عنوان", "date": rec.day,
                       "source": "مصدر", "url": f"https://e.com/{self.n}"}
                text = io.StringIO()
                csv.writer(text, lineterminator="\n",
                           quoting=csv.QUOTE_ALL if r.random() < 0.3 else csv.QUOTE_MINIMAL
                           ).writerow([row[c] for c in header])
                out.write(text.getvalue().encode())
                case.records.append(rec)
                line += text.getvalue().count("\n") + text.getvalue().count("\r") - text.getvalue().count("\r\n")
            else:
                data = self.bad_csv_row(header)
                out.write(data + b"\n")
                case.records.append(Record(line, store_ok=False, geo_ok=False))
                line += 1
        case.data = out.getvalue()
        return case

    def bad_csv_row(self, header: list[str]) -> bytes:
        """One broken CSV row (one physical line)."""
        r = self.rng
        values = {"text": self.text(lines=False).replace('"', "").replace(",", "،"), "id": f"b{self.n}", "title": "ع",
                  "date": "2017-07-01", "source": "s", "url": "u"}
        kind = r.choice(["open_quote", "stray_quote", "fields", "bytes", "huge", "open_date"])
        if kind == "open_quote":
            values["text"] = '"' + values["text"]
        elif kind == "stray_quote":
            values["text"] = '"' + values["text"] + '"x'
        elif kind == "huge":
            values["text"] = "حلب " * (LIMIT // 6)
        elif kind == "open_date" and "date" in header:
            values["date"] = '"2017-07-01'
        elif kind == "open_date":
            values["text"] = '"' + values["text"]
        row = ",".join(values[c] for c in header)
        if kind == "fields":
            row = row + ",زائد" if r.random() < 0.5 or len(header) == 1 else row.rsplit(",", 1)[0]
        data = row.encode()
        if kind == "bytes":
            cut = data.index(values["text"].encode()) + 2
            data = data[:cut] + b"\xff\xfe" + data[cut:]
        return data

    # ---- .txt -------------------------------------------------------------------------------

    def txt(self, name: str) -> Case:
        """A .txt article, good or bad as a whole."""
        r = self.rng
        kind = r.choice(["good", "good", "good", "junk", "cut_utf8", "cp1256", "utf16", "utf16le",
                         "utf16be", "empty", "huge", "nul"])
        text = self.text()
        if kind == "good":
            return Case(name, text.encode(), [Record(1, text)])
        data = {
            "junk": lambda: b"\xff" + self.junk(r.randint(1, 2000)),
            "cut_utf8": lambda: text.encode()[:-1] if text.encode()[-1] & 0x80 else text.encode() + b"\xd8",
            "cp1256": lambda: text.encode("cp1256", "replace") + "حلب".encode("cp1256"),
            "utf16": lambda: text.encode("utf-16"),
            "utf16le": lambda: text.encode("utf-16-le"),
            "utf16be": lambda: text.encode("utf-16-be"),
            "empty": lambda: b" \n\t ",
            "huge": lambda: (text + " حمص" * (LIMIT // 6)).encode(),
            "nul": lambda: b"\x00" * r.randint(1, 100) + b"\x01\x02",
        }[kind]()
        return Case(name, data, [Record(1, store_ok=False, geo_ok=False)], whole_file_bad=True)


def _cases(n: int, seed: int) -> list[Case]:
    """n generated cases."""
    gen = Gen(seed)
    makers = [gen.jsonl, gen.jsonl, gen.csv, gen.csv, gen.txt]
    return [gen.rng.choice(makers)(f"c{i:05d}") for i in range(n)]


def _with_suffix(case: Case, gen_name: str) -> str:
    return case.name + {"jsonl": ".jsonl", "csv": ".csv", "txt": ".txt"}[gen_name]


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Case]]:
    """The generated files in one folder."""
    folder = tmp_path_factory.mktemp("fuzz") / "in"
    folder.mkdir()
    gen = Gen(SEED)
    cases: dict[str, Case] = {}
    for i in range(CASES):
        kind = gen.rng.choice(["jsonl", "jsonl", "csv", "csv", "txt"])
        case = getattr(gen, kind)(f"c{i:05d}")
        name = _with_suffix(case, kind)
        (folder / name).write_bytes(case.data)
        cases[name] = case
    return folder, cases


def test_fuzzed_inputs_through_ingest(fuzzed, tmp_path: Path, pipeline) -> None:
    folder, cases = fuzzed
    report = ingest_paths([folder], tmp_path / "store", pipeline, progress=False, max_bytes=LIMIT)
    store = Store(tmp_path / "store")
    stored: dict[tuple[str, int], dict] = {}
    for a in store.table("articles").to_pylist():
        file, _, line = a["origin"].rpartition(":")
        stored[(Path(file).name, int(line))] = a
    rejected: dict[tuple[str, int], list[str]] = {}
    for row in store.rejects().itertuples():
        assert row.reason in REASONS and row.detail, row
        span = re.match(r"lines (\d+)-(\d+): ", row.detail)  # a broken record over several lines
        for line in range(int(row.line), int(span.group(2)) + 1 if span else int(row.line) + 1):
            rejected.setdefault((Path(row.file).name, line), []).append(row.reason)
    good = bad = 0
    for name, case in cases.items():
        if case.whole_file_bad:
            assert {k for k in rejected if k[0] == name} <= {(name, 0), (name, 1)}, name
            assert any(k[0] == name for k in rejected), f"{name}: not rejected"
            assert not any(k[0] == name for k in stored), f"{name}: stored"
            bad += 1
            continue
        for rec in case.records:
            key = (name, rec.line)
            if rec.store_ok:
                good += 1
                assert key in stored, f"{name}:{rec.line}: a good record was not kept ({rejected.get(key)})"
                assert stored[key]["text"] == clean_text(rec.text), f"{name}:{rec.line}"
                assert stored[key]["date"] == parse_date(rec.day or None).date, f"{name}:{rec.line}"
            else:
                bad += 1
                assert key in rejected, f"{name}:{rec.line}: a bad record was not rejected"
                assert key not in stored, f"{name}:{rec.line}: a bad record was stored"
        lines = {rec.line for rec in case.records}
        assert {k[1] for k in stored if k[0] == name} <= lines, f"{name}: a record from nowhere"
    assert good > CASES and bad > CASES // 2  # both kinds were really exercised
    assert report.ingested == len(stored) and report.rejected == len(store.rejects())


def test_fuzzed_inputs_through_geoparse(fuzzed, capsys) -> None:
    from geo.geoparse import main
    folder, cases = fuzzed
    max_mb = str(LIMIT / 1e6)
    checked = 0
    for name, case in cases.items():
        path = folder / name
        if name.endswith(".csv"):
            continue  # geoparse reads articles and JSON Lines, not CSV
        if name.endswith(".txt"):
            code = main([str(path), "--max-mb", max_mb])
            out, err = capsys.readouterr()
            assert "Traceback" not in err
            if case.records[0].geo_ok:
                assert code in (0, 3), (name, err)
            else:
                assert code == 1 and err.startswith("error: ") and err.count("\n") == 1, (name, err)
            checked += 1
            continue
        code = main(["--jsonl", str(path), "--max-mb", max_mb])
        out, err = capsys.readouterr()
        assert "Traceback" not in err
        ok = [rec for rec in case.records if rec.geo_ok]
        if not ok and all(not rec.geo_ok for rec in case.records) and code == 1:
            assert err.startswith("error: ") and "not JSON Lines" in err, (name, err)  # one error
            continue
        assert code == (3 if len(ok) < len(case.records) else 0), (name, err)
        assert [json.loads(x)["id"] for x in out.splitlines()] == [rec.rid for rec in ok], name
        for rec in case.records:
            if not rec.geo_ok:
                assert f"{path}:{rec.line}: rejected: " in err, (name, rec.line, err)
        checked += 1
    assert checked > CASES // 2
