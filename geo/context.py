"""What the sentence says about where a name lies: relations, lists and the places around it.

- a relation to a following place: «X في ريف Y», «X بمحافظة Y», «X شمال Y», «X قرب Y»,
  «X التابعة لـY», «X (ريف Y)», «X، ريف Y», «حي X الدمشقي»;
- a list after «ريف X:» or inside «قرى ريف X (…)»;
- spatial coherence: how close a candidate is to the places already resolved in the paragraph
  and in the article (a Mordecai/CLAVIN-style feature).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

from geo.records import Place
from nlp.cues import CITY_NISBAS, PLACE_CUES, RELATION_FILLERS, RELATION_WORDS
from nlp.match import Span
from nlp.tokens import SENTENCE_ENDS, Tokens, strip_clitics

MAX_GAP_WORDS = 4  # words between a name and the place that locates it
DAMASCUS_PAIR = ("SY-DI", "SY-RD")
NEAR_KM = 25.0  # a candidate this close to a town it is said to be near or in counts as there
REGION_KM = 40.0  # … and to the centre of a region without a governorate
_BREAK = re.compile("[" + re.escape("".join(sorted(SENTENCE_ENDS))) + "]")
_LIST_OPEN = re.compile(r'\s*[:"«(“]\s*')
_CLOSERS = '"»)”.؛;\n'


@dataclass(frozen=True, slots=True)
class Anchor:
    """A place the text relates a name to, how (in | near | nisba | list) and how strongly."""

    place: Place
    relation: str
    strength: float
    words: str  # the words of the relation, as written in the normalised text


def relation(tok: Tokens, left: Span, right: Span, common: frozenset[str] = frozenset()
             ) -> tuple[str, float, str] | None:
    """The relation «left … right» when the words between say one (في ريف، شمال، قرب …)."""
    if right.word_start <= left.end or right.word_start - left.end > 60:
        return None
    gap = tok.text[left.end:right.word_start]
    if _BREAK.search(gap):
        return None
    words = [tok.word(i) for i in range(tok.after(left.end), tok.at(right.word_start))]
    if words and not tok.text[left.end:tok.starts[tok.after(left.end)]].strip() \
            and words[0].startswith("ال") and words[0] not in common and words[0] not in RELATION_WORDS:
        words = words[1:]  # the rest of a name the gazetteer knows shorter (ساقية الكرت بجبل …)
    if len(words) > MAX_GAP_WORDS:
        return None
    right_word = tok.word(tok.at(right.word_start))
    clitic = right_word[: right.start - right.word_start]
    best: tuple[str, float] | None = None
    for w in words:
        for form in strip_clitics(w):
            if form in RELATION_WORDS:
                rel, strength = RELATION_WORDS[form]
                if best is None or strength > best[1]:
                    best = (rel, strength)
                break
        else:
            if not any(f in RELATION_FILLERS or f in PLACE_CUES for f in strip_clitics(w)):
                return None  # a word that is not part of a relation
        if w[:1] == "ب" and (best is None or best[1] < 0.7):
            best = ("in", 0.7)  # بريف، بمحافظة
    if "ب" in clitic and (best is None or best[1] < 0.7):
        best = ("in", 0.7)
    if "(" in gap and (best is None or best[1] < 0.9):
        best = ("in", 0.9)
    if "،" in gap or "," in gap:
        cue_after = words[-1] if words else ""
        if strip_clitics(cue_after)[-1] == "ريف" or (not words and right.key.startswith("ريف ")):
            best = ("in", 0.9)  # X، ريف Y
        elif best is None or "(" not in gap:
            return None
    if best is None:
        return None
    return best[0], best[1], " ".join(words) or gap.strip()


def nisba_anchor(tok: Tokens, span: Span) -> str | None:
    """The governorate P-code of a city nisba right after a name (حي جوبر الدمشقي -> SY01)."""
    j = tok.after(span.end)
    if j >= len(tok) or tok.text[span.end:tok.starts[j]].strip():
        return None
    return CITY_NISBAS.get(tok.word(j))


def list_after(text: str, span: Span) -> tuple[int, int] | None:
    """The extent of a list opened right after a span («ريف حمص: الحميدية، أم التين»)."""
    m = _LIST_OPEN.match(text, span.end)
    if m is None:
        return None
    stop = min((i for i in (text.find(c, m.end()) for c in _CLOSERS) if i != -1), default=len(text))
    return (m.end(), stop) if stop - m.end() <= 200 else None


def list_items(text: str, start: int, stop: int) -> list[tuple[int, int]]:
    """The items of a list between start and stop, split on ، , and a leading و."""
    items: list[tuple[int, int]] = []
    for part in re.finditer(r"[^،,]+", text[start:stop]):
        s, e = part.start() + start, part.end() + start
        while s < e and text[s] in ' "«“':
            s += 1
        while e > s and text[e - 1] in ' "»”':
            e -= 1
        if s < e and text[s] == "و" and e - s > 3:
            s += 1
        if s < e:
            items.append((s, e))
    return items


def km(a: Place, b: Place) -> float:
    """Approximate distance in km between two places (inf without points)."""
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return math.inf
    dy = (a.lat - b.lat) * 111.0
    dx = (a.lon - b.lon) * 111.0 * math.cos(math.radians((a.lat + b.lat) / 2))
    return math.hypot(dx, dy)


def inside(candidate: Place, anchor: Place) -> bool | None:
    """Whether a candidate lies in (or near) the anchor place; None when it cannot be told."""
    level = anchor.level
    if anchor.country != candidate.country:
        return False
    if anchor.place_id.startswith("rural-") and candidate.level == "neighbourhood":
        return False  # the countryside of a town is not one of its quarters
    if level == "governorate" or (level == "region" and anchor.admin1):
        if candidate.admin1 in DAMASCUS_PAIR and anchor.admin1 in DAMASCUS_PAIR:
            return True  # news name Damascus and Rural Damascus interchangeably (ريف دمشق / دمشق)
        return candidate.admin1 == anchor.admin1 if candidate.admin1 else None
    if level == "district" and anchor.admin2_pcode:
        return candidate.admin2_pcode == anchor.admin2_pcode if candidate.admin2_pcode else None
    if level == "subdistrict" and anchor.admin3_pcode:
        return candidate.admin3_pcode == anchor.admin3_pcode if candidate.admin3_pcode else None
    if level == "country":
        return candidate.country == anchor.country
    d = km(candidate, anchor)
    if math.isinf(d):
        if anchor.admin3_pcode and candidate.admin3_pcode:
            return candidate.admin3_pcode == anchor.admin3_pcode
        return None
    return d <= (REGION_KM if level == "region" else NEAR_KM)


def nearest_km(candidate: Place, others: list[Place]) -> float:
    """Distance from a candidate to the nearest of other places (inf if none has a point)."""
    best = math.inf
    if candidate.lat is None or candidate.lon is None:
        return best
    for o in others:
        if o.place_id != candidate.place_id:
            d = km(candidate, o)
            if d < best:
                best = d
    return best
