"""The table of places, the names that could not be placed, and the exports."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence

import streamlit as st

from geo.core.escaping import escape_markdown
from geo.core.provenance import source_text, source_words
from geo.core.values import MappedPlace
from geo.inputs.layers import Layer
from geo.inputs.metadata import ArticleMeta
from geo.map.tints import Tints
from geo.outputs import export, publish

KEY = "table"


def selected_rows() -> tuple[int, ...]:
    """Return the table's selected rows as it reports them this run (before it is drawn again)."""
    table = st.session_state.get(KEY)
    return tuple(table.selection.rows) if table is not None else ()


def table_panel(
    places: Sequence[MappedPlace],
    *,
    found: int,
    unplaced: Sequence[str],
    sources: tuple[tuple[str, ArticleMeta], ...] = (),
    origins: Callable[[], export.Origins] | None = None,
    title: str = "News Atlas",
    events: export.EventsOf | None = None,
    picture: Callable[[str], bytes] | None = None,
    layers: Sequence[Layer] = (),
    tints: Tints | None = None,
) -> None:
    """Draw the table of ``places`` (of ``found`` in all), the ``unplaced`` names, and the exports of
    ``places``, each excerpt with its article's title, date and url: ``origins()`` says which
    article each mention comes from, asked only when the exports are made again (for new places or
    new ``sources``, the articles shown with their metadata). With ``events``, the GeoJSON and
    CSV carry each place's events as ``geo parse`` writes them. ``picture(fmt)`` makes the picture
    of the map ("png" or "svg"), asked only when its download is clicked; the HTML map carries the
    reader's visible ``layers`` as its overlays, and the map's colouring (``tints``: by event type,
    article or date) with its legend."""
    st.subheader(f"{len(places)} places" + (f" (of {found})" if len(places) != found else ""))
    st.dataframe(
        [
            {
                "Place": m.place.name,
                "Category": m.place.kind,
                "Country": m.place.country or "",
                "Mentions": len(m.mentions),
                "Written as": ", ".join(export.written_as(m)),
                "Lat": round(m.place.lat, 4),
                "Lon": round(m.place.lon, 4),
                "Source": source_words(m.place.provenance),
            }
            for m in places
        ],
        column_config={"Source": st.column_config.TextColumn(help=_sources_help(places))},
        width="stretch",
        hide_index=True,
        on_select="rerun",
        selection_mode="single-row",
        key=KEY,
    )
    if unplaced:
        st.caption("Named but not placed: " + escape_markdown(", ".join(unplaced)))
    geojson, csv, kml = _exports(tuple(places), sources, origins, events)
    downloads = st.columns(6 if picture is not None else 4)
    downloads[0].download_button("GeoJSON", geojson, "news-atlas.geojson", "application/geo+json")
    downloads[1].download_button("CSV", csv, "news-atlas.csv", "text/csv")
    downloads[2].download_button("KML", kml, "news-atlas.kml", "application/vnd.google-earth.kml+xml")
    shown = tuple(places)

    def page() -> str:  # made when clicked, on a thread of its own (about 400 KB: the map's scripts inline)
        return publish.to_html(
            shown,
            title=title,
            origins=origins() if origins is not None else None,
            sources=sources,
            layers=[{"name": x.name, "features": x.shown()} for x in layers if x.visible],
            tints=tints,
        )

    downloads[3].download_button(
        "HTML map",
        page,
        "news-atlas-map.html",
        "text/html",
        key="publish_html",
        on_click="ignore",
        help="One page that opens offline in any browser: the map, the legend, the excerpts in the "
        "markers' popups, the title and the articles credited. Put it in a report or on a site.",
    )
    if picture is not None:
        make = picture

        def maker(fmt: str) -> Callable[[], bytes]:  # made when clicked, on a thread of its own
            return lambda: make(fmt)

        for column, fmt, mime in ((downloads[4], "png", "image/png"), (downloads[5], "svg", "image/svg+xml")):
            column.download_button(
                fmt.upper(),
                maker(fmt),
                f"news-atlas-map.{fmt}",
                mime,
                key=f"picture_{fmt}",
                on_click="ignore",
                help="A picture of the map as it is shown (the view, the places, their colours, your layers) "
                "with the title, legend, scale bar and credits, drawn on the server without the internet.",
            )


#: The exports made for the last few (places, sources): made once per set of places shown and
#: their articles' details, not on every rerun (a click, a selection).
_MADE: OrderedDict[tuple, tuple[str, str, str]] = OrderedDict()
_MADE_MAX = 8
_MADE_LOCK = threading.Lock()  # sessions run in threads


def _exports(
    places: tuple[MappedPlace, ...],
    sources: tuple[tuple[str, ArticleMeta], ...],
    origins: Callable[[], export.Origins] | None,
    events: export.EventsOf | None = None,
) -> tuple[str, str, str]:
    # Events follow from the places' mentions and their articles' dates (in ``sources``), but
    # whether they are asked for is part of the key.
    key = (places, sources, events is not None)
    with _MADE_LOCK:
        if key in _MADE:
            _MADE.move_to_end(key)
            return _MADE[key]
    found = origins() if origins is not None else None
    made = (
        export.to_geojson(places, found, events),
        export.to_csv(places, found, events),
        export.to_kml(places, origins=found),
    )
    with _MADE_LOCK:
        _MADE[key] = made
        while len(_MADE) > _MADE_MAX:
            _MADE.popitem(last=False)
    return made


def _sources_help(places: Sequence[MappedPlace]) -> str:
    """Return the Source column's tooltip: where the coordinates come from, and the data set behind
    each of its words in this table ("country outline: countryinfo")."""
    pairs = sorted({(source_words(m.place.provenance), source_text(m.place.provenance)) for m in places})
    named = "; ".join(f"{words}: {text}" for words, text in pairs if words != text)
    return "Where the coordinates come from." + (f" Data sets: {named}." if named else "")
