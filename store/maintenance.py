"""Whole-store rewrites: merge parts (all, or the small ones), re-apply the zone/control layers."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa

from store.annotate import annotate_layers
from store.parts import PARTS, Writer, read_part_table
from store.schema import TABLES

MAX_SMALL_PARTS = 8  # more small parts than this are merged after an ingest
SMALL_PART_BYTES = 64 << 20  # a part smaller than this on disk counts as small

# Sort orders that let Parquet statistics skip row groups for the common filters.
_SORT = {
    "articles": [("article_id", "ascending")],
    "mentions": [("date", "ascending"), ("admin1", "ascending"), ("article_id", "ascending"),
                 ("start", "ascending")],
    "actor_mentions": [("article_id", "ascending"), ("start", "ascending")],
    "rejects": [("reject_id", "ascending")],
}


def _merge(writer: Writer, parts: list[str], layers: Any = None, annotate: bool = False) -> None:
    """Replace `parts` by one sorted part (zones/control recomputed if asked); hold the lock."""
    tables: dict[str, pa.Table] = {}
    for name in TABLES:
        table = read_part_table(writer.root, parts, name)
        if name == "mentions" and annotate:
            table = annotate_layers(table, layers)
        tables[name] = table.sort_by(_SORT[name])
    writer.replace(parts, tables)


def part_bytes(root: Path, part: str) -> int:
    """Size on disk of one part."""
    return sum(f.stat().st_size for f in (root / PARTS / part).iterdir())


def compact(root: Path) -> int:
    """Merge every part into one (fewer files, faster queries); returns the parts merged."""
    writer = Writer.open(root)
    with writer.locked():
        parts = list(writer.parts)
        if len(parts) > 1:
            _merge(writer, parts)
    return len(parts)


def merge_small_parts(root: Path, max_small: int = MAX_SMALL_PARTS,
                      small_bytes: int = SMALL_PART_BYTES) -> int:
    """Merge the small parts into one when there are more than `max_small`; returns how many."""
    writer = Writer.open(root)
    with writer.locked():
        small = [p for p in writer.parts if part_bytes(root, p) < small_bytes]
        if len(small) <= max_small:
            return 0
        _merge(writer, small)
    return len(small)


def reannotate(root: Path, layers: Any = None) -> int:
    """Recompute zone_ids and controller of every mention with the (new) layers."""
    writer = Writer.open(root)
    with writer.locked():
        parts = list(writer.parts)
        if parts:
            _merge(writer, parts, layers, annotate=True)
    return len(parts)
