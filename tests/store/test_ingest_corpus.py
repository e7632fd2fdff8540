"""Ingest of a real corpus (1,620 SaudiNewsNet articles): counts, dates, re-runs, kills, Dask."""
from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from snm.settings import REPO
from store import Store
from store.ingest import ingest_paths

CORPUS = REPO.parent / "shared" / "data" / "corpus" / "saudinewsnet_syria" / "saudinewsnet_syria_subset.jsonl"
TABLES = ("articles", "mentions", "actor_mentions", "rejects")



@pytest.fixture(autouse=True, scope="module")
def _corpus_present(need_shared) -> None:
    """Skip without the corpus on a developer machine; fail in CI, where ../shared is present."""
    need_shared(CORPUS)


def _lines(path: Path) -> int:
    return sum(1 for line in path.read_bytes().splitlines() if line.strip())


def _same_content(a: Store, b: Store) -> None:
    for name in TABLES:
        left, right = a.table(name), b.table(name)
        assert left.num_rows == right.num_rows, name
        differ = [c for c in left.column_names if not left.column(c).equals(right.column(c))]
        assert not differ, f"{name}: columns {differ} differ"


@pytest.fixture(scope="module")
def corpus_store(tmp_path_factory: pytest.TempPathFactory, pipeline) -> tuple[object, Store]:
    """The whole corpus ingested once, uninterrupted, by the local engine."""
    root = tmp_path_factory.mktemp("corpus") / "store"
    report = ingest_paths([CORPUS], root, pipeline, progress=False)
    return report, Store(root)


def test_every_input_line_is_stored_rejected_or_a_duplicate(corpus_store) -> None:
    report, store = corpus_store
    stats = store.stats()
    assert report.read == _lines(CORPUS) == 1620
    assert stats["articles"] + stats["rejects"] + report.duplicates == report.read
    assert stats["articles"] == report.ingested > 1500
    assert stats["mentions"] == report.mentions > stats["articles"]


def test_crawl_dates_are_parsed_to_the_day(corpus_store) -> None:
    _, store = corpus_store
    stats = store.stats()
    assert stats["undated"] == 0
    assert (stats["date_min"], stats["date_max"]) == ("2015-07-21", "2015-08-11")
    precisions = set(store.table("articles").column("date_precision").to_pylist())
    assert precisions == {"day"}
    first = json.loads(CORPUS.read_text(encoding="utf-8").splitlines()[0])
    stored = store.table("articles").to_pylist()
    row = next(a for a in stored if a["origin"] == f"{CORPUS}:1")
    assert row["date"] == date.fromisoformat(first["date_extracted"][:10])
    assert (row["title"], row["source"], row["url"]) == (first["title"], first["source"], first["url"])


def test_mentions_have_codes_and_point_into_their_text(corpus_store) -> None:
    _, store = corpus_store
    texts = {a["article_id"]: a["text"] for a in store.table("articles").to_pylist()}
    mentions = store.table("mentions").to_pylist()
    assert all(texts[m["article_id"]][m["start"]:m["end"]] == m["text"] for m in mentions)
    syrian = [m for m in mentions if m["country"] == "SY" and m["level"] != "country"]
    assert syrian and all(m["date"] is not None for m in mentions)
    assert {m["admin1"] for m in syrian if m["admin1"]} >= {"SY-HL", "SY-DI", "SY-RA"}
    assert any(m["controller"] for m in syrian)  # zones/control annotated from the layers


def test_reingest_adds_nothing(corpus_store, tmp_path: Path, pipeline) -> None:
    report, store = corpus_store
    before = {name: store.table(name) for name in TABLES}
    again = ingest_paths([CORPUS], store.path, pipeline, progress=False)
    assert again.ingested == 0 and again.parts == 0
    assert again.duplicates == report.ingested + report.duplicates
    for name, table in before.items():
        assert store.table(name).equals(table)


def test_killed_ingest_resumes_to_the_same_store(corpus_store, tmp_path: Path) -> None:
    _, complete = corpus_store
    root = tmp_path / "store"
    cmd = [sys.executable, "-m", "store", "ingest", str(CORPUS), "--store", str(root),
           "--batch-size", "50"]
    reader = Store(root)  # the app's view of the store while the ingest writes it
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    seen = [0]
    deadline = time.monotonic() + 300
    while proc.poll() is None and seen[-1] == 0 and time.monotonic() < deadline:
        seen.append(reader.stats()["articles"])
        time.sleep(0.01)
    running = proc.poll() is None
    proc.kill()
    _, err = proc.communicate()
    assert running, f"the ingest ended before it could be killed: {err.decode()[-2000:]}"
    assert seen == sorted(seen)  # reads during the ingest never failed nor went back
    partial = reader.stats()["articles"]
    assert 0 < partial < complete.stats()["articles"]
    done = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    _same_content(Store(root), complete)


def test_dask_local_cluster_gives_the_same_store(tmp_path: Path, pipeline) -> None:
    subset = tmp_path / "subset.jsonl"
    subset.write_bytes(b"".join(CORPUS.read_bytes().splitlines(keepends=True)[:240]))
    local = ingest_paths([subset], tmp_path / "local", pipeline, batch_size=40, progress=False)
    dask = ingest_paths([subset], tmp_path / "dask", pipeline, engine="dask", workers=2, processes=False,
                        batch_size=40, progress=False)
    assert dask.ingested == local.ingested > 200 and dask.parts == local.parts > 1
    _same_content(Store(tmp_path / "dask"), Store(tmp_path / "local"))
