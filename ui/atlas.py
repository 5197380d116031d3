"""Atlases in the app: "Save and share" (a link with ``?atlas=ID``), the atlas file downloaded and
opened again, and an atlas restored: its articles, corrections, filters, colouring, view and selection.

An atlas that cannot be opened (a link whose atlas is gone, a file that is not one) says so on the
page and changes nothing: what was loaded stays.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import streamlit as st

from geo.core.config import settings
from geo.core.errors import CorrectionRefused, GeoError
from geo.core.escaping import escape_markdown
from geo.inputs.articles import Article
from geo.map.mapview import View
from geo.outputs.atlas import Atlas, AtlasArticle, AtlasFileError, AtlasState, Layer, read_atlas, to_json
from geo.store.atlas import AtlasLimits, AtlasMissing, AtlasRefused, AtlasStore
from geo.store.corrections import Corrections, article_id
from geo.store.paths import cache_dir
from ui import events, resources, session
from ui.articles import ATLAS_ARTICLES_KEY, EDITS_KEY
from ui.sidebar import Filters
from ui.state import Selection

log = logging.getLogger("news_atlas")

#: Session keys: the atlas id this session saved or opened (kept in the link), the ``?atlas=`` id
#: already acted on, the message about the last atlas opened, the link made by the last save.
ID_KEY = "news_atlas_atlas_id"
OPENED_KEY = "news_atlas_atlas_opened"
MESSAGE_KEY = "news_atlas_atlas_message"
LINK_KEY = "news_atlas_atlas_link"
LAYERS_KEY = "news_atlas_atlas_layers"
#: The map panel's session key of the view it opens on (ui.map_panel._OPENED).
MAP_OPENED_KEY = "map_opened_view"

#: One store per server process (not in st.cache_resource, which a browser can empty: its bounds hold).
_STORES: dict[tuple[str, AtlasLimits], AtlasStore] = {}
_STORES_LOCK = threading.Lock()


def store() -> AtlasStore:
    """Return the server's atlas store (``cache/atlases.sqlite``), bounded by the operator's settings."""
    key = (str(cache_dir() / "atlases.sqlite"), AtlasLimits.of())
    with _STORES_LOCK:
        if key not in _STORES:
            _STORES[key] = AtlasStore(Path(key[0]), key[1])
        return _STORES[key]


def show_message() -> None:
    """Say on the page what opening an atlas did (or why it could not): on every run, until another
    atlas is opened (the map's own reports rerun the page at once: a message shown once would flash)."""
    message = st.session_state.get(MESSAGE_KEY)
    if isinstance(message, tuple) and len(message) == 2:
        kind, text = message
        (st.error if kind == "error" else st.success)(escape_markdown(text))


def open_from_link(seeds: Sequence[Article]) -> None:
    """Open the atlas the page's address names (``?atlas=ID``), once a session: restore it, or say
    why it cannot be (the rest of the address then applies as usual)."""
    wanted = st.query_params.get("atlas")
    if not wanted or st.session_state.get(OPENED_KEY) == wanted:
        return
    st.session_state[OPENED_KEY] = wanted
    try:
        atlas = read_atlas(store().load(wanted), max_bytes=settings().atlas_max_bytes)
    except (AtlasMissing, AtlasFileError) as err:
        st.session_state[MESSAGE_KEY] = ("error", f"This atlas link cannot be opened: {err}.")
        return
    except GeoError as err:
        log.warning("opening an atlas failed: %s", err)
        st.session_state[MESSAGE_KEY] = (
            "error",
            "This atlas link cannot be opened now: the server's atlases are unavailable.",
        )
        return
    restore(atlas, seeds)
    st.session_state[ID_KEY] = wanted


def open_file(seeds: Sequence[Article]) -> None:
    """The uploader's callback: open the atlas file uploaded, or say why it cannot be (nothing else changes)."""
    upload = st.session_state.get("atlas_file")
    if upload is None:
        return
    limit = settings().atlas_max_bytes
    try:
        if limit and upload.size > limit:
            raise AtlasFileError(
                f"this atlas file is {upload.size / 1_000_000:.1f} MB; "
                f"atlases of up to {limit / 1_000_000:.1f} MB are read"
            )
        atlas = read_atlas(upload.getvalue(), max_bytes=limit)
    except AtlasFileError as err:
        st.session_state[MESSAGE_KEY] = ("error", f"The atlas file cannot be opened: {err}. Nothing was changed.")
        return
    restore(atlas, seeds)
    st.session_state[ID_KEY] = None  # the address no longer names a saved atlas


def restore(atlas: Atlas, seeds: Sequence[Article]) -> None:
    """Make the session show ``atlas``: its articles (the server's own samples chosen by their text,
    the others kept in the session), their details and corrections, the filters, the colouring, the
    map's view, the selected place and the layers. Set before the widgets are drawn."""
    by_text = {article_id(a.text): a for a in seeds}
    chosen: list[str] = []
    own: list[Article] = []
    edits = dict(st.session_state.get(EDITS_KEY, {}))
    for item in atlas.articles:
        article = item.article
        seed = by_text.get(article_id(article.text))
        if seed is not None:
            chosen.append(seed.name)
            if article.meta != seed.meta:
                edits[article_id(article.text)] = article.meta
        else:
            own.append(replace(article, source="atlas"))
    state = atlas.state
    st.session_state[EDITS_KEY] = edits
    st.session_state[ATLAS_ARTICLES_KEY] = own
    st.session_state["seeds"] = chosen
    st.session_state["pasted"] = ""
    st.session_state["url"] = ""
    st.session_state["kinds"] = list(state.kinds)
    st.session_state["countries"] = list(state.countries)
    st.session_state["shown_articles"] = list(state.articles)
    st.session_state["min_mentions"] = state.min_mentions
    if state.date_from and state.date_to:
        st.session_state["dates"] = (state.date_from, state.date_to)
    else:
        st.session_state.pop("dates", None)
    st.session_state["colour_by"] = state.colour_by
    events.restore(state.event_types, (state.event_from, state.event_to))
    st.session_state[MAP_OPENED_KEY] = state.view
    st.session_state[session.KEY] = Selection(place=state.place)
    st.session_state[LAYERS_KEY] = list(atlas.layers)
    st.session_state["atlas_title"] = atlas.title
    refused = apply_corrections(atlas, resources.corrections())
    st.session_state[LINK_KEY] = None
    st.session_state[MESSAGE_KEY] = (
        "success",
        f"Opened the atlas “{atlas.title}”: {len(atlas.articles)} article{'s' if len(atlas.articles) != 1 else ''}, "
        f"{atlas.corrections()} correction{'s' if atlas.corrections() != 1 else ''}"
        + (f" ({refused} could not be applied)" if refused else "")
        + ".",
    )


def apply_corrections(atlas: Atlas, store: Corrections) -> int:
    """Write the atlas's corrections into ``store`` where it holds another (or none) for the same
    name in the same article (what it already holds is not written twice; corrections it holds that
    the atlas lacks stay); return how many could not be written (a rate limit)."""
    refused = 0
    who = resources.editor()
    me = resources.session_id()
    for item in atlas.articles:
        article = article_id(item.article.text)
        now = store.edits(article)
        try:
            for key, correction in item.edits.placed.items():
                if now.placed.get(key) != correction:
                    store.set(article, key, correction, who=who, session=me)
            for written, correction in item.edits.added.items():
                if now.added.get(written) != correction:
                    store.add(article, written, correction, who=who, session=me)
            for key in item.edits.removed - now.removed:
                store.remove(article, key, who=who, session=me)
        except (CorrectionRefused, ValueError) as err:
            log.info("an atlas's corrections were not all applied: %s", err)
            refused += 1
    return refused


@dataclass(frozen=True)
class Current:
    """What the reader is looking at now, to be saved as an atlas."""

    articles: tuple[Article, ...]
    filters: Filters
    place: str | None
    view: View | None
    layers: tuple[Layer, ...] = ()
    event_types: tuple[str, ...] = ()  # the event types chosen (all when empty)
    event_days: tuple[dt.date, dt.date] | None = None  # the timeline's range, when narrowed


def build(title: str, current: Current, store: Corrections) -> Atlas:
    """Return the atlas of ``current``: every article loaded with its corrections in ``store``."""
    filters = current.filters
    state = AtlasState(
        kinds=filters.kinds,
        countries=filters.countries,
        articles=filters.chosen,
        min_mentions=filters.min_mentions,
        date_from=filters.dates[0] if filters.dates else None,
        date_to=filters.dates[1] if filters.dates else None,
        colour_by=filters.colour_by,
        place=current.place,
        view=current.view,
        event_types=current.event_types,
        event_from=current.event_days[0] if current.event_days else None,
        event_to=current.event_days[1] if current.event_days else None,
    )
    articles = tuple(AtlasArticle(a, store.edits(article_id(a.text))) for a in current.articles)
    return Atlas(title.strip() or "News Atlas", articles, state, current.layers)


def may_save() -> str | None:
    """Return why this session may not save an atlas on the server, or None when it may."""
    saving = settings().atlas_saving
    if saving == "off":
        return "Saving atlases on this server is off: download the atlas file to share it."
    if saving == "editors" and resources.editor() is None:
        return "On this server only editors save atlases (enter an editor token): download the atlas file to share it."
    return None


def carries(atlas: Atlas) -> str:
    """Return the sentence that says what an atlas's link carries."""
    count = len(atlas.articles)
    fixes = atlas.corrections()
    days = settings().atlas_days
    return (
        f"The link opens “{atlas.title}”: {count} article{'s' if count != 1 else ''} (their text and details), "
        f"{fixes} correction{'s' if fixes != 1 else ''}, the filters, the colouring, the map's view and the selected "
        "place"
        + (f", and {len(atlas.layers)} layer{'s' if len(atlas.layers) != 1 else ''}" if atlas.layers else "")
        + ". Anyone with the link can open it"
        + (f"; this server keeps it {days} days." if days else ".")
    )


def _address(atlas_id: str) -> str:
    """Return the app's address with ``?atlas=ID`` (relative when the browser's address is unknown)."""
    try:
        url = st.context.url or ""
    except Exception:  # outside a server (tests)
        url = ""
    base = url.split("?", 1)[0].split("#", 1)[0]
    return f"{base}?atlas={atlas_id}"


def open_box(seeds: Sequence[Article]) -> None:
    """Draw the sidebar's uploader of an atlas file (opened by its callback, ``open_file``)."""
    st.sidebar.file_uploader(
        "Open an atlas file", type=["json"], key="atlas_file", on_change=open_file, args=(tuple(seeds),)
    )


def save_and_share(current: Current, seeds: Sequence[Article]) -> str | None:
    """Draw the sidebar's "Save and share" part; return the atlas id the page's address carries."""
    with st.sidebar:
        st.header("Save and share")
        title = st.text_input("Atlas name", key="atlas_title", max_chars=200, placeholder="News Atlas")
        refused = may_save()
        saved = st.button(
            "Save and share",
            key="atlas_save",
            disabled=refused is not None,
            help=refused or "Keeps this atlas on the server and gives a link that reopens it.",
        )
        if saved:
            corrections = resources.corrections()
            atlas = build(title, current, corrections)
            try:
                atlas_id = store().save(to_json(atlas), session=resources.session_id())
            except AtlasRefused as err:
                st.error(escape_markdown(f"The atlas was not saved: {err}."))
            except GeoError as err:
                log.warning("saving an atlas failed: %s", err)
                st.error("The atlas could not be saved now: download the atlas file instead.")
            else:
                st.session_state[ID_KEY] = st.session_state[OPENED_KEY] = atlas_id
                st.session_state[LINK_KEY] = (_address(atlas_id), carries(atlas))
        elif refused:
            st.caption(escape_markdown(refused))
        made = st.session_state.get(LINK_KEY)
        if isinstance(made, tuple):
            link, what = made
            st.caption("Copy link (the icon at its right):")
            st.code(link, language=None, wrap_lines=True)
            st.caption(escape_markdown(what))

        def document() -> str:  # made when the button is clicked, on a thread of its own
            return to_json(build(title, current, corrections_now))

        corrections_now = resources.corrections()
        st.download_button(
            "Download the atlas file",
            document,
            "news-atlas.atlas.json",
            "application/json",
            key="atlas_download",
            on_click="ignore",
            help="One JSON file (docs/atlas-format.md) with the articles, corrections and view: open it again "
            "below, on another machine, or with `news-atlas atlas FILE`.",
        )
    open_box(seeds)
    value = st.session_state.get(ID_KEY)
    return value if isinstance(value, str) else None
