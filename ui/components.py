"""The app's two Streamlit v2 components: their JavaScript, registered once per server, behind typed calls."""

from __future__ import annotations

import streamlit as st
from streamlit.components.v2.types import ComponentRenderer

#: The browser side of the app's article view (a Streamlit v2 component): it shows the HTML that
#: ``article_html`` made, whose every article character is escaped, and reports which place's
#: mention was clicked.
ARTICLE_VIEW_JS = """
export default function (component) {
    const { data, parentElement, setTriggerValue } = component;
    let root = parentElement.querySelector(".na-article-root");
    if (!root) {
        root = document.createElement("div");
        root.className = "na-article-root";
        parentElement.appendChild(root);
    }
    root.innerHTML = data;  // escaped by geo.highlight.article_html
    root.querySelectorAll("mark[data-place]").forEach((mark) => {
        mark.addEventListener("click", () => setTriggerValue("place", mark.getAttribute("data-place")));
    });
}
"""


#: The browser side of a watch on the map (a Streamlit v2 component beside it): when the map's
#: frame has not drawn within ``data.seconds`` (its scripts could not load), it says so in words
#: instead of leaving a blank rectangle. The message is the app's own text, set as text.
MAP_WATCH_JS = """
export default function (component) {
    const { data, parentElement } = component;
    let note = parentElement.querySelector(".na-map-note");
    if (!note) {
        note = document.createElement("div");
        note.className = "na-map-note";
        note.setAttribute("role", "status");
        parentElement.appendChild(note);
    }
    note.textContent = "";
    note.style.cssText = "";
    const timer = setTimeout(() => {
        const frame = document.querySelector("iframe[title='streamlit_folium.st_folium']");
        if (!frame || frame.offsetHeight < 50) {
            note.textContent = data.message;
            note.style.cssText = "padding:.75em 1em;border-radius:.5em;background:#fdecea;color:#611a15";
        }
    }, data.seconds * 1000);
    return () => clearTimeout(timer);
}
"""


@st.cache_resource(show_spinner=False)
def _article_view() -> ComponentRenderer:
    # Registered once per server: the article with clickable place mentions (geo.highlight).
    return st.components.v2.component("news_atlas.article", js=ARTICLE_VIEW_JS)


@st.cache_resource(show_spinner=False)
def _map_watch() -> ComponentRenderer:
    # Registered once per server: says in words when the map could not draw.
    return st.components.v2.component("news_atlas.map_watch", js=MAP_WATCH_JS)


def article_view(html: str, *, key: str) -> str | None:
    """Show an article's HTML (``geo.highlight.article_html``, escaped); return the key of the place
    whose mention was clicked, in the run that click started, else None."""
    view = _article_view()(data=html, key=key, on_place_change=lambda: None)
    place = view.place
    return place if isinstance(place, str) and place else None


def map_watch(message: str, *, seconds: int = 12, key: str = "map_watch") -> None:
    """Show ``message`` (the app's own text, set as text) if the map has not drawn within ``seconds``."""
    _map_watch()(data={"seconds": seconds, "message": message}, key=key)
