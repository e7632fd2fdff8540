"""The timeline: mentions per day, week or month on a real date axis (empty periods shown as
zero), with a click or a brush that picks a period (altair; Streamlit returns the selection)."""
from __future__ import annotations

import datetime as dt
from typing import Any

import altair as alt
import pandas as pd

from ui.i18n import t

PANDAS_FREQ = {"D": "D", "W": "W-MON", "M": "MS"}
SELECTION = "period"  # a brush over the x axis
CLICK = "bar"  # a click on one bar


def filled(daily: pd.DataFrame, freq: str) -> pd.DataFrame:
    """Counts per period with every empty period between the first and last as zero."""
    if daily is None or daily.empty:
        return pd.DataFrame({"date": pd.to_datetime([]), "mentions": [], "articles": []})
    frame = daily.assign(date=pd.to_datetime(daily["date"])).set_index("date")
    full = pd.date_range(frame.index.min(), frame.index.max(), freq=PANDAS_FREQ[freq])
    frame = frame.reindex(full.union(frame.index), fill_value=0)
    frame.index.name = "date"
    return frame.reset_index()[["date", "mentions", "articles"]]


def period_end(start: dt.date, freq: str) -> dt.date:
    """The last day of the period starting on `start`."""
    if freq == "D":
        return start
    if freq == "W":
        return start + dt.timedelta(days=6)
    nxt = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return nxt - dt.timedelta(days=1)


def timeline_chart(daily: pd.DataFrame, freq: str, lang: str) -> alt.Chart:
    """Bars on a temporal x axis, y labelled, selectable by an x-interval brush."""
    data = filled(daily, freq)
    y_title = t("mentions", lang)
    unit = {"D": "yearmonthdate", "W": "yearmonthdate", "M": "yearmonth"}[freq]
    brush = alt.selection_interval(encodings=["x"], name=SELECTION)
    click = alt.selection_point(fields=["date"], name=CLICK)
    return (alt.Chart(data).mark_bar(color="#d95f02").encode(
        x=alt.X(f"{unit}(date):T", title=t("date", lang)),
        y=alt.Y("mentions:Q", title=y_title),
        tooltip=[alt.Tooltip("date:T", title=t("date", lang)),
                 alt.Tooltip("mentions:Q", title=y_title),
                 alt.Tooltip("articles:Q", title=t("articles", lang))],
    ).add_params(brush, click).properties(height=220))


def picked_range(event: Any, freq: str) -> tuple[dt.date, dt.date] | None:
    """The period a chart selection event names (a clicked bar or a brush), or None."""
    try:
        selections = (event or {}).get("selection", {}) or {}
    except AttributeError:
        return None
    clicked = selections.get(CLICK) or []
    if clicked and isinstance(clicked, list) and isinstance(clicked[0], dict) and \
            clicked[0].get("date") is not None:
        value = clicked[0]["date"]
        when = pd.to_datetime(value, unit="ms") if isinstance(value, (int, float)) \
            else pd.to_datetime(value)
        return when.date(), period_end(when.date(), freq)
    selection = selections.get(SELECTION) or {}
    values = next(iter(selection.values()), None) if isinstance(selection, dict) else None
    if not values or len(values) < 2:
        return None
    lo, hi = (pd.to_datetime(v, unit="ms") if isinstance(v, (int, float)) else pd.to_datetime(v)
              for v in values[:2])
    start, end = min(lo, hi).date(), max(lo, hi).date()
    if freq != "D":
        end = max(end, period_end(start, freq))
    return start, end
