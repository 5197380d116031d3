"""The whole pipeline: article text in, resolved and categorised place mentions out."""

from __future__ import annotations

import bisect
import itertools
import logging
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from geopy.location import Location
from spacy.language import Language

from geo.core.errors import GeocoderError, InputError, OverBudget
from geo.core.normalize import name_key
from geo.core.provenance import Provenance, Step
from geo.core.values import Candidate, Entity, Mention, Place, PlaceMention
from geo.gazetteer import Gazetteer, open_gazetteer
from geo.parse.parsed import ParseResult  # defined apart, so that reading a cached parse needs no spaCy
from geo.recognize import extract
from geo.recognize.demonyms import FINDER as DEMONYM
from geo.resolve import categorize, resolver
from geo.resolve.geocode import CachedGeocoder, GazetteerGeocoder, Geocoder, location_candidate
from geo.resolve.online import ASK_ONLINE, from_environment
from geo.resolve.ranker import Ranker
from geo.resolve.resolver import Resolution
from geo.store.corrections import Corrections, Edits, article_id

__all__ = ["MAX_ADDED_OCCURRENCES", "Geoparser", "ParseResult", "Placement", "categorize_places", "edited_mentions"]

log = logging.getLogger(__name__)


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
        nlp: Language | _Model | None = None,
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
        self._model = nlp if isinstance(nlp, _Model) else _Model(gazetteer, nlp)
        self.geocoder = geocoder if geocoder is not None else CachedGeocoder(GazetteerGeocoder(gazetteer))
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
            nlp=self._model,
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
            nlp=self._model,
            geocoder=self.geocoder,
            online=self.online,
            ask_online=self.ask_online,
            corrections=self.corrections,
            ranker=self.ranker,
            demonyms=demonyms,
        )

    @property
    def nlp(self) -> Language:
        """The spaCy pipeline, loaded on first use (a parser whose model runs elsewhere, see
        ``locate``, never loads it) and shared with the parsers ``with_online`` and
        ``with_demonyms`` make."""
        return self._model.get()

    def parse(self, text: str) -> ParseResult:
        """Return every place mention in ``text``, in order, each with its place or None."""
        return next(self.parse_many([text]))

    def parse_many(self, texts: Iterable[str]) -> Iterator[ParseResult]:
        """Yield the result of each text as soon as its batch is parsed; the model runs over them
        in batches, and only a batch of texts is held at a time.

        Raises InputError for a text longer than the model reads, when the model comes to it
        (``geo.inputs.text.check_text`` says so per file first).
        """
        # tee keeps only the texts the model has read ahead of the results: one batch.
        for_model, for_results = itertools.tee(self._readable(texts))
        found = extract.extract_all(self.nlp, for_model, demonyms=self.demonyms)
        for text, (mentions, entities) in zip(for_results, found, strict=True):
            yield self._locate(text, mentions, entities)

    def readings(self, text: str, mentions: Sequence[Mention], start: int, end: int) -> list[Candidate]:
        """Return the places ``text[start:end]`` may name in this article, the resolver's choice first
        then its other candidates (ranked among the article's ``mentions``, as a parse would), then
        near misses; an empty list when the gazetteer knows no such name."""
        others = [m for m in mentions if m.end <= start or m.start >= end]
        mention = _added_mention(text, start, end, others)
        resolutions, _ = resolver.resolve_article(
            sorted([*others, mention], key=lambda m: (m.start, m.end)), text, self.gazetteer, self.ranker
        )
        found = next((r for r in resolutions if r.mention == mention), None)
        ranked = [] if found is None else [c for c in (found.chosen, *found.candidates) if c is not None]
        if not ranked:
            key = name_key(mention.text)
            ranked = [*self.gazetteer.variants(key), *self.gazetteer.fuzzy(key)]
        return list({c.place_id: c for c in ranked}.values())

    def _readable(self, texts: Iterable[str]) -> Iterator[str]:
        for text in texts:
            if len(text) > self.nlp.max_length:
                limit = self.nlp.max_length
                raise InputError(f"an article of {len(text):,} characters is longer than the {limit:,} read")
            yield text

    def locate(self, text: str, mentions: Sequence[Mention], entities: Sequence[Entity] = ()) -> ParseResult:
        """Return the result of ``text`` from what recognition found in it (``mentions`` and
        ``entities``, as ``geo.recognize.extract.extract_all`` yields them): the resolution,
        placement and category steps of ``parse``, for a model run elsewhere (geo.parse.worker)."""
        return self._locate(text, mentions, entities)

    def _locate(self, text: str, mentions: Sequence[Mention], entities: Sequence[Entity] = ()) -> ParseResult:
        edits = self.corrections.edits(article_id(text)) if self.corrections else Edits()
        mentions = edited_mentions(mentions, text, edits)
        resolutions, context = resolver.resolve_article(mentions, text, self.gazetteer, self.ranker)
        placer = _Placer(self, edits, context.focus_countries())
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
        return ParseResult(
            tuple(out), placer.warnings(), offline_only=len(placer.over_budget), entities=tuple(entities)
        )


class _Model:
    """The spaCy pipeline of a Geoparser and the parsers made from it: loaded once, on first use."""

    def __init__(self, gazetteer: Gazetteer, nlp: Language | None) -> None:
        self._gazetteer = gazetteer
        self._nlp = nlp
        self._lock = threading.Lock()

    def get(self) -> Language:
        with self._lock:  # two sessions' first parses must not load two models
            if self._nlp is None:
                self._nlp = extract.load_pipeline(self._gazetteer)
            return self._nlp


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

    1. a person's correction of that name in that article, or the place they gave a name they added;
    2. the online geocoder, when one is set, for every name or for names the gazetteer lacks;
    3. the resolver's choice among the gazetteer's candidates;
    4. the offline geocoder, which also tries near misses ("Tartou" for Tartus).

    Each geocoder is asked once per distinct name. An online failure leaves the offline answer
    standing (marked as a fallback) and is reported once, through ``warnings()``. A name the online
    geocoder was not asked for because its budget was spent (geo.resolve.online.BudgetedGeocoder)
    is no failure: it is left to the offline steps and counted (``over_budget``).
    """

    def __init__(self, parser: Geoparser, edits: Edits, focus: Sequence[str]) -> None:
        self.parser = parser
        self.corrected = edits.placed
        self.added = {name_key(written): correction for written, correction in edits.added.items()}
        self.focus = focus
        self.online_answers: dict[str, Location | GeocoderError | None] = {}
        self.offline_answers: dict[str, Location | GeocoderError | None] = {}
        self.failures: dict[str, str] = {}
        self.over_budget: set[str] = set()
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
        key = name_key(resolution.mention.text)
        correction = self.corrected.get(key)
        if correction is not None:
            return Placement(correction.candidate(), Provenance(Step.CORRECTION, "correction"))
        added = self.added.get(key)
        if added is not None:
            return Placement(added.candidate(), Provenance(Step.ADDED, "correction"))
        return None

    def by_online(self, resolution: Resolution) -> Placement | None:
        online = self.parser.online
        if online is None or resolution.mention.finder == DEMONYM:
            return None
        if self.parser.ask_online == "unplaced" and resolution.chosen is not None:
            return None
        name = resolution.mention.text
        answer = _ask_once(self.online_answers, online, name, self.focus)
        if isinstance(answer, OverBudget):
            self.over_budget.add(name)
            return None
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


#: Most occurrences of one added name made into mentions in an article (bounds the work of a
#: short, common string).
MAX_ADDED_OCCURRENCES = 1000
#: Where a sentence ends, for the excerpt of an added mention that no found mention's sentence holds.
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*\s+|\n\s*\n")
#: Longest excerpt of an added mention, in characters, around the name.
_EXCERPT_AROUND = 100


def edited_mentions(mentions: Sequence[Mention], text: str, edits: Edits) -> list[Mention]:
    """Return an article's mentions as a person edited them (``edits``), in order of position.

    Mentions of a name marked as not a place are dropped. Each name added becomes a mention at
    every occurrence of that exact string that stands as words of its own (not inside a longer
    word), at most ``MAX_ADDED_OCCURRENCES`` each; a found mention it overlaps gives way to it.
    """
    kept = [m for m in mentions if name_key(m.text) not in edits.removed]
    if not edits.added:
        return kept
    added: list[Mention] = []
    taken: list[tuple[int, int]] = []
    # Longer strings first: "Camp Bastion" wins over an added "Bastion" inside it.
    for written in sorted(edits.added, key=len, reverse=True):
        if name_key(written) in edits.removed:
            continue
        for start in _occurrences(text, written):
            end = start + len(written)
            if any(start < b and a < end for a, b in taken):
                continue
            taken.append((start, end))
            added.append(_added_mention(text, start, end, kept))
    kept = [m for m in kept if not any(m.start < b and a < m.end for a, b in taken)]
    return sorted([*kept, *added], key=lambda m: (m.start, m.end))


def _occurrences(text: str, written: str) -> Iterator[int]:
    """Yield where ``written`` stands in ``text`` as words of its own, at most MAX_ADDED_OCCURRENCES times."""
    found = 0
    at = text.find(written)
    while at != -1 and found < MAX_ADDED_OCCURRENCES:
        end = at + len(written)
        before = text[at - 1] if at > 0 else " "
        after = text[end] if end < len(text) else " "
        if not (before.isalnum() and written[0].isalnum()) and not (after.isalnum() and written[-1].isalnum()):
            found += 1
            yield at
        at = text.find(written, at + 1)


def _added_mention(text: str, start: int, end: int, found: Sequence[Mention]) -> Mention:
    """Return the Mention of an added name at ``text[start:end]``: its sentence is a found mention's
    when one holds it, else the text between sentence ends, cut to about 200 characters."""
    starts = [m.sent_start for m in found]
    index = bisect.bisect_right(starts, start) - 1
    if index >= 0 and found[index].sent_start <= start and end <= found[index].sent_end:
        holder = found[index]
        return Mention(start, end, text[start:end], "LOC", "person", holder.sent_start, holder.sent_end, holder.excerpt)
    lo = max((m.end() for m in _SENTENCE_END.finditer(text, max(0, start - 400), start)), default=max(0, start - 400))
    after = _SENTENCE_END.search(text, end, end + 400)
    hi = after.start() + 1 if after else min(len(text), end + 400)
    lo, hi = max(lo, start - _EXCERPT_AROUND), min(hi, end + _EXCERPT_AROUND)
    excerpt = " ".join(text[lo:hi].split())
    return Mention(start, end, text[start:end], "LOC", "person", lo, hi, excerpt)


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
            if not isinstance(err, OverBudget):  # not sent: counted in the result, not logged per name
                log.info("could not geocode %r: %s", query, err)
            answers[query] = err
    return answers[query]


def categorize_places(placed: Mapping[Mention, Placement], text: str) -> dict[str, str]:
    """Return the kind of each placed place (by place id), from its kind of feature and every
    mention of it in ``text`` (geo.resolve.categorize)."""
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
