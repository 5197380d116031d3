"""The view in the URL, so that a copied link reopens it:
?seed=…&kind=…&country=…&article=…&min=…&from=…&to=…&place=…&view=…&base=…&event=…&event_from=…&event_to=…

``?atlas=ID`` is an atlas saved on the server (ui.atlas): it brings its own articles, corrections
and view, and wins over the other parameters when the session opens."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import streamlit as st

from geo.core.values import KINDS
from geo.events.taxonomy import TYPES
from geo.inputs.metadata import parse_date
from geo.map.mapview import BASE_LAYERS, View
from geo.map.tints import COLOUR_BY


@dataclass(frozen=True)
class Link:
    """What the page's address asks for; the sidebar's widgets start from it."""

    seeds: tuple[str, ...]  # sample articles, by name
    kinds: tuple[str, ...]  # categories shown
    min_mentions: int
    place: str | None  # the selected place's key
    countries: tuple[str, ...] = ()  # countries shown (ISO codes; all when empty)
    articles: tuple[str, ...] = ()  # articles shown, by name (all when empty)
    #: The publication dates shown, first and last day (None: from the earliest, to the latest).
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    view: View | None = None  # where the map looks: centre, zoom, base layer
    colour_by: str = COLOUR_BY[0]  # what the markers' colours say (one of geo.map.tints.COLOUR_BY)
    event_types: tuple[str, ...] = ()  # event types shown (keys of geo.events.taxonomy; all when empty)
    #: The timeline's range of event days, first and last (None: every day).
    event_from: dt.date | None = None
    event_to: dt.date | None = None


#: Most values a link's list parameters are read for, and the longest value read.
MAX_VALUES = 50
MAX_VALUE = 200
MAX_MIN_MENTIONS = 1000
#: The parameters a link is read for.
_PARAMETERS = (
    "seed", "kind", "country", "article", "min", "from", "to", "place", "view", "base", "colour",
    "event", "event_from", "event_to",
)  # fmt: skip
#: The zooms a link may ask for (the map's own limits), and the decimals of a centre it writes (about 1 m).
MIN_ZOOM, MAX_ZOOM = 1, 18
VIEW_DECIMALS = 5


def opened_link() -> Link:
    """Return what the page's address asks for; anything malformed is left out or clamped."""
    return link_of({key: st.query_params.get_all(key) for key in _PARAMETERS})


def link_of(query: dict[str, list[str]]) -> Link:
    """Return the Link a query (each parameter's values) asks for: values too long or too many
    left out, ``min`` a whole number from 1 to ``MAX_MIN_MENTIONS`` (1 when it is not one), ``from``
    and ``to`` ISO dates (left out when not dates, swapped when the wrong way round), ``country``
    two-letter codes, ``view`` "lat,lng,zoom" (left out unless all three are numbers on the map;
    the zoom clamped) with ``base`` one of ``BASE_LAYERS`` (else the default), ``colour`` one of
    ``COLOUR_BY`` (else by category), ``event`` keys of the event types, ``event_from`` and
    ``event_to`` ISO dates (as ``from`` and ``to``)."""

    def values(key: str) -> tuple[str, ...]:
        return tuple(v for v in query.get(key, [])[:MAX_VALUES] if isinstance(v, str) and len(v) <= MAX_VALUE)

    minimum = next(iter(values("min")), "1").strip()
    place = next(iter(values("place")), None)
    date_from = parse_date(next(iter(values("from")), None))
    date_to = parse_date(next(iter(values("to")), None))
    if date_from and date_to and date_from > date_to:
        date_from, date_to = date_to, date_from
    event_from = parse_date(next(iter(values("event_from")), None))
    event_to = parse_date(next(iter(values("event_to")), None))
    if event_from and event_to and event_from > event_to:
        event_from, event_to = event_to, event_from
    return Link(
        seeds=values("seed"),
        kinds=values("kind"),
        min_mentions=min(max(int(minimum), 1), MAX_MIN_MENTIONS) if minimum.isdecimal() and len(minimum) < 6 else 1,
        place=place or None,
        countries=tuple(c for c in values("country") if len(c) == 2 and c.isascii() and c.isalpha()),
        articles=values("article"),
        date_from=date_from,
        date_to=date_to,
        view=view_of(next(iter(values("view")), ""), next(iter(values("base")), "")),
        colour_by=colour if (colour := next(iter(values("colour")), "")) in COLOUR_BY else COLOUR_BY[0],
        event_types=tuple(dict.fromkeys(t for t in values("event") if t in TYPES)),
        event_from=event_from,
        event_to=event_to,
    )


def view_of(text: str, base: str = "") -> View | None:
    """Return the View "lat,lng,zoom" names (``base``: a key of ``BASE_LAYERS``, else None), or None
    when it is not three finite numbers with the latitude within ±85 and the longitude within ±180."""
    parts = text.split(",")
    if len(parts) != 3 or len(text) > 60:
        return None
    try:
        lat, lng, zoom = (float(part) for part in parts)
    except ValueError:
        return None
    if not all(math.isfinite(x) for x in (lat, lng, zoom)) or abs(lat) > 85 or abs(lng) > 180:
        return None
    return View(lat, lng, min(max(round(zoom), MIN_ZOOM), MAX_ZOOM), base if base in BASE_LAYERS else None)


def view_param(view: View) -> dict[str, str | list[str]]:
    """Return the query parameters that write ``view`` into a link (the ones ``view_of`` reads)."""
    at = f"{round(view.lat, VIEW_DECIMALS)},{round(view.lng, VIEW_DECIMALS)},{view.zoom}"
    return {"view": at, "base": view.base or []}


def share(
    *,
    seeds: Sequence[str],
    kinds: Sequence[str],
    min_mentions: int,
    place: str | None,
    countries: Sequence[str] = (),
    articles: Sequence[str] = (),
    dates: tuple[dt.date, dt.date] | None = None,
    places: Collection[str] | None = None,
    view: View | None = None,
    colour_by: str = COLOUR_BY[0],
    atlas: str | None = None,
    event_types: Collection[str] = (),
    event_days: tuple[dt.date, dt.date] | None = None,
) -> None:
    """Write the view into the page's address (only what differs from the defaults). ``place`` is
    left out when ``places`` (the keys of the places found) does not have it: a correction undone
    leaves the selection on a place that no longer exists. ``view``: the map's centre, zoom and base
    layer, when the map has reported them. ``atlas``: the id of the atlas this session saved or
    opened (``?atlas=``), kept in the address so that a reload opens it again. ``event_types`` and
    ``event_days``: the event types chosen and the timeline's range, when narrowed."""
    if places is not None and place not in places:
        place = None
    st.query_params.from_dict(
        {
            "seed": list(seeds),
            "kind": list(kinds) if len(kinds) < len(KINDS) else [],
            "country": list(countries),
            "article": list(articles),
            "min": str(min_mentions) if min_mentions > 1 else [],
            "from": dates[0].isoformat() if dates else [],
            "to": dates[1].isoformat() if dates else [],
            "place": place or [],
            "colour": colour_by if colour_by != COLOUR_BY[0] else [],
            **(view_param(view) if view is not None else {}),
            "atlas": atlas or [],
            "event": [t for t in TYPES if t in event_types],
            "event_from": event_days[0].isoformat() if event_days else [],
            "event_to": event_days[1].isoformat() if event_days else [],
        }
    )
