"""Armed actors named in Arabic text, from an alias table (default: data/conflict/actors.csv)."""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from nlp.match import ELIDED, Matcher
from nlp.normalize import normalize, normalize_name
from snm.settings import ACTORS_CSV

DEFAULT_ACTORS_CSV = ACTORS_CSV


@dataclass(frozen=True)
class ActorMention:
    """An actor named in a text; text == original[start:end]."""

    actor_id: str
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Actor:
    """One actor of the alias table."""

    actor_id: str
    name_en: str
    name_ar: str
    aliases_ar: tuple[str, ...]
    controller: str | None = None
    active_from: dt.date | None = None
    active_to: dt.date | None = None
    kind: str = ""  # the table's type column (armed group, media, monitor …)

    def active_on(self, day: dt.date) -> bool:
        """Whether the actor existed on day (active_to exclusive)."""
        return ((self.active_from is None or self.active_from <= day)
                and (self.active_to is None or day < self.active_to))


@dataclass(frozen=True)
class ActorTable:
    """Actors and a matcher over their normalised Arabic aliases."""

    actors: tuple[Actor, ...]
    _by_key: dict[str, tuple[Actor, ...]] = field(init=False, repr=False, compare=False)
    _matcher: Matcher = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        """Index the aliases (an alias may belong to several actors, in table order)."""
        by_key: dict[str, list[Actor]] = {}
        for actor in self.actors:
            for alias in (actor.name_ar, *actor.aliases_ar):
                key = normalize_name(alias)
                if key and actor not in by_key.setdefault(key, []):
                    by_key[key].append(actor)
        object.__setattr__(self, "_by_key", {k: tuple(v) for k, v in by_key.items()})
        object.__setattr__(self, "_matcher", Matcher(by_key))

    @property
    def version(self) -> str:
        """A short hash of the table's ids, aliases and dates."""
        text = repr([(a.actor_id, a.name_ar, a.aliases_ar, a.controller, a.active_from,
                      a.active_to) for a in self.actors])
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def resolve(self, key: str, day: dt.date | None = None) -> Actor:
        """The actor an alias key means: the first in the table active on day (if given)."""
        candidates = self._by_key[key]
        if day is not None:
            for actor in candidates:
                if actor.active_on(day):
                    return actor
        return candidates[0]

    def find(self, text: str, day: dt.date | None = None) -> list[ActorMention]:
        """Actor mentions in text, longest alias first, leading و ف ب ك ل outside the span (لل kept)."""
        norm = normalize(text)
        out = []
        for span in self._matcher.find(norm.text):
            begin = span.start - 1 if span.kind == ELIDED else span.start  # لل: one ل is the clitic
            start, end = norm.span_to_original(begin, span.end)
            out.append(ActorMention(self.resolve(span.key, day).actor_id, text[start:end], start, end))
        return out


def _date(text: str) -> dt.date | None:
    """An ISO date or None for an empty cell."""
    return dt.date.fromisoformat(text) if text.strip() else None


def load_actors(path: Path | str = DEFAULT_ACTORS_CSV) -> ActorTable:
    """The alias table from a CSV with actor_id, name_en, name_ar, aliases_ar (pipe-separated)."""
    with Path(path).open(encoding="utf-8", newline="") as f:
        actors = tuple(
            Actor(row["actor_id"], row["name_en"], row["name_ar"],
                  tuple(a.strip() for a in row["aliases_ar"].split("|") if a.strip()),
                  row.get("controller") or None, _date(row.get("active_from") or ""),
                  _date(row.get("active_to") or ""), (row.get("type") or "").strip())
            for row in csv.DictReader(f))
    return ActorTable(actors)


def default_actors() -> ActorTable:
    """The shipped alias table (data/conflict/actors.csv); load it once and pass it around."""
    return load_actors(DEFAULT_ACTORS_CSV)


def find_actors(text: str, table: ActorTable, day: dt.date | None = None) -> list[ActorMention]:
    """Armed actors named in text; with day, shared names go to the actor active then."""
    return table.find(text, day)
