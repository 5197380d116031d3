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
    MILITARY_BASE = "MILB"
    NAVAL_BASE = "NVB"
    AIRBASE = "AIRB"
    AIRPORT = "AIRP"
    GOVERNMENT = "ADMF"
    BUILDING = "BLDG"
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
    #: An airport or airfield.
    AIRFIELD = "airfield"


@dataclass(frozen=True)
class FeatureInfo:
    """What News Atlas knows about one kind of place."""

    #: The category the map shows it under (one of geo.values.KINDS), before the words around it.
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

#: The table. Prior bonuses: a landmark from the curated table ranks like a city of about three
#: million; administrative areas rank a little below their summed population so that a city and
#: the area named after it go to the city unless the text says "province" or "county".
FEATURES: dict[Feature, FeatureInfo] = {
    Feature.COUNTRY: FeatureInfo("country", 2.0, _groups(W, Q, P)),
    Feature.CONTINENT: FeatureInfo("region", 0.0, _groups(W, P), label="LOC"),
    Feature.REGION: FeatureInfo("region", 6.0, _groups(W, A, P), label="LOC"),
    Feature.ADMIN1: FeatureInfo("region", -1.0, _groups(A, Q, P)),
    Feature.ADMIN2: FeatureInfo("region", -1.5, _groups(A)),
    Feature.CITY: FeatureInfo("city", 0.0, _groups(T)),
    Feature.MILITARY_BASE: FeatureInfo("base", 6.5),
    Feature.NAVAL_BASE: FeatureInfo("base", 6.5),
    Feature.AIRBASE: FeatureInfo("base", 4.5, _groups(F)),
    Feature.AIRPORT: FeatureInfo("other", 3.0, _groups(F)),
    Feature.GOVERNMENT: FeatureInfo("venue", 6.5),
    Feature.BUILDING: FeatureInfo("venue", 6.5),
    Feature.UNKNOWN: FeatureInfo("other", 0.0),
}


def feature_of(code: str | None) -> Feature:
    """Return the Feature a code stands for (``Feature.UNKNOWN`` for codes not in the table)."""
    try:
        return Feature(code or "")
    except ValueError:
        return Feature.UNKNOWN
