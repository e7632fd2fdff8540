"""The words around a name that tell a reader what it is: word lists in normalised form.

Cue words before a name (مدينة، بلدة، حي، مطار …) say "a place" and what kind; relation words
between two names (في ريف، شمال، قرب، التابعة ل …) say where one lies; organisation head words
(لواء، مكتب، شبكة …) say that the name is part of an organisation's name; prepositions are
weak evidence that a word is a place. Nothing here knows a gazetteer.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import ahocorasick

from nlp.normalize import normalize_name


def _finder(groups: dict[str, tuple[frozenset[str], tuple[str, ...]]]) -> ahocorasick.Automaton:
    """An Aho-Corasick automaton of whole words with the clitics their group allows, in the
    boundary-marked text of nlp.match.marked_text; each pattern's value is the tuple of groups
    its word is in."""
    tags: dict[str, list[str]] = {}
    for tag, (words, clitics) in groups.items():
        for w in words:
            for clitic in clitics:
                tags.setdefault(f"#{clitic}{w.replace(' ', '#')}#", []).append(tag)
    auto = ahocorasick.Automaton()
    for pattern, its in tags.items():
        auto.add_word(pattern, tuple(its))
    auto.make_automaton()
    return auto


def _norm(words: dict[str, tuple[str, str]]) -> dict[str, tuple[str, str]]:
    return {normalize_name(k): v for k, v in words.items()}


# Cue words before a name: (level, kind) they point to; "" = no preference.
PLACE_CUES: dict[str, tuple[str, str]] = _norm({
    "مدينة": ("populated_place", ""), "مدينتي": ("populated_place", ""),
    "مدن": ("populated_place", ""), "بلدة": ("populated_place", ""),
    "بلدتي": ("populated_place", ""), "بلدات": ("populated_place", ""),
    "قرية": ("populated_place", ""), "قريتي": ("populated_place", ""),
    "بلدتا": ("populated_place", ""), "قريتا": ("populated_place", ""),
    "مدينتا": ("populated_place", ""), "مزارع": ("populated_place", ""),
    "قرى": ("populated_place", ""), "مزرعة": ("populated_place", ""),
    "حي": ("neighbourhood", ""), "حيي": ("neighbourhood", ""), "أحياء": ("neighbourhood", ""),
    "مخيم": ("", "camp"), "مخيمي": ("", "camp"), "مخيمات": ("", "camp"),
    "محافظة": ("governorate", ""), "محافظتي": ("governorate", ""),
    "محافظات": ("governorate", ""), "ناحية": ("subdistrict", ""), "نواحي": ("subdistrict", ""),
    "منطقة": ("", ""), "مناطق": ("", ""), "ريف": ("region", ""), "أرياف": ("region", ""),
    "ريفي": ("region", ""), "جرود": ("region", ""), "بادية": ("region", ""),
    "سهل": ("", "plain"), "جبل": ("", "mountain"), "جبال": ("", "mountain"),
    "تلة": ("", "hill"), "تل": ("", "hill"), "وادي": ("", "valley"),
    "مطار": ("", "airbase"), "قاعدة": ("", "military_base"), "معبر": ("", "border_crossing"),
    "سجن": ("", "prison"), "حقل": ("", "oil_field"), "حقول": ("", "oil_field"),
    "مطارات": ("", "airbase"),
    "سد": ("", "dam"), "نهر": ("", "river"), "بحيرة": ("", "lake"), "ميناء": ("", "port"),
    "جزيرة": ("", "island"), "قلعة": ("", ""), "ثكنة": ("", "military_base"),
    "معسكر": ("", "military_base"), "اللواء": ("", ""), "مقاطعة": ("region", ""),
    "إقليم": ("region", ""), "العاصمة": ("populated_place", ""), "عاصمة": ("populated_place", ""),
    "قضاء": ("district", ""), "مرتفعات": ("", "mountain"), "هضبة": ("", "plain"),
    "حاجز": ("", "checkpoint"), "حاجزي": ("", "checkpoint"), "حواجز": ("", "checkpoint"),
    "منفذ": ("", "border_crossing"),
})
# How the cue words with a hamza are written (normalised key -> spelling), so that a word
# normalised alike but written otherwise is not taken for the cue («إحياء», reviving).
CUE_SPELLINGS: dict[str, str] = {normalize_name(w): w for w in ("أحياء", "أرياف", "أطراف")}
# Cues whose name may be unknown to the gazetteer and still be a place (قرية حاس).
UNKNOWN_NAME_CUES: frozenset[str] = frozenset(normalize_name(w) for w in (
    "قرية", "قريتي", "بلدة", "بلدتي", "حي", "مخيم", "مطار", "حقل", "تلة", "جبل", "مزرعة",
    "قرى", "بلدات", "تل", "أحياء", "حيي", "مخيمي", "بلدتا", "قريتا", "حاجز", "حاجزي", "مدينة",
    "مدينتي", "مدينتا"))
# Of those, the cues of cities: every Syrian city is in the gazetteer, so a city it lacks is
# taken only with a country the sentence gives (its nisba, «مدينة سوروتش التركية», or the
# sentence's country), never put in Syria by default.
CITY_CUES: frozenset[str] = frozenset(normalize_name(w) for w in ("مدينة", "مدينتي", "مدينتا"))
# Plural and dual cues: their list of names shares them (أحياء جوبر والقدم والتضامن).
PLURAL_CUES: frozenset[str] = frozenset(normalize_name(w) for w in (
    "مدن", "بلدات", "قرى", "أحياء", "مخيمات", "محافظات", "مناطق", "بلدتي", "قريتي", "مدينتي",
    "محافظتي", "حيي", "مخيمي", "ريفي", "أرياف", "نواحي", "جبال", "حقول", "مطارات", "بلدتا",
    "قريتا", "مدينتا", "مزارع", "حاجزي", "حواجز"))
# Cues naming two places (بلدتي كفريا والفوعة).
DUAL_CUES: frozenset[str] = frozenset(normalize_name(w) for w in (
    "بلدتي", "قريتي", "مدينتي", "محافظتي", "حيي", "مخيمي", "بلدتا", "قريتا", "مدينتا", "حاجزي"))


def is_feminine_cue(cue: str) -> bool:
    """True for a singular feminine cue word, normalised (قرية، بلدة، مدينة، تلة): an adjective
    after it agrees with it in the feminine."""
    return cue.endswith("ه")


# Generic place nouns with the article: they refer back to a place, they never name one.
GENERIC_PLACE_NOUNS: frozenset[str] = frozenset(normalize_name(w) for w in (
    "المدينة", "المحافظة", "البلدة", "القرية", "المنطقة", "الحي", "المخيم", "الناحية", "الريف",
    "العاصمة", "البلاد", "الدولة", "المركز", "الضاحية", "الأرياف", "الحدود", "البلدات", "المدن",
    "القرى", "الأحياء", "المخيمات", "المناطق", "الجبهة", "الساحل", "الداخل", "الخارج", "المزرعة",
    # anaphora and ordinals («مزرعة الأخير»: the latter's farm)
    "الأخير", "الأخيرة", "الأول", "الأولى", "الثاني", "الثانية", "الثالث", "الثالثة", "نفسه",
    "نفسها", "ذاته", "ذاتها", "المذكور", "المذكورة"))

# Prepositions and particles: before a word, evidence of a place (في دوما، إلى الباب); the
# locative ones say more than the others (من الرز: "some rice").
LOCATIVE_PREPOSITIONS: frozenset[str] = frozenset(normalize_name(w) for w in (
    "في", "إلى", "الى", "نحو", "باتجاه", "اتجاه", "قرب", "داخل", "خارج", "أطراف", "محيط",
    "ضواحي", "مشارف", "تجاه", "شمال", "جنوب", "شرق", "غرب", "شمالي", "جنوبي", "شرقي", "غربي",
    "وسط", "مدخل", "أهالي", "سكان", "أبناء", "محيطي"))
PREPOSITIONS: frozenset[str] = LOCATIVE_PREPOSITIONS | frozenset(normalize_name(w) for w in (
    "من", "على", "عن", "عند", "حول", "بين", "عبر", "حتى", "منذ", "لدى", "مع"))
# Verbs of saying: the name right after one is its subject, a person («قال البحرة»).
SPEECH_VERBS: frozenset[str] = frozenset(normalize_name(w) for w in (
    "قال", "قالت", "أضاف", "أضافت", "تابع", "تابعت", "أوضح", "أوضحت", "أكد", "أكدت", "أفاد",
    "أفادت", "صرح", "صرحت", "اعتبر", "اعتبرت", "أشار", "أشارت", "يقول", "تقول", "يضيف", "أردف",
    "استطرد", "ختم", "نفى", "نفت"))
# Words that make the next (feminine) nisba an adjective, not a country (جنسيات غير سورية).
ADJECTIVE_INTRODUCERS: frozenset[str] = frozenset(normalize_name(w) for w in ("غير", "شبه"))

# Relations between a name X and a following place Y: how strongly Y places X.
# (tokens between X and Y, normalised) -> (relation, strength); ريف/محافظة … are cue words of Y.
RELATION_WORDS: dict[str, tuple[str, float]] = {normalize_name(k): v for k, v in {
    "في": ("in", 0.7), "من": ("in", 0.4), "ب": ("in", 0.7), "التابعة": ("in", 1.0),
    "التابع": ("in", 1.0), "قرب": ("near", 0.8), "بالقرب": ("near", 0.8), "بمحيط": ("near", 0.7),
    "محيط": ("near", 0.7), "أطراف": ("near", 0.7), "بأطراف": ("near", 0.7),
    "ضواحي": ("near", 0.7), "شمال": ("near", 0.8), "جنوب": ("near", 0.8), "شرق": ("near", 0.8),
    "غرب": ("near", 0.8), "شمالي": ("near", 0.8), "جنوبي": ("near", 0.8),
    "شرقي": ("near", 0.8), "غربي": ("near", 0.8), "شمال شرق": ("near", 0.8),
    "شمال غرب": ("near", 0.8), "جنوب شرق": ("near", 0.8), "جنوب غرب": ("near", 0.8),
    "شمال شرقي": ("near", 0.8), "شمال غربي": ("near", 0.8), "جنوب شرقي": ("near", 0.8),
    "جنوب غربي": ("near", 0.8), "الواقعة": ("in", 0.6), "الواقع": ("in", 0.6),
    "القريبة": ("near", 0.8), "القريب": ("near", 0.8),  # قدسيا القريبة من الهامة
    "داخل": ("in", 0.8), "وسط": ("in", 0.8)}.items()}
# Words that may sit inside a relation without changing it (في ريف حلب الشمالي: ريف is Y's cue).
RELATION_FILLERS: frozenset[str] = frozenset(normalize_name(w) for w in (
    "من", "ل", "لل", "في", "كم", "كيلومتر", "كيلومترات", "مدينة", "بلدة", "قرية", "ريف",
    "محافظة", "منطقة", "ناحية", "مركز", "قضاء", "مسافة"))

# Head words of organisation, unit and media names: a name after one, in the same noun phrase,
# is part of the organisation's name (لواء الرضا، مكتب أخبار سوريا، شبكة حلب نيوز).
ORG_HEADS: frozenset[str] = frozenset(normalize_name(w) for w in (
    "لواء", "ألوية", "كتيبة", "كتائب", "فيلق", "حركة", "جبهة", "هيئة", "الهيئة", "حزب", "تجمع",
    "فرقة", "سرايا", "جيش", "تنظيم", "فصيل", "فصائل", "مجلس", "غرفة", "قوات", "جماعة",
    "اتحاد", "تيار", "ائتلاف", "منظمة", "جمعية", "وكالة", "صحيفة", "قناة", "إذاعة", "جامعة",
    "نادي", "فريق", "منتخب", "مرصد", "المرصد", "شركة", "بنك", "مصرف", "مكتب", "مجموعة",
    "شبكة", "موقع", "المقاومة", "مقاومة", "رابطة", "تنسيقية", "تنسيقيات", "لجان", "لجنة",
    "مؤسسة", "مجلة", "تلفزيون", "راديو", "ولاية", "غرفة عمليات", "عمليات", "المكتب",
    "المجموعة", "الشبكة", "قانون"))
ORG_HEAD, NAME_CUE = "org_head", "name_cue"  # the groups word_marks finds
_CLITICS = ("", "و", "ف", "ب", "ل", "ك", "وب", "ول", "فب", "فل", "لل")
# What may stand before a cue word: not ك ("like"). «كتلة» is a bloc, not ك + «تلة» (a hill),
# and «like a village» does not introduce a place's name.
CUE_CLITICS = tuple(c for c in _CLITICS if "ك" not in c)
_MARKS_FINDER = _finder({ORG_HEAD: (ORG_HEADS, _CLITICS), NAME_CUE: (UNKNOWN_NAME_CUES, CUE_CLITICS)})


@lru_cache(maxsize=4)  # the tokens and the unknown-name finder of one text ask in turn
def word_marks(marked: str) -> dict[str, list[int]]:
    """Where the organisation heads and the unknown-name cues of a boundary-marked text
    (nlp.match.marked_text) end: for each group, the index in the text of the character
    after each word, in order (one pass over the text for both)."""
    marks: dict[str, list[int]] = {ORG_HEAD: [], NAME_CUE: []}
    for last, tags in _MARKS_FINDER.iter(marked):
        for tag in tags:
            marks[tag].append(last - 1)
    return marks
FRONT_WORDS = frozenset(("جبهه", "جبهات", "محور", "محاور"))  # normalised: «جبهة X», the front at X
ARMY_WORDS = frozenset(("جيش", "قوات", "حكومه", "شعب", "دوله", "رئيس", "وزير", "سفاره", "سفير"))
# Common given names (written by hand from the people Syrian news names most; approximate, not a
# census). A place name right after one is a surname: «أكرم حسو», «هادي البحرة», «حسن نصر
# الله». Left out: names that are also words used before a place («لصالح إيران», «نصر حلب»,
# «جمال دمشق», «أمل سوريا», «مجد», «سلام», «جهاد», «مالك», «سعيد», «تركي», «بندر»), verbs
# («رفعت طهران شكوى», «رنا»), and «علي», which normalised is the preposition «على».
GIVEN_NAMES: frozenset[str] = frozenset(normalize_name(w) for w in (
    "محمد", "أحمد", "حسن", "حسين", "محمود", "مصطفى", "خالد", "عمر", "عمار", "أكرم",
    "سمير", "سليم", "رياض", "فيصل", "زهير", "نبيل", "وليد", "هشام", "ماهر", "بشار", "حافظ",
    "رامي", "عماد", "فادي", "سامي", "يوسف", "إبراهيم", "موسى", "عيسى", "سليمان",
    "داود", "طارق", "زياد", "ناصر", "منصور", "عبدالله", "عدنان", "عثمان", "سعد", "رائد",
    "أسامة", "ياسر", "فراس", "باسل", "نادر", "مهند", "صلاح", "أنس", "معاذ", "حمزة", "بلال",
    "أيمن", "إياد", "نزار", "وائل", "بسام", "هيثم", "مازن", "لؤي", "قاسم", "جاسم", "حازم",
    "رضوان", "مروان", "غسان", "ميشال", "جورج", "بطرس", "هادي", "حسان", "عصام", "هاني", "شادي",
    "فهد", "سلمان", "نايف", "سعود", "ماجد", "نواف", "رزان", "ريم", "هالة", "سلمى", "فاطمة",
    "زينب", "مريم", "لينا", "سهير", "جبران", "نجيب", "وجيه", "فواز", "كنان",
    "عبدالرحمن", "عبدالعزيز", "عبدالكريم", "عبدالحليم", "عبدالباسط", "عبدالقادر", "جون", "صدام",
    "سيرغي", "فلاديمير", "دونالد", "باراك", "رجب", "حيدر", "نوري", "مقتدى", "ستيفان"))
# Titles before a person named by the given name alone: what follows that name is no surname.
FIRST_NAME_TITLES: frozenset[str] = frozenset(normalize_name(w) for w in (
    "الملك", "الملكة", "السلطان", "البابا", "الأمير"))

# Words that end a noun phrase: no organisation name runs across them.
PHRASE_BREAKS: frozenset[str] = frozenset(normalize_name(w) for w in (
    "في", "من", "إلى", "الى", "على", "عن", "مع", "حول", "قرب", "داخل", "خارج", "بين", "عند",
    "نحو", "ضد", "منذ", "عبر", "لدى", "حتى", "تجاه", "و", "أو", "ثم", "إن", "أن", "قال",
    "قالت", "الذي", "التي", "الذين"))

# Organisation names that contain a place-like word; their span is never a place.
_ORG_NAMES = (
    "هيئة تحرير الشام", "حزب الله", "جبهة النصرة", "جبهة فتح الشام", "المرصد السوري لحقوق الإنسان",
    "قوات سوريا الديمقراطية", "قوات سورية الديمقراطية", "مجلس سوريا الديمقراطية",
    "مجلس سورية الديمقراطية", "الجيش السوري الحر", "الجيش الحر", "أحرار الشام", "جيش الإسلام",
    "فيلق الرحمن", "فيلق الشام", "جيش إدلب الحر", "الائتلاف الوطني السوري", "الحرس الثوري",
    "تنظيم الدولة", "الدولة الإسلامية", "جيش سوريا الجديد", "جيش مغاوير الثورة",
    "مجلس منبج العسكري", "مجلس دير الزور العسكري", "جيش خالد بن الوليد", "لواء القدس",
    "لواء فاطميون", "لواء زينبيون", "جند الأقصى", "الحزب الإسلامي التركستاني",
    "حركة نور الدين الزنكي", "الجبهة الوطنية للتحرير", "الجيش الوطني السوري",
    "وكالة سانا", "سانا", "التلفزيون السوري", "قناة الجزيرة", "الجزيرة نت", "الجزيرة مباشر",
    "شبكة شام", "بلدي نيوز", "تلفزيون سوريا", "سوريا مباشر", "الشرق الأوسط", "أجناد الشام",
    "ثوار الشام", "الدرر الشامية", "اتفاق أستانة", "مسار أستانة", "مؤتمر جنيف", "صحيفة الشرق الأوسط",
    "محادثات جنيف", "مفاوضات جنيف", "جنيف 2", "اتفاقية سوتشي", "اتفاق سوتشي", "بلاد الشام",
    "الأمم المتحدة", "جامعة الدول العربية", "الاتحاد الأوروبي", "مجلس الأمن",
    "الشبكة السورية لحقوق الإنسان", "الواشنطن بوست", "جيروزاليم بوست", "نيويورك تايمز",
)
ORG_NAMES: tuple[str, ...] = tuple(normalize_name(n) for n in _ORG_NAMES)

# Separators that join the items of a list of places (، و).
LIST_JOINERS: frozenset[str] = frozenset({"،", ",", "و", "-", "/", "\"", "«", "»", ":", "(", ")"})
DIRECTIONS: dict[str, str] = {normalize_name(k): v for k, v in {
    "الشرقي": "eastern", "الغربي": "western", "الشمالي": "northern", "الجنوبي": "southern",
    "الشرقية": "eastern", "الغربية": "western", "الشمالية": "northern", "الجنوبية": "southern",
    "الأوسط": "central", "الوسطى": "central"}.items()}

# Nisba adjectives of Syrian cities whose form is not the regular one (حماة -> الحموي).
CITY_NISBAS: dict[str, str] = {normalize_name(k): v for k, v in {
    "الدمشقي": "SY01", "الدمشقية": "SY01", "الحلبي": "SY02", "الحلبية": "SY02",
    "الحمصي": "SY04", "الحمصية": "SY04", "الحموي": "SY05", "الحموية": "SY05",
    "الإدلبي": "SY07", "الإدلبية": "SY07", "الديري": "SY09", "الديرية": "SY09",
    "الرقاوي": "SY11", "الرقاوية": "SY11", "الحسكاوي": "SY08", "الدرعاوي": "SY12",
    "اللاذقاني": "SY06", "الطرطوسي": "SY10", "السويداوي": "SY13"}.items()}


@dataclass(frozen=True, slots=True)
class Role:
    """What a word (with or without its clitics) is to the names around it."""

    cue: str = ""  # the cue word it is (normalised, clitics removed), or ""
    level: str = ""
    kind: str = ""
    preposition: bool = False
    locative: bool = False
    org_head: bool = False
    front: bool = False
    army: bool = False
    phrase_break: bool = False
    plural_cue: bool = False


_NO_ROLE = Role()


@lru_cache(maxsize=1 << 17)
def word_role(word: str) -> Role:
    """The role of a word of normalised text, its clitics peeled (بمدينة: the cue مدينة)."""
    from nlp.tokens import strip_clitics

    forms = strip_clitics(word)
    cue = next((f for f in forms if f in PLACE_CUES and word[:len(word) - len(f)] in CUE_CLITICS), "")
    level, kind = PLACE_CUES[cue] if cue else ("", "")
    role = Role(cue=cue, level=level, kind=kind,
                preposition=any(f in PREPOSITIONS for f in forms),
                locative=any(f in LOCATIVE_PREPOSITIONS for f in forms),
                org_head=any(f in ORG_HEADS for f in forms),
                front=any(f in FRONT_WORDS for f in forms),
                army=any(f in ARMY_WORDS for f in forms),
                phrase_break=word in PHRASE_BREAKS,
                plural_cue=any(f in PLURAL_CUES for f in forms))
    return _NO_ROLE if role == _NO_ROLE else role
