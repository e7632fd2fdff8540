"""Names the gazetteer lacks, that the sentence still shows to be places.

«قرية حاس», «بلدتي كفريا والفوعة», «بلدة الهبيط بريف إدلب»: a cue word (قرية، بلدة، حي، مخيم،
مطار، حقل، تلة، جبل …) introduces a name that is not an ordinary word. Such a name is returned
as a mention of the most specific unit the context supports (a sub-district, district or
governorate), flagged so, with low confidence — never as an invented village point.
"""
from __future__ import annotations

from dataclasses import dataclass

from nlp.cues import DUAL_CUES, PLACE_CUES, PREPOSITIONS, UNKNOWN_NAME_CUES
from nlp.tokens import Tokens, strip_clitics

# First words of compound village names: the name runs on to the next word (أم التين، تل رفعت).
COMPOUND_HEADS = frozenset(("ام", "ابو", "تل", "عين", "دير", "بيت", "كفر", "خربه", "جسر", "راس",
                            "الشيخ", "بني", "بئر", "بير", "حوش", "مزرعه", "عرب", "قصر", "وادي",
                            "جب", "ظهر", "تله", "سد", "نبع", "كوم", "زور", "حزم", "مغاره"))
MIN_LETTERS = 3


@dataclass(frozen=True)
class UnknownName:
    """A name introduced by a cue, at [start, end) of the normalised text."""

    start: int
    end: int
    cue: str
    level: str
    kind: str


def _is_name_word(word: str, common: frozenset[str], cue: str = "") -> bool:
    """A word that can be (part of) a name: not a preposition, cue or digit, and not an ordinary
    indefinite word (قرية صغيرة). A definite word after an indefinite cue cannot be its
    adjective, so it is a name (قرية الإمام); after تلة/تل/جبل a masculine noun is too
    (تلة عثمان; the adjective of تلة would end in ة)."""
    if len(word) < MIN_LETTERS or word in PREPOSITIONS or word in PLACE_CUES or word.isdigit():
        return False
    if word not in common:
        return True
    if word.startswith("ال") and len(word) > 4:
        return True
    return cue in ("تله", "تل", "جبل") and not word.endswith("ه")


def _quoted_name(tok: Tokens, i: int) -> tuple[int, int] | None:
    """Word span of a quoted name right after word i-1 («بردة», "أم القرى"), up to 3 words."""
    gap = tok.gap(i - 1, i)
    if gap.strip() not in ("«", '"', "“"):
        return None
    close = {"«": "»", '"': '"', "“": "”"}[gap.strip()]
    for j in range(i, min(i + 3, len(tok))):
        after = tok.text[tok.ends[j]:tok.starts[j + 1] if j + 1 < len(tok) else len(tok.text)]
        if close in after:
            return i, j + 1
        if after.strip():
            return None
    return None


def _name_after(tok: Tokens, i: int, common: frozenset[str], cue: str) -> tuple[int, int] | None:
    """Word span [i, j) of the name that starts at word i, or None when there is none."""
    if i >= len(tok):
        return None
    quoted = _quoted_name(tok, i)
    if quoted is not None:
        return quoted
    if tok.gap(i - 1, i).strip():
        return None
    first = tok.word(i)
    if first in COMPOUND_HEADS and i + 1 < len(tok) and not tok.gap(i, i + 1).strip():
        second = tok.word(i + 1)
        if len(second) >= 2 and second not in PREPOSITIONS and second not in PLACE_CUES:
            return i, i + 2
    return (i, i + 1) if _is_name_word(first, common, cue) else None


def find_unknown(tok: Tokens, covered: list[tuple[int, int]], common: frozenset[str]
                 ) -> list[UnknownName]:
    """Names after cue words that no resolved mention covers."""
    spans = sorted(covered)
    starts = [s for s, _ in spans]

    def is_covered(a: int, b: int) -> bool:
        from bisect import bisect_right
        k = bisect_right(starts, b) - 1
        while k >= 0 and spans[k][1] > a:
            if spans[k][0] < b:
                return True
            k -= 1
        return False

    out: list[UnknownName] = []
    for i in range(len(tok) - 1):
        forms = strip_clitics(tok.word(i))
        cue = next((f for f in forms if f in UNKNOWN_NAME_CUES), None)
        if cue is None:
            continue
        level, kind = PLACE_CUES[cue]
        name = _name_after(tok, i + 1, common, cue)
        if name is None:
            continue
        a, b = tok.starts[name[0]], tok.ends[name[1] - 1]
        if not is_covered(a, b):
            out.append(UnknownName(a, b, cue, level, kind))
        if cue in DUAL_CUES and name[1] + 1 < len(tok):
            j = name[1]  # «بلدتي كفريا والفوعة»: the second name follows و
            word = tok.word(j)
            if word.startswith("و") and not tok.gap(j - 1, j).strip() and _is_name_word(word[1:], common):
                a2, b2 = tok.starts[j] + 1, tok.ends[j]
                if not is_covered(a2, b2):
                    out.append(UnknownName(a2, b2, cue, level, kind))
    return out
