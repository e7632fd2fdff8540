"""Write the user's sample article and its gold names as gold JSON Lines with offsets.

    python tools/sample_gold.py OUT.jsonl [--tiers core,village] [--samples DIR]

Reads ../shared/samples (evaluation data, never copied into the repo)."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from geo.evaluate import gold_of_named_places
from snm.settings import REPO

SAMPLES = REPO.parent / "shared" / "samples"
SAMPLE = "homs_deescalation_2017-07"


def main() -> int:
    """Write the gold JSON Lines file."""
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--tiers", default="core,village")
    ap.add_argument("--samples", type=Path, default=SAMPLES)
    args = ap.parse_args()
    text = (args.samples / f"{SAMPLE}.txt").read_text(encoding="utf-8")
    gold = json.loads((args.samples / f"{SAMPLE}.gold.json").read_text(encoding="utf-8"))
    doc = {"id": SAMPLE, "text": text,
           "locations": gold_of_named_places(text, gold, tuple(args.tiers.split(",")))}
    Path(args.out).write_text(json.dumps(doc, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(doc['locations'])} gold spans -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
