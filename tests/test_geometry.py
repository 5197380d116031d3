import math
import random

from geo.geometry import NearestPoints, great_circle_km


def test_nearest_points_give_the_same_minimum_as_measuring_every_point():
    rng = random.Random(7)
    points = [(rng.uniform(-80, 80), rng.uniform(-180, 180)) for _ in range(300)]
    points += [(36.2 + rng.uniform(-1, 1), 37.1 + rng.uniform(-1, 1)) for _ in range(100)]  # a crowded region
    index = NearestPoints(points)
    for _ in range(200):
        lat, lon = rng.uniform(-89, 89), rng.uniform(-180, 180)
        skip = set(rng.sample(points, 20))
        every = min((great_circle_km(lat, lon, *p) for p in points if p not in skip), default=math.inf)
        assert index.nearest_km(lat, lon, skip=skip) == every


def test_nearest_points_edge_cases():
    assert NearestPoints([]).nearest_km(10, 10) == math.inf
    only = NearestPoints([(0.0, 0.0)])
    assert only.nearest_km(0, 0) == 0 and only.nearest_km(0, 0, skip={(0.0, 0.0)}) == math.inf
    across = NearestPoints([(0.0, 179.9), (0.0, 0.0)])  # the antimeridian is near, not far
    assert across.nearest_km(0, -179.9) < 30
