"""Stores written before the mention columns kind, basis and point: every reader, check, repair,
compaction and re-annotation works on them, alone or mixed with newer parts."""
from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from store import Filters, Store
from store.ingest import ingest_paths
from store.maintenance import check, compact, predates_columns, reannotate, repair
from store.parts import load_manifest
from store.schema import LATER_MENTION_COLUMNS, MENTIONS, TABLES

ALEPPO = "قصفت الطائرات مدينة حلب أمس وسقط قتلى في الأحياء الشرقية."
VILLAGE = "قتلى في قرية الزعرورات في ريف إدلب الجنوبي."


def _mentions_columns(root: Path, part: str) -> list[str]:
    return pq.read_schema(root / "parts" / part / "mentions.parquet").names


def _parts(root: Path) -> list[str]:
    return load_manifest(root).names


def test_the_old_part_is_written_without_the_columns(mixed_store: Path) -> None:
    old, new = _parts(mixed_store)
    assert not set(LATER_MENTION_COLUMNS) & set(_mentions_columns(mixed_store, old))
    assert _mentions_columns(mixed_store, new) == MENTIONS.names
    assert predates_columns(mixed_store, old) and not predates_columns(mixed_store, new)


def test_old_rows_read_the_new_columns_as_null(mixed_store: Path) -> None:
    store = Store(mixed_store)
    assert store.damaged == {}
    table = store.table("mentions")
    assert table.schema.names == MENTIONS.names
    rows = {(r["article_id"], r["place_id"]): r for r in table.to_pylist()}
    assert {k: (r["kind"], r["basis"], r["point"]) for k, r in rows.items() if k[0] == "old"} == {
        ("old", "homs"): (None, None, None), ("old", "aleppo"): (None, None, None),
        ("old", "orontes"): (None, None, None)}
    assert rows[("new", "unknown:SY04:الزعرورات")]["point"] == "unit"
    assert rows[("new", "homs")]["basis"] == "prior: populated place"
    assert [m["point"] for m in store.article("old")["mentions"]] == [None, None, None]
    assert store.mentions(Filters(admin1=["SY-HL"]))["place_id"].tolist() == ["aleppo"]


def test_a_store_of_old_parts_only_reads(tmp_path: Path, old_mentions_schema) -> None:
    from store.parts import Writer
    from store.schema import to_table
    writer = Writer.open(tmp_path / "s")
    with old_mentions_schema(), writer.locked():
        writer.add({"articles": to_table("articles", [{"article_id": "a", "text": "حمص"}]),
                    "mentions": to_table("mentions", [{"article_id": "a", "text": "حمص", "start": 0,
                                                       "end": 3, "place_id": "homs", "country": "SY",
                                                       "lat": 34.7, "lon": 36.7}])})
    store = Store(tmp_path / "s")
    counts = store.place_counts()
    assert counts["place_id"].tolist() == ["homs"] and counts["point"].isna().all()
    assert store.citations()["basis"].isna().all() and store.article_count() == 1


def test_check_and_repair_pass_mixed_parts_and_still_catch_damage(mixed_store: Path) -> None:
    assert check(mixed_store).damaged == [] and check(mixed_store, full=False).damaged == []
    assert repair(mixed_store).damaged == [] and len(_parts(mixed_store)) == 2
    old = _parts(mixed_store)[0]
    path = mixed_store / "parts" / old / "mentions.parquet"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF  # the same size, another checksum
    path.write_bytes(bytes(data))
    assert [d.name for d in check(mixed_store).damaged] == [old]
    Store(mixed_store).place_counts()  # a query leaves the damaged part out, never raises
    assert [d.name for d in repair(mixed_store).damaged] == [old]
    assert (mixed_store / "quarantine" / old).is_dir() and len(_parts(mixed_store)) == 1


def test_compaction_of_mixed_parts_gives_the_new_schema(mixed_store: Path) -> None:
    before = {name: Store(mixed_store).table(name) for name in TABLES}
    assert compact(mixed_store) == 2
    [part] = _parts(mixed_store)
    for name, schema in TABLES.items():
        assert pq.read_schema(mixed_store / "parts" / part / f"{name}.parquet").names == schema.names
        assert Store(mixed_store).table(name).equals(before[name])
    entry = json.loads((mixed_store / "manifest.json").read_text())["parts"][0]
    assert entry["rows"]["mentions"] == 5 and set(entry["sha256"]) == set(TABLES)
    assert check(mixed_store).damaged == []
    assert predates_columns(mixed_store, part)  # old rows merged in: still NULL, still to redo


@pytest.fixture()
def old_ingest(tmp_path: Path, pipeline, old_mentions_schema) -> Path:
    """A store ingested (real analysis) by a version before kind, basis and point."""
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"text": ALEPPO, "date": "2017-07-22"}, ensure_ascii=False) + "\n"
                      + json.dumps({"text": VILLAGE, "date": "2017-07-23"}, ensure_ascii=False)
                      + "\n", encoding="utf-8")
    with old_mentions_schema():
        ingest_paths([source], tmp_path / "store", pipeline, progress=False)
    return tmp_path / "store"


def test_ingest_into_an_old_store_then_reannotate_fills_the_columns(old_ingest: Path, pipeline) -> None:
    [old] = _parts(old_ingest)
    added = Store(old_ingest).add_texts(["اشتباكات عنيفة في مدينة حمص اليوم."], pipeline)
    assert added.ingested == 1 and len(_parts(old_ingest)) == 2
    store = Store(old_ingest)
    assert store.citations(Filters(admin1=["SY-HI"]))["point"].tolist() == ["place"]
    assert store.citations(Filters(admin1=["SY-HL"]))["point"].isna().all()
    done = reannotate(old_ingest, pipeline)
    assert (done.parts, done.unchanged) == (1, 1) and done.reanalysed == 2
    assert old not in _parts(old_ingest)
    mentions = Store(old_ingest).table("mentions").to_pylist()
    assert all(m["point"] in ("place", "unit", "none") and m["basis"] for m in mentions)
    village = next(m for m in mentions if m["text"] == "الزعرورات")
    assert village["point"] == "unit" and village["place_id"].startswith("unknown:")
    assert reannotate(old_ingest, pipeline).unchanged == 2  # nothing left to do
