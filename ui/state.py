"""The page's session state: the view a URL opens, the widgets' language-specific keys, the
date range and its presets, the front-lines date, play. Plain functions over a mutable mapping
(st.session_state in the app, a dict in tests)."""
from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from ui import urlstate

# View fields kept language-free in the session (v_<name>), seeded into per-language widgets.
VIEW_FIELDS: tuple[str, ...] = ("v_gov", "v_dates", "v_undated", "v_actor", "v_zone", "v_ctl",
                                "v_conf", "v_article", "v_panel", "v_freq")
PRESETS: tuple[str, ...] = ("preset_all", "preset_7", "preset_30", "preset_90", "preset_month")
PLAY_STEP = dt.timedelta(days=7)


# st.session_state in the app (its get/pop overloads fit no Protocol), a dict in tests.
Session = Any


def load_view(ss: Session, params: Mapping[str, list[str]], *,
              governorates: Iterable[str], actors: Iterable[str], zones: Iterable[str],
              controllers: Iterable[str], span: tuple[dt.date | None, dt.date | None]) -> None:
    """Open the view a URL asks for, once per session; afterwards the widgets own it."""
    if ss.get("_view_loaded"):
        return
    view = urlstate.parse(params, governorates=governorates, actors=actors, zones=zones,
                          controllers=controllers, span=span)
    ss.update(lang=view.lang, v_gov=list(view.gov), v_undated=view.undated,
              v_actor=list(view.actor), v_zone=list(view.zone), v_ctl=list(view.ctl),
              v_conf=view.conf, place=view.place, v_article=view.article, v_panel=view.panel,
              v_freq=view.freq, map_view=view.view, map_layers=view.layers,
              v_day=view.day, day_pinned=view.day is not None)
    if span[0] and span[1]:
        ss["v_dates"] = (view.date_from or span[0], view.date_to or span[1])
    ss["_span"] = span
    ss["_view_loaded"] = True


def follow_span(ss: Session, span: tuple[dt.date | None, dt.date | None],
                lang: str) -> None:
    """The store grew: keep a full range full, clamp the rest into the new span."""
    lo, hi = span
    if not (lo and hi and lo < hi):
        return
    old_lo, old_hi = ss.get("_span") or span
    cur = ss.get("v_dates") or (lo, hi)
    new = (lo if cur[0] == old_lo else min(max(cur[0], lo), hi),
           hi if cur[1] == old_hi else max(min(cur[1], hi), lo))
    if new != tuple(cur):
        set_dates(ss, new, lang)
    ss["_span"] = span


def wkey(ss: Session, name: str, lang: str) -> str:
    """The widget key of view field `name` in this language. Labels differ per language and
    the browser keeps stale labels when they change under one key, so each language has its
    own key, seeded from the language-free value."""
    key = f"{name}_{lang}"
    if key not in ss:
        ss[key] = ss.get(name)
    return key


def keep_values(ss: Session, lang: str) -> None:
    """Copy this language's widget values back to the language-free fields."""
    for name in VIEW_FIELDS:
        if f"{name}_{lang}" in ss:
            ss[name] = ss[f"{name}_{lang}"]


def clamp_range(d0: dt.date, d1: dt.date, lo: dt.date, hi: dt.date) -> tuple[dt.date, dt.date]:
    """(d0, d1) inside [lo, hi] and in order."""
    d0, d1 = min(max(d0, lo), hi), min(max(d1, lo), hi)
    return (d0, d1) if d0 <= d1 else (d1, d0)


def set_dates(ss: Session, dates: tuple[dt.date, dt.date], lang: str) -> None:
    """Set the date range everywhere it is shown: the slider and both date inputs."""
    ss["v_dates"] = tuple(dates)
    ss[f"v_dates_{lang}"] = tuple(dates)
    ss[f"v_from_{lang}"] = dates[0]
    ss[f"v_to_{lang}"] = dates[1]


def preset_range(name: str, lo: dt.date, hi: dt.date) -> tuple[dt.date, dt.date]:
    """The range of a preset, counted back from the last date in the store."""
    days = {"preset_7": 7, "preset_30": 30, "preset_90": 90}.get(name)
    if days:
        return clamp_range(hi - dt.timedelta(days=days - 1), hi, lo, hi)
    if name == "preset_month":
        return clamp_range(hi.replace(day=1), hi, lo, hi)
    return lo, hi


def month_ends(lo: dt.date, hi: dt.date) -> list[dt.date]:
    """The last day of every month of the years from lo to hi (the front-lines steps)."""
    out = []
    for year in range(lo.year, hi.year + 1):
        for month in range(1, 13):
            out.append(dt.date(year, month, calendar.monthrange(year, month)[1]))
    return out


def front_line_options(lo: dt.date, hi: dt.date, end: dt.date) -> list[dt.date]:
    """Month ends across the years the data covers, plus the end of the current range."""
    return sorted(set(month_ends(lo, hi)) | {end})


def front_line_day(ss: Session, end: dt.date, options: list[dt.date]) -> dt.date:
    """The layers' date: the user's own when pinned (snapped to the options), else the end of
    the filter range."""
    day = ss.get("v_day")
    if ss.get("day_pinned") and isinstance(day, dt.date) and options:
        return min(options, key=lambda d: abs((d - day).days))
    return end


def play_step(ss: Session, lo: dt.date, hi: dt.date,
              lang: str) -> tuple[dt.date, dt.date] | None:
    """Advance play by a week: the new range (its end is the layers' date), or None at the end
    (play stops)."""
    start = ss.get("_play_at")
    start = lo if not isinstance(start, dt.date) else start + PLAY_STEP
    if start > hi:
        ss["playing"] = False
        ss.pop("_play_at", None)
        return None
    week = (start, min(start + PLAY_STEP - dt.timedelta(days=1), hi))
    ss["_play_at"] = start
    set_dates(ss, week, lang)
    ss["day_pinned"] = False
    return week
