"""Write the user's sample article and its gold names as gold JSON Lines with offsets.

    python tools/sample_gold.py OUT.jsonl [--tiers core,village]

Reads ../shared/samples (evaluation data, never copied into the repo)."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from geo.evaluate import spans_of_names  # noqa: E402

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "samples"
SAMPLE = "homs_deescalation_2017-07"


def sample_gold(tiers: tuple[str, ...] = ("core", "village"), foreign: bool = True) -> dict:
    """The sample as one gold document {"text", "locations"} for the given tiers."""
    text = (SAMPLES / f"{SAMPLE}.txt").read_text(encoding="utf-8")
    gold = json.loads((SAMPLES / f"{SAMPLE}.gold.json").read_text(encoding="utf-8"))
    names = {p["name_ar"]: {"admin1": p["admin1"], "tier": p["tier"]}
             for p in gold["syrian_places"] if p["tier"] in tiers}
    if foreign:
        names.update({p["name_ar"]: {"country": p["country"]} for p in gold["foreign_places"]})
    return {"id": SAMPLE, "text": text, "locations": spans_of_names(text, names)}


def main() -> int:
    """Write the gold JSON Lines file."""
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--tiers", default="core,village")
    args = ap.parse_args()
    doc = sample_gold(tuple(args.tiers.split(",")))
    Path(args.out).write_text(json.dumps(doc, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(doc['locations'])} gold spans -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
