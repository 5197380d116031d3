"""The sidebar: which articles, which geocoder, which places to show. Each part returns a frozen value."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import cast

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from geo.core.config import settings
from geo.core.escaping import escape_markdown
from geo.core.values import KINDS, MappedPlace
from geo.inputs.metadata import ArticleMeta, label
from geo.map.tints import COLOUR_BY
from geo.resolve.online import ASK_ONLINE, SERVICES
from ui import resources
from ui.link import Link


@dataclass(frozen=True)
class Inputs:
    """The articles asked for: sample articles by name, pasted text, uploaded files, a web address."""

    seeds: tuple[str, ...]
    pasted: str
    uploads: tuple[UploadedFile, ...]
    address: str


@dataclass(frozen=True)
class Geocoding:
    """The geocoder chosen: "offline" or an online service, its address ("" for the default), what to ask it."""

    service: str
    url: str
    ask_online: str
    #: Demonyms ("Russian forces") mapped to their country; off by default: an actor is not a place.
    demonyms: bool = False


@dataclass(frozen=True)
class Filters:
    """Which places are shown: of these categories and countries (any when none), in these articles, named so often."""

    kinds: tuple[str, ...]
    countries: tuple[str, ...]
    articles: tuple[str, ...]  # the articles shown: those chosen (else all) and dated in range or undated
    min_mentions: int
    chosen: tuple[str, ...] = ()  # the articles chosen in the list (none: all)
    dates: tuple[dt.date, dt.date] | None = None  # publication dates shown, when narrowed
    colour_by: str = "category"  # one of geo.map.tints.COLOUR_BY


def corpus_source() -> str:
    """Draw the sidebar's "Corpus" part; return the corpus output folder to open ("" for none: articles mode).

    In public mode a visitor never types a server folder: the operator's corpus
    (``$NEWS_ATLAS_CORPUS``), if any, can be switched on and off, nothing else opened.
    """
    configured = settings().corpus_dir
    with st.sidebar:
        if settings().public:
            if configured is None:
                return ""
            shown = st.toggle("Show the archive", value=True, key="corpus_on")
            return str(configured) if shown else ""
        with st.expander("Corpus (an archive's output)", expanded=configured is not None):
            return st.text_input(
                "Open a corpus (the folder `news-atlas corpus --out` wrote)",
                value=str(configured) if configured else "",
                key="corpus_dir",
                placeholder="empty: map articles one by one",
            ).strip()


def article_inputs(seed_names: Sequence[str], link: Link) -> Inputs:
    """Draw the sidebar's "Articles" part; return what it asks for."""
    with st.sidebar:
        st.header("Articles")
        _choices("seeds", seed_names, [n for n in link.seeds if n in seed_names] or list(seed_names))
        chosen = st.multiselect("Sample articles", seed_names, key="seeds")
        pasted = st.text_area(
            "Paste an article (text or HTML)", height=140, key="pasted", placeholder="Paste news text here…"
        )
        uploads = st.file_uploader(
            "Or upload files", type=["txt", "md", "html", "htm"], accept_multiple_files=True, key="uploads"
        )
        address = st.text_input("Or fetch a web page (needs a network)", key="url", placeholder="https://…")
    return Inputs(tuple(chosen), pasted, tuple(uploads or ()), address)


def warn(problems: Sequence[str]) -> None:
    """Say in the sidebar what could not be read."""
    for problem in problems:
        st.sidebar.warning(escape_markdown(problem))  # file names and titles come from outside


def geocoding() -> Geocoding:
    """Draw the sidebar's "Geocoding" part; return the geocoder chosen."""
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
            + (
                f"second at most), {settings().online_per_article} names an article and "
                f"{settings().online_per_session} a visit at most; the rest are left to the gazetteer."
                if settings().public
                else "second at most), and every answer is cached in cache/."
            ),
        )
        url, ask_online = "", "unplaced"
        if service != "offline":
            # In public mode the address is the operator's (a secret, never shown): a visitor who
            # could type one could make the server call any address.
            if not settings().public:
                url = st.text_input(
                    "Service address (optional)", value=settings().geocoder_url or "", key="geocoder_url"
                )
            ask_online = st.radio(
                "Ask it for",
                ASK_ONLINE,
                format_func={"unplaced": "names the gazetteer cannot place", "all": "every name"}.get,
                key="ask_online",
            )
        demonyms = st.checkbox(
            "Map demonyms to their country",
            value=False,
            key="demonyms",
            help="“Russian forces”, “the Syrian army”: off, they name actors, not places; on, each is "
            "mapped to its country (as some gold corpora count them).",
        )
    return Geocoding(service, url, ask_online, demonyms)


def editor_token() -> None:
    """In public mode with editors configured, draw the field for an editor token (kept in the session)."""
    if settings().public and settings().editor_tokens:
        from ui import guards, resources

        token = st.sidebar.text_input(
            "Editor token",
            type="password",
            key="editor_token",
            help="Editors' corrections are seen by everyone; without a token they stay in this browser session.",
        )
        if token and resources.editor() is None:
            st.sidebar.caption(
                f"Too many wrong tokens: none is taken for {guards.GUESS_WINDOW / 60:g} minutes."
                if guards.token_guesses().locked(resources.session_id())
                else "That is not an editor's token: your corrections stay in this session."
            )


def by_date(metas: Mapping[str, ArticleMeta]) -> list[str]:
    """Return the article names of ``metas`` newest first; those without a date last, in their order."""
    dated = sorted((n for n, m in metas.items() if m.date), key=lambda n: metas[n].date or dt.date.min, reverse=True)
    return dated + [n for n, m in metas.items() if not m.date]


#: Most articles the sidebar lists at once (the search narrows them).
MAX_LISTED = 30


def article_list(metas: Mapping[str, ArticleMeta]) -> None:
    """Draw the sidebar's list of the articles mapped, newest first, one line each (title · outlet ·
    date, linked to its address), with a search over titles, outlets, names and dates."""
    with st.sidebar:
        st.header(f"{len(metas)} article" + ("s" if len(metas) != 1 else ""))
        query = ""
        if len(metas) > 3:
            query = st.text_input("Search the articles", key="article_search", placeholder="title, outlet, date…")
        words = query.lower().split()
        lines = []
        for name in by_date(metas):
            text = label(name, metas[name])
            if all(w in f"{name} {text}".lower() for w in words):
                url = metas[name].url
                shown = escape_markdown(text)
                # The address is an http(s) one (geo.inputs.metadata.clean_url); brackets escaped for Markdown.
                link = f" [↗](<{url.replace('>', '%3E').replace('<', '%3C')}>)" if url else ""
                lines.append(f"- {shown}{link}")
        if lines:
            st.markdown(
                "\n".join(lines[:MAX_LISTED])
                + (f"\n\n…and {len(lines) - MAX_LISTED} more" if len(lines) > MAX_LISTED else "")
            )
        else:
            st.caption("No article matches the search.")


def filters(places: Sequence[MappedPlace], metas: Mapping[str, ArticleMeta], link: Link) -> Filters:
    """Draw the sidebar's "Filters" part for ``places`` found in the articles of ``metas`` (by name);
    return the filters. Articles are listed newest first; a date slider narrows them by publication
    date, and articles without a date are always shown (the sidebar says so)."""
    names = by_date(metas)
    with st.sidebar:
        st.header("Filters")
        _choices("kinds", KINDS, [k for k in link.kinds if k in KINDS] or list(KINDS))
        kinds = st.multiselect("Categories", KINDS, key="kinds")
        countries_known = sorted({m.place.country for m in places if m.place.country})
        _choices("countries", countries_known, link.countries)
        named = resources.gazetteer().country_names
        countries = st.multiselect(
            "Countries (all when empty)",
            countries_known,
            format_func=lambda code: f"{named.get(code, code)} ({code})",
            key="countries",
        )
        _choices("shown_articles", names, link.articles)
        only = st.multiselect(
            "Articles (all when empty)", names, format_func=lambda n: label(n, metas[n]), key="shown_articles"
        )
        dates = _date_range(metas, link)
        most = max((len(m.mentions) for m in places), default=1)
        _start("min_mentions", link.min_mentions, low=1, high=max(most, 2))
        least = st.slider("At least this many mentions", 1, max(most, 2), key="min_mentions")
        if st.session_state.get("colour_by") not in COLOUR_BY:  # the session's first run: the link's
            st.session_state["colour_by"] = link.colour_by
        colour_by = st.radio(
            "Colour markers by",
            COLOUR_BY,
            horizontal=True,
            key="colour_by",
            help="By article: each article its colour (the newest naming a place colours it). By date: "
            "from dark (oldest) to light (newest). By event type: what most of a place's sentences report "
            "there (a tie: the more violent). The shape always says the category.",
        )
    shown = [n for n in (only or names) if dates is None or (d := metas[n].date) is None or dates[0] <= d <= dates[1]]
    return Filters(tuple(kinds), tuple(countries), tuple(shown), least, tuple(only), dates, colour_by or "category")


def _choices(key: str, options: Sequence[str], from_link: Sequence[str]) -> None:
    """Start the multiselect ``key`` from the link on the session's first run; later, keep what the
    user chose of it that is still among ``options`` (the options follow the articles loaded).

    The widgets take their value from the session, never a ``default``: the link is rewritten on
    every run, and a default that changes makes Streamlit treat the widget as a new one, which
    drops a click made while the page was rerunning."""
    kept = st.session_state.get(key)
    chosen = list(from_link) if kept is None else list(kept)
    st.session_state[key] = [value for value in chosen if value in options]


def _start(key: str, from_link: int, *, low: int, high: int) -> None:
    """Start the slider ``key`` from the link on the session's first run; keep it within ``low``..``high``."""
    kept = st.session_state.get(key)
    value = from_link if not isinstance(kept, int) else kept
    st.session_state[key] = min(max(value, low), high)


def _date_range(metas: Mapping[str, ArticleMeta], link: Link) -> tuple[dt.date, dt.date] | None:
    """Draw the publication-date slider when the articles span more than one day; return the range
    chosen when it is narrower than all of them (None: every date)."""
    days = sorted({m.date for m in metas.values() if m.date})
    undated = sum(1 for m in metas.values() if not m.date)
    if len(days) < 2:
        if undated and days:
            st.caption(f"{undated} article{'s' if undated > 1 else ''} without a date.")
        return None
    first, last = days[0], days[-1]
    start = min(max(link.date_from or first, first), last)
    end = max(min(link.date_to or last, last), start)
    kept = st.session_state.get("dates")
    if isinstance(kept, tuple) and len(kept) == 2:  # the articles' span may have changed since
        begin = min(max(kept[0], first), last)
        st.session_state["dates"] = (begin, max(min(kept[1], last), begin))
    else:
        st.session_state["dates"] = (start, end)
    # A range, as the session holds it (the slider takes its value from there, see _choices).
    slider = st.slider("Published between", first, last, format="YYYY-MM-DD", key="dates")
    chosen = cast(tuple[dt.date, dt.date], slider)
    if undated:
        st.caption(
            f"{undated} article{'s have' if undated > 1 else ' has'} no date and "
            f"{'are' if undated > 1 else 'is'} shown whatever the range."
        )
    low, high = chosen
    return None if (low, high) == (first, last) else (low, high)
