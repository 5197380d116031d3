import json
import re
import time

import pytest

from geo.core.escaping import escape_for_map, escape_markdown
from geo.core.features import Feature
from geo.core.values import KINDS, MappedPlace
from geo.map.mapview import (
    BASE_LAYERS,
    ID_MARK,
    STYLE,
    View,
    base_map,
    build_map,
    focus_zoom,
    places_geojson,
    places_layer,
    popup_html,
)

PAYLOAD = '<script>window.pwned=1</script><img src=x onerror="parent.pwned=1"> `${alert(1)}` \\ </script>'


@pytest.fixture
def mapped(make_mention, make_place):
    """``mapped(name, article, text, kind)``: a place with one mention of ``text`` in a one-sentence article."""

    def build(name="Aleppo", article="Fighting in Aleppo.", text="Aleppo", kind="city"):
        return MappedPlace(make_place(name, kind=kind), (make_mention(text, article),))

    return build


def rendered(places, **kwargs):
    return build_map(places, **kwargs).get_root().render()


def drawn(html):
    """Return (the FeatureCollection, the selected id) that the rendered map hands its places client."""
    call = re.search(r"\.naDrawPlaces\(\w+,\s*(\{.*\}),\s*(null|\"[^\"]*\"),\s*(null|\{[^}]*\})\);", html, re.S)
    assert call, "no places layer"
    return json.loads(call.group(1)), json.loads(call.group(2))


def standard(script):
    """Return a rendered map with folium's random element ids taken out."""
    return re.sub(r"_[0-9a-f]{32}", "", script)


def test_escape_for_map_neutralises_html_and_template_literals():
    escaped = escape_for_map(PAYLOAD)
    assert not set('<>`$\\"') & set(escaped)
    assert "&lt;script&gt;" in escaped and "&#96;" in escaped and "&#36;" in escaped and "&#92;" in escaped


def test_escape_markdown():
    assert escape_markdown("[x](javascript:1) *b* $x$ <i>") == ("\\[x\\]\\(javascript\\:1\\) \\*b\\* \\$x\\$ \\<i\\>")


def test_places_are_one_data_layer_with_tooltip_popup_and_legend(mapped):
    html = rendered([mapped(), mapped("Geneva", "Talks resumed in Geneva.", "Geneva", "venue")], selected="geonames:1")
    data, selected = drawn(html)
    assert html.count("L.marker(") == 1 and "L.markerClusterGroup(" in html  # one layer, drawn by the browser
    assert [f["properties"]["tip"] for f in data["features"]] == ["Aleppo · city", "Geneva · venue"]
    assert data["features"][0]["geometry"] == {"type": "Point", "coordinates": [37.16, 36.2]}  # lon, lat
    assert "Geneva" in data["features"][1]["properties"]["popup"]
    assert selected == "geonames:1"
    assert "na-legend" in html and all(kind in html for kind in ("base", "venue", "region", "country"))
    assert "markerClusterGroup" in html and "fitBounds" in html and ID_MARK in html


def test_the_base_map_is_the_same_whatever_the_places(mapped):
    # streamlit-folium keeps the browser's map (and its view) while the map's own script is unchanged.
    one = standard(base_map().get_root().render())
    assert one == standard(base_map().get_root().render())
    assert "Aleppo" not in one


def test_the_places_layer_costs_one_json_string_however_many_places(mapped):
    places = tuple(mapped(f"Place {i}", f"Fighting in Place {i}.", f"Place {i}") for i in range(1000))
    fmap = base_map()
    places_layer(places).add_to(fmap)
    html = fmap.get_root().render()
    assert html.count("L.marker(") == 1 and len(drawn(html)[0]["features"]) == 1000  # no template per place
    started = time.perf_counter()
    for _ in range(20):
        places_geojson(places)  # cached by what it shows
    assert time.perf_counter() - started < 0.5


def test_a_served_places_layer_only_names_its_data(mapped):
    fmap = base_map()
    places_layer([mapped()], selected="geonames:1", data_url="/app/static/places/abc.json").add_to(fmap)
    html = fmap.get_root().render()
    assert ".naLoadPlaces(feature_group" in html and '"/app/static/places/abc.json", "geonames:1", null)' in html
    assert "Fighting in Aleppo" not in html


def test_focus_zoom_frames_a_country_wide_and_a_base_close():
    assert focus_zoom("country") < focus_zoom("region") < focus_zoom("city") <= focus_zoom("base")
    assert focus_zoom("sea") == focus_zoom("other")  # a category the map does not know yet


def test_every_category_has_its_own_colour_and_shape():
    assert set(KINDS) <= set(STYLE)
    assert len({colour for colour, _ in STYLE.values()}) == len(STYLE)
    assert len({shape for _, shape in STYLE.values()}) == len(STYLE)


def test_empty_map_renders():
    html = rendered([])
    assert "L.map(" in html
    assert drawn(html)[0]["features"] == []


def test_article_text_never_reaches_the_map_raw(mapped):
    hostile = mapped(name="Aleppo" + PAYLOAD, article=f"Near Aleppo {PAYLOAD} the front moved.", text="Aleppo")
    html = rendered([hostile])
    assert "window.pwned" in html  # the text is there, as text
    assert "<script>window.pwned" not in html and "<img src=x" not in html
    assert "${alert" not in html
    assert "</script><img" not in html.replace("\n", "")
    data, _ = drawn(html)
    assert "&lt;script&gt;window.pwned" in data["features"][0]["properties"]["popup"]
    # Inside every template literal, no backtick but the closing one.
    for literal in re.findall(r"`([^`]*)`", html):
        assert "${" not in literal


def test_the_popup_is_short_name_category_count(make_mention, make_place):
    mentions = tuple(make_mention("Aleppo", f"Aleppo sentence number {i}.") for i in range(8))
    html = popup_html(MappedPlace(make_place(), mentions))
    assert "<b>Aleppo</b>" in html and "city · SY · 8 mentions" in html
    assert "sentence" not in html  # the excerpts are read in the pane beside the map
    assert "1 mention<" in popup_html(MappedPlace(make_place(), mentions[:1]))
    assert "&lt;b&gt;" in popup_html(MappedPlace(make_place("<b>x"), mentions[:1]))


def test_countries_and_seas_carry_their_shapes_points_do_not(make_mention, make_place):
    country = make_place("Syria", kind="country", lat=35.0, lon=38.0, feature=Feature.COUNTRY)
    syria = MappedPlace(country, (make_mention("Syria", "Syria."),))
    sea = MappedPlace(
        make_place(
            "Black Sea", kind="other", lat=43.252, lon=34.159, country=None, feature=Feature.SEA,
            place_id="naturalearth:SEA:Black Sea:43.252,34.159",
        ),
        (make_mention("Black Sea", "The Black Sea."),),
    )  # fmt: skip
    city = MappedPlace(make_place(), (make_mention("Aleppo", "Aleppo."),))
    features = json.loads(places_geojson((syria, sea, city)))["features"]
    shape, water, point = (f["properties"].get("area") for f in features)
    assert shape["type"] == "MultiPolygon" and point is None
    ring = shape["coordinates"][0][0]
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    assert 35 < min(xs) < 36.5 and 41.5 < max(xs) < 43 and 32 < min(ys) < 33.5 and 37 < max(ys) < 37.6  # Syria
    outline = water["coordinates"][0]
    assert water["type"] == "Polygon" and outline[0] == outline[-1]
    assert 27 < min(p[0] for p in outline) < 28 and 47 < max(p[1] for p in outline) < 47.5  # the sea's extent
    assert len(json.dumps(features)) < 12_000


def test_a_shared_view_is_handed_to_the_first_draw(mapped):
    fmap = base_map()
    places_layer([mapped()], view=View(35.4, 35.95, 9, "satellite")).add_to(fmap)
    html = fmap.get_root().render()
    call = re.search(r"\.naDrawPlaces\(\w+,\s*\{.*\},\s*null,\s*(\{[^}]*\})\);", html, re.S)
    assert call and json.loads(call.group(1)) == {"lat": 35.4, "lng": 35.95, "zoom": 9, "base": "satellite"}
    assert "useView(view)" in html and "selected_tags" in html  # applied once; the base layer reported back
    for key in BASE_LAYERS:
        assert f'"{key}": ' in html  # every base layer reachable by its link key


def test_seed_map_names_the_seed_places(geoparser, seed_text):
    html = rendered(geoparser.parse(seed_text).places)
    for name in ("Hmeymim Air Base", "Geneva", "The Kremlin", "Latakia", "New York City", "Syria"):
        assert name in html


def test_simplify_keeps_the_ends_and_drops_what_lies_within_the_tolerance():
    from geo.map.basemap import simplify

    line = [[0, 0], [1, 0.001], [2, 0], [3, 1], [4, 0]]
    assert simplify(line, 0.01) == [[0, 0], [2, 0], [3, 1], [4, 0]]


def test_the_detailed_basemap_is_shipped_small_and_holds_what_city_zooms_need():
    from geo.map.basemap import CLOSE_FILE, CLOSE_ZOOM, DETAIL_FILE, LAKE_ZOOM, RIVER_ZOOM, TOWN_ZOOM

    # The world's file is what it was before the city zooms' detail (2.0 MB); that is the close file.
    assert DETAIL_FILE.stat().st_size < 2_100_000 and CLOSE_FILE.stat().st_size < 1_000_000
    detail = json.loads(DETAIL_FILE.read_text(encoding="utf-8"))
    close = json.loads(CLOSE_FILE.read_text(encoding="utf-8"))
    assert {"land", "lakes", "rivers", "borders", "areas", "towns"} <= set(detail)
    assert {"minor_lakes", "minor_rivers", "towns"} <= set(close)
    assert "Natural Earth" in detail["source"] and "Natural Earth" in close["source"]
    towns = detail["towns"] + close["towns"]
    names = {town[0] for town in towns}
    # Every populated place, a mid-size town (scale rank 8) and a small one (10) too.
    assert len(towns) > 7000 and {"Damascus", "Chernihiv", "Douma", "B'abda"} <= names
    assert "Damascus" in {town[0] for town in detail["towns"]} and "Chernihiv" not in {
        town[0] for town in detail["towns"]
    }
    ranks = [town[3] for town in towns]
    assert ranks == sorted(ranks)  # the browser names them in this order: the most important first
    assert {rank for rank, _ in close["minor_rivers"]} >= {7, 8, 9} and len(close["minor_lakes"]) > 500
    # Each rank shows from a zoom no farther out than the rank before it; all by city zooms (10).
    for table in (TOWN_ZOOM, RIVER_ZOOM, LAKE_ZOOM):
        assert list(table) == sorted(table) and table[-1] <= 10 and len(table) == 11
    assert max(ranks) < len(TOWN_ZOOM)
    # Nothing in the close file shows farther out than the zoom that fetches it.
    shown_from = [TOWN_ZOOM[t[3]] for t in close["towns"]] + [RIVER_ZOOM[r] for r, _ in close["minor_rivers"]]
    assert min(shown_from + [LAKE_ZOOM[r] for r, _ in close["minor_lakes"]]) == CLOSE_ZOOM


def test_the_basemap_is_split_into_the_worlds_file_and_the_close_zooms():
    from geo.map.basemap import split_detail

    detail = {"scale": 1000, "source": "Natural Earth", "land": [[[0, 0, 1, 1]]], "minor_rivers": [[8, [0, 0, 1, 1]]]}
    detail["towns"] = [["Damascus", 36.3, 33.5, 1], ["Hims", 36.7, 34.7, 6], ["Chernihiv", 31.3, 51.5, 8]]
    world, close = split_detail(detail)
    assert [t[0] for t in world["towns"]] == ["Damascus", "Hims"] and "minor_rivers" not in world
    assert [t[0] for t in close["towns"]] == ["Chernihiv"] and close["minor_rivers"] == detail["minor_rivers"]
    assert "land" not in close and close["scale"] == 1000


def test_the_offline_basemap_script_gets_the_zoom_tables():
    from geo.map.basemap import TOWN_LIMIT, TOWN_ZOOM

    html = base_map(outlines_url="/o.json", detail_url="/d.json").get_root().render()
    assert f'"towns": {json.dumps(list(TOWN_ZOOM))}' in html and f"taken.length < {TOWN_LIMIT}" in html
    assert 'fetch("/basemap-close.json")' in html  # served beside the world's file


@pytest.mark.parametrize(
    ("view", "base", "expected"),
    [
        ("35.4,35.95,9", "satellite", View(35.4, 35.95, 9, "satellite")),
        ("35.4,35.95,9.4", "", View(35.4, 35.95, 9, None)),
        ("-10,-170.5,40", "nope", View(-10, -170.5, 18, None)),  # zoom clamped, unknown base dropped
        ("1,2,-5", "offline", View(1, 2, 1, "offline")),
        ("91,0,3", "", None),  # off the map
        ("0,181,3", "", None),
        ("nan,0,3", "", None),
        ("0,inf,3", "", None),
        ("1,2", "", None),
        ("1,2,3,4", "", None),
        ("a,b,c", "", None),
        ("1" * 70 + ",2,3", "", None),  # overlong
        ("", "", None),
    ],
)
def test_a_link_view_is_parsed_bounded_and_validated(view, base, expected):
    from ui.link import link_of, view_param

    link = link_of({"view": [view], "base": [base]})
    assert link.view == expected
    if expected is not None:  # what share writes, link_of reads back
        written = view_param(expected)
        assert link_of({k: [v] if isinstance(v, str) else v for k, v in written.items()}).view == expected


def test_a_focused_country_is_framed_whole_a_point_at_its_categorys_zoom(make_place):
    from geo.map.mapview import framing

    def country(name, code, lat, lon):
        return make_place(name, kind="country", lat=lat, lon=lon, country=code, feature=Feature.COUNTRY)

    lat, lng, zoom = framing(country("Syria", "SY", 35.0, 38.0))
    assert 34 < lat < 36 and 38 < lng < 40 and zoom == 6  # Syria's ~7° by ~5° fill a 640 px map at 6
    lat, lng, zoom = framing(country("Russia", "RU", 60.0, 100.0))
    assert zoom == 2 and 90 < lng < 120  # across the antimeridian: framed on its land, not the world
    assert framing(country("Fiji", "FJ", -18.0, 178.0))[2] >= 6
    assert framing(make_place()) == (36.2, 37.16, focus_zoom("city"))  # a point: its category's zoom


def test_every_place_can_be_labelled_and_the_theatres_points_come_first(mapped):
    from geo.map.mapview import LABEL_LIMIT, LABEL_RANK

    html = rendered([mapped(), mapped("Latakia", "Near Latakia.", "Latakia", "region")], selected="geonames:1")
    data, _ = drawn(html)
    assert [f["properties"]["n"] for f in data["features"]] == [1, 1]  # mentions: a label's claim
    # Labels are laid out on the screen: the code, a label per marker and one per bubble, four sides.
    assert "map.naLayout = layout" in html and html.count("class='na-label'") == 2
    assert all(f".na-pin .na-at-{side}" in html for side in "rltb")
    assert "na-labels" not in html  # no more names shown only from a fixed zoom
    assert set(KINDS) <= set(LABEL_RANK) and 10 <= LABEL_LIMIT <= 200
    assert min(LABEL_RANK[k] for k in ("base", "venue", "city")) > max(LABEL_RANK[k] for k in ("region", "country"))
    # The theatre zooms (6 and closer) gather only places at one spot.
    assert "zoom >= 6 ? 3 :" in html


def test_the_map_frames_the_places_and_offers_a_button_to_frame_them_again(mapped):
    from geo.map.mapview import ZOOM_TO_PLACES

    html = rendered([mapped()])
    assert "map.naFramePlaces = function" in html and ".naFramePlaces(data.features" in html
    assert html.count(ZOOM_TO_PLACES) >= 2  # the button's title and its accessible name
    assert 'link.setAttribute("aria-label", "Zoom to the places shown")' in html


def test_offline_the_layer_control_lists_offline_maps_only_and_the_key_folds(mapped):
    from geo.map.mapview import NEEDS_NETWORK

    html = rendered([mapped()])
    assert "control.removeLayer(layer)" in html and json.dumps(NEEDS_NETWORK) in html
    assert "line-through" not in html  # no crossed-out layers
    assert "na-legend-toggle" in html and "fold(map.getSize().x < 640)" in html
    # The dark basemap's towns are written light on dark; the light one's dark on light.
    assert '"na-town na-town-dark"' not in html  # embedded outlines: no served towns here
    served = base_map(outlines_url="/o.json", detail_url="/d.json").get_root().render()
    assert '"na-town na-town-dark"' in served and '"na-town"' in served
    assert ".na-town-dark span{color:#eef1f4" in served


def test_sources_are_worded_for_readers_and_keep_their_data_set():
    from geo.core.provenance import Match, Provenance, Step, source_text, source_words

    country = Provenance(Step.GAZETTEER, "countryinfo")
    near = Provenance(Step.NEAR_MISS, "landmarks", Match.NEAR_MISS)
    assert source_words(country) == "country outline" and source_text(country) == "countryinfo"
    assert source_words(near) == "News Atlas landmarks, near miss"
    assert source_words(Provenance(Step.CORRECTION, "correction")) == "correction"
    assert source_words(Provenance(Step.GAZETTEER, "somewhere-new")) == "somewhere-new"
