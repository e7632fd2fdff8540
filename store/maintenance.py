"""Whole-store rewrites: merge parts (all, or the small ones), re-annotate with a new pipeline."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from snm.pipeline import Pipeline
from store.annotate import analyse, annotate_layers
from store.parts import PARTS, Writer, read_part_table
from store.records import Article
from store.schema import TABLES, to_table

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


@dataclass
class ReannotateReport:
    """What a re-annotation did."""

    parts: int = 0  # parts rewritten
    reanalysed: int = 0  # articles geoparsed again (the gazetteer or actors changed)
    relayered: int = 0  # mentions whose zones and controller were recomputed only
    unchanged: int = 0  # parts already annotated by this pipeline


def _read_all(writer: Writer, parts: list[str]) -> dict[str, pa.Table]:
    """Every table of the given parts, concatenated."""
    return {name: read_part_table(writer.root, parts, name) for name in TABLES}


def _write_merged(writer: Writer, parts: list[str], tables: dict[str, pa.Table], analysis: str,
                  layers: str) -> None:
    """Replace `parts` by one sorted part holding `tables`; hold the lock."""
    writer.replace(parts, {n: t.sort_by(_SORT[n]) for n, t in tables.items()}, analysis, layers)


def part_bytes(root: Path, part: str) -> int:
    """Size on disk of one part."""
    return sum(f.stat().st_size for f in (root / PARTS / part).iterdir())


def _groups(writer: Writer, parts: list[str]) -> dict[tuple[str, str], list[str]]:
    """Parts grouped by the pipeline that annotated them (only those may be merged together)."""
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for part in parts:
        info = writer.info.get(part)
        groups[(info.analysis, info.layers) if info else ("", "")].append(part)
    return groups


def compact(root: Path) -> int:
    """Merge the parts annotated by the same pipeline into one each; returns the parts merged."""
    writer = Writer.open(root)
    merged = 0
    with writer.locked():
        for (analysis, layers), parts in _groups(writer, list(writer.parts)).items():
            if len(parts) > 1:
                _write_merged(writer, parts, _read_all(writer, parts), analysis, layers)
                merged += len(parts)
    return merged


def merge_small_parts(root: Path, max_small: int = MAX_SMALL_PARTS,
                      small_bytes: int = SMALL_PART_BYTES) -> int:
    """Merge the small parts (per pipeline) when there are more than `max_small`; returns how many."""
    writer = Writer.open(root)
    merged = 0
    with writer.locked():
        small = [p for p in writer.parts if part_bytes(root, p) < small_bytes]
        if len(small) <= max_small:
            return 0
        for (analysis, layers), parts in _groups(writer, small).items():
            if len(parts) > 1:
                _write_merged(writer, parts, _read_all(writer, parts), analysis, layers)
                merged += len(parts)
    return merged


def _articles(table: pa.Table) -> list[Article]:
    """Stored article rows as Article records."""
    names = list(TABLES["articles"].names)
    return [Article(**{k: row[k] for k in names}) for row in table.select(names).to_pylist()]


def reannotate(root: Path, pipeline: Pipeline, force: bool = False) -> ReannotateReport:
    """Bring every part to this pipeline: geoparse again where the gazetteer or actors changed,
    recompute zones and control where only the layers did (all parts with force)."""
    writer = Writer.open(root)
    report = ReannotateReport()
    analysis, layers = pipeline.analysis_version, pipeline.layers.fingerprint
    with writer.locked():
        for part in list(writer.parts):
            info = writer.info.get(part)
            same_analysis = bool(info and info.analysis == analysis) and not force
            same_layers = bool(info and info.layers == layers) and not force
            if same_analysis and same_layers:
                report.unchanged += 1
                continue
            tables = _read_all(writer, [part])
            if same_analysis:
                tables["mentions"] = annotate_layers(tables["mentions"], pipeline.layers)
                report.relayered += tables["mentions"].num_rows
            else:
                articles = _articles(tables["articles"])
                fresh, failed = analyse(articles, pipeline)
                tables["mentions"] = fresh["mentions"]
                tables["actor_mentions"] = fresh["actor_mentions"]
                if failed:  # the articles stay stored; the failure is listed with the rejects
                    tables["rejects"] = pa.concat_tables(
                        [tables["rejects"], to_table("rejects", (r.row() for r in failed))])
                report.reanalysed += len(articles)
            _write_merged(writer, [part], tables, analysis, layers)
            report.parts += 1
        writer.pipeline = pipeline.sources.to_dict()
        writer.publish(list(writer.parts))
    return report
