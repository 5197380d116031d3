"""An offline basemap: the world's country outlines, from the polygons ``countryinfo`` ships."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from geo.core.config import DATA_DIR
from geo.gazetteer.sources import package_dir


def _rounded(coordinates, digits: int):
    if isinstance(coordinates[0], (int, float)):
        return [round(coordinates[0], digits), round(coordinates[1], digits)]
    return [_rounded(part, digits) for part in coordinates]


@lru_cache(maxsize=1)
def country_outlines(digits: int = 2) -> dict:
    """Return a GeoJSON FeatureCollection of country outlines (coordinates rounded to ``digits``).

    About 170 countries at roughly 1:110 million scale: enough to read markers against, and
    about 200 KB.
    """
    features = []
    for path in sorted((package_dir("countryinfo") / "data").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for feature in (data.get("geoJSON") or {}).get("features", ()):
            geometry = feature.get("geometry")
            if not geometry:
                continue
            features.append(
                {
                    "type": "Feature",
                    "properties": {"name": data.get("name", "")},
                    "geometry": {"type": geometry["type"], "coordinates": _rounded(geometry["coordinates"], digits)},
                }
            )
    return {"type": "FeatureCollection", "features": features}


def write_outlines(path: Path) -> Path:
    """Write the country outlines to ``path`` as GeoJSON (unless already there); return ``path``."""
    data = json.dumps(country_outlines(), separators=(",", ":"))
    if not path.is_file() or path.read_text(encoding="utf-8") != data:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(data, encoding="utf-8")
        tmp.replace(path)
    return path


# The detailed offline basemap: Natural Earth (public domain) land, lakes, rivers, borders and towns,
# simplified and packed into geo/data/basemap.json by ``derive_detail`` (run once, by hand:
# ``python -m geo.map.basemap ../shared/data/naturalearth``). The app reads only that packed file.

DETAIL_FILE = DATA_DIR / "basemap.json"
#: Coordinates are stored as integers of this many per degree, each after the first of a line as
#: the difference from the one before (small numbers, short JSON).
DETAIL_SCALE = 1000
#: Natural Earth theme, simplification tolerance in degrees, and which features to keep.
_THEMES = {
    "land": ("ne_10m_land.json", 0.006),
    "borders": ("ne_10m_admin_0_boundary_lines_land.json", 0.01),
    "areas": ("ne_50m_admin_1_states_provinces_lines.json", 0.01),
    "lakes": ("ne_10m_lakes.json", 0.015),
    "rivers": ("ne_10m_rivers_lake_centerlines.json", 0.02),
}
_MAX_RANK = {"lakes": 5, "rivers": 6}
#: Islands and lakes smaller than this across (degrees) are left out.
_MIN_EXTENT = 0.08
#: The smaller rivers and lakes (above ``_MAX_RANK``) are drawn only close in, so they keep less
#: simplification (degrees), and lakes down to ``_MIN_MINOR_EXTENT`` across.
_MINOR_TOLERANCE = {"lakes": 0.006, "rivers": 0.008}
_MIN_MINOR_EXTENT = 0.02
#: The zoom from which the browser draws what the packed file holds, by Natural Earth scale rank
#: (index: rank 0 to 10; a rank past the end takes the last). One table for the browser (the
#: detailed basemap's script) and the tests; the world view stays light, city zooms get all.
TOWN_ZOOM = (3, 3, 4, 5, 5, 6, 6, 7, 8, 9, 9)
RIVER_ZOOM = (5, 5, 5, 5, 5, 5, 5, 7, 8, 9, 9)
LAKE_ZOOM = (2, 2, 2, 2, 2, 2, 6, 7, 8, 8, 8)
#: Most town names drawn at once: past it, a view reads as a list rather than a map.
TOWN_LIMIT = 120
#: What only closer zooms show (the smaller rivers and lakes, towns past this rank) is packed into
#: a second file, fetched the first time the map reaches ``CLOSE_ZOOM``: the world view downloads,
#: parses and draws what it did before the city zooms' detail came.
CLOSE_FILE = DATA_DIR / "basemap-close.json"
_WORLD_TOWN_RANK = 6
CLOSE_ZOOM = min(
    TOWN_ZOOM[_WORLD_TOWN_RANK + 1], RIVER_ZOOM[_MAX_RANK["rivers"] + 1], LAKE_ZOOM[_MAX_RANK["lakes"] + 1]
)


def simplify(points: list[list[float]], tolerance: float) -> list[list[float]]:
    """Return ``points`` simplified by Douglas–Peucker: no point of the line moves more than
    ``tolerance`` (degrees) from the simplified one; the ends are kept."""
    count = len(points)
    if count < 3:
        return points
    keep = [False] * count
    keep[0] = keep[-1] = True
    stack = [(0, count - 1)]
    limit = tolerance * tolerance
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first][:2], points[last][:2]
        dx, dy = bx - ax, by - ay
        length = dx * dx + dy * dy
        farthest, at = -1.0, -1
        for i in range(first + 1, last):
            px, py = points[i][0] - ax, points[i][1] - ay
            t = 0.0 if length == 0 else min(1.0, max(0.0, (px * dx + py * dy) / length))
            distance = (px - t * dx) ** 2 + (py - t * dy) ** 2
            if distance > farthest:
                farthest, at = distance, i
        if farthest > limit:
            keep[at] = True
            stack.extend(((first, at), (at, last)))
    return [p for p, kept in zip(points, keep, strict=True) if kept]


def _packed(points: list[list[float]]) -> list[int]:
    """Return a line as [x0, y0, dx1, dy1, …] in 1/DETAIL_SCALE degrees."""
    flat: list[int] = []
    last_x = last_y = 0
    for point in points:
        x, y = round(point[0] * DETAIL_SCALE), round(point[1] * DETAIL_SCALE)
        if flat and x == last_x and y == last_y:
            continue
        flat.extend((x - last_x, y - last_y))
        last_x, last_y = x, y
    return flat


def _extent(ring: list[list[float]]) -> float:
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    return max(max(xs) - min(xs), max(ys) - min(ys))


def _lines(geometry: dict) -> list[list[list[list[float]]]]:
    """Return a geometry as polygons (lists of rings), a line being a polygon of one open ring."""
    kind, coordinates = geometry["type"], geometry["coordinates"]
    if kind == "Polygon":
        return [coordinates]
    if kind == "MultiPolygon":
        return list(coordinates)
    if kind == "LineString":
        return [[coordinates]]
    if kind == "MultiLineString":
        return [[line] for line in coordinates]
    return []


def derive_detail(source: Path) -> dict:
    """Return the detailed basemap derived from the Natural Earth GeoJSON files in ``source``.

    ``{"scale": DETAIL_SCALE, "land": [polygon, …], "lakes": […], "borders": [line, …], "areas":
    […], "rivers": […], "minor_lakes": [[rank, polygon], …], "minor_rivers": [[rank, line], …],
    "towns": [[name, x, y, rank], …], "source": …}``, a polygon being a list of packed rings and a
    line one packed line (see ``_packed``); rings that simplify to a speck are left out. ``lakes``
    and ``rivers`` are the larger ones (``_MAX_RANK``), drawn from far out; the ``minor_`` ones
    carry their rank, for the zoom they are drawn from (``RIVER_ZOOM``, ``LAKE_ZOOM``). Towns are
    every populated place, most important first (scale rank, then population): the browser names
    them in that order, each where it overlaps no name before it.
    """
    detail: dict = {
        "scale": DETAIL_SCALE,
        "source": (
            "Natural Earth 1:10m (admin-1 lines 1:50m), public domain; simplified by geo.map.basemap.derive_detail"
        ),
    }
    for layer, (name, tolerance) in _THEMES.items():
        data = json.loads((source / name).read_text(encoding="utf-8"))
        shapes: list = []
        minor: list = []
        for feature in data["features"]:
            rank = int((feature.get("properties") or {}).get("scalerank") or 0)
            if feature.get("geometry") is None:
                continue
            small = layer in _MAX_RANK and rank > _MAX_RANK[layer]
            smallest, simpler = (_MIN_MINOR_EXTENT, _MINOR_TOLERANCE[layer]) if small else (_MIN_EXTENT, tolerance)
            for polygon in _lines(feature["geometry"]):
                if layer in ("land", "lakes") and _extent(polygon[0]) < smallest:
                    continue
                rings = [_packed(simplify(ring, simpler)) for ring in polygon]
                rings = [r for r in rings if len(r) >= (8 if layer in ("land", "lakes") else 4)]
                if not rings:
                    continue
                shape = rings if layer in ("land", "lakes") else rings[0]
                if small:
                    minor.append([rank, shape])
                else:
                    shapes.append(shape)
        detail[layer] = shapes
        if layer in _MAX_RANK:
            detail[f"minor_{layer}"] = minor
    towns = json.loads((source / "ne_10m_populated_places.json").read_text(encoding="utf-8"))
    places = [p for p in (f["properties"] for f in towns["features"]) if p.get("SCALERANK") is not None]
    places.sort(key=lambda p: (p["SCALERANK"], -(p.get("POP_MAX") or 0), p["NAME"]))
    detail["towns"] = [[p["NAME"], round(p["LONGITUDE"], 3), round(p["LATITUDE"], 3), p["SCALERANK"]] for p in places]
    return detail


def split_detail(detail: dict) -> tuple[dict, dict]:
    """Return ``detail`` (``derive_detail``'s) as the world's file (``DETAIL_FILE``: all but the
    minor rivers and lakes and the towns past ``_WORLD_TOWN_RANK``) and the close zooms' file
    (``CLOSE_FILE``: those, with the same keys)."""
    world = {key: value for key, value in detail.items() if not key.startswith("minor_")}
    world["towns"] = [town for town in detail["towns"] if town[3] <= _WORLD_TOWN_RANK]
    close = {key: value for key, value in detail.items() if key.startswith("minor_") or key in ("scale", "source")}
    close["towns"] = [town for town in detail["towns"] if town[3] > _WORLD_TOWN_RANK]
    return world, close


def write_detail(path: Path) -> Path | None:
    """Copy the packed detailed basemap to ``path``, and its close zooms' file beside it (unless
    already there); return ``path``, or None when the package does not have it."""
    if not DETAIL_FILE.is_file():
        return None
    for source, target in ((DETAIL_FILE, path), (CLOSE_FILE, path.with_name(CLOSE_FILE.name))):
        if not source.is_file():
            continue
        data = source.read_bytes()
        if not target.is_file() or target.read_bytes() != data:
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_suffix(".tmp")
            tmp.write_bytes(data)
            tmp.replace(target)
    return path


if __name__ == "__main__":
    import sys

    for part, target in zip(split_detail(derive_detail(Path(sys.argv[1]))), (DETAIL_FILE, CLOSE_FILE), strict=True):
        target.write_text(json.dumps(part, separators=(",", ":"), ensure_ascii=False), encoding="utf-8")
        sys.stdout.write(f"{target}: {target.stat().st_size:,} bytes\n")
