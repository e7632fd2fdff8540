"""The README's pictures of the dashboard, taken in Debian chromium over a store built from the
user's sample article (data/samples: the project's own text, never the research corpus).

    .venv/bin/python tools/screenshots.py            # writes docs/screenshot*.png

docs/screenshot.png: the page as it opens (Arabic); docs/screenshot_map.png: the map zoomed on
Homs with town names, control areas and zones at the article's date; docs/screenshot_reader.png:
the reader with a place's card shown. Open them and look before committing.
"""
from __future__ import annotations

import argparse
import tempfile
from pathlib import Path
from typing import Any

from snm import appdriver as drv

DOCS = drv.REPO / "docs"
SAMPLES = drv.REPO / "data" / "samples"
WAIT = 60_000
SETTLE_MS = 800  # Leaflet's zoom and fade animations are 250 ms; popups fade in 200 ms


def _open(page: Any, url: str) -> None:
    """Load the page, wait for the map and its markers, let animations end."""
    page.goto(url)
    drv.wait_map(page, WAIT)
    drv.map_frame(page).locator(".snm-place, .marker-cluster").first.wait_for(timeout=WAIT)
    drv.map_frame_handle(page).wait_for_function("!window.map._animatingZoom", timeout=WAIT)
    page.wait_for_timeout(SETTLE_MS)


def take(store: Path, out: Path) -> list[Path]:
    """Write the three pictures into `out`; their paths."""
    from store.query import Store

    article_id = Store(store).articles()["article_id"][0]
    written = []
    with drv.run_app(store) as app, drv.browser(viewport=(1400, 1000)) as (ctx, guard):
        page = ctx.new_page()
        _open(page, f"{app.url}/?lang=ar")
        written.append(out / "screenshot.png")
        page.screenshot(path=str(written[-1]))

        page = ctx.new_page()
        _open(page, f"{app.url}/?lang=en&view=34.80,36.75,9&layers=control,zones,places")
        frame = drv.map_frame(page)
        frame.locator("path.snm-control").first.wait_for(state="attached", timeout=WAIT)
        for key in ("places", "zones"):  # folded, so the control legend shows whole
            frame.locator(f"details.snm-legend[data-layer={key}] > summary").click()
        page.wait_for_timeout(SETTLE_MS)
        written.append(out / "screenshot_map.png")
        page.locator(drv.MAP_IFRAME).screenshot(path=str(written[-1]))

        page = ctx.new_page()
        _open(page, f"{app.url}/?lang=en&article={article_id}")
        text = page.locator(".snm-text")
        text.wait_for(timeout=WAIT)
        page.locator(".snm-article-head").scroll_into_view_if_needed()
        mark = text.locator("mark.snm-place").nth(2)
        mark.hover()
        mark.locator(".snm-card").wait_for(state="visible", timeout=WAIT)
        written.append(out / "screenshot_reader.png")
        page.screenshot(path=str(written[-1]))
        if guard.blocked:
            raise SystemExit(f"requests left the machine: {guard.blocked}")
    return written


def main(argv: list[str] | None = None) -> int:
    """CLI."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=DOCS, help="folder for the pictures")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        store = drv.build_store(Path(tmp) / "store", SAMPLES)
        for path in take(store, args.out):
            print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
