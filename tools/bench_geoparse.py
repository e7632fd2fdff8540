"""Benchmark: geoparse the SaudiNewsNet Syria subset on one core, against a naive regex baseline.

    .venv/bin/python tools/bench_geoparse.py [CORPUS.jsonl] [--gazetteer CSV]

Prints MB/s and articles/s for both, and the ratio, measured in the same run. Times are the CPU
time of this process (time.process_time), best of N interleaved runs: the machine is shared, and
wall-clock time would measure the other processes too."""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

import ahocorasick

from geo.gazetteer import Gazetteer, load_csv, load_default
from geo.geoparse import geoparse
from snm.native import PURE_PYTHON_VARIABLE, in_use

CORPUS = (Path(__file__).resolve().parents[2] / "shared" / "data" / "corpus"
          / "saudinewsnet_syria" / "saudinewsnet_syria_subset.jsonl")


def load_texts(path: Path) -> list[str]:
    """Title and body of every article."""
    texts = []
    for line in path.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        texts.append(f"{rec.get('title') or ''}\n{rec.get('content') or rec.get('text') or ''}")
    return texts


def raw_automaton(names: list[str]) -> ahocorasick.Automaton:
    """An Aho-Corasick automaton of every name as written: the raw scan geoparse is compared to."""
    auto = ahocorasick.Automaton()
    for name in set(names):
        auto.add_word(name, name)
    auto.make_automaton()
    return auto


def naive_pattern(names: list[str]) -> re.Pattern:
    """One regex alternation of every gazetteer name, longest first."""
    alts = sorted(set(names), key=len, reverse=True)
    return re.compile("|".join(re.escape(n) for n in alts))


def long_article(texts: list[str], gaz: Gazetteer, mb: float) -> None:
    """Print the time per MB of one long article and of the same text cut into 10 KB articles."""
    whole = "\n".join(texts)
    while len(whole.encode("utf-8")) < mb * 1e6:
        whole += "\n" + whole
    whole = whole.encode("utf-8")[: int(mb * 1e6)].decode("utf-8", "ignore")
    pieces = [whole[i:i + 5_000] for i in range(0, len(whole), 5_000)]  # ~10 KB of Arabic each
    t0 = time.process_time()
    for piece in pieces:
        geoparse(piece, gaz)
    small = time.process_time() - t0
    t0 = time.process_time()
    geoparse(whole, gaz)
    big = time.process_time() - t0
    size = len(whole.encode("utf-8")) / 1e6
    print(f"one {size:.1f} MB article: {big:.2f} s, {big / size:.3f} s/MB; the same text in "
          f"{len(pieces)} articles of ~10 KB: {small:.2f} s, {small / size:.3f} s/MB; "
          f"ratio {big / small:.2f} (target <= 2)")


def main() -> int:
    """Run both and print the figures."""
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", nargs="?", default=str(CORPUS))
    ap.add_argument("--gazetteer", action="append", default=[])
    ap.add_argument("--top", type=int, default=0, help="also print the most frequent places")
    ap.add_argument("--repeat", type=int, default=5, help="runs of each; the best is kept")
    ap.add_argument("--regex", action="store_true",
                    help="also time a naive regex alternation of every name (slow)")
    ap.add_argument("--long", type=float, default=0, metavar="MB",
                    help="also compare one article of this many MB with the same text in 10 KB articles")
    args = ap.parse_args()
    texts = load_texts(Path(args.corpus))
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    gaz = load_default()
    for p in args.gazetteer:
        gaz = gaz.extend(load_csv(p))
    geoparse(texts[0], gaz)  # build the matcher once, outside the timing

    names = [n for p in gaz.places for n in (p.name_ar, *p.aliases_ar)]
    pattern = naive_pattern(names) if args.regex else None
    scan = raw_automaton(names)
    ours = base = raw = float("inf")
    naive: list[list] = []
    for _ in range(args.repeat):  # interleaved, best of N: the machine is shared and noisy
        t0 = time.process_time()
        results = [geoparse(t, gaz) for t in texts]
        ours = min(ours, time.process_time() - t0)
        t0 = time.process_time()
        hits = [list(scan.iter(t)) for t in texts]
        raw = min(raw, time.process_time() - t0)
        if pattern is not None:
            t0 = time.process_time()
            naive = [list(pattern.finditer(t)) for t in texts]
            base = min(base, time.process_time() - t0)

    n = len(texts)
    mentions = sum(len(r) for r in results)
    print(f"corpus: {n} articles, {mb:.2f} MB UTF-8, gazetteer {len(gaz)} places, "
          f"best of {args.repeat} runs, one core")
    compiled = in_use()
    print(f"geoparser core: {f'compiled ({len(compiled)} modules)' if compiled else 'source modules'}"
          f"{'' if compiled else ' (run make setup to compile it; unset ' + PURE_PYTHON_VARIABLE + ')'}")
    print(f"geoparse: {ours:.2f} s  {mb / ours:.2f} MB/s  {n / ours:.0f} articles/s  "
          f"{mentions} mentions")
    print(f"raw Aho-Corasick scan (every name, no normalisation, no resolution): {raw:.2f} s  "
          f"{mb / raw:.2f} MB/s  {sum(len(h) for h in hits)} hits")
    print(f"geoparse speed / raw scan speed: {raw / ours:.3f} (target >= 0.1)")
    if pattern is not None:
        print(f"naive regex baseline: {base:.2f} s  {mb / base:.2f} MB/s  "
              f"{sum(len(r) for r in naive)} matches; geoparse is {base / ours:.1f}x faster")
    if args.long:
        long_article(texts, gaz, args.long)
    if args.top:
        top = Counter((m.name_ar, m.name_en, m.admin1) for r in results for m in r)
        for (ar, en, a1), c in top.most_common(args.top):
            print(f"{c:6d}  {ar}  {en}  {a1}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
