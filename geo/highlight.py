"""An article as HTML with its place mentions highlighted in their category's colour."""

from __future__ import annotations

import html
from collections.abc import Sequence

from geo.mapview import STYLE
from geo.values import PlaceMention


def article_html(text: str, mentions: Sequence[PlaceMention], *, selected: str | None = None) -> str:
    """Return ``text`` as escaped HTML paragraphs, each placed mention in a coloured <mark>.

    Mentions of the place whose id is ``selected`` are emphasised. Only the marks and paragraph
    breaks are markup: every character of the article is escaped.
    """
    parts: list[str] = []
    at = 0
    placed = [(m.mention, m.place) for m in mentions if m.place is not None]
    for mention, place in sorted(placed, key=lambda pair: pair[0].start):
        if mention.start < at:
            continue  # overlapping mentions: the first wins
        color = STYLE.get(place.kind, STYLE["other"])[0]
        emphasis = ";outline:2px solid #111;font-weight:600" if place.place_id == selected else ""
        parts.append(html.escape(text[at : mention.start]))
        parts.append(
            f"<mark data-place='{html.escape(place.place_id, quote=True)}' "
            f"title='{html.escape(place.name, quote=True)} · {html.escape(place.kind)}' "
            f"style='background:{color}33;border-bottom:2px solid {color};padding:0 1px;cursor:pointer{emphasis}'>"
            f"{html.escape(text[mention.start : mention.end])}</mark>"
        )
        at = mention.end
    parts.append(html.escape(text[at:]))
    body = "".join(parts)
    paragraphs = [p.strip().replace("\n", "<br>") for p in body.split("\n\n") if p.strip()]
    return "<div class='na-article'>" + "".join(f"<p>{p}</p>" for p in paragraphs) + "</div>"
