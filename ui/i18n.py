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
    "country_wide": {"ar": "{name} عموماً: {n} (ليست على الخريطة)",
                     "en": "{name} as a whole: {n} (not on the map)"},
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
    "all_rows": {"ar": "اعرض المقالات كلها ({n}) في الجدول والقائمة؛ يعرضان الآن أول {k}",
                 "en": "Show all {n} in the table and the list (they now show the first {k})"},
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
    "added": {"ar": "أضيفت {articles} و{mentions}.", "en": "Added {articles} and {mentions}."},
    "rejected": {"ar": "رُفض {n}: {reasons}", "en": "Rejected {n}: {reasons}"},
    "too_big": {"ar": "الملف أكبر من الحد ({limit} ميغابايت).",
                "en": "The file is larger than the limit ({limit} MB)."},
    "bad_type": {"ar": "نوع ملف غير مدعوم: {name}", "en": "Unsupported file type: {name}"},
    "bad_file": {"ar": "تعذرت قراءة الملف: {error}", "en": "Could not read the file: {error}"},
    "empty_text": {"ar": "النص فارغ.", "en": "The text is empty."},
    "assets_missing": {"ar": "ملفات الخريطة غير موجودة: شغّل make setup",
                       "en": "Map files are missing: run make setup"},
    "store_missing": {"ar": "لا توجد قاعدة بيانات في {path}: شغّل make setup",
                      "en": "No store at {path}: run make setup"},
    # map: search, legend dock, notes
    "legend": {"ar": "مفتاح الخريطة", "en": "Legend"},
    "layer_rivers": {"ar": "الأنهار والبحيرات", "en": "Rivers and lakes"},
    "search_place": {"ar": "ابحث عن مكان…", "en": "Find a place…"},
    "map_updating": {"ar": "جارٍ تحديث الخريطة…", "en": "Updating the map…"},
    "search_none": {"ar": "لا مكان بهذا الاسم على الخريطة", "en": "No place of that name on the map"},
    "approx_point": {"ar": "الموقع تقريبي: نقطة الوحدة الإدارية", "en": "Approximate position: the admin unit's point"},
    "approx_point_legend": {"ar": "الإطار المتقطع: موقع تقريبي (نقطة الوحدة الإدارية)",
                            "en": "Dashed outline: approximate (the admin unit's point)"},
    "popup_hint": {"ar": "مقالاته في القارئ أسفل الخريطة", "en": "Its articles open in the reader below the map"},
    "unplaced": {"ar": "{n} بلا إحداثيات ({mentions}): في الجداول لا على الخريطة",
                 "en": "{n} without coordinates ({mentions}): in the tables, not on the map"},
    "decided_by": {"ar": "حسمتها", "en": "Decided by"},
    "front_lines_on": {"ar": "خطوط السيطرة والمناطق في", "en": "Front lines and zones on"},
    "front_lines_help": {"ar": "تاريخ طبقتي السيطرة ومناطق خفض التصعيد، مستقل عن فترة المقالات (افتراضياً: نهاية الفترة)",
                         "en": "The date of the control and zone layers, apart from the articles' period (default: the end of the period)"},
    "ground_only": {"ar": "ينطبق على الإشارات إلى مكان على الأرض (بلدة، حي، ناحية) فقط، لا على سوريا ولا المحافظات ولا الأقاليم الممتدة على عدة محافظات",
                    "en": "Applies only to mentions of a place on the ground (a town, a neighbourhood, a sub-district), not to the country, governorates or regions spanning several governorates"},
    "follow_range": {"ar": "اتبع نهاية الفترة", "en": "Follow the end of the period"},
    "presets": {"ar": "فترات جاهزة", "en": "Presets"},
    "preset_all": {"ar": "الكل", "en": "All"},
    "preset_7": {"ar": "آخر 7 أيام", "en": "Last 7 days"},
    "preset_30": {"ar": "آخر 30 يوماً", "en": "Last 30 days"},
    "preset_90": {"ar": "آخر 90 يوماً", "en": "Last 90 days"},
    "preset_month": {"ar": "الشهر الأخير", "en": "Last month"},
    "play": {"ar": "▶ تشغيل أسبوعاً بأسبوع", "en": "▶ Play week by week"},
    "stop": {"ar": "■ إيقاف", "en": "■ Stop"},
    "playing": {"ar": "الأسبوع {start} → {end}", "en": "Week {start} → {end}"},
    "reader": {"ar": "القارئ", "en": "Reader"},
    "timeline_click": {"ar": "انقر عموداً أو اسحب فوق فترة لتصفية الخريطة بها", "en": "Click a bar or drag over a period to filter the map to it"},
    "why": {"ar": "لماذا", "en": "Why"},
    "already_stored": {"ar": "{what} محفوظ من قبل، لم يُضف شيء.", "en": "{what} already stored: nothing added."},
    "some_already_stored": {"ar": "و{what} محفوظ من قبل.", "en": "{what} already stored."},
    "too_long_text": {"ar": "النص أكبر من الحد ({limit} ميغابايت).", "en": "The text is larger than the limit ({limit} MB)."},
    "read_only": {"ar": "هذه النسخة للقراءة فقط: إضافة النصوص معطلة.", "en": "This copy is read-only: adding texts is turned off."},
    "token": {"ar": "رمز الكتابة", "en": "Write token"},
    "token_needed": {"ar": "أدخل رمز الكتابة لإضافة نص.", "en": "Enter the write token to add a text."},
    "token_wrong": {"ar": "رمز الكتابة غير صحيح.", "en": "Wrong write token."},
    "error_short": {"ar": "حدث خطأ؛ التفاصيل في سجل الخادم (الرمز {ref}).", "en": "Something went wrong; the details are in the server log (ref {ref})."},
    "at_line": {"ar": "السطر {line}", "en": "line {line}"},
    "reject_not_json": {"ar": "ليس JSON صالحاً", "en": "is not valid JSON"},
    "reject_not_object": {"ar": "ليس كائناً فيه حقل text", "en": "is not an object with a text field"},
    "reject_empty_text": {"ar": "بلا نص", "en": "has no text"},
    "reject_bad_csv": {"ar": "صف CSV غير سليم", "en": "is not a well-formed CSV row"},
    "reject_bad_text": {"ar": "ليس نصاً عربياً مقروءاً", "en": "is not readable Arabic text"},
    "reject_bad_date": {"ar": "تاريخ غير مفهوم", "en": "has a date that cannot be read"},
    "reject_too_large": {"ar": "أكبر من الحد المسموح", "en": "is larger than the limit"},
    "reject_unreadable": {"ar": "تعذرت قراءته", "en": "cannot be read"},
    "reject_bad_sidecar": {"ar": "ملف بياناته الوصفية غير سليم", "en": "has a malformed metadata file"},
    "reject_analysis_failed": {"ar": "تعذر تحليله", "en": "could not be analysed"},
    "hover_card": {"ar": "مرّر المؤشر أو المس اسم مكان لرؤية بطاقته", "en": "Hover over or tap a place name for its card"},
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
    ar = name_ar.strip() if isinstance(name_ar, str) else ""
    en = name_en.strip() if isinstance(name_en, str) else ""
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


def where_label(admin1: str | None, country: str | None, lang: str,
                names: dict[str, tuple[str, str]] | None = None) -> str:
    """Where a place is: its governorate, or «outside Syria (country)»; "" for a Syrian place
    without one (the country itself, a region across governorates)."""
    if admin1:
        try:
            return admin1_label(admin1, lang, names)
        except Exception:  # code table unavailable: show the code
            return str(admin1)
    if country and country != "SY":
        return f"{t('outside_syria', lang)} ({country})"
    return ""


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
            ".snm-table td.num{text-align:end;font-variant-numeric:tabular-nums}"
            ".snm-text mark.snm-place,.snm-article-head mark.snm-place{position:relative;"
            "cursor:help;background:#ffe08a;padding:0 .15em;border-radius:3px}"
            # centred under its mark: anchored at one side it ran off the page for a mark at the
            # other end of a line (every paragraph's first word in Arabic)
            ".snm-card{display:none;position:absolute;z-index:20;top:1.9em;left:50%;"
            "transform:translateX(-50%);min-width:12em;max-width:16em;background:#fff;color:#222;border:1px solid #bbb;"
            "border-radius:6px;box-shadow:0 2px 8px rgba(0,0,0,.25);padding:6px 8px;"
            "font-size:.85rem;line-height:1.5;white-space:normal}"
            ".snm-text mark:hover>.snm-card,.snm-text mark:focus>.snm-card,"
            ".snm-text mark:focus-within>.snm-card{display:block}"
            ".snm-text{font-size:1.1rem;max-width:none}"
            # the headline counts: one HTML row costs less of the first map than st.metric
            ".snm-figures{display:flex;flex-wrap:wrap;gap:.5rem 3rem;margin:.2rem 0 .6rem}"
            ".snm-figure-label{font-size:.875rem;color:#555}"
            ".snm-figure-value{font-size:2.1rem;line-height:1.3;font-variant-numeric:tabular-nums}")
    if norm_lang(lang) != "ar":
        return base
    return base + (
        "section.main .block-container, [data-testid='stMain'] .block-container,"
        "[data-testid='stSidebarContent']{direction:rtl;text-align:right}"
        "[data-testid='stSidebarContent'] input, [data-testid='stMain'] input{direction:rtl}"
        # a date reads year-month-day left to right: laid out right to left its segments turned
        # round and the day's first digit went under the field's edge (31 -> «1 - 07 - 2017»)
        "[data-testid='stDateInputField']{direction:ltr}"
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


# Counted nouns: (one, two, 3-10, 11+) in Arabic; (one, many) in English.
NOUNS: dict[str, dict[str, tuple[str, ...]]] = {
    "article": {"ar": ("مقالة واحدة", "مقالتان", "مقالات", "مقالة"), "en": ("article", "articles")},
    "mention": {"ar": ("إشارة واحدة", "إشارتان", "إشارات", "إشارة"), "en": ("mention", "mentions")},
    "place": {"ar": ("مكان واحد", "مكانان", "أماكن", "مكاناً"), "en": ("place", "places")},
    "record": {"ar": ("سجل واحد", "سجلان", "سجلات", "سجلاً"), "en": ("record", "records")},
}


def count_words(n: int, noun: str, lang: str) -> str:
    """A number with its noun, with Arabic agreement: مقالة واحدة، مقالتان، 3 مقالات، 11 مقالة،
    100 مقالة، 103 مقالات; English: 1 article, 2 articles."""
    n = int(n)
    forms = NOUNS[noun][norm_lang(lang)]
    if norm_lang(lang) == "en":
        return f"{n:,} {forms[0] if n == 1 else forms[1]}"
    one, two, few, many = forms
    if n == 0:
        return f"0 {few}"
    if n == 1:
        return one
    if n == 2:
        return two
    rest = n % 100
    if n < 100 or rest >= 3:
        return f"{n} {few}" if 3 <= rest <= 10 else f"{n} {many}"
    return f"{n} {many}"  # 100, 101, 102, 200 …: the singular
