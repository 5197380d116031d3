"""Stage one of recognition: propose every span of an article that might name a place.

Proposals come from the model's entities of every label (edges trimmed), the parts of
coordinated entities ("Kharkiv and Odesa"), the place part of an entity that opens with a
demonym ("Russian Black Sea" → "Black Sea"), and every run of capitalised words the gazetteer
could know ("West Darfur" around the model's "Darfur", "Hodeidah" that no entity covers).
Repeats of a name need no proposal of their own: every capitalised occurrence is a window, and
``geo.recognize.decide`` gives the article's one sense to all of them. Nothing is decided here.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from geo.core.normalize import name_key
from geo.recognize.cues import CALENDAR, COORDINATORS, demonyms
from geo.recognize.spans import trim
from geo.recognize.words import Words, capitalised

#: The name key of a proposal's text, kept across articles: news repeats its names and capitalised
#: runs ("Mr Obama", "Police Department"), and a key costs a Unicode normalisation. Bounded (a few MB).
_key = functools.lru_cache(maxsize=65_536)(name_key)

__all__ = ["CONNECTORS", "MAX_NAME_TOKENS", "NON_NAME_LABELS", "PLACE_LABELS", "Proposal", "propose"]

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
#: Entity labels that never hold a place's name (numbers, dates, amounts).
NON_NAME_LABELS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"})
#: Lower-case words that may stand inside a multi-word place name ("Isle of Man", "Dar es Salaam").
CONNECTORS = frozenset({"of", "de", "del", "la", "le", "al", "el", "es", "upon", "on", "du", "da", "-"})
#: Words a name window may also cross: the "and" inside a country's or an area's own name ("Trinidad
#: and Tobago", "Newfoundland and Labrador", "Turks and Caicos Islands"). A window is proposed only
#: where the gazetteer knows it whole, so "Kharkiv and Odesa" stays two places.
WINDOW_JOINERS = CONNECTORS | {"and", "&"}
MAX_NAME_TOKENS = 5


@dataclass(frozen=True)
class Proposal:
    """A span that might name a place: token bounds, its name key, where it came from, and the
    model's entity it is or lies in (``host``, None when it lies outside every entity)."""

    start: int
    end: int
    key: str
    source: str  # "model", "part", "demonym" or "window"
    host: Span | None
    #: A window with "and" inside ("Trinidad and Tobago"): decide takes it for a country's or an
    #: area's own name only, never for a list ("Australia and New Zealand").
    joined: bool = False

    @property
    def label(self) -> str | None:
        """Return the model's label of the entity this span is or lies in (None: no entity)."""
        return self.host.label_ if self.host is not None else None

    @functools.cached_property
    def whole(self) -> bool:
        """Return True when this span is its host entity, edges trimmed (or has no host).

        Found once per proposal (decide and evidence both ask), not a trim of the host each time."""
        if self.host is None:
            return True
        bounds = trim(self.host.doc, self.host.start, self.host.end)
        return bounds == (self.start, self.end)


def propose(doc: Doc, words: Words | None = None) -> list[Proposal]:
    """Return every proposal of ``doc``: the model's entities, their parts and the name windows.

    ``words``: the Doc's tokens already read (``Words.of(doc)``), when the caller has them.
    """
    words = Words.of(doc) if words is None else words
    ents = doc.ents  # a new Span per entity each time it is read: read once
    owner = entity_of_each_token(doc, ents)
    found: list[Proposal] = []
    for ent in ents:
        if ent.label_ in NON_NAME_LABELS:
            continue
        bounds = trim(doc, ent.start, ent.end)
        if bounds is None:
            continue
        key = _key(words.span_text(*bounds))
        if key:
            found.append(Proposal(bounds[0], bounds[1], key, "model", ent))
        found.extend(_parts(doc, ent, *bounds))
        found.extend(_after_demonym(doc, ent, *bounds))
    for start, end, key in name_windows(doc, words):
        hosts = {owner[i] for i in range(start, end)}
        joined = any(words.lowers[i] in ("and", "&") for i in range(start + 1, end - 1))
        if any(h is not None and h.label_ in NON_NAME_LABELS and _says_amount(h) for h in hosts):
            continue  # "March" in "March 3"; not "Manbij" the model took for a date
        if len(hosts) > 1:
            # Straddles entities: only a known compound around one place entity ("West Darfur"),
            # or around the last name of a "person" the model cut out of a place's name ("Santo
            # Domingo", whose "Domingo" it calls a person).
            # Or a name joined by "and" whose parts the model labelled apart ("Trinidad and
            # Tobago": a place and a person; "Turks and Caicos Islands": a nationality and a
            # place); the gazetteer must know the whole, as for any window.
            inside = [h for h in hosts if h is not None]
            if not all(start <= h.start and h.end <= end for h in inside):
                continue
            if not joined and not _around_one_place(inside, start):
                continue
        found.append(Proposal(start, end, key, "window", next(iter(hosts)) if len(hosts) == 1 else None, joined))
    return found


def _says_amount(ent: Span) -> bool:
    """Return True when a date's, time's or number's entity holds a number or a calendar word:
    "March 3", "Monday night", "two years". One with neither ("Manbij" labelled a date) is the
    model's slip over a name, which may be a place's."""
    return any(t.like_num or t.lower_ in CALENDAR or not t.text[:1].isupper() for t in ent)


def _around_one_place(inside: Sequence[Span], start: int) -> bool:
    """Return True when the entities a window straddles are one place entity, or one "person"
    the model cut out of a place's name after its first word ("Santo Domingo")."""
    if len(inside) != 1:
        return False
    return inside[0].label_ in PLACE_LABELS or (inside[0].label_ == "PERSON" and start < inside[0].start)


def _parts(doc: Doc, ent: Span, start: int, end: int) -> Iterator[Proposal]:
    """Yield the conjuncts of a coordinated entity: "Kharkiv and Odesa" → Kharkiv, Odesa."""
    if not any(doc[i].lower_ in COORDINATORS and doc[i].lower_ not in CONNECTORS for i in range(start + 1, end - 1)):
        return
    part_start = start
    for i in range(start, end + 1):
        if i == end or (doc[i].lower_ in COORDINATORS and doc[i].lower_ not in CONNECTORS):
            bounds = trim(doc, part_start, i)
            if bounds is not None and _capitalised(doc[bounds[0]]):
                key = name_key(doc[bounds[0] : bounds[1]].text)
                if key:
                    yield Proposal(bounds[0], bounds[1], key, "part", ent)
            part_start = i + 1


def _after_demonym(doc: Doc, ent: Span, start: int, end: int) -> Iterator[Proposal]:
    """Yield the rest of an entity that opens with a demonym: "Russian Black Sea" → Black Sea."""
    if end - start >= 2 and doc[start].lower_ in demonyms() and _capitalised(doc[start + 1]):
        key = name_key(doc[start + 1 : end].text)
        if key:
            yield Proposal(start + 1, end, key, "demonym", ent)


def entity_of_each_token(doc: Doc, ents: Sequence[Span] | None = None) -> list[Span | None]:
    """Return, for each token, the entity it belongs to (None outside every entity); ``ents``:
    the Doc's entities, when the caller has read them."""
    owner: list[Span | None] = [None] * len(doc)
    for ent in doc.ents if ents is None else ents:
        for i in range(ent.start, ent.end):
            owner[i] = ent
    return owner


def name_windows(doc: Doc, words: Words | None = None) -> Iterator[tuple[int, int, str]]:
    """Yield (start, end, key) for every run of capitalised words that could be a place name.

    Reads the tokens' plain lists (``Words``), not a Token object per look: every token is a
    possible start and each start looks at up to MAX_NAME_TOKENS tokens.
    """
    words = Words.of(doc) if words is None else words
    capital, lowers, sent_start = words.capital, words.lowers, words.sent_start
    n_tokens = len(words)
    for start in range(n_tokens):
        if not capital[start]:
            continue
        for end in range(start + 1, min(start + MAX_NAME_TOKENS, n_tokens) + 1):
            last = end - 1
            if last > start and not (capital[last] or lowers[last] in WINDOW_JOINERS):
                break
            if last > start and sent_start[last]:
                break
            if capital[last]:
                key = _key(words.span_text(start, end))
                if key:
                    yield start, end, key


def _capitalised(token) -> bool:
    return capitalised(token.text)
