"""The store on disk: Parquet part directories listed by an atomically replaced manifest.

    STORE/manifest.json          {"format": 2, "pipeline": {...}, "parts": [{"name": "<part>",
                                  "analysis": "<fingerprint>", "layers": "<fingerprint>"}, ...]}
    STORE/parts/<part>/articles.parquet, mentions.parquet, actor_mentions.parquet, rejects.parquet
    STORE/.write.lock            writers take it (flock) for the few ms of a commit

A part is written complete under a temporary name, renamed into place, and only then listed
in a new manifest: a reader (any process) sees a part entirely or not at all, never takes a
lock, and a killed writer leaves at worst an unlisted directory that the next writer removes.
"""
from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from snm.errors import StoreError
from store.schema import TABLES

FORMAT = 2
READABLE_FORMATS = (1, 2)  # format 1 listed bare part names, with no record of the pipeline
MANIFEST = "manifest.json"
PARTS = "parts"
LOCK = ".write.lock"
TMP_PREFIX = "_tmp-"
ROW_GROUP = 100_000  # rows per Parquet row group: the unit DuckDB skips and parallelises over


@dataclass(frozen=True)
class PartInfo:
    """One listed part and the fingerprints of the pipeline that annotated it ('' = unknown)."""

    name: str
    analysis: str = ""  # gazetteer and actor table (geoparse, actors)
    layers: str = ""  # zones and control

    def to_dict(self) -> dict[str, str]:
        """The manifest entry."""
        return {"name": self.name, "analysis": self.analysis, "layers": self.layers}


@dataclass(frozen=True)
class Manifest:
    """What the store holds now: its parts and the pipeline sources of the latest ingest."""

    parts: tuple[PartInfo, ...] = ()
    pipeline: dict[str, Any] = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        """The part names, in order."""
        return [p.name for p in self.parts]


def load_manifest(root: Path) -> Manifest:
    """The store's manifest (empty for a new or missing store)."""
    try:
        data = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Manifest()
    except (OSError, ValueError) as err:
        raise StoreError(f"{root / MANIFEST} is unreadable: {err}") from None
    if not isinstance(data, dict) or data.get("format") not in READABLE_FORMATS:
        raise StoreError(f"{root / MANIFEST} is not a store manifest of format "
                         f"{' or '.join(map(str, READABLE_FORMATS))}")
    parts = tuple(PartInfo(p) if isinstance(p, str) else
                  PartInfo(p["name"], p.get("analysis", ""), p.get("layers", ""))
                  for p in data["parts"])
    return Manifest(parts, data.get("pipeline") or {})


def read_manifest(root: Path) -> list[str]:
    """The part names the store lists now ([] for a new or missing store)."""
    return load_manifest(root).names


def manifest_stamp(root: Path) -> tuple[int, int, int] | None:
    """A cheap fingerprint of the manifest file that changes whenever it is replaced."""
    try:
        st = os.stat(root / MANIFEST)
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def part_files(root: Path, parts: list[str], table: str) -> list[str]:
    """Paths of one table's Parquet files in the given parts."""
    return [str(root / PARTS / p / f"{table}.parquet") for p in parts]


def _fsync_dir(path: Path) -> None:
    """Flush a directory entry (rename) to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_parquet(table: pa.Table, path: Path) -> None:
    """Write one Parquet file and flush it to disk."""
    pq.write_table(table, path, compression="zstd", row_group_size=ROW_GROUP)
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())


@dataclass
class Writer:
    """The one way to change a store: add parts, replace parts; call inside `locked()`."""

    root: Path
    parts: list[str] = field(default_factory=list)
    info: dict[str, PartInfo] = field(default_factory=dict)
    pipeline: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def open(cls, root: Path) -> Writer:
        """A writer for the store at root, created if missing."""
        if root.exists() and not root.is_dir():
            raise StoreError(f"--store {root} exists and is not a directory")
        if root.is_dir() and any(root.iterdir()) and not (root / MANIFEST).exists() \
                and not (root / PARTS).exists():
            raise StoreError(f"--store {root} is a non-empty directory that is not a store")
        (root / PARTS).mkdir(parents=True, exist_ok=True)
        return cls(root)

    @contextmanager
    def locked(self) -> Iterator[Writer]:
        """Hold the store's write lock; reload the manifest and sweep half-written parts."""
        with open(self.root / LOCK, "a+") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                manifest = load_manifest(self.root)
                self.parts = manifest.names
                self.info = {p.name: p for p in manifest.parts}
                self.pipeline = manifest.pipeline
                self._sweep()
                yield self
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def _sweep(self) -> None:
        """Remove part directories no manifest lists (left by a killed writer)."""
        listed = set(self.parts)
        for entry in (self.root / PARTS).iterdir():
            if entry.name not in listed:
                shutil.rmtree(entry, ignore_errors=True)

    def write_part(self, tables: dict[str, pa.Table]) -> str:
        """Write a complete part directory (not yet listed) and return its name."""
        name = f"{time.time_ns():020d}-{uuid.uuid4().hex[:8]}"
        tmp = self.root / PARTS / f"{TMP_PREFIX}{name}"
        tmp.mkdir()
        for table, schema in TABLES.items():
            data = tables.get(table, schema.empty_table())
            _write_parquet(data.cast(schema), tmp / f"{table}.parquet")
        _fsync_dir(tmp)
        os.replace(tmp, self.root / PARTS / name)
        _fsync_dir(self.root / PARTS)
        return name

    def publish(self, parts: list[str]) -> None:
        """Make `parts` the store's content, atomically."""
        tmp = self.root / f"{MANIFEST}.tmp"
        entries = [self.info.get(p, PartInfo(p)).to_dict() for p in parts]
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump({"format": FORMAT, "pipeline": self.pipeline, "parts": entries}, fh, indent=0)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.root / MANIFEST)
        _fsync_dir(self.root)
        self.parts = list(parts)

    def add(self, tables: dict[str, pa.Table], analysis: str = "", layers: str = "") -> str:
        """Write and list one new part, annotated by the given pipeline fingerprints."""
        name = self.write_part(tables)
        self.info[name] = PartInfo(name, analysis, layers)
        self.publish([*self.parts, name])
        return name

    def replace(self, old: list[str], tables: dict[str, pa.Table], analysis: str = "",
                layers: str = "") -> str:
        """Swap parts `old` for one new part holding `tables`; remove the old directories."""
        name = self.write_part(tables)
        self.info[name] = PartInfo(name, analysis, layers)
        self.publish([p for p in self.parts if p not in set(old)] + [name])
        for part in old:  # a reader holding the old list retries with the new one
            shutil.rmtree(self.root / PARTS / part, ignore_errors=True)
        return name


def read_column(root: Path, part: str, table: str, column: str) -> list[str]:
    """One column of one table of one part, as a Python list."""
    path = root / PARTS / part / f"{table}.parquet"
    return pq.read_table(path, columns=[column]).column(column).to_pylist()


def read_part_table(root: Path, parts: list[str], table: str) -> pa.Table:
    """One table of several parts, concatenated."""
    if not parts:
        return TABLES[table].empty_table()
    return pa.concat_tables(pq.read_table(f) for f in part_files(root, parts, table))
