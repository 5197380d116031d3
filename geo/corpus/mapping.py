"""The corpus map: thousands of places drawn by the browser, clustered (folium's FastMarkerCluster) or
as a density layer (a heat map); a few hundred as sized circles. Names are escaped before the map."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from geo.core.escaping import escape_for_map
from geo.corpus.query import CorpusPlace

__all__ = ["CIRCLES_UP_TO", "MAP_STYLES", "corpus_map"]

#: Up to this many places, each is its own circle; beyond, the browser clusters them.
CIRCLES_UP_TO = 400
MAP_STYLES = ("clusters", "density")
#: folium.Map's scripts and styles this map uses; the others (Bootstrap, Font Awesome, awesome-markers)
#: serve icon markers, which it does not draw, and would come from CDNs.


def corpus_map(
    places: Sequence[CorpusPlace], *, style: str = "clusters", asset_urls: Mapping[str, str] | None = None
) -> Any:
    """Return a folium map of ``places``: circles sized by mentions (few places), client-side clusters
    (many), or a heat map weighted by mentions (``style="density"``). ``asset_urls`` maps folium's
    CDN addresses to local copies (``geo.map.assets``: Leaflet, jQuery, Leaflet.markercluster and
    Leaflet.heat are all served by the app, so the map links no CDN)."""
    import folium
    from folium import plugins

    from geo.map.mapview import use_local_assets

    if style not in MAP_STYLES:
        raise ValueError(f"style must be one of {MAP_STYLES}")
    fmap = folium.Map(location=(20, 0), zoom_start=2, tiles="OpenStreetMap", control_scale=True)
    if style == "density":
        most = max((p.mentions for p in places), default=1)
        plugins.HeatMap(
            [(p.lat, p.lon, math.sqrt(p.mentions / most)) for p in places], radius=14, name="Density"
        ).add_to(fmap)
    elif len(places) <= CIRCLES_UP_TO:
        most = max((p.mentions for p in places), default=1)
        for place in places:
            folium.CircleMarker(
                (place.lat, place.lon),
                radius=4 + 12 * math.sqrt(place.mentions / most),
                color="#1f5f8b",
                fill=True,
                fill_opacity=0.6,
                weight=1,
                tooltip=escape_for_map(f"{place.name} · {place.mentions} mentions in {place.articles} articles"),
            ).add_to(fmap)
    else:
        # One array for the browser to turn into markers: fast for tens of thousands of points.
        rows = [[p.lat, p.lon, escape_for_map(f"{p.name} · {p.mentions}")] for p in places]
        plugins.FastMarkerCluster(rows, callback=_TOOLTIP_CALLBACK, name="Places").add_to(fmap)
    if places:
        lats, lons = [p.lat for p in places], [p.lon for p in places]
        fmap.fit_bounds([(min(lats), min(lons)), (max(lats), max(lons))], padding=(20, 20), max_zoom=8)
    use_local_assets(fmap, asset_urls or {})
    return fmap


# Each row is [lat, lon, label]; the label went through escape_for_map, so as HTML it shows as text.
_TOOLTIP_CALLBACK = """
function (row) {
    var marker = L.circleMarker(new L.LatLng(row[0], row[1]), {radius: 6, color: '#1f5f8b', weight: 1,
                                                               fillOpacity: 0.7});
    marker.bindTooltip(row[2]);
    return marker;
}
"""
