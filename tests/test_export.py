import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest

from geo.export import KML_NAMESPACE, to_csv, to_geojson, to_kml
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
    assert HOSTILE in mark.find(f"{{{KML_NAMESPACE}}}description").text
    coords = mark.find(f".//{{{KML_NAMESPACE}}}coordinates").text
    assert coords == "37.134300,36.202100,0"  # KML too is lon,lat
