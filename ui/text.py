"""Article text as escaped HTML: right-to-left, every place highlighted, its resolution in title=."""
from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from typing import Any

from ui.i18n import bilingual, direction, level_label, norm_lang, t, where_label

_SPACES = re.compile(r"\s+")


def esc(value: Any) -> str:
    """HTML-escape any value (quotes too, so it is safe in attributes); None gives ''."""
    if value is None:
        return ""
    try:
        if value != value:  # NaN / NaT
            return ""
    except (TypeError, ValueError):
        pass
    return html.escape(str(value), quote=True)


def _field(m: Any, name: str, default: Any = None) -> Any:
    """A field of a mention given as a dict, a pandas row or a dataclass."""
    if isinstance(m, Mapping):
        value = m.get(name, default)
    else:
        value = getattr(m, name, default)
    try:
        if value != value:  # NaN
            return default
    except (TypeError, ValueError):
        pass
    return value


def _where(m: Any, lang: str) -> str:
    """A mention's governorate, or its country when outside Syria ("" when neither)."""
    return where_label(_field(m, "admin1"), _field(m, "country"), lang)


def resolution_title(m: Any, lang: str) -> str:
    """Plain-text description of how a mention was resolved (for a title= tooltip)."""
    parts = [bilingual(_field(m, "name_ar"), _field(m, "name_en"), lang)]
    level = _field(m, "level")
    if level:
        parts.append(level_label(level, lang))
    parts.append(_where(m, lang))
    lat, lon = _field(m, "lat"), _field(m, "lon")
    if lat is not None and lon is not None:
        parts.append(f"{float(lat):.3f}, {float(lon):.3f}")
    conf = _field(m, "confidence")
    if conf is not None:
        parts.append(f"{t('confidence', lang)} {float(conf):.2f}")
    why = _field(m, "basis") or _field(m, "cue")
    if why:
        parts.append(f"{t('why', lang)}: {why}")
    return " · ".join(p for p in parts if p)


def card_html(m: Any, lang: str) -> str:
    """The hover / tap card of a highlighted place: both names, governorate or country, level,
    confidence and why it was chosen (escaped; no internal ids)."""
    lines = [f"<b>{esc(_field(m, 'name_ar') or '')}</b> · {esc(_field(m, 'name_en') or '')}"]
    level = level_label(_field(m, "level"), lang) if _field(m, "level") else ""
    meta = " · ".join(x for x in (_where(m, lang), level) if x)
    if meta:
        lines.append(esc(meta))
    conf = _field(m, "confidence")
    if conf is not None:
        lines.append(f"{esc(t('confidence', lang))}: {float(conf):.2f}")
    why = _field(m, "basis") or _field(m, "cue")
    if why:
        lines.append(f"{esc(t('why', lang))}: {esc(why)}")
    if _field(m, "point") == "unit":
        lines.append(esc(t("approx_point", lang)))
    body = "<br>".join(lines)
    return f'<span class="snm-card" role="tooltip" dir="{direction(lang)}">{body}</span>'


def title_html(title: str | None, mentions: Iterable[Any]) -> str:
    """An article title, escaped, with the names its mentions found marked."""
    title = title or ""
    names = sorted({str(_field(m, "text") or "") for m in mentions} - {""}, key=len,
                   reverse=True)
    spans: list[tuple[int, int]] = []
    for name in names:
        start = title.find(name)
        while start >= 0:
            end = start + len(name)
            if all(end <= a or start >= b for a, b in spans):
                spans.append((start, end))
            start = title.find(name, end)
    out, pos = [], 0
    for a, b in sorted(spans):
        out.append(esc(title[pos:a]) + f'<mark class="snm-place">{esc(title[a:b])}</mark>')
        pos = b
    return "".join(out) + esc(title[pos:])


def valid_spans(text: str, mentions: Iterable[Any]) -> list[Any]:
    """Mentions whose offsets lie inside text, earliest first, overlaps dropped (longest kept)."""
    items = []
    for m in mentions:
        try:
            start, end = int(_field(m, "start")), int(_field(m, "end"))
        except (TypeError, ValueError):
            continue
        if 0 <= start < end <= len(text):
            items.append((start, -(end - start), end, m))
    items.sort(key=lambda x: (x[0], x[1]))
    kept, last_end = [], -1
    for start, _neg, end, m in items:
        if start >= last_end:
            kept.append(m)
            last_end = end
    return kept


def highlight_html(text: str, mentions: Iterable[Any], lang: str = "ar",
                   min_confidence: float | None = None) -> str:
    """The article as escaped HTML, RTL, each place in <mark title="its resolution">."""
    text = text or ""
    out: list[str] = []
    pos = 0
    for m in valid_spans(text, mentions):
        start, end = int(_field(m, "start")), int(_field(m, "end"))
        out.append(esc(text[pos:start]))
        classes = ["snm-place"]
        country = _field(m, "country")
        if country and country != "SY":
            classes.append("snm-foreign")
        conf = _field(m, "confidence")
        if min_confidence is not None and conf is not None and float(conf) < min_confidence:
            classes.append("snm-low")
        out.append(f'<mark class="{" ".join(classes)}" tabindex="0" '
                   f'aria-label="{esc(resolution_title(m, lang))}">'
                   f"{esc(text[start:end])}{card_html(m, lang)}</mark>")
        pos = end
    out.append(esc(text[pos:]))
    return f'<div class="snm-text" dir="rtl" lang="ar">{"".join(out)}</div>'


def snippet(text: str, start: int, end: int, width: int = 50) -> tuple[str, str, str]:
    """(before, match, after) around text[start:end], at most `width` chars each side, one line."""
    text = text or ""
    start, end = max(0, int(start)), min(len(text), int(end))
    before = text[max(0, start - width):start]
    after = text[end:end + width]
    before = _SPACES.sub(" ", before).lstrip()
    after = _SPACES.sub(" ", after).rstrip()
    if start - width > 0:
        before = "…" + before
    if end + width < len(text):
        after = after + "…"
    return before, _SPACES.sub(" ", text[start:end]), after


def snippet_html(text: str, start: int, end: int, width: int = 50) -> str:
    """An escaped one-line snippet with the place name in bold, right-to-left."""
    before, match, after = snippet(text, start, end, width)
    return (f'<span dir="rtl" lang="ar">{esc(before)}<b>{esc(match)}</b>{esc(after)}</span>')


def outlet_name(source: Any, url: Any) -> str:
    """What to call a link: the article's outlet (source), else the URL's host."""
    if isinstance(source, str) and source.strip():
        return source.strip()
    if isinstance(url, str):
        from urllib.parse import urlparse
        host = urlparse(url).netloc
        return host[4:] if host.startswith("www.") else host
    return ""


def article_header_html(article: Mapping[str, Any], lang: str) -> str:
    """Title (its places marked), date and the outlet, linked when the URL is http(s)."""
    lang = norm_lang(lang)
    title = _field(article, "title") or ""
    date = _field(article, "date")
    date_s = str(date)[:10] if date is not None else t("undated", lang)
    date_s = {"month": date_s[:7], "year": date_s[:4]}.get(
        _field(article, "date_precision") or "", date_s) if date is not None else date_s
    source = _field(article, "source") or ""
    url = _field(article, "url") or ""
    outlet = esc(source)
    if isinstance(url, str) and url.startswith(("http://", "https://")):
        outlet = (f'<a href="{esc(url)}" rel="noopener noreferrer" target="_blank">'
                  f"{esc(outlet_name(source, url))}</a>")
    return (f'<div class="snm-article-head"><h3 dir="rtl" lang="ar">'
            f'{title_html(title, _field(article, "mentions") or [])}</h3>'
            f"<small>{esc(date_s)} · {outlet}</small></div>")
