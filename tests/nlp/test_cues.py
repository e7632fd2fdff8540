"""The word lists agree with each other."""
from __future__ import annotations

from nlp.cues import DUAL_CUES, PLACE_CUES, PLURAL_CUES, UNKNOWN_NAME_CUES


def test_every_list_and_unknown_name_cue_is_a_place_cue():
    assert set(PLACE_CUES) >= (PLURAL_CUES | DUAL_CUES | UNKNOWN_NAME_CUES)


def test_a_cue_is_not_read_through_the_comparison_clitic():
    # «كتلة» (a bloc) is not ك + «تلة» (a hill); و and ب still come off (وتلة، بمدينة)
    from nlp.cues import word_role
    from nlp.normalize import normalize_name
    assert word_role(normalize_name("كتلة")).cue == ""
    assert word_role(normalize_name("وتلة")).cue == normalize_name("تلة")
    assert word_role(normalize_name("بمدينة")).cue == normalize_name("مدينة")


def test_a_bloc_introduces_no_place(default_gazetteer):
    from geo.geoparse import geoparse
    assert geoparse("ألغت كتلة السلام التجمع، وقالت كتلة الأحرار إنها ستشارك", default_gazetteer) == []
