"""The reader's layers in the app, run headless with AppTest: a layer imported into the session is
drawn as its own overlay, filtered by its dates in the sidebar, carried by the atlas file, and the
picture of the map is offered beside the other downloads."""

from __future__ import annotations

import datetime as dt
import json
import re

from streamlit.testing.v1 import AppTest

from geo.outputs.atlas import read_atlas, to_json
from tests.conftest import ROOT
from tests.test_app import APP, map_html
from tests.test_layers import acled_csv
from ui import layers as ui_layers
from ui.atlas import Current, build


def overlay_data(at: AppTest) -> list[dict]:
    """Return the reader's layers as the map's overlay script receives them (geo.map.layers): served
    from static/ (geo.map.assets.publish), or written into the map."""
    script = map_html(at)
    served = re.search(r'var url = "/app/static/([^"]+)";', script)
    if served:
        return json.loads((ROOT / "static" / served.group(1)).read_text(encoding="utf-8"))
    found = re.search(r"draw\((\[.*?\])\);\n", script, re.S)
    assert found, "no overlay of the reader's layers on the map"
    return json.loads(found.group(1))


def test_an_imported_acled_layer_is_drawn_filtered_by_date_and_saved_with_the_atlas():
    layers = ui_layers.import_layer(acled_csv(300), "acled_idlib.csv", ())
    at = AppTest.from_file(APP, default_timeout=300)
    at.session_state[ui_layers.LAYERS_KEY] = list(layers)
    at.run()
    assert not at.exception
    drawn = overlay_data(at)
    assert [x["name"] for x in drawn] == ["acled idlib"] and len(drawn[0]["features"]) == 300
    slider = next(x for x in at.sidebar.slider if x.label == "Dates shown")
    first, last = slider.value
    assert first < last and first >= dt.date(2020, 1, 1)
    slider.set_value((dt.date(2020, 3, 1), last)).run()
    assert not at.exception
    kept = overlay_data(at)[0]["features"]
    assert 0 < len(kept) < 300
    assert all(row[1] >= "2020-03-01" for f in kept for row in f["properties"]["rows"] if row[0] == "date")
    said = " ".join(c.value for c in at.sidebar.caption)
    assert f"{len(kept)} of 300 features shown" in said
    # The layer, with its filter, goes into the atlas as the session holds it.
    held = tuple(at.session_state[ui_layers.LAYERS_KEY])
    assert held[0].date_from == dt.date(2020, 3, 1)
    again = read_atlas(to_json(build("Idlib", Current((), _filters(), None, None, held), _NoCorrections())))
    assert len(again.layers[0].shown()) == len(kept)
    # The picture of the map is offered beside the other downloads.
    labels = [b.proto.label for b in at.get("download_button")]
    assert {"GeoJSON", "CSV", "KML", "HTML map", "PNG", "SVG"} <= set(labels)


def test_switching_a_layer_off_and_removing_it():
    layers = ui_layers.import_layer(acled_csv(20), "acled.csv", ())
    at = AppTest.from_file(APP, default_timeout=300)
    at.session_state[ui_layers.LAYERS_KEY] = list(layers)
    at.run()
    next(x for x in at.sidebar.checkbox if x.label == "Show on the map").uncheck().run()
    assert overlay_data(at)[0]["visible"] is False
    remove = next(b for b in at.sidebar.button if b.label == "Remove this layer")
    remove.click().run()
    assert not at.exception
    assert "ReaderTicket" not in map_html(at)  # no layers: the map is as it was before any
    assert at.session_state[ui_layers.LAYERS_KEY] == []


def _filters():
    from geo.core.values import KINDS
    from ui.sidebar import Filters

    return Filters(KINDS, (), (), 1)


class _NoCorrections:
    def edits(self, article: str):
        from geo.store.corrections import Edits

        return Edits()


#: What streamlit-folium reports after the reader drew a line and an area with the toolbar.
DRAWINGS = [
    {
        "type": "Feature",
        "properties": {},
        "geometry": {"type": "LineString", "coordinates": [[35.95, 35.45], [35.89, 34.89]]},
    },
    {
        "type": "Feature",
        "properties": {},
        "geometry": {"type": "Polygon", "coordinates": [[[36.0, 35.0], [36.3, 35.0], [36.3, 35.3], [36.0, 35.0]]]},
    },
    {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [500, 35]}},  # off the map
]


def test_drawings_become_the_drawn_layer_with_a_label_and_note():
    at = AppTest.from_file(APP, default_timeout=300).run()
    at.checkbox(key="layer_draw").check().run()
    assert not at.exception
    script = map_html(at)
    assert "L.Control.Draw" in script
    assert "/app/static/vendor/draw/leaflet.draw.js" in json.dumps(at.main.get("component_instance")[0].proto.json_args)
    at.session_state["map"] = {"all_drawings": DRAWINGS}
    at.run()
    assert not at.exception
    drawn = [x for x in at.session_state[ui_layers.LAYERS_KEY] if x.source == "drawn"]
    assert len(drawn) == 1 and [f["geometry"]["type"] for f in drawn[0].features] == ["LineString", "Polygon"]
    label = next(x for x in at.sidebar.text_input if x.label == "Label")
    label.input("Coast road <script>alert(1)</script>").run()
    next(x for x in at.sidebar.text_area if x.label == "Note").input("seen from the air").run()
    next(b for b in at.sidebar.button if b.label == "Save the label and note").click().run()
    assert not at.exception
    rows = overlay_data(at)[0]["features"][0]["properties"]["rows"]
    assert rows[:2] == [["label", "Coast road <script>alert(1)</script>"], ["note", "seen from the air"]]
    # A drawing is taken once: the same report on the next run adds nothing.
    at.session_state["map"] = {"all_drawings": DRAWINGS}
    at.run()
    assert len(next(x for x in at.session_state[ui_layers.LAYERS_KEY] if x.source == "drawn").features) == 2


def test_the_sidebar_importer_reads_an_acled_file_and_refuses_a_hostile_one_changing_nothing():
    at = AppTest.from_file(APP, default_timeout=300).run()
    importer = at.file_uploader(key="layer_file")
    importer.set_value(("bomb.kml", b'<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY a "a">]><kml/>', "text/xml")).run()
    assert not at.exception
    assert any("The layer cannot be imported" in e.value for e in at.sidebar.error)
    assert ui_layers.LAYERS_KEY not in at.session_state or not at.session_state[ui_layers.LAYERS_KEY]
    assert "ReaderTicket" not in map_html(at)  # nothing was added
    at.file_uploader(key="layer_file").set_value(("acled_idlib.csv", acled_csv(120), "text/csv")).run()
    assert not at.exception
    said = " ".join(s.value for s in at.sidebar.success).replace("\\", "")
    assert "Imported the layer “acled idlib”: 120 features, dated 2020-01-" in said
    drawn = overlay_data(at)
    assert [x["name"] for x in drawn] == ["acled idlib"] and len(drawn[0]["features"]) == 120


def test_in_public_mode_a_visitors_layer_stays_out_of_the_served_folder(monkeypatch):
    monkeypatch.setenv("NEWS_ATLAS_PUBLIC", "1")
    layers = ui_layers.import_layer(acled_csv(30), "acled.csv", ())
    at = AppTest.from_file(APP, default_timeout=300)
    at.session_state[ui_layers.LAYERS_KEY] = list(layers)
    at.run()
    assert not at.exception
    script = map_html(at)
    assert "var url = null;" in script  # written into the map, not published
    assert len(overlay_data(at)[0]["features"]) == 30
