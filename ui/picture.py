"""The picture of the map offered for download (PNG and SVG, geo.outputs.image): the places shown,
coloured as on the map, the reader's layers, over the view the browser last reported."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import streamlit as st

from geo.core.values import MappedPlace
from geo.inputs.layers import Layer
from geo.map.tints import Tints
from geo.outputs.image import Bounds, render

__all__ = ["map_bounds", "picture_of"]

#: The map's key in the session (ui.map_panel.KEY): streamlit-folium keeps its last report there.
MAP_KEY = "map"


def map_bounds() -> Bounds | None:
    """Return the box the browser's map last showed (streamlit-folium's ``bounds``), checked, or None."""
    state = st.session_state.get(MAP_KEY)
    bounds = state.get("bounds") if isinstance(state, dict) else None
    if not isinstance(bounds, dict):
        return None
    south_west, north_east = bounds.get("_southWest"), bounds.get("_northEast")
    if not isinstance(south_west, dict) or not isinstance(north_east, dict):
        return None
    values = [south_west.get("lat"), south_west.get("lng"), north_east.get("lat"), north_east.get("lng")]
    numbers = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)]
    if len(numbers) != 4 or numbers[0] >= numbers[2]:
        return None  # a map not yet laid out reports an empty box
    return Bounds.of(*numbers)


def picture_of(
    places: Sequence[MappedPlace], *, title: str, tints: Tints, layers: Sequence[Layer]
) -> Callable[[str], bytes]:
    """Return the maker of the picture in a format ("png" or "svg"), made only when a download is
    clicked: the view is the map's as the browser last reported it (else the places framed)."""
    shown, bounds = tuple(places), map_bounds()

    def make(fmt: str) -> bytes:
        return render(shown, fmt, bounds=bounds, title=title, tints=tints, layers=layers)

    return make
