"""News Atlas: the places a news article names, on a map, beside the sentences that name them.

Run with `streamlit run app.py`. This file is only the user interface; the work is done by geo/.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import streamlit as st
from streamlit_folium import st_folium

from geo.articles import Article, load_folder, place_at
from geo.assets import MapAssets, serve_from
from geo.errors import GeoError, InputError
from geo.escaping import escape_markdown
from geo.geocode import CachedGeocoder
from geo.mapview import build_map
from geo.online import ASK_ONLINE, ENV_SERVICE, ENV_URL, SERVICES, from_environment
from geo.pipeline import Geoparser, ParseResult, group_places
from geo.text import check_text, decode_article
from geo.values import PlaceMention

log = logging.getLogger("news_atlas")
HERE = Path(__file__).resolve().parent
SEEDS = HERE / "seeds"

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
def parse(text: str, service: str, url: str, ask_online: str) -> ParseResult:
    return geoparser().with_online(online_geocoder(service, url), ask_online).parse(text)


st.title("News Atlas")
st.caption("Every place an article names, on a map. Click a marker to read where the text mentions it.")

# --- Articles in -------------------------------------------------------------------------------
seeds = load_folder(SEEDS)
with st.sidebar:
    st.header("Articles")
    chosen = st.multiselect("Sample articles", [a.name for a in seeds], default=[a.name for a in seeds], key="seeds")
    articles = [a for a in seeds if a.name in chosen]
    pasted = st.text_area("Paste an article", height=160, key="pasted", placeholder="Paste news text here…")
    uploads = st.file_uploader("Or upload text files", type=["txt", "md"], accept_multiple_files=True)
    st.header("Geocoding")
    services = ["offline", *SERVICES]
    default_service = os.environ.get(ENV_SERVICE, "offline").lower()
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
        url = st.text_input("Service address (optional)", value=os.environ.get(ENV_URL, ""), key="geocoder_url")
        ask_online = st.radio(
            "Ask it for",
            ASK_ONLINE,
            format_func={"unplaced": "names the gazetteer cannot place", "all": "every name"}.get,
            key="ask_online",
        )

if pasted.strip():
    try:
        articles.append(Article("Pasted article", check_text(pasted, name="The pasted text"), "pasted"))
    except InputError as err:
        st.sidebar.warning(str(err))
for upload in uploads or []:
    try:
        articles.append(Article(upload.name, decode_article(upload.getvalue(), name=upload.name), "upload"))
    except InputError as err:
        st.sidebar.warning(str(err))

if not articles:
    st.info("Choose a sample article, paste one, or upload a text file to see its places.")
    st.stop()

# --- Places ------------------------------------------------------------------------------------
results: dict[str, list[PlaceMention]] = {}
warnings: set[str] = set()
with st.spinner("Finding places…"):
    for article in articles:
        try:
            result = parse(article.text, service, url, ask_online)
            results[article.name] = list(result.mentions)
            if result.warnings:
                warnings.update(result.warnings)
                parse.clear(article.text, service, url, ask_online)  # ask the service again next run
        except GeoError as err:
            st.error(f"Could not map “{article.name}”: {err}")
        except Exception:  # the UI boundary: log the traceback, show the user a sentence
            log.exception("parsing %s failed", article.name)
            st.error(f"Something went wrong while mapping “{article.name}”; the other articles are still shown.")

places = group_places(item for found in results.values() for item in found)
for warning in sorted(warnings):
    st.warning(warning)

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
        )
    except Exception:  # the UI boundary: the table and context still work without the map
        log.exception("drawing the map failed")
        st.error("The map could not be drawn; the places are listed below.")
        state = None
    if not assets.offline:
        st.caption("The map's scripts load from the internet here: if it stays blank, check the connection.")
    clicked = (state or {}).get("last_object_clicked")
    if clicked:
        hit = place_at(places, clicked["lat"], clicked["lng"])
        if hit is not None:
            st.session_state["selected"] = hit.place.key

with context_column:
    selected = next((m for m in places if m.place.key == st.session_state.get("selected")), None)
    if selected is None:
        st.subheader("Context")
        st.write("Click a marker to read every sentence that mentions the place.")
    else:
        place = selected.place
        st.subheader(escape_markdown(place.name))
        st.caption(
            escape_markdown(
                f"{place.kind} · {place.country or 'no country'} · {place.lat:.4f}, {place.lon:.4f} · {place.source}"
            )
        )
        for name, found in results.items():
            mentions = [item.mention for item in found if item.place and item.place.key == place.key]
            if not mentions:
                continue
            st.markdown(f"**{escape_markdown(name)}**")
            for mention in dict.fromkeys(mentions):
                before, _, after = mention.excerpt.partition(mention.text)
                st.markdown(f"> {escape_markdown(before)}**{escape_markdown(mention.text)}**{escape_markdown(after)}")

# --- Table -------------------------------------------------------------------------------------
st.subheader(f"{len(places)} places")
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
)
unplaced = sorted({item.mention.text for found in results.values() for item in found if item.place is None})
if unplaced:
    st.caption("Named but not placed: " + escape_markdown(", ".join(unplaced)))
