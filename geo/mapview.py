"""Stage 5, the map: places in, a folium map out. A pure function, tested by rendering it."""

from __future__ import annotations

from collections.abc import Sequence

import folium
from branca.element import MacroElement, Template

from geo.escaping import escape_for_map
from geo.values import KINDS, MappedPlace, Mention

#: Marker colour and Font Awesome icon per category (folium.Icon's palette).
STYLE: dict[str, tuple[str, str]] = {
    "base": ("red", "fighter-jet"),
    "city": ("blue", "building"),
    "venue": ("purple", "handshake-o"),
    "region": ("green", "map-o"),
    "country": ("darkblue", "flag"),
    "other": ("gray", "map-marker"),
}
#: folium.Icon colour names as CSS colours, for the legend.
_CSS = {
    "red": "#d63e2a",
    "blue": "#38aadd",
    "purple": "#d252b9",
    "green": "#72b026",
    "darkblue": "#0067a3",
    "gray": "#575757",
}
MAX_EXCERPTS = 5


def build_map(places: Sequence[MappedPlace], *, tiles: str = "OpenStreetMap") -> folium.Map:
    """Return a folium map with a marker per place, a layer per category and a legend.

    Each marker's tooltip is the place's name; its popup lists the excerpts that mention it,
    the mention emphasised. Every article string is escaped (see geo.escaping).
    """
    fmap = folium.Map(location=(20, 0), zoom_start=2, tiles=tiles, control_scale=True)
    layers = {kind: folium.FeatureGroup(name=kind, show=True) for kind in KINDS}
    for mapped in places:
        place = mapped.place
        color, icon = STYLE.get(place.kind, STYLE["other"])
        folium.Marker(
            location=(place.lat, place.lon),
            tooltip=folium.Tooltip(escape_for_map(f"{place.name} · {place.kind}")),
            popup=folium.Popup(popup_html(mapped), max_width=360),
            icon=folium.Icon(color=color, icon=icon, prefix="fa"),
        ).add_to(layers[place.kind if place.kind in layers else "other"])
    for kind, layer in layers.items():
        if any(m.place.kind == kind for m in places):
            layer.add_to(fmap)
    folium.LayerControl(collapsed=True).add_to(fmap)
    fmap.get_root().add_child(legend())
    if places:
        lats = [m.place.lat for m in places]
        lons = [m.place.lon for m in places]
        fmap.fit_bounds([(min(lats), min(lons)), (max(lats), max(lons))], padding=(30, 30), max_zoom=8)
    return fmap


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
    # Offsets of the mention inside its sentence: the excerpt collapses whitespace, so search.
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
    """Return a fixed legend of the categories' colours (static HTML: no article text)."""
    rows = "".join(
        f"<div><span style='display:inline-block;width:10px;height:10px;border-radius:50%;"
        f"background:{_CSS[STYLE[kind][0]]};margin-right:6px'></span>{kind}</div>"
        for kind in KINDS
    )
    element = MacroElement()
    element._template = Template(
        "{% macro html(this, kwargs) %}"
        "<div class='na-legend' style='position:fixed;bottom:24px;left:12px;z-index:9999;"
        "background:white;padding:6px 10px;border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,.3);"
        f"font:12px sans-serif'>{rows}</div>"
        "{% endmacro %}"
    )
    return element
