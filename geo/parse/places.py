"""Questions about the places found in articles: which are shown, where each is named, which is clicked.

Pure functions over the pipeline's values: grouping mentions by place (for the map, the table and
the command line's formats), and the app's filters, context and correction panels.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence

from geo.core.normalize import name_key
from geo.core.values import Candidate, MappedPlace, Mention, Place, PlaceMention


def group_places(place_mentions: Iterable[PlaceMention]) -> list[MappedPlace]:
    """Return each placed place once with all its mentions, most mentioned first."""
    places: dict[str, Place] = {}
    mentions: dict[str, list[Mention]] = {}
    for item in place_mentions:
        if item.place is None:
            continue
        places.setdefault(item.place.place_id, item.place)
        mentions.setdefault(item.place.place_id, []).append(item.mention)
    grouped = [MappedPlace(places[key], tuple(found)) for key, found in mentions.items()]
    return sorted(grouped, key=lambda mapped: (-len(mapped.mentions), mapped.place.name))


def filter_places(
    places: Sequence[MappedPlace], *, kinds: Collection[str], countries: Collection[str], min_mentions: int
) -> list[MappedPlace]:
    """Return the places of one of ``kinds``, in one of ``countries`` (any when empty), named at least
    ``min_mentions`` times; in their order."""
    return [
        m
        for m in places
        if m.place.kind in kinds and (not countries or m.place.country in countries) and len(m.mentions) >= min_mentions
    ]


def mentions_in(results: Mapping[str, Sequence[PlaceMention]], articles: Sequence[str]) -> Iterator[PlaceMention]:
    """Yield the place mentions of ``articles`` (names of ``results``; unknown ones skipped), in order."""
    for name in articles:
        yield from results.get(name, ())


def _of_place(place_id: str, found: Sequence[PlaceMention]) -> Iterator[PlaceMention]:
    return (i for i in found if i.place is not None and i.place.place_id == place_id)


def mentions_of(
    place_id: str, results: Mapping[str, Sequence[PlaceMention]], articles: Sequence[str]
) -> dict[str, list[Mention]]:
    """Return each article's mentions of a place, once each, in order; articles that do not name it are left out."""
    found: dict[str, list[Mention]] = {}
    for name in articles:
        mentions = list(dict.fromkeys(i.mention for i in _of_place(place_id, results.get(name, ()))))
        if mentions:
            found[name] = mentions
    return found


def correction_targets(
    place_id: str,
    results: Mapping[str, Sequence[PlaceMention]],
    texts: Mapping[str, str],
    articles: Sequence[str],
) -> set[tuple[str, str]]:
    """Return where a place is named as (article text, name key) pairs: what a correction of it applies to."""
    return {
        (texts[name], name_key(i.mention.text)) for name in articles for i in _of_place(place_id, results.get(name, ()))
    }


def other_readings(
    place_id: str, results: Mapping[str, Sequence[PlaceMention]], articles: Sequence[str]
) -> list[Candidate]:
    """Return the resolver's other candidates for the names of a place, once each, in the order first met."""
    others = {
        c.place_id: c
        for name in articles
        for i in _of_place(place_id, results.get(name, ()))
        for c in i.candidates
        if c.place_id != place_id
    }
    return list(others.values())


def unplaced_names(results: Mapping[str, Sequence[PlaceMention]], articles: Sequence[str]) -> list[str]:
    """Return the names in ``articles`` that could not be placed, sorted, once each."""
    return sorted({i.mention.text for i in mentions_in(results, articles) if i.place is None})


def place_at(places: Sequence[MappedPlace], lat: float, lon: float) -> MappedPlace | None:
    """Return the place whose marker is at (or nearest to) a clicked position, or None."""
    if not places:
        return None
    lat_scale = math.cos(math.radians(lat))
    return min(
        places,
        key=lambda m: (m.place.lat - lat) ** 2 + ((m.place.lon - lon) * lat_scale) ** 2,
    )
