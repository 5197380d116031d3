"""The page's room: the map the largest thing on it at every width (issue #27, item 4).

The sidebar (articles, filters, sharing) starts folded, so that beside the reading pane the map has
two thirds of the page; the page's margins and the blank space above the title are cut; the map is
as tall as the window allows; on a phone it spans the screen from edge to edge.
"""

from __future__ import annotations

import streamlit as st

__all__ = ["MAP_SHARE", "ROOMY_CSS", "roomy_page"]

#: The map column's and the reading pane's shares of the page's width, side by side.
MAP_SHARE = (2, 1)

#: Streamlit's main block: its wide layout pads 5 rem at each side and 6 rem above the title.
ROOMY_CSS = """<style>
[data-testid="stMainBlockContainer"] { padding-top: 3.6rem; }
[data-testid="stMainBlockContainer"] h1 { font-size: 2rem; padding: 0 0 0.15rem; }
/* A button names its target ("Not a place: Hmeymim Air Base"): in the narrow reading pane its
   label wraps rather than being cut to "Not a place: Hmey…". */
[data-testid="stMainBlockContainer"] .stButton button { height: auto; }
[data-testid="stMainBlockContainer"] .stButton button * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
}
@media (min-width: 641px) {
  [data-testid="stMainBlockContainer"] { padding-left: 1.5rem; padding-right: 1.5rem; max-width: none; }
  /* Only once the map has drawn (its frame sets a height): a frame whose scripts did not load
     stays at 0, and the watch beside it (ui.components.map_watch) says so in words. */
  .st-key-na_map iframe[title="streamlit_folium.st_folium"]:not([height="0"]) {
    height: clamp(540px, calc(100vh - 150px), 860px) !important;
  }
}
@media (max-width: 640px) {
  .st-key-na_map { margin-left: -1rem; width: 100vw !important; max-width: none !important; flex: none; }
  .st-key-na_map iframe[title="streamlit_folium.st_folium"] { width: 100% !important; }
  .st-key-na_below { padding: 0 1rem; }
}
</style>"""


def roomy_page() -> None:
    """Write the page's layout rules (static CSS: nothing of an article's)."""
    st.html(ROOMY_CSS)
