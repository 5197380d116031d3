"""The whole pipeline: article text in, resolved and categorised place mentions out."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence

from geopy.location import Location
from spacy.language import Language

from geo import categorize, extract, resolve
from geo.errors import GeocoderError
from geo.gazetteer import Gazetteer, open_gazetteer
from geo.geocode import CachedGeocoder, GazetteerGeocoder, Geocoder
from geo.values import Candidate, MappedPlace, Mention, Place, PlaceMention

log = logging.getLogger(__name__)


class Geoparser:
    """Find, resolve and categorise the places in articles. Load once, parse many."""

    def __init__(self, *, gazetteer: Gazetteer, nlp: Language | None = None, geocoder: Geocoder | None = None) -> None:
        self.gazetteer = gazetteer
        self.nlp = nlp or extract.load_pipeline(gazetteer)
        self.geocoder = geocoder or CachedGeocoder(GazetteerGeocoder(gazetteer))

    @classmethod
    def default(cls, *, progress: Callable[[str], None] | None = None) -> Geoparser:
        """Return a Geoparser with the offline gazetteer (built if needed) and the cache in cache/."""
        return cls(gazetteer=open_gazetteer(progress=progress))

    def parse(self, text: str) -> list[PlaceMention]:
        """Return every place mention in ``text``, in order, each with its place or None."""
        return next(self.parse_many([text]))

    def parse_many(self, texts: Iterable[str]) -> Iterator[list[PlaceMention]]:
        """Yield the place mentions of each text; the model runs over them in batches."""
        texts = list(texts)
        for text, mentions in zip(texts, extract.extract(self.nlp, texts), strict=True):
            yield self._locate(text, mentions)

    def _locate(self, text: str, mentions: Sequence[Mention]) -> list[PlaceMention]:
        resolutions = resolve.resolve(mentions, text, self.gazetteer)
        focus = resolve.article_context_of(resolutions).focus_countries()
        chosen: dict[Mention, tuple[Candidate, str]] = {}
        asked: dict[str, Location | None] = {}  # one geocoder call per distinct name per article
        for resolution in resolutions:
            mention = resolution.mention
            if resolution.chosen is not None:
                chosen[mention] = (resolution.chosen, resolution.chosen.source)
                continue
            if mention.text not in asked:
                asked[mention.text] = self._geocode(mention.text, focus)
            location = asked[mention.text]
            if location is not None:
                candidate = location_candidate(location)
                chosen[mention] = (candidate, _geocoded_source(location))
        by_place: dict[str, list[Mention]] = {}
        for mention, (candidate, _source) in chosen.items():
            by_place.setdefault(candidate.key, []).append(mention)
        kinds: dict[str, str] = {}
        for candidate, _source in chosen.values():
            if candidate.key not in kinds:
                kinds[candidate.key] = categorize.categorize(
                    candidate.feature, candidate.kind, by_place[candidate.key], text
                )
        out = []
        for mention in mentions:
            if mention not in chosen:
                # A building or street the model found and nothing could place ("City Hall",
                # "Main Street") is noise on a map; an unplaced country or town name is kept.
                if mention.label != "FAC":
                    out.append(PlaceMention(mention, None))
                continue
            candidate, source = chosen[mention]
            place = Place(
                key=candidate.key,
                name=candidate.name,
                lat=candidate.lat,
                lon=candidate.lon,
                kind=kinds[candidate.key],
                country=candidate.country,
                feature=candidate.feature,
                source=source,
            )
            out.append(PlaceMention(mention, place))
        return out

    def _geocode(self, query: str, focus: Sequence[str]) -> Location | None:
        try:
            return self.geocoder.geocode(query, country_codes=focus)
        except GeocoderError as err:
            # One name that can't be placed never costs the article its other places.
            log.warning("could not geocode %r: %s", query, err)
            return None


def location_candidate(location: Location) -> Candidate:
    """Return a Candidate for a geocoder's Location (a gazetteer Location keeps all its fields)."""
    raw = location.raw if isinstance(location.raw, dict) else {}
    fields = {name: raw[name] for name in Candidate.__dataclass_fields__ if name in raw}
    if {"id", "name", "feature", "source"} <= fields.keys():
        fields.update(lat=location.latitude, lon=location.longitude)
        return Candidate(**{"country": None, "admin1": None, "population": 0, **fields})
    return Candidate(
        id=-1,
        name=location.address,
        feature="",
        country=None,
        admin1=None,
        lat=location.latitude,
        lon=location.longitude,
        population=0,
        source=str(raw.get("source", "geocoder")),
        ref=f"{location.latitude:.5f},{location.longitude:.5f}",
    )


def _geocoded_source(location: Location) -> str:
    raw = location.raw if isinstance(location.raw, dict) else {}
    source = str(raw.get("source", "geocoder"))
    return f"{source}:fuzzy" if raw.get("match") == "fuzzy" else source


def group_places(place_mentions: Iterable[PlaceMention]) -> list[MappedPlace]:
    """Return each placed place once with all its mentions, most mentioned first."""
    places: dict[str, Place] = {}
    mentions: dict[str, list[Mention]] = {}
    for item in place_mentions:
        if item.place is None:
            continue
        places.setdefault(item.place.key, item.place)
        mentions.setdefault(item.place.key, []).append(item.mention)
    grouped = [MappedPlace(places[key], tuple(found)) for key, found in mentions.items()]
    return sorted(grouped, key=lambda mapped: (-len(mapped.mentions), mapped.place.name))
