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
import logging
from collections.abc import Sequence
from dataclasses import replace

import folium
import streamlit as st

from geo.core.config import settings
from geo.core.errors import LayerError
from geo.core.escaping import escape_markdown
from geo.inputs.layers import MAX_BYTES, Layer, read_layer
from geo.map.layers import layer_colour, layers_overlay
from geo.outputs.atlas import MAX_FEATURES, MAX_LAYERS

__all__ = [
    "LAYERS_KEY",
    "PUBLIC_MAX_BYTES",
    "PUBLIC_MAX_LAYERS",
    "current",
    "import_layer",
    "layers_box",
    "map_overlays",
]

log = logging.getLogger("news_atlas")

#: The session's layers (a list of geo.inputs.layers.Layer): the same key the atlas restores into.
LAYERS_KEY = "news_atlas_atlas_layers"
#: The message about the last file imported: ("error" | "success", text).
MESSAGE_KEY = "news_atlas_layer_message"
UPLOAD_KEY = "layer_file"
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


def _key(number: int, layer: Layer) -> str:
    """Return the widget key of a layer: its place, name and features, so that a layer restored from
    an atlas gets fresh widgets that start from its own filters."""
    digest = hashlib.sha256(f"{layer.name}\0{len(layer.features)}\0{layer.source}".encode()).hexdigest()[:10]
    return f"layer_{number}_{digest}"


def layers_box() -> tuple[Layer, ...]:
    """Draw the sidebar's "Your layers" part: the importer, then per layer a switch, its date range
    and types (when its features have them) and a remove button. Return the layers as set."""
    with st.sidebar:
        st.header("Your layers")
        st.file_uploader(
            "Import a layer (GeoJSON, KML, or CSV with latitude and longitude)",
            type=["geojson", "json", "kml", "csv"],
            key=UPLOAD_KEY,
            on_change=_on_upload,
            help="An ACLED export works as it is: its event dates and types become the layer's filters.",
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
    """Return the map's overlays of ``layers`` (none when there are no layers: the map is as before)."""
    return (layers_overlay(layers),) if layers else ()
