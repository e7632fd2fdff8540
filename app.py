"""Syria News Map: the Streamlit page. Reads the filters (and the URL), asks store/ and
geo.layers, lays out ui/ pieces. No parsing and no SQL here.

    SNM_STORE=data/store streamlit run app.py
"""
from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import streamlit as st
from streamlit_folium import st_folium

from snm.pipeline import Pipeline, Sources
from snm.settings import VENDOR_DIR, store_path
from store.parts import manifest_stamp
from store.query import Filters, Store
from ui import exports, maplayers, offline, panels, urlstate
from ui.basemap import load_region_geojson
from ui.i18n import LANGS, admin1_label, bilingual, page_css, t
from ui.text import article_header_html, esc, highlight_html

STORE_PATH = store_path()
MAP_RETURNS = ["last_object_clicked_popup", "last_object_clicked"]
ARTICLE_LIST_LIMIT = 300
PANELS = {"time": "timeline", "top": "top_places", "dl": "downloads", "add": "add_text"}
FREQ_LABELS = {"D": "per_day", "W": "per_week", "M": "per_month"}


# ------------------------------------------------------------------ cached data and resources

@st.cache_resource(show_spinner=False)
def get_store(path: str) -> Store:
    """The store (one DuckDB connection shared by the sessions)."""
    return Store(path)


@st.cache_resource(show_spinner=False)
def get_pipeline(path: str) -> Pipeline:
    """The pipeline the store was ingested with (gazetteer, actors, layers), built once."""
    return Pipeline.from_sources(Sources.from_dict(get_store(path).recorded_pipeline()))


def get_layers() -> Any:
    """Zones and control layers of the store's pipeline."""
    return get_pipeline(str(STORE_PATH)).layers


@st.cache_resource(show_spinner=False)
def get_governorates() -> Any:
    """Governorate polygons (geo.boundaries)."""
    from geo.boundaries import governorates
    return governorates()


@st.cache_resource(show_spinner=False)
def get_basemap() -> dict | None:
    """The region's country outlines (static/vendor, built by tools/fetch_assets.sh)."""
    return load_region_geojson(VENDOR_DIR)


@st.cache_data(show_spinner=False, max_entries=128)
def query(path: str, stamp: object, name: str, f: Filters | None, **kw: object) -> Any:
    """Store.<name>(f, **kw), cached until the store changes (stamp) or the filters do."""
    return getattr(get_store(path), name)(f, **kw)


@st.cache_data(show_spinner=False, max_entries=8)
def date_span(path: str, stamp: object) -> tuple[dt.date | None, dt.date | None]:
    """First and last dates in the store."""
    return get_store(path).date_span()


@st.cache_data(show_spinner=False, max_entries=64)
def popup_articles(path: str, stamp: object, f: Filters) -> dict[str, list[dict]]:
    """The latest few articles of each place (date, title, snippet) for the map popups."""
    return maplayers.articles_by_place(get_store(path).place_articles(f, per_place=3))


@st.cache_data(show_spinner=False, max_entries=16)
def layers_at(day: dt.date) -> tuple[Any, Any]:
    """Zones and control on a day (None, None without layers)."""
    layers = get_layers()
    if layers is None:
        return None, None
    return layers.zones_at(day), layers.control_at(day)


@st.cache_data(show_spinner=False, max_entries=2)
def zone_options() -> dict[str, tuple[str, str]]:
    """Zone id -> (Arabic, English) name, for the zone filter."""
    layers = get_layers()
    if layers is None:
        return {}
    z = layers.zones
    return {i: (ar, en) for i, ar, en in zip(z["zone_id"], z["name_ar"], z["name_en"])}


@st.cache_data(show_spinner=False, max_entries=2)
def controller_options() -> list[str]:
    """Controller codes the layers use, in legend order."""
    return list(get_layers().controllers)


@st.cache_data(show_spinner=False, max_entries=2)
def actor_names() -> dict[str, tuple[str, str]]:
    """Actor id -> (Arabic, English) name (the pipeline's actor table)."""
    actors = get_pipeline(str(STORE_PATH)).actors.actors
    return {a.actor_id: (a.name_ar, a.name_en) for a in actors}


# ------------------------------------------------------------------ page

st.set_page_config(page_title="Syria News Map", layout="wide")
path = str(STORE_PATH)
stamp = manifest_stamp(STORE_PATH)
ss = st.session_state
if stamp is None:
    st.error(t("store_missing", ss.get("lang", "ar"), path=path))
    st.stop()

span = date_span(path, stamp)
gov_names = panels.admin1_names_safe()
actor_label = actor_names()
actor_ids = sorted(set(query(path, stamp, "actor_counts", None)["actor_id"]) | set(actor_label))
zone_label = zone_options()
controllers = controller_options()

# ---- the URL opens the view once per session; afterwards the widgets own it
if "_view_loaded" not in ss:
    params = {k: st.query_params.get_all(k) for k in st.query_params}
    view = urlstate.parse(params, governorates=gov_names, actors=actor_ids, zones=zone_label,
                          controllers=controllers, span=span)
    ss.update(lang=view.lang, v_gov=list(view.gov), v_undated=view.undated,
              v_actor=list(view.actor), v_zone=list(view.zone), v_ctl=list(view.ctl),
              v_conf=view.conf, place=view.place, v_article=view.article, v_panel=view.panel,
              v_freq=view.freq)
    if span[0] and span[1]:
        ss["v_dates"] = (view.date_from or span[0], view.date_to or span[1])
    ss["_span"] = span
    ss["_view_loaded"] = True

lo, hi = span
has_dates = bool(lo and hi and lo < hi)
if has_dates:  # the store grew: keep a full range full, clamp the rest
    old_lo, old_hi = ss.get("_span") or span
    cur = ss.get("v_dates") or (lo, hi)
    new = (lo if cur[0] == old_lo else min(max(cur[0], lo), hi),
           hi if cur[1] == old_hi else max(min(cur[1], hi), lo))
    if new != tuple(cur):
        ss["v_dates"] = new
        ss.pop(f"v_dates_{ss.get('lang')}", None)
    ss["_span"] = span

lang = ss.get("lang") if ss.get("lang") in LANGS else "ar"


def wkey(name: str) -> str:
    """The widget key of view field `name` in this language. Labels differ per language and
    the browser keeps stale labels when they change under one key, so each language has its
    own key, seeded from the language-free value v_<name>."""
    key = f"{name}_{lang}"
    if key not in ss:
        ss[key] = ss.get(name)
    return key


st.html(f"<style>{page_css(lang)}</style>")
missing = offline.missing_files()
if missing:
    st.error(t("assets_missing", lang) + ": " + ", ".join(missing[:4]))

# ---- sidebar: filters
with st.sidebar:
    st.radio("اللغة · Language", LANGS, key="lang", horizontal=True,
             format_func=lambda v: {"ar": "العربية", "en": "English"}[v])
    st.subheader(t("filters", lang))
    admin1 = st.multiselect(t("governorates", lang), list(gov_names), key=wkey("v_gov"),
                            placeholder=t("all_governorates", lang),
                            format_func=lambda c: admin1_label(c, lang, gov_names))
    date_from = date_to = None
    if has_dates:
        d0, d1 = st.slider(t("date_range", lang), min_value=lo, max_value=hi,
                           key=wkey("v_dates"), format="YYYY-MM-DD")
        date_from = None if d0 == lo else d0
        date_to = None if d1 == hi else d1
    include_undated = st.checkbox(t("include_undated", lang), key=wkey("v_undated"))
    actors = st.multiselect(t("actor", lang), actor_ids, key=wkey("v_actor"),
                            placeholder=t("any", lang),
                            format_func=lambda a: bilingual(*actor_label.get(a, (a, a)), lang))
    zones = st.multiselect(t("zone", lang), list(zone_label), key=wkey("v_zone"),
                           placeholder=t("any", lang),
                           format_func=lambda z: bilingual(*zone_label.get(z, (z, z)), lang))
    ctrls = st.multiselect(t("controller", lang), controllers, key=wkey("v_ctl"),
                           placeholder=t("any", lang),
                           format_func=lambda c: f"{maplayers.controller_label(c, lang)} ({c})")
    min_conf = st.slider(t("min_confidence", lang), 0.0, 1.0, step=0.05, key=wkey("v_conf"))
    st.caption(t("copy_link", lang))

f = Filters(admin1=admin1 or None, date_from=date_from, date_to=date_to,
            include_undated=include_undated, min_confidence=float(min_conf),
            actors=actors or None, zones=zones or None, controllers=ctrls or None)
end_day = f.date_to or hi or dt.date.today()

st.title(t("title", lang))
st.caption(t("subtitle", lang))

places_all = query(path, stamp, "place_counts", replace(f, syria_only=False))
syrian, _foreign = maplayers.split_places(places_all)
articles = query(path, stamp, "articles", f)
c1, c2, c3 = st.columns(3)
c1.metric(t("n_articles", lang), len(articles))
c2.metric(t("n_mentions", lang), int(syrian["mentions"].sum()) if len(syrian) else 0)
c3.metric(t("n_places", lang), len(syrian))

# ---- map and article panel side by side
map_col, panel_col = st.columns([5, 3], gap="medium")
with map_col:
    by_place = popup_articles(path, stamp, replace(f, syria_only=False))
    zones_gdf, control_gdf = layers_at(end_day)
    governorates = get_governorates()
    base = maplayers.base_map(lang, get_basemap(), governorates)
    layers = maplayers.data_layers(lang, places_all, by_place, governorates,
                                   query(path, stamp, "admin1_counts", f),
                                   zones_gdf, control_gdf, end_day)
    offline.localize(base, *layers)
    center, zoom = maplayers.view_for(governorates, admin1)  # moves the view, keeps the map
    clicked = st_folium(base, key=f"map_{lang}", height=620, use_container_width=True,
                        returned_objects=MAP_RETURNS, feature_group_to_add=layers,
                        layer_control=maplayers.layer_control(), center=center, zoom=zoom)

# a click on a place marker selects it (its popup carries the id); other clicks change nothing
popup_text = (clicked or {}).get("last_object_clicked_popup")
if popup_text != ss.get("_last_popup"):
    ss["_last_popup"] = popup_text
    picked = maplayers.place_id_from_popup(popup_text)
    if picked:
        ss["place"] = picked

with panel_col:
    st.subheader(t("article_panel", lang))
    place_id = ss.get("place")
    if place_id:
        row = places_all[places_all["place_id"] == place_id]
        label = bilingual(row["name_ar"].iloc[0], row["name_en"].iloc[0], lang) \
            if len(row) else place_id
        st.html(f"<b>{esc(t('articles_at_place', lang, place=label))}</b>")
        if st.button(t("clear_place", lang), key="clear_place"):
            ss["place"] = None
            st.rerun()
        listed = query(path, stamp, "articles", replace(f, place_id=place_id, syria_only=False))
    else:
        st.caption(t("click_place", lang))
        listed = articles
    listed = listed.head(ARTICLE_LIST_LIMIT)
    st.html(panels.table_html(panels.articles_frame(listed, lang), lang,
                              numeric=[t("mentions", lang)], max_height=230))
    labels = {r["article_id"]: panels.article_label(r, lang) for r in listed.to_dict("records")}
    options = list(labels)
    if ss.get("v_article") and ss["v_article"] not in labels:
        options.insert(0, ss["v_article"])  # an article opened by link stays open
    article_id = st.selectbox(t("open_article", lang), options, key=wkey("v_article"),
                              format_func=lambda a: labels.get(a, a),
                              placeholder=t("open_article", lang))
    if article_id:
        art = get_store(path).article(article_id)
        if art:
            st.html(article_header_html(art, lang))
            st.html(highlight_html(art["text"], art["mentions"], lang,
                                   min_confidence=f.min_confidence or None))

# ---- one lower panel at a time (only the chosen one is built and drawn)
panel = st.radio(t("panel", lang), list(PANELS), key=wkey("v_panel"), horizontal=True,
                 label_visibility="collapsed", format_func=lambda k: t(PANELS[k], lang))
if panel == "time":
    freq = st.radio(t("timeline", lang), list(FREQ_LABELS), key=wkey("v_freq"), horizontal=True,
                    label_visibility="collapsed", format_func=lambda v: t(FREQ_LABELS[v], lang))
    daily = query(path, stamp, "daily_counts", f, freq=freq)
    if daily.empty and freq != "M":  # e.g. articles dated only to the month: show months
        daily = query(path, stamp, "daily_counts", f, freq="M")
        if not daily.empty:
            st.caption(t("no_timeline", lang) + " " + t("per_month", lang) + ":")
    if daily.empty:
        st.info(t("no_timeline", lang))
    else:
        st.bar_chart(panels.timeline_frame(daily, lang), height=220)
elif panel == "top":
    st.html(panels.table_html(panels.top_places_frame(syrian, lang), lang,
                              numeric=[t("mentions", lang), t("articles", lang)],
                              max_height=420))
elif panel == "dl":
    d1, d2 = st.columns(2)
    store = get_store(path)  # the callables run on another thread when clicked
    d1.download_button(t("download_csv", lang), lambda: exports.mentions_csv(store.mentions(f)),
                       file_name="syria_news_mentions.csv", mime="text/csv", on_click="ignore")
    d2.download_button(t("download_geojson", lang),
                       lambda: exports.mentions_geojson(store.mentions(f)),
                       file_name="syria_news_mentions.geojson", mime="application/geo+json",
                       on_click="ignore")
elif panel == "add":
    with st.form("add_text", clear_on_submit=True):
        body = st.text_area(t("paste_text", lang), height=160)
        a1, a2, a3 = st.columns(3)
        title = a1.text_input(t("text_title", lang))
        day = a2.text_input(t("text_date", lang), placeholder="2017-07-23")
        source = a3.text_input(t("text_source", lang))
        upload = st.file_uploader(t("upload", lang), type=list(panels.UPLOAD_TYPES),
                                  max_upload_size=panels.MAX_UPLOAD_MB)
        submitted = st.form_submit_button(t("submit", lang))
    if submitted:
        report, problem = None, None
        try:
            if upload is not None:
                problem = panels.upload_problem(upload.name, upload.size, lang)
                if not problem:
                    report = get_store(path).add_file(upload.name, upload.getvalue(),
                                                      get_pipeline(path))
            elif body.strip():
                report = get_store(path).add_texts([{"text": body, "title": title or None,
                                                     "date": day or None,
                                                     "source": source or None}],
                                                    get_pipeline(path))
            else:
                problem = t("empty_text", lang)
        except Exception as err:  # unreadable upload or text: say why, keep the page
            problem = t("bad_file", lang, error=str(err))
        if problem:
            st.error(problem)
        if report is not None:
            ss["_flash"] = (*panels.report_lines(report, lang), report.rejected)
            st.rerun()  # the new store stamp refreshes every query: on the map at once
    flash = ss.pop("_flash", None)
    if flash:
        summary, lines, rejected = flash
        st.success(summary)
        if rejected:
            st.warning(t("rejected", lang, n=rejected, reasons="; ".join(lines)))

# ---- keep the language-free values, and mirror the view in the URL (codes, not labels)
for name in ("v_gov", "v_dates", "v_undated", "v_actor", "v_zone", "v_ctl", "v_conf",
             "v_article", "v_panel", "v_freq"):
    if f"{name}_{lang}" in ss:
        ss[name] = ss[f"{name}_{lang}"]
view = urlstate.ViewState(
    lang=lang, gov=tuple(admin1), date_from=date_from, date_to=date_to,
    undated=include_undated, actor=tuple(actors), zone=tuple(zones), ctl=tuple(ctrls),
    conf=float(min_conf), place=ss.get("place"), article=article_id, panel=panel or "time",
    freq=ss.get("v_freq") or "W")
wanted = urlstate.to_params(view)
current = {k: st.query_params.get_all(k) for k in st.query_params}
if {k: [v] if isinstance(v, str) else list(v) for k, v in wanted.items()} != current:
    st.query_params.from_dict(wanted)
