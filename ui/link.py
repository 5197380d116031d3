"""The view in the URL, so that a copied link reopens it: ?seed=…&kind=…&min=…&place=…"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import streamlit as st

from geo.values import KINDS


@dataclass(frozen=True)
class Link:
    """What the page's address asks for; the sidebar's widgets start from it."""

    seeds: tuple[str, ...]  # sample articles, by name
    kinds: tuple[str, ...]  # categories shown
    min_mentions: int
    place: str | None  # the selected place's key


#: Most values a link's list parameters are read for, and the longest value read.
MAX_VALUES = 50
MAX_VALUE = 200
MAX_MIN_MENTIONS = 1000


def opened_link() -> Link:
    """Return what the page's address asks for; anything malformed is left out or clamped."""
    return link_of({key: st.query_params.get_all(key) for key in ("seed", "kind", "min", "place")})


def link_of(query: dict[str, list[str]]) -> Link:
    """Return the Link a query (each parameter's values) asks for: values too long or too many
    left out, ``min`` a whole number from 1 to ``MAX_MIN_MENTIONS`` (1 when it is not one)."""

    def values(key: str) -> tuple[str, ...]:
        return tuple(v for v in query.get(key, [])[:MAX_VALUES] if isinstance(v, str) and len(v) <= MAX_VALUE)

    minimum = next(iter(values("min")), "1").strip()
    place = next(iter(values("place")), None)
    return Link(
        seeds=values("seed"),
        kinds=values("kind"),
        min_mentions=min(max(int(minimum), 1), MAX_MIN_MENTIONS) if minimum.isdecimal() and len(minimum) < 6 else 1,
        place=place or None,
    )


def share(*, seeds: Sequence[str], kinds: Sequence[str], min_mentions: int, place: str | None) -> None:
    """Write the view into the page's address (only what differs from the defaults)."""
    st.query_params.from_dict(
        {
            "seed": list(seeds),
            "kind": list(kinds) if len(kinds) < len(KINDS) else [],
            "min": str(min_mentions) if min_mentions > 1 else [],
            "place": place or [],
        }
    )
