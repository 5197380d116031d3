"""The corpus map: the article map's map (``geo.map.mapview.base_map``: the offline basemap, the
symbols, the key) with the corpus's places on it, drawn by the same browser code as an article's
places: clustered far out, named by their mentions where there is room, the chosen place ringed. Or
a density layer (a heat map weighted by mentions), the chosen place ringed over it. Names are
escaped before the map (``geo.map.mapview.point_feature``)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from functools import lru_cache

import folium
from folium import plugins

from geo.core.escaping import script_json
from geo.corpus.query import CorpusPlace
from geo.map.mapview import base_map, data_layer, point_feature, popup_box, use_local_assets

__all__ = ["MAP_STYLES", "MARKER_LIMIT", "corpus_base", "corpus_geojson", "corpus_layer", "corpus_map", "shown_places"]

MAP_STYLES = ("clusters", "density")
#: At most this many places are drawn as markers, the most named first: each carries its names and
#: popup (about 500 bytes of JSON and 0.1 ms of the server's time), and past a few thousand the
#: map is clusters of clusters. The density layer weighs every place, and a click beside the
#: markers finds the nearest of them all (``geo.corpus.query.CorpusQuery.nearest``).
MARKER_LIMIT = 2000
#: What a corpus place's popup says of where its sentences are.
MORE = "Its sentences beside the map"


@lru_cache(maxsize=8)
def corpus_geojson(places: tuple[CorpusPlace, ...]) -> str:
    """Return the places as the FeatureCollection the map's browser code draws (JSON safe inside a
    script): each place's mentions weigh its claim to a label, as an article's do. Cached by the
    places, so a rerun over the same days costs a look-up."""
    features = [
        point_feature(
            p.place_id,
            p.name,
            p.kind,
            p.lat,
            p.lon,
            tip=f"{p.name} · {p.mentions:,} mention{'' if p.mentions == 1 else 's'} in {p.articles:,} "
            f"article{'' if p.articles == 1 else 's'}",
            popup=popup_box(p.name, [p.kind, p.country, f"{p.mentions:,} mentions in {p.articles:,} articles"], MORE),
            count=p.mentions,
        )
        for p in places
    ]
    return script_json({"type": "FeatureCollection", "features": features})


def corpus_base(
    places: Sequence[CorpusPlace],
    *,
    style: str = "clusters",
    asset_urls: Mapping[str, str] | None = None,
    outlines_url: str | None = None,
    detail_url: str | None = None,
) -> folium.Map:
    """Return the map under the corpus's places: the article map's ``base_map`` (the same on every
    run, so the browser keeps its view), and for ``style="density"`` a heat map of ``places``
    weighted by mentions, framed on them. ``asset_urls``, ``outlines_url`` and ``detail_url`` are
    the served files (``geo.map.assets.MapAssets``), so that the map links no CDN."""
    if style not in MAP_STYLES:
        raise ValueError(f"style must be one of {MAP_STYLES}")
    fmap = base_map(asset_urls=asset_urls, outlines_url=outlines_url, detail_url=detail_url)
    if style == "density":
        most = max((p.mentions for p in places), default=1)
        plugins.HeatMap(
            [(p.lat, p.lon, math.sqrt(p.mentions / most)) for p in places], radius=14, name="Density"
        ).add_to(fmap)
        if places:
            lats, lons = [p.lat for p in places], [p.lon for p in places]
            fmap.fit_bounds([(min(lats), min(lons)), (max(lats), max(lons))], padding=(20, 20), max_zoom=8)
        use_local_assets(fmap, asset_urls or {})  # the heat map's script served too
    return fmap


def shown_places(
    places: Sequence[CorpusPlace], *, style: str = "clusters", selected: str | None = None
) -> tuple[CorpusPlace, ...]:
    """Return the places drawn as markers: the ``MARKER_LIMIT`` most named and the ``selected`` one;
    over a density layer only the selected one (the heat map is the places)."""
    if style == "density":
        return tuple(p for p in places if p.place_id == selected)
    ranked = sorted(places, key=lambda p: -p.mentions)
    shown = ranked[:MARKER_LIMIT]
    shown.extend(p for p in ranked[MARKER_LIMIT:] if p.place_id == selected)
    return tuple(shown)


def corpus_layer(
    places: Sequence[CorpusPlace],
    *,
    style: str = "clusters",
    selected: str | None = None,
    data_url: str | None = None,
) -> folium.FeatureGroup:
    """Return the corpus's places as the map's data layer (``geo.map.mapview.data_layer``): the
    ``shown_places``, the ``selected`` place id ringed and named. ``data_url``: where their
    ``corpus_geojson`` is served, else it is written into the layer."""
    data = None if data_url else corpus_geojson(shown_places(places, style=style, selected=selected))
    return data_layer(data, selected=selected, data_url=data_url)


def corpus_map(
    places: Sequence[CorpusPlace],
    *,
    style: str = "clusters",
    selected: str | None = None,
    asset_urls: Mapping[str, str] | None = None,
    outlines_url: str | None = None,
    detail_url: str | None = None,
) -> folium.Map:
    """Return a whole corpus map: ``corpus_base`` with ``corpus_layer`` on it (the dashboard hands
    the layer to streamlit-folium apart, so that a new choice redraws the places, not the map)."""
    fmap = corpus_base(places, style=style, asset_urls=asset_urls, outlines_url=outlines_url, detail_url=detail_url)
    corpus_layer(places, style=style, selected=selected).add_to(fmap)
    return fmap
