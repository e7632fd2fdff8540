"""geoparse does the same work per name however long the article: a 10 MB article must not take
quadratic time (issue 13). Counted in Python calls, not seconds, so the test does not depend on
the machine; tools/bench_geoparse.py --long 10 measures the time."""
from __future__ import annotations

import sys
from collections.abc import Callable
from types import FrameType
from typing import Any

from geo.geoparse import geoparse
from snm.settings import SAMPLES_DIR


def calls_made(work: Callable[[], Any]) -> int:
    """The number of Python function calls (and generator steps) work makes."""
    count = 0

    def profile(_frame: FrameType, event: str, _arg: Any) -> None:
        nonlocal count
        if event == "call":
            count += 1

    sys.setprofile(profile)
    try:
        work()
    finally:
        sys.setprofile(None)
    return count


def test_work_grows_linearly_with_the_length_of_one_article(default_gazetteer) -> None:
    sample = (SAMPLES_DIR / "homs_deescalation_2017-07.txt").read_text(encoding="utf-8")
    # Four copies already fill the window of neighbours a name is compared with (it is bounded):
    # from there on every copy should cost what the one before did.
    short, long = "\n".join([sample] * 4), "\n".join([sample] * 16)
    assert len(geoparse(long, default_gazetteer)) == 4 * len(geoparse(short, default_gazetteer))
    base = calls_made(lambda: geoparse(short, default_gazetteer))
    assert calls_made(lambda: geoparse(long, default_gazetteer)) <= 4 * base * 1.05
