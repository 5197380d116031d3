"""Find a place: a search box over the places on the map and the offline gazetteer.

Choosing a place on the map selects it and focuses the map on it; choosing a gazetteer place that
is not on the map focuses the map there (ui.state ``PlaceFound``, ``SpotFound``).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import streamlit as st

from geo.core.errors import GeoError
from geo.core.normalize import fold
from geo.core.provenance import Provenance, Step
from geo.core.values import Candidate, MappedPlace, Place
from geo.gazetteer.search import MAX_QUERY, search_names
from geo.resolve.categorize import kind_of_feature
from ui import resources
from ui.state import PlaceFound, SpotFound

__all__ = ["Found", "find_place", "matches"]

log = logging.getLogger("news_atlas")
KEY = "find_place"
_CHOSEN = "find_place_chosen"
#: Most choices listed: the places on the map that match, then the gazetteer's.
MAX_CHOICES = 20


@dataclass(frozen=True)
class Found:
    """One choice of the search: a place on the map (by key), or a gazetteer place off it."""

    label: str
    place: str | None = None
    candidate: Candidate | None = None


def matches(query: str, places: Sequence[MappedPlace], gazetteer_found: Sequence[Candidate]) -> list[Found]:
    """Return the choices for ``query``: the places on the map whose name or a mention's text
    contains it (case and accents folded), then the gazetteer's places not on the map; at most
    ``MAX_CHOICES``."""
    wanted = fold(query[:MAX_QUERY]).strip().lower()
    if not wanted:
        return []
    on_map = [
        Found(f"{m.place.name} · {m.place.kind} · {m.place.country or '-'} · on the map", place=m.place.place_id)
        for m in places
        if wanted in fold(m.place.name).lower() or any(wanted in fold(x.text).lower() for x in m.mentions)
    ]
    keys = {m.place.place_id for m in places}
    off_map = [
        Found(
            f"{c.name} · {c.feature.name.lower().replace('_', ' ')} · {c.country or '-'} · {c.admin1 or ''}",
            candidate=c,
        )
        if c.place_id not in keys
        else Found(f"{c.name} · on the map", place=c.place_id)
        for c in gazetteer_found
    ]
    seen: set[str] = set()
    out = []
    for found in [*on_map, *off_map]:
        ident = found.place or (found.candidate.place_id if found.candidate else found.label)
        if ident not in seen:
            seen.add(ident)
            out.append(found)
    return out[:MAX_CHOICES]


def _feature(candidate: Candidate) -> str:
    return candidate.feature.name.lower().replace("_", " ")


def spot_of(candidate: Candidate) -> MappedPlace:
    """Return a gazetteer place as a place without mentions, for the map to focus on."""
    kind = kind_of_feature(candidate.feature, candidate.kind_hint)
    place = Place(
        candidate.place_id,
        candidate.name,
        candidate.lat,
        candidate.lon,
        kind,
        candidate.country,
        candidate.feature,
        Provenance(Step.GAZETTEER, candidate.dataset, candidate.match),
    )
    return MappedPlace(place, ())


def find_place(places: Sequence[MappedPlace]) -> PlaceFound | SpotFound | None:
    """Draw the search box; return what the reader chose in it in this run, if anything."""
    query = st.text_input(
        "Find a place", key=KEY, placeholder="A place on the map, or anywhere", max_chars=MAX_QUERY
    ).strip()
    chosen = st.session_state.pop(_CHOSEN, None)  # set by the choice's callback: acted on once
    if not query:
        return None
    try:
        gazetteer_found = search_names(resources.gazetteer(), query, limit=MAX_CHOICES)
    except GeoError as err:
        log.info("the gazetteer search failed: %s", err)
        gazetteer_found = []
    choices = matches(query, places, gazetteer_found)
    if not choices:
        st.caption("No place of that name on the map or in the gazetteer.")
        return None
    st.selectbox(
        "Places found",
        choices,
        index=None,
        format_func=lambda found: found.label,
        key=f"{KEY}:{query}",
        placeholder=f"{len(choices)} found: choose one to show it",
        on_change=_remember,
        args=(f"{KEY}:{query}",),
    )
    if isinstance(chosen, Found):
        if chosen.place is not None:
            return PlaceFound(chosen.place)
        if chosen.candidate is not None:
            return SpotFound(spot_of(chosen.candidate))
    return None


def _remember(key: str) -> None:
    # A selectbox repeats its value on every run: only the change is acted on, once.
    st.session_state[_CHOSEN] = st.session_state.get(key)
