"""News Atlas: the places a news article names, on a map, beside the sentences that name them.

Run with `streamlit run app.py`. This file puts the user interface (ui/) together; the work is done by geo/.
"""

from __future__ import annotations

import streamlit as st

from geo.core.config import settings
from geo.core.escaping import escape_markdown
from geo.events.taxonomy import TYPES
from geo.events.timeline import day_counts, keep_places
from geo.inputs.articles import load_folder
from geo.map.tints import tints
from geo.outputs.export import origins_of
from geo.parse.places import filter_places, group_places, mentions_in, unplaced_names
from ui import atlas, guards, session, sidebar
from ui.articles import edit_metadata, from_visitor, gather, meta_problems, parse_all
from ui.context import context_panel
from ui.events import article_events, chosen_days, timeline_panel, type_filter
from ui.layers import layers_box, map_controls, map_overlays
from ui.layout import MAP_SHARE, roomy_page
from ui.link import opened_link, share
from ui.map_panel import map_click, map_panel, map_view
from ui.picture import picture_of
from ui.state import LinkOpened, MapDrawn, MentionClicked, RowsSelected, TableDrawn
from ui.table import selected_rows, table_panel

#: The page's layout: the map column stays in view (sticky) while the reading pane beside it scrolls;
#: on a phone (Streamlit stacks the columns below 640 px) the map is shorter and a cue under it says
#: the reading follows.
LAYOUT_CSS = """<style>
@media (min-width: 641px) {
  [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] .st-key-na_map) { align-items: flex-start; }
  [data-testid="stColumn"]:has(.st-key-na_map) { position: sticky; top: 3.75rem; z-index: 2; }
  .st-key-na_below { display: none; }
}
@media (max-width: 640px) {
  .st-key-na_map iframe[title="streamlit_folium.st_folium"] { height: 380px !important; }
  .st-key-na_below p { font-weight: 600; color: #31333f; }
}
</style>"""


def main() -> None:
    if settings().public:
        guards.refuse_clear_cache()  # a browser may not empty the server's caches
        guards.cap_uploads()  # nor hold more uploaded files than a visit needs
        # Visitors see "an error occurred", never a traceback (it goes to the server's log). A
        # config file cannot differ by mode, and locally a developer wants the traceback.
        st.set_option("client.showErrorDetails", "none")
    # The sidebar starts folded: the map takes the room (ui.layout).
    st.set_page_config(page_title="News Atlas", page_icon="🗺️", layout="wide", initial_sidebar_state="collapsed")
    st.html(LAYOUT_CSS)
    roomy_page()
    st.title("News Atlas")
    st.caption(
        "Every place an article names, on a map. Click a marker, or a row of the table, to read its context. "
        "Articles, filters and sharing: the » button at the top left."
    )
    corpus = sidebar.corpus_source()
    if corpus:  # an archive's Parquet output, queried with DuckDB
        from ui.corpus import corpus_view

        corpus_view(corpus)
        return
    # Articles in: the sample articles (seeds/, or a folder of one's own), pasted, uploaded, fetched,
    # or brought by an atlas (?atlas=ID, or a file opened: it sets the widgets before they are drawn).
    seeds = load_folder(settings().articles_dir)
    atlas.open_from_link(seeds)
    atlas.show_message()
    link = opened_link()  # the view travels in the URL: a copied link reopens it
    inputs = sidebar.article_inputs([a.name for a in seeds], link)
    articles, problems = gather(inputs, seeds)
    sidebar.warn(problems)
    meta_problems()
    geocoding = sidebar.geocoding()
    sidebar.editor_token()
    if not articles:
        atlas.open_box(seeds)
        st.info("Choose a sample article, paste one, upload a file or fetch a page to see its places.")
        return

    # Places: every article parsed, then the ones the filters show.
    parsed = parse_all(articles, geocoding)
    all_places = group_places(mentions_in(parsed.results, list(parsed.results)))
    sidebar.article_list(parsed.metas)
    filters = sidebar.filters(all_places, parsed.metas, link)
    types = type_filter(link.event_types)
    # Below the filters, which are used far more often than an article's details are edited.
    edit_metadata([a for a in articles if a.name in parsed.results])
    layers = layers_box()  # the reader's own layers: imported, filtered, carried by the atlas
    events = article_events(parsed.texts, parsed.results, parsed.metas, parsed.entities)
    # The event types chosen narrow the places; the timeline counts what they leave, and its range
    # of days narrows the places the map shows (read now, its widgets drawn under the map).
    typed = keep_places(
        filter_places(
            group_places(mentions_in(parsed.results, filters.articles)),
            kinds=filters.kinds,
            countries=filters.countries,
            min_mentions=filters.min_mentions,
        ),
        events,
        types=types,
    )
    counts = day_counts(typed, events)
    days = chosen_days(counts, (link.event_from, link.event_to))
    places = keep_places(typed, events, days=days)

    # Selection: the URL, a row of the table, a click on the map, a mention in an article.
    session.update(LinkOpened(link.place, frame=link.view is None))
    selection = session.update(RowsSelected(selected_rows()))
    if (clicked := map_click()) is not None:  # before the map is drawn, so it marks the place clicked
        selection = session.update(clicked, places)
    shown_tints = tints(filters.colour_by, parsed.results, parsed.metas, filters.articles, places=places, events=events)
    map_column, context_column = st.columns(MAP_SHARE)
    with map_column, st.container(key="na_map"):
        click = map_panel(
            places,
            selected=selection.place,
            focus=selection.focused(places),
            view=link.view,
            tints=shown_tints,
            # Public mode keeps nothing a visitor brought on the server's disk: their places (names,
            # excerpts) travel inside the map rather than as a file in the served folder.
            on_disk=not (settings().public and any(from_visitor(a) for a in articles)),
            overlays=map_overlays(layers),
            controls=map_controls(),
        )
        timeline_panel(counts, days)
        with st.container(key="na_below"):  # shown on phones only (LAYOUT_CSS)
            shown = selection.shown(places)
            st.caption(
                f"↓ The excerpts and the article about {escape_markdown(shown.place.name)} are below the map."
                if shown
                else "↓ Tap a place on the map: its excerpts and article show below it."
            )
    selection = session.update(MapDrawn())
    if click is not None:
        selection = session.update(click, places)
    with context_column:
        event = context_panel(selection.shown(places), parsed, filters.articles, places=places, events=events)
    if event is not None:
        before, selection = selection, session.update(event, places)
        if selection != before or not isinstance(event, MentionClicked):
            st.rerun()  # a new place: draw the map focused on it; a correction: parse again

    # Table and exports; the view into the URL.
    table_panel(
        places,
        found=len(all_places),
        unplaced=unplaced_names(parsed.results, filters.articles),
        sources=tuple((name, parsed.metas[name]) for name in filters.articles if name in parsed.metas),
        origins=lambda: origins_of(parsed.results, parsed.metas, filters.articles),
        events=events,
        title=st.session_state.get("atlas_title") or "News Atlas",
        picture=picture_of(
            places, title=st.session_state.get("atlas_title") or "News Atlas", tints=shown_tints, layers=layers
        ),
        layers=layers,
        tints=shown_tints,
    )
    session.update(TableDrawn(tuple(m.place.place_id for m in places)))
    view = map_view()
    current = atlas.Current(
        tuple(articles), filters, selection.place, view, layers, tuple(t for t in TYPES if t in types), days
    )
    saved = atlas.save_and_share(current, seeds)
    share(
        seeds=inputs.seeds,
        kinds=filters.kinds,
        min_mentions=filters.min_mentions,
        place=selection.place,
        countries=filters.countries,
        articles=filters.chosen,
        dates=filters.dates,
        places={m.place.place_id for m in all_places},
        view=view,
        colour_by=filters.colour_by,
        atlas=saved,
        event_types=types,
        event_days=days,
    )


# Streamlit runs this file as the module "__main__"; a process started by "spawn" (Dask's workers
# in a test session that ran the app before) imports it as "__mp_main__", and must not draw a page.
if __name__ == "__main__":
    main()
