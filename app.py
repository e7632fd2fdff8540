"""Syria News Map: the Streamlit page. Reads the filters (and the URL), asks ui.queries, lays
out ui/ pieces. No parsing, no SQL and no caching here.

    streamlit run app.py                     # http://127.0.0.1:8501 (loopback only)
"""
from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import replace

import pandas as pd
import streamlit as st

from snm.settings import store_path
from store.query import Filters
from ui import charts, exports, mapview, offline, panels, queries, serving, state, urlstate
from ui.i18n import LANGS, admin1_label, bilingual, count_words, page_css, t
from ui.map import builders
from ui.map.css import busy_css
from ui.map.popups import place_id_from_popup
from ui.text import article_header_html, esc, highlight_html

logging.basicConfig(level=logging.INFO)
PATH = str(store_path())
ARTICLE_LIST_LIMIT = 300
# Rows of the reader's table until asked for all: 300 rows cost ~0.2 s of the first map, and
# its box shows about six at a time.
TABLE_ROWS = 20
PANELS = dict(zip(urlstate.PANELS, ("reader", "timeline", "top_places", "downloads", "add_text"),
                  strict=True))  # panel key -> its label
FREQ_LABELS = {"D": "per_day", "W": "per_week", "M": "per_month"}
PLAY_PAUSE_S = 1.5
# Multiselect search: what is typed must appear in the label (aliases included), and Enter
# picks the highlighted match, never "select all matches".
SEARCH: dict = {"filter_mode": "contains", "select_all": False}

st.set_page_config(page_title="Syria News Map", layout="wide")
ss = st.session_state
stamp = queries.stamp_of(PATH)
if stamp is None:
    st.error(t("store_missing", ss.get("lang", "ar"), path=PATH))
    st.stop()


def page() -> None:
    """The whole page."""
    span = queries.date_span(PATH, stamp)
    gov_names = panels.admin1_names_safe()
    actor_opts = queries.actor_options(PATH)
    named = set(queries.actor_ids_named(PATH, stamp))
    actor_ids = sorted(actor_opts, key=lambda a: a not in named)  # actors the store names first
    zone_label = queries.zone_options(PATH)
    ctl_table = queries.controllers(PATH)
    params = {k: st.query_params.get_all(k) for k in st.query_params}
    state.load_view(ss, params, governorates=gov_names, actors=actor_ids, zones=zone_label,
                    controllers=ctl_table, span=span)
    lang = str(ss.get("lang")) if ss.get("lang") in LANGS else "ar"
    state.follow_span(ss, span, lang)
    lo, hi = span
    has_dates = bool(lo and hi and lo < hi)

    st.html(f"<style>{page_css(lang)}{busy_css(t('map_updating', lang))}</style>")
    missing = offline.missing_files()
    if missing:
        st.error(t("assets_missing", lang) + ": " + ", ".join(missing[:4]))

    # ---- sidebar: filters
    date_from = date_to = None
    with st.sidebar:
        # segmented controls (language, panel) share the presets' code: no radio module to load
        st.segmented_control("اللغة · Language", LANGS, key="lang", required=True,
                             format_func=lambda v: {"ar": "العربية", "en": "English"}[v])
        st.subheader(t("filters", lang), anchor=False)
        admin1 = st.multiselect(t("governorates", lang), list(gov_names),
                                key=state.wkey(ss, "v_gov", lang),
                                placeholder=t("all_governorates", lang), **SEARCH,
                                format_func=lambda c: admin1_label(c, lang, gov_names))
        if has_dates and lo and hi:
            date_from, date_to = date_controls(lang, lo, hi)
        include_undated = st.checkbox(t("include_undated", lang),
                                      key=state.wkey(ss, "v_undated", lang))
        actors = st.multiselect(t("actor", lang), actor_ids, key=state.wkey(ss, "v_actor", lang),
                                placeholder=t("any", lang), **SEARCH,
                                format_func=lambda a: actor_label(actor_opts.get(a), a, lang))
        zones = st.multiselect(t("zone", lang), list(zone_label),
                               key=state.wkey(ss, "v_zone", lang), placeholder=t("any", lang),
                               **SEARCH,
                               format_func=lambda z: bilingual(zone_label.get(z, (z, z))[0],
                                                               zone_label.get(z, (z, z))[1], lang),
                               help=t("ground_only", lang))
        ctrls = st.multiselect(t("controller", lang), list(ctl_table),
                               key=state.wkey(ss, "v_ctl", lang), placeholder=t("any", lang),
                               **SEARCH,
                               format_func=lambda c: builders.controller_label(c, lang, ctl_table),
                               help=t("ground_only", lang))
        if zones or ctrls:
            st.caption(t("ground_only", lang))
        min_conf = st.slider(t("min_confidence", lang), 0.0, 1.0, step=0.05,
                             key=state.wkey(ss, "v_conf", lang))
        st.caption(t("copy_link", lang))

    f = Filters(admin1=admin1 or None, date_from=date_from, date_to=date_to,
                include_undated=include_undated, min_confidence=float(min_conf),
                actors=actors or None, zones=zones or None, controllers=ctrls or None)
    end_day = f.date_to or hi or dt.date.today()
    day = front_lines(lang, lo, hi, end_day) if has_dates and lo and hi else end_day

    st.title(t("title", lang), anchor=False)  # no link icon: one element less to draw
    places_all = mapview.places(PATH, stamp, f)
    syrian, _foreign = builders.split_places(places_all)
    figures = st.empty()  # filled after the map: the article count is the slowest query

    # ---- the map, full width (layers rendered once per their inputs, sent when they change)
    if ss.get("_gov_seen") != tuple(admin1) or "_map_center" not in ss:
        view = ss.get("map_view") if "_gov_seen" not in ss else None
        if view:
            ss["_map_center"], ss["_map_zoom"] = [view[0], view[1]], view[2]
        else:
            ss["_map_center"], ss["_map_zoom"] = builders.view_for(queries.governorates(),
                                                                   admin1)
        ss["_gov_seen"] = tuple(admin1)
    clicked = mapview.show(PATH, stamp, f, lang, day, visible=ss.get("map_layers"),
                           selected=ss.get("place"), center=ss["_map_center"],
                           zoom=ss["_map_zoom"])
    figures.html(panels.figures_html(
        [(t("n_articles", lang), queries.article_count(PATH, stamp, f)),
         (t("n_mentions", lang), int(syrian["mentions"].sum()) if len(syrian) else 0),
         (t("n_places", lang), len(syrian))], lang))
    popup_text = (clicked or {}).get("last_object_clicked_popup")
    if popup_text != ss.get("_last_popup"):
        ss["_last_popup"] = popup_text
        picked = place_id_from_popup(popup_text)
        if picked and picked != ss.get("place"):
            ss["place"] = picked
            ss["v_panel"] = ss[f"v_panel_{lang}"] = "read"
            st.rerun()

    # ---- one lower panel at a time, full width
    acc = serving.access(st.get_option("server.address"))
    panel_keys = [k for k in PANELS if k != "add" or acc.can_write]
    panel_key = state.wkey(ss, "v_panel", lang)
    if ss.get(panel_key) not in panel_keys:
        ss[panel_key] = "read"
    panel = st.segmented_control(t("panel", lang), panel_keys, key=panel_key, required=True,
                                 label_visibility="collapsed",
                                 format_func=lambda k: t(PANELS[k], lang))
    article_id = ss.get("v_article")
    if panel == "read":
        article_id = reader(lang, f, places_all)
    elif panel == "time":
        timeline(lang, f, lo, hi)
    elif panel == "top":
        st.dataframe(panels.top_places_frame(syrian, lang, n=500), hide_index=True,
                     use_container_width=True, height=420)
    elif panel == "dl":
        downloads(lang, f)
    elif panel == "add":
        add_text(lang, acc)

    # ---- keep the language-free values, and mirror the view in the URL (codes, not labels)
    state.keep_values(ss, lang)
    current = {k: st.query_params.get_all(k) for k in st.query_params}
    now = urlstate.parse(current)
    pinned = ss.get("day_pinned")
    view = urlstate.ViewState(
        lang=lang, gov=tuple(admin1), date_from=date_from, date_to=date_to,
        undated=include_undated, actor=tuple(actors), zone=tuple(zones), ctl=tuple(ctrls),
        conf=float(min_conf), place=ss.get("place"), article=article_id, panel=panel or "read",
        freq=ss.get("v_freq") or "W", day=day if pinned else None, view=now.view,
        layers=now.layers)
    wanted = urlstate.to_params(view)
    if {k: [v] if isinstance(v, str) else list(v) for k, v in wanted.items()} != current:
        st.query_params.from_dict(wanted)
    if ss.get("playing"):
        time.sleep(PLAY_PAUSE_S)
        st.rerun()


def actor_label(option: queries.ActorOption | None, actor_id: str, lang: str) -> str:
    """An actor's names and its Arabic aliases (so «داعش» finds the Islamic State)."""
    if option is None:
        return actor_id
    name = bilingual(option.name_ar, option.name_en, lang)
    aliases = [a for a in option.aliases_ar if a not in name]
    return f"{name} — {'، '.join(aliases)}" if aliases else name


def date_controls(lang: str, lo: dt.date, hi: dt.date) -> tuple[dt.date | None, dt.date | None]:
    """Slider, two date inputs, presets and play; the range (None where it is the store's)."""
    if "v_dates" not in ss:
        ss["v_dates"] = (lo, hi)
    week = state.play_step(ss, lo, hi, lang) if ss.get("playing") else None
    cur = state.clamp_range(ss["v_dates"][0], ss["v_dates"][1], lo, hi)
    for key, value in ((f"v_dates_{lang}", cur), (f"v_from_{lang}", cur[0]),
                       (f"v_to_{lang}", cur[1])):
        if key not in ss:
            ss[key] = value

    def from_slider() -> None:
        """The slider moved: the inputs follow."""
        state.set_dates(ss, tuple(ss[f"v_dates_{lang}"]), lang)

    def from_inputs() -> None:
        """An input changed: the slider follows."""
        a, b = ss.get(f"v_from_{lang}") or lo, ss.get(f"v_to_{lang}") or hi
        state.set_dates(ss, state.clamp_range(a, b, lo, hi), lang)

    def preset() -> None:
        """A preset chosen: its range, then the choice is cleared (it is an action)."""
        name = ss.get(f"preset_{lang}")
        if name:
            state.set_dates(ss, state.preset_range(name, lo, hi), lang)
        ss[f"preset_{lang}"] = None

    st.slider(t("date_range", lang), min_value=lo, max_value=hi, key=f"v_dates_{lang}",
              format="YYYY-MM-DD", step=dt.timedelta(days=1), on_change=from_slider)
    # one under the other: side by side in the sidebar a date did not fit its field
    st.date_input(t("date_from", lang), min_value=lo, max_value=hi, key=f"v_from_{lang}",
                  on_change=from_inputs, format="YYYY-MM-DD")
    st.date_input(t("date_to", lang), min_value=lo, max_value=hi, key=f"v_to_{lang}",
                  on_change=from_inputs, format="YYYY-MM-DD")
    st.pills(t("presets", lang), list(state.PRESETS), key=f"preset_{lang}", on_change=preset,
             format_func=lambda name: t(name, lang), label_visibility="collapsed")
    if week:
        st.info(t("playing", lang, start=week[0].isoformat(), end=week[1].isoformat()))
    if ss.get("playing"):
        if st.button(t("stop", lang), key="stop"):
            ss["playing"] = False
            ss.pop("_play_at", None)
            st.rerun()
    elif st.button(t("play", lang), key="play"):
        ss["playing"] = True
        ss.pop("_play_at", None)
        st.rerun()
    d0, d1 = ss["v_dates"]
    return (None if d0 == lo else d0), (None if d1 == hi else d1)


def front_lines(lang: str, lo: dt.date, hi: dt.date, end: dt.date) -> dt.date:
    """The layers' own date (month steps across the data's years), default the range's end."""
    options = state.front_line_options(lo, hi, end)
    day = state.front_line_day(ss, end, options)
    key = f"v_day_{lang}"
    if ss.get(key) != day and not ss.get("_day_moving"):
        ss[key] = day

    def moved() -> None:
        """The user moved the front-lines slider: it stays where they left it."""
        ss["v_day"] = ss[key]
        ss["day_pinned"] = True

    def follow() -> None:
        """Back to following the end of the period."""
        ss["day_pinned"] = False

    with st.sidebar:
        st.select_slider(t("front_lines_on", lang), options=options, key=key, on_change=moved,
                         format_func=lambda d: d.isoformat(), help=t("front_lines_help", lang))
        if ss.get("day_pinned"):
            st.button(t("follow_range", lang), key="follow", on_click=follow)
    return day


def reader(lang: str, f: Filters, places_all: pd.DataFrame) -> str | None:
    """The full-width reader: the selected place's (or all) articles, one opened."""
    place_id = ss.get("place")
    if place_id:
        row = places_all[places_all["place_id"] == place_id]
        label = bilingual(row["name_ar"].iloc[0], row["name_en"].iloc[0], lang) \
            if len(row) else place_id
        st.html(f"<b>{esc(t('articles_at_place', lang, place=label))}</b>")
        if st.button(t("clear_place", lang), key="clear_place"):
            ss["place"] = None
            st.rerun()
        listed = queries.articles(PATH, stamp, replace(f, place_id=place_id, syria_only=False),
                                  ARTICLE_LIST_LIMIT)
        st.caption(count_words(len(listed), "article", lang))
    else:
        listed = queries.articles(PATH, stamp, f, ARTICLE_LIST_LIMIT)
        st.caption(f"{count_words(len(listed), 'article', lang)} · {t('click_place', lang)}")
    shown = listed
    if len(listed) > TABLE_ROWS and not st.toggle(
            t("all_rows", lang, n=len(listed), k=TABLE_ROWS), key="v_all_rows"):
        shown = listed.head(TABLE_ROWS)
    st.html(panels.table_html(panels.articles_frame(shown, lang), lang,
                              numeric=[t("mentions", lang)], max_height=200))
    # the list to open from is the table's rows: 300 long labels cost the first map ~40 ms
    labels = {r["article_id"]: panels.article_label(r, lang) for r in shown.to_dict("records")}
    options = list(labels)
    if ss.get("v_article") and ss["v_article"] not in labels:
        options.insert(0, ss["v_article"])  # an article opened by link stays open
    article_id = st.selectbox(t("open_article", lang), options,
                              key=state.wkey(ss, "v_article", lang),
                              format_func=lambda a: labels.get(a, a),
                              placeholder=t("open_article", lang))
    if article_id:
        art = queries.article(PATH, article_id)
        if art:
            st.caption(t("hover_card", lang))
            st.html(article_header_html(art, lang))
            st.html(highlight_html(art["text"], art["mentions"], lang,
                                   min_confidence=f.min_confidence or None))
    return article_id


def timeline(lang: str, f: Filters, lo: dt.date | None, hi: dt.date | None) -> None:
    """Mentions over time on a date axis; a click or a brush filters to that period."""
    freq = st.radio(t("timeline", lang), list(FREQ_LABELS), key=state.wkey(ss, "v_freq", lang),
                    horizontal=True, label_visibility="collapsed",
                    format_func=lambda v: t(FREQ_LABELS[v], lang))
    daily = queries.daily_counts(PATH, stamp, replace(f, date_from=None, date_to=None), freq)
    if daily.empty and freq != "M":
        daily = queries.daily_counts(PATH, stamp, replace(f, date_from=None, date_to=None), "M")
        freq = "M"
    if daily.empty:
        st.info(t("no_timeline", lang))
        return
    st.caption(t("timeline_click", lang))
    key = f"timeline_{lang}_{freq}"

    def picked() -> None:
        """A bar clicked or a period brushed: the filters take that period."""
        period = charts.picked_range(ss.get(key), freq)
        if period and lo and hi:
            state.set_dates(ss, state.clamp_range(period[0], period[1], lo, hi), lang)

    st.altair_chart(charts.timeline_chart(daily, freq, lang), use_container_width=True,
                    on_select=picked, key=key)


def downloads(lang: str, f: Filters) -> None:
    """Mentions with citation fields as CSV and GeoJSON (built when a button is clicked)."""
    d1, d2 = st.columns(2)
    d1.download_button(t("download_csv", lang),
                       lambda: exports.mentions_csv(queries.citations(PATH, stamp, f)),
                       file_name="syria_news_mentions.csv", mime="text/csv", on_click="ignore")
    d2.download_button(t("download_geojson", lang),
                       lambda: exports.mentions_geojson(queries.citations(PATH, stamp, f)),
                       file_name="syria_news_mentions.geojson", mime="application/geo+json",
                       on_click="ignore")


def add_text(lang: str, acc: serving.Access) -> None:
    """Paste or upload articles (limited in size; a token when the server asks for one)."""
    with st.form("add_text", clear_on_submit=True):
        body = st.text_area(t("paste_text", lang), height=160,
                            max_chars=panels.MAX_ARTICLE_BYTES)
        a1, a2, a3 = st.columns(3)
        title = a1.text_input(t("text_title", lang))
        day = a2.text_input(t("text_date", lang), placeholder="2017-07-23")
        source = a3.text_input(t("text_source", lang))
        upload = st.file_uploader(t("upload", lang), type=list(panels.UPLOAD_TYPES),
                                  max_upload_size=panels.MAX_UPLOAD_MB)
        token = st.text_input(t("token", lang), type="password") if acc.mode == "token" else ""
        submitted = st.form_submit_button(t("submit", lang))
    if submitted:
        report, problem = None, None
        if not serving.token_ok(token, acc):
            problem = t("token_needed" if not token else "token_wrong", lang)
        elif upload is not None:
            problem = panels.upload_problem(upload.name, upload.size, lang)
        else:
            problem = panels.text_problem(body, lang)
        if not problem:
            try:
                store, pipeline = queries.get_store(PATH), queries.get_pipeline(PATH)
                if upload is not None:
                    report = store.add_file(upload.name, upload.getvalue(), pipeline)
                else:
                    report = store.add_texts([{"text": body, "title": title or None,
                                               "date": day or None, "source": source or None}],
                                             pipeline)
            except Exception as err:  # say it short; the log has the details
                problem = serving.visitor_message(err, lang)
        if problem:
            st.error(problem)
        if report is not None:
            summary, lines = panels.report_lines(report, lang)
            ss["_flash"] = (summary, lines, report.rejected,
                            bool(report.duplicates and not report.ingested))
            st.rerun()  # the new store stamp refreshes every query: on the map at once
    flash = ss.pop("_flash", None)
    if flash:
        summary, lines, rejected, dupe = flash
        (st.info if dupe else st.success)(summary)
        if rejected:
            st.warning(t("rejected", lang, n=count_words(rejected, "record", lang),
                         reasons="; ".join(lines)))


try:
    page()
except Exception as err:  # visitors see one short line; the server log has the traceback
    st.error(serving.visitor_message(err, ss.get("lang", "ar")))
