"""Words of a normalised text with their positions, sentences and paragraphs, for local context.

A word is a run of Arabic letters (U+0621-U+064A) or digits. Built once per text in vectorised
passes; every lookup (the words before or after a position, the
sentence of a word) is a binary search, so context rules stay linear in the text's length.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

SENTENCE_ENDS = frozenset(".؛;!?؟\n")
WORD, SENTENCE_END, NEWLINE = 1, 2, 4
# The class bits of every character up to U+06FF (later ones are none of these), looked up
# once per text instead of one comparison pass per class.
_CLASSES = np.zeros(0x701, dtype=np.uint8)
_CLASSES[0x0621:0x064B] = WORD
_CLASSES[0x30:0x3A] = WORD
for _c in SENTENCE_ENDS:
    _CLASSES[ord(_c)] |= SENTENCE_END
_CLASSES[ord("\n")] |= NEWLINE
CLITICS_1 = "وفبلك"


def _run_edges(mask: np.ndarray) -> list[int]:
    """Start, end, start, end … of the runs of True in a boolean array."""
    framed = np.zeros(len(mask) + 2, dtype=bool)
    framed[1:-1] = mask
    return np.flatnonzero(framed[1:] != framed[:-1]).tolist()


@dataclass
class Tokens:
    """The words of a text ([start, end) of each) and where its sentences and paragraphs break."""

    text: str
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    _sentence_breaks: list[int] = field(default_factory=list)
    _paragraph_breaks: list[int] = field(default_factory=list)
    _org_heads: list[int] | None = None

    def __post_init__(self) -> None:
        """Find the words and the sentence and paragraph breaks (vectorised passes)."""
        codes = np.frombuffer(self.text.encode("utf-32-le"), dtype=np.uint32)
        classes = _CLASSES[np.minimum(codes, len(_CLASSES) - 1)]
        edges = _run_edges(classes & WORD)
        self.starts, self.ends = edges[::2], edges[1::2]
        self._sentence_breaks = _run_edges(classes & SENTENCE_END)[::2]
        self._paragraph_breaks = _run_edges(classes & NEWLINE)[::2]

    def __len__(self) -> int:
        return len(self.starts)

    def org_head_before(self, pos: int, window: int) -> bool:
        """True when an organisation head word (nlp.cues.ORG_HEADS) ends in the window before pos."""
        if self._org_heads is None:
            from nlp.cues import ORG_HEAD, word_marks
            from nlp.match import marked_text
            self._org_heads = word_marks(marked_text(self.text))[ORG_HEAD]
        k = bisect_right(self._org_heads, pos)
        return k > 0 and self._org_heads[k - 1] > pos - window

    def sentence_of(self, i: int) -> int:
        """Number of the sentence word i is in."""
        return bisect_right(self._sentence_breaks, self.starts[i])

    def paragraph_of(self, i: int) -> int:
        """Number of the paragraph word i is in."""
        return bisect_right(self._paragraph_breaks, self.starts[i])

    def sentences_at(self, positions: list[int]) -> list[int]:
        """Number of the sentence each text position is in (sentence_of, for many at once)."""
        return np.searchsorted(self._sentence_breaks, positions, side="right").tolist()

    def paragraphs_at(self, positions: list[int]) -> list[int]:
        """Number of the paragraph each text position is in."""
        return np.searchsorted(self._paragraph_breaks, positions, side="right").tolist()

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

    def adjacent(self, i: int, pos: int) -> bool:
        """True when only spaces separate the end of word i from pos."""
        end = self.ends[i]
        return end == pos or (pos - end == 1 and self.text[end] == " ") or not self.text[end:pos].strip()

    def gap(self, i: int, j: int) -> str:
        """The text between word i and word j (i < j)."""
        return self.text[self.ends[i]:self.starts[j]]


@lru_cache(maxsize=1 << 16)
def strip_clitics(word: str) -> tuple[str, ...]:
    """The word and its forms without a leading و/ف then ب/ل/ك (بمدينة -> مدينة)."""
    forms = [word]
    if len(word) > 3 and word[0] in "وف":
        word = word[1:]
        forms.append(word)
    if len(word) > 3 and word[0] in "بلك":
        forms.append(word[1:])
    return tuple(forms)
