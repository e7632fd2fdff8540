"""One pipeline everywhere: the geoparse CLI, ingest and the app's add-text agree (issue 11)."""
from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

from snm.pipeline import Pipeline
from snm.settings import REPO
from store import Store
from store.ingest import ingest_paths

# A village only the user's gazetteer knows, in a sentence that also names a known town.
TEXT = "قصفت الطائرات بلدة كفرزيتون التجريبية قرب مدينة حماة، وأعلنت الحكومة السورية أنها ستحقق"
USER_ROWS = ("name_ar,name_en,lat,lon,admin1_pcode,pcode,level\n"
             "كفرزيتون التجريبية,Kafr Zaytun test,35.36,36.61,SY05,C9,populated_place\n")


def _keys(mentions: list[dict]) -> list[tuple]:
    """What must agree between the paths: span, place, codes."""
    return [(m["start"], m["end"], m["place_id"], m["admin1"], m["admin3_pcode"]) for m in mentions]


def test_geoparse_ingest_and_add_text_give_the_same_mentions(tmp_path: Path) -> None:
    gaz = tmp_path / "mine.csv"
    gaz.write_text(USER_ROWS, encoding="utf-8")
    doc = tmp_path / "a.txt"
    doc.write_text(TEXT, encoding="utf-8")
    cli = subprocess.run([sys.executable, "-m", "geo.geoparse", str(doc), "--gazetteer", str(gaz)],
                         cwd=REPO, capture_output=True, text=True, timeout=300)
    assert cli.returncode == 0, cli.stderr
    from_cli = _keys([json.loads(line) for line in cli.stdout.splitlines()])
    assert ("C9", "SY-HM") in {(k[2], k[3]) for k in from_cli}  # the user's village is found

    pipeline = Pipeline.from_files([gaz])
    ingest_paths([doc], tmp_path / "ingested", pipeline, progress=False)
    store = Store(tmp_path / "app")
    store.add_texts([TEXT], pipeline)  # what the app's paste box calls

    for path in (tmp_path / "ingested", tmp_path / "app"):
        rows = Store(path).table("mentions").to_pylist()
        assert _keys(sorted(rows, key=lambda r: (r["start"], r["end"]))) == from_cli, path

    # the store recorded the user's gazetteer: a later ingest without --gazetteer uses it too
    cmd = [sys.executable, "-m", "store", "ingest", str(doc), "--store", str(tmp_path / "cli")]
    assert subprocess.run([*cmd, "--gazetteer", str(gaz)], cwd=REPO, capture_output=True,
                          timeout=300).returncode == 0
    again = tmp_path / "b.txt"
    again.write_text(TEXT + " مرة أخرى", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "store", "ingest", str(again), "--store",
                           str(tmp_path / "cli")], cwd=REPO, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    rows = Store(tmp_path / "cli").table("mentions").to_pylist()
    assert sum(r["place_id"] == "C9" for r in rows) == 2


def test_a_dated_articles_actors_follow_its_date(tmp_path: Path, pipeline) -> None:
    store = Store(tmp_path / "s")
    store.add_texts([{"text": "أعلنت الحكومة السورية في دمشق خطة جديدة", "date": "2025-01-15"},
                     {"text": "قالت الحكومة السورية في دمشق إن القصف مستمر", "date": "2017-07-25"}],
                    pipeline)
    by_date = {}
    for art in store.articles().to_dict("records"):
        full = store.article(art["article_id"])
        by_date[full["date"]] = {a["actor_id"] for a in full["actors"]}
    assert by_date[dt.date(2025, 1, 15)] == {"transitional_gov"}
    assert by_date[dt.date(2017, 7, 25)] == {"gov_assad"}


def test_the_pipeline_names_what_annotated_a_part(tmp_path: Path, pipeline) -> None:
    store = Store(tmp_path / "s")
    store.add_texts(["قصف على حمص"], pipeline)
    manifest = json.loads((tmp_path / "s" / "manifest.json").read_text(encoding="utf-8"))
    (part,) = manifest["parts"]
    assert part["analysis"] == pipeline.analysis_version
    assert part["layers"] == pipeline.layers.fingerprint


def test_a_new_edition_of_the_rules_makes_annotated_parts_stale(tmp_path: Path, pipeline,
                                                                monkeypatch) -> None:
    # a rule change (Turkey was a Raqqa village) must not leave a store's old mentions unnoticed
    from store.__main__ import _stale_parts
    store = Store(tmp_path / "s")
    store.add_texts(["قصف على حمص"], pipeline)
    assert _stale_parts(tmp_path / "s", pipeline) == 0
    monkeypatch.setattr("snm.pipeline.RULES_VERSION", "next")
    assert _stale_parts(tmp_path / "s", pipeline) == 1
