"""python -m store ingest|stats|rejects|compact|reannotate|check|repair: the store's command line.

Exit codes follow snm.cli: 0 done, 1 bad input or failure, 2 malformed command line,
3 done with warnings (records rejected, with --strict; damaged parts of the store left out),
130 interrupted (committed parts are kept).
"""
from __future__ import annotations

import argparse
import json
import logging
import math
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from snm import cli
from snm.errors import StoreError, UsageError
from snm.pipeline import Pipeline, Sources
from snm.settings import store_path
from store.parts import MANIFEST, load_manifest

if TYPE_CHECKING:
    from store.maintenance import HealthReport


def _existing(path: Path) -> Path:
    """The store at path, or a StoreError when there is none."""
    if not (path / MANIFEST).is_file():
        raise StoreError(f"no store at {path} (run: python -m store ingest PATH --store {path})")
    return path


def _user_file(option: str, value: str) -> None:
    """A UsageError unless the value of a file option names a file."""
    path = Path(value)
    if path.is_dir():
        raise UsageError(f"{option} {value} is a folder; give a file")
    if not path.is_file():
        raise UsageError(f"{option} {value}: no such file")


def pipeline_for(store: Path, gazetteers: list[str], layers: str | None, mode: str) -> Pipeline:
    """The pipeline the user named, else the one the store was last ingested with."""
    for gazetteer in gazetteers:
        _user_file("--gazetteer", gazetteer)
    if layers:
        _user_file("--layers", layers)
    if gazetteers or layers:
        return Pipeline.from_files(gazetteers, layers, mode)
    recorded = load_manifest(store).pipeline if (store / MANIFEST).is_file() else {}
    return Pipeline.from_sources(Sources.from_dict(recorded))


def _stale_parts(store: Path, pipeline: Pipeline) -> int:
    """How many parts another pipeline annotated."""
    parts = load_manifest(store).parts
    return sum(p.analysis != pipeline.analysis_version or p.layers != pipeline.layers.fingerprint
               for p in parts)


def cmd_ingest(args: argparse.Namespace) -> int:
    """Ingest files and folders, print what happened."""
    from store.ingest import ingest_paths
    pipeline = pipeline_for(args.store, args.gazetteer, args.layers, args.layers_mode)
    report = ingest_paths(args.paths, args.store, pipeline, engine=args.engine,
                          workers=args.workers, scheduler=args.scheduler,
                          batch_size=args.batch_size, progress_every=args.progress_every)
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=1))
    else:
        print(f"{report.read} records read: {report.ingested} new articles "
              f"({report.mentions} place mentions, {report.actor_mentions} actor mentions), "
              f"{report.duplicates} already stored, {report.rejected} rejected -> {args.store}")
        for reject in report.rejects[:20]:
            print(f"  rejected {reject}", file=sys.stderr)
        if report.rejected > 20:
            print(f"  ... {report.rejected - 20} more: python -m store rejects --store {args.store}",
                  file=sys.stderr)
        for path in report.skipped_files:
            print(f"  skipped {path} (not .jsonl, .csv or .txt)", file=sys.stderr)
    for path in report.empty_files:
        print(f"  {path}: no records", file=sys.stderr)
    if not report.read:
        print("no records in the given files: nothing to ingest", file=sys.stderr)
    stale = _stale_parts(args.store, pipeline)
    if stale:
        print(f"note: {stale} part(s) of the store were annotated with another gazetteer or other "
              f"layers; run: python -m store reannotate --store {args.store}", file=sys.stderr)
    if report.damaged_parts:
        return _damage_note(args.store, len(report.damaged_parts))
    return cli.WARNINGS if args.strict and report.rejected else cli.OK


def _damage_note(store: Path, damaged: int) -> int:
    """Say how to deal with damaged parts (each was named in a warning); the warnings exit code."""
    print(f"warning: {damaged} damaged part(s) of the store were left out; run: python -m store "
          f"repair --store {store}", file=sys.stderr)
    return cli.WARNINGS


def cmd_stats(args: argparse.Namespace) -> int:
    """Print the store's counts and date range."""
    from store.query import Store
    store = Store(_existing(args.store))
    stats = store.stats()
    if args.json:
        print(json.dumps(stats, ensure_ascii=False))
    else:
        for key, value in stats.items():
            print(f"{key:15} {value}")
    return _damage_note(args.store, len(store.damaged)) if store.damaged else cli.OK


def cmd_rejects(args: argparse.Namespace) -> int:
    """Print the rejected input records."""
    from store.query import Store
    store = Store(_existing(args.store))
    for row in store.rejects().itertuples():
        print(f"{row.origin}\t{row.reason}\t{row.detail}")
    return _damage_note(args.store, len(store.damaged)) if store.damaged else cli.OK


def cmd_compact(args: argparse.Namespace) -> int:
    """Merge the store's parts (those annotated by the same pipeline)."""
    from store.maintenance import compact
    damaged: dict[str, str] = {}
    print(f"merged {compact(_existing(args.store), damaged)} parts")
    return _damage_note(args.store, len(damaged)) if damaged else cli.OK


def cmd_reannotate(args: argparse.Namespace) -> int:
    """Redo the annotation of the parts another pipeline annotated."""
    from store.maintenance import reannotate
    store = _existing(args.store)
    pipeline = pipeline_for(store, args.gazetteer, args.layers, args.layers_mode)
    r = reannotate(store, pipeline, force=args.force)
    print(f"{r.parts} part(s) rewritten: {r.reanalysed} articles geoparsed again, {r.relayered} "
          f"mentions given new zones and control; {r.unchanged} part(s) were up to date")
    return _damage_note(store, len(r.damaged)) if r.damaged else cli.OK


def _print_health(report: HealthReport, store: Path, as_json: bool, repaired: bool) -> None:
    """What check or repair found, for people or as JSON."""
    if as_json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=1))
        return
    kind = "checksums and pages" if report.full else "sizes, footers and row counts"
    print(f"{report.parts} part(s) checked ({kind}): {len(report.damaged)} damaged")
    for d in report.damaged:
        articles = "an unknown number of" if d.articles is None else str(d.articles)
        print(f"  {d.name}: {d.problem} ({articles} articles)")
        if repaired:
            print(f"    moved to {d.moved_to}" if d.moved_to else "    its folder was already gone")
    for entry in report.unlisted:
        print(f"  parts/{entry}: not part of the store (not listed, not written by it); left alone")
    if report.damaged:
        unknown = any(not d.origins for d in report.damaged)
        if report.origins:
            print("ingest these files again to get the lost articles back:" if repaired else
                  "their articles come from:")
            for origin in report.origins:
                print(f"  {origin}")
        if unknown:
            print("  (the input files of a part written before they were recorded are unknown)")
        if repaired and report.origins:
            print(f"e.g.: python -m store ingest {' '.join(report.origins[:3])}"
                  f"{' ...' if len(report.origins) > 3 else ''} --store {store}")
        elif not repaired:
            print(f"run: python -m store repair --store {store}")


def cmd_check(args: argparse.Namespace) -> int:
    """Check every part of the store; exit 3 when some are damaged."""
    from store.maintenance import check
    report = check(_existing(args.store), full=not args.quick)
    _print_health(report, args.store, args.json, repaired=False)
    return cli.WARNINGS if report.damaged else cli.OK


def cmd_repair(args: argparse.Namespace) -> int:
    """Quarantine the damaged parts and list the input files to ingest again."""
    from store.maintenance import repair
    report = repair(_existing(args.store))
    _print_health(report, args.store, args.json, repaired=True)
    return cli.OK


def parser() -> argparse.ArgumentParser:
    """The command-line grammar."""
    p = argparse.ArgumentParser(prog="python -m store", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)
    store_opt = argparse.ArgumentParser(add_help=False)
    store_opt.add_argument("--store", type=Path, default=store_path(),
                           help="store folder (default: $SNM_STORE or data/store)")
    pipe_opt = argparse.ArgumentParser(add_help=False)
    pipe_opt.add_argument("--gazetteer", action="append", default=[], metavar="CSV",
                          help="add a richer gazetteer (README columns); repeatable")
    pipe_opt.add_argument("--layers", metavar="GEOJSON",
                          help="a GeoJSON of zones and/or control (README)")
    pipe_opt.add_argument("--layers-mode", choices=("add", "replace"), default="add",
                          help="add to the built-in layers or replace the kinds the file has")
    ing = sub.add_parser("ingest", parents=[store_opt, pipe_opt],
                         help="add .jsonl/.csv/.txt articles",
                         description="Without --gazetteer/--layers, the pipeline the store was "
                                     "last ingested with is used.")
    ing.add_argument("paths", nargs="+", help="files or folders")
    ing.add_argument("--engine", choices=("local", "dask"), default="local")
    ing.add_argument("--workers", type=int, default=2, help="Dask LocalCluster workers")
    ing.add_argument("--scheduler", help="address of a running Dask scheduler (tcp://host:port)")
    ing.add_argument("--batch-size", type=int, default=100, help="articles per committed part")
    ing.add_argument("--strict", action="store_true", help="exit 3 if any record was rejected")
    ing.add_argument("--json", action="store_true", help="print the report as JSON")
    ing.add_argument("--progress-every", type=float, default=5.0, metavar="SECONDS",
                     help="when stderr is not a terminal, a progress line every SECONDS "
                          "(default %(default)s; 0: after every batch)")
    ing.set_defaults(run=cmd_ingest)
    st = sub.add_parser("stats", parents=[store_opt], help="counts and date range")
    st.add_argument("--json", action="store_true")
    st.set_defaults(run=cmd_stats)
    sub.add_parser("rejects", parents=[store_opt], help="list rejected records").set_defaults(run=cmd_rejects)
    sub.add_parser("compact", parents=[store_opt], help="merge parts").set_defaults(run=cmd_compact)
    re_ = sub.add_parser("reannotate", aliases=["annotate"], parents=[store_opt, pipe_opt],
                         help="redo the annotation where the gazetteer, actors or layers changed")
    re_.add_argument("--force", action="store_true", help="redo every part")
    re_.set_defaults(run=cmd_reannotate)
    ck = sub.add_parser("check", parents=[store_opt],
                        help="find damaged parts (exit 3 when there are some)")
    ck.add_argument("--quick", action="store_true",
                    help="sizes, footers and row counts only (no checksums, no page decoding)")
    ck.add_argument("--json", action="store_true")
    ck.set_defaults(run=cmd_check)
    rp = sub.add_parser("repair", parents=[store_opt],
                        help="move damaged parts to quarantine/ and list the files to ingest again")
    rp.add_argument("--json", action="store_true")
    rp.set_defaults(run=cmd_repair)
    return p


def main(argv: list[str] | None = None) -> int:
    """Run one command; errors are one line on stderr and exit 1."""
    args = parser().parse_args(argv)
    if getattr(args, "batch_size", 1) < 1:
        return cli.fail("the batch size (--batch-size) must be at least 1")
    every = getattr(args, "progress_every", 0.0)
    if not math.isfinite(every) or every < 0:
        return cli.fail(f"--progress-every must be a number of seconds >= 0, not {every}")
    logging.basicConfig(format="warning: %(message)s", level=logging.WARNING, stream=sys.stderr)
    return cli.run(lambda: int(args.run(args)))


if __name__ == "__main__":
    sys.exit(main())
