"""Events over places and days, for the map and its timeline: the one rule that gives a place (or a
mention) its main event type, the counts per day and type the timeline draws, and which mentions a
choice of types and a range of days keep.

**The main type** (``main_type``) is the rule the map's "colour by event type" follows, written
here only: of the types a place's mentions report, the one the most mentions report; a tie goes to
the type listed first in ``geo.events.taxonomy`` (its order runs from the most violent, fighting,
to the least, humanitarian). ``mentioned`` is the main type only of a place none of whose mentions
reports anything. A mention's own main type (``mention_type``) is the same rule over its one
mention: the first of its types in the taxonomy's order.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from geo.core.values import MappedPlace, Mention
from geo.events.annotate import MentionEvents
from geo.events.taxonomy import MENTIONED, TYPES

__all__ = [
    "DayCount",
    "EventsOf",
    "day_counts",
    "event_days",
    "keep_mention",
    "keep_places",
    "main_type",
    "mention_type",
]

#: The events of each mention (geo.events.events_of, over one or more articles).
EventsOf = Mapping[Mention, MentionEvents]
_RANK = {key: rank for rank, key in enumerate(TYPES)}


def main_type(kinds: Iterable[Sequence[str]]) -> str | None:
    """Return the main type of a place whose mentions report ``kinds`` (each mention's types): the
    type most of them report, a tie going to the taxonomy's more violent type; ``mentioned`` when
    none reports anything; None when there is no mention."""
    counts: Counter[str] = Counter()
    seen = False
    for types in kinds:
        seen = True
        counts.update(t for t in dict.fromkeys(types) if t != MENTIONED)
    if not counts:
        return MENTIONED if seen else None
    return min(counts, key=lambda t: (-counts[t], _RANK.get(t, len(_RANK))))


def mention_type(events: MentionEvents) -> str:
    """Return a mention's main type: the first of its types in the taxonomy's order."""
    return main_type([events.types]) or MENTIONED


@dataclass(frozen=True)
class DayCount:
    """How many place mentions of one day have one main type (a bar's part on the timeline)."""

    day: dt.date
    type: str
    count: int


def day_counts(places: Sequence[MappedPlace], events: EventsOf) -> tuple[DayCount, ...]:
    """Return the mentions of ``places`` per event day and main type, by day then in the
    taxonomy's order; mentions without a date or without events are not counted."""
    counts: Counter[tuple[dt.date, str]] = Counter()
    for mapped in places:
        for mention in mapped.mentions:
            found = events.get(mention)
            if found is not None and found.date is not None:
                counts[(found.date, mention_type(found))] += 1
    ordered = sorted(counts, key=lambda pair: (pair[0], _RANK.get(pair[1], len(_RANK))))
    return tuple(DayCount(day, kind, counts[(day, kind)]) for day, kind in ordered)


def event_days(counts: Iterable[DayCount]) -> list[dt.date]:
    """Return the days that have events, in order."""
    return sorted({c.day for c in counts})


def keep_mention(
    found: MentionEvents | None, types: frozenset[str] = frozenset(), days: tuple[dt.date, dt.date] | None = None
) -> bool:
    """Whether a mention with events ``found`` is shown: one of its types is among ``types`` (any
    when empty) and its day within ``days`` (any when None). A mention without events (none were
    read) is kept only when nothing narrows; one without a date is outside any range."""
    if found is None:
        return not types and days is None
    if types and not types.intersection(found.types):
        return False
    return days is None or (found.date is not None and days[0] <= found.date <= days[1])


def keep_places(
    places: Sequence[MappedPlace],
    events: EventsOf,
    *,
    types: frozenset[str] = frozenset(),
    days: tuple[dt.date, dt.date] | None = None,
    min_mentions: int = 1,
) -> list[MappedPlace]:
    """Return ``places`` with only their mentions that ``keep_mention`` keeps, and only those left
    with at least ``min_mentions``; ``places`` itself when nothing narrows."""
    if not types and days is None:
        return list(places)
    out = []
    for mapped in places:
        kept = tuple(m for m in mapped.mentions if keep_mention(events.get(m), types, days))
        if len(kept) >= max(min_mentions, 1):
            out.append(mapped if len(kept) == len(mapped.mentions) else MappedPlace(mapped.place, kept))
    return out
