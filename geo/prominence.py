"""How well known a place is, and how much a name reads as an ordinary word instead.

Both are computed once, when the gazetteer is built, and kept in its cache:
- prominence (0-1) of a place: its level, whether it is the seat of an admin unit, its
  population where GeoNames gives one;
- wordiness of a name key: how much more often the name's written forms occur in general
  Arabic (word frequencies of the PyPI package wordfreq) than a place that prominent would
  explain. «ورقة» (paper), «الهامة» (the important) or «الطبقة» (the class) are far more
  frequent than the villages and towns of those names: such names need context in a text
  (a cue word, a list of places, a relation to another place) before they count as places.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Iterable

from geo.records import Place

# The frequency (Zipf scale) a place name reaches from use as a place, by prominence.
_EXPECTED_BASE, _EXPECTED_SLOPE = 1.3, 3.2
VERB_STEM_ZIPF = 3.8  # the stem of a verb-shaped name is a common word from this frequency
VERB_WORDINESS = 1.0  # a verb-shaped name needs a preposition, a cue, a list or a relation
CLITIC_STEM_ZIPF = 4.0  # «ب + word» names whose word is this common read as the word
PERSON_HEADS = frozenset(("أبو", "ابو", "أم", "ام", "ابن", "بن", "الشيخ", "السيد", "الحاج", "بيت"))
CLITIC_WORD_ZIPF, CLITIC_MARGIN = 3.0, 0.3  # a clitic form this frequent is a word of its own
# «X الله» names a person (نصر الله، فتح الله) before a village; a city this prominent or more
# (رام الله) is known as the city.
THEOPHORIC_PROMINENCE = 0.6


def prominence(place: Place, seat_of: str | None = None) -> float:
    """0-1: countries and governorates 1, seats of units by rank, then by population."""
    if place.level in ("country", "governorate"):
        return 1.0
    if place.country != "SY" and place.population == 0:
        return 0.9  # a foreign place this project wrote down: one Syrian news names
    if place.country != "SY" and place.source.endswith("; capital"):
        return 0.95  # a world capital (metonymy: «قالت واشنطن»)
    if place.level == "region":
        return 0.7
    if place.level in ("district", "subdistrict"):
        return 0.6 if place.level == "district" else 0.5
    base = {"governorate": 0.95, "district": 0.8, "subdistrict": 0.6}.get(seat_of or "", 0.3)
    if place.level == "neighbourhood":
        base = 0.45
    elif place.level == "feature":
        base = 0.5
    if place.population > 0:
        base = max(base, min(0.9, 0.12 * math.log10(place.population + 1) + 0.05))
    return round(base, 3)


def _zipf(form: str) -> float:
    """Zipf frequency of a written form in general Arabic (0 for unknown forms)."""
    from wordfreq import zipf_frequency

    return float(zipf_frequency(form, "ar"))


def normalised_frequencies(normalise: Callable[[str], str], n: int = 60_000) -> dict[str, float]:
    """Zipf frequency of each normalised word form (أ/إ/آ/ا, ة/ه, ى/ي folded): «الاشهر» gets the
    frequency of «الأشهر» (months) although a gazetteer spells its town «آلاشهر»."""
    from wordfreq import top_n_list, zipf_frequency

    out: dict[str, float] = {}
    for word in top_n_list("ar", n):
        key = normalise(word)
        if key and key not in out:
            out[key] = float(zipf_frequency(word, "ar"))
    return out


def word_frequency(forms: Iterable[str]) -> float:
    """How frequent the most frequent of a name's written forms is as a word (Zipf scale).

    For a one-word name the other definiteness counts too: «الباب» is a place, but «باب»
    (door) shows that «الباب» is also a common noun; «ورقة» gains from «الورقة»."""
    best = 0.0
    for form in forms:
        form = form.strip()
        if not form:
            continue
        best = max(best, _zipf(form))
        if " " not in form:
            other = form[2:] if form.startswith("ال") and len(form) > 4 else "ال" + form
            best = max(best, _zipf(other) - 0.3)
    return best


def verb_like(form: str) -> bool:
    """True when a one-word name has the shape of a present-tense verb of a common root:
    «تدمر» (it destroys) is ت + «دمر» (he destroyed)."""
    form = form.strip()
    return (" " not in form and len(form) >= 4 and form[0] in "تين"
            and _zipf(form[1:]) >= VERB_STEM_ZIPF)


def wordiness(forms: Iterable[str], best_prominence: float, key_frequency: float = 0.0) -> float:
    """How much more a name is used as a word than its best-known place explains (>= 0);
    at least VERB_WORDINESS for a name shaped like a verb or a person's name."""
    forms = [f.strip() for f in forms]
    expected = _EXPECTED_BASE + _EXPECTED_SLOPE * best_prominence
    if any(" " in f for f in forms):
        # names of two words and more are rarely ordinary phrases, but person names are
        # (أبو عبيدة، الشيخ يوسف، صلاح الدين): a kunya or title before a common given name
        people = [f.split(" ", 1)[1] for f in forms
                  if f.split(" ", 1)[0] in PERSON_HEADS and " " not in f.split(" ", 1)[1]]
        w = max(0.0, max((_zipf(p) for p in people), default=0.0) - expected)
        if any(f.endswith(" الدين") for f in forms) or (
                best_prominence < THEOPHORIC_PROMINENCE and any(f.endswith(" الله") for f in forms)):
            w = max(w, VERB_WORDINESS)  # صلاح الدين، نصر الله: people's names first (not رام الله)
        return round(w, 2)
    w = max(0.0, max(word_frequency(forms), key_frequency) - expected)
    if any(verb_like(f) or looks_cliticised(f) for f in forms):
        w = max(w, VERB_WORDINESS)
    return round(w, 2)


def looks_cliticised(form: str) -> bool:
    """True when a one-word name reads as a clitic and a common word: «بحركة» (with a movement),
    «بأنه» (that it)."""
    return (" " not in form and len(form) >= 4 and form[0] in "وفبلك"
            and _zipf(form[1:]) >= CLITIC_STEM_ZIPF)


CLITIC_FORMS = ("و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل", "فك")


def clitic_words(forms: Iterable[str], clitics: Iterable[str] = CLITIC_FORMS) -> set[str]:
    """Forms «clitic + name» that are words of their own: as frequent as the name itself
    («بلد» is not ب + «لد», «ورقة» is not و + «رقة»)."""
    from nlp.shape import bare

    out = set()
    for written in forms:
        for form in {written.strip(), _plain(bare(written.strip()))}:
            if " " in form or len(form) < 2:
                continue
            own = _zipf(form)
            for c in clitics:
                whole = _zipf(c + form)
                if whole >= CLITIC_WORD_ZIPF and whole > own - CLITIC_MARGIN:
                    out.add(c + form)
    return out


def _plain(form: str) -> str:
    """A form with hamza seats on alef written as a bare alef (آمل -> امل), as often typed."""
    return form.translate(str.maketrans("أإآ", "ااا"))


def frequent_words(min_zipf: float = 3.3) -> frozenset[str]:
    """The Arabic words at least this frequent, as written (wordfreq's list)."""
    from wordfreq import top_n_list, zipf_frequency

    out = set()
    for word in top_n_list("ar", 60_000):
        if zipf_frequency(word, "ar") < min_zipf:
            break
        out.add(word)
    return frozenset(out)
