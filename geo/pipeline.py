"""The whole pipeline: article text in, resolved and categorised place mentions out."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from geopy.location import Location
from spacy.language import Language

from geo import categorize, extract, resolve
from geo.corrections import Corrections, article_id
from geo.errors import GeocoderError
from geo.gazetteer import Gazetteer, open_gazetteer
from geo.geocode import CachedGeocoder, GazetteerGeocoder, Geocoder
from geo.normalize import name_key
from geo.online import ASK_ONLINE, from_environment
from geo.values import Candidate, MappedPlace, Mention, Place, PlaceMention

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ParseResult:
    """The place mentions of one text, in order, and what went wrong on the way (for the user)."""

    mentions: tuple[PlaceMention, ...]
    warnings: tuple[str, ...] = ()

    @property
    def places(self) -> list[MappedPlace]:
        """Return each placed place once with its mentions, most mentioned first."""
        return group_places(self.mentions)


class Geoparser:
    """Find, resolve and categorise the places in articles. Load once, parse many.

    ``geocoder`` places the names the gazetteer has no entry for (offline: near misses).
    ``online``, when given, is asked first: for those names only (``ask_online="unplaced"``) or
    for every name (``"all"``); when it fails, the offline answer stands and a warning says so.
    """

    def __init__(
        self,
        *,
        gazetteer: Gazetteer,
        nlp: Language | None = None,
        geocoder: Geocoder | None = None,
        online: Geocoder | None = None,
        ask_online: str = "unplaced",
        corrections: Corrections | None = None,
    ) -> None:
        if ask_online not in ASK_ONLINE:
            raise ValueError(f"ask_online must be one of {ASK_ONLINE}")
        self.gazetteer = gazetteer
        self.nlp = nlp or extract.load_pipeline(gazetteer)
        self.geocoder = geocoder or CachedGeocoder(GazetteerGeocoder(gazetteer))
        self.online = online
        self.ask_online = ask_online
        self.corrections = corrections

    @classmethod
    def default(
        cls,
        *,
        progress: Callable[[str], None] | None = None,
        service: str | None = None,
        url: str | None = None,
        ask_online: str = "unplaced",
    ) -> Geoparser:
        """Return a Geoparser with the offline gazetteer (built if needed), the geocode cache and
        the user's corrections in cache/.

        ``service`` and ``url`` choose an online geocoder (default: ``$GEO_GEOCODER``, else
        offline); its answers are cached too.
        """
        online = from_environment(service, url)
        return cls(
            gazetteer=open_gazetteer(progress=progress),
            online=CachedGeocoder(online) if online is not None else None,
            ask_online=ask_online,
            corrections=Corrections(),
        )

    def with_online(
        self, online: Geocoder | None, ask_online: str = "unplaced", corrections: Corrections | None = None
    ) -> Geoparser:
        """Return a Geoparser sharing this one's model and gazetteer, with other geocoding settings."""
        return Geoparser(
            gazetteer=self.gazetteer,
            nlp=self.nlp,
            geocoder=self.geocoder,
            online=online,
            ask_online=ask_online,
            corrections=corrections or self.corrections,
        )

    def parse(self, text: str) -> ParseResult:
        """Return every place mention in ``text``, in order, each with its place or None."""
        return next(self.parse_many([text]))

    def parse_many(self, texts: Iterable[str]) -> Iterator[ParseResult]:
        """Yield the result of each text; the model runs over them in batches."""
        texts = list(texts)
        for text, mentions in zip(texts, extract.extract(self.nlp, texts), strict=True):
            yield self._locate(text, mentions)

    def _locate(self, text: str, mentions: Sequence[Mention]) -> ParseResult:
        resolutions, context = resolve.resolve_article(mentions, text, self.gazetteer)
        focus = context.focus_countries()
        chosen: dict[Mention, tuple[Candidate, str]] = {}
        # One call per distinct name and geocoder per article.
        online_answers: dict[str, Location | GeocoderError | None] = {}
        offline_answers: dict[str, Location | None] = {}
        failures: dict[str, str] = {}
        corrected = self.corrections.for_article(article_id(text)) if self.corrections else {}
        for resolution in resolutions:
            mention = resolution.mention
            correction = corrected.get(name_key(mention.text))
            if correction is not None:  # a person's choice wins
                chosen[mention] = (correction.candidate(), "correction")
                continue
            if self.online is not None and (self.ask_online == "all" or resolution.chosen is None):
                if mention.text not in online_answers:
                    online_answers[mention.text] = self._ask(self.online, mention.text, focus)
                answer = online_answers[mention.text]
                if isinstance(answer, Location):
                    chosen[mention] = (location_candidate(answer), _geocoded_source(answer))
                    continue
                if isinstance(answer, GeocoderError):
                    failures[mention.text] = str(answer)
            if resolution.chosen is not None:
                fallback = mention.text in failures
                source = resolution.chosen.source + (":offline-fallback" if fallback else "")
                chosen[mention] = (resolution.chosen, source)
                continue
            if mention.text not in offline_answers:
                answer = self._ask(self.geocoder, mention.text, focus)
                offline_answers[mention.text] = answer if isinstance(answer, Location) else None
            location = offline_answers[mention.text]
            if location is not None:
                source = _geocoded_source(location) + (":offline-fallback" if mention.text in failures else "")
                chosen[mention] = (location_candidate(location), source)
        warnings = ()
        if failures:
            reason = next(iter(failures.values()))
            warnings = (
                f"The online geocoder failed for {len(failures)} name(s) ({reason}); "
                "those places use the offline gazetteer's answer, and will be asked again next time.",
            )
        considered = {r.mention: r.candidates for r in resolutions}
        return ParseResult(tuple(self._placed(text, mentions, chosen, considered)), warnings)

    @staticmethod
    def _placed(
        text: str,
        mentions: Sequence[Mention],
        chosen: dict[Mention, tuple[Candidate, str]],
        considered: dict[Mention, tuple[Candidate, ...]],
    ) -> Iterator[PlaceMention]:
        by_place: dict[str, list[Mention]] = {}
        for mention, (candidate, _source) in chosen.items():
            by_place.setdefault(candidate.key, []).append(mention)
        kinds: dict[str, str] = {}
        for candidate, _source in chosen.values():
            if candidate.key not in kinds:
                kinds[candidate.key] = categorize.categorize(
                    candidate.feature, candidate.kind, by_place[candidate.key], text
                )
        for mention in mentions:
            if mention not in chosen:
                # A building or street the model found and nothing could place ("City Hall",
                # "Main Street") is noise on a map; an unplaced country or town name is kept.
                if mention.label != "FAC":
                    yield PlaceMention(mention, None, considered.get(mention, ()))
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
            yield PlaceMention(mention, place, considered.get(mention, ()))

    @staticmethod
    def _ask(geocoder: Geocoder, query: str, focus: Sequence[str]) -> Location | GeocoderError | None:
        try:
            return geocoder.geocode(query, country_codes=focus)
        except GeocoderError as err:
            # One name that can't be placed never costs the article its other places; the user
            # hears of it once, through ParseResult.warnings.
            log.info("could not geocode %r: %s", query, err)
            return err


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
        feature=str(raw.get("feature") or ""),
        country=raw.get("country"),
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
