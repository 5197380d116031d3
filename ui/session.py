"""The session's one Selection: every change to it goes through ``update``, as an event (see ui.state)."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from geo.core.values import MappedPlace
from ui.state import Event, Selection, next_selection

KEY = "selection"


def current() -> Selection:
    """Return the session's selection (nothing selected in a new session)."""
    selection = st.session_state.get(KEY)
    return selection if isinstance(selection, Selection) else Selection()


def update(event: Event, places: Sequence[MappedPlace] = ()) -> Selection:
    """Fold ``event`` into the session's selection (``places``: the places shown); return the new selection."""
    selection = next_selection(current(), event, places)
    st.session_state[KEY] = selection
    return selection
