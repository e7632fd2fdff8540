"""Issue 13, item 6 (store and input side): clear errors for odd options and odd files, one error
for a file that is not JSON Lines, a word for an empty one, the UTF-16 hint, URLs never cut,
progress lines for scripts."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from snm.settings import REPO
from store import Store

ARTICLE = "قصفت الطائرات مدينة حلب أمس وسقط قتلى في الأحياء الشرقية."


def geoparse(*args: str) -> subprocess.CompletedProcess:
    """`python -m geo.geoparse ARGS`."""
    return subprocess.run([sys.executable, "-m", "geo.geoparse", *args], cwd=REPO,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


# ---- --gazetteer DIR, --max-mb ----------------------------------------------------------------

def test_store_ingest_with_a_gazetteer_folder_is_one_clear_line(tmp_path: Path, article: Path,
                                                                store_cli) -> None:
    done = store_cli("ingest", str(article), "--gazetteer", str(tmp_path), "--store",
                     str(tmp_path / "s"))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.strip() == f"error: --gazetteer {tmp_path} is a folder; give a file"
    assert not (tmp_path / "s").exists()


def test_store_ingest_with_a_missing_layers_file_is_one_clear_line(tmp_path: Path, article: Path,
                                                                   store_cli) -> None:
    done = store_cli("ingest", str(article), "--layers", str(tmp_path / "no.geojson"),
                     "--store", str(tmp_path / "s"))
    assert done.returncode == 1 and "no such file" in done.stderr and "Traceback" not in done.stderr


def test_geoparse_with_a_gazetteer_folder_is_one_clear_line(tmp_path: Path, article: Path) -> None:
    done = geoparse(str(article), "--gazetteer", str(tmp_path))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and str(tmp_path) in done.stderr


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "0"])
def test_geoparse_max_mb_must_be_a_positive_number(article: Path, value: str) -> None:
    done = geoparse(str(article), "--max-mb", value)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "--max-mb must be a positive number" in done.stderr and done.stdout == ""


@pytest.mark.parametrize("value", ["nan", "inf", "-1"])
def test_store_progress_interval_must_be_a_number_of_seconds(article: Path, tmp_path: Path,
                                                             store_cli, value: str) -> None:
    done = store_cli("ingest", str(article), "--progress-every", value, "--store", str(tmp_path / "s"))
    assert done.returncode == 1 and "--progress-every" in done.stderr and "Traceback" not in done.stderr


# ---- --jsonl given a text file, an empty JSON Lines file ----------------------------------

def test_geoparse_jsonl_given_a_text_article_fails_once(tmp_path: Path) -> None:
    path = tmp_path / "article.txt"
    path.write_text("\n".join([ARTICLE] * 20), encoding="utf-8")
    done = geoparse("--jsonl", str(path))
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "not JSON Lines" in done.stderr


def test_geoparse_jsonl_with_a_bad_first_record_still_reads_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text('{"id": 1, "text": "قصف على حمص"\n{"id": 2, "text": "قصف على حمص"}\n',
                    encoding="utf-8")
    done = geoparse("--jsonl", str(path))
    assert done.returncode == 3 and [json.loads(x)["id"] for x in done.stdout.splitlines()] == [2]


def test_geoparse_empty_jsonl_exits_0_with_a_word(tmp_path: Path) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_bytes(b"\n\n")
    done = geoparse("--jsonl", str(path))
    assert done.returncode == 0 and "no records" in done.stderr


def test_store_ingest_of_an_empty_jsonl_exits_0_with_a_word(tmp_path: Path, store_cli) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_bytes(b"")
    done = store_cli("ingest", str(path), "--store", str(tmp_path / "s"))
    assert done.returncode == 0, done.stderr
    assert f"{path}: no records" in done.stderr and "Traceback" not in done.stderr


# ---- UTF-16 ----------------------------------------------------------------------------------

ENCODINGS = ["utf-16", "utf-16-le", "utf-16-be"]


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_geoparse_names_utf16(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(ARTICLE.encode(encoding))
    done = geoparse(str(path))
    assert done.returncode == 1 and "UTF-16" in done.stderr and "WINDOWS-1256" not in done.stderr
    jsonl = tmp_path / "a.jsonl"
    jsonl.write_bytes((json.dumps({"text": ARTICLE}, ensure_ascii=False) + "\n").encode(encoding) * 3)
    done = geoparse("--jsonl", str(jsonl))
    assert done.returncode == 1 and done.stderr.count("\n") == 1 and "UTF-16" in done.stderr


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_store_ingest_names_utf16_once_per_file(tmp_path: Path, pipeline, encoding: str) -> None:
    from store.ingest import ingest_paths
    folder = tmp_path / "in"
    folder.mkdir()
    record = json.dumps({"text": ARTICLE}, ensure_ascii=False)
    (folder / "a.txt").write_bytes(ARTICLE.encode(encoding))
    (folder / "b.jsonl").write_bytes(f"{record}\n{record}\n".encode(encoding))
    (folder / "c.csv").write_bytes(f"text\n{ARTICLE}\n{ARTICLE} 2\n".encode(encoding))
    report = ingest_paths([folder], tmp_path / "s", pipeline, progress=False)
    assert report.rejected == 3 and report.ingested == 0
    assert all(r.reason == "not_utf8" and "UTF-16" in r.detail and "1256" not in r.detail
               for r in report.rejects)


# ---- a URL with tags -------------------------------------------------------------------------

@pytest.mark.parametrize("url", [
    "http://example.com/news?id=<script>alert(1)</script>",
    "<a href='http://example.com/x'>http://example.com/x</a>",
    "http://example.com/a\u0000b",
])
def test_a_url_with_tags_is_rejected_or_kept_never_cut(tmp_path: Path, pipeline, url: str) -> None:
    store = Store(tmp_path / "s")
    report = store.add_texts([{"text": ARTICLE, "url": url},
                              {"text": ARTICLE + " 2", "url": "https://aawsat.com/home/article/1/سوريا"}],
                             pipeline)
    stored = {a["text"][-1]: a["url"] for a in store.table("articles").to_pylist()}
    assert stored["2"] == "https://aawsat.com/home/article/1/سوريا"
    if report.rejected:
        assert [r.reason for r in report.rejects] == ["bad_url"] and "." not in stored
    else:
        assert stored["."] == url


# ---- progress for scripts ---------------------------------------------------------------------

def test_ingest_from_a_script_logs_progress_lines(tmp_path: Path, store_cli) -> None:
    path = tmp_path / "three.jsonl"
    path.write_text("".join(json.dumps({"text": f"{ARTICLE} {i}"}, ensure_ascii=False) + "\n"
                            for i in range(3)), encoding="utf-8")
    done = store_cli("ingest", str(path), "--batch-size", "1", "--progress-every", "0",
                     "--store", str(tmp_path / "s"))
    assert done.returncode == 0, done.stderr
    lines = [x for x in done.stderr.splitlines() if x.startswith("ingest:")]
    assert [x.split(" records done")[0] for x in lines] == [
        "ingest: 1 of ~3", "ingest: 2 of ~3", "ingest: 3 of ~3"]
    assert "records/s" in lines[-1]
