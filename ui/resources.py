"""What the app loads once and shares: Streamlit's resource and data caches around geo/'s work."""

from __future__ import annotations

import time
from pathlib import Path

import streamlit as st

from geo.articles import Article
from geo.assets import MapAssets, serve_from
from geo.config import settings
from geo.corrections import Corrections
from geo.errors import InputError
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
    # In public mode the address is always the operator's ($GEO_GEOCODER_URL), whatever is passed.
    online = from_environment(service, None if settings().public else (url or None))
    return CachedGeocoder(online) if online is not None else None


@st.cache_data(show_spinner=False, max_entries=256)
def parse(text: str, service: str, url: str, ask_online: str, version: tuple[int, int]) -> ParseResult:
    # version: the corrections' version, so that a correction re-parses what it touches.
    return geoparser().with_online(online_geocoder(service, url), ask_online, corrections()).parse(text)


@st.cache_resource(show_spinner=False)
def corrections_store(path: str) -> Corrections:
    return Corrections(Path(path))


def corrections() -> Corrections:
    """Return the corrections store in the cache folder (one per folder for the whole server)."""
    return corrections_store(str(cache_dir() / "corrections.sqlite"))


#: Seconds a failed fetch is remembered (its message shown again, the page not asked again).
FAILURE_TTL = 120.0
_MAX_FAILURES = 256


@st.cache_data(show_spinner=False, ttl=3600, max_entries=64)
def _fetched(url: str) -> Article:
    from geo.fetch import fetch_article

    return fetch_article(url)


@st.cache_resource(show_spinner=False)
def _failures() -> dict[str, tuple[float, str]]:
    return {}


def fetched(url: str) -> Article:
    """Return the article at ``url`` (cached an hour); raise InputError, remembered for
    ``FAILURE_TTL`` seconds so that a rerun does not ask the page again."""
    failures = _failures()
    failed = failures.get(url)
    if failed is not None and time.monotonic() - failed[0] < FAILURE_TTL:
        raise InputError(failed[1])
    try:
        return _fetched(url)
    except InputError as err:
        if len(failures) >= _MAX_FAILURES:
            failures.clear()
        failures[url] = (time.monotonic(), str(err))
        raise
