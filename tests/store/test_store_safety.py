"""Issue 13, item 1: a store is a folder the project marked; nothing it did not write is deleted."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from snm.errors import StoreError
from snm.settings import REPO
from store import Store
from store.ingest import ingest_items, ingest_paths, records_to_items
from store.maintenance import compact, reannotate
from store.parts import FORMAT, JOURNAL, MARKER, PARTS, Writer, journal_names, load_manifest

SAMPLES = REPO / "data" / "samples"
ALEPPO = "قصفت الطائرات مدينة حلب أمس وسقط قتلى في الأحياء الشرقية."


def _tree(folder: Path) -> dict[str, str]:
    """Every file under folder (relative path -> content)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes().decode("utf-8", "replace")
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_ingest_refuses_a_folder_that_is_not_a_store(tmp_path: Path, store_cli) -> None:
    folder = tmp_path / "thesis"
    (folder / "parts" / "thesis").mkdir(parents=True)
    (folder / "parts" / "thesis" / "chapter1.txt").write_text("الفصل الأول", encoding="utf-8")
    (folder / "notes.md").write_text("notes", encoding="utf-8")
    before = _tree(folder)
    done = store_cli("ingest", str(SAMPLES), "--store", str(folder))
    assert done.returncode == 1, done.stderr
    assert "not a Syria News Map store" in done.stderr and "Traceback" not in done.stderr
    assert _tree(folder) == before
    assert sorted(p.name for p in folder.rglob("*")) == ["chapter1.txt", "notes.md", "parts", "thesis"]


def test_the_app_path_refuses_it_too(tmp_path: Path, pipeline) -> None:
    folder = tmp_path / "mine"
    (folder / "parts").mkdir(parents=True)
    (folder / "parts" / "keep.txt").write_text("x", encoding="utf-8")
    with pytest.raises(StoreError, match="not a Syria News Map store"):
        Store(folder).add_texts([ALEPPO], pipeline)
    assert _tree(folder) == {"parts/keep.txt": "x"}


@pytest.mark.parametrize("exists", [False, True])
def test_a_new_or_empty_folder_becomes_a_marked_store(tmp_path: Path, pipeline, exists: bool) -> None:
    root = tmp_path / "deep" / "store"
    if exists:
        root.mkdir(parents=True)
    report = ingest_paths([SAMPLES], root, pipeline, progress=False)
    assert report.ingested == 1
    marker = json.loads((root / MARKER).read_text(encoding="utf-8"))
    assert (marker["store"], marker["format"]) == ("syria-news-map", FORMAT)
    assert Store(root).stats()["articles"] == 1


def test_files_a_user_put_into_a_store_are_never_deleted(tmp_path: Path, pipeline) -> None:
    root = tmp_path / "store"
    ingest_items(records_to_items([f"{ALEPPO} {i}" for i in range(3)], "first"), root, pipeline,
                 batch_size=1)
    user = {
        "notes.md": "ملاحظات",
        "parts/notes.txt": "a note beside the parts",
        "parts/mine/chapter1.txt": "a folder of mine",
        # named like a part, even with a table file's name, but never written by the project
        "parts/01234567890123456789-abcdef01/articles.parquet": "not a parquet file",
        "parts/_tmp-01234567890123456789-abcdef02/x.txt": "also mine",
    }
    for rel, text in user.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    # everything that rewrites or sweeps the store: many small parts merged, compaction, reannotation
    ingest_items(records_to_items([f"{ALEPPO} {i}" for i in range(3, 15)], "second"), root,
                 pipeline, batch_size=1)
    compact(root)
    reannotate(root, pipeline, force=True)
    ingest_paths([SAMPLES], root, pipeline, progress=False)
    tree = _tree(root)
    assert {rel: tree.get(rel) for rel in user} == user
    stats = Store(root).stats()
    assert (stats["articles"], stats["parts"], stats["damaged_parts"]) == (16, 2, 0)


def test_a_killed_writers_leftovers_are_removed_but_only_its_own_files(tmp_path: Path, pipeline) -> None:
    root = tmp_path / "store"
    ingest_items(records_to_items([ALEPPO], "a"), root, pipeline)
    writer = Writer.open(root)
    with writer.locked():
        info = writer.write_part({})  # written and named in the journal, never listed: a kill
    left = root / PARTS / info.name
    shared = root / PARTS / "01234567890123456789-00000000"  # named by the journal, holding a user's file
    shared.mkdir()
    (shared / "articles.parquet").write_bytes(b"a table file the project would have written")
    (shared / "mine.txt").write_text("mine", encoding="utf-8")
    with open(root / JOURNAL, "a", encoding="utf-8") as fh:
        fh.write(f"+{shared.name}\n")
    assert left.is_dir() and {info.name, shared.name} <= set(journal_names(root))
    ingest_items(records_to_items([ALEPPO + " 2"], "b"), root, pipeline)
    assert not left.exists()
    assert _tree(shared) == {"mine.txt": "mine"}  # its table file went; the user's file did not
    assert journal_names(root) == load_manifest(root).names


def test_a_journal_line_cut_by_a_kill_does_not_hide_the_next_one(tmp_path: Path, pipeline) -> None:
    root = tmp_path / "store"
    ingest_items(records_to_items([ALEPPO], "a"), root, pipeline)
    with open(root / JOURNAL, "a", encoding="utf-8") as fh:
        fh.write("+0123456789")  # killed while writing a name
    ingest_items(records_to_items([ALEPPO + " 2"], "b"), root, pipeline)
    assert journal_names(root) == load_manifest(root).names and len(journal_names(root)) == 2


def test_a_store_made_before_markers_is_adopted(tmp_path: Path, pipeline, content_hash) -> None:
    root = tmp_path / "old"
    ingest_paths([SAMPLES], root, pipeline, progress=False)
    before = content_hash(root)
    (root / MARKER).unlink()
    (root / JOURNAL).unlink()
    ingest_paths([SAMPLES], root, pipeline, progress=False)
    assert (root / MARKER).is_file() and content_hash(root) == before


def test_a_store_of_a_newer_format_is_not_written(tmp_path: Path, pipeline) -> None:
    root = tmp_path / "new"
    ingest_paths([SAMPLES], root, pipeline, progress=False)
    marker = json.loads((root / MARKER).read_text(encoding="utf-8"))
    (root / MARKER).write_text(json.dumps({**marker, "format": FORMAT + 1}), encoding="utf-8")
    with pytest.raises(StoreError, match="newer version"):
        ingest_paths([SAMPLES], root, pipeline, progress=False)


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_clean_leaves_the_default_store() -> None:
    plan = subprocess.run(["make", "-n", "clean"], cwd=REPO, capture_output=True, text=True)
    assert plan.returncode == 0 and "rm -rf" in plan.stdout
    removed = [w.rstrip("/") for line in plan.stdout.splitlines() for w in line.split()[2:]]
    assert removed and not any(w in ("data", "data/store", ".", "*") or w.startswith("data/store")
                               for w in removed)
