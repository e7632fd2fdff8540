"""Names the gazetteer lacks, that the sentence still shows to be places.

«قرية حاس», «بلدتي كفريا والفوعة», «بلدة الهبيط بريف إدلب»: a cue word (قرية، بلدة، حي، مخيم،
مطار، حقل، تلة، جبل …) introduces a name that is not an ordinary word. Such a name is returned
as a mention of the most specific unit the context supports (a sub-district, district or
governorate), flagged so, with low confidence — never as an invented village point.
"""
from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass

from nlp.cues import (
    DUAL_CUES,
    GENERIC_PLACE_NOUNS,
    NAME_CUE,
    ORG_HEADS,
    PLACE_CUES,
    PLURAL_CUES,
    PREPOSITIONS,
    UNKNOWN_NAME_CUES,
    is_feminine_cue,
    word_marks,
)
from nlp.match import marked_text
from nlp.tokens import Tokens, strip_clitics

# First words of compound village names: the name runs on to the next word (أم التين، تل رفعت).
# Every noun that begins ten or more of the gazetteer's community names is one (رسم begins 86:
# «قرية رسم العبود»), not the adjectives among them («قرية جديدة»: a new village);
# tests/geo/test_unknown.py checks the gazetteer against this list.
COMPOUND_HEADS = frozenset(("ام", "ابو", "تل", "عين", "دير", "بيت", "كفر", "خربه", "جسر", "راس",
                            "الشيخ", "بني", "بئر", "بير", "حوش", "مزرعه", "عرب", "قصر", "وادي",
                            "جب", "ظهر", "تله", "سد", "نبع", "كوم", "زور", "حزم", "مغاره",
                            "رسم", "شيخ", "خراب", "باب", "رجم", "برج", "خان", "قلعه", "دوير",
                            "مرج", "ضهر"))
MIN_LETTERS = 3
PRONOUN_SUFFIXES = ("ها", "هم", "هما", "كم", "هن")  # no name ends so (قرى تسكنها)

LIST_CUES = DUAL_CUES | PLURAL_CUES  # cues whose names run on as a list
# Cues that are also ordinary nouns (حاجز: a barrier too). The name right after one must be
# definite and not an ordinary word: «حاجز الحوش», not «حاجز أمني» (a security checkpoint),
# «حاجز مطل» (an overlooking one) or «حاجز الأسلاك» (a wire barrier).
STRICT_CUES = frozenset(("حاجز", "حاجزي"))


@dataclass(frozen=True)
class UnknownName:
    """A name introduced by a cue, at [start, end) of the normalised text."""

    start: int
    end: int
    cue: str
    level: str
    kind: str
    group: int = 0  # names of one list share a group (and the place the sentence gives it)


def _is_name_word(word: str, common: frozenset[str], cue: str = "") -> bool:
    """A word that can be (part of) a name: not a preposition, cue or digit, and not an ordinary
    indefinite word (قرية صغيرة). A definite word after an indefinite cue cannot be its
    adjective, so it is a name (قرية الإمام); after تلة/تل/جبل a masculine noun is too
    (تلة عثمان; the adjective of تلة would end in ة)."""
    if (len(word) < MIN_LETTERS or word in PREPOSITIONS or word in PLACE_CUES or word.isdigit()
            or word in GENERIC_PLACE_NOUNS or word.endswith(PRONOUN_SUFFIXES)):
        return False  # …, and words with a pronoun (قرى تسكنها، لإبعادهم) are no names
    if word.startswith("ال") and word.endswith("تين"):
        return False  # بلدتي نبل والزهراء والمحاصرتين: "and the two besieged" (a dual adjective)
    if is_feminine_cue(cue) and not word.startswith("ال") and word.endswith("يه") and len(word) >= 5:
        return False  # قرية درزية: a Druze village (an indefinite nisba agreeing with the cue)
    if word.startswith("ل") and word[1:] in ORG_HEADS:
        return False  # حاجز لجبهة النصرة: a checkpoint of an organisation
    if word.startswith("و") and word[1:] in common:
        return False  # «جنود أحياء وجثث»: living soldiers and corpses (أحياء: alive, not quarters)
    if word.startswith("و") and word.endswith("وا") and len(word) >= 5:
        return False  # «كل إنسان حي واذكروا»: «and» and a verb in the plural (not «شارلوا»)
    if (not is_feminine_cue(cue) and not word.startswith("ال") and word.endswith("ي")
            and len(word) >= 4 and word[:-1] in common):
        return False  # «حقل نفطي»: an oil field (an indefinite nisba agreeing with the cue)
    if cue in STRICT_CUES:
        return word.startswith("ال") and word not in common
    if word not in common:
        return True
    if word.startswith("ال") and word.endswith(("ين", "ون")) and cue in PLURAL_CUES:
        return False  # أحياء المدنيين: the quarters of the civilians
    if word.startswith("ال") and len(word) > 4 and cue != "":
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
    compound = _compound(tok, i, tok.word(i))
    if compound is not None:
        return compound
    word = tok.word(i)
    if (word.startswith("ي") and word in common and i + 1 < len(tok)
            and tok.word(i + 1)[:3] in ("على", "علي")):
        return None  # «تل يطل على المدينة», «قرية يسيطر عليها»: a verb, the cue's relative clause
    return (i, i + 1) if _is_name_word(word, common, cue) else None


def _compound(tok: Tokens, i: int, first: str) -> tuple[int, int] | None:
    """Word span [i, j) of a compound name whose first word (`first`, without its و) is a
    head (تل رفعت، خان بني سعد: a head after a head runs on too), or None."""
    word, j = first, i
    while word in COMPOUND_HEADS and j + 1 < len(tok) and j - i < 2 and not tok.gap(j, j + 1).strip():
        word = tok.word(j + 1)
        if len(word) < 2 or word in PREPOSITIONS or word in PLACE_CUES:
            break
        j += 1
    return (i, j + 1) if j > i else None


class Claimed:
    """Spans of text that mentions already claim, asked about overlaps in logarithmic time."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        """Index the [start, end) spans."""
        self.spans = sorted(spans)
        self.starts = [s for s, _ in self.spans]
        self.reach: list[int] = []  # the furthest end among the spans up to each one
        for _s, e in self.spans:
            self.reach.append(max(e, self.reach[-1]) if self.reach else e)

    def until(self, a: int, b: int) -> int:
        """The furthest end of the spans overlapping [a, b), or -1 when none does."""
        k = bisect_right(self.starts, b - 1) - 1
        end = -1
        while k >= 0 and self.reach[k] > a:
            if self.spans[k][1] > a:
                end = max(end, self.spans[k][1])
            k -= 1
        return end


def find_unknown(tok: Tokens, covered: list[tuple[int, int]], common: frozenset[str],
                 is_cue_as_written: Callable[[int, str], bool] = lambda _i, _cue: True
                 ) -> list[UnknownName]:
    """Names after cue words that no resolved mention covers."""
    claimed = Claimed(covered)
    out: list[UnknownName] = []
    group = 0
    seen: set[int] = set()
    for end in word_marks(marked_text(tok.text))[NAME_CUE]:
        i = tok.at(end - 1)
        if i in seen or i >= len(tok) - 1:
            continue
        seen.add(i)
        cue = next((f for f in strip_clitics(tok.word(i)) if f in UNKNOWN_NAME_CUES), None)
        if cue is None or not is_cue_as_written(i, cue):
            continue
        level, kind = PLACE_CUES[cue]
        group += 1
        j = i + 1
        first = True
        while j < len(tok) and (first or cue in LIST_CUES):
            a = tok.starts[j] + (0 if first else 1)  # later items start after their و
            end = claimed.until(a, a + 1)
            if end >= 0:
                j = tok.after(end)
            else:
                name = _name_after(tok, j, common, cue) if first else _next_item(tok, j, common, cue)
                if name is None:
                    break
                b = tok.ends[name[1] - 1]
                out.append(UnknownName(a, b, cue, level, kind, group))
                seen.update(range(name[0], name[1]))  # «قرية تل X»: تل is no cue of its own here
                j = name[1]
            first = False
            if j >= len(tok) or not _joins(tok, j):
                break
    return out


def _joins(tok: Tokens, j: int) -> bool:
    """True when word j continues a list: «… وY» or «…، Y»."""
    gap = tok.gap(j - 1, j)
    return (tok.word(j).startswith("و") and not gap.strip() and len(tok.word(j)) > 3) or gap.strip() == "،"


def _next_item(tok: Tokens, j: int, common: frozenset[str], cue: str) -> tuple[int, int] | None:
    """The next list item at word j (its leading و is not part of the name)."""
    word = tok.word(j)
    rest = word[1:] if word.startswith("و") else word
    if not _is_name_word(rest, common, ""):
        return None  # later items have no cue right before them: ordinary words end the list
    return _compound(tok, j, rest) or (j, j + 1)
