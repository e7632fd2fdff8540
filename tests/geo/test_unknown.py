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
