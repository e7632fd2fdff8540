"""ui/: escaping, map layers, offline assets, exports, labels and URL state, without Streamlit."""
from __future__ import annotations

import base64
import csv
import datetime as dt
import io
import json
import re

import folium
import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point, box

from snm.settings import VENDOR_DIR
from ui import exports, i18n, maplayers, offline, panels, text, urlstate

XSS = '<script>window.snmXSS=1</script><img src=x onerror="window.snmXSS=2">'
SAFE_MARKERS = ("<script>window", "<img src=x", 'onerror="window')


def no_live_payload(html: str) -> None:
    """The XSS payload appears only escaped."""
    for marker in SAFE_MARKERS:
        assert marker not in html, marker


# ------------------------------------------------------------------ fixtures (hand-made frames)

@pytest.fixture()
def places() -> pd.DataFrame:
    """Three Syrian places (one named with a payload), Syria itself and one foreign place."""
    return pd.DataFrame([
        dict(place_id="p-homs", name_ar="حمص", name_en="Homs", level="populated_place",
             admin1="SY-HI", lat=34.73, lon=36.72, country="SY", mentions=12, articles=3),
        dict(place_id="p-evil", name_ar=XSS, name_en="Evil <b>", level="populated_place",
             admin1="SY-DI", lat=33.51, lon=36.29, country="SY", mentions=3, articles=2),
        dict(place_id="p-douma", name_ar="دوما", name_en="Douma", level="populated_place",
             admin1="SY-RD", lat=33.57, lon=36.40, country="SY", mentions=1, articles=1),
        dict(place_id="SY", name_ar="سوريا", name_en="Syria", level="country", admin1=None,
             lat=35.0, lon=38.5, country="SY", mentions=40, articles=5),
        dict(place_id="LB", name_ar="لبنان", name_en="Lebanon", level="country", admin1=None,
             lat=33.8, lon=35.8, country="LB", mentions=2, articles=1),
    ])


@pytest.fixture()
def articles_by_place() -> dict:
    """Popup articles: one with a payload title and text."""
    body = "قصفت الطائرات مدينة حمص اليوم " + XSS
    return {"p-homs": [{"article_id": "a1", "date": dt.date(2017, 7, 23), "title": XSS,
                        "source": "<i>src</i>", "text": body, "start": 20, "end": 23}]}


@pytest.fixture()
def govs() -> gpd.GeoDataFrame:
    """Two governorate boxes."""
    return gpd.GeoDataFrame({"admin1": ["SY-HI", "SY-DI"], "admin1_pcode": ["SY04", "SY01"],
                             "name_ar": ["حمص", "دمشق"], "name_en": ["Homs", "Damascus"]},
                            geometry=[box(36.5, 33.5, 40, 35.2), box(36.2, 33.4, 36.4, 33.6)],
                            crs="EPSG:4326")


@pytest.fixture()
def zones() -> gpd.GeoDataFrame:
    """One approximate zone whose source carries a payload."""
    return gpd.GeoDataFrame({
        "zone_id": ["north_homs"], "name_en": ["Northern Homs zone"], "name_ar": ["شمال حمص"],
        "status": ["active"], "valid_from": [dt.date(2017, 5, 6)], "valid_to": [None],
        "declared": [dt.date(2017, 5, 4)], "approximate": [True],
        "geometry_note": ["union of sub-districts"], "source": [XSS]},
        geometry=[box(36.6, 34.8, 36.9, 35.0)], crs="EPSG:4326")


@pytest.fixture()
def control() -> gpd.GeoDataFrame:
    """An approximate area and a key town."""
    return gpd.GeoDataFrame({
        "kind": ["area", "town"], "controller": ["GOV", "OPP"],
        "basis": ["Homs (city)", "al-Rastan"], "approximate": [True, False],
        "valid_from": [dt.date(2017, 7, 23), dt.date(2012, 2, 1)],
        "valid_to": [dt.date(2017, 10, 17), None], "name_en": [None, "al-Rastan"],
        "name_ar": [None, "الرستن"], "source": ["Voronoi of key towns", "timeline"]},
        geometry=[box(36.6, 34.6, 36.8, 34.8), Point(36.72, 34.92)], crs="EPSG:4326")


def render(m: folium.Map) -> str:
    """The map as a standalone HTML page."""
    return m.get_root().render()


# ------------------------------------------------------------------ escaping and text

def test_esc_escapes_markup_quotes_and_missing_values():
    assert text.esc('<a href="x">\'') == "&lt;a href=&quot;x&quot;&gt;&#x27;"
    assert text.esc(None) == "" and text.esc(float("nan")) == ""


def test_highlight_html_escapes_text_and_titles_and_marks_every_place():
    body = "قصف في حمص " + XSS + " ثم دوما"
    homs = body.index("حمص")
    douma = body.index("دوما")
    mentions = [
        {"start": homs, "end": homs + 3, "text": "حمص", "name_ar": "حمص", "name_en": 'Homs"><x',
         "level": "populated_place", "admin1": "SY-HI", "country": "SY", "lat": 34.7,
         "lon": 36.7, "confidence": 0.9, "place_id": "p-homs"},
        {"start": douma, "end": douma + 4, "text": "دوما", "name_ar": "دوما", "name_en": "Douma",
         "level": "populated_place", "admin1": "SY-RD", "country": "SY", "lat": 33.5,
         "lon": 36.4, "confidence": 0.3, "place_id": "p-douma"},
    ]
    html = text.highlight_html(body, mentions, "en", min_confidence=0.5)
    no_live_payload(html)
    assert html.startswith('<div class="snm-text" dir="rtl" lang="ar">')
    assert html.count("<mark ") == 2
    assert 'Homs&quot;&gt;&lt;x' in html  # a quote cannot leave the title attribute
    assert "snm-low" in html  # below the minimum confidence: shown, but marked
    assert "Homs" in html and "Confidence 0.90" in html


def test_highlight_html_skips_bad_and_overlapping_spans():
    body = "ريف دمشق الغربي"
    mentions = [{"start": 0, "end": 8, "name_ar": "ريف دمشق"},
                {"start": 4, "end": 8, "name_ar": "دمشق"},       # inside the longer one
                {"start": 50, "end": 60, "name_ar": "خارج"},     # past the end
                {"start": "x", "end": 2}]
    html = text.highlight_html(body, mentions, "ar")
    assert html.count("<mark ") == 1
    assert ">ريف دمشق</mark>" in html


def test_snippet_is_short_and_escaped():
    body = "أ" * 200 + "حمص" + "<script>" + "ب" * 200
    before, match, after = text.snippet(body, 200, 203, 20)
    assert match == "حمص" and before.startswith("…") and after.endswith("…")
    assert len(before) <= 21 and len(after) <= 21
    no_live_payload(text.snippet_html(body, 200, 203, 20))
    assert "&lt;script&gt;" in text.snippet_html(body, 200, 203, 20)


def test_article_header_links_only_http_urls():
    head = text.article_header_html({"title": XSS, "date": dt.date(2017, 7, 1), "source": "s",
                                     "date_precision": "month",
                                     "url": "javascript:alert(1)"}, "ar")
    no_live_payload(head)
    assert "href" not in head and "2017-07 ·" in head
    head = text.article_header_html({"title": "t", "url": "https://example.org/a?b=<c>"}, "en")
    assert 'href="https://example.org/a?b=&lt;c&gt;"' in head


# ------------------------------------------------------------------ popups and map layers

def test_place_popup_escapes_and_carries_the_place_id(places, articles_by_place):
    row = places.iloc[1].to_dict()
    html = maplayers.place_popup_html(row, articles_by_place["p-homs"], "ar")
    no_live_payload(html)
    assert "ID p-evil" in html
    text_only = re.sub(r"<[^>]+>", "\n", html)
    assert maplayers.place_id_from_popup(text_only) == "p-evil"
    assert maplayers.place_id_from_popup("Homs\nsomething else") is None
    assert maplayers.place_id_from_popup(None) is None


def test_place_popup_lists_articles_with_dates_snippets_and_more(places, articles_by_place):
    homs = places.iloc[0].to_dict()
    html = maplayers.place_popup_html(homs, articles_by_place["p-homs"], "en")
    assert "2017-07-23" in html and "<b>حمص</b>" in html
    assert "Homs (حمص)" in html and "Mentions: <b>12</b>" in html
    assert "and 2 more articles" in html  # 3 articles, one shown
    month = dict(articles_by_place["p-homs"][0], date_precision="month")
    assert "2017-07 ·" in maplayers.place_popup_html(homs, [month], "en")


def test_articles_by_place_groups_store_rows_in_order():
    rows = pd.DataFrame({"place_id": ["a", "a", "b"], "article_id": ["2", "1", "1"],
                         "text": ["0123456789"] * 3, "start": [0, 1, 3], "end": [3, 4, 6]})
    out = maplayers.articles_by_place(rows)
    assert [a["article_id"] for a in out["a"]] == ["2", "1"]
    assert out["b"][0]["start"] == 3
    assert maplayers.articles_by_place(rows.iloc[0:0]) == {}


def test_data_layers_build_escaped_offline_map(places, articles_by_place, govs, zones, control):
    counts = pd.DataFrame({"admin1": ["SY-HI"], "mentions": [12], "articles": [3]})
    base = maplayers.base_map("ar", None, govs)
    layers = maplayers.data_layers("ar", places, articles_by_place, govs, counts, zones, control,
                                   dt.date(2017, 7, 31))
    m = maplayers.assemble(base, layers)
    html = render(m)
    no_live_payload(html)
    blobs = [json.loads(base64.b64decode(b).decode("utf-8"))
             for b in re.findall(r'snmData\("([A-Za-z0-9+/=]*)"\)', html)]
    html_parts = []  # what the map puts in innerHTML: popups, tooltips
    for blob in blobs:
        if isinstance(blob, list):  # place rows; row[6] is the marker's title= (plain text)
            html_parts += [row[5] for row in blob]
        else:
            for feat in blob["features"]:
                html_parts += [feat["properties"].get("popup") or "",
                               feat["properties"].get("tip") or ""]
    no_live_payload("".join(html_parts))
    assert "&lt;script&gt;" in "".join(html_parts) and "window.snmData" in html
    for url in offline.asset_urls(m, *layers):
        assert url.startswith("/app/static/"), url
    assert not re.search(r'(?:src|href)="https?://', html)
    names = [fg.layer_name for fg in layers]
    assert names[:3] == [i18n.t("layer_choropleth", "ar"),
                         i18n.t("layer_control", "ar") + " · 2017-07-31",
                         i18n.t("layer_zones", "ar") + " · 2017-07-31"]
    assert "L.Icon.Default.imagePath" in html and "maxZoom" in html


def test_places_layer_keeps_foreign_places_and_the_country_off_syria(places):
    syrian, foreign = maplayers.split_places(places)
    assert set(foreign["place_id"]) == {"LB"}
    fg = maplayers.places_layer(syrian, "en")
    cluster = next(c for c in fg._children.values() if isinstance(c, maplayers.PlaceCluster))
    rows = json.loads(cluster.data_json)
    assert {r[7] for r in rows} == {"p-homs", "p-evil", "p-douma"}  # not Syria, not Lebanon
    sizes = {r[7]: r[3] for r in rows}
    assert sizes["p-homs"] > sizes["p-evil"] > sizes["p-douma"]
    legend = next(c for c in fg._children.values() if isinstance(c, maplayers.Legend))
    assert "Syria as a whole: 40 mentions" in legend.html
    fg_foreign = maplayers.places_layer(foreign, "en", key="foreign", show=False)
    state = next(c for c in fg_foreign._children.values() if isinstance(c, maplayers.LayerState))
    assert state.key == "foreign" and state.show is False


def test_zone_and_control_popups_say_dates_sources_and_approximation(zones, control):
    fg = maplayers.zones_layer(zones, dt.date(2017, 7, 31), "en")
    geo = next(c for c in fg._children.values() if isinstance(c, maplayers.HtmlGeoJson))
    popup = geo.data["features"][0]["properties"]["popup"]
    no_live_payload(popup)
    assert "2017-05-06 → open-ended" in popup and "Declared" in popup
    assert "Approximate area: union of sub-districts" in popup
    assert "&lt;script&gt;" in popup  # the source, escaped
    fg = maplayers.control_layer(control, dt.date(2017, 7, 31), "en")
    geo = next(c for c in fg._children.values() if isinstance(c, maplayers.HtmlGeoJson))
    kinds = [f["geometry"]["type"] for f in geo.data["features"]]
    assert kinds == ["Polygon", "Point"]  # towns drawn above the areas
    area, town = (f["properties"]["popup"] for f in geo.data["features"])
    assert "Approximate area" in area and "Homs (city)" in area and "2017-07-23" in area
    assert "Armed opposition factions (OPP)" in town and "2012-02-01" in town
    legend = next(c for c in fg._children.values() if isinstance(c, maplayers.Legend))
    assert "Approximate" in legend.html


def test_empty_inputs_still_give_layers():
    layers = maplayers.data_layers("en", pd.DataFrame(), {}, None, None, None, None, None)
    assert len(layers) == 4
    fg = maplayers.zones_layer(None, dt.date(2011, 1, 1), "en")
    legend = next(c for c in fg._children.values() if isinstance(c, maplayers.Legend))
    assert "No zone in force" in legend.html


def test_choropleth_colours_follow_counts(govs):
    counts = pd.DataFrame({"admin1": ["SY-HI", "SY-DI"], "mentions": [100, 1],
                           "articles": [10, 1]})
    fg = maplayers.choropleth_layer(govs, counts, "en")
    geo = next(c for c in fg._children.values() if isinstance(c, maplayers.HtmlGeoJson))
    fills = [f["properties"]["style"]["fillColor"] for f in geo.data["features"]]
    assert fills[0] == maplayers.SEQUENTIAL[-1] and fills[0] != fills[1]
    assert "Mentions:</b> 100" in geo.data["features"][0]["properties"]["popup"]


def test_count_breaks_and_sizes():
    assert maplayers.count_breaks(1) == [1]
    breaks = maplayers.count_breaks(1000)
    assert breaks[-1] == 1000 and breaks == sorted(set(breaks))
    assert maplayers.class_labels([1, 5, 20]) == ["1", "2–5", "6–20"]
    assert maplayers.marker_size(1000, 1000) == 40 and maplayers.marker_size(0, 1000) == 14


def test_js_data_round_trips_utf8():
    expr = maplayers.js_data({"name": "حمص", "html": "<b>"})
    b64 = re.fullmatch(r'snmData\("([A-Za-z0-9+/=]*)"\)', expr).group(1)
    assert json.loads(base64.b64decode(b64).decode("utf-8")) == {"name": "حمص", "html": "<b>"}


def test_js_json_cannot_close_a_script():
    out = maplayers.js_json({"a": "</script><b>&'\u2028حمص"})
    assert "<" not in out and ">" not in out and "&" not in out and "'" not in out
    assert "\u2028" not in out and "حمص" in out
    assert json.loads(out) == {"a": "</script><b>&'\u2028حمص"}


def test_view_for_zooms_to_chosen_governorates(govs):
    center, zoom = maplayers.view_for(govs, ["SY-DI"])
    assert 33.4 < center[0] < 33.6 and zoom > 7
    assert maplayers.view_for(govs, None)[1] == 7


# ------------------------------------------------------------------ offline assets

def test_localize_points_every_element_at_static_files(places):
    m = offline.offline_map(lean=False)
    fg = maplayers.places_layer(places, "en")
    m.add_child(fg)
    offline.localize(m, fg)
    urls = offline.asset_urls(m, fg)
    assert urls and all(u.startswith("/app/static/") for u in urls)
    assert not any("glyphicons" in u for u in urls)
    # class-level lists are untouched (no global state)
    assert folium.Map.default_js[0][1].startswith("https://")


def test_lean_map_loads_only_leaflet():
    m = offline.offline_map()
    assert [n for n, _ in m.default_js] == ["leaflet"]
    assert m.options["maxZoom"] == 18


def test_unknown_assets_and_colormaps_are_refused():
    import branca.colormap as cm
    from folium.plugins import Draw
    m = offline.offline_map()
    Draw().add_to(m)
    with pytest.raises(offline.OfflineAssetError):
        offline.localize(m)
    m = offline.offline_map()
    cm.LinearColormap(["red", "blue"]).add_to(m)
    with pytest.raises(offline.OfflineAssetError):
        offline.localize(m)


def test_missing_files_reports_what_setup_must_fetch(tmp_path):
    assert "vendor/leaflet/dist/leaflet.js" in offline.missing_files(tmp_path)


def test_basemap_is_clipped_when_fetched():
    from ui.basemap import REGION_BBOX, load_region_geojson
    data = load_region_geojson(VENDOR_DIR)
    if data is None:
        pytest.skip("static/vendor not fetched (make setup)")
    names = {f["properties"]["name"] for f in data["features"]}
    assert {"Syria", "Lebanon", "Turkey", "Iraq", "Jordan"} <= names
    _w, s, e, _n = REGION_BBOX
    coords = json.dumps([f["geometry"] for f in data["features"]])
    nums = [float(x) for x in re.findall(r"-?\d+\.?\d*", coords)]
    assert min(nums) >= s - 0.01 and max(nums) <= e + 0.01


# ------------------------------------------------------------------ exports

@pytest.fixture()
def mentions() -> pd.DataFrame:
    """Two mentions, one with a formula-like and a payload text, one without coordinates."""
    return pd.DataFrame({
        "article_id": ["a1", "a2"], "date": [dt.date(2017, 7, 23), None],
        "place_id": ["p-homs", "p-x"], "name_ar": ["حمص", "=HYPERLINK(\"x\")"],
        "name_en": ["Homs", "X"], "level": ["populated_place", "region"],
        "country": ["SY", "SY"], "admin1": ["SY-HI", None], "lat": [34.73, None],
        "lon": [36.72, None], "confidence": [0.9, 0.4], "text": ["حمص", XSS],
        "start": [3, 0], "end": [6, 2], "zone_ids": [["north_homs"], []],
        "controller": ["GOV", None], "title": ["t", "-1+1"]})


def test_csv_export_is_excel_friendly_and_formula_safe(mentions):
    data = exports.mentions_csv(mentions)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0]["name_ar"] == "حمص" and rows[0]["zone_ids"] == "north_homs"
    assert rows[0]["date"] == "2017-07-23" and rows[1]["date"] == ""
    assert rows[1]["name_ar"].startswith("'=") and rows[1]["title"] == "'-1+1"
    assert rows[1]["text"] == XSS  # data, not HTML: kept as is


def test_geojson_export_has_points_and_plain_properties(mentions):
    data = json.loads(exports.mentions_geojson(mentions))
    assert data["type"] == "FeatureCollection" and len(data["features"]) == 1
    feat = data["features"][0]
    assert feat["geometry"] == {"type": "Point", "coordinates": [36.72, 34.73]}
    assert feat["properties"]["zone_ids"] == ["north_homs"]
    assert feat["properties"]["date"] == "2017-07-23"
    assert json.loads(exports.mentions_geojson(mentions.iloc[0:0]))["features"] == []


# ------------------------------------------------------------------ labels, panels, URL state

def test_every_label_has_both_languages():
    for key, entry in i18n.LABELS.items():
        assert set(entry) == {"ar", "en"} and all(entry.values()), key
    assert i18n.t("title", "ar") == "خريطة أخبار سوريا"
    assert i18n.t("title", "fr") == i18n.t("title", "ar")  # unknown language: the default
    assert i18n.t("added", "en", articles=2, mentions=5) == "Added 2 articles and 5 mentions."


def test_direction_and_bilingual_names():
    assert i18n.direction("ar") == "rtl" and i18n.direction("en") == "ltr"
    assert i18n.bilingual("حمص", "Homs", "ar") == "حمص (Homs)"
    assert i18n.bilingual("حمص", "Homs", "en") == "Homs (حمص)"
    assert i18n.bilingual("حمص", None, "en") == "حمص"
    assert i18n.admin1_label("SY-HI", "en") == "Homs (حمص)"
    assert "direction:rtl" in i18n.page_css("ar") and "direction:rtl" not in i18n.page_css("en")


def test_table_html_escapes_cells(places):
    frame = panels.top_places_frame(places, "en")
    assert next(iter(frame.columns)) == "Place" and frame.iloc[0, 3] == 40
    html = panels.table_html(frame, "ar", numeric=["Mentions"])
    no_live_payload(html)
    assert 'dir="rtl"' in html and '<td class="num">40</td>' in html


def test_article_labels_and_upload_checks():
    row = {"title": "عنوان " * 30, "date": dt.date(2017, 7, 1), "date_precision": "month",
           "source": "src"}
    label = panels.article_label(row, "en")
    assert label.startswith("2017-07 · src · ") and label.endswith("…")
    assert panels.article_label({"date": None}, "en").startswith("undated")
    assert panels.upload_problem("a.txt", 10, "en") is None
    assert "Unsupported" in panels.upload_problem("a.exe", 10, "en")
    assert "larger" in panels.upload_problem("a.csv", 6 * 1024 * 1024, "en")


def test_url_state_round_trip():
    span = (dt.date(2017, 1, 1), dt.date(2017, 12, 31))
    state = urlstate.ViewState(lang="en", gov=("SY-HI", "SY-DI"),
                               date_from=dt.date(2017, 7, 1), date_to=dt.date(2017, 7, 31),
                               undated=False, actor=("isis",), conf=0.5, place="p-homs",
                               article="0123456789abcdef", panel="top", freq="D")
    params = urlstate.to_params(state)
    assert params["gov"] == ["SY-HI", "SY-DI"] and params["from"] == "2017-07-01"
    back = urlstate.parse(params, governorates=["SY-HI", "SY-DI"], actors=["isis"], span=span)
    assert back == state
    assert urlstate.to_params(urlstate.ViewState()) == {}


def test_url_state_drops_what_it_does_not_know():
    span = (dt.date(2017, 1, 1), dt.date(2017, 12, 31))
    params = {"lang": "fr", "gov": ["SY-HI", "XX", "SY-HI", "<script>"], "from": "2016-01-01",
              "to": "not-a-date", "conf": "7", "place": "a b", "article": "x" * 200,
              "panel": "evil", "freq": "Y", "undated": "0", "zone": "idlib,nope"}
    v = urlstate.parse(params, governorates=["SY-HI"], zones=["idlib"], span=span)
    assert v.lang == "ar" and v.gov == ("SY-HI",) and v.zone == ("idlib",)
    assert v.date_from == dt.date(2017, 1, 1) and v.date_to is None
    assert v.conf == 1.0 and v.place is None and v.article is None
    assert v.panel == "time" and v.freq == "W" and v.undated is False
    assert urlstate.parse({"conf": "nan"}).conf == 0.0
    assert urlstate.parse({"from": "2017-09-01", "to": "2017-08-01"}).date_from \
        == dt.date(2017, 8, 1)
