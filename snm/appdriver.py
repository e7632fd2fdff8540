"""Drive the dashboard in a real browser: start `streamlit run app.py` on a free port against a
given store, open Debian chromium through Python playwright with every non-loopback request
blocked and recorded. Used by tests/e2e and tools/bench_app.py.
"""
from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from snm.settings import REPO

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
MAP_IFRAME = 'iframe[title="ui.map.component.st_folium"]'
LOCAL_PREFIXES = ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:")


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_store(dest: Path, *inputs: Path) -> Path:
    """A fresh store at dest from input files or folders (python -m store ingest)."""
    subprocess.run([sys.executable, "-m", "store", "ingest", *map(str, inputs), "--store",
                    str(dest)], cwd=REPO, check=True, capture_output=True, text=True)
    return dest


@dataclass
class App:
    """A running dashboard."""

    url: str
    process: subprocess.Popen
    log: Path
    store: Path


@contextlib.contextmanager
def run_app(store: Path, startup_timeout: float = 120.0,
            env_extra: dict[str, str] | None = None,
            script: Path = REPO / "app.py") -> Iterator[App]:
    """`streamlit run <script>` (the dashboard by default) on 127.0.0.1:<free port> with
    SNM_STORE=store; stopped after."""
    port = free_port()
    env = {**os.environ, "SNM_STORE": str(store), "PYTHONUNBUFFERED": "1", **(env_extra or {})}
    log = Path(tempfile.mkstemp(prefix="snm-streamlit-", suffix=".log")[1])
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(script),
             "--server.port", str(port), "--server.address", "127.0.0.1",
             "--server.headless", "true", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none"],
            cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + startup_timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"streamlit exited: {log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"streamlit did not start: {log.read_text()[-2000:]}")
            time.sleep(0.2)
        yield App(url, proc, log, store)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@dataclass
class Guard:
    """Aborts and records every request that is not to the loopback app (or data:/blob:)."""

    blocked: list[str] = field(default_factory=list)
    seen: list[str] = field(default_factory=list)

    def __call__(self, route: Any) -> None:
        """Playwright route handler."""
        url = route.request.url
        self.seen.append(url)
        if url.startswith(LOCAL_PREFIXES):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def watch(self, request: Any) -> None:
        """Request listener (records only: routing every request costs ~2 s per page load)."""
        url = request.url
        self.seen.append(url)
        if not url.startswith(LOCAL_PREFIXES):
            self.blocked.append(url)


def chromium_available() -> bool:
    """Whether Debian's chromium is installed where the tests launch it."""
    return Path(CHROMIUM).is_file()


@contextlib.contextmanager
def browser(viewport: tuple[int, int] = (1500, 1300),
            block: bool = True) -> Iterator[tuple[Any, Guard]]:
    """A persistent chromium context (fresh profile) with the request guard installed:
    block=True aborts and records outside requests, block=False only records them (timing)."""
    from playwright.sync_api import sync_playwright

    guard = Guard()
    with sync_playwright() as p, tempfile.TemporaryDirectory(prefix="snm-chromium-") as profile:
        ctx = p.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
            viewport={"width": viewport[0], "height": viewport[1]})
        try:
            if block:
                ctx.route("**/*", guard)
            else:
                ctx.on("request", guard.watch)
            yield ctx, guard
        finally:
            ctx.close()


def map_frame(page: Any) -> Any:
    """The map iframe's frame locator."""
    return page.frame_locator(MAP_IFRAME)


def map_frame_handle(page: Any) -> Any:
    """The map iframe's Frame (for evaluate)."""
    return page.locator(MAP_IFRAME).element_handle().content_frame()


def wait_map(page: Any, timeout_ms: int = 60_000) -> None:
    """Until the map iframe shows its layer control and the places layer has been built."""
    frame = map_frame(page)
    frame.locator(".leaflet-control-layers").wait_for(timeout=timeout_ms)
    map_frame_handle(page).wait_for_function(
        "window.snmCounts && typeof window.snmCounts.places === 'number'", timeout=timeout_ms)


def place_count(page: Any) -> int:
    """How many place markers the places layer holds (clustered or not)."""
    return int(map_frame_handle(page).evaluate("window.snmCounts.places"))


def visible_markers(page: Any) -> int:
    """Markers and clusters drawn in the map right now."""
    return map_frame(page).locator(".snm-place, .marker-cluster").count()


def renders(page: Any) -> int:
    """How many times the places layer has been (re)built in the current map iframe."""
    return int(map_frame_handle(page).evaluate("window.snmRenders || 0"))
