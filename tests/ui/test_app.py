"""The page without a browser (streamlit.testing AppTest): it renders, reads links safely, keeps
writing behind the server's rules and says what happened. The map itself is tested in
tests/ui/test_map.py and in the browser (tests/e2e)."""
from __future__ import annotations

import collections
import datetime as dt
import json
import re
import shutil

import pytest
from streamlit.testing.v1 import AppTest

from snm import appdriver as drv
from snm.settings import MAX_ARTICLE_BYTES, REPO, SAMPLES_DIR
from ui.i18n import t

TIMEOUT = 120


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory):
    """A store built from data/samples (one article, July 2017)."""
    return drv.build_store(tmp_path_factory.mktemp("apptest") / "store", SAMPLES_DIR)


@pytest.fixture()
def store(sample_store, tmp_path, monkeypatch):
    """A copy of the sample store for one test, named by SNM_STORE."""
    dest = tmp_path / "store"
    shutil.copytree(sample_store, dest)
    monkeypatch.setenv("SNM_STORE", str(dest))
    monkeypatch.delenv("SNM_READ_ONLY", raising=False)
    monkeypatch.delenv("SNM_WRITE_TOKEN", raising=False)
    return dest


def run(**params: str) -> AppTest:
    """The page run once with these URL parameters."""
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=TIMEOUT)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def texts(at: AppTest) -> str:
    """Every message, caption and markdown on the page, joined."""
    parts = [e.value for kind in ("error", "warning", "info", "success", "caption", "markdown")
             for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)


def test_the_page_renders_with_counts(store):
    at = run()
    assert not at.exception
    assert at.title[0].value == t("title", "ar")
    figures = next(h.proto.body for h in at.get("html") if "snm-figures" in h.proto.body)
    assert re.findall(r'snm-figure-value">([\d,]+)<', figures)[0] == "1"  # one article
    assert not at.error


def test_an_absurd_link_shows_no_traceback(store):
    at = run(conf="1e308", view="1e308,2,3", layers="<script>", day="99999-01-01", lang="en")
    assert not at.exception and not at.error
    assert at.title[0].value == "Syria News Map"
    assert at.slider(key="v_conf_en").value == 0.0  # dropped, not raised


def test_the_language_and_panel_come_from_the_link(store):
    at = run(lang="en", panel="top")
    assert at.segmented_control(key="v_panel_en").value == "top"
    assert at.sidebar.segmented_control(key="lang").value == "en"


def test_controller_and_zone_filters_say_they_apply_to_places_on_the_ground(store):
    at = run(lang="en", ctl="GOV")
    assert t("ground_only", "en") in texts(at)
    assert at.multiselect(key="v_ctl_en").help == t("ground_only", "en")


def test_front_lines_have_their_own_date(store):
    at = run(lang="en")
    front = at.select_slider(key="v_day_en")
    assert str(front.value) == "2017-07-31"  # the end of the range by default
    front.set_value(dt.date(2017, 3, 31)).run()  # another month, alone
    assert str(at.select_slider(key="v_day_en").value) != "2017-07-31"
    assert at.slider(key="v_dates_en").value[1].isoformat() == "2017-07-31"  # range unchanged


def test_a_duplicate_article_says_already_stored(store):
    body = (SAMPLES_DIR / "homs_deescalation_2017-07.txt").read_text(encoding="utf-8")
    at = run(lang="en", panel="add")
    at.text_area[0].input(body)
    submit = next(b for b in at.get("form_submit_button") if b.label == t("submit", "en"))
    submit.click()
    at.run()
    assert not at.exception
    assert "1 article already stored: nothing added." in texts(at)


def test_a_pasted_text_over_the_byte_limit_is_refused(store):
    at = run(lang="en", panel="add")
    at.text_area[0].input("ح" * (MAX_ARTICLE_BYTES // 2 + 10))  # under the limit in characters
    next(b for b in at.get("form_submit_button") if b.label == t("submit", "en")).click()
    at.run()
    assert any("larger than the limit" in e.value for e in at.error)


def test_read_only_mode_offers_no_add_panel(store, monkeypatch):
    monkeypatch.setenv("SNM_READ_ONLY", "1")
    at = run(lang="en", panel="add")
    assert "add" not in at.segmented_control(key="v_panel_en").options
    assert at.segmented_control(key="v_panel_en").value == "read"


def test_a_token_is_needed_to_write_when_one_is_set(store, monkeypatch):
    monkeypatch.setenv("SNM_WRITE_TOKEN", "s3cret")
    at = run(lang="en", panel="add")
    at.text_area[0].input("اشتباكات في مدينة حلب اليوم")
    next(b for b in at.get("form_submit_button") if b.label == t("submit", "en")).click()
    at.run()
    assert any(t("token_needed", "en") in e.value for e in at.error)
    token = next(w for w in at.text_input if w.label == t("token", "en"))
    at.text_area[0].input("اشتباكات في مدينة حلب اليوم")
    token.input("s3cret")
    next(b for b in at.get("form_submit_button") if b.label == t("submit", "en")).click()
    at.run()
    assert "Added 1 article" in texts(at)


def test_the_date_inputs_and_the_slider_move_together(store):
    at = run(lang="en")
    at.date_input(key="v_to_en").set_value(dt.date(2017, 7, 20)).run()
    assert at.slider(key="v_dates_en").value[1] == dt.date(2017, 7, 20)
    assert at.query_params["to"] == "2017-07-20"
    at.slider(key="v_dates_en").set_value((dt.date(2017, 7, 5), dt.date(2017, 7, 20))).run()
    assert at.date_input(key="v_from_en").value == dt.date(2017, 7, 5)


def test_the_reader_table_shows_the_first_rows_until_asked_for_all(tmp_path, monkeypatch):
    # a long list costs the first map ~0.2 s: the table shows the first 20 of up to 300
    text = (SAMPLES_DIR / "homs_deescalation_2017-07.txt").read_text(encoding="utf-8")
    records = [{"id": f"a{i}", "text": f"{text}\n({i})", "date": f"2017-07-{1 + i % 28:02d}"}
               for i in range(60)]
    src = tmp_path / "many.jsonl"
    src.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    monkeypatch.setenv("SNM_STORE", str(drv.build_store(tmp_path / "store", src)))
    at = run(lang="en")
    assert not at.exception
    table = next(h.proto.body for h in at.get("html") if "<table" in h.proto.body)
    assert table.count("<tr") == 1 + 20  # header and the first 20 rows
    assert len(at.selectbox(key="v_article_en").options) == 20  # the list follows the table
    at.toggle(key="v_all_rows").set_value(True).run()
    table = next(h.proto.body for h in at.get("html") if "<table" in h.proto.body)
    assert table.count("<tr") == 1 + 60
    assert len(at.selectbox(key="v_article_en").options) == 60


def element_kinds(block) -> collections.Counter:
    """How many elements of each kind a page's block holds (containers walked through)."""
    out: collections.Counter = collections.Counter()

    def walk(node) -> None:
        """Count the leaves under node."""
        children = getattr(node, "children", None)
        if isinstance(children, dict) and children:
            for child in children.values():
                walk(child)
        else:
            out[node.type] += 1
    walk(block)
    return out


def test_the_benchmark_floor_draws_the_dashboards_widgets(store):
    # tools/bench_app.py times the first map beside this page: it must hold the same widgets,
    # less the map (and the rows toggle, shown from 21 articles: the floor stands for the
    # benchmark's store); html blocks differ (the page's style, the floor's end mark)
    app = run()
    floor = AppTest.from_file(str(REPO / "tools" / "bench_floor_page.py"),
                              default_timeout=TIMEOUT).run()
    assert not app.exception and not floor.exception
    assert element_kinds(floor.sidebar) == element_kinds(app.sidebar)
    main_app, main_floor = element_kinds(app.main), element_kinds(floor.main)
    assert main_app.pop("component_instance") == 1
    assert main_floor.pop("toggle") == 1
    del main_app["html"], main_floor["html"]
    assert main_floor == main_app
