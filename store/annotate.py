"""The analysis of a batch of articles with a pipeline: place mentions, actor mentions, zones/control.

`analyse` is what both engines run per batch (in this process or on a Dask worker, which gets the
pipeline once); the layer step, `annotate_layers`, is separate so it can be re-run over a store
when only the layers change.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import pyarrow as pa

from geo.layers import Layers
from snm.pipeline import Pipeline
from store.records import Article, Reject
from store.schema import to_table


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


def _actor_rows(article: Article, pipeline: Pipeline) -> list[dict[str, Any]]:
    """Actor-mention rows of one article; its date decides names shared by two governments."""
    found = pipeline.find_actors(article.text, article.date)
    return sorted(({"article_id": article.article_id, "actor_id": a.actor_id, "start": a.start,
                    "end": a.end, "text": a.text} for a in found),
                  key=lambda r: (r["start"], r["end"], r["actor_id"]))


def annotate_layers(mentions: pa.Table, layers: Layers) -> pa.Table:
    """Mentions with zone_ids and controller set from the layers at each mention's date."""
    if mentions.num_rows == 0:
        return mentions
    frame = pd.DataFrame({
        "lat": mentions.column("lat").to_pylist(),
        "lon": mentions.column("lon").to_pylist(),
        "date": mentions.column("date").to_pylist(),
        "level": mentions.column("level").to_pylist(),
    })
    out = layers.annotate(frame)
    zones = [sorted(z) if isinstance(z, (list, tuple, set)) else [] for z in out["zone_ids"].tolist()]
    controllers = [c if isinstance(c, str) and c else None for c in out["controller"].tolist()]
    mentions = mentions.set_column(mentions.schema.get_field_index("zone_ids"), "zone_ids",
                                   pa.array(zones, mentions.schema.field("zone_ids").type))
    return mentions.set_column(mentions.schema.get_field_index("controller"), "controller",
                               pa.array(controllers, pa.string()))


def analyse(articles: list[Article], pipeline: Pipeline) -> tuple[dict[str, pa.Table], list[Reject]]:
    """Tables (articles, mentions, actor_mentions) of a batch, and rejects for failures.

    An error on one article's text rejects that article only; a re-run retries it.
    """
    kept: list[Article] = []
    mention_rows: list[dict[str, Any]] = []
    actor_rows: list[dict[str, Any]] = []
    rejects: list[Reject] = []
    for article in articles:
        try:
            rows = _mention_rows(article, pipeline.geoparse(article.text))
            actors = _actor_rows(article, pipeline)
        except Exception as err:
            rejects.append(_failed(article, err))
            continue
        kept.append(article)
        mention_rows.extend(rows)
        actor_rows.extend(actors)
    tables = {
        "articles": to_table("articles", (a.row() for a in kept)),
        "mentions": annotate_layers(to_table("mentions", mention_rows), pipeline.layers),
        "actor_mentions": to_table("actor_mentions", actor_rows),
    }
    return tables, rejects
