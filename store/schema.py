"""The four tables of the store and their Arrow schemas (one schema per table, every part)."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pyarrow as pa

ARTICLES = pa.schema([
    ("article_id", pa.string()),
    ("title", pa.string()),
    ("text", pa.string()),
    ("date", pa.date32()),
    ("date_precision", pa.string()),
    ("source", pa.string()),
    ("url", pa.string()),
    ("external_id", pa.string()),
    ("origin", pa.string()),
])

MENTIONS = pa.schema([
    ("article_id", pa.string()),
    ("text", pa.string()),
    ("start", pa.int32()),
    ("end", pa.int32()),
    ("place_id", pa.string()),
    ("name_ar", pa.string()),
    ("name_en", pa.string()),
    ("level", pa.string()),
    ("country", pa.string()),
    ("admin1", pa.string()),
    ("admin1_pcode", pa.string()),
    ("admin2_pcode", pa.string()),
    ("admin3_pcode", pa.string()),
    ("lat", pa.float64()),
    ("lon", pa.float64()),
    ("confidence", pa.float64()),
    ("cue", pa.string()),
    ("kind", pa.string()),  # what a feature or neighbourhood is ("" for units and towns)
    ("basis", pa.string()),  # why this place, in words (cue, context, list, coherence, prior)
    ("point", pa.string()),  # place | unit | none: whose point lat/lon are (POINTS)
    ("date", pa.date32()),
    ("date_precision", pa.string()),
    ("zone_ids", pa.list_(pa.string())),
    ("controller", pa.string()),
])

ACTORS = pa.schema([
    ("article_id", pa.string()),
    ("actor_id", pa.string()),
    ("start", pa.int32()),
    ("end", pa.int32()),
    ("text", pa.string()),
])

REJECTS = pa.schema([
    ("reject_id", pa.string()),
    ("origin", pa.string()),
    ("file", pa.string()),
    ("line", pa.int64()),
    ("reason", pa.string()),
    ("detail", pa.string()),
    ("raw", pa.string()),
])

# Where a mention's lat/lon come from: the place's own point, its admin unit's, or none.
POINTS = ("place", "unit", "none")
# Mention columns added after the first stores: a part written before them lacks them, and
# its rows read them as NULL (not recorded).
LATER_MENTION_COLUMNS = ("kind", "basis", "point")

TABLES: dict[str, pa.Schema] = {
    "articles": ARTICLES,
    "mentions": MENTIONS,
    "actor_mentions": ACTORS,
    "rejects": REJECTS,
}

# The columns that identify a row: the same content is the same set of these keys.
KEYS: dict[str, tuple[str, ...]] = {
    "articles": ("article_id",),
    "mentions": ("article_id", "start", "end", "place_id"),
    "actor_mentions": ("article_id", "start", "end", "actor_id"),
    "rejects": ("reject_id",),
}


def to_table(name: str, rows: Iterable[dict[str, Any]]) -> pa.Table:
    """Rows as an Arrow table of the named table's schema (unknown keys dropped)."""
    schema = TABLES[name]
    rows = list(rows)
    return pa.table({f.name: pa.array([r.get(f.name) for r in rows], f.type) for f in schema},
                    schema=schema)


def conform(name: str, table: pa.Table) -> pa.Table:
    """A table of any part in the named table's schema: columns a part written before them
    lacks are added as nulls (not recorded), columns the schema does not know are dropped."""
    schema = TABLES[name]
    present = set(table.column_names)
    return pa.Table.from_arrays(
        [table.column(f.name).cast(f.type) if f.name in present else pa.nulls(table.num_rows, f.type)
         for f in schema], schema=schema)
