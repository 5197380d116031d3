"""The reader's own layers in the dashboard: imported from a GeoJSON, KML or CSV file (an ACLED
export), each shown, filtered by date and type, or removed in the sidebar's "Your layers" part,
drawn on the map as its own overlay (geo.map.layers), carried by the atlas (ui.atlas), and drawn
into the picture of the map (geo.outputs.image).

A file that cannot be read says why in one sentence and changes nothing. Public mode bounds what a
visitor may bring: a smaller file, fewer layers in one session; the features of all layers together
are bounded as the atlas file bounds them.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import folium
import streamlit as st
from branca.element import MacroElement

from geo.core.config import settings
from geo.core.errors import LayerError
from geo.core.escaping import escape_markdown
from geo.inputs.layers import MAX_BYTES, Layer, check_feature, read_layer
from geo.inputs.metadata import clean_text
from geo.map.assets import publish
from geo.map.layers import draw_control, layer_colour, layers_json, layers_overlay
from geo.outputs.atlas import MAX_FEATURES, MAX_LAYERS
from ui.resources import map_assets

__all__ = [
    "LAYERS_KEY",
    "PUBLIC_MAX_BYTES",
    "PUBLIC_MAX_LAYERS",
    "current",
    "import_layer",
    "layers_box",
    "map_controls",
    "map_overlays",
    "take_drawings",
]

log = logging.getLogger("news_atlas")

#: The session's layers (a list of geo.inputs.layers.Layer): the same key the atlas restores into.
LAYERS_KEY = "news_atlas_atlas_layers"
#: The message about the last file imported: ("error" | "success", text).
MESSAGE_KEY = "news_atlas_layer_message"
UPLOAD_KEY = "layer_file"
#: The drawing toolbar's switch; the drawings already taken into the "Drawn" layer (their geometry's
#: JSON), so that one removed from the layer does not come back from the map's next report.
DRAW_KEY = "layer_draw"
TAKEN_KEY = "news_atlas_layer_drawn"
#: The map's key in the session (ui.map_panel.KEY): streamlit-folium keeps its last report there.
MAP_KEY = "map"
DRAWN = "Drawn"
#: Public mode: the largest layer file and the most layers one visitor's session holds.
PUBLIC_MAX_BYTES = 1_000_000
PUBLIC_MAX_LAYERS = 5


def current() -> tuple[Layer, ...]:
    """Return the session's layers, as their widgets last left them."""
    value = st.session_state.get(LAYERS_KEY)
    return tuple(x for x in value if isinstance(x, Layer)) if isinstance(value, list) else ()


def _limits() -> tuple[int, int]:
    """Return the largest file and the most layers this session may import."""
    if settings().public:
        return PUBLIC_MAX_BYTES, PUBLIC_MAX_LAYERS
    return MAX_BYTES, MAX_LAYERS


def import_layer(data: bytes, filename: str, layers: Sequence[Layer]) -> tuple[Layer, ...]:
    """Return ``layers`` with the layer in ``data`` (a file named ``filename``) added, named apart
    from the others; raise LayerError when it cannot be read or would pass the session's bounds."""
    most_bytes, most_layers = _limits()
    if len(layers) >= most_layers:
        raise LayerError(f"this session holds {most_layers} layers at most: remove one first")
    layer = read_layer(data, filename, max_bytes=most_bytes)
    held = sum(len(x.features) for x in layers)
    if held + len(layer.features) > MAX_FEATURES:
        raise LayerError(
            f"“{layer.name}” has {len(layer.features):,} features and the layers hold {held:,}: "
            f"{MAX_FEATURES:,} together at most"
        )
    names = {x.name for x in layers}
    name, number = layer.name, 2
    while name in names:
        name, number = f"{layer.name} ({number})", number + 1
    return (*layers, replace(layer, name=name))


def _on_upload() -> None:
    upload = st.session_state.get(UPLOAD_KEY)
    if upload is None:
        return
    most_bytes, _ = _limits()
    try:
        if upload.size > most_bytes:  # refused before it is read into memory again
            raise LayerError(
                f"this file is {upload.size / 1_000_000:.1f} MB; "
                f"layers of up to {most_bytes / 1_000_000:.1f} MB are read"
            )
        layers = import_layer(upload.getvalue(), upload.name, current())
    except LayerError as err:
        st.session_state[MESSAGE_KEY] = ("error", f"The layer cannot be imported: {err}. Nothing was changed.")
        return
    layer = layers[-1]
    st.session_state[LAYERS_KEY] = list(layers)
    dated = layer.dates()
    st.session_state[MESSAGE_KEY] = (
        "success",
        f"Imported the layer “{layer.name}”: {len(layer.features):,} features"
        + (f", dated {dated[0].isoformat()} to {dated[1].isoformat()}" if dated else "")
        + ".",
    )


def take_drawings() -> None:
    """Take what the reader drew on the map (streamlit-folium's ``all_drawings``: points, lines,
    areas) into the session's "Drawn" layer, each drawing once, checked as every layer's feature is,
    and within the session's bounds."""
    state = st.session_state.get(MAP_KEY)
    drawings = state.get("all_drawings") if isinstance(state, dict) else None
    if not isinstance(drawings, list) or not drawings:
        return
    taken: set[str] = st.session_state.setdefault(TAKEN_KEY, set())
    layers = list(current())
    held = sum(len(x.features) for x in layers)
    fresh: list[dict[str, Any]] = []
    for drawing in drawings[:MAX_FEATURES]:
        geometry = drawing.get("geometry") if isinstance(drawing, dict) else None
        try:
            feature = check_feature({"type": "Feature", "geometry": geometry, "properties": {}}, DRAWN)
        except LayerError as err:
            log.info("a drawing was left out: %s", err)
            continue
        key = json.dumps(feature["geometry"], sort_keys=True)
        if key in taken or held + len(fresh) >= MAX_FEATURES:
            continue
        taken.add(key)
        fresh.append(feature)
    if not fresh:
        return
    at = next((i for i, x in enumerate(layers) if x.source == "drawn"), None)
    if at is None:
        _, most_layers = _limits()
        if len(layers) >= most_layers:
            st.session_state[MESSAGE_KEY] = (
                "error",
                f"A session holds {most_layers} layers at most: remove one to draw.",
            )
            return
        layers.append(Layer(DRAWN, tuple(fresh), True, "drawn"))
    else:
        layers[at] = replace(layers[at], features=(*layers[at].features, *fresh))
    st.session_state[LAYERS_KEY] = layers


def map_controls() -> tuple[MacroElement, ...]:
    """Return the map's extra controls: the drawing toolbar while "Draw on the map" is on."""
    return (draw_control(),) if st.session_state.get(DRAW_KEY) else ()


def _labels(key: str, layer: Layer) -> Layer:
    """Draw a drawn layer's label and note editor; return the layer with what was saved."""
    features = list(layer.features)
    if not features:
        return layer
    chosen = st.selectbox(
        "Feature",
        range(len(features)),
        format_func=lambda i: f"{i + 1}. {features[i]['geometry']['type']}",  # the label is edited below
        key=f"{key}_feature",
    )
    if chosen is None:
        return layer
    properties = features[chosen]["properties"]
    label = st.text_input("Label", value=str(properties.get("label") or ""), max_chars=200, key=f"{key}_label_{chosen}")
    note = st.text_area("Note", value=str(properties.get("note") or ""), max_chars=500, key=f"{key}_note_{chosen}")
    if st.button("Save the label and note", key=f"{key}_save_{chosen}"):
        kept = {**properties, "label": clean_text(label, 200), "note": " ".join(note.split())[:500] or None}
        features[chosen] = check_feature({**features[chosen], "properties": kept}, layer.name)
        return replace(layer, features=tuple(features))
    return layer


def _key(number: int, layer: Layer) -> str:
    """Return the widget key of a layer: its place, name and features, so that a layer restored from
    an atlas gets fresh widgets that start from its own filters."""
    digest = hashlib.sha256(f"{layer.name}\0{len(layer.features)}\0{layer.source}".encode()).hexdigest()[:10]
    return f"layer_{number}_{digest}"


def layers_box() -> tuple[Layer, ...]:
    """Draw the sidebar's "Your layers" part: the importer, then per layer a switch, its date range
    and types (when its features have them) and a remove button. Return the layers as set."""
    take_drawings()
    with st.sidebar:
        st.header("Your layers")
        st.file_uploader(
            "Import a layer (GeoJSON, KML, or CSV with latitude and longitude)",
            type=["geojson", "json", "kml", "csv"],
            key=UPLOAD_KEY,
            on_change=_on_upload,
            help="An ACLED export works as it is: its event dates and types become the layer's filters.",
        )
        st.checkbox(
            "Draw on the map",
            key=DRAW_KEY,
            help="Points, lines and areas drawn with the toolbar on the map go into the layer “Drawn”; "
            "give each a label and a note below.",
        )
        message = st.session_state.get(MESSAGE_KEY)
        if isinstance(message, tuple) and len(message) == 2:
            (st.error if message[0] == "error" else st.success)(escape_markdown(message[1]))
        layers = list(current())
        kept: list[Layer] = []
        for number, layer in enumerate(layers):
            key = _key(number, layer)
            colour = layer_colour(number)
            st.html(
                f"<div style='border-left:10px solid {colour};padding-left:6px;font-weight:600'>"
                f"{_escape_html(layer.name)} <span style='font-weight:400;color:#555'>· "
                f"{len(layer.features):,} features</span></div>"
            )
            visible = st.checkbox("Show on the map", value=layer.visible, key=f"{key}_show")
            date_from, date_to = layer.date_from, layer.date_to
            dated = layer.dates()
            if dated and dated[0] < dated[1]:
                start = max(dated[0], min(dated[1], layer.date_from or dated[0]))
                end = max(start, min(dated[1], layer.date_to or dated[1]))
                chosen = st.slider(
                    "Dates shown", min_value=dated[0], max_value=dated[1], value=(start, end), key=f"{key}_dates"
                )
                if isinstance(chosen, tuple) and len(chosen) == 2:
                    date_from = chosen[0] if chosen[0] > dated[0] else None
                    date_to = chosen[1] if chosen[1] < dated[1] else None
            types = layer.types
            kinds = layer.kinds()
            if len(kinds) > 1:
                types = tuple(
                    st.multiselect(
                        "Types shown (all when none)",
                        kinds,
                        default=[t for t in layer.types if t in kinds],
                        key=f"{key}_types",
                    )
                )
            updated = replace(layer, visible=visible, date_from=date_from, date_to=date_to, types=types)
            if layer.source == "drawn":
                updated = _labels(key, updated)
            if updated.date_from or updated.date_to or updated.types:
                st.caption(f"{len(updated.shown()):,} of {len(layer.features):,} features shown")
            if st.button("Remove this layer", key=f"{key}_remove"):
                continue
            kept.append(updated)
        if len(kept) != len(layers) or kept != layers:
            st.session_state[LAYERS_KEY] = kept
    return tuple(kept)


def _escape_html(text: str) -> str:
    import html

    return html.escape(text, quote=True)


def map_overlays(layers: Sequence[Layer]) -> tuple[folium.FeatureGroup, ...]:
    """Return the map's overlays of ``layers`` (none when there are no layers: the map is as before).
    Their data is served as a file, so that a rerun does not send it again; in public mode it is a
    visitor's own and stays out of the served folder (written into the map instead)."""
    if not layers:
        return ()
    assets = map_assets()
    url = None
    if not settings().public and assets.data_dir is not None and assets.data_url is not None:
        try:
            url = publish(layers_json(layers), assets.data_dir, assets.data_url)
        except OSError:  # a read-only folder: the data goes inside the map instead
            log.exception("could not write the layers' data")
    return (layers_overlay(layers, data_url=url),)
