"""The reading pane: a search box, the selected place's excerpts, then the article itself with
every mention highlighted, in a scroll pane of its own; and the corrections made there: another
reading of a place, a name the machine missed added, a name that is no place removed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from geo.core.config import settings
from geo.core.errors import CorrectionRefused, GeoError
from geo.core.escaping import escape_markdown
from geo.core.geometry import MAX_COORDINATES, parse_coordinates
from geo.core.provenance import Step, source_text, source_words
from geo.core.values import Candidate, MappedPlace, Mention
from geo.events.timeline import EventsOf
from geo.gazetteer.search import MAX_QUERY, search_names
from geo.map.highlight import article_html
from geo.parse.places import correction_targets, mentions_of, other_readings
from geo.store.corrections import MAX_WRITTEN, Correction, article_id
from ui import resources
from ui.articles import Parsed
from ui.components import article_view
from ui.events import place_events
from ui.map_panel import map_point
from ui.resources import corrections, editor, session_id
from ui.search import find_place
from ui.state import Corrected, Edited, Event, MentionClicked, Undone

#: How high the article's own scroll pane is, in pixels: beside the map, which is 540 high.
PANE_HEIGHT = 480
#: Most excerpts listed per article above the article (every mention is highlighted in it).
MAX_EXCERPTS = 6
#: How high the excerpts' box is when there are more than two, in pixels.
EXCERPTS_HEIGHT = 170
#: Session key: the words the reader selected in an article, until added or let go.
_PENDING = "reading_selection"
#: Session key: the article the pane showed last.
_SHOWN = "reading_shown"
#: Session key: the resolver's readings of a selection, computed once per selection.
_READINGS = "reading_readings"
#: Session key: the selection being added, and the map's last click when it was made (``_new_click``).
_CLICK_BEFORE = "reading_click_before"
#: Session key: what the reader's last change did, and how to take exactly it back (``Done``).
_DONE = "reading_done"


@dataclass(frozen=True)
class Done:
    """What a change did, in words, and the corrections it wrote: (article id, name key) pairs."""

    message: str
    rows: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Pending:
    """Words the reader selected in an article: where, and as written."""

    article: str
    start: int
    end: int
    written: str


def context_panel(
    selected: MappedPlace | None,
    parsed: Parsed,
    articles: Sequence[str],
    *,
    places: Sequence[MappedPlace] = (),
    events: EventsOf | None = None,
) -> Event | None:
    """Draw the reading pane: the search box, the selected place's excerpts, then an article of
    ``articles`` with its mentions highlighted, scrolled to the selected place's first mention;
    return what the user did here this run, if anything. With ``events``, the place's events are
    listed under its excerpts."""
    found = find_place(places)
    shown = [name for name in articles if name in parsed.texts]
    place_id = selected.place.place_id if selected is not None else None
    naming: dict[str, list[Mention]] = {}
    if selected is None:
        st.subheader("Reading")
        st.caption("Click a marker, a row of the table or a highlighted name to read about the place.")
    else:
        naming = mentions_of(selected.place.place_id, parsed.results, shown)
        _excerpts(selected, naming)
        if events is not None:
            place_events(naming, events)
    if not shown:
        return found
    name = _pick_article(shown, naming, place_id)
    text = parsed.texts[name]
    html = article_html(text, parsed.results[name], selected=place_id)
    # Filled after the article (whose selection it answers) but shown above it: the Add panel and
    # the message of the last change stand where the reader is looking, not under a 480 px pane
    # (below the fold at 1400 x 900).
    above = st.container()
    report = article_view(
        html, key="reading", article=name, selected=place_id if name in naming else None, height=PANE_HEIGHT
    )
    if report.selected is not None:
        _remember_selection(name, text, *report.selected)
    edited = _edit_panel(selected, parsed, shown, name, above)
    corrected = correction_panel(selected, parsed, articles) if selected is not None else None
    clicked = MentionClicked(report.place) if report.place else None
    return found or edited or corrected or clicked


def _excerpts(selected: MappedPlace, naming: dict[str, list[Mention]]) -> None:
    """Draw the selected place's name, where it came from, and its excerpts by article."""
    place = selected.place
    st.subheader(escape_markdown(place.name))
    st.caption(
        escape_markdown(
            f"{place.kind} · {place.country or 'no country'} · {place.lat:.4f}, {place.lon:.4f}"
            f" · {source_words(place.provenance)}"
        ),
        help=f"Data set: {source_text(place.provenance)}",  # the words above, as the exports name it
    )
    # Many excerpts scroll in a box of their own, so the article's pane stays near the top.
    many = sum(min(len(m), MAX_EXCERPTS) for m in naming.values()) > 2
    with st.container(height=EXCERPTS_HEIGHT) if many else st.container():
        for name, mentions in naming.items():
            st.markdown(f"**{escape_markdown(name)}**")
            for mention in mentions[:MAX_EXCERPTS]:
                before, _, after = mention.excerpt.partition(mention.text)
                st.markdown(f"> {escape_markdown(before)}**{escape_markdown(mention.text)}**{escape_markdown(after)}")
            if len(mentions) > MAX_EXCERPTS:
                st.caption(f"and {len(mentions) - MAX_EXCERPTS} more, highlighted in the article")


def _pick_article(shown: Sequence[str], naming: dict[str, list[Mention]], place_id: str | None) -> str:
    """Return the article the pane shows: one article as it is; of several, the reader's pick,
    which starts at the first article naming the selected place (a new selection starts afresh)."""
    if len(shown) == 1:
        return shown[0]
    last = st.session_state.get(_SHOWN)
    if last in shown and (last in naming or not naming):  # a click in the article keeps it in view
        first = shown.index(last)
    else:
        first = next((i for i, name in enumerate(shown) if name in naming), 0)
    name = str(
        st.selectbox("Article", shown, index=first, key=f"reading_article:{place_id}", label_visibility="collapsed")
    )
    st.session_state[_SHOWN] = name
    return name


def _remember_selection(name: str, text: str, start: int, end: int, seen: str) -> None:
    """Keep the reader's selection when it is words of the article (trimmed of outer space), else say why not."""
    if end > len(text) or " ".join(text[start:end].split()) != " ".join(seen.split()):
        st.warning("That selection could not be matched to the article's text; select the words again.")
        return
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not text[end - 1].isalnum():
        end -= 1
    if start == end:
        return
    if end - start > MAX_WRITTEN:
        st.warning(f"Select a place name: at most {MAX_WRITTEN} characters.")
        return
    st.session_state[_PENDING] = Pending(name, start, end, text[start:end])


def _edit_panel(
    selected: MappedPlace | None, parsed: Parsed, shown: Sequence[str], name: str, above: DeltaGenerator
) -> Edited | None:
    """Offer to add the selected words as a place, to mark the selected place's names as not a
    place, and to undo the last change to the article shown; return the change made, if any. The
    last change's message and the Add panel are drawn in ``above`` (over the article)."""
    text = parsed.texts[name]
    store = corrections()
    pending = st.session_state.get(_PENDING)
    try:
        with above:
            undone = _last_change()
        if undone is not None:
            return undone
        adding = (
            isinstance(pending, Pending)
            and pending.article == name
            and text[pending.start : pending.end] == pending.written
        )
        if adding and isinstance(pending, Pending):
            with above:
                added = _add_panel(pending, parsed, name)
            if added is not None:
                return added
        buttons = st.columns(2)
        # Never beside "Add …": a removal names what it removes, and is offered only when no
        # selection is being added (a click meant for one must not hit the other).
        if (
            selected is not None
            and not adding
            and buttons[0].button(
                f"Not a place: {escape_markdown(selected.place.name)}",
                key=f"not_a_place:{selected.place.place_id}",
                help="Remove this name from the articles shown (undo from the message that follows)",
            )
        ):
            rows = []
            for article in shown:
                for written in {i.mention.text for i in parsed.results[article] if i.place == selected.place}:
                    key = store.remove(article_id(parsed.texts[article]), written, who=editor(), session=session_id())
                    rows.append((article_id(parsed.texts[article]), key))
            count = len({row[0] for row in rows})
            where = "this article" if count == 1 else f"{count} articles"
            _announce(f"Removed “{selected.place.name}” from {where}: it is no longer a place there.", rows)
            return Edited()
        mine = session_id() if settings().public else None  # in public, only one's own
        history = store.history(article_id(text))
        last = history[-1][1] if history else None
        if buttons[1].button(
            f"Undo: {last}" if last else "Undo",
            key="undo_edit",
            disabled=last is None,
            help="Take back the last change made to this article",
        ):
            taken = store.undo_last(article_id(text), session=mine)
            _announce(f"Took back the last change to “{last}” in this article." if taken else "Nothing to take back.")
            return Edited()
    except (CorrectionRefused, ValueError) as err:
        st.warning(escape_markdown(str(err)))
    except GeoError as err:  # the gazetteer could not be read for the readings or the search
        st.warning(escape_markdown(f"The gazetteer cannot be searched now: {err}"))
    return None


def _announce(message: str, rows: Sequence[tuple[str, str]] = ()) -> None:
    """Keep what a change did for the next run, which shows it with an undo of exactly it."""
    st.session_state[_DONE] = Done(message, tuple(rows))


def _last_change() -> Edited | None:
    """Show what the last change did, with a button that takes exactly it back; return the
    change when that button is pressed."""
    done = st.session_state.get(_DONE)
    if not isinstance(done, Done):
        return None
    box = st.container(border=True)
    box.markdown(escape_markdown(done.message))
    if done.rows and box.button("Undo this", key="undo_done", help="Take back exactly this change"):
        mine = session_id() if settings().public else None
        taken = [corrections().undo(article, key, session=mine) for article, key in done.rows]
        _announce("Taken back." if any(taken) else "That change was already taken back.")
        return Edited()
    return None


def _add_panel(pending: Pending, parsed: Parsed, name: str) -> Edited | None:
    """Let the reader place the selected words and add them: a point clicked on the map, a
    gazetteer place (searched by any word of its names), or coordinates typed; return the change
    made. A click on the map, the reader's latest answer, is offered first, in view."""
    text = parsed.texts[name]
    written = escape_markdown(pending.written)
    with st.container(border=True, key="na_add"):
        st.markdown(f"**Add “{written}” as a place**")
        clicked = _new_click(pending)
        if clicked is not None and st.button(
            f"Add “{written}” here ({clicked[0]:.2f}, {clicked[1]:.2f})", key="add_clicked", type="primary"
        ):
            return _added(pending, text, _at(pending, clicked), f"at {clicked[0]:.4f}, {clicked[1]:.4f}")
        cache: dict[Pending, list[Candidate]] = st.session_state.setdefault(_READINGS, {})
        if pending not in cache:
            mentions = [i.mention for i in parsed.results[name]]
            cache.clear()  # one selection's readings at a time
            cache[pending] = resources.geoparser().readings(text, mentions, pending.start, pending.end)
        query = st.text_input(
            "Search the gazetteer (any word of a name)",
            value=pending.written,
            key=f"add_query:{pending}",
            max_chars=MAX_QUERY,
        )
        searched = search_names(resources.gazetteer(), query, limit=20) if query.strip() else []
        choices = list({c.place_id: c for c in (*cache[pending], *searched)}.values())[:30]
        choice = st.selectbox(
            "Its place (the resolver's suggestions first)",
            choices,
            index=0 if choices else None,
            format_func=lambda c: (
                f"{c.name} · {c.feature.name.lower().replace('_', ' ')} · {c.country or '-'}"
                f" · {c.admin1 or ''} · pop. {c.population:,}"
            ),
            key=f"add_choice:{pending}:{query}",
            placeholder="No place of that name: search another, type its coordinates or click the map",
        )
        buttons = st.columns(2)
        if buttons[0].button("Add this place", key="add_place", disabled=choice is None, type="primary") and choice:
            return _added(pending, text, Correction.of(choice), f"as {choice.name} ({choice.country or 'no country'})")
        if buttons[1].button("Cancel", key="add_cancel"):
            st.session_state.pop(_PENDING, None)
            st.rerun()
        typed = st.text_input(
            "Or type its coordinates",
            key=f"add_coordinates:{pending}",
            max_chars=MAX_COORDINATES,
            placeholder="35.40, 35.95 or 35.40 N 35.95 E",
            help="Decimal degrees: latitude, then longitude; N, S, E and W may say which is which.",
        )
        point = None
        if typed.strip():
            try:
                point = parse_coordinates(typed)
            except ValueError as err:  # the parser's own sentence: what to type instead
                st.warning(escape_markdown(str(err)))
        if point is not None and st.button(
            f"Add “{written}” at {point[0]:.4f}, {point[1]:.4f}", key="add_typed", type="primary"
        ):
            return _added(pending, text, _at(pending, point), f"at {point[0]:.4f}, {point[1]:.4f}")
        st.caption("Or click the map where it is." if clicked is None else "Or click the map elsewhere.")
    return None


def _at(pending: Pending, point: tuple[float, float]) -> Correction:
    """Return a place the gazetteer lacks: the selected words as its name, at ``point`` (rounded
    to about a metre: a click is no more precise)."""
    return Correction(pending.written, round(point[0], 5), round(point[1], 5))


def _new_click(pending: Pending) -> tuple[float, float] | None:
    """Return the map's last click when the reader made it after selecting ``pending``, else None:
    the map repeats its last click on every run, and one made before the words were selected is
    not meant for them."""
    point = map_point()
    before = st.session_state.get(_CLICK_BEFORE)
    if not (isinstance(before, tuple) and before[0] == pending):
        st.session_state[_CLICK_BEFORE] = (pending, point)
        return None
    return point if point != before[1] else None


def _added(pending: Pending, text: str, chosen: Correction, where: str) -> Edited:
    """Store ``chosen`` as the place of the selected words, say so with an undo; return the change."""
    key = corrections().add(article_id(text), pending.written, chosen, who=editor(), session=session_id())
    st.session_state.pop(_PENDING, None)
    _announce(f"Added “{pending.written}” {where} in this article.", [(article_id(text), key)])
    return Edited(chosen.candidate().place_id)


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
