"""The map as the component gets it: the same arguments st_folium would send, layers sent once
and only when shown, the same text when nothing changed, the iframe's requests served."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
import streamlit_folium

from ui import mapview, offline
from ui.map import builders, component, swap
from ui.map.css import MAP_BOX, MAP_KEY_PREFIX, busy_css
from ui.map.elements import PlaceCluster


def layers_js(places, govs, zones, control, controllers) -> list[swap.LayerJs]:
    """Every data layer of the fixtures as the iframe gets it."""
    out = []
    for fg in builders.data_layers("en", places, govs, None, zones, control,
                                   dt.date(2017, 7, 31), controllers):
        offline.localize(fg)
        key = builders.layer_key(fg)
        slot = builders.LAYER_KEYS.index(key)
        out.append(swap.layer_js(key, fg.layer_name, slot, swap.body_of(fg, slot)))
    return out


def test_the_page_is_what_st_folium_sends(govs, places, monkeypatch):
    sent: dict = {}
    monkeypatch.setattr(streamlit_folium, "_component_func", lambda **kw: sent.update(kw))
    ours = builders.base_map("en", None, govs, [[34.7, 36.7, "Homs", 7, "city"]])
    cluster = PlaceCluster([], {})
    offline.localize(ours, cluster)
    page = component.page_of(ours, "map_en", [cluster])
    theirs = builders.base_map("en", None, govs, [[34.7, 36.7, "Homs", 7, "city"]])
    layers = builders.data_layers("en", places, govs)
    offline.localize(theirs, *layers)
    streamlit_folium.st_folium(theirs, key="map_en", feature_group_to_add=layers,
                               layer_control=builders.layer_control(),
                               returned_objects=mapview.RETURNED)
    assert page.script == sent["script"] and page.header == sent["header"]
    assert page.html == sent["html"] and page.map_id == sent["id"]
    assert page.key == MAP_KEY_PREFIX + sent["key"]  # the same iframe across reruns
    assert list(page.css_links) == sent["css_links"] and list(page.js_links) == sent["js_links"]
    assert all(url.startswith("/app/static/") for url in page.js_links + page.css_links)
    assert "snmLayer" in page.script and "snmRing" in page.script


def test_a_layer_body_builds_it_without_adding_it(places, govs, zones, control, controllers):
    layers = layers_js(places, govs, zones, control, controllers)
    assert [x.key for x in layers] == list(builders.LAYER_KEYS)
    for x in layers:
        assert f"var {x.name} = L.featureGroup(" in x.body
        assert "addTo(map_div)" not in x.body and "map_div.addLayer" not in x.body
    again = layers_js(places, govs, zones, control, controllers)
    assert [x.digest for x in again] == [x.digest for x in layers]  # ids do not leak in


def test_bodies_go_once_and_hidden_layers_wait(places, govs, zones, control, controllers):
    layers = layers_js(places, govs, zones, control, controllers)
    session: dict = {}
    first = mapview.plan(session, "k", layers, ("zones", "places"), None)
    by_key = {x.key: x for x in layers}
    assert by_key["places"].body in first and by_key["zones"].body in first
    assert by_key["control"].body not in first  # hidden: not sent
    assert f'snmLayer("{by_key["control"].digest}", "control", false)' in first
    assert mapview.plan(session, "k", layers, ("zones", "places"), None) is first  # unchanged
    ringed = mapview.plan(session, "k", layers, ("zones", "places"), ("places", 34.73, 36.72))
    assert by_key["places"].body not in ringed  # held: its digest alone
    assert f'snmLayer("{by_key["places"].digest}", "places", null)' in ringed
    assert "snmRing(feature_group_feature_group_3, [34.73, 36.72])" in ringed
    assert by_key["places"].body in mapview.plan(session, "other", layers, ("places",), None)


def test_the_iframe_asks_for_a_layer_or_for_everything(places, govs, zones, control,
                                                       controllers):
    layers = layers_js(places, govs, zones, control, controllers)
    by_key = {x.key: x for x in layers}
    session: dict = {}
    mapview.plan(session, "k", layers, ("places",), None)
    assert mapview.asked(session, {swap.ASK: ["1", ["control"]]})
    assert not mapview.asked(session, {swap.ASK: ["1", ["control"]]})  # once per request
    assert not mapview.asked(session, {"last_object_clicked_popup": None}) and \
        not mapview.asked(session, None)
    text = mapview.plan(session, "k", layers, ("places",), None)
    assert by_key["control"].body in text and by_key["places"].body not in text
    assert mapview.asked(session, {swap.ASK: ["2", [swap.EVERY]]})  # it lost what it held
    text = mapview.plan(session, "k", layers, ("places",), None)
    assert by_key["places"].body in text and by_key["control"].body in text
    assert session[mapview.WANTED] == ["control"]


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_layer_control_lists_every_layer_by_its_label(lang, places, govs):
    fgs = builders.data_layers(lang, places, govs)
    layers = [swap.layer_js(builders.layer_key(fg), fg.layer_name, i, "") for i, fg in
              enumerate(fgs)]
    text = swap.layer_control_js(layers)
    assert all(x.name in text for x in layers) and "window.layer_control" in text
    assert "<" not in text.split("overlays", 1)[1]  # labels are script-safe


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory):
    """A store built from data/samples."""
    from snm import appdriver as drv
    from snm.settings import SAMPLES_DIR
    return drv.build_store(tmp_path_factory.mktemp("mapview") / "store", SAMPLES_DIR)


def test_places_under_a_governorate_filter_are_the_store_s_rows(sample_store):
    import pandas as pd

    from store.query import Filters, Store
    store, path = Store(sample_store), str(sample_store)
    stamp = ("test", str(sample_store))
    codes = sorted(c for c in store.place_counts(Filters())["admin1"].dropna().unique())
    assert len(codes) >= 3
    for f in (Filters(), Filters(min_confidence=0.6), Filters(date_to=dt.date(2017, 7, 15))):
        assert mapview.places(path, stamp, f).equals(
            store.place_counts(dataclasses.replace(f, syria_only=False)))  # counted first
        for chosen in ([codes[0]], codes[1:3], ["SY-XX"]):
            asked = dataclasses.replace(f, admin1=chosen)
            got = mapview.places(path, stamp, asked)
            want = store.place_counts(dataclasses.replace(asked, syria_only=False))
            pd.testing.assert_frame_equal(got, want)


def test_the_busy_note_finds_the_map_by_its_key_not_by_has():
    # :has() made the browser recompute styles on every change while Streamlit built the page
    # (about 150 ms of each first map); the map's key gives its box a class instead
    css = busy_css("updating")
    assert MAP_BOX in css and ":has(" not in css
    assert f"st-key-{MAP_KEY_PREFIX}" in MAP_BOX
