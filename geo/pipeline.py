"""The whole pipeline: article text in, resolved and categorised place mentions out."""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from geopy.location import Location
from spacy.language import Language

from geo import categorize, extract, resolve
from geo.corrections import Correction, Corrections, article_id
from geo.errors import GeocoderError, InputError
from geo.gazetteer import Gazetteer, open_gazetteer
from geo.geocode import CachedGeocoder, GazetteerGeocoder, Geocoder, location_candidate
from geo.normalize import name_key
from geo.online import ASK_ONLINE, from_environment
from geo.places import group_places
from geo.provenance import Provenance, Step
from geo.ranker import Ranker
from geo.recognize.demonyms import FINDER as DEMONYM
from geo.resolve import Resolution
from geo.values import Candidate, MappedPlace, Mention, Place, PlaceMention

__all__ = ["Geoparser", "ParseResult", "Placement", "categorize_places"]

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

    ``geocoder`` places the names the gazetteer has no entry for (offline: near misses);
    ``ranker`` weighs the resolver's evidence (default: the shipped weights).
    ``online``, when given, is asked first: for those names only (``ask_online="unplaced"``) or
    for every name (``"all"``); when it fails, the offline answer stands and a warning says so.
    ``demonyms``: map the words for a country's people ("Russian forces", "Syrians") to their
    country; off by default, since an actor is not a place (geo.recognize.demonyms).
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
        ranker: Ranker | None = None,
        demonyms: bool = False,
    ) -> None:
        if ask_online not in ASK_ONLINE:
            raise ValueError(f"ask_online must be one of {ASK_ONLINE}")
        self.gazetteer = gazetteer
        self.ranker = ranker or Ranker.load()
        self.nlp = nlp or extract.load_pipeline(gazetteer)
        self.geocoder = geocoder or CachedGeocoder(GazetteerGeocoder(gazetteer))
        self.online = online
        self.ask_online = ask_online
        self.corrections = corrections
        self.demonyms = demonyms

    @classmethod
    def default(
        cls,
        *,
        progress: Callable[[str], None] | None = None,
        service: str | None = None,
        url: str | None = None,
        ask_online: str = "unplaced",
        demonyms: bool = False,
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
            demonyms=demonyms,
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
            ranker=self.ranker,
            demonyms=self.demonyms,
        )

    def with_demonyms(self, demonyms: bool) -> Geoparser:
        """Return a Geoparser sharing this one's model, gazetteer and geocoding, with demonyms
        ("Russian forces") mapped to their country or not (for a checkbox in the app)."""
        return Geoparser(
            gazetteer=self.gazetteer,
            nlp=self.nlp,
            geocoder=self.geocoder,
            online=self.online,
            ask_online=self.ask_online,
            corrections=self.corrections,
            ranker=self.ranker,
            demonyms=demonyms,
        )

    def parse(self, text: str) -> ParseResult:
        """Return every place mention in ``text``, in order, each with its place or None."""
        return next(self.parse_many([text]))

    def parse_many(self, texts: Iterable[str]) -> Iterator[ParseResult]:
        """Yield the result of each text as soon as its batch is parsed; the model runs over them
        in batches, and only a batch of texts is held at a time.

        Raises InputError for a text longer than the model reads, when the model comes to it
        (``geo.text.check_text`` says so per file first).
        """
        # tee keeps only the texts the model has read ahead of the results: one batch.
        for_model, for_results = itertools.tee(self._readable(texts))
        found = extract.extract(self.nlp, for_model, demonyms=self.demonyms)
        for text, mentions in zip(for_results, found, strict=True):
            yield self._locate(text, mentions)

    def _readable(self, texts: Iterable[str]) -> Iterator[str]:
        for text in texts:
            if len(text) > self.nlp.max_length:
                limit = self.nlp.max_length
                raise InputError(f"an article of {len(text):,} characters is longer than the {limit:,} read")
            yield text

    def _locate(self, text: str, mentions: Sequence[Mention]) -> ParseResult:
        resolutions, context = resolve.resolve_article(mentions, text, self.gazetteer, self.ranker)
        corrected = self.corrections.for_article(article_id(text)) if self.corrections else {}
        placer = _Placer(self, corrected, context.focus_countries())
        placed = {r.mention: p for r in resolutions if (p := placer.place(r)) is not None}
        kinds = categorize_places(placed, text)
        considered = {r.mention: r.candidates for r in resolutions}
        out = []
        for mention in mentions:
            placement = placed.get(mention)
            if placement is None:
                # A building or street the model found and nothing could place ("City Hall",
                # "Main Street") is noise on a map; an unplaced country or town name is kept.
                if mention.label != "FAC":
                    out.append(PlaceMention(mention, None, considered.get(mention, ())))
                continue
            place = placement.place(kinds[placement.candidate.place_id])
            out.append(PlaceMention(mention, place, considered.get(mention, ())))
        return ParseResult(tuple(out), placer.warnings())


@dataclass(frozen=True)
class Placement:
    """Where a mention was placed: the chosen candidate, and where that answer came from."""

    candidate: Candidate
    provenance: Provenance

    def place(self, kind: str) -> Place:
        """Return the Place of this placement, shown as ``kind``."""
        candidate = self.candidate
        return Place(
            place_id=candidate.place_id,
            name=candidate.name,
            lat=candidate.lat,
            lon=candidate.lon,
            kind=kind,
            country=candidate.country,
            feature=candidate.feature,
            provenance=self.provenance,
        )


class _Placer:
    """The placement steps of one article, tried in order; the first answer wins.

    1. a person's correction of that name in that article;
    2. the online geocoder, when one is set, for every name or for names the gazetteer lacks;
    3. the resolver's choice among the gazetteer's candidates;
    4. the offline geocoder, which also tries near misses ("Tartou" for Tartus).

    Each geocoder is asked once per distinct name. An online failure leaves the offline answer
    standing (marked as a fallback) and is reported once, through ``warnings()``.
    """

    def __init__(self, parser: Geoparser, corrected: dict[str, Correction], focus: Sequence[str]) -> None:
        self.parser = parser
        self.corrected = corrected
        self.focus = focus
        self.online_answers: dict[str, Location | GeocoderError | None] = {}
        self.offline_answers: dict[str, Location | GeocoderError | None] = {}
        self.failures: dict[str, str] = {}
        self.steps: tuple[Callable[[Resolution], Placement | None], ...] = (
            self.by_correction,
            self.by_online,
            self.by_resolver,
            self.by_geocoder,
        )

    def place(self, resolution: Resolution) -> Placement | None:
        """Return the first step's placement of a resolved mention, or None."""
        for step in self.steps:
            placement = step(resolution)
            if placement is not None:
                return placement
        return None

    def by_correction(self, resolution: Resolution) -> Placement | None:
        correction = self.corrected.get(name_key(resolution.mention.text))
        if correction is None:
            return None
        return Placement(correction.candidate(), Provenance(Step.CORRECTION, "correction"))

    def by_online(self, resolution: Resolution) -> Placement | None:
        online = self.parser.online
        if online is None or resolution.mention.finder == DEMONYM:
            return None
        if self.parser.ask_online == "unplaced" and resolution.chosen is not None:
            return None
        name = resolution.mention.text
        answer = _ask_once(self.online_answers, online, name, self.focus)
        if isinstance(answer, GeocoderError):
            self.failures[name] = str(answer)
            return None
        if answer is None:
            return None
        candidate = location_candidate(answer)
        return Placement(candidate, Provenance(Step.ONLINE, candidate.dataset, candidate.match))

    def by_resolver(self, resolution: Resolution) -> Placement | None:
        chosen = resolution.chosen
        if chosen is None:
            return None
        fallback = resolution.mention.text in self.failures
        return Placement(chosen, Provenance(Step.GAZETTEER, chosen.dataset, chosen.match, fallback=fallback))

    def by_geocoder(self, resolution: Resolution) -> Placement | None:
        if resolution.mention.finder == DEMONYM:
            return None  # "Russians" is its country or nothing, never a near miss of a town
        name = resolution.mention.text
        answer = _ask_once(self.offline_answers, self.parser.geocoder, name, self.focus)
        if not isinstance(answer, Location):
            return None
        candidate = location_candidate(answer)
        provenance = Provenance(Step.NEAR_MISS, candidate.dataset, candidate.match, fallback=name in self.failures)
        return Placement(candidate, provenance)

    def warnings(self) -> tuple[str, ...]:
        """Return what the user should hear about this article's geocoding (at most one line)."""
        if not self.failures:
            return ()
        reason = next(iter(self.failures.values()))
        return (
            f"The online geocoder failed for {len(self.failures)} name(s) ({reason}); "
            "those places use the offline gazetteer's answer, and will be asked again next time.",
        )


def _ask_once(
    answers: dict[str, Location | GeocoderError | None], geocoder: Geocoder, query: str, focus: Sequence[str]
) -> Location | GeocoderError | None:
    """Return ``geocoder``'s answer for ``query``, asking it only the first time (``answers``)."""
    if query not in answers:
        try:
            answers[query] = geocoder.geocode(query, country_codes=focus)
        except GeocoderError as err:
            # One name that can't be placed never costs the article its other places; the user
            # hears of it once, through ParseResult.warnings.
            log.info("could not geocode %r: %s", query, err)
            answers[query] = err
    return answers[query]


def categorize_places(placed: Mapping[Mention, Placement], text: str) -> dict[str, str]:
    """Return the kind of each placed place (by place id), from its kind of feature and every
    mention of it in ``text`` (geo.categorize)."""
    by_place: dict[str, list[Mention]] = {}
    candidates: dict[str, Candidate] = {}
    for mention, placement in placed.items():
        place_id = placement.candidate.place_id
        by_place.setdefault(place_id, []).append(mention)
        candidates.setdefault(place_id, placement.candidate)
    return {
        place_id: categorize.categorize(candidate.feature, candidate.kind_hint, by_place[place_id], text)
        for place_id, candidate in candidates.items()
    }
