"""Representative points of areas, computed from their outlines at gazetteer build time.

A country has two conventional points in the data sets this project is measured against: a
*nominal* one (GeoNames' and the CIA World Factbook's rounded "geographic coordinates", which
``countryinfo`` ships as ``latlng``) and a *geometric* one near the centre of its land (the point
Wikipedia gives several large countries: China at 35N 103E where GeoNames has 35N 105E). The
gazetteer keeps the nominal point but moves it towards the geometric centre of the country's
largest polygon (its area-weighted centroid on the sphere, when that lies inside the polygon)
by at most ``NUDGE_KM``: the nominal convention stays within that distance, and a country whose
nominal point sits off its centre (China, Libya, Australia) comes nearer the geometric one.

Everything here is plain arithmetic on (lon, lat) rings as GeoJSON writes them; edges are taken
as straight in longitude and latitude, as the outlines are drawn.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

from geo.core.geometry import great_circle_km

__all__ = [
    "ADMIN1_NUDGE_KM",
    "KEEP_KM",
    "NUDGE_KM",
    "Point",
    "Polygon",
    "Ring",
    "admin1_point",
    "area_centroid",
    "contains",
    "country_point",
    "largest",
    "spherical_area",
    "toward",
    "unit_vector",
    "vector_point",
]

#: A ring of (lon, lat) positions, closed (first == last) as GeoJSON writes it.
Ring = Sequence[Sequence[float]]
#: An outer ring, then its holes.
Polygon = Sequence[Ring]

#: How far a country's nominal point may move towards its outline's centroid, in km. Chosen on the
#: tune splits (100–160 km all gave the same counts; beyond 161 km a gazetteer keyed on GeoNames'
#: points, as LGL is, starts to disagree); see the README's accuracy section.
NUDGE_KM = 120.0
#: A nominal point this near its outline's centroid is central enough and kept as it is: moving
#: it would only blur a point both conventions agree on (chosen on the tune splits with
#: ``NUDGE_KM``: it keeps 510 of the 512 country mentions the nudge alone places within 161 km,
#: and half the added error in km for the rest).
KEEP_KM = 100.0
#: How far a first-level area's label point may move towards its towns' mean position, in km
#: (chosen on the tune splits: 60 and 80 km gave nearly the same counts, 30–45 km fewer).
ADMIN1_NUDGE_KM = 60.0


@dataclass(frozen=True)
class Point:
    """A representative point and how it was chosen (its provenance, stored with the place)."""

    lat: float
    lon: float
    method: str


def _ring_moments(ring: Ring) -> tuple[float, float, float, float]:
    """Return the signed integrals over a ring's inside of 1, x, y and z on the unit sphere.

    By Green's theorem the surface integral of f(lon, lat) cos(lat) is a line integral of its
    antiderivative in latitude along the ring; each edge is integrated at its midpoint, which is
    exact enough for outlines whose edges span a few degrees at most.
    """
    area = x = y = z = 0.0
    for (lon1, lat1, *_), (lon2, lat2, *_) in itertools.pairwise(ring):
        step = math.radians(lon2 - lon1)
        if not step:
            continue
        lon, lat = math.radians((lon1 + lon2) / 2), math.radians((lat1 + lat2) / 2)
        half = lat / 2 + math.sin(2 * lat) / 4  # antiderivative of cos^2
        area -= math.sin(lat) * step
        x -= math.cos(lon) * half * step
        y -= math.sin(lon) * half * step
        z -= math.sin(lat) ** 2 / 2 * step
    return area, x, y, z


def _moments(polygon: Polygon) -> tuple[float, float, float, float]:
    """Return a polygon's moments, its outer ring counted positive and its holes negative,
    whichever way each ring winds."""
    total = [0.0, 0.0, 0.0, 0.0]
    for index, ring in enumerate(polygon):
        moments = _ring_moments(ring)
        sign = 1.0 if (moments[0] >= 0) == (index == 0) else -1.0
        total = [t + sign * m for t, m in zip(total, moments, strict=True)]
    return total[0], total[1], total[2], total[3]


def spherical_area(polygon: Polygon) -> float:
    """Return a polygon's area on the unit sphere (steradians; times R² for km²)."""
    return _moments(polygon)[0]


def area_centroid(polygons: Sequence[Polygon]) -> tuple[float, float] | None:
    """Return the (lat, lon) of the area-weighted centroid of polygons on the sphere (the mean of
    their surface's positions, projected back onto it), or None for no area."""
    sums = [0.0, 0.0, 0.0]
    for polygon in polygons:
        _area, x, y, z = _moments(polygon)
        sums = [sums[0] + x, sums[1] + y, sums[2] + z]
    return vector_point(*sums)


def _inside(ring: Ring, lon: float, lat: float) -> bool:
    inside = False
    for (x1, y1, *_), (x2, y2, *_) in itertools.pairwise(ring):
        if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def contains(polygon: Polygon, lat: float, lon: float) -> bool:
    """Return True when (lat, lon) lies inside a polygon's outer ring and in none of its holes."""
    if not polygon or not _inside(polygon[0], lon, lat):
        return False
    return not any(_inside(hole, lon, lat) for hole in polygon[1:])


def largest(polygons: Sequence[Polygon]) -> Polygon | None:
    """Return the polygon of largest area on the sphere (the mainland of a country), or None."""
    return max(polygons, key=spherical_area, default=None)


def toward(start: tuple[float, float], target: tuple[float, float], max_km: float) -> tuple[float, float]:
    """Return the point on the great circle from ``start`` to ``target`` (each (lat, lon)) at most
    ``max_km`` from ``start``: ``target`` itself when it is that near."""
    distance = great_circle_km(*start, *target)
    if distance <= max_km or not distance:
        return target
    a, b = unit_vector(*start), unit_vector(*target)
    angle = math.acos(max(-1.0, min(1.0, sum(p * q for p, q in zip(a, b, strict=True)))))
    t = max_km / distance
    wa, wb = math.sin((1 - t) * angle) / math.sin(angle), math.sin(t * angle) / math.sin(angle)
    x, y, z = (wa * p + wb * q for p, q in zip(a, b, strict=True))
    return vector_point(x, y, z) or target


def unit_vector(lat: float, lon: float) -> tuple[float, float, float]:
    """Return the unit vector (x, y, z) of a position on the sphere."""
    phi, lam = math.radians(lat), math.radians(lon)
    return math.cos(phi) * math.cos(lam), math.cos(phi) * math.sin(lam), math.sin(phi)


def vector_point(x: float, y: float, z: float) -> tuple[float, float] | None:
    """Return the (lat, lon) a vector points at (a sum of unit vectors: their mean position on
    the sphere), or None for the zero vector."""
    norm = math.sqrt(x * x + y * y + z * z)
    if not norm:
        return None
    return math.degrees(math.asin(max(-1.0, min(1.0, z / norm)))), math.degrees(math.atan2(y, x))


def admin1_point(
    label: tuple[float, float], towns_mean: tuple[float, float] | None, max_km: float = ADMIN1_NUDGE_KM
) -> Point:
    """Return a first-level area's point: Natural Earth's ``label`` point moved towards the mean
    position of the area's towns by at most ``max_km``. Natural Earth puts some label points near
    an edge (Indiana's by the Ohio river, Ontario's by Hudson Bay); the towns pull them back
    towards the middle of the area as people know it, never further than ``max_km``. With no
    mean (too few towns to have a middle), the label point itself."""
    if towns_mean is None:
        return Point(label[0], label[1], "Natural Earth's label point")
    lat, lon = toward(label, towns_mean, max_km)
    moved = great_circle_km(*label, lat, lon)
    if moved < 1:
        return Point(label[0], label[1], "Natural Earth's label point")
    return Point(round(lat, 4), round(lon, 4), f"Natural Earth's label point moved {moved:.0f} km towards its towns")


def country_point(nominal: tuple[float, float], polygons: Sequence[Polygon], max_km: float = NUDGE_KM) -> Point:
    """Return a country's point: its ``nominal`` (lat, lon) moved towards the area-weighted
    centroid of its largest polygon by at most ``max_km`` when it lies more than ``KEEP_KM`` from
    it; the nominal point unchanged when it is that near, when the country has no outline, or when
    that centroid falls outside the polygon (a concave country such as Vietnam or Croatia, whose
    centroid is no central point of it)."""
    main = largest(polygons)
    centre = area_centroid([main]) if main is not None else None
    if main is None or centre is None or not contains(main, *centre):
        return Point(nominal[0], nominal[1], "nominal")
    if great_circle_km(*nominal, *centre) <= KEEP_KM:
        return Point(nominal[0], nominal[1], f"nominal (within {KEEP_KM:.0f} km of the outline's centroid)")
    lat, lon = toward(nominal, centre, max_km)
    moved = great_circle_km(*nominal, lat, lon)
    if moved < 1:
        return Point(nominal[0], nominal[1], "nominal")
    return Point(round(lat, 4), round(lon, 4), f"nominal moved {moved:.0f} km towards the outline's centroid")
