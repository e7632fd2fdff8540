"""ui.queries: the page's typed, cached reads over the store's count and citation queries."""
from __future__ import annotations

import pytest

from store import Filters, Store
from ui import exports, queries


def test_article_count_asks_the_store_for_a_number(mixed_store, monkeypatch: pytest.MonkeyPatch):
    def no_list(*args, **kwargs):
        raise AssertionError("the page listed the articles to count them")

    monkeypatch.setattr(Store, "articles", no_list)
    path = str(mixed_store)
    stamp = queries.stamp_of(path)
    assert queries.article_count(path, stamp, Filters()) == 2
    assert queries.article_count(path, stamp, Filters(admin1=["SY-HL"])) == 1


def test_citations_are_the_stores_and_feed_the_exports(mixed_store):
    path = str(mixed_store)
    stamp = queries.stamp_of(path)
    cited = queries.citations(path, stamp, Filters(syria_only=False), None)
    assert cited.equals(Store(mixed_store).citations(Filters(syria_only=False)))
    assert len(cited) == 5 and cited["sentence"].notna().all()
    assert len(queries.citations(path, stamp, Filters(), 1)) == 1
    assert exports.mentions_csv(cited).decode("utf-8-sig").startswith(
        ",".join(exports.EXPORT_COLUMNS[:6]))


def test_the_actor_filter_offers_armed_actors_only(mixed_store):
    options = queries.actor_options(str(mixed_store))
    assert {"isis", "hts", "gov_assad"} <= set(options)
    assert "sohr" not in options  # the Syrian Observatory is a monitor, not an armed actor
    assert "داعش" in options["isis"].aliases_ar
