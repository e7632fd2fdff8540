"""The analysis of a batch of articles: place mentions (geoparse), actor mentions, zones/control.

`analyse` is what both engines run per batch (in this process or on a Dask worker); the layer
step, `annotate_layers`, is separate so it can be re-run over a store when the layers change.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Sequence

import pandas as pd
import pyarrow as pa

from store.records import Article, Reject
from store.schema import to_table


@lru_cache(maxsize=1)
def _gazetteer() -> Any:
    """The default gazetteer, loaded once per process."""
    from geo.gazetteer import load_default
    return load_default()


@lru_cache(maxsize=1)
def default_layers() -> Any:
    """The default zones and control layers, loaded once per process."""
    from geo.layers import Layers
    return Layers.default()


def _geoparse_all(texts: list[str]) -> list[list[Any]]:
    """Mentions of each text, batched when geoparse offers it."""
    from geo import geoparse as gp
    gazetteer = _gazetteer()
    many = getattr(gp, "geoparse_many", None)
    if many is not None:
        return [list(ms) for ms in many(texts, gazetteer)]
    return [gp.geoparse(t, gazetteer) for t in texts]


def check_tools() -> None:
    """Load the gazetteer, geoparser, actor finder and layers; raise if one is missing."""
    import geo.geoparse  # noqa: F401
    import nlp.actors  # noqa: F401
    _gazetteer()
    default_layers()


def _failed(article: Article, err: Exception) -> Reject:
    """The reject for an article whose analysis raised."""
    file, _, line = article.origin.rpartition(":")
    return Reject(file, int(line) if line.isdigit() else 0, "analysis_failed",
                  f"{type(err).__name__}: {err}", article.text)


def _mention_rows(article: Article, mentions: Sequence[Any]) -> list[dict[str, Any]]:
    """Mention rows of one article, carrying its id and date."""
    rows = [{**m.to_dict(), "article_id": article.article_id, "date": article.date,
             "date_precision": article.date_precision} for m in mentions]
    return sorted(rows, key=lambda r: (r["start"], r["end"], r["place_id"]))


def _actor_rows(article: Article) -> list[dict[str, Any]]:
    """Actor-mention rows of one article."""
    from nlp.actors import find_actors
    return sorted(({"article_id": article.article_id, "actor_id": a.actor_id, "start": a.start,
                    "end": a.end, "text": a.text} for a in find_actors(article.text)),
                  key=lambda r: (r["start"], r["end"], r["actor_id"]))


def annotate_layers(mentions: pa.Table, layers: Any = None) -> pa.Table:
    """Mentions with zone_ids and controller set from the layers at each mention's date."""
    if mentions.num_rows == 0:
        return mentions
    layers = default_layers() if layers is None else layers
    frame = pd.DataFrame({
        "lat": mentions.column("lat").to_pylist(),
        "lon": mentions.column("lon").to_pylist(),
        "date": mentions.column("date").to_pylist(),
    })
    out = layers.annotate(frame)
    zones = [sorted(z) if isinstance(z, (list, tuple, set)) else [] for z in out["zone_ids"].tolist()]
    controllers = [c if isinstance(c, str) and c else None for c in out["controller"].tolist()]
    mentions = mentions.set_column(mentions.schema.get_field_index("zone_ids"), "zone_ids",
                                   pa.array(zones, mentions.schema.field("zone_ids").type))
    return mentions.set_column(mentions.schema.get_field_index("controller"), "controller",
                               pa.array(controllers, pa.string()))


def analyse(articles: list[Article]) -> tuple[dict[str, pa.Table], list[Reject]]:
    """Tables (articles, mentions, actor_mentions) of a batch, and rejects for failures.

    A missing module or data file stops the batch (raises); an error on one article's text
    rejects that article only, and a re-run retries it.
    """
    check_tools()
    mentions_of: list[list[Any]] | None
    try:
        mentions_of = _geoparse_all([a.text for a in articles])
    except Exception:  # one bad article must not sink the batch: redo them one by one
        mentions_of = None
    kept: list[Article] = []
    mention_rows: list[dict[str, Any]] = []
    actor_rows: list[dict[str, Any]] = []
    rejects: list[Reject] = []
    for i, article in enumerate(articles):
        try:
            found = mentions_of[i] if mentions_of is not None else _geoparse_all([article.text])[0]
            rows, actors = _mention_rows(article, found), _actor_rows(article)
        except Exception as err:  # noqa: BLE001 - recorded as a reject, the batch goes on
            rejects.append(_failed(article, err))
            continue
        kept.append(article)
        mention_rows.extend(rows)
        actor_rows.extend(actors)
    tables = {
        "articles": to_table("articles", (a.row() for a in kept)),
        "mentions": annotate_layers(to_table("mentions", mention_rows)),
        "actor_mentions": to_table("actor_mentions", actor_rows),
    }
    return tables, rejects
