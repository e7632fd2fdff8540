"""Candidate name spans in normalised text: a multi-pattern matcher with clitics peeled."""
from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

import ahocorasick

from nlp.normalize import ARABIC_LETTERS

# Proclitics that may stand before a name inside the same word (و، ف، ب، ل، ك and pairs).
CLITICS: frozenset[str] = frozenset({"", "و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل", "فك"})
# Before a name written with ال, ل + ال becomes لل: للغوطة. The key drops the alef.
ELIDED_CLITICS: frozenset[str] = frozenset({"ل", "ول", "فل"})

NAME, ELIDED, BLOCK = 0, 1, 2


class Span(NamedTuple):
    """A matched key in normalised text: [start, end) of the key, plus its word start."""

    start: int
    end: int
    key: str
    kind: int  # NAME, ELIDED (لل form of an ال name) or BLOCK (an organisation name)
    word_start: int  # start of the whole word, a leading clitic included


class Matcher:
    """Finds gazetteer keys and blocking phrases in normalised text, longest first."""

    def __init__(self, keys: Iterable[str], blockers: Iterable[str] = ()) -> None:
        """Build the automaton over normalised keys and organisation names."""
        auto = ahocorasick.Automaton()
        for key in keys:
            auto.add_word(key, (key, NAME))
            if key.startswith("ال") and len(key) > 3:
                auto.add_word("ل" + key[2:], (key, ELIDED))
        for phrase in blockers:
            auto.add_word(phrase, (phrase, BLOCK))
        auto.make_automaton()
        self._auto = auto

    def find(self, text: str) -> list[Span]:
        """Non-overlapping spans: organisation names claim their text first, then longest names."""
        found: list[Span] = []
        letters = ARABIC_LETTERS
        n = len(text)
        for last, (key, kind) in self._auto.iter(text):
            end = last + 1
            if end < n and text[end] in letters:
                continue
            start = end - (len(key) if kind != ELIDED else len(key) - 1)
            # the word may start at most two letters (the clitics) before the key
            if start == 0 or text[start - 1] not in letters:
                word_start = start
            elif start == 1 or text[start - 2] not in letters:
                word_start = start - 1
            elif start == 2 or text[start - 3] not in letters:
                word_start = start - 2
            else:
                continue
            prefix = text[word_start:start]
            if prefix not in (ELIDED_CLITICS if kind == ELIDED else CLITICS):
                continue
            found.append(Span(start, end, key, kind, word_start))
        return _select(found)


def _select(spans: list[Span]) -> list[Span]:
    """Greedy choice: blockers first, then longer spans, then leftmost."""
    spans.sort(key=lambda s: (s.kind != BLOCK, -(s.end - s.word_start), s.start))
    taken = bytearray(max((s.end for s in spans), default=0))
    chosen: list[Span] = []
    for s in spans:
        lo, hi = s.word_start, s.end
        if taken.find(1, lo, hi) != -1:
            continue
        taken[lo:hi] = b"\x01" * (hi - lo)
        chosen.append(s)
    chosen.sort(key=lambda s: s.start)
    return chosen
