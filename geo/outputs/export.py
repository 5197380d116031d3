"""Exports of the places on the map: GeoJSON, CSV and KML, each with categories and excerpts.

Article text is a visitor's: a CSV cell that begins like a formula (``=``, ``+``, ``-``, ``@``, a
tab or a carriage return) is prefixed with ``'`` so that spreadsheets show it as text; a KML
description is HTML to KML viewers, so its text is HTML-escaped before it is XML-escaped; the
invisible controls that could disguise a name are removed from "written as".

Each excerpt carries the title, date and address of the article it comes from (``Origin``; see
``origins_of``) in every format. The KML has a style per category, its colour the map's
(``geo.map.mapview.STYLE``) and an icon of the same shape from Google Earth's standard set, so that a
KML viewer shows the categories as the app does.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape as html_escape
from xml.sax.saxutils import escape, quoteattr

from geo.core.provenance import source_text
from geo.core.sanitize import visible
from geo.core.values import KINDS, MappedPlace, Mention, PlaceMention
from geo.events.annotate import MentionEvents
from geo.events.taxonomy import MENTIONED, TYPES
from geo.inputs.metadata import ArticleMeta

__all__ = [
    "CSV_COLUMNS",
    "KML_ICONS",
    "Origin",
    "Origins",
    "csv_cell",
    "event_list",
    "event_types",
    "kml_colour",
    "origins_of",
    "place_feature",
    "to_csv",
    "to_geojson",
    "to_kml",
    "written_as",
]


@dataclass(frozen=True)
class Origin:
    """The article an excerpt comes from: its title (else its name), date and address when known."""

    title: str
    date: dt.date | None = None
    url: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        """Return the origin as JSON-ready values (the date in ISO form)."""
        return {"title": self.title, "date": self.date.isoformat() if self.date else None, "url": self.url}


#: Which article each mention comes from.
Origins = Mapping[Mention, Origin]


def origins_of(
    results: Mapping[str, Sequence[PlaceMention]], metas: Mapping[str, ArticleMeta], articles: Sequence[str]
) -> dict[Mention, Origin]:
    """Return the Origin of every mention in ``articles`` (names of ``results``), from their ``metas``."""
    found: dict[Mention, Origin] = {}
    for name in articles:
        meta = metas.get(name, ArticleMeta())
        origin = Origin(visible(meta.title or name), meta.date, meta.url)
        for item in results.get(name, ()):
            found.setdefault(item.mention, origin)
    return found


#: Google Earth's standard icons of the map's shapes (triangle, circle, diamond, square, star, dot),
#: tinted by the style's colour.
KML_ICONS: dict[str, str] = {
    "base": "http://maps.google.com/mapfiles/kml/shapes/triangle.png",
    "city": "http://maps.google.com/mapfiles/kml/shapes/placemark_circle.png",
    "venue": "http://maps.google.com/mapfiles/kml/shapes/open-diamond.png",
    "region": "http://maps.google.com/mapfiles/kml/shapes/square.png",
    "country": "http://maps.google.com/mapfiles/kml/shapes/star.png",
    "other": "http://maps.google.com/mapfiles/kml/shapes/shaded_dot.png",
}

KML_NAMESPACE = "http://www.opengis.net/kml/2.2"


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _excerpts(mapped: MappedPlace) -> list[str]:
    return list(dict.fromkeys(visible(m.excerpt) for m in mapped.mentions))


def _sourced(mapped: MappedPlace, origins: Origins | None) -> list[tuple[str, Origin | None]]:
    """Return each distinct (excerpt, article) of a place, in order."""
    found = origins or {}
    return list(dict.fromkeys((visible(m.excerpt), found.get(m)) for m in mapped.mentions))


def written_as(mapped: MappedPlace) -> list[str]:
    """Return the spellings of a place's mentions, sorted, without invisible controls."""
    return sorted({visible(x.text) for x in mapped.mentions})


def csv_cell(value: object) -> object:
    """Return ``value`` safe for a spreadsheet: text that would start a formula gets a leading ``'``."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


#: The events of each mention (geo.events.events_of).
EventsOf = Mapping[Mention, MentionEvents]


def event_list(mapped: MappedPlace, events: EventsOf | None) -> list[tuple[Mention, MentionEvents]]:
    """Return a place's mentions that have events, with them, in time order (undated last), then
    in text order."""
    found = [(m, events[m]) for m in mapped.mentions if events and m in events]
    return sorted(found, key=lambda pair: (pair[1].date is None, pair[1].date or dt.date.min, pair[0].start))


def event_types(mapped: MappedPlace, events: EventsOf | None) -> list[str]:
    """Return the event types a place's sentences report, in the taxonomy's order; ``mentioned``
    only when they report nothing there."""
    found = {t for _, e in event_list(mapped, events) for t in e.types}
    happened = [t for t in TYPES if t in found and t != MENTIONED]
    return happened or ([MENTIONED] if found else [])


def place_feature(
    mapped: MappedPlace, origins: Origins | None = None, /, *, events_of: EventsOf | None = None, **properties: object
) -> dict:
    """Return a GeoJSON Feature for a place (lon, lat order), with ``properties`` added; with
    ``origins``, ``excerpt_sources`` gives each excerpt with its article's title, date and url;
    with ``events_of``, ``event_types`` and ``events`` (each mention's, in time order)."""
    place = mapped.place
    feature: dict = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [round(place.lon, 6), round(place.lat, 6)]},
        "properties": {
            **properties,
            "name": place.name,
            "kind": place.kind,
            "country": place.country,
            "source": source_text(place.provenance),
            "mentions": len(mapped.mentions),
            "written_as": written_as(mapped),
            "excerpts": _excerpts(mapped),
        },
    }
    if origins is not None:
        feature["properties"]["excerpt_sources"] = [
            {"excerpt": excerpt, **(origin.as_dict() if origin else {"title": None, "date": None, "url": None})}
            for excerpt, origin in _sourced(mapped, origins)
        ]
    if events_of is not None:
        feature["properties"]["event_types"] = event_types(mapped, events_of)
        feature["properties"]["events"] = [
            {"excerpt": visible(m.excerpt), **e.as_dict()} for m, e in event_list(mapped, events_of)
        ]
    return feature


def to_geojson(places: Sequence[MappedPlace], origins: Origins | None = None, events: EventsOf | None = None) -> str:
    """Return a GeoJSON FeatureCollection of the places (coordinates in lon, lat order), each
    excerpt with its article's title, date and url when ``origins`` are given, and each place's
    events when ``events`` are."""
    features = [place_feature(m, origins, events_of=events) for m in places]
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, indent=1)


#: The CSV's columns: a place's, then each excerpt's article (title, date, url) in the excerpts' order.
CSV_COLUMNS: tuple[str, ...] = ("name", "kind", "country", "lat", "lon", "mentions", "written_as", "source", "excerpts")
CSV_COLUMNS += ("articles", "dates", "urls", "event_types", "event_dates", "actors")


def to_csv(places: Sequence[MappedPlace], origins: Origins | None = None, events: EventsOf | None = None) -> str:
    """Return the places as CSV: one row a place, excerpts joined by " | "; the columns articles,
    dates and urls list each excerpt's article in the same order (empty where not known); with
    ``events``, event_types (the place's), event_dates (each event's day and types, in time order,
    "2016-03-14 movements") and actors (all its sentences')."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for m in places:
        sourced = _sourced(m, origins)
        writer.writerow(
            csv_cell(value)
            for value in [
                m.place.name,
                m.place.kind,
                m.place.country or "",
                round(m.place.lat, 6),
                round(m.place.lon, 6),
                len(m.mentions),
                "; ".join(written_as(m)),
                source_text(m.place.provenance),
                " | ".join(excerpt for excerpt, _ in sourced),
                " | ".join(o.title.replace("|", "/") if o else "" for _, o in sourced),
                " | ".join(o.date.isoformat() if o and o.date else "" for _, o in sourced),
                " | ".join(o.url.replace("|", "%7C") if o and o.url else "" for _, o in sourced),
                "; ".join(event_types(m, events)),
                " | ".join(
                    f"{e.date.isoformat() if e.date else ''} {'+'.join(e.types)}".strip()
                    for _, e in event_list(m, events)
                    if e.happened
                ),
                "; ".join(dict.fromkeys(a for _, e in event_list(m, events) for a in e.actors)),
            ]
        )
    return out.getvalue()


def kml_colour(hex_colour: str, alpha: int = 255) -> str:
    """Return a "#RRGGBB" colour in KML's order, aabbggrr ("#D55E00" → "ff005ed5")."""
    red, green, blue = hex_colour[1:3], hex_colour[3:5], hex_colour[5:7]
    return f"{alpha:02x}{blue}{green}{red}".lower()


def _kml_styles() -> str:
    """Return a Style per category: the map's colour, an icon of the marker's shape."""
    from geo.map.mapview import STYLE  # loads folium: only when a KML is made, not for the command line

    return "\n".join(
        f'  <Style id="kind-{kind}">\n'
        f"    <IconStyle><color>{kml_colour(STYLE[kind][0])}</color><scale>1.1</scale>"
        f"<Icon><href>{escape(KML_ICONS[kind])}</href></Icon></IconStyle>\n"
        f"    <LabelStyle><scale>0.9</scale></LabelStyle>\n"
        "  </Style>"
        for kind in KINDS
    )


def _kml_description(sourced: Sequence[tuple[str, Origin | None]]) -> str:
    """Return a Placemark's description as HTML: each excerpt, then its article's title (linked to
    its address), and date. Every article string is HTML-escaped: a KML viewer renders it."""
    items = []
    for excerpt, origin in sourced:
        item = f"<p>{html_escape(excerpt)}"
        if origin is not None:
            title = html_escape(origin.title)
            # The address is http(s) only (geo.inputs.metadata.clean_url): no javascript: link.
            named = f"<a href={quoteattr(origin.url)}>{title}</a>" if origin.url else title
            item += f"<br/>— {named}" + (f", {origin.date.isoformat()}" if origin.date else "")
        items.append(item + "</p>")
    return "".join(items)


def to_kml(places: Sequence[MappedPlace], *, title: str = "News Atlas", origins: Origins | None = None) -> str:
    """Return a KML 2.2 document with a style per category and a Placemark per place (text
    escaped), each excerpt with its article's title, date and url when ``origins`` are given."""
    marks = []
    for m in places:
        sourced = _sourced(m, origins)
        titles = list(dict.fromkeys(o.title for _, o in sourced if o))
        kind = m.place.kind if m.place.kind in KINDS else "other"
        marks.append(
            "  <Placemark>\n"
            f"    <name>{escape(visible(m.place.name))}</name>\n"
            f"    <styleUrl>#kind-{kind}</styleUrl>\n"
            f"    <description>{escape(_kml_description(sourced))}</description>\n"
            "    <ExtendedData>\n"
            f'      <Data name="kind"><value>{escape(m.place.kind)}</value></Data>\n'
            f'      <Data name="country"><value>{escape(m.place.country or "")}</value></Data>\n'
            f'      <Data name="mentions"><value>{len(m.mentions)}</value></Data>\n'
            f'      <Data name="articles"><value>{escape(" | ".join(titles))}</value></Data>\n'
            "    </ExtendedData>\n"
            f"    <Point><coordinates>{m.place.lon:.6f},{m.place.lat:.6f},0</coordinates></Point>\n"
            "  </Placemark>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<kml xmlns="{KML_NAMESPACE}">\n<Document>\n  <name>{escape(title)}</name>\n'
        + _kml_styles()
        + "\n"
        + "\n".join(marks)
        + "\n</Document>\n</kml>\n"
    )
