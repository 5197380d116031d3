"""Articles with their metadata in the app (AppTest): listed by date, a date range filter, edits,
and the share link carrying every filter."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from tests.test_app import APP, map_features

SEED_DIR = ROOT / "seeds"

# A fresh article written for this test, dated four years after the seed (2016-03-14).
CONVOYS = (
    "---\n"
    "title: Aid convoys reach Idlib after weeks of delay\n"
    "outlet: The Border Courier\n"
    "date: 2020-02-11\n"
    "url: https://courier.example/2020/02/idlib-convoys\n"
    "---\n"
    "Aid convoys reached Idlib on Tuesday after three weeks of delays, officials in Ankara said.\n\n"
    "The trucks crossed from Turkey at Bab al-Hawa and unloaded in Sarmada."
)
TITLE = "Aid convoys reach Idlib after weeks of delay"


def names(at: AppTest) -> set[str]:
    return {f["properties"]["name"] for f in map_features(at)}


def sidebar_text(at: AppTest) -> str:
    return "\n".join(m.value for m in at.sidebar.markdown)


@pytest.fixture(scope="module")
def two_articles() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=300).run()
    at.text_area(key="pasted").input(CONVOYS).run()
    assert not at.exception
    return at


def test_the_sidebar_lists_articles_newest_first_with_title_outlet_and_date(two_articles):
    text = sidebar_text(two_articles)
    convoys = text.index(f"{TITLE} · The Border Courier · 2020\\-02\\-11")
    seed = text.index("Russia withdraws from Syria 2016 · 2016\\-03\\-14")
    assert convoys < seed  # newest first
    assert "https://courier.example/2020/02/idlib-convoys" in text


def test_the_front_matter_is_not_in_the_text_parsed(two_articles):
    assert "Idlib" in names(two_articles) and "Hmeymim Air Base" in names(two_articles)
    assert not any("outlet:" in f["properties"].get("name", "") for f in map_features(two_articles))


def test_a_date_range_hides_the_older_articles_places():
    at = AppTest.from_file(APP, default_timeout=300).run()
    at.text_area(key="pasted").input(CONVOYS).run()
    slider = at.slider(key="dates")
    assert slider.value == (dt.date(2016, 3, 14), dt.date(2020, 2, 11))
    slider.set_value((dt.date(2019, 1, 1), dt.date(2020, 2, 11))).run()
    assert not at.exception
    shown = names(at)
    assert "Idlib" in shown and "Hmeymim Air Base" not in shown and "Latakia" not in shown
    assert at.query_params["from"] in ("2019-01-01", ["2019-01-01"])
    assert at.query_params["to"] in ("2020-02-11", ["2020-02-11"])


def test_an_undated_article_stays_shown_and_says_so():
    at = AppTest.from_file(APP, default_timeout=300).run()
    undated = CONVOYS.replace("date: 2020-02-11\n", "")
    at.text_area(key="pasted").input(undated).run()
    # One dated article (the seed): no range to choose; the undated one is said to have no date.
    assert f"{TITLE} · The Border Courier · no date" in sidebar_text(at)
    assert "without a date" in " ".join(c.value for c in at.sidebar.caption)
    assert {"Idlib", "Hmeymim Air Base"} <= names(at)


def test_the_link_reopens_the_date_range_countries_and_articles(tmp_path, monkeypatch):
    # A link reopens sample articles: both articles are samples here.
    for path in SEED_DIR.glob("*.txt"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "idlib-convoys.txt").write_text(CONVOYS, encoding="utf-8")
    monkeypatch.setenv("NEWS_ATLAS_ARTICLES", str(tmp_path))
    at = AppTest.from_file(APP, default_timeout=300)
    at.query_params["from"] = "2019-06-01"
    at.query_params["country"] = "SY"
    at.query_params["article"] = "Idlib convoys"
    at.run()
    assert not at.exception
    assert at.slider(key="dates").value == (dt.date(2019, 6, 1), dt.date(2020, 2, 11))
    assert at.multiselect(key="countries").value == ["SY"]
    assert at.multiselect(key="shown_articles").value == ["Idlib convoys"]
    shown = names(at)
    assert "Idlib" in shown and "Ankara" not in shown and "Hmeymim Air Base" not in shown
    # And the link the page writes back carries them all.
    assert at.query_params["from"] in ("2019-06-01", ["2019-06-01"])
    assert at.query_params["country"] in ("SY", ["SY"])
    assert at.query_params["article"] in ("Idlib convoys", ["Idlib convoys"])


def test_metadata_is_editable_in_the_session(two_articles):
    at = two_articles
    at.selectbox(key="meta_article").set_value("Russia withdraws from Syria 2016").run()
    title = next(t for t in at.sidebar.text_input if t.label == "Title")
    title.input("Putin orders <b>withdrawal</b> from Syria")
    url = next(t for t in at.sidebar.text_input if t.label.startswith("Address"))
    url.input("javascript:alert(1)")
    next(b for b in at.sidebar.button if b.label == "Save details").click().run()
    assert not at.exception
    text = sidebar_text(at)
    # Shown escaped (Markdown), the bad address refused with a message.
    assert "Putin orders <b>withdrawal</b> from Syria" not in text
    assert "withdrawal" in text and "javascript" not in text
    assert any("http" in w.value for w in at.sidebar.warning)


def test_the_link_drops_a_place_that_is_no_longer_found():
    # A correction undone leaves the selection on a place that no longer exists: not shared.
    at = AppTest.from_file(APP, default_timeout=300)
    at.query_params["place"] = "corrected:nowhere"
    at.run()
    assert not at.exception
    assert "place" not in at.query_params
    at = AppTest.from_file(APP, default_timeout=300)
    at.query_params["place"] = "geonames:2660646"  # Geneva, found in the seed: kept
    at.run()
    assert at.query_params["place"] in ("geonames:2660646", ["geonames:2660646"])
