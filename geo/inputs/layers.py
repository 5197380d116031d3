"""The reader's own layers: GeoJSON, KML, or a CSV with latitude and longitude columns (an ACLED
export is the common case), read as untrusted input into one ``Layer`` of checked GeoJSON features.

Every file is bounded before it is parsed (its size; a JSON file's nesting, measured in one pass
without building anything; a KML file's nesting, counted while it is read) and while it is read
(features, positions, properties, text length); coordinates must be on the map. KML is parsed by
defusedxml, which refuses entities and DTDs (no "billion laughs", no external files). A file that
fails gets ``LayerError`` with one sentence that says why, never a traceback.

Each feature's properties are flat (text, numbers, true, false, null). Readers fill four of them
when the file has them, so the map, the filters and the image treat every layer alike: ``label``
(a name or location), ``note`` (a description or ACLED's notes), ``date`` (ISO ``YYYY-MM-DD``:
ACLED's ``event_date``, a KML ``TimeStamp``) and ``type`` (ACLED's ``event_type``). Labels are kept
as text; wherever they are shown they are escaped.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import logging
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

from geo.core.errors import LayerError
from geo.inputs.metadata import clean_text, parse_date

__all__ = [
    "FORMATS",
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_FEATURES",
    "MAX_POINTS",
    "SOURCES",
    "Layer",
    "check_feature",
    "json_depth",
    "read_csv",
    "read_geojson",
    "read_kml",
    "read_layer",
]

log = logging.getLogger(__name__)

#: The largest file read (the app passes a smaller one in public mode).
MAX_BYTES = 5_000_000
#: Most features one layer holds (rows of a CSV), and positions in one feature.
MAX_FEATURES = 5000
MAX_POINTS = 200_000
#: The deepest nesting of JSON arrays and objects read (a FeatureCollection of MultiPolygons is 8
#: deep, an atlas file holding one 10), and of KML elements (a Document of Folders of a
#: MultiGeometry's polygons is about 10).
MAX_DEPTH = 12
MAX_XML_DEPTH = 24
MAX_NAME = 200
MAX_PROPERTIES = 50
MAX_PROPERTY = 500
#: The formats read, by the file's ending.
FORMATS = {"geojson": "geojson", "json": "geojson", "kml": "kml", "csv": "csv", "tsv": "csv", "txt": "csv"}
#: Where a layer came from: a file of a format above, drawn on the map, or an atlas (an old file).
SOURCES = ("geojson", "kml", "csv", "drawn", "atlas")
_GEOMETRIES = ("Point", "LineString", "Polygon", "MultiPoint", "MultiLineString", "MultiPolygon")
_DEPTHS = {"Point": 0, "LineString": 1, "MultiPoint": 1, "Polygon": 2, "MultiLineString": 2, "MultiPolygon": 3}
#: A CSV's columns by what they hold, the first found wins (lower case, compared without spaces).
_LAT = ("latitude", "lat", "y")
_LON = ("longitude", "lon", "lng", "long", "x")
_DATE = ("event_date", "date", "day", "when")
_TYPE = ("event_type", "type", "category")
_LABEL = ("label", "location", "name", "title", "place")
_NOTE = ("note", "notes", "description", "comment")
#: ACLED's older exports write dates as "15 March 2024".
_DAY_MONTH_YEAR = re.compile(r"\s*(\d{1,2})[ -]([A-Za-z]{3,9})[ -](\d{4})\s*$")


@dataclass(frozen=True)
class Layer:
    """A layer of the reader's own: a name, checked GeoJSON features, whether it is shown, where it
    came from, and its filters: the dates shown (``date_from`` to ``date_to``, features without a
    date always shown) and the types shown (all when empty)."""

    name: str
    features: tuple[dict[str, Any], ...] = ()
    visible: bool = True
    source: str = "geojson"
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    types: tuple[str, ...] = ()

    def dates(self) -> tuple[dt.date, dt.date] | None:
        """Return the first and last of its features' dates, or None when none has one."""
        days = [d for f in self.features if (d := feature_date(f)) is not None]
        return (min(days), max(days)) if days else None

    def kinds(self) -> tuple[str, ...]:
        """Return the types its features carry (ACLED's event types), sorted."""
        return tuple(sorted({t for f in self.features if isinstance(t := f["properties"].get("type"), str) and t}))

    def shown(self) -> tuple[dict[str, Any], ...]:
        """Return the features its filters keep."""
        return tuple(f for f in self.features if self.keeps(f))

    def keeps(self, feature: dict[str, Any]) -> bool:
        """Return whether the layer's date and type filters keep ``feature``."""
        if self.types and feature["properties"].get("type") not in self.types:
            return False
        day = feature_date(feature)
        if day is None:
            return True
        return (self.date_from is None or day >= self.date_from) and (self.date_to is None or day <= self.date_to)


def feature_date(feature: dict[str, Any]) -> dt.date | None:
    """Return a checked feature's ``date`` property as a date, or None."""
    value = feature["properties"].get("date")
    if not isinstance(value, str) or len(value) != 10:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


# ------------------------------------------------------------------------------------ the checks


def json_depth(raw: bytes, limit: int = MAX_DEPTH) -> int:
    """Return the deepest nesting of arrays and objects in JSON text (strings skipped), read in one
    pass without building anything: a document of a million brackets is measured, never parsed.
    Stops counting once past ``limit``."""
    deepest = depth = 0
    in_string = escaped = False
    for byte in raw:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    return deepest
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return deepest


def _number(value: object, what: str, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise LayerError(f"a {what} is not a number")
    if not low <= value <= high:
        raise LayerError(f"a {what} ({value:g}) is off the map: it must be from {low:g} to {high:g}")
    return float(value)


def _positions(value: object, depth: int, layer: str, counted: list[int]) -> Any:
    if not isinstance(value, list):
        raise LayerError(f"a feature of layer “{layer}” has coordinates that are not lists")
    if depth == 0:
        if len(value) < 2:
            raise LayerError(f"a position in layer “{layer}” has no longitude and latitude")
        counted[0] += 1
        if counted[0] > MAX_POINTS:
            raise LayerError(f"a feature of layer “{layer}” has more than {MAX_POINTS:,} positions")
        lon = _number(value[0], f"longitude in layer “{layer}”", -180, 180)
        lat = _number(value[1], f"latitude in layer “{layer}”", -90, 90)
        return [lon, lat]
    return [_positions(item, depth - 1, layer, counted) for item in value]


def check_feature(value: object, layer: str) -> dict[str, Any]:
    """Return a GeoJSON feature of a reader's layer, rebuilt from what is checked: a geometry of
    one of six types whose positions are on the map, and flat properties (text cut to length,
    numbers, true/false/null, at most 50); raise LayerError otherwise."""
    if not isinstance(value, dict) or value.get("type") != "Feature":
        raise LayerError(f"a feature of layer “{layer}” is not a GeoJSON Feature")
    geometry = value.get("geometry")
    if not isinstance(geometry, dict) or geometry.get("type") not in _GEOMETRIES:
        raise LayerError(f"a feature of layer “{layer}” has no geometry of {', '.join(_GEOMETRIES)}")
    kind = str(geometry["type"])
    coordinates = _positions(geometry.get("coordinates"), _DEPTHS[kind], layer, [0])
    properties = value.get("properties") or {}
    if not isinstance(properties, dict):
        raise LayerError(f"a feature of layer “{layer}” has properties that are not an object")
    if len(properties) > MAX_PROPERTIES:
        raise LayerError(f"a feature of layer “{layer}” has more than {MAX_PROPERTIES} properties")
    kept: dict[str, str | float | bool | None] = {}
    for key, item in properties.items():
        label = clean_text(key, 60)
        if not label:
            continue
        if isinstance(item, bool) or item is None or (isinstance(item, int | float) and math.isfinite(item)):
            kept[label] = item
        elif isinstance(item, str):
            kept[label] = " ".join(item.split())[:MAX_PROPERTY]
        else:
            raise LayerError(f"the property “{label}” of a feature of layer “{layer}” is not text or a number")
    return {"type": "Feature", "geometry": {"type": kind, "coordinates": coordinates}, "properties": kept}


def read_date(value: object) -> dt.date | None:
    """Return the date a cell or property names ("2024-03-15", "15 March 2024", "March 15, 2024"), or None."""
    day = parse_date(value)
    if day is None and isinstance(value, str) and (match := _DAY_MONTH_YEAR.match(value)):
        day = parse_date(f"{match.group(2)} {match.group(1)}, {match.group(3)}")
    return day


def _with_common(properties: dict[str, Any]) -> dict[str, Any]:
    """Return ``properties`` with ``label``, ``note``, ``date`` and ``type`` filled from the first
    property of each kind the file has (its own names kept too)."""
    lower = {str(k).strip().lower().replace(" ", "_"): v for k, v in properties.items()}
    out = dict(properties)
    for name, keys in (("label", _LABEL), ("note", _NOTE), ("type", _TYPE)):
        if not isinstance(out.get(name), str) or not out.get(name):
            found = next((lower[k] for k in keys if isinstance(lower.get(k), str) and lower[k].strip()), None)
            if found is not None:
                out[name] = found
    day = next((d for k in ("date", *_DATE) if (d := read_date(lower.get(k))) is not None), None)
    if day is not None:
        out["date"] = day.isoformat()
    elif "date" in out and not isinstance(out["date"], str | int | float | bool | type(None)):
        out.pop("date")
    return out


def _flat(value: object) -> object:
    """Return a property value as a flat one: nested objects and lists become their JSON text."""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)[:MAX_PROPERTY]
    return value


def _finish(name: str, features: Iterable[dict[str, Any]], source: str) -> Layer:
    kept = tuple(features)
    if not kept:
        raise LayerError(f"“{name}” has no features with a point, line or area on the map")
    return Layer(name, kept, True, source)


# ---------------------------------------------------------------------------------------- readers


def _text_of(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise LayerError("this file is not UTF-8 text") from None


def read_geojson(data: bytes, name: str = "Layer") -> Layer:
    """Return the layer of a GeoJSON FeatureCollection, Feature or geometry; raise LayerError."""
    if json_depth(data) > MAX_DEPTH:
        raise LayerError(f"this file is nested more than {MAX_DEPTH} levels deep: it is not a map layer")
    try:
        document = json.loads(_text_of(data), parse_constant=_no_constant)
    except (ValueError, RecursionError) as err:
        raise LayerError(f"this file is not JSON ({str(err)[:80]})") from None
    if not isinstance(document, dict):
        raise LayerError("this file is not GeoJSON (not an object)")
    kind = document.get("type")
    if kind == "FeatureCollection":
        items = document.get("features")
        if not isinstance(items, list):
            raise LayerError("this FeatureCollection's “features” is not a list")
    elif kind == "Feature":
        items = [document]
    elif kind in _GEOMETRIES:
        items = [{"type": "Feature", "geometry": document, "properties": {}}]
    else:
        raise LayerError("this file is not GeoJSON (its “type” is not FeatureCollection, Feature or a geometry)")
    if len(items) > MAX_FEATURES:
        raise LayerError(f"this layer has {len(items):,} features; at most {MAX_FEATURES:,} are read")

    def features() -> Iterator[dict[str, Any]]:
        for item in items:
            if isinstance(item, dict) and item.get("geometry") is None:
                continue  # GeoJSON allows a feature without a place: nothing to draw
            if isinstance(item, dict) and isinstance(item.get("properties"), dict):
                properties = {k: _flat(v) for k, v in list(item["properties"].items())[:MAX_PROPERTIES]}
                item = {**item, "properties": _with_common(properties)}
            yield check_feature(item, name)

    return _finish(name, features(), "geojson")


def _no_constant(constant: str) -> None:
    raise ValueError(f"{constant} is not a number JSON has")


def _local(tag: object) -> str:
    """Return an element's name without its namespace ("{http://www.opengis.net/kml/2.2}Point" → "Point")."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _kml_positions(text: str | None, layer: str) -> list[list[float]]:
    positions = []
    for chunk in (text or "").split():
        parts = chunk.split(",")
        try:
            lon, lat = float(parts[0]), float(parts[1])
        except (ValueError, IndexError):
            raise LayerError(f"a KML position in “{layer}” is not “longitude,latitude”") from None
        positions.append([lon, lat])
        if len(positions) > MAX_POINTS:
            raise LayerError(f"a feature of layer “{layer}” has more than {MAX_POINTS:,} positions")
    return positions


def _kml_geometries(element: Any, layer: str) -> Iterator[tuple[str, Any]]:
    """Yield (GeoJSON type, coordinates) for each geometry in a Placemark's element."""
    for child in element:
        tag = _local(child.tag)
        if tag == "Point":
            found = _kml_positions(_child_text(child, "coordinates"), layer)
            if found:
                yield "Point", found[0]
        elif tag == "LineString":
            yield "LineString", _kml_positions(_child_text(child, "coordinates"), layer)
        elif tag == "Polygon":
            rings = []
            for boundary in child:
                if _local(boundary.tag) in ("outerBoundaryIs", "innerBoundaryIs"):
                    for ring in boundary:
                        if _local(ring.tag) == "LinearRing":
                            rings.append(_kml_positions(_child_text(ring, "coordinates"), layer))
            if rings:
                yield "Polygon", rings
        elif tag == "MultiGeometry":
            yield from _kml_geometries(child, layer)


def _child_text(element: Any, tag: str) -> str | None:
    for child in element:
        if _local(child.tag) == tag:
            return child.text if isinstance(child.text, str) else ""
    return None


def _plain(text: str | None) -> str | None:
    """Return KML description HTML as plain text (the tags dropped; shown escaped)."""
    if not text:
        return None
    return html.unescape(re.sub(r"<[^>]{0,2000}>", " ", text))


def read_kml(data: bytes, name: str = "Layer") -> Layer:
    """Return the layer of a KML file's placemarks (points, lines, polygons, multi-geometries; the
    name, description, ExtendedData and TimeStamp as properties); raise LayerError."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import iterparse

    placemarks = []
    depth = 0
    try:
        for event, element in iterparse(io.BytesIO(data), events=("start", "end"), forbid_dtd=True):
            if event == "start":
                depth += 1
                if depth > MAX_XML_DEPTH:
                    raise LayerError(f"this KML file is nested more than {MAX_XML_DEPTH} elements deep")
                continue
            depth -= 1
            if _local(element.tag) == "Placemark":
                placemarks.append(element)
                if len(placemarks) > MAX_FEATURES:
                    raise LayerError(f"this layer has more than {MAX_FEATURES:,} placemarks; at most that are read")
    except DefusedXmlException:
        raise LayerError("this KML file declares entities or a DTD, which are not read") from None
    except SyntaxError as err:  # ElementTree's ParseError
        raise LayerError(f"this file is not KML (not well-formed XML: {str(err)[:80]})") from None

    def features() -> Iterator[dict[str, Any]]:
        for placemark in placemarks:
            properties: dict[str, Any] = {}
            for child in placemark:
                tag = _local(child.tag)
                if tag == "name" and child.text:
                    properties["label"] = child.text
                elif tag == "description" and child.text:
                    properties["note"] = _plain(child.text)
                elif tag == "TimeStamp":
                    properties["date"] = _child_text(child, "when")
                elif tag == "ExtendedData":
                    for data_element in child:
                        key = data_element.get("name")
                        if _local(data_element.tag) == "Data" and key and len(properties) < MAX_PROPERTIES - 4:
                            properties.setdefault(key, _child_text(data_element, "value"))
            geometries = list(_kml_geometries(placemark, name))
            kinds = {kind for kind, _ in geometries}
            if not geometries:
                continue
            if len(geometries) == 1:
                shapes = [geometries[0]]
            elif len(kinds) == 1:  # a MultiGeometry of one kind: one Multi- feature
                shapes = [(f"Multi{geometries[0][0]}", [c for _, c in geometries])]
            else:
                shapes = geometries
            for kind, coordinates in shapes:
                yield check_feature(
                    {
                        "type": "Feature",
                        "geometry": {"type": kind, "coordinates": coordinates},
                        "properties": _with_common(properties),
                    },
                    name,
                )

    return _finish(name, features(), "kml")


def _column(header: Sequence[str], names: Sequence[str]) -> int | None:
    lower = [h.strip().lower().replace(" ", "_") for h in header]
    return next((lower.index(n) for n in names if n in lower), None)


def read_csv(data: bytes, name: str = "Layer") -> Layer:
    """Return the layer of a CSV (or tab-separated) table with latitude and longitude columns, one
    point per row, every column a property (an ACLED export: its event date and type become the
    layer's ``date`` and ``type``, its location the label, its notes the note); raise LayerError."""
    text = _text_of(data)
    head = text[:4096]
    delimiter = max((",", ";", "\t"), key=head.split("\n", 1)[0].count)
    csv.field_size_limit(MAX_BYTES)
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(rows)
    except StopIteration:
        raise LayerError("this CSV file is empty") from None
    except csv.Error as err:
        raise LayerError(f"this file is not a CSV table ({err})") from None
    lat_at, lon_at = _column(header, _LAT), _column(header, _LON)
    if lat_at is None or lon_at is None:
        raise LayerError(
            "this CSV file has no latitude and longitude columns (named latitude/lat and longitude/lon/lng)"
        )
    columns = [clean_text(h, 60) or f"column {i + 1}" for i, h in enumerate(header)][: MAX_PROPERTIES - 4]

    def features() -> Iterator[dict[str, Any]]:
        try:
            for number, row in enumerate(rows, start=2):
                if not any(cell.strip() for cell in row):
                    continue
                if number - 1 > MAX_FEATURES:
                    raise LayerError(f"this CSV file has more than {MAX_FEATURES:,} rows; at most that are read")
                if len(row) <= max(lat_at, lon_at):
                    raise LayerError(f"row {number} of this CSV file has no latitude or longitude")
                try:
                    lat, lon = float(row[lat_at]), float(row[lon_at])
                except ValueError:
                    raise LayerError(
                        f"row {number} of this CSV file: “{row[lat_at][:20]}, {row[lon_at][:20]}” are not numbers"
                    ) from None
                if not (math.isfinite(lat) and -90 <= lat <= 90 and math.isfinite(lon) and -180 <= lon <= 180):
                    raise LayerError(
                        f"row {number} of this CSV file is off the map: latitude {lat:g}, longitude {lon:g}"
                    )
                properties = {column: cell for column, cell in zip(columns, row, strict=False) if cell.strip()}
                yield check_feature(
                    {
                        "type": "Feature",
                        "geometry": {"type": "Point", "coordinates": [lon, lat]},
                        "properties": _with_common(properties),
                    },
                    name,
                )
        except csv.Error as err:
            raise LayerError(f"this file is not a CSV table ({err})") from None

    return _finish(name, features(), "csv")


def read_layer(data: bytes, filename: str, *, max_bytes: int = MAX_BYTES) -> Layer:
    """Return the layer in ``data``, a file named ``filename`` (its ending says the format: .geojson
    or .json, .kml, .csv or .tsv), named after the file; raise LayerError, with a sentence that says
    what is wrong, for anything else."""
    if max_bytes and len(data) > max_bytes:
        raise LayerError(
            f"this file is {len(data) / 1_000_000:.1f} MB; layers of up to {max_bytes / 1_000_000:.1f} MB are read"
        )
    if not data.strip():
        raise LayerError("this file is empty")
    stem, _, ending = filename.rpartition(".")
    reader = FORMATS.get(ending.lower()) if stem else None
    if reader is None:
        raise LayerError("a layer is a .geojson, .json, .kml or .csv file")
    name = clean_text(stem.replace("_", " "), MAX_NAME) or "Layer"
    read = {"geojson": read_geojson, "kml": read_kml, "csv": read_csv}[reader]
    layer = read(data, name)
    log.info("read layer %r: %d features from a %s file", layer.name, len(layer.features), reader)
    return replace(layer, source=reader)
