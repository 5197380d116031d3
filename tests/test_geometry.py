import math
import random

from geo.core.geometry import NearestPoints, great_circle_km


def to_point(lat, lon):
    return lambda a, b: great_circle_km(lat, lon, a, b)


def to_box(south, west, north, east):
    # As the resolver measures a place with an extent: from a point to the box's nearest edge.
    return lambda a, b: great_circle_km(min(max(a, south), north), min(max(b, west), east), a, b)


def test_nearest_points_give_the_same_minimum_as_measuring_every_point():
    rng = random.Random(7)
    points = [(rng.uniform(-80, 80), rng.uniform(-180, 180)) for _ in range(300)]
    points += [(36.2 + rng.uniform(-1, 1), 37.1 + rng.uniform(-1, 1)) for _ in range(100)]  # a crowded region
    index = NearestPoints(points)
    for _ in range(200):
        lat, lon = rng.uniform(-89, 89), rng.uniform(-180, 180)
        skip = set(rng.sample(points, 20))
        distance = to_point(lat, lon)
        every = min((distance(*p) for p in points if p not in skip), default=math.inf)
        assert index.nearest_km(distance, south=lat, north=lat, skip=skip) == every
        south, north = lat - 3, lat + 2
        box = to_box(south, lon - 4, north, lon + 1)
        every_box = min((box(*p) for p in points if p not in skip), default=math.inf)
        assert index.nearest_km(box, south=south, north=north, skip=skip) == every_box


def test_nearest_points_edge_cases():
    def near(index, lat, lon, **skip):
        return index.nearest_km(to_point(lat, lon), south=lat, north=lat, **skip)

    assert near(NearestPoints([]), 10, 10) == math.inf
    only = NearestPoints([(0.0, 0.0)])
    assert near(only, 0, 0) == 0 and near(only, 0, 0, skip={(0.0, 0.0)}) == math.inf
    across = NearestPoints([(0.0, 179.9), (0.0, 0.0)])  # the antimeridian is near, not far
    assert near(across, 0, -179.9) < 30
