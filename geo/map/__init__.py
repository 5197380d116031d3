"""Drawing: places in, a folium map out (mapview), over an offline basemap (basemap, areas), with the
map's scripts served by the app (assets), colours by article or date (tints) and the article
highlighted (highlight). Pure functions, tested by rendering them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from geo.core.lazy import exports

if TYPE_CHECKING:
    from geo.map.assets import MapAssets, publish
    from geo.map.highlight import article_html
    from geo.map.mapview import base_map, build_map, places_geojson, places_layer

__getattr__ = exports(
    __name__,
    {
        "base_map": "mapview",
        "build_map": "mapview",
        "places_geojson": "mapview",
        "places_layer": "mapview",
        "MapAssets": "assets",
        "publish": "assets",
        "article_html": "highlight",
    },
)
__all__ = ["MapAssets", "article_html", "base_map", "build_map", "places_geojson", "places_layer", "publish"]
