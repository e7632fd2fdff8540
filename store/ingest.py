"""Ingest: records in, validated, deduplicated by content id, analysed, committed in atomic parts.

Each batch of articles becomes one part (see store/parts.py), so a killed ingest keeps every
batch it committed and a re-run skips those articles (their ids are in the store) and does the
rest: the final content is the same as an uninterrupted run's.
"""
from __future__ import annotations

import json
import logging
import math
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from snm.errors import UsageError
from snm.pipeline import Pipeline
from snm.settings import MAX_ARTICLE_BYTES
from store.annotate import analyse
from store.maintenance import merge_small_parts
from store.parts import PartInfo, Writer, check_part, read_column, short_error
from store.readers import Item, count_records, input_files, read_path
from store.records import Article, RawRecord, Reject, to_article
from store.schema import to_table

BATCH_SIZE = 100
REPORTED_REJECTS = 1000  # rejects kept in a report (all of them are in the store)
PROGRESS_EVERY = 5.0  # seconds between progress lines when stderr is not a terminal
log = logging.getLogger("snm.store")


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
    empty_files: list[str] = field(default_factory=list)  # input files with no record at all
    damaged_parts: dict[str, str] = field(default_factory=dict)  # store parts left out, and why

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
            "skipped_files": self.skipped_files, "empty_files": self.empty_files,
            "damaged_parts": self.damaged_parts,
        }


@dataclass
class Batch:
    """Articles (and rejects) to commit together, and how many input records they used."""

    articles: list[Article]
    rejects: list[Reject]
    consumed: int


class KnownIds:
    """Article and reject ids in the store, read once per part, plus those queued by this run.
    A damaged part is left out (named in `damaged`): its articles count as not stored."""

    def __init__(self, root: Path) -> None:
        """Nothing known yet; call refresh."""
        self.root = root
        self.parts: set[str] = set()
        self.stored: set[str] = set()
        self.rejects: set[str] = set()
        self.queued: set[str] = set()
        self.damaged: dict[str, str] = {}

    def refresh(self, writer: Writer) -> None:
        """Learn the ids of the writer's parts not read yet."""
        for part in writer.parts:
            if part in self.parts:
                continue
            self.parts.add(part)
            problem = check_part(self.root, writer.info.get(part, PartInfo(part)))
            if problem is None:
                try:
                    stored = read_column(self.root, part, "articles", "article_id")
                    rejects = read_column(self.root, part, "rejects", "reject_id")
                except Exception as err:  # any failure to read: the part is damaged
                    problem = f"unreadable ({short_error(err)})"
            if problem is not None:
                self.damaged[part] = problem
                log.warning("part %s of the store %s is damaged and left out: %s; see: python -m "
                            "store check --store %s", part, self.root, problem, self.root)
                continue
            self.stored.update(stored)
            self.rejects.update(rejects)


def make_batches(items: Iterable[Item], known: KnownIds, report: IngestReport,
                 size: int = BATCH_SIZE, max_bytes: int = MAX_ARTICLE_BYTES) -> Iterator[Batch]:
    """Validate records and group the new articles into batches of `size`."""
    articles: list[Article] = []
    rejects: list[Reject] = []
    consumed = 0
    for item in items:
        report.read += 1
        consumed += 1
        checked = to_article(item, max_bytes) if isinstance(item, RawRecord) else item
        if isinstance(checked, Reject):
            rejects.append(checked)
        elif checked.article_id in known.stored or checked.article_id in known.queued:
            report.duplicates += 1
        else:
            known.queued.add(checked.article_id)
            articles.append(checked)
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
        known.refresh(writer)
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


class LogProgress:
    """Progress for scripts (stderr not a terminal): a line on stderr every `every` seconds."""

    def __init__(self, total: int | None, every: float = PROGRESS_EVERY) -> None:
        """Nothing done yet; the clock starts now."""
        self.total = total
        self.every = every
        self.done = 0
        self.start = self.last = time.monotonic()

    def update(self, n: int) -> None:
        """n more records read and committed; say so if the last line is old enough."""
        self.done += n
        now = time.monotonic()
        if now - self.last < self.every:
            return
        self.last = now
        rate = self.done / max(now - self.start, 1e-6)
        of = f" of ~{self.total:,}" if self.total else ""
        print(f"ingest: {self.done:,}{of} records done, {rate:,.0f} records/s, "
              f"{now - self.start:,.0f} s", file=sys.stderr, flush=True)

    def __enter__(self) -> LogProgress:
        """Itself."""
        return self

    def __exit__(self, *exc: object) -> None:
        """Nothing to close."""


def _progress(files: list[Path], enabled: bool | None, every: float = PROGRESS_EVERY) -> Any:
    """A tqdm bar (articles/s, ETA) on a terminal's stderr, progress lines every `every` seconds
    when stderr is not a terminal (enabled=None), or nothing (enabled=False)."""
    from tqdm import tqdm
    if not math.isfinite(every) or every < 0:
        raise UsageError(f"the progress interval must be a number of seconds >= 0, not {every}")
    if enabled is None and not sys.stderr.isatty():
        return LogProgress(sum(count_records(f) for f in files), every)
    show = bool(enabled) or enabled is None
    total = sum(count_records(f) for f in files) if show else None
    return tqdm(total=total, unit="article", disable=not show, file=sys.stderr,
                dynamic_ncols=True, smoothing=0.1)


def ingest_items(items: Iterable[Item], store: str | Path, pipeline: Pipeline, *,
                 engine: str = "local",
                 workers: int = 2, scheduler: str | None = None, processes: bool = True,
                 batch_size: int = BATCH_SIZE, on_batch: Callable[[int], None] | None = None,
                 report: IngestReport | None = None,
                 max_bytes: int = MAX_ARTICLE_BYTES) -> IngestReport:
    """Ingest records into the store at `store` with the local or the Dask engine; an article
    over max_bytes (UTF-8) is rejected."""
    if engine not in ("local", "dask"):
        raise UsageError(f"unknown engine {engine!r}: use 'local' or 'dask'")
    if batch_size < 1:
        raise UsageError("batch size must be at least 1")
    report = IngestReport() if report is None else report
    writer = Writer.open(Path(store))
    known = KnownIds(writer.root)
    with writer.locked():
        known.refresh(writer)
    batches = make_batches(items, known, report, batch_size, max_bytes)

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
    report.damaged_parts = dict(known.damaged)
    return report


def _counted(files: list[Path], report: IngestReport, max_bytes: int) -> Iterator[Item]:
    """The items of each file in turn; files that hold no record are noted in the report."""
    for path in files:
        n = 0
        for item in read_path(path, max_bytes):
            n += 1
            yield item
        if not n:
            report.empty_files.append(str(path))


def ingest_paths(paths: Iterable[str | Path], store: str | Path, pipeline: Pipeline, *,
                 progress: bool | None = None, progress_every: float = PROGRESS_EVERY,
                 max_bytes: int = MAX_ARTICLE_BYTES, **options: Any) -> IngestReport:
    """Ingest files and folders of .jsonl, .csv and .txt (+ sidecar .json) into a store.

    progress: a bar on a terminal, else a line every `progress_every` seconds (None), or nothing
    (False). Every record, line or file over max_bytes is rejected without being read whole."""
    files, skipped = input_files(paths)
    report = IngestReport(skipped_files=[str(p) for p in skipped])
    with _progress(files, progress, progress_every) as bar:
        return ingest_items(_counted(files, report, max_bytes), store, pipeline,
                            on_batch=bar.update, report=report, max_bytes=max_bytes, **options)


def records_to_items(records: Iterable[dict[str, Any] | str], origin: str) -> Iterator[Item]:
    """Records from the app (dicts or plain texts) as input items numbered from 1."""
    for i, record in enumerate(records, start=1):
        fields = {"text": record} if isinstance(record, str) else dict(record)
        yield RawRecord(origin, i, fields, json.dumps(fields, ensure_ascii=False, default=str))
