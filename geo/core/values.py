"""The values that flow through the pipeline: small, frozen, typed."""

from __future__ import annotations

from dataclasses import dataclass

from geo.core.features import Feature
from geo.core.provenance import Match, Provenance

__all__ = ["KINDS", "Candidate", "Entity", "MappedPlace", "Mention", "Place", "PlaceMention"]

#: The categories a place is shown under, in the order the map's legend lists them.
KINDS: tuple[str, ...] = ("base", "city", "venue", "region", "country", "other")


@dataclass(frozen=True)
class Mention:
    """A stretch of article text that names a place, with the sentence it stands in."""

    start: int  # character offset into the article text, inclusive
    end: int  # character offset, exclusive
    text: str
    label: str  # the entity label (GPE, LOC, FAC)
    finder: str  # what found it: "ner", "landmarks" or "gazetteer"
    sent_start: int  # offsets of the sentence (the excerpt) in the article text
    sent_end: int
    excerpt: str  # the sentence, whitespace collapsed


@dataclass(frozen=True)
class Entity:
    """Another entity the model found in the article: an organisation, an armed group or a
    nationality (the actors of geo.events), with its offsets into the article text."""

    start: int
    end: int
    text: str
    label: str  # the model's label (ORG, NORP)


@dataclass(frozen=True)
class Candidate:
    """One place that a name may refer to: a gazetteer entry, an online answer or a correction."""

    rowid: int | None  # the gazetteer row (None for places from elsewhere); not stable across builds
    name: str
    feature: Feature
    country: str | None  # ISO 3166 alpha-2
    admin1: str | None  # first-level administrative area, by name
    lat: float
    lon: float
    population: int
    dataset: str  # the data set it came from ("geonames", "landmarks", "nominatim", ...)
    kind_hint: str | None = None  # the kind the data set gives it (landmarks), if any
    ref: str | None = None  # the data set's own id, or the landmark's source address
    prior: float = 0.0  # how likely the name means this place before context (log10 scale)
    match: Match = Match.EXACT  # how the name looked up matched this entry
    #: South, west, north and east edges (areas and physical features), when the gazetteer has them.
    extent: tuple[float, float, float, float] | None = None

    @property
    def place_id(self) -> str:
        """Return an identity that survives gazetteer rebuilds, e.g. "geonames:2660646"."""
        if self.ref:
            return f"{self.dataset}:{self.ref}"
        return f"{self.dataset}:{self.country}:{self.admin1}:{self.name}"


@dataclass(frozen=True)
class Place:
    """A resolved place: where a mention points, and what kind of place it is."""

    place_id: str  # stable identity, e.g. "geonames:2660646" (Candidate.place_id)
    name: str
    lat: float
    lon: float
    kind: str  # one of KINDS
    country: str | None
    feature: Feature
    provenance: Provenance  # where the coordinates came from (geo.core.provenance.source_text words it)


@dataclass(frozen=True)
class PlaceMention:
    """A mention and the place it was resolved to (None when it could not be placed)."""

    mention: Mention
    place: Place | None
    #: The gazetteer's other readings of the name, likeliest first (offered as corrections).
    candidates: tuple[Candidate, ...] = ()


@dataclass(frozen=True)
class MappedPlace:
    """A place with every mention of it, for the map, the table and the context panel."""

    place: Place
    mentions: tuple[Mention, ...]
