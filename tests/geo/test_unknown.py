"""Names the gazetteer lacks after a cue: compound names are kept whole, from the shapes of the
gazetteer's own names."""
from __future__ import annotations

from collections import Counter

from geo.geoparse import geoparse
from geo.unknown import COMPOUND_HEADS
from nlp.normalize import normalize_name

# First words of many community names that are adjectives: after a cue they describe it
# («قرية جديدة», a new village; «مشرفة», overlooking), so they begin no unknown name.
ADJECTIVE_HEADS = {"جديده", "مشرفه", "مشيرفه"}
MADE_UP = "الزعتوت"  # a word that is no name and no ordinary word


def test_every_noun_that_begins_many_community_names_runs_on(default_gazetteer):
    firsts = Counter(normalize_name(p.name_ar).split()[0] for p in default_gazetteer.places
                     if p.country == "SY" and p.level == "populated_place"
                     and len(p.name_ar.split()) > 1)
    frequent = {w for w, n in firsts.items() if n >= 10}
    assert "رسم" in frequent
    assert frequent - COMPOUND_HEADS - ADJECTIVE_HEADS == set()


def test_a_name_the_gazetteer_lacks_keeps_all_its_words(default_gazetteer):
    assert not default_gazetteer.candidates(normalize_name(MADE_UP))
    gaz = default_gazetteer
    heads = sorted(h for h in COMPOUND_HEADS if not h.startswith("ال") and "ه" not in h[-1:]
                   and not gaz.candidates(h))  # حزم is a village too: it matches first
    assert len(heads) > 25
    for head in heads:
        text = f"قصف الطيران المروحي قرية {head} {MADE_UP} بريف حلب الشرقي"
        got = [m for m in geoparse(text, gaz) if MADE_UP in m.text]
        assert [(m.text, m.admin1) for m in got] == [(f"{head} {MADE_UP}", "SY-HL")], head
    (m,) = [m for m in geoparse("اشتباكات قرب بلدة خان بني سعد في محافظة حمص", gaz)
            if m.text.startswith("خان")]
    assert m.text == "خان بني سعد"  # a head after a head runs on too
    # a cue that is also a head (تل) inside a name found after another cue adds no name
    texts = [m.text for m in geoparse(f"اشتباكات في قريتي تل {MADE_UP} والفريكة بريف إدلب", gaz)]
    assert texts.count(MADE_UP) == 0 and f"تل {MADE_UP}" in texts


def test_an_adjective_after_a_cue_begins_no_name(default_gazetteer):
    for text in ("أقيمت قرية جديدة في ريف حلب", "سيطروا على تلة مشرفة على الطريق"):
        assert [m.text for m in geoparse(text, default_gazetteer)
                if m.place_id.startswith("unknown")] == [], text


def _unknown(text: str, gaz) -> list[str]:
    """The names the gazetteer lacks that a text gives as places."""
    return [m.text for m in geoparse(text, gaz) if m.place_id.startswith("unknown")]


def _words(gaz, test, n: int = 300) -> list[str]:
    """n ordinary words (no place names) that pass test, spread over the alphabet."""
    words = sorted(w for w in gaz.common_words if test(w) and not gaz.candidates(w))
    return words[::max(1, len(words) // n)][:n]


def test_word_shapes_that_begin_no_name_after_a_cue(default_gazetteer):
    gaz = default_gazetteer
    # «جنود أحياء وجثث»: أحياء is "alive" here, and و joins the next word, which is no name
    nouns = _words(gaz, lambda w: len(w) >= 3 and not w.startswith(("ال", "و")))
    assert len(nouns) == 300
    for w in nouns:
        assert _unknown(f"مقابل الإفراج عن جنود أحياء و{w} لقتلاه", gaz) == [], w
    # «حقل نفطي», «مطار عسكري»: a nisba adjective of an ordinary noun agrees with the cue
    stems = _words(gaz, lambda w: len(w) >= 3 and not w.startswith("ال") and w + "ي" not in gaz.index)
    assert len(stems) == 300
    for w in stems[::2]:
        assert _unknown(f"اتهام الكويت بسرقة حقل {w}ي قرب الحدود", gaz) == [], w
    # «تل يطل على المدينة»: the cue's relative clause begins with a verb
    verbs = _words(gaz, lambda w: w.startswith("ي") and 3 <= len(w) <= 5)
    assert len(verbs) > 50
    for w in verbs:
        assert _unknown(f"يقع المعبد على تل {w} على المدينة", gaz) == [], w
    # «ومدينة حلب (شمالها)»: a word with a pronoun describes the governorate before it
    assert _unknown("بالدفاع عن مدينة الحسكة (شمال شرقي البلاد) ومدينة حلب (شمالها)، وحشد", gaz) == []
    # and a real name after the same cues is still one
    assert _unknown(f"قصف الطيران قرية {MADE_UP} بريف حلب", gaz) == [MADE_UP]
    assert _unknown(f"سيطروا على حقل {MADE_UP} النفطي بريف حمص", gaz) == [MADE_UP]
