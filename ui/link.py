"""The view in the URL, so that a copied link reopens it:
?seed=…&kind=…&country=…&article=…&min=…&from=…&to=…&place=…"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import streamlit as st

from geo.metadata import parse_date
from geo.values import KINDS


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


#: Most values a link's list parameters are read for, and the longest value read.
MAX_VALUES = 50
MAX_VALUE = 200
MAX_MIN_MENTIONS = 1000
#: The parameters a link is read for.
_PARAMETERS = ("seed", "kind", "country", "article", "min", "from", "to", "place")


def opened_link() -> Link:
    """Return what the page's address asks for; anything malformed is left out or clamped."""
    return link_of({key: st.query_params.get_all(key) for key in _PARAMETERS})


def link_of(query: dict[str, list[str]]) -> Link:
    """Return the Link a query (each parameter's values) asks for: values too long or too many
    left out, ``min`` a whole number from 1 to ``MAX_MIN_MENTIONS`` (1 when it is not one), ``from``
    and ``to`` ISO dates (left out when not dates, swapped when the wrong way round), ``country``
    two-letter codes."""

    def values(key: str) -> tuple[str, ...]:
        return tuple(v for v in query.get(key, [])[:MAX_VALUES] if isinstance(v, str) and len(v) <= MAX_VALUE)

    minimum = next(iter(values("min")), "1").strip()
    place = next(iter(values("place")), None)
    date_from = parse_date(next(iter(values("from")), None))
    date_to = parse_date(next(iter(values("to")), None))
    if date_from and date_to and date_from > date_to:
        date_from, date_to = date_to, date_from
    return Link(
        seeds=values("seed"),
        kinds=values("kind"),
        min_mentions=min(max(int(minimum), 1), MAX_MIN_MENTIONS) if minimum.isdecimal() and len(minimum) < 6 else 1,
        place=place or None,
        countries=tuple(c for c in values("country") if len(c) == 2 and c.isascii() and c.isalpha()),
        articles=values("article"),
        date_from=date_from,
        date_to=date_to,
    )


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
) -> None:
    """Write the view into the page's address (only what differs from the defaults). ``place`` is
    left out when ``places`` (the keys of the places found) does not have it: a correction undone
    leaves the selection on a place that no longer exists."""
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
        }
    )
