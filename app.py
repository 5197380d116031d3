"""News Atlas: the places a news article names, on a map, beside the sentences that name them.

Run with `streamlit run app.py`. This file is only the user interface; the work is done by geo/.
"""

from __future__ import annotations

import logging
from pathlib import Path

import streamlit as st
from streamlit_folium import st_folium

from geo import export
from geo.articles import Article, load_folder
from geo.assets import MapAssets, serve_from
from geo.config import settings
from geo.corrections import Correction, Corrections, article_id
from geo.errors import GeoError, InputError
from geo.escaping import escape_markdown
from geo.geocode import CachedGeocoder
from geo.highlight import article_html
from geo.mapview import build_map
from geo.normalize import name_key
from geo.online import ASK_ONLINE, SERVICES, from_environment
from geo.paths import cache_dir
from geo.pipeline import Geoparser, ParseResult, group_places
from geo.places import place_at
from geo.text import check_text, decode_article, html_article, looks_like_html
from geo.values import KINDS, MappedPlace, PlaceMention
from ui.components import article_view, map_watch

log = logging.getLogger("news_atlas")
HERE = Path(__file__).resolve().parent
# The sample articles offered in the sidebar: seeds/, or a folder of one's own .txt articles.
SEEDS = settings().articles_dir

st.set_page_config(page_title="News Atlas", page_icon="🗺️", layout="wide")


@st.cache_resource(show_spinner="Loading the language model and the gazetteer (built on first run, about a minute)…")
def geoparser() -> Geoparser:
    return Geoparser.default()


@st.cache_resource(show_spinner=False)
def map_assets() -> MapAssets:
    if not st.get_option("server.enableStaticServing"):
        return MapAssets({}, None)  # no static folder served: CDN scripts, embedded outlines
    base = "/" + "/".join(p for p in (st.get_option("server.baseUrlPath").strip("/"), "app/static") if p)
    return serve_from(HERE / "static", base)


@st.cache_resource(show_spinner=False)
def online_geocoder(service: str, url: str) -> CachedGeocoder | None:
    # One per service address for the whole server: every session shares its rate limit and cache.
    online = from_environment(service, url or None)
    return CachedGeocoder(online) if online is not None else None


@st.cache_data(show_spinner=False, max_entries=256)
def parse(text: str, service: str, url: str, ask_online: str, version: tuple[int, int]) -> ParseResult:
    # version: the corrections' version, so that a correction re-parses what it touches.
    return geoparser().with_online(online_geocoder(service, url), ask_online, corrections()).parse(text)


@st.cache_resource(show_spinner=False)
def corrections_store(path: str) -> Corrections:
    return Corrections(Path(path))


def corrections() -> Corrections:
    return corrections_store(str(cache_dir() / "corrections.sqlite"))


@st.cache_data(show_spinner=False, ttl=3600)
def fetched(url: str) -> Article:
    from geo.fetch import fetch_article

    return fetch_article(url)


def as_article(name: str, text: str, source: str) -> Article:
    """Plain text as it is; an HTML page reduced to its article (raises InputError)."""
    if looks_like_html(text):
        title, body = html_article(text, name=name)
        return Article(title or name, body, source)
    return Article(name, check_text(text, name=name), source)


def correction_panel(
    selected: MappedPlace, results: dict[str, list[PlaceMention]], texts: dict[str, str], shown: list[str]
) -> None:
    """Let the user pick another reading of the selected place, or type coordinates; or undo."""
    place = selected.place
    # Where the place is named: (article text, name key) pairs the correction applies to.
    targets = {
        (texts[name], name_key(i.mention.text))
        for name in shown
        for i in results.get(name, [])
        if i.place and i.place.key == place.key
    }
    others = {
        c.key: c
        for name in shown
        for i in results.get(name, [])
        if i.place and i.place.key == place.key
        for c in i.candidates
        if c.key != place.key
    }
    with st.expander("Wrong place? Correct it"):
        choice = st.selectbox(
            "Another reading the resolver considered",
            list(others.values()),
            index=None,
            format_func=lambda c: (
                f"{c.name} · {c.feature} · {c.country or '-'} · {c.admin1 or ''} · pop. {c.population:,}"
            ),
            key=f"alternative:{place.key}",
        )
        st.caption("Or place it yourself:")
        typed = st.columns(2)
        lat = typed[0].number_input("Latitude", -90.0, 90.0, value=None, format="%.5f", key=f"lat:{place.key}")
        lon = typed[1].number_input("Longitude", -180.0, 180.0, value=None, format="%.5f", key=f"lon:{place.key}")
        chosen_correction = (
            Correction.of(choice)
            if choice is not None
            else Correction(place.name, lat, lon, place.feature, place.country, place.kind)
            if lat is not None and lon is not None
            else None
        )
        buttons = st.columns(2)
        if buttons[0].button("Use it", disabled=chosen_correction is None, key=f"use:{place.key}"):
            for text, key in targets:
                corrections().set(article_id(text), key, chosen_correction)
            st.session_state["selected"] = chosen_correction.candidate().key
            st.rerun()
        if buttons[1].button(
            "Undo the last correction", disabled=place.source != "correction", key=f"undo:{place.key}"
        ):
            for text, key in targets:
                corrections().undo(article_id(text), key)
            st.session_state["selected"] = None
            st.rerun()


st.title("News Atlas")
st.caption("Every place an article names, on a map. Click a marker, or a row of the table, to read its context.")
query = st.query_params  # the view travels in the URL: a copied link reopens it

# --- Articles in -------------------------------------------------------------------------------
seeds = load_folder(SEEDS)
seed_names = [a.name for a in seeds]
with st.sidebar:
    st.header("Articles")
    wanted = [n for n in query.get_all("seed") if n in seed_names] or seed_names
    chosen = st.multiselect("Sample articles", seed_names, default=wanted, key="seeds")
    pasted = st.text_area(
        "Paste an article (text or HTML)", height=140, key="pasted", placeholder="Paste news text here…"
    )
    uploads = st.file_uploader(
        "Or upload files", type=["txt", "md", "html", "htm"], accept_multiple_files=True, key="uploads"
    )
    address = st.text_input("Or fetch a web page (needs a network)", key="url", placeholder="https://…")

articles = [a for a in seeds if a.name in chosen]
problems: list[str] = []
if pasted.strip():
    try:
        articles.append(as_article("Pasted article", pasted, "pasted"))
    except InputError as err:
        problems.append(str(err))
for upload in uploads or []:
    try:
        articles.append(as_article(upload.name, decode_article(upload.getvalue(), name=upload.name), "upload"))
    except InputError as err:
        problems.append(str(err))
if address.strip():
    try:
        articles.append(fetched(address.strip()))
    except InputError as err:
        problems.append(str(err))
for problem in problems:
    st.sidebar.warning(escape_markdown(problem))  # file names and titles come from outside

with st.sidebar:
    st.header("Geocoding")
    services = ["offline", *SERVICES]
    default_service = settings().geocoder
    service = st.selectbox(
        "Geocoder",
        services,
        index=services.index(default_service) if default_service in services else 0,
        key="geocoder",
        help="Offline uses the built-in gazetteer. Online services are asked politely (one request a "
        "second at most), and every answer is cached in cache/.",
    )
    url, ask_online = "", "unplaced"
    if service != "offline":
        url = st.text_input("Service address (optional)", value=settings().geocoder_url or "", key="geocoder_url")
        ask_online = st.radio(
            "Ask it for",
            ASK_ONLINE,
            format_func={"unplaced": "names the gazetteer cannot place", "all": "every name"}.get,
            key="ask_online",
        )

if not articles:
    st.info("Choose a sample article, paste one, upload a file or fetch a page to see its places.")
    st.stop()

# --- Places ------------------------------------------------------------------------------------
results: dict[str, list[PlaceMention]] = {}
texts: dict[str, str] = {}
warnings: set[str] = set()
progress = st.progress(0.0, text="Finding places…") if len(articles) > 1 else None
version = corrections().version()  # once a run: the key under which parses are cached
for number, article in enumerate(articles, start=1):
    try:
        result = parse(article.text, service, url, ask_online, version)
        results[article.name] = list(result.mentions)
        texts[article.name] = article.text
        if result.warnings:
            warnings.update(result.warnings)
            parse.clear(article.text, service, url, ask_online, version)  # ask the service again next run
    except GeoError as err:
        st.error(escape_markdown(f"Could not map “{article.name}”: {err}"))
    except Exception:  # the UI boundary: log the traceback, show the user a sentence
        log.exception("parsing %s failed", article.name)
        st.error(
            escape_markdown(f"Something went wrong while mapping “{article.name}”; the other articles are still shown.")
        )
    if progress is not None:
        progress.progress(number / len(articles), text=f"Finding places… {number} of {len(articles)} articles")
if progress is not None:
    progress.empty()
for warning in sorted(warnings):
    st.warning(escape_markdown(warning))

all_places = group_places(item for found in results.values() for item in found)

# --- Filters -----------------------------------------------------------------------------------
with st.sidebar:
    st.header("Filters")
    kinds = st.multiselect(
        "Categories", KINDS, default=[k for k in query.get_all("kind") if k in KINDS] or KINDS, key="kinds"
    )
    countries_known = sorted({m.place.country for m in all_places if m.place.country})
    countries = st.multiselect("Countries (all when empty)", countries_known, key="countries")
    only = st.multiselect("Articles (all when empty)", list(results), key="shown_articles")
    shown_articles = only or list(results)
    most = max((len(m.mentions) for m in all_places), default=1)
    least = st.slider("At least this many mentions", 1, max(most, 2), int(query.get("min", 1)), key="min_mentions")

places: list[MappedPlace] = [
    m
    for m in group_places(item for name in shown_articles for item in results.get(name, []))
    if m.place.kind in kinds and (not countries or m.place.country in countries) and len(m.mentions) >= least
]
by_key = {m.place.key: m for m in places}

# --- Selection: a click on the map, a row of the table, or the URL -----------------------------
selected_key = st.session_state.get("selected") or query.get("place")
focus = by_key.get(st.session_state.pop("focus", None) or "")
table_state = st.session_state.get("table")
rows = list(table_state.selection.rows) if table_state is not None else []
if rows != st.session_state.get("last_rows", []):
    st.session_state["last_rows"] = rows
    keys = st.session_state.get("table_keys", [])
    if rows and rows[0] < len(keys):
        selected_key = keys[rows[0]]
        focus = by_key.get(selected_key)

map_column, context_column = st.columns([3, 2])
with map_column:
    assets = map_assets()
    try:
        state = st_folium(
            build_map(places, asset_urls=assets.urls, outlines_url=assets.outlines_url),
            key="map",
            height=540,
            use_container_width=True,
            returned_objects=["last_object_clicked"],
            # Focusing moves the view without redrawing the map.
            center=(focus.place.lat, focus.place.lon) if focus else None,
            zoom=8 if focus else None,
        )
    except Exception:  # the UI boundary: the table and context still work without the map
        log.exception("drawing the map failed")
        st.error("The map could not be drawn; the places are listed below.")
        state = None
    if not assets.offline:
        st.caption("The map's scripts load from the internet here: if it stays blank, check the connection.")
    map_watch(
        "The map could not be drawn: its scripts did not load. "
        + (
            "They come from the internet here; check the connection, or install requirements.txt, "
            "which serves them from this app."
            if not assets.offline
            else "Reload the page; the places are listed in the table below."
        ),
        seconds=12,
    )
    clicked = (state or {}).get("last_object_clicked")
    if clicked and clicked != st.session_state.get("last_click"):
        st.session_state["last_click"] = clicked
        hit = place_at(places, clicked["lat"], clicked["lng"])
        if hit is not None:
            selected_key = hit.place.key

st.session_state["selected"] = selected_key
selected = by_key.get(selected_key)

with context_column:
    if selected is None:
        st.subheader("Context")
        st.write("Click a marker or a row of the table to read every sentence that mentions the place.")
    else:
        place = selected.place
        st.subheader(escape_markdown(place.name))
        st.caption(
            escape_markdown(
                f"{place.kind} · {place.country or 'no country'} · {place.lat:.4f}, {place.lon:.4f} · {place.source}"
            )
        )
        for name in shown_articles:
            mentions = [i.mention for i in results.get(name, []) if i.place and i.place.key == place.key]
            if not mentions:
                continue
            st.markdown(f"**{escape_markdown(name)}**")
            for mention in dict.fromkeys(mentions):
                before, _, after = mention.excerpt.partition(mention.text)
                st.markdown(f"> {escape_markdown(before)}**{escape_markdown(mention.text)}**{escape_markdown(after)}")
            with st.expander(f"The article, places highlighted: {escape_markdown(name)}"):
                st.caption("Click a highlighted place to show it on the map.")
                clicked = article_view(
                    article_html(texts[name], results[name], selected=place.key), key=f"article:{name}"
                )
                if clicked and clicked in by_key and clicked != place.key:
                    st.session_state["selected"] = st.session_state["focus"] = clicked
                    st.rerun()  # draw the map again, focused on the clicked place
        correction_panel(selected, results, texts, shown_articles)

# --- Table and exports -------------------------------------------------------------------------
st.subheader(f"{len(places)} places" + (f" (of {len(all_places)})" if len(places) != len(all_places) else ""))
st.session_state["table_keys"] = [m.place.key for m in places]
st.dataframe(
    [
        {
            "Place": m.place.name,
            "Category": m.place.kind,
            "Country": m.place.country or "",
            "Mentions": len(m.mentions),
            "Written as": ", ".join(sorted({x.text for x in m.mentions})),
            "Lat": round(m.place.lat, 4),
            "Lon": round(m.place.lon, 4),
            "Source": m.place.source,
        }
        for m in places
    ],
    width="stretch",
    hide_index=True,
    on_select="rerun",
    selection_mode="single-row",
    key="table",
)
unplaced = sorted({i.mention.text for name in shown_articles for i in results.get(name, []) if i.place is None})
if unplaced:
    st.caption("Named but not placed: " + escape_markdown(", ".join(unplaced)))
downloads = st.columns(3)
downloads[0].download_button("GeoJSON", export.to_geojson(places), "news-atlas.geojson", "application/geo+json")
downloads[1].download_button("CSV", export.to_csv(places), "news-atlas.csv", "text/csv")
downloads[2].download_button("KML", export.to_kml(places), "news-atlas.kml", "application/vnd.google-earth.kml+xml")

# The URL carries the view, so a copied link reopens it.
query.from_dict(
    {
        "seed": [n for n in chosen],
        "kind": kinds if len(kinds) < len(KINDS) else [],
        "min": str(least) if least > 1 else [],
        "place": selected_key or [],
    }
)
