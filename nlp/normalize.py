"""Arabic normalisation (camel-tools) that keeps a map back to the original offsets."""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from camel_tools.utils.charsets import AR_DIAC_CHARSET
from camel_tools.utils.dediac import dediac_ar
from camel_tools.utils.normalize import (
    normalize_alef_ar,
    normalize_alef_maksura_ar,
    normalize_teh_marbuta_ar,
)

TATWEEL = "\u0640"
# Characters dropped from the text: diacritics (camel-tools' set), tatweel, invisible marks.
_INVISIBLE = "\u200b\u200c\u200d\u200e\u200f\u061c\ufeff"
_DROP_RE = re.compile("[" + re.escape("".join(sorted(AR_DIAC_CHARSET)) + TATWEEL + _INVISIBLE) + "]")
# One-to-one replacements that camel-tools does not cover: Persian letters, odd spaces.
_SAME_LENGTH = {"ی": "ي", "ک": "ك", "ې": "ي", "\u00a0": " ", "\t": " ", "\r": " ",
                "\u2009": " ", "\u202f": " "}
_SAME_LENGTH_RE = re.compile("[" + "".join(_SAME_LENGTH) + "]")

ARABIC_LETTERS = frozenset(chr(c) for c in range(0x0621, 0x064B)) | frozenset("پچژگکی")


@dataclass(frozen=True)
class NormText:
    """Normalised text with the positions needed to map offsets back to the original."""

    text: str
    original: str
    _shift: tuple[int, ...]  # removed position j sits at normalised index shift[j]

    def to_original(self, i: int) -> int:
        """Original offset of the character at normalised index i."""
        return i + bisect_right(self._shift, i) if self._shift else i

    def span_to_original(self, start: int, end: int) -> tuple[int, int]:
        """Original [start, end) for a normalised [start, end) span."""
        if not self._shift:
            return start, end
        return self.to_original(start), self.to_original(end - 1) + 1


def _fold(text: str) -> str:
    """Apply the length-preserving normalisations: alef, alef maksura, teh marbuta, spaces."""
    text = normalize_teh_marbuta_ar(normalize_alef_maksura_ar(normalize_alef_ar(text)))
    return _SAME_LENGTH_RE.sub(lambda m: _SAME_LENGTH[m.group()], text)


def normalize(text: str) -> NormText:
    """Normalise Arabic text for matching and keep the offset map to the original."""
    removed = [m.start() for m in _DROP_RE.finditer(text)]
    if removed:
        shift = tuple(pos - j for j, pos in enumerate(removed))
        stripped = _DROP_RE.sub("", text)
    else:
        shift, stripped = (), text
    return NormText(_fold(stripped), text, shift)


def normalize_name(name: str) -> str:
    """Normalise a gazetteer name or alias into a matching key."""
    key = _fold(_DROP_RE.sub("", dediac_ar(name.strip())))
    return " ".join(key.split())
