"""An offline basemap: the world's country outlines, from the polygons ``countryinfo`` ships."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

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
