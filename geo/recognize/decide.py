"""Stage two of recognition: decide which proposals are places.

Clear rules over ``Evidence``, in order:

1. the model's own place entities stay, unless they are written in lower case ("the meth"), a
   fused list ("Kharkiv and Odesa") or a demonym before a place ("Russian Black Sea") the
   gazetteer does not know whole (their parts stand in for them);
2. a news outlet's home ("the New York Times", "Agence France-Presse") or a currency's country
   ("US$") is no place of the story; a demonym ("Ukrainian" the model tags GPE) is no place name
   (geo.recognize.demonyms maps it to its country when asked); a name the gazetteer does not know
   is no place; nor is a person ("Mr X", "X said", a part of a person's full name), a common
   word, or a short all-capitals word that is not a country (a first-level area's initials,
   "NSW", only where the article takes them for the area elsewhere or names places in its
   country);
3. a dateline's town is a place however small, and so is a first-level area's abbreviation
   written with its stop ("S.C.", "Tenn.", "W. Va.");
4. otherwise the gazetteer entry must be strong enough (its prior: the log of its population
   plus its kind's bonus) for what surrounds the name: less after "in", "near", "off" or before
   "Police", "County", more inside an organisation's or person's longer name;
5. one sense per article: a name the article accepts once is a place wherever it stands, unless
   that occurrence has a person cue; a first word of a sentence needs this ("Reading the…"); a
   name the article uses for a disease ("West Nile virus", "Ebola virus") is no place anywhere
   in it, unless a locative says so ("cases in West Nile"); a name listed with accepted places
   ("Uppsala, Gävleborg and Dalarna") is a place however small, when it stands alone.

Among overlapping accepted spans the longest wins ("West Darfur" over "Darfur"), and a longer
name the gazetteer knows by that very name around an accepted place is the place named ("New
Madrid" around "Madrid"), whatever its own verdict.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum

from geo.core.features import Feature
from geo.core.provenance import Match
from geo.recognize.cues import COORDINATORS, demonyms
from geo.recognize.evidence import Evidence
from geo.recognize.propose import CONNECTORS, PLACE_LABELS

__all__ = ["MIN_PRIOR", "Verdict", "choose", "decide", "verdict"]


class Verdict(Enum):
    """What rule 1–4 says of one proposal, before the article's one sense is applied."""

    ACCEPT = "accept"
    REJECT = "reject"
    IF_NAMED_ELSEWHERE = "if named elsewhere"
    IF_LISTED = "if listed with places"


#: The prior (geo.gazetteer.build.prior) a gazetteer match needs, by situation. 5.0 is a city of
#: about 100,000 people; 3.5 about 3,000.
MIN_PRIOR: dict[str, float] = {
    "part of a place": 0.0,  # a conjunct or compound of the model's own place entity
    "locative": 4.0,  # "in X", "off X", "north of X"
    "institution": 3.5,  # "X Police", "X and Y counties"
    "dateline": 3.5,
    "repeat": 3.5,  # the article accepts the name elsewhere
    "subject": 5.0,  # a sentence's one-word subject before its verb: "Sumy was hit"
    "definite": 3.0,  # "the Tigris": a river, sea or range the text names as one
    "alone": 5.0,  # no entity, or the whole of one that is no place (the model mislabelled it)
    "inside": 5.5,  # inside a longer organisation's or person's name
    "organisation": 6.0,  # the whole of what the model calls an organisation
}


def verdict(e: Evidence, known_places: frozenset[tuple[int, int]] = frozenset()) -> Verdict:
    """Return what rules 1–4 say of one proposal (see the module's docstring).

    ``known_places``: the token bounds of the model's place entities the gazetteer knows whole.
    """
    p = e.proposal
    if p.key in demonyms():
        return Verdict.REJECT  # an actor, not a place: "Ukrainian drones"
    if e.disease:
        return Verdict.REJECT  # "West Nile virus", "Marburg virus"
    if e.outlet:
        return Verdict.REJECT  # "the New York Times", "Agence France-Presse", "US$"
    if e.model_place and p.source == "model":
        if e.lower_case:
            return Verdict.REJECT  # the model's "meth" or "cell": a place's name is capitalised
        if e.person and p.end - p.start == 1:
            return Verdict.REJECT  # "President Saakashvili's", "coach Ripley"
        return Verdict.REJECT if e.prior is None and _splits(e) else Verdict.ACCEPT
    if _a_list(e):
        return Verdict.REJECT
    if e.prior is None:  # an unknown conjunct of a place, or the place after a demonym, stays
        return Verdict.ACCEPT if p.label in PLACE_LABELS and p.source in {"part", "demonym"} else Verdict.REJECT
    if e.person or e.common_word:
        return Verdict.REJECT
    if e.area_abbreviation:
        return Verdict.ACCEPT  # "the S.C. Highway Patrol", "Rep. Ann Roe, D-N.J."
    if e.proposal.end - e.proposal.start == 1 and e.all_caps and len(p.key) <= 3 and e.feature is not Feature.COUNTRY:
        # "AP", "UN", "NICE"; an area's initials ("NSW") only where the article takes them for
        # the area elsewhere ("in NSW").
        return Verdict.IF_NAMED_ELSEWHERE if e.abbreviates_area else Verdict.REJECT
    if p.label in PLACE_LABELS:
        # A conjunct of the model's place, the place after its demonym, or a compound around it
        # ("South Sudan" around "Sudan"); never a piece of it ("Black" of "Black Sea").
        inside = p.source == "window" and p.host is not None and p.host.start <= p.start and p.end <= p.host.end
        # A known place inside an unknown one ("Fargo" in "Fargo-Moorhead") needs a strong entry,
        # less before its own institution ("Whitestown Town Hall").
        host = (p.host.start, p.host.end) if p.host is not None else None
        need = MIN_PRIOR["institution"] if e.institution else MIN_PRIOR["alone"]
        if inside and (host in known_places or e.prior < need):
            return Verdict.REJECT
        return Verdict.ACCEPT
    if e.dateline:
        return Verdict.ACCEPT if e.prior >= MIN_PRIOR["dateline"] else Verdict.REJECT
    if e.own_kind:
        return Verdict.ACCEPT  # "the Bab el-Mandeb strait": the text says what the place is
    if e.definite and e.stands_alone and e.prior >= MIN_PRIOR["definite"]:
        return Verdict.ACCEPT  # "crossed the Tigris": English names rivers and seas with "the"
    need = MIN_PRIOR["alone"] if p.whole else MIN_PRIOR["inside"]
    if p.whole and p.label == "ORG":
        need = MIN_PRIOR["organisation"]  # "Toyota", "United Way": a city's name as a firm's
    if e.locative or e.institution:
        need = min(need, MIN_PRIOR["locative"])
    if e.subject and e.prior >= MIN_PRIOR["subject"] and p.label != "ORG":
        # "Aleppo was shelled", though the model took it for a person; not a firm the model
        # names as one ("Delta has been flying"), whose name a town's often is.
        return Verdict.ACCEPT
    if e.sentence_start and p.end - p.start == 1 and not e.prominent and not e.locative:
        # "Nice work", "Reading the report": only if the article names the place elsewhere.
        return Verdict.IF_NAMED_ELSEWHERE if e.prior >= MIN_PRIOR["repeat"] else Verdict.REJECT
    if e.prior >= need:
        return Verdict.ACCEPT
    if e.prior >= MIN_PRIOR["repeat"]:
        return Verdict.IF_NAMED_ELSEWHERE
    # A small place is a place when listed with places ("Rogaland, Vestfold and Telemark"), if it
    # stands alone: not a piece of another name ("Guy C. Smith", "Xinhua News Agency").
    return Verdict.IF_LISTED if e.stands_alone else Verdict.REJECT


def _splits(e: Evidence) -> bool:
    """Return True when an unknown place entity has parts proposed in its stead (rule 1)."""
    host = e.proposal.host
    if host is None or e.proposal.end - e.proposal.start < 2:
        return False
    tokens = host.doc[e.proposal.start : e.proposal.end]
    if tokens[0].lower_ in demonyms():
        return True
    return any(t.lower_ in COORDINATORS and t.lower_ not in CONNECTORS for t in tokens[1:-1])


def decide(evidence: Sequence[Evidence]) -> list[Evidence]:
    """Return the proposals accepted as places, without overlaps, in text order.

    Rules 1–4 first (``verdict``); then one sense per article (rule 5); then, among overlapping
    accepted spans, the longest, then the earliest, wins.
    """
    known_places = frozenset(
        (e.proposal.host.start, e.proposal.host.end)
        for e in evidence
        if e.model_place and e.prior is not None and e.proposal.host is not None
    )
    verdicts = [verdict(e, known_places) for e in evidence]
    # The article's sense of each name: a person somewhere ("coach Ripley") makes the name a
    # person wherever only weak evidence says place; a place somewhere makes it one elsewhere.
    people = {e.key for e in evidence if e.person}
    surnames = {e.key for e in evidence if e.surname}
    diseases = {e.key for e in evidence if e.disease}
    # Every occurrence of a disease's name, and the names inside it ("Nile" of "West Nile").
    sick = {
        i for e in evidence if e.key in diseases and not e.locative for i in range(e.proposal.start, e.proposal.end)
    }
    verdicts = [
        Verdict.REJECT if sick.issuperset(range(e.proposal.start, e.proposal.end)) else v
        for e, v in zip(evidence, verdicts, strict=True)
    ]
    strong = [v is Verdict.ACCEPT and not _weak(e, people, surnames) for e, v in zip(evidence, verdicts, strict=True)]
    named = {e.key for e, ok in zip(evidence, strong, strict=True) if ok}
    accepted = [
        e
        for e, v, ok in zip(evidence, verdicts, strong, strict=True)
        if ok or (v is Verdict.IF_NAMED_ELSEWHERE and e.key in named)
    ]
    pending = [e for e, v in zip(evidence, verdicts, strict=True) if v in _PENDING]
    accepted += _coordinated(accepted, pending) + _area_initials(accepted, pending)
    return choose(accepted + _longer_names(accepted, evidence))


def _area_initials(accepted: Sequence[Evidence], pending: Sequence[Evidence]) -> list[Evidence]:
    """Return the first-level areas' initials in capitals ("NSW") of the countries the article's
    accepted places lie in: "NSW" beside Sydney is New South Wales, "LLC" in US news no area.
    Three letters at least: "SC" and "LA" in capitals are as often a code or a firm's."""
    countries = {e.best.country for e in accepted if e.best is not None and e.best.country}
    return [
        e
        for e in pending
        if e.all_caps
        and len(e.key) >= 3
        and e.abbreviates_area
        and e.best is not None
        and e.best.country in countries
        and not e.person
    ]


def _longer_names(accepted: Sequence[Evidence], evidence: Sequence[Evidence]) -> list[Evidence]:
    """Return the longer names the gazetteer knows by that very name around accepted places: the
    place named is "New Concord" in "the New Concord Reservoir", not Concord, California, and
    "West Virginia" in "the West Virginia Lottery", whatever the longer span's own verdict."""
    # Accepted spans by their first token: each longer name looks only at its own few tokens
    # (a long document has thousands of both).
    by_start: dict[int, list[tuple[int, str]]] = {}
    for e in accepted:
        by_start.setdefault(e.proposal.start, []).append((e.proposal.end, e.key))
    return [
        e
        for e in evidence
        if e.proposal.end - e.proposal.start > 1
        and e.best is not None
        and e.best.match is Match.EXACT
        and not e.person
        and not _a_list(e)
        and _holds_another(e, by_start)
    ]


def _a_list(e: Evidence) -> bool:
    """Return True for a window joined by "and" that is no country or first-level area by that
    name: "Australia and New Zealand" lists two countries, though a region bears the name;
    "Trinidad and Tobago" and "Newfoundland and Labrador" are one each."""
    return e.proposal.joined and e.feature not in (Feature.COUNTRY, Feature.ADMIN1)


def _holds_another(e: Evidence, by_start: dict[int, list[tuple[int, str]]]) -> bool:
    """Return True when an accepted span of another key lies inside ``e``'s span and is not all
    of it (a longer span of the same key only adds a word the key drops: "The United States")."""
    start, end = e.proposal.start, e.proposal.end
    return any(
        inner_end <= end and (i, inner_end) != (start, end) and key != e.key
        for i in range(start, end)
        for inner_end, key in by_start.get(i, ())
    )


_PENDING = frozenset({Verdict.IF_NAMED_ELSEWHERE, Verdict.IF_LISTED})


def _coordinated(accepted: Sequence[Evidence], pending: Sequence[Evidence]) -> list[Evidence]:
    """Return the pending names listed with an accepted place: "Kherson and Odesa", "A, B and C".

    Conjuncts are things of one kind; a list grows from its accepted members, both ways.
    """
    if not pending:
        return []
    doc = next((e.proposal.host.doc for e in [*accepted, *pending] if e.proposal.host is not None), None)
    ends = {e.proposal.end for e in accepted}
    starts = {e.proposal.start for e in accepted}
    added: list[Evidence] = []
    waiting = list(pending)
    grew = True
    while grew and waiting and doc is not None:
        grew = False
        for e in list(waiting):
            p = e.proposal
            before = p.start >= 2 and doc[p.start - 1].lower_ in _LIST_JOINS and (p.start - 1) in ends
            after = p.end + 1 < len(doc) and doc[p.end].lower_ in _LIST_JOINS and (p.end + 1) in starts
            if before or after:
                added.append(e)
                waiting.remove(e)
                ends.add(p.end)
                starts.add(p.start)
                grew = True
    return added


_LIST_JOINS = frozenset({"and", "or", ",", "&"})


def _weak(e: Evidence, people: set[str], surnames: set[str]) -> bool:
    """Return True for a place the article's use of the name as a person's outweighs."""
    if e.key not in people:
        return False
    if e.speaks:
        return True  # "Michael Jordan scored … Jordan said": the article's person speaks
    if e.model_place:
        # "Saakashvili" after "President Saakashvili's": the model erred. "Paris had been shot"
        # after "Melton Lewis Paris": the person, named by surname, unless written as a place is
        # or a country or province ("Rethinking Egypt", a title, may be taken for a person).
        return e.prior is None or (e.key in surnames and not (e.locative or e.dateline or e.prominent))
    # A city of a million ("Alexandria police" after the model's "Alexandria Commonwealth" person)
    # is too likely a place for a person cue elsewhere to outweigh.
    return not (e.locative or e.prominent or (e.prior is not None and e.prior >= MIN_PRIOR["organisation"]))


def choose(accepted: Sequence[Evidence]) -> list[Evidence]:
    """Return the longest of overlapping spans (then the earliest, then the model's), in text order."""
    taken: set[int] = set()
    kept: list[Evidence] = []
    order = {"model": 0, "part": 1, "demonym": 2, "window": 3}
    for e in sorted(
        accepted, key=lambda e: (e.proposal.start - e.proposal.end, e.proposal.start, order[e.proposal.source])
    ):
        span = range(e.proposal.start, e.proposal.end)
        if taken.intersection(span):
            continue
        taken.update(span)
        kept.append(e)
    return sorted(kept, key=lambda e: e.proposal.start)
