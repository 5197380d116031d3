"""The context panel: the selected place, every sentence that names it, its articles, and its correction."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from geo.config import settings
from geo.corrections import Correction, article_id
from geo.errors import CorrectionRefused
from geo.escaping import escape_markdown
from geo.highlight import article_html
from geo.places import correction_targets, mentions_of, other_readings
from geo.provenance import Step, source_text
from geo.values import MappedPlace
from ui.articles import Parsed
from ui.components import article_view
from ui.resources import corrections, editor, session_id
from ui.state import Corrected, Event, MentionClicked, Undone


def context_panel(selected: MappedPlace | None, parsed: Parsed, articles: Sequence[str]) -> Event | None:
    """Draw the selected place's context in ``articles``; return what the user did here this run, if anything."""
    if selected is None:
        st.subheader("Context")
        st.write("Click a marker or a row of the table to read every sentence that mentions the place.")
        return None
    place = selected.place
    st.subheader(escape_markdown(place.name))
    st.caption(
        escape_markdown(
            f"{place.kind} · {place.country or 'no country'} · {place.lat:.4f}, {place.lon:.4f}"
            f" · {source_text(place.provenance)}"
        )
    )
    clicked: str | None = None
    for name, mentions in mentions_of(place.place_id, parsed.results, articles).items():
        st.markdown(f"**{escape_markdown(name)}**")
        for mention in mentions:
            before, _, after = mention.excerpt.partition(mention.text)
            st.markdown(f"> {escape_markdown(before)}**{escape_markdown(mention.text)}**{escape_markdown(after)}")
        with st.expander(f"The article, places highlighted: {escape_markdown(name)}"):
            st.caption("Click a highlighted place to show it on the map.")
            html = article_html(parsed.texts[name], parsed.results[name], selected=place.place_id)
            clicked = article_view(html, key=f"article:{name}") or clicked
    corrected = correction_panel(selected, parsed, articles)
    return corrected or (MentionClicked(clicked) if clicked else None)


def correction_panel(selected: MappedPlace, parsed: Parsed, articles: Sequence[str]) -> Corrected | Undone | None:
    """Let the user pick another reading of the selected place, or type coordinates; or undo.

    A correction is stored at once (for every article in ``articles`` that names the place);
    the returned event says what became of the selection."""
    place = selected.place
    targets = correction_targets(place.place_id, parsed.results, parsed.texts, articles)
    with st.expander("Wrong place? Correct it"):
        choice = st.selectbox(
            "Another reading the resolver considered",
            other_readings(place.place_id, parsed.results, articles),
            index=None,
            format_func=lambda c: (
                f"{c.name} · {c.feature} · {c.country or '-'} · {c.admin1 or ''} · pop. {c.population:,}"
            ),
            key=f"alternative:{place.place_id}",
        )
        st.caption("Or place it yourself:")
        typed = st.columns(2)
        lat = typed[0].number_input("Latitude", -90.0, 90.0, value=None, format="%.5f", key=f"lat:{place.place_id}")
        lon = typed[1].number_input("Longitude", -180.0, 180.0, value=None, format="%.5f", key=f"lon:{place.place_id}")
        chosen = (
            Correction.of(choice)
            if choice is not None
            else Correction(place.name, lat, lon, place.feature, place.country, place.kind)
            if lat is not None and lon is not None
            else None
        )
        buttons = st.columns(2)
        if buttons[0].button("Use it", disabled=chosen is None, key=f"use:{place.place_id}") and chosen is not None:
            try:
                for text, key in targets:
                    corrections().set(article_id(text), key, chosen, who=editor(), session=session_id())
            except CorrectionRefused as err:
                st.warning(str(err))
                return None
            return Corrected(chosen.candidate().place_id)
        if buttons[1].button(
            "Undo the last correction",
            disabled=place.provenance.step is not Step.CORRECTION,
            key=f"undo:{place.place_id}",
        ):
            mine = session_id() if settings().public else None  # in public, only one's own
            for text, key in targets:
                corrections().undo(article_id(text), key, session=mine)
            return Undone()
    return None
