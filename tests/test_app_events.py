"""Events in the dashboard, run headless with AppTest: markers coloured by event type with their
legend, the filter by event type, the timeline's range and play, a place's events in the reading
pane, and the downloads carrying events as ``geo parse`` does."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from geo.events.taxonomy import label_of
from geo.map.tints import EVENT_COLOURS
from tests.test_app import APP, ROOT, map_features, map_html, table_places

HMEYMIM = "landmarks:https://en.wikipedia.org/wiki/Khmeimim_Air_Base"
GENEVA = "geonames:2660646"
FEB_26, MAR_14 = dt.date(2016, 2, 26), dt.date(2016, 3, 14)


def map_collection(at: AppTest) -> dict:
    """Return the places' whole FeatureCollection the map draws (its legend included)."""
    script = map_html(at)
    served = re.search(r"\.naLoadPlaces\(\w+,\s*\"/app/static/([^\"]+)\"", script)
    assert served, "the seed's places are served as a file"
    return json.loads((ROOT / "static" / served.group(1)).read_text(encoding="utf-8"))


def html_of(at: AppTest) -> str:
    return " ".join(str(e.proto) for e in at.main if e.type == "html")


@pytest.fixture(scope="module")
def started() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=300).run()
    assert not at.exception
    return at


def test_colour_by_event_type_tints_the_markers_and_the_legends_name_each_colour(started):
    at = started
    at.radio(key="colour_by").set_value("event type").run()
    assert not at.exception
    collection = map_collection(at)
    tint = {f["properties"]["name"]: f["properties"]["tint"] for f in collection["features"]}
    assert tint["Hmeymim Air Base"] == EVENT_COLOURS["movements"]
    assert tint["Geneva"] == EVENT_COLOURS["diplomacy"]
    assert tint["New York City"] == EVENT_COLOURS["mentioned"]
    # The map's own legend: one swatch per colour the markers have, named by its type.
    legend = collection["legend"]
    assert {colour for _, colour in legend} == set(tint.values())
    by_colour = {colour: label for label, colour in legend}
    assert by_colour[EVENT_COLOURS["movements"]] == label_of("movements")
    # The legend under the map says the same.
    under = html_of(at)
    assert all(label in under for label, _ in legend)
    assert at.query_params["colour"] == "event type"  # the share link carries it
    at.radio(key="colour_by").set_value("category").run()
    assert "legend" not in map_collection(at) and all("tint" not in f["properties"] for f in map_features(at))


def test_the_event_type_filter_keeps_the_places_where_that_happened(started):
    at = started
    at.multiselect(key="event_types").set_value(["diplomacy"]).run()
    assert not at.exception
    places = set(at.dataframe[0].value["Place"])
    assert {"Geneva", "The Kremlin", "Moscow"} <= places
    assert not places & {"Hmeymim Air Base", "New York City", "Latakia"}  # movements, mentioned
    assert sorted(table_places(at)) == sorted(
        f"{f['properties']['name']} · {f['properties']['kind']}" for f in map_features(at)
    )
    at.multiselect(key="event_types").set_value([]).run()
    assert "Hmeymim Air Base" in set(at.dataframe[0].value["Place"])


def test_the_timeline_range_narrows_the_map_and_play_steps_through_the_days(started):
    at = started
    everything = set(at.dataframe[0].value["Place"])
    assert at.slider(key="timeline").value == (FEB_26, MAR_14)  # the seed's event days
    chart = next(e for e in at.main if e.type == "vega_lite_chart")
    assert json.loads(chart.proto.spec)["encoding"]["x"]["field"] == "day"  # its data: test_events_timeline
    at.slider(key="timeline").set_value((FEB_26, FEB_26)).run()
    assert not at.exception
    # Only the truce's fighting, reported for 26 February, happened that day: in Syria.
    assert set(at.dataframe[0].value["Place"]) == {"Syria"}
    assert {f["properties"]["name"] for f in map_features(at)} == {"Syria"}
    at.button(key="timeline_all").click().run()
    assert set(at.dataframe[0].value["Place"]) == everything
    at.button(key="timeline_play").click().run()
    assert not at.exception
    assert at.slider(key="timeline").value == (FEB_26, FEB_26)  # the first day with events
    assert set(at.dataframe[0].value["Place"]) == {"Syria"}
    at.session_state["timeline_playing"] = 1  # the play's next step, as its timer sets it
    at.run()
    assert at.slider(key="timeline").value == (MAR_14, MAR_14)
    assert "Hmeymim Air Base" in set(at.dataframe[0].value["Place"])
    at.button(key="timeline_stop").click().run()
    assert not at.exception and "timeline_playing" not in at.session_state
    at.button(key="timeline_all").click().run()


@pytest.mark.parametrize(
    ("place", "wanted"),
    [
        (HMEYMIM, ["Movements", "<q>withdrawal</q>", "Russian", "2016-03-14"]),
        (GENEVA, ["Diplomacy", "<q>talks</q>", "United Nations"]),
    ],
)
def test_the_reading_pane_lists_a_places_events_in_time_order(place, wanted):
    at = AppTest.from_file(APP, default_timeout=300)
    at.query_params["place"] = place
    at.run()
    assert not at.exception
    events = next(e.proto.body for e in at.main if e.type == "html" and "na-events" in e.proto.body)
    for word in wanted:
        assert word in events
    dates = re.findall(r"<b>(\d{4}-\d\d-\d\d)", events)
    assert dates and dates == sorted(dates)
    assert any(m.value.startswith("**Events here**") for m in at.markdown)


def test_the_kremlins_events_read_naturally():
    at = AppTest.from_file(APP, default_timeout=300).run()
    kremlin = next(f["properties"]["id"] for f in map_features(at) if f["properties"]["name"] == "The Kremlin")
    at.query_params["place"] = kremlin
    at.run()
    events = next(e.proto.body for e in at.main if e.type == "html" and "na-events" in e.proto.body)
    assert "Diplomacy" in events and "<q>said</q>" in events  # a statement from the Kremlin
    assert "Speaking at a meeting in the <b>Kremlin</b>" in events


def test_the_downloads_carry_each_places_events(geoparser, seed_text):
    from geo.events import events_of
    from geo.inputs.articles import article_of
    from geo.outputs.export import Origin
    from geo.parse.places import group_places
    from ui.table import _exports

    article = article_of("seed", seed_text, "file")
    result = geoparser.parse(article.text)
    events = events_of(article.text, result, article.meta.date)
    places = tuple(group_places(result.mentions))
    origins = {item.mention: Origin("seed", article.meta.date) for item in result.mentions}
    geojson, table, _ = _exports(places, (("seed", article.meta),), lambda: origins, events)
    features = {f["properties"]["name"]: f["properties"] for f in json.loads(geojson)["features"]}
    assert features["Hmeymim Air Base"]["event_types"] == ["movements"]
    assert features["Hmeymim Air Base"]["events"][0]["event_date"] == "2016-03-14"
    rows = {r["name"]: r for r in csv.DictReader(io.StringIO(table))}
    assert "diplomacy" in rows["Geneva"]["event_types"]
    assert "2016-03-14 movements" in rows["Hmeymim Air Base"]["event_dates"]
    assert "Russian" in rows["Hmeymim Air Base"]["actors"]


def test_a_timeline_showing_every_day_takes_in_the_days_a_new_article_brings():
    at = AppTest.from_file(APP, default_timeout=300).run()
    at.text_area(key="pasted").input("---\ndate: 2024-05-02\n---\nShelling hit the port of Mombasa on Thursday.").run()
    assert not at.exception
    assert at.slider(key="timeline").value == (FEB_26, dt.date(2024, 5, 2))
    assert {"Mombasa", "Hmeymim Air Base"} <= set(at.dataframe[0].value["Place"])
    at.slider(key="timeline").set_value((dt.date(2024, 5, 1), dt.date(2024, 5, 2))).run()
    assert "Hmeymim Air Base" not in set(at.dataframe[0].value["Place"])
    assert "Mombasa" in set(at.dataframe[0].value["Place"])


def test_a_link_carries_the_event_types_and_the_timelines_range():
    at = AppTest.from_file(APP, default_timeout=300).run()
    at.multiselect(key="event_types").set_value(["fighting", "diplomacy"]).run()
    at.slider(key="timeline").set_value((FEB_26, FEB_26)).run()
    assert at.query_params["event"] == ["fighting", "diplomacy"]
    assert (at.query_params["event_from"], at.query_params["event_to"]) == ("2016-02-26", "2016-02-26")
    again = AppTest.from_file(APP, default_timeout=300)
    for key in ("event", "event_from", "event_to"):
        again.query_params[key] = at.query_params[key]
    again.run()
    assert not again.exception
    assert again.multiselect(key="event_types").value == ["fighting", "diplomacy"]
    assert again.slider(key="timeline").value == (FEB_26, FEB_26)
    assert set(again.dataframe[0].value["Place"]) == {"Syria"}
