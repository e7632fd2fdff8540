"""python -m store ingest|stats|rejects|compact|annotate: the store's command line."""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from store.parts import MANIFEST, StoreError

DEFAULT_STORE = Path(__file__).resolve().parents[1] / "data" / "store"


def default_store() -> Path:
    """$SNM_STORE, else data/store in the repository."""
    return Path(os.environ.get("SNM_STORE") or DEFAULT_STORE)


def _existing(path: Path) -> Path:
    """The store at path, or a StoreError when there is none."""
    if not (path / MANIFEST).is_file():
        raise StoreError(f"no store at {path} (run: python -m store ingest PATH --store {path})")
    return path


def cmd_ingest(args: argparse.Namespace) -> int:
    """Ingest files and folders, print what happened."""
    from store.ingest import ingest_paths
    try:
        report = ingest_paths(args.paths, args.store, engine=args.engine, workers=args.workers,
                              scheduler=args.scheduler, batch_size=args.batch_size)
    except ModuleNotFoundError as err:
        raise StoreError(f"the analysis modules are missing ({err}); run `make setup`") from None
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
    return 1 if args.strict and report.rejected else 0


def cmd_stats(args: argparse.Namespace) -> int:
    """Print the store's counts and date range."""
    from store.query import Store
    stats = Store(_existing(args.store)).stats()
    if args.json:
        print(json.dumps(stats, ensure_ascii=False))
    else:
        for key, value in stats.items():
            print(f"{key:15} {value}")
    return 0


def cmd_rejects(args: argparse.Namespace) -> int:
    """Print the rejected input records."""
    from store.query import Store
    for row in Store(_existing(args.store)).rejects().itertuples():
        print(f"{row.origin}\t{row.reason}\t{row.detail}")
    return 0


def cmd_compact(args: argparse.Namespace) -> int:
    """Merge the store's parts into one."""
    from store.maintenance import compact
    print(f"merged {compact(_existing(args.store))} parts into one")
    return 0


def cmd_annotate(args: argparse.Namespace) -> int:
    """Recompute zones and control of every mention with the current layers."""
    from store.maintenance import reannotate
    reannotate(_existing(args.store))
    print(f"zones and control recomputed in {args.store}")
    return 0


def parser() -> argparse.ArgumentParser:
    """The command-line grammar."""
    p = argparse.ArgumentParser(prog="python -m store", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    store_opt = argparse.ArgumentParser(add_help=False)
    store_opt.add_argument("--store", type=Path, default=default_store(),
                           help="store folder (default: $SNM_STORE or data/store)")
    ing = sub.add_parser("ingest", parents=[store_opt], help="add .jsonl/.csv/.txt articles")
    ing.add_argument("paths", nargs="+", help="files or folders")
    ing.add_argument("--engine", choices=("local", "dask"), default="local")
    ing.add_argument("--workers", type=int, default=2, help="Dask LocalCluster workers")
    ing.add_argument("--scheduler", help="address of a running Dask scheduler (tcp://host:port)")
    ing.add_argument("--batch-size", type=int, default=100, help="articles per committed part")
    ing.add_argument("--strict", action="store_true", help="exit 1 if any record was rejected")
    ing.add_argument("--json", action="store_true", help="print the report as JSON")
    ing.set_defaults(run=cmd_ingest)
    st = sub.add_parser("stats", parents=[store_opt], help="counts and date range")
    st.add_argument("--json", action="store_true")
    st.set_defaults(run=cmd_stats)
    sub.add_parser("rejects", parents=[store_opt], help="list rejected records").set_defaults(run=cmd_rejects)
    sub.add_parser("compact", parents=[store_opt], help="merge parts").set_defaults(run=cmd_compact)
    sub.add_parser("annotate", parents=[store_opt],
                   help="recompute zones/control with the current layers").set_defaults(run=cmd_annotate)
    return p


def main(argv: list[str] | None = None) -> int:
    """Run one command; errors are one line on stderr and a non-zero exit."""
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except (StoreError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted: the parts already committed are kept; run the same command again "
              "to finish", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
