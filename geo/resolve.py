"""Matched names to places: which names are places here, and which place each one is.

1. A name is kept when it can be a place here (geo.acceptance): its written shape, not inside
   an organisation's name, not an adjective, and — for names that read as ordinary words —
   enough evidence around it (a cue, a list, a relation, a preposition).
2. Each kept name is resolved among its candidates by, in order of weight: the relation the
   sentence gives it to another place («في ريف حلب», «شمال حماة», «حي جوبر الدمشقي»), the list
   it is in, its cue word (مدينة، محافظة، حي، مطار …), its nearness to the places already
   resolved in the paragraph and the article (spatial coherence), the article's governorates,
   and last the candidate's prominence (level, seat of a unit, population).
3. Names that the gazetteer lacks but a cue or a list shows to be places (geo.unknown) resolve to
   the most specific unit the context supports, without a point of their own.

Every result says why (`basis`) in words. All work is local to a name's sentence and paragraph:
the time is linear in the text's length.
"""
from __future__ import annotations

import itertools
import math
from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace

from geo.acceptance import (
    CUE,
    NONE,
    Cue,
    adjective_of_the_noun_before,
    after_person_link,
    before_person_link,
    cue_before,
    evidence,
    followed_by_agreeing_adjective,
    head_of_idafa,
    in_organisation_name,
    is_cue_before_a_name,
    is_nisba_adjective,
    list_cue,
    needed,
    said_by,
    shape_rejects,
)
from geo.context import Anchor, inside, list_after, list_items, nearest_km, nisba_anchor, relation
from geo.gazetteer import Gazetteer
from geo.records import Place
from geo.unknown import COMPOUND_HEADS, PRONOUN_SUFFIXES, Claimed, UnknownName, find_unknown
from nlp.cues import CITY_CUES, CUE_SPELLINGS, LIST_JOINERS, PLACE_CUES, PLURAL_CUES, PREPOSITIONS
from nlp.match import BLOCK, Span
from nlp.normalize import NormText
from nlp.shape import bare, hamza_conflict
from nlp.tokens import Tokens

COHERENCE_KM = 30.0  # e-folding distance of the paragraph coherence bonus
# Countries whose nisba after a Syrian place names its people, not the country: «مخيم اليرموك
# الفلسطيني» (Palestinian refugees), «قرية X التركمانية» (Turkmen), the Armenian quarter.
PEOPLE_NISBAS = frozenset(("SY", "PS", "TM", "AM"))
WORLD_CITY = 0.9  # prominence of the capitals and great cities abroad (geo.sources.foreign)
NAMESAKE_KM = 25.0  # a Syrian namesake this close to a place of the paragraph is meant
# A place this prominent may be said to speak (its government: قالت دمشق), or stand before
# «أبو»/«بن» («في اليمن أبو بصير»): below it, a name there is a person's.
PERSON_PROMINENCE = 0.6
NEAR_KM = 40.0  # «X قرب Y»: how far Y may lie from X for X to vouch that Y is a place
ARTICLE_KM = 60.0
MAX_NEIGHBOURS = 60  # resolved places a candidate is compared with (keeps the work linear)
SAME_PLACE_KM = 8.0


@dataclass(slots=True)  # not frozen: made by the ten thousand, and frozen init is slow
class Resolved:
    """A span of normalised text resolved to a place."""

    start: int
    end: int
    place: Place
    confidence: float
    cue: str
    basis: str
    point: str = "place"  # place | unit (the admin unit's point) | none


@dataclass(slots=True)
class _Name:
    """One matched name and what its context says."""

    k: int  # position among the names
    span: Span
    cands: list[Place]
    cue: Cue
    sentence: int
    paragraph: int
    wordiness: float = 0.0
    accepted: bool = False
    evidence: float = NONE
    anchors: list[Anchor] = field(default_factory=list)
    list_of: Place | None = None
    place: Place | None = None
    confidence: float = 0.0
    basis: list[str] = field(default_factory=list)


class _WordCheck:
    """Whether each name reads as a word (_Resolver._reads_as_a_word on its snapshot of
    wordiness, cue and anchors), judged once, when first asked."""

    __slots__ = ("_known", "_resolver", "_snapshots")

    def __init__(self, resolver: _Resolver, snapshots: list[tuple[float, Cue, tuple[Anchor, ...]]]
                 ) -> None:
        """Keep what each name's check will look at."""
        self._resolver, self._snapshots = resolver, snapshots
        self._known: dict[int, bool] = {}

    def rejects(self, k: int) -> bool:
        """True when name k reads as a word (judged now if it was not yet)."""
        if k not in self._known:
            self._known[k] = self._resolver._reads_as_a_word(self._resolver.names[k],
                                                             *self._snapshots[k])
        return self._known[k]

    def rejected(self, k: int) -> bool:
        """True when name k was judged already and reads as a word."""
        return self._known.get(k, False)


def _fits(cue: Cue, cands: list[Place]) -> bool:
    """True when a cue word suits what one of the candidates is (قرية for a village)."""
    return any(_cue_score(p, cue) > 0 for p in cands)


def _share_plural_cue(left: _Name, n: _Name) -> None:
    """أحياء جوبر والقدم والتضامن: the plural cue of a list's first name covers the next one."""
    if left.cue.word in PLURAL_CUES and not n.cue.word:
        n.cue = left.cue


def is_adjective_of_cue(span: Span) -> bool:
    """True when a common word after a cue agrees with it as an adjective: «قرية صغيرة»,
    «مدينة عريقة», «مناطق جديدة» (indefinite, feminine like the cue)."""
    return " " not in span.key and not span.key.startswith("ال") and span.key.endswith("ه")


def _syrian_local(cands: list[Place]) -> bool:
    """True when a name can only be a place inside Syria below the country level."""
    return bool(cands) and all(p.country == "SY" and p.level != "country" for p in cands)


def _placed_near(left: _Name | None, n: _Name) -> bool:
    """True when a place before a name is said to lie near it (قدسيا القريبة من الهامة، بلدة
    X شمال Y) and one of the name's candidates does lie near that place: then it is a place
    too. Political closeness (المصادر القريبة من الأسد) has no place before it."""
    if left is None or not left.accepted or not _syrian_local(left.cands):
        return False
    if not any(a.relation == "near" and a.place is n.cands[0] for a in left.anchors):
        return False
    return any(nearest_km(p, left.cands) <= NEAR_KM for p in n.cands)


def _joined(text: str, left_end: int, right_start: int) -> bool:
    """True when only a list joiner (، or و) and at most one adjective stand between two names."""
    if left_end > right_start:
        return False
    gap = text[left_end:right_start]
    if len(gap) > 25 or any(c in ".؛;!?\n" for c in gap):
        return False
    words = gap.split()
    rest = "".join(ch for ch in gap if not ("\u0621" <= ch <= "\u064A") and not ch.isspace())
    if any(ch not in LIST_JOINERS for ch in rest):
        return False
    letters = [w for w in words if any("\u0621" <= c <= "\u064A" for c in w) and w != "و"]
    joined = bool(rest) or "و" in words or text[right_start:right_start + 1] == "و"
    return joined and (not letters or (len(letters) == 1 and letters[0].startswith("ال")
                                       and letters[0].endswith(("يه", "ي"))))


def _distinct(cands: list[Place]) -> list[Place]:
    """Candidates that are different places (not one place seen at two levels or sources)."""
    out: list[Place] = []
    for p in cands:
        same = False
        for q in out:
            if p.country != q.country:
                continue
            if p.admin3_pcode and q.admin3_pcode:
                same = p.admin3_pcode == q.admin3_pcode and (
                    p.level != q.level or p.lat is None or q.lat is None
                    or _km(p, q) <= SAME_PLACE_KM)
            else:
                same = _km(p, q) <= SAME_PLACE_KM
            if same:
                break
        if not same:
            out.append(p)
    return out


def _km(a: Place, b: Place) -> float:
    """Distance in km (inf without points)."""
    from geo.context import km
    return km(a, b)


def _shared_unit(p: Place, others: list[Place]) -> float:
    """Coherence from admin units when points are missing: the same sub-district, district or
    governorate as a place already resolved in the paragraph."""
    best = 0.0
    for o in others:
        if o.place_id == p.place_id:
            continue
        if p.admin3_pcode and p.admin3_pcode == o.admin3_pcode:
            return 0.6
        if p.admin2_pcode and p.admin2_pcode == o.admin2_pcode:
            best = max(best, 0.4)
        elif p.admin1 and p.admin1 == o.admin1:
            best = max(best, 0.2)
    return best


def _cue_score(p: Place, cue: Cue) -> float:
    """How well a candidate fits the cue word before its name."""
    if not cue.word or cue.preposition:
        # a bare name is the town more than the unit or the governorate of that name
        return {"district": -0.3, "subdistrict": -0.35, "governorate": -0.15}.get(p.level, 0.0)
    s = 0.0
    if cue.level and cue.level == p.level:
        s += 0.6
    elif cue.level == "neighbourhood" and p.level == "populated_place":
        s += 0.2  # OCHA lists some city quarters as communities
    elif cue.level == "region" and p.level == "governorate":
        s += 0.3  # ريفي إدلب وحلب
    if cue.kind:
        related = {"airbase": ("airport", "military_base"), "oil_field": ("gas_field",),
                   "mountain": ("hill", "region"), "hill": ("mountain",), "plain": ("region",)}
        if p.kind == cue.kind or p.kind in related.get(cue.kind, ()):
            s += 0.6
        elif p.level == "populated_place" and cue.kind in ("mountain", "hill", "camp", "plain"):
            s += 0.1  # جبل/تل/مخيم X may be the village X
    if cue.word in ("منطقه", "مناطق") and p.level in ("district", "region"):
        s += 0.3
    if cue.word in PLURAL_CUES and p.level == "region":
        s += 0.6  # بلدات القلمون: the towns of a region
    return s


def _level_of(kind: str) -> str:
    """The level of a name the gazetteer lacks, from the kind its cue gives (جبل X: a feature)."""
    return "feature" if kind and kind != "camp" else "populated_place"


NEARBY_CHARS = 200  # about 30 words before a name the gazetteer lacks


class _Resolver:
    """The state of one resolution: the names, what is resolved so far, the article's places."""

    def __init__(self, norm: NormText, spans: list[Span], gaz: Gazetteer) -> None:
        """Prepare the names of a text for resolution."""
        self.norm, self.text, self.gaz = norm, norm.text, gaz
        self.tok = Tokens(norm.text)
        names = [s for s in spans if s.kind != BLOCK]
        kept: list[tuple[Span, Cue]] = []
        for k, s in enumerate(names):
            cue = cue_before(self.tok, s)
            if needed(gaz.wordiness.get(s.key, 0.0)) >= CUE and not self._may_be_a_place(
                    s, cue, names[k - 1] if k else None, names[k + 1] if k + 1 < len(names) else None):
                continue
            if shape_rejects(norm, s, gaz) or in_organisation_name(
                    self.tok, s, gaz.is_country(s.key), gaz.index.__contains__):
                continue
            kept.append((s, cue))
        starts = [s.start for s, _cue in kept]
        self.names: list[_Name] = [
            _Name(k, s, gaz.candidates(s.key), cue, sentence, paragraph,
                  gaz.wordiness.get(s.key, 0.0))
            for k, ((s, cue), sentence, paragraph) in enumerate(zip(
                kept, self.tok.sentences_at(starts), self.tok.paragraphs_at(starts)))]
        self.by_paragraph: dict[int, list[Place]] = defaultdict(list)
        self.by_sentence: dict[int, list[Place]] = defaultdict(list)
        self.article: list[Place] = []
        self.admin1: Counter[str] = Counter()
        self.countries: Counter[str] = Counter()
        self.lists: list[tuple[Place, list[tuple[int, int]]]] = []
        self._distinct_of: dict[str, list[Place]] = {}

    def _may_be_a_place(self, s: Span, cue: Cue, left: Span | None, right: Span | None) -> bool:
        """For a name that only a cue makes a place («الصراع», the conflict; «عليه»): True when
        something around it could give it one (see accept): a cue word that fits (its own
        `cue` or its list's), a list it is joined to, a relation to the next name, a name before
        it said to lie near it, or a list it could open. A name that cannot be a place here is
        dropped before anything else: it is not context for the names around it either («في
        مناطق الصراع» does not put the name before it in the village صراع)."""
        if self.gaz.opens_lists(s.key):
            return True
        if not cue.word and s.word_start < s.start:  # «قرى الزويك والدويركة»: the list's cue
            cue = list_cue(self.tok, s)
        cued = bool(cue.word) and not cue.preposition
        if cued and _fits(cue, self.gaz.candidates(s.key)):
            return True
        if left is not None and _joined(self.text, left.end, s.word_start):
            return True
        if left is not None:
            rel = relation(self.tok, left, s, self.gaz.common_words)
            if rel is not None and rel[0] == "near":
                return True  # «قدسيا القريبة من الهامة»: accepted if قدسيا is (_placed_near)
        if right is None:
            return False
        if cued and _joined(self.text, s.end, right.word_start):
            return True  # a relation after a list holds for its items
        return relation(self.tok, s, right, self.gaz.common_words) is not None

    # ---- which names are places -------------------------------------------------------------
    def accept(self) -> None:
        """Decide which names are places, from their shape, cue, list and relations."""
        names, text, gaz = self.names, self.text, self.gaz
        for k in range(len(names) - 1):
            rel = relation(self.tok, names[k].span, names[k + 1].span, gaz.common_words)
            if rel is not None:
                names[k].anchors.append(Anchor(names[k + 1].cands[0], rel[0], rel[1], rel[2]))
        # Whether a name reads as a word is judged on what is known of it here, before lists
        # and shared cues; but only for the names that could be places at all (most that need
        # evidence never get it), so it is kept as a snapshot and judged when first asked.
        words = _WordCheck(self, [(n.wordiness, n.cue, tuple(n.anchors)) for n in names])
        for n in names:
            s = n.span
            if s.word_start < s.start and s.key in gaz.clitic_words.get(text[s.word_start:s.end], ()):
                n.wordiness = max(n.wordiness, 2.0)  # «بلد» is not ب + «لد»
        self._mark_lists()
        for n in names:
            if not n.cue.word and n.span.word_start < n.span.start:
                shared = list_cue(self.tok, n.span)
                if shared.word:
                    n.cue = shared  # قرى … وساقية الكرت: the list's plural cue
        for k in range(len(names) - 2, -1, -1):  # a relation after a list holds for its items
            nxt = names[k + 1]
            if (not names[k].anchors and nxt.anchors and names[k].cue.word
                    and not names[k].cue.preposition
                    and _joined(text, names[k].span.end, nxt.span.word_start)):
                names[k].anchors = [a for a in nxt.anchors if a.relation != "list"]
        for k, n in enumerate(names):  # names that need no evidence: most of them
            if needed(n.wordiness) == NONE and not words.rejects(k):
                n.accepted = True
        changed = True
        while changed:
            changed = False
            sentences = Counter(n.sentence for n in names if n.accepted)
            for k, n in enumerate(names):
                if n.accepted or words.rejected(k):
                    continue
                left = names[k - 1] if k > 0 else None
                right = names[k + 1] if k + 1 < len(names) else None
                joined = [o for o in (left, right) if o is not None and o.accepted
                          and _syrian_local(o.cands)
                          and _joined(text, *((o.span.end, n.span.word_start) if o is left
                                              else (n.span.end, o.span.word_start)))]
                in_list = n.list_of is not None or bool(joined)
                if left in joined:
                    _share_plural_cue(left, n)  # before its evidence is weighed
                anchored = (any(a.relation != "list" for a in n.anchors) and right is not None
                            and right.accepted and right.cands[0].level != "country"
                            and any(inside(p, right.cands[0]) for p in n.cands)) \
                    or _placed_near(left, n)
                clitic_prep = "ب" in text[n.span.word_start:n.span.start]
                ev = evidence(self._cue_for_evidence(n), in_list, anchored, clitic_prep,
                              sentences[n.sentence] > 0)
                if ev >= needed(n.wordiness) and not words.rejects(k):
                    n.accepted, n.evidence, changed = True, ev, True
                    sentences[n.sentence] += 1
        for left, n in itertools.pairwise(names):  # and for names that needed no evidence
            if (n.accepted and left.accepted and _syrian_local(left.cands)
                    and _joined(text, left.span.end, n.span.word_start)):
                _share_plural_cue(left, n)

    @staticmethod
    def _cue_for_evidence(n: _Name) -> Cue:
        """The cue as evidence that a name is a place. A name that reads as a word so often
        that only a cue makes it a place needs a cue that fits what it names: «قرية الصراع»,
        not «مناطق الصراع» (conflict areas) or «ميناء البريقة» for a village."""
        cue = n.cue
        if not cue.word or cue.preposition or needed(n.wordiness) < CUE or _fits(cue, n.cands):
            return cue
        return replace(cue, word="")

    def _reads_as_a_word(self, n: _Name, wordiness: float, cue: Cue, anchors: tuple[Anchor, ...]
                         ) -> bool:
        """True when the words around a name show it is not a place here: an adjective (of the
        noun before it or of its cue), part of a person's name, the head of an idafa, or a cue
        word that introduces the next name (given its wordiness, cue and anchors)."""
        s, tok = n.span, self.tok
        key = s.key
        if max(p.prominence for p in n.cands) < PERSON_PROMINENCE and (
                (s.word_start == s.start and said_by(tok, s))  # «قال البحرة»
                or (" " not in key and not cue.preposition and before_person_link(tok, s))):
            return True  # a person (a village does not speak; «خالد أبو زيد»: a given name)
        if (wordiness == 0.0 and not key.startswith("ال") and not key.endswith(("ي", "يه", "ين", "ان"))
                and key not in PLACE_CUES):
            # the only reading left for a plain name
            return after_person_link(tok, s, self.gaz.is_country(key))
        if is_cue_before_a_name(tok, s):
            return True
        cued = bool(cue.word) and not cue.preposition
        located = any(a.relation == "in" and a.strength >= 0.7 and a.place.country == "SY"
                      and any(inside(p, a.place) for p in n.cands) for a in anchors)
        if cued and wordiness >= 1.0 and is_adjective_of_cue(s) and not located:
            return True  # قرية صغيرة (but «مناطق حميمة بريف حمص»: a place the sentence locates)
        if cued and not self.gaz.is_country(key) \
                and not (wordiness >= 0.5 and s.key.endswith(("يه", "ي"))):
            return False  # a cue protects a name, but not a nisba (بلدات سورية، مدينة كردية)
        if s.key.endswith(("ي", "يه")):
            a, b = self.norm.span_to_original(s.start, s.end)
            if is_nisba_adjective(tok, s, self.norm.original[a:b]):
                return True
        return (followed_by_agreeing_adjective(tok, s, self.gaz)
                or after_person_link(tok, s, self.gaz.is_country(key))
                or (wordiness > 0.0
                    and head_of_idafa(tok, s, self.gaz.index, strict=wordiness < 0.5))
                or (wordiness > 0.0 and adjective_of_the_noun_before(tok, s)))

    def _mark_lists(self) -> None:
        """Names inside a list opened after a region or governorate («ريف حمص: …»)."""
        heads = [n for n in self.names if self.gaz.opens_lists(n.span.key)]
        if not heads:
            return
        by_start = {n.span.word_start: n for n in self.names}
        for n in heads:
            extent = list_after(self.text, n.span)
            if extent is None:
                continue
            place = next(p for p in n.cands if p.level in ("region", "governorate"))
            items = list_items(self.text, *extent)
            self.lists.append((place, items))
            for s, _e in items:
                item = by_start.get(s) or by_start.get(s - 1)
                if item is not None:
                    item.list_of = place
                    item.anchors.append(Anchor(place, "list", 1.0, n.span.key))

    # ---- which place each name is -----------------------------------------------------------
    def resolve(self) -> None:
        """Resolve the accepted names: unambiguous ones first, then the rest with their context."""
        todo = [n for n in self.names if n.accepted]
        quarters = [n for n in todo if n.cue.level == "neighbourhood"]  # last: they need their city
        later = []
        for n in todo:
            if n.cue.level == "neighbourhood":
                continue
            if len(self._distinct(n)) == 1:
                self._choose(n)
            else:
                later.append(n)
        anchored = [n for n in later if n.anchors]
        for n in reversed(anchored):  # an anchor lies after its name: resolve right to left
            self._refresh_anchors(n)
            self._choose(n)
        for n in later:
            if not n.anchors:
                self._choose(n)
        for n in quarters:
            self._refresh_anchors(n)
            self._choose(n)

    def _distinct(self, n: _Name) -> list[Place]:
        """The different places a name's candidates are (computed once per key and text)."""
        if n.span.key not in self._distinct_of:
            self._distinct_of[n.span.key] = _distinct(n.cands)
        return self._distinct_of[n.span.key]

    def _refresh_anchors(self, n: _Name) -> None:
        """Point each relation at the place its anchor name resolved to."""
        k = n.k
        right = self.names[k + 1].place if k + 1 < len(self.names) else None
        if right is not None:
            n.anchors = [Anchor(right, a.relation, a.strength, a.words)
                         if a.relation != "list" else a for a in n.anchors]

    def _score(self, n: _Name, p: Place, nisba: str | None, coherence: bool = True
               ) -> tuple[float, list[str]]:
        """A candidate's score and the reasons that moved it (coherence: compare it with the
        places around; not needed when all candidates are one place)."""
        why: list[str] = []
        s = 0.8 * p.prominence
        cue = _cue_score(p, n.cue)
        if cue > 0:
            why.append(f"cue «{n.cue.word}»")
        s += cue
        for a in n.anchors:
            hit = inside(p, a.place)
            if hit is True:
                s += 1.5 * a.strength
                why.append(f"context «{a.words}» → {a.place.name_en or a.place.name_ar}")
            elif hit is False:
                s -= 0.8 * a.strength
        if nisba is not None:
            s += 1.0 if p.admin1_pcode == nisba else -0.5
        near = self.by_paragraph.get(n.paragraph, [])[-MAX_NEIGHBOURS:] if coherence else []
        if p.country == "SY" and coherence:
            d = nearest_km(p, near)
            bonus = 0.7 * math.exp(-d / COHERENCE_KM) if d < math.inf else 0.0
            shared = _shared_unit(p, near)
            if shared > bonus:
                bonus = shared
                d = -1.0
            if bonus > 0.1:
                why.append(f"coherence: {d:.0f} km from a place of the paragraph" if d >= 0
                           else "coherence: in the same unit as a place of the paragraph")
            s += bonus
            d2 = nearest_km(p, self.article[-MAX_NEIGHBOURS:])
            if d2 < math.inf:
                s += 0.3 * math.exp(-d2 / ARTICLE_KM)
            total = sum(self.admin1.values())
            if total and p.admin1:
                s += 0.3 * self.admin1[p.admin1] / total
        elif p.country != "SY":
            s += 0.4 * min(1, self.countries[p.country]) - (0.1 if self.admin1 else 0)
        return s, why

    def _choose(self, n: _Name) -> None:
        """Pick the best candidate of a name and record it as context for the others."""
        distinct, cands = self._distinct(n), n.cands
        if self._country_only(n):
            cands = [p for p in cands if p.level == "country"]
            distinct = _distinct(cands)
        elif self._world_city_only(n):
            cands = [p for p in cands if p.country != "SY" and p.prominence >= WORLD_CITY]
            distinct = _distinct(cands)
        several = len(distinct) > 1
        if len(cands) == 1:  # most names: nothing to weigh, only the reasons to state
            best_score, why, best = 0.0, self._score(n, cands[0], None, False)[1], cands[0]
            scored = [(best_score, why, best)]
        else:
            nisba = nisba_anchor(self.tok, n.span)
            scored = sorted(((*self._score(n, p, nisba, several), p) for p in cands),
                            key=lambda t: -t[0])
            best_score, why, best = scored[0]
        if len(distinct) == 1:
            conf = 0.9
            why = why or [f"the only {best.level.replace('_', ' ')} of this name"]
        else:
            second = next((s for s, _w, p in scored[1:] if p in distinct and p is not best), best_score)
            conf = min(0.88, 0.45 + max(0.0, best_score - second) / 2)
            if not why:
                why = [f"prior: {best.level.replace('_', ' ')}, prominence {best.prominence:.2f}"]
        if n.cue.word and not n.cue.preposition:
            conf = min(0.97, conf + 0.05)
        if n.wordiness >= 0.5:
            conf = min(conf, 0.8)
        city, near = self._city_of_quarter(n)
        if near is not None and city is not None:
            best, why = near, [f"a quarter («{n.cue.word}») of {city.name_en or city.name_ar}, "
                               "the paragraph's city"]
        elif city is not None:
            best, conf, why = city, 0.4, [f"a quarter («{n.cue.word}») of {city.name_en or city.name_ar}, "
                                          "the paragraph's city; the gazetteer lacks it there"]
        elif n.list_of is not None and n.list_of.admin1 and best.admin1 != n.list_of.admin1:
            best, conf, why = n.list_of, 0.35, [f"list after «{n.list_of.name_ar}»"]
        else:
            best, conf, why = self._unit_when_nothing_fits(n, best, conf, why)
        n.place, n.confidence, n.basis = best, round(conf, 3), why
        if best.country == "SY" and best.level not in ("country", "region"):
            self.by_paragraph[n.paragraph].append(best)
            self.by_sentence[n.sentence].append(best)
            self.article.append(best)
            if best.admin1:
                self.admin1[best.admin1] += 1
        elif best.country != "SY":
            self.countries[best.country] += 1

    def _country_only(self, n: _Name) -> bool:
        """True when a name that names a country is the country: always, unless a cue before
        it fits one of its other places («قرية تركيا»). Its villages of the same name take no
        context («تنفذها تركيا في سوريا», a paragraph about Raqqa put Turkey in a village there)."""
        if not self.gaz.is_country(n.span.key) or all(p.level == "country" for p in n.cands):
            return False
        cued = bool(n.cue.word) and not n.cue.preposition
        return not (cued and _fits(n.cue, [p for p in n.cands if p.level != "country"]))

    def _world_city_only(self, n: _Name) -> bool:
        """True when a name that names a capital or great city abroad is that city: unless a cue
        before it fits a Syrian namesake («قرية القاهرة») or a relation puts it in Syria
        («القاهرة بريف حماة») or the paragraph names a place close to one («معارك في سنجار» after
        Abu al-Duhur); a paragraph about Syria at large is no such evidence («المحكمة بالرياض»
        was a Syrian village)."""
        if not any(p.country != "SY" and p.prominence >= WORLD_CITY for p in n.cands) \
                or all(p.country != "SY" for p in n.cands):
            return False
        syrian = [p for p in n.cands if p.country == "SY"]
        cued = bool(n.cue.word) and not n.cue.preposition and _fits(n.cue, syrian)
        placed = any(a.relation in ("in", "near") and a.strength >= 0.7 and a.place.country == "SY"
                     and any(inside(p, a.place) for p in syrian) for a in n.anchors)
        near = self.by_paragraph.get(n.paragraph, [])[-MAX_NEIGHBOURS:]
        close = any(nearest_km(p, near) <= NAMESAKE_KM for p in syrian)
        return not (cued or placed or close or n.list_of is not None)

    def _city_of_quarter(self, n: _Name) -> tuple[Place | None, Place | None]:
        """For a name cued as a quarter (حي، أحياء) with no quarter of that name in the gazetteer:
        the paragraph's city, and the candidate that lies in it if one does (حيي الوحدة وفلسطين
        in a paragraph about al-Qamishli)."""
        if n.cue.level != "neighbourhood":
            return None, None
        quarters = [p for p in n.cands if p.level == "neighbourhood"]
        city = next((a.place for a in n.anchors if a.relation == "in" and a.place.country == "SY"
                     and a.place.level in ("populated_place", "governorate")), None)
        if city is None:
            recent = self.by_sentence.get(n.sentence) or self.by_paragraph.get(n.paragraph, [])
            recent = [p for p in recent if p.country == "SY" and (
                p.level == "neighbourhood" or (p.level == "populated_place" and p.prominence >= 0.6))]
            if not recent:
                return None, None
            city = recent[-1]
            if city.level == "neighbourhood":  # the city of the quarter named before it
                city = self.gaz.by_id(city.admin3_pcode or "") or city
        near = min(((d, p) for p in n.cands if (d := _km(p, city)) <= 12),
                   key=lambda dp: dp[0], default=(None, None))[1]
        if quarters and near is None and n.wordiness < 0.5:
            return None, None  # a known quarter of another city (حي جوبر): let the rest decide
        return city, near

    def _unit_when_nothing_fits(self, n: _Name, best: Place, conf: float, why: list[str]
                                ) -> tuple[Place, float, list[str]]:
        """When the sentence places a name in a unit none of its candidates lies in (الزيادية في
        ريف إدلب, but the gazetteer's الزيادية are elsewhere), trust the sentence: a region
        spanning several governorates takes the unit's governorate; anything else becomes a
        mention of that unit, with low confidence. A country's nisba right after a name the
        gazetteer knows only in Syria puts it in that country («مدينة سوسة التونسية»)."""
        if _syrian_local(n.cands):
            nisba, nisba_why = self._nisba_country(n.span.end)
            if nisba is not None and nisba.country not in PEOPLE_NISBAS:
                return nisba, 0.35, [f"{nisba_why}; no place of this name there in the gazetteer"]
        if not n.anchors:
            return best, conf, why
        abroad = next((a for a in n.anchors if a.relation == "in" and a.strength >= 0.7
                       and a.place.level == "country" and a.place.country != "SY"), None)
        if abroad is not None and all(p.country != abroad.place.country and p.level != "country"
                                      for p in n.cands):
            # «مدينة سوسة بتونس»: the gazetteer's سوسة are Syrian villages; the sentence says Tunisia.
            # A country lies in no other («إيران في اليمن», «بسوريا وبالعراق»).
            return abroad.place, 0.35, [f"context «{abroad.words}» → {abroad.place.name_en}; "
                                        "no place of this name there in the gazetteer"]
        strong = [a for a in n.anchors if a.relation == "in" and a.strength >= 0.7
                  and a.place.country == "SY" and a.place.admin1
                  and (a.place.level in ("governorate", "region", "district", "subdistrict")
                       or a.place.kind in ("mountain", "plain", "region", "valley"))]
        if (not strong or best.country != "SY" or best.prominence >= 0.8
                or any(inside(p, a.place) for p in n.cands for a in strong)):
            return best, conf, why
        unit = strong[0].place
        note = f"context «{strong[0].words}» → {unit.name_en or unit.name_ar}"
        if best.level == "region" and not best.admin1:
            return replace(best, admin1=unit.admin1, admin1_pcode=unit.admin1_pcode), conf, [note]
        if n.wordiness >= 0.5 and not n.cue.word:
            return best, conf, why
        return unit, 0.35, [f"{note}; no place of this name there in the gazetteer"]

    # ---- output ---------------------------------------------------------------------------
    def results(self) -> list[Resolved]:
        """Resolved mentions, with «ريف X» of towns, list items and unknown names after cues."""
        out: list[Resolved] = []
        for n in self.names:
            if n.place is None:
                continue
            s = n.span
            start = s.word_start if s.kind == 1 else s.start  # لل: keep the ل of the article
            if n.cue.word == "ريف" and n.place.level in ("populated_place", "district",
                                                          "subdistrict") and n.place.country == "SY":
                out.append(self._rural_of(n))
                continue
            place, point = n.place, "place"
            if place.lat is None and place.country == "SY":
                at = self._unit_point(place)
                if at is not None:
                    place, point = replace(place, lat=at[0], lon=at[1]), "unit"
                else:
                    point = "none"
            elif place.lat is None:
                point = "none"
            out.append(Resolved(start, s.end, place, n.confidence, n.cue.word,
                                "; ".join(n.basis), point))
        out.extend(self._unknown(out))
        out.sort(key=lambda r: r.start)
        return out

    def _rural_of(self, n: _Name) -> Resolved:
        """«ريف X» for a town X: the countryside of the town, at the town's point."""
        town = n.place
        assert town is not None
        region = Place(place_id=f"rural-{town.place_id}", name_ar=f"ريف {town.name_ar}",
                       name_en=f"Rural {town.name_en}", level="region", country="SY",
                       lat=town.lat, lon=town.lon, admin1=town.admin1,
                       admin1_pcode=town.admin1_pcode, admin2_pcode=town.admin2_pcode,
                       source=f"the countryside of {town.name_en or town.name_ar} ({town.place_id})")
        start = self.tok.starts[n.cue.index]
        return Resolved(start, n.span.end, region, n.confidence, "ريف",
                        "; ".join([f"«ريف» + {town.name_ar}", *n.basis]))

    def _unknown(self, found: list[Resolved]) -> list[Resolved]:
        """Mentions for names after cues and in lists that the gazetteer lacks."""
        covered = [(r.start, r.end) for r in found]
        out = []
        resolved = sorted((n for n in self.names if n.place is not None), key=lambda n: n.span.start)
        starts = [n.span.start for n in resolved]
        unknown = find_unknown(self.tok, covered, self.gaz.common_words, self._written_as_cue)
        last_of_group = {u.group: u for u in unknown}
        by_sentence: dict[int, list[Place]] = defaultdict(list)
        for n in resolved:
            if n.place is not None:
                by_sentence[n.sentence].append(n.place)
        for u in unknown:
            placed = self._unit_of_unknown(u, last_of_group[u.group], resolved, starts, by_sentence)
            if placed is None:
                continue
            unit, why = placed
            out.append(self._unknown_mention(u.start, u.end, u.level, u.kind, unit,
                                             f"unknown name after «{u.cue}»" + (f"; {why}" if why else "")))
        claimed = Claimed(covered + [(r.start, r.end) for r in out])
        for place, items in self.lists:  # list items that matched nothing: the list's region
            for s, e in items:
                words = self.text[s:e].split()
                if e - s < 3 or len(words) > 3 or all(w in PREPOSITIONS for w in words) or (
                        all(w in self.gaz.common_words for w in words)
                        and words[0] not in COMPOUND_HEADS) or words[-1].endswith(PRONOUN_SUFFIXES):
                    continue  # «(شمال شرق)», «(شمالها)» after a governorate describe it, list nothing
                if claimed.until(s, e) < 0:
                    out.append(self._unknown_mention(s, e, "populated_place", "", place,
                                                     f"list after «{place.name_ar}»"))
        return out

    def _unit_after_list(self, tail: UnknownName, resolved: list[_Name], starts: list[int]
                         ) -> tuple[Place | None, str]:
        """The place a sentence puts a list of unknown names in: «قرى X وY بجبل الأكراد»."""
        k = bisect_right(starts, tail.end)
        left = Span(tail.start, tail.end, "", 0, tail.start)
        while k < len(resolved) and _joined(self.text, left.end, resolved[k].span.word_start):
            left, k = resolved[k].span, k + 1  # the list runs on over known names
        place = resolved[k].place if k < len(resolved) else None
        if place is None:
            return None, ""
        rel = relation(self.tok, left, resolved[k].span, self.gaz.common_words)
        if rel is None or rel[0] != "in":
            return None, ""
        return place, f"context «{rel[2]}» → {place.name_en or place.name_ar}"

    def _written_as_cue(self, i: int, cue: str) -> bool:
        """True when word i is written as the cue word, not another word normalised alike
        («لإحياء», to revive, is not «أحياء», quarters)."""
        a, b = self.norm.span_to_original(self.tok.starts[i], self.tok.ends[i])
        written = bare(self.norm.original[a:b])
        return not hamza_conflict(written[len(written) - len(cue):], [CUE_SPELLINGS.get(cue, cue)])

    def _unit_of_unknown(self, u: UnknownName, tail: UnknownName, resolved: list[_Name],
                         starts: list[int], by_sentence: dict[int, list[Place]]
                         ) -> tuple[Place | None, str] | None:
        """The unit (and why) a name the gazetteer lacks is placed in, the most explicit context
        first: a nisba of a country abroad after it, the place a relation after its list gives,
        the sentence's governorate or country, the places named just before it; None when it is
        not to be a mention: a city with no country abroad (every Syrian city is known)."""
        nisba, nisba_why = self._nisba_country(u.end)
        if nisba is not None and nisba.country != "SY":
            return nisba, nisba_why
        if u.cue in CITY_CUES and nisba is None:
            unit, why = self._sentence_governorate(u.start, by_sentence)
            if unit is None:
                unit, why = self._country_just_before(u.start, resolved, starts)
            return (unit, why) if unit is not None and unit.country != "SY" else None
        unit, why = self._unit_after_list(tail, resolved, starts)
        if unit is None:
            unit, why = self._sentence_governorate(u.start, by_sentence)
        if unit is None:
            unit, why = self._nearby_governorate(u.start, resolved, starts)
        if unit is None:  # «قرية الحضر السورية»: Syria, when nothing says more
            unit, why = nisba, nisba_why
        return unit, why

    def _nisba_country(self, end: int) -> tuple[Place | None, str]:
        """The country a nisba right after a name gives it («مدينة سوروتش التركية»: Turkey)."""
        j = self.tok.after(end)
        if j >= len(self.tok) or self.tok.text[end:self.tok.starts[j]].strip():
            return None, ""
        country = self.gaz.country_nisbas.get(self.tok.word(j))
        return (country, f"«{self.tok.word(j)}» → {country.name_en}") if country else (None, "")

    def _country_just_before(self, start: int, resolved: list[_Name], starts: list[int]
                             ) -> tuple[Place | None, str]:
        """The country of the nearest place named before a name, within NEARBY_CHARS and the
        paragraph («داخل بريطانيا؛ … خلال خطابه في مدينة بيرمنغهام»)."""
        k = bisect_right(starts, start) - 1
        place = resolved[k].place if k >= 0 else None
        if place is None or starts[k] < start - NEARBY_CHARS:
            return None, ""
        if resolved[k].paragraph != self.tok.paragraph_of(self.tok.at(start)):
            return None, ""
        return place, f"the country of the place just before it ({place.country})"

    def _nearby_governorate(self, start: int, resolved: list[_Name], starts: list[int]
                            ) -> tuple[Place | None, str]:
        """The governorate of the Syrian places named just before a name in its sentence, the
        nearest first, up to one of another governorate: a long sentence of several governorates
        still places a name by its neighbours («… بمنطقة الجبل الشرقي بالزبداني في ريف دمشق …،
        واقتحموا حاجزي السكرة والكرزات»)."""
        sentence = self.tok.sentence_of(self.tok.at(start))
        k = bisect_right(starts, start) - 1
        before: list[Place] = []  # the nearest places first, up to one of another governorate
        while k >= 0 and starts[k] >= start - NEARBY_CHARS and resolved[k].sentence == sentence:
            place = resolved[k].place
            if place is not None and place.country == "SY" and place.admin1:
                if before and place.admin1 != before[0].admin1:
                    break
                before.append(place)
            k -= 1
        gov = self._one_governorate(before)
        return (gov, f"the governorate of the places named before it ({gov.admin1})") if gov else (None, "")

    def _one_governorate(self, places: list[Place], abroad_too: bool = False) -> Place | None:
        """The governorate all these Syrian places lie in, when there is one (and, unless
        abroad_too, no place abroad is among them)."""
        syrian = [p for p in places if p.country == "SY" and p.admin1]
        if not syrian or len({p.admin1 for p in syrian}) != 1 or (not abroad_too and any(
                p.country not in ("SY", "") for p in places)):
            return None
        return self.gaz.by_id(syrian[0].admin1_pcode or "") or syrian[0]

    def _sentence_governorate(self, start: int, by_sentence: dict[int, list[Place]]
                              ) -> tuple[Place | None, str]:
        """The governorate of the sentence's Syrian places when they share one; else the country
        of its foreign places when they are all of one country and no Syrian place is named."""
        sentence = self.tok.sentence_of(self.tok.at(start))
        places = by_sentence.get(sentence, [])
        if any(p.country == "SY" and p.admin1 for p in places):
            gov = self._one_governorate(places, abroad_too=True)
            return (gov, f"the sentence's governorate ({gov.admin1})") if gov else (None, "")
        countries = {p.country for p in places if p.country not in ("SY", "")}
        if len(countries) == 1 and not any(p.country == "SY" for p in places):
            country = countries.pop()
            home = next((p for p in places if p.country == country and p.level == "country"),
                        next(p for p in places if p.country == country))
            return home, f"the sentence's country ({country})"
        return None, ""

    def _unknown_mention(self, start: int, end: int, level: str, kind: str, unit: Place | None,
                         basis: str) -> Resolved:
        """A mention of a name the gazetteer lacks, placed in the unit the context gives."""
        name = self.text[start:end]
        a, b = self.norm.span_to_original(start, end)
        written = self.norm.original[a:b]
        if unit is None or unit.country != "SY":
            place = Place(place_id=f"unknown:{name}", name_ar=written, name_en="", level=level or _level_of(kind),
                          country=unit.country if unit else "SY", lat=None, lon=None, kind=kind,
                          source="a name the gazetteer lacks, found after a cue word")
            return Resolved(start, end, place, 0.3, "", basis, "none")
        scope = unit.admin3_pcode or unit.admin2_pcode or unit.admin1_pcode or ""
        point = self._unit_point(unit)
        place = Place(place_id=f"unknown:{scope}:{name}", name_ar=written,
                      name_en=f"(in {unit.name_en or unit.name_ar})", level=level or _level_of(kind),
                      country="SY", lat=point[0] if point else None, lon=point[1] if point else None,
                      admin1=unit.admin1, admin1_pcode=unit.admin1_pcode,
                      admin2_pcode=unit.admin2_pcode if unit.level != "governorate" else None,
                      admin3_pcode=unit.admin3_pcode if unit.level not in ("governorate", "district") else None,
                      kind=kind, source=f"a name the gazetteer lacks; placed at the point of {unit.name_en}")
        return Resolved(start, end, place, 0.3, "", basis, "unit" if point else "none")

    def _unit_point(self, unit: Place) -> tuple[float, float] | None:
        """The point of the smallest admin unit holding a place (its sub-district's, …)."""
        for code in (unit.admin3_pcode, unit.admin2_pcode, unit.admin1_pcode):
            if code and code != unit.place_id:
                p = self.gaz.by_id(code)
                if p is not None and p.lat is not None and p.lon is not None:
                    return p.lat, p.lon
        return (unit.lat, unit.lon) if unit.lat is not None and unit.lon is not None else None


def resolve(norm: NormText, spans: list[Span], gaz: Gazetteer) -> list[Resolved]:
    """Choose a place for each span of a normalised text, or drop it when it is not a place."""
    r = _Resolver(norm, spans, gaz)
    r.accept()
    r.resolve()
    return r.results()
