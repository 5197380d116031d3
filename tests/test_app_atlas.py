"""Atlases in the app, run headless with AppTest: "Save and share", the link that reopens it, and
links that cannot be honoured."""

from __future__ import annotations

import json
import shutil

from streamlit.testing.v1 import AppTest

from geo.outputs.atlas import read_atlas
from geo.store.atlas import AtlasStore
from tests.test_app import APP, map_features

PASTED = (
    "---\ntitle: Talks <script>alert(1)</script> resume\ndate: 2024-05-02\n---\n"
    "Negotiators met again in Geneva on Thursday, and a second round is planned in Nairobi."
)
GENEVA = "geonames:2660646"


def fresh_cache(tmp_path, monkeypatch, gazetteer, name: str):
    folder = tmp_path / name
    folder.mkdir()
    (folder / "gazetteer.sqlite").symlink_to(gazetteer.path)
    monkeypatch.setenv("GEO_CACHE_DIR", str(folder))
    return folder


def saved_link(at: AppTest) -> str:
    codes = [c.value for c in at.sidebar.code]
    assert codes, "no link shown"
    return codes[-1]


def test_save_and_share_reopens_the_pasted_article_its_correction_filters_view_and_selection(
    tmp_path, monkeypatch, gazetteer
):
    first = fresh_cache(tmp_path, monkeypatch, gazetteer, "first")
    at = AppTest.from_file(APP, default_timeout=300).run()
    at.multiselect(key="seeds").set_value([]).run()
    at.text_area(key="pasted").input(PASTED).run()
    at.query_params["place"] = GENEVA
    # Correct Geneva to Geneva, Illinois (a reading the resolver considered).
    at.session_state["selection"] = type(at.session_state["selection"])(place=GENEVA)
    at.run()
    alternatives = at.selectbox(key=f"alternative:{GENEVA}")
    illinois = next(i for i, label in enumerate(alternatives.options) if "US" in label and "Illinois" in label)
    alternatives.select_index(illinois).run()
    at.button(key=f"use:{GENEVA}").click().run()
    assert not at.exception
    corrected = next(k for k in at.session_state["selection"].table_keys if k.startswith("correction:"))
    at.radio(key="colour_by").set_value("date").run()
    at.multiselect(key="kinds").set_value(["city", "venue"]).run()
    at.multiselect(key="event_types").set_value(["mentioned", "diplomacy"]).run()
    at.text_input(key="atlas_title").input("Ceasefire <b>talks</b>").run()
    at.button(key="atlas_save").click().run()
    assert not at.exception
    link = saved_link(at)
    atlas_id = link.rpartition("?atlas=")[2]
    assert link.endswith(f"?atlas={atlas_id}") and len(atlas_id) >= 22
    assert at.query_params["atlas"] in (atlas_id, [atlas_id])
    said = " ".join(c.value for c in at.sidebar.caption).replace("\\", "")  # escaped for Markdown
    assert "1 article (their text and details), 1 correction" in said and "Anyone with the link" in said

    # A fresh server elsewhere: its own corrections store (empty), the atlas store copied over.
    second = fresh_cache(tmp_path, monkeypatch, gazetteer, "second")
    for part in first.glob("atlases.sqlite*"):  # with its write-ahead log
        shutil.copy(part, second / part.name)
    again = AppTest.from_file(APP, default_timeout=300)
    again.query_params["atlas"] = atlas_id
    again.run()
    assert not again.exception
    assert any("Opened the atlas" in s.value for s in again.success), [e.value for e in again.error]
    names = {f["properties"]["name"]: f["properties"] for f in map_features(again)}
    assert "Hmeymim Air Base" not in names  # the samples were not in the atlas
    assert "Nairobi" in names
    table = again.dataframe[0].value
    geneva = table[table["Written as"] == "Geneva"].iloc[0]
    assert (geneva["Country"], geneva["Source"]) == ("US", "correction")  # the correction came with it
    assert set(table["Category"]) <= {"city", "venue"}  # the filters
    assert again.radio(key="colour_by").value == "date"  # the colouring
    assert again.multiselect(key="event_types").value == ["diplomacy", "mentioned"]  # the event filter
    assert again.session_state["selection"].place == corrected  # the selection
    assert again.text_input(key="atlas_title").value == "Ceasefire <b>talks</b>"
    assert again.query_params["atlas"] in (atlas_id, [atlas_id])  # a reload opens it again
    document = read_atlas(AtlasStore(second / "atlases.sqlite").load(atlas_id))
    assert document.articles[0].article.meta.title == "Talks <script>alert(1)</script> resume"
    assert "<script>alert(1)" not in json.dumps([str(e.proto) for e in again.sidebar if e.type == "markdown"])


def test_a_link_that_cannot_be_honoured_says_so_and_the_page_still_works(tmp_path, monkeypatch, gazetteer):
    fresh_cache(tmp_path, monkeypatch, gazetteer, "c")
    at = AppTest.from_file(APP, default_timeout=300)
    at.query_params["atlas"] = "A" * 22
    at.run()
    assert not at.exception
    assert any("cannot be opened" in e.value and "expired" in e.value for e in at.error)
    assert any(f["properties"]["name"] == "Hmeymim Air Base" for f in map_features(at))  # the samples, as usual
    assert "atlas" not in at.query_params  # the address no longer names the atlas
    broken = AppTest.from_file(APP, default_timeout=300)
    broken.query_params["atlas"] = "<script>"
    broken.run()
    assert any("malformed" in e.value for e in broken.error)


def test_saving_can_be_limited_to_editors(tmp_path, monkeypatch, gazetteer):
    fresh_cache(tmp_path, monkeypatch, gazetteer, "d")
    monkeypatch.setenv("NEWS_ATLAS_ATLAS_SAVING", "editors")
    at = AppTest.from_file(APP, default_timeout=300).run()
    assert at.button(key="atlas_save").disabled
    assert any("only editors" in c.value for c in at.sidebar.caption)


def test_public_mode_bounds_the_saves_of_one_visit(tmp_path, monkeypatch, gazetteer):
    fresh_cache(tmp_path, monkeypatch, gazetteer, "e")
    monkeypatch.setenv("NEWS_ATLAS_PUBLIC", "1")
    monkeypatch.setenv("NEWS_ATLAS_ATLAS_PER_SESSION", "1")
    at = AppTest.from_file(APP, default_timeout=300).run()
    at.button(key="atlas_save").click().run()
    assert not at.exception
    first = saved_link(at)
    at.button(key="atlas_save").click().run()
    assert any("as many atlases as this server allows one visit" in e.value for e in at.sidebar.error)
    assert saved_link(at) == first  # the link made before stays


def test_an_atlas_reopens_the_event_types_and_the_timelines_range(tmp_path, monkeypatch, gazetteer):
    import datetime as dt

    fresh_cache(tmp_path, monkeypatch, gazetteer, "events")
    at = AppTest.from_file(APP, default_timeout=300).run()  # the sample articles, of two days with events
    at.multiselect(key="event_types").set_value(["fighting", "diplomacy"]).run()
    first = at.slider(key="timeline").value[0]
    at.slider(key="timeline").set_value((first, first)).run()
    at.button(key="atlas_save").click().run()
    assert not at.exception
    atlas_id = saved_link(at).rpartition("?atlas=")[2]
    again = AppTest.from_file(APP, default_timeout=300)
    again.query_params["atlas"] = atlas_id  # only the atlas: not the link's own types and range
    again.run()
    assert not again.exception
    assert again.multiselect(key="event_types").value == ["fighting", "diplomacy"]
    assert again.slider(key="timeline").value == (first, first)
    assert isinstance(first, dt.date)
