"""Formats for parsed articles: JSON lines (one mention a line), GeoJSON, and a text table."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence

from geo.core.provenance import source_text
from geo.core.values import Mention, PlaceMention
from geo.events.annotate import MentionEvents
from geo.inputs.metadata import ArticleMeta
from geo.outputs.export import place_feature
from geo.parse.places import group_places

#: A parsed article: the name it was given on the command line and its place mentions.
Parsed = tuple[str, Sequence[PlaceMention]]
#: The metadata known of each article, by the name it was given (filled in as articles are read).
Metas = Mapping[str, ArticleMeta]
#: The events of each mention (geo.events.events_of), when they were read.
EventsOf = Mapping[Mention, MentionEvents]


def meta_fields(meta: ArticleMeta | None) -> dict[str, str]:
    """Return the article's title, date (ISO) and url as record fields, only those known."""
    if meta is None:
        return {}
    fields = {"title": meta.title, "date": meta.date.isoformat() if meta.date else None, "url": meta.url}
    return {key: value for key, value in fields.items() if value}


def mention_record(
    doc: str, item: PlaceMention, meta: ArticleMeta | None = None, shift: int = 0, events: MentionEvents | None = None
) -> dict:
    """Return the JSON-lines record of one mention (the CLI contract: keep the keys stable), with
    its article's ``title``, ``date`` and ``url`` added when ``meta`` knows them; its offsets moved
    by ``shift`` (where the text parsed starts in the file: after a front-matter block); with
    ``events``, what its sentence reports there (``events``, ``triggers``, ``actors``,
    ``event_date``, ``event_date_source``, ``event_date_text``: geo.events)."""
    mention, place = item.mention, item.place
    return {
        "doc": doc,
        "start": mention.start + shift,
        "end": mention.end + shift,
        "text": mention.text,
        "name": place.name if place else mention.text,
        "lat": round(place.lat, 6) if place else None,
        "lon": round(place.lon, 6) if place else None,
        "kind": place.kind if place else "other",
        "country": place.country if place else None,
        "excerpt": mention.excerpt,
        "source": source_text(place.provenance) if place else "unresolved",
        **meta_fields(meta),
        **(events.as_dict() if events else {}),
    }


def to_jsonl(
    parsed: Iterable[Parsed],
    metas: Metas | None = None,
    shifts: Mapping[str, int] | None = None,
    events: EventsOf | None = None,
) -> Iterable[str]:
    """Yield one JSON line per place mention (with its article's title, date and url when known;
    offsets moved by the article's ``shifts``, when given, to count in its file; its events, when
    ``events`` has them: read as each article comes, so it may be filled while this runs)."""
    for doc, items in parsed:
        meta, shift = (metas or {}).get(doc), (shifts or {}).get(doc, 0)
        for item in items:
            found = events.get(item.mention) if events is not None else None
            yield json.dumps(mention_record(doc, item, meta, shift, found), ensure_ascii=False)


def _features(parsed: Iterable[Parsed], metas: Metas | None = None, events: EventsOf | None = None) -> Iterator[dict]:
    for doc, items in parsed:
        fields = meta_fields((metas or {}).get(doc))
        for mapped in group_places(items):
            yield place_feature(mapped, doc=doc, events_of=events, **fields)


def to_feature_collection(parsed: Iterable[Parsed], metas: Metas | None = None) -> dict:
    """Return one FeatureCollection with a Point per place and article (lon, lat order): the
    command line's ``--format geojson`` (``geo.outputs.export.to_geojson`` is the dashboard's download of
    the places on the map)."""
    return {"type": "FeatureCollection", "features": list(_features(parsed, metas))}


def to_feature_collection_text(
    parsed: Iterable[Parsed], metas: Metas | None = None, events: EventsOf | None = None
) -> Iterator[str]:
    """Yield the JSON text of ``to_feature_collection(parsed)`` piece by piece, each article's
    features as soon as it is parsed (the whole collection is never held); with ``events``, each
    place's events (geo.outputs.export.place_feature)."""
    yield '{"type": "FeatureCollection", "features": ['
    for number, feature in enumerate(_features(parsed, metas, events)):
        yield ("," if number else "") + "\n" + json.dumps(feature, ensure_ascii=False)
    yield "\n]}"


def to_table(parsed: Iterable[Parsed]) -> Iterable[str]:
    """Yield the lines of a plain-text table of each article's places."""
    header = f"{'mentions':>8}  {'kind':<7}  {'country':<7}  {'lat':>9}  {'lon':>10}  name (as written)"
    for doc, items in parsed:
        yield f"== {doc}"
        yield header
        for mapped in group_places(items):
            place = mapped.place
            written = ", ".join(sorted({m.text for m in mapped.mentions}))
            yield (
                f"{len(mapped.mentions):>8}  {place.kind:<7}  {place.country or '-':<7}  "
                f"{place.lat:>9.4f}  {place.lon:>10.4f}  {place.name} ({written})"
            )
        unplaced = sorted({item.mention.text for item in items if item.place is None})
        if unplaced:
            yield f"not placed: {', '.join(unplaced)}"
