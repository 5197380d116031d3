import csv
import datetime as dt
import html
import io
import json
import xml.etree.ElementTree as ET

import pytest

from geo.core.values import KINDS, MappedPlace, PlaceMention
from geo.inputs.metadata import ArticleMeta
from geo.map.mapview import STYLE
from geo.outputs.export import (
    KML_ICONS,
    KML_NAMESPACE,
    Origin,
    csv_cell,
    kml_colour,
    origins_of,
    to_csv,
    to_geojson,
    to_kml,
)

HOSTILE = 'Near Aleppo <b>&amp;</b> "quoted", commas & ]]> rockets.'


@pytest.fixture
def places(make_mention, make_place):
    aleppo = make_place("Aleppo", lat=36.2021, lon=37.1343, dataset="geonames", place_id="geonames:170063")
    return [MappedPlace(aleppo, (make_mention("Aleppo", HOSTILE),))]


def test_geojson_is_valid_and_lon_lat(places):
    data = json.loads(to_geojson(places))
    feature = data["features"][0]
    assert data["type"] == "FeatureCollection" and feature["geometry"]["coordinates"] == [37.1343, 36.2021]
    assert feature["properties"]["kind"] == "city" and feature["properties"]["excerpts"] == [HOSTILE]


def test_csv_round_trips(places):
    rows = list(csv.DictReader(io.StringIO(to_csv(places))))
    assert rows[0]["name"] == "Aleppo" and rows[0]["excerpts"] == HOSTILE and float(rows[0]["lon"]) == 37.1343


def test_kml_is_well_formed_kml_2_2(places):
    root = ET.fromstring(to_kml(places).encode())
    assert root.tag == f"{{{KML_NAMESPACE}}}kml"
    mark = root.find(f".//{{{KML_NAMESPACE}}}Placemark")
    assert mark.find(f"{{{KML_NAMESPACE}}}name").text == "Aleppo"
    description = mark.find(f"{{{KML_NAMESPACE}}}description").text
    # A KML viewer shows the description as HTML: the article's markup arrives as text, not tags.
    assert "<b>" not in description and HOSTILE in html.unescape(description)
    coords = mark.find(f".//{{{KML_NAMESPACE}}}coordinates").text
    assert coords == "37.134300,36.202100,0"  # KML too is lon,lat


@pytest.mark.parametrize("cell", ['=HYPERLINK("http://127.0.0.1/")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"])
def test_csv_cells_that_start_a_formula_are_neutralised(cell):
    assert csv_cell(cell) == "'" + cell
    assert csv_cell("Aleppo") == "Aleppo" and csv_cell(36.2) == 36.2


def test_csv_and_geojson_of_a_hostile_article(make_mention, make_place):
    article = '=cmd|"/c calc"!A1 said troops left Aleppo.'
    place = make_place("=Aleppo", lat=36.2, lon=37.1)
    rows = list(csv.reader(io.StringIO(to_csv([MappedPlace(place, (make_mention("Aleppo", article),))]))))
    assert rows[1][0] == "'=Aleppo" and rows[1][rows[0].index("excerpts")].startswith("'=cmd")


def test_written_as_has_no_invisible_controls(make_mention, make_place):
    article = "Fighting in Ale\u202eppo\u200b went on."
    mention = make_mention("Ale\u202eppo\u200b", article)
    mapped = [MappedPlace(make_place("Aleppo"), (mention,))]
    assert json.loads(to_geojson(mapped))["features"][0]["properties"]["written_as"] == ["Aleppo"]
    assert "\u202e" not in to_csv(mapped) and "\u202e" not in to_kml(mapped)


# Two fresh articles naming Aleppo, one with hostile metadata.
OLDER = "Shelling hit eastern Aleppo overnight, residents said."
NEWER = "Aid reached Aleppo on Friday, the Red Crescent said."
ORIGINS_META = {
    "older": ArticleMeta('=HYPERLINK("evil")<i>', "Wire", dt.date(2016, 3, 1), "https://a.example/x?q=1&r=2"),
    "newer": ArticleMeta(None, None, None, None),
}


@pytest.fixture
def sourced(make_mention, make_place):
    aleppo = make_place("Aleppo", lat=36.2021, lon=37.1343, place_id="geonames:170063")
    first, second = make_mention("Aleppo", OLDER), make_mention("Aleppo", NEWER)
    results = {"older": [PlaceMention(first, aleppo)], "newer": [PlaceMention(second, aleppo)]}
    origins = origins_of(results, ORIGINS_META, ["older", "newer"])
    return [MappedPlace(aleppo, (first, second))], origins


def test_origins_name_each_mentions_article_by_title_else_name(sourced):
    _, origins = sourced
    assert sorted(o.title for o in origins.values()) == ['=HYPERLINK("evil")<i>', "newer"]


def test_geojson_excerpts_carry_their_articles(sourced):
    places, origins = sourced
    properties = json.loads(to_geojson(places, origins))["features"][0]["properties"]
    assert properties["excerpts"] == [OLDER, NEWER]  # unchanged
    assert properties["excerpt_sources"] == [
        {
            "excerpt": OLDER,
            "title": '=HYPERLINK("evil")<i>',
            "date": "2016-03-01",
            "url": "https://a.example/x?q=1&r=2",
        },
        {"excerpt": NEWER, "title": "newer", "date": None, "url": None},
    ]


def test_csv_excerpts_carry_their_articles_guarded(sourced):
    places, origins = sourced
    rows = list(csv.DictReader(io.StringIO(to_csv(places, origins))))
    row = rows[0]
    assert row["excerpts"].split(" | ") == [OLDER, NEWER]
    # The title would start a formula: prefixed, as every cell is.
    assert row["articles"] == '\'=HYPERLINK("evil")<i> | newer'
    assert row["dates"] == "2016-03-01 | " and row["urls"] == "https://a.example/x?q=1&r=2 | "


def test_kml_excerpts_carry_their_articles_escaped(sourced):
    places, origins = sourced
    root = ET.fromstring(to_kml(places, origins=origins).encode())
    description = root.find(f".//{{{KML_NAMESPACE}}}description").text
    assert "<i>" not in description  # the title's markup stays text in a KML viewer
    assert '<a href="https://a.example/x?q=1&amp;r=2">' in description
    assert "2016-03-01" in description and "newer" in description


def test_kml_has_a_style_per_category_that_every_placemark_resolves(make_mention, make_place):
    places = [
        MappedPlace(make_place(f"Place {kind}", kind=kind, place_id=f"x:{kind}"), (make_mention("Aleppo", OLDER),))
        for kind in KINDS
    ]
    document = to_kml(places)
    root = ET.fromstring(document.encode())  # Google Earth's KML is XML first
    ns = {"k": KML_NAMESPACE}
    styles = {s.get("id"): s for s in root.iterfind(".//k:Style", ns)}
    marks = root.findall(".//k:Placemark", ns)
    assert len(marks) == len(KINDS)
    for mark in marks:
        url = mark.find("k:styleUrl", ns).text
        assert url.startswith("#") and url[1:] in styles, url
        kind = url.removeprefix("#kind-")
        assert mark.find("k:name", ns).text == f"Place {kind}"
        style = styles[url[1:]]
        # The map's colour (geo.map.mapview.STYLE), in KML's aabbggrr order.
        assert style.find("k:IconStyle/k:color", ns).text == kml_colour(STYLE[kind][0])
        assert style.find("k:IconStyle/k:Icon/k:href", ns).text == KML_ICONS[kind]
    assert kml_colour("#D55E00") == "ff005ed5"


def test_origin_is_a_frozen_value():
    with pytest.raises(AttributeError):
        Origin("t").title = "u"  # type: ignore[misc]


def test_cli_records_carry_the_articles_metadata_only_when_known(make_mention, make_place):
    from geo.outputs.formats import mention_record, to_feature_collection, to_jsonl

    mention = make_mention("Aleppo", OLDER)
    item = PlaceMention(mention, make_place("Aleppo"))
    meta = ArticleMeta("Shelling in Aleppo", "Wire", dt.date(2016, 3, 1), "https://a.example/x")
    plain = mention_record("a.txt", item)
    assert "title" not in plain and "date" not in plain and "url" not in plain
    record = mention_record("a.txt", item, meta, shift=30)
    assert {k: record[k] for k in ("title", "date", "url")} == {
        "title": "Shelling in Aleppo",
        "date": "2016-03-01",
        "url": "https://a.example/x",
    }
    assert (record["start"], record["end"]) == (plain["start"] + 30, plain["end"] + 30)  # counted in the file
    assert {k: v for k, v in record.items() if k not in ("title", "date", "url", "start", "end")} == {
        k: v for k, v in plain.items() if k not in ("start", "end")
    }
    lines = list(to_jsonl([("a.txt", [item]), ("b.txt", [item])], {"a.txt": meta}, {"a.txt": 30}))
    assert json.loads(lines[0])["date"] == "2016-03-01" and "date" not in json.loads(lines[1])
    features = to_feature_collection([("a.txt", [item])], {"a.txt": ArticleMeta(date=dt.date(2016, 3, 1))})
    properties = features["features"][0]["properties"]
    assert properties["doc"] == "a.txt" and properties["date"] == "2016-03-01" and "title" not in properties
