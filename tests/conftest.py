"""Shared test fixtures: the shared reference data, the gazetteers, the pipeline."""
from __future__ import annotations

import contextlib
import datetime as dt
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

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


# ---- stores written before the mention columns kind, basis and point ----------------------------

@contextlib.contextmanager
def _old_mentions_schema() -> Iterator[None]:
    """Inside: the store writes mentions as versions before kind, basis and point did (without
    those columns), so a part made here is a part of such a store, manifest checksums and all."""
    import pyarrow as pa

    from store.schema import LATER_MENTION_COLUMNS, MENTIONS, TABLES
    old = pa.schema([f for f in MENTIONS if f.name not in LATER_MENTION_COLUMNS])
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(TABLES, "mentions", old)
        yield


@pytest.fixture(scope="session")
def old_mentions_schema() -> Callable[[], contextlib.AbstractContextManager[None]]:
    """A context manager: parts written inside it lack the columns kind, basis and point."""
    return _old_mentions_schema


def _hand_mention(article: str, text: str, start: int, place_id: str, **fields: Any) -> dict:
    """A mention row of a hand-made store (a town in Homs governorate unless told otherwise)."""
    return {"article_id": article, "text": text, "start": start, "end": start + len(text),
            "place_id": place_id, "name_ar": text, "name_en": place_id, "level": "populated_place",
            "country": "SY", "admin1": "SY-HI", "admin1_pcode": "SY04", "lat": 34.73,
            "lon": 36.72, "confidence": 0.9, "cue": "", "date": dt.date(2017, 7, 10),
            "date_precision": "day", "zone_ids": [], "controller": None, **fields}


OLD_TEXT = "قصف على حمص وحلب. ثم هدوء على نهر العاصي."
NEW_TEXT = "اشتباكات في حمص اليوم! وقتلى في قرية الزعرورات."


@pytest.fixture()
def mixed_store(tmp_path: Path) -> Path:
    """A store of two parts: one written before kind, basis and point (article 'old': حمص and
    حلب with points, a river without), one after (article 'new': حمص, and a village placed at
    its unit's point)."""
    from store.parts import Writer
    from store.schema import to_table
    root = tmp_path / "mixed"
    old = {"articles": to_table("articles", [{"article_id": "old", "title": "قديم", "text": OLD_TEXT,
                                              "date": dt.date(2017, 7, 10), "date_precision": "day",
                                              "source": "s-old", "url": "https://old.example/1"}]),
           "mentions": [_hand_mention("old", "حمص", OLD_TEXT.index("حمص"), "homs"),
                        _hand_mention("old", "حلب", OLD_TEXT.index("حلب"), "aleppo",
                                      admin1="SY-HL", admin1_pcode="SY02", lat=36.2, lon=37.16),
                        _hand_mention("old", "نهر العاصي", OLD_TEXT.index("نهر"), "orontes",
                                      level="feature", lat=None, lon=None)]}
    new = {"articles": to_table("articles", [{"article_id": "new", "title": "جديد", "text": NEW_TEXT,
                                              "date": dt.date(2017, 7, 11), "date_precision": "day",
                                              "source": "s-new", "url": "https://new.example/1"}]),
           "mentions": [_hand_mention("new", "حمص", NEW_TEXT.index("حمص"), "homs",
                                      date=dt.date(2017, 7, 11), kind="", point="place",
                                      basis="prior: populated place"),
                        _hand_mention("new", "الزعرورات", NEW_TEXT.index("الزعرورات"),
                                      "unknown:SY04:الزعرورات", date=dt.date(2017, 7, 11),
                                      confidence=0.3, kind="", point="unit",
                                      basis="cue «قرية»", cue="قرية")]}
    writer = Writer.open(root)
    with _old_mentions_schema(), writer.locked():
        writer.add({**old, "mentions": to_table("mentions", old["mentions"])})
    with writer.locked():
        writer.add({**new, "mentions": to_table("mentions", new["mentions"])})
    return root
