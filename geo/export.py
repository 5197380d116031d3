"""Exports of the places on the map: GeoJSON, CSV and KML, each with categories and excerpts.

Article text is a visitor's: a CSV cell that begins like a formula (``=``, ``+``, ``-``, ``@``, a
tab or a carriage return) is prefixed with ``'`` so that spreadsheets show it as text; a KML
description is HTML to KML viewers, so its text is HTML-escaped before it is XML-escaped; the
invisible controls that could disguise a name are removed from "written as".
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from html import escape as html_escape
from xml.sax.saxutils import escape

from geo.provenance import source_text
from geo.sanitize import visible
from geo.values import MappedPlace

__all__ = ["csv_cell", "place_feature", "to_csv", "to_geojson", "to_kml", "written_as"]

KML_NAMESPACE = "http://www.opengis.net/kml/2.2"


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _excerpts(mapped: MappedPlace) -> list[str]:
    return list(dict.fromkeys(visible(m.excerpt) for m in mapped.mentions))


def written_as(mapped: MappedPlace) -> list[str]:
    """Return the spellings of a place's mentions, sorted, without invisible controls."""
    return sorted({visible(x.text) for x in mapped.mentions})


def csv_cell(value: object) -> object:
    """Return ``value`` safe for a spreadsheet: text that would start a formula gets a leading ``'``."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def place_feature(mapped: MappedPlace, **properties: object) -> dict:
    """Return a GeoJSON Feature for a place (lon, lat order), with ``properties`` added."""
    place = mapped.place
    return {
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


def to_geojson(places: Sequence[MappedPlace]) -> str:
    """Return a GeoJSON FeatureCollection of the places (coordinates in lon, lat order)."""
    features = [place_feature(m) for m in places]
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, indent=1)


def to_csv(places: Sequence[MappedPlace]) -> str:
    """Return the places as CSV: one row a place, excerpts joined by " | "."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["name", "kind", "country", "lat", "lon", "mentions", "written_as", "source", "excerpts"])
    for m in places:
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
                " | ".join(_excerpts(m)),
            ]
        )
    return out.getvalue()


def to_kml(places: Sequence[MappedPlace], *, title: str = "News Atlas") -> str:
    """Return a KML 2.2 document with a Placemark per place (text XML-escaped)."""
    marks = []
    for m in places:
        # KML viewers show a description as HTML: the article's text must not become markup.
        description = html_escape("\n".join(f"- {excerpt}" for excerpt in _excerpts(m)))
        marks.append(
            "  <Placemark>\n"
            f"    <name>{escape(visible(m.place.name))}</name>\n"
            f"    <description>{escape(description)}</description>\n"
            "    <ExtendedData>\n"
            f'      <Data name="kind"><value>{escape(m.place.kind)}</value></Data>\n'
            f'      <Data name="country"><value>{escape(m.place.country or "")}</value></Data>\n'
            f'      <Data name="mentions"><value>{len(m.mentions)}</value></Data>\n'
            "    </ExtendedData>\n"
            f"    <Point><coordinates>{m.place.lon:.6f},{m.place.lat:.6f},0</coordinates></Point>\n"
            "  </Placemark>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<kml xmlns="{KML_NAMESPACE}">\n<Document>\n  <name>{escape(title)}</name>\n'
        + "\n".join(marks)
        + "\n</Document>\n</kml>\n"
    )
