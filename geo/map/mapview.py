"""Stage 5, the map: places in, a folium map out. Pure functions, tested by rendering them.

The map is two parts. ``base_map`` is everything that does not depend on the places (basemaps,
controls, legend, the client-side code that draws places); it is the same on every run, so the
browser keeps it, and its view, across reruns. ``places_layer`` is the places as ONE data layer:
a GeoJSON FeatureCollection whose every string is escaped, drawn by the browser into a single
marker cluster across categories (spiderfied where places share a spot), with a switch per
category, the selected place ringed and labelled. Its cost on the server is one JSON string,
cached by what it shows, however many places there are. ``build_map`` puts both together.

What depends on the screen is worked out in the browser, after each draw, zoom and move: which
places are named and on which side (``_Readable``: no two names overlap, nor a symbol another),
and when the view frames the places again (``_Framing``).

Markers are small inline SVG shapes (no icon fonts, no images), so the map needs only Leaflet,
jQuery and Leaflet.markercluster, which ``geo.map.assets`` can serve locally. Two kinds of base
layer: online tiles, and country outlines that need no network; the map switches to the outlines
by itself when tiles fail to load.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import cast

import folium
from branca.element import Element, Figure, MacroElement, Template
from folium.plugins import MarkerCluster

from geo.core.escaping import escape_for_map, script_json
from geo.core.values import KINDS, MappedPlace, Mention, Place
from geo.map.areas import area_extent, area_shape
from geo.map.basemap import (
    CLOSE_FILE,
    CLOSE_ZOOM,
    LAKE_ZOOM,
    RIVER_ZOOM,
    TOWN_LIMIT,
    TOWN_ZOOM,
    country_outlines,
)
from geo.map.tints import TINTS

__all__ = [
    "BASE_LAYERS",
    "LABEL_LIMIT",
    "LABEL_RANK",
    "SHAPE_GREY",
    "STYLE",
    "ZOOM_TO_PLACES",
    "View",
    "base_map",
    "build_map",
    "data_layer",
    "focus_zoom",
    "framing",
    "highlighted_excerpt",
    "legend",
    "places_geojson",
    "places_layer",
    "point_feature",
    "popup_box",
    "popup_html",
    "symbol",
    "use_local_assets",
]

#: The categories' shapes in the legend when the markers' colour says something else (an event type).
SHAPE_GREY = "#777"
#: Colour and SVG shape per category: the marker, the cluster bubbles and the legend draw the same.
#: Okabe–Ito colours (told apart with the common colour-vision deficiencies), and a shape each.
STYLE: dict[str, tuple[str, str]] = {
    "base": ("#D55E00", "<path d='M12 2 L22 21 L2 21 Z'/>"),  # vermillion triangle
    "city": ("#0072B2", "<circle cx='12' cy='12' r='8'/>"),  # blue circle
    "venue": ("#CC79A7", "<path d='M12 1 L23 12 L12 23 L1 12 Z'/>"),  # reddish purple diamond
    "region": ("#009E73", "<rect x='3' y='3' width='18' height='18' rx='3'/>"),  # bluish green square
    "country": ("#E69F00", "<path d='M12 1.5 L14.9 8.6 L22.5 9.2 L16.7 14.1 L18.5 21.5 L12 17.5 L5.5 21.5 "
                "L7.3 14.1 L1.5 9.2 L9.1 8.6 Z'/>"),  # orange star
    "other": ("#555555", "<circle cx='12' cy='12' r='6'/>"),  # grey dot
}  # fmt: skip
#: Which categories are points (labelled at closer zooms, drawn above the areas), and their order
#: on top of each other: the smaller the place, the higher.
POINT_KINDS = ("base", "venue", "city", "other")
_STACKING = {"base": 600, "venue": 500, "city": 400, "other": 300, "region": 200, "country": 100}
#: The zoom a selected place is framed at, by category: a country wide, a city close, a base closer.
_FOCUS_ZOOM = {"country": 5, "region": 7, "city": 10, "venue": 13, "base": 12, "other": 10}
#: Up to this zoom countries and seas are drawn as their shapes too (see geo.map.areas): closer, those
#: coarse shapes would cut across the detailed basemap's coastlines.
AREA_ZOOM = 6
#: The scripts and styles a map of ours needs; folium's other defaults (Bootstrap, Font Awesome,
#: awesome-markers) serve its icon markers, which these maps do not use.
NEEDED_ASSETS = frozenset({"leaflet", "jquery", "leaflet_css"})
OSM_ATTRIBUTION = "&copy; OpenStreetMap contributors"
#: More online basemaps, chosen in the layer control (folium knows their attributions): the key a
#: share link names it by, folium's tile set, the name in the layer control.
ONLINE_BASEMAPS = (
    ("light", "Esri.WorldGrayCanvas", "Light (Esri, online)"),
    ("terrain", "OpenTopoMap", "Terrain (OpenTopoMap, online)"),
    ("satellite", "Esri.WorldImagery", "Satellite (Esri, online): bases, airfields"),
)
#: Every base layer by the key a share link names it with (``?base=``), in the layer control's order.
BASE_LAYERS: tuple[str, ...] = ("streets", *(key for key, _, _ in ONLINE_BASEMAPS), "offline", "offline-dark")
#: What the layer control says, in place of the online basemaps, once their tiles are found unreachable.
NEEDS_NETWORK = "Online maps (streets, terrain, satellite) need a network."
OUTLINE_STYLE = {"color": "#8c8c8c", "weight": 0.8, "fillColor": "#f3f0e8", "fillOpacity": 1}
DARK_OUTLINE_STYLE = {"color": "#5d6d7e", "weight": 0.8, "fillColor": "#2c3440", "fillOpacity": 1}
#: Separates a place's id from its tooltip's text: streamlit-folium returns a clicked marker's
#: tooltip as text, so a click names its place even where markers were spread apart.
ID_MARK = "\u241f"


@dataclass(frozen=True)
class View:
    """Where the map looks: centre, zoom and base layer (a key of ``BASE_LAYERS``, or None: the default)."""

    lat: float
    lng: float
    zoom: int
    base: str | None = None


def symbol(kind: str, size: int = 22, colour: str | None = None) -> str:
    """Return the SVG symbol of a category (static markup, no article text), in its category's
    colour or in ``colour`` (one of geo.map.tints.TINTS, or ``SHAPE_GREY``: never article text)."""
    own, shape = STYLE.get(kind, STYLE["other"])
    color = colour if colour in TINTS or colour == SHAPE_GREY else own
    return (
        f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 24 24' width='{size}' height='{size}'>"
        f"<g fill='{color}' fill-opacity='0.95' stroke='white' stroke-width='1.8'>{shape}</g></svg>"
    )


def focus_zoom(kind: str) -> int:
    """Return the zoom at which a place of category ``kind`` is framed when it is focused."""
    return _FOCUS_ZOOM.get(kind, _FOCUS_ZOOM["other"])


def framing(place: Place, *, width: int = 640, height: int = 520) -> tuple[float, float, int]:
    """Return the centre (lat, lng) and zoom at which ``place`` is framed when it is focused on a map
    of about ``width`` × ``height`` pixels: an area with a shape (a country, a sea) so that its
    whole extent shows, any other place at the zoom of its category (``focus_zoom``)."""
    extent = area_extent(place)
    if extent is None:
        return place.lat, place.lon, focus_zoom(place.kind)
    south, west, north, east = extent

    def mercator(lat: float) -> float:  # Web Mercator y, in turns of the world (as Leaflet's tiles)
        return math.log(math.tan(math.pi / 4 + math.radians(max(-85.0, min(85.0, lat))) / 2)) / (2 * math.pi)

    across = max((east - west) / 360 * 256 / width, (mercator(north) - mercator(south)) * 256 / height, 1e-9)
    zoom = max(1, min(focus_zoom(place.kind) + 2, math.floor(math.log2(1 / across))))
    middle = math.degrees(2 * math.atan(math.exp((mercator(north) + mercator(south)) * math.pi)) - math.pi / 2)
    return middle, ((west + east) / 2 + 180) % 360 - 180, zoom


def base_map(
    *,
    asset_urls: Mapping[str, str] | None = None,
    outlines_url: str | None = None,
    detail_url: str | None = None,
) -> folium.Map:
    """Return the map without places: basemaps, layer control, full screen, legend, and the code
    that draws a ``places_layer``. It depends on nothing the user does, so it renders the same on
    every run.

    ``asset_urls`` maps folium's CDN addresses to local ones (see geo.map.assets); ``outlines_url``
    is where the country outlines are served, else they are embedded in the map; ``detail_url``
    where the detailed offline basemap is served (``geo.map.basemap.write_detail``: coastlines, lakes,
    rivers, borders, first-level boundaries, towns), drawn instead of the outlines when it loads.
    """
    fmap = folium.Map(location=(20, 0), zoom_start=2, tiles=None, control_scale=True, prefer_canvas=False)
    streets = folium.TileLayer("OpenStreetMap", name="Streets (OpenStreetMap, online)", attr=OSM_ATTRIBUTION)
    streets.add_to(fmap)
    online = {"streets": streets}
    for key, tiles, name in ONLINE_BASEMAPS:
        online[key] = folium.TileLayer(tiles, name=name, show=False)  # offered, not loaded
        online[key].add_to(fmap)
    offline = _outlines_layer("Light (offline)", OUTLINE_STYLE, "#cfe0ee", outlines_url, detail_url)
    offline.add_to(fmap)
    dark = _outlines_layer("Dark (offline)", DARK_OUTLINE_STYLE, "#0f1722", outlines_url, detail_url, show=False)
    dark.add_to(fmap)
    bases: dict[str, Element] = {**online, "offline": offline, "offline-dark": dark}
    # An empty cluster layer that is never shown: it makes folium link Leaflet.markercluster,
    # which the places layer uses.
    fmap.add_child(MarkerCluster(control=False, show=False))
    control = folium.LayerControl(collapsed=True)
    control.add_to(fmap)
    fmap.add_child(_FullScreen())
    cast(Figure, fmap.get_root()).header.add_child(Element(_STYLE))
    fmap.add_child(_OfflineFallback(online, offline, control))
    fmap.add_child(_Framing())
    fmap.add_child(_Readable())
    fmap.add_child(_PlacesClient(control, bases))
    fmap.add_child(legend())
    fmap.add_child(_LegendToggle())
    use_local_assets(fmap, asset_urls or {})
    return fmap


def places_layer(
    places: Sequence[MappedPlace],
    *,
    selected: str | None = None,
    data_url: str | None = None,
    view: View | None = None,
    tints: tuple[tuple[str, str], ...] = (),
    legend: tuple[tuple[str, str], ...] = (),
) -> folium.FeatureGroup:
    """Return the places as one layer for a ``base_map``: their GeoJSON (see ``places_geojson``),
    drawn by the browser; the place whose id is ``selected`` ringed and labelled.

    With ``data_url`` (where that GeoJSON is served, see ``geo.map.assets.publish``) the layer only
    names it and the browser fetches it; without, the GeoJSON is written into the layer. ``view``
    (a shared link's) is where the map looks on its first draw, instead of fitting the places;
    later draws keep the user's view whatever it says. ``tints`` (place key, colour of
    ``geo.map.tints.TINTS``) colour those places' markers instead of their category's colour, and
    their ``legend`` (label, colour) replaces the categories' colours in the map's legend.
    """
    data = None if data_url is not None else places_geojson(tuple(places), tints, legend)
    return data_layer(data, selected=selected, data_url=data_url, view=view)


def data_layer(
    data: str | None, *, selected: str | None = None, data_url: str | None = None, view: View | None = None
) -> folium.FeatureGroup:
    """Return a layer for a ``base_map`` that hands its places to the browser's ``naDrawPlaces``:
    ``data`` (a FeatureCollection of ``point_feature``, as ``script_json`` writes it), or, with
    ``data_url``, the address it is served at. The article map's places (``places_layer``) and the
    corpus map's (``geo.corpus.mapping``) are both drawn by it: the same symbols, labels, clusters
    and ring around the ``selected`` place id."""
    layer = folium.FeatureGroup(name="Places", control=False)
    shown = None if view is None else {"lat": view.lat, "lng": view.lng, "zoom": view.zoom, "base": view.base}
    layer.add_child(_PlacesData(data if data_url is None else None, selected, data_url, shown))
    return layer


def point_feature(
    place_id: str, name: str, kind: str, lat: float, lon: float, *, tip: str, popup: str, count: int
) -> dict[str, object]:
    """Return one place as the GeoJSON Feature the browser draws (``naDrawPlaces``): its id, name
    and ``tip`` (tooltip text) escaped here, ``popup`` already HTML (``popup_box``), ``count`` (its
    mentions) weighing its claim to a label, ``kind`` one of ``STYLE`` (else "other")."""
    properties: dict[str, object] = {
        "id": escape_for_map(place_id),
        "name": escape_for_map(name),
        "kind": kind if kind in STYLE else "other",
        "tip": escape_for_map(tip),
        "popup": popup,
        "n": count,
    }
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [round(lon, 5), round(lat, 5)]},
        "properties": properties,
    }


def build_map(
    places: Sequence[MappedPlace],
    *,
    selected: str | None = None,
    asset_urls: Mapping[str, str] | None = None,
    outlines_url: str | None = None,
    detail_url: str | None = None,
) -> folium.Map:
    """Return a whole map: ``base_map`` with the ``places_layer`` of ``places`` on it.

    Each place's tooltip is its name and category; its popup lists the excerpts that mention it,
    the mention emphasised. Every article string is escaped (see geo.core.escaping).
    """
    fmap = base_map(asset_urls=asset_urls, outlines_url=outlines_url, detail_url=detail_url)
    places_layer(places, selected=selected).add_to(fmap)
    return fmap


@lru_cache(maxsize=16)
def places_geojson(
    places: tuple[MappedPlace, ...],
    tints: tuple[tuple[str, str], ...] = (),
    legend: tuple[tuple[str, str], ...] = (),
) -> str:
    """Return the places as a GeoJSON FeatureCollection (lon, lat), as JSON safe inside a script.

    Properties: ``id``, ``name``, ``kind``, ``tip`` (tooltip HTML), ``popup`` (popup HTML), ``n``
    (mentions) and, for an area the project has a shape for, ``area`` (its GeoJSON geometry, see
    ``geo.map.areas``: drawn under the point places). Every string is escaped with ``escape_for_map``,
    and the JSON's ``<``, ``>``, ``&`` and ``'`` are written as escapes. Cached by the places, so a
    rerun that shows the same places costs a dictionary look-up. ``tints`` (place key, colour) add
    a ``tint`` property, the marker's colour, when the colour is one of ``geo.map.tints.TINTS``;
    their ``legend`` (label, colour) travels as the collection's ``legend``, which the map's own
    legend then shows (see ``legend``).
    """
    tint_of = {key: colour for key, colour in tints if colour in TINTS}
    features = []
    for mapped in places:
        place = mapped.place
        feature = point_feature(
            place.place_id,
            place.name,
            place.kind,
            place.lat,
            place.lon,
            tip=f"{place.name} · {place.kind}",
            popup=popup_html(mapped),
            count=len(mapped.mentions),
        )
        properties = cast(dict[str, object], feature["properties"])
        if place.place_id in tint_of:
            properties["tint"] = tint_of[place.place_id]
        if (shape := area_shape(place)) is not None:  # numbers only: nothing to escape
            properties["area"] = shape
        features.append(feature)
    collection: dict[str, object] = {"type": "FeatureCollection", "features": features}
    if legend:
        collection["legend"] = [[escape_for_map(label[:80]), colour] for label, colour in legend if colour in TINTS]
    return script_json(collection)


class _PlacesData(MacroElement):
    """The places' data, handed to the map's ``naDrawPlaces`` (see ``_PlacesClient``)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {% if this.url %}
        {{ this._parent._parent.get_name() }}.naLoadPlaces({{ this._parent.get_name() }},
            {{ this.url|tojson }}, {{ this.selected|tojson }}, {{ this.view|tojson }});
        {% else %}
        {{ this._parent._parent.get_name() }}.naDrawPlaces({{ this._parent.get_name() }},
            {{ this.data }}, {{ this.selected|tojson }}, {{ this.view|tojson }});
        {% endif %}
        {% endmacro %}
        """
    )

    def __init__(
        self, data: str | None, selected: str | None, url: str | None = None, view: dict | None = None
    ) -> None:
        super().__init__()
        self._name = "PlacesData"
        self.data = data  # JSON from places_geojson: escaped, safe inside a script
        self.selected = selected
        self.url = url
        self.view = view  # numbers and a key of BASE_LAYERS (checked by ui.link), written with tojson


class _PlacesClient(MacroElement):
    """The browser's half of the places layer, defined once with the base map.

    ``map.naDrawPlaces(group, data, selected)`` replaces the places drawn before: one marker
    cluster across categories (a bubble shows the count and the shapes of the categories inside;
    places at one spot spiderfy), a switch per category in the layer control (kept off across
    redraws if the user turned it off), point places above areas, every place with a label that
    ``_Readable`` shows when there is room, the selected place ringed and labelled (its popup opened when it is newly
    selected and drawn on its own), Enter on a focused marker selecting it like a click, and the
    view fitted to the places on the first draw, and later only as ``_Framing`` says. Each draw
    fires ``naplaces`` on the map (the cluster group, the selected id) for ``_Readable``.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var control = {{ this.control.get_name() }};
            map.naControl = control;  // for overlays drawn by other scripts (geo.map.layers): "let" hides it
            var STYLE = {{ this.style|tojson }};
            var KINDS = {{ this.kinds|tojson }};
            var STACKING = {{ this.stacking|tojson }};
            var SYMBOLS = {}, MINI = {}, PALE = {};
            KINDS.forEach(function (kind) {
                var shape = (STYLE[kind] || STYLE.other);
                SYMBOLS[kind] = symbol(shape, 22);
                MINI[kind] = symbol(shape, 11);
                PALE[kind] = symbol(["#ddd", shape[1]], 11);  // the shape alone, when colour says another thing
            });
            function symbol(shape, size) {
                return "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 24 24' width='" + size
                    + "' height='" + size + "'><g fill='" + shape[0] + "' fill-opacity='0.95' stroke='white'"
                    + " stroke-width='1.8'>" + shape[1] + "</g></svg>";
            }
            // The map's own zoom limits, not only its tile layers': with no tiles (offline), clustering needs them.
            map.setMinZoom(1);
            map.setMaxZoom(18);
            var towns = map.createPane("naTowns");  // the basemap's town names: under the places
            towns.style.zIndex = 450;
            towns.style.pointerEvents = "none";
            var ring = map.createPane("naRing");
            ring.style.zIndex = 640;
            ring.style.pointerEvents = "none";
            function labels() {
                // The areas' shapes are coarse (1:110 million outlines, a sea's ellipse): far out
                // only; closer, an area is its label point.
                map.getContainer().classList.toggle("na-close", map.getZoom() > {{ this.area_zoom }});
            }
            map.on("zoomend", labels);
            labels();
            function clusterIcon(cluster) {
                var inside = {};
                cluster.getAllChildMarkers().forEach(function (m) { inside[m.naKind] = true; });
                var mini = state.tinted ? PALE : MINI;
                var shapes = KINDS.filter(function (k) { return inside[k]; }).map(function (k) { return mini[k]; });
                return L.divIcon({
                    // The label's names are filled in on the screen (_Readable), when there is room.
                    html: "<div class='na-bubble'><b>" + cluster.getChildCount() + "</b><span>"
                        + shapes.join("") + "</span></div><span class='na-label'></span>",
                    className: "na-cluster",
                    iconSize: L.point(38, 38)
                });
            }
            var state = {hidden: {}, overlays: [], fitted: false, selected: null, removing: false, drawn: 0};
            var areas = map.createPane("naAreas");  // countries and seas: over the basemap, under the points
            areas.style.zIndex = 420;
            var BASES = {
                {% for key, layer in this.bases.items() %}{{ key|tojson }}: {{ layer.get_name() }},
                {% endfor %}
            };
            // The base layer the user chose travels with the view: streamlit-folium returns
            // "selected_tags" with the centre and zoom on the map's next move (the share link).
            map.on("baselayerchange", function (event) {
                if (map.naSwitching || !window.__GLOBAL_DATA__) { return; }  // the offline fallback: not a choice
                Object.keys(BASES).forEach(function (key) {
                    if (BASES[key] === event.layer) { window.__GLOBAL_DATA__.selected_tags = [key]; }
                });
                map.fire("moveend");
            });
            function useView(view) {
                map.setView([view.lat, view.lng], view.zoom, {animate: false});
                // The page settles its columns after the map's first draw: a resize then would
                // shift a shared view's centre by half the change, so the link's centre is kept
                // through resizes until the reader first handles the map (or for 20 s: a slow
                // machine settles its columns late, and a later resize is the reader's own).
                var settle = Date.now() + 20000;
                var container = map.getContainer();
                var touched = ["pointerdown", "wheel", "keydown", "touchstart"];
                var release = function () {
                    settle = 0;
                    map.off("resize", keep);
                    touched.forEach(function (name) { container.removeEventListener(name, release, true); });
                };
                var keep = function () {
                    if (Date.now() < settle) { map.setView([view.lat, view.lng], view.zoom, {animate: false}); }
                    else { release(); }
                };
                touched.forEach(function (name) { container.addEventListener(name, release, true); });
                map.on("resize", keep);
                var base = view.base && BASES[view.base];
                if (base && !map.hasLayer(base) && !(map.naOffline && base.naOnline)) {
                    Object.keys(BASES).forEach(function (key) {
                        if (map.hasLayer(BASES[key])) { map.removeLayer(BASES[key]); }
                    });
                    map.addLayer(base);
                }
            }
            // On a touch screen one finger scrolls the page (the map must not trap it) and two move
            // or zoom the map (Leaflet's touch zoom follows the fingers' middle).
            if (L.Browser.touch && (L.Browser.mobile || window.matchMedia("(pointer: coarse)").matches)) {
                map.dragging.disable();
                var hint = L.DomUtil.create("div", "na-touch-hint", map.getContainer()), hintTimer = null;
                hint.textContent = "Use two fingers to move the map";
                map.getContainer().addEventListener("touchmove", function (event) {
                    if (event.touches.length !== 1) { return; }
                    hint.classList.add("na-show");
                    clearTimeout(hintTimer);
                    hintTimer = setTimeout(function () { hint.classList.remove("na-show"); }, 1500);
                }, {passive: true});
            }
            function popupOptions() {
                // Short enough for a phone, and clear of the zoom and full-screen buttons on the left.
                return {maxWidth: Math.max(160, Math.min(260, map.getSize().x - 90)), className: "na-popup-box",
                        autoPanPaddingTopLeft: L.point(58, 12), autoPanPaddingBottomRight: L.point(12, 12)};
            }
            // The places served as a file (geo.map.assets.publish): fetched, then drawn, unless a newer
            // layer came meanwhile. A failed fetch (a busy or restarting server) is tried again,
            // four times in about 8 s, rather than leaving the map without its places.
            map.naLoadPlaces = function (group, url, selected, view) {
                var ticket = ++state.drawn;
                var attempt = function (left, wait) {
                    fetch(url)
                        .then(function (response) {
                            if (!response.ok) { throw new Error("HTTP " + response.status); }
                            return response.json();
                        })
                        .then(function (data) {
                            if (ticket === state.drawn) { map.naDrawPlaces(group, data, selected, view); }
                        })
                        .catch(function (err) {
                            console.warn("places not loaded", url, String(err));
                            if (left > 0 && ticket === state.drawn) {
                                setTimeout(function () { attempt(left - 1, wait * 2); }, wait);
                            }
                        });
                };
                attempt(4, 500);
            };
            map.naDrawPlaces = function (group, data, selected, view) {
                state.removing = true;
                state.overlays.forEach(function (overlay) {
                    control.removeLayer(overlay);
                    if (map.hasLayer(overlay)) { map.removeLayer(overlay); }
                });
                state.removing = false;
                state.overlays = [];
                var cluster = L.markerClusterGroup({
                    // Far out, places near each other gather (the bubble shows the categories inside);
                    // from zoom 7 only places at one spot do, and spread apart on a click, while
                    // the rest are drawn apart, the smaller place on top.
                    // Theatre zooms (6 and closer) gather only places at one spot: the rest are
                    // drawn apart and named (_Readable moves symbols that overlap). Farther out a
                    // wide radius keeps the bubbles few; _Readable keeps them from overlapping.
                    maxClusterRadius: function (zoom) { return zoom >= 6 ? 3 : zoom >= 4 ? 20 : 28; },
                    showCoverageOnHover: false, spiderfyOnMaxZoom: true,
                    spiderfyDistanceMultiplier: 1.6, iconCreateFunction: clusterIcon
                });
                var byKind = {}, byId = {}, shapesByKind = {}, shapeById = {};
                data.features.forEach(function (feature) {
                    var p = feature.properties, c = feature.geometry.coordinates;
                    // Every place has a label; which ones show is decided on the screen (_Readable).
                    var label = "<span class='na-label'>" + p.name + "</span>";
                    var marker = L.marker([c[1], c[0]], {
                        icon: L.divIcon({
                            html: (p.tint ? symbol([p.tint, (STYLE[p.kind] || STYLE.other)[1]], 22) : SYMBOLS[p.kind])
                                + label, className: "na-pin na-" + p.kind,
                            iconSize: [22, 22], iconAnchor: [11, 11], popupAnchor: [0, -10], tooltipAnchor: [10, 0]
                        }),
                        keyboard: true, riseOnHover: true, zIndexOffset: STACKING[p.kind] || 0
                    });
                    marker.naKind = p.kind;
                    marker.naId = p.id;
                    marker.naName = p.name;
                    marker.naCount = p.n || 1;
                    marker.bindTooltip("<div>" + p.tip + "</div><span hidden>{{ this.id_mark }}" + p.id + "</span>");
                    marker.bindPopup(p.popup, popupOptions());
                    marker.on("keypress", function (event) {
                        if (event.originalEvent.keyCode === 13) {
                            var click = {latlng: marker.getLatLng(), originalEvent: event.originalEvent};
                            marker.fire("click", click, true);
                        }
                    });
                    (byKind[p.kind] = byKind[p.kind] || []).push(marker);
                    byId[p.id] = marker;
                    if (p.area) {  // a country's outline, a sea's extent: light, under the points, clickable
                        var colour = (STYLE[p.kind] || STYLE.other)[0];
                        var shape = L.polygon(
                            L.GeoJSON.coordsToLatLngs(p.area.coordinates, p.area.type === "MultiPolygon" ? 2 : 1), {
                            pane: "naAreas", color: colour, weight: 1.5, opacity: 0.85, fillColor: colour,
                            fillOpacity: 0.08, dashArray: p.kind === "country" ? null : "6 4", className: "na-area"
                        });
                        shape.bindTooltip(marker.getTooltip().getContent(), {sticky: true});
                        shape.bindPopup(p.popup, popupOptions());
                        shape.naId = p.id;
                        (shapesByKind[p.kind] = shapesByKind[p.kind] || []).push(shape);
                        shapeById[p.id] = shape;
                    }
                });
                state.tinted = Boolean(data.legend && data.legend.length);
                if (map.naSetLegend) { map.naSetLegend(data.legend || []); }
                cluster.addTo(group);
                KINDS.filter(function (k) { return byKind[k]; }).forEach(function (kind) {
                    var overlay = L.layerGroup();
                    var shapes = shapesByKind[kind] || [];
                    overlay.on("add", function () {
                        delete state.hidden[kind];
                        cluster.addLayers(byKind[kind]);
                        shapes.forEach(function (shape) { group.addLayer(shape); });
                    });
                    overlay.on("remove", function () {
                        if (state.removing) { return; }
                        state.hidden[kind] = true;
                        cluster.removeLayers(byKind[kind]);
                        shapes.forEach(function (shape) { group.removeLayer(shape); });
                    });
                    control.addOverlay(overlay, MINI[kind] + " " + kind + " (" + byKind[kind].length + ")");
                    state.overlays.push(overlay);
                    if (!state.hidden[kind]) { overlay.addTo(map); }
                });
                var chosen = selected && byId[selected];
                if (selected && shapeById[selected]) { shapeById[selected].setStyle({weight: 3.5, fillOpacity: 0.16}); }
                if (chosen) {
                    var ringed = L.circleMarker(chosen.getLatLng(), {
                        pane: "naRing", radius: 18, color: "#000", weight: 3, opacity: 0.9, fill: false,
                        interactive: false
                    }).bindTooltip(chosen.naName, {
                        permanent: true, direction: "right", offset: [18, 0], className: "na-selected-label"
                    }).addTo(group);
                    // While its popup (which names it) is open, the ring's name is not written twice.
                    var nameShown = function (shown) {
                        var tip = ringed.getTooltip();
                        if (tip && tip._container) { tip._container.style.visibility = shown ? "" : "hidden"; }
                    };
                    chosen.on("popupopen", function () { nameShown(false); });
                    chosen.on("popupclose", function () { nameShown(true); });
                }
                if (!state.fitted && view) {  // a shared link's view, once: the reader's, kept
                    state.fitted = true;
                    useView(view);
                    if (map.naFramePlaces) { map.naFramePlaces(data.features, false); }
                } else if (map.naFramePlaces) {  // the first draw, or new places off screen (_Framing)
                    map.naFramePlaces(data.features, !state.fitted);
                    state.fitted = state.fitted || data.features.length > 0;
                }
                map.fire("naplaces", {cluster: cluster, selected: selected || null});
                if (chosen && selected !== state.selected) {
                    setTimeout(function () { if (chosen._icon && !chosen.isPopupOpen()) { chosen.openPopup(); } }, 0);
                }
                state.selected = selected;
            };
        })();
        {% endmacro %}
        """
    )

    def __init__(self, control: folium.LayerControl, bases: Mapping[str, Element]) -> None:
        super().__init__()
        self._name = "PlacesClient"
        self.control = control
        self.bases = dict(bases)  # key of BASE_LAYERS -> the layer
        self.style = STYLE
        self.kinds = list(dict.fromkeys((*KINDS, *STYLE)))
        self.stacking = _STACKING
        self.area_zoom = AREA_ZOOM
        self.id_mark = ID_MARK


#: How much a category adds to a place's claim to a label: point places (the theatre's bases,
#: venues, cities) before the areas drawn as shapes, whose outline already shows where they are.
LABEL_RANK = {"base": 3.0, "venue": 3.0, "city": 2.5, "region": 1.5, "country": 1.0, "other": 0.5}
#: At most this many labels at once: past it a map reads as text, not places.
LABEL_LIMIT = 60
#: The farthest a symbol is moved off its spot to clear a neighbour, in pixels.
MAX_NUDGE = 30


class _Readable(MacroElement):
    """The map readable at every zoom, worked out on the screen after each draw, zoom and move.

    1. Symbols and cluster bubbles that overlap are moved apart (at most ``MAX_NUDGE`` pixels, by
       their CSS margins, so the click target moves with the symbol): an area's square is not
       hidden under a base's triangle, and bubbles do not cover one another. The selected place
       and places spread out of a cluster stay where they are.
    2. Labels, most important first (the selected place; then the category's ``LABEL_RANK`` plus
       log2 of 1 + mentions), at most ``LABEL_LIMIT``: each takes the first side of its symbol
       (right, left, above, below) whose box is inside the map and clear of the labels placed
       and of every symbol, else clear of the labels only, else it is hidden. Boxes are computed
       from the text's width (a canvas measures it), not read back from the page, so one layout
       costs no reflow per label. A bubble's label names the places inside it.
    3. The basemap's town names that a place's symbol or label would overlap are hidden: a town
       named like the place beside it ("Geneva" twice) is the usual case.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var RANK = {{ this.rank|tojson }}, LIMIT = {{ this.limit }}, NUDGE = {{ this.nudge }};
            var measure = document.createElement("canvas").getContext("2d");
            measure.font = "600 12px sans-serif";  // the labels' font (_STYLE)
            var widths = {}, drawn = null, timer = null;
            function width(text) {
                if (!(text in widths)) { widths[text] = Math.ceil(measure.measureText(text).width) + 4; }
                return widths[text];
            }
            function schedule() { clearTimeout(timer); timer = setTimeout(layout, 30); }
            map.on("naplaces", function (event) {
                if (drawn) { drawn.cluster.off("animationend spiderfied unspiderfied", schedule); }
                drawn = event;
                drawn.cluster.on("animationend spiderfied unspiderfied", schedule);
                schedule();
            });
            map.on("zoomend moveend resize overlayadd overlayremove baselayerchange", schedule);
            map.naLayout = layout;  // for tests: lay out now
            function score(marker) {
                return (RANK[marker.naKind] || 0) + Math.log2(1 + (marker.naCount || 1));
            }
            function overlaps(a, b) { return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]; }
            function layout() {
                clearTimeout(timer);
                if (!drawn || !drawn.cluster._map || !drawn.cluster._featureGroup) { return; }
                var size = map.getSize(), pad = 60, items = [];
                var spiderfied = drawn.cluster._spiderfied;
                drawn.cluster._featureGroup.eachLayer(function (layer) {
                    var el = layer._icon;
                    if (!el) { return; }
                    var p = map.latLngToContainerPoint(layer.getLatLng());
                    var bubble = layer instanceof L.MarkerCluster, r = bubble ? 19 : 11;
                    el.style.marginLeft = -r + "px";
                    el.style.marginTop = -r + "px";
                    if (p.x < -pad || p.y < -pad || p.x > size.x + pad || p.y > size.y + pad) { return; }
                    var fixed = !!layer._spiderLeg || (bubble && layer === spiderfied)
                        || (!bubble && layer.naId === drawn.selected);
                    items.push({layer: layer, el: el, x: p.x, y: p.y, r: r, dx: 0, dy: 0, bubble: bubble,
                                fixed: fixed});
                });
                // 1. Symbols apart: each overlapping pair pushed apart along the line between them
                // (a fixed one does not move), a few rounds, each move capped.
                for (var round = 0; round < 30; round++) {
                    var moved = false;
                    for (var i = 0; i < items.length; i++) {
                        for (var j = i + 1; j < items.length; j++) {
                            var a = items[i], b = items[j];
                            if (a.fixed && b.fixed) { continue; }
                            var vx = (b.x + b.dx) - (a.x + a.dx), vy = (b.y + b.dy) - (a.y + a.dy);
                            var d = Math.sqrt(vx * vx + vy * vy), need = a.r + b.r + 2;
                            if (d >= need - 0.5) { continue; }
                            if (d < 0.01) {  // one spot: a direction of their own, the same on every layout
                                var angle = (i * 2.4 + j * 0.7) % (2 * Math.PI);
                                vx = Math.cos(angle); vy = Math.sin(angle);
                            } else { vx /= d; vy /= d; }
                            var push = need - d, wa = a.fixed ? 0 : (b.fixed ? 1 : 0.5), wb = 1 - wa;
                            a.dx -= vx * push * wa; a.dy -= vy * push * wa;
                            b.dx += vx * push * wb; b.dy += vy * push * wb;
                            moved = true;
                        }
                    }
                    items.forEach(function (it) {
                        var n = Math.sqrt(it.dx * it.dx + it.dy * it.dy);
                        if (n > NUDGE) { it.dx *= NUDGE / n; it.dy *= NUDGE / n; }
                    });
                    if (!moved) { break; }
                }
                items.forEach(function (it) {
                    it.cx = it.x + it.dx; it.cy = it.y + it.dy;
                    it.el.style.marginLeft = (it.dx - it.r) + "px";
                    it.el.style.marginTop = (it.dy - it.r) + "px";
                });
                // 2. Labels, most important first, each on the first free side of its symbol.
                var symbols = items.map(function (it) {
                    return [it.cx - it.r + 2, it.cy - it.r + 2, it.cx + it.r - 2, it.cy + it.r - 2];
                });
                var placed = [];
                var ring = document.querySelector(".na-selected-label");  // the selected place's name
                if (ring) {
                    var rb = ring.getBoundingClientRect(), cb = map.getContainer().getBoundingClientRect();
                    placed.push([rb.left - cb.left, rb.top - cb.top, rb.right - cb.left, rb.bottom - cb.top]);
                }
                var candidates = [];
                items.forEach(function (it, index) {
                    var label = it.el.querySelector(".na-label");
                    if (!label) { return; }
                    var text, rank;
                    if (it.bubble) {
                        var inside = it.layer.getAllChildMarkers().filter(function (m) {
                            return m.naId !== drawn.selected;  // named by its ring's label
                        }).sort(function (m, n) { return score(n) - score(m); });
                        if (!inside.length) { label.className = "na-label"; return; }
                        text = inside.slice(0, 2).map(function (m) { return m.naName; }).join(" · ")
                            + (inside.length > 2 ? " +" + (inside.length - 2) : "");
                        if (label.naText !== text) { label.innerHTML = text; label.naText = text; }  // escaped names
                        rank = score(inside[0]);
                    } else {
                        rank = it.layer.naId === drawn.selected ? -1 : score(it.layer);  // named by its ring
                    }
                    if (rank < 0 || it.cx < 0 || it.cy < 0 || it.cx > size.x || it.cy > size.y) {
                        label.className = "na-label";
                        return;
                    }
                    candidates.push({it: it, label: label, rank: rank, index: index, w: width(label.textContent)});
                });
                candidates.sort(function (a, b) { return b.rank - a.rank || a.index - b.index; });
                candidates.forEach(function (c, order) {
                    var x = c.it.cx, y = c.it.cy, g = c.it.r + 2, w = c.w, h = 16;
                    var sides = {
                        r: [x + g, y - h / 2, x + g + w, y + h / 2], l: [x - g - w, y - h / 2, x - g, y + h / 2],
                        t: [x - w / 2, y - g - h, x + w / 2, y - g], b: [x - w / 2, y + g, x + w / 2, y + g + h]
                    };
                    var chosen = null;
                    if (order < LIMIT) {
                        [true, false].some(function (strict) {
                            return ["r", "l", "t", "b"].some(function (side) {
                                var box = sides[side];
                                if (box[0] < 0 || box[1] < 0 || box[2] > size.x || box[3] > size.y) { return false; }
                                if (placed.some(function (o) { return overlaps(box, o); })) { return false; }
                                if (strict && symbols.some(function (o, k) {
                                    return k !== c.index && overlaps(box, o);
                                })) { return false; }
                                chosen = side;
                                return true;
                            });
                        });
                    }
                    if (chosen) { placed.push(sides[chosen]); }
                    c.label.className = chosen ? "na-label na-on na-at-" + chosen : "na-label";
                });
                // 3. The basemap's town names under a place's symbol or label: hidden.
                var pane = map.getPane("naTowns");
                if (pane) {
                    var origin = map.getContainer().getBoundingClientRect(), taken = placed.concat(symbols);
                    var towns = [].slice.call(pane.querySelectorAll(".na-town"));
                    var clash = towns.map(function (town) {
                        var dot = town.getBoundingClientRect(), name = town.firstChild
                            ? town.firstChild.getBoundingClientRect() : dot;
                        var box = [Math.min(dot.left, name.left) - origin.left,
                                   Math.min(dot.top, name.top) - origin.top,
                                   Math.max(dot.right, name.right) - origin.left,
                                   Math.max(dot.bottom, name.bottom) - origin.top];
                        return taken.some(function (o) { return overlaps(box, o); });
                    });
                    towns.forEach(function (town, k) { town.classList.toggle("na-town-off", clash[k]); });
                }
            }
        })();
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "Readable"
        self.rank = LABEL_RANK
        self.limit = LABEL_LIMIT
        self.nudge = MAX_NUDGE


class _Framing(MacroElement):
    """Where the map looks when the places change, and a button that frames them.

    ``map.naFramePlaces(features, first)`` fits the view to the places (their points and their
    areas' shapes, clear of the legend and the buttons) on the first draw; later, when the places
    shown change (a filter), it frames them again if the view is still the one it framed last
    (the reader has not moved it since), or if none of them is on the screen. A view the reader
    chose (a move, a zoom, a focused place, a shared link's) that still shows a place is kept. A
    resize keeps the framing when the view is still the framed one. "Zoom to the places shown",
    a button under the full-screen one, frames them whenever asked.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var state = {features: [], key: null, framed: null};
            function bounds(features) {
                var b = L.latLngBounds([]);
                features.forEach(function (f) {
                    var c = f.geometry.coordinates;
                    b.extend([c[1], c[0]]);
                    // An area's shape counts unless it is vast (Russia, the United States): its
                    // point stands for it, or the rest would shrink to a speck of the world view.
                    var area = f.properties.area, extent = area && L.geoJSON(area).getBounds();
                    if (area && extent.getEast() - extent.getWest() <= {{ this.widest }}) {
                        b.extend(extent);
                    }
                });
                return b;
            }
            function padding() {
                // Clear of the buttons (top left) and the legend (bottom left).
                var corner = function (selector) {
                    var box = map.getContainer().querySelector(selector);
                    return box ? [box.offsetWidth, box.offsetHeight] : [0, 0];
                };
                var legend = corner(".leaflet-bottom.leaflet-left"), buttons = corner(".leaflet-top.leaflet-left");
                return {paddingTopLeft: [Math.max(legend[0], buttons[0]) + 6, 16],
                        paddingBottomRight: [16, legend[1] + 6]};
            }
            function frame(animate) {
                var b = bounds(state.features), size = map.getSize(), pad = padding();
                if (!b.isValid()) { return; }
                // A map not laid out yet (the page still settling its columns) leaves no room
                // inside the padding, and Leaflet would frame at the deepest zoom: framed on its
                // first real size instead.
                var cramped = size.x - pad.paddingTopLeft[0] - pad.paddingBottomRight[0] < 80
                    || size.y - pad.paddingTopLeft[1] - pad.paddingBottomRight[1] < 80;
                // Remembered with the view it was asked on: a view set meanwhile (a focused place)
                // is not undone by it.
                state.pending = cramped ? {center: map.getCenter(), zoom: map.getZoom()} : null;
                if (cramped) {
                    // Looked at again shortly: the page may settle without telling the map.
                    setTimeout(function () {
                        map.invalidateSize({pan: false});
                        if (viewIsFramed(state.pending)) { frame(false); }
                    }, 250);
                    return;
                }
                map.fitBounds(b, L.extend({maxZoom: 8, animate: animate}, pad));
                state.framed = {center: map.getCenter(), zoom: map.getZoom()};
            }
            function viewIsFramed(view) {  // the map still shows ``view`` (by default the last framed)
                view = view === undefined ? state.framed : view;
                if (!view || map.getZoom() !== view.zoom) { return false; }
                var p = map.latLngToContainerPoint(view.center), size = map.getSize();
                return Math.abs(p.x - size.x / 2) < 30 && Math.abs(p.y - size.y / 2) < 30;
            }
            function anyOnScreen(features) {
                var b = map.getBounds();
                return features.some(function (f) {
                    return b.contains([f.geometry.coordinates[1], f.geometry.coordinates[0]]);
                });
            }
            map.naFramePlaces = function (features, first) {
                var key = features.map(function (f) { return f.properties.id; }).sort().join("|");
                var changed = state.key !== null && key !== state.key;
                state.features = features;
                state.key = key;
                if (!features.length) { return; }
                if (first) { frame(false); }
                else if (changed && (viewIsFramed() || !anyOnScreen(features))) { frame(true); }
            };
            map.naFrame = function () { frame(true); };
            map.on("resize", function () {
                if (viewIsFramed(state.pending) || viewIsFramed(state.framed)) {
                    setTimeout(function () { frame(false); }, 0);
                }
            });
            var Control = L.Control.extend({
                options: {position: "topleft"},
                onAdd: function () {
                    var box = L.DomUtil.create("div", "leaflet-bar na-frame");
                    var link = L.DomUtil.create("a", "", box);
                    link.href = "#";
                    link.title = {{ this.label|tojson }};
                    link.setAttribute("role", "button");
                    link.setAttribute("aria-label", {{ this.label|tojson }});
                    link.innerHTML = '<svg viewBox="0 0 24 24" width="16" height="16" style="margin-top:7px">'
                        + '<rect x="4" y="4" width="16" height="16" rx="2" fill="none" stroke="#333" '
                        + 'stroke-width="2" stroke-dasharray="4 3"/><circle cx="12" cy="12" r="3" fill="#333"/></svg>';
                    L.DomEvent.disableClickPropagation(box);
                    L.DomEvent.on(link, "click", function (event) {
                        L.DomEvent.preventDefault(event);
                        frame(true);
                    });
                    return box;
                }
            });
            map.addControl(new Control());
        })();
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "Framing"
        self.label = ZOOM_TO_PLACES
        self.widest = WIDEST_FRAMED


#: The widest area (degrees of longitude) whose whole shape a framing takes in.
WIDEST_FRAMED = 50
#: The name of the button that frames the places shown.
ZOOM_TO_PLACES = "Zoom to the places shown"


class _LegendToggle(MacroElement):
    """The legend folds to one small "Key" button, so that on a small map (a phone) it covers no
    marker and takes no tap meant for the map: folded when the map is under 640 px wide, open
    otherwise; a tap on its button opens or folds it."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var box = map.getContainer().querySelector(".na-legend");
            if (!box) { return; }
            var button = document.createElement("button");
            button.type = "button";
            button.className = "na-legend-toggle";
            button.textContent = "Key";
            button.title = "Show or hide the key to the symbols";
            box.insertBefore(button, box.firstChild);
            L.DomEvent.disableClickPropagation(box);
            L.DomEvent.disableScrollPropagation(box);
            function fold(folded) {
                box.classList.toggle("na-folded", folded);
                button.setAttribute("aria-expanded", String(!folded));
            }
            fold(map.getSize().x < 640);
            L.DomEvent.on(button, "click", function () { fold(!box.classList.contains("na-folded")); });
        })();
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "LegendToggle"


def use_local_assets(fmap: folium.Map, asset_urls: Mapping[str, str]) -> None:
    """Point every element's scripts and styles at the local copies (``asset_urls``: CDN address
    to served address); drop the map's default scripts and styles it does not use. Returns nothing:
    the map is changed in place (the main map here, and the corpus map in geo.corpus.mapping)."""
    # Instance attributes: folium's class-level lists stay as they are for other maps.
    fmap.default_js = [(n, u) for n, u in fmap.default_js if n in NEEDED_ASSETS]
    fmap.default_css = [(n, u) for n, u in fmap.default_css if n in NEEDED_ASSETS]
    pending: list[Element] = [fmap]
    while pending:
        element = pending.pop()
        pending.extend(element._children.values())
        for attribute in ("default_js", "default_css"):
            links = getattr(element, attribute, None)
            if links:
                setattr(element, attribute, [(n, asset_urls.get(u, u)) for n, u in links])


class _FullScreen(MacroElement):
    """A full-screen button (the browser's Fullscreen API: no plugin to download)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var Control = L.Control.extend({
                options: {position: "topleft"},
                onAdd: function () {
                    var box = L.DomUtil.create("div", "leaflet-bar na-fullscreen");
                    var link = L.DomUtil.create("a", "", box);
                    link.href = "#"; link.title = "Full screen"; link.setAttribute("role", "button");
                    link.innerHTML = '<svg viewBox="0 0 24 24" width="16" height="16" style="margin-top:7px">'
                        + '<path d="M3 9V3h6M15 3h6v6M21 15v6h-6M9 21H3v-6" fill="none" stroke="#333" '
                        + 'stroke-width="2.5"/></svg>';
                    L.DomEvent.on(link, "click", function (event) {
                        L.DomEvent.preventDefault(event);
                        var container = map.getContainer();
                        if (document.fullscreenElement) { document.exitFullscreen(); }
                        else if (container.requestFullscreen) { container.requestFullscreen(); }
                    });
                    return box;
                }
            });
            map.addControl(new Control());
            document.addEventListener("fullscreenchange", function () { map.invalidateSize(); });
        })();
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "FullScreen"


_STYLE = (
    "<style>.leaflet-container{background:#cfe0ee}"
    ".na-pin{background:none;border:none}.na-pin svg{filter:drop-shadow(0 1px 1px rgba(0,0,0,.5))}"
    ".na-pin:focus{outline:none}.na-pin:focus svg{outline:3px solid #000;outline-offset:1px;border-radius:3px}"
    # A label's side is chosen on the screen (_Readable): 13 px from a symbol's middle, 21 from a bubble's.
    ".na-label{display:none;position:absolute;white-space:nowrap;font:600 12px/16px sans-serif;height:16px;"
    "color:#111;text-shadow:0 0 2px #fff,0 0 2px #fff,0 0 3px #fff;pointer-events:none}"
    ".na-label.na-on{display:block}"
    ".na-pin .na-at-r{left:24px;top:3px}.na-pin .na-at-l{right:24px;top:3px}"
    ".na-pin .na-at-t{bottom:24px;left:50%;transform:translateX(-50%)}"
    ".na-pin .na-at-b{top:24px;left:50%;transform:translateX(-50%)}"
    ".na-cluster .na-at-r{left:40px;top:11px}.na-cluster .na-at-l{right:40px;top:11px}"
    ".na-cluster .na-at-t{bottom:40px;left:50%;transform:translateX(-50%)}"
    ".na-cluster .na-at-b{top:40px;left:50%;transform:translateX(-50%)}"
    ".na-cluster .na-label{font-weight:400}"
    ".na-cluster{background:none;border:none}"
    ".na-bubble{width:38px;height:38px;box-sizing:border-box;border-radius:50%;background:#222;color:#fff;"
    "border:2px solid #fff;box-shadow:0 1px 3px rgba(0,0,0,.6);display:flex;flex-direction:column;"
    "align-items:center;justify-content:center;font:700 12px/1 sans-serif}"
    ".na-bubble span{display:flex;gap:0;margin-top:1px}"
    ".na-selected-label{font:700 12px sans-serif;color:#111}"
    ".na-popup{font:13px sans-serif;color:#111}.na-popup-meta{color:#444}.na-popup-more{color:#555;font-size:11px;"
    "margin-top:2px}.na-popup-box .leaflet-popup-content{margin:8px 12px}"
    ".na-area{cursor:pointer}.na-close .na-area{display:none}"
    ".na-touch-hint{position:absolute;left:50%;top:45%;transform:translate(-50%,-50%);padding:6px 10px;"
    "background:rgba(0,0,0,.72);color:#fff;border-radius:4px;font:13px sans-serif;z-index:1000;opacity:0;"
    "transition:opacity .2s;pointer-events:none}.na-touch-hint.na-show{opacity:1}"
    # The map fills its frame, whose height the page sets (ui.layout, app.LAYOUT_CSS).
    "#map_div{height:100vh!important}@media (max-width:640px){"
    ".na-legend{padding:3px 6px;font-size:11px}.na-legend svg{width:11px;height:11px}}"
    ".na-legend{background:#fff;padding:6px 10px;border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,.3);"
    "font:12px sans-serif;color:#111}"
    ".na-legend div{display:flex;align-items:center;gap:6px}"
    ".na-legend hr{margin:4px 0;border:0;border-top:1px solid #ddd}"
    ".na-swatch span{display:inline-block;width:12px;height:12px;border-radius:2px;border:1px solid #fff;"
    "box-shadow:0 0 1px #000}"
    ".na-legend-toggle{display:block;border:none;background:none;padding:0 0 3px;font:600 12px sans-serif;"
    "color:#111;cursor:pointer}.na-legend-toggle::after{content:' \\25BE'}"
    ".na-folded{padding:4px 8px}.na-folded div{display:none}.na-folded .na-legend-toggle{padding:0}"
    ".na-folded .na-legend-toggle::after{content:' \\25B8'}"
    ".na-legend .na-legend-rows{display:block}.na-folded .na-legend-rows{display:none}"
    ".na-offline-note{color:#555;font-size:11px;margin-top:4px;max-width:180px}"
    ".na-town{background:#444;border:1px solid #fff;border-radius:50%}"
    ".na-town span{position:absolute;left:8px;top:-5px;white-space:nowrap;font:11px sans-serif;color:#333;"
    "text-shadow:0 0 2px #fff,0 0 2px #fff}"
    # The dark basemap's towns: light names on a dark halo. Hidden where a place is (_Readable).
    ".na-town-dark{background:#ccc;border-color:#111}"
    ".na-town-dark span{color:#eef1f4;text-shadow:0 0 2px #000,0 0 2px #000,0 0 3px #000}"
    ".na-town-off{visibility:hidden}</style>"
)


def _outlines_layer(
    name: str, style: dict, sea: str, outlines_url: str | None, detail_url: str | None = None, *, show: bool = True
) -> folium.FeatureGroup:
    """Return a base layer that needs no network: a sea, and the countries (or, where served, the
    detailed basemap) drawn over it."""
    layer = folium.FeatureGroup(name=name, overlay=False, control=True, show=show)
    folium.Rectangle(
        [(-85, -540), (85, 540)], stroke=False, fill=True, fill_color=sea, fill_opacity=1, interactive=False
    ).add_to(layer)
    if outlines_url is None:
        folium.GeoJson(country_outlines(), name=name, style_function=lambda _f: style, control=False).add_to(layer)
    else:
        layer.add_child(_FetchedOutlines(outlines_url, style, sea, detail_url, dark=style is DARK_OUTLINE_STYLE))
    return layer


class _FetchedOutlines(MacroElement):
    """The offline basemap fetched from served files, so the map's HTML stays small: the detailed
    one (Natural Earth: land, larger lakes, borders, first-level boundaries from zoom 4; rivers,
    smaller lakes and towns from the zoom their scale rank has in ``geo.map.basemap``'s tables, the
    towns' names kept apart; what only close zooms show fetched from a second file the first time
    the map reaches ``CLOSE_ZOOM``) when served, else, or when it fails, country outlines. Drawn on
    a canvas, under the places and never clickable."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var layer = {{ this._parent.get_name() }};
            var style = {{ this.style|tojson }}, sea = {{ this.sea|tojson }};
            function outlines() {
                return fetch({{ this.url|tojson }})
                    .then(function (response) { return response.json(); })
                    .then(function (data) { L.geoJSON(data, {style: style, interactive: false}).addTo(layer); });
            }
            function unpack(flat, scale) {
                var line = [], x = 0, y = 0;
                for (var i = 0; i < flat.length; i += 2) {
                    x += flat[i];
                    y += flat[i + 1];
                    line.push([y / scale, x / scale]);
                }
                return line;
            }
            function detail(d) {
                var renderer = L.canvas({padding: 0.5});
                var s = d.scale, still = {renderer: renderer, interactive: false};
                var Z = {{ this.zooms|tojson }};
                function rings(p) { return p.map(function (r) { return unpack(r, s); }); }
                function line(l) { return unpack(l, s); }
                function from(table, rank) { return table[Math.min(Math.max(rank, 0), table.length - 1)]; }
                // The sea on the same canvas, under the land.
                layer.eachLayer(function (l) { if (l instanceof L.Rectangle) { layer.removeLayer(l); } });
                L.rectangle([[-85, -540], [85, 540]], L.extend({stroke: false, fillColor: sea, fillOpacity: 1}, still))
                    .addTo(layer);
                L.polygon(d.land.map(rings), L.extend({color: style.color, weight: 0.7,
                    fillColor: style.fillColor, fillOpacity: 1}, still)).addTo(layer);
                var lake = L.extend({color: "#7fa7c9", weight: 0.5, fillColor: sea, fillOpacity: 1}, still);
                var river = L.extend({color: "#6f9cc4", weight: 0.9}, still);
                L.polygon(d.lakes.map(rings), lake).addTo(layer);
                // [zoom, make]: each layer made (its lines unpacked) the first time its zoom is
                // reached, so the first draw unpacks no more than it did before the minor ones came.
                var byZoom = [
                    [4, function () { return L.polyline(d.areas.map(line),
                        L.extend({color: style.color, weight: 0.5, opacity: 0.6, dashArray: "3 3"}, still)); }],
                    [from(Z.rivers, 0), function () { return L.polyline(d.rivers.map(line), river); }]
                ];
                function minor(items, table, make) {  // [[rank, shape], ...] grouped by the zoom they show from
                    var groups = {};
                    (items || []).forEach(function (item) {
                        var zoom = from(table, item[0]);
                        (groups[zoom] = groups[zoom] || []).push(item[1]);
                    });
                    Object.keys(groups).forEach(function (zoom) {
                        byZoom.push([Number(zoom), function () { return make(groups[zoom]); }]);
                    });
                }
                function addClose(c) {  // the close zooms' file: smaller rivers and lakes, more towns
                    minor(c.minor_lakes, Z.lakes, function (shapes) { return L.polygon(shapes.map(rings), lake); });
                    minor(c.minor_rivers, Z.rivers, function (lines) { return L.polyline(lines.map(line), river); });
                    d.towns = d.towns.concat(c.towns || []);  // ranks past the world file's: the order holds
                }
                addClose(d);  // a file that holds both (none of ours now): drawn the same
                var closeAsked = {{ (this.close_url is none)|tojson }};
                function fetchClose() {
                    closeAsked = true;
                    var asked = performance.now();
                    fetch({{ this.close_url|tojson }})
                        .then(function (response) {
                            if (!response.ok) { throw new Error(response.status); }
                            return response.json();
                        })
                        .then(function (c) {
                            addClose(c);
                            layer.naDetailTiming.close = performance.now() - asked;
                            show();
                            // The new town names, drawn with no move of the map: those under a
                            // place hidden now, not on the next move (_Readable).
                            if (layer._map && layer._map.naLayout) { layer._map.naLayout(); }
                        })
                        .catch(function (err) { console.warn("the basemap's close detail not loaded", err); });
                }
                L.polyline(d.borders.map(line), L.extend({color: style.color, weight: 1}, still)).addTo(layer);
                // Town names: most important first (the file's order), each from its rank's zoom,
                // in view, where it overlaps no name drawn before it; at most TOWN_LIMIT. Only
                // what is named has an element, so a close view of a region costs tens of them.
                var townLayer = L.layerGroup().addTo(layer);
                var measure = document.createElement("canvas").getContext("2d");
                measure.font = "11px sans-serif";  // the towns' font (_STYLE)
                var widths = {};
                function nameWidth(name) {
                    if (!(name in widths)) { widths[name] = Math.ceil(measure.measureText(name).width); }
                    return widths[name];
                }
                function drawTowns(map) {
                    var zoom = map.getZoom(), view = map.getBounds().pad(0.05), taken = [];
                    townLayer.clearLayers();
                    for (var i = 0; i < d.towns.length && taken.length < {{ this.town_limit }}; i++) {
                        var t = d.towns[i];
                        if (from(Z.towns, t[3]) > zoom) { continue; }
                        if (!view.contains([t[2], t[1]])) { continue; }
                        var p = map.latLngToContainerPoint([t[2], t[1]]);
                        var box = [p.x - 4, p.y - 8, p.x + 7 + nameWidth(t[0]), p.y + 7];
                        if (taken.some(function (o) {
                            return box[0] < o[2] && o[0] < box[2] && box[1] < o[3] && o[1] < box[3];
                        })) { continue; }
                        taken.push(box);
                        L.marker([t[2], t[1]], {interactive: false, keyboard: false, pane: "naTowns",
                            icon: L.divIcon({className: {{ this.town_class|tojson }}, html: "<span></span>",
                                             iconSize: [6, 6]})
                        }).on("add", (function (name) {
                            return function () { this._icon.firstChild.textContent = name; };  // text, not markup
                        })(t[0])).addTo(townLayer);
                    }
                }
                function show() {
                    var map = layer._map;
                    if (!map) { return; }
                    if (!closeAsked && map.getZoom() >= {{ this.close_zoom }}) { fetchClose(); }
                    byZoom.forEach(function (z) {
                        var on = map.getZoom() >= z[0];
                        if (on && typeof z[1] === "function") { z[1] = z[1](); }
                        if (on && !layer.hasLayer(z[1])) { layer.addLayer(z[1]); }
                        if (!on && typeof z[1] !== "function" && layer.hasLayer(z[1])) { layer.removeLayer(z[1]); }
                    });
                    drawTowns(map);
                }
                layer.on("add", show);
                layer.naShowDetail = show;
                // Leaflet ends every zoom with a "moveend" too: one event, one redraw of the names.
                if (layer._map) { layer._map.on("moveend", show); show(); }
                else { layer.once("add", function () { layer._map.on("moveend", show); }); }
            }
            {% if this.detail_url %}
            // How long the file took to arrive, to parse and to draw (ms): read by the tests and
            // the figures of docs/performance.md.
            var started = performance.now(), timing = layer.naDetailTiming = {};
            fetch({{ this.detail_url|tojson }})
                .then(function (response) {
                    if (!response.ok) { throw new Error(response.status); }
                    return response.text();
                })
                .then(function (text) {
                    var parsing = performance.now();
                    timing.fetch = parsing - started;
                    var data = JSON.parse(text);
                    timing.parse = performance.now() - parsing;
                    detail(data);
                    timing.draw = performance.now() - parsing - timing.parse;
                })
                .catch(function (err) { console.warn("detailed basemap not loaded", err); return outlines(); })
                .catch(function (err) { console.warn("offline outlines not loaded", err); });
            {% else %}
            outlines().catch(function (err) { console.warn("offline outlines not loaded", err); });
            {% endif %}
        })();
        {% endmacro %}
        """
    )

    def __init__(
        self, url: str, style: dict, sea: str = "#cfe0ee", detail_url: str | None = None, *, dark: bool = False
    ) -> None:
        super().__init__()
        self._name = "FetchedOutlines"
        self.url = url
        self.style = style
        self.sea = sea
        self.detail_url = detail_url
        self.town_class = "na-town na-town-dark" if dark else "na-town"
        self.zooms = {"towns": TOWN_ZOOM, "rivers": RIVER_ZOOM, "lakes": LAKE_ZOOM}
        self.town_limit = TOWN_LIMIT
        # Served beside the world's file (geo.map.basemap.write_detail).
        self.close_url = detail_url[: detail_url.rfind("/") + 1] + CLOSE_FILE.name if detail_url else None
        self.close_zoom = CLOSE_ZOOM


class _OfflineFallback(MacroElement):
    """Switch to the offline basemap when the online tiles do not load (no network); from then on
    the online basemaps leave the layer control (a line there says they need a network), so that
    the control stays short and lists only what can be chosen."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var control = {{ this.control.get_name() }};
            var offline = {{ this.offline.get_name() }};
            var online = [{% for layer in this.online %}{{ layer.get_name() }},{% endfor %}];
            var failed = 0, loaded = 0;
            online.forEach(function (layer) {
                layer.naOnline = true;
                layer.on("tileload", function () { loaded += 1; });
                layer.on("tileerror", function () { failed += 1; if (failed >= 2 && loaded === 0) { useOffline(); } });
            });
            function useOffline() {
                if (map.naOffline) { return; }
                map.naOffline = true;
                map.naSwitching = true;  // not the user's choice: not reported as the view's base layer
                var shown = online.filter(function (layer) { return map.hasLayer(layer); });
                shown.forEach(function (layer) { map.removeLayer(layer); });
                var anyBase = control._layers.some(function (e) { return !e.overlay && map.hasLayer(e.layer); });
                if (shown.length || !anyBase) {
                    map.addLayer(offline);
                }
                map.naSwitching = false;
                // Out of the list, which stays short: one line says why they are not there.
                online.forEach(function (layer) { control.removeLayer(layer); });
                var list = control._section || control._form;
                if (list && !list.querySelector(".na-offline-note")) {
                    var note = L.DomUtil.create("div", "na-offline-note", list);
                    note.textContent = {{ this.note|tojson }};
                }
            }
            map.naUseOffline = useOffline;
            if (navigator.onLine === false) { useOffline(); return; }
            map.removeLayer(offline);
            setTimeout(function () { if (loaded === 0) { useOffline(); } }, 4000);
        })();
        {% endmacro %}
        """
    )

    def __init__(
        self, online: Mapping[str, folium.TileLayer], offline: folium.FeatureGroup, control: folium.LayerControl
    ) -> None:
        super().__init__()
        self._name = "OfflineFallback"
        self.online = list(online.values())
        self.offline = offline
        self.control = control
        self.note = NEEDS_NETWORK


def popup_html(mapped: MappedPlace) -> str:
    """Return the popup's HTML, short so it fits a phone and hides no neighbour: name, category (and
    country), the number of mentions. The excerpts are read in the pane beside the map."""
    place = mapped.place
    count = len(mapped.mentions)
    return popup_box(
        place.name,
        [place.kind, place.country, f"{count} mention{'' if count == 1 else 's'}"],
        "Excerpts and article in the reading pane",
    )


def popup_box(name: str, facts: Sequence[str | None], more: str) -> str:
    """Return a place's popup: its name, the ``facts`` that are given joined on one line, and a line
    that says where to read ``more``; every string escaped here."""
    line = " · ".join(fact for fact in facts if fact)
    return (
        f"<div class='na-popup'><b>{escape_for_map(name)}</b>"
        f"<div class='na-popup-meta'>{escape_for_map(line)}</div>"
        f"<div class='na-popup-more'>{escape_for_map(more)}</div></div>"
    )


def highlighted_excerpt(mention: Mention) -> str:
    """Return a mention's sentence as escaped HTML, the mention itself in <mark>."""
    # The excerpt collapses whitespace, so find the mention in it rather than use offsets.
    excerpt = mention.excerpt
    at = excerpt.find(mention.text)
    if at < 0:
        return escape_for_map(excerpt)
    return (
        escape_for_map(excerpt[:at])
        + f"<mark>{escape_for_map(mention.text)}</mark>"
        + escape_for_map(excerpt[at + len(mention.text) :])
    )


def legend() -> MacroElement:
    """Return the legend of the categories' symbols, a map control in the bottom-left corner: above
    the scale bar, and inside the map, so it stays in full screen (static HTML: no article text).

    ``map.naSetLegend(rows)`` makes it follow the markers' colouring: with rows ([label, colour],
    escaped by ``places_geojson``) it shows a swatch per colour, then the categories' shapes in
    grey (the shape still says the category); with none, the categories' own colours."""
    rows = "".join(f"<div>{symbol(kind, 14)}{kind}</div>" for kind in KINDS)
    shapes = "".join(f"<div>{_grey_symbol(kind, 14)}{kind}</div>" for kind in KINDS)
    element = MacroElement()
    element._name = "Legend"
    element._template = Template(
        "{% macro script(this, kwargs) %}"
        "(function () { var map = {{ this._parent.get_name() }}, box = null;"
        " var legend = L.control({position: 'bottomleft'});"
        # The rows live in a box of their own: the key's fold button (_LegendToggle) stays beside them.
        " legend.onAdd = function () { var outer = L.DomUtil.create('div', 'na-legend');"
        " box = L.DomUtil.create('div', 'na-legend-rows', outer);"
        " box.innerHTML = " + json.dumps(rows) + "; return outer; };"
        " legend.addTo(map);"
        " map.naSetLegend = function (tinted) {"
        "  if (!box) { return; }"
        "  if (!tinted.length) { box.innerHTML = " + json.dumps(rows) + "; return; }"
        "  box.innerHTML = tinted.map(function (row) {"
        '   return "<div class=\'na-swatch\'><span style=\'background:" + row[1] + "\'></span>" + row[0] + "</div>";'
        "  }).join('') + " + json.dumps(f"<hr>{shapes}") + "; };"
        " })();"
        "{% endmacro %}"
    )
    return element


def _grey_symbol(kind: str, size: int) -> str:
    """Return a category's shape in grey: the legend's shapes when the colour says something else."""
    return symbol(kind, size, SHAPE_GREY)
