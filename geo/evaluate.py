"""Scores of the geoparser on gold JSON Lines: mention P/R/F1 (overlap) and governorate accuracy."""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

from geo.context import DAMASCUS_PAIR
from geo.gazetteer import Gazetteer
from geo.geoparse import gazetteer_from, geoparse
from nlp.normalize import normalize, normalize_name
from snm import cli
from snm.errors import InputError


@dataclass(frozen=True)
class Scores:
    """Mention recognition and governorate resolution figures."""

    documents: int
    gold: int
    predicted: int
    true_positive_pred: int
    true_positive_gold: int
    precision: float
    recall: float
    f1: float
    admin1_checked: int
    admin1_correct: int
    admin1_accuracy: float


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """True when two [start, end) spans share a character."""
    return a[0] < b[1] and b[0] < a[1]


@dataclass
class Errors:
    """What the geoparser got wrong: missed gold names, false places, wrong governorates."""

    missed: Counter[str] = field(default_factory=Counter)
    false: Counter[str] = field(default_factory=Counter)
    wrong: Counter[str] = field(default_factory=Counter)


def score(docs: list[dict], gazetteer: Gazetteer, errors: Errors | None = None) -> Scores:
    """Score geoparse on documents {"text", "locations": [{"start", "end", "admin1"?}]};
    errors, when given, collects what was missed, falsely found and wrongly placed."""
    gold_n = pred_n = tp_pred = tp_gold = checked = correct = 0
    for doc in docs:
        gold = doc.get("locations", [])
        pred = geoparse(doc["text"], gazetteer)
        gold_n += len(gold)
        pred_n += len(pred)
        for m in pred:
            if any(_overlaps((m.start, m.end), (g["start"], g["end"])) for g in gold):
                tp_pred += 1
            elif errors is not None:
                errors.false[f"{m.text} ({m.name_en or m.name_ar})"] += 1
        for g in gold:
            hits = [m for m in pred if _overlaps((m.start, m.end), (g["start"], g["end"]))]
            if hits:
                tp_gold += 1
                if g.get("admin1"):
                    checked += 1
                    correct += hits[0].admin1 == g["admin1"]
                    if errors is not None and hits[0].admin1 != g["admin1"]:
                        errors.wrong[f"{g.get('text', '')} {g['admin1']}→{hits[0].admin1}"] += 1
            elif errors is not None:
                errors.missed[str(g.get("text", ""))] += 1
    p = tp_pred / pred_n if pred_n else 0.0
    r = tp_gold / gold_n if gold_n else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return Scores(len(docs), gold_n, pred_n, tp_pred, tp_gold, round(p, 4), round(r, 4),
                  round(f, 4), checked, correct, round(correct / checked, 4) if checked else 0.0)


def spans_of_names(text: str, names: dict[str, dict]) -> list[dict]:
    """Gold spans for every whole-word occurrence of the given names (with clitics), longest first."""
    norm = normalize(text)
    found: list[tuple[int, int, dict]] = []
    for name, extra in names.items():
        key = re.escape(normalize_name(name))
        forms = [rf"(?<![\u0621-\u064A])(?:[وف]?[بلك]?)({key})(?![\u0621-\u064A])"]
        if normalize_name(name).startswith("ال"):
            forms.append(rf"(?<![\u0621-\u064A])(?:[وف]?ل)(ل{re.escape(normalize_name(name)[2:])})"
                         rf"(?![\u0621-\u064A])")
        for form in forms:
            for m in re.finditer(form, norm.text):
                found.append((m.start(1), m.end(1), extra))
    found.sort(key=lambda t: (-(t[1] - t[0]), t[0]))
    chosen: list[tuple[int, int, dict]] = []
    for s, e, extra in found:
        if not any(_overlaps((s, e), (a, b)) for a, b, _ in chosen):
            chosen.append((s, e, extra))
    out = []
    for s, e, extra in sorted(chosen, key=lambda t: t[0]):
        a, b = norm.span_to_original(s, e)
        out.append({"start": a, "end": b, "text": text[a:b], **extra})
    return out


def gold_of_named_places(text: str, gold: dict, tiers: tuple[str, ...] = ("core", "village"),
                         foreign: bool = True) -> list[dict]:
    """Gold spans for a text whose gold file lists place names (syrian_places with tiers,
    foreign_places), as the user's sample does: every whole-word occurrence of each name."""
    names = {p["name_ar"]: {"admin1": p["admin1"], "tier": p["tier"]}
             for p in gold["syrian_places"] if p["tier"] in tiers}
    if foreign:
        names.update({p["name_ar"]: {"country": p["country"]} for p in gold["foreign_places"]})
    return spans_of_names(text, names)


# Sentences that name a place's governorate or district the way the news does (issue 10).
HOMONYM_TEMPLATES = (
    ("governorate", "قصفت الطائرات بلدة {name} في ريف {unit} أمس"),
    ("governorate", "سيطرت الفصائل على قرية {name} بريف {unit} الشمالي"),
    ("governorate", "دارت اشتباكات عنيفة في {name}، ريف {unit}، صباح اليوم"),
    ("governorate", "قتل ثلاثة مدنيين في قصف على {name} (ريف {unit})"),
    ("governorate", "وصلت التعزيزات إلى قرية {name} في محافظة {unit}"),
    ("district", "استهدف القصف بلدة {name} التابعة لمنطقة {unit}"),
)


def homonym_sentences(gazetteer: Gazetteer) -> list[dict]:
    """For every OCHA community whose Arabic name repeats across governorates, one sentence
    naming its governorate or district (templates in turn): {"text", "name", "start", "end",
    "place_id", "admin1", "admin2_pcode", "unit_level"}."""
    by_name: dict[str, list] = {}
    for p in gazetteer.places:
        if p.place_id.startswith("C") and p.country == "SY" and p.admin1:
            by_name.setdefault(normalize_name(p.name_ar), []).append(p)
    out = []
    k = 0
    for _key, places in sorted(by_name.items()):
        if len({p.admin1 for p in places}) < 2:
            continue
        for p in sorted(places, key=lambda p: p.place_id):
            level, template = HOMONYM_TEMPLATES[k % len(HOMONYM_TEMPLATES)]
            k += 1
            unit = gazetteer.by_id(p.admin1_pcode if level == "governorate" else p.admin2_pcode or "")
            if unit is None:
                continue
            unit_name = unit.name_ar
            if level == "governorate" and p.admin1 in DAMASCUS_PAIR:
                template = template.replace("ريف {unit}", "{unit}").replace("بريف {unit}", "في {unit}")
                unit_name = "ريف دمشق" if p.admin1 == "SY-RD" else "دمشق"
            text = template.format(name=p.name_ar, unit=unit_name)
            start = text.index(p.name_ar)
            out.append({"text": text, "name": p.name_ar, "start": start, "end": start + len(p.name_ar),
                        "place_id": p.place_id, "admin1": p.admin1, "admin2_pcode": p.admin2_pcode,
                        "unit_level": level})
    return out


def homonym_share(gazetteer: Gazetteer, sentences: list[dict] | None = None) -> tuple[float, list[dict]]:
    """Share of homonym sentences whose name resolves to the named governorate (or district),
    and the failures (each with what it resolved to)."""
    sentences = homonym_sentences(gazetteer) if sentences is None else sentences
    failures = []
    for s in sentences:
        hits = [m for m in geoparse(s["text"], gazetteer) if m.start < s["end"] and s["start"] < m.end]
        ok = bool(hits) and (hits[0].admin1 == s["admin1"] if s["unit_level"] == "governorate"
                             else hits[0].admin2_pcode == s["admin2_pcode"])
        if not ok:
            failures.append({**s, "got": [(m.text, m.name_en, m.admin1, m.basis) for m in hits]})
    return (1 - len(failures) / len(sentences)) if sentences else 1.0, failures


def _read_gold(path: Path) -> tuple[list[dict], int]:
    """Gold documents of a JSON Lines file, and how many lines were skipped (reported)."""
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    docs, bad = [], 0
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            doc = json.loads(line)
            if not isinstance(doc.get("text"), str) or not isinstance(doc.get("locations"), list):
                raise ValueError('needs "text" and "locations"')
        except (ValueError, AttributeError) as e:
            bad += 1
            print(f"{path}:{n}: skipped: {e}", file=sys.stderr)
            continue
        docs.append(doc)
    return docs, bad


def main(argv: list[str] | None = None) -> int:
    """`python -m geo.evaluate GOLD.jsonl [--gazetteer CSV]`: print the scores."""
    parser = argparse.ArgumentParser(prog="python -m geo.evaluate",
                                     description="Score the geoparser on gold JSON Lines.")
    parser.add_argument("gold", help='JSON Lines {"text", "locations": [{"start", "end"}]}')
    parser.add_argument("--gazetteer", action="append", default=[], metavar="CSV")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    parser.add_argument("--errors", type=int, default=0, metavar="N",
                        help="also print the N most frequent misses, false places and wrong governorates")
    args = parser.parse_args(argv)
    return cli.run(lambda: _run(args))


def _run(args: argparse.Namespace) -> int:
    """The command's body: read, score, print."""
    gaz = gazetteer_from(args.gazetteer)
    docs, bad = _read_gold(Path(args.gold))
    errors = Errors() if args.errors else None
    s = score(docs, gaz, errors)
    if args.json:
        print(json.dumps(asdict(s)))
    else:
        print(f"documents {s.documents}  gold {s.gold}  predicted {s.predicted}\n"
              f"precision {s.precision:.3f}  recall {s.recall:.3f}  F1 {s.f1:.3f}\n"
              f"governorate accuracy {s.admin1_accuracy:.3f} ({s.admin1_correct}/{s.admin1_checked})")
    if errors is not None:
        for title, counts in (("missed", errors.missed), ("false places", errors.false),
                              ("wrong governorate", errors.wrong)):
            print(f"{title} ({sum(counts.values())}): " + ", ".join(
                f"{k} ×{v}" if v > 1 else k for k, v in counts.most_common(args.errors)))
    return cli.WARNINGS if bad else cli.OK


if __name__ == "__main__":
    sys.exit(main())
