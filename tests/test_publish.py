"""The published HTML map: one self-contained page (geo.outputs.publish), checked as text here and
opened from disk in Chromium with the network closed in tests/test_browser_atlas.py."""

from __future__ import annotations

import json
import re

import pytest

from geo.inputs.metadata import ArticleMeta
from geo.map.tints import Tints
from geo.outputs.export import origins_of
from geo.outputs.publish import CREDITS, to_html

HOSTILE = (
    "Delegates met in Geneva <script>alert('geneva')</script> on Monday, "
    "then flew to Nairobi </script><img src=x onerror=alert(1)> for a second round."
)


@pytest.fixture(scope="module")
def published(geoparser) -> str:
    result = geoparser.parse(HOSTILE)
    meta = ArticleMeta("Talks <b>resume</b>", "Wire", None, "https://example.org/a?b=1&c=2")
    origins = origins_of({"talks": result.mentions}, {"talks": meta}, ["talks"])
    return to_html(result.places, title="Ceasefire <talks>", origins=origins, sources=[("talks", meta)])


def test_the_page_is_self_contained(published):
    assert "L.markerClusterGroup" in published and "leaflet" in published.lower()
    # Nothing is loaded from anywhere: no src= or href= to another address, a policy that forbids it.
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=", published)
    assert "default-src 'none'" in published
    assert "<title>Ceasefire &lt;talks&gt;</title>" in published
    assert CREDITS.split(".")[0] in published
    assert "Talks &lt;b&gt;resume&lt;/b&gt;</a> · Wire" in published  # the article credited, escaped
    assert "href='https://example.org/a?b=1&amp;c=2'" in published


def test_article_text_travels_as_data_never_as_markup(published):
    data = re.search(r'<script id="na-data" type="application/json">(.*?)</script>', published, re.S)
    assert data
    places = {p["name"]: p for p in json.loads(data.group(1))["places"]}
    assert {"Geneva", "Nairobi"} <= set(places)
    excerpt = "".join(places["Geneva"]["excerpts"][0]["parts"])
    assert "<script>alert('geneva')</script>" in excerpt  # the words as written, shown as text
    assert places["Geneva"]["excerpts"][0]["parts"][1] == "Geneva"
    assert "alert('geneva')</script>" not in published  # no closing tag anywhere outside the data
    assert published.count("</script>") == published.count("<script")


def test_a_readers_layer_travels_as_data_its_name_escaped_for_the_layer_control(geoparser):
    from geo.inputs.layers import read_layer

    layer = read_layer(
        b'{"type":"Feature","geometry":{"type":"Point","coordinates":[36.2,35.5]},'
        b'"properties":{"name":"<img src=x onerror=alert(1)>"}}',
        "<b>front</b>.geojson",
    )
    page = to_html(geoparser.parse(HOSTILE).places, layers=[{"name": layer.name, "features": layer.shown()}])
    data = json.loads(re.search(r'<script id="na-data" type="application/json">(.*?)</script>', page, re.S).group(1))
    assert data["layers"][0]["name"] == "&lt;b&gt;front&lt;/b&gt;"  # the control writes names as markup
    assert data["layers"][0]["features"][0]["properties"]["label"] == "<img src=x onerror=alert(1)>"  # a text node
    assert "<img src=x onerror" not in page


def _data(page: str) -> dict:
    found = re.search(r'<script id="na-data" type="application/json">(.*?)</script>', page, re.S)
    assert found
    return json.loads(found.group(1))


def _legend(page: str) -> str:
    found = re.search(r"box\.innerHTML = (\".*?\"); return box;", page, re.S)
    assert found
    return json.loads(found.group(1))


def test_a_page_coloured_by_event_type_is_published_so_with_its_legend(geoparser):
    from geo.events.annotate import events_of
    from geo.map.tints import EVENT_COLOURS, by_event_type

    text = "Talks resumed in Geneva on Monday, while shelling hit the outskirts of Idlib."
    result = geoparser.parse(text)
    events = events_of(text, result)
    page = to_html(result.places, tints=by_event_type(result.places, events))
    places = {p["name"]: p for p in _data(page)["places"]}
    assert places["Geneva"]["tint"] == EVENT_COLOURS["diplomacy"]
    assert places["Idlib"]["tint"] == EVENT_COLOURS["strikes"]
    # each marker is drawn in its tint, the shape its category's
    tinted = _data(page)["tinted"]
    assert EVENT_COLOURS["diplomacy"] in tinted[f"{places['Geneva']['kind']} {EVENT_COLOURS['diplomacy']}"]
    legend = _legend(page)
    assert f"background:{EVENT_COLOURS['diplomacy']}'></span> Diplomacy" in legend
    assert f"background:{EVENT_COLOURS['strikes']}'></span> Strikes from afar" in legend
    assert "Fighting" not in legend  # a swatch only for the types on the map
    assert "<hr>" in legend and "fill='#777'" in legend  # the categories' shapes, in grey

    plain = _legend(to_html(result.places))  # not coloured: the categories' own colours, no swatches
    assert "na-swatch" not in plain and "fill='#777'" not in plain
    assert all(p["tint"] == "" for p in _data(to_html(result.places))["places"])


def test_a_tints_legend_is_escaped_and_only_the_tints_colours_are_written(geoparser):
    from geo.map.tints import ARTICLE_COLOURS

    places = geoparser.parse(HOSTILE).places
    hostile = Tints(
        tuple((p.place.place_id, "red' onload='alert(1)") for p in places),  # no tint: the category's colour
        (("<img src=x onerror=alert(1)>", ARTICLE_COLOURS[0]), ("bad", "url(javascript:alert(1))")),
    )
    page = to_html(places, tints=hostile)
    legend = _legend(page)
    assert "&lt;img src=x onerror=alert(1)&gt;" in legend and "<img" not in legend
    assert "javascript" not in legend and "onload" not in json.dumps(_data(page))  # (Leaflet's own code has both words)
    assert all(p["tint"] == "" for p in _data(page)["places"])
