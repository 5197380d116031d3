"""The app's two Streamlit v2 components: their JavaScript, registered once per server, behind typed calls."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st
from streamlit.components.v2.types import ComponentRenderer

#: The browser side of the app's reading pane (a Streamlit v2 component): the HTML that
#: ``article_html`` made (every article character escaped) in a scroll container of its own, of a
#: fixed height, so that scrolling it never scrolls the page. It scrolls itself (not the page) to
#: the selected place's first mention, and to the next one at each click on one of them or on
#: "Next mention"; it reports the place of a clicked mention ("place") and words the reader
#: selected, as offsets into the article ("selected": start, end, text).
ARTICLE_VIEW_JS = """
export default function (component) {
    const { data, parentElement, setTriggerValue } = component;
    let pane = parentElement.querySelector(".na-reading");
    if (!pane) {
        pane = document.createElement("div");
        pane.className = "na-reading";
        const bar = document.createElement("div");
        bar.className = "na-reading-bar";
        bar.style.cssText = "display:flex;gap:.5em;align-items:center;font-size:.85em;margin-bottom:.25em";
        const next = document.createElement("button");
        next.type = "button";
        next.className = "na-next";
        next.textContent = "Next mention";
        next.style.whiteSpace = "nowrap";
        const note = document.createElement("span");
        note.className = "na-where";
        note.setAttribute("aria-live", "polite");
        note.style.whiteSpace = "nowrap";
        const hint = document.createElement("span");
        hint.textContent = "Click a name to show it on the map; select words to add a place.";
        hint.style.cssText = "margin-left:auto;opacity:.7";
        bar.append(next, note, hint);
        const root = document.createElement("div");
        root.className = "na-article-root";
        root.tabIndex = 0;
        root.setAttribute("role", "region");
        root.setAttribute("aria-label", "The article");
        root.style.cssText = "position:relative;overflow-y:auto;border:1px solid #ddd;border-radius:.4em;"
            + "padding:0 .8em;line-height:1.55;box-sizing:border-box";
        pane.append(bar, root);
        parentElement.appendChild(pane);
        pane.state = { shown: null, selected: null, index: 0 };
        const show = (index) => {
            const marks = root.querySelectorAll("mark[data-selected]");
            if (!marks.length) { note.textContent = ""; return; }
            pane.state.index = ((index % marks.length) + marks.length) % marks.length;
            const mark = marks[pane.state.index];
            // The pane scrolls, the page does not: no scrollIntoView.
            root.scrollTop = Math.max(0, mark.offsetTop - root.clientHeight / 4);
            marks.forEach((m) => m.removeAttribute("data-current"));
            mark.setAttribute("data-current", "1");
            note.textContent = `mention ${pane.state.index + 1} of ${marks.length}`;
        };
        pane.show = show;
        next.addEventListener("click", () => show(pane.state.index + 1));
        root.addEventListener("click", (event) => {
            const mark = event.target.closest("mark[data-place]");
            if (!mark) return;
            const selection = readSelection(root);
            if (selection) return;  // a selection that starts in a mark: words, not a click
            if (mark.hasAttribute("data-selected")) {
                const marks = Array.from(root.querySelectorAll("mark[data-selected]"));
                show(marks.indexOf(mark) + 1);  // a mention of the selected place: on to the next
            }
            setTriggerValue("place", mark.getAttribute("data-place"));
        });
        root.addEventListener("keydown", (event) => {
            // A mention has the keyboard's focus: Enter selects its place, as a click does.
            if (event.key === "Enter" && event.target.matches("mark[data-place]")) event.target.click();
        });
        const report = () => {
            const selection = readSelection(root);
            if (selection) setTriggerValue("selected", selection);
        };
        root.addEventListener("mouseup", () => setTimeout(report, 0));
        root.addEventListener("keyup", (event) => { if (event.shiftKey) report(); });
    }
    const root = pane.querySelector(".na-article-root");
    // As high as asked, but no lower than the window's bottom when the page is at its top (so the
    // selected mention shows without scrolling the page), and never under 260 px.
    const below = window.innerHeight - (root.getBoundingClientRect().top + window.scrollY) - 16;
    root.style.height = `${Math.max(260, Math.min(data.height, below))}px`;
    if (pane.state.shown !== data.html) {
        const top = root.scrollTop;
        // data.html is escaped by geo.map.highlight.article_html. The space after the article lets a
        // mention near its end scroll up to where the others show.
        root.innerHTML = data.html + `<div aria-hidden="true" style="height:${Math.round(data.height * 0.6)}px"></div>`;
        root.scrollTop = top;
        pane.state.shown = data.html;
    }
    pane.querySelector(".na-next").disabled = !data.selected;
    if (data.selected !== pane.state.selected || data.article !== pane.state.article) {
        pane.state.selected = data.selected;
        pane.state.article = data.article;
        if (data.selected) pane.show(0);
        else pane.querySelector(".na-where").textContent = "";
    }
}

// The offsets in the article of the words selected in ``root``: each run of text carries the
// offset of its first character (data-o) and holds exactly the article's characters.
function readSelection(root) {
    const shadow = root.getRootNode();
    const selections = [shadow.getSelection ? shadow.getSelection() : null, window.getSelection()];
    for (const selection of selections) {
        if (!selection || selection.rangeCount === 0 || selection.isCollapsed) continue;
        const range = selection.getRangeAt(0);
        const at = (node, offset) => {
            if (node.nodeType !== Node.TEXT_NODE || !root.contains(node)) return null;
            const run = node.parentElement.closest("[data-o]");
            return run ? Number(run.getAttribute("data-o")) + offset : null;
        };
        const start = at(range.startContainer, range.startOffset);
        const end = at(range.endContainer, range.endOffset);
        if (start === null || end === null || end <= start) continue;
        return { start, end, text: range.toString() };
    }
    return null;
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
    # Registered once per server: the article with clickable place mentions (geo.map.highlight).
    return st.components.v2.component("news_atlas.article", js=ARTICLE_VIEW_JS)


@st.cache_resource(show_spinner=False)
def _map_watch() -> ComponentRenderer:
    # Registered once per server: says in words when the map could not draw.
    return st.components.v2.component("news_atlas.map_watch", js=MAP_WATCH_JS)


@dataclass(frozen=True)
class ArticleReport:
    """What the reader did in the article view in the run it started: a mention clicked (its
    place's key), or words selected (offsets into the article, and the text the browser saw)."""

    place: str | None = None
    selected: tuple[int, int, str] | None = None


def article_view(
    html: str, *, key: str, article: str = "", selected: str | None = None, height: int = 480
) -> ArticleReport:
    """Show an article's HTML (``geo.map.highlight.article_html``, escaped) in a pane ``height`` pixels
    high that scrolls to the mentions of ``selected`` (a place key); return what the reader did
    there in the run it started (an empty report otherwise)."""
    view = _article_view()(
        data={"html": html, "article": article, "selected": selected, "height": height},
        key=key,
        on_place_change=lambda: None,
        on_selected_change=lambda: None,
    )
    place = view.place
    return ArticleReport(place=place if isinstance(place, str) and place else None, selected=_offsets(view.selected))


def _offsets(value: object) -> tuple[int, int, str] | None:
    """Return (start, end, text) of a selection the browser reported, or None when it is not one."""
    if not isinstance(value, dict):
        return None
    start, end, text = value.get("start"), value.get("end"), value.get("text")
    if isinstance(start, int) and isinstance(end, int) and isinstance(text, str) and 0 <= start < end:
        return start, end, text
    return None


def map_watch(message: str, *, seconds: int = 12, key: str = "map_watch") -> None:
    """Show ``message`` (the app's own text, set as text) if the map has not drawn within ``seconds``."""
    _map_watch()(data={"seconds": seconds, "message": message}, key=key)
