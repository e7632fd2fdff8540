"""Fixtures of the store tests: the store's command line, a hash of a store's content, sizes."""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from snm.settings import REPO

CORPUS = REPO.parent / "shared" / "data" / "corpus" / "saudinewsnet_syria" / "saudinewsnet_syria_subset.jsonl"
# SNM_SLOW=1 runs the long versions (more kills, more fuzz cases); the default is a seeded sample.
SLOW = os.environ.get("SNM_SLOW") == "1"


def run_store(*args: str, env: dict[str, str] | None = None,
              timeout: float = 600) -> subprocess.CompletedProcess:
    """`python -m store ARGS` as a user runs it (stdout, stderr captured as text)."""
    return subprocess.run([sys.executable, "-m", "store", *args], cwd=REPO, capture_output=True,
                          text=True, env={**os.environ, **(env or {})}, timeout=timeout)


def store_hash(root: Path) -> str:
    """sha256 of every table's rows, sorted (Store.table's order): equal stores, equal hashes."""
    from store import Store
    from store.schema import TABLES
    store = Store(root)
    digest = hashlib.sha256()
    for name in TABLES:
        digest.update(name.encode())
        for row in store.table(name).to_pylist():
            digest.update(json.dumps(row, sort_keys=True, default=str, ensure_ascii=False).encode())
            digest.update(b"\n")
    return digest.hexdigest()


@pytest.fixture(scope="session")
def store_cli() -> Callable[..., subprocess.CompletedProcess]:
    """run_store: the store's command line in a subprocess."""
    return run_store


@pytest.fixture(scope="session")
def content_hash() -> Callable[[Path], str]:
    """store_hash: a hash of a store's sorted rows."""
    return store_hash


@pytest.fixture(scope="session")
def corpus(need_shared) -> Path:
    """The SaudiNewsNet subset (../shared, read only; never copied into the repository)."""
    return need_shared(CORPUS)
