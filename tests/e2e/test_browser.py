"""The dashboard in a real browser (Debian chromium via playwright), offline and hermetic.

Starts `streamlit run app.py` against fresh stores built from data/samples, blocks and records
every request that leaves 127.0.0.1, and drives the page as a user would. Skips only when
chromium is missing outside CI; in CI (CI=true) a missing browser or missing assets fail.
"""
from __future__ import annotations

import csv
import io
import json
import os
import re
from pathlib import Path

import pytest

from snm import appdriver as drv
from snm.settings import REPO
from ui import offline
from ui.i18n import t
from ui.map.css import MAP_BOX

SAMPLES = REPO / "data" / "samples"
ARTIFACTS = REPO / "artifacts"
IN_CI = os.environ.get("CI") == "true"
WAIT = 90_000  # ms: a guard against hanging, not a speed requirement


def _require(ok: bool, why: str) -> None:
    """Skip locally, fail in CI."""
    if not ok:
        if IN_CI:
            pytest.fail(why)
        pytest.skip(why)


@pytest.fixture(scope="module", autouse=True)
def _prerequisites() -> None:
    """Chromium and the fetched map assets."""
    _require(drv.chromium_available(), f"no browser at {drv.CHROMIUM} (apt-get install chromium)")
    missing = offline.missing_files()
    _require(not missing, f"map assets missing ({', '.join(missing[:3])}): run make setup")
    _require(SAMPLES.is_dir(), f"no samples at {SAMPLES}")


@pytest.fixture(scope="module")
def sample_app(tmp_path_factory):
    """The app over a fresh store built from data/samples."""
    store = drv.build_store(tmp_path_factory.mktemp("store") / "store", SAMPLES)
    with drv.run_app(store) as app:
        yield app


def _open(page, url: str) -> None:
    """Load the page and wait for the map."""
    page.goto(url)
    drv.wait_map(page, WAIT)


def _layer_checkbox(page, label: str):
    """The layer-control checkbox whose label starts with `label` (the control is collapsed
    to a button: hovering it opens it, as a user would)."""
    frame = drv.map_frame(page)
    frame.locator(".leaflet-control-layers").hover()
    frame.locator(".leaflet-control-layers-expanded").wait_for(timeout=WAIT)
    return frame.locator(".leaflet-control-layers-overlays label", has_text=label).locator("input")


def _open_a_place_popup(page) -> str:
    """Click markers (zooming into clusters) until a place popup opens; its text."""
    frame = drv.map_frame(page)
    for _ in range(8):
        place = frame.locator(".snm-place")
        if place.count():
            place.first.dispatch_event("click")
            popup = frame.locator(".leaflet-popup-content .snm-popup")
            popup.wait_for(timeout=WAIT)
            return popup.inner_text()
        cluster = frame.locator(".marker-cluster").first
        cluster.dispatch_event("click")  # markercluster zooms to the cluster's bounds
        frame.locator(".snm-place").first.wait_for(state="attached", timeout=WAIT)
    raise AssertionError("no place marker could be opened")


def test_map_filters_layers_and_popups_offline(sample_app):
    ARTIFACTS.mkdir(exist_ok=True)
    with drv.browser() as (ctx, guard):
        page = ctx.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        _open(page, sample_app.url)

        # markers are drawn
        frame = drv.map_frame(page)
        frame.locator(".snm-place, .marker-cluster").first.wait_for(timeout=WAIT)
        all_places = drv.place_count(page)
        assert all_places > 3
        assert drv.visible_markers(page) > 0
        assert frame.locator("path.snm-boundary").count() >= 14
        # what the clusters say, with the single markers, adds up to the mentions of every place
        drawn, total = drv.map_frame_handle(page).evaluate(
            "() => { const g = window.snmPlaces.places; let n = 0, all = 0;"
            " g.cluster._featureGroup.eachLayer(l => {"
            "  n += l.getChildCount ? Number(l._icon.textContent) : l.snmRow[2]; });"
            " g.markers.forEach(m => { all += m.snmRow[2]; }); return [n, all]; }")
        assert drawn == total > all_places

        # the zone layer (on the sample's last day, July 2017, zones were in force) toggles
        zones = _layer_checkbox(page, t("layer_zones", "ar"))
        assert zones.is_checked()
        assert frame.locator("path.snm-zone").count() > 0
        assert frame.locator(".snm-legend[data-layer=zones]").count() == 1
        zones.uncheck()
        frame.locator("path.snm-zone").first.wait_for(state="detached", timeout=WAIT)
        assert frame.locator(".snm-legend[data-layer=zones]").count() == 0
        zones.check()
        frame.locator("path.snm-zone").first.wait_for(state="attached", timeout=WAIT)

        # choosing a governorate changes the markers (the layer is swapped in place)
        page.locator("[data-testid=stSidebar] [data-testid=stMultiSelect]").first.click()
        page.get_by_role("option", name="حمص (Homs)").click()
        page.keyboard.press("Escape")
        drv.map_frame_handle(page).wait_for_function(
            f"window.snmCounts && window.snmCounts.places !== {all_places}", timeout=WAIT)
        homs_places = drv.place_count(page)
        assert 0 < homs_places < all_places
        page.wait_for_url(re.compile(r"[?&]gov=SY-HI\b"), timeout=WAIT)  # the view is in the link
        frame.locator(".snm-place, .marker-cluster").first.wait_for(timeout=WAIT)

        # a place popup: names and counts, no internal id; the reader lists its articles
        popup = _open_a_place_popup(page)
        shown = re.sub("\u2063[^\u2063]*\u2063", "", popup)  # the key the app reads, unseen
        assert t("mentions", "ar") in shown and "ID " not in shown and "gn:" not in shown
        assert not frame.locator(".leaflet-popup-content .snm-key").is_visible()
        page.get_by_text("مقالات تذكر").first.wait_for(timeout=WAIT)
        page.wait_for_url(re.compile(r"[?&]place="), timeout=WAIT)
        frame.locator("path.snm-selected").wait_for(state="attached", timeout=WAIT)

        page.screenshot(path=str(ARTIFACTS / "e2e_map.png"), full_page=True)
        assert guard.blocked == [], guard.blocked
        assert not [e for e in errors if "ResizeObserver" not in e], errors


def test_the_map_front_end_is_cached_and_a_pending_rerun_says_so(sample_app):
    with drv.browser(block=False) as (ctx, guard):  # routed requests skip the browser's cache
        for visit in range(2):
            page = ctx.new_page()
            _open(page, sample_app.url)
            src = page.locator(drv.MAP_IFRAME).get_attribute("src") or ""
            assert src.startswith(f"{offline.STATIC_URL}/{offline.frontend_rel()}?"), src
            script = drv.map_frame_handle(page).evaluate(
                "performance.getEntriesByType('resource').filter(e => /main\\.[0-9a-f]+\\.js$/.test(e.name))"
                ".map(e => e.transferSize)")
            assert len(script) == 1
            if visit:  # from the browser's cache, or at most a "not modified" answer
                assert script[0] < 2_000, script
        # the note over the map while a rerun has not sent the new map (Streamlit marks the
        # element stale); the box is found by the map's key, not by a slow :has() selector
        box = page.locator(MAP_BOX)
        assert box.count() == 1 and box.locator(drv.MAP_IFRAME).count() == 1
        note = "el => getComputedStyle(el, '::after').content"
        assert box.evaluate(note) in ("none", "normal")
        box.evaluate("el => el.setAttribute('data-stale', 'true')")
        page.wait_for_function(f"getComputedStyle(document.querySelector({MAP_BOX!r}), '::after')"
                               ".opacity === '1'", timeout=WAIT)
        assert t("map_updating", "ar") in box.evaluate(note)
        assert guard.blocked == [], guard.blocked


def test_a_copied_link_reopens_the_view(sample_app):
    with drv.browser() as (ctx, guard):
        page = ctx.new_page()
        _open(page, sample_app.url + "/?lang=en&gov=SY-HI&panel=top")
        assert page.get_by_role("heading", name="Syria News Map").is_visible()
        chip = page.locator("[data-testid=stSidebar] [data-testid=stMultiSelect]").first
        assert "Homs (حمص)" in chip.inner_text()
        assert page.get_by_text("Top places").first.is_visible()
        assert t("layer_zones", "en") in drv.map_frame(page).locator(
            ".leaflet-control-layers").text_content()
        assert guard.blocked == []


def test_the_language_and_panel_switches_take_one_click_and_never_empty(sample_app):
    with drv.browser() as (ctx, guard):
        page = ctx.new_page()
        _open(page, sample_app.url)
        page.get_by_role("radio", name="English").click()
        page.get_by_role("heading", name="Syria News Map").wait_for(timeout=WAIT)
        page.wait_for_url("**lang=en**", timeout=WAIT)
        page.get_by_role("radio", name="English").click()  # the chosen one: nothing changes
        page.get_by_role("radio", name=t("timeline", "en")).click()
        page.wait_for_url("**panel=time**", timeout=WAIT)
        assert page.get_by_role("radio", name="English").get_attribute("aria-checked") == "true"
        assert page.get_by_role("heading", name="Syria News Map").is_visible()
        assert guard.blocked == []


def test_a_link_restores_the_map_view_and_layers_and_moving_writes_it(sample_app):
    with drv.browser() as (ctx, guard):
        page = ctx.new_page()
        _open(page, sample_app.url + "/?lang=en&view=34.7300,36.7200,10&layers=control,places")
        frame, handle = drv.map_frame(page), drv.map_frame_handle(page)
        # the link's view is reached (and its zoom animation over: a move during it is lost)
        handle.wait_for_function("window.map.getZoom() === 10 && !window.map._animatingZoom"
                                 " && Math.abs(window.map.getCenter().lat - 34.73) < 0.01"
                                 " && Math.abs(window.map.getCenter().lng - 36.72) < 0.01",
                                 timeout=WAIT)
        frame.locator("path.snm-control").first.wait_for(state="attached", timeout=WAIT)
        assert frame.locator("path.snm-zone").count() == 0  # zones are off in this link
        assert frame.locator(".snm-label").count() > 0  # zoomed in: town names drawn
        handle.evaluate("window.map.setView([33.51, 36.29], 9)")
        page.wait_for_url(re.compile(r"view=33\.51\d*%2C36\.29\d*%2C9|view=33\.51\d*,36\.29\d*,9"),
                          timeout=WAIT)
        # the control is a button until hovered or tapped, and legends fold away
        assert frame.locator(".leaflet-control-layers-expanded").count() == 0
        dock = frame.locator("details.snm-dock")
        assert dock.get_attribute("open") is not None
        dock.locator("summary").first.click()
        assert dock.get_attribute("open") is None
        assert guard.blocked == []


def test_hidden_layers_come_when_ticked_and_the_map_recovers_after_a_reload(sample_app):
    with drv.browser() as (ctx, guard):
        page = ctx.new_page()
        _open(page, sample_app.url + "/?lang=en")
        frame, handle = drv.map_frame(page), drv.map_frame_handle(page)
        # a hidden layer is not sent with the page: ticking its box asks for it
        assert frame.locator("path.snm-control").count() == 0
        control = _layer_checkbox(page, t("layer_control", "en"))
        control.check()
        frame.locator("path.snm-control").first.wait_for(state="attached", timeout=WAIT)
        assert control.is_checked()
        assert frame.locator(".snm-legend[data-layer=control]").count() == 1
        # a layer turned off stays off when the filters change (the layer is swapped)
        zones = _layer_checkbox(page, t("layer_zones", "en"))
        zones.uncheck()
        frame.locator("path.snm-zone").first.wait_for(state="detached", timeout=WAIT)
        page.locator("[data-testid=stSidebar] [data-testid=stMultiSelect]").first.click()
        page.get_by_role("option", name="Homs (حمص)").click()
        page.keyboard.press("Escape")
        page.wait_for_url(re.compile(r"[?&]gov=SY-HI\b"), timeout=WAIT)
        handle.wait_for_function("window.snmCounts.places < 10", timeout=WAIT)
        frame.locator(".snm-place, .marker-cluster").first.wait_for(timeout=WAIT)
        assert frame.locator("path.snm-zone").count() == 0
        assert frame.locator("path.snm-control").count() > 0
        # the iframe reloads and no longer holds what the page sends by digest: it asks again
        homs = drv.place_count(page)
        handle.evaluate("location.reload()")
        frame.locator(".leaflet-control-layers").wait_for(timeout=WAIT)
        handle = drv.map_frame_handle(page)
        handle.wait_for_function("window.snmPlaces && window.snmPlaces.places", timeout=WAIT)
        frame.locator(".snm-place, .marker-cluster").first.wait_for(timeout=WAIT)
        assert drv.place_count(page) == homs
        frame.locator("path.snm-zone").first.wait_for(state="attached", timeout=WAIT)
        assert guard.blocked == []


def test_the_search_box_finds_a_place_by_any_spelling_and_opens_it(sample_app):
    with drv.browser() as (ctx, guard):
        page = ctx.new_page()
        _open(page, sample_app.url)
        frame = drv.map_frame(page)
        box = frame.locator(".snm-search input")
        box.fill("ادلب")  # no hamza: إدلب
        frame.locator(".snm-search-results li", has_text="إدلب").first.wait_for(timeout=WAIT)
        box.fill("الرقه")  # with ال and heh for teh marbuta: الرقة
        hit = frame.locator(".snm-search-results li", has_text="الرقة").first
        hit.wait_for(timeout=WAIT)
        box.press("Enter")
        frame.locator(".leaflet-popup-content .snm-popup", has_text="الرقة").wait_for(timeout=WAIT)
        page.get_by_text("مقالات تذكر الرقة").first.wait_for(timeout=WAIT)
        box.fill("xyzq")
        frame.locator(".snm-search-results li.snm-none").wait_for(timeout=WAIT)
        assert guard.blocked == []


def _sidebar_date(page, label: str):
    """The sidebar date input labelled `label`."""
    return page.locator("[data-testid=stSidebar] [data-testid=stDateInput]", has_text=label) \
        .locator("input")


def test_dates_read_year_month_day_and_fit_their_fields_in_arabic(sample_app):
    """In the right-to-left page a date still reads 2017-07-31, every digit inside its field."""
    with drv.browser() as (ctx, _guard):
        page = ctx.new_page()
        _open(page, sample_app.url)
        fields = page.locator("[data-testid=stSidebar] [data-testid=stDateInputField]").all()
        assert len(fields) == 2
        for field in fields:
            box = field.locator("[data-testid=stDateInputFieldsScroller]").bounding_box()
            parts = {s.get_attribute("data-type"): s.bounding_box()
                     for s in field.locator("[role=spinbutton]").all()}
            assert parts["year"]["x"] < parts["month"]["x"] < parts["day"]["x"]
            for part in parts.values():
                assert box["x"] <= part["x"] and part["x"] + part["width"] <= box["x"] + box["width"]


def test_date_inputs_presets_and_keyboard_steps(sample_app):
    with drv.browser() as (ctx, guard):
        page = ctx.new_page()
        _open(page, sample_app.url + "/?lang=en")
        page.locator("[data-testid=stSidebar] button", has_text="Last 7 days").click()
        page.wait_for_url(re.compile(r"from=2017-07-25"), timeout=WAIT)
        assert _sidebar_date(page, "From").input_value() == "2017-07-25"
        thumb = page.locator("[data-testid=stSidebar] [data-testid=stSlider]").first \
            .locator("input[type=range]").first
        thumb.focus()
        page.keyboard.press("ArrowLeft")  # one day
        page.wait_for_url(re.compile(r"from=2017-07-24"), timeout=WAIT)
        assert _sidebar_date(page, "From").input_value() == "2017-07-24"  # inputs follow
        page.locator("[data-testid=stSidebar] button", has_text="All").click()
        page.wait_for_function("!location.search.includes('from=')", timeout=WAIT)
        assert guard.blocked == []


DAYS = [("2017-07-03", "حلب"), ("2017-07-09", "إدلب"), ("2017-07-15", "حمص"),
        ("2017-07-21", "درعا"), ("2017-07-27", "الرقة")]


@pytest.fixture(scope="module")
def days_app(tmp_path_factory):
    """The app over five articles, each naming one city on its own day (DAYS)."""
    inputs = tmp_path_factory.mktemp("days")
    (inputs / "days.jsonl").write_text("\n".join(
        json.dumps({"text": f"اشتباكات عنيفة في مدينة {city} اليوم وقصف على أحيائها", "date": day},
                   ensure_ascii=False) for day, city in DAYS), encoding="utf-8")
    store = drv.build_store(tmp_path_factory.mktemp("days-store") / "store", inputs)
    with drv.run_app(store) as app:
        yield app


def _map_places(page, n: int) -> list[str]:
    """Once the map shows n places: their titles."""
    drv.map_frame_handle(page).wait_for_function(
        f"window.snmPlaces && window.snmPlaces.places.markers.length === {n}", timeout=WAIT)
    drv.map_frame(page).locator(".snm-place, .marker-cluster").first.wait_for(timeout=WAIT)
    return drv.map_frame_handle(page).evaluate(
        "window.snmPlaces.places.markers.map(m => m.snmRow[5])")


def test_a_typed_date_and_a_picked_day_filter_the_map(days_app):
    with drv.browser() as (ctx, guard):
        page = ctx.new_page()
        _open(page, days_app.url + "/?lang=en")
        assert len(_map_places(page, 5)) == 5
        # type the whole date into the "To" field; it is kept when the focus leaves the field
        # (Streamlit commits a date input on blur: Enter does not, nor Tab to its own calendar
        # button)
        to = page.locator("[data-testid=stSidebar] [data-testid=stDateInput]", has_text="To")
        to.locator("[role=spinbutton][data-type=year]").click()
        page.keyboard.type("20170716")
        page.keyboard.press("Tab")  # the calendar button, still inside the field
        page.keyboard.press("Tab")  # out of it
        page.wait_for_url(re.compile(r"[?&]to=2017-07-16\b"), timeout=WAIT)
        shown = _map_places(page, 3)  # 3, 9 and 15 July
        assert any("Homs" in x for x in shown) and not any("Raqqa" in x for x in shown)
        end = page.locator("[data-testid=stSidebar] [data-testid=stSlider]").first \
            .locator("input[type=range]").nth(1)
        assert end.get_attribute("aria-valuetext") == "2017-07-16"  # the slider follows
        # pick a day in the "From" field's calendar
        start = page.locator("[data-testid=stSidebar] [data-testid=stDateInput]", has_text="From")
        start.get_by_role("button", name="Choose date").click()
        page.get_by_role("dialog").get_by_role("button", name=re.compile(r"July 9, 2017")).click()
        page.wait_for_url(re.compile(r"[?&]from=2017-07-09\b"), timeout=WAIT)
        shown = _map_places(page, 2)  # 9 and 15 July
        assert any("Homs" in x for x in shown) and not any("Aleppo" in x for x in shown)
        assert _sidebar_date(page, "From").input_value() == "2017-07-09"
        page.screenshot(path=str(ARTIFACTS / "e2e_dates.png"), full_page=True)
        assert guard.blocked == []


def test_the_reader_is_full_width_with_cards_on_hover_and_tap(sample_app):
    from store.query import Store
    article_id = Store(sample_app.store).articles()["article_id"][0]
    with drv.browser() as (ctx, guard):
        page = ctx.new_page()
        _open(page, f"{sample_app.url}/?lang=en&article={article_id}")
        text = page.locator(".snm-text")
        text.wait_for(timeout=WAIT)
        assert text.bounding_box()["width"] > 900  # not a 340 px column
        mark = text.locator("mark.snm-place").first
        card = mark.locator(".snm-card")
        assert not card.is_visible()
        mark.hover()
        card.wait_for(state="visible", timeout=WAIT)
        assert "Confidence" in card.inner_text() and "gn:" not in card.inner_text()
        # the first name of an Arabic line sits at the page's right side: its card stays on it
        box, width = card.bounding_box(), page.evaluate("document.documentElement.clientWidth")
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, (box, width)
        page.mouse.move(0, 0)
        mark.focus()  # a tap focuses it
        card.wait_for(state="visible", timeout=WAIT)
        assert page.locator(".snm-article-head mark.snm-place").count() > 0  # title marked
        page.screenshot(path=str(ARTIFACTS / "e2e_reader.png"), full_page=True)
        assert guard.blocked == []


def test_the_actor_filter_finds_arabic_aliases(sample_app):
    with drv.browser() as (ctx, guard):
        page = ctx.new_page()
        _open(page, sample_app.url + "/?lang=en")
        actor = page.locator("[data-testid=stSidebar] [data-testid=stMultiSelect]").nth(1)
        actor.click()
        page.keyboard.type("داعش")
        first = page.get_by_role("option").first
        first.wait_for(timeout=WAIT)
        assert "Islamic State" in first.inner_text()  # not "select all matches"
        assert all("داعش" in o for o in page.get_by_role("option").all_inner_texts())
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"actor=isis"), timeout=WAIT)
        assert "actor=" in page.url and page.url.count("actor=") == 1
        page.keyboard.press("Escape")
        actor.click()
        page.keyboard.type("Observatory")  # a monitor is not an armed actor
        assert page.get_by_role("option", name=re.compile("Observatory")).count() == 0
        assert guard.blocked == []


def _bar(page, day: str) -> dict:
    """The bounding box of the timeline's bar for `day` ("Jul 09, 2017"), found by the label
    vega gives each bar in the chart's SVG."""
    bar = page.locator("[data-testid=stVegaLiteChart]").first.locator(
        f'path[role="graphics-symbol"][aria-label^="Date: {day};"]')
    bar.wait_for(timeout=WAIT)
    return bar.bounding_box()


def test_a_timeline_bar_click_and_a_brush_filter_the_map(days_app):
    with drv.browser() as (ctx, guard):
        page = ctx.new_page()
        _open(page, days_app.url + "/?lang=en&panel=time&freq=D")
        assert len(_map_places(page, 5)) == 5
        box = _bar(page, "Jul 09, 2017")
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.wait_for_url(re.compile(r"from=2017-07-09&to=2017-07-09\b"), timeout=WAIT)
        assert ["Idleb" in x for x in _map_places(page, 1)] == [True]
        # drag from the middle of one bar to the middle of another
        first, last = _bar(page, "Jul 15, 2017"), _bar(page, "Jul 21, 2017")
        y = first["y"] + first["height"] / 2
        page.mouse.move(first["x"] + first["width"] / 2, y)
        page.mouse.down()
        page.mouse.move(last["x"] + last["width"] / 2, y, steps=8)
        page.mouse.up()
        page.wait_for_url(re.compile(r"from=2017-07-15&to=2017-07-2[01]\b"), timeout=WAIT)
        shown = _map_places(page, 2)  # 15 and 21 July
        assert any("Homs" in x for x in shown) and any("Dar" in x for x in shown)
        page.screenshot(path=str(ARTIFACTS / "e2e_timeline.png"), full_page=True)
        assert guard.blocked == []


def test_added_text_appears_on_the_map_at_once(sample_app):
    with drv.browser() as (ctx, guard):
        page = ctx.new_page()
        _open(page, sample_app.url + "/?panel=add")
        before = drv.place_count(page)
        text = ("أفادت مصادر محلية بوقوع اشتباكات عنيفة في مدينة القامشلي وبلدة عامودا "
                "بريف الحسكة الشمالي، فيما شهدت مدينة منبج هدوءاً حذراً.")
        page.get_by_label(t("paste_text", "ar")).fill(text)
        page.get_by_label(t("text_date", "ar")).fill("2017-07-20")
        page.get_by_role("button", name=t("submit", "ar")).click()
        page.get_by_text("أضيفت مقالة واحدة").wait_for(timeout=WAIT)
        drv.map_frame_handle(page).wait_for_function(
            f"window.snmCounts && window.snmCounts.places > {before}", timeout=WAIT)
        assert guard.blocked == []


def test_the_csv_download_cites_every_mention(sample_app):
    with drv.browser() as (ctx, guard):
        page = ctx.new_page()
        _open(page, sample_app.url + "/?panel=dl&lang=en")
        with page.expect_download(timeout=WAIT) as download:
            page.get_by_role("button", name=t("download_csv", "en")).click()
        data = Path(download.value.path()).read_bytes().decode("utf-8-sig")
        assert guard.blocked == []
    rows = list(csv.DictReader(io.StringIO(data)))
    assert rows and list(rows[0])[:6] == ["title", "date", "date_precision", "source", "url",
                                          "sentence"]
    assert all(r["sentence"] and r["text"] in r["sentence"] for r in rows)
    assert {r["point"] for r in rows} <= {"place", "unit", "none"} and all(r["basis"] for r in rows)
    assert "Traceback" not in sample_app.log.read_text()


def test_article_text_with_markup_runs_nothing(tmp_path):
    """An article carrying <script> and <img onerror> is shown as text, in the map and panel."""
    payload_text = (
        "<p>قصفت الطائرات مدينة حلب &lt;script&gt;window.snmXSS=1;alert(1)&lt;/script&gt; "
        "و&lt;img src=x onerror=\"window.snmXSS=2;alert(2)\"&gt; ثم حلب مجدداً</p><p>.</p>")
    records = [
        {"text": payload_text, "title": '<img src=x onerror="window.snmXSS=3;alert(3)">',
         "source": '<b onmouseover="window.snmXSS=4">x', "date": "2017-07-25"},
        {"text": "اشتباكات في إدلب <img src=x onerror=window.snmXSS=5;alert(5)> اليوم",
         "title": "<script>window.snmXSS=6</script>", "date": "2017-07-26"},
    ]
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    (inputs / "xss.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False)
                                                for r in records), encoding="utf-8")
    store_path = drv.build_store(tmp_path / "store", SAMPLES, inputs)

    from store.query import Store
    store = Store(store_path)
    stored = store.articles()
    ids = [a for a in stored["article_id"] if "snmXSS" in (store.article(a)["text"] or "")]
    texts = [store.article(a)["text"] for a in ids]
    assert any("<script>" in x for x in texts) and any("onerror" in x for x in texts), \
        "the payloads must reach the store for this test to mean anything"

    with drv.run_app(store_path) as app, drv.browser() as (ctx, guard):
        page = ctx.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        for article_id in ids:
            _open(page, f"{app.url}/?article={article_id}")
            page.get_by_text("snmXSS=").first.wait_for(timeout=WAIT)  # shown, as text
            map_frame = drv.map_frame_handle(page)
            # build every place popup (on a marker's first click) and open every popup
            map_frame.evaluate("""() => {
                Object.values(window.snmPlaces || {}).forEach(
                    p => p.markers.forEach(m => m.fire('click')));
                window.map.eachLayer(l => {
                    if (l.getPopup && l.getPopup() && l._map) { l.openPopup(); } }); }""")
            # a barrier: our own broken image fails; any payload image would have failed first
            for frame in (page.main_frame, map_frame):
                frame.evaluate("""() => { const i = new Image();
                    i.onerror = () => { window.snmControl = 1; }; i.src = '/x?control'; }""")
                frame.wait_for_function("window.snmControl === 1", timeout=WAIT)
                assert frame.evaluate("typeof window.snmXSS") == "undefined"
        assert dialogs == []
        payload_loads = [u for u in guard.seen if u.split("?")[0].endswith("/x")
                         and "control" not in u]
        assert payload_loads == [], payload_loads
        assert guard.blocked == []
