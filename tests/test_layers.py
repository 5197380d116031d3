"""The reader's own layers (geo.inputs.layers): GeoJSON, KML and CSV read as untrusted input, an
ACLED-style export imported and filtered by date and type, a layer carried by the atlas file, the
map's overlay data escaped, and the session's bounds (ui.layers)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random

import pytest

from geo.core.errors import LayerError
from geo.inputs.layers import MAX_DEPTH, MAX_FEATURES, MAX_XML_DEPTH, Layer, read_layer
from geo.map.layers import layers_json
from geo.outputs.atlas import Atlas, AtlasFileError, read_atlas, to_json

#: ACLED's columns (a subset of a real export's, in its order).
ACLED_COLUMNS = (
    "event_id_cnty",
    "event_date",
    "year",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "country",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "source",
    "notes",
    "fatalities",
)
#: Towns of northern Syria with their coordinates (GeoNames), where the synthetic events happen.
TOWNS = (
    ("Idlib", 35.9306, 36.6339),
    ("Saraqib", 35.8644, 36.8006),
    ("Maarat al-Numan", 35.6433, 36.6767),
    ("Aleppo", 36.2021, 37.1343),
    ("Afrin", 36.5119, 36.8692),
    ("Jisr al-Shughur", 35.8124, 36.3185),
)
EVENT_TYPES = ("Battles", "Explosions/Remote violence", "Protests", "Strategic developments")


def acled_csv(rows: int = 300, seed: int = 7) -> bytes:
    """Return an ACLED-style export of ``rows`` synthetic events in early 2020 (our own rows, in
    ACLED's columns and conventions), one with a hostile note."""
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(ACLED_COLUMNS)
    for number in range(rows):
        town, lat, lon = rng.choice(TOWNS)
        day = dt.date(2020, 1, 1) + dt.timedelta(days=rng.randrange(90))
        kind = EVENT_TYPES[number % len(EVENT_TYPES)]
        note = (
            "<script>alert('acled')</script> shelling reported"
            if number == 5
            else f"On {day:%d %B %Y}, {kind.lower()} near {town}."
        )
        writer.writerow(
            (
                f"SYR{number:05d}",
                day.isoformat(),
                day.year,
                "Political violence",
                kind,
                "Shelling/artillery/missile attack" if "Explosions" in kind else "Armed clash",
                "Military Forces of Syria (2000-)",
                "Syria",
                "Idleb",
                town,
                f"{lat + rng.uniform(-0.02, 0.02):.4f}",
                f"{lon + rng.uniform(-0.02, 0.02):.4f}",
                "Syrian Observatory for Human Rights",
                note,
                rng.randrange(4),
            )
        )
    return out.getvalue().encode("utf-8")


def refused(data: bytes | str, filename: str, **options) -> str:
    with pytest.raises(LayerError) as err:
        read_layer(data.encode("utf-8") if isinstance(data, str) else data, filename, **options)
    message = str(err.value)
    assert "\n" not in message and "Traceback" not in message
    return message


# ------------------------------------------------------------------------------------------- CSV


def test_an_acled_export_imports_as_a_layer_with_dates_and_types_that_filter():
    layer = read_layer(acled_csv(300), "acled_syria_2020.csv")
    assert (layer.name, layer.source, len(layer.features)) == ("acled syria 2020", "csv", 300)
    first = layer.features[0]
    properties = first["properties"]
    assert properties["event_type"] == properties["type"] == "Battles"
    assert properties["label"] == properties["location"] and properties["location"] in {t[0] for t in TOWNS}
    assert properties["date"] == properties["event_date"]
    lon, lat = first["geometry"]["coordinates"]
    assert 35.5 < lat < 36.6 and 36.2 < lon < 37.2
    assert layer.dates() is not None and layer.dates()[0] >= dt.date(2020, 1, 1)
    assert layer.kinds() == tuple(sorted(EVENT_TYPES))
    # A date filter keeps the events of those days and no others.
    march = Layer(**{**layer.__dict__, "date_from": dt.date(2020, 3, 1), "date_to": dt.date(2020, 3, 15)})
    kept = march.shown()
    assert 0 < len(kept) < 300
    assert all("2020-03-01" <= f["properties"]["date"] <= "2020-03-15" for f in kept)
    expected = sum("2020-03-01" <= f["properties"]["date"] <= "2020-03-15" for f in layer.features)
    assert len(kept) == expected
    protests = Layer(**{**layer.__dict__, "types": ("Protests",)})
    assert len(protests.shown()) == 75 and {f["properties"]["type"] for f in protests.shown()} == {"Protests"}
    # The hostile note is kept as text (escaped where shown: see the overlay test).
    assert layer.features[5]["properties"]["note"] == "<script>alert('acled')</script> shelling reported"


def test_older_acled_dates_semicolons_and_a_bom_are_read():
    text = "\ufeffevent_date;event_type;location;latitude;longitude\n15 March 2020;Battles;Idlib;35.93;36.63\n"
    layer = read_layer(text.encode("utf-8"), "old.csv")
    assert layer.features[0]["properties"]["date"] == "2020-03-15"


def test_hostile_csv_files_each_get_one_sentence():
    assert "off the map" in refused("latitude,longitude\n123,36\n", "a.csv")
    assert "row 3" in refused("latitude,longitude\n35,36\n35,400\n", "a.csv")
    assert "not numbers" in refused("lat,lon\nnorth,east\n", "a.csv")
    assert "no latitude and longitude" in refused("town,when\nIdlib,2020-01-01\n", "a.csv")
    assert "not UTF-8" in refused(b"lat,lon\n\xff\xfe,1\n", "a.csv")
    assert f"more than {MAX_FEATURES:,} rows" in refused(acled_csv(MAX_FEATURES + 1), "big.csv")
    assert "MB" in refused(acled_csv(300), "a.csv", max_bytes=10_000)
    assert "empty" in refused(b"   \n", "a.csv")
    assert ".geojson, .json, .kml or .csv" in refused(b"lat,lon\n1,2\n", "a.xlsx")
    assert "off the map" in refused("lat,lon\nnan,1\n", "a.csv")


# --------------------------------------------------------------------------------------- GeoJSON


FRONT = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "geometry": {"type": "LineString", "coordinates": [[36.1, 35.2], [36.6, 35.6]]},
            "properties": {"name": "Front <img src=x onerror=alert(1)>", "when": "2020-02-11", "extra": {"a": [1]}},
        },
        {"type": "Feature", "geometry": None, "properties": {"name": "nowhere"}},
        {
            "type": "Feature",
            "geometry": {
                "type": "MultiPolygon",
                "coordinates": [[[[36.0, 35.0], [36.3, 35.0], [36.3, 35.3], [36.0, 35.0]]]],
            },
            "properties": {"label": "Area"},
        },
    ],
}


def test_a_geojson_layer_keeps_its_geometry_and_flat_properties():
    layer = read_layer(json.dumps(FRONT).encode(), "front.geojson")
    assert [f["geometry"]["type"] for f in layer.features] == ["LineString", "MultiPolygon"]  # the null one left out
    line = layer.features[0]["properties"]
    assert line["label"] == "Front <img src=x onerror=alert(1)>" and line["date"] == "2020-02-11"
    assert line["extra"] == '{"a": [1]}'  # nested values flattened to their text
    bare = read_layer(b'{"type": "Point", "coordinates": [36.2, 35.5]}', "point.json")
    assert bare.features[0]["geometry"]["coordinates"] == [36.2, 35.5]


def test_hostile_geojson_files_each_get_one_sentence():
    assert f"nested more than {MAX_DEPTH}" in refused("[" * 100_000 + "]" * 100_000, "deep.geojson")
    deep = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [1, 2]}, "properties": {}}
    for _ in range(20):
        deep = {"a": deep}
    assert "nested more than" in refused(json.dumps(deep), "deep.geojson")
    off = json.loads(json.dumps(FRONT))
    off["features"][0]["geometry"]["coordinates"][1] = [36.6, 95.0]
    assert "off the map" in refused(json.dumps(off), "off.geojson")
    assert "not JSON" in refused('{"type": "Point", "coordinates": [NaN, 1]}', "nan.geojson")
    assert "not JSON" in refused("{nope", "bad.geojson")
    assert "not GeoJSON" in refused('{"type": "Topology"}', "topo.json")
    assert "no features" in refused('{"type": "FeatureCollection", "features": []}', "empty.geojson")
    many = {"type": "FeatureCollection", "features": [FRONT["features"][0]] * (MAX_FEATURES + 1)}
    assert f"at most {MAX_FEATURES:,}" in refused(json.dumps(many), "many.geojson")
    ring = [[36.0 + i * 1e-6, 35.0] for i in range(200_001)]
    huge = {"type": "LineString", "coordinates": ring}
    assert "more than 200,000 positions" in refused(json.dumps(huge), "huge.geojson")


# ------------------------------------------------------------------------------------------- KML

KML = b"""<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Folder>
<Placemark><name>Checkpoint &lt;script&gt;alert(1)&lt;/script&gt;</name>
<description><![CDATA[<p>Seen <b>Tuesday</b></p>]]></description>
<TimeStamp><when>2020-02-11</when></TimeStamp>
<ExtendedData><Data name="unit"><value>12th brigade</value></Data></ExtendedData>
<Point><coordinates>36.63,35.93,0</coordinates></Point></Placemark>
<Placemark><name>Road</name><LineString><coordinates>36.6,35.9 36.8,35.86</coordinates></LineString></Placemark>
<Placemark><name>Zone</name><MultiGeometry>
<Polygon><outerBoundaryIs><LinearRing><coordinates>36,35 36.3,35 36.3,35.3 36,35</coordinates></LinearRing>
</outerBoundaryIs></Polygon>
<Polygon><outerBoundaryIs><LinearRing><coordinates>37,36 37.3,36 37.3,36.3 37,36</coordinates></LinearRing>
</outerBoundaryIs></Polygon></MultiGeometry></Placemark>
</Folder></Document></kml>"""


def test_a_kml_layer_reads_points_lines_multigeometries_and_their_details():
    layer = read_layer(KML, "checkpoints.kml")
    assert layer.source == "kml"
    assert [f["geometry"]["type"] for f in layer.features] == ["Point", "LineString", "MultiPolygon"]
    point = layer.features[0]["properties"]
    assert point["label"] == "Checkpoint <script>alert(1)</script>"  # text; escaped where shown
    assert point["note"].split() == ["Seen", "Tuesday"] and point["date"] == "2020-02-11"
    assert point["unit"] == "12th brigade"


def test_hostile_kml_files_each_get_one_sentence():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
        b"<kml><Placemark><name>&b;</name><Point><coordinates>1,2</coordinates></Point></Placemark></kml>"
    )
    assert "entities or a DTD" in refused(bomb, "bomb.kml")
    external = b'<?xml version="1.0"?><!DOCTYPE kml SYSTEM "file:///etc/passwd"><kml/>'
    assert "entities or a DTD" in refused(external, "ext.kml")
    deep = b"<kml>" + b"<Folder>" * (MAX_XML_DEPTH + 5) + b"</Folder>" * (MAX_XML_DEPTH + 5) + b"</kml>"
    assert f"more than {MAX_XML_DEPTH} elements deep" in refused(deep, "deep.kml")
    assert "not well-formed" in refused(b"<kml><Placemark>", "broken.kml")
    off = KML.replace(b"36.63,35.93,0", b"36.63,135.93,0")
    assert "off the map" in refused(off, "off.kml")
    assert "longitude,latitude" in refused(KML.replace(b"36.63,35.93,0", b"east"), "bad.kml")
    assert "no features" in refused(b"<kml><Document/></kml>", "empty.kml")


# ---------------------------------------------------------------------------------- atlas and map


def test_the_atlas_file_round_trips_a_layer_with_its_filters_and_reads_version_one():
    layer = read_layer(acled_csv(40), "acled.csv")
    filtered = Layer(**{**layer.__dict__, "date_from": dt.date(2020, 2, 1), "types": ("Battles",)})
    again = read_atlas(to_json(Atlas("Idlib", layers=(filtered,))))
    assert again.layers == (filtered,)
    assert len(again.layers[0].shown()) == len(filtered.shown()) > 0
    old = json.loads(to_json(Atlas("Idlib", layers=(layer,))))
    old["version"] = 1
    for entry in old["layers"]:
        for key in ("source", "from", "to", "types"):
            entry.pop(key)
    read = read_atlas(json.dumps(old))
    assert read.layers[0].features == layer.features and read.layers[0].source == "atlas"
    broken = json.loads(to_json(Atlas("Idlib", layers=(filtered,))))
    broken["layers"][0]["types"] = [{"a": 1}]
    with pytest.raises(AtlasFileError):
        read_atlas(json.dumps(broken))


def test_the_map_overlay_carries_escaped_names_and_text_rows_only():
    layer = read_layer(KML, "<b>checkpoints</b>.kml")
    data = layers_json([layer])
    assert "<" not in data and ">" not in data  # nothing in it can end the script
    parsed = json.loads(data)
    assert parsed[0]["name"] == "&lt;b&gt;checkpoints&lt;/b&gt;"  # Leaflet's layer control writes names as markup
    rows = parsed[0]["features"][0]["properties"]["rows"]
    assert rows[0] == ["label", "Checkpoint <script>alert(1)</script>"]  # a text node in the browser
    hidden = Layer(**{**layer.__dict__, "date_from": dt.date(2021, 1, 1)})
    assert len(json.loads(layers_json([hidden]))[0]["features"]) == 2  # the dated checkpoint filtered out


def test_public_mode_bounds_a_sessions_layers(monkeypatch):
    from ui import layers as ui_layers

    monkeypatch.setenv("NEWS_ATLAS_PUBLIC", "1")
    held: tuple[Layer, ...] = ()
    for _ in range(ui_layers.PUBLIC_MAX_LAYERS):
        held = ui_layers.import_layer(KML, "checkpoints.kml", held)
    assert [x.name for x in held][:2] == ["checkpoints", "checkpoints (2)"]
    with pytest.raises(LayerError, match="5 layers at most"):
        ui_layers.import_layer(KML, "checkpoints.kml", held)
    with pytest.raises(LayerError, match=r"up to 1\.0 MB"):
        ui_layers.import_layer(acled_csv(5000), "big.csv", ())
    monkeypatch.delenv("NEWS_ATLAS_PUBLIC")
    with pytest.raises(LayerError, match="together at most"):
        ui_layers.import_layer(acled_csv(10), "more.csv", (read_layer(acled_csv(4995), "a.csv"),))
