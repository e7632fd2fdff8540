"""The queries the app needs, run by an in-process DuckDB over the store's Parquet parts.

    store = Store("data/store")
    f = Filters(admin1=["SY-HI"], date_from=date(2017, 7, 1), min_confidence=0.5)
    store.place_counts(f)        # one row per place: mentions, articles, coordinates
    store.add_texts(["..."])     # the app's paste / upload

Reading takes no lock: every query sees the parts listed by the manifest at that moment, so the
app keeps working while an ingest writes. User values reach SQL only as bound parameters.
A month- or year-precision date covers its whole month or year: it matches a date range it
overlaps. Undated rows match a date range only with `include_undated`.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from snm.errors import StoreError, UsageError
from store.parts import (
    PARTS,
    Manifest,
    check_part,
    load_manifest,
    manifest_stamp,
    part_files,
    short_error,
    table_file,
)
from store.schema import KEYS, TABLES

if TYPE_CHECKING:
    from snm.pipeline import Pipeline
    from store.ingest import IngestReport

FREQS = {"D": "day", "W": "week", "M": "month"}
# Which date precisions a time bucket can place: a month-dated article has no day to plot.
_PRECISE_ENOUGH = {"D": ("day",), "W": ("day",), "M": ("day", "month")}
_DATE_END = ("CASE date_precision WHEN 'month' THEN last_day(date) "
             "WHEN 'year' THEN make_date(year(date), 12, 31) ELSE date END")
_LIST_FIELDS = ("admin1", "levels", "actors", "zones", "controllers")
# The sentence of a citation: from the last cut (. ! ? ؟ ؛ or a line break) before the mention
# to the first after it, within SENTENCE_REACH characters either side; where the reach, not a
# cut, ends it, it ends at a whole word with an ellipsis. Spaces are folded to one. Over the
# columns of `win` (in Store.citations).
SENTENCE_REACH = 150
_ENDS = r".!?؟؛"  # the marks that end a sentence (kept in it); a line break ends one too
_CUTS = rf"{_ENDS}\n"
_SENTENCE = (
    "trim(regexp_replace("
    f"CASE WHEN lo > 0 AND NOT regexp_matches(before, '[{_CUTS}]') "
    r"THEN '… ' || regexp_replace(before, '^\S*\s', '') "
    f"ELSE regexp_extract(before, '[^{_CUTS}]*$') END || named || "
    f"CASE WHEN \"end\" + $reach < n AND NOT regexp_matches(after, '[{_CUTS}]') "
    r"THEN regexp_replace(after, '\s\S*$', '') || ' …' "
    f"ELSE regexp_extract(after, '^[^{_CUTS}]*[{_ENDS}]?') END, "
    r"'[\s\pZ]+', ' ', 'g'))")
# A citation's columns, in order: what an analyst cites first (title, date, outlet, URL, the
# sentence, confidence and basis), then the place's codes and the annotations.
CITATION_COLUMNS: tuple[str, ...] = (
    "title", "date", "date_precision", "source", "url", "sentence", "text", "name_ar",
    "name_en", "confidence", "basis", "cue", "level", "kind", "point", "country", "admin1",
    "admin1_pcode", "admin2_pcode", "admin3_pcode", "lat", "lon", "zone_ids", "controller",
    "place_id", "article_id", "start", "end")
_SELECTED = {"sentence": f"{_SENTENCE} AS sentence", "end": '"end"'}
# What DuckDB raises for a file it cannot read (missing, truncated, corrupt pages).
_FILE_ERRORS = (duckdb.IOException, duckdb.InvalidInputException, duckdb.SerializationException)
log = logging.getLogger("snm.store")


@dataclass(frozen=True)
class Filters:
    """What the dashboard shows: every field narrows the mentions; None means no restriction."""

    admin1: Sequence[str] | None = None
    date_from: date | None = None
    date_to: date | None = None
    include_undated: bool = True
    levels: Sequence[str] | None = None
    min_confidence: float = 0.0
    actors: Sequence[str] | None = None
    zones: Sequence[str] | None = None
    controllers: Sequence[str] | None = None
    place_id: str | None = None
    syria_only: bool = True

    def __post_init__(self) -> None:
        """Lists become tuples (hashable for caches); checks types and ranges."""
        for name in _LIST_FIELDS:
            value = getattr(self, name)
            if isinstance(value, str):
                raise TypeError(f"Filters.{name} takes a list of strings, not one string")
            if value is not None:
                object.__setattr__(self, name, tuple(value))
        for name in ("date_from", "date_to"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, date):
                raise TypeError(f"Filters.{name} must be a datetime.date, not {value!r}")
            if isinstance(value, datetime):  # a datetime: keep its day
                object.__setattr__(self, name, value.date())
        if not 0.0 <= float(self.min_confidence) <= 1.0:
            raise UsageError("Filters.min_confidence must be between 0 and 1")

    def where(self) -> tuple[str, dict[str, Any]]:
        """SQL condition over the mentions view `m`, and its bound parameters."""
        clauses: list[str] = []
        params: dict[str, Any] = {}
        if self.syria_only:
            clauses.append("m.country = 'SY'")
        if self.admin1 is not None:
            clauses.append("list_contains($admin1, m.admin1)")
            params["admin1"] = list(self.admin1)
        if self.levels is not None:
            clauses.append("list_contains($levels, m.level)")
            params["levels"] = list(self.levels)
        if self.min_confidence:
            clauses.append("m.confidence >= $min_confidence")
            params["min_confidence"] = float(self.min_confidence)
        if self.place_id is not None:
            clauses.append("m.place_id = $place_id")
            params["place_id"] = self.place_id
        if self.zones is not None:
            clauses.append("list_has_any(m.zone_ids, $zones)")
            params["zones"] = list(self.zones)
        if self.controllers is not None:
            clauses.append("list_contains($controllers, m.controller)")
            params["controllers"] = list(self.controllers)
        if self.actors is not None:
            clauses.append("m.article_id IN (SELECT article_id FROM actor_mentions "
                           "WHERE list_contains($actors, actor_id))")
            params["actors"] = list(self.actors)
        if self.date_from is not None or self.date_to is not None:
            dated = ["m.date IS NOT NULL"]
            if self.date_from is not None:
                # the first condition lets Parquet statistics skip row groups
                dated.append("m.date >= $date_from_floor AND m.date_end >= $date_from")
                params["date_from"] = self.date_from
                params["date_from_floor"] = self.date_from - timedelta(days=366)
            if self.date_to is not None:
                dated.append("m.date <= $date_to")
                params["date_to"] = self.date_to
            undated = " OR m.date IS NULL" if self.include_undated else ""
            clauses.append(f"(({' AND '.join(dated)}){undated})")
        elif not self.include_undated:
            clauses.append("m.date IS NOT NULL")
        return (" AND ".join(clauses) or "TRUE"), params


class Store:
    """Read (and add to) the store at `path`; safe to share between threads."""

    def __init__(self, path: str | Path) -> None:
        """Open the store at path (a missing store reads as empty until something is added)."""
        self.path = Path(path)
        self._con = duckdb.connect(":memory:")
        self._con.execute("SET parquet_metadata_cache = true")
        self._lock = threading.Lock()
        self._stamp: Any = ()
        self._listed: list[str] = []
        self._sound: set[str] = set()  # parts that passed the quick check
        self._verified: set[str] = set()  # parts that passed the full check
        self._bad: dict[str, str] = {}  # damaged parts and why
        self._columns: dict[tuple[str, str], frozenset[str]] = {}  # (part, table) -> its columns
        for table, schema in TABLES.items():
            self._con.register("empty_arrow", schema.empty_table())
            self._con.execute(f"CREATE TABLE empty_{table} AS SELECT * FROM empty_arrow")
            self._con.unregister("empty_arrow")
        self._refresh()

    def __repr__(self) -> str:
        """Store(path)."""
        return f"Store({str(self.path)!r})"

    @property
    def damaged(self) -> dict[str, str]:
        """Listed parts that cannot be read, and why: they are left out of every query (see
        `python -m store check` and `repair`)."""
        self._refresh()
        return {p: self._bad[p] for p in self._listed if p in self._bad}

    # -- plumbing -------------------------------------------------------------------------

    def _mark(self, part: str, problem: str) -> None:
        """Leave a damaged part out, with a warning naming it."""
        if part not in self._bad:
            log.warning("part %s of the store %s is damaged and left out: %s; see: python -m "
                        "store check --store %s", part, self.path, problem, self.path)
        self._bad[part] = problem

    def _check(self, full: bool) -> tuple[Manifest, Any]:
        """The manifest now (and its stamp) with its parts checked, quick or full. A part is
        marked damaged only if the manifest is the same after the check: a compaction may have
        replaced it meanwhile."""
        found: dict[str, str] = {}
        for _ in range(5):
            stamp = manifest_stamp(self.path)
            manifest = load_manifest(self.path)
            found = {}
            for info in manifest.parts:
                if info.name in self._bad or info.name in self._verified or (
                        not full and info.name in self._sound):
                    continue
                problem = check_part(self.path, info, full=full) or self._read_columns(info.name)
                if problem is None:
                    (self._verified if full else self._sound).add(info.name)
                else:
                    found[info.name] = problem
            if not found or manifest_stamp(self.path) == stamp:
                break
        for part, problem in found.items():
            self._mark(part, problem)
        return manifest, stamp

    def _refresh(self, force: bool = False) -> None:
        """Point the views at the sound parts the manifest lists now, if it changed."""
        if manifest_stamp(self.path) == self._stamp and not force:
            return
        with self._lock:
            manifest, stamp = self._check(full=False)
            parts = [p for p in manifest.names if p not in self._bad]
            for table in TABLES:
                extra = f", {_DATE_END} AS date_end" if table in ("articles", "mentions") else ""
                self._con.execute(f"CREATE OR REPLACE VIEW {table} AS SELECT *{extra} "
                                  f"FROM {self._source(table, parts)}")
            self._listed = manifest.names
            self._stamp = stamp

    def _read_columns(self, part: str) -> str | None:
        """Learn (once) the columns of each table of a sound part; why not, if a schema cannot
        be read."""
        for table in TABLES:
            if (part, table) not in self._columns:
                try:
                    names = pq.read_schema(self.path / PARTS / part / table_file(table)).names
                except Exception as err:  # any failure to read the footer: the part is damaged
                    return f"{table_file(table)} has no readable schema ({short_error(err)})"
                self._columns[(part, table)] = frozenset(names)
        return None

    def _source(self, table: str, parts: list[str]) -> str:
        """SQL reading one table of these parts in today's schema: parts written before a column
        was added read it as NULL (a union by name with the empty table of today's schema)."""
        complete = set(TABLES[table].names)
        whole = [p for p in parts if complete <= self._columns[(p, table)]]
        older = [p for p in parts if p not in whole]
        if not older:
            return _read_parquet(part_files(self.path, whole, table)) if whole else f"empty_{table}"
        sources = [f"SELECT * FROM empty_{table}",
                   f"SELECT * FROM {_read_parquet(part_files(self.path, older, table), by_name=True)}"]
        if whole:
            sources.append(f"SELECT * FROM {_read_parquet(part_files(self.path, whole, table))}")
        # the schema's columns only, in its order (a future column of a part is not shown)
        columns = ", ".join(f'"{c}"' for c in TABLES[table].names)
        return f"(SELECT {columns} FROM ({' UNION ALL BY NAME '.join(sources)}))"

    def _verify(self) -> None:
        """Fully check (checksums, every page) the parts in use; leave out those damaged."""
        with self._lock:
            self._check(full=True)
        self._refresh(force=True)

    def _query(self, sql: str, params: dict[str, Any] | None = None) -> pa.Table:
        """Run SQL on a fresh cursor over the current parts. A file error is retried once with the
        manifest read again (a compaction replaced parts), then once more after a full check has
        left out damaged parts; after that it is a StoreError, never a traceback."""
        self._refresh()
        error: Exception | None = None
        for attempt in range(3):
            cursor = self._con.cursor()
            try:
                return cursor.sql(sql, params=params or None).to_arrow_table()
            except _FILE_ERRORS as err:
                error = err
                if attempt == 0:
                    self._refresh(force=True)  # a compaction removed files listed before
                elif attempt == 1:
                    self._verify()
            finally:
                cursor.close()
        detail = " ".join(str(error).split())[:200]
        raise StoreError(f"the store at {self.path} cannot be read ({detail}); run: python -m store "
                         f"check --store {self.path}")

    def _frame(self, sql: str, params: dict[str, Any] | None = None) -> pd.DataFrame:
        """Query result as a DataFrame (dates as datetime.date)."""
        return self._query(sql, params).to_pandas()

    @staticmethod
    def _filters(f: Filters | None) -> Filters:
        """The given filters or the defaults."""
        return Filters() if f is None else f

    # -- the dashboard's queries ------------------------------------------------------------

    def mentions(self, f: Filters | None = None, limit: int | None = None) -> pd.DataFrame:
        """Mentions matching the filters, newest first, with their article's title."""
        where, params = self._filters(f).where()
        params.update(_limit(limit))
        return self._frame(
            f"WITH top AS MATERIALIZED (SELECT m.* EXCLUDE (date_end) FROM mentions m WHERE {where} "
            f"ORDER BY m.date DESC NULLS LAST, m.article_id, m.start{' LIMIT $limit' if limit is not None else ''}) "
            "SELECT top.*, a.title FROM top LEFT JOIN articles a USING (article_id) "
            "ORDER BY top.date DESC NULLS LAST, top.article_id, top.start", params)

    def place_articles(self, f: Filters | None = None, per_place: int = 3,
                       context: int = 60) -> pd.DataFrame:
        """The newest per_place articles of each place: date, title, source and a window of
        the text around the place's first mention (text, with start/end into that window)."""
        where, params = self._filters(f).where()
        params.update({"per_place": int(per_place), "context": int(context)})
        return self._frame(
            "WITH first AS (SELECT m.place_id, m.article_id, min(m.start) AS start, "
            "arg_min(m.\"end\", m.start) AS \"end\", arg_min(m.text, m.start) AS mention_text, "
            "any_value(m.date) AS date, any_value(m.date_precision) AS date_precision "
            f"FROM mentions m WHERE {where} GROUP BY m.place_id, m.article_id), "
            "ranked AS (SELECT *, greatest(start - $context, 0) AS lo, row_number() OVER "
            "(PARTITION BY place_id ORDER BY date DESC NULLS LAST, article_id) AS rank FROM first) "
            "SELECT r.place_id, r.article_id, r.date, r.date_precision, a.title, a.source, "
            "r.mention_text, substr(a.text, r.lo + 1, r.\"end\" - r.lo + $context) AS text, "
            "r.start - r.lo AS start, r.\"end\" - r.lo AS \"end\" "
            "FROM ranked r JOIN articles a USING (article_id) WHERE r.rank <= $per_place "
            "ORDER BY r.place_id, r.rank", params)

    def place_counts(self, f: Filters | None = None) -> pd.DataFrame:
        """One row per place: its names, level, kind, governorate, coordinates and whose point
        they are (point: NULL when only parts written before it was stored name the place),
        mentions, articles."""
        where, params = self._filters(f).where()
        return self._frame(
            "SELECT place_id, any_value(name_ar) AS name_ar, any_value(name_en) AS name_en, "
            "any_value(level) AS level, any_value(kind) AS kind, any_value(admin1) AS admin1, "
            "any_value(lat) AS lat, any_value(lon) AS lon, any_value(point) AS point, "
            "any_value(country) AS country, count(*) AS mentions, "
            "count(DISTINCT article_id) AS articles, avg(confidence) AS confidence "
            f"FROM mentions m WHERE {where} GROUP BY place_id ORDER BY mentions DESC, place_id",
            params)

    def article_count(self, f: Filters | None = None) -> int:
        """How many articles have a mention matching the filters (the length of `articles(f)`)."""
        where, params = self._filters(f).where()
        row = self._query(f"SELECT count(DISTINCT m.article_id) AS n FROM mentions m WHERE {where}",
                          params).to_pylist()[0]
        return int(row["n"])

    def citations(self, f: Filters | None = None, limit: int | None = None) -> pd.DataFrame:
        """Mentions matching the filters, newest first, with what a citation needs: the
        article's title, date, source and url, and the sentence around the mention (see
        `_SENTENCE`), then the place, the geoparser's confidence, basis, cue, kind and point,
        the codes and the annotations (zone_ids, controller)."""
        where, params = self._filters(f).where()
        params.update(_limit(limit))
        params["reach"] = SENTENCE_REACH
        return self._frame(
            f"WITH sel AS MATERIALIZED (SELECT m.* EXCLUDE (date_end) FROM mentions m WHERE {where} "
            f"ORDER BY m.date DESC NULLS LAST, m.article_id, m.start{' LIMIT $limit' if limit is not None else ''}), "
            # only the cited articles' texts are read into the join (a third of the time)
            "cited AS MATERIALIZED (SELECT a.article_id, a.title, a.source, a.url, a.text "
            "FROM articles a SEMI JOIN sel USING (article_id)), "
            "win AS (SELECT s.*, a.title, a.source, a.url, "
            "length(a.text) AS n, greatest(s.start - $reach, 0) AS lo, "
            "substr(a.text, greatest(s.start - $reach, 0) + 1, s.start - greatest(s.start - $reach, 0)) AS before, "
            "substr(a.text, s.start + 1, s.\"end\" - s.start) AS named, "
            "substr(a.text, s.\"end\" + 1, $reach) AS after "
            "FROM sel s LEFT JOIN cited a USING (article_id)) "
            f"SELECT {', '.join(_SELECTED.get(c, c) for c in CITATION_COLUMNS)} FROM win "
            "ORDER BY date DESC NULLS LAST, article_id, start", params)

    def admin1_counts(self, f: Filters | None = None) -> pd.DataFrame:
        """Mentions and articles per governorate (ISO admin1 and OCHA P-code)."""
        where, params = self._filters(f).where()
        return self._frame(
            "SELECT admin1, any_value(admin1_pcode) AS admin1_pcode, count(*) AS mentions, "
            "count(DISTINCT article_id) AS articles "
            f"FROM mentions m WHERE m.admin1 IS NOT NULL AND {where} "
            "GROUP BY admin1 ORDER BY mentions DESC, admin1", params)

    def daily_counts(self, f: Filters | None = None, freq: str = "D") -> pd.DataFrame:
        """Mentions and articles per day ('D'), week ('W', from Monday) or month ('M').

        Rows whose date is coarser than the bucket (an article dated only 'July 2017' in a
        daily chart) are left out: they have no day to be drawn on.
        """
        if freq not in FREQS:
            raise UsageError(f"freq must be one of {', '.join(FREQS)}, not {freq!r}")
        where, params = self._filters(f).where()
        params["precise"] = list(_PRECISE_ENOUGH[freq])
        return self._frame(
            f"SELECT CAST(date_trunc('{FREQS[freq]}', m.date) AS DATE) AS date, "
            "count(*) AS mentions, count(DISTINCT article_id) AS articles "
            f"FROM mentions m WHERE m.date IS NOT NULL AND list_contains($precise, m.date_precision) "
            f"AND {where} GROUP BY 1 ORDER BY 1", params)

    def articles(self, f: Filters | None = None, limit: int | None = None) -> pd.DataFrame:
        """Articles with a matching mention, newest first: their matching mentions and places."""
        where, params = self._filters(f).where()
        params.update(_limit(limit))
        # the newest articles first (a mention's date is its article's), then only their places
        return self._frame(
            "WITH top AS MATERIALIZED (SELECT article_id, count(*) AS mentions, "
            f"any_value(m.date) AS date FROM mentions m WHERE {where} GROUP BY article_id "
            "ORDER BY date DESC NULLS LAST, mentions DESC, article_id"
            f"{' LIMIT $limit' if limit is not None else ''}), "
            "places AS (SELECT m.article_id, list(DISTINCT m.name_ar ORDER BY m.name_ar) AS places "
            f"FROM mentions m SEMI JOIN top USING (article_id) WHERE {where} GROUP BY m.article_id) "
            "SELECT a.article_id, a.title, a.date, a.date_precision, a.source, a.url, a.origin, "
            "top.mentions, places.places FROM top JOIN articles a USING (article_id) "
            "LEFT JOIN places USING (article_id) "
            "ORDER BY top.date DESC NULLS LAST, top.mentions DESC, a.article_id", params)

    def article(self, article_id: str) -> dict[str, Any] | None:
        """One article with its place and actor mentions, or None if the store lacks it."""
        rows = self._query("SELECT * EXCLUDE (date_end) FROM articles WHERE article_id = $id",
                           {"id": article_id}).to_pylist()
        if not rows:
            return None
        article = rows[0]
        article["mentions"] = self._query(
            "SELECT * EXCLUDE (date_end) FROM mentions WHERE article_id = $id ORDER BY start, \"end\"",
            {"id": article_id}).to_pylist()
        article["actors"] = self._query(
            "SELECT * FROM actor_mentions WHERE article_id = $id ORDER BY start, \"end\"",
            {"id": article_id}).to_pylist()
        return article

    def actor_counts(self, f: Filters | None = None) -> pd.DataFrame:
        """Actors named in all articles, or in those with a mention matching f (f.actors aside)."""
        if f is None:
            return self._frame(
                "SELECT actor_id, count(*) AS mentions, count(DISTINCT article_id) AS articles "
                "FROM actor_mentions GROUP BY actor_id ORDER BY mentions DESC, actor_id")
        where, params = replace(f, actors=None).where()
        return self._frame(
            "SELECT actor_id, count(*) AS mentions, count(DISTINCT article_id) AS articles "
            f"FROM actor_mentions WHERE article_id IN (SELECT article_id FROM mentions m WHERE {where}) "
            "GROUP BY actor_id ORDER BY mentions DESC, actor_id", params)

    def date_span(self) -> tuple[date | None, date | None]:
        """First and last day covered by dated articles ((None, None) when none are dated)."""
        row = self._query("SELECT min(date) AS lo, max(date_end) AS hi FROM articles").to_pylist()[0]
        return row["lo"], row["hi"]

    def rejects(self) -> pd.DataFrame:
        """Input records that were not stored: origin (file:line), reason, detail."""
        return self._frame("SELECT origin, file, line, reason, detail FROM rejects "
                           "ORDER BY file, line, reason")

    def stats(self) -> dict[str, Any]:
        """Counts and the date range of the store."""
        row = self._query(
            "SELECT (SELECT count(*) FROM articles) AS articles, "
            "(SELECT count(*) FROM mentions) AS mentions, "
            "(SELECT count(*) FROM actor_mentions) AS actor_mentions, "
            "(SELECT count(*) FROM rejects) AS rejects, "
            "(SELECT count(*) FROM articles WHERE date IS NULL) AS undated, "
            "(SELECT min(date) FROM articles) AS date_min, "
            "(SELECT max(date) FROM articles) AS date_max").to_pylist()[0]
        row["parts"] = len(self._listed)
        row["damaged_parts"] = len(self.damaged)
        for key in ("date_min", "date_max"):
            row[key] = row[key].isoformat() if row[key] is not None else None
        return row

    def recorded_pipeline(self) -> dict[str, Any]:
        """The pipeline sources (user gazetteers, layers) the store was last ingested with."""
        return load_manifest(self.path).pipeline

    def table(self, name: str) -> pa.Table:
        """A whole table (articles, mentions, actor_mentions, rejects) in a stable row order."""
        if name not in TABLES:
            raise UsageError(f"no table {name!r}; tables: {', '.join(TABLES)}")
        keys = list(KEYS[name]) + [c for c in TABLES[name].names if c not in KEYS[name]]
        order = ", ".join(f'"{c}"' for c in keys)
        columns = ", ".join(f'"{c}"' for c in TABLES[name].names)
        return self._query(f"SELECT {columns} FROM {name} ORDER BY {order}")

    # -- adding -------------------------------------------------------------------------------

    def add_texts(self, records: Iterable[dict[str, Any] | str], pipeline: Pipeline,
                  origin: str = "paste") -> IngestReport:
        """Ingest pasted records (dicts with text/title/date/... or plain texts) with a pipeline."""
        from store.ingest import ingest_items, records_to_items
        report = ingest_items(records_to_items(records, origin), self.path, pipeline)
        self._refresh()
        return report

    def add_file(self, name: str, data: bytes, pipeline: Pipeline) -> IngestReport:
        """Ingest an uploaded .jsonl, .csv or .txt file given as bytes, with a pipeline."""
        from store.ingest import ingest_items
        from store.readers import read_upload
        report = ingest_items(read_upload(name, data), self.path, pipeline)
        self._refresh()
        return report


def _limit(limit: int | None) -> dict[str, int]:
    """The $limit parameter when a limit is asked for (a non-negative int)."""
    if limit is None:
        return {}
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
        raise UsageError(f"limit must be a non-negative int, not {limit!r}")
    return {"limit": limit}


def _read_parquet(files: list[str], by_name: bool = False) -> str:
    """read_parquet over the store's own files (union_by_name when their columns differ)."""
    option = ", union_by_name = true" if by_name else ""
    return f"read_parquet([{', '.join(map(_sql_string, files))}]{option})"


def _sql_string(value: str) -> str:
    """A SQL string literal (for the store's own file paths, never for user values)."""
    return "'" + value.replace("'", "''") + "'"
