"""What the app loads once and shares: Streamlit's resource and data caches around geo/'s work."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from geo.articles import Article
from geo.assets import MapAssets, serve_from
from geo.corrections import Corrections
from geo.geocode import CachedGeocoder
from geo.online import from_environment
from geo.paths import cache_dir
from geo.pipeline import Geoparser, ParseResult

#: The app's folder: static/ is served from here.
HERE = Path(__file__).resolve().parent.parent


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


# A resource, not data: the frozen result is shared as it is, not unpickled again on every rerun
# (with 200 articles that copy cost over half a second a run).
@st.cache_resource(show_spinner=False, max_entries=256)
def parse(text: str, service: str, url: str, ask_online: str, version: tuple[int, int]) -> ParseResult:
    # version: the corrections' version, so that a correction re-parses what it touches.
    return geoparser().with_online(online_geocoder(service, url), ask_online, corrections()).parse(text)


@st.cache_resource(show_spinner=False)
def corrections_store(path: str) -> Corrections:
    return Corrections(Path(path))


def corrections() -> Corrections:
    """Return the corrections store in the cache folder (one per folder for the whole server)."""
    return corrections_store(str(cache_dir() / "corrections.sqlite"))


@st.cache_data(show_spinner=False, ttl=3600)
def fetched(url: str) -> Article:
    from geo.fetch import fetch_article

    return fetch_article(url)
