"""The map panel: the places on a folium map, a watch that says so when it cannot draw, its clicks
and its view."""

from __future__ import annotations

import html
import logging
import math
from collections.abc import Sequence

import folium
import streamlit as st
import streamlit_folium  # looked up at each call, so tests can stand in for the browser's map
from branca.element import MacroElement

from geo.core.values import MappedPlace
from geo.map.assets import MapAssets, publish
from geo.map.mapview import (
    BASE_LAYERS,
    ID_MARK,
    View,
    base_map,
    framing,
    places_geojson,
    places_layer,
    use_local_assets,
)
from geo.map.tints import TINTS, Tints
from ui.components import map_watch
from ui.resources import map_assets
from ui.state import MapClicked

log = logging.getLogger("news_atlas")
#: The map's key: streamlit-folium keeps its last report (clicks) in the session under it.
KEY = "map"
#: Session key: how many times the map has been asked to focus a place.
_FOCUSES = "map_focuses"
#: Session key: the view the page's address asked for when the session began (a shared link's).
_OPENED = "map_opened_view"
#: What the map reports on each click and move: the view travels into the share link.
RETURNED = [
    "last_object_clicked",
    "last_object_clicked_tooltip",
    "center",
    "zoom",
    "selected_tags",
    "bounds",  # the picture of the view (ui.picture)
    "all_drawings",  # what the reader drew (ui.layers)
    "last_clicked",  # a point clicked anywhere: a place the reader adds there (ui.context)
]


def _published(places: Sequence[MappedPlace], assets: MapAssets, tints: Tints | None = None) -> str | None:
    """Return where the places' GeoJSON is served (written once per version), or None to embed it."""
    tints = tints or Tints()
    return published(places_geojson(tuple(places), tints.by_place, tints.legend), assets)


def published(data: str, assets: MapAssets) -> str | None:
    """Return where a map's places (``data``, GeoJSON) are served, written once per version; None
    to embed them in the map (no served folder, or a read-only one). The corpus map's too."""
    if assets.data_dir is None or assets.data_url is None:
        return None
    try:
        return publish(data, assets.data_dir, assets.data_url)
    except OSError:  # a read-only folder: the data goes inside the map instead
        log.exception("could not write the places' data")
        return None


def focus_at(lat: float, lng: float, zoom: int) -> tuple[tuple[float, float], float]:
    """Return the centre and zoom to hand streamlit-folium so that the map moves to (``lat``,
    ``lng``) at ``zoom``, even when it was focused there before (the corpus map's too).

    streamlit-folium moves the view only when centre or zoom differ from the last ones it was
    given: a count of focuses added to them (far below a millimetre, a millionth of a zoom step)
    makes each focus a new one; Leaflet snaps the zoom."""
    count = st.session_state[_FOCUSES] = st.session_state.get(_FOCUSES, 0) + 1
    return (lat + count * 1e-9, lng), zoom + count * 1e-6


def map_panel(
    places: Sequence[MappedPlace],
    *,
    selected: str | None,
    focus: MappedPlace | None,
    view: View | None = None,
    tints: Tints | None = None,
    on_disk: bool = True,
    overlays: Sequence[folium.FeatureGroup] = (),
    controls: Sequence[MacroElement] = (),
) -> MapClicked | None:
    """Draw ``places`` on the map, ``selected`` (a place key) ringed, centred on ``focus`` if given;
    return the map's last click. ``view`` is the page address's: the map opens on it (once a
    session) instead of fitting the places. ``tints`` colour the markers by article or date, and
    their legend is drawn under the map. ``on_disk`` False: the places' data is written into the
    map rather than published into the served folder (a public visitor's own articles). ``overlays``
    are drawn beside the places (the reader's own layers, ui.layers); ``controls`` join the map
    itself (the drawing toolbar: adding or removing one redraws the map).

    The map itself (``base_map``) is the same on every run, so the browser keeps it and its view;
    the places travel as one data layer, redrawn in the browser only when they or the selection
    change. streamlit-folium reports the last click on every run, not only on the run that click
    started.
    """
    assets = map_assets()
    tints = tints or Tints()
    # Only the session's first address counts: later ones are the share link the map's own moves
    # wrote, and passing those would redraw the places on every move.
    if _OPENED not in st.session_state and view is None and focus is not None:
        # A link that names a place and no view (?place=): the map opens framed on that place,
        # not on every place and then moving to it.
        lat, lng, level = framing(focus.place)
        view = View(lat, lng, level)
    opened = st.session_state.setdefault(_OPENED, view)
    center: tuple[float, float] | None = None
    zoom: float | None = None
    if focus is not None:
        # An area's whole shape, else its category's zoom; framed again even if focused before.
        center, zoom = focus_at(*framing(focus.place))
    try:
        fmap = base_map(asset_urls=assets.urls, outlines_url=assets.outlines_url, detail_url=assets.detail_url)
        if controls:
            for control in controls:
                fmap.add_child(control)
            use_local_assets(fmap, assets.urls)  # their scripts served too
        state = streamlit_folium.st_folium(
            fmap,
            key=KEY,
            height=540,
            use_container_width=True,
            returned_objects=RETURNED,
            feature_group_to_add=[
                places_layer(
                    places,
                    selected=selected,
                    data_url=_published(places, assets, tints) if on_disk else None,
                    view=opened,
                    tints=tints.by_place,
                    legend=tints.legend,
                ),
                *overlays,
            ],
            # Focusing moves the view without redrawing the map.
            center=center,
            zoom=zoom,  # type: ignore[arg-type, unused-ignore]  # a float works: Leaflet snaps it
        )
    except Exception:  # the UI boundary: the table and context still work without the map
        log.exception("drawing the map failed")
        st.error("The map could not be drawn; the places are listed below.")
        state = None
    if tints.legend:
        # Colours are the app's own (geo.map.tints); the labels are article titles: escaped.
        st.html(
            "<div class='na-tint-legend' style='font-size:.85rem;line-height:1.6'>"
            + " ".join(
                f"<span style='white-space:nowrap;margin-right:.8em'><span style='color:{colour}'>&#9632;</span> "
                f"{html.escape(label[:80])}</span>"
                for label, colour in tints.legend
                if colour in TINTS
            )
            + "</div>"
        )
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
    return _click(state)


def map_click() -> MapClicked | None:
    """Return the map's last click as the browser reported it for this run, before the map is drawn
    again: so that the map drawn in this run already marks the place clicked."""
    return _click(st.session_state.get(KEY))


def clicked(state: object) -> MapClicked | None:
    """Return the click a map's report (what ``st_folium`` returned, or kept under its key) holds: a
    marker's, with its place key, else a click on the map itself; None when it holds neither."""
    marker = _click(state)
    if marker is not None or not isinstance(state, dict):
        return marker
    point = _point(state.get("last_clicked"))
    return MapClicked(*point) if point is not None else None


def map_point() -> tuple[float, float] | None:
    """Return the point of the map the reader last clicked, anywhere (not only on a place), as the
    browser reported it: (latitude, longitude), the longitude brought back within -180 to 180;
    None before any click, or for a report that is no point on the Earth."""
    state = st.session_state.get(KEY)
    point = _point(state.get("last_clicked")) if isinstance(state, dict) else None
    if point is None:
        return None
    lat, lng = point
    return lat, (lng + 180) % 360 - 180  # Leaflet lets a click wander past the antimeridian


def map_view() -> View | None:
    """Return the map's view as the browser last reported it (centre, zoom, the base layer the user
    chose), else the one the session opened with, else None."""
    state = st.session_state.get(KEY)
    opened = st.session_state.get(_OPENED)
    if not isinstance(state, dict):
        return opened if isinstance(opened, View) else None
    center, zoom, tags = state.get("center"), state.get("zoom"), state.get("selected_tags")
    # What the browser reports is checked: a zoom of "Infinity", a centre without lng, text for numbers.
    lat = _finite(center.get("lat")) if isinstance(center, dict) else None
    lng = _finite(center.get("lng")) if isinstance(center, dict) else None
    level = _finite(zoom)
    if lat is None or lng is None or level is None:
        return opened if isinstance(opened, View) else None
    base = tags[0] if isinstance(tags, list) and tags and tags[0] in BASE_LAYERS else None
    if base is None and isinstance(opened, View):
        base = opened.base  # the link's base layer, until the user chooses another
    lng = (lng + 180) % 360 - 180  # Leaflet lets the centre wander past the antimeridian
    return View(max(-85.0, min(85.0, lat)), lng, int(max(0.0, min(MAX_ZOOM, round(level)))), base)


#: The deepest zoom a view keeps (Leaflet's tiles go to about 19).
MAX_ZOOM = 20


def _finite(value: object) -> float | None:
    """Return ``value`` as a finite number, or None when it is none (text, "Infinity", NaN, missing)."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = float(value)
    except (ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def _click(state: object) -> MapClicked | None:
    if not isinstance(state, dict):
        return None
    point = _point(state.get("last_object_clicked"))
    if point is None:
        return None
    tooltip = state.get("last_object_clicked_tooltip")
    _, mark, place = (tooltip if isinstance(tooltip, str) else "").rpartition(ID_MARK)
    return MapClicked(*point, place.strip() if mark and place.strip() else None)


def _point(value: object) -> tuple[float, float] | None:
    """Return the (lat, lng) of a click the browser reported, or None for a report that is no point
    on the Earth (not a dict, a number missing or not finite, a latitude past a pole): ignored."""
    if not isinstance(value, dict):
        return None
    lat, lng = _finite(value.get("lat")), _finite(value.get("lng"))
    if lat is None or lng is None or not -90 <= lat <= 90:
        return None
    return lat, lng
