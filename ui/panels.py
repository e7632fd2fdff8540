"""Tables and labels for the panels beside the map (plain pandas, no Streamlit)."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from snm.settings import MAX_ARTICLE_BYTES
from ui.i18n import LABELS, admin1_label, bilingual, count_words, fmt_date, level_label, norm_lang, t

MAX_UPLOAD_MB = max(1, MAX_ARTICLE_BYTES // (1024 * 1024))
UPLOAD_TYPES: tuple[str, ...] = ("txt", "jsonl", "csv")


def top_places_frame(places: pd.DataFrame, lang: str, n: int = 20) -> pd.DataFrame:
    """The n most mentioned places with bilingual names, governorate, level and counts."""
    lang = norm_lang(lang)
    cols = [t("place", lang), t("governorate", lang), t("level", lang), t("mentions", lang),
            t("articles", lang)]
    if places is None or places.empty:
        return pd.DataFrame(columns=cols)
    top = places.sort_values(["mentions", "place_id"], ascending=[False, True]).head(n)
    names = admin1_names_safe()
    return pd.DataFrame({
        cols[0]: [bilingual(a, e, lang) for a, e in zip(top["name_ar"], top["name_en"])],
        cols[1]: [admin1_label(a if isinstance(a, str) else None, lang, names)
                  for a in top["admin1"]],
        cols[2]: [level_label(v, lang) for v in top["level"]],
        cols[3]: top["mentions"].astype(int).to_numpy(),
        cols[4]: top["articles"].astype(int).to_numpy(),
    })


def admin1_names_safe() -> dict[str, tuple[str, str]]:
    """Governorate names from geo.codes, or an empty dict if the table cannot be read."""
    try:
        from ui.i18n import admin1_names
        return admin1_names()
    except Exception:  # the code table is part of the repo; never break a panel over it
        return {}


def article_label(row: Mapping[str, Any], lang: str, width: int = 70) -> str:
    """One line for an article picker: date · source · title (plain text, shortened)."""
    title = str(row.get("title") or "").strip() or "—"
    if len(title) > width:
        title = title[: width - 1] + "…"
    parts = [fmt_date(row.get("date"), lang, row.get("date_precision"))]
    source = row.get("source")
    if isinstance(source, str) and source.strip():
        parts.append(source.strip())
    parts.append(title)
    return " · ".join(parts)


def articles_frame(articles: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Articles for a table: date, source, title, mentions (plain text cells)."""
    lang = norm_lang(lang)
    cols = [t("date", lang), t("source", lang), t("title_col", lang), t("mentions", lang)]
    if articles is None or articles.empty:
        return pd.DataFrame(columns=cols)
    return pd.DataFrame({
        cols[0]: [fmt_date(d, lang, p) for d, p in
                  zip(articles["date"], articles.get("date_precision",
                                                     pd.Series([None] * len(articles))))],
        cols[1]: articles["source"].fillna("").astype(str).to_numpy(),
        cols[2]: articles["title"].fillna("").astype(str).to_numpy(),
        cols[3]: articles["mentions"].fillna(0).astype(int).to_numpy()
        if "mentions" in articles.columns else 0,
    })


def timeline_frame(daily: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Daily/weekly counts indexed by date, with a localized 'mentions' column."""
    col = t("mentions", lang)
    if daily is None or daily.empty:
        return pd.DataFrame({col: []}, index=pd.Index([], name=t("date", lang)))
    # ISO strings, not datetimes: the chart draws one full-width bar per period
    labels = [str(d)[:10] for d in daily["date"]]
    return pd.DataFrame({col: daily["mentions"].astype(int).to_numpy()},
                        index=pd.Index(labels, name=t("date", lang)))


def upload_problem(name: str, size: int, lang: str,
                   limit_bytes: int = MAX_ARTICLE_BYTES) -> str | None:
    """Why an uploaded file is refused (type or size), or None if it may be read."""
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix not in UPLOAD_TYPES:
        return t("bad_type", lang, name=name)
    if size > limit_bytes:
        return t("too_big", lang, limit=f"{limit_bytes / 1024 / 1024:g}")
    return None


def text_problem(body: str, lang: str, limit_bytes: int = MAX_ARTICLE_BYTES) -> str | None:
    """Why a pasted text is refused (empty or over the byte limit), or None."""
    if not body or not body.strip():
        return t("empty_text", lang)
    if len(body.encode("utf-8")) > limit_bytes:
        return t("too_long_text", lang, limit=f"{limit_bytes / 1024 / 1024:g}")
    return None


def reason_words(reason: str, lang: str) -> str:
    """A reject reason code in plain words (the code itself when unknown)."""
    key = f"reject_{reason}"
    return t(key, lang) if key in LABELS else reason


def report_lines(report: Any, lang: str) -> tuple[str, list[str]]:
    """(summary, reject lines) of an ingest report for the 'add text' panel, in plain words
    with Arabic number agreement; a text that was there already says "already stored"."""
    added = int(getattr(report, "ingested", 0) or 0)
    dupes = int(getattr(report, "duplicates", 0) or 0)
    if added == 0 and dupes:
        summary = t("already_stored", lang, what=count_words(dupes, "article", lang))
    else:
        summary = t("added", lang, articles=count_words(added, "article", lang),
                    mentions=count_words(int(getattr(report, "mentions", 0) or 0), "mention",
                                         lang))
        if dupes:
            summary += " " + t("some_already_stored", lang,
                               what=count_words(dupes, "article", lang))
    lines = []
    for r in list(getattr(report, "rejects", []))[:20]:
        where = getattr(r, "line", 0) or 0
        place = t("at_line", lang, line=where) if where else (getattr(r, "origin", "") or "")
        lines.append(f"{place}: {reason_words(str(getattr(r, 'reason', '')), lang)}")
    return summary, lines


def figures_html(figures: Sequence[tuple[str, int]], lang: str) -> str:
    """The page's headline counts (label, number) as one escaped row of figures."""
    from ui.i18n import direction
    from ui.text import esc
    cells = "".join(f'<div class="snm-figure"><div class="snm-figure-label">{esc(label)}</div>'
                    f'<div class="snm-figure-value">{int(value):,}</div></div>'
                    for label, value in figures)
    return f'<div class="snm-figures" dir="{direction(lang)}">{cells}</div>'


def table_html(frame: pd.DataFrame, lang: str, numeric: Sequence[str] = (),
               max_height: int = 260, css_class: str = "snm-table") -> str:
    """A DataFrame as an escaped, scrollable HTML table (right-to-left in Arabic)."""
    from ui.i18n import direction
    from ui.text import esc
    dir_ = direction(lang)
    head = "".join(f"<th>{esc(c)}</th>" for c in frame.columns)
    rows = []
    for rec in frame.itertuples(index=False):
        cells = []
        for col, value in zip(frame.columns, rec):
            cls = ' class="num"' if col in numeric else ""
            cells.append(f"<td{cls}>{esc(value)}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return (f'<div class="{css_class}" dir="{dir_}" style="max-height:{int(max_height)}px">'
            f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>")
