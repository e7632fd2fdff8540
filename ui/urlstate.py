"""The view as URL query parameters (stable codes, not labels) and back, validated.

A copied link reopens the same view in either language: ?lang=en&gov=SY-HI&from=2017-07-01
&to=2017-07-31&conf=0.5&place=...&article=...&day=2017-06-30 (front lines)&view=34.7,36.7,9
(map centre and zoom, written by the map)&layers=places,control. Anything unknown or malformed
is dropped.
"""
from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from ui.i18n import DEFAULT_LANG, LANGS

PANELS: tuple[str, ...] = ("read", "time", "top", "dl", "add")
LAYERS: tuple[str, ...] = ("choropleth", "control", "zones", "places", "foreign")  # drawing order
FREQS: tuple[str, ...] = ("D", "W", "M")
MAX_ID = 64


@dataclass(frozen=True)
class ViewState:
    """Everything a link restores: language, filters, the open place / article and panel."""

    lang: str = DEFAULT_LANG
    gov: tuple[str, ...] = ()
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    undated: bool = True
    actor: tuple[str, ...] = ()
    zone: tuple[str, ...] = ()
    ctl: tuple[str, ...] = ()
    conf: float = 0.0
    place: str | None = None
    article: str | None = None
    panel: str = "read"
    freq: str = "W"
    day: dt.date | None = None
    view: tuple[float, float, int] | None = None
    layers: tuple[str, ...] | None = None


def _values(params: Mapping[str, Any], key: str) -> list[str]:
    """All values of a query parameter (a str or a list of str) as a list of strings."""
    value = params.get(key)
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return [str(value)]


def _first(params: Mapping[str, Any], key: str) -> str | None:
    """The first value of a query parameter, or None."""
    values = _values(params, key)
    return values[0] if values else None


def _codes(params: Mapping[str, Any], key: str, allowed: Iterable[str] | None) -> tuple[str, ...]:
    """Distinct values of a list parameter, in order, keeping only the allowed ones."""
    allowed_set = None if allowed is None else set(allowed)
    out: list[str] = []
    for v in _values(params, key):
        for part in v.split(","):
            part = part.strip()
            if part and part not in out and (allowed_set is None or part in allowed_set):
                out.append(part)
    return tuple(out)


def _date(text: str | None, lo: dt.date | None, hi: dt.date | None) -> dt.date | None:
    """An ISO date clamped into [lo, hi]; None if missing or malformed."""
    if not text:
        return None
    try:
        d = dt.date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None
    if lo and d < lo:
        d = lo
    if hi and d > hi:
        d = hi
    return d


def _ident(text: str | None) -> str | None:
    """A place or article id: short, printable, no spaces; else None."""
    if not text:
        return None
    text = text.strip()
    if not text or len(text) > MAX_ID or any(ch.isspace() or not ch.isprintable() for ch in text):
        return None
    return text


def parse(params: Mapping[str, Any], *, governorates: Iterable[str] | None = None,
          actors: Iterable[str] | None = None, zones: Iterable[str] | None = None,
          controllers: Iterable[str] | None = None, span: tuple[dt.date | None,
                                                               dt.date | None] = (None, None)
          ) -> ViewState:
    """The view a URL asks for; unknown codes, bad dates and out-of-range numbers dropped."""
    lang = _first(params, "lang")
    lo, hi = span
    date_from = _date(_first(params, "from"), lo, hi)
    date_to = _date(_first(params, "to"), lo, hi)
    if date_from and date_to and date_from > date_to:
        date_from, date_to = date_to, date_from
    try:
        conf = float(_first(params, "conf") or 0.0)
    except ValueError:
        conf = 0.0
    conf = min(1.0, max(0.0, round(conf * 20) / 20)) if math.isfinite(conf) and \
        abs(conf) < 1e6 else 0.0
    undated = _first(params, "undated")
    panel = _first(params, "panel")
    freq = _first(params, "freq")
    return ViewState(
        lang=lang if lang in LANGS else DEFAULT_LANG,
        gov=_codes(params, "gov", governorates),
        date_from=date_from, date_to=date_to,
        undated=undated not in ("0", "false", "no"),
        actor=_codes(params, "actor", actors),
        zone=_codes(params, "zone", zones),
        ctl=_codes(params, "ctl", controllers),
        conf=conf,
        place=_ident(_first(params, "place")),
        article=_ident(_first(params, "article")),
        panel=panel if panel in PANELS else "read",
        freq=freq if freq in FREQS else "W",
        day=_date(_first(params, "day"), dt.date(2011, 1, 1), dt.date(2030, 12, 31)),
        view=_view(_first(params, "view")),
        layers=_layers(params),
    )


def _view(text: str | None) -> tuple[float, float, int] | None:
    """'lat,lon,zoom' inside the region and zooms 5-18, else None."""
    if not text:
        return None
    try:
        lat_s, lon_s, zoom_s = text.split(",")
        lat, lon, zoom = float(lat_s), float(lon_s), int(zoom_s)
    except ValueError:
        return None
    if not (25.0 <= lat <= 45.0 and 25.0 <= lon <= 55.0 and 5 <= zoom <= 18):
        return None
    return round(lat, 4), round(lon, 4), zoom


def _layers(params: Mapping[str, Any]) -> tuple[str, ...] | None:
    """The overlays a link turns on ('none': all off); None when the link does not say."""
    if not _values(params, "layers"):
        return None
    if _first(params, "layers") == "none":
        return ()
    return _codes(params, "layers", LAYERS)


def to_params(state: ViewState) -> dict[str, str | list[str]]:
    """Query parameters for a view: only what differs from the defaults, codes not labels."""
    default = ViewState()
    out: dict[str, str | list[str]] = {}
    if state.lang != default.lang:
        out["lang"] = state.lang
    for key in ("gov", "actor", "zone", "ctl"):
        values = list(getattr(state, key))
        if values:
            out[key] = values
    if state.date_from:
        out["from"] = state.date_from.isoformat()
    if state.date_to:
        out["to"] = state.date_to.isoformat()
    if not state.undated:
        out["undated"] = "0"
    if state.conf:
        out["conf"] = f"{state.conf:g}"
    for key in ("place", "article"):
        value = getattr(state, key)
        if value:
            out[key] = value
    if state.panel != default.panel:
        out["panel"] = state.panel
    if state.freq != default.freq:
        out["freq"] = state.freq
    if state.day:
        out["day"] = state.day.isoformat()
    if state.view:
        out["view"] = f"{state.view[0]:.4f},{state.view[1]:.4f},{state.view[2]}"
    if state.layers is not None:
        out["layers"] = ",".join(state.layers) or "none"
    return out


def as_dict(state: ViewState) -> dict[str, Any]:
    """The state's fields as a plain dict."""
    return asdict(state)
