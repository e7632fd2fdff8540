"""Shared test fixtures: the repo on sys.path, the shared reference data, the gazetteers."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tools"))


def need_shared(path: Path) -> Path:
    """The shared file, or skip (fail in CI, where ../shared is always present)."""
    if not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"missing shared reference data: {path}")
        pytest.skip(f"no shared reference data at {path}")
    return path


@pytest.fixture(scope="session")
def shared() -> Path:
    """The ../shared folder beside the checkout."""
    return need_shared(SHARED)


@pytest.fixture(scope="session")
def ocha_csv(tmp_path_factory, shared) -> Path:
    """OCHA populated places converted to the documented --gazetteer CSV (outside the repo)."""
    from ocha_gazetteer import convert
    out = tmp_path_factory.mktemp("gaz") / "ocha_places.csv"
    convert(need_shared(shared / "data/geo/syr_populated_places_ocha.csv"), out)
    return out


@pytest.fixture(scope="session")
def default_gazetteer():
    """The shipped gazetteer."""
    from geo.gazetteer import load_default
    return load_default()


@pytest.fixture(scope="session")
def ocha_gazetteer(default_gazetteer, ocha_csv):
    """The shipped gazetteer extended with OCHA's populated places."""
    from geo.gazetteer import load_csv
    return default_gazetteer.extend(load_csv(ocha_csv))
