"""The shapes of areas on the map: a country's outline, a sea's extent, from data the project ships.

Countries are drawn from the outlines ``countryinfo`` ships (about 1:110 million: a light outline,
not a border survey); oceans, seas, gulfs and straits from the extent Natural Earth gives them
(``geo/gazetteer/data/ne_features.csv``), drawn as the ellipse inside it. Everything else, first-level
areas included (the project ships their label points, not their polygons), has no shape and is
drawn at its label point.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Sequence
from functools import lru_cache

from geo.core.features import Feature
from geo.core.values import Place
from geo.gazetteer.sources import DATA_DIR, country_outlines
from geo.map.basemap import simplify

__all__ = ["WATER", "area_extent", "area_shape"]

#: Natural Earth features drawn as the ellipse inside their extent.
WATER = frozenset({Feature.OCEAN, Feature.SEA, Feature.GULF, Feature.STRAIT})
#: Points around an ellipse: smooth at any zoom a sea is read at, and about 1 KB.
_ELLIPSE_POINTS = 48
#: Outline simplification (degrees): countryinfo's outlines are coarse already; this keeps the
#: largest (Russia, Canada) under about 10 KB each in the places' data.
_TOLERANCE = 0.02


def _ring(points: Sequence[Sequence[float]]) -> list[list[float]]:
    return [[round(x, 2), round(y, 2)] for x, y in simplify([list(p[:2]) for p in points], _TOLERANCE)]


@lru_cache(maxsize=1)
def _country_shapes() -> dict[str, dict]:
    """Return {ISO 3166 alpha-2 code: GeoJSON MultiPolygon} for every country countryinfo outlines
    (the outlines the gazetteer computes countries' points from, simplified for drawing)."""
    shapes: dict[str, dict] = {}
    for code, outline in country_outlines().items():
        polygons: list = []
        for polygon in outline:
            rings = [_ring(ring) for ring in polygon]
            if rings and len(rings[0]) >= 4:
                polygons.append([r for r in rings if len(r) >= 4])
        if polygons:
            shapes[code] = {"type": "MultiPolygon", "coordinates": polygons}
    return shapes


@lru_cache(maxsize=1)
def _water_extents() -> dict[str, tuple[float, float, float, float]]:
    """Return {the gazetteer's ref of a water area: its extent (south, west, north, east)}."""
    extents = {}
    with (DATA_DIR / "ne_features.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["feature"] in WATER:
                # The same ref geo.gazetteer.sources.natural_earth gives the entry.
                ref = f"{row['feature']}:{row['name']}:{row['lat']},{row['lon']}"
                extents[ref] = (float(row["south"]), float(row["west"]), float(row["north"]), float(row["east"]))
    return extents


def _ellipse(extent: tuple[float, float, float, float]) -> dict | None:
    south, west, north, east = extent
    if east <= west or north <= south:  # across the antimeridian, or a point: its label point only
        return None
    cx, cy, rx, ry = (west + east) / 2, (south + north) / 2, (east - west) / 2, (north - south) / 2
    ring = [
        [round(cx + rx * math.cos(2 * math.pi * i / _ELLIPSE_POINTS), 3),
         round(cy + ry * math.sin(2 * math.pi * i / _ELLIPSE_POINTS), 3)]
        for i in range(_ELLIPSE_POINTS)
    ]  # fmt: skip
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def area_shape(place: Place) -> dict | None:
    """Return the GeoJSON geometry (lon, lat) a place is drawn with as an area: a country's outline,
    a sea's ellipse; None when the project ships no shape for it (it is drawn at its label point)."""
    if place.feature == Feature.COUNTRY and place.country:
        return _country_shapes().get(place.country.upper())
    if place.feature in WATER and place.place_id.startswith("naturalearth:"):
        extent = _water_extents().get(place.place_id.removeprefix("naturalearth:"))
        return _ellipse(extent) if extent else None
    return None


def area_extent(place: Place) -> tuple[float, float, float, float] | None:
    """Return the (south, west, north, east) box of a place's area shape, or None when it has none.
    A shape across the antimeridian (Russia's Chukotka, Fiji) gets an east edge past 180°, so the
    box spans the land, not the rest of the world."""
    shape = area_shape(place)
    if shape is None:
        return None
    polygons = shape["coordinates"] if shape["type"] == "MultiPolygon" else [shape["coordinates"]]
    xs = [x for polygon in polygons for x, _ in polygon[0]]
    ys = [y for polygon in polygons for _, y in polygon[0]]
    if max(xs) - min(xs) > 180:
        xs = [x + 360 if x < 0 else x for x in xs]
        if max(xs) - min(xs) > 180:
            return None
    return (min(ys), min(xs), max(ys), max(xs))
