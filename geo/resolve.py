"""Candidate spans to places: cues, organisation heads, lists, article context, level, population."""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from geo.gazetteer import Gazetteer
from geo.records import Place
from nlp.cues import DIRECTIONS, LIST_JOINERS, ORG_HEADS, ORG_LINKS, PLACE_CUES
from nlp.match import BLOCK, Span

_WORD = re.compile(r"[\u0621-\u064A]+")
_REVERSED_WORD = re.compile(r"[^\u0621-\u064A]*([\u0621-\u064A]+)")  # on reversed text
_LIST_OPEN = re.compile(r'\s*[:"«(“]\s*')
_CLOSERS = '"»)”.؛;\n'
_CONTEXT_LEVELS = ("region", "governorate")
_SAME_PLACE_KM = 10.0
_TWO_WORDS = re.compile(r" ([\u0621-\u064A]+ [\u0621-\u064A]+)")
_ONE_WORD = re.compile(r" ([\u0621-\u064A]+)")


@dataclass(frozen=True)
class Resolved:
    """A span of normalised text resolved to a place."""

    start: int
    end: int
    place: Place
    confidence: float
    cue: str


def _strip_clitic(word: str) -> str:
    """A word without a leading و/ف then ب/ل/ك (for cue words such as بمحافظة، وبلدة)."""
    if len(word) > 3 and word[0] in "وف":
        word = word[1:]
    if len(word) > 3 and word[0] in "بلك":
        word = word[1:]
    return word


def _words_before(text: str, pos: int, n: int = 2) -> list[tuple[str, int, int]]:
    """The n words before pos, nearest last, as (word, start, end)."""
    words: list[tuple[str, int, int]] = []
    end = pos
    while len(words) < n and end > 0:
        m = _REVERSED_WORD.match(text[max(0, end - 40):end][::-1])
        if m is None:
            break
        start, stop = end - m.end(1), end - m.start(1)
        while start > 0 and "\u0621" <= text[start - 1] <= "\u064A":
            start -= 1  # a word longer than the look-back window
        words.append((text[start:stop], start, stop))
        end = start
    words.reverse()
    return words


def _cue(text: str, span: Span, words: list[tuple[str, int, int]]) -> tuple[str, str | None]:
    """The cue word just before a span and the level it points to ('' if none)."""
    if not words:
        return "", None
    word, _, end = words[-1]
    if text[end:span.word_start].strip():
        return "", None
    bare = _strip_clitic(word)
    for w in (word, bare):
        if w in PLACE_CUES:
            return w, PLACE_CUES[w] or None
    return "", None


def _inside_org_name(text: str, span: Span, words: list[tuple[str, int, int]]) -> bool:
    """True when the name follows an organisation head word (لواء الرضا، جيش إدلب الحر)."""
    if not words or text[words[-1][2]:span.word_start].strip():
        return False
    last = _strip_clitic(words[-1][0])
    if last in ORG_HEADS or words[-1][0] in ORG_HEADS:
        return True
    if words[-1][0] not in ORG_LINKS:
        return False
    two = _words_before(text, span.word_start, 2)
    return len(two) == 2 and _strip_clitic(two[0][0]) in ORG_HEADS


def _joined(text: str, left_end: int, right_start: int) -> bool:
    """True when a list joiner (، or و) and at most one adjective stand between two names."""
    if left_end > right_start:
        return False
    gap = text[left_end:right_start]
    if len(gap) > 25:
        return False
    words = _WORD.findall(gap)
    rest = _WORD.sub(" ", gap).replace(" ", "")
    if any(ch not in LIST_JOINERS for ch in rest):
        return False
    joined = bool(rest) or "و" in words or text[right_start:right_start + 1] == "و"
    adjectives = [w for w in words if w != "و"]
    return joined and (not adjectives or (
        len(adjectives) == 1 and adjectives[0].startswith("ال")
        and adjectives[0].endswith(("يه", "ي"))))


def _syrian_local(gaz: Gazetteer, span: Span) -> bool:
    """True when a name can only be a place inside Syria below the country level."""
    return all(p.country == "SY" and p.level != "country" for p in gaz.candidates(span.key))


def _prior(place: Place) -> float:
    """How likely a place is before any context: countries and governorates, then big towns."""
    if place.level == "country":
        return 1.0
    if place.level == "governorate":
        return 0.9
    if place.level == "region":
        return 0.85
    if place.level == "populated_place":
        return 0.3 + 0.1 * math.log10(place.population + 10)
    return 0.5 if place.level == "district" else 0.45


def _km(a: Place, b: Place) -> float:
    """Approximate distance in km between two places."""
    dy = (a.lat - b.lat) * 111.0
    dx = (a.lon - b.lon) * 111.0 * math.cos(math.radians((a.lat + b.lat) / 2))
    return math.hypot(dx, dy)


def _distinct(places: list[Place]) -> list[Place]:
    """Candidates that are not the same place seen by two sources (further apart than 10 km)."""
    out: list[Place] = []
    for p in places:
        if all(_km(p, q) > _SAME_PLACE_KM or p.level != q.level for q in out):
            out.append(p)
    return out


def _score(place: Place, cands: list[Place], cue_level: str | None, ctx_admin1: str | None,
           doc_admin1: Counter, doc_countries: set[str]) -> float:
    """Score of one candidate for a span, given cues and the article's other places."""
    s = _prior(place)
    if cue_level == place.level:
        s += 0.5
    elif cue_level == "region" and place.level == "district":
        s += 0.2
    if place.level == "governorate" and cue_level != "governorate" and any(
            c.level == "populated_place" and c.admin1 == place.admin1 and c.population >= 50_000
            for c in cands):
        s -= 0.2  # حمص alone reads as the city; محافظة حمص as the governorate
    if ctx_admin1:
        s += 0.6 if place.admin1 == ctx_admin1 else -0.3
    if place.country == "SY":
        total = sum(doc_admin1.values())
        if total and place.admin1:
            s += 0.3 * doc_admin1[place.admin1] / total
    else:
        s += 0.2 if place.country in doc_countries else -0.1
    return s


def _list_context(text: str, accepted: list[tuple[Span, Place]]) -> list[tuple[Place, int, int]]:
    """Quoted lists right after ريف X / محافظة X: (X, list start, list end) for each."""
    out: list[tuple[Place, int, int]] = []
    for span, place in accepted:
        m = _LIST_OPEN.match(text, span.end) if place.level in _CONTEXT_LEVELS else None
        if m is None:
            continue
        stop = min((i for i in (text.find(c, m.end()) for c in _CLOSERS) if i != -1),
                   default=len(text))
        if stop - m.end() <= 200:
            out.append((place, m.end(), stop))
    return out


def _items(text: str, start: int, stop: int) -> list[tuple[int, int]]:
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


def resolve(text: str, spans: list[Span], gaz: Gazetteer) -> list[Resolved]:
    """Choose a place for each span of normalised text, or drop it when it is not a place."""
    before = {s.start: _words_before(text, s.word_start, 1) for s in spans if s.kind != BLOCK}
    names = [s for s in spans if s.kind != BLOCK and not _inside_org_name(text, s, before[s.start])]
    cues = {s.start: _cue(text, s, before[s.start]) for s in names}
    needs = gaz.needs_context

    # Pass 1: names that need no context; pass 2: common-word names with a cue or in a list.
    accepted: dict[int, Span] = {s.start: s for s in names
                                 if s.key not in needs or cues[s.start][1] is not None}
    changed = True
    while changed:
        changed = False
        for i, s in enumerate(names):
            if s.start in accepted:
                continue
            left = names[i - 1] if i > 0 and names[i - 1].start in accepted else None
            right = names[i + 1] if i + 1 < len(names) and names[i + 1].start in accepted else None
            # a list of Syrian places, not «سوريا والضمير العالمي»
            left = left if left and _syrian_local(gaz, left) else None
            right = right if right and _syrian_local(gaz, right) else None
            if (left and _joined(text, left.end, s.word_start)) or (
                    right and _joined(text, s.end, right.word_start)):
                accepted[s.start] = s
                changed = True

    chosen_first = {st: _best(gaz.candidates(sp.key), cues[st][1], None, Counter(), set())
                    for st, sp in accepted.items() if _LIST_OPEN.match(text, sp.end)}
    doc_admin1: Counter = Counter()
    doc_countries: set[str] = set()
    for sp in accepted.values():
        cands = gaz.candidates(sp.key)
        first = cands[0]
        if first.country == "SY" and first.admin1 and all(c.admin1 == first.admin1 for c in cands):
            doc_admin1[first.admin1] += 1
        if all(c.country != "SY" for c in cands):
            doc_countries.update(c.country for c in cands)

    ctx_of: dict[int, Place] = {}
    for place, start, stop in _list_context(text, [(accepted[st], p)
                                                   for st, p in chosen_first.items()]):
        for s, _e in _items(text, start, stop):
            ctx_of[s] = place
            span = next((sp for sp in names if sp.word_start <= s < sp.end), None)
            if span is not None:
                accepted.setdefault(span.start, span)
                ctx_of[span.start] = place

    out: list[Resolved] = []
    memo: dict[tuple, tuple[Place, float]] = {}
    for st, sp in sorted(accepted.items()):
        cue_word, cue_level = cues[st]
        ctx = ctx_of.get(st)
        memo_key = (sp.key, cue_level, ctx.place_id if ctx else None)
        if memo_key not in memo:
            cands = gaz.candidates(sp.key)
            best = _best(cands, cue_level, ctx.admin1 if ctx else None, doc_admin1, doc_countries)
            conf = _confidence(best, _distinct(cands), cue_level, sp.key in needs,
                               ctx is not None, doc_admin1, doc_countries)
            if ctx is not None and best.admin1 != ctx.admin1:
                best, conf = ctx, 0.35  # no such name there in the gazetteer: say what the list says
            memo[memo_key] = (best, conf)
        best, conf = memo[memo_key]
        start = sp.word_start if sp.kind == 1 else sp.start
        end = _extend_direction(text, sp.end) if best.level in _CONTEXT_LEVELS else sp.end
        out.append(Resolved(start, end, best, conf, cue_word or (f"list: {ctx.name_ar}" if ctx else "")))

    # Names the gazetteer lacks, known only from a list after ريف X: resolved to X, less sure.
    covered = [(r.start, r.end) for r in out]
    for s, place in ctx_of.items():
        e = _item_end(text, s)
        if e - s >= 3 and not any(a < e and s < b for a, b in covered):
            out.append(Resolved(s, e, place, 0.35, f"list: {place.name_ar}"))
    out.extend(_cued_before_context(text, out))
    out.sort(key=lambda r: r.start)
    return out


def _cued_before_context(text: str, found: list[Resolved]) -> list[Resolved]:
    """Unknown names between a cue and «بريف X» (مناطق حميمة بريف حمص): resolved to ريف X."""
    out: list[Resolved] = []
    covered = [(r.start, r.end) for r in found]
    for r in found:
        if r.place.level not in _CONTEXT_LEVELS or r.place.country != "SY":
            continue
        ws = r.start
        while ws > 0 and "\u0621" <= text[ws - 1] <= "\u064A":
            ws -= 1
        words = _words_before(text, ws, 4)
        if text[ws:r.start] not in ("ب", "وب"):
            if not words or words[-1][0] != "في" or text[words[-1][2]:ws] != " ":
                continue
            words = words[:-1]
        for n in (1, 2):
            if len(words) <= n:
                continue
            if any(text[a[2]:b[1]] != " " for a, b in zip(words[-n - 1:], words[-n:])):
                break
            if text[words[-1][2]:ws] not in (" ",) and words[-1][2] != ws:
                break
            if PLACE_CUES.get(_strip_clitic(words[-n - 1][0])) in ("populated_place", "region"):
                s, e = words[-n][1], words[-1][2]
                if not any(a < e and s < b for a, b in covered):
                    out.append(Resolved(s, e, r.place, 0.35, f"context: {r.place.name_ar}"))
                break
    return out


def _item_end(text: str, s: int) -> int:
    """End of a list item that starts at s (up to the next separator or quote)."""
    e = s
    while e < len(text) and text[e] not in '،,"»”)\n.':
        e += 1
    while e > s and text[e - 1] == " ":
        e -= 1
    return e


def _extend_direction(text: str, end: int) -> int:
    """Extend a region's span over a following direction adjective (ريف حمص الشرقي)."""
    for m in (_TWO_WORDS, _ONE_WORD):
        hit = m.match(text, end)
        if hit and hit.group(1) in DIRECTIONS:
            return hit.end()
    return end


def _best(cands: list[Place], cue_level: str | None, ctx_admin1: str | None,
          doc_admin1: Counter, doc_countries: set[str]) -> Place:
    """The highest-scoring candidate."""
    return max(cands, key=lambda c: _score(c, cands, cue_level, ctx_admin1, doc_admin1,
                                           doc_countries))


def _confidence(best: Place, distinct: list[Place], cue_level: str | None,
                needed_context: bool, listed: bool, doc_admin1: Counter,
                doc_countries: set[str]) -> float:
    """Confidence 0-1: high for a unique, cued name; lower when candidates compete."""
    if len(distinct) <= 1:
        conf = 0.9
    else:
        scores = sorted((_score(c, distinct, cue_level, best.admin1 if listed else None,
                                doc_admin1, doc_countries) for c in distinct), reverse=True)
        conf = min(0.85, 0.45 + max(0.0, scores[0] - scores[1]))
    if cue_level:
        conf = min(0.97, conf + 0.05)
    if needed_context:
        conf = min(conf, 0.75)
    return conf
