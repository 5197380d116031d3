"""An article as HTML with its place mentions highlighted in their category's colour.

Every run of article text is an element carrying ``data-o``, the offset of its first character in
the article, and holding exactly those characters (escaped): so the browser can turn a selection
of words back into offsets into the article (ui.components), and the server check them against
the text.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Sequence

from geo.core.values import PlaceMention
from geo.map.mapview import STYLE

__all__ = ["article_html"]

#: A paragraph break: a blank line (whitespace around it included).
_PARAGRAPH = re.compile(r"[ \t\r\f\v]*\n[ \t\r\f\v]*\n\s*")


def article_html(text: str, mentions: Sequence[PlaceMention], *, selected: str | None = None) -> str:
    """Return ``text`` as escaped HTML paragraphs, each placed mention in a coloured <mark>.

    Mentions of the place whose id is ``selected`` are emphasised. Only the marks, the runs of
    text (``<span data-o=…>``) and paragraph and line breaks are markup: every character of the
    article is escaped.
    """
    placed = sorted(((m.mention, m.place) for m in mentions if m.place is not None), key=lambda p: p[0].start)
    parts: list[str] = []  # markup, with _BREAK between paragraphs
    at = 0
    for mention, place in placed:
        if mention.start < at:
            continue  # overlapping mentions: the first wins
        parts.extend(_runs(text, at, mention.start))
        color = STYLE.get(place.kind, STYLE["other"])[0]
        emphasis = ";outline:2px solid #111;font-weight:600" if place.place_id == selected else ""
        parts.append(
            f"<mark data-o='{mention.start}' tabindex='0' data-place='{html.escape(place.place_id, quote=True)}'"
            f"{' data-selected=1' if place.place_id == selected else ''} "
            f"title='{html.escape(place.name, quote=True)} · {html.escape(place.kind)}' "
            f"style='background:{color}33;border-bottom:2px solid {color};padding:0 1px;cursor:pointer{emphasis}'>"
            f"{html.escape(text[mention.start : mention.end])}</mark>"
        )
        at = mention.end
    parts.extend(_runs(text, at, len(text)))
    paragraphs = "".join(parts).split(_BREAK)
    return "<div class='na-article'>" + "".join(f"<p>{p}</p>" for p in paragraphs if p) + "</div>"


#: Stands between paragraphs while the markup is made (no article character: they are escaped).
_BREAK = "<!--p-->"


def _runs(text: str, start: int, end: int) -> Iterator[str]:
    """Yield the markup of ``text[start:end]``: a ``data-o`` span per line, ``<br>`` between
    lines, ``_BREAK`` at a blank line."""
    at = start
    for brk in _PARAGRAPH.finditer(text, start, end):
        yield from _lines(text, at, brk.start())
        yield _BREAK
        at = brk.end()
    yield from _lines(text, at, end)


def _lines(text: str, start: int, end: int) -> Iterator[str]:
    line_start = start
    while line_start < end:
        newline = text.find("\n", line_start, end)
        line_end = end if newline == -1 else newline
        if line_end > line_start:
            yield f"<span data-o='{line_start}'>{html.escape(text[line_start:line_end])}</span>"
        if newline == -1:
            break
        yield "<br>"
        line_start = newline + 1
