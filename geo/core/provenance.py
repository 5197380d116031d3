"""Where a place came from: a value on every Place, and the one function that words it.

A name a person added to an article (geo.store.corrections, ``Action.ADD``) is placed by the step
``ADDED``: the machine did not find it, the person did. Otherwise a place's coordinates are
decided by the first of the placement steps (geo.parse.pipeline) that has an
answer: a person's correction, then an online geocoder when one is asked, then the offline
gazetteer ranked in the article's context, then the offline geocoder's near misses. The
``Provenance`` records which step it was, which data set the coordinates come from, how the
article's name matched that data set's entry, and whether the offline answer stands in for an
online one that failed. ``source_text`` turns it into the short ``source`` the command line, the
table and the exports show.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["DATASET_WORDS", "Match", "Provenance", "Step", "source_text", "source_words"]


class Match(StrEnum):
    """How an article's name matched a data set's entry."""

    EXACT = "exact"  # the entry's own name
    ALIAS = "alias"  # one of its alternate names
    ABBREVIATION = "abbreviation"  # a short form ("Ill." for Illinois)
    NEAR_MISS = "near miss"  # within an edit or two of a name ("Tartou" for Tartus)
    FOLDED = "folded"  # another romanisation of its name ("Hims" for Homs: geo.core.normalize.folded_key)


class Step(StrEnum):
    """The placement step that decided a place, in the order they are tried."""

    ADDED = "added"  # a person marked the name in the text, and chose its place
    CORRECTION = "correction"  # a person chose it
    ONLINE = "online"  # an online geocoder answered
    GAZETTEER = "gazetteer"  # the offline gazetteer's candidates, ranked in context
    NEAR_MISS = "near miss"  # the offline geocoder, which also tries misspellings


@dataclass(frozen=True)
class Provenance:
    """Where a place's coordinates came from."""

    step: Step
    #: The data set: "geonames", "geonames-admin", "countryinfo", "airportsdata", "landmarks", an
    #: online service's name ("nominatim"), or "correction".
    dataset: str
    match: Match = Match.EXACT
    #: The offline answer, used because the online geocoder failed for this name.
    fallback: bool = False

    @property
    def online(self) -> bool:
        """Return True when an online service gave the coordinates."""
        return self.step is Step.ONLINE


def source_text(provenance: Provenance) -> str:
    """Return the ``source`` shown to users: the data set, with ``:fuzzy`` for a near miss and
    ``:offline-fallback`` when the online geocoder failed (e.g. "geonames", "landmarks:fuzzy",
    "correction", "added by hand")."""
    if provenance.step is Step.CORRECTION:
        return "correction"
    if provenance.step is Step.ADDED:
        return "added by hand"
    text = provenance.dataset
    if provenance.match is Match.NEAR_MISS:
        text += ":fuzzy"
    if provenance.fallback:
        text += ":offline-fallback"
    return text


#: Each data set in plain words, for readers (the dashboard's table): the key is ``Provenance.dataset``.
DATASET_WORDS: dict[str, str] = {
    "geonames": "GeoNames",
    "geonames-admin": "GeoNames areas",
    "countryinfo": "country outline",
    "airportsdata": "airports list",
    "landmarks": "News Atlas landmarks",
    "naturalearth": "Natural Earth",
    "whosonfirst": "Who's On First",
    "wpi": "World Port Index",
    "geonucleardata": "GeoNuclearData",
    "nominatim": "Nominatim (online)",
    "photon": "Photon (online)",
    "arcgis": "ArcGIS (online)",
}


def source_words(provenance: Provenance) -> str:
    """Return ``source_text`` in plain words for a reader ("country outline", "News Atlas landmarks,
    near miss"); a data set without words keeps its name."""
    if provenance.step in (Step.CORRECTION, Step.ADDED):
        return source_text(provenance)
    words = DATASET_WORDS.get(provenance.dataset, provenance.dataset)
    if provenance.match is Match.NEAR_MISS:
        words += ", near miss"
    if provenance.fallback:
        words += ", offline (the online service failed)"
    return words
