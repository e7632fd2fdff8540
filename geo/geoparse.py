"""geoparse(text, gazetteer) -> mentions of places, and the command line around it."""
from __future__ import annotations

import argparse
import json
import sys

from geo.errors import SNMError
from geo.gazetteer import Gazetteer, load_csv, load_default
from geo.inputs import MAX_ARTICLE_BYTES, read_article, read_jsonl
from geo.records import Mention
from geo.resolve import resolve
from nlp.normalize import normalize

TANWEEN = frozenset("\u064b\u064c\u064d")


def geoparse(text: str, gazetteer: Gazetteer | None = None) -> list[Mention]:
    """Every place named in an Arabic text, resolved against the gazetteer."""
    gaz = gazetteer if gazetteer is not None else load_default()
    norm = normalize(text)
    spans = gaz.matcher.find(norm.text)
    mentions = []
    for r in resolve(norm.text, spans, gaz):
        start, end = norm.span_to_original(r.start, r.end)
        if text[end:end + 1] in TANWEEN:
            continue  # دوماً "always" is an adverb; a place name takes no tanween
        mentions.append(Mention.of(r.place, text[start:end], start, end, r.confidence, r.cue))
    return mentions


def _gazetteer(extra: list[str]) -> Gazetteer:
    """The default gazetteer extended with the user's CSV files."""
    gaz = load_default()
    for path in extra:
        gaz = gaz.extend(load_csv(path))
    return gaz


def main(argv: list[str] | None = None) -> int:
    """Command line: one article, or a JSON Lines collection, to JSON Lines of mentions."""
    parser = argparse.ArgumentParser(
        prog="python -m geo.geoparse",
        description="Find and resolve the places named in Arabic news text.",
        epilog="Exit codes: 0 done; 1 bad input, nothing processed; 3 done, but some records "
               "were rejected or HTML markup was blanked (see stderr).")
    parser.add_argument("path", help="a UTF-8 text file (or JSON Lines with --jsonl)")
    parser.add_argument("--jsonl", action="store_true",
                        help='input lines {"id", "text", ...}; output {"id", "mentions"}')
    parser.add_argument("--gazetteer", action="append", default=[], metavar="CSV",
                        help="add a richer gazetteer (columns in the README); repeatable")
    parser.add_argument("--max-mb", type=float, default=MAX_ARTICLE_BYTES / 1e6,
                        help="size limit of one article in MB (default %(default)s)")
    args = parser.parse_args(argv)
    max_bytes = int(args.max_mb * 1e6)
    out = sys.stdout
    try:
        gaz = _gazetteer(args.gazetteer)
        if not args.jsonl:
            text, had_html = read_article(args.path, max_bytes)
            for m in geoparse(text, gaz):
                out.write(json.dumps(m.to_dict(), ensure_ascii=False) + "\n")
            if had_html:
                print(f"{args.path}: HTML markup was blanked (offsets still match the file)",
                      file=sys.stderr)
                return 3
            return 0
        rejected = 0
        for rec in read_jsonl(args.path, max_bytes):
            if rec.error:
                rejected += 1
                print(f"{args.path}:{rec.line}: rejected: {rec.error}", file=sys.stderr)
                continue
            mentions = [m.to_dict() for m in geoparse(rec.text or "", gaz)]
            out.write(json.dumps({"id": rec.id if rec.id is not None else rec.line,
                                  "mentions": mentions}, ensure_ascii=False) + "\n")
        return 3 if rejected else 0
    except SNMError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
