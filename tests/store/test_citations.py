"""The store's citation queries: place_counts' point and kind, article_count and citations with the
sentence around each mention."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from store import Filters, Store
from store.parts import Writer
from store.query import SENTENCE_REACH
from store.schema import to_table

LONG = "كلمة " * 60  # 300 characters without a sentence end
TEXTS = {
    "cut": "قصف عنيف. اشتباكات في مدينة حمص صباح اليوم! ثم هدوء؛ وقتلى في حلب؟ لا\nسطر آخر في إدلب",
    "long": LONG + "غارة على دوما " + LONG,
    "edges": "حماة   فيها\u00a0 هدوء\tتام\nسطر",
    "marked": "قَصَفَت الطّائرات مدينةَ الرَّقّة. انتهى",
}


def _at(article: str, name: str, place_id: str, **fields: object) -> dict:
    start = TEXTS[article].index(name)
    return {"article_id": article, "text": name, "start": start, "end": start + len(name),
            "place_id": place_id, "name_ar": name, "name_en": place_id, "level": "populated_place",
            "country": "SY", "admin1": "SY-HI", "lat": 34.7, "lon": 36.7, "confidence": 0.9,
            "cue": "", "kind": "", "basis": "prior", "point": "place", "zone_ids": [],
            "controller": None, "date": date(2017, 7, 10), "date_precision": "day", **fields}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """Four articles (in two parts) whose mentions sit at sentence ends, far from any, at the
    text's edges and among diacritics."""
    root = tmp_path_factory.mktemp("cite") / "store"
    articles = [{"article_id": a, "title": f"عنوان {a}", "text": t, "date": date(2017, 7, 10 + i),
                 "date_precision": "day", "source": f"outlet {a}", "url": f"https://x.example/{a}"}
                for i, (a, t) in enumerate(TEXTS.items())]
    mentions = [
        _at("cut", "حمص", "homs", cue="مدينة", basis="cue «مدينة»", controller="GOV",
            zone_ids=["z-homs"]),
        _at("cut", "حلب", "aleppo", admin1="SY-HL"),
        _at("cut", "إدلب", "idlib", admin1="SY-ID"),
        _at("long", "دوما", "douma", admin1="SY-RD", date=date(2017, 7, 11)),
        _at("edges", "حماة", "hama", admin1="SY-HM", date=date(2017, 7, 12)),
        _at("marked", "الرَّقّة", "raqqa", admin1="SY-RA", date=date(2017, 7, 13),
            kind="", point="unit", basis="context «في ريف»"),
        _at("marked", "الطّائرات", "wadi", admin1="SY-RA", level="feature", kind="river",
            point="none", lat=None, lon=None, date=date(2017, 7, 13)),
    ]
    writer = Writer.open(root)
    with writer.locked():
        writer.add({"articles": to_table("articles", articles[:2]),
                    "mentions": to_table("mentions", mentions[:4])})
        writer.add({"articles": to_table("articles", articles[2:]),
                    "mentions": to_table("mentions", mentions[4:])})
    return Store(root)


def _sentences(store: Store, f: Filters | None = None) -> dict[str, str]:
    cited = store.citations(f)
    return dict(zip(cited["place_id"], cited["sentence"]))


def test_the_sentence_is_cut_at_each_sentence_end(store: Store) -> None:
    got = _sentences(store)
    assert got["homs"] == "اشتباكات في مدينة حمص صباح اليوم!"
    assert got["aleppo"] == "وقتلى في حلب؟"  # after ؛ up to ؟
    assert got["idlib"] == "سطر آخر في إدلب"  # after a line break, to the text's end


def test_a_long_sentence_is_cut_at_whole_words_with_an_ellipsis(store: Store) -> None:
    sentence = _sentences(store)["douma"]
    assert sentence.startswith("… كلمة") and sentence.endswith("كلمة …")
    assert "غارة على دوما" in sentence
    assert len(sentence) <= 2 * SENTENCE_REACH + len("دوما") + 4
    assert all(word in ("…", "كلمة", "غارة", "على", "دوما") for word in sentence.split())


def test_spaces_are_folded_and_diacritics_keep_offsets(store: Store) -> None:
    got = _sentences(store)
    assert got["hama"] == "حماة فيها هدوء تام"  # from the text's start to a line break
    assert got["raqqa"] == "قَصَفَت الطّائرات مدينةَ الرَّقّة."


def test_a_citation_row_holds_what_an_analyst_cites(store: Store) -> None:
    cited = store.citations(Filters(admin1=["SY-HI"]))
    assert len(cited) == 1
    row = cited.iloc[0].to_dict()
    assert list(cited.columns)[:6] == ["title", "date", "date_precision", "source", "url", "sentence"]
    assert (row["title"], row["source"], row["url"]) == ("عنوان cut", "outlet cut", "https://x.example/cut")
    assert (row["date"], row["date_precision"]) == (date(2017, 7, 10), "day")
    assert (row["text"], row["name_ar"], row["admin1"], row["lat"], row["lon"]) == (
        "حمص", "حمص", "SY-HI", 34.7, 36.7)
    assert (row["confidence"], row["basis"], row["cue"], row["level"]) == (
        0.9, "cue «مدينة»", "مدينة", "populated_place")
    assert (row["kind"], row["point"], row["controller"], list(row["zone_ids"])) == (
        "", "place", "GOV", ["z-homs"])


def test_citations_follow_filters_order_and_limit(store: Store) -> None:
    everything = store.citations(Filters(syria_only=False))
    assert everything["place_id"].tolist()[:2] == ["wadi", "raqqa"]  # newest first, then by start
    assert len(everything) == 7
    assert store.citations(limit=2)["place_id"].tolist() == ["wadi", "raqqa"]
    assert store.citations(Filters(place_id="nowhere")).empty
    river = store.citations(Filters(place_id="wadi")).iloc[0]
    assert (river["kind"], river["point"]) == ("river", "none")
    with pytest.raises(ValueError):
        store.citations(limit=-1)


def test_place_counts_say_whose_point_and_what_kind(store: Store) -> None:
    places = store.place_counts().set_index("place_id")
    assert places.loc["raqqa", "point"] == "unit" and places.loc["homs", "point"] == "place"
    assert places.loc["wadi", "kind"] == "river" and places.loc["wadi", "point"] == "none"


@pytest.mark.parametrize("f", [
    Filters(), Filters(admin1=["SY-HI", "SY-RA"]), Filters(date_from=date(2017, 7, 12)),
    Filters(place_id="nowhere"), Filters(levels=["feature"]), Filters(controllers=["GOV"]),
])
def test_article_count_is_the_length_of_the_article_list(store: Store, f: Filters) -> None:
    assert store.article_count(f) == len(store.articles(f))


def test_article_count_does_not_list_the_articles(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_list(*args: object, **kwargs: object) -> None:
        raise AssertionError("article_count listed the articles")

    monkeypatch.setattr(Store, "articles", no_list)
    assert store.article_count(Filters()) == 4
    assert store.article_count(Filters(admin1=["SY-RA"])) == 1


def test_an_empty_store_cites_nothing(tmp_path: Path) -> None:
    store = Store(tmp_path / "none")
    assert store.article_count() == 0
    cited = store.citations()
    assert cited.empty and {"sentence", "basis", "point", "kind"} <= set(cited.columns)
