"""Issue 13, fault injection: kill -9 an ingest and a compaction at random (seeded) moments; the
store then reads without error and, once the command is run again, holds exactly what an
uninterrupted run gives (the same hash of its sorted rows), with no leftover on disk.

Two kinds of kill: killer.py SIGKILLs the real command at a seeded random one of its disk steps
(reproducible, and it covers every phase: mid-write, before and after each rename and manifest
swap); and a plain `kill -9` from outside after a seeded random delay. SNM_SLOW=1 runs more.
"""
from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from snm.settings import REPO
from store import Store
from store.ingest import ingest_paths
from store.maintenance import check, compact
from store.parts import MANIFEST, PARTS, journal_names, load_manifest
from store.schema import TABLES

SEED = 13
SLOW = os.environ.get("SNM_SLOW") == "1"
RUNS = 50 if SLOW else 12  # seeded kills at disk steps, for ingest and for compaction each
OUTSIDE_RUNS = 20 if SLOW else 4  # kill -9 from outside after a random delay
KILLER = Path(__file__).with_name("killer.py")
BATCH = "10"


def _killer(at: int, *args: str) -> subprocess.CompletedProcess:
    """killer.py: the store command, SIGKILLed at disk step `at` (0: counted, not killed)."""
    return subprocess.run([sys.executable, str(KILLER), str(at), *args], cwd=REPO,
                          capture_output=True, text=True, timeout=600)


def _steps(done: subprocess.CompletedProcess) -> int:
    """The step count an uninterrupted killer.py run printed."""
    assert done.returncode == 0, done.stderr[-3000:]
    match = re.search(r"steps: (\d+)", done.stderr)
    assert match, done.stderr[-3000:]
    return int(match.group(1))


def _reads_cleanly(root: Path) -> None:
    """The store a kill left: every table reads, no listed part is damaged."""
    store = Store(root)
    for name in TABLES:
        store.table(name)
    store.stats()
    assert store.damaged == {}
    assert check(root).damaged == []


def _nothing_left_over(root: Path) -> None:
    """Only listed parts on disk, and the journal names exactly them."""
    listed = load_manifest(root).names
    assert sorted(p.name for p in (root / PARTS).iterdir()) == sorted(listed)
    assert sorted(journal_names(root)) == sorted(listed)


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory, corpus: Path) -> Path:
    """120 real articles with a bad line and a duplicate among them."""
    lines = corpus.read_bytes().splitlines()[:120]
    lines[10:10] = [b"{not json", lines[3]]
    path = tmp_path_factory.mktemp("faults") / "source.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


@pytest.fixture(scope="module")
def uninterrupted(source: Path, tmp_path_factory: pytest.TempPathFactory,
                  content_hash) -> tuple[str, int, float]:
    """The ingest run to its end: the store's hash, its disk steps, its wall time."""
    root = tmp_path_factory.mktemp("reference") / "store"
    start = time.monotonic()
    steps = _steps(_killer(0, "ingest", str(source), "--store", str(root), "--batch-size", BATCH))
    return content_hash(root), steps, time.monotonic() - start


def test_kill_9_during_ingest_at_random_steps(tmp_path: Path, source: Path, uninterrupted, pipeline,
                                             content_hash) -> None:
    reference, steps, _ = uninterrupted
    moments = sorted(random.Random(SEED).sample(range(1, steps + 1), min(RUNS, steps)))
    for at in moments:
        root = tmp_path / f"kill-{at}"
        killed = _killer(at, "ingest", str(source), "--store", str(root), "--batch-size", BATCH)
        assert killed.returncode == -signal.SIGKILL, (at, killed.stderr[-3000:])
        _reads_cleanly(root)
        ingest_paths([source], root, pipeline, batch_size=int(BATCH), progress=False)
        assert content_hash(root) == reference, f"killed at step {at} of {steps}"
        _nothing_left_over(root)


@pytest.fixture(scope="module")
def many_parts(source: Path, tmp_path_factory: pytest.TempPathFactory, pipeline,
               content_hash) -> tuple[Path, str, int]:
    """A store of small parts in two pipeline groups (the merge after ingest off): its folder,
    its hash, and the disk steps of a compaction of it."""
    root = tmp_path_factory.mktemp("many") / "store"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("store.ingest.merge_small_parts", lambda root: 0)
        ingest_paths([source], root, pipeline, batch_size=int(BATCH), progress=False)
    manifest = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
    for entry in manifest["parts"][::2]:  # as if an older gazetteer annotated them: merged apart
        entry["analysis"] = "older"
    (root / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    assert len(manifest["parts"]) >= 10
    trial = root.parent / "trial"
    shutil.copytree(root, trial)
    steps = _steps(_killer(0, "compact", "--store", str(trial)))
    assert len(load_manifest(trial).parts) == 2
    return root, content_hash(root), steps


def test_kill_9_during_compaction_at_random_steps(tmp_path: Path, many_parts, content_hash) -> None:
    template, reference, steps = many_parts
    moments = sorted(random.Random(SEED + 1).sample(range(1, steps + 1), min(RUNS, steps)))
    for at in moments:
        root = tmp_path / f"kill-{at}"
        shutil.copytree(template, root)
        killed = _killer(at, "compact", "--store", str(root))
        assert killed.returncode == -signal.SIGKILL, (at, killed.stderr[-3000:])
        _reads_cleanly(root)
        assert content_hash(root) == reference  # a compaction changes no row, killed or not
        compact(root)  # the next compaction finishes it
        assert content_hash(root) == reference, f"killed at step {at} of {steps}"
        assert len(load_manifest(root).parts) == 2
        _nothing_left_over(root)


def test_kill_9_from_outside_at_random_times(tmp_path: Path, source: Path, uninterrupted, pipeline,
                                            many_parts, content_hash) -> None:
    reference, _, seconds = uninterrupted
    rng = random.Random(SEED + 2)
    for run in range(OUTSIDE_RUNS):
        root = tmp_path / f"ingest-{run}"
        proc = subprocess.Popen([sys.executable, "-m", "store", "ingest", str(source), "--store",
                                 str(root), "--batch-size", BATCH], cwd=REPO,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0, seconds))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        _reads_cleanly(root)
        ingest_paths([source], root, pipeline, batch_size=int(BATCH), progress=False)
        assert content_hash(root) == reference
        _nothing_left_over(root)
    template, compacted, _ = many_parts
    for run in range(OUTSIDE_RUNS):
        root = tmp_path / f"compact-{run}"
        shutil.copytree(template, root)
        proc = subprocess.Popen([sys.executable, "-m", "store", "compact", "--store", str(root)],
                                cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0, 2.0))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        _reads_cleanly(root)
        compact(root)
        assert content_hash(root) == compacted and len(load_manifest(root).parts) == 2
        _nothing_left_over(root)
