"""python -m store ingest|stats|rejects|compact|reannotate: the store's command line.

Exit codes follow snm.cli: 0 done, 1 bad input or failure, 2 malformed command line,
3 done with rejected records (with --strict), 130 interrupted (committed parts are kept).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from snm import cli
from snm.errors import StoreError
from snm.pipeline import Pipeline, Sources
from snm.settings import store_path
from store.parts import MANIFEST, load_manifest


def _existing(path: Path) -> Path:
    """The store at path, or a StoreError when there is none."""
    if not (path / MANIFEST).is_file():
        raise StoreError(f"no store at {path} (run: python -m store ingest PATH --store {path})")
    return path


def pipeline_for(store: Path, gazetteers: list[str], layers: str | None, mode: str) -> Pipeline:
    """The pipeline the user named, else the one the store was last ingested with."""
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
                          batch_size=args.batch_size)
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
    stale = _stale_parts(args.store, pipeline)
    if stale:
        print(f"note: {stale} part(s) of the store were annotated with another gazetteer or other "
              f"layers; run: python -m store reannotate --store {args.store}", file=sys.stderr)
    return cli.WARNINGS if args.strict and report.rejected else cli.OK


def cmd_stats(args: argparse.Namespace) -> int:
    """Print the store's counts and date range."""
    from store.query import Store
    stats = Store(_existing(args.store)).stats()
    if args.json:
        print(json.dumps(stats, ensure_ascii=False))
    else:
        for key, value in stats.items():
            print(f"{key:15} {value}")
    return cli.OK


def cmd_rejects(args: argparse.Namespace) -> int:
    """Print the rejected input records."""
    from store.query import Store
    for row in Store(_existing(args.store)).rejects().itertuples():
        print(f"{row.origin}\t{row.reason}\t{row.detail}")
    return cli.OK


def cmd_compact(args: argparse.Namespace) -> int:
    """Merge the store's parts (those annotated by the same pipeline)."""
    from store.maintenance import compact
    print(f"merged {compact(_existing(args.store))} parts")
    return cli.OK


def cmd_reannotate(args: argparse.Namespace) -> int:
    """Redo the annotation of the parts another pipeline annotated."""
    from store.maintenance import reannotate
    store = _existing(args.store)
    pipeline = pipeline_for(store, args.gazetteer, args.layers, args.layers_mode)
    r = reannotate(store, pipeline, force=args.force)
    print(f"{r.parts} part(s) rewritten: {r.reanalysed} articles geoparsed again, {r.relayered} "
          f"mentions given new zones and control; {r.unchanged} part(s) were up to date")
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
    return p


def main(argv: list[str] | None = None) -> int:
    """Run one command; errors are one line on stderr and exit 1."""
    args = parser().parse_args(argv)
    if getattr(args, "batch_size", 1) < 1:
        return cli.fail("the batch size (--batch-size) must be at least 1")
    return cli.run(lambda: int(args.run(args)))


if __name__ == "__main__":
    sys.exit(main())
