"""Exports of the places on the map: GeoJSON, CSV and KML, each with categories and excerpts."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from xml.sax.saxutils import escape

from geo.provenance import source_text
from geo.values import MappedPlace

KML_NAMESPACE = "http://www.opengis.net/kml/2.2"


def _excerpts(mapped: MappedPlace) -> list[str]:
    return list(dict.fromkeys(m.excerpt for m in mapped.mentions))


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
            "written_as": sorted({x.text for x in mapped.mentions}),
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
            [
                m.place.name,
                m.place.kind,
                m.place.country or "",
                round(m.place.lat, 6),
                round(m.place.lon, 6),
                len(m.mentions),
                "; ".join(sorted({x.text for x in m.mentions})),
                source_text(m.place.provenance),
                " | ".join(_excerpts(m)),
            ]
        )
    return out.getvalue()


def to_kml(places: Sequence[MappedPlace], *, title: str = "News Atlas") -> str:
    """Return a KML 2.2 document with a Placemark per place (text XML-escaped)."""
    marks = []
    for m in places:
        description = "\n".join(f"- {excerpt}" for excerpt in _excerpts(m))
        marks.append(
            "  <Placemark>\n"
            f"    <name>{escape(m.place.name)}</name>\n"
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
