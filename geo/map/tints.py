"""Marker colours by article, by publication date or by event type, for the map's "colour by" switch.

By category, the map colours each place by its kind (``geo.map.mapview.STYLE``) and these are not used.
By article, a place takes the colour of the newest article that names it (the first articles in
date order get a colour each, the rest share grey); by date, the colour of the newest date among
its articles on a ramp from the oldest to the newest (undated: grey); by event type, the colour of
its main event type (``geo.events.timeline.main_type`` is the rule, the colours are
``geo.events.taxonomy``'s). The shape stays the category's, so both readings remain on the map.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from geo.core.values import MappedPlace, PlaceMention
from geo.events.taxonomy import EVENT_TYPES, label_of
from geo.events.timeline import EventsOf, main_type
from geo.inputs.metadata import ArticleMeta

__all__ = [
    "ARTICLE_COLOURS",
    "BY_EVENT_TYPE",
    "COLOUR_BY",
    "DATE_RAMP",
    "EVENT_COLOURS",
    "OTHER",
    "TINTS",
    "Tints",
    "by_article",
    "by_date",
    "by_event_type",
    "tints",
]

#: What the markers can be coloured by; the first is the default.
COLOUR_BY: tuple[str, ...] = ("category", "article", "date", "event type")
#: The choice of ``COLOUR_BY`` that colours by event type.
BY_EVENT_TYPE = "event type"
#: One colour an article (Paul Tol's "bright" and "muted" sets: told apart with the common
#: colour-vision deficiencies, and dark enough for white outlines).
ARTICLE_COLOURS: tuple[str, ...] = (
    "#4477AA",
    "#EE6677",
    "#228833",
    "#CCBB44",
    "#66CCEE",
    "#AA3377",
    "#332288",
    "#882255",
)
#: Oldest to newest (a cividis-like ramp: ordered in lightness, readable without hue).
DATE_RAMP: tuple[str, ...] = ("#00204D", "#31446B", "#666970", "#958F78", "#CBBA69")
#: Articles beyond the palette, and places whose articles have no date.
OTHER = "#8C8C8C"
#: One colour an event type (its key's), as the taxonomy gives them.
EVENT_COLOURS: dict[str, str] = {t.key: t.colour for t in EVENT_TYPES}
#: Every colour a tint may be (the map writes only these into its markers).
TINTS: frozenset[str] = frozenset((*ARTICLE_COLOURS, *DATE_RAMP, OTHER, *EVENT_COLOURS.values()))


@dataclass(frozen=True)
class Tints:
    """A colour for each place (by its key), and the legend that explains them (label, colour)."""

    by_place: tuple[tuple[str, str], ...] = ()
    legend: tuple[tuple[str, str], ...] = ()


def _newest_first(metas: Mapping[str, ArticleMeta], articles: Sequence[str]) -> list[str]:
    dates = {n: d for n in articles if (d := metas.get(n, ArticleMeta()).date) is not None}
    return sorted(dates, key=dates.__getitem__, reverse=True) + [n for n in articles if n not in dates]


def by_article(
    results: Mapping[str, Sequence[PlaceMention]], metas: Mapping[str, ArticleMeta], articles: Sequence[str]
) -> Tints:
    """Return each place's colour by the newest of ``articles`` naming it, and a legend of the
    articles' titles (the article's name when it has no title)."""
    order = _newest_first(metas, articles)
    colour_of = {name: ARTICLE_COLOURS[i] if i < len(ARTICLE_COLOURS) else OTHER for i, name in enumerate(order)}
    by_place: dict[str, str] = {}
    for name in order:  # newest first: the first article to name a place colours it
        for item in results.get(name, ()):
            if item.place is not None:
                by_place.setdefault(item.place.place_id, colour_of[name])
    legend = [(metas.get(n, ArticleMeta()).title or n, colour_of[n]) for n in order[: len(ARTICLE_COLOURS)]]
    if len(order) > len(ARTICLE_COLOURS):
        legend.append((f"{len(order) - len(ARTICLE_COLOURS)} more articles", OTHER))
    return Tints(tuple(by_place.items()), tuple(legend))


def by_date(
    results: Mapping[str, Sequence[PlaceMention]], metas: Mapping[str, ArticleMeta], articles: Sequence[str]
) -> Tints:
    """Return each place's colour by the newest publication date among ``articles`` naming it (on
    ``DATE_RAMP``, the dates' span cut in equal parts), and a legend of the parts' date ranges."""
    newest: dict[str, dt.date | None] = {}
    for name in articles:
        date = metas.get(name, ArticleMeta()).date
        for item in results.get(name, ()):
            if item.place is None:
                continue
            key, known = item.place.place_id, newest.get(item.place.place_id)
            newest[key] = date if known is None or (date is not None and date > known) else known
    dates = sorted({d for d in newest.values() if d is not None})
    if not dates:
        return Tints(tuple((key, OTHER) for key in newest), (("no date", OTHER),))
    first, span = dates[0], max((dates[-1] - dates[0]).days, 1)
    parts = len(DATE_RAMP) if len(dates) > 1 else 1

    def part(date: dt.date) -> int:
        return min((date - first).days * parts // span, parts - 1)

    by_place = tuple((key, DATE_RAMP[part(d)] if d else OTHER) for key, d in newest.items())
    legend = []
    for number in range(parts):  # each part's label: the first and last date of it that occurs
        inside = [d for d in dates if part(d) == number]
        if inside:
            low, high = inside[0].isoformat(), inside[-1].isoformat()
            legend.append((low if low == high else f"{low} – {high}", DATE_RAMP[number]))
    if any(d is None for d in newest.values()):
        legend.append(("no date", OTHER))
    return Tints(by_place, tuple(legend))


def by_event_type(places: Sequence[MappedPlace], events: EventsOf) -> Tints:
    """Return each of ``places`` coloured by its main event type over the mentions it shows (the
    rule: ``geo.events.timeline.main_type``), and a legend of one swatch per type that colours a
    place, in the taxonomy's order. A place with no events read is grey ("no events read")."""
    by_place: list[tuple[str, str]] = []
    present: set[str] = set()
    unread = False
    for mapped in places:
        kind = main_type([found.types for m in mapped.mentions if (found := events.get(m)) is not None])
        if kind is None or kind not in EVENT_COLOURS:
            by_place.append((mapped.place.place_id, OTHER))
            unread = True
        else:
            by_place.append((mapped.place.place_id, EVENT_COLOURS[kind]))
            present.add(kind)
    legend = [(label_of(t.key), t.colour) for t in EVENT_TYPES if t.key in present]
    if unread:
        legend.append(("no events read", OTHER))
    return Tints(tuple(by_place), tuple(legend))


def tints(
    colour_by: str,
    results: Mapping[str, Sequence[PlaceMention]],
    metas: Mapping[str, ArticleMeta],
    articles: Sequence[str],
    *,
    places: Sequence[MappedPlace] = (),
    events: EventsOf | None = None,
) -> Tints:
    """Return the markers' tints for ``colour_by`` (one of ``COLOUR_BY``): none by category; by
    event type, those of ``places`` (the places shown, with the mentions shown) from ``events``."""
    if colour_by == BY_EVENT_TYPE:
        return by_event_type(places, events or {})
    if colour_by == "article":
        return by_article(results, metas, articles)
    if colour_by == "date":
        return by_date(results, metas, articles)
    return Tints()
