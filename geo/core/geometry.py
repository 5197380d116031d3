"""Distances on the Earth."""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Container, Iterable

EARTH_RADIUS_KM = 6371.0088


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the great-circle (haversine) distance between two points, in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


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
