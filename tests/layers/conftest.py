"""Fixtures of the layer tests: one built-in Layers object shared by them (its caches are per object)."""
from __future__ import annotations

import pytest

from geo.layers import Layers


@pytest.fixture(scope="session")
def layers(default_layers: Layers) -> Layers:
    """The built-in zones and control (tests/conftest.py builds it once per session)."""
    return default_layers
