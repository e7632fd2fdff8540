"""Arabic and English labels for the dashboard; Arabic lays the page out right-to-left."""
from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pandas as pd

LANGS: tuple[str, ...] = ("ar", "en")
DEFAULT_LANG = "ar"

LABELS: dict[str, dict[str, str]] = {
    "title": {"ar": "خريطة أخبار سوريا", "en": "Syria News Map"},
    "subtitle": {"ar": "أماكن ذُكرت في الأخبار العربية عن سوريا",
                 "en": "Places named in Arabic news about Syria"},
    "language": {"ar": "اللغة", "en": "Language"},
    "filters": {"ar": "المرشِّحات", "en": "Filters"},
    "governorates": {"ar": "المحافظات", "en": "Governorates"},
    "all_governorates": {"ar": "كل المحافظات", "en": "All governorates"},
    "date_range": {"ar": "الفترة", "en": "Date range"},
    "date_from": {"ar": "من", "en": "From"},
    "date_to": {"ar": "إلى", "en": "To"},
    "include_undated": {"ar": "مع المقالات غير المؤرخة", "en": "Include undated articles"},
    "actor": {"ar": "الطرف المسلح", "en": "Armed actor"},
    "zone": {"ar": "منطقة (في وقتها)", "en": "Zone (at the time)"},
    "controller": {"ar": "جهة السيطرة (في وقتها)", "en": "Controller (at the time)"},
    "min_confidence": {"ar": "أدنى ثقة", "en": "Minimum confidence"},
    "syria_only": {"ar": "داخل سوريا فقط", "en": "Syria only"},
    "levels": {"ar": "المستويات", "en": "Levels"},
    "reset": {"ar": "إعادة الضبط", "en": "Reset"},
    "any": {"ar": "الكل", "en": "Any"},
    "country_wide": {"ar": "{name} عموماً: {n} إشارة (ليست على الخريطة)",
                     "en": "{name} as a whole: {n} mentions (not on the map)"},
    "copy_link": {"ar": "انسخ رابط الصفحة لمشاركة هذا العرض",
                  "en": "Copy the page link to share this view"},
    # map layers
    "layer_places": {"ar": "الأماكن", "en": "Places"},
    "layer_choropleth": {"ar": "الإشارات حسب المحافظة", "en": "Mentions per governorate"},
    "layer_boundaries": {"ar": "حدود المحافظات", "en": "Governorate boundaries"},
    "layer_zones": {"ar": "مناطق خفض التصعيد", "en": "De-escalation zones"},
    "layer_control": {"ar": "السيطرة (تقريبية)", "en": "Control (approximate)"},
    "layer_foreign": {"ar": "أماكن خارج سوريا", "en": "Places outside Syria"},
    "layer_basemap": {"ar": "الخريطة الأساسية", "en": "Basemap"},
    "at_date": {"ar": "في {date}", "en": "on {date}"},
    "legend_mentions": {"ar": "عدد الإشارات", "en": "Mentions"},
    "legend_zones": {"ar": "مناطق خفض التصعيد في {date}", "en": "De-escalation zones on {date}"},
    "legend_control": {"ar": "السيطرة في {date} (تقريبية)",
                       "en": "Control on {date} (approximate)"},
    "no_zones": {"ar": "لا مناطق سارية", "en": "No zone in force"},
    # popups
    "mentions": {"ar": "الإشارات", "en": "Mentions"},
    "articles": {"ar": "المقالات", "en": "Articles"},
    "governorate": {"ar": "المحافظة", "en": "Governorate"},
    "level": {"ar": "المستوى", "en": "Level"},
    "confidence": {"ar": "الثقة", "en": "Confidence"},
    "source": {"ar": "المصدر", "en": "Source"},
    "sources": {"ar": "المصادر", "en": "Sources"},
    "status": {"ar": "الحالة", "en": "Status"},
    "valid": {"ar": "السريان", "en": "In force"},
    "until_now": {"ar": "حتى الآن", "en": "open-ended"},
    "approximate": {"ar": "مساحة تقريبية", "en": "Approximate area"},
    "approximate_dashed": {"ar": "الحدود المتقطعة تقريبية", "en": "Dashed outlines are approximate"},
    "control_note": {"ar": "تقريبية: كل مساحة هي الأقرب إلى بلداتها الرئيسية (النقاط)",
                     "en": "Approximate: each area is the part nearest its key towns (dots)"},
    "controller_word": {"ar": "السيطرة", "en": "Control"},
    "declared": {"ar": "أُعلنت", "en": "Declared"},
    "status_active": {"ar": "سارية", "en": "in force"},
    "status_announced": {"ar": "مُعلنة ولم تسرِ بعد", "en": "announced, not yet in force"},
    "status_ended": {"ar": "انتهت", "en": "ended"},
    "basis_towns": {"ar": "على أساس البلدات", "en": "Based on towns"},
    "more_articles": {"ar": "و{n} مقالات أخرى", "en": "and {n} more articles"},
    "undated": {"ar": "بلا تاريخ", "en": "undated"},
    "place_id": {"ar": "المعرّف", "en": "id"},
    "outside_syria": {"ar": "خارج سوريا", "en": "outside Syria"},
    # panels
    "counts": {"ar": "الأرقام", "en": "Counts"},
    "panel": {"ar": "اللوحة", "en": "Panel"},
    "no_timeline": {"ar": "لا تواريخ بهذه الدقة في النتائج.",
                    "en": "No dates this precise in the results."},
    "n_articles": {"ar": "مقالات", "en": "Articles"},
    "n_mentions": {"ar": "إشارات", "en": "Mentions"},
    "n_places": {"ar": "أماكن", "en": "Places"},
    "timeline": {"ar": "الخط الزمني", "en": "Timeline"},
    "per_day": {"ar": "يومي", "en": "Per day"},
    "per_week": {"ar": "أسبوعي", "en": "Per week"},
    "per_month": {"ar": "شهري", "en": "Per month"},
    "top_places": {"ar": "الأماكن الأكثر ذكراً", "en": "Top places"},
    "place": {"ar": "المكان", "en": "Place"},
    "downloads": {"ar": "تنزيل", "en": "Downloads"},
    "download_csv": {"ar": "الإشارات (CSV)", "en": "Mentions (CSV)"},
    "download_geojson": {"ar": "الإشارات (GeoJSON)", "en": "Mentions (GeoJSON)"},
    "article_panel": {"ar": "المقالات", "en": "Articles"},
    "articles_at_place": {"ar": "مقالات تذكر {place}", "en": "Articles naming {place}"},
    "clear_place": {"ar": "عرض كل المقالات", "en": "Show all articles"},
    "open_article": {"ar": "افتح مقالاً", "en": "Open an article"},
    "date": {"ar": "التاريخ", "en": "Date"},
    "title_col": {"ar": "العنوان", "en": "Title"},
    "no_data": {"ar": "لا شيء يطابق هذه المرشِّحات.", "en": "Nothing matches these filters."},
    "add_text": {"ar": "إضافة نص", "en": "Add text"},
    "paste_text": {"ar": "الصق نص مقال", "en": "Paste an article"},
    "text_title": {"ar": "العنوان (اختياري)", "en": "Title (optional)"},
    "text_date": {"ar": "تاريخ النشر (اختياري)", "en": "Publication date (optional)"},
    "text_source": {"ar": "المصدر (اختياري)", "en": "Source (optional)"},
    "upload": {"ar": "أو ارفع ملفاً (.txt أو .jsonl أو .csv)",
               "en": "or upload a file (.txt, .jsonl, .csv)"},
    "submit": {"ar": "أضف إلى الخريطة", "en": "Add to the map"},
    "added": {"ar": "أضيفت {articles} مقالات و{mentions} إشارات.",
              "en": "Added {articles} articles and {mentions} mentions."},
    "rejected": {"ar": "رُفض {n} سجل: {reasons}", "en": "{n} records rejected: {reasons}"},
    "too_big": {"ar": "الملف أكبر من الحد ({limit} ميغابايت).",
                "en": "The file is larger than the limit ({limit} MB)."},
    "bad_type": {"ar": "نوع ملف غير مدعوم: {name}", "en": "Unsupported file type: {name}"},
    "bad_file": {"ar": "تعذرت قراءة الملف: {error}", "en": "Could not read the file: {error}"},
    "empty_text": {"ar": "النص فارغ.", "en": "The text is empty."},
    "assets_missing": {"ar": "ملفات الخريطة غير موجودة: شغّل make setup",
                       "en": "Map files are missing: run make setup"},
    "store_missing": {"ar": "لا توجد قاعدة بيانات في {path}: شغّل make setup",
                      "en": "No store at {path}: run make setup"},
    "click_place": {"ar": "انقر مكاناً على الخريطة لعرض مقالاته.",
                    "en": "Click a place on the map to list its articles."},
}

LEVEL_LABELS: dict[str, dict[str, str]] = {
    "country": {"ar": "دولة", "en": "country"},
    "governorate": {"ar": "محافظة", "en": "governorate"},
    "district": {"ar": "منطقة", "en": "district"},
    "subdistrict": {"ar": "ناحية", "en": "sub-district"},
    "populated_place": {"ar": "بلدة/مدينة", "en": "town/city"},
    "region": {"ar": "إقليم", "en": "region"},
}


def norm_lang(lang: str | None) -> str:
    """A supported language code ('ar' or 'en'); anything else gives the default."""
    return lang if lang in LANGS else DEFAULT_LANG


def t(key: str, lang: str, **fmt: Any) -> str:
    """The label `key` in `lang`, formatted with fmt (the key itself if unknown)."""
    entry = LABELS.get(key)
    if entry is None:
        return key
    text = entry.get(norm_lang(lang)) or entry["en"]
    return text.format(**fmt) if fmt else text


def direction(lang: str) -> str:
    """'rtl' for Arabic, 'ltr' for English."""
    return "rtl" if norm_lang(lang) == "ar" else "ltr"


def bilingual(name_ar: str | None, name_en: str | None, lang: str) -> str:
    """'Arabic (English)' in Arabic mode, 'English (Arabic)' in English mode; either alone."""
    ar, en = (name_ar or "").strip(), (name_en or "").strip()
    if not ar or not en or ar == en:
        return ar or en
    return f"{ar} ({en})" if norm_lang(lang) == "ar" else f"{en} ({ar})"


def level_label(level: str | None, lang: str) -> str:
    """A place level in words."""
    entry = LEVEL_LABELS.get(level or "")
    return entry[norm_lang(lang)] if entry else (level or "")


def admin1_label(admin1: str | None, lang: str,
                 names: dict[str, tuple[str, str]] | None = None) -> str:
    """A governorate code as 'حمص (Homs)' / 'Homs (حمص)'; names maps code -> (ar, en)."""
    if not admin1:
        return t("outside_syria", lang)
    if names is None:
        names = admin1_names()
    ar, en = names.get(admin1, (admin1, admin1))
    return bilingual(ar, en, lang)


def admin1_names() -> dict[str, tuple[str, str]]:
    """Governorate code -> (Arabic, English) from the code table (geo.codes)."""
    from geo.codes import governorates

    return {g.admin1: (g.name_ar, g.name_en) for g in governorates()}


def page_css(lang: str) -> str:
    """CSS for the Streamlit page: right-to-left main area and sidebar in Arabic."""
    base = ("[data-testid='stMainBlockContainer']{padding-top:2.2rem}"
            ".snm-text{white-space:pre-wrap;line-height:1.9;font-size:1.05rem}"
            ".snm-text mark.snm-place{background:#ffe08a;padding:0 .15em;border-radius:3px}"
            ".snm-text mark.snm-foreign{background:#d7e3fc}"
            ".snm-text mark.snm-low{background:#eee;border-bottom:1px dashed #999}"
            ".snm-table{overflow:auto;border:1px solid #e6e6e6;border-radius:6px}"
            ".snm-table table{border-collapse:collapse;width:100%;font-size:.9rem}"
            ".snm-table th{position:sticky;top:0;background:#f5f5f5;font-weight:600}"
            ".snm-table th,.snm-table td{padding:4px 8px;border-bottom:1px solid #eee;"
            "text-align:start;vertical-align:top}"
            ".snm-table td.num{text-align:end;font-variant-numeric:tabular-nums}")
    if norm_lang(lang) != "ar":
        return base
    return base + (
        "section.main .block-container, [data-testid='stMain'] .block-container,"
        "[data-testid='stSidebarContent']{direction:rtl;text-align:right}"
        "[data-testid='stSidebarContent'] input, [data-testid='stMain'] input{direction:rtl}"
        # keep the map and charts left-to-right (coordinates, axes)
        "iframe, [data-testid='stVegaLiteChart'], [data-testid='stDataFrame']{direction:ltr}")


def fmt_date(value: Any, lang: str, precision: str | None = None) -> str:
    """ISO date text cut to its precision (2017-07 for a month); 'undated' when missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return t("undated", lang)
    try:
        if pd.isna(value):
            return t("undated", lang)
    except (TypeError, ValueError):
        pass
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        value = value.date()
    text = value.isoformat() if isinstance(value, dt.date) else str(value)[:10]
    return {"month": text[:7], "year": text[:4]}.get(precision or "", text)
