"""Stage 2, resolution: choose, for each mention, the place the article most likely means.

Each distinct name is looked up once. Its candidates are ranked by their prior (population and
kind of place, see geo.gazetteer.build) plus what the article says around them:

- the countries in play: every name the article uses votes for the countries of its readings,
  split by how likely each is a priori (the likeliest reading per country), weighted by 1 + log2
  of how often it is named (its repeats are evidence told again, not new evidence); a name
  never votes for its own reading;
- the first-level areas in play ("Latakia province" makes the cities of Latakia likelier);
- the words at the mention (geo.recognize.kind_cues): "X province" or "X County" asks for an area, "the city
  of X" for a town, "the port of X", "X air base", "the Red Sea", "Lake X" for their kinds, and
  "X, State" for a place in that state;
- a capital or world city is not overturned by a weak lean towards another country: its name's
  readings elsewhere get no more of the article's lean than the city's own country has; and no
  reading a million times less likely than its name's likeliest, or a hundred times less likely
  than a region or sea in no one country, gets anything from the context unless the text
  qualifies the name ("Italy" in Texan news is Italy, "the Middle East" in US news the region;
  "Italy, Texas" is the town);
- closeness to where the article's other names were placed (a second pass);
- support from the article's other names for its first-level area: "Huntsville" and "Walker
  County" both have a reading in Texas, "Gainesville" and "Hall County" in Georgia, so each
  makes the other's Texan or Georgian reading likelier (``AreaSupport``), whichever reading the
  population alone would pick; weighed by the country's share of the article, or of the name's
  own readings when they all lie in one country ("Henry County" beside one "Paris").

"North Arlington" in an article that names Arlington is a part of Arlington, not the New Jersey
town (``_part_of_named``).

A demonym's mention ("Russian forces", when ``Geoparser(demonyms=True)`` asks for them) has one
candidate: its country (``mention_key`` gives it the key "demonym:RU").

One name has one sense per article unless a mention's own words choose another (``one_sense``).

Each of these is a feature (``features`` returns a ``geo.resolve.ranker.Features``); a ``Ranker`` scores
a candidate as their weighted sum (the shipped weights, or others learned on the tune splits by
``python -m geo.eval.train``).
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from geo.core.features import Feature, Group
from geo.core.geometry import NearestPoints, great_circle_km
from geo.core.normalize import INITIALS_KEY, initials_key, initials_of, is_dotted_initials, name_key
from geo.core.provenance import Match
from geo.core.values import Candidate, Mention
from geo.gazetteer import Gazetteer
from geo.recognize.cues import demonyms
from geo.recognize.demonyms import FINDER as DEMONYM
from geo.recognize.demonyms import country_of
from geo.recognize.kind_cues import AREA_NAME_WORDS, AREA_SUFFIX, cue_groups
from geo.resolve.ranker import Features, Ranker

__all__ = [
    "AreaSupport",
    "Context",
    "Explained",
    "Resolution",
    "Rivals",
    "explain",
    "features",
    "mention_key",
    "resolve",
    "resolve_article",
]

#: Closeness to the article's other places is worth its full weight at 0 km, nothing beyond this.
PROXIMITY_KM = 2000.0
#: A name's best candidate must beat its runner-up by this much to count as unambiguous context.
CONFIDENT_MARGIN = 1.0
#: A lean towards one country this strong (its share of the article's confident places) may
#: overturn a capital or world city of another country where the name has another reading
#: ("London" in local US news); a weaker one may not, nor a lean towards a country where the
#: name means nothing else (an article about Syria does not make Geneva a US town).
STRONG_LEAN = 0.5
#: A reading of a name supports its first-level area fully when it is the name's likeliest reading
#: (of those in a first-level area), less the further its prior falls below that, nothing once
#: it is this far below (a village of the same name in every state supports none of them).
SUPPORT_SPAN = 4.0
#: The same of a neighbour: as close to a place the article names as about 200 km (London,
#: Ontario beside Toronto).
LOCAL_CLOSENESS = 0.3
#: The same of the article's other names (``AreaSupport.local_of``): three quarters of a name
#: whose likeliest reading lies in the namesake's first-level area.
LOCAL_SUPPORT = 0.75
#: A reading this much less likely a priori than its name's likeliest (log10: a million times)
#: gets nothing from the article's context unless the text qualifies the name ("Italy, Texas").
IMPLAUSIBLE_GAP = 6.0
#: The same against a wide place in no one country (a region, a sea), from a hundred times.
WIDE_GAP = 2.0
_COMMA_ONLY = re.compile(r",\s*$")
_DEMONYM_KEY = "demonym:"


def mention_key(mention: Mention) -> str:
    """Return the key a mention's candidates are looked up by: its name key, or for a demonym
    ("Syrians") "demonym:" and its country's ISO code ("demonym:SY"; "demonym:" alone when the
    table does not know it); for initials written with their stops ("L.A."), "initials:" and
    their key ("initials:la")."""
    if mention.finder != DEMONYM:
        return initials_key(mention.text) if is_dotted_initials(mention.text) else name_key(mention.text)
    country = country_of(mention.text)
    return _DEMONYM_KEY + (country[0] if country else "")


@dataclass(frozen=True)
class Resolution:
    """A mention, the place chosen for it (None if the gazetteer has no candidate) and the rest."""

    mention: Mention
    chosen: Candidate | None
    candidates: tuple[Candidate, ...]


@dataclass(frozen=True)
class Context:
    """What an article says about where it is: which names vote for which country, and areas."""

    #: name key -> (how its vote splits between countries, its mentions). A name votes for the
    #: countries of its readings in proportion to how likely each is a priori (10 ** prior, the
    #: likeliest per country): "Aleppo" all for Syria, "Ontario" mostly for Canada, a name as
    #: likely in two countries half for each. A name is evidence even when it is ambiguous.
    votes: dict[str, tuple[dict[str, float], int]]
    admin1: frozenset[tuple[str, str]]

    def country_votes(self, excluding: str | None = None) -> dict[str, float]:
        """Return each country's votes (each name's, 1 + log2 of its mentions, split as its vote
        splits), leaving out the votes of one name key."""
        weights: dict[str, float] = {}
        for key, (split, count) in self.votes.items():
            if key != excluding:
                # A name's repeats are one piece of evidence told again, not as many independent
                # ones: six "Erie" outvote two Ontario towns by less than six to two.
                weight = 1.0 + math.log2(count)
                for country, part in split.items():
                    weights[country] = weights.get(country, 0.0) + part * weight
        return weights

    def country_share(self, excluding: str | None = None) -> dict[str, float]:
        """Return each country's share of the votes, leaving out the votes of one name key.

        An ambiguous name must not vote for its own reading: "Paris" would otherwise pull
        itself to France in an article about Texas.
        """
        weights = self.country_votes(excluding)
        total = sum(weights.values()) or 1
        return {country: count / total for country, count in weights.items()}

    def focus_countries(self, n: int = 3) -> tuple[str, ...]:
        """Return the article's n most prominent countries, most prominent first."""
        ranked = sorted(self.country_share().items(), key=lambda item: -item[1])
        return tuple(code for code, _share in ranked[:n])


@dataclass(frozen=True)
class Rivals:
    """The countries a name's readings lie in, those of its capitals, world cities and countries
    (``majors``: the readings that hold the name against namesakes), and how
    likely its likeliest reading is."""

    countries: frozenset[str]
    majors: frozenset[str]
    #: The prior of the name's likeliest reading.
    top: float = -math.inf
    #: Whether that reading is a wide place in no one country: a region, a sea, a continent.
    wide: bool = False

    @classmethod
    def of(cls, candidates: Sequence[Candidate]) -> Rivals:
        """Return the Rivals of a name's candidates."""
        likeliest = max(candidates, key=lambda c: c.prior, default=None)
        return cls(
            frozenset(c.country for c in candidates if c.country),
            frozenset(
                c.country
                for c in candidates
                if c.country
                and (c.feature.is_in(Group.MAJOR) or c.feature is Feature.COUNTRY)
                and c.match is not Match.ALIAS  # not Amman as "Philadelphia"
            ),
            likeliest.prior if likeliest else -math.inf,
            likeliest is not None and likeliest.country is None and likeliest.feature.is_in(Group.WIDE),
        )


@dataclass(frozen=True)
class Explained:
    """A mention, its candidates (likeliest a priori first) and each candidate's features."""

    mention: Mention
    candidates: tuple[Candidate, ...]
    features: tuple[Features, ...]


def resolve(mentions: Sequence[Mention], text: str, gazetteer: Gazetteer, ranker: Ranker) -> list[Resolution]:
    """Return one Resolution per mention, in the mentions' order: the best-scoring candidate."""
    return resolve_article(mentions, text, gazetteer, ranker)[0]


def resolve_article(
    mentions: Sequence[Mention], text: str, gazetteer: Gazetteer, ranker: Ranker
) -> tuple[list[Resolution], Context]:
    """Return the Resolutions of an article's mentions, and what the article says about where it is."""
    context, explained = explain(mentions, text, gazetteer, ranker)
    choices = one_sense(explained, ranker)
    return [Resolution(item.mention, choices.get(item.mention), item.candidates) for item in explained], context


def _best(item: Explained, ranker: Ranker) -> Candidate | None:
    best, best_value = None, -math.inf
    for candidate, value in zip(item.candidates, ranker.scores(item.features), strict=True):  # first of equals wins
        if value > best_value:
            best, best_value = candidate, value
    return best


def _marked(values: Sequence[Features]) -> bool:
    """Return True when a mention's own words choose among its candidates (a qualifier after it
    or a phrase such as "X province"), so it keeps its own reading."""
    return any(v.qualifier or v.area_cue or v.town_cue or v.class_cue for v in values)


def one_sense(explained: Sequence[Explained], ranker: Ranker) -> dict[Mention, Candidate | None]:
    """Return each mention's chosen candidate, one sense per name per article.

    Mentions of a name whose own words choose nothing share one reading: the one a qualified
    mention of that name chose ("Geneva, Ill." then "Geneva"), if exactly one reading was so
    chosen, else the best summed score over the plain mentions. A marked mention keeps its own.
    """
    by_key: dict[str, list[Explained]] = {}
    for item in explained:
        by_key.setdefault(mention_key(item.mention), []).append(item)
    chosen: dict[Mention, Candidate | None] = {}
    for items in by_key.values():
        marked = [item for item in items if _marked(item.features)]
        plain = [item for item in items if not _marked(item.features)]
        for item in marked:
            chosen[item.mention] = _best(item, ranker)
        if not plain:
            continue
        qualified = {
            chosen[item.mention]
            for item in marked
            if any(v.qualifier for v in item.features) and chosen[item.mention] is not None
        }
        if len(qualified) == 1:
            shared = next(iter(qualified))
        else:
            totals = [0.0] * len(plain[0].candidates)
            scored: dict[tuple[Features, ...], list[float]] = {}  # mentions alike share their rows
            for item in plain:
                if item.features not in scored:
                    scored[item.features] = ranker.scores(item.features)
                totals = [a + b for a, b in zip(totals, scored[item.features], strict=True)]
            shared = plain[0].candidates[max(range(len(totals)), key=totals.__getitem__)] if totals else None
        for item in plain:
            chosen[item.mention] = shared
    return chosen


def explain(
    mentions: Sequence[Mention], text: str, gazetteer: Gazetteer, ranker: Ranker
) -> tuple[Context, list[Explained]]:
    """Return the article's context and, per mention, its candidates and each one's features
    (what resolve() weighs with ``ranker``).

    Two passes: the first ranks without closeness; the second adds closeness to where the first
    put the article's other names.
    """
    # Each name's own candidates; a name the gazetteer lacks that names a part or a site of a
    # place ("Paris City Hall") takes that place's, and counts as that place's name ("paris")
    # in the article's context: it must not vote for, support or stand near its own reading.
    own: dict[str, tuple[Candidate, ...]] = {}
    part_of: dict[str, str] = {}
    for mention in mentions:
        key = mention_key(mention)
        if key not in own:
            own[key] = _candidates(gazetteer, key)
            inner = None if own[key] else _inner_key(gazetteer, key)
            if inner is not None:
                part_of[key] = inner
                # Their match stays as the place's name matched: marking them all alike would hide
                # that "philadelphia" is Philadelphia's own name and only an old name of Amman.
                own[key] = _candidates(gazetteer, inner)
    # "North Arlington" in an article about Arlington is a part of it (``_part_of_named``).
    for key in list(own):
        inner = _part_of_named(key, own)
        if inner is not None:
            part_of[key] = inner
            own[key] = own[inner]
    by_key: dict[str, list[Mention]] = {}
    for mention in mentions:
        key = mention_key(mention)
        by_key.setdefault(part_of.get(key, key), []).append(mention)
    asked_area = {mention_key(m) for m in mentions if Group.AREA in cue_groups(m, text)}
    for key in asked_area:
        own[key] = _with_areas(gazetteer, key, own[key])
    candidates = {key: own[key] if key in own else _candidates(gazetteer, key) for key in by_key}
    context = article_context(by_key, candidates)
    qualifiers = _qualifiers(mentions, text, own)
    rivals = {key: Rivals.of(options) for key, options in own.items()}
    homes = {name: _home_split(context, part_of.get(name, name), options) for name, options in own.items()}
    support = AreaSupport(candidates)
    anchors: dict[str, set[tuple[float, float]]] = {}
    for key, group in by_key.items():
        shares = context.country_share(excluding=key)
        for mention in group:
            name = mention_key(mention)
            qualifier = qualifiers.get(mention)
            first_rows = [
                features(
                    c,
                    mention,
                    text,
                    context,
                    shares,
                    qualifier,
                    rivals=rivals[name],
                    admin1_support=support.of(c, key),
                    home=homes[name],
                    neighbours=support.local_of(c, key),
                )
                for c in own[name]
            ]
            scored = list(zip(ranker.scores(first_rows), own[name], strict=True))
            first = max(scored, key=lambda pair: pair[0])[1] if scored else None  # the first of equals wins
            if first is not None and not first.feature.is_in(Group.WIDE):
                anchors.setdefault(key, set()).add((first.lat, first.lon))
    nearby = Nearby(anchors)
    # Per name, not per mention: a name's every mention has the same shares and nearby places
    # (an article that names 1,000 places 3,000 times would otherwise redo both 3,000 times).
    shares_of: dict[str, dict[str, float]] = {}
    closeness_of: dict[str, list[float]] = {}
    alike: dict[tuple[Features, ...], tuple[Features, ...]] = {}
    out = []
    for mention in mentions:
        name = mention_key(mention)
        key = part_of.get(name, name)
        if name not in shares_of:
            shares_of[name] = context.country_share(excluding=key)
            closeness_of[name] = [nearby.closeness(c, excluding=key) for c in own[name]]
        qualifier = qualifiers.get(mention)
        rows = tuple(
            features(
                c,
                mention,
                text,
                context,
                shares_of[name],
                qualifier,
                closeness=near,
                rivals=rivals[name],
                admin1_support=support.of(c, key),
                home=homes[name],
                neighbours=support.local_of(c, key),
            )
            for c, near in zip(own[name], closeness_of[name], strict=True)
        )
        rows = alike.setdefault(rows, rows)  # one copy of the rows of mentions alike (memory)
        out.append(Explained(mention, own[name], rows))
    return context, out


class AreaSupport:
    """How many of an article's names could lie in each first-level area, each name counted once
    and by how plausible its reading there is (1 for its likeliest reading with an area, falling
    to 0 at SUPPORT_SPAN below it), asked for a candidate of one name about the others."""

    def __init__(self, candidates: Mapping[str, Sequence[Candidate]]) -> None:
        self.own: dict[str, dict[tuple[str, str], float]] = {}
        self.total: Counter[tuple[str, str]] = Counter()
        #: Per area, the names whose likeliest reading with an area lies in it.
        self.sure: Counter[tuple[str, str]] = Counter()
        #: The total of the names whose likeliest reading is no world city, capital or country.
        self.plain: Counter[tuple[str, str]] = Counter()
        self.plain_keys: set[str] = set()
        for key, options in candidates.items():
            placed = [c for c in options if c.country and c.admin1]
            if not placed:
                continue
            best = max(c.prior for c in placed)
            # A name that may be a first-level area ("Oregon", "Georgia") supports that area only,
            # not the towns named after it: in a list of states, "Oregon, Ohio" and "California,
            # Missouri" must not lend each other Ohio or Missouri.
            areas = [c for c in placed if c.feature is Feature.ADMIN1 and best - c.prior < SUPPORT_SPAN]
            area_first = bool(areas) and _likeliest_local(options).feature is Feature.ADMIN1
            placed = areas or placed
            weights: dict[tuple[str, str], float] = {}
            for c in placed:
                weight = 1.0 - (best - c.prior) / SUPPORT_SPAN
                area = (c.country or "", c.admin1 or "")
                if weight > weights.get(area, 0.0):
                    weights[area] = weight
            # A first-level area named is a peer of the country's other areas named ("Ohio, Texas
            # and Utah"); not a town that shares its area's name ("Kidal", "Idlib"), which names
            # its town first.
            if area_first:
                peers = {(c.country or "", ""): max(weights.values()) for c in areas}
                weights.update(peers)
            self.own[key] = weights
            self.total.update(weights)
            self.sure.update(area for area, weight in weights.items() if weight >= 1.0)
            # A world city's or a country's name lends its namesakes' areas nothing here: "Rome"
            # and "Geneva" side by side do not make each other towns in New York.
            likeliest = max(options, key=lambda c: c.prior)
            if not (likeliest.feature.is_in(Group.MAJOR) or likeliest.feature is Feature.COUNTRY):
                self.plain.update(weights)
                self.plain_keys.add(key)

    def of(self, candidate: Candidate, key: str) -> float:
        """Return the support of the names other than ``key`` for the candidate's first-level
        area (0 for a place in none)."""
        if not candidate.country or not candidate.admin1:
            return 0.0
        own = self.own.get(key, {})
        areas = [(candidate.country, candidate.admin1)]
        if candidate.feature is Feature.ADMIN1:
            areas.append((candidate.country, ""))  # "Oregon" among "Ohio, Texas, Utah": a state
        return sum(max(0.0, self.total.get(area, 0.0) - own.get(area, 0.0)) for area in areas)

    def local_of(self, candidate: Candidate, key: str) -> float:
        """Return what the names other than ``key`` say for the candidate's first-level area as
        local evidence: each name whose likeliest reading lies there counts 1, and the plausible
        readings there of names that are no world city, capital or country count as in ``of``."""
        if not candidate.country or not candidate.admin1:
            return 0.0
        area = (candidate.country, candidate.admin1)
        own = self.own.get(key, {}).get(area, 0.0)
        sure = self.sure.get(area, 0) - int(own >= 1.0)
        plain = self.plain.get(area, 0.0) - (own if key in self.plain_keys else 0.0)
        return max(float(sure), plain)


def _likeliest_local(options: Sequence[Candidate]) -> Candidate:
    """Return a name's likeliest reading inside a country (not the country itself); the name
    has one, as it has a reading in a first-level area."""
    return max((c for c in options if c.country and c.feature is not Feature.COUNTRY), key=lambda c: c.prior)


class Nearby:
    """Where the first pass placed each of the article's names, asked how near a candidate lies
    to the places of the other names."""

    def __init__(self, anchors: Mapping[str, Iterable[tuple[float, float]]]) -> None:
        owners: dict[tuple[float, float], set[str]] = {}
        for key, points in anchors.items():
            for point in points:
                owners.setdefault(point, set()).add(key)
        self.index = NearestPoints(owners)
        # A name's own points, unless another name was placed there too.
        self.own = {key: frozenset(p for p in points if owners[p] == {key}) for key, points in anchors.items()}

    def closeness(self, candidate: Candidate, *, excluding: str) -> float:
        """Return how near a candidate lies to the places of the names other than ``excluding``:
        1 at 0 km, falling with the log of the distance to 0 at PROXIMITY_KM (countries and
        regions: 0). A place with an extent (a river, a lake, an area) is as near as its nearest
        edge: a place within it is at 0 km."""
        if candidate.feature.is_in(Group.WIDE):
            return 0.0
        south, north = (candidate.extent[0], candidate.extent[2]) if candidate.extent else (candidate.lat,) * 2
        nearest = self.index.nearest_km(
            lambda lat, lon: _distance_km(candidate, lat, lon),
            south=south,
            north=north,
            skip=self.own.get(excluding, frozenset()),
        )
        return max(0.0, 1.0 - math.log1p(nearest) / math.log1p(PROXIMITY_KM))


def _distance_km(candidate: Candidate, lat: float, lon: float) -> float:
    if candidate.extent is None:
        return great_circle_km(candidate.lat, candidate.lon, lat, lon)
    south, west, north, east = candidate.extent
    return great_circle_km(min(max(lat, south), north), min(max(lon, west), east), lat, lon)


def _candidates(gazetteer: Gazetteer, key: str) -> tuple[Candidate, ...]:
    """Return the places a name key may refer to; for "hama province" or "kherson oblast", which
    the gazetteer does not hold as such, the areas named "hama" or "kherson" (or a transliteration
    variant of it: "saada province" is Sa'dah); for a demonym's key
    ("demonym:SY"), its country."""
    if key.startswith(_DEMONYM_KEY):
        code = key.removeprefix(_DEMONYM_KEY)
        name = next((name for country, name in demonyms().values() if country == code), "")
        found = [c for c in gazetteer.candidates(name_key(name)) if c.feature is Feature.COUNTRY]
        return tuple([c for c in found if c.country == code][:1])
    if key.startswith(INITIALS_KEY):
        return _by_initials(gazetteer, key)
    found = gazetteer.candidates(key)
    suffix = AREA_SUFFIX.search(key) if not found else None
    if suffix is not None:
        stem = key[: suffix.start()]
        found = [c for c in gazetteer.candidates(stem) if c.feature.is_in(Group.AREA)]
        if not found:  # "Saada province": the area under another spelling of its name ("Sa'dah")
            found = [c for c in gazetteer.variants(stem, limit=10) if c.feature.is_in(Group.AREA)]
    return tuple(found)


def _by_initials(gazetteer: Gazetteer, key: str) -> tuple[Candidate, ...]:
    """Return the places initials written with their stops may stand for: those the letters name
    ("U.S."), or abbreviate when they are the place's initials ("N.J.", not Louisiana's "La."
    for "L.A."); else the places whose dotted initials the gazetteer lists ("L.A.": Los Angeles)."""
    letters = key.removeprefix(INITIALS_KEY)
    found = [
        c for c in gazetteer.candidates(letters) if c.match is not Match.ABBREVIATION or initials_of(c.name) == letters
    ]
    return tuple(found) or tuple(gazetteer.candidates(key))


#: Words before a place's name that name a part of it: "Northeast Georgia", "South Philadelphia".
_PART_WORDS = frozenset(
    [
        "north",
        "south",
        "east",
        "west",
        "northeast",
        "northwest",
        "southeast",
        "southwest",
        "northern",
        "southern",
        "eastern",
        "western",
        "central",
        "metro",
        "historic",
        "downtown",
        "greater",
        "upper",
        "lower",
        # Abbreviated: "W. Columbia", "S. Jersey", "NW Washington".
        "n",
        "s",
        "e",
        "w",
        "ne",
        "nw",
        "se",
        "sw",
    ]
)
#: Words before "of" that name the kind of area the place after them is: "Province of Ontario".
_OF_WORDS = frozenset(["province", "state", "county", "city", "town", "village", "region", "district", "governorate"])
#: Words after a place's name that make the name an institution or a site of that place: "Henderson
#: County Jail", "Mount Pleasant Civic Center", "Fargo City", "Columbia Metropolitan Airport".
_SITE_WORDS = frozenset(
    [
        "city",
        "town",
        "township",
        "jail",
        "sheriff",
        "sheriffs",
        "police",
        "courthouse",
        "court",
        "fire",
        "hall",
        "civic",
        "airport",
        "international",
        "metropolitan",
        "regional",
        "park",
        "district",
        "high",
        "school",
        "council",
        "chamber",
        "department",
        "office",
        "center",
        "centre",
        "stadium",
        "village",
    ]
)
#: Words that end a street's name: "Wichita Street" is a street, not Wichita, and is left unplaced.
_STREET_WORDS = frozenset(
    [
        "street",
        "st",
        "road",
        "rd",
        "avenue",
        "ave",
        "drive",
        "dr",
        "boulevard",
        "blvd",
        "lane",
        "ln",
        "way",
        "parkway",
        "pkwy",
        "highway",
        "hwy",
        "freeway",
    ]
)


def _inner_key(gazetteer: Gazetteer, key: str) -> str | None:
    """Return, for a name the gazetteer lacks, the key of the place it names a part or a site of:
    "Northeast Georgia", "W. Columbia" or "South Philadelphia" (a part of Georgia, of Columbia, of
    Philadelphia), "Province of Ontario" (the place after an area word and "of"), "Henderson
    County Jail" or "Mount Pleasant Civic Center" (the place's name, then words of a site or an
    institution), "West Virginia Democratic Party" or "San Diego State" (leading words that name a
    country or first-level area, or a place of two words or more). Only a name some entry has as
    its own name (or, for a first-level area, its abbreviation: "Northwest D.C.") counts. None
    when there is none, and for streets ("Wichita Street" is not Wichita)."""
    words = key.split()
    if len(words) < 2 or words[-1] in _STREET_WORDS:
        return None
    generic = _PART_WORDS | _SITE_WORDS | {"coast"}
    tries = []
    if len(words) > 2 and words[0] in _OF_WORDS and words[1] == "of":
        tries.append(" ".join(words[2:]))
    parts = 0
    while parts < len(words) - 1 and words[parts] in _PART_WORDS:
        parts += 1
    if parts and not set(words[parts:]) <= generic:
        tries.append(" ".join(words[parts:]))
    # The longest leading words before a site word: "henderson county" of "henderson county jail".
    tries += [" ".join(words[:end]) for end in range(len(words) - 1, 0, -1) if words[end] in _SITE_WORDS]
    for inner in tries:
        if not set(inner.split()) <= generic and _named(gazetteer, inner):
            return inner
    # Leading words (after any part words) that name a place on their own: two words or more,
    # or a country or first-level area.
    for start in sorted({0, parts}):
        for end in range(len(words) - 1, start, -1):
            inner = " ".join(words[start:end])
            if set(words[start:end]) <= generic:
                continue
            found = [c for c in gazetteer.candidates(inner) if c.match is Match.EXACT]
            if found and (end - start > 1 or any(c.feature in (Feature.COUNTRY, Feature.ADMIN1) for c in found)):
                return inner
    return None


#: A town this near a namesake is a town of its own, not a part of it ("South Charleston").
NEIGHBOUR_KM = 50.0
#: Whole words of a part of a place ("North Arlington" in an article about Arlington).
_PART_OF_NAMED = frozenset(["north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest"])


def _part_of_named(key: str, own: Mapping[str, Sequence[Candidate]]) -> str | None:
    """Return, for "north arlington" in an article that also names "arlington", "arlington":
    a town named for a part of a place the article names is read as that part when every
    reading of it is a town no likelier than the place's ("North Korea", "West Virginia" and
    "South Sudan" are not parts of Korea, Virginia and Sudan)."""
    first, _, rest = key.partition(" ")
    if first not in _PART_OF_NAMED or not rest or not own.get(rest) or not own.get(key):
        return None
    readings = own[key]
    if not all(c.feature.is_in(Group.TOWN) for c in readings):
        return None
    if max(c.prior for c in readings) > max(c.prior for c in own[rest]):
        return None
    # A town beside a namesake is a town of its own ("South Charleston", "North Myrtle Beach").
    if any(great_circle_km(a.lat, a.lon, b.lat, b.lon) < NEIGHBOUR_KM for a in readings for b in own[rest]):
        return None
    return rest


def _named(gazetteer: Gazetteer, key: str) -> bool:
    """Return whether some entry has ``key`` as its own name, or a first-level area as its
    abbreviation ("dc", "w va")."""
    return any(
        c.match is Match.EXACT or (c.match is Match.ABBREVIATION and c.feature is Feature.ADMIN1)
        for c in gazetteer.candidates(key)
    )


def _with_areas(gazetteer: Gazetteer, key: str, found: tuple[Candidate, ...]) -> tuple[Candidate, ...]:
    """Return a name's candidates with the areas named "<name> County" or "<name> Parish" (asked
    for by "Barrow and Jackson counties", where the gazetteer holds "Jackson County", not
    "Jackson", as the county's name), in countries where the name names no area already (the
    state "Washington" asked for is not Washington County)."""
    if key.startswith(_DEMONYM_KEY):
        return found
    areas_in = {c.country for c in found if c.feature.is_in(Group.AREA)}
    extra = [c for word in AREA_NAME_WORDS for c in gazetteer.candidates(key + word) if c.feature.is_in(Group.AREA)]
    seen = {c.place_id for c in found}
    return found + tuple(c for c in extra if c.place_id not in seen and c.country not in areas_in)


def _qualifiers(
    mentions: Sequence[Mention], text: str, candidates: dict[str, tuple[Candidate, ...]]
) -> dict[Mention, Candidate]:
    """Map each mention followed by ", <area or country>" to that area or country."""
    found = {}
    for mention, following in itertools.pairwise(mentions):
        if not _COMMA_ONLY.match(text, mention.end, following.start):
            continue
        options = candidates.get(mention_key(following)) or ()
        area = next((c for c in options if c.feature.is_in(Group.QUALIFIER)), None)
        if area is not None:
            found[mention] = area
    return found


def _within(candidate: Candidate, area: Candidate) -> bool:
    if candidate.country != area.country or candidate.place_id == area.place_id:
        return False
    return area.feature is Feature.COUNTRY or candidate.admin1 == area.admin1


def article_context(by_key: dict[str, list[Mention]], candidates: dict[str, tuple[Candidate, ...]]) -> Context:
    """Return the countries an article is about (every name's vote, split by its readings'
    priors) and the first-level areas it names unambiguously."""
    votes: dict[str, tuple[dict[str, float], int]] = {}
    admin1: set[tuple[str, str]] = set()
    for key, group in by_key.items():
        options = candidates[key]
        best = options[0] if options else None
        if best is None or best.country is None:
            continue  # a sea or a river says nothing of the article's country
        split: dict[str, float] = {}
        for c in options:
            if c.country:  # the likeliest reading per country counts (priors are log10 scale)
                split[c.country] = max(split.get(c.country, 0.0), 10.0 ** (c.prior - best.prior))
        total = sum(split.values())
        if total:
            votes[key] = ({country: part / total for country, part in split.items()}, len(group))
        # An area is in play when no reading in another country comes close.
        rival = max((c.prior for c in options if c.country != best.country), default=float("-inf"))
        if best.feature is Feature.ADMIN1 and best.admin1 and best.prior - rival >= CONFIDENT_MARGIN:
            admin1.add((best.country or "", best.admin1))
    return Context(votes, frozenset(admin1))


def features(
    candidate: Candidate,
    mention: Mention,
    text: str,
    context: Context,
    shares: dict[str, float],
    qualifier: Candidate | None = None,
    closeness: float = 0.0,
    rivals: Rivals | None = None,
    admin1_support: float = 0.0,
    home: Mapping[str, float] | None = None,
    neighbours: float = 0.0,
) -> Features:
    """Return what is known for and against a candidate.

    ``shares`` is the article's country shares without this mention's own vote; ``qualifier``
    the area or country written after the name ("Paris, Texas"), if any; ``closeness`` how near it
    lies to where the article's other names were placed (``Nearby.closeness``; 0 in the first pass);
    ``rivals`` the countries of the name's readings (None: any country), the only ones whose lean
    may overturn a capital or world city, and of its capitals and world cities; ``admin1_support``
    what the article's other names say for its first-level area (``AreaSupport.of``), weighed by
    its country's share, or by the share of the name's own readings in that country when larger
    (``home``: how they split between countries; None for a name that may be a country);
    ``neighbours`` what the other names say for its first-level area as local evidence
    (``AreaSupport.local_of``), which with a qualifier, its area named or a place near it is the
    local evidence that lets a namesake beat a world city.
    """
    cues = cue_groups(mention, text)
    feature = candidate.feature
    countries = rivals.countries if rivals else None
    rival_lean = _lean_against(candidate.country, shares, countries)
    share = shares.get(candidate.country, 0.0) if candidate.country else 0.0
    # A capital or world city the article's lean does not overturn holds its name against readings
    # in other countries: their country's share counts no more than its own ("Geneva" with one
    # "New York" beside it is not Geneva, New York).
    majors = rivals.majors if rivals else frozenset()
    within = qualifier is not None and _within(candidate, qualifier)
    in_play = candidate.country is not None and (candidate.country, candidate.admin1) in context.admin1
    # Only local evidence lifts a namesake over a world city whatever the article's lean: its
    # state named, a neighbour of it, a qualifier ("Rome" in news from Ohio is still Italy's).
    # A town's former name or a near spelling ("Rome" for Fostoria, Ohio, or Rhome, Texas) needs
    # a qualifier.
    nearby = in_play or neighbours >= LOCAL_SUPPORT or closeness >= LOCAL_CLOSENESS
    local = within or (candidate.match is Match.EXACT and nearby)
    if candidate.country not in majors:
        held = [shares.get(m, 0.0) for m in majors if not local or _lean_against(m, shares, countries) < STRONG_LEAN]
        share = min(share, max(held, default=share))
    if rivals is not None and not within and _beyond_context(candidate, rivals):
        share, admin1_support, closeness, context = 0.0, 0.0, 0.0, _NO_CONTEXT
    return Features(
        prior=candidate.prior,
        country_share=share,
        admin1_in_play=float(
            candidate.country is not None
            and feature is not Feature.ADMIN1
            and (candidate.country, candidate.admin1) in context.admin1
        ),
        area_cue=float(Group.AREA in cues and feature.is_in(Group.AREA)),
        town_cue=float(Group.TOWN in cues and feature.is_in(Group.TOWN)),
        qualifier=float(within),
        closeness=closeness,
        is_country=float(feature is Feature.COUNTRY),
        is_admin1=float(feature is Feature.ADMIN1),
        is_admin2=float(feature is Feature.ADMIN2),
        is_region=float(feature in (Feature.REGION, Feature.CONTINENT)),
        is_landmark=float(candidate.dataset == "landmarks"),
        is_airfield=float(feature.is_in(Group.AIRFIELD)),
        class_cue=float(any(feature.is_in(group) for group in cues - _AREA_OR_TOWN)),
        major_city=float(feature.is_in(Group.MAJOR) and rival_lean < STRONG_LEAN),
        alias=float(candidate.match is not Match.EXACT),
        is_town=float(feature.is_in(Group.TOWN)),
        is_natural=float(feature.is_in(Group.NATURAL)),
        is_port=float(feature is Feature.PORT),
        size=_size(candidate),
        # A first-level area's support says where the article is only within the country it is
        # about: Geneva, New York is in the state "New York" names, but an article about Syria
        # that names New York once is not about upstate New York. A name whose readings all lie
        # in one country is in that country whatever the rest of the article leans to: "Henry
        # County" beside one "Paris" is weighed among the US states "Paris" supports.
        admin1_support=admin1_support * _support_weight(candidate, shares, home),
    )


def _beyond_context(candidate: Candidate, rivals: Rivals) -> bool:
    """Return True for a reading the article's context may not lift over its name's likeliest:
    one a million times less likely ("Italy" in Texan news is Italy, not Italy, Texas), or a
    place in a country a hundred times less likely than a region, sea or continent in none ("the
    Middle East" in US news is the region, not a Baltimore neighbourhood)."""
    gap = rivals.top - candidate.prior
    return gap >= IMPLAUSIBLE_GAP or (rivals.wide and candidate.country is not None and gap >= WIDE_GAP)


def _home_split(context: Context, key: str, options: Sequence[Candidate]) -> dict[str, float] | None:
    """Return how a name's readings split between countries (its vote), or None when one of them
    is a country: "Mexico" is not sure to be in Mexico's states because all its readings are."""
    if any(c.feature is Feature.COUNTRY for c in options):
        return None
    return context.votes.get(key, ({}, 0))[0]


def _support_weight(candidate: Candidate, shares: Mapping[str, float], home: Mapping[str, float] | None) -> float:
    """Return the weight of a candidate's first-level area support: its country's share of the
    article, or of the name's own readings when larger (not for a first-level area itself, whose
    support counts its peers, the country's other areas named)."""
    country = candidate.country
    if not country:
        return 0.0
    share = shares.get(country, 0.0)
    if home and candidate.feature is not Feature.ADMIN1:
        share = max(share, home.get(country, 0.0))
    return share


def _lean_against(country: str | None, shares: Mapping[str, float], countries: frozenset[str] | None) -> float:
    """Return the largest share of the article held by another country where the name has a
    reading (any country when ``countries`` is None)."""
    return max(
        (share for other, share in shares.items() if other != country and (countries is None or other in countries)),
        default=0.0,
    )


def _size(candidate: Candidate) -> float:
    if candidate.extent is None:
        return 0.0
    south, west, north, east = candidate.extent
    return math.log10(1.0 + great_circle_km(south, west, north, east))


_AREA_OR_TOWN = frozenset({Group.AREA, Group.TOWN})
_NO_CONTEXT = Context({}, frozenset())
