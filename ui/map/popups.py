"""Popup HTML for areas (escaped in Python), source lists as named links, and the hidden key
by which a clicked place popup tells the app which place it is (never shown to the reader)."""
from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import pandas as pd

from ui.i18n import norm_lang
from ui.text import esc, outlet_name

KEY_MARK = "\u2063"  # invisible separator around the place key in a popup's text
_URL = re.compile(r"https?://[^\s|<>\"']+")
_KEY = re.compile(KEY_MARK + r"([^" + KEY_MARK + r"\s]+)" + KEY_MARK)


def is_missing(value: Any) -> bool:
    """True for None / NaN / NaT / empty string."""
    if value is None or (isinstance(value, str) and value == ""):
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def place_id_from_popup(popup_text: str | None) -> str | None:
    """The place key a clicked place popup carries (between invisible separators), else None."""
    if not popup_text:
        return None
    found = _KEY.search(str(popup_text))
    return found.group(1) if found else None


def sources_html(text: Any) -> str:
    """A sources field ('Name date (note) https://… | Name …') as escaped HTML: each source's
    words, with its URL as a link named after the outlet, never a raw URL."""
    if is_missing(text):
        return ""
    items = []
    for part in str(text).split(" | "):
        urls = _URL.findall(part)
        words = _URL.sub("", part).strip(" ;,") or (outlet_name(None, urls[0]) if urls else "")
        links = "".join(
            f' <a href="{esc(u)}" target="_blank" rel="noopener noreferrer">{esc(outlet_name(None, u))}</a>'
            for u in urls)
        items.append(f"<li>{esc(words)}{links}</li>")
    return f'<ul class="snm-sources">{"".join(items)}</ul>'


def polygon_popup_html(title: str, rows: Sequence[tuple[str, Any]], lang: str,
                       note: str | None = None, sources: Any = None) -> str:
    """A small popup: escaped title, label/value rows, an optional italic note and sources."""
    body = "".join(f"<div><b>{esc(k)}:</b> {esc(v)}</div>" for k, v in rows
                   if not is_missing(v))
    note_html = f'<div class="snm-approx-note">{esc(note)}</div>' if note else ""
    src = sources_html(sources)
    return (f'<div class="snm-popup" dir="{"rtl" if norm_lang(lang) == "ar" else "ltr"}">'
            f"<h4>{esc(title)}</h4>{body}{note_html}{src}</div>")
