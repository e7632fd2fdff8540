"""The geoparse and evaluate commands: output, bad input, exit codes."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from snm.settings import REPO


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    """Run a module of this repo as users do."""
    return subprocess.run([sys.executable, "-m", *args], cwd=REPO, capture_output=True,
                          text=True, input=stdin, timeout=300)


def test_article_to_json_lines(tmp_path):
    doc = tmp_path / "a.txt"
    doc.write_text("قصفت الطائرات بلدة عين ترما ومدينة دوما في الغوطة الشرقية", encoding="utf-8")
    r = run("geo.geoparse", str(doc))
    assert r.returncode == 0, r.stderr
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    text = doc.read_text(encoding="utf-8")
    assert [row["name_en"] for row in rows][-2:] == ["Duma", "Eastern Ghouta"]
    assert all(text[row["start"]:row["end"]] == row["text"] for row in rows)


def test_jsonl_reports_bad_lines_and_processes_the_rest(tmp_path):
    src = tmp_path / "a.jsonl"
    src.write_text('{"id": "a", "text": "قصف على حمص"}\nnot json\n{"id": "c"}\n'
                   '{"id": 4, "text": "معارك في إدلب"}\n', encoding="utf-8")
    r = run("geo.geoparse", "--jsonl", str(src))
    assert r.returncode == 3
    out = [json.loads(line) for line in r.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a", 4]
    assert out[1]["mentions"][0]["admin1"] == "SY-ID"
    assert ":2: rejected: not JSON" in r.stderr and ':3: rejected: no "text"' in r.stderr
    assert "Traceback" not in r.stderr


@pytest.mark.parametrize("content,message", [
    (b"", "empty text"),
    ("\u0627\u0644\u0633\u0644\u0627\u0645".encode("cp1256"), "not UTF-8"),
    (b"Latin text only about Homs and Idlib", "Latin-only"),
])
def test_bad_articles_get_a_clear_message(tmp_path, content, message):
    doc = tmp_path / "bad.txt"
    doc.write_bytes(content)
    r = run("geo.geoparse", str(doc))
    assert r.returncode == 1
    assert message in r.stderr and "Traceback" not in r.stderr


def test_missing_file(tmp_path):
    r = run("geo.geoparse", str(tmp_path / "nope.txt"))
    assert r.returncode == 1 and "no such file" in r.stderr


def test_huge_file_is_refused(tmp_path):
    doc = tmp_path / "big.txt"
    with doc.open("wb") as f:
        f.write(("حمص " * 1000 + "\n").encode() * 7000)  # ~50 MB
    assert doc.stat().st_size > 49e6
    r = run("geo.geoparse", str(doc))
    assert r.returncode == 1 and "too large" in r.stderr


def test_html_is_blanked_not_lost(tmp_path):
    doc = tmp_path / "page.html"
    doc.write_text('<html><script>var حمص=1</script><p>قصف على <b>إدلب</b></p></html>',
                   encoding="utf-8")
    r = run("geo.geoparse", str(doc))
    assert r.returncode == 3 and "HTML" in r.stderr
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    assert [row["admin1"] for row in rows] == ["SY-ID"]
    assert doc.read_text(encoding="utf-8")[rows[0]["start"]:rows[0]["end"]] == "إدلب"


def test_user_gazetteer_with_a_missing_column_is_explained(tmp_path):
    gaz = tmp_path / "g.csv"
    gaz.write_text("name_ar,lat,lon\nقرية,1,2\n", encoding="utf-8")
    doc = tmp_path / "a.txt"
    doc.write_text("حمص", encoding="utf-8")
    r = run("geo.geoparse", str(doc), "--gazetteer", str(gaz))
    assert r.returncode == 1 and "missing column(s) name_en" in r.stderr


def test_user_gazetteer_adds_places(tmp_path):
    gaz = tmp_path / "g.csv"
    gaz.write_text("name_ar,name_en,lat,lon,admin1_pcode,pcode\nكفرزيتون التجريبية,Test,35.3,36.6,SY05,C9\n",
                   encoding="utf-8")
    doc = tmp_path / "a.txt"
    doc.write_text("قصف على بلدة كفرزيتون التجريبية", encoding="utf-8")
    r = run("geo.geoparse", str(doc), "--gazetteer", str(gaz))
    assert r.returncode == 0, r.stderr
    (row,) = [json.loads(line) for line in r.stdout.splitlines()]
    assert row["place_id"] == "C9" and row["admin1"] == "SY-HM" and row["admin1_pcode"] == "SY05"


def test_evaluation_command_scores_the_sample(tmp_path, shared):
    gold = tmp_path / "gold.jsonl"
    made = subprocess.run([sys.executable, str(REPO / "tools" / "sample_gold.py"), str(gold),
                           "--tiers", "core", "--samples", str(shared / "samples")],
                          capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    r = run("geo.evaluate", str(gold), "--json")
    assert r.returncode == 0, r.stderr
    s = json.loads(r.stdout)
    assert s["recall"] == 1.0 and s["precision"] >= 0.9 and s["admin1_accuracy"] == 1.0


def test_evaluation_scores_what_it_is_given():
    from geo.evaluate import score
    from geo.gazetteer import load_default
    docs = [{"text": "قصف على حمص ثم إدلب", "locations": [{"start": 8, "end": 11, "admin1": "SY-HM"}]}]
    s = score(docs, load_default())
    assert (s.gold, s.predicted, s.recall, s.precision) == (1, 2, 1.0, 0.5)
    assert s.admin1_accuracy == 0.0
