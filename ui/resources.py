"""What the app loads once and shares: Streamlit's resource and data caches around geo/'s work."""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import streamlit as st

from geo.core.config import settings
from geo.core.errors import InputError
from geo.gazetteer import Gazetteer, open_gazetteer
from geo.inputs.articles import Article
from geo.map.assets import MapAssets, serve_from
from geo.parse.batch import ParserSettings
from geo.parse.cache import ParseCache, identity, parse_key, ranker_digest
from geo.parse.parsed import ParseResult
from geo.resolve.geocode import CachedGeocoder, GazetteerGeocoder, MemoryCachedGeocoder
from geo.resolve.online import BudgetedGeocoder, OnlineGeocoder, from_environment
from geo.resolve.ranker import Ranker
from geo.store.corrections import Corrections, Edits, article_id
from geo.store.paths import cache_dir
from ui import limits
from ui.guards import token_guesses
from ui.registry import online_budgets, parse_results, session_stores

if TYPE_CHECKING:
    from geo.parse.pipeline import Geoparser

#: The app's folder: static/ is served from here.
HERE = Path(__file__).resolve().parent.parent


@st.cache_resource(show_spinner="Opening the gazetteer (built on first run, about a minute)…")
def gazetteer() -> Gazetteer:
    """Return the offline gazetteer, built first when missing or out of date."""
    return open_gazetteer()


@st.cache_resource(show_spinner=False)
def ranker() -> tuple[Ranker, str]:
    """Return the shipped ranker and its digest (part of every parse's cache key)."""
    loaded = Ranker.load()
    return loaded, ranker_digest(loaded)


@st.cache_resource(show_spinner="Loading the language model…")
def geoparser() -> Geoparser:
    """Return the Geoparser every session shares: the spaCy model, loaded on first use only (a
    start whose articles are all in the parse cache never loads it)."""
    from geo.parse.pipeline import Geoparser  # imports spaCy (about a second): only when parsing

    if settings().public:
        # The names the offline geocoder is asked are the visitors' (near misses of what they
        # pasted): kept in memory, bounded, never in the shared geocode cache on disk.
        offline = MemoryCachedGeocoder(GazetteerGeocoder(gazetteer()))
        return Geoparser(gazetteer=gazetteer(), ranker=ranker()[0], geocoder=offline)
    return Geoparser(gazetteer=gazetteer(), ranker=ranker()[0])


@st.cache_resource(show_spinner=False)
def parse_cache(path: str) -> ParseCache:
    """Return the parse results kept on disk at ``path`` (geo.parse.cache)."""
    return ParseCache(Path(path))


@st.cache_resource(show_spinner=False)
def map_assets() -> MapAssets:
    if not st.get_option("server.enableStaticServing"):
        return MapAssets({}, None)  # no static folder served: CDN scripts, embedded outlines
    base = "/" + "/".join(p for p in (st.get_option("server.baseUrlPath").strip("/"), "app/static") if p)
    return serve_from(HERE / "static", base)


#: One online geocoder per service and address for the whole server: every session shares its rate
#: limit (Nominatim's one request a second) and its back-off after HTTP 429; locally, its answers
#: too (kept on disk). Module-level, not in st.cache_resource, which a browser can empty: the
#: politeness towards the service is not the visitors' to reset.
_GEOCODERS: dict[tuple[str, str], CachedGeocoder | None] = {}
_ONLINE: dict[tuple[str, str], OnlineGeocoder | None] = {}
_GEOCODERS_LOCK = threading.Lock()


def _address(url: str) -> str:
    """In public mode the address is always the operator's ($GEO_GEOCODER_URL), whatever is passed."""
    return (settings().geocoder_url if settings().public else url or settings().geocoder_url) or ""


def server_online(service: str, url: str) -> OnlineGeocoder | None:
    """Return the server's one online geocoder for ``service`` at ``url`` (None: offline), uncached."""
    address = _address(url)
    with _GEOCODERS_LOCK:
        if (service, address) not in _ONLINE:
            _ONLINE[service, address] = from_environment(service, address or None)
        return _ONLINE[service, address]


def online_geocoder(service: str, url: str) -> CachedGeocoder | None:
    """Return the server's geocoder for ``service`` at ``url`` with its answers kept in the geocode
    cache on disk (None: offline): the local app's. Public mode asks ``visitor_geocoder``."""
    online = server_online(service, url)
    address = _address(url)
    with _GEOCODERS_LOCK:
        if (service, address) not in _GEOCODERS:
            _GEOCODERS[service, address] = CachedGeocoder(online) if online is not None else None
        return _GEOCODERS[service, address]


def connected() -> bool:
    """Return whether this run's browser is still connected. A run goes on for a moment after its
    browser has left (Streamlit stops it at its next step), and must not open again what the
    session's end closed. True outside a server (tests, bare mode)."""
    from streamlit.runtime import Runtime
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    if ctx is None or not Runtime.exists():
        return True
    return Runtime.instance().is_active_session(ctx.session_id)


def visitor_geocoder(service: str, url: str, session: str) -> BudgetedGeocoder | None:
    """Return the online geocoder one public article of ``session`` is parsed with (None: offline):
    the server's, within the session's budget ($NEWS_ATLAS_ONLINE_PER_ARTICLE look-ups for the
    article, $NEWS_ATLAS_ONLINE_PER_SESSION for the session, closed when it ends), its answers
    kept in the session's memory, not on disk."""
    online = server_online(service, url)
    if online is None:
        return None
    budget, answers = online_budgets().get(session, settings().online_per_session, connected=connected())
    return BudgetedGeocoder(online, budget, per_article=settings().online_per_article, answers=answers)


@dataclass(frozen=True)
class _Plan:
    """Where the parse of one article with its settings is looked for, and what it is made with."""

    memory_key: tuple
    disk: ParseCache | None
    disk_key: str
    corrected: Corrections
    online: CachedGeocoder | BudgetedGeocoder | None
    edits: Edits
    article: str


def _plan(
    text: str,
    service: str,
    url: str,
    ask_online: str,
    version: tuple[int, int],
    store: str,
    demonyms: bool,
    on_disk: bool,
) -> _Plan:
    # version: the corrections' version, so that a correction re-parses what it touches here; the
    # disk cache is keyed by this article's own corrections, so only the articles they touch miss.
    # store: which corrections (a public visitor's own, or the shared ones).
    corrected = session_stores().at(store) or corrections_store(store, None)
    online: CachedGeocoder | BudgetedGeocoder | None
    if settings().public:
        online = visitor_geocoder(service, url, session_id())
        if online is not None and connected():
            _session_lease(session_id())  # its budget is closed when the session disconnects
    else:
        online = online_geocoder(service, url)
    # Keyed by the geocoder actually asked (its service and address), not the sidebar's words;
    # offline, what would be asked online changes nothing.
    key_settings = ParserSettings(
        service=online.cache_namespace if online is not None else "offline",
        ask_online=ask_online if online is not None else "unplaced",
        demonyms=demonyms,
    )
    article = article_id(text)
    edits = corrected.edits(article)
    # on_disk False: a public visitor's own article, whose names and excerpts stay in this
    # process's memory only (the server's sample articles are kept on disk for every visitor).
    return _Plan(
        (article, service, url, ask_online, version, store, demonyms),
        parse_cache(str(cache_dir() / "parses.sqlite")) if on_disk else None,
        parse_key(text, key_settings, edits, identity(gazetteer(), ranker()[1])),
        corrected,
        online,
        edits,
        article,
    )


def cached(
    text: str,
    service: str,
    url: str,
    ask_online: str,
    version: tuple[int, int],
    store: str,
    demonyms: bool = False,
    on_disk: bool = True,
) -> ParseResult | None:
    """Return the places of ``text`` when they were found before: from this process's memory
    (``ui.registry.parse_results``, shared as they are, not copied), else from the parse cache on
    disk; else None. Cheap: no place in the parse queue is needed for it."""
    return _found(_plan(text, service, url, ask_online, version, store, demonyms, on_disk), text)


def _found(plan: _Plan, text: str) -> ParseResult | None:
    found = parse_results().get(plan.memory_key)
    if found is None and plan.disk is not None:
        found = plan.disk.get(plan.disk_key, text)
        if found is not None:
            parse_results().put(plan.memory_key, found)
    return found


def parse(
    text: str,
    service: str,
    url: str,
    ask_online: str,
    version: tuple[int, int],
    store: str,
    demonyms: bool = False,
    on_disk: bool = True,
    *,
    give_up: float | None = None,
) -> ParseResult:
    """Return the places of ``text``, as ``cached`` finds them, else parsed (loading the model if
    this is the first parse) and kept in memory and, ``on_disk``, on disk. Where the model runs in
    a worker process (public mode, ui.limits), it is stopped at ``give_up`` (a ``time.monotonic()``
    time) with ParseStopped."""
    plan = _plan(text, service, url, ask_online, version, store, demonyms, on_disk)  # once: it hashes the text
    found = _found(plan, text)
    if found is not None:
        return found
    parser = geoparser().with_online(plan.online, ask_online, plan.corrected).with_demonyms(demonyms)
    with limits.model_worker(gazetteer().path) as worker:
        if worker is None:
            result = parser.parse(text)
        else:
            left = limits.PARSE_SECONDS if give_up is None else give_up - time.monotonic()
            # A visitor who left no longer waits for the answer: the model stops for them.
            found_by_model = worker.recognize(text, demonyms=demonyms, timeout=max(left, 0.0), wanted=connected)
            result = parser.locate(text, found_by_model.mentions, found_by_model.entities)
    # A failed online look-up is asked again next time; a correction made during the parse may or
    # may not be in it, so such a result is not kept under the corrections read before it. One
    # with names left to the offline gazetteer (the budget spent) is kept in memory, not on disk.
    if not result.warnings and plan.corrected.edits(plan.article) == plan.edits:
        parse_results().put(plan.memory_key, result)
        if plan.disk is not None and not result.offline_only:
            plan.disk.put(plan.disk_key, result)
    return result


#: Shared corrections one session may make in a minute, in public mode.
PUBLIC_MAX_PER_MINUTE = 10
SESSION_KEY = "news_atlas_session"
EDITOR_KEY = "editor_token"


@st.cache_resource(show_spinner=False)
def corrections_store(path: str, max_per_minute: int | None = None) -> Corrections:
    return Corrections(Path(path), max_per_minute=max_per_minute)


def session_id() -> str:
    """Return this browser session's id (random, made on its first run)."""
    if SESSION_KEY not in st.session_state:
        st.session_state[SESSION_KEY] = uuid.uuid4().hex
    return str(st.session_state[SESSION_KEY])


def editor() -> str | None:
    """Return the name of the editor whose token this session entered, or None."""
    token = st.session_state.get(EDITOR_KEY)
    if not isinstance(token, str) or not token or not settings().editor_tokens:
        return None
    return token_guesses().check(session_id(), token, settings().editor_tokens)


def corrections() -> Corrections:
    """Return the corrections this session reads and writes.

    Locally, the store in the cache folder, shared by every session and the command line. In
    public mode, a store of the session's own (in the temporary folder, deleted when the session
    ends: ``ui.registry.SessionStores``), unless the session entered an editor token: then the
    shared store, a number of corrections a minute at most.
    """
    if settings().public:
        if editor() is None:
            store = session_stores().get(session_id())
            _session_lease(session_id())  # released by Streamlit when the session disconnects
            return store
        return corrections_store(str(cache_dir() / "corrections.sqlite"), PUBLIC_MAX_PER_MINUTE)
    return corrections_store(str(cache_dir() / "corrections.sqlite"))


@dataclass(frozen=True)
class _Lease:
    """A public session's hold on its own corrections store and its online budget, for as long as
    it is connected."""

    session: str


def _lease_released(lease: _Lease) -> None:
    session_stores().end(lease.session)
    online_budgets().end(lease.session)  # nothing it queued is sent after it ended


@st.cache_resource(show_spinner=False, scope="session", on_release=_lease_released)
def _session_lease(session: str) -> _Lease:
    return _Lease(session)


#: Seconds a failed fetch is remembered (its message shown again, the page not asked again).
FAILURE_TTL = 120.0
_MAX_FAILURES = 256


@st.cache_data(show_spinner=False, ttl=3600, max_entries=64)
def _fetched(url: str) -> Article:
    from geo.inputs.fetch import fetch_article

    return fetch_article(url)


#: Failed fetches by address: (when, the sentence said). Module-level, not in st.cache_resource,
#: which a browser can empty: the back-off must hold.
_FAILURES: dict[str, tuple[float, str]] = {}


def _failures() -> dict[str, tuple[float, str]]:
    return _FAILURES


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
