"""Is a matched name a place here? Word shape, organisation names, adjectives and evidence.

A gazetteer name found in a text is a place unless the reader would see at once that it is
not: it is written with a different hamza or with a pronoun ه («وتلبيسه»), it carries tanween
(«دومًا»), it sits inside an organisation's name («مكتب أخبار سوريا»), it is a nisba adjective
(«ليرة سورية», «التجربة السعودية»), or it is an ordinary word («ورقة», «الطبقة المتوسطة») with
no cue, list or relation around it that makes it a place.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Container
from dataclasses import dataclass
from functools import lru_cache

from geo.gazetteer import Gazetteer
from nlp.cues import (
    ADJECTIVE_INTRODUCERS,
    DIRECTIONS,
    FIRST_NAME_TITLES,
    GIVEN_NAMES,
    ORG_HEADS,
    PLACE_CUES,
    PREPOSITIONS,
    SPEECH_VERBS,
    is_feminine_cue,
    word_role,
)
from nlp.match import Span
from nlp.normalize import NormText
from nlp.shape import ha_for_ta_marbuta, hamza_conflict, has_tanween
from nlp.tokens import Tokens, strip_clitics

# Evidence that a name is a place here, weakest to strongest.
NONE, SENTENCE, PREPOSITION, LIST, CUE = 0.0, 1.0, 1.5, 2.0, 3.0
# Wordiness from which a name needs each kind of evidence (geo.prominence).
_NEEDS = ((2.0, CUE), (1.4, LIST), (1.0, PREPOSITION), (0.5, SENTENCE))
PERSON_LINKS = frozenset(("بن", "ابن", "ابو", "ابي", "ام", "بنت", "ال"))  # normalised
_LINKS_AFTER_GIVEN_NAME = frozenset(("بن", "ابن", "ابو"))  # خالد أبو زيد، محمد بن سلمان
_BROKEN_PLURAL = re.compile(r"^..ا..$")  # مصادر، فصائل، مناطق: plural nouns a nisba may follow
_NOUN_ENDINGS = ("ه", "ات", "يه", "ين", "ون", "ي")
_PRONOUNS = ("ها", "هم", "هما", "نا", "كم")  # a noun made definite by a pronoun
# What may follow a place name without being governed by it (see head_of_idafa; normalised)
_RELATIVES = frozenset(("التي", "الذي", "الذين", "اللتين", "اللذين", "اللتان", "اللذان",
                        "اللواتي", "اللاتي"))
_ADJECTIVE_ENDINGS = ("يه", "يتين", "يين", "يون", "يات")
_FULL_NAME_BEFORE = GIVEN_NAMES | FIRST_NAME_TITLES  # a given name after these ends a name
_ORG_LOOKBACK = 5  # words between an organisation head and a name in its name
_ORG_WINDOW = 80  # characters before a name searched for an organisation head
_SHAPE_CHARS = re.compile("[أإآ\u064b-\u064d]")  # what the shape checks look at


@dataclass(frozen=True, slots=True)
class Cue:
    """The cue word before a name, if any: the word, its level and kind, and whether it is
    a preposition only (weak evidence)."""

    word: str = ""
    level: str = ""
    kind: str = ""
    preposition: bool = False
    locative: bool = False  # a preposition of place (في، إلى، قرب …), not من، على …
    index: int = -1  # word index of the cue


NO_CUE = Cue()


def cue_before(tok: Tokens, span: Span) -> Cue:
    """The cue or preposition right before a span (same phrase: only spaces between)."""
    i = tok.before(span.word_start)
    if i < 0 or not tok.adjacent(i, span.word_start):
        return NO_CUE
    word = tok.word(i)
    if i > 0 and word.startswith("ال") and word.endswith(("يه", "ي")) and tok.adjacent(i - 1, tok.starts[i]) \
            and word_role(tok.word(i - 1)).cue:
        i -= 1  # العاصمة الإيرانية طهران، مدينة حلب الشمالية: the cue is before the adjective
        word = tok.word(i)
    role = word_role(word)
    if role.cue:
        return Cue(role.cue, role.level, role.kind, index=i)
    if role.preposition:
        return Cue(word, preposition=True, locative=role.locative, index=i)
    return NO_CUE


def shape_rejects(norm: NormText, span: Span, gaz: Gazetteer) -> bool:
    """True when the written word cannot be this name: tanween, another hamza, ه for ة."""
    start, end = norm.span_to_original(span.start, span.end)
    original = norm.original
    if not _SHAPE_CHARS.search(original, start, end + 1) and original[end - 1:end] != "ه":
        return False  # no hamza seat, no tanween, no final ه: nothing normalisation hid
    if has_tanween(original, start, end):
        return True
    return _spelled_otherwise(original[start:end], gaz.spellings(span.key))


@lru_cache(maxsize=1 << 16)
def _spelled_otherwise(written: str, spellings: tuple[str, ...]) -> bool:
    """True when a written word has a hamza or a final ه that no spelling of the name has
    (the same words come back in every article)."""
    names = list(spellings)
    return hamza_conflict(written, names) or ha_for_ta_marbuta(written, names)


def in_organisation_name(tok: Tokens, span: Span, country: bool = False,
                         is_name: Callable[[str], bool] = lambda _w: False) -> bool:
    """True when a name is the tail of an organisation's name: an organisation head word a few
    words before it in the same noun phrase (مكتب أخبار سوريا، المقاومة السورية لتحرير الجولان).

    Not when the name carries its own preposition (قصف قوات النظام لجبل التركمان), after «جبهة»
    directly (جبهة حندرات: the front at a place), or for a country after an army word (جيش إسرائيل)."""
    if not tok.org_head_before(span.word_start, _ORG_WINDOW):
        return False  # no organisation word in the few words before: the common case, fast
    if any(c in "وبل" for c in tok.text[span.word_start:span.start]):
        return False
    i = tok.before(span.word_start)
    if i >= 0:
        role = word_role(tok.word(i))
        if role.front or (country and role.army):
            return False
    steps = 0
    while i >= 0 and steps < _ORG_LOOKBACK:
        gap = tok.text[tok.ends[i]:tok.starts[i + 1] if i + 1 < len(tok) else span.word_start]
        if gap.strip() not in ("", "«", '"') or "\n" in gap:
            return False
        word = tok.word(i)
        role = word_role(word)
        if word == "اجل" and i > 0 and tok.word(i - 1) == "من":
            i -= 2  # «من أجل» runs on inside a name (مجموعة العمل من أجل فلسطينيي سوريا)
            steps = 0  # and starts a new phrase after a definite noun
            continue
        if role.phrase_break or role.cue or role.preposition:
            return False
        if word[0] == "و" and len(word) > 3 and word[1:] not in ORG_HEADS:
            return False  # و starts a new phrase
        if any(is_name(f) for f in strip_clitics(word)[1:]):
            return False  # بسوريا: a place with its preposition ends the phrase
        if role.org_head:
            return True
        if steps > 0 and word.startswith("ال") and not word.endswith(("ه", "ي", "يه")):
            return False  # a definite noun ends a noun phrase (قوات النظام | قصفت جبل التركمان)
        i -= 1
        steps += 1
    return False


def list_cue(tok: Tokens, span: Span, max_words: int = 12) -> Cue:
    """The plural cue a list item shares when the list starts with one: «قرى الزويك والدويركة
    وساقية الكرت» gives ساقية the cue قرى, even when the names before it are unknown."""
    def joined(i: int) -> bool:
        """Word i starts a later item of a list (… وX، or …، X)."""
        return i > 0 and (tok.word(i).startswith("و") or tok.gap(i - 1, i).strip() == "،") \
            and "\n" not in tok.gap(i - 1, i)

    def cue_at(i: int) -> Cue | None:
        """The plural cue at word i, if it is one."""
        if i < 0 or tok.gap(i, i + 1).strip():
            return None
        role = word_role(tok.word(i))
        return Cue(role.cue, role.level, role.kind, index=i) if role.plural_cue else None

    i = tok.at(span.word_start)
    if not joined(i):
        return NO_CUE
    for _ in range(max_words // 2):
        # the item before word i is one or two words long, after the cue or after a joiner
        for size in (1, 2):
            start = i - size
            if start < 0:
                return NO_CUE
            cue = cue_at(start - 1)
            if cue is not None:
                return cue
            if joined(start):
                i = start
                break
        else:
            return NO_CUE
    return NO_CUE


def head_of_idafa(tok: Tokens, span: Span, place_keys: Container[str] = (),
                  strict: bool = False) -> bool:
    """True when an indefinite one-word name is followed by a definite noun it governs: «في كسب
    الأعضاء» (gaining members), «بحياكة المشاهد»; a place name is rarely the head of such a pair.
    `strict` (for names that read as words less often): not before a relative pronoun or a
    nisba-shaped adjective, which follow place names too («ومهين التي تبعد», «كفريا الشيعيتين»)."""
    if " " in span.key or span.key.startswith("ال"):
        return False
    j = tok.after(span.end)
    if j >= len(tok) or tok.text[span.end:tok.starts[j]] != " ":
        return False
    nxt = tok.word(j)
    if nxt in place_keys:
        return True  # «ملالي طهران»: a noun governing the place after it
    if strict and (nxt in _RELATIVES or nxt.endswith(_ADJECTIVE_ENDINGS)):
        return False
    return nxt.startswith("ال") and len(nxt) > 3 and nxt not in DIRECTIONS


def is_cue_before_a_name(tok: Tokens, span: Span) -> bool:
    """True when the matched name is itself a cue word followed by a name (تلة عثمان: تلة is not
    the village Talleh here)."""
    if span.key not in PLACE_CUES:
        return False
    j = tok.after(span.end)
    return j < len(tok) and not tok.text[span.end:tok.starts[j]].strip() and tok.word(j) not in PREPOSITIONS


def after_person_link(tok: Tokens, span: Span, country: bool = False) -> bool:
    """True when a name follows بن/أبو/أم…: it is part of a person's name (أنس بن مالك), or is
    the nisba surname after a kunya (أبو إبراهيم الجسري); or follows a given name, as a surname
    («أكرم حسو»), unless it is a country («غزا صدام الكويت»: a surname rarely is), carries a
    clitic («محمد بن سلمان لروسيا»), or the given name ends a full name («صدام حسين») or a
    king's («الملك سلمان»)."""
    i = _adjacent_before(tok, span)
    if i < 0:
        return False
    if tok.word(i) in PERSON_LINKS:
        return True
    if tok.word(i) in GIVEN_NAMES and span.word_start == span.start and not country:
        return not (i > 0 and not tok.gap(i - 1, i).strip()
                    and tok.word(i - 1) in _FULL_NAME_BEFORE)
    return (span.key.startswith("ال") and span.key.endswith("ي") and i > 0
            and not tok.gap(i - 1, i).strip() and tok.word(i - 1) in PERSON_LINKS)


def before_person_link(tok: Tokens, span: Span) -> bool:
    """True when a name is followed by «أبو»/«بن» and another word: it is a given name
    («خالد أبو زيد», «محمد بن سلمان»)."""
    j = tok.after(span.end)
    return (j + 1 < len(tok) and not tok.text[span.end:tok.starts[j]].strip()
            and tok.word(j) in _LINKS_AFTER_GIVEN_NAME and not tok.gap(j, j + 1).strip())


def said_by(tok: Tokens, span: Span) -> bool:
    """True when a name comes right after a verb of saying, as its subject: «قال البحرة»,
    «وأضاف العيساوي»."""
    i = _adjacent_before(tok, span)
    return i >= 0 and any(f in SPEECH_VERBS for f in strip_clitics(tok.word(i)))


def _adjacent_before(tok: Tokens, span: Span) -> int:
    """Index of the word right before the span with only a space (or a dash) between, or -1."""
    i = tok.before(span.word_start)
    if i < 0 or tok.text[tok.ends[i]:span.word_start].strip(" -–") != "":
        return -1
    return i


def is_nisba_adjective(tok: Tokens, span: Span, written: str) -> bool:
    """True when the name reads as a nisba adjective of the noun before it: «ليرة سورية»,
    «جنسيات غير سورية», «مصادر سورية», «التجربة السعودية», «خطة أميركية - تركية»."""
    bare = written.strip()
    if " " in span.key or not bare.endswith(("ية", "يه", "ي")):
        return False
    if span.word_start < span.start:
        # «التخريبية والتآمرية»: a nisba joined by و to the nisba before it
        i = tok.before(span.word_start)
        clitic = tok.text[span.word_start:span.start]
        return (clitic == "و" and i >= 0 and not tok.text[tok.ends[i]:span.word_start].strip()
                and tok.word(i).startswith("ال") and tok.word(i).endswith(("يه", "ي"))
                and tok.word(i) not in DIRECTIONS and span.key.startswith("ال"))
    i = _adjacent_before(tok, span)
    if i < 0:
        return False
    prev = tok.word(i)
    forms = strip_clitics(prev)
    if any(f in PREPOSITIONS and f not in PLACE_CUES for f in forms):
        return False
    if any(f.endswith(_PRONOUNS) and (f[:-2] in PREPOSITIONS or f[:-1] in PREPOSITIONS)
           for f in forms):
        return False  # «من بينها الزبداني»، «عندهم»: a preposition with its pronoun, not a noun
    if span.key.startswith("ال"):
        # a definite nisba after a definite noun (ال…, بال…/وال…, or a noun with a pronoun:
        # طبيعته السلمية), not after an indefinite cue (مدينة السلمية)
        if any(f in PLACE_CUES and not f.startswith("ال") for f in forms):
            return False
        return any((f.startswith("ال") or (f.endswith(_PRONOUNS) and f[:-2] not in PREPOSITIONS
                                            and f[:-1] not in PREPOSITIONS))
                   and f not in DIRECTIONS for f in forms)
    return (prev in ADJECTIVE_INTRODUCERS or prev.endswith(_NOUN_ENDINGS)
            or bool(_BROKEN_PLURAL.match(prev)))


def followed_by_agreeing_adjective(tok: Tokens, span: Span, gaz: Gazetteer) -> bool:
    """True when a definite name is followed by a definite adjective that agrees with it and is
    neither a direction nor a place: «الطبقة المتوسطة», «الباب الخلفي» (nouns, not places)."""
    j = tok.after(span.end)
    if j >= len(tok) or tok.text[span.end:tok.starts[j]].strip():
        return False
    nxt = tok.word(j)
    if span.key.endswith(("ين", "ان")) and not span.key.startswith("ال") \
            and nxt.endswith(("يين", "يان")) and nxt not in gaz.index:
        return True  # جسرين استراتيجيين: two bridges, not the village Jisrein
    key = span.key
    wordy = gaz.wordiness.get(key, 0.0) >= 0.5
    compass = nxt in DIRECTIONS and not (wordy and DIRECTIONS[nxt] == "central")  # الطبقة الوسطى
    if (not key.startswith("ال") or not nxt.startswith("ال") or compass or len(nxt) < 5
            or (nxt in gaz.index and gaz.wordiness.get(nxt, 0.0) < 0.5)
            or (nxt in gaz.nisbas and not wordy)):
        return False  # الرقة السورية: a nisba of a country describes a place (not الثورة السورية)
    if key.endswith(("ين", "ان")):
        return nxt.endswith(("ين", "ان"))  # القريتين الشيعيتين
    if nxt.endswith("ه") and not key.endswith(("ه", "اء")) and _after_feminine_cue(tok, span):
        return False  # بلدة الراعي الحدودية: the feminine adjective is the town's, not the name's
    return wordy  # الطبقة الوسطى، الحراك المعارض، الأشهر الأخيرة: a common noun and its adjective


def _after_feminine_cue(tok: Tokens, span: Span) -> bool:
    """True when a feminine singular cue word stands right before the name (بلدة، قرية، مدينة)."""
    i = _adjacent_before(tok, span)
    if i < 0:
        return False
    return is_feminine_cue(word_role(tok.word(i)).cue)


def adjective_of_the_noun_before(tok: Tokens, span: Span) -> bool:
    """True when a definite word that reads as a common word follows a definite noun it agrees
    with: «المناسبة الكريمة», «قيادتنا الرشيدة», «بدلته الزرقاء» (its adjective, not a place)."""
    if not span.key.startswith("ال") or " " in span.key or span.word_start < span.start:
        return False
    i = _adjacent_before(tok, span)
    if i < 0:
        return False
    prev = tok.word(i)
    role = word_role(prev)
    if role.cue or role.preposition or prev in DIRECTIONS:
        return False
    feminine = span.key.endswith(("ه", "اء"))
    if prev.startswith(("لل", "بال", "كال")) and feminine:
        return True  # «للأغراض السلمية», «بالطرق السلمية»: after a preposition's noun no place
        # can follow, and a plural of things takes a feminine adjective
    definite = prev.startswith("ال") or prev.endswith(_PRONOUNS) or prev.endswith("ته")
    return definite and (prev.endswith(("ه", "تها", "تنا", "ته", "تهم")) == feminine)


def evidence(cue: Cue, in_list: bool, has_anchor: bool, clitic_prep: bool,
             sentence_has_place: bool) -> float:
    """How strongly the context says "a place": a cue word or a relation to a place it lies in,
    then a list of places, a preposition, another place in the sentence."""
    if (cue.word and not cue.preposition) or has_anchor:
        return CUE
    if in_list:
        return LIST
    if cue.locative or clitic_prep:
        return PREPOSITION
    return SENTENCE if sentence_has_place or cue.preposition else NONE


def needed(wordiness: float) -> float:
    """The evidence a name of this wordiness needs."""
    if wordiness < _NEEDS[-1][0]:
        return NONE  # most names: checked first, the hot path
    return next((need for w, need in _NEEDS if wordiness >= w), NONE)
