"""Events everywhere else: the seed article read in process, the JSON lines, the GeoJSON and the
downloads carry each place's event types, actors and dates."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest

from geo.events import events_of
from geo.inputs.articles import article_of
from geo.outputs import export, formats
from geo.parse.places import group_places

PUBLISHED = dt.date(2016, 3, 14)


@pytest.fixture(scope="module")
def seed(geoparser, seed_text):
    article = article_of("seed", seed_text, "file")
    result = geoparser.parse(article.text)
    return article, result, events_of(article.text, result, article.meta.date)


def events_named(seed, name):
    _, result, events = seed
    return [events[item.mention] for item in result.mentions if item.mention.text.startswith(name)]


def test_the_seed_reads_naturally(seed):
    # A withdrawal from Hmeymim, talks in Geneva, a statement from the Kremlin.
    hmeymim = events_named(seed, "Hmeymim")
    assert any("movements" in e.types and "withdrawal" in e.triggers for e in hmeymim)
    assert any("diplomacy" in e.types and "talks" in e.triggers for e in events_named(seed, "Geneva"))
    assert any(e.types == ("diplomacy",) and "said" in e.triggers for e in events_named(seed, "Kremlin"))
    assert {e.date for e in hmeymim} == {PUBLISHED}


def test_actors_come_from_the_models_entities(seed):
    _, result, _ = seed
    assert {"NORP", "ORG"} >= {e.label for e in result.entities}
    assert any("Russian" in e.actors for e in events_named(seed, "Hmeymim"))
    assert len({(e.start, e.end) for e in result.entities}) == len(result.entities)  # a demonym once


def test_json_lines_carry_each_mentions_events(seed):
    _, result, events = seed
    lines = [json.loads(line) for line in formats.to_jsonl([("seed", result.mentions)], events=events)]
    hmeymim = next(r for r in lines if r["text"].startswith("Hmeymim"))
    assert "movements" in hmeymim["events"] and hmeymim["event_date"] == "2016-03-14"
    assert hmeymim["event_date_source"] == "published"


def test_geojson_gives_a_place_its_event_types_and_its_events_in_time_order(seed):
    _, result, events = seed
    text = "".join(formats.to_feature_collection_text([("seed", result.mentions)], events=events))
    features = {f["properties"]["name"]: f["properties"] for f in json.loads(text)["features"]}
    geneva = features["Geneva"]
    assert geneva["event_types"] == ["diplomacy"]
    assert all(e["excerpt"] and e["event_date"] == "2016-03-14" for e in geneva["events"])


def test_the_downloads_carry_event_types_dates_and_actors(seed):
    _, result, events = seed
    places = group_places(result.mentions)
    rows = {r["written_as"]: r for r in csv.DictReader(io.StringIO(export.to_csv(places, events=events)))}
    hmeymim = next(row for written, row in rows.items() if "Hmeymim" in written)
    assert "movements" in hmeymim["event_types"].split("; ")
    assert "2016-03-14 movements" in hmeymim["event_dates"]
    assert "Russian" in hmeymim["actors"]
    features = json.loads(export.to_geojson(places, events=events))["features"]
    assert any(f["properties"]["event_types"] == ["diplomacy"] for f in features)
    # Without events, the downloads are as before, the new columns empty.
    plain = next(csv.DictReader(io.StringIO(export.to_csv(places))))
    assert (
        plain["event_types"] == ""
        and "events" not in json.loads(export.to_geojson(places))["features"][0]["properties"]
    )
