"""The word lists agree with each other."""
from __future__ import annotations

from nlp.cues import DUAL_CUES, PLACE_CUES, PLURAL_CUES, UNKNOWN_NAME_CUES


def test_every_list_and_unknown_name_cue_is_a_place_cue():
    assert set(PLACE_CUES) >= (PLURAL_CUES | DUAL_CUES | UNKNOWN_NAME_CUES)
