"""Share of the distinct Syrian place names of a gold set that the default gazetteer knows.

    python tools/gazetteer_coverage.py GOLD.jsonl [--missing]

GOLD.jsonl: the news dev set built by ../shared/samples/news_dev/build_gold.py (or any gold
JSON Lines with "locations" carrying "text" and "country"). A name is known when its normalised
form (the ل of «للغوطة» read as ال) is a key of the gazetteer; names the annotators wrote with
their head noun or a second word the gazetteer keeps (تل، جبل …) count when any key matches.
«ريف X» counts when X is known: the geoparser reads it as the countryside of X by rule.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from geo.gazetteer import load_default
from nlp.normalize import normalize_name


def forms(text: str) -> list[str]:
    """The keys a gold span may appear under (ل + name for للاسم, the name itself)."""
    key = normalize_name(text)
    out = [key]
    if key.startswith("ل") and not key.startswith("ال"):
        out.append("ا" + key)  # لزبداني -> الزبداني
    return out


def main() -> int:
    """Print the coverage (and the names not known, with --missing)."""
    ap = argparse.ArgumentParser()
    ap.add_argument("gold", type=Path)
    ap.add_argument("--missing", action="store_true")
    args = ap.parse_args()
    gaz = load_default()
    names = sorted({loc["text"] for line in args.gold.read_text(encoding="utf-8").splitlines()
                    for loc in json.loads(line)["locations"] if loc.get("country") == "SY"})
    known = [n for n in names if any(f in gaz.index for f in forms(n))
             or (n.startswith("ريف ") and any(f in gaz.index for f in forms(n[4:])))]
    print(f"{len(known)} of {len(names)} distinct Syrian place names known: "
          f"{len(known) / len(names):.3f}")
    if args.missing:
        print(" ".join(n for n in names if n not in known))
    return 0


if __name__ == "__main__":
    sys.exit(main())
