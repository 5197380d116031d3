"""The reader's own layers on the map: each one an overlay of its own, switched in the map's layer
control, its features drawn in the layer's colour with a popup of their label, note, date and type.

The layers travel as JSON data (``layers_json``: the layer names HTML-escaped, because Leaflet's
layer control writes names as markup; everything else plain text) to a small script that builds
each popup and tooltip from DOM text nodes, so a label of ``<script>…</script>`` shows as those
characters. The script replaces the reader's overlays of the previous run and keeps the ones the
reader switched off switched off. It uses the layer control of ``geo.map.mapview``'s map
(``map.naControl``), or makes a control of its own when there is none.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

import folium
from branca.element import MacroElement, Template
from folium.plugins import Draw

from geo.core.escaping import escape_for_map, script_json
from geo.inputs.layers import Layer

__all__ = ["LAYER_COLOURS", "POPUP_FIELDS", "draw_control", "layer_colour", "layers_json", "layers_overlay"]

#: One colour a layer, in order (Paul Tol's "vibrant" set: apart from the places' Okabe–Ito
#: colours, and told apart with the common colour-vision deficiencies).
LAYER_COLOURS: tuple[str, ...] = ("#EE7733", "#0077BB", "#33BBEE", "#EE3377", "#CC3311", "#009988", "#BBBBBB")
#: The properties a feature's popup shows first, in this order; a few others follow.
POPUP_FIELDS = ("label", "date", "type", "note")
#: Most further properties a popup lists.
MORE_FIELDS = 6


def layer_colour(number: int) -> str:
    """Return the colour of the reader's ``number``-th layer (0 first)."""
    return LAYER_COLOURS[number % len(LAYER_COLOURS)]


def _popup_rows(properties: dict[str, Any]) -> list[list[str]]:
    rows = [[key, str(properties[key])] for key in POPUP_FIELDS if properties.get(key) not in (None, "")]
    said = {str(properties[key]) for key in POPUP_FIELDS if properties.get(key) not in (None, "")}
    # A file's own column that the label or note repeats (ACLED's location) is not shown twice.
    others = [k for k in properties if k not in POPUP_FIELDS and properties[k] not in (None, "")]
    others = [k for k in others if str(properties[k]) not in said]
    rows += [[key, str(properties[key])[:200]] for key in others[:MORE_FIELDS]]
    return rows


#: The overlay data made for the last few sets of layers, by their identity (their features' tuples,
#: held in the entry so that an id is not reused while it is a key) and their filters: a rerun that
#: shows the same layers costs a look-up, not the JSON of 5,000 features (about 0.4 s).
_MADE: OrderedDict[tuple[object, ...], tuple[tuple[Layer, ...], str]] = OrderedDict()
_MADE_MAX = 8
_MADE_LOCK = threading.Lock()  # sessions run in threads


def layers_json(layers: Sequence[Layer]) -> str:
    """Return the layers as the overlay script's data: per layer its escaped name, colour, whether
    shown, and its features that the filters keep, each with the rows of its popup (text)."""
    held = tuple(layers)
    key = tuple((id(x.features), x.name, x.visible, x.date_from, x.date_to, x.types) for x in held)
    with _MADE_LOCK:
        if key in _MADE:
            _MADE.move_to_end(key)
            return _MADE[key][1]
    text = _layers_json(held)
    with _MADE_LOCK:
        _MADE[key] = (held, text)
        while len(_MADE) > _MADE_MAX:
            _MADE.popitem(last=False)
    return text


def _layers_json(layers: Sequence[Layer]) -> str:
    data = [
        {
            "name": escape_for_map(layer.name),
            "colour": layer_colour(number),
            "visible": layer.visible,
            "features": [
                {
                    "type": "Feature",
                    "geometry": feature["geometry"],
                    "properties": {"rows": _popup_rows(feature["properties"])},
                }
                for feature in layer.shown()
            ],
        }
        for number, layer in enumerate(layers)
    ]
    return script_json(data)  # written inside a <script>


class _ReaderLayers(MacroElement):
    """The browser's half: ``layers_json``'s layers drawn as overlays in the map's layer control."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent._parent.get_name() }};
            var url = {{ this.url|tojson }};
            map.naReaderTicket = (map.naReaderTicket || 0) + 1;
            var ticket = map.naReaderTicket;
            if (url) {
                // Served as a file (geo.map.assets.publish): fetched, then drawn unless newer layers came.
                fetch(url)
                    .then(function (response) {
                        if (!response.ok) { throw new Error("HTTP " + response.status); }
                        return response.json();
                    })
                    .then(function (data) { if (ticket === map.naReaderTicket) { draw(data); } })
                    .catch(function (err) { console.warn("layers not loaded", url, String(err)); });
            } else {
                draw({{ this.data }});
            }
            function draw(data) {
            // The map's own layer control (geo.map.mapview names it on the map), else one of ours.
            var control = map.naControl || null;
            if (!control) {
                if (!map.naReaderControl) {
                    map.naReaderControl = L.control.layers(null, null, {collapsed: false}).addTo(map);
                }
                control = map.naReaderControl;
            }
            map.naReaderHidden = map.naReaderHidden || {};
            (map.naReaderLayers || []).forEach(function (old) {
                if (!map.hasLayer(old)) { map.naReaderHidden[old.naName] = true; }
                else { delete map.naReaderHidden[old.naName]; }
                map.naReaderDropping = true;
                control.removeLayer(old);
                if (map.hasLayer(old)) { map.removeLayer(old); }
                map.naReaderDropping = false;
            });
            map.naReaderLayers = [];
            function popup(rows) {
                var box = document.createElement("div");
                box.className = "na-layer-popup";
                rows.forEach(function (row, i) {
                    var line = document.createElement("div");
                    if (i === 0 && row[0] === "label") {
                        var b = document.createElement("b");
                        b.textContent = row[1];
                        line.appendChild(b);
                    } else {
                        var key = document.createElement("span");
                        key.style.color = "#555";
                        key.textContent = row[0] + ": ";
                        line.appendChild(key);
                        line.appendChild(document.createTextNode(row[1]));
                    }
                    box.appendChild(line);
                });
                return box;
            }
            data.forEach(function (layer) {
                var style = {color: layer.colour, weight: 3, opacity: 0.9, fillColor: layer.colour, fillOpacity: 0.25};
                var group = L.geoJSON({type: "FeatureCollection", features: layer.features}, {
                    style: function () { return style; },
                    pointToLayer: function (feature, latlng) {
                        return L.circleMarker(latlng, {radius: 6, color: "#fff", weight: 1.5, fillColor: layer.colour,
                            fillOpacity: 0.95, className: "na-layer-point"});
                    },
                    onEachFeature: function (feature, drawn) {
                        var rows = feature.properties.rows || [];
                        drawn.bindPopup(function () { return popup(rows); }, {maxWidth: 280});
                        if (rows.length && rows[0][0] === "label") {
                            var tip = document.createElement("span");
                            tip.textContent = rows[0][1];
                            drawn.bindTooltip(tip);
                        }
                    }
                });
                group.naName = layer.name;
                var label = "<span class='na-layer-name' style='border-left:10px solid " + layer.colour
                    + ";padding-left:4px'>" + layer.name + "</span>";  // name escaped on the server
                control.addOverlay(group, label);
                if (layer.visible && !map.naReaderHidden[layer.name]) { group.addTo(map); }
                map.naReaderLayers.push(group);
            });
            map.naReaderCount = data.length;
            }
        })();
        {% endmacro %}
        """
    )

    def __init__(self, data: str | None, url: str | None = None) -> None:
        super().__init__()
        self._name = "ReaderLayers"
        self.data = data  # from layers_json: safe inside a script
        self.url = url


def layers_overlay(layers: Sequence[Layer], *, data_url: str | None = None) -> folium.FeatureGroup:
    """Return the reader's layers as a feature group for streamlit-folium's ``feature_group_to_add``
    (beside the places' own): its script draws each layer as its own overlay. With ``data_url``
    (where ``layers_json`` is served) the browser fetches the data once per version, and a rerun
    sends the address only; without, the data is written into the script."""
    group = folium.FeatureGroup(name="Your layers", control=False)
    group.add_child(_ReaderLayers(None, data_url) if data_url else _ReaderLayers(layers_json(layers)))
    return group


def draw_control() -> Draw:
    """Return the drawing toolbar (Leaflet.draw through folium): points, lines and areas (GeoJSON's
    shapes: no circles), editable and deletable. streamlit-folium reports what is drawn as
    ``all_drawings``; ``ui.layers`` keeps it in the session's "Drawn" layer."""
    return Draw(
        export=False,
        position="topleft",
        show_geometry_on_click=False,
        draw_options={
            "polyline": {"shapeOptions": {"color": LAYER_COLOURS[0], "weight": 3}},
            "polygon": {"shapeOptions": {"color": LAYER_COLOURS[0]}},
            "rectangle": {"shapeOptions": {"color": LAYER_COLOURS[0]}},
            "circle": False,
            "circlemarker": False,
            "marker": True,
        },
    )
