"""The store on disk: a marked folder of Parquet part directories listed by an atomically replaced
manifest, and a journal of the part directories this project writes.

    STORE/snm-store.json         the marker, written when the store is created:
                                 {"store": "syria-news-map", "format": 2, "created": ..., "by": ...}
    STORE/manifest.json          {"format": 2, "pipeline": {...}, "parts": [{"name": "<part>",
                                  "analysis": ..., "layers": ..., "rows": {table: n},
                                  "bytes": {table: n}, "sha256": {table: hex}, "origins": [file]}]}
    STORE/journal                "+<part>" lines: part directories this project is writing or wrote
    STORE/parts/<part>/articles.parquet, mentions.parquet, actor_mentions.parquet, rejects.parquet
    STORE/quarantine/<part>/     damaged parts moved aside by `python -m store repair`
    STORE/.write.lock            writers take it (flock) for the few ms of a commit

A writer refuses a folder that is neither new, empty, nor marked as a store. A part is named in
the journal before its directory is made, written complete under a temporary name, verified (row
counts read back, checksums taken), renamed into place, and only then listed in a new manifest:
a reader (any process) sees a part entirely or not at all and never takes a lock. Only directories
the journal names and no manifest lists are ever removed (a killed writer's, or those a merge
replaced), and of those only the table files this module writes: nothing else in the folder, a
user's file or a part of unknown origin, is ever deleted.
"""
from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
import re
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from snm import __version__
from snm.errors import StoreError
from store.schema import TABLES, conform

FORMAT = 2
READABLE_FORMATS = (1, 2)  # format 1 listed bare part names, with no record of the pipeline
MARKER = "snm-store.json"
STORE_KIND = "syria-news-map"
MANIFEST = "manifest.json"
JOURNAL = "journal"
PARTS = "parts"
QUARANTINE = "quarantine"
LOCK = ".write.lock"
TMP_PREFIX = "_tmp-"
PART_NAME = re.compile(r"\d{20}-[0-9a-f]{8}")
_MARKER_TMP = re.compile(re.escape(MARKER) + r"\.\d+\.tmp")
ROW_GROUP = 100_000  # rows per Parquet row group: the unit DuckDB skips and parallelises over
HASH_CHUNK = 1 << 20


def table_file(table: str) -> str:
    """The file name of one table in a part directory."""
    return f"{table}.parquet"


@dataclass(frozen=True)
class PartInfo:
    """One listed part: the pipeline fingerprints that annotated it ('' = unknown), what was
    written (rows, bytes and sha256 per table; empty for parts written before they were kept)
    and the input files its rows came from (to ingest again if the part is lost)."""

    name: str
    analysis: str = ""  # gazetteer and actor table (geoparse, actors)
    layers: str = ""  # zones and control
    rows: dict[str, int] = field(default_factory=dict)
    size: dict[str, int] = field(default_factory=dict)
    sha256: dict[str, str] = field(default_factory=dict)
    origins: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The manifest entry."""
        return {"name": self.name, "analysis": self.analysis, "layers": self.layers,
                "rows": self.rows, "bytes": self.size, "sha256": self.sha256,
                "origins": list(self.origins)}

    @classmethod
    def from_dict(cls, entry: Any) -> PartInfo:
        """A manifest entry (a bare name in format 1); TypeError/KeyError/ValueError if malformed."""
        if isinstance(entry, str):
            return cls(entry)
        name = entry["name"]
        if not isinstance(name, str):
            raise ValueError(f"part name {name!r}")
        return cls(name, str(entry.get("analysis") or ""), str(entry.get("layers") or ""),
                   {str(k): int(v) for k, v in (entry.get("rows") or {}).items()},
                   {str(k): int(v) for k, v in (entry.get("bytes") or {}).items()},
                   {str(k): str(v) for k, v in (entry.get("sha256") or {}).items()},
                   tuple(str(o) for o in entry.get("origins") or ()))

    @property
    def articles(self) -> int | None:
        """Articles the part was written with (None when not recorded)."""
        return self.rows.get("articles")


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
    try:
        parts = tuple(PartInfo.from_dict(p) for p in data["parts"])
    except (KeyError, TypeError, ValueError, AttributeError) as err:
        raise StoreError(f"{root / MANIFEST} has a malformed part entry ({err})") from None
    pipeline = data.get("pipeline")
    return Manifest(parts, pipeline if isinstance(pipeline, dict) else {})


def manifest_stamp(root: Path) -> tuple[int, int, int] | None:
    """A cheap fingerprint of the manifest file that changes whenever it is replaced."""
    try:
        st = os.stat(root / MANIFEST)
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def part_files(root: Path, parts: list[str], table: str) -> list[str]:
    """Paths of one table's Parquet files in the given parts."""
    return [str(root / PARTS / p / table_file(table)) for p in parts]


# ---- the marker --------------------------------------------------------------------------------

def read_marker(root: Path) -> dict[str, Any] | None:
    """The store's marker, or None when the folder has none (or not one this project wrote)."""
    try:
        data = json.loads((root / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("store") != STORE_KIND \
            or not isinstance(data.get("format"), int):
        return None
    return data


def is_store(root: Path) -> bool:
    """Whether the folder carries this project's store marker."""
    return read_marker(root) is not None


def _write_json(path: Path, data: Any, tmp: Path) -> None:
    """Write a JSON file atomically: the temporary file tmp, flushed, renamed."""
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=0)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def _write_marker(root: Path) -> None:
    """Mark the folder as a store of this format."""
    data = {"store": STORE_KIND, "format": FORMAT,
            "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "by": f"syria-news-map {__version__}"}
    # not under the write lock: a temporary name of this process (left, never removed, if killed)
    _write_json(root / MARKER, data, root / f"{MARKER}.{os.getpid()}.tmp")


def _valid_manifest(root: Path) -> bool:
    """Whether the folder holds a store manifest this project can read."""
    try:
        load_manifest(root)
    except StoreError:
        return False
    return (root / MANIFEST).is_file()


def prepare_store(root: Path) -> None:
    """Make sure root is a store this project may write: create and mark a new or empty folder,
    adopt a store made before markers (a readable manifest), refuse anything else."""
    if root.exists() and not root.is_dir():
        raise StoreError(f"--store {root} exists and is not a directory")
    if not root.exists():
        root.mkdir(parents=True, exist_ok=True)
    entries = {e.name for e in os.scandir(root)}
    marker = read_marker(root)
    if marker is not None:
        if marker["format"] > FORMAT:
            raise StoreError(f"{root} is a store of format {marker['format']}, made by a newer "
                             f"version of this project (this one writes format {FORMAT})")
    elif MARKER in entries and not _valid_manifest(root):
        raise StoreError(f"{root / MARKER} is damaged and {root} has no readable manifest; "
                         "nothing was changed")
    elif {e for e in entries if not _MARKER_TMP.fullmatch(e)} - {MARKER} and not _valid_manifest(root):
        raise StoreError(f"{root} is not a Syria News Map store (it has no {MARKER}) and is not "
                         "empty: give a new or empty folder, or a store made by this project; "
                         "nothing was changed")
    else:  # new, empty, a store made before markers, or a marker to write again
        _write_marker(root)
    (root / PARTS).mkdir(exist_ok=True)


# ---- the journal -------------------------------------------------------------------------------

def journal_names(root: Path) -> list[str]:
    """Part directories this project wrote and has not removed yet, as the journal lists them."""
    try:
        text = (root / JOURNAL).read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return []
    names: dict[str, None] = {}
    for line in text.splitlines():
        op, name = line[:1], line[1:]
        if PART_NAME.fullmatch(name):
            if op == "+":
                names[name] = None
            elif op == "-":
                names.pop(name, None)
    return list(names)


def _journal_add(root: Path, names: Iterable[str]) -> None:
    """Name part directories in the journal, durably, before they are made or retired."""
    lines = "".join(f"+{n}\n" for n in names if PART_NAME.fullmatch(n))
    if not lines:
        return
    with open(root / JOURNAL, "ab+") as fh:
        if fh.tell():  # a line cut short by a kill must not swallow this one
            fh.seek(-1, os.SEEK_END)
            if fh.read(1) != b"\n":
                lines = "\n" + lines
        fh.write(lines.encode())
        fh.flush()
        os.fsync(fh.fileno())


def _journal_rewrite(root: Path, names: list[str]) -> None:
    """Replace the journal by these names (atomically)."""
    tmp = root / f"{JOURNAL}.tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write("".join(f"+{n}\n" for n in names))
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, root / JOURNAL)


def remove_part_dir(path: Path) -> bool:
    """Remove a part directory this project wrote: its table files, then the directory only if
    nothing else is in it. True when it is gone."""
    if path.is_symlink() or not path.is_dir():
        return not path.exists()
    for table in TABLES:
        with suppress(FileNotFoundError):
            (path / table_file(table)).unlink()
    try:
        path.rmdir()
    except OSError:
        return False  # something this project did not write is in it: left alone
    return True


# ---- verification ----------------------------------------------------------------------------

def file_digest(path: Path) -> tuple[str, int]:
    """sha256 (hex) and size of a file."""
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(HASH_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def short_error(err: BaseException) -> str:
    """An exception as one short line."""
    text = " ".join(str(err).split()) or type(err).__name__
    return text if len(text) <= 160 else text[:157] + "..."


def check_part(root: Path, info: PartInfo, full: bool = False) -> str | None:
    """Why a listed part cannot be read, or None when it is sound.

    Quick (every read of a new part): each table file is there, of the size written, with a
    readable Parquet footer holding the row count written. Full (`python -m store check`, or
    after a failed query): also its sha256 and every page decoded.
    """
    folder = root / PARTS / info.name
    if not folder.is_dir():
        return "its folder is missing"
    for table in TABLES:
        name = table_file(table)
        path = folder / name
        try:
            size = path.stat().st_size
        except OSError:
            return f"{name} is missing"
        if table in info.size and size != info.size[table]:
            return f"{name} has {size} bytes where {info.size[table]} were written (truncated or overwritten)"
        try:
            rows = pq.read_metadata(path).num_rows
        except Exception as err:  # any failure to read the footer: the file is damaged
            return f"{name} is not a readable Parquet file ({short_error(err)})"
        if table in info.rows and rows != info.rows[table]:
            return f"{name} holds {rows} rows where {info.rows[table]} were written"
        if full:
            if table in info.sha256 and file_digest(path)[0] != info.sha256[table]:
                return f"{name} does not match its checksum (its bytes changed after it was written)"
            try:
                pq.read_table(path)
            except Exception as err:  # any failure to decode a page: the file is damaged
                return f"{name} cannot be decoded ({short_error(err)})"
    return None


def origins_of(tables: dict[str, pa.Table]) -> tuple[str, ...]:
    """The input files the rows of these tables came from (articles' and rejects' origins)."""
    files: set[str] = set()
    articles = tables.get("articles")
    if articles is not None and articles.num_rows:
        for origin in pc.unique(articles.column("origin")).to_pylist():
            if origin:
                files.add(origin.rpartition(":")[0] or origin)
    rejects = tables.get("rejects")
    if rejects is not None and rejects.num_rows:
        files.update(f for f in pc.unique(rejects.column("file")).to_pylist() if f)
    return tuple(sorted(files))


# ---- writing -----------------------------------------------------------------------------------

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
        """A writer for the store at root, created (and marked) if root is new or empty; a
        StoreError for a folder that is not a store."""
        prepare_store(root)
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
        """Remove the part directories the journal names and no manifest lists (left by a killed
        writer, or replaced by a merge); nothing the journal does not name is touched."""
        names = journal_names(self.root)
        listed = set(self.parts)
        keep = [n for n in names if n in listed]
        if len(keep) == len(names):
            return
        for name in names:
            if name not in listed:
                remove_part_dir(self.root / PARTS / f"{TMP_PREFIX}{name}")
                remove_part_dir(self.root / PARTS / name)
        _journal_rewrite(self.root, keep)

    def write_part(self, tables: dict[str, pa.Table], analysis: str = "",
                   layers: str = "") -> PartInfo:
        """Write a complete part directory (named in the journal first, verified, not yet listed)."""
        name = f"{time.time_ns():020d}-{uuid.uuid4().hex[:8]}"
        _journal_add(self.root, [name])
        tmp = self.root / PARTS / f"{TMP_PREFIX}{name}"
        tmp.mkdir()
        rows: dict[str, int] = {}
        size: dict[str, int] = {}
        sha: dict[str, str] = {}
        for table, schema in TABLES.items():
            data = tables.get(table)
            data = schema.empty_table() if data is None else conform(table, data)
            path = tmp / table_file(table)
            _write_parquet(data, path)
            rows[table] = data.num_rows
            sha[table], size[table] = file_digest(path)
        info = PartInfo(name, analysis, layers, rows, size, sha, origins_of(tables))
        problem = check_part(self.root, replace(info, name=f"{TMP_PREFIX}{name}"))
        if problem is not None:
            raise StoreError(f"part {name} failed its check after writing: {problem}")
        _fsync_dir(tmp)
        os.replace(tmp, self.root / PARTS / name)
        _fsync_dir(self.root / PARTS)
        return info

    def publish(self, parts: list[str]) -> None:
        """Make `parts` the store's content, atomically."""
        entries = [self.info.get(p, PartInfo(p)).to_dict() for p in parts]
        _write_json(self.root / MANIFEST, {"format": FORMAT, "pipeline": self.pipeline,
                                           "parts": entries}, self.root / f"{MANIFEST}.tmp")
        self.parts = list(parts)

    def add(self, tables: dict[str, pa.Table], analysis: str = "", layers: str = "") -> str:
        """Write and list one new part, annotated by the given pipeline fingerprints."""
        info = self.write_part(tables, analysis, layers)
        self.info[info.name] = info
        self.publish([*self.parts, info.name])
        return info.name

    def replace(self, old: list[str], tables: dict[str, pa.Table], analysis: str = "",
                layers: str = "") -> str:
        """Swap parts `old` for one new part holding `tables`; remove the old directories."""
        info = self.write_part(tables, analysis, layers)
        self.info[info.name] = info
        _journal_add(self.root, old)  # retired: removed now, or by the next writer if killed
        gone = set(old)
        self.publish([p for p in self.parts if p not in gone] + [info.name])
        for part in old:  # a reader holding the old list retries with the new one
            remove_part_dir(self.root / PARTS / part)
        self._sweep()  # the journal forgets what is gone
        return info.name

    def quarantine(self, parts: list[str]) -> dict[str, Path | None]:
        """Move damaged parts to quarantine/ (never deleted) and unlist them; where each went
        (None when its folder was already gone)."""
        moved: dict[str, Path | None] = {}
        for part in parts:
            source = self.root / PARTS / part
            if not source.exists():
                moved[part] = None
                continue
            (self.root / QUARANTINE).mkdir(exist_ok=True)
            dest = self.root / QUARANTINE / part
            n = 1
            while dest.exists():
                n += 1
                dest = self.root / QUARANTINE / f"{part}.{n}"
            os.rename(source, dest)  # first moved, then unlisted: a kill in between loses nothing
            moved[part] = dest
        _fsync_dir(self.root)
        gone = set(parts)
        self.publish([p for p in self.parts if p not in gone])
        return moved


def read_column(root: Path, part: str, table: str, column: str) -> list[str]:
    """One column of one table of one part, as a Python list."""
    path = root / PARTS / part / table_file(table)
    return pq.read_table(path, columns=[column]).column(column).to_pylist()


def read_part_table(root: Path, parts: list[str], table: str) -> pa.Table:
    """One table of several parts, concatenated, in today's schema (a part written before a
    column reads it as nulls)."""
    if not parts:
        return TABLES[table].empty_table()
    return pa.concat_tables(conform(table, pq.read_table(f)) for f in part_files(root, parts, table))
