"""Distances on the Earth, and coordinates as a person types them."""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Callable, Container, Iterable

EARTH_RADIUS_KM = 6371.0088


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the great-circle (haversine) distance between two points, in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


#: Longest coordinates text read, in characters: "-35.123456789 N, 135.123456789 E" is 34.
MAX_COORDINATES = 60
#: One coordinate as typed: a decimal number (a point as its decimal mark: a comma separates the
#: two), then optionally a degree sign and a hemisphere letter.
_COORDINATE = re.compile(r"([+-]?\d{1,3}(?:\.\d+)?)\s*(?:°|º|deg)?\s*([NSEWnsew])?(?![A-Za-z])")
_SEPARATOR = re.compile(r"^\s*[,;/]?\s*$")


def parse_coordinates(text: str) -> tuple[float, float]:
    """Return (latitude, longitude) from coordinates a person typed, in decimal degrees:
    "35.40, 35.95", "35.40 35.95", "35.40 N 35.95 E", "33.5S, 70.6W", "-33.5 -70.6". Letters name
    the hemisphere (S and W negative), and with them the order may be longitude first ("35.95 E
    35.40 N"). Raises ValueError with a sentence a reader can act on for anything else: a word,
    one number, a latitude beyond 90 or a longitude beyond 180, degrees and minutes."""
    typed = text.strip()
    if len(typed) > MAX_COORDINATES:
        raise ValueError("Type two numbers: a latitude and a longitude, e.g. 35.40, 35.95.")
    found = list(_COORDINATE.finditer(typed))
    # Two numbers, and nothing but a separator between them (nor anything around them).
    if (
        len(found) != 2
        or found[0].start() > 0
        or found[1].end() < len(typed)
        or not _SEPARATOR.match(typed[found[0].end() : found[1].start()])
    ):
        raise ValueError("Type the latitude and longitude in decimal degrees, e.g. 35.40, 35.95 or 35.40 N 35.95 E.")
    values = []
    for match in found:
        number, letter = float(match[1]), (match[2] or "").upper()
        if letter and number < 0:
            raise ValueError("Give a hemisphere by a letter or a minus sign, not both: e.g. 33.5 S or -33.5.")
        values.append((-number if letter in ("S", "W") else number, letter))
    (first, a), (second, b) = values
    if a in ("E", "W") or b in ("N", "S"):  # written longitude first
        if a in ("N", "S") or b in ("E", "W"):
            raise ValueError("One of them must be a latitude (N or S) and the other a longitude (E or W).")
        first, second = second, first
    elif a and a == b:
        raise ValueError("One of them must be a latitude (N or S) and the other a longitude (E or W).")
    if not -90 <= first <= 90:
        raise ValueError(f"A latitude is between -90 and 90 (90 S and 90 N); {first:g} is not.")
    if not -180 <= second <= 180:
        raise ValueError(f"A longitude is between -180 and 180 (180 W and 180 E); {second:g} is not.")
    return first, second


#: Kilometres per degree of latitude on the sphere ``great_circle_km`` uses.
KM_PER_DEGREE = 2 * math.pi * EARTH_RADIUS_KM / 360


class NearestPoints:
    """Points that answer "how far is the nearest one?" without measuring to every point.

    The points are kept sorted by latitude; a search starts at the query's latitudes, walks
    outwards and stops once the latitude gap alone is more than the best distance found, since a
    great circle is never shorter than its difference in latitude. The answer is the same minimum
    as measuring every point, at a fraction of the cost when the points are spread out.
    """

    def __init__(self, points: Iterable[tuple[float, float]]) -> None:
        self.points = sorted(set(points))
        self.lats = [lat for lat, _lon in self.points]

    def __len__(self) -> int:
        return len(self.points)

    def nearest_km(
        self,
        distance_km: Callable[[float, float], float],
        *,
        south: float,
        north: float,
        skip: Container[tuple[float, float]] = (),
    ) -> float:
        """Return the least ``distance_km(lat, lon)`` over the points not in ``skip`` (inf when none).

        ``distance_km`` must never be less than the latitude gap from a point to the band
        ``south``..``north``: true of the great-circle distance to a point at that latitude
        (``south == north``) or to a box spanning those latitudes.
        """
        best = math.inf
        start, end = bisect.bisect_left(self.lats, south), bisect.bisect_right(self.lats, north)
        for index in range(start, end):  # inside the band: no gap to prune by
            if self.points[index] not in skip:
                best = min(best, distance_km(*self.points[index]))
        below, above = start - 1, end
        while below >= 0 or above < len(self.points):
            gap_below = south - self.lats[below] if below >= 0 else math.inf
            gap_above = self.lats[above] - north if above < len(self.points) else math.inf
            if gap_below <= gap_above:
                index, gap = below, gap_below
                below -= 1
            else:
                index, gap = above, gap_above
                above += 1
            # A margin keeps the cut exact despite rounding: what it skips is farther than best.
            if gap * KM_PER_DEGREE > best + 1e-6:
                break
            if self.points[index] not in skip:
                best = min(best, distance_km(*self.points[index]))
        return best
