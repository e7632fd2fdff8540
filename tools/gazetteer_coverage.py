"""Share of the distinct Syrian place names of a gold set that the default gazetteer knows.

    python tools/gazetteer_coverage.py GOLD.jsonl [--missing]

GOLD.jsonl: the news dev set built by ../shared/samples/news_dev/build_gold.py (or any gold
JSON Lines with "locations" carrying "text" and "country"). A name is known when its normalised
form (the ل of «للغوطة» read as ال) is a key of the gazetteer; names the annotators wrote with
their head noun or a second word the gazetteer keeps (تل، جبل …) count when any key matches.
«ريف X» counts when X is known: the geoparser reads it as the countryside of X by rule.
A second figure counts a name only when a place it names lies in the governorate the gold gives
(or has none: a river, a region across governorates).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from geo.gazetteer import Gazetteer, load_default
from nlp.normalize import normalize_name


def forms(text: str) -> list[str]:
    """The keys a gold span may appear under (ل + name for للاسم, the name itself)."""
    key = normalize_name(text)
    out = [key]
    if key.startswith("ل") and not key.startswith("ال"):
        out.append("ا" + key)  # لزبداني -> الزبداني
    return out


def keys_of(name: str, gaz: Gazetteer) -> list[str]:
    """The gazetteer keys a gold name is known under (none when it is not known)."""
    keys = [f for f in forms(name) if f in gaz.index]
    if not keys and name.startswith("ريف "):
        keys = [f for f in forms(name[4:]) if f in gaz.index]
    return keys


def main() -> int:
    """Print the coverage (and the names not known, with --missing)."""
    ap = argparse.ArgumentParser()
    ap.add_argument("gold", type=Path)
    ap.add_argument("--missing", action="store_true")
    args = ap.parse_args()
    gaz = load_default()
    names = sorted({loc["text"] for line in args.gold.read_text(encoding="utf-8").splitlines()
                    for loc in json.loads(line)["locations"] if loc.get("country") == "SY"})
    known = [n for n in names if keys_of(n, gaz)]
    print(f"{len(known)} of {len(names)} distinct Syrian place names known: "
          f"{len(known) / len(names):.3f}")
    governorates: dict[str, set[str | None]] = {}
    for line in args.gold.read_text(encoding="utf-8").splitlines():
        for loc in json.loads(line)["locations"]:
            if loc.get("country") == "SY":
                governorates.setdefault(loc["text"], set()).add(loc.get("admin1"))
    placed = [n for n in known if any(
        p.admin1 is None or p.admin1 in governorates[n] or None in governorates[n]
        for key in keys_of(n, gaz) for p in gaz.candidates(key))]
    print(f"{len(placed)} of {len(names)} known as a place in the governorate the gold gives: "
          f"{len(placed) / len(names):.3f}")
    if args.missing:
        print(" ".join(n for n in names if n not in known))
    return 0


if __name__ == "__main__":
    sys.exit(main())
