"""Ingest: records in, validated, deduplicated by content id, analysed, committed in atomic parts.

Each batch of articles becomes one part (see store/parts.py), so a killed ingest keeps every
batch it committed and a re-run skips those articles (their ids are in the store) and does the
rest: the final content is the same as an uninterrupted run's.
"""
from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from snm.errors import UsageError
from snm.pipeline import Pipeline
from store.annotate import analyse
from store.maintenance import merge_small_parts
from store.parts import Writer, read_column
from store.readers import Item, count_records, input_files, read_path
from store.records import Article, RawRecord, Reject, to_article
from store.schema import to_table

BATCH_SIZE = 100
REPORTED_REJECTS = 1000  # rejects kept in a report (all of them are in the store)


@dataclass
class IngestReport:
    """What an ingest did: counts, the rejects and the ids of the new articles."""

    read: int = 0
    ingested: int = 0
    duplicates: int = 0
    rejected: int = 0
    mentions: int = 0
    actor_mentions: int = 0
    parts: int = 0
    rejects: list[Reject] = field(default_factory=list)
    article_ids: list[str] = field(default_factory=list)
    skipped_files: list[str] = field(default_factory=list)

    def reject(self, items: list[Reject]) -> None:
        """Count rejects and keep the first ones for the report."""
        self.rejected += len(items)
        self.rejects.extend(items[: max(0, REPORTED_REJECTS - len(self.rejects))])

    def to_dict(self) -> dict[str, Any]:
        """Counts and rejects as plain JSON-able values."""
        return {
            "read": self.read, "ingested": self.ingested, "duplicates": self.duplicates,
            "rejected": self.rejected, "mentions": self.mentions,
            "actor_mentions": self.actor_mentions, "parts": self.parts,
            "rejects": [{"origin": r.origin, "reason": r.reason, "detail": r.detail}
                        for r in self.rejects],
            "skipped_files": self.skipped_files,
        }


@dataclass
class Batch:
    """Articles (and rejects) to commit together, and how many input records they used."""

    articles: list[Article]
    rejects: list[Reject]
    consumed: int


class KnownIds:
    """Article and reject ids in the store, read once per part, plus those queued by this run."""

    def __init__(self, root: Path) -> None:
        """Nothing known yet; call refresh."""
        self.root = root
        self.parts: set[str] = set()
        self.stored: set[str] = set()
        self.rejects: set[str] = set()
        self.queued: set[str] = set()

    def refresh(self, parts: list[str]) -> None:
        """Learn the ids of parts not read yet."""
        for part in parts:
            if part not in self.parts:
                self.stored.update(read_column(self.root, part, "articles", "article_id"))
                self.rejects.update(read_column(self.root, part, "rejects", "reject_id"))
                self.parts.add(part)


def make_batches(items: Iterable[Item], known: KnownIds, report: IngestReport,
                 size: int = BATCH_SIZE) -> Iterator[Batch]:
    """Validate records and group the new articles into batches of `size`."""
    articles: list[Article] = []
    rejects: list[Reject] = []
    consumed = 0
    for item in items:
        report.read += 1
        consumed += 1
        if isinstance(item, RawRecord):
            item = to_article(item)
        if isinstance(item, Reject):
            rejects.append(item)
        elif item.article_id in known.stored or item.article_id in known.queued:
            report.duplicates += 1
        else:
            known.queued.add(item.article_id)
            articles.append(item)
        if len(articles) >= size:
            yield Batch(articles, rejects, consumed)
            articles, rejects, consumed = [], [], 0
    if articles or rejects or consumed:
        yield Batch(articles, rejects, consumed)


def _keep_rows(table: pa.Table, ids: set[str]) -> pa.Table:
    """Rows of a table whose article_id is in ids."""
    return table.filter(pc.is_in(table.column("article_id"), pa.array(sorted(ids), pa.string())))


def commit(writer: Writer, known: KnownIds, report: IngestReport, tables: dict[str, pa.Table],
           rejects: list[Reject], pipeline: Pipeline) -> None:
    """Store one analysed batch as one part, minus what another writer stored meanwhile."""
    report.reject(rejects)
    with writer.locked():
        known.refresh(writer.parts)
        ids = tables["articles"].column("article_id").to_pylist()
        fresh = {i for i in ids if i not in known.stored}
        if len(fresh) < len(ids):
            report.duplicates += len(ids) - len(fresh)
            tables = {k: _keep_rows(t, fresh) if k != "rejects" else t for k, t in tables.items()}
        new_rejects = {r.reject_id: r for r in rejects if r.reject_id not in known.rejects}
        if not fresh and not new_rejects:
            return
        tables["rejects"] = to_table("rejects", (r.row() for r in new_rejects.values()))
        writer.pipeline = pipeline.sources.to_dict()
        part = writer.add(tables, pipeline.analysis_version, pipeline.layers.fingerprint)
        known.parts.add(part)
        known.stored.update(fresh)
        known.rejects.update(new_rejects)
    report.parts += 1
    report.ingested += len(fresh)
    report.article_ids.extend(i for i in ids if i in fresh)
    report.mentions += tables["mentions"].num_rows
    report.actor_mentions += tables["actor_mentions"].num_rows


def _progress(files: list[Path], enabled: bool | None) -> Any:
    """A tqdm bar (articles/s, ETA) on a terminal's stderr, else a no-op."""
    from tqdm import tqdm
    show = sys.stderr.isatty() if enabled is None else enabled
    total = sum(count_records(f) for f in files) if show else None
    return tqdm(total=total, unit="article", disable=not show, file=sys.stderr,
                dynamic_ncols=True, smoothing=0.1)


def ingest_items(items: Iterable[Item], store: str | Path, pipeline: Pipeline, *,
                 engine: str = "local",
                 workers: int = 2, scheduler: str | None = None, processes: bool = True,
                 batch_size: int = BATCH_SIZE, on_batch: Callable[[int], None] | None = None,
                 report: IngestReport | None = None) -> IngestReport:
    """Ingest records into the store at `store` with the local or the Dask engine."""
    if engine not in ("local", "dask"):
        raise UsageError(f"unknown engine {engine!r}: use 'local' or 'dask'")
    if batch_size < 1:
        raise UsageError("batch size must be at least 1")
    report = IngestReport() if report is None else report
    writer = Writer.open(Path(store))
    known = KnownIds(writer.root)
    with writer.locked():
        known.refresh(writer.parts)
    batches = make_batches(items, known, report, batch_size)

    def done(batch: Batch, result: tuple[dict[str, pa.Table], list[Reject]]) -> None:
        """Commit one analysed batch and advance the progress."""
        tables, failed = result
        commit(writer, known, report, tables, batch.rejects + failed, pipeline)
        if on_batch is not None:
            on_batch(batch.consumed)

    if engine == "local":
        for batch in batches:
            done(batch, analyse(batch.articles, pipeline))
    else:
        from store.dask_engine import run_on_dask
        run_on_dask(batches, done, pipeline, workers=workers, scheduler=scheduler,
                    processes=processes)
    if report.parts:
        merge_small_parts(writer.root)  # many small parts make every query open many files
    return report


def ingest_paths(paths: Iterable[str | Path], store: str | Path, pipeline: Pipeline, *,
                 progress: bool | None = None, **options: Any) -> IngestReport:
    """Ingest files and folders of .jsonl, .csv and .txt (+ sidecar .json) into a store."""
    files, skipped = input_files(paths)
    report = IngestReport(skipped_files=[str(p) for p in skipped])
    items = chain.from_iterable(read_path(f) for f in files)
    with _progress(files, progress) as bar:
        return ingest_items(items, store, pipeline, on_batch=bar.update, report=report, **options)


def records_to_items(records: Iterable[dict[str, Any] | str], origin: str) -> Iterator[Item]:
    """Records from the app (dicts or plain texts) as input items numbered from 1."""
    for i, record in enumerate(records, start=1):
        fields = {"text": record} if isinstance(record, str) else dict(record)
        yield RawRecord(origin, i, fields, json.dumps(fields, ensure_ascii=False, default=str))
