"""The corpus store: what goes in, what is refused and why, and what the dashboard's queries return."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from snm.settings import REPO
from store import Filters, Store
from store.ingest import ingest_paths
from store.parts import Writer
from store.schema import to_table

SAMPLES = REPO / "data" / "samples"

ALEPPO_TEXT = "قصفت الطائرات مدينة حلب أمس وسقط قتلى في الأحياء الشرقية."
HOMS_TEXT = "اشتباكات عنيفة في مدينة حمص بين القوات الحكومية والمعارضة."


# ---------------------------------------------------------------- a store written by hand


def _mention(article: str, text: str, start: int, place_id: str, *, admin1: str | None,
             level: str = "populated_place", country: str = "SY", confidence: float = 0.9,
             day: date | None = None, precision: str = "unknown", zones: list[str] | None = None,
             controller: str | None = None) -> dict:
    return {"article_id": article, "text": text, "start": start, "end": start + len(text),
            "place_id": place_id, "name_ar": text, "name_en": place_id, "level": level,
            "country": country, "admin1": admin1, "admin1_pcode": None, "lat": 35.0, "lon": 37.0,
            "confidence": confidence, "cue": "", "date": day, "date_precision": precision,
            "zone_ids": zones or [], "controller": controller}


JULY = date(2017, 7, 10)
AUGUST = date(2017, 8, 1)  # month precision: all of August 2017


@pytest.fixture(scope="module")
def hand_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """Three articles: dated to the day (a1), to the month (a2), undated (a3)."""
    root = tmp_path_factory.mktemp("hand") / "store"
    articles = [
        {"article_id": "a1", "title": "t1", "text": "x" * 50, "date": JULY, "date_precision": "day"},
        {"article_id": "a2", "title": "t2", "text": "y" * 50, "date": AUGUST, "date_precision": "month"},
        {"article_id": "a3", "title": "t3", "text": "z" * 50, "date": None, "date_precision": "unknown"},
    ]
    mentions = [
        _mention("a1", "حلب", 0, "aleppo", admin1="SY-HL", day=JULY, precision="day",
                 zones=["z-north"], controller="GOV"),
        _mention("a1", "حمص", 10, "homs-gov", admin1="SY-HI", level="governorate", confidence=0.4,
                 day=JULY, precision="day"),
        _mention("a1", "أنقرة", 20, "ankara", admin1=None, country="TR", day=JULY, precision="day"),
        _mention("a2", "حمص", 5, "homs", admin1="SY-HI", confidence=0.8, day=AUGUST,
                 precision="month", zones=["z-homs"], controller="OPP"),
        _mention("a3", "حلب", 3, "aleppo", admin1="SY-HL", confidence=0.7),
    ]
    actors = [{"article_id": "a1", "actor_id": "isis", "start": 30, "end": 34, "text": "داعش"}]
    writer = Writer.open(root)
    with writer.locked():
        writer.add({"articles": to_table("articles", articles[:2]),
                    "mentions": to_table("mentions", mentions[:4]),
                    "actor_mentions": to_table("actor_mentions", actors)})
        writer.add({"articles": to_table("articles", articles[2:]),
                    "mentions": to_table("mentions", mentions[4:])})
    return Store(root)


def _keys(frame) -> list[tuple[str, str]]:
    return sorted(zip(frame["article_id"], frame["place_id"]))


def test_governorate_filter(hand_store: Store) -> None:
    got = hand_store.mentions(Filters(admin1=["SY-HI"]))
    assert _keys(got) == [("a1", "homs-gov"), ("a2", "homs")]


def test_month_dated_article_matches_any_range_inside_its_month(hand_store: Store) -> None:
    f = Filters(date_from=date(2017, 8, 15), date_to=date(2017, 8, 20), include_undated=False)
    assert _keys(hand_store.mentions(f)) == [("a2", "homs")]


def test_date_range_and_undated(hand_store: Store) -> None:
    july = dict(date_from=date(2017, 7, 1), date_to=date(2017, 7, 31))
    assert _keys(hand_store.mentions(Filters(**july, include_undated=False))) == [
        ("a1", "aleppo"), ("a1", "homs-gov")]
    assert _keys(hand_store.mentions(Filters(**july, include_undated=True))) == [
        ("a1", "aleppo"), ("a1", "homs-gov"), ("a3", "aleppo")]
    assert len(hand_store.mentions(Filters(include_undated=False))) == 3


def test_level_and_confidence(hand_store: Store) -> None:
    f = Filters(levels=["populated_place"], min_confidence=0.75)
    assert _keys(hand_store.mentions(f)) == [("a1", "aleppo"), ("a2", "homs")]


def test_foreign_places_only_when_asked(hand_store: Store) -> None:
    assert "ankara" not in set(hand_store.mentions()["place_id"])
    assert "ankara" in set(hand_store.mentions(Filters(syria_only=False))["place_id"])


def test_zone_controller_actor_and_place_filters(hand_store: Store) -> None:
    assert _keys(hand_store.mentions(Filters(zones=["z-homs"]))) == [("a2", "homs")]
    assert _keys(hand_store.mentions(Filters(controllers=["GOV"]))) == [("a1", "aleppo")]
    assert _keys(hand_store.mentions(Filters(actors=["isis"]))) == [
        ("a1", "aleppo"), ("a1", "homs-gov")]
    assert _keys(hand_store.mentions(Filters(place_id="aleppo"))) == [("a1", "aleppo"), ("a3", "aleppo")]


def test_user_values_are_parameters_not_sql(hand_store: Store) -> None:
    assert hand_store.mentions(Filters(admin1=["SY-HL') OR ('1'='1"])).empty
    assert hand_store.place_counts(Filters(place_id="x' OR '1'='1")).empty
    assert hand_store.article("a1' OR '1'='1") is None


def test_place_and_governorate_counts(hand_store: Store) -> None:
    places = hand_store.place_counts().set_index("place_id")
    assert places.loc["aleppo", ["mentions", "articles"]].tolist() == [2, 2]
    assert set(places.index) == {"aleppo", "homs", "homs-gov"}
    assert {"name_ar", "name_en", "level", "admin1", "lat", "lon", "country"} <= set(places.columns)
    gov = hand_store.admin1_counts().set_index("admin1")
    assert gov.loc["SY-HI", "mentions"] == 2 and gov.loc["SY-HL", "articles"] == 2


def test_daily_counts_place_only_what_has_a_day(hand_store: Store) -> None:
    daily = hand_store.daily_counts(Filters(), "D")
    assert daily["date"].tolist() == [JULY] and daily["mentions"].tolist() == [2]
    weekly = hand_store.daily_counts(Filters(), "W")
    assert weekly["date"].tolist() == [date(2017, 7, 10)]  # a Monday
    monthly = hand_store.daily_counts(Filters(), "M")
    assert monthly["date"].tolist() == [date(2017, 7, 1), AUGUST]
    with pytest.raises(ValueError):
        hand_store.daily_counts(Filters(), "Y")


def test_articles_article_and_span(hand_store: Store) -> None:
    listed = hand_store.articles(Filters(admin1=["SY-HI", "SY-HL"]))
    assert listed["article_id"].tolist() == ["a2", "a1", "a3"]  # newest first, undated last
    assert listed.set_index("article_id").loc["a1", "mentions"] == 2
    one = hand_store.article("a1")
    assert one["title"] == "t1" and [m["place_id"] for m in one["mentions"]] == [
        "aleppo", "homs-gov", "ankara"]
    assert [a["actor_id"] for a in one["actors"]] == ["isis"]
    assert hand_store.article("nope") is None
    assert hand_store.date_span() == (JULY, date(2017, 8, 31))
    assert hand_store.actor_counts().set_index("actor_id").loc["isis", "articles"] == 1


def test_place_articles_newest_first_with_a_text_window(hand_store: Store) -> None:
    rows = hand_store.place_articles(Filters(include_undated=True), per_place=2, context=2)
    by_place = {p: g for p, g in rows.groupby("place_id")}
    assert by_place["aleppo"]["article_id"].tolist() == ["a1", "a3"]  # undated last
    homs = by_place["homs"].iloc[0]
    assert (homs["text"], homs["start"], homs["end"], homs["title"]) == ("y" * 7, 2, 5, "t2")
    one = hand_store.place_articles(Filters(include_undated=True), per_place=1)
    assert one.groupby("place_id").size().max() == 1
    assert "ankara" not in set(hand_store.place_articles(Filters())["place_id"])


def test_filters_refuse_wrong_types() -> None:
    with pytest.raises(TypeError):
        Filters(admin1="SY-HL")
    with pytest.raises(TypeError):
        Filters(date_from="2017-07-01")
    with pytest.raises(ValueError):
        Filters(min_confidence=2)


def test_missing_store_reads_as_empty(tmp_path: Path) -> None:
    store = Store(tmp_path / "none")
    assert store.place_counts().empty and store.date_span() == (None, None)
    assert store.stats()["articles"] == 0


def test_reader_sees_new_parts_without_reopening(tmp_path: Path) -> None:
    root = tmp_path / "store"
    store = Store(root)
    assert store.stats()["articles"] == 0
    writer = Writer.open(root)
    with writer.locked():
        writer.add({"articles": to_table("articles", [{"article_id": "n1", "text": "t"}])})
    assert store.stats()["articles"] == 1


# ---------------------------------------------------------------- ingest with the real analysis


def _write_lines(path: Path, lines: list[str | bytes]) -> Path:
    path.write_bytes(b"\n".join(x if isinstance(x, bytes) else x.encode() for x in lines) + b"\n")
    return path


def _record(**fields: object) -> str:
    return json.dumps(fields, ensure_ascii=False)


BAD_BATCH = [
    _record(id="ok1", text=ALEPPO_TEXT, date="22 تموز 2017", title="حلب", source="s", url="u"),
    "{not json",
    json.dumps(["a", "list"]),
    _record(title="no text here"),
    _record(text="   "),
    _record(text=HOMS_TEXT + " 1", date="yesterday-ish"),
    b"{\"text\": \"" + "حلب".encode("cp1256") + b"\"}",
    _record(content="<html><body><p>" + HOMS_TEXT + "</p><script>x()</script></body></html>",
            published="2017-07-23"),
    _record(text=ALEPPO_TEXT, date="2017-07-22"),  # the same text as line 1
    _record(text=HOMS_TEXT + " بلا تاريخ"),
]


@pytest.fixture(scope="module")
def bad_batch(tmp_path_factory: pytest.TempPathFactory, pipeline) -> tuple[Path, object, Store]:
    """A .jsonl with good and bad records, ingested once."""
    folder = tmp_path_factory.mktemp("bad")
    source = _write_lines(folder / "mixed.jsonl", BAD_BATCH)
    report = ingest_paths([source], folder / "store", pipeline, progress=False)
    return source, report, Store(folder / "store")


def test_bad_records_are_rejected_with_reason_and_line(bad_batch) -> None:
    source, report, store = bad_batch
    rejects = store.rejects()
    assert list(zip(rejects["line"], rejects["reason"])) == [
        (2, "not_json"), (3, "not_object"), (4, "no_text"), (5, "empty_text"),
        (6, "bad_date"), (7, "not_utf8")]
    assert set(rejects["file"]) == {str(source)}
    assert report.ingested + report.rejected + report.duplicates == len(BAD_BATCH)
    assert (report.ingested, report.rejected, report.duplicates) == (3, 6, 1)


def test_good_records_of_a_bad_batch_go_in(bad_batch) -> None:
    source, _, store = bad_batch
    articles = store.table("articles").to_pylist()
    by_origin = {a["origin"]: a for a in articles}
    assert set(by_origin) == {f"{source}:1", f"{source}:8", f"{source}:10"}
    first = by_origin[f"{source}:1"]
    assert (first["date"], first["date_precision"], first["external_id"]) == (
        date(2017, 7, 22), "day", "ok1")
    assert by_origin[f"{source}:10"]["date"] is None  # undated, never today's date
    assert by_origin[f"{source}:10"]["date_precision"] == "unknown"


def test_html_is_reduced_to_its_text(bad_batch) -> None:
    source, _, store = bad_batch
    html = next(a for a in store.table("articles").to_pylist() if a["origin"] == f"{source}:8")
    assert html["text"] == HOMS_TEXT and html["date"] == date(2017, 7, 23)


def test_mentions_carry_place_codes_date_and_point_into_the_text(bad_batch) -> None:
    _, _, store = bad_batch
    texts = {a["article_id"]: a["text"] for a in store.table("articles").to_pylist()}
    mentions = store.table("mentions").to_pylist()
    assert {"SY-HL", "SY-HI"} <= {m["admin1"] for m in mentions}
    for m in mentions:
        assert texts[m["article_id"]][m["start"]:m["end"]] == m["text"]
    aleppo = next(m for m in mentions if m["admin1"] == "SY-HL")
    assert aleppo["date"] == date(2017, 7, 22) and aleppo["date_precision"] == "day"
    assert aleppo["admin1_pcode"] == "SY02" and isinstance(aleppo["zone_ids"], list)
    assert (aleppo["point"], aleppo["kind"]) == ("place", "") and aleppo["basis"]
    assert all(m["point"] in ("place", "unit", "none") and m["basis"] for m in mentions)


def test_reingest_adds_nothing_and_new_input_adds_only_itself(bad_batch, tmp_path: Path, pipeline) -> None:
    source, _, _ = bad_batch
    root = tmp_path / "store"
    ingest_paths([source], root, pipeline, progress=False)
    before = {t: Store(root).table(t) for t in ("articles", "mentions", "rejects")}
    again = ingest_paths([source], root, pipeline, progress=False)
    assert again.ingested == 0 and again.duplicates == 4
    for name, table in before.items():
        assert Store(root).table(name).equals(table)
    extra = _write_lines(tmp_path / "extra.jsonl", [_record(text="غارات على مدينة إدلب اليوم.")])
    more = ingest_paths([source, extra], root, pipeline, progress=False)
    assert more.ingested == 1 and Store(root).stats()["articles"] == before["articles"].num_rows + 1


def test_csv_rows_with_multiline_fields(tmp_path: Path, pipeline) -> None:
    path = tmp_path / "news.csv"
    path.write_text('title,content,date\n"حلب","' + ALEPPO_TEXT + '\nسطر ثان",22 يوليو 2017\n'
                    '"حمص","' + HOMS_TEXT + '",not a date\n', encoding="utf-8")
    report = ingest_paths([path], tmp_path / "store", pipeline, progress=False)
    store = Store(tmp_path / "store")
    assert report.ingested == 1
    assert store.table("articles").column("origin").to_pylist() == [f"{path}:2"]
    assert store.rejects()[["line", "reason"]].values.tolist() == [[4, "bad_date"]]


def test_txt_folder_with_sidecars(tmp_path: Path, pipeline) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(ALEPPO_TEXT, encoding="utf-8")
    (folder / "a.json").write_text('{"title": "عنوان", "date": "آب 2016", "url": "http://x"}',
                                   encoding="utf-8")
    (folder / "b.txt").write_bytes(HOMS_TEXT.encode("cp1256"))
    (folder / "c.txt").write_text(HOMS_TEXT, encoding="utf-8")
    (folder / "c.json").write_text("{broken", encoding="utf-8")
    (folder / "notes.md").write_text("not an article", encoding="utf-8")
    report = ingest_paths([folder], tmp_path / "store", pipeline, progress=False)
    store = Store(tmp_path / "store")
    [article] = store.table("articles").to_pylist()
    assert (article["title"], article["date"], article["date_precision"]) == (
        "عنوان", date(2016, 8, 1), "month")
    assert store.rejects()["reason"].tolist() == ["not_utf8", "bad_sidecar"]
    assert report.skipped_files == [str(folder / "notes.md")]


def test_repository_sample_is_july_2017_month_precision(tmp_path: Path, pipeline) -> None:
    report = ingest_paths([SAMPLES], tmp_path / "store", pipeline, progress=False)
    store = Store(tmp_path / "store")
    [article] = store.table("articles").to_pylist()
    assert report.rejected == 0
    assert article["title"] == "حمص.. عقبة جديدة أمام مفاوضات خفض التصعيد بسوريا"
    assert (article["date"], article["date_precision"], article["source"]) == (
        date(2017, 7, 1), "month", "user sample")
    homs = store.place_counts(Filters(admin1=["SY-HI"]))
    assert not homs.empty
    assert store.date_span() == (date(2017, 7, 1), date(2017, 7, 31))


def test_add_texts_reports_new_duplicate_and_rejected(tmp_path: Path, pipeline) -> None:
    store = Store(tmp_path / "store")
    report = store.add_texts([ALEPPO_TEXT, {"text": ALEPPO_TEXT + "\r\n"}, "",
                              {"text": HOMS_TEXT, "date": "x"}, "<div><p></p><br/></div>"], pipeline)
    assert (report.ingested, report.duplicates, report.rejected) == (1, 1, 3)
    assert [r.reason for r in report.rejects] == ["empty_text", "bad_date", "empty_text"]
    assert store.stats()["articles"] == 1 and not store.place_counts().empty
    upload = store.add_file("up.jsonl", _record(text=HOMS_TEXT, date="2017-08").encode(), pipeline)
    assert upload.ingested == 1 and store.stats()["articles"] == 2
    cited = store.citations()  # what the geoparser said, from the paste and from the upload
    assert len(set(cited["article_id"])) == 2
    assert set(cited["point"]) == {"place"} and cited["basis"].str.len().min() > 0


def test_a_crash_between_writing_and_listing_a_part_loses_nothing(
        bad_batch, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pipeline) -> None:
    source, _, clean = bad_batch
    root = tmp_path / "store"
    real_publish = Writer.publish
    calls = []

    def dying_publish(self: Writer, parts: list[str]) -> None:
        calls.append(parts)
        if len(calls) == 2:
            raise KeyboardInterrupt  # killed after the part's files, before the manifest
        real_publish(self, parts)

    monkeypatch.setattr(Writer, "publish", dying_publish)
    with pytest.raises(KeyboardInterrupt):
        ingest_paths([source], root, pipeline, batch_size=1, progress=False)
    monkeypatch.setattr(Writer, "publish", real_publish)
    assert Store(root).stats()["articles"] == 1  # readable, first part only
    assert len(list((root / "parts").iterdir())) == 2  # plus the unlisted one
    ingest_paths([source], root, pipeline, batch_size=1, progress=False)
    for name in ("articles", "mentions", "actor_mentions", "rejects"):
        assert Store(root).table(name).equals(clean.table(name))
    listed = [p["name"] for p in json.loads((root / "manifest.json").read_text())["parts"]]
    assert sorted(p.name for p in (root / "parts").iterdir()) == sorted(listed)  # orphan swept


def test_many_small_ingests_are_merged_without_changing_content(tmp_path: Path, pipeline) -> None:
    texts = [f"{ALEPPO_TEXT} {i}" for i in range(12)]
    source = _write_lines(tmp_path / "twelve.jsonl", [_record(text=t, date="2017-07-22") for t in texts])
    one_part = ingest_paths([source], tmp_path / "one", pipeline, progress=False)
    small = ingest_paths([source], tmp_path / "small", pipeline, batch_size=1, progress=False)
    assert (one_part.parts, small.parts) == (1, 12)
    assert Store(tmp_path / "small").stats()["parts"] == 1  # merged after the ingest
    for name in ("articles", "mentions", "actor_mentions", "rejects"):
        assert Store(tmp_path / "small").table(name).equals(Store(tmp_path / "one").table(name))


class _EverythingInZoneZ:
    """Layers stand-in: every dated point is in zone z and held by GOV."""

    fingerprint = "everything-in-z"

    def annotate(self, df):
        out = df.copy()
        out["zone_ids"] = [["z"] if d is not None else [] for d in df["date"]]
        out["controller"] = ["GOV" if d is not None else None for d in df["date"]]
        return out


def test_reannotate_applies_new_layers_to_stored_mentions(bad_batch, tmp_path: Path, pipeline) -> None:
    from snm.pipeline import Pipeline
    from store.maintenance import reannotate
    source, _, clean = bad_batch
    root = tmp_path / "store"
    ingest_paths([source], root, pipeline, progress=False)
    new = Pipeline(pipeline.gazetteer, pipeline.actors, _EverythingInZoneZ())
    done = reannotate(root, new)
    assert done.parts == 1 and done.reanalysed == 0 and done.relayered > 0  # layers only
    assert reannotate(root, new).unchanged == 1  # nothing left to do
    store = Store(root)
    mentions = store.table("mentions").to_pylist()
    assert mentions and all(m["zone_ids"] == ["z"] for m in mentions if m["date"] is not None)
    assert all(m["zone_ids"] == [] and m["controller"] is None for m in mentions if m["date"] is None)
    assert len(store.mentions(Filters(zones=["z"], syria_only=False))) == sum(
        m["date"] is not None for m in mentions)
    assert store.table("articles").equals(clean.table("articles"))


# ---------------------------------------------------------------- the command line


def _cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "store", *args], cwd=REPO, capture_output=True,
                          text=True, env={**os.environ, **(env or {})}, timeout=300)


@pytest.mark.parametrize("args, message", [
    (["ingest", "no/such/file.jsonl"], "no such file"),
    (["ingest", "README.pdf"], "no such file"),
    (["ingest", "Makefile"], "cannot read"),
    (["stats"], "no store at"),
    (["ingest", "data/samples", "--batch-size", "0"], "batch size"),
])
def test_cli_bad_input_is_one_clear_line(tmp_path: Path, args: list[str], message: str) -> None:
    done = _cli(*args, "--store", str(tmp_path / "s"))
    assert done.returncode == 1
    assert message in done.stderr and "Traceback" not in done.stderr


def test_cli_folder_without_articles(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    done = _cli("ingest", str(tmp_path / "empty"), "--store", str(tmp_path / "s"))
    assert done.returncode == 1 and "no .jsonl, .csv, .txt files" in done.stderr


def test_cli_store_path_that_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    done = _cli("ingest", str(SAMPLES), "--store", str(tmp_path / "file"))
    assert done.returncode == 1 and "not a directory" in done.stderr


def test_cli_ingest_then_stats_from_env_store(tmp_path: Path) -> None:
    env = {"SNM_STORE": str(tmp_path / "s")}
    done = _cli("ingest", str(SAMPLES), env=env)
    assert done.returncode == 0, done.stderr
    assert "article/s" not in done.stderr  # no progress bar when stderr is not a terminal
    stats = json.loads(_cli("stats", "--json", env=env).stdout)
    assert {"articles", "mentions", "rejects", "date_min", "date_max"} <= set(stats)
    assert (stats["articles"], stats["date_min"], stats["rejects"]) == (1, "2017-07-01", 0)
    assert stats["mentions"] > 0


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_cli_progress_bar_on_a_terminal(tmp_path: Path) -> None:
    import fcntl
    import struct
    import termios
    leader, follower = os.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    proc = subprocess.Popen([sys.executable, "-m", "store", "ingest", str(SAMPLES), "--store",
                             str(tmp_path / "s")], cwd=REPO, stdout=subprocess.DEVNULL, stderr=follower)
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closes when the process ends
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    assert proc.wait(timeout=300) == 0
    assert "1/1" in shown.decode() and "article/s" in shown.decode()
