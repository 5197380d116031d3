"""The dashboard over a corpus: DuckDB queries over its Parquet files (geo.corpus.query), the days
chosen, mentions per day, the top places, the map (clusters or density), and a chosen place's
excerpts with their articles, a page at a time.

The map is the article map's (geo.map.mapview through geo.corpus.mapping): the offline basemap,
the symbols, the names by mentions; a place chosen from the list or clicked is ringed and the map
centres on it (ui.map_panel's ``focus_at``, as the article map does)."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import streamlit as st
import streamlit_folium

from geo.core.errors import InputError
from geo.core.escaping import escape_markdown
from geo.corpus.mapping import MAP_STYLES, MARKER_LIMIT, corpus_base, corpus_geojson, corpus_layer, shown_places
from geo.corpus.query import CorpusPlace, CorpusQuery, open_corpus
from geo.events.timeline import DayCount
from geo.map.mapview import focus_zoom
from ui.events import CHART_HEIGHT, timeline_spec
from ui.map_panel import clicked, focus_at, published
from ui.resources import map_assets

__all__ = ["PER_PAGE", "TOP", "corpus_view"]

log = logging.getLogger("news_atlas")

#: Excerpts shown per page, and places in the "top places" list.
PER_PAGE = 10
TOP = 50
#: The map's key: streamlit-folium keeps its last report (clicks) in the session under it.
MAP_KEY = "corpus_map"
Days = tuple[dt.date, dt.date] | None


@st.cache_resource(show_spinner=False)
def _query(path: str) -> CorpusQuery:
    return open_corpus(Path(path))


@st.cache_data(show_spinner=False, max_entries=32)
def _places(path: str, days: Days) -> list[CorpusPlace]:
    return _query(path).places(days)


def corpus_view(path: str) -> None:
    """Draw the corpus at ``path`` (a ``news-atlas corpus --out`` folder), or say why it cannot be opened."""
    try:
        query = _query(path)
    except InputError as err:
        st.error(escape_markdown(str(err)))
        return
    articles, mentions, distinct = query.totals()
    failed = query.failures()
    st.subheader(f"Corpus: {escape_markdown(Path(path).name)}")
    cols = st.columns(4)
    cols[0].metric("Articles with places", f"{articles:,}")
    cols[1].metric("Mentions", f"{mentions:,}")
    cols[2].metric("Places", f"{distinct:,}")
    cols[3].metric("Articles not parsed", f"{failed:,}")

    days = _days(query)
    per_day = query.per_day(days)
    if per_day:
        st.bar_chart(
            {"day": [d for d, _, _ in per_day], "mentions": [n for _, n, _ in per_day]},
            x="day",
            y="mentions",
            height=160,
        )
    _events_per_day(query, days)
    places = _places(path, days)
    by_id = {p.place_id: p for p in places}
    # The click the browser reported for this run, taken before the map is drawn: so that the map
    # drawn now already rings the place clicked.
    _take_click(query, days, st.session_state.get(MAP_KEY), by_id)

    map_column, context_column = st.columns([3, 2])
    with map_column:
        style = st.radio("Map", MAP_STYLES, horizontal=True, key="corpus_style")
        report = _draw_map(places, style, by_id.get(st.session_state.get("corpus_place") or ""))
    _take_click(query, days, report, by_id)  # a report not in the session yet (a test's stand-in)
    with context_column:
        top = places[:TOP]
        st.selectbox(
            "Top places",
            [p.place_id for p in top],
            index=None,
            format_func=lambda pid: f"{by_id[pid].name} ({by_id[pid].mentions:,})",
            key="corpus_pick",
            on_change=_picked,
            placeholder="Choose a place, or click the map",
        )
        chosen = by_id.get(st.session_state.get("corpus_place") or "")
        if chosen is None:
            st.write("Click the map or choose a place to read the sentences that name it.")
        else:
            _context(query, chosen, days)


def _events_per_day(query: CorpusQuery, days: Days) -> None:
    """Draw the events of the days' articles per event day, stacked by main type (as the
    articles' timeline draws them); nothing for a corpus written before events were read."""
    counts = [DayCount(day, kind, int(n)) for day, kind, n in query.events_per_day(days)]
    if counts:
        st.caption("Events per day, by type (the day each sentence says it happened)")
        st.vega_lite_chart(timeline_spec(counts, None), width="stretch", height=CHART_HEIGHT)


def _picked() -> None:
    st.session_state["corpus_place"] = st.session_state.get("corpus_pick")
    st.session_state.pop("corpus_page", None)  # a new place opens on its first page


def _days(query: CorpusQuery) -> Days:
    extent = query.date_range()
    if extent is None:
        return None
    first, last = extent
    if first == last:
        st.caption(f"Every dated article is of {first.isoformat()}.")
        return (first, last)
    chosen = st.slider("Days", min_value=first, max_value=last, value=(first, last), key="corpus_days")
    return (chosen[0], chosen[1])


def _take_click(query: CorpusQuery, days: Days, report: object, by_id: dict[str, CorpusPlace]) -> None:
    """Choose the place a new click in the map's ``report`` names: the marker's own place, else
    (a click beside the markers, or on the density layer) the place nearest the point."""
    click = clicked(report)
    if click is None:
        return
    where = (click.lat, click.lng, click.place)
    if where == st.session_state.get("corpus_click"):
        return  # the same click, reported again on every run
    st.session_state["corpus_click"] = where
    place = by_id.get(where[2] or "")
    if place is None:
        place = query.nearest(where[0], where[1], days)
    if place is not None:
        st.session_state["corpus_place"] = place.place_id
        st.session_state.pop("corpus_page", None)  # a new place opens on its first page


def _draw_map(places: list[CorpusPlace], style: str, chosen: CorpusPlace | None) -> object:
    """Draw the corpus map, ``chosen`` ringed, and centred on it when it is newly chosen; return the
    map's report (its last clicks), or None when it could not be drawn."""
    assets = map_assets()
    center: tuple[float, float] | None = None
    zoom: float | None = None
    chosen_id = chosen.place_id if chosen else None
    if chosen is not None and chosen_id != st.session_state.get("corpus_focused"):
        center, zoom = focus_at(chosen.lat, chosen.lon, focus_zoom(chosen.kind))
    st.session_state["corpus_focused"] = chosen_id
    if style != "density" and len(places) > MARKER_LIMIT:
        st.caption(
            f"The map draws the {MARKER_LIMIT:,} most-named places of {len(places):,}; the density map weighs "
            "them all, and a click beside the markers finds the nearest of them all."
        )
    try:
        return streamlit_folium.st_folium(
            corpus_base(
                places,
                style=style,
                asset_urls=assets.urls,
                outlines_url=assets.outlines_url,
                detail_url=assets.detail_url,
            ),
            key=MAP_KEY,
            height=520,
            use_container_width=True,
            returned_objects=["last_object_clicked", "last_object_clicked_tooltip", "last_clicked"],
            # The places travel as one layer: a new choice or new days redraw them, not the map.
            feature_group_to_add=[
                corpus_layer(
                    places,
                    style=style,
                    selected=chosen_id,
                    data_url=published(corpus_geojson(shown_places(places, style=style, selected=chosen_id)), assets),
                )
            ],
            center=center,
            zoom=zoom,  # type: ignore[arg-type, unused-ignore]  # a float works: Leaflet snaps it
        )
    except Exception:  # the UI boundary: the list and excerpts still work without the map
        log.exception("drawing the corpus map failed")
        st.error("The map could not be drawn; choose a place from the list.")
        return None


def _context(query: CorpusQuery, place: CorpusPlace, days: Days) -> None:
    st.subheader(escape_markdown(place.name))
    st.caption(
        escape_markdown(
            f"{place.kind} · {place.country or 'no country'} · {place.lat:.4f}, {place.lon:.4f} · "
            f"{place.mentions:,} mentions in {place.articles:,} articles"
        )
    )
    pages = max(1, -(-place.mentions // PER_PAGE))
    page = st.number_input("Page", min_value=1, max_value=pages, value=1, step=1, key="corpus_page")
    excerpts, total = query.excerpts(place.place_id, days, page=int(page) - 1, per_page=PER_PAGE)
    st.caption(f"{total:,} mentions · page {int(page)} of {pages}")
    for item in excerpts:
        title = escape_markdown(item.title or item.article_id)
        heading = f"**{title}**"
        if item.url and item.url.startswith(("http://", "https://")):
            heading = f"**[{title}](<{item.url.replace('>', '%3E').replace(' ', '%20')}>)**"
        when = f" · {item.date.isoformat()}" if item.date else ""
        st.markdown(f"{heading}{escape_markdown(when)}")
        before, _, after = item.excerpt.partition(item.text)
        st.markdown(f"> {escape_markdown(before)}**{escape_markdown(item.text)}**{escape_markdown(after)}")
