"""A picture of the map: the places shown (coloured and shaped as on the map), the reader's layers,
a title, a legend, a scale bar and the credits, drawn offline by matplotlib over the offline
basemap's Natural Earth data (``geo/data/basemap.json``) as a PNG or an SVG.

The view is a box of latitudes and longitudes (``Bounds``): the map's own when the browser reported
it, else the places' extent. It is drawn in Web Mercator, as the map is, so the picture looks like
the view it was made from. Every text a person wrote (the title, article titles in the legend,
layer names, place names) is drawn as text: never read as markup or as matplotlib's mathtext
(``$…$``), and in the SVG written as escaped XML text.
"""

from __future__ import annotations

import io
import json
import logging
import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from geo.core.sanitize import visible
from geo.core.values import KINDS, MappedPlace
from geo.inputs.layers import Layer
from geo.map.basemap import DETAIL_FILE
from geo.map.layers import layer_colour
from geo.map.mapview import STYLE
from geo.map.tints import TINTS, Tints

__all__ = ["CREDITS", "FORMATS", "Bounds", "Frame", "render", "to_png", "to_svg"]

log = logging.getLogger(__name__)

_RENDER_LOCK = threading.Lock()
#: What every picture credits (docs/data.md has the full list).
CREDITS = (
    "Basemap: Natural Earth (public domain). Places: GeoNames (CC BY 4.0), Natural Earth, "
    "GeoNuclearData (ODbL 1.0). Made with News Atlas."
)
FORMATS = ("png", "svg")
#: The map's marker of each category, as matplotlib draws it (the shapes of geo.map.mapview.STYLE).
MARKERS = {"base": "^", "city": "o", "venue": "D", "region": "s", "country": "*", "other": "o"}
_SIZES = {"base": 75, "city": 60, "venue": 50, "region": 60, "country": 130, "other": 30}
_SEA, _LAND, _COAST, _LAKE, _RIVER = "#cfe0ee", "#f3f0e8", "#8c8c8c", "#cfe0ee", "#6f9cc4"
#: Longest title and legend label drawn; most places named beside their marker.
MAX_TITLE = 120
MAX_LABEL = 60
MAX_NAMED = 25
#: The smallest box drawn, in degrees (a single place is shown with its surroundings).
MIN_SPAN = 1.0
#: Inches above the map (the title and the line under it) and below it (the credits).
_TOP, _BOTTOM = 0.85, 0.35


@dataclass(frozen=True)
class Bounds:
    """A box on the map: south and north latitudes, west and east longitudes (degrees)."""

    south: float
    west: float
    north: float
    east: float

    @classmethod
    def of(cls, south: float, west: float, north: float, east: float) -> Bounds:
        """Return the box, put in range: latitudes within ±85 (Mercator's), longitudes within ±180
        (a view wider than the world is the world), each side at least ``MIN_SPAN`` wide."""
        values = [south, west, north, east]
        if not all(isinstance(v, int | float) and math.isfinite(v) for v in values):
            return WORLD
        south, north = sorted((max(-85.0, min(85.0, south)), max(-85.0, min(85.0, north))))
        if east < west:  # a box written across the antimeridian
            east += 360
        if east - west >= 360:
            west, east = -180.0, 180.0
        if west < -180 or east > 180:  # Leaflet lets a view wander past the antimeridian
            shift = 360 * math.floor((west + 180) / 360)
            west, east = west - shift, east - shift
            if east > 180:  # across it: the picture is drawn up to it (one side of the world)
                east = 180.0
        if north - south < MIN_SPAN:
            middle = (north + south) / 2
            south, north = max(-85.0, middle - MIN_SPAN / 2), min(85.0, middle + MIN_SPAN / 2)
        if east - west < MIN_SPAN:
            middle = (east + west) / 2
            west, east = max(-180.0, middle - MIN_SPAN / 2), min(180.0, middle + MIN_SPAN / 2)
        return cls(south, west, north, east)

    @classmethod
    def of_view(cls, lat: float, lng: float, zoom: int, width: int = 900, height: int = 540) -> Bounds:
        """Return the box a map of ``width`` × ``height`` pixels shows centred on (``lat``, ``lng``)
        at ``zoom`` (Leaflet's 256-pixel tiles): for an atlas, whose view is a centre and a zoom."""
        per_pixel = 360 / (256 * 2 ** max(0, min(20, zoom)))
        centre = _y(lat)
        return cls.of(
            _lat(centre - height / 2 * per_pixel),
            lng - width / 2 * per_pixel,
            _lat(centre + height / 2 * per_pixel),
            lng + width / 2 * per_pixel,
        )

    @classmethod
    def around(cls, places: Sequence[MappedPlace], layers: Sequence[Layer] = (), margin: float = 0.12) -> Bounds:
        """Return the box of ``places`` and the layers' features, with a margin (the world when empty)."""
        points = [(m.place.lat, m.place.lon) for m in places]
        for layer in layers:
            for feature in layer.shown():
                points.extend((lat, lon) for lon, lat in _flat_positions(feature["geometry"]["coordinates"]))
        if not points:
            return WORLD
        lats, lons = [p[0] for p in points], [p[1] for p in points]
        pad_lat = max(0.5, (max(lats) - min(lats)) * margin)
        pad_lon = max(0.5, (max(lons) - min(lons)) * margin)
        return cls.of(min(lats) - pad_lat, min(lons) - pad_lon, max(lats) + pad_lat, max(lons) + pad_lon)


WORLD = Bounds(-60.0, -180.0, 80.0, 180.0)


@dataclass(frozen=True)
class Frame:
    """Where the map sits in a picture: its box in longitude and Web Mercator y (the view widened
    to the frame's shape, never squashed), and its size and the figure's in inches."""

    x0: float
    x1: float
    y0: float
    y1: float
    width: float
    map_height: float
    height: float

    @classmethod
    def of(cls, box: Bounds, width: float) -> Frame:
        """Return the frame of ``box`` in a figure ``width`` inches wide: the map's height follows
        the view's shape, within limits (the box is then widened to fill the frame)."""
        x0, x1, y0, y1 = box.west, box.east, _y(box.south), _y(box.north)
        map_width = width * 0.96
        map_height = map_width * min(1.3, max(0.45, (y1 - y0) / (x1 - x0)))
        shape = map_height / map_width
        if (y1 - y0) / (x1 - x0) < shape:  # taller
            middle, half = (y0 + y1) / 2, (x1 - x0) * shape / 2
            y0, y1 = middle - half, middle + half
        else:  # wider
            middle, half = (x0 + x1) / 2, (y1 - y0) / shape / 2
            x0, x1 = middle - half, middle + half
        return cls(x0, x1, y0, y1, width, map_height, _TOP + map_height + _BOTTOM)

    def bounds(self) -> Bounds:
        """Return the box the frame shows."""
        return Bounds(_lat(self.y0), self.x0, _lat(self.y1), self.x1)

    def pixel(self, lat: float, lon: float, dpi: int) -> tuple[int, int]:
        """Return the pixel (column, row from the top) of a point in the picture at ``dpi``."""
        left = 0.02 * self.width + 0.96 * self.width * (lon - self.x0) / (self.x1 - self.x0)
        up = _BOTTOM + self.map_height * (_y(lat) - self.y0) / (self.y1 - self.y0)
        return round(left * dpi), round((self.height - up) * dpi)


def _flat_positions(coordinates: Any) -> list[tuple[float, float]]:
    if coordinates and isinstance(coordinates[0], int | float):
        return [(float(coordinates[0]), float(coordinates[1]))]
    out: list[tuple[float, float]] = []
    for part in coordinates:
        out.extend(_flat_positions(part))
    return out


def _y(lat: float) -> float:
    """Return Web Mercator's y of a latitude, in degrees (so that x, the longitude, shares its scale)."""
    lat = max(-85.0, min(85.0, lat))
    return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))


def _lat(y: float) -> float:
    """Return the latitude of a Web Mercator y (``_y``'s inverse)."""
    return math.degrees(2 * math.atan(math.exp(math.radians(y))) - math.pi / 2)


@lru_cache(maxsize=1)
def _basemap() -> dict[str, list[tuple[tuple[float, float, float, float], Any]]]:
    """Return the offline basemap's land, lakes, borders and rivers as arrays of (x, Mercator y), each
    with its box (west, south, east, north), unpacked once per process."""
    import numpy as np

    detail = json.loads(DETAIL_FILE.read_text(encoding="utf-8"))
    scale = float(detail["scale"])
    out: dict[str, list[tuple[tuple[float, float, float, float], Any]]] = {}

    def unpack(flat: list[int]) -> Any:
        xy = np.cumsum(np.asarray(flat, dtype=float).reshape(-1, 2), axis=0) / scale
        lat = np.clip(xy[:, 1], -85.0, 85.0)
        y = np.degrees(np.log(np.tan(np.pi / 4 + np.radians(lat) / 2)))
        return np.column_stack((xy[:, 0], y)), (xy[:, 0].min(), lat.min(), xy[:, 0].max(), lat.max())

    for theme in ("land", "lakes"):
        rings = []
        for polygon in detail.get(theme, ()):
            for ring in polygon:
                xy, box = unpack(ring)
                rings.append((box, xy))
        out[theme] = rings
    for theme in ("borders", "rivers"):
        lines = []
        for line in detail.get(theme, ()):
            xy, box = unpack(line)
            lines.append((box, xy))
        out[theme] = lines
    return out


def _in_view(box: tuple[float, float, float, float], bounds: Bounds) -> bool:
    west, south, east, north = box
    return east >= bounds.west and west <= bounds.east and north >= bounds.south and south <= bounds.north


def _nice_distance(km: float) -> float:
    """Return a round distance (1, 2 or 5 times a power of ten, in km) at most ``km``."""
    power = 10 ** math.floor(math.log10(km))
    return max(step * power for step in (1, 2, 5) if step * power <= km)


def _text(value: str, limit: int) -> str:
    text = " ".join(visible(str(value)).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def render(
    places: Sequence[MappedPlace],
    fmt: str = "png",
    *,
    bounds: Bounds | None = None,
    title: str = "News Atlas",
    tints: Tints | None = None,
    layers: Sequence[Layer] = (),
    width: float = 10.0,
    dpi: int = 150,
) -> bytes:
    """Return a picture (``fmt`` "png" or "svg") of ``places`` inside ``bounds`` (else around them)
    over the offline basemap: each place's marker in its category's shape and colour, or its tint
    (``tints``, by article or date, as the map colours it); the visible layers' features (their
    filters applied) in their colours; ``title`` above; a legend of the categories shown, the tints'
    labels and the layers; a scale bar; the credits below. ``width`` is in inches."""
    if fmt not in FORMATS:
        raise ValueError(f"an image is one of {', '.join(FORMATS)}")
    # One picture at a time: matplotlib's rc_context sets process-wide settings (two sessions'
    # downloads at once would restore each other's), and a picture is a second or two of CPU.
    with _RENDER_LOCK:
        return _render(places, fmt, bounds, title, tints, layers, width, dpi)


def _render(
    places: Sequence[MappedPlace],
    fmt: str,
    bounds: Bounds | None,
    title: str,
    tints: Tints | None,
    layers: Sequence[Layer],
    width: float,
    dpi: int,
) -> bytes:
    from matplotlib import rc_context
    from matplotlib.collections import LineCollection, PolyCollection
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    shown_layers = [layer for layer in layers if layer.visible]
    box = bounds or Bounds.around(places, shown_layers)
    tints = tints or Tints()
    tint_of = {key: colour for key, colour in tints.by_place if colour in TINTS}
    frame = Frame.of(box, width)
    x0, x1, y0, y1 = frame.x0, frame.x1, frame.y0, frame.y1
    map_height, height = frame.map_height, frame.height
    box = frame.bounds()  # what the frame shows: the basemap drawn in it, the scale bar
    # "none": text stays text in the SVG (searchable, escaped by matplotlib's XML writer), not glyph paths.
    with rc_context({"svg.fonttype": "none", "font.family": "DejaVu Sans", "svg.hashsalt": "news-atlas"}):
        figure = Figure(figsize=(width, height), dpi=dpi)
        axes = figure.add_axes((0.02, _BOTTOM / height, 0.96, map_height / height))
        axes.set_xlim(x0, x1)
        axes.set_ylim(y0, y1)
        axes.set_aspect("equal", adjustable="box")
        axes.set_xticks([])
        axes.set_yticks([])
        axes.set_facecolor(_SEA)
        basemap = _basemap()
        wide = x1 - x0
        speck = wide / 500  # islands and lakes smaller than a few pixels are left out (a world's SVG stays small)
        # The basemap keeps a point every ~0.006°; a wide view draws one a few tenths of a pixel apart.
        step = max(1, int(wide / (width * dpi) / 0.01))

        margin_x, margin_y = (x1 - x0) * 0.1, (y1 - y0) * 0.1

        def thin(xy: Any) -> Any:
            """Return a ring or line with fewer points: every ``step``-th, and the points far outside
            the frame pressed onto a box just beyond it (a continent's coast is a few points there,
            and the shape inside the frame is unchanged: the basemap's segments are short)."""
            import numpy as np

            if step > 1 and len(xy) >= 4 * step:
                xy = xy[::step]
            pressed = np.column_stack(
                (np.clip(xy[:, 0], x0 - margin_x, x1 + margin_x), np.clip(xy[:, 1], y0 - margin_y, y1 + margin_y))
            )
            keep = np.ones(len(pressed), dtype=bool)
            keep[1:] = np.any(pressed[1:] != pressed[:-1], axis=1)
            return pressed[keep]

        land = [thin(xy) for b, xy in basemap["land"] if _in_view(b, box) and max(b[2] - b[0], b[3] - b[1]) >= speck]
        axes.add_collection(PolyCollection(land, facecolors=_LAND, edgecolors=_COAST, linewidths=0.4, zorder=1))
        lakes = [thin(xy) for b, xy in basemap["lakes"] if _in_view(b, box) and max(b[2] - b[0], b[3] - b[1]) >= speck]
        axes.add_collection(PolyCollection(lakes, facecolors=_LAKE, edgecolors="#7fa7c9", linewidths=0.3, zorder=2))
        if wide < 60:  # rivers only closer in, as on the map (from zoom 5)
            rivers = [xy for b, xy in basemap["rivers"] if _in_view(b, box)]
            axes.add_collection(LineCollection(rivers, colors=_RIVER, linewidths=0.5, zorder=2))
        borders = [thin(xy) for b, xy in basemap["borders"] if _in_view(b, box)]
        axes.add_collection(LineCollection(borders, colors=_COAST, linewidths=0.7, zorder=3))
        _towns(axes, box, wide)

        handles: list[Any] = []
        for number, layer in enumerate(layers):
            if not layer.visible:
                continue
            colour = layer_colour(number)
            _draw_layer(axes, layer, colour)
            handles.append(
                Line2D([], [], color=colour, marker="o", markersize=6, linewidth=2, label=_text(layer.name, MAX_LABEL))
            )

        inside = [m for m in places if box.west <= m.place.lon <= box.east and box.south <= m.place.lat <= box.north]
        kinds_shown = [
            k for k in KINDS if any((m.place.kind if m.place.kind in STYLE else "other") == k for m in inside)
        ]
        ordered = sorted(places, key=lambda m: _SIZES.get(m.place.kind, 30), reverse=True)  # small ones on top
        for mapped in ordered:
            place = mapped.place
            kind = place.kind if place.kind in STYLE else "other"
            colour = tint_of.get(place.place_id, STYLE[kind][0])
            axes.scatter(
                [place.lon],
                [_y(place.lat)],
                s=_SIZES[kind],
                marker=MARKERS[kind],
                c=colour,
                edgecolors="white",
                linewidths=1.0,
                zorder=6,
                clip_on=True,
            )
        if len(inside) <= MAX_NAMED:
            _name_places(axes, inside, frame)
        for kind in kinds_shown:
            colour = STYLE[kind][0]
            handles.append(
                Line2D(
                    [],
                    [],
                    linestyle="",
                    marker=MARKERS[kind],
                    markersize=11 if kind == "country" else 8,
                    markerfacecolor=colour if not tint_of else "#777777",
                    markeredgecolor="white",
                    label=kind,
                )
            )
        for label, colour in tints.legend:
            if colour in TINTS:
                handles.append(
                    Line2D([], [], linestyle="", marker="s", markersize=8, color=colour, label=_text(label, MAX_LABEL))
                )
        if handles:
            legend = axes.legend(
                handles=handles, loc="lower left", fontsize=7.5, framealpha=0.9, title=None, borderpad=0.5
            )
            legend.set_zorder(10)
            for text in legend.get_texts():
                text.set_parse_math(False)
        _scale_bar(axes, box)
        figure.text(
            0.02,
            1 - 0.2 / height,
            _text(title, MAX_TITLE) or "News Atlas",
            fontsize=15,
            fontweight="bold",
            va="top",
            parse_math=False,
        )
        count = len(places)
        figure.text(
            0.02,
            1 - 0.55 / height,
            f"{count} place{'s' if count != 1 else ''} named in the articles"
            + (
                f" · {len(shown_layers)} layer{'s' if len(shown_layers) != 1 else ''} of the reader's own"
                if shown_layers
                else ""
            ),
            fontsize=8.5,
            color="#444",
            va="top",
            parse_math=False,
        )
        figure.text(0.02, 0.12 / height, CREDITS, fontsize=6.5, color="#555", va="bottom", parse_math=False)
        buffer = io.BytesIO()
        metadata = {"Title": _text(title, MAX_TITLE) or "News Atlas"}
        if fmt == "svg":
            metadata["Date"] = None  # type: ignore[assignment]  # the same picture for the same view
        figure.savefig(buffer, format=fmt, metadata=metadata, facecolor="white")
    return buffer.getvalue()


#: Where a place's name may stand beside its marker (points right and up of it, then the other
#: corners), tried in this order until one overlaps no name already placed.
_PLACINGS = ((6, 3, "left", "bottom"), (6, -3, "left", "top"), (-6, 3, "right", "bottom"), (-6, -3, "right", "top"))
_NAME_SIZE = 7.5


def _name_places(axes: Any, places: Sequence[MappedPlace], frame: Frame) -> None:
    """Write each place's name beside its marker, moved to another corner when it would overlap a
    name already written (the larger places first: a country's name gives way to no town's)."""
    taken: list[tuple[float, float, float, float]] = []  # boxes in points from the map's lower left
    scale = 72 / (frame.x1 - frame.x0) * frame.width * 0.96  # points per degree of longitude
    for mapped in sorted(places, key=lambda m: -len(m.mentions)):
        name = _text(mapped.place.name, 40)
        x, y = (mapped.place.lon - frame.x0) * scale, (_y(mapped.place.lat) - frame.y0) * scale
        wide, high = 0.58 * _NAME_SIZE * len(name), 1.25 * _NAME_SIZE
        chosen = _PLACINGS[0]
        for placing in _PLACINGS:
            dx, dy, across, up = placing
            left = x + dx if across == "left" else x + dx - wide
            low = y + dy if up == "bottom" else y + dy - high
            box = (left, low, left + wide, low + high)
            if not any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in taken):
                chosen = placing
                break
        dx, dy, across, up = chosen
        left = x + dx if across == "left" else x + dx - wide
        low = y + dy if up == "bottom" else y + dy - high
        taken.append((left, low, left + wide, low + high))
        axes.annotate(
            name,
            (mapped.place.lon, _y(mapped.place.lat)),
            xytext=(dx, dy),
            textcoords="offset points",
            ha=across,
            va=up,
            fontsize=_NAME_SIZE,
            color="#111",
            zorder=7,
            parse_math=False,
            clip_on=True,
            bbox={"boxstyle": "round,pad=0.1", "facecolor": "white", "alpha": 0.6, "linewidth": 0},
        )


def _layers_said(count: int) -> str:
    return f" · {count} layer{'s' if count != 1 else ''} of the reader's own" if count else ""


def _draw_layer(axes: Any, layer: Layer, colour: str) -> None:
    """Draw a layer's shown features: areas shaded, lines stroked, points as dots."""
    from matplotlib.collections import LineCollection, PolyCollection

    polygons: list[list[tuple[float, float]]] = []
    lines: list[list[tuple[float, float]]] = []
    xs: list[float] = []
    ys: list[float] = []

    def project(ring: Sequence[Sequence[float]]) -> list[tuple[float, float]]:
        return [(float(p[0]), _y(float(p[1]))) for p in ring]

    for feature in layer.shown():
        geometry = feature["geometry"]
        kind, coordinates = geometry["type"], geometry["coordinates"]
        parts = coordinates if kind.startswith("Multi") else [coordinates]
        for part in parts:
            if kind.endswith("Point"):
                xs.append(part[0])
                ys.append(_y(part[1]))
            elif kind.endswith("LineString"):
                lines.append(project(part))
            else:
                polygons.extend(project(ring) for ring in part[:1])  # the outer ring; holes left open
    if polygons:
        axes.add_collection(
            PolyCollection(polygons, facecolors=colour, edgecolors=colour, alpha=0.3, linewidths=1.2, zorder=4)
        )
    if lines:
        axes.add_collection(LineCollection(lines, colors=colour, linewidths=2.0, zorder=5))
    if xs:
        axes.scatter(xs, ys, s=36, c=colour, edgecolors="white", linewidths=0.8, zorder=5, clip_on=True)


#: The basemap's towns named, by how wide the view is (degrees): the widest views name none, closer
#: ones the towns of a higher Natural Earth scale rank too (as the map names them by zoom).
_TOWN_RANKS = ((3.0, 6), (8.0, 5), (20.0, 4))


def _towns(axes: Any, box: Bounds, wide: float) -> None:
    """Name the basemap's towns in the view, in grey under the places."""
    rank = next((r for most, r in _TOWN_RANKS if wide <= most), None)
    if rank is None:
        return
    for name, lon, lat, town_rank in _town_list():
        if town_rank <= rank and box.west <= lon <= box.east and box.south <= lat <= box.north:
            axes.plot([lon], [_y(lat)], marker="o", markersize=2.5, color="#555", zorder=3.5)
            axes.annotate(
                _text(name, 40),
                (lon, _y(lat)),
                xytext=(3, -8),
                textcoords="offset points",
                fontsize=6.5,
                color="#555",
                zorder=3.5,
                parse_math=False,
                clip_on=True,
            )


@lru_cache(maxsize=1)
def _town_list() -> tuple[tuple[str, float, float, int], ...]:
    detail = json.loads(DETAIL_FILE.read_text(encoding="utf-8"))
    return tuple((str(t[0]), float(t[1]), float(t[2]), int(t[3])) for t in detail.get("towns", ()))


def _scale_bar(axes: Any, box: Bounds) -> None:
    """Draw a scale bar in the lower right: a round distance at the view's middle latitude."""
    middle = (box.south + box.north) / 2
    km_per_degree = 111.32 * math.cos(math.radians(middle))
    across_km = (box.east - box.west) * km_per_degree
    distance = _nice_distance(max(across_km / 5, 0.001))
    degrees = distance / km_per_degree
    x_end = box.east - (box.east - box.west) * 0.04
    y = _y(box.south) + (_y(box.north) - _y(box.south)) * 0.05
    axes.plot([x_end - degrees, x_end], [y, y], color="#111", linewidth=3, solid_capstyle="butt", zorder=9)
    label = f"{distance:g} km" if distance >= 1 else f"{distance * 1000:g} m"
    axes.annotate(
        label,
        ((x_end - degrees / 2), y),
        xytext=(0, 4),
        textcoords="offset points",
        ha="center",
        fontsize=7.5,
        zorder=9,
        parse_math=False,
        bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "alpha": 0.7, "linewidth": 0},
    )


def to_png(places: Sequence[MappedPlace], **options: Any) -> bytes:
    """Return ``render(places, "png", **options)``."""
    return render(places, "png", **options)


def to_svg(places: Sequence[MappedPlace], **options: Any) -> bytes:
    """Return ``render(places, "svg", **options)``."""
    return render(places, "svg", **options)
