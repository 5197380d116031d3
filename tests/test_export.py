import csv
import html
import io
import json
import xml.etree.ElementTree as ET

import pytest

from geo.export import KML_NAMESPACE, csv_cell, to_csv, to_geojson, to_kml
from geo.values import MappedPlace

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
    assert rows[1][0] == "'=Aleppo" and rows[1][-1].startswith("'=cmd")


def test_written_as_has_no_invisible_controls(make_mention, make_place):
    article = "Fighting in Ale\u202eppo\u200b went on."
    mention = make_mention("Ale\u202eppo\u200b", article)
    mapped = [MappedPlace(make_place("Aleppo"), (mention,))]
    assert json.loads(to_geojson(mapped))["features"][0]["properties"]["written_as"] == ["Aleppo"]
    assert "\u202e" not in to_csv(mapped) and "\u202e" not in to_kml(mapped)
