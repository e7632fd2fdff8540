"""Time to build the map layers (zones + control) for a date: first build, then later ones.

    .venv/bin/python tools/bench_layers.py [--date 2017-07-25]

Target: under 100 ms for any build after the first.
"""
from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time

TARGET_MS = 100.0


def ms(seconds: float) -> str:
    """Milliseconds, formatted."""
    return f"{seconds * 1000:8.1f} ms"


def build(layers: object, day: dt.date) -> float:
    """Seconds to build every layer for day."""
    start = time.perf_counter()
    layers.zones_at(day)  # type: ignore[attr-defined]
    layers.control_at(day)  # type: ignore[attr-defined]
    return time.perf_counter() - start


def main() -> int:
    """Print the timings; exit 1 if a build after the first misses the target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--date", default="2017-07-25")
    day = dt.date.fromisoformat(parser.parse_args().date)

    t0 = time.perf_counter()
    from geo.layers import Layers
    t1 = time.perf_counter()
    layers = Layers.default()
    t2 = time.perf_counter()
    first = build(layers, day)
    same = [build(layers, day) for _ in range(20)]
    others = [day + dt.timedelta(days=97 * k) for k in range(1, 31)]
    other = [build(layers, d) for d in others]
    again = [build(layers, d) for d in others]

    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"lat": rng.uniform(32.5, 37.2, 1000), "lon": rng.uniform(35.8, 42.2, 1000),
                          "date": rng.choice(pd.date_range("2012-01-01", "2024-12-31"), 1000)})
    t3 = time.perf_counter()
    layers.annotate(frame)
    t4 = time.perf_counter()

    print(f"import geo.layers                          {ms(t1 - t0)}")
    print(f"Layers.default() (tables, boundaries)      {ms(t2 - t1)}")
    print(f"first build, {day}                    {ms(first)}   (zones_at + control_at)")
    print(f"same date again, median of 20              {ms(statistics.median(same))}")
    print(f"other dates, first time, median of 30      {ms(statistics.median(other))}"
          f"   max {ms(max(other)).strip()}")
    print(f"other dates, second time, median of 30     {ms(statistics.median(again))}")
    print(f"annotate 1,000 rows over 2012-2024         {ms(t4 - t3)}")
    worst = max(max(same), max(other), max(again)) * 1000
    verdict = "meets" if worst < TARGET_MS else "MISSES"
    print(f"slowest build after the first: {worst:.1f} ms ({verdict} the {TARGET_MS:.0f} ms target)")
    return 0 if worst < TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
