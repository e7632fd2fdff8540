"""Whole-store rewrites: merge parts (all, or the small ones), re-annotate with a new pipeline,
and the store's health: check every part, quarantine the damaged ones.

A damaged part (see store.parts.check_part) is never read, merged or rewritten: it stays listed,
named in a warning, until `repair` moves it to quarantine/ and says which input files to ingest
again. A rewrite killed half-way leaves the store as it was before that rewrite (the journal lets
the next writer remove what it had written); running it again finishes it.
"""
from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from snm.errors import StoreError
from snm.pipeline import Pipeline
from store.annotate import analyse, annotate_layers
from store.parts import (
    PARTS,
    QUARANTINE,
    TMP_PREFIX,
    PartInfo,
    Writer,
    check_part,
    journal_names,
    load_manifest,
    manifest_stamp,
    read_column,
    read_part_table,
    table_file,
)
from store.records import Article
from store.schema import LATER_MENTION_COLUMNS, TABLES, to_table

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


log = logging.getLogger("snm.store")


@dataclass
class ReannotateReport:
    """What a re-annotation did."""

    parts: int = 0  # parts rewritten
    reanalysed: int = 0  # articles geoparsed again (the gazetteer or actors changed)
    relayered: int = 0  # mentions whose zones and controller were recomputed only
    unchanged: int = 0  # parts already annotated by this pipeline
    damaged: dict[str, str] = field(default_factory=dict)  # parts left as they are, and why


def _read_all(writer: Writer, parts: list[str]) -> dict[str, pa.Table]:
    """Every table of the given parts, concatenated."""
    return {name: read_part_table(writer.root, parts, name) for name in TABLES}


def _warn(root: Path, part: str, problem: str) -> None:
    """Say that a damaged part is left as it is."""
    log.warning("part %s of the store %s is damaged and left as it is: %s; see: python -m store "
                "check --store %s", part, root, problem, root)


def _sound(writer: Writer, parts: list[str], damaged: dict[str, str], full: bool) -> list[str]:
    """The parts that pass the check; the others are named in `damaged` and a warning."""
    sound = []
    for part in parts:
        problem = check_part(writer.root, writer.info.get(part, PartInfo(part)), full=full)
        if problem is None:
            sound.append(part)
        else:
            damaged[part] = problem
            _warn(writer.root, part, problem)
    return sound


def _read_sound(writer: Writer, parts: list[str],
                damaged: dict[str, str]) -> tuple[list[str], dict[str, pa.Table]]:
    """The parts that can be read and their tables; damaged ones are left out, named in `damaged`."""
    sound = _sound(writer, parts, damaged, full=False)
    try:
        return sound, _read_all(writer, sound)
    except Exception:  # a part that passed the quick check but cannot be decoded
        sound = _sound(writer, sound, damaged, full=True)
        try:
            return sound, _read_all(writer, sound)
        except Exception as err:
            raise StoreError(f"the parts of {writer.root} cannot be read ({err}); run: python -m "
                             f"store check --store {writer.root}") from None


def _write_merged(writer: Writer, parts: list[str], tables: dict[str, pa.Table], analysis: str,
                  layers: str) -> None:
    """Replace `parts` by one sorted part holding `tables`; hold the lock."""
    writer.replace(parts, {n: t.sort_by(_SORT[n]) for n, t in tables.items()}, analysis, layers)


def part_bytes(root: Path, part: str) -> int:
    """Size on disk of one part (0 when its folder cannot be read)."""
    try:
        return sum(f.stat().st_size for f in (root / PARTS / part).iterdir())
    except OSError:
        return 0


def _groups(writer: Writer, parts: list[str]) -> dict[tuple[str, str], list[str]]:
    """Parts grouped by the pipeline that annotated them (only those may be merged together)."""
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for part in parts:
        info = writer.info.get(part)
        groups[(info.analysis, info.layers) if info else ("", "")].append(part)
    return groups


def _merge_groups(writer: Writer, parts: list[str], damaged: dict[str, str]) -> int:
    """Merge the given parts, per pipeline, leaving damaged ones out; returns the parts merged."""
    merged = 0
    for (analysis, layers), group in _groups(writer, parts).items():
        if len(group) > 1:
            sound, tables = _read_sound(writer, group, damaged)
            if len(sound) > 1:
                _write_merged(writer, sound, tables, analysis, layers)
                merged += len(sound)
    return merged


def compact(root: Path, damaged: dict[str, str] | None = None) -> int:
    """Merge the parts annotated by the same pipeline into one each; returns the parts merged.
    Damaged parts stay as they are (named in `damaged` when given)."""
    writer = Writer.open(root)
    with writer.locked():
        return _merge_groups(writer, list(writer.parts), {} if damaged is None else damaged)


def merge_small_parts(root: Path, max_small: int = MAX_SMALL_PARTS,
                      small_bytes: int = SMALL_PART_BYTES) -> int:
    """Merge the small parts (per pipeline) when there are more than `max_small`; returns how many."""
    writer = Writer.open(root)
    with writer.locked():
        small = [p for p in writer.parts if part_bytes(root, p) < small_bytes]
        if len(small) <= max_small:
            return 0
        return _merge_groups(writer, small, {})


def _articles(table: pa.Table) -> list[Article]:
    """Stored article rows as Article records."""
    names = list(TABLES["articles"].names)
    return [Article(**{k: row[k] for k in names}) for row in table.select(names).to_pylist()]


def predates_columns(root: Path, part: str) -> bool:
    """Whether a part's mentions lack what the geoparser says of each (kind, basis, point):
    written before those columns, or merged from such a part (point NULL). False when the file
    cannot be read: the check that reads the part names the damage."""
    path = root / PARTS / part / table_file("mentions")
    try:
        names = pq.read_schema(path).names
        if any(c not in names for c in LATER_MENTION_COLUMNS):
            return True
        return pq.read_table(path, columns=["point"]).column("point").null_count > 0
    except Exception:  # any failure to read: a damaged part, left to the check
        return False


def reannotate(root: Path, pipeline: Pipeline, force: bool = False) -> ReannotateReport:
    """Bring every part to this pipeline: geoparse again where the gazetteer or actors changed
    or the mentions predate kind, basis and point, recompute zones and control where only the
    layers did (all parts with force)."""
    writer = Writer.open(root)
    report = ReannotateReport()
    analysis, layers = pipeline.analysis_version, pipeline.layers.fingerprint
    with writer.locked():
        for part in list(writer.parts):
            info = writer.info.get(part)
            same_analysis = bool(info and info.analysis == analysis) and not force \
                and not predates_columns(root, part)
            same_layers = bool(info and info.layers == layers) and not force
            if same_analysis and same_layers:
                report.unchanged += 1
                continue
            sound, tables = _read_sound(writer, [part], report.damaged)
            if not sound:
                continue
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


# ---- health: check and repair ----------------------------------------------------------------

@dataclass
class PartProblem:
    """A damaged part: why, how many articles it was written with, the input files its rows came
    from (ingest them again to get those articles back) and where repair moved it."""

    name: str
    problem: str
    articles: int | None = None  # None: not recorded (a part written before counts were kept)
    origins: tuple[str, ...] = ()
    moved_to: str | None = None

    def to_dict(self) -> dict[str, object]:
        """Plain JSON form."""
        return {"part": self.name, "problem": self.problem, "articles": self.articles,
                "origins": list(self.origins), "moved_to": self.moved_to}


@dataclass
class HealthReport:
    """What `check` (or `repair`) found in a store."""

    parts: int = 0  # parts listed (before repair)
    damaged: list[PartProblem] = field(default_factory=list)
    unlisted: list[str] = field(default_factory=list)  # in parts/, not the store's: left alone
    full: bool = True  # checksums compared and every page decoded

    @property
    def origins(self) -> list[str]:
        """The input files to ingest again, over all damaged parts."""
        return sorted({o for d in self.damaged for o in d.origins})

    def to_dict(self) -> dict[str, object]:
        """Plain JSON form."""
        return {"parts": self.parts, "damaged": [d.to_dict() for d in self.damaged],
                "ingest_again": self.origins, "unlisted": self.unlisted, "full": self.full}


def _origins(root: Path, info: PartInfo) -> tuple[str, ...]:
    """The input files of a part: as recorded, else whatever of its origin columns can be read."""
    if info.origins:
        return info.origins
    files: set[str] = set()
    for table, column in (("articles", "origin"), ("rejects", "file")):
        try:
            values = read_column(root, info.name, table, column)
        except Exception:  # that table is the damaged one
            continue
        files.update(v.rpartition(":")[0] or v if column == "origin" else v for v in values if v)
    return tuple(sorted(files))


def _unlisted(root: Path, listed: set[str]) -> list[str]:
    """Entries of parts/ that are neither listed nor named by the journal: not the store's."""
    ours = set(journal_names(root))
    ours |= {TMP_PREFIX + n for n in ours}
    try:
        entries = sorted(e.name for e in (root / PARTS).iterdir())
    except OSError:
        return []
    return [e for e in entries if e not in listed and e not in ours]


def _damaged(root: Path, parts: tuple[PartInfo, ...], full: bool) -> list[PartProblem]:
    """The damaged parts among these."""
    found = []
    for info in parts:
        problem = check_part(root, info, full=full)
        if problem is not None:
            found.append(PartProblem(info.name, problem, info.articles, _origins(root, info)))
    return found


def check(root: Path, full: bool = True) -> HealthReport:
    """Check every listed part (full: checksums and every page, else sizes, footers and row
    counts); reads only and takes no lock, so a part found damaged counts only if the manifest
    still lists it afterwards (a compaction may replace parts meanwhile)."""
    for _ in range(5):
        stamp = manifest_stamp(root)
        manifest = load_manifest(root)
        damaged = _damaged(root, manifest.parts, full)
        if not damaged or manifest_stamp(root) == stamp:
            break
    return HealthReport(len(manifest.parts), damaged, _unlisted(root, set(manifest.names)), full)


def repair(root: Path) -> HealthReport:
    """Move every damaged part to quarantine/ (never deleted), unlist it, and report the input
    files whose articles must be ingested again."""
    writer = Writer.open(root)
    with writer.locked():
        manifest = load_manifest(root)
        report = HealthReport(len(manifest.parts), _damaged(root, manifest.parts, True),
                              _unlisted(root, set(manifest.names)))
        if report.damaged:
            moved = writer.quarantine([d.name for d in report.damaged])
            for d in report.damaged:
                where = moved.get(d.name)
                if where is None and (root / QUARANTINE / d.name).exists():
                    where = root / QUARANTINE / d.name  # moved by a repair killed before unlisting
                d.moved_to = str(where) if where is not None else None
    return report
