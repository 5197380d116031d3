"""Stage 5, the map: places in, a folium map out. A pure function, tested by rendering it.

Markers are small inline SVG shapes (no icon fonts, no images), so the map needs only Leaflet and
jQuery, which ``geo.assets`` can serve locally. Two base layers: OpenStreetMap's tiles, and
country outlines that need no network; the map switches to the outlines by itself when tiles
fail to load.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import cast

import folium
from branca.element import Element, Figure, MacroElement, Template
from folium.plugins import MarkerCluster

from geo.basemap import country_outlines
from geo.escaping import escape_for_map
from geo.values import KINDS, MappedPlace, Mention

#: Colour and SVG shape per category: the marker and the legend draw the same.
STYLE: dict[str, tuple[str, str]] = {
    "base": ("#c0392b", "<path d='M12 2 L22 21 L2 21 Z'/>"),  # triangle
    "city": ("#2471a3", "<circle cx='12' cy='12' r='8'/>"),
    "venue": ("#8e44ad", "<path d='M12 1 L23 12 L12 23 L1 12 Z'/>"),  # diamond
    "region": ("#1e8449", "<rect x='3' y='3' width='18' height='18' rx='3'/>"),
    "country": ("#b7950b", "<path d='M12 1.5 L14.9 8.6 L22.5 9.2 L16.7 14.1 L18.5 21.5 L12 17.5 L5.5 21.5 "
                "L7.3 14.1 L1.5 9.2 L9.1 8.6 Z'/>"),  # star
    "other": ("#7f8c8d", "<circle cx='12' cy='12' r='6'/>"),
}  # fmt: skip
MAX_EXCERPTS = 5
#: The scripts and styles a map of ours needs; folium's other defaults (Bootstrap, Font Awesome,
#: awesome-markers) serve its icon markers, which these maps do not use.
NEEDED_ASSETS = frozenset({"leaflet", "jquery", "leaflet_css"})
OSM_ATTRIBUTION = "&copy; OpenStreetMap contributors"
#: More online basemaps, chosen in the layer control (folium knows their attributions).
ONLINE_BASEMAPS = (
    ("Esri.WorldGrayCanvas", "Light (Esri, online)"),
    ("OpenTopoMap", "Terrain (OpenTopoMap, online)"),
    ("Esri.WorldImagery", "Satellite (Esri, online): bases, airfields"),
)
OUTLINE_STYLE = {"color": "#8c8c8c", "weight": 0.8, "fillColor": "#f3f0e8", "fillOpacity": 1}
DARK_OUTLINE_STYLE = {"color": "#5d6d7e", "weight": 0.8, "fillColor": "#2c3440", "fillOpacity": 1}


def symbol(kind: str, size: int = 22) -> str:
    """Return the SVG symbol of a category (static markup, no article text)."""
    color, shape = STYLE.get(kind, STYLE["other"])
    return (
        f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 24 24' width='{size}' height='{size}'>"
        f"<g fill='{color}' fill-opacity='0.9' stroke='white' stroke-width='1.8'>{shape}</g></svg>"
    )


def build_map(
    places: Sequence[MappedPlace],
    *,
    asset_urls: Mapping[str, str] | None = None,
    outlines_url: str | None = None,
) -> folium.Map:
    """Return a folium map with a marker per place, a layer per category and a legend.

    Each marker's tooltip is the place's name; its popup lists the excerpts that mention it,
    the mention emphasised. Every article string is escaped (see geo.escaping).
    ``asset_urls`` maps folium's CDN addresses to local ones (see geo.assets); ``outlines_url``
    is where the country outlines are served, else they are embedded in the map.
    """
    fmap = folium.Map(location=(20, 0), zoom_start=2, tiles=None, control_scale=True, prefer_canvas=False)
    streets = folium.TileLayer("OpenStreetMap", name="Streets (OpenStreetMap, online)", attr=OSM_ATTRIBUTION)
    streets.add_to(fmap)
    for tiles, name in ONLINE_BASEMAPS:
        folium.TileLayer(tiles, name=name, show=False).add_to(fmap)  # offered, not loaded
    offline = _outlines_layer("Country outlines (offline)", OUTLINE_STYLE, "#cfe0ee", outlines_url)
    offline.add_to(fmap)
    _outlines_layer("Dark outlines (offline)", DARK_OUTLINE_STYLE, "#0f1722", outlines_url, show=False).add_to(fmap)
    # One clustering layer per category: switchable in the layer control, and crowded markers
    # (Syria, Latakia, Tartus and Hmeymim at world zoom) gather into a counted bubble.
    layers = {
        kind: MarkerCluster(
            name=f"{symbol(kind, 12)} {kind}",
            show=True,
            options={"showCoverageOnHover": False, "maxClusterRadius": 36, "spiderfyOnMaxZoom": True},
            icon_create_function=_CLUSTER_ICON % STYLE[kind][0],
        )
        for kind in KINDS
    }
    for mapped in places:
        place = mapped.place
        kind = place.kind if place.kind in layers else "other"
        folium.Marker(
            location=(place.lat, place.lon),
            tooltip=folium.Tooltip(escape_for_map(f"{place.name} · {place.kind}")),
            popup=folium.Popup(popup_html(mapped), max_width=360),
            icon=folium.DivIcon(html=symbol(kind), icon_size=(22, 22), icon_anchor=(11, 11), class_name="na-pin"),
        ).add_to(layers[kind])
    for kind, layer in layers.items():
        if any(m.place.kind == kind for m in places):
            layer.add_to(fmap)
    folium.LayerControl(collapsed=True).add_to(fmap)
    fmap.add_child(_FullScreen())
    cast(Figure, fmap.get_root()).header.add_child(Element(_STYLE))
    fmap.add_child(_OfflineFallback(streets, offline))
    fmap.get_root().add_child(legend())
    _use_assets(fmap, asset_urls or {})
    if places:
        lats = [m.place.lat for m in places]
        lons = [m.place.lon for m in places]
        fmap.fit_bounds([(min(lats), min(lons)), (max(lats), max(lons))], padding=(30, 30), max_zoom=8)
    return fmap


def _use_assets(fmap: folium.Map, asset_urls: Mapping[str, str]) -> None:
    """Point every element's scripts and styles at the local copies; drop what the map does not use."""
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


# Cluster bubbles in their category's colour, with the number of places inside.
_CLUSTER_ICON = """
function (cluster) {
    return L.divIcon({
        html: '<div style="background:%s;color:white;border:2px solid white;border-radius:50%%;'
            + 'width:30px;height:30px;display:flex;align-items:center;justify-content:center;'
            + 'box-sizing:border-box;font:600 12px sans-serif;'
            + 'box-shadow:0 1px 3px rgba(0,0,0,.5)">' + cluster.getChildCount() + '</div>',
        className: 'na-cluster',
        iconSize: L.point(30, 30)
    });
}
"""


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
    ".na-popup mark{background:#fff3a3;padding:0 1px}</style>"
)


def _outlines_layer(
    name: str, style: dict, sea: str, outlines_url: str | None, *, show: bool = True
) -> folium.FeatureGroup:
    """Return a base layer that needs no network: a sea, and the countries drawn over it."""
    layer = folium.FeatureGroup(name=name, overlay=False, control=True, show=show)
    folium.Rectangle(
        [(-85, -540), (85, 540)], stroke=False, fill=True, fill_color=sea, fill_opacity=1, interactive=False
    ).add_to(layer)
    if outlines_url is None:
        folium.GeoJson(country_outlines(), name=name, style_function=lambda _f: style, control=False).add_to(layer)
    else:
        layer.add_child(_FetchedOutlines(outlines_url, style))
    return layer


class _FetchedOutlines(MacroElement):
    """Country outlines fetched from a served file, so the map's HTML stays small."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        fetch({{ this.url|tojson }})
            .then(function (response) { return response.json(); })
            .then(function (data) {
                L.geoJSON(data, {style: {{ this.style|tojson }}, interactive: false})
                    .addTo({{ this._parent.get_name() }});
            })
            .catch(function (err) { console.warn("offline outlines not loaded", err); });
        {% endmacro %}
        """
    )

    def __init__(self, url: str, style: dict) -> None:
        super().__init__()
        self._name = "FetchedOutlines"
        self.url = url
        self.style = style


class _OfflineFallback(MacroElement):
    """Switch to the offline outlines when the street tiles do not load (no network)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var streets = {{ this.streets.get_name() }};
            var offline = {{ this.offline.get_name() }};
            var failed = 0, loaded = 0, switched = false;
            function useOffline() {
                if (switched) { return; }
                switched = true;
                if (map.hasLayer(streets)) { map.removeLayer(streets); }
                if (!map.hasLayer(offline)) { map.addLayer(offline); }
            }
            if (navigator.onLine === false) { useOffline(); return; }
            map.removeLayer(offline);
            streets.on("tileload", function () { loaded += 1; });
            streets.on("tileerror", function () { failed += 1; if (failed >= 2 && loaded === 0) { useOffline(); } });
            setTimeout(function () { if (loaded === 0) { useOffline(); } }, 4000);
        })();
        {% endmacro %}
        """
    )

    def __init__(self, streets: folium.TileLayer, offline: folium.FeatureGroup) -> None:
        super().__init__()
        self._name = "OfflineFallback"
        self.streets = streets
        self.offline = offline


def popup_html(mapped: MappedPlace) -> str:
    """Return the popup's HTML: name, category and country, then up to five excerpts."""
    place = mapped.place
    header = " · ".join(filter(None, (place.kind, place.country)))
    items = "".join(
        f"<li>{highlighted_excerpt(mention)}</li>" for mention in list(dict.fromkeys(mapped.mentions))[:MAX_EXCERPTS]
    )
    more = len(mapped.mentions) - MAX_EXCERPTS
    extra = f"<div>… and {more} more</div>" if more > 0 else ""
    return (
        f"<div class='na-popup'><b>{escape_for_map(place.name)}</b>"
        f"<div style='color:#555'>{escape_for_map(header)} · {len(mapped.mentions)} mention(s)</div>"
        f"<ul style='padding-left:1.1em;margin:.4em 0'>{items}</ul>{extra}</div>"
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
    """Return a fixed legend of the categories' symbols (static HTML: no article text)."""
    rows = "".join(
        f"<div style='display:flex;align-items:center;gap:6px'>{symbol(kind, 14)}{kind}</div>" for kind in KINDS
    )
    element = MacroElement()
    element._template = Template(
        "{% macro html(this, kwargs) %}"
        "<div class='na-legend' style='position:fixed;bottom:40px;left:12px;z-index:9999;"
        "background:white;padding:6px 10px;border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,.3);"
        f"font:12px sans-serif'>{rows}</div>"
        "{% endmacro %}"
    )
    return element
