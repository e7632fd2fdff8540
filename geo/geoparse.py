"""geoparse(text, gazetteer) -> mentions of places, and the command line around it."""
from __future__ import annotations

import argparse
import json
import math
import sys

from geo.gazetteer import Gazetteer, load_csv, load_default
from geo.inputs import jsonl_articles, read_article
from geo.records import Mention
from geo.resolve import resolve
from nlp.normalize import normalize
from snm import cli
from snm.collector import collector_paused
from snm.errors import UsageError
from snm.settings import MAX_ARTICLE_BYTES

# The rules' edition: raise it when a change to geo/ or nlp/ changes what geoparse returns for
# some text. Stores record it (snm.pipeline.analysis_version), so the parts annotated before
# it are reported stale and `python -m store reannotate` redoes them.
RULES_VERSION = "2026-11-30.9"


def geoparse(text: str, gazetteer: Gazetteer) -> list[Mention]:
    """Every place named in an Arabic text, resolved against the gazetteer."""
    with collector_paused():
        norm = normalize(text)
        spans = gazetteer.matcher.find(norm.text)
        mentions = []
        for r in resolve(norm, spans, gazetteer):
            start, end = norm.span_to_original(r.start, r.end)
            mentions.append(Mention.of(r.place, text[start:end], start, end, r.confidence, r.cue,
                                       r.basis, r.point))
    return mentions


def gazetteer_from(extra: list[str]) -> Gazetteer:
    """The default gazetteer extended with the user's CSV files."""
    gaz = load_default()
    for path in extra:
        gaz = gaz.extend(load_csv(path))
    return gaz


def max_bytes_of(max_mb: float) -> int:
    """The --max-mb value in bytes; a usage error unless it is a positive finite number."""
    if not math.isfinite(max_mb) or max_mb <= 0:
        raise UsageError(f"--max-mb must be a positive number of megabytes, not {max_mb}")
    return int(max_mb * 1e6)


def main(argv: list[str] | None = None) -> int:
    """Command line: one article, or a JSON Lines collection, to JSON Lines of mentions."""
    parser = argparse.ArgumentParser(
        prog="python -m geo.geoparse",
        description="Find and resolve the places named in Arabic news text.",
        epilog="Exit codes: 0 done; 1 bad input, nothing processed; 2 malformed command line; "
               "3 done, but some records were rejected or HTML markup was blanked (see stderr).")
    parser.add_argument("path", help="a UTF-8 text file (or JSON Lines with --jsonl)")
    parser.add_argument("--jsonl", action="store_true",
                        help='input lines {"id", "text", ...}; output {"id", "mentions"}')
    parser.add_argument("--gazetteer", action="append", default=[], metavar="CSV",
                        help="add a richer gazetteer (columns in the README); repeatable")
    parser.add_argument("--max-mb", type=float, default=MAX_ARTICLE_BYTES / 1e6,
                        help="size limit of one article in MB (default %(default)s)")
    args = parser.parse_args(argv)
    return cli.run(lambda: _run(args))


def _run(args: argparse.Namespace) -> int:
    """The command's body (errors are turned into exit codes by snm.cli.run)."""
    max_bytes = max_bytes_of(args.max_mb)
    out = sys.stdout
    gaz = gazetteer_from(args.gazetteer)
    if not args.jsonl:
        text, had_html = read_article(args.path, max_bytes)
        for m in geoparse(text, gaz):
            out.write(json.dumps(m.to_dict(), ensure_ascii=False) + "\n")
        if had_html:
            print(f"{args.path}: HTML markup was blanked (offsets still match the file)",
                  file=sys.stderr)
            return cli.WARNINGS
        return cli.OK
    rejected = read = 0
    for line, rid, body, error in jsonl_articles(args.path, max_bytes):
        read += 1
        if error is not None or body is None:
            rejected += 1
            print(f"{args.path}:{line}: rejected: {error}", file=sys.stderr)
            continue
        mentions = [m.to_dict() for m in geoparse(body, gaz)]
        out.write(json.dumps({"id": rid if rid is not None else line, "mentions": mentions},
                             ensure_ascii=False) + "\n")
    if not read:
        print(f"{args.path}: no records", file=sys.stderr)
    return cli.WARNINGS if rejected else cli.OK


if __name__ == "__main__":
    sys.exit(main())
