"""Words of a normalised text with their positions, sentences and paragraphs, for local context.

Built once per text in one pass; every lookup (the words before or after a position, the
sentence of a word) is a binary search, so context rules stay linear in the text's length.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

_WORD = re.compile(r"[\u0621-\u064A0-9]+")
SENTENCE_ENDS = frozenset(".؛;!?؟\n")
CLITICS_1 = "وفبلك"


@dataclass
class Tokens:
    """The words of a text: [start, end) of each, and the sentence and paragraph it is in."""

    text: str
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    sentence: list[int] = field(default_factory=list)
    paragraph: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        """Find the words and number their sentences and paragraphs."""
        sent = para = 0
        last = 0
        text = self.text
        for m in _WORD.finditer(text):
            gap = text[last:m.start()]
            if gap:
                if "\n" in gap:
                    para += 1
                if any(c in SENTENCE_ENDS for c in gap):
                    sent += 1
            self.starts.append(m.start())
            self.ends.append(m.end())
            self.sentence.append(sent)
            self.paragraph.append(para)
            last = m.end()

    def __len__(self) -> int:
        return len(self.starts)

    def word(self, i: int) -> str:
        """The i-th word."""
        return self.text[self.starts[i]:self.ends[i]]

    def at(self, pos: int) -> int:
        """Index of the word containing pos, or of the first word after it."""
        return bisect_right(self.ends, pos)

    def before(self, pos: int) -> int:
        """Index of the last word ending at or before pos (-1 if none)."""
        return bisect_right(self.ends, pos) - 1

    def after(self, pos: int) -> int:
        """Index of the first word starting at or after pos (len if none)."""
        return bisect_left(self.starts, pos)

    def gap(self, i: int, j: int) -> str:
        """The text between word i and word j (i < j)."""
        return self.text[self.ends[i]:self.starts[j]]


def strip_clitics(word: str) -> list[str]:
    """The word and its forms without a leading و/ف then ب/ل/ك (بمدينة -> مدينة)."""
    forms = [word]
    if len(word) > 3 and word[0] in "وف":
        word = word[1:]
        forms.append(word)
    if len(word) > 3 and word[0] in "بلك":
        forms.append(word[1:])
    return forms
