"""Candidate name spans in normalised text: a multi-pattern matcher with clitics peeled."""
from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import NamedTuple

import ahocorasick
import numpy as np

from nlp.normalize import ARABIC_LETTERS

# Proclitics that may stand before a name inside the same word (و، ف، ب، ل، ك and pairs).
CLITICS: frozenset[str] = frozenset({"", "و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل", "فك"})
# Before a name written with ال, ل + ال becomes لل: للغوطة. The key drops the alef.
ELIDED_CLITICS: frozenset[str] = frozenset({"ل", "ول", "فل"})

NAME, ELIDED, BLOCK = 0, 1, 2
BOUNDARY = "#"  # stands for every character that is not an Arabic letter while matching
_EXTRA_LETTERS = tuple(sorted(ord(c) for c in ARABIC_LETTERS if not "\u0621" <= c <= "\u064a"))


@lru_cache(maxsize=4)  # the matcher and the finders of nlp.cues read the same text in turn
def marked_text(text: str) -> str:
    """The text framed by «#» with every character that is not an Arabic letter made «#»
    (same length plus two: index i of the result is index i - 1 of the text)."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).copy()
    letter = (codes >= 0x0621) & (codes <= 0x064A)
    for extra in _EXTRA_LETTERS:
        letter |= codes == extra
    codes[~letter] = ord(BOUNDARY)
    return BOUNDARY + codes.tobytes().decode("utf-32-le") + BOUNDARY


class Span(NamedTuple):
    """A matched key in normalised text: [start, end) of the key, plus its word start."""

    start: int
    end: int
    key: str
    kind: int  # NAME, ELIDED (لل form of an ال name) or BLOCK (an organisation name)
    word_start: int  # start of the whole word, a leading clitic included


class Matcher:
    """Finds gazetteer keys and blocking phrases in normalised text, longest first.

    Matching runs on a copy of the text where every character that is not an Arabic letter is
    the boundary mark «#», and every pattern is «#» + clitics + key + «#»: the automaton itself
    finds whole words only, so no hit inside a longer word reaches Python. One pattern can be
    several readings of a word («#بروما#»: the village بروما, and ب + روما): each is kept.
    """

    def __init__(self, keys: Iterable[str], blockers: Iterable[str] = ()) -> None:
        """Build the automaton over normalised keys (with their clitic forms) and organisation
        names."""
        patterns: dict[str, list[tuple[str, int, int, int]]] = {}
        for key in keys:
            marked = key.replace(" ", BOUNDARY)
            for clitic in CLITICS:
                patterns.setdefault(f"{BOUNDARY}{clitic}{marked}{BOUNDARY}", []).append(
                    (key, NAME, len(key), len(clitic)))
            if key.startswith("ال") and len(key) > 3:
                for clitic in ELIDED_CLITICS:  # للغوطة: ل + the ال name without its alef
                    patterns.setdefault(f"{BOUNDARY}{clitic}ل{marked[2:]}{BOUNDARY}", []).append(
                        (key, ELIDED, len(key) - 1, len(clitic)))
        for phrase in blockers:
            patterns.setdefault(f"{BOUNDARY}{phrase.replace(' ', BOUNDARY)}{BOUNDARY}", []).append(
                (phrase, BLOCK, len(phrase), 0))
        auto = ahocorasick.Automaton()
        for pattern, readings in patterns.items():
            auto.add_word(pattern, tuple(readings))
        auto.make_automaton()
        self._auto = auto

    def find(self, text: str) -> list[Span]:
        """Non-overlapping spans: organisation names claim their text first, then longest names."""
        # Only spans that overlap compete; most stand alone. Hits come in order of their end,
        # so walking back, a span overlaps the group after it when it ends past the group's start.
        chosen: list[Span] = []
        group: list[Span] = []
        low = -1
        hits: list[tuple[int, tuple[tuple[str, int, int, int], ...]]] = list(
            self._auto.iter(marked_text(text)))
        for last, readings in reversed(hits):
            end = last - 1  # marked[i] is text[i - 1]; the pattern ends with the «#» after the key
            for key, kind, length, clitic in readings:
                span = Span(end - length, end, key, kind, end - length - clitic)
                if end <= low:
                    chosen.extend(group if len(group) == 1 else reversed(_select(group)))
                    group = []
                group.append(span)
                low = span.word_start if len(group) == 1 else min(low, span.word_start)
        if group:
            chosen.extend(group if len(group) == 1 else reversed(_select(group)))
        chosen.reverse()
        return chosen


def _select(spans: list[Span]) -> list[Span]:
    """Greedy choice among overlapping spans: blockers first, then longer spans, then leftmost,
    then a name over the لل form of another (للبنان: ل + لبنان, not لل + بنان)."""
    spans.sort(key=lambda s: (s.kind != BLOCK, -(s.end - s.word_start), s.start, s.kind))
    base = min((s.word_start for s in spans), default=0)
    taken = bytearray(max((s.end for s in spans), default=0) - base)
    chosen: list[Span] = []
    for s in spans:
        lo, hi = s.word_start - base, s.end - base
        if taken.find(1, lo, hi) != -1:
            continue
        taken[lo:hi] = b"\x01" * (hi - lo)
        chosen.append(s)
    chosen.sort(key=lambda s: s.start)
    return chosen
