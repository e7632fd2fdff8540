"""Issue 13, item 5: parts verified when committed; a damaged part is named and left out, never a
traceback; `check` finds it, `repair` quarantines it and names the files to ingest again."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from snm.errors import StoreError
from store import Filters, Store
from store.ingest import ingest_paths
from store.maintenance import check, compact
from store.parts import MANIFEST, PARTS, QUARANTINE, Writer, file_digest, load_manifest
from store.schema import TABLES, to_table

ALEPPO = "قصفت الطائرات مدينة حلب أمس وسقط قتلى في الأحياء الشرقية"
HOMS = "اشتباكات عنيفة في مدينة حمص بين القوات الحكومية والمعارضة"


def _source(folder: Path, name: str, base: str, n: int) -> Path:
    """A .jsonl of n articles (and one bad line, so the part has a reject too)."""
    lines = [json.dumps({"text": f"{base} {name} {i}", "date": "2017-07-22"}, ensure_ascii=False)
             for i in range(n)] + ["{not json"]
    path = folder / f"{name}.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def three_parts(tmp_path: Path, pipeline) -> tuple[Path, dict[str, Path], dict[str, str]]:
    """A store of three parts, one per input file: the root, the files, the part of each file."""
    folder = tmp_path / "in"
    folder.mkdir()
    files = {name: _source(folder, name, text, 6) for name, text in
             (("a", ALEPPO), ("b", HOMS), ("c", ALEPPO + " و" + HOMS))}
    root = tmp_path / "store"
    for path in files.values():
        ingest_paths([path], root, pipeline, progress=False)
    part_of = {name: next(p.name for p in load_manifest(root).parts if str(path) in p.origins)
               for name, path in files.items()}
    assert len(set(part_of.values())) == 3
    return root, files, part_of


def _damage(path: Path, how: str) -> None:
    """Damage one Parquet file the way disks and people do."""
    size = path.stat().st_size
    if how == "truncated":
        os.truncate(path, size // 2)
    elif how == "zeroed":
        path.write_bytes(b"\0" * size)
    elif how == "deleted":
        path.unlink()
    elif how == "flipped":  # same size, footer intact: only the checksum or decoding tells
        with open(path, "r+b") as fh:
            fh.seek(8)
            fh.write(bytes(b ^ 0xFF for b in fh.read(32)))
    else:
        raise ValueError(how)


def test_each_part_is_recorded_with_rows_bytes_and_checksums(three_parts) -> None:
    root = three_parts[0]
    for info in load_manifest(root).parts:
        assert set(info.rows) == set(info.sha256) == set(info.size) == set(TABLES)
        assert (info.rows["articles"], info.rows["rejects"]) == (6, 1)
        for table in TABLES:
            assert file_digest(root / PARTS / info.name / f"{table}.parquet") == (
                info.sha256[table], info.size[table])
    assert check(root).damaged == []


def test_a_part_that_fails_its_check_after_writing_is_never_listed(tmp_path: Path, monkeypatch) -> None:
    import store.parts as parts
    root = tmp_path / "store"
    real = parts._write_parquet

    def short_write(table, path: Path) -> None:
        real(table, path)
        os.truncate(path, path.stat().st_size - 10)  # what a full disk or a bad write leaves

    monkeypatch.setattr(parts, "_write_parquet", short_write)
    writer = Writer.open(root)
    with writer.locked(), pytest.raises(StoreError, match="failed its check"):
        writer.add({"articles": to_table("articles", [{"article_id": "x", "text": "t"}])})
    monkeypatch.setattr(parts, "_write_parquet", real)
    assert load_manifest(root).parts == () and Store(root).stats()["articles"] == 0
    with writer.locked():  # the next writer sweeps what the failed one left
        pass
    assert list((root / PARTS).iterdir()) == []


@pytest.mark.parametrize("how, table", [("truncated", "articles"), ("zeroed", "mentions"),
                                        ("deleted", "rejects"), ("flipped", "articles")])
def test_a_damaged_part_is_named_left_out_then_repaired(
        three_parts, how: str, table: str, store_cli, content_hash, pipeline) -> None:
    root, files, part_of = three_parts
    complete = content_hash(root)
    victim = part_of["b"]
    _damage(root / PARTS / victim / f"{table}.parquet", how)

    store = Store(root)  # the app's view: every query answers, without the damaged part
    assert store.table("articles").num_rows == 12 and store.damaged.keys() == {victim}
    assert "b.jsonl" not in " ".join(store.table("articles").column("origin").to_pylist())
    f = Filters(include_undated=True, syria_only=False)
    for query in (store.mentions, store.place_counts, store.admin1_counts, store.daily_counts,
                  store.articles, store.actor_counts, store.place_articles):
        query(f)
    store.date_span(), store.rejects(), store.article("nope")
    assert store.stats()["damaged_parts"] == 1

    # stats and rejects read no page of a file damaged only inside: the counts are still right
    commands = [["ingest", str(files["a"])], ["compact"]]
    if how != "flipped":
        commands += [["stats"], ["rejects"]]
    for args in commands:
        done = store_cli(*args, "--store", str(root))
        assert done.returncode == 3, (args, done.stderr)
        assert victim in done.stderr and "Traceback" not in done.stderr

    found = store_cli("check", "--store", str(root))
    assert found.returncode == 3 and victim in found.stdout and str(files["b"]) in found.stdout
    assert str(files["a"]) not in found.stdout

    fixed = store_cli("repair", "--store", str(root), "--json")
    assert fixed.returncode == 0, fixed.stderr
    report = json.loads(fixed.stdout)
    assert [d["part"] for d in report["damaged"]] == [victim]
    assert report["ingest_again"] == [str(files["b"])] and report["damaged"][0]["articles"] == 6
    assert (root / QUARANTINE / victim).is_dir()  # moved, never deleted
    assert victim not in json.loads((root / MANIFEST).read_text())["parts"].__repr__()
    assert store_cli("check", "--store", str(root)).returncode == 0

    again = store_cli("ingest", *report["ingest_again"], "--store", str(root))
    assert again.returncode == 0, again.stderr
    assert content_hash(root) == complete


def test_a_part_whose_folder_is_gone_is_unlisted_by_repair(three_parts, store_cli) -> None:
    root, files, part_of = three_parts
    (root / PARTS / part_of["c"]).rename(root.parent / "elsewhere")
    assert Store(root).stats()["articles"] == 12
    fixed = store_cli("repair", "--store", str(root))
    assert fixed.returncode == 0 and str(files["c"]) in fixed.stdout
    assert len(load_manifest(root).parts) == 2


def test_compaction_merges_around_a_damaged_part(three_parts) -> None:
    root, _, part_of = three_parts
    _damage(root / PARTS / part_of["a"] / "mentions.parquet", "zeroed")
    damaged: dict[str, str] = {}
    assert compact(root, damaged) == 2 and list(damaged) == [part_of["a"]]
    assert len(load_manifest(root).parts) == 2
    assert Store(root).table("articles").num_rows == 12


def test_a_part_a_compaction_removes_while_it_is_checked_is_not_called_damaged(
        three_parts, monkeypatch, caplog) -> None:
    import store.maintenance
    import store.query
    root = three_parts[0]
    real = store.query.check_part
    raced = []

    def check_during_a_compaction(*args, **kwargs):
        if not raced:
            raced.append(store.maintenance.compact(root))  # another process merges meanwhile
        return real(*args, **kwargs)

    monkeypatch.setattr(store.query, "check_part", check_during_a_compaction)
    reader = Store(root)
    assert raced == [3] and reader.damaged == {} and reader.stats()["articles"] == 18
    assert "damaged" not in caplog.text


def test_check_does_not_call_a_part_a_compaction_removed_damaged(tmp_path: Path, pipeline,
                                                                  monkeypatch) -> None:
    import store.maintenance
    folder = tmp_path / "in"
    folder.mkdir()
    root = tmp_path / "store"
    for name in "ab":
        ingest_paths([_source(folder, name, ALEPPO, 2)], root, pipeline, progress=False)
    real = store.maintenance.check_part
    raced: list[int] = []

    def check_during_a_compaction(*args, **kwargs):
        if not raced:
            raced.append(0)
            raced.append(store.maintenance.compact(root))  # another process merges meanwhile
        return real(*args, **kwargs)

    monkeypatch.setattr(store.maintenance, "check_part", check_during_a_compaction)
    report = check(root)
    assert raced == [0, 2] and report.damaged == [] and report.parts == 1
