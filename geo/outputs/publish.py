"""A self-contained HTML map of the places: one file that opens offline from disk in any browser.

Leaflet and Leaflet.markercluster (JavaScript and CSS) are written into the page from the Python
packages that ship them (``geo.map.assets``: the same files the app serves), and the country
outlines from the offline basemap: nothing is fetched when it opens. The places travel as JSON
data; the page's own script draws them, each popup built with DOM text nodes (article text is never
parsed as HTML), with the legend of the categories, the title, the articles credited and the data
sources' attribution. A page coloured by event type (or by article, or date) is published so: each
marker in its tint, the legend a swatch per colour and the categories' shapes in grey, as the
app's map shows them (the colours are geo.map.tints's, the events' from geo.events.taxonomy).

Where a package is missing, ``to_html`` raises ``PublishError``: a page that needs the network
would not be the offline file it promises.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

from geo.core.errors import GeoError
from geo.core.escaping import script_json
from geo.core.sanitize import visible
from geo.core.values import KINDS, MappedPlace
from geo.inputs.metadata import ArticleMeta
from geo.map.assets import ASSETS, Asset, _package_file
from geo.map.basemap import country_outlines
from geo.map.mapview import OUTLINE_STYLE, SHAPE_GREY, STYLE, symbol
from geo.map.tints import TINTS, Tints
from geo.outputs.export import Origins, _sourced

__all__ = ["CREDITS", "MAX_EXCERPTS", "PublishError", "to_html"]

#: The data sources every published map credits (docs/data.md has the full list).
CREDITS = (
    "Places: GeoNames (CC BY 4.0), Natural Earth (public domain), GeoNuclearData (ODbL 1.0). "
    "Country outlines: Natural Earth. Made with News Atlas."
)
#: Most excerpts a popup shows for one place (the count says how many there are).
MAX_EXCERPTS = 5
#: The files written into the page, by their name in the served folder (geo.map.assets).
_SCRIPTS = ("leaflet/leaflet.js", "markercluster/leaflet.markercluster.js")
_STYLES = ("leaflet/leaflet.css", "markercluster/MarkerCluster.css", "markercluster/MarkerCluster.Default.css")


#: The page may run its own inline scripts and styles, and nothing from anywhere else.
_POLICY = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:"


class PublishError(GeoError):
    """The HTML map cannot be made offline: a package that ships its scripts is missing."""


def _asset(name: str) -> str:
    asset: Asset | None = next((a for a in ASSETS if a.name == name), None)
    path = _package_file(asset) if asset is not None else None
    if path is None:
        raise PublishError(f"the HTML map needs {name}, which no installed package ships (see requirements.txt)")
    return path.read_text(encoding="utf-8")


def _script_safe(text: str) -> str:
    """Return JavaScript or JSON text that cannot close the <script> element it is written into."""
    return text.replace("</", "<\\/").replace("<!--", "<\\!--")


def _excerpt_parts(excerpt: str, written: Sequence[str]) -> list[str]:
    """Return an excerpt as [before, the name, after] around its first spelling of the place."""
    for text in written:
        at = excerpt.find(text) if text else -1
        if at >= 0:
            return [excerpt[:at], text, excerpt[at + len(text) :]]
    return [excerpt, "", ""]


def _place_data(mapped: MappedPlace, origins: Origins | None, tint: str | None = None) -> dict[str, Any]:
    place = mapped.place
    written = sorted({visible(m.text) for m in mapped.mentions}, key=len, reverse=True)
    sourced = _sourced(mapped, origins)
    return {
        "name": place.name,
        "kind": place.kind if place.kind in STYLE else "other",
        "tint": tint or "",
        "country": place.country or "",
        "lat": round(place.lat, 6),
        "lon": round(place.lon, 6),
        "mentions": len(mapped.mentions),
        "excerpts": [
            {
                "parts": _excerpt_parts(excerpt, written),
                "source": (origin.title + (f", {origin.date.isoformat()}" if origin.date else "")) if origin else "",
            }
            for excerpt, origin in sourced[:MAX_EXCERPTS]
        ],
    }


def to_html(
    places: Sequence[MappedPlace],
    *,
    title: str = "News Atlas",
    origins: Origins | None = None,
    sources: Sequence[tuple[str, ArticleMeta]] = (),
    layers: Sequence[Mapping[str, Any]] = (),
    tints: Tints | None = None,
) -> str:
    """Return a self-contained HTML page of ``places`` on a map: markers by category (clustered),
    popups with the excerpts (each with its article, from ``origins``), the legend, ``title``, the
    articles of ``sources`` (name, details) credited, and ``layers`` (``{"name", "features"}``,
    checked GeoJSON features: geo.outputs.atlas.check_feature) drawn as switchable overlays. With
    ``tints`` (geo.map.tints: the page's colouring by event type, article or date) each marker takes
    its place's tint and the legend is the tints' (the categories' shapes under it, in grey).
    Raises PublishError when the scripts it inlines are not installed."""
    scripts = "\n".join(f"<script>{_script_safe(_asset(name))}</script>" for name in _SCRIPTS)
    styles = "\n".join(f"<style>{_script_safe(_asset(name))}</style>" for name in _STYLES)
    # Only the tints' own colours reach the page's markup: a colour is written into an SVG attribute.
    tint_of = {key: colour for key, colour in (tints.by_place if tints else ()) if colour in TINTS}
    swatches = [(label, colour) for label, colour in (tints.legend if tints else ()) if colour in TINTS]
    data = {
        "places": [_place_data(m, origins, tint_of.get(m.place.place_id)) for m in places],
        "outlines": country_outlines(1),
        "outline": OUTLINE_STYLE,
        "colours": {kind: STYLE[kind][0] for kind in STYLE},
        "symbols": {kind: symbol(kind, 22) for kind in STYLE},
        "tinted": {f"{kind} {colour}": symbol(kind, 22, colour) for kind in STYLE for colour in set(tint_of.values())},
        # Leaflet's layer control writes an overlay's name as markup: the name is escaped here.
        "layers": [
            {"name": html.escape(str(x.get("name", "Layer"))), "features": list(x.get("features", ()))} for x in layers
        ],
    }
    if swatches:  # the colour says the event type (or article, date); the shape still the category
        legend = (
            "".join(
                f"<div class='na-swatch'><span style='background:{colour}'></span> "
                f"{html.escape(visible(label)[:80])}</div>"
                for label, colour in swatches
            )
            + "<hr>"
            + "".join(f"<div>{symbol(kind, 14, SHAPE_GREY)} {kind}</div>" for kind in KINDS)
        )
    else:
        legend = "".join(f"<div>{symbol(kind, 14)} {kind}</div>" for kind in KINDS)
    credited = "".join(
        "<li>"
        + (
            f"<a href='{html.escape(meta.url, quote=True)}' rel='noopener noreferrer'>"
            f"{html.escape(meta.title or name)}</a>"
            if meta.url
            else html.escape(meta.title or name)
        )
        + "".join(f" · {html.escape(x)}" for x in (meta.outlet, meta.date.isoformat() if meta.date else None) if x)
        + "</li>"
        for name, meta in sources
    )
    shown = html.escape(visible(title).strip() or "News Atlas")
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{_POLICY}">
<title>{shown}</title>
{styles}
<style>
body{{margin:0;font:14px/1.45 system-ui,sans-serif;color:#222}}
header{{padding:.6em 1em}} header h1{{font-size:1.3em;margin:0}} header p{{margin:.2em 0 0;color:#555}}
#map{{height:70vh;min-height:360px;background:#cfe0ee}}
.na-legend{{background:#fff;padding:6px 8px;border-radius:4px;box-shadow:0 1px 4px #0004;font-size:12px}}
.na-legend div{{display:flex;gap:.4em;align-items:center}}
.na-legend hr{{margin:4px 0;border:0;border-top:1px solid #ddd}}
.na-swatch span{{display:inline-block;width:12px;height:12px;border-radius:2px;box-shadow:0 0 1px #000}}
.na-pin{{background:none;border:none}}
.na-popup b{{font-size:1.05em}} .na-popup .meta{{color:#555;margin-bottom:.3em}}
.na-popup blockquote{{margin:.3em 0;padding-left:.5em;border-left:3px solid #ccc}}
.na-popup .src{{color:#666;font-size:.9em}} mark{{background:#ffe58a}}
footer{{padding:.6em 1em;color:#444;font-size:.9em}} footer ul{{margin:.2em 0 .6em;padding-left:1.2em}}
</style>
</head>
<body>
<header><h1>{shown}</h1><p>{len(places)} place{"s" if len(places) != 1 else ""} named in the articles below.
Click a marker to read the sentences that name it.</p></header>
<div id="map"></div>
<footer><b>Sources</b><ul>{credited}</ul><div class="credits">{html.escape(CREDITS)}</div></footer>
{scripts}
<script id="na-data" type="application/json">{script_json(data)}</script>
<script>
(function () {{
  var data = JSON.parse(document.getElementById("na-data").textContent);
  var map = L.map("map", {{worldCopyJump: true, minZoom: 1, maxZoom: 18}});
  map.attributionControl.setPrefix("");
  var base = L.geoJSON(data.outlines, {{style: data.outline, interactive: false}}).addTo(map);
  map.attributionControl.addAttribution("Natural Earth · GeoNames");
  function text(tag, value, cls) {{
    var el = document.createElement(tag); el.textContent = value; if (cls) el.className = cls; return el;
  }}
  function popup(p) {{
    var box = document.createElement("div"); box.className = "na-popup";
    box.appendChild(text("b", p.name));
    box.appendChild(text("div", [p.kind, p.country].filter(Boolean).join(" · ") + " · " + p.mentions +
      (p.mentions === 1 ? " mention" : " mentions"), "meta"));
    p.excerpts.forEach(function (e) {{
      var q = document.createElement("blockquote"); q.className = "na-excerpt";
      q.appendChild(document.createTextNode(e.parts[0]));
      if (e.parts[1]) q.appendChild(text("mark", e.parts[1]));
      q.appendChild(document.createTextNode(e.parts[2]));
      if (e.source) {{ q.appendChild(document.createElement("br")); q.appendChild(text("span", e.source, "src")); }}
      box.appendChild(q);
    }});
    return box;
  }}
  var cluster = L.markerClusterGroup({{showCoverageOnHover: false, maxClusterRadius: 40}});
  var bounds = [];
  data.places.forEach(function (p) {{
    var svg = (p.tint && data.tinted[p.kind + " " + p.tint]) || data.symbols[p.kind];
    var icon = L.divIcon({{html: svg, className: "na-pin na-" + p.kind, iconSize: [22, 22]}});
    var marker = L.marker([p.lat, p.lon], {{icon: icon, title: p.name, alt: p.name}});
    marker.bindPopup(function () {{ return popup(p); }}, {{maxWidth: 360}});
    cluster.addLayer(marker);
    bounds.push([p.lat, p.lon]);
  }});
  cluster.addTo(map);
  var overlays = {{"Places": cluster}};
  data.layers.forEach(function (layer) {{
    var drawn = L.geoJSON({{type: "FeatureCollection", features: layer.features}}, {{
      onEachFeature: function (f, l) {{
        var props = f.properties || {{}}, box = document.createElement("div");
        Object.keys(props).slice(0, 12).forEach(function (k) {{
          box.appendChild(text("div", k + ": " + props[k]));
        }});
        l.bindPopup(box);
      }}
    }}).addTo(map);
    overlays[layer.name] = drawn;
  }});
  L.control.layers(null, overlays, {{collapsed: false}}).addTo(map);
  L.control.scale().addTo(map);
  var legend = L.control({{position: "bottomleft"}});
  legend.onAdd = function () {{
    var box = L.DomUtil.create("div", "na-legend"); box.innerHTML = {script_json(legend)}; return box;
  }};
  legend.addTo(map);
  if (bounds.length) map.fitBounds(bounds, {{padding: [30, 30], maxZoom: 8}}); else map.setView([20, 0], 2);
  window.naReady = true;
}})();
</script>
</body>
</html>
"""
