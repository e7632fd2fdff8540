"""Armed actors named in Arabic news: what the actor filter and the article panel rely on."""
from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest

from nlp.actors import ActorMention, default_actors, find_actors, load_actors
from snm.settings import REPO

SAMPLE = "samples/homs_deescalation_2017-07.txt"
GOLD = "samples/homs_deescalation_2017-07.gold.json"


TABLE = default_actors()


def ids(mentions: list[ActorMention]) -> list[str]:
    return [m.actor_id for m in mentions]


def test_sample_article_actors_are_all_found_with_exact_offsets(shared: Path) -> None:
    text = (shared / SAMPLE).read_text(encoding="utf-8")
    gold = json.loads((shared / GOLD).read_text(encoding="utf-8"))["actors"]
    mentions = find_actors(text, TABLE)
    assert all(text[m.start:m.end] == m.text for m in mentions)
    texts = {m.text for m in mentions}
    missing = [g for g in gold if not any(g in t for t in texts)]
    assert not missing
    assert {"isis", "hts", "hezbollah", "iran_irgc", "gov_assad", "opposition", "sohr"} <= set(ids(mentions))


def test_sample_article_names_resolve_to_the_right_actor(shared: Path) -> None:
    by_text: dict[str, set[str]] = {}
    for m in find_actors((shared / SAMPLE).read_text(encoding="utf-8"), TABLE):
        by_text.setdefault(m.text, set()).add(m.actor_id)
    assert by_text["جبهة النصرة"] == {"hts"}
    assert by_text["هيئة تحرير الشام"] == {"hts"}
    assert by_text["لواء الرضا"] == {"iran_irgc"}
    assert by_text["النظام الإيراني"] == {"iran_irgc"}  # not the Syrian regime
    assert by_text["جيش النظام"] == {"gov_assad"}


@pytest.mark.parametrize("text, actor_id, name", [
    ("قصفت طائرات وداعش", "isis", "داعش"),
    ("هجوم فداعش", "isis", "داعش"),
    ("مقاتلون بالحرس الثوري الإيراني", "iran_irgc", "الحرس الثوري الإيراني"),
    ("غارات لجيش النظام على دوما", "gov_assad", "جيش النظام"),
    ("تابعون للحرس الثوري", "iran_irgc", "للحرس الثوري"),
    ("اشتباكات مع قسد", "sdf", "قسد"),
    ("عناصر داعِش", "isis", "داعِش"),  # a diacritic in the text
    ("قوات ســوريا الديمقراطية", "sdf", "قوات ســوريا الديمقراطية"),  # tatweel
])
def test_clitics_and_marks_are_tolerated_and_offsets_point_at_the_name(text: str, actor_id: str,
                                                                       name: str) -> None:
    mentions = find_actors(text, TABLE)
    assert [(m.actor_id, m.text) for m in mentions] == [(actor_id, name)]
    m = mentions[0]
    assert text[m.start:m.end] == name


def test_longest_alias_wins_and_names_inside_words_do_not_match() -> None:
    assert [m.text for m in find_actors("قاد الحرس الثوري الإيراني الهجوم", TABLE)] == ["الحرس الثوري الإيراني"]
    assert find_actors("انتقادات داعشية", TABLE) == []
    assert find_actors("قال الحزب الحاكم إن الحر شديد", TABLE) == []  # ambiguous bare words are not aliases


def test_shared_government_names_follow_the_date() -> None:
    text = "أعلنت الحكومة السورية"
    assert ids(find_actors(text, TABLE, day=date(2017, 7, 25))) == ["gov_assad"]
    assert ids(find_actors(text, TABLE, day=date(2025, 1, 15))) == ["transitional_gov"]
    assert ids(find_actors(text, TABLE)) == ["gov_assad"]


def test_alias_table_can_be_passed_in(tmp_path: Path) -> None:
    path = tmp_path / "actors.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["actor_id", "name_en", "name_ar", "aliases_ar", "source"])
        w.writerow(["brigade_x", "Brigade X", "لواء الاختبار", "كتيبة الاختبار|الاختباريون", "test"])
    table = load_actors(path)
    assert ids(find_actors("هاجمت كتيبة الاختبار وداعش", table)) == ["brigade_x"]


def test_actor_controllers_are_codes_of_the_control_layer() -> None:
    with (REPO / "data" / "conflict" / "actors.csv").open(encoding="utf-8", newline="") as f:
        actors = list(csv.DictReader(f))
    with (REPO / "data" / "conflict" / "control_periods.csv").open(encoding="utf-8", newline="") as f:
        codes = {r["controller"] for r in csv.DictReader(f)}
    assert {a["controller"] for a in actors if a["controller"]} <= codes
    assert len({a["actor_id"] for a in actors}) == len(actors)
