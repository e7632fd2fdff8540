"""The compiled geoparser core: used only when built from the current sources, and it finds
exactly what the source modules find."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from snm import native
from snm.settings import REPO

CORPUS = REPO.parent / "shared/data/corpus/saudinewsnet_syria/saudinewsnet_syria_subset.jsonl"
ARTICLES = 150

# Geoparse the first articles of the corpus and print each mention, with which modules ran.
_DUMP = """
import json, sys
from geo.gazetteer import load_default
from geo.geoparse import geoparse
from snm.native import in_use
gaz = load_default()
out = []
for line in open(sys.argv[1], encoding="utf-8").read().splitlines()[:int(sys.argv[2])]:
    out.append([m.to_dict() for m in geoparse(json.loads(line)["content"], gaz)])
print(json.dumps({"compiled": in_use(), "mentions": out}, ensure_ascii=False))
"""


def _fake_repo(root: Path) -> Path:
    """A folder with one module in each source package."""
    for package in native.SOURCE_PACKAGES:
        (root / package).mkdir(parents=True)
        (root / package / "mod.py").write_text(f"NAME = {package!r}\n", encoding="utf-8")
    return root


def _built(repo: Path) -> Path:
    """A build folder whose manifest matches the sources of repo."""
    build = repo / "build" / "native"
    build.mkdir(parents=True)
    (build / native.MANIFEST).write_text(json.dumps(native.manifest_for(native.source_digest(repo))))
    return build


def test_a_build_of_the_current_sources_is_used(tmp_path):
    repo = _fake_repo(tmp_path)
    build = _built(repo)
    assert native.current_build(build, repo, environ={}) == build


def test_an_edit_to_any_source_module_makes_the_build_stale(tmp_path):
    repo = _fake_repo(tmp_path)
    build = _built(repo)
    (repo / "snm" / "mod.py").write_text("NAME = 'edited'\n", encoding="utf-8")
    assert native.current_build(build, repo, environ={}) is None


def test_a_new_source_module_makes_the_build_stale(tmp_path):
    repo = _fake_repo(tmp_path)
    build = _built(repo)
    (repo / "geo" / "new.py").write_text("", encoding="utf-8")
    assert native.current_build(build, repo, environ={}) is None


def test_a_build_for_another_interpreter_is_not_used(tmp_path):
    repo = _fake_repo(tmp_path)
    build = _built(repo)
    manifest = json.loads((build / native.MANIFEST).read_text())
    manifest["python"] = "cpython-39"
    (build / native.MANIFEST).write_text(json.dumps(manifest))
    assert native.current_build(build, repo, environ={}) is None


def test_no_build_or_a_broken_manifest_means_the_source_modules(tmp_path):
    repo = _fake_repo(tmp_path)
    assert native.current_build(repo / "build" / "native", repo, environ={}) is None
    build = _built(repo)
    (build / native.MANIFEST).write_text("{not json")
    assert native.current_build(build, repo, environ={}) is None


def test_the_user_can_ask_for_the_source_modules(tmp_path):
    repo = _fake_repo(tmp_path)
    build = _built(repo)
    assert native.current_build(build, repo, environ={native.PURE_PYTHON_VARIABLE: "1"}) is None
    assert native.current_build(build, repo, environ={native.PURE_PYTHON_VARIABLE: "0"}) == build


def _dump(pure: bool) -> dict:
    """The mentions of the first articles, geoparsed in a fresh interpreter."""
    env = {k: v for k, v in os.environ.items() if k != native.PURE_PYTHON_VARIABLE}
    if pure:
        env[native.PURE_PYTHON_VARIABLE] = "1"
    done = subprocess.run([sys.executable, "-c", _DUMP, str(CORPUS), str(ARTICLES)], env=env,
                          cwd=REPO, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def test_the_compiled_core_finds_what_the_source_modules_find(need_shared):
    need_shared(CORPUS)
    if native.current_build() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("make setup did not build the compiled core (see tools/build_native.py)")
        pytest.skip("no current build of the compiled core (run make setup)")
    compiled, pure = _dump(pure=False), _dump(pure=True)
    assert compiled["compiled"] == list(native.COMPILED)
    assert pure["compiled"] == []
    assert sum(map(len, pure["mentions"])) > 1000
    assert compiled["mentions"] == pure["mentions"]
