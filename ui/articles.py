"""Articles in: the samples chosen, the text pasted, the files uploaded, the page fetched; then their places."""

from __future__ import annotations

import datetime as dt
import functools
import logging
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

import streamlit as st

from geo.core.config import settings
from geo.core.errors import GeoError, InputError
from geo.core.escaping import escape_markdown
from geo.core.values import Entity, PlaceMention
from geo.inputs.articles import Article, article_of
from geo.inputs.metadata import ArticleMeta, clean_meta, clean_text, clean_url, label, parse_date
from geo.inputs.text import decode_article
from geo.parse.parsed import ParseResult
from geo.store import notices
from geo.store.corrections import article_id
from ui import limits, resources
from ui.registry import RESULTS_MAX_ENTRIES
from ui.sidebar import Geocoding, Inputs

log = logging.getLogger("news_atlas")


def as_article(name: str, text: str, source: str) -> Article:
    """Return the Article in ``text`` with its metadata (geo.inputs.articles.article_of; raises InputError)."""
    return article_of(name, text, source)


#: The metadata edited in the app, by article (``article_id`` of its text): kept in the session.
EDITS_KEY = "news_atlas_meta_edits"
#: Most articles whose edits a session keeps.
_EDITS_MAX = 200


def edited(articles: Sequence[Article]) -> list[Article]:
    """Return ``articles``, each with the metadata edited for it in this session, if any."""
    edits: dict[str, ArticleMeta] = st.session_state.get(EDITS_KEY, {})
    if not edits:
        return list(articles)
    return [replace(a, meta=edits.get(article_id(a.text), a.meta)) for a in articles]


def newest_first(articles: Sequence[Article]) -> list[Article]:
    """Return ``articles`` newest first; those without a date after them, in their order."""
    dated = sorted((a for a in articles if a.meta.date), key=lambda a: a.meta.date or dt.date.min, reverse=True)
    return dated + [a for a in articles if not a.meta.date]


def edit_metadata(articles: Sequence[Article]) -> None:
    """Draw the sidebar's editor of an article's title, outlet, date and address; keep what is
    saved in the session (then rerun, so that lists, filters and exports use it)."""
    if not articles:
        return
    by_name = {a.name: a for a in articles}
    with st.sidebar.expander("Edit an article's details"):
        name = st.selectbox(
            "Article",
            list(by_name),
            format_func=lambda n: label(n, by_name[n].meta),
            key="meta_article",
        )
        article = by_name[name]
        meta = article.meta
        with st.form(f"meta_form_{article_id(article.text)[:16]}", border=False):
            title = st.text_input("Title", value=meta.title or "", max_chars=300)
            outlet = st.text_input("Outlet", value=meta.outlet or "", max_chars=100)
            date = st.text_input("Date (YYYY-MM-DD)", value=meta.date.isoformat() if meta.date else "", max_chars=40)
            url = st.text_input("Address (http or https)", value=meta.url or "", max_chars=2000)
            saved = st.form_submit_button("Save details")
    if not saved:
        return
    problems = []
    if date.strip() and parse_date(date) is None:
        problems.append(f"“{date.strip()}” is not a date (write it as 2016-03-15); the date was left out.")
    if url.strip() and clean_url(url) is None:
        problems.append("Only http(s) addresses are kept; the address was left out.")
    edits: dict[str, ArticleMeta] = st.session_state.setdefault(EDITS_KEY, {})
    if len(edits) >= _EDITS_MAX:
        edits.pop(next(iter(edits)))
    edits[article_id(article.text)] = clean_meta(title, outlet, date, url)
    if problems:
        st.session_state["news_atlas_meta_problems"] = problems
    st.rerun()


def meta_problems() -> None:
    """Say in the sidebar what an edit of an article's details left out (once, after the save)."""
    for problem in st.session_state.pop("news_atlas_meta_problems", []):
        st.sidebar.warning(escape_markdown(problem))


#: Largest pasted or uploaded article a public deployment takes, in bytes (a long feature is ~100 KB).
PUBLIC_MAX_BYTES = 200_000


def _capped(size: int, name: str) -> None:
    """Raise InputError when a public deployment should not take an article of ``size`` bytes."""
    if settings().public and size > PUBLIC_MAX_BYTES:
        raise InputError(
            f"{name} is {size / 1000:.0f} KB; this site maps articles of up to {PUBLIC_MAX_BYTES // 1000} KB"
        )


#: The articles an atlas brought into this session (a link or a file opened: ui.atlas), kept in the session.
ATLAS_ARTICLES_KEY = "news_atlas_atlas_articles"


def gather(inputs: Inputs, seeds: Sequence[Article]) -> tuple[list[Article], list[str]]:
    """Return the articles ``inputs`` ask for (with their metadata, as edited in the session), and a
    sentence for each input that could not be read.

    Articles keep distinct names: a second upload called like an article already in gets its
    number ("notes.txt (2)"), so that neither hides the other.
    """
    articles = [a for a in seeds if a.name in inputs.seeds]
    problems: list[str] = []
    for article in st.session_state.get(ATLAS_ARTICLES_KEY, ()):
        try:
            _capped(len(article.text.encode("utf-8", "surrogatepass")), f"“{article.name}” of the atlas")
            articles.append(replace(article, name=_distinct(article.name, {a.name for a in articles})))
        except InputError as err:
            problems.append(str(err))
    if inputs.pasted.strip():
        try:
            _capped(len(inputs.pasted.encode("utf-8", "surrogatepass")), "The pasted article")
            articles.append(as_article("Pasted article", inputs.pasted, "pasted"))
        except InputError as err:
            problems.append(str(err))
    for upload in inputs.uploads:
        name = upload_name(upload.name)
        try:
            _capped(upload.size, name)
            article = as_article(name, decode_article(upload.getvalue(), name=name), "upload")
            articles.append(replace(article, name=_distinct(article.name, {a.name for a in articles})))
        except InputError as err:
            problems.append(str(err))
    if inputs.address.strip():
        try:
            article = resources.fetched(inputs.address.strip())
            articles.append(replace(article, name=_distinct(article.name, {a.name for a in articles})))
        except InputError as err:
            problems.append(str(err))
    return edited(articles), problems


#: Longest upload name shown.
MAX_NAME = 120


def upload_name(name: object) -> str:
    """Return an uploaded file's name as it may be shown: one line of visible characters (no
    controls, no bidirectional overrides), ``MAX_NAME`` at most; "upload" when nothing is left."""
    text = (
        "".join(ch for ch in name if unicodedata.category(ch) != "Cc" or ch.isspace()) if isinstance(name, str) else ""
    )
    return clean_text(text, MAX_NAME) or "upload"


def from_visitor(article: Article) -> bool:
    """Return whether ``article`` came from the person using the app (pasted, uploaded or fetched),
    or brought by an atlas, not from the server's own folder of sample articles."""
    return article.source in ("pasted", "upload", "atlas") or article.source.startswith(("http://", "https://"))


def _distinct(name: str, taken: set[str]) -> str:
    """Return ``name``, or ``name (2)``, ``name (3)``… whichever is not ``taken``."""
    number = 1
    candidate = name
    while candidate in taken:
        number += 1
        candidate = f"{name} ({number})"
    return candidate


@dataclass(frozen=True)
class Parsed:
    """The place mentions of each article mapped, and its text, by article name (in the articles' order)."""

    results: dict[str, list[PlaceMention]]
    texts: dict[str, str]
    #: Each article's title, outlet, date and address (as edited in the session).
    metas: dict[str, ArticleMeta] = field(default_factory=dict)
    #: Each article's organisations and nationalities (ParseResult.entities): the actors of its events.
    entities: dict[str, tuple[Entity, ...]] = field(default_factory=dict)


#: The session's own parses, by article and settings: what it has mapped stays mapped while a
#: parse of another article runs over the time limit (see ui.limits), and a rerun finds each
#: article's places here without looking for them again (the server's caches cost ~1 ms an
#: article to ask: 200 articles made every click 200 ms slower). They are the server's results
#: themselves, not copies; as many as the server keeps in memory (ui.registry).
MAPPED_KEY = "news_atlas_mapped"
_MAPPED_MAX = RESULTS_MAX_ENTRIES


def _mapped(
    key: tuple, cached: Callable[[], ParseResult | None], parse: Callable[[], ParseResult], give_up: float
) -> ParseResult:
    """Return the session's earlier result for ``key``, else the server's (``cached()``), else
    ``parse()`` in its turn in the server's parse queue, under the time limit."""
    mapped: dict[tuple, ParseResult] = st.session_state.setdefault(MAPPED_KEY, {})
    if key in mapped:
        return mapped[key]
    result = cached()
    if result is None:
        waiting = st.empty()

        def show(ahead: int) -> None:
            waiting.info(
                f"Waiting for the server: {ahead} article{'s' if ahead != 1 else ''} "
                f"{'are' if ahead != 1 else 'is'} being mapped before yours…"
            )

        try:
            result = limits.run_limited(
                resources.session_id(), parse, give_up, on_wait=show, wanted=resources.connected
            )
        finally:
            waiting.empty()
    if not result.warnings:  # a result with a failed online look-up is asked again next run
        if len(mapped) >= _MAPPED_MAX:
            mapped.pop(next(iter(mapped)))
        mapped[key] = result
    return result


def online_budget_spent(names: int) -> str:
    """Return what a visitor is told when names were not sent to the online geocoder (public mode)."""
    return (
        f"{names} name{'s were' if names != 1 else ' was'} left to the offline gazetteer: this server asks the "
        f"online geocoder for {settings().online_per_article} names an article and "
        f"{settings().online_per_session} a visit at most."
    )


def parse_all(articles: Sequence[Article], geocoding: Geocoding) -> Parsed:
    """Find the places in ``articles``, with a progress bar for several; say which could not be
    mapped, and why. Parsing them all may take ``limits.PARSE_SECONDS``; an article over the limit
    is reported and the others stay. Notices of degraded caches (geo.store.notices) are shown once a run."""
    results: dict[str, list[PlaceMention]] = {}
    texts: dict[str, str] = {}
    metas: dict[str, ArticleMeta] = {}
    entities: dict[str, tuple[Entity, ...]] = {}
    warnings: set[str] = set()
    offline_only = 0
    try:
        # The gazetteer is built (on a first start) outside the time limit; the model is loaded by
        # the first article not in the parse cache.
        # Public mode: the model's worker processes start loading now (ui.limits).
        limits.start_model_workers(resources.gazetteer().path)
    except GeoError as err:
        st.error(escape_markdown(f"The articles cannot be mapped: {err}"))
        return Parsed({}, {})
    progress = st.progress(0.0, text="Finding places…") if len(articles) > 1 else None
    give_up = time.monotonic() + limits.PARSE_SECONDS
    store = resources.corrections()
    version = store.version()  # once a run: the key under which parses are cached
    service, url, ask_online, demonyms = geocoding.service, geocoding.url, geocoding.ask_online, geocoding.demonyms
    public = settings().public
    for number, article in enumerate(articles, start=1):
        try:
            key = (article_id(article.text), service, url, ask_online, version, str(store.path), demonyms)
            on_disk = not (public and from_visitor(article))
            args = (article.text, service, url, ask_online, version, str(store.path), demonyms, on_disk)
            cached = functools.partial(resources.cached, *args)
            result = _mapped(key, cached, functools.partial(resources.parse, *args, give_up=give_up), give_up)
            results[article.name] = list(result.mentions)
            texts[article.name] = article.text
            metas[article.name] = article.meta
            entities[article.name] = result.entities
            warnings.update(result.warnings)  # not kept: the service is asked again next run
            offline_only += result.offline_only
        except GeoError as err:
            st.error(escape_markdown(f"Could not map “{article.name}”: {err}"))
        except Exception:  # the UI boundary: log the traceback, show the user a sentence
            log.exception("parsing %s failed", article.name)
            st.error(
                escape_markdown(
                    f"Something went wrong while mapping “{article.name}”; the other articles are still shown."
                )
            )
        if progress is not None and (number % max(1, len(articles) // 25) == 0 or number == len(articles)):
            # At most about 25 updates: each one is a message to the browser, on every rerun.
            progress.progress(number / len(articles), text=f"Finding places… {number} of {len(articles)} articles")
    if progress is not None:
        progress.empty()
    for warning in sorted(warnings):
        st.warning(escape_markdown(warning))
    if offline_only:
        st.info(online_budget_spent(offline_only))
    for notice in notices.current():
        st.warning(escape_markdown(notice))
    return Parsed(results, texts, metas, entities)
