"""Events in the dashboard: each article's events read once, the sidebar's filter by event type,
the timeline under the map (events per day, a range of days, a play that steps through them) and a
place's events in the reading pane.

The timeline's range is read before the map is drawn (``chosen_days``) and its widgets drawn
under the map (``timeline_panel``): a widget's value lives in the session, so the map of a run
already shows the range the reader set. "Play" steps through the days with events, one a
``PLAY_SECONDS``, by a fragment that reruns the page; it is drawn only while playing.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from typing import cast

import streamlit as st

from geo.core.values import Entity, Mention, PlaceMention
from geo.events.annotate import MentionEvents, annotate
from geo.events.taxonomy import EVENT_TYPES, MENTIONED, TYPES, label_of
from geo.events.timeline import DayCount, EventsOf, event_days, mention_type
from geo.inputs.metadata import ArticleMeta
from geo.store.corrections import article_id

__all__ = [
    "CHART_HEIGHT",
    "PLAY_SECONDS",
    "article_events",
    "chosen_days",
    "events_html",
    "place_events",
    "restore",
    "timeline_panel",
    "timeline_spec",
    "type_filter",
]

log = logging.getLogger("news_atlas")

#: Session keys: the event types chosen; the timeline's range of days; the day being played.
TYPES_KEY = "event_types"
RANGE_KEY = "timeline"
PLAY_KEY = "timeline_playing"
#: Session key: the first and last day with events when the range was last drawn.
SPAN_KEY = "timeline_span"
#: Session key: whether the link's range was read (on the session's first run).
_LINKED = "timeline_linked"
#: Session key: whether the play's fragment has run once in this page run (see ``_tick``).
_ARMED = "timeline_armed"
#: Seconds each day is shown while the timeline plays.
PLAY_SECONDS = 1.5
#: How high the timeline's chart is, in pixels (its legend and axis included).
CHART_HEIGHT = 170
#: Most events a place's reading pane lists (in time order; the rest are counted).
MAX_LISTED = 40

# Each article's events, by what they depend on: its text, its date and its mentions (a correction
# changes the mentions, an edited date the dates). Read once per server, not on every rerun.
_READ: OrderedDict[tuple, dict[Mention, MentionEvents]] = OrderedDict()
_READ_MAX = 512
_READ_LOCK = threading.Lock()  # sessions run in threads


def article_events(
    texts: Mapping[str, str],
    results: Mapping[str, Sequence[PlaceMention]],
    metas: Mapping[str, ArticleMeta],
    entities: Mapping[str, Sequence[Entity]],
) -> dict[Mention, MentionEvents]:
    """Return the events of every place mention of the articles of ``results`` (geo.events), each
    article's read once while its text, date and mentions stay the same."""
    found: dict[Mention, MentionEvents] = {}
    for name, items in results.items():
        text = texts.get(name)
        if text is None:
            continue
        published = metas.get(name, ArticleMeta()).date
        mentions = tuple(item.mention for item in items)
        key = (article_id(text), published, mentions)
        with _READ_LOCK:
            known = _READ.get(key)
            if known is not None:
                _READ.move_to_end(key)
        if known is None:
            try:
                known = dict(zip(mentions, annotate(text, mentions, published, entities.get(name, ())), strict=True))
            except Exception:  # the UI boundary: an article whose events fail still shows its places
                log.exception("reading the events of %s failed", name)
                known = {}
            with _READ_LOCK:
                _READ[key] = known
                while len(_READ) > _READ_MAX:
                    _READ.popitem(last=False)
        found.update(known)
    return found


def type_filter(from_link: Sequence[str] = ()) -> frozenset[str]:
    """Draw the sidebar's "Event types" filter, starting from the link's types on the session's
    first run; return the types chosen (none: every type)."""
    kept = st.session_state.get(TYPES_KEY)
    # The widget takes its value from the session, never a default (see ui.sidebar._choices).
    st.session_state[TYPES_KEY] = [t for t in (from_link if kept is None else kept) if t in TYPES]
    chosen = st.sidebar.multiselect(
        "Event types (all when empty)",
        TYPES,
        format_func=label_of,
        key=TYPES_KEY,
        help="Show the places where the articles report one of these; a place shows only its mentions "
        "of them. docs/events.md says what each covers.",
    )
    return frozenset(chosen)


def restore(types: Sequence[str], days: tuple[dt.date | None, dt.date | None]) -> None:
    """Make the session show an atlas's event types and timeline range (None ends: the first or last
    day with events), before the widgets are drawn. The atlas wins over the link's own range on the
    session's first run, and a play under way stops."""
    st.session_state[TYPES_KEY] = [t for t in types if t in TYPES]
    st.session_state[_LINKED] = True
    st.session_state.pop(PLAY_KEY, None)
    st.session_state.pop(SPAN_KEY, None)  # a range equal to the last span drawn would read as "every day"
    if days == (None, None):
        st.session_state.pop(RANGE_KEY, None)
    else:
        st.session_state[RANGE_KEY] = (days[0] or dt.date.min, days[1] or dt.date.max)


def chosen_days(
    counts: Sequence[DayCount], from_link: tuple[dt.date | None, dt.date | None] = (None, None)
) -> tuple[dt.date, dt.date] | None:
    """Return the range of event days the timeline shows (None: every day), from the session: the
    reader's range (at first the link's, ``from_link``), kept within the days of ``counts``, or the
    day being played. Call before the timeline's widgets are drawn (``timeline_panel``)."""
    if not st.session_state.get(_LINKED):  # the session's first run: the link's range
        st.session_state[_LINKED] = True
        if from_link != (None, None):
            st.session_state[RANGE_KEY] = (from_link[0] or dt.date.min, from_link[1] or dt.date.max)
    days = event_days(counts)
    if len(days) < 2:
        st.session_state.pop(PLAY_KEY, None)
        return None
    first, last = days[0], days[-1]
    playing = st.session_state.get(PLAY_KEY)
    if isinstance(playing, int) and 0 <= playing < len(days):
        st.session_state[RANGE_KEY] = (days[playing], days[playing])
    else:
        st.session_state.pop(PLAY_KEY, None)
    kept = st.session_state.get(RANGE_KEY)
    span, st.session_state[SPAN_KEY] = st.session_state.get(SPAN_KEY), (first, last)
    if kept is not None and tuple(kept) == span:  # every day shown before: every day still, new ones too
        kept = None
    if isinstance(kept, tuple | list) and len(kept) == 2 and all(isinstance(d, dt.date) for d in kept):
        low = min(max(kept[0], first), last)
        chosen = (low, max(min(kept[1], last), low))
    else:
        chosen = (first, last)
    st.session_state[RANGE_KEY] = chosen
    return None if chosen == (first, last) else chosen


def timeline_spec(counts: Sequence[DayCount], shown: tuple[dt.date, dt.date] | None) -> dict:
    """Return the Vega-Lite spec of the timeline: a bar a day, stacked by main event type in the
    taxonomy's colours; the days outside ``shown`` faded. Only the app's labels and ISO dates: no
    article text."""
    present = [t for t in EVENT_TYPES if any(c.type == t.key for c in counts)]
    rows = [
        {
            "day": c.day.isoformat(),
            "type": label_of(c.type),
            "order": TYPES.index(c.type) if c.type in TYPES else len(TYPES),
            "count": c.count,
            "shown": shown is None or shown[0] <= c.day <= shown[1],
        }
        for c in counts
    ]
    return {
        "data": {"values": rows},
        "autosize": {"type": "fit", "contains": "padding"},
        "mark": {"type": "bar", "tooltip": True, "width": {"band": 0.85}},
        "encoding": {
            "x": {
                "field": "day",
                "type": "temporal",
                "timeUnit": "yearmonthdate",
                "title": None,
                "axis": {"format": "%d %b", "labelOverlap": True},
            },
            "y": {
                "field": "count",
                "type": "quantitative",
                "title": "mentions",
                "axis": {"tickCount": 3},
            },
            "color": {
                "field": "type",
                "type": "nominal",
                "title": "Event type",
                "scale": {"domain": [t.label for t in present], "range": [t.colour for t in present]},
                "legend": {"orient": "right", "title": None},
            },
            "order": {"field": "order", "type": "quantitative"},
            "opacity": {"condition": {"test": "datum.shown", "value": 1}, "value": 0.25},
        },
    }


def _play() -> None:
    st.session_state[PLAY_KEY] = 0


def _stop() -> None:
    st.session_state.pop(PLAY_KEY, None)


def _all_days() -> None:
    st.session_state.pop(PLAY_KEY, None)
    st.session_state.pop(RANGE_KEY, None)


def _tick(days: int) -> None:
    """One step of "Play": the next day, or the end of the play after the last. A fragment also
    runs with the page that draws it: that run only arms it, the timed runs after it step."""
    if not st.session_state.get(_ARMED):
        st.session_state[_ARMED] = True
        return
    playing = st.session_state.get(PLAY_KEY)
    if not isinstance(playing, int):
        return
    if playing + 1 < days:
        st.session_state[PLAY_KEY] = playing + 1
    else:
        _all_days()
    st.rerun(scope="app")


def timeline_panel(counts: Sequence[DayCount], shown: tuple[dt.date, dt.date] | None) -> None:
    """Draw the timeline under the map: mentions per event day by type, the range of days the map
    shows (a slider) and "Play"; ``shown`` is the range ``chosen_days`` returned."""
    days = event_days(counts)
    if not days:
        st.caption("No event dates in the places shown.")
        return
    with st.container(key="na_timeline"):
        st.vega_lite_chart(timeline_spec(counts, shown), width="stretch", height=CHART_HEIGHT)
        if len(days) < 2:
            st.caption(f"Every event shown is dated {days[0].isoformat()}.")
            return
        row = st.columns([5, 1.3, 1.5], vertical_alignment="bottom")
        buttons = row[1:]
        slider = row[0].slider(
            "Events between",
            days[0],
            days[-1],
            format="YYYY-MM-DD",
            key=RANGE_KEY,
            help="The map shows the places whose mentions report an event on these days.",
        )
        low, high = cast(tuple[dt.date, dt.date], slider)
        playing = st.session_state.get(PLAY_KEY)
        if isinstance(playing, int):
            buttons[0].button("⏹ Stop", key="timeline_stop", on_click=_stop)
            st.caption(f"Playing: day {playing + 1} of {len(days)} with events, {days[playing].isoformat()}")
            st.session_state[_ARMED] = False
            st.fragment(run_every=PLAY_SECONDS)(_tick)(len(days))
        else:
            buttons[0].button("▶ Play", key="timeline_play", on_click=_play, help="Step through the days with events")
            buttons[1].button(
                "All days", key="timeline_all", on_click=_all_days, disabled=(low, high) == (days[0], days[-1])
            )


def events_html(items: Sequence[tuple[Mention, MentionEvents]]) -> str:
    """Return a place's events as HTML, in the order given: each with its date (and the words that
    gave it), type, actors, the words that decided, and its excerpt with the place marked. Every
    article string is escaped."""
    rows = []
    for mention, found in items:
        kind = mention_type(found)
        colour = next((t.colour for t in EVENT_TYPES if t.key == kind), "#7f8c8d")
        if found.date is None:
            when = "no date"
        elif found.date_text:
            when = f"{found.date.isoformat()} (“{html.escape(found.date_text)}”)"
        else:
            when = f"{found.date.isoformat()} (published)"
        types = ", ".join(html.escape(label_of(t)) for t in found.types)
        parts = [f"<b>{when}</b>", f"<span style='color:{colour}'>&#9632;</span> {types}"]
        if found.actors:
            parts.append("actors: " + html.escape(", ".join(found.actors)))
        words = "".join(f" <q>{html.escape(w)}</q>" for w in found.triggers)
        before, _, after = mention.excerpt.partition(mention.text)
        excerpt = f"{html.escape(before)}<b>{html.escape(mention.text)}</b>{html.escape(after)}"
        rows.append(
            f"<li class='na-event' data-type='{html.escape(kind)}'>"
            + " · ".join(parts)
            + (f"<div class='na-event-words'>decided by{words}</div>" if words else "")
            + f"<blockquote>{excerpt}</blockquote></li>"
        )
    return (
        "<style>.na-events{list-style:none;padding:0;margin:0;font-size:.9rem}"
        ".na-event{margin:0 0 .5em}.na-event-words{color:#555;font-size:.85rem}"
        ".na-event blockquote{margin:.15em 0 0 .2em;padding-left:.6em;border-left:3px solid #ddd;color:#333}"
        "</style><ul class='na-events'>" + "".join(rows) + "</ul>"
    )


def place_events(naming: Mapping[str, Sequence[Mention]], events: EventsOf) -> None:
    """Draw a place's events in the reading pane: those of its mentions in ``naming`` (by article)
    that report something there, in time order, each once; the mentions that report nothing counted."""
    found = [(m, e) for mentions in naming.values() for m in mentions if (e := events.get(m)) is not None]
    happened = [(m, e) for m, e in found if e.types != (MENTIONED,)]
    happened.sort(key=lambda pair: (pair[1].date is None, pair[1].date or dt.date.min, pair[0].start))
    distinct = list({(e.date, e.types, e.triggers, m.excerpt): (m, e) for m, e in happened}.values())
    quiet = len(found) - len(happened)
    st.markdown(f"**Events here** ({len(distinct)})" if distinct else "**Events here**")
    if not distinct:
        st.caption("No sentence reports an event here." if found else "No events were read for this place.")
        return
    with st.container(height=220) if len(distinct) > 3 else st.container():
        st.html(events_html(distinct[:MAX_LISTED]))
        if len(distinct) > MAX_LISTED:
            st.caption(f"and {len(distinct) - MAX_LISTED} more")
    if quiet:
        st.caption(f"{quiet} more mention{'s' if quiet != 1 else ''} name it without an event.")
