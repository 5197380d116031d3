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


def opened_link() -> Link:
    """Return what the page's address asks for."""
    query = st.query_params
    return Link(
        seeds=tuple(query.get_all("seed")),
        kinds=tuple(query.get_all("kind")),
        min_mentions=int(query.get("min", 1)),
        place=query.get("place"),
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
