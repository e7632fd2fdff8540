"""The benchmark's floor: the dashboard's page in Arabic, its widgets, words and style in the same
places, with no data, no map and no query. tools/bench_app.py times it beside the first map, its
loads interleaved with the map's in one browser, so a machine slower than usual shows in both
figures (tests/ui/test_app.py checks that it keeps the dashboard's widgets).

    streamlit run tools/bench_floor_page.py
"""
from __future__ import annotations

import datetime as dt

import streamlit as st

from ui.i18n import page_css, t
from ui.map.css import busy_css
from ui.state import PRESETS

LANG = "ar"
LO, HI = dt.date(2012, 1, 1), dt.date(2025, 12, 31)
NONE: list[str] = []


def label(key: str, **kw: object) -> str:
    """The dashboard's words for key."""
    return t(key, LANG, **kw)


st.set_page_config(page_title="Syria News Map (floor)", layout="wide")
st.html(f"<style>{page_css(LANG)}{busy_css(label('map_updating'))}</style>")
with st.sidebar:
    st.segmented_control("اللغة · Language", ["ar", "en"], default="ar", required=True,
                         format_func=lambda v: {"ar": "العربية", "en": "English"}[v])
    st.subheader(label("filters"), anchor=False)
    st.multiselect(label("governorates"), ["حلب", "إدلب", "حمص"],
                   placeholder=label("all_governorates"))
    st.slider(label("date_range"), min_value=LO, max_value=HI, value=(LO, HI),
              format="YYYY-MM-DD", step=dt.timedelta(days=1))
    st.date_input(label("date_from"), value=LO, min_value=LO, max_value=HI, format="YYYY-MM-DD")
    st.date_input(label("date_to"), value=HI, min_value=LO, max_value=HI, format="YYYY-MM-DD")
    st.pills(label("presets"), list(PRESETS), format_func=label, label_visibility="collapsed")
    st.button(label("play"))
    st.checkbox(label("include_undated"))
    for key in ("actor", "zone", "controller"):
        st.multiselect(label(key), NONE, placeholder=label("any"))
    st.slider(label("min_confidence"), 0.0, 1.0, 0.0, step=0.05)
    st.caption(label("copy_link"))
    st.select_slider(label("front_lines_on"), options=[LO, HI], value=HI,
                     format_func=lambda d: d.isoformat())
st.title(label("title"), anchor=False)
st.html("<div class='snm-figures'>0 · 0 · 0</div>")
st.segmented_control(label("panel"), ["reader", "timeline", "top_places", "downloads"],
                     default="reader", required=True, label_visibility="collapsed",
                     format_func=label)
st.caption(label("click_place"))
st.toggle(label("all_rows", n=300, k=20))
st.html("<div class='snm-table'><table><tr><th>—</th></tr></table></div>")
st.selectbox(label("open_article"), NONE, placeholder=label("open_article"))
st.html('<span class="snm-floor-done"></span>')  # the last element: the page is drawn
