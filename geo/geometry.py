"""Distances on the Earth."""

from __future__ import annotations

import bisect
import math
from collections.abc import Container, Iterable

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

    The points are kept sorted by latitude; a search walks outwards from the query's latitude and
    stops once the latitude gap alone is more than the best distance found, since a great circle
    is never shorter than its difference in latitude. The answer is the same minimum as measuring
    every point, at a fraction of the cost when points are spread out.
    """

    def __init__(self, points: Iterable[tuple[float, float]]) -> None:
        self.points = sorted(set(points))
        self.lats = [lat for lat, _lon in self.points]

    def __len__(self) -> int:
        return len(self.points)

    def nearest_km(self, lat: float, lon: float, *, skip: Container[tuple[float, float]] = ()) -> float:
        """Return the distance to the nearest point not in ``skip``, in km (inf when none)."""
        best = math.inf
        below = bisect.bisect_left(self.lats, lat) - 1
        above = below + 1
        while below >= 0 or above < len(self.points):
            gap_below = lat - self.lats[below] if below >= 0 else math.inf
            gap_above = self.lats[above] - lat if above < len(self.points) else math.inf
            if gap_below <= gap_above:
                index, gap = below, gap_below
                below -= 1
            else:
                index, gap = above, gap_above
                above += 1
            # A margin keeps the cut exact despite rounding: what it skips is farther than best.
            if gap * KM_PER_DEGREE > best + 1e-6:
                break
            point = self.points[index]
            if point not in skip:
                best = min(best, great_circle_km(lat, lon, *point))
        return best
