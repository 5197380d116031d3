"""The Streamlit app, run headless with AppTest (no browser, no server)."""

from __future__ import annotations

import html
import json
import re

import pytest
import streamlit_folium
from streamlit.testing.v1 import AppTest

from geo.core.values import KINDS
from tests.conftest import ROOT

APP = str(ROOT / "app.py")
#: The seed's places the offline gazetteer places, by name (Tartus, written "Tartou", is placed by a near miss).
SEED_PLACES = {
    "Syria",
    "The Kremlin",
    "Russia",
    "Geneva",
    "New York City",
    "United Kingdom",
    "United States",
    "Hmeymim Air Base",
    "Latakia",
    "Moscow",
}


def map_html(at: AppTest) -> str:
    """Return the map script and its places layer that streamlit-folium was asked to draw."""
    components = [e for e in at.main if e.type == "component_instance"]
    assert len(components) == 1
    args = json.loads(components[0].proto.json_args)
    return args["script"] + (args.get("feature_group") or "")


def map_features(at: AppTest) -> list[dict]:
    """Return the places layer's GeoJSON features, as the browser receives them: written into the
    map, or served from static/ (geo.map.assets.publish)."""
    script = map_html(at)
    served = re.search(r"\.naLoadPlaces\(\w+,\s*\"/app/static/([^\"]+)\"", script)
    if served:
        return json.loads((ROOT / "static" / served.group(1)).read_text(encoding="utf-8"))["features"]
    # naDrawPlaces(layer, data, selected, view): the view is null, or a flat object.
    data = re.search(r"\.naDrawPlaces\(\w+,\s*(\{.*\}),\s*(?:null|\"[^\"]*\"),\s*(?:null|\{[^{}]*\})\);", script, re.S)
    assert data, "no places layer"
    return json.loads(data.group(1))["features"]


def map_markers(at: AppTest) -> list[str]:
    """Return each marker's tooltip on the map, "name · category"."""
    return [html.unescape(f["properties"]["tip"]) for f in map_features(at)]


def table_places(at: AppTest) -> list[str]:
    """Return each row of the table as the map's tooltips name it, "name · category"."""
    table = at.dataframe[0].value
    return [f"{name} · {kind}" for name, kind in zip(table["Place"], table["Category"], strict=True)]


@pytest.fixture(scope="module")
def started() -> AppTest:
    return AppTest.from_file(APP, default_timeout=300).run()


def test_app_starts_with_the_seed_mapped(started):
    assert not started.exception
    names = {feature["properties"]["name"] for feature in map_features(started)}
    assert {"Hmeymim Air Base", "Geneva", "The Kremlin", "Latakia", "New York City"} <= names
    table = started.dataframe[0].value
    assert {"Syria", "Hmeymim Air Base", "Geneva"} <= set(table["Place"])
    assert set(table["Category"]) <= {"base", "city", "venue", "region", "country", "other"}


def test_clicking_a_marker_shows_its_excerpts(monkeypatch):
    # streamlit-folium reports a click as the marker's position; stand in for the browser.
    monkeypatch.setattr(
        streamlit_folium, "st_folium", lambda *a, **k: {"last_object_clicked": {"lat": 35.4011, "lng": 35.9486}}
    )
    at = AppTest.from_file(APP, default_timeout=300).run()
    assert not at.exception
    assert at.subheader[0].value == "Hmeymim Air Base"
    panel = " ".join(m.value for m in at.markdown)
    assert "the Hmeymim airbase in Syria's Latakia province" in panel.replace("\\", "").replace("**", "")


def test_pasted_hostile_text_is_mapped_inert():
    at = AppTest.from_file(APP, default_timeout=300).run()
    at.multiselect(key="seeds").set_value([]).run()
    at.text_area(key="pasted").input(
        "Shelling hit Aleppo <img src=x onerror=parent.pwned=1> `${1+1}` \\ today. Talks go on in Vienna."
    ).run()
    assert not at.exception
    html = map_html(at) + json.dumps(map_features(at), ensure_ascii=False)
    assert "Aleppo" in html and "Vienna" in html
    assert "<img src=x" not in html and "${1+1}" not in html
    # The popup is short (name, category, count): the article's text is read in the pane, not the map.
    assert not any("onerror" in f["properties"]["popup"] for f in map_features(at))


@pytest.mark.parametrize("text", ["   ", "\x00\x01\x02\x03" * 50])
def test_bad_pasted_text_gets_a_message_not_a_traceback(text):
    at = AppTest.from_file(APP, default_timeout=300).run()
    at.text_area(key="pasted").input(text).run()
    assert not at.exception
    if text.strip():
        assert any("binary" in w.value for w in at.sidebar.warning)
    assert "Hmeymim Air Base · base" in map_markers(at)  # the seed stays on the map


@pytest.mark.parametrize("mode", ["ok", "error"])
def test_online_geocoder_from_the_sidebar(mode, tmp_path, monkeypatch, gazetteer):
    from tests.nominatim_server import NominatimServer

    (tmp_path / "gazetteer.sqlite").symlink_to(gazetteer.path)
    monkeypatch.setenv("GEO_CACHE_DIR", str(tmp_path))  # the online answers go to a fresh cache
    with NominatimServer(mode=mode) as server:
        # The address comes from the environment, so no request can go to the real service.
        monkeypatch.setenv("GEO_GEOCODER_URL", server.url)
        at = AppTest.from_file(APP, default_timeout=300).run()
        at.selectbox(key="geocoder").set_value("nominatim").run()
        assert at.text_input(key="geocoder_url").value == server.url
        assert not at.exception
        assert server.searches() == ["Tartou"]  # only what the gazetteer cannot place
    table = at.dataframe[0].value
    tartus = table[table["Written as"] == "Tartou"].iloc[0]
    if mode == "ok":
        assert tartus["Source"] == "Nominatim (online)" and not at.warning  # plain words
    else:
        assert tartus["Source"].endswith("offline (the online service failed)")
        assert len(at.warning) == 1 and "offline" in at.warning[0].value
    assert set(table["Place"]) >= SEED_PLACES  # the online answer loses none of the offline places
    assert sorted(map_markers(at)) == sorted(table_places(at))


def test_filters_drive_the_table_and_the_map():
    at = AppTest.from_file(APP, default_timeout=300).run()
    at.multiselect(key="kinds").set_value(["base"]).run()
    table = at.dataframe[0].value
    assert set(table["Category"]) == {"base"}
    assert {"Hmeymim airbase", "Tartou"} <= set(table["Written as"])  # the two bases the seed names
    assert "Hmeymim Air Base" in set(table["Place"])
    assert sorted(map_markers(at)) == sorted(table_places(at))  # the map marks what the table lists, no more
    assert at.query_params["kind"] in ("base", ["base"])  # the view is in the URL
    at.multiselect(key="kinds").set_value(list(KINDS)).run()
    at.slider(key="min_mentions").set_value(2).run()
    table = at.dataframe[0].value
    assert (table["Mentions"] >= 2).all()
    named_twice = {"Syria", "The Kremlin", "Russia", "Geneva", "New York City", "United Kingdom", "United States"}
    assert named_twice <= set(table["Place"])
    assert not set(table["Place"]) & {"Hmeymim Air Base", "Latakia", "Moscow"}  # named once
    assert sorted(map_markers(at)) == sorted(table_places(at))


def test_a_shared_link_reopens_the_selected_place():
    at = AppTest.from_file(APP, default_timeout=300)
    at.query_params["place"] = "landmarks:https://en.wikipedia.org/wiki/Khmeimim_Air_Base"
    at.run()
    assert not at.exception
    assert at.subheader[0].value == "Hmeymim Air Base"
    assert any("Hmeymim airbase" in m.value for m in at.markdown)


def test_pasted_html_is_reduced_to_its_article_and_exports_are_offered():
    page = (
        "<!doctype html><html><head><title>Strikes near Idlib</title><script>var x = 'Paris';</script></head>"
        "<body><nav>Home | London | Tokyo</nav><article><h1>Strikes near Idlib</h1>"
        "<p>Jets struck targets near Idlib and Aleppo on Sunday, monitors in Beirut said.</p>"
        "<p>Turkish officials in Ankara condemned the raids.</p></article><footer>Berlin office</footer></body></html>"
    )
    at = AppTest.from_file(APP, default_timeout=300).run()
    at.multiselect(key="seeds").set_value([]).run()
    at.text_area(key="pasted").input(page).run()
    assert not at.exception
    names = set(at.dataframe[0].value["Place"])
    assert {"Aleppo", "Beirut", "Ankara"} <= names
    assert not names & {"Paris", "Tokyo"}  # the script and the menu are not the article
    assert [b.label for b in at.main.get("download_button")] == ["GeoJSON", "CSV", "KML", "HTML map", "PNG", "SVG"]


def test_an_html_page_with_no_article_gets_a_message():
    at = AppTest.from_file(APP, default_timeout=300).run()
    at.text_area(key="pasted").input("<html><body><div> </div><script>alert(1)</script></body></html>").run()
    assert not at.exception
    assert any("no article text" in w.value for w in at.sidebar.warning)
    assert "Hmeymim Air Base · base" in map_markers(at)  # what was loaded stays


def test_a_correction_wins_next_time_and_can_be_undone(tmp_path, monkeypatch, gazetteer):
    (tmp_path / "gazetteer.sqlite").symlink_to(gazetteer.path)
    monkeypatch.setenv("GEO_CACHE_DIR", str(tmp_path))  # corrections go to a fresh store
    at = AppTest.from_file(APP, default_timeout=300)
    at.query_params["place"] = "geonames:2660646"  # Geneva, Switzerland
    at.run()
    assert at.subheader[0].value == "Geneva"
    alternatives = at.selectbox(key="alternative:geonames:2660646")
    illinois = next(i for i, label in enumerate(alternatives.options) if "US" in label and "Illinois" in label)
    alternatives.select_index(illinois).run()
    at.button(key="use:geonames:2660646").click().run()
    assert not at.exception
    table = at.dataframe[0].value
    geneva = table[table["Written as"] == "Geneva"].iloc[0]
    assert (geneva["Country"], geneva["Source"]) == ("US", "correction")
    again = AppTest.from_file(APP, default_timeout=300).run()  # a new session: the correction stays
    table = again.dataframe[0].value
    assert table[table["Written as"] == "Geneva"].iloc[0]["Country"] == "US"
    key = next(k for k in again.session_state["selection"].table_keys if k.startswith("correction:"))
    again.query_params["place"] = key
    again.run()
    again.button(key=f"undo:{key}").click().run()
    table = again.dataframe[0].value
    assert table[table["Written as"] == "Geneva"].iloc[0]["Country"] == "CH"


def test_the_demonym_checkbox_maps_actors_to_their_country_only_when_asked():
    at = AppTest.from_file(APP, default_timeout=300).run()
    at.multiselect(key="seeds").set_value([]).run()
    at.text_area(key="pasted").input(
        "Ethiopian troops crossed the border at dawn, a spokesman in Nairobi said on Tuesday."
    ).run()
    assert not at.exception
    names = {feature["properties"]["name"] for feature in map_features(at)}
    assert "Nairobi" in names and "Ethiopia" not in names  # an actor is not a place by default
    at.checkbox(key="demonyms").check().run()
    assert not at.exception
    names = {feature["properties"]["name"] for feature in map_features(at)}
    assert {"Nairobi", "Ethiopia"} <= names


def test_markers_coloured_by_article_and_by_date():
    at = AppTest.from_file(APP, default_timeout=300).run()
    at.text_area(key="pasted").input(
        "---\ntitle: Ferry <b>talks</b> resume in Mombasa\ndate: 2024-05-02\n---\n"
        "Ferry operators met in Mombasa on Thursday, and a second round is planned in Dar es Salaam."
    ).run()
    assert not at.exception
    assert all("tint" not in f["properties"] for f in map_features(at))  # by category: the kinds' colours
    at.radio(key="colour_by").set_value("article").run()
    assert not at.exception
    tint = {f["properties"]["name"]: f["properties"].get("tint") for f in map_features(at)}
    assert tint["Mombasa"] and tint["Mombasa"] == tint["Dar es Salaam"] != tint["Hmeymim Air Base"]
    legend = " ".join(str(e.proto) for e in at.main if e.type == "html")
    assert "Ferry &lt;b&gt;talks&lt;/b&gt; resume in Mombasa" in legend and "<b>talks" not in legend
    at.radio(key="colour_by").set_value("date").run()
    tint = {f["properties"]["name"]: f["properties"].get("tint") for f in map_features(at)}
    assert tint["Mombasa"] != tint["Hmeymim Air Base"]  # 2024 against 2016
    assert at.query_params["colour"] == "date"  # the share link carries the colouring
    # A copied link reopens with the markers coloured by date.
    again = AppTest.from_file(APP, default_timeout=300)
    again.query_params["colour"] = "date"
    again.run()
    assert not again.exception and again.radio(key="colour_by").value == "date"
    assert any("tint" in f["properties"] for f in map_features(again))


def test_not_a_place_names_its_target_says_what_it_did_and_is_undone_from_its_message(tmp_path, monkeypatch, gazetteer):
    (tmp_path / "gazetteer.sqlite").symlink_to(gazetteer.path)
    monkeypatch.setenv("GEO_CACHE_DIR", str(tmp_path))  # corrections go to a fresh store
    at = AppTest.from_file(APP, default_timeout=300)
    at.query_params["place"] = "geonames:2660646"  # Geneva, Switzerland
    at.run()
    remove = at.button(key="not_a_place:geonames:2660646")
    assert remove.label == "Not a place: Geneva"  # the button says what it removes
    remove.click().run()
    assert not at.exception
    assert "Geneva" not in set(at.dataframe[0].value["Place"])
    assert any("Removed “Geneva” from this article" in m.value for m in at.markdown)
    at.button(key="undo_done").click().run()  # the message's own undo takes exactly that back
    assert not at.exception
    assert "Geneva" in set(at.dataframe[0].value["Place"])
    assert any("Taken back" in m.value for m in at.markdown)


def test_the_country_filter_lists_names_not_codes():
    at = AppTest.from_file(APP, default_timeout=300).run()
    labels = list(at.multiselect(key="countries").options)  # as the reader sees them
    assert "Syria (SY)" in labels and "Russia (RU)" in labels, labels
