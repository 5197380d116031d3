"""The map panel: the places on a folium map, a watch that says so when it cannot draw, and its clicks."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import streamlit as st
import streamlit_folium  # looked up at each call, so tests can stand in for the browser's map

from geo.mapview import build_map
from geo.values import MappedPlace
from ui.components import map_watch
from ui.resources import map_assets

log = logging.getLogger("news_atlas")


def map_panel(places: Sequence[MappedPlace], *, focus: MappedPlace | None) -> tuple[float, float] | None:
    """Draw ``places`` on the map, centred on ``focus`` if given; return where the map was last clicked.

    streamlit-folium reports the last click on every run, not only on the run that click started.
    """
    assets = map_assets()
    try:
        state = streamlit_folium.st_folium(
            build_map(places, asset_urls=assets.urls, outlines_url=assets.outlines_url),
            key="map",
            height=540,
            use_container_width=True,
            returned_objects=["last_object_clicked"],
            # Focusing moves the view without redrawing the map.
            center=(focus.place.lat, focus.place.lon) if focus else None,
            zoom=8 if focus else None,
        )
    except Exception:  # the UI boundary: the table and context still work without the map
        log.exception("drawing the map failed")
        st.error("The map could not be drawn; the places are listed below.")
        state = None
    if not assets.offline:
        st.caption("The map's scripts load from the internet here: if it stays blank, check the connection.")
    map_watch(
        "The map could not be drawn: its scripts did not load. "
        + (
            "They come from the internet here; check the connection, or install requirements.txt, "
            "which serves them from this app."
            if not assets.offline
            else "Reload the page; the places are listed in the table below."
        ),
        seconds=12,
    )
    clicked = (state or {}).get("last_object_clicked")
    return (clicked["lat"], clicked["lng"]) if clicked else None
