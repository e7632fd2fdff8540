"""Time to build the map layers (zones + control) for a date: first build, then later ones.

    .venv/bin/python tools/bench_layers.py [--date 2017-07-25] [--runs 3]

"First build" is Layers.default() (tables, OCHA sub-districts cleaned into a coverage) and the
first date. Then every epoch (the days between two change dates, about 200 from 2011 to 2025)
is computed for the first time (unit control, splits between places, zones, the frames), then
asked again (served from the Layers object's epoch cache). Each figure is the best of --runs
fresh Layers objects; wall time and CPU time (time.process_time, which a busy shared machine
does not inflate) are both printed. Target: under 100 ms for any date after the first.
"""
from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from typing import Any

TARGET_MS = 100.0


def timed(call: Callable[[], Any]) -> tuple[float, float]:
    """(wall, cpu) milliseconds of one call."""
    w, c = time.perf_counter(), time.process_time()
    call()
    return (time.perf_counter() - w) * 1000, (time.process_time() - c) * 1000


def one_run(day: dt.date) -> dict[str, Any]:
    """Timings of one fresh Layers object."""
    from geo.layers import Layers

    out: dict[str, Any] = {}
    holder: dict[str, Any] = {}
    out["default"] = timed(lambda: holder.setdefault("layers", Layers.default()))
    layers = holder["layers"]

    def build(d: dt.date) -> None:
        layers.zones_at(d)
        layers.control_at(d)

    out["first"] = timed(lambda: build(day))
    epochs = [d for d in layers._changes if d != day]
    out["epochs"] = [timed(partial(build, d)) for d in epochs]
    out["again"] = [timed(partial(build, d)) for d in epochs]

    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(0)
    levels = ["populated_place"] * 6 + ["neighbourhood", "feature", "subdistrict", "district", "governorate"]
    frame = pd.DataFrame({"lat": rng.uniform(32.5, 37.2, 1000), "lon": rng.uniform(35.8, 42.2, 1000),
                          "date": rng.choice(pd.date_range("2012-01-01", "2025-12-31"), 1000),
                          "level": rng.choice(levels, 1000)})
    out["annotate"] = timed(lambda: layers.annotate(frame))
    return out


def main() -> int:
    """Print the timings; exit 1 if a date after the first misses the target (CPU time)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--date", default="2017-07-25")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    day = dt.date.fromisoformat(args.date)
    t0 = time.perf_counter()
    import geo.layers  # noqa: F401
    imported = (time.perf_counter() - t0) * 1000
    runs = [one_run(day) for _ in range(max(1, args.runs))]

    def best(key: str, k: int) -> float:
        return min(r[key][k] for r in runs)

    def per_epoch(key: str, k: int) -> list[float]:
        return [min(r[key][i][k] for r in runs) for i in range(len(runs[0][key]))]

    n = len(runs[0]["epochs"])
    print(f"import geo.layers (once)                       {imported:8.1f} ms wall")
    print(f"runs: {len(runs)} fresh Layers objects; best of them per figure; wall / CPU")
    print(f"Layers.default() (tables, sub-districts)       {best('default', 0):8.1f} / {best('default', 1):6.1f} ms")
    print(f"first date, {day}                        {best('first', 0):8.1f} / {best('first', 1):6.1f} ms")
    for key, label in (("epochs", f"each of the other {n} epochs, first time"),
                       ("again", "the same epochs again (cached)")):
        wall, cpu = per_epoch(key, 0), per_epoch(key, 1)
        print(f"{label:46} median {statistics.median(wall):6.1f} / {statistics.median(cpu):6.1f} ms,"
              f" max {max(wall):6.1f} / {max(cpu):6.1f} ms")
    print(f"annotate 1,000 rows over 2012-2025             {best('annotate', 0):8.1f} / {best('annotate', 1):6.1f} ms")
    worst = max(per_epoch("epochs", 1) + per_epoch("again", 1))
    verdict = "meets" if worst < TARGET_MS else "MISSES"
    print(f"slowest date after the first: {worst:.1f} ms CPU ({verdict} the {TARGET_MS:.0f} ms target)")
    return 0 if worst < TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
