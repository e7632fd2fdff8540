"""The shape of a word in the original text: what normalisation hides and a name cannot have.

Matching runs on normalised text (alef forms, teh marbuta and alef maksura folded, marks
dropped), so «الأمارات» (signs) meets «الإمارات», «وتلبيسه» (and dressing him) meets
«وتلبيسة», and «دومًا» (always) meets «دوما». These checks look at the characters the
original text really has.
"""
from __future__ import annotations

import re

TANWEEN = frozenset("\u064b\u064c\u064d")
HAMZA_ALEFS = frozenset("أإآ")
_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")


def bare(text: str) -> str:
    """Text without diacritics and tatweel (other letters kept as written)."""
    return _MARKS.sub("", text)


def has_tanween(original: str, start: int, end: int) -> bool:
    """True when the word carries tanween inside the span or right after it: a name does not."""
    return any(ch in TANWEEN for ch in original[start:end + 1])


def hamza_conflict(written: str, names: list[str]) -> bool:
    """True when the text writes a hamza seat (أ إ آ) that no spelling of the name has.

    A bare alef is allowed anywhere (hamzas are often left out); a different explicit hamza is
    a different word: «الأمارات» is not «الإمارات»."""
    written = bare(written)
    spellings = [n for n in map(bare, names) if len(n) == len(written)]
    if not spellings:
        return False  # only spellings of another length: nothing to compare letter by letter
    for i, w in enumerate(written):
        if w in HAMZA_ALEFS:
            explicit = {n[i] for n in spellings if n[i] in HAMZA_ALEFS}
            if explicit and w not in explicit:
                return True  # the name is written with another hamza here (الإمارات, not الأمارات)
            initial = i == 0 or (i == 2 and written.startswith("ال"))
            if not explicit and not initial:
                return True  # a hamza inside the word the name does not have (بدأنا, not ب + دانا)
    return False


def ha_for_ta_marbuta(written: str, names: list[str]) -> bool:
    """True when the text ends the word with ه where every spelling of the name has ة.

    «وتلبيسه» is a verb with a pronoun; «حماه» is Hama only because news spell it so (an alias
    ending in ه lets it through)."""
    written = bare(written)
    if not written.endswith("ه"):
        return False
    return not any(bare(n).endswith("ه") for n in names)


def nisba_of(name: str) -> tuple[str, str]:
    """The definite masculine and feminine nisba adjectives of a place name (سوريا -> السوري,
    السورية; لبنان -> اللبناني; السعودية -> السعودي)."""
    stem = name.strip()
    if stem.startswith("ال"):
        stem = stem[2:]
    for ending in ("يا", "ية", "يه", "ا", "ة", "ه", "ى"):
        if stem.endswith(ending) and len(stem) - len(ending) >= 2:
            stem = stem[: -len(ending)]
            break
    return f"ال{stem}ي", f"ال{stem}ية"
