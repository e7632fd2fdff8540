"""Dashboard speed in a real browser, on a store of 1,000,000+ mentions over 5,000+ places.

    .venv/bin/python tools/bench_app.py            # builds data/cache/bench_store_1m once
    .venv/bin/python tools/bench_app.py --json

Prints the time from opening the page to the first map (layer control shown, place markers
drawn) and from a filter change (a governorate chosen in the sidebar) to the new map, measured
in Debian chromium. Targets: first map < 1.5 s warm, filter change < 0.5 s. Each is measured
twice: by the page itself (from navigation start, or from the press on the option, to the frame
in which the new markers are in the map's DOM; clocks of the page and its map iframe aligned)
and by the wall clock around Playwright's waits (for the first map a wait polled in the page each
frame; for a filter change waits in the map's frame, which poll and add up to a few hundred ms).
The first map is timed beside a floor (tools/bench_floor_page.py: the same widgets, words and
style with no data and no map), their loads interleaved in one browser, so a machine slower
than usual shows in both.
Requests are recorded, not intercepted (Playwright routing adds ~2 s to a Streamlit page
load); any that leaves 127.0.0.1 is reported.

The store: the shared research corpus (../shared/data/corpus, SaudiNewsNet subset, research
only: used here, never shipped) is ingested once; then that store's rows are replayed into a new
store (store.parts.Writer) with dates shifted per copy and, for places on the ground, a variant
per copy (its own id and a point moved by up to ~5 km), so the store holds as many distinct
places as one built with the full gazetteer. Without the corpus, from data/samples repeated.
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
DEFAULT_STORE = REPO / "data" / "cache" / "bench_store_1m"
BASE_STORE = REPO / "data" / "cache" / "bench_store_base"
TARGET_MENTIONS = 1_000_000
TARGET_PLACES = 5_000
VARIANTS = 48  # distinct variants of each place on the ground across the copies
TARGETS = {"first_map_s": 1.5, "filter_change_s": 0.5}
FLOOR_PAGE = REPO / "tools" / "bench_floor_page.py"
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


def build_base_store(dest: Path) -> str:
    """The corpus (or the sample, repeated) ingested once; where it came from."""
    from store.query import Store

    if CORPUS.is_file():
        records = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()
                   if line.strip()]
        origin = f"{CORPUS.name} (research corpus, benchmark only)"
    else:
        sample = next((REPO / "data" / "samples").glob("*.txt"))
        text = sample.read_text(encoding="utf-8")
        records = [{"text": text + f"\n({i})", "date": _shift("2017-07-20", i % 365)}
                   for i in range(400)]
        origin = f"{sample.name} repeated"
    if not (dest / "manifest.json").is_file() or not Store(dest).stats().get("mentions"):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "base.jsonl"
            path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records),
                            encoding="utf-8")
            print(f"bench: ingesting {len(records)} articles once", file=sys.stderr)
            drv.build_store(dest, path)
    return origin


GROUND = ("populated_place", "subdistrict", "neighbourhood", "district")


def build_bench_store(dest: Path, target: int = TARGET_MENTIONS) -> dict:
    """Replay the base store into dest until it holds `target` mentions; its stats."""
    import duckdb

    from store.parts import Writer
    from store.query import Store
    from store.schema import TABLES

    origin = build_base_store(BASE_STORE)
    if (dest / "manifest.json").is_file() and Store(dest).stats()["mentions"] >= target:
        stats = Store(dest).stats()
        stats["origin"] = origin
        return stats
    base = Store(BASE_STORE)
    con = duckdb.connect()
    for name in TABLES:
        con.register(f"base_{name}", base.table(name))
    lo, hi = base.date_span()
    span = (hi - lo).days + 1 if lo and hi else 30
    copies = -(-target // max(base.table("mentions").num_rows, 1))
    new_id = ("CASE WHEN $k = 0 THEN article_id "
              "ELSE substr(sha256(article_id || ':' || $k), 1, 16) END")
    ground = "level IN ('" + "','".join(GROUND) + "') AND lat IS NOT NULL"
    writer = Writer.open(dest)
    for k in range(copies):
        v = k % VARIANTS
        params = {"k": k, "days": k * span, "v": v}
        mentions = (
            f"SELECT * REPLACE ({new_id} AS article_id, date + $days::INTEGER AS date, "
            f"CASE WHEN {ground} AND $v > 0 THEN place_id || '~' || $v::VARCHAR ELSE place_id END AS place_id, "
            f"CASE WHEN {ground} AND $v > 0 THEN name_en || ' ' || $v::VARCHAR ELSE name_en END AS name_en, "
            f"CASE WHEN {ground} AND $v > 0 THEN lat + (($v * 37) % 19 - 9) * 0.005 ELSE lat END AS lat, "
            f"CASE WHEN {ground} AND $v > 0 THEN lon + (($v * 53) % 17 - 8) * 0.006 ELSE lon END AS lon) "
            "FROM base_mentions")
        tables = {
            "articles": (f"SELECT * REPLACE ({new_id} AS article_id, date + $days::INTEGER AS date) "
                         "FROM base_articles", {"k": k, "days": k * span}),
            "mentions": (mentions, params),
            "actor_mentions": (f"SELECT * REPLACE ({new_id} AS article_id) FROM base_actor_mentions",
                               {"k": k}),
        }
        out = {name: con.sql(sql, params=p).to_arrow_table().cast(TABLES[name])
               for name, (sql, p) in tables.items()}
        with writer.locked():
            writer.add(out)
        print(f"bench: copy {k + 1}/{copies}", file=sys.stderr)
    stats = Store(dest).stats()
    stats["origin"] = origin
    return stats


def distinct_places(store: Path) -> int:
    """How many distinct places the store's mentions name."""
    from store.query import Filters, Store
    return len(Store(store).place_counts(Filters(syria_only=False)))


# The page notes when an option is pressed and, in its own clock, the animation frame in which
# markers of a newly shown places layer are in the map iframe's DOM (the iframe is same-origin:
# it is watched from the page, as Playwright's init scripts do not reach it after it navigates).
TIMING_JS = """
(() => {
  if (window.top !== window) { return; }
  window.snmMarks = [];
  document.addEventListener('pointerdown', () => { window.snmPressAt = performance.now(); },
                            true);
  function hook(frame) {
    if (frame.snmHooked) { return; }
    frame.snmHooked = true;
    function arm() {
      const win = frame.contentWindow, doc = frame.contentDocument;
      if (!win || !doc || !doc.body || doc.snmArmed) { return; }
      doc.snmArmed = true;
      let seen = -1;
      new win.MutationObserver(() => {
        const renders = win.snmRenders || 0;
        if (renders === seen || !doc.querySelector('.snm-place, .marker-cluster')) { return; }
        seen = renders;
        requestAnimationFrame(() => { window.snmMarks.push([renders, performance.now()]); });
      }).observe(doc.body, {childList: true, subtree: true});
    }
    frame.addEventListener('load', arm);
    arm();
  }
  // live lists, not a query per mutation: the observer must not slow what it measures
  const frames = document.getElementsByTagName('iframe');
  const floorDone = document.getElementsByClassName('snm-floor-done');  // tools/bench_floor_page
  new MutationObserver(() => {
    // the floor is drawn once its last element is in and no widget waits for its code
    if (floorDone.length && window.snmFloorAt === undefined
        && !document.querySelector('[data-testid=stSkeleton]')) {
      window.snmFloorAt = null;
      requestAnimationFrame(() => { window.snmFloorAt = performance.now(); });
    }
    for (const f of frames) {
      if (f.title === 'ui.map.component.st_folium') { hook(f); }
    }
  }).observe(document, {childList: true, subtree: true});
})();
"""


def _drawn_at(page: Any, renders: int) -> float | None:
    """Page time (ms) of the frame in which places layer number `renders` showed markers."""
    marks = page.evaluate("window.snmMarks || []")
    return next((t for r, t in marks if r >= renders), None)


def _select(page: Any, label: str) -> tuple[float, float | None]:
    """Choose a governorate in the sidebar; seconds until the new places layer is drawn (wall
    clock, page clock)."""
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
    page.wait_for_function(f"(window.snmMarks || []).some(m => m[0] > {before})",
                           timeout=120_000)
    drawn, pressed = _drawn_at(page, before + 1), page.evaluate("window.snmPressAt")
    page.keyboard.press("Escape")
    return took, (drawn - pressed) / 1000 if drawn is not None and pressed else None


def _first_map(ctx: Any, url: str) -> tuple[float, float | None]:
    """Seconds from navigation to the first map with markers, in a new tab (wall clock, page
    clock)."""
    page = ctx.new_page()
    t0 = time.perf_counter()
    page.goto(url)
    # polled in the page each frame: Playwright's locators in the map's frame poll with growing
    # pauses and added 0.2-0.7 s to this figure
    page.wait_for_function("(window.snmMarks || []).length > 0", timeout=120_000)
    took = time.perf_counter() - t0
    drv.wait_map(page, 120_000)
    drv.map_frame(page).locator(".snm-place, .marker-cluster").first.wait_for(timeout=120_000)
    drawn = _drawn_at(page, 1)
    page.close()
    return took, drawn / 1000 if drawn is not None else None


def _floor(ctx: Any, url: str) -> tuple[float, float | None]:
    """Seconds from navigation to the floor page drawn (its last element in, no widget still a
    placeholder), in a new tab (wall clock, page clock)."""
    page = ctx.new_page()
    t0 = time.perf_counter()
    page.goto(url)
    page.wait_for_function("typeof window.snmFloorAt === 'number'", timeout=120_000)
    took = time.perf_counter() - t0
    drawn = page.evaluate("window.snmFloorAt")
    page.close()
    return took, drawn / 1000


def _series(result: dict, name: str, pairs: list[tuple[float, float | None]]) -> None:
    """Wall-clock and page-clock figures of repeated measurements, with medians."""
    walls = [round(w, 2) for w, _ in pairs]
    pages = [round(p, 2) for _, p in pairs if p is not None]
    result[f"{name}_s"] = walls
    result[f"{name}_median_s"] = round(statistics.median(walls), 2)
    result[f"{name}_page_s"] = pages
    result[f"{name}_page_median_s"] = round(statistics.median(pages), 2) if pages else None


def run(store: Path, loads: int = 5) -> dict:
    """All measurements against a running app over store."""
    from store.query import Store

    stats = Store(store).stats()
    result: dict = {"store": str(store), "mentions": stats["mentions"],
                    "articles": stats["articles"], "distinct_places": distinct_places(store)}
    with drv.run_app(store) as app, drv.run_app(store, script=FLOOR_PAGE) as floor:
        with drv.browser(block=False) as (ctx, guard):
            ctx.add_init_script(TIMING_JS)
            result["first_map_cold_server_s"] = round(_first_map(ctx, app.url)[0], 2)
        with drv.browser(block=False) as (ctx, guard):
            ctx.add_init_script(TIMING_JS)
            result["first_map_fresh_browser_s"] = round(_first_map(ctx, app.url)[0], 2)
            _floor(ctx, floor.url)  # its own origin: Streamlit's scripts cached for it too
            maps, floors = [], []
            for _ in range(loads):  # interleaved: a slow spell of the machine shows in both
                maps.append(_first_map(ctx, app.url))
                floors.append(_floor(ctx, floor.url))
            _series(result, "first_map", maps)
            _series(result, "floor", floors)
            above = [m - f for (_, m), (_, f) in zip(maps, floors, strict=True)
                     if m is not None and f is not None]
            result["first_map_above_floor_s"] = round(statistics.median(above), 2) \
                if above else None
            page = ctx.new_page()
            page.goto(app.url)
            drv.wait_map(page, 120_000)
            result["places_on_map"] = drv.place_count(page)
            _series(result, "filter_change", [_select(page, label) for label in GOVERNORATES])
            result["outside_requests"] = guard.blocked
    result["targets"] = TARGETS
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
        print(f"store: {result['mentions']:,} mentions, {result['articles']:,} articles, "
              f"{result['distinct_places']:,} distinct places ({result['origin']}); "
              f"{result['places_on_map']:,} places on the map")
        print(f"first map, cold server:        {result['first_map_cold_server_s']:.2f} s")
        print(f"first map, fresh browser:      {result['first_map_fresh_browser_s']:.2f} s")
        for name, what, target in (("first_map", "first map, warm", 1.5),
                                   ("filter_change", "filter change", 0.5)):
            print(f"{what} (median of {len(result[name + '_s'])}, target < {target} s): "
                  f"page clock {result[name + '_page_median_s']} s "
                  f"{result[name + '_page_s']}; wall clock {result[name + '_median_s']:.2f} s "
                  f"{result[name + '_s']}")
        print(f"floor, the same widgets, words and style with no data or map (median of "
              f"{len(result['floor_s'])}, loads interleaved with the first map's): page clock "
              f"{result['floor_page_median_s']} s {result['floor_page_s']}; the first map "
              f"{result['first_map_above_floor_s']} s above it (median of the pairs)")
        print(f"requests that left 127.0.0.1: {len(result['outside_requests'])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
