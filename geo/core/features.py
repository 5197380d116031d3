"""Kinds of place: one table of the GeoNames-style feature codes News Atlas knows.

Every decision that depends on what kind of place an entry is reads it from ``FEATURES``: the
category the map shows it under, how likely the name means it before any context (its prior
bonus), which spaCy label a match gets, and the groups it belongs to for the resolver and the
extractor. Adding a kind of place is one member of ``Feature`` and one row of ``FEATURES``; a
misspelt code is an ``AttributeError`` or a type error, not a silent miss.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, StrEnum

__all__ = ["FEATURES", "Feature", "FeatureInfo", "Group", "feature_of"]


class Feature(StrEnum):
    """A GeoNames feature code (or one of the same style for the landmark table)."""

    COUNTRY = "PCLI"
    CONTINENT = "CONT"
    REGION = "RGN"
    ADMIN1 = "ADM1"
    ADMIN2 = "ADM2"
    CITY = "PPL"
    CAPITAL = "PPLC"  # a country's capital or one of Natural Earth's world cities
    MILITARY_BASE = "MILB"
    NAVAL_BASE = "NVB"
    AIRBASE = "AIRB"
    AIRPORT = "AIRP"
    GOVERNMENT = "ADMF"
    BUILDING = "BLDG"
    OCEAN = "OCN"
    SEA = "SEA"
    GULF = "GULF"  # gulfs, bays, sounds, fjords, lagoons
    STRAIT = "STRT"  # straits and channels
    RIVER = "STM"
    LAKE = "LK"
    MOUNTAINS = "MTS"
    MOUNTAIN = "MT"
    ISLAND = "ISL"
    ISLANDS = "ISLS"
    REEF = "RF"  # reefs, shoals, banks, atolls and rocks at sea
    DESERT = "DSRT"
    PENINSULA = "PEN"
    PHYSICAL_AREA = "AREA"  # plateaus, plains, coasts, deltas, valleys, basins
    PORT = "PRT"
    NUCLEAR_PLANT = "PSN"
    REFUGEE_CAMP = "CMPRF"
    BORDER_CROSSING = "PSTB"
    UNKNOWN = ""

    def info(self) -> FeatureInfo:
        """Return this kind of place's row of ``FEATURES``."""
        return FEATURES[self]

    def is_in(self, group: Group) -> bool:
        """Return True when this kind of place belongs to ``group``."""
        return group in FEATURES[self].groups


class Group(Enum):
    """Sets of kinds of place that some rule treats alike."""

    #: Covers too much ground to say where an article is: no distance to it means anything.
    WIDE = "wide"
    #: What "X province" or "X County" asks for.
    AREA = "area"
    #: What "the city of X" or "the port of X" asks for.
    TOWN = "town"
    #: May stand after a comma to say where a place is: "Paris, Texas", "Homs, Syria".
    QUALIFIER = "qualifier"
    #: Common enough to take from the gazetteer even as a sentence's first word.
    PROMINENT = "prominent"
    #: A capital or world city: a weak lean of the article towards another country does not
    #: overturn it ("London" in an article that mentions a few US places).
    MAJOR = "major"
    #: An airport or airfield.
    AIRFIELD = "airfield"
    #: A sea, gulf, strait or ocean: what "X Sea", "the Gulf of X", "the X Strait" asks for.
    WATER = "water"
    #: What "X River", "the river X" asks for.
    RIVER = "river"
    #: What "Lake X" asks for.
    LAKE = "lake"
    #: What "X Mountains", "Mount X" asks for.
    UPLAND = "upland"
    #: What "X Island(s)" asks for.
    ISLAND = "island"
    #: What "X Desert" asks for.
    DESERT = "desert"
    #: What "X port", "the port of X", "X harbour" asks for (a town with a port counts too).
    PORT = "port"
    #: What "X nuclear plant", "X power station" asks for.
    POWER = "power"
    #: What "X refugee camp" asks for.
    CAMP = "camp"
    #: What "X border crossing" asks for.
    CROSSING = "crossing"
    #: A physical feature from Natural Earth: only the model, not the gazetteer matcher alone,
    #: may take its one-word name from the text ("Red", "Coast", "Java").
    NATURAL = "natural"


@dataclass(frozen=True)
class FeatureInfo:
    """What News Atlas knows about one kind of place."""

    #: The category the map shows it under (one of geo.core.values.KINDS), before the words around it.
    category: str
    #: How much it is preferred over a city of the same name, in powers of ten of population.
    prior_bonus: float
    groups: frozenset[Group] = frozenset()
    #: The entity label a gazetteer match of it gets, when not the default (GPE, or FAC for
    #: landmarks).
    label: str | None = None


def _groups(*groups: Group) -> frozenset[Group]:
    return frozenset(groups)


W, A, T, Q, P, F = Group.WIDE, Group.AREA, Group.TOWN, Group.QUALIFIER, Group.PROMINENT, Group.AIRFIELD
N = Group.NATURAL

#: The table. Prior bonuses: a landmark from the curated table ranks like a city of about three
#: million; administrative areas rank a little below their summed population so that a city and
#: the area named after it go to the city unless the text says "province" or "county".
FEATURES: dict[Feature, FeatureInfo] = {
    Feature.COUNTRY: FeatureInfo("country", 2.0, _groups(W, Q, P)),
    Feature.CONTINENT: FeatureInfo("region", 0.0, _groups(W, P), label="LOC"),
    Feature.REGION: FeatureInfo("region", 6.0, _groups(W, A, P), label="LOC"),
    Feature.ADMIN1: FeatureInfo("region", -1.0, _groups(A, Q, P)),
    Feature.ADMIN2: FeatureInfo("region", -1.5, _groups(A)),
    Feature.CITY: FeatureInfo("city", 0.0, _groups(T, Group.PORT)),
    Feature.CAPITAL: FeatureInfo("city", 0.0, _groups(T, Group.PORT, Group.MAJOR)),
    Feature.MILITARY_BASE: FeatureInfo("base", 6.5),
    Feature.NAVAL_BASE: FeatureInfo("base", 6.5),
    Feature.AIRBASE: FeatureInfo("base", 4.5, _groups(F)),
    Feature.AIRPORT: FeatureInfo("other", 3.0, _groups(F)),
    Feature.GOVERNMENT: FeatureInfo("venue", 6.5),
    Feature.BUILDING: FeatureInfo("venue", 6.5),
    # Natural Earth's physical features: no population, so their prior is this bonus plus their
    # size (geo.gazetteer.build.prior): a sea thousands of km across outranks a village.
    Feature.OCEAN: FeatureInfo("region", 3.0, _groups(W, N, Group.WATER), label="LOC"),
    Feature.SEA: FeatureInfo("region", 2.5, _groups(W, N, Group.WATER), label="LOC"),
    Feature.GULF: FeatureInfo("region", 2.0, _groups(N, Group.WATER), label="LOC"),
    Feature.STRAIT: FeatureInfo("region", 2.0, _groups(N, Group.WATER), label="LOC"),
    Feature.RIVER: FeatureInfo("region", 1.5, _groups(N, Group.RIVER), label="LOC"),
    Feature.LAKE: FeatureInfo("region", 1.5, _groups(N, Group.LAKE), label="LOC"),
    Feature.MOUNTAINS: FeatureInfo("region", 1.5, _groups(N, Group.UPLAND), label="LOC"),
    Feature.MOUNTAIN: FeatureInfo("region", 1.0, _groups(N, Group.UPLAND), label="LOC"),
    Feature.ISLAND: FeatureInfo("region", 1.0, _groups(N, Group.ISLAND), label="LOC"),
    Feature.ISLANDS: FeatureInfo("region", 1.0, _groups(N, Group.ISLAND), label="LOC"),
    # Reefs, shoals and atolls have no size in the data (GeoNames' points): the bonus alone, that
    # of a city of a million, for "Scarborough Shoal" and "Fiery Cross Reef" are named for nothing
    # else, even where the model takes them for an organisation; their one-word names stay the
    # model's to take (NATURAL).
    Feature.REEF: FeatureInfo("region", 6.0, _groups(N, Group.ISLAND), label="LOC"),
    Feature.DESERT: FeatureInfo("region", 1.5, _groups(W, N, Group.DESERT), label="LOC"),
    Feature.PENINSULA: FeatureInfo("region", 1.0, _groups(N), label="LOC"),
    Feature.PHYSICAL_AREA: FeatureInfo("region", 0.5, _groups(N), label="LOC"),
    # A port ranks below the town of the same name unless the text says "port".
    Feature.PORT: FeatureInfo("city", 2.0, _groups(Group.PORT), label="FAC"),
    Feature.NUCLEAR_PLANT: FeatureInfo("other", 5.0, _groups(Group.POWER)),
    Feature.REFUGEE_CAMP: FeatureInfo("other", 5.0, _groups(Group.CAMP)),
    Feature.BORDER_CROSSING: FeatureInfo("other", 5.0, _groups(Group.CROSSING)),
    Feature.UNKNOWN: FeatureInfo("other", 0.0),
}


def feature_of(code: str | None) -> Feature:
    """Return the Feature a code stands for (``Feature.UNKNOWN`` for codes not in the table)."""
    try:
        return Feature(code or "")
    except ValueError:
        return Feature.UNKNOWN
