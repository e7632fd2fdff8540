"""Dashboard speed in a real browser, on a store of 100,000+ place mentions.

    .venv/bin/python tools/bench_app.py            # builds data/cache/bench_store once
    .venv/bin/python tools/bench_app.py --json

Prints the time from opening the page to the first map (layer control shown, place markers
drawn) and from a filter change (a governorate chosen in the sidebar) to the new map, measured
in Debian chromium. Targets: first map < 3 s, filter change < 1 s. Requests are recorded, not
intercepted (Playwright routing adds ~2 s to a Streamlit page load); any that leaves 127.0.0.1
is reported.

The store is made from the shared research corpus (../shared/data/corpus, SaudiNewsNet subset,
research-only: used here, never shipped), ingested several times with shifted dates and a
marker line so each copy is a new article; without the corpus, from data/samples repeated.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from snm import appdriver as drv

REPO = drv.REPO
CORPUS = REPO.parent / "shared" / "data" / "corpus" / "saudinewsnet_syria" / \
    "saudinewsnet_syria_subset.jsonl"
DEFAULT_STORE = REPO / "data" / "cache" / "bench_store"
TARGET_MENTIONS = 100_000
GOVERNORATES = ["حلب (Aleppo)", "إدلب (Idlib)", "حمص (Homs)", "دمشق (Damascus)",
                "درعا (Daraa)", "الرقة (Raqqa)"]


def _shift(value: str | None, days: int) -> str | None:
    """An ISO date (or 'YYYY-MM-DD hh:mm:ss') moved by days."""
    if not value:
        return value
    try:
        d = dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return value
    return (d + dt.timedelta(days=days)).isoformat()


def _copies(records: list[dict], copy: int) -> list[dict]:
    """One copy of the corpus: dates moved by 45 days per copy, text made distinct."""
    out = []
    for r in records:
        r = dict(r)
        if copy:
            for key in ("date", "date_extracted", "published"):
                if key in r:
                    r[key] = _shift(r[key], 45 * copy)
            for key in ("content", "text"):
                if key in r and isinstance(r[key], str):
                    r[key] = r[key] + f"\n(نسخة {copy})"
        out.append(r)
    return out


def build_bench_store(dest: Path, target: int = TARGET_MENTIONS) -> dict:
    """Ingest copies of the corpus until the store holds `target` mentions; its stats."""
    from store.query import Store

    if CORPUS.is_file():
        records = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()
                   if line.strip()]
        origin = f"{CORPUS.name} (research corpus, benchmark only)"
    else:
        sample = next((REPO / "data" / "samples").glob("*.txt"))
        records = [{"text": sample.read_text(encoding="utf-8"), "date": "2017-07-20"}]
        origin = f"{sample.name} repeated"
    copy = 0
    while True:
        stats = Store(dest).stats() if (dest / "manifest.json").is_file() else {"mentions": 0}
        if stats.get("mentions", 0) >= target:
            break
        with tempfile.TemporaryDirectory() as tmp:
            batch = _copies(records, copy) if len(records) > 1 else \
                [dict(records[0], text=records[0]["text"] + f"\n({i})",
                      date=_shift(records[0]["date"], i % 365)) for i in
                 range(copy * 200, copy * 200 + 200)]
            path = Path(tmp) / f"copy{copy}.jsonl"
            path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in batch),
                            encoding="utf-8")
            print(f"bench: ingesting copy {copy} ({len(batch)} articles)", file=sys.stderr)
            drv.build_store(dest, path)
        copy += 1
    stats["origin"] = origin
    return stats


def _select(page: Any, label: str) -> float:
    """Choose a governorate in the sidebar; seconds until the new places layer is drawn."""
    before = drv.renders(page)
    page.locator("[data-testid=stSidebar] [data-testid=stMultiSelect]").first.click()
    option = page.get_by_role("option", name=label)
    option.wait_for()
    t0 = time.perf_counter()
    option.click()
    drv.map_frame_handle(page).wait_for_function(f"(window.snmRenders || 0) > {before}",
                                                 timeout=120_000)
    drv.map_frame(page).locator(".snm-place, .marker-cluster").first.wait_for(timeout=120_000)
    took = time.perf_counter() - t0
    page.keyboard.press("Escape")
    return took


def _first_map(ctx: Any, url: str) -> float:
    """Seconds from navigation to the first map with markers, in a new tab."""
    page = ctx.new_page()
    t0 = time.perf_counter()
    page.goto(url)
    drv.wait_map(page, 120_000)
    drv.map_frame(page).locator(".snm-place, .marker-cluster").first.wait_for(timeout=120_000)
    took = time.perf_counter() - t0
    page.close()
    return took


def run(store: Path, loads: int = 5) -> dict:
    """All measurements against a running app over store."""
    from store.query import Store

    stats = Store(store).stats()
    result: dict = {"store": str(store), "mentions": stats["mentions"],
                    "articles": stats["articles"]}
    with drv.run_app(store) as app:
        with drv.browser(block=False) as (ctx, guard):
            result["first_map_cold_server_s"] = round(_first_map(ctx, app.url), 2)
        with drv.browser(block=False) as (ctx, guard):
            result["first_map_fresh_browser_s"] = round(_first_map(ctx, app.url), 2)
            repeat = [_first_map(ctx, app.url) for _ in range(loads)]
            result["first_map_s"] = [round(x, 2) for x in repeat]
            result["first_map_median_s"] = round(statistics.median(repeat), 2)
            page = ctx.new_page()
            page.goto(app.url)
            drv.wait_map(page, 120_000)
            result["places_on_map"] = drv.place_count(page)
            changes = [_select(page, label) for label in GOVERNORATES]
            result["filter_change_s"] = [round(x, 2) for x in changes]
            result["filter_change_median_s"] = round(statistics.median(changes), 2)
            result["outside_requests"] = guard.blocked
    result["targets"] = {"first_map_s": 3.0, "filter_change_s": 1.0}
    return result


def main(argv: list[str] | None = None) -> int:
    """CLI."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", type=Path, default=DEFAULT_STORE,
                    help="bench store (built when missing; default %(default)s)")
    ap.add_argument("--mentions", type=int, default=TARGET_MENTIONS)
    ap.add_argument("--loads", type=int, default=5, help="page loads to time")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    if not drv.chromium_available():
        print(f"bench: no browser at {drv.CHROMIUM} (apt-get install chromium)", file=sys.stderr)
        return 2
    build = build_bench_store(args.store, args.mentions)
    result = run(args.store, args.loads)
    result["origin"] = build.get("origin")
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
    else:
        print(f"store: {result['mentions']:,} mentions, {result['articles']:,} articles "
              f"({result['origin']}); {result['places_on_map']} places on the map")
        print(f"first map, cold server:        {result['first_map_cold_server_s']:.2f} s")
        print(f"first map, fresh browser:      {result['first_map_fresh_browser_s']:.2f} s")
        print(f"first map, warm (median of {len(result['first_map_s'])}):  "
              f"{result['first_map_median_s']:.2f} s  {result['first_map_s']}  (target < 3 s)")
        print(f"filter change (median of {len(result['filter_change_s'])}): "
              f"{result['filter_change_median_s']:.2f} s  {result['filter_change_s']}"
              "  (target < 1 s)")
        print(f"requests that left 127.0.0.1: {len(result['outside_requests'])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
