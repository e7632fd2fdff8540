"""The geoparser as users rely on it: the sample article, clitics, non-places, the CLI."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from geo.geoparse import geoparse
from nlp.normalize import normalize_name
from snm.settings import REPO

SAMPLE = "homs_deescalation_2017-07"


@pytest.fixture(scope="module")
def sample(shared, need_shared):
    """The user's article and its gold file."""
    text = need_shared(shared / f"samples/{SAMPLE}.txt").read_text(encoding="utf-8")
    gold = json.loads((shared / f"samples/{SAMPLE}.gold.json").read_text(encoding="utf-8"))
    return text, gold


def _overlapping(mentions, start, end):
    return [m for m in mentions if m.start < end and start < m.end]


def _gold_spans(sample, tiers, foreign=False):
    from geo.evaluate import gold_of_named_places
    doc = {"locations": gold_of_named_places(sample[0], sample[1], tiers, foreign=foreign)}
    return doc["locations"]


def test_offsets_point_into_the_original_text(sample, default_gazetteer):
    text = sample[0]
    mentions = geoparse(text, default_gazetteer)
    assert mentions
    assert all(text[m.start:m.end] == m.text for m in mentions)


def test_every_core_place_is_found_with_its_governorate(sample, default_gazetteer):
    mentions = geoparse(sample[0], default_gazetteer)
    spans = _gold_spans(sample, ("core",))
    names = {p["name_ar"] for p in sample[1]["syrian_places"] if p["tier"] == "core"}
    found_names = set()
    for g in spans:
        hits = _overlapping(mentions, g["start"], g["end"])
        assert hits, f"missed {g['text']} at {g['start']}"
        assert hits[0].admin1 == g["admin1"], (g["text"], hits[0])
        assert hits[0].country == "SY"
        found_names.add(g["text"])
    assert names <= found_names, names - found_names  # every core name, each found in place


def test_foreign_places_keep_their_country_and_stay_out_of_syria(sample, default_gazetteer):
    mentions = geoparse(sample[0], default_gazetteer)
    from geo.evaluate import spans_of_names
    for place in sample[1]["foreign_places"]:
        spans = spans_of_names(sample[0], {place["name_ar"]: {}})
        assert spans, place
        for g in spans:
            hits = _overlapping(mentions, g["start"], g["end"])
            assert hits, f"missed {place['name_ar']}"
            assert {m.country for m in hits} == {place["country"]}, hits
            assert all(m.admin1 is None for m in hits)


def test_nothing_is_returned_inside_organisation_names(sample, default_gazetteer):
    text = sample[0]
    mentions = geoparse(text, default_gazetteer)
    for org in sample[1]["not_places"]:
        start = text.find(org["text"])
        assert start >= 0
        while start >= 0:
            assert not _overlapping(mentions, start, start + len(org["text"])), org["text"]
            start = text.find(org["text"], start + 1)


def test_village_tier_and_hamidiyah_in_rural_homs_with_the_default_gazetteer(sample,
                                                                              default_gazetteer):
    mentions = geoparse(sample[0], default_gazetteer)
    for g in _gold_spans(sample, ("village",)):
        hits = _overlapping(mentions, g["start"], g["end"])
        assert hits, f"missed {g['text']}"
        assert hits[0].admin1 == g["admin1"], (g["text"], hits[0])
    hamidiyah = [m for m in mentions if m.text == "الحميدية"]
    assert hamidiyah and all(m.admin1 == "SY-HI" for m in hamidiyah)
    assert all(m.admin1_pcode == "SY04" and m.level == "populated_place" for m in hamidiyah)


def test_names_unknown_to_the_gazetteer_in_a_list_after_rural_x_resolve_to_it(default_gazetteer):
    from nlp.normalize import normalize_name
    assert not default_gazetteer.candidates(normalize_name("الزعرورات"))
    mentions = geoparse('تنتشر في مناطق ريف حمص "الزعرورات، وأم التين"', default_gazetteer)
    (m,) = [m for m in mentions if m.text == "الزعرورات"]
    assert m.name_en == "(in Rural Homs)" and m.admin1 == "SY-HI" and m.confidence < 0.5
    assert m.point == "unit" and "list" in m.basis


@pytest.mark.parametrize("text,name,admin1", [
    ("قصف بحمص", "حمص", "SY-HI"), ("وإدلب تحت القصف", "إدلب", "SY-ID"),
    ("اشتباكات للغوطة الشرقية", "الغوطة الشرقية", "SY-RD"), ("معارك بالرقة", "الرقة", "SY-RA"),
    ("عاد فحمص هادئة", "حمص", "SY-HI"), ("وصل لحمص أمس", "حمص", "SY-HI"),
    ("والرقة مدينة", "الرقة", "SY-RA"), ("وبدير الزور", "دير الزور", "SY-DY"),
    ("في ريف دمشق", "ريف دمشق", "SY-RD"), ("للغوطة", "الغوطة", "SY-RD"),
])
def test_names_with_clitics_are_found(text, name, admin1, default_gazetteer):
    mentions = geoparse(text, default_gazetteer)
    assert len(mentions) == 1, mentions
    assert mentions[0].admin1 == admin1 and mentions[0].name_ar == name


def test_multiword_names_win_over_their_parts(default_gazetteer):
    mentions = geoparse("قصف على الغوطة الشرقية وريف دمشق ودير الزور", default_gazetteer)
    assert [m.name_ar for m in mentions] == ["الغوطة الشرقية", "ريف دمشق", "دير الزور"]


def test_diacritics_and_tatweel_keep_offsets(default_gazetteer):
    text = "غاراتٌ على مدينـــة حِمْصَ وإِدْلِبَ"
    mentions = geoparse(text, default_gazetteer)
    assert [m.admin1 for m in mentions] == ["SY-HI", "SY-ID"]
    assert all(text[m.start:m.end] == m.text for m in mentions)


@pytest.mark.parametrize("text", [
    "إن الحكومة السورية واللبنانية اتفقتا", "قال إن القصف تدمر المنازل", "فتح الباب أمام الحوار",
    "المعارضة السورية والجيش العراقي", "قاتل حزب الله في القصير",
    "أعلنت هيئة تحرير الشام", "سيطر لواء الرضا على الموقع", "وينتظرون دوماً النصر",
])
def test_adjectives_organisations_and_common_words_are_not_places(text, default_gazetteer):
    names = {m.name_ar for m in geoparse(text, default_gazetteer)}
    assert not names & {"سوريا", "لبنان", "تدمر", "الباب", "العراق", "الشام", "دوما"}, names


@pytest.mark.parametrize("text, word", [
    ("قالت الدول إنها ليست في صدد التفاوض الآن", "صدد"),     # in the course of
    ("يسعى النظام إلى خلخلة الصفوف في الجنوب", "خلخلة"),     # unsettling the ranks
    ("نصبت العائلة سرادق العزاء أمام المنزل", "سرادق"),       # the mourning tent
])
def test_a_name_governing_the_definite_noun_after_it_is_a_word(text, word, default_gazetteer):
    assert word not in {m.name_ar for m in geoparse(text, default_gazetteer)}


@pytest.mark.parametrize("text, name", [
    ("تقدم التنظيم نحو مهين التي تبعد عشرة كيلومترات عن القريتين", "مهين"),
    ("تحاصر الفصائل بلدتي الفوعة وكفريا الشيعيتين منذ أشهر", "كفريا"),
])
def test_a_place_before_a_relative_pronoun_or_an_adjective_stays_a_place(text, name,
                                                                          default_gazetteer):
    assert name in {m.name_ar for m in geoparse(text, default_gazetteer)}


@pytest.mark.parametrize("text, surname", [
    ("قال محمد البحرة إن الوفد سيعود إلى جنيف", "البحرة"),
    ("التقى الوزير هادي الزبداني في مكتبه", "الزبداني"),
])
def test_a_place_name_after_a_given_name_is_a_surname(text, surname, default_gazetteer):
    assert surname not in {m.name_ar for m in geoparse(text, default_gazetteer)}


@pytest.mark.parametrize("text, place", [
    ("وصل محمد بن سلمان لروسيا أمس", "روسيا"),          # a clitic: «to Russia»
    ("غزا صدام الكويت عام 1990", "الكويت"),             # a country: the verb's object
    ("وصل الملك سلمان الرياض مساء أمس", "الرياض"),      # a king named by his given name
    ("منذ اجتياح صدام حسين حلب", "حلب"),                # after a full name
])
def test_a_place_after_a_given_name_stays_a_place_when_it_cannot_be_a_surname(
        text, place, default_gazetteer):
    assert place in {m.name_ar for m in geoparse(text, default_gazetteer)}


def test_common_word_names_are_places_with_a_cue_or_in_a_list(default_gazetteer):
    got = [m.name_ar for m in geoparse("سيطر التنظيم على مدينة تدمر ومدينة الباب", default_gazetteer)]
    assert got == ["تدمر", "الباب"]
    got = [m.name_ar for m in geoparse("في حلب وحماة والرقة", default_gazetteer)]
    assert got == ["حلب", "حماة", "الرقة"]


def test_villages_ocha_names_twice_are_known_by_each_name(default_gazetteer):
    # OCHA joins a village's Arabic and older Turkmen or Kurdish names with «_»
    joined = [p for p in default_gazetteer.places if "_" in p.name_ar
              or any("_" in a for a in p.aliases_ar)]
    assert joined == []
    (village,) = [p for p in default_gazetteer.candidates(normalize_name("كورهيوك"))]
    assert village.name_ar == "العميانة" and village.admin1 == "SY-HL"
    got = [(m.name_ar, m.point) for m in geoparse("قصف على قرية كورهيوك", default_gazetteer)]
    assert got == [("العميانة", "place")]


def test_names_known_only_from_joined_names_need_a_cue(default_gazetteer):
    # their parts are often words (السمحة: tolerant): no place without a cue or a located context
    assert geoparse("دعا إلى نشر تعاليم الشريعة السمحة", default_gazetteer) == []
    got = [m.name_ar for m in geoparse("قصفت الطائرات قرية السمحة", default_gazetteer)]
    assert got == ["السمحة"]


def test_villages_are_known_with_the_article_too(default_gazetteer):
    # OCHA writes قرقور, the news «القرقور»: every one-word community is known both ways, as
    # long as no other place already has the form with the article
    gaz = default_gazetteer
    ocha = [p for p in gaz.places if p.place_id.startswith("C") and p.level == "populated_place"
            and " " not in p.name_ar and not p.name_ar.startswith("ال") and len(p.name_ar) >= 3]
    for p in ocha[::20]:
        key = normalize_name("ال" + p.name_ar)
        named_so = [c for c in gaz.candidates(key) if c not in ocha]  # e.g. by their own name
        assert (p in gaz.candidates(key)) == (not named_so and key not in gaz.common_words), p.name_ar
    (village,) = [p for p in gaz.candidates(normalize_name("القرقور"))]
    assert village.name_ar == "قرقور" and village.admin1 == "SY-HM"


def test_names_known_only_with_the_article_added_need_a_fitting_cue(default_gazetteer):
    # «الدقماق» is the village دقماق with the article: a place after a cue that fits a village,
    # not after «مناطق» (areas); «الصراع» (the conflict) is an ordinary word, not the village صراع
    assert geoparse("تواصلت معهم التنظيمات في مناطق الدقماق", default_gazetteer) == []
    got = [(m.name_ar, m.admin1) for m in geoparse("قصفت الطائرات قرية الدقماق في سهل الغاب",
                                                   default_gazetteer)]
    assert got[0] == ("دقماق", "SY-HM")
    assert [p.name_ar for p in default_gazetteer.candidates(normalize_name("الصراع"))] == []


def test_a_word_that_cannot_be_a_place_is_no_context_for_other_names(default_gazetteer):
    # «في مناطق الصراع» (in the conflict areas) once put homonyms in Idlib, by the village صراع:
    # villages whose names are ordinary words, after a cue that does not fit them
    from geo.acceptance import CUE, needed
    gaz = default_gazetteer
    words = sorted(k for k, w in gaz.wordiness.items() if needed(w) >= CUE and k in gaz.common_words
                   and [p.level for p in gaz.candidates(k)] == ["populated_place"])
    assert len(words) > 50
    for key in words[:40]:
        village = gaz.candidates(key)[0]
        for name in ("البرج", "الخالدية", "الحسينية"):
            alone = geoparse(f"قصفت الطائرات بلدة {name}", gaz)
            (m,) = geoparse(f"قصفت الطائرات بلدة {name} في مناطق {village.name_ar}", gaz)
            assert (m.name_ar, m.admin1) == (alone[0].name_ar, alone[0].admin1), village.name_ar


def test_the_dual_of_a_region_names_the_region(default_gazetteer):
    got = [(m.name_en, m.level, m.admin1) for m in geoparse("اشتباكات على جبهات الغوطتين",
                                                            default_gazetteer)]
    assert got == [("Ghouta", "region", "SY-RD")]


def test_cue_chooses_the_governorate(default_gazetteer):
    (m,) = geoparse("في محافظة حمص", default_gazetteer)
    assert m.level == "governorate" and m.admin1 == "SY-HI" and m.admin1_pcode == "SY04"
    (m,) = geoparse("في مدينة حمص", default_gazetteer)
    assert m.level == "populated_place"


def test_mentions_carry_the_documented_fields(default_gazetteer):
    (m,) = geoparse("دخلت القوات مدينة دوما", default_gazetteer)
    d = m.to_dict()
    for key in ("text", "start", "end", "place_id", "name_ar", "name_en", "level", "country",
                "admin1", "admin1_pcode", "lat", "lon", "confidence"):
        assert key in d
    assert d["country"] == "SY" and d["admin1"] == "SY-RD" and 0 < d["confidence"] <= 1
    assert 33 < d["lat"] < 34 and 36 < d["lon"] < 37


def test_import_pulls_no_heavy_or_downloading_modules():
    code = ("import sys, geo.geoparse; bad = [m for m in sys.modules if m.split('.')[0] in "
            "('torch', 'transformers') or m.startswith(('camel_tools.morphology', "
            "'camel_tools.disambig', 'camel_tools.ner'))]; print(bad); sys.exit(1 if bad else 0)")
    r = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
