"""ui/map: what is rendered into the map page (decoded from the HTML the browser gets), styles,
popups, legends, labels and search keys, without Streamlit."""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import folium
import pandas as pd

from ui import i18n, offline
from ui.map import builders, elements, labels, places, popups, styles
from ui.map.encode import decode_blobs, js_data, js_json
from ui.text import esc

XSS_MARKERS = ("<script>window", "<img src=x", 'onerror="window')


def no_live_payload(html: str) -> None:
    """The XSS payload appears only escaped."""
    for marker in XSS_MARKERS:
        assert marker not in html, marker


def rendered(base: folium.Map, layers: list) -> str:
    """The assembled map as the standalone HTML page a browser would run."""
    return builders.assemble(base, layers).get_root().render()


def place_rows_in(html: str) -> list[list]:
    """The marker rows rendered into the page (decoded from its snmData blobs), each with its
    colour looked up in the table sent beside them."""
    out = []
    for blob in decode_blobs(html):
        if isinstance(blob, dict) and "rows" in blob:
            for row in blob["rows"]:
                assert len(row) == len(places.ROW_FIELDS)
                out.append([*row[:4], blob["words"]["colors"][row[4]], *row[5:]])
    return out


def features_in(html: str) -> list[dict]:
    """The GeoJSON features rendered into the page."""
    return [f for blob in decode_blobs(html) if isinstance(blob, dict) and "features" in blob
            for f in blob["features"]]


def test_rendered_map_carries_the_syrian_places_only(places, govs, zones, control, controllers):
    layers = builders.data_layers("en", places, govs, None, zones, control,
                                  dt.date(2017, 7, 31), controllers)
    html = rendered(builders.base_map("en", None, govs), layers)
    rows = place_rows_in(html)
    key = places.ROW_FIELDS.index("key") if False else 9
    syrian = {r[key] for r in rows if r[4] != styles.FOREIGN_COLOR}
    assert syrian == {"p-homs", "p-evil", "p-douma"}  # not Syria, not the place without a point
    assert {r[key] for r in rows if r[4] == styles.FOREIGN_COLOR} == {"LB"}
    sizes = {r[key]: r[3] for r in rows}
    assert sizes["p-homs"] > sizes["p-evil"] > sizes["p-douma"]
    approx = {r[key]: r[8] for r in rows}
    assert approx["p-douma"] == 1 and approx["p-homs"] == 0  # a unit's point is approximate
    legend = next(c for c in layers[3]._children.values() if isinstance(c, elements.Legend))
    assert "Syria as a whole: 40 mentions" in legend.html
    assert "1 place without coordinates (4 mentions)" in legend.html


def test_rendered_map_escapes_every_payload_and_loads_only_local_files(places, govs, zones,
                                                                       control, controllers):
    counts = pd.DataFrame({"admin1": ["SY-HI"], "mentions": [12], "articles": [3]})
    base = builders.base_map("ar", None, govs, [[34.7, 36.7, "حمص", 7, "city"]])
    layers = builders.data_layers("ar", places, govs, counts, zones, control,
                                  dt.date(2017, 7, 31), controllers)
    html = rendered(base, layers)
    no_live_payload(html)
    parts = [f["properties"].get("popup") or "" for f in features_in(html)]
    no_live_payload("".join(parts))
    assert "&lt;script&gt;" in "".join(parts)
    assert any(r[5].startswith(XSS_MARKERS[0][:8]) or "script" in r[5] for r in
               place_rows_in(html))  # names go to textContent, raw is fine there
    for url in offline.asset_urls(*layers):
        assert url.startswith("/app/static/"), url
    assert not re.search(r'(?:src|href)="https?://', html)
    names = [fg.layer_name for fg in layers]
    assert names[:3] == [i18n.t("layer_choropleth", "ar"),
                         i18n.t("layer_control", "ar") + " · 2017-07-31",
                         i18n.t("layer_zones", "ar") + " · 2017-07-31"]
    assert "snmLabelsShown" in html and "snm-search" in html and "snmDock" in html


def test_place_popups_carry_a_hidden_key_not_an_id():
    popup_text = "Homs (حمص)\nHoms · town/city\nMentions: 12\n\u2063p-homs\u2063"
    assert popups.place_id_from_popup(popup_text) == "p-homs"
    assert popups.place_id_from_popup("Homs\nID p-homs") is None
    assert popups.place_id_from_popup(None) is None
    assert ".snm-key{font-size:0" in builders.MAP_CSS  # in the text, never on screen


def test_area_popups_link_sources_by_outlet_and_say_who_decided(zones, control, controllers):
    fg = builders.zones_layer(zones, dt.date(2017, 7, 31), "en")
    geo = next(c for c in fg._children.values() if isinstance(c, elements.HtmlGeoJson))
    popup = geo.data["features"][0]["properties"]["popup"]
    no_live_payload(popup)
    assert '<a href="https://tass.com/politics/944911"' in popup and ">tass.com</a>" in popup
    assert ">news.xinhuanet.com</a>" in popup and "Xinhua 22 Jul 2017" in popup
    assert ">https://" not in popup  # never a raw URL as the link text
    assert geo.data["features"][0]["properties"]["style"]["color"] == "#123456"  # zones.csv
    fg = builders.control_layer(control, dt.date(2017, 7, 31), "en", controllers)
    geo = next(c for c in fg._children.values() if isinstance(c, elements.HtmlGeoJson))
    kinds = [f["geometry"]["type"] for f in geo.data["features"]]
    assert kinds[-1] == "Point"  # towns drawn above the areas
    area, contested, town = (f["properties"] for f in geo.data["features"])
    assert "Decided by:</b> Homs (city): GOV from 2014-05-09" in area["popup"]
    assert "Homs sub-district" in area["popup"]
    assert area["style"]["fillColor"] == controllers["GOV"].color
    assert contested["style"]["fillColor"] == controllers["CONTESTED"].color  # from the table
    assert "Armed opposition factions" in town["popup"]
    legend = next(c for c in fg._children.values() if isinstance(c, elements.Legend))
    assert esc(controllers["CONTESTED"].name_en) in legend.html and esc(controllers["GOV"].name_en) in legend.html


def test_controller_words_come_from_the_layers_table(controllers):
    assert builders.controller_label("GOV", "en", controllers) == controllers["GOV"].name_en
    assert builders.controller_label("GOV", "ar", controllers) == controllers["GOV"].name_ar
    assert builders.controller_label("NEW", "en", controllers) == "NEW"
    assert not hasattr(builders, "CONTROLLER_LABELS") and not hasattr(styles, "ZONE_COLORS")


def test_choropleth_classes_show_contrast(govs):
    values = [5000, 4000, 3500, 3000, 2000, 1500, 1200, 900, 400, 300, 120, 80, 30, 3]
    breaks = styles.class_breaks(values)
    top = [v for v in values if styles.count_color(v, breaks) == styles.SEQUENTIAL[-1]]
    assert len(top) <= 3  # was 7 of 14 with geometric classes
    assert len({styles.count_color(v, breaks) for v in values}) == 5
    counts = pd.DataFrame({"admin1": ["SY-HI", "SY-DI"], "mentions": [100, 1],
                           "articles": [10, 1]})
    fg = builders.choropleth_layer(govs, counts, "en")
    geo = next(c for c in fg._children.values() if isinstance(c, elements.HtmlGeoJson))
    fills = [f["properties"]["style"]["fillColor"] for f in geo.data["features"]]
    assert fills[0] != fills[1]


def test_class_breaks_labels_and_sizes():
    assert styles.class_breaks([]) == [1]
    assert styles.class_breaks([3, 1, 2]) == [1, 2, 3]
    assert styles.class_labels([1, 5, 20]) == ["1", "2–5", "6–20"]
    assert styles.marker_size(1000, 1000) == 40 and styles.marker_size(0, 1000) == 14


def test_empty_inputs_still_give_layers():
    layers = builders.data_layers("en", pd.DataFrame(), None, None, None, None, None)
    assert len(layers) == 4
    fg = builders.zones_layer(None, dt.date(2011, 1, 1), "en")
    legend = next(c for c in fg._children.values() if isinstance(c, elements.Legend))
    assert "No zone in force" in legend.html


def test_layers_shown_follow_the_link():
    layers = builders.data_layers("en", pd.DataFrame(), None, None, None, None, None,
                                  visible=["control"])
    shown = {}
    for fg in layers:
        state = next(c for c in fg._children.values() if isinstance(c, elements.LayerState))
        shown[state.key] = state.show
    assert shown == {"control": True, "zones": False, "places": False, "foreign": False}


def test_the_selected_place_is_ringed_on_its_own_layer(places):
    assert builders.selection(places, "p-homs") == ("places", 34.73, 36.72)
    assert builders.selection(places, "p-douma") == ("places", 33.57, 36.40)  # at its unit
    assert builders.selection(places, "p-nowhere") is None  # no coordinates: nothing to ring
    assert builders.selection(places, None) is None


def test_labels_grow_with_zoom():
    class P:
        """A gazetteer place."""

        def __init__(self, name: str, pop: int, level: str = "populated_place") -> None:
            """A Syrian place."""
            self.name_ar, self.name_en, self.level, self.country = name, name, level, "SY"
            self.lat, self.lon, self.population = 35.0, 37.0, pop
    rows = labels.place_labels([P("big", 2_000_000), P("small", 100), P("gov", 0, "governorate")],
                               "en")
    assert [r[2] for r in rows] == ["big", "small"]
    assert rows[0][3] < rows[1][3]


def test_view_for_zooms_to_chosen_governorates(govs):
    center, zoom = builders.view_for(govs, ["SY-DI"])
    assert 33.4 < center[0] < 33.6 and zoom > 7
    assert builders.view_for(govs, None)[1] == 7


def test_js_data_round_trips_utf8_and_js_json_cannot_close_a_script():
    from ui.map.encode import decode_blobs as decode
    assert decode(js_data({"name": "حمص", "html": "<b>"})) == [{"name": "حمص", "html": "<b>"}]
    out = js_json({"a": "</script><b>&'\u2028حمص"})
    assert "<" not in out and ">" not in out and "&" not in out and "'" not in out
    assert "\u2028" not in out and "حمص" in out


def test_large_map_data_is_deflated_and_small_data_is_not(default_gazetteer):
    from ui.map.encode import DEFLATE_FROM
    rows = [[round(p.lat, 4), round(p.lon, 4), p.name_ar, p.name_en, p.place_id]
            for p in default_gazetteer.places[:3000] if p.lat is not None]
    big = js_data({"rows": rows})
    plain = len(json.dumps({"rows": rows}, ensure_ascii=False).encode()) * 4 / 3
    assert big.endswith('", 1)') and len(big) < plain / 2  # what Streamlit sends, halved
    assert decode_blobs(big) == [{"rows": rows}]
    small = js_data({"name": "حمص"})
    assert not small.endswith(", 1)") and len(json.dumps({"name": "حمص"})) < DEFLATE_FROM
    assert decode_blobs(small + ";" + big) == [{"name": "حمص"}, {"rows": rows}]


def test_the_map_page_loads_the_inflater_from_static(govs):
    from ui.map.elements import DataDecoder
    m = builders.base_map("en", boundaries=govs)
    urls = offline.asset_urls(m)
    assert any(u.endswith("vendor/fflate/umd/index.js") for u in urls)
    assert any(isinstance(c, DataDecoder) for c in m._children.values())
    assert "vendor/fflate/umd/index.js" in offline.missing_files(Path("/nonexistent"))


def test_places_use_the_stored_point_and_infer_it_for_old_rows(mixed_store):
    from store import Store
    stored = Store(mixed_store).place_counts().set_index("place_id")
    assert stored.loc["unknown:SY04:الزعرورات", "point"] == "unit"
    assert stored.loc["homs", "point"] == "place"  # stored by the newer part, NULL in the old
    assert pd.isna(stored.loc["aleppo", "point"])  # named only by the old part
    drawn, whole, unplaced = places.split_drawable(stored.reset_index())
    assert unplaced["place_id"].tolist() == ["orontes"] and whole.empty
    assert dict(zip(drawn["place_id"], drawn["point"])) == {
        "homs": "place", "aleppo": "place", "unknown:SY04:الزعرورات": "unit"}
    rows, _breaks, _tables = places.place_rows(drawn, "en")
    approx = {r[places.ROW_FIELDS.index("key")]: r[places.ROW_FIELDS.index("approximate")]
              for r in rows}
    assert approx == {"homs": 0, "aleppo": 0, "unknown:SY04:الزعرورات": 1}


def test_a_syrian_place_without_a_governorate_is_not_called_foreign():
    rows = pd.DataFrame([
        {"place_id": "badia", "name_ar": "البادية", "name_en": "Badia", "level": "region",
         "admin1": None, "country": "SY", "lat": 34.5, "lon": 38.5, "mentions": 3, "articles": 1},
        {"place_id": "beirut", "name_ar": "بيروت", "name_en": "Beirut", "level": "populated_place",
         "admin1": None, "country": "LB", "lat": 33.9, "lon": 35.5, "mentions": 2, "articles": 1},
        {"place_id": "homs", "name_ar": "حمص", "name_en": "Homs", "level": "populated_place",
         "admin1": "SY-HI", "country": "SY", "lat": 34.7, "lon": 36.7, "mentions": 1, "articles": 1}])
    found, _breaks, tables = places.place_rows(rows, "en")
    meta = {r[places.ROW_FIELDS.index("key")]: tables["metas"][r[places.ROW_FIELDS.index("meta")]]
            for r in found}
    outside = i18n.t("outside_syria", "en")
    assert outside not in meta["badia"] and meta["badia"] == i18n.level_label("region", "en")
    assert meta["beirut"].startswith(f"{outside} (LB)")
    assert meta["homs"].startswith("Homs")
