"""Derive News Atlas's compact Natural Earth tables from the Natural Earth GeoJSON themes.

``python -m geo.gazetteer.derive /path/to/naturalearth`` reads the themes (public domain, see the
README's data table) and writes two CSV files into ``geo/gazetteer/data/``:

- ``ne_features.csv``: seas, gulfs, straits, rivers, lakes, mountain ranges, deserts, islands,
  peninsulas and other physical regions, peaks and ports, each with a representative point
  (a point inside the shape, or the middle of a river's longest part) and its extent (bbox);
- ``ne_admin1.csv``: every country's first-level areas with Natural Earth's label point;
- ``ne_english_names.csv``: the English names of Natural Earth's populated places by GeoNames id
  ("Latakia" for GeoNames' "Al Lādhiqīyah"), the names the map shows.

The gazetteer build reads only these CSV files; this module is run by hand when the tables are
renewed, never at run time.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import logging
import math
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from geo.core.features import Feature
from geo.gazetteer.points import contains
from geo.gazetteer.sources import DATA_DIR

__all__ = ["ADMIN1_CSV", "ENGLISH_NAMES_CSV", "FEATURES_CSV", "FeatureRow", "derive", "main"]

log = logging.getLogger(__name__)

FEATURES_CSV = "ne_features.csv"
ADMIN1_CSV = "ne_admin1.csv"
ENGLISH_NAMES_CSV = "ne_english_names.csv"
_DECIMALS = 3

Ring = Sequence[Sequence[float]]

#: Natural Earth's feature classes (lower-cased) and the kind of place each becomes.
_CLASSES: dict[str, Feature] = {
    "ocean": Feature.OCEAN,
    "sea": Feature.SEA,
    "gulf": Feature.GULF,
    "bay": Feature.GULF,
    "sound": Feature.GULF,
    "fjord": Feature.GULF,
    "lagoon": Feature.GULF,
    "inlet": Feature.GULF,
    "strait": Feature.STRAIT,
    "channel": Feature.STRAIT,
    "river": Feature.RIVER,
    "lake centerline": Feature.RIVER,
    "lake": Feature.LAKE,
    "reservoir": Feature.LAKE,
    "alkaline lake": Feature.LAKE,
    "range/mtn": Feature.MOUNTAINS,
    "mountain": Feature.MOUNTAIN,
    "island": Feature.ISLAND,
    "island group": Feature.ISLANDS,
    "desert": Feature.DESERT,
    "pen/cape": Feature.PENINSULA,
    "peninsula": Feature.PENINSULA,
    "cape": Feature.PENINSULA,
    "isthmus": Feature.PENINSULA,
    "plateau": Feature.PHYSICAL_AREA,
    "geoarea": Feature.PHYSICAL_AREA,
    "coast": Feature.PHYSICAL_AREA,
    "plain": Feature.PHYSICAL_AREA,
    "delta": Feature.PHYSICAL_AREA,
    "basin": Feature.PHYSICAL_AREA,
    "valley": Feature.PHYSICAL_AREA,
    "lowland": Feature.PHYSICAL_AREA,
    "wetlands": Feature.PHYSICAL_AREA,
    "gorge": Feature.PHYSICAL_AREA,
    "foothills": Feature.PHYSICAL_AREA,
    "port": Feature.PORT,
}
#: Abbreviations in Natural Earth's labels, written out.
_ABBREVIATIONS = (
    (re.compile(r"\bMts\s*\.?$"), "Mountains"),
    (re.compile(r"\bRa\.$"), "Range"),
    (re.compile(r"\bPen\.$"), "Peninsula"),
    (re.compile(r"\bStr\.$"), "Strait"),
    (re.compile(r"\bSd\.$"), "Sound"),
    (re.compile(r"\bIs\.$"), "Islands"),
    (re.compile(r"\bI\.$"), "Island"),
    (re.compile(r"\bMt\.\s"), "Mount "),
    (re.compile(r"\bL\.\s"), "Lake "),
)
#: Seas and oceans also called by their adjective alone ("the Mediterranean", "the Baltic"), and
#: a half of an ocean by its name without "Ocean" ("the North Atlantic") and by the ocean's
#: ("the Atlantic", "the Atlantic Ocean"); the gazetteer's build leaves the whole ocean's names to
#: GeoNames' whole ocean (geo.gazetteer.sources.half_ocean_aliases).
_ADJECTIVE_NAME = re.compile(r"^(?:(North|South)\s+)?([A-Z][a-z]{4,}(?:an|ic))\s+(Sea|Ocean)$")


@dataclass(frozen=True)
class FeatureRow:
    """One derived physical feature or port."""

    name: str
    aliases: tuple[str, ...]
    feature: Feature
    lat: float
    lon: float
    south: float
    west: float
    north: float
    east: float
    scalerank: int

    def as_row(self) -> list[str]:
        """Return the CSV row of this feature."""
        return [
            self.name,
            ";".join(self.aliases),
            self.feature.value,
            *(f"{v:.{_DECIMALS}f}" for v in (self.lat, self.lon, self.south, self.west, self.north, self.east)),
            str(self.scalerank),
        ]


def clean_name(name: str) -> str:
    """Return a Natural Earth label as news text writes it: single spaces, title case for
    labels in capitals, abbreviations ("Mts.", "Ra.") written out."""
    name = " ".join(name.replace(" .", ".").split())
    if name.isupper():
        name = name.title()
    for pattern, full in _ABBREVIATIONS:
        name = pattern.sub(full, name)
    return name


def name_variants(name: str, feature: Feature) -> tuple[str, tuple[str, ...]]:
    """Return (display name, aliases) for a cleaned label: "Oostende (Ostend)" gives "Ostend"
    and "Oostende"; a river "Tigris" also "Tigris River" and "River Tigris"; a lake "Lake X"
    also "X Lake"... only forms that keep the generic word, so "Red" never means a river alone."""
    parts = [p.strip() for p in re.split(r"[()/]", name) if p.strip()]
    display = parts[1] if len(parts) == 2 and "(" in name else parts[0] if parts else name
    aliases = {p for p in parts if p != display}
    if feature is Feature.RIVER and not re.search(r"\b(?:River|Delta|Lake)\b", display):
        aliases.update({f"{display} River", f"River {display}"})
    if feature is Feature.LAKE:
        if display.startswith("Lake "):
            aliases.add(f"{display[5:]} Lake")
        elif not display.endswith(("Lake", "Reservoir")):
            aliases.add(f"Lake {display}")
    if (adjective := _ADJECTIVE_NAME.match(display)) is not None:
        half, name, kind = adjective.groups()
        aliases.update({name, f"{name} {kind}"} - {display})
        if half:
            aliases.add(f"{half} {name}")
    return display, tuple(sorted(aliases))


def _bbox(points: Sequence[Sequence[float]]) -> tuple[float, float, float, float]:
    lons = [p[0] for p in points]
    lats = [p[1] for p in points]
    return min(lats), min(lons), max(lats), max(lons)


def ring_area(ring: Ring) -> float:
    """Return a ring's area in square degrees (unsigned; lon/lat treated as plane)."""
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1, *_), (x2, y2, *_) in itertools.pairwise(ring))) / 2


def label_point(polygon: Sequence[Ring]) -> tuple[float, float]:
    """Return (lon, lat) of a point inside a polygon (outer ring first, then holes).

    The centroid when it falls inside; otherwise the middle of the widest inside stretch of the
    horizontal line through the ring's vertical middle.
    """
    outer = polygon[0]
    area = twice = 0.0
    cx = cy = 0.0
    for (x1, y1, *_), (x2, y2, *_) in itertools.pairwise(outer):
        cross = x1 * y2 - x2 * y1
        twice += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    area = twice / 2
    if area:
        x, y = cx / (6 * area), cy / (6 * area)
        if contains(polygon, y, x):
            return x, y
    south, _west, north, _east = _bbox(outer)
    y = (south + north) / 2 + 1e-7
    crossings = sorted(
        x1 + (y - y1) * (x2 - x1) / (y2 - y1)
        for ring in polygon
        for (x1, y1, *_), (x2, y2, *_) in itertools.pairwise(ring)
        if (y1 > y) != (y2 > y)
    )
    stretches = [(b - a, (a + b) / 2) for a, b in zip(crossings[::2], crossings[1::2], strict=False)]
    if not stretches:
        return outer[0][0], outer[0][1]
    return max(stretches)[1], y


def line_middle(line: Sequence[Sequence[float]]) -> tuple[float, float]:
    """Return (lon, lat) of the point halfway along a line."""
    lengths = [math.dist(a[:2], b[:2]) for a, b in itertools.pairwise(line)]
    half = sum(lengths) / 2
    for (a, b), length in zip(itertools.pairwise(line), lengths, strict=True):
        if half <= length and length:
            t = half / length
            return a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])
        half -= length
    return line[-1][0], line[-1][1]


def river_mouth(
    lines: Sequence[Sequence[Sequence[float]]], flowing: Sequence[Sequence[Sequence[float]]]
) -> tuple[float, float] | None:
    """Return (lon, lat) of a river's mouth, or None: of the ends of its parts that join no other
    part, one where a part of the river proper (``flowing``: Natural Earth draws those
    downstream; its lake centerlines run either way) ends, the one farthest along the river from
    another loose end (the main stem's mouth, not a tributary's)."""

    def node(point: Sequence[float]) -> tuple[float, float]:
        return round(point[0], 6), round(point[1], 6)

    graph: dict[tuple[float, float], list[tuple[tuple[float, float], float]]] = {}
    for line in lines:
        if len(line) < 2:
            continue
        a, b = node(line[0]), node(line[-1])
        length = sum(math.dist(p[:2], q[:2]) for p, q in itertools.pairwise(line))
        graph.setdefault(a, []).append((b, length))
        graph.setdefault(b, []).append((a, length))
    loose = [n for n, edges in graph.items() if len(edges) == 1]
    ends = {node(line[-1]) for line in flowing if len(line) >= 2}
    mouths = [n for n in loose if n in ends]
    if not mouths:
        return None

    def farthest(start: tuple[float, float]) -> float:
        # A river's parts make a tree: each node's distance is found on first reaching it.
        reach = {start: 0.0}
        todo = [start]
        while todo:
            here = todo.pop()
            for there, length in graph[here]:
                if there not in reach:
                    reach[there] = reach[here] + length
                    todo.append(there)
        return max(reach[n] for n in loose if n in reach)

    return max(mouths, key=farthest)


def _polygons(geometry: dict | None) -> list[Sequence[Ring]]:
    if geometry is None:
        return []
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return list(geometry["coordinates"])
    return []


def _lines(geometry: dict | None) -> list[Sequence[Sequence[float]]]:
    if geometry is None:
        return []
    if geometry["type"] == "LineString":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiLineString":
        return list(geometry["coordinates"])
    return []


def _row(props: dict, feature: Feature, point: tuple[float, float], points: Sequence[Sequence[float]]) -> FeatureRow:
    name, aliases = name_variants(clean_name(str(props["name"])), feature)
    alternative = props.get("namealt") or props.get("name_alt")
    if alternative:
        aliases = tuple(sorted({*aliases, *(clean_name(a) for a in re.split(r"[;,]", alternative) if a.strip())}))
    south, west, north, east = _bbox(points)
    rank = props.get("scalerank")
    return FeatureRow(
        name, aliases, feature, point[1], point[0], south, west, north, east, int(rank if rank is not None else 10)
    )


def _themes(folder: Path) -> Iterator[FeatureRow]:
    def load(name: str) -> list[dict]:
        return json.loads((folder / name).read_text(encoding="utf-8"))["features"]

    for theme in ("ne_10m_geography_marine_polys.json", "ne_10m_geography_regions_polys.json", "ne_10m_lakes.json"):
        # A sea drawn in parts (the Mediterranean's two basins) is one sea: parts of one name and
        # class are merged; the point lies in the largest part.
        parts: dict[tuple[str, Feature], tuple[dict, list[Sequence[Ring]]]] = {}
        for item in load(theme):
            props = item["properties"]
            feature = _CLASSES.get(str(props.get("featurecla") or "").lower())
            polygons = _polygons(item["geometry"])
            if feature is None or not props.get("name") or not polygons:
                continue
            merge = theme.startswith("ne_10m_geography_marine")
            key = (str(props["name"]), feature) if merge else (f"{len(parts)}", feature)
            parts.setdefault(key, (props, []))[1].extend(polygons)
        for (_name, feature), (props, polygons) in parts.items():
            largest = max(polygons, key=lambda polygon: ring_area(polygon[0]))
            points = [p for polygon in polygons for p in polygon[0]]
            yield _row(props, feature, label_point(largest), points)
    rivers: dict[tuple[str, object], list[Sequence[Sequence[float]]]] = {}
    river_props: dict[tuple[str, object], dict] = {}
    flowing: dict[tuple[str, object], list[Sequence[Sequence[float]]]] = {}
    for item in load("ne_10m_rivers_lake_centerlines.json"):
        props = item["properties"]
        name = props.get("name_en") or props.get("name")
        if not name or str(props.get("featurecla")).lower() not in _CLASSES:
            continue
        river = (str(name), props.get("rivernum"))
        rivers.setdefault(river, []).extend(_lines(item["geometry"]))
        if str(props.get("featurecla")).lower() == "river":  # lake centerlines run either way
            flowing.setdefault(river, []).extend(_lines(item["geometry"]))
        river_props.setdefault(river, {**props, "name": name})
    for river, lines in rivers.items():
        if not lines:
            continue
        longest = max(lines, key=lambda line: sum(math.dist(a[:2], b[:2]) for a, b in itertools.pairwise(line)))
        yield _row(river_props[river], Feature.RIVER, line_middle(longest), [p for line in lines for p in line])
        # The river once more at its mouth, where GeoNames (and the corpora that use it) place a
        # river: a point without extent, so a lesser candidate than the river drawn whole.
        mouth = river_mouth(lines, flowing.get(river, []))
        if mouth is not None:
            yield _row(river_props[river], Feature.RIVER, mouth, [mouth])
    for theme, min_rank in (
        ("ne_10m_geography_regions_points.json", 10),
        ("ne_10m_geography_regions_elevation_points.json", 5),  # well-known peaks only
        ("ne_10m_ports.json", 10),
    ):
        for item in load(theme):
            props = item["properties"]
            feature = _CLASSES.get(str(props.get("featurecla") or "").lower())
            if feature is None or not props.get("name") or int(props.get("scalerank") or 0) > min_rank:
                continue
            lon, lat = item["geometry"]["coordinates"][:2]
            yield _row(props, feature, (lon, lat), [(lon, lat)])


def admin1_rows(folder: Path) -> Iterator[list[str]]:
    """Yield [country, name, aliases, lat, lon, code] per label point of a first-level area. An
    area drawn in several parts (islands, exclaves) has several; the build keeps the one nearest
    the area's towns."""
    items = json.loads((folder / "ne_10m_admin_1_label_points.json").read_text(encoding="utf-8"))["features"]
    rows = []
    for item in items:
        props = item["properties"]
        if props.get("featurecla") != "Admin-1 scale rank" or not props.get("name") or not props.get("iso_a2"):
            continue
        if len(str(props["iso_a2"])) != 2:
            continue
        lon, lat = item["geometry"]["coordinates"][:2]
        # "Homs (Hims)", "Lattakia (Al Ladhiqiyah)": the English name first, the other an alias.
        parts = [p.strip() for p in re.split(r"[()]", str(props["name"])) if p.strip()]
        rows.append(
            [
                str(props["iso_a2"]),
                parts[0],
                ";".join(parts[1:]),
                f"{lat:.{_DECIMALS}f}",
                f"{lon:.{_DECIMALS}f}",
                str(props["adm1_code"]),
            ]
        )
    seen: set[tuple[str, ...]] = set()
    for row in sorted(rows, key=lambda r: (r[5], r[3], r[4])):
        if tuple(row) not in seen:
            seen.add(tuple(row))
            yield row


def english_name_rows(folder: Path) -> Iterator[list[str]]:
    """Yield [geonameid, English name, "capital" or "", lat, lon] per Natural Earth populated place
    with a GeoNames id: "capital" for countries' capitals and Natural Earth's world cities. The
    point lets the build check the id: a few of Natural Earth's ids are another place's."""
    items = json.loads((folder / "ne_10m_populated_places.json").read_text(encoding="utf-8"))["features"]
    seen: set[str] = set()
    for item in items:
        props = item["properties"]
        geonameid, english = props.get("GEONAMEID"), props.get("NAME_EN") or props.get("NAME")
        if not english:
            continue
        # Without an id (Tripoli, Libya has none) the build joins the row by name and point.
        ref = str(int(float(geonameid))) if geonameid and float(geonameid) > 0 else ""
        if not ref or ref not in seen:
            seen.add(ref)
            major = props.get("ADM0CAP") == 1 or props.get("WORLDCITY") == 1
            lat, lon = props.get("LATITUDE"), props.get("LONGITUDE")
            point = [f"{float(lat):.3f}", f"{float(lon):.3f}"] if lat is not None and lon is not None else ["", ""]
            yield [ref, " ".join(str(english).split()), "capital" if major else "", *point]


def derive(folder: Path, out: Path = DATA_DIR) -> tuple[int, int]:
    """Write the three tables into ``out``; return the row counts of features and areas."""
    seen: set[tuple[str, str, float, float]] = set()
    rows = []
    for row in _themes(folder):
        key = (row.name, row.feature.value, round(row.lat, 1), round(row.lon, 1))
        if key not in seen:
            seen.add(key)
            rows.append(row.as_row())
    rows.sort(key=lambda r: (r[2], r[0]))
    with (out / FEATURES_CSV).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["name", "aliases", "feature", "lat", "lon", "south", "west", "north", "east", "scalerank"])
        writer.writerows(rows)
    admin = list(admin1_rows(folder))
    with (out / ADMIN1_CSV).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["country", "name", "aliases", "lat", "lon", "code"])
        writer.writerows(admin)
    with (out / ENGLISH_NAMES_CSV).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["geonameid", "name", "rank", "lat", "lon"])
        english: list[list[str]] = list(english_name_rows(folder))
        english.sort(key=lambda row: (int(row[0] or 0), row[1]))
        writer.writerows(english)
    return len(rows), len(admin)


def main(argv: list[str] | None = None) -> int:
    """Derive the tables from the folder given on the command line; return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m geo.gazetteer.derive", description=__doc__)
    parser.add_argument("folder", type=Path, help="the Natural Earth GeoJSON folder")
    parser.add_argument("--out", type=Path, default=DATA_DIR)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr)
    features, admin = derive(args.folder, args.out)
    log.info("wrote %d features and %d first-level areas to %s", features, admin, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
