"""Shared test fixtures: the shared reference data, the gazetteers, the pipeline."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from snm.settings import REPO

SHARED = REPO.parent / "shared"


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
    out = tmp_path_factory.mktemp("gaz") / "ocha_places.csv"
    src = need_shared(shared / "data/geo/syr_populated_places_ocha.csv")
    subprocess.run([sys.executable, str(REPO / "tools" / "ocha_gazetteer.py"), str(out), str(src)],
                   check=True, capture_output=True)
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


@pytest.fixture(scope="session")
def default_layers():
    """The built-in zones and control."""
    from geo.layers import Layers
    return Layers.default()


@pytest.fixture(scope="session")
def actor_table():
    """The shipped actor table."""
    from nlp.actors import default_actors
    return default_actors()


@pytest.fixture(scope="session")
def pipeline(default_gazetteer, actor_table, default_layers):
    """The default pipeline, built once for the session."""
    from snm.pipeline import Pipeline
    return Pipeline(default_gazetteer, actor_table, default_layers)


@pytest.fixture(scope="session", name="need_shared")
def need_shared_fixture():
    """The need_shared function, for tests that read one shared file."""
    return need_shared
