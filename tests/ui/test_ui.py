"""ui/: escaping, map layers, offline assets, exports, labels and URL state, without Streamlit."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import folium
import pandas as pd
import pytest

from snm.settings import MAX_ARTICLE_BYTES, VENDOR_DIR
from ui import exports, i18n, offline, panels, text, urlstate
from ui.map import builders

XSS = '<script>window.snmXSS=1</script><img src=x onerror="window.snmXSS=2">'
SAFE_MARKERS = ("<script>window", "<img src=x", 'onerror="window')


def no_live_payload(html: str) -> None:
    """The XSS payload appears only escaped."""
    for marker in SAFE_MARKERS:
        assert marker not in html, marker


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
    assert "Homs" in html and "Confidence: 0.90" in html
    assert 'tabindex="0"' in html and html.count('class="snm-card"') == 2  # hover / tap cards
    assert "p-homs" not in html  # no internal ids for readers


def test_highlight_html_skips_bad_and_overlapping_spans():
    body = "ريف دمشق الغربي"
    mentions = [{"start": 0, "end": 8, "name_ar": "ريف دمشق"},
                {"start": 4, "end": 8, "name_ar": "دمشق"},       # inside the longer one
                {"start": 50, "end": 60, "name_ar": "خارج"},     # past the end
                {"start": "x", "end": 2}]
    html = text.highlight_html(body, mentions, "ar")
    assert html.count("<mark ") == 1
    assert '">ريف دمشق<span class="snm-card"' in html


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


# ------------------------------------------------------------------ offline assets

def test_localize_points_every_element_at_static_files(places):
    m = offline.offline_map(lean=False)
    fg = builders.places_layer(places, "en")
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
    assert i18n.t("added", "en", articles="2 articles", mentions="5 mentions") == \
        "Added 2 articles and 5 mentions."


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
    assert panels.upload_problem("a.csv", MAX_ARTICLE_BYTES, "en") is None
    assert "larger" in panels.upload_problem("a.csv", MAX_ARTICLE_BYTES + 1, "en")


def test_url_state_round_trip():
    span = (dt.date(2017, 1, 1), dt.date(2017, 12, 31))
    state = urlstate.ViewState(lang="en", gov=("SY-HI", "SY-DI"),
                               date_from=dt.date(2017, 7, 1), date_to=dt.date(2017, 7, 31),
                               undated=False, actor=("isis",), conf=0.5, place="p-homs",
                               article="0123456789abcdef", panel="top", freq="D",
                               day=dt.date(2017, 6, 30), view=(34.7, 36.7, 9),
                               layers=("control", "places"))
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
    assert v.panel == "read" and v.freq == "W" and v.undated is False
    assert urlstate.parse({"conf": "nan"}).conf == 0.0
    assert urlstate.parse({"from": "2017-09-01", "to": "2017-08-01"}).date_from \
        == dt.date(2017, 8, 1)


def test_url_numbers_that_overflow_are_dropped_not_raised():
    for value in ("1e308", "-1e308", "inf", "1e400", "nan", "0x10"):
        assert urlstate.parse({"conf": value}).conf in (0.0, 1.0), value
    assert urlstate.parse({"view": "34.7,36.7,99"}).view is None
    assert urlstate.parse({"view": "1e308,36.7,9"}).view is None
    assert urlstate.parse({"layers": "none"}).layers == ()
    assert urlstate.parse({"layers": "places,evil"}).layers == ("places",)
    assert urlstate.parse({}).layers is None


def test_arabic_number_agreement():
    words = [i18n.count_words(n, "article", "ar") for n in (0, 1, 2, 3, 10, 11, 99, 100, 103, 111)]
    assert words == ["0 مقالات", "مقالة واحدة", "مقالتان", "3 مقالات", "10 مقالات", "11 مقالة",
                     "99 مقالة", "100 مقالة", "103 مقالات", "111 مقالة"]
    assert i18n.count_words(1, "place", "ar") == "مكان واحد"
    assert i18n.count_words(1, "article", "en") == "1 article"
    assert i18n.count_words(2500, "mention", "en") == "2,500 mentions"


class Report:
    """An ingest report as the store returns it."""

    def __init__(self, ingested: int, duplicates: int, mentions: int = 0, rejects=()) -> None:
        """Counts and rejects."""
        self.ingested, self.duplicates, self.mentions = ingested, duplicates, mentions
        self.rejects, self.rejected = list(rejects), len(rejects)


class Reject:
    """One rejected record."""

    def __init__(self, line: int, reason: str, detail: str) -> None:
        """Where and why."""
        self.line, self.reason, self.detail, self.origin = line, reason, detail, f"f:{line}"


def test_add_text_messages_say_already_stored_in_plain_words():
    summary, _ = panels.report_lines(Report(0, 1), "en")
    assert summary == "1 article already stored: nothing added."
    summary, _ = panels.report_lines(Report(0, 1), "ar")
    assert summary.startswith("مقالة واحدة محفوظ")
    summary, _ = panels.report_lines(Report(2, 1, 7), "en")
    assert summary == "Added 2 articles and 7 mentions. 1 article already stored."
    summary, lines = panels.report_lines(Report(1, 0, 1, [Reject(2, "not_json", "Expecting ',' delimiter: line 1 column 5")]), "en")
    assert summary == "Added 1 article and 1 mention."
    assert lines == ["line 2: is not valid JSON"]  # not the parser's message


def test_pasted_text_is_limited_in_bytes():
    assert panels.text_problem("  ", "en") == i18n.t("empty_text", "en")
    assert panels.text_problem("حمص", "en") is None
    big = "ح" * (MAX_ARTICLE_BYTES // 2 + 1)  # fewer characters than the limit, more bytes
    assert len(big) < MAX_ARTICLE_BYTES and "larger" in panels.text_problem(big, "en")


def test_write_access_defaults_to_loopback_and_asks_a_token_on_a_network():
    from ui import serving
    assert serving.access("127.0.0.1", {}).mode == "open"
    assert serving.access("0.0.0.0", {}).mode == "off"  # served to a network: read-only
    acc = serving.access("0.0.0.0", {"SNM_WRITE_TOKEN": "s3cret"})
    assert acc.mode == "token" and not serving.token_ok("", acc)
    assert not serving.token_ok("wrong", acc) and serving.token_ok("s3cret", acc)
    assert serving.access("127.0.0.1", {"SNM_READ_ONLY": "1"}).can_write is False


def test_visitor_messages_are_short_and_pathless(caplog):
    from snm.errors import StoreError
    from ui import serving
    msg = serving.visitor_message(OverflowError("/home/u/app.py line 3: cannot convert"), "en")
    assert "/home" not in msg and "server log" in msg
    assert "/home/u/app.py" in caplog.text  # the details stay in the log
    assert serving.visitor_message(StoreError("The store is being repaired"), "en") == \
        "The store is being repaired"
    assert "/srv" not in serving.visitor_message(StoreError("bad part /srv/x.parquet"), "en")


def test_date_presets_front_lines_and_play():
    from ui import state
    lo, hi = dt.date(2015, 3, 1), dt.date(2017, 7, 20)
    assert state.preset_range("preset_7", lo, hi) == (dt.date(2017, 7, 14), hi)
    assert state.preset_range("preset_month", lo, hi) == (dt.date(2017, 7, 1), hi)
    assert state.preset_range("preset_all", lo, hi) == (lo, hi)
    assert state.preset_range("preset_90", lo, dt.date(2015, 3, 10)) == (lo, dt.date(2015, 3, 10))
    opts = state.front_line_options(lo, hi, dt.date(2016, 5, 17))
    assert opts[0] == dt.date(2015, 1, 31) and opts[-1] == dt.date(2017, 12, 31)
    assert dt.date(2016, 5, 17) in opts and len(opts) == 37
    ss: dict = {}
    assert state.front_line_day(ss, dt.date(2016, 5, 17), opts) == dt.date(2016, 5, 17)
    ss.update(v_day=dt.date(2015, 8, 30), day_pinned=True)
    assert state.front_line_day(ss, dt.date(2016, 5, 17), opts) == dt.date(2015, 8, 31)
    ss = {"playing": True}
    first = state.play_step(ss, lo, dt.date(2015, 3, 20), "en")
    second = state.play_step(ss, lo, dt.date(2015, 3, 20), "en")
    assert first == (lo, dt.date(2015, 3, 7)) and second == (dt.date(2015, 3, 8), dt.date(2015, 3, 14))
    assert ss["v_dates"] == second and ss["v_from_en"] == second[0]
    state.play_step(ss, lo, dt.date(2015, 3, 20), "en")
    assert state.play_step(ss, lo, dt.date(2015, 3, 20), "en") is None and not ss["playing"]


def test_exports_carry_what_a_citation_needs(mixed_store):
    from store import Filters, Store
    cited = Store(mixed_store).citations(Filters(admin1=["SY-HI"]))
    rows = list(csv.DictReader(io.StringIO(exports.mentions_csv(cited).decode("utf-8-sig"))))
    assert list(rows[0])[:8] == ["title", "date", "date_precision", "source", "url", "sentence",
                                 "text", "name_ar"]
    by_place = {(r["article_id"], r["place_id"]): r for r in rows}
    village = by_place[("new", "unknown:SY04:الزعرورات")]
    assert village["sentence"] == "وقتلى في قرية الزعرورات."
    assert (village["title"], village["source"], village["url"]) == ("جديد", "s-new",
                                                                       "https://new.example/1")
    assert (village["basis"], village["point"], village["cue"]) == ("cue «قرية»", "unit", "قرية")
    old = by_place[("old", "homs")]
    assert old["sentence"] == "قصف على حمص وحلب." and old["basis"] == old["point"] == ""
    features = json.loads(exports.mentions_geojson(cited))["features"]
    props = {(f["properties"]["article_id"], f["properties"]["place_id"]): f["properties"]
             for f in features}
    assert props[("new", "unknown:SY04:الزعرورات")]["point"] == "unit"
    assert props[("old", "homs")]["sentence"] == "قصف على حمص وحلب."
    assert props[("old", "homs")]["basis"] is None


def test_timeline_has_a_date_axis_with_empty_days_and_a_selection():
    from ui import charts
    daily = pd.DataFrame({"date": [dt.date(2017, 7, 1), dt.date(2017, 7, 4)],
                          "mentions": [3, 5], "articles": [1, 2]})
    full = charts.filled(daily, "D")
    assert len(full) == 4 and full["mentions"].tolist() == [3, 0, 0, 5]
    spec = charts.timeline_chart(daily, "D", "en").to_dict()
    assert spec["encoding"]["x"]["type"] == "temporal"
    assert spec["encoding"]["y"]["title"] == "Mentions"
    event = {"selection": {"period": {"yearmonthdate_date": [1499040000000, 1499126400000]}}}
    assert charts.picked_range(event, "D") == (dt.date(2017, 7, 3), dt.date(2017, 7, 4))
    event = {"selection": {"bar": [{"date": 1498867200000}]}}
    assert charts.picked_range(event, "W") == (dt.date(2017, 7, 1), dt.date(2017, 7, 7))
    assert charts.picked_range({"selection": {}}, "D") is None


def test_reader_title_marks_places_and_links_the_outlet():
    art = {"title": "قصف على حمص <b>", "date": dt.date(2017, 7, 1), "source": "SANA",
           "url": "https://sana.sy/?p=1", "mentions": [{"text": "حمص", "start": 0, "end": 3}]}
    head = text.article_header_html(art, "en")
    assert '<mark class="snm-place">حمص</mark> &lt;b&gt;' in head
    assert ">SANA</a>" in head and ">https://" not in head
