"""Which place is selected, as one value, and how each thing the user does changes it.

Pure: no Streamlit here. The app keeps one ``Selection`` in its session and folds every event of a
run into it with ``next_selection``; the tests do the same without a server.

Streamlit's widgets repeat their last value on every run (the map its last click, the table its
selected rows), so the selection remembers which click and which rows it has already acted on:
only a new one moves it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import assert_never

from geo.core.values import MappedPlace
from geo.parse.places import place_at


@dataclass(frozen=True)
class Selection:
    """The selected place, and what the app remembers to interpret the next event."""

    #: The selected place's key. It stays selected while the filters hide it, and shows again after.
    place: str | None = None
    #: A place to centre the map on the next time it is drawn; forgotten once drawn.
    focus: str | None = None
    #: The map click already acted on: (latitude, longitude), and the place's key when the map named it.
    last_click: tuple[float, float] | tuple[float, float, str] | None = None
    #: The table rows already acted on.
    last_rows: tuple[int, ...] = ()
    #: The place keys of the table's rows as last drawn: what a row number means.
    table_keys: tuple[str, ...] = ()
    #: A gazetteer place found by a search that is not on the map: the map is focused on it once.
    spot: MappedPlace | None = None

    def shown(self, places: Sequence[MappedPlace]) -> MappedPlace | None:
        """Return the selected place if it is among ``places``, else None."""
        return _find(self.place, places)

    def focused(self, places: Sequence[MappedPlace]) -> MappedPlace | None:
        """Return the place to centre the map on: one of ``places``, or a gazetteer place a search
        found off the map; else None."""
        if self.spot is not None and self.focus == self.spot.place.place_id:
            return self.spot
        return _find(self.focus, places)


@dataclass(frozen=True)
class LinkOpened:
    """The URL names a place (``?place=``): it is selected when nothing is, and the map framed on
    it unless the URL also gives the map's view (``?view=``), which the map opens on instead."""

    place: str | None
    frame: bool = True


@dataclass(frozen=True)
class RowsSelected:
    """The table reports its selected rows (the same ones again on every run)."""

    rows: tuple[int, ...]


@dataclass(frozen=True)
class MapClicked:
    """The map reports its last click (the same one again on every run): where, and the clicked
    marker's place key when the map says it (markers spread apart are not where their place is)."""

    lat: float
    lng: float
    place: str | None = None


@dataclass(frozen=True)
class MapDrawn:
    """The map was drawn (or failed to be): its focus has been used."""


@dataclass(frozen=True)
class MentionClicked:
    """A highlighted mention of a place was clicked in an article."""

    place: str


@dataclass(frozen=True)
class Corrected:
    """The selected place was corrected: the correction's place is selected."""

    place: str


@dataclass(frozen=True)
class Undone:
    """The selected place's last correction was undone: nothing is selected."""


@dataclass(frozen=True)
class PlaceFound:
    """A place on the map was chosen in the search box: it is selected and the map focused on it,
    even when it was selected already (the reader asked to see it)."""

    place: str


@dataclass(frozen=True)
class SpotFound:
    """A gazetteer place that is not on the map was chosen in the search box: the map is focused
    there; the selection stays."""

    spot: MappedPlace


@dataclass(frozen=True)
class Edited:
    """A name was added to an article, marked as not a place, or such a change undone: the added
    place (when one was added) is selected and focused; otherwise the selection stays."""

    place: str | None = None


@dataclass(frozen=True)
class TableDrawn:
    """The table was drawn with these places' rows, in order."""

    keys: tuple[str, ...]


Event = (
    LinkOpened
    | RowsSelected
    | MapClicked
    | MapDrawn
    | MentionClicked
    | Corrected
    | Undone
    | PlaceFound
    | SpotFound
    | Edited
    | TableDrawn
)


def next_selection(state: Selection, event: Event, places: Sequence[MappedPlace] = ()) -> Selection:
    """Return the selection after ``event``; ``places`` are the places shown now (on the map, in the table)."""
    match event:
        case LinkOpened(place, frame):
            if not place or state.place is not None:
                return state
            return replace(state, place=place, focus=place if frame else state.focus)
        case RowsSelected(rows):
            if rows == state.last_rows:
                return state
            if rows and rows[0] < len(state.table_keys):
                key = state.table_keys[rows[0]]
                return replace(state, last_rows=rows, place=key, focus=key)
            return replace(state, last_rows=rows)  # deselected: the place stays
        case MapClicked(lat, lng, named):
            click = (lat, lng) if named is None else (lat, lng, named)
            if click == state.last_click:
                return state
            hit = _find(named, places) or place_at(places, lat, lng)
            return replace(state, last_click=click, place=hit.place.place_id if hit else state.place)
        case MapDrawn():
            return replace(state, focus=None, spot=None)
        case MentionClicked(place):
            if place == state.place or _find(place, places) is None:
                return state
            return replace(state, place=place, focus=place)
        case Corrected(place):
            return replace(state, place=place)
        case Undone():
            return replace(state, place=None)
        case PlaceFound(place):
            if _find(place, places) is None:
                return state
            return replace(state, place=place, focus=place)
        case SpotFound(spot):
            return replace(state, spot=spot, focus=spot.place.place_id)
        case Edited(place):
            return replace(state, place=place, focus=place) if place else state
        case TableDrawn(keys):
            return replace(state, table_keys=keys)
        case _:
            assert_never(event)


def _find(key: str | None, places: Sequence[MappedPlace]) -> MappedPlace | None:
    return next((m for m in places if m.place.place_id == key), None) if key else None
