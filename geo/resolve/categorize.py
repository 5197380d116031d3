"""Stage 4, category: base, city, venue, region, country or other, for each place.

A place's kind of feature gives its category (a country, an area, a town, an air base). The words
around its mentions can make a town or a facility more specific: "the port of Tartus, where Russia
has a military base" makes it a base, and "talks resumed in Geneva" a venue. Countries and areas
keep their category whatever the words around them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from geo.core.features import Feature
from geo.core.values import Mention
from geo.recognize.kind_cues import PHRASE_CATEGORY, cue_groups

_PROMOTABLE = frozenset({"city", "other"})
# Military words after a mention ("Tartus, where Russia has a naval base") or just before it
# ("the air base at Hmeymim").
_BASE_WORDS = re.compile(
    r"\b(?:air ?base|air ?field|air station|naval (?:base|facility|station)|military (?:base|facility)"
    r"|garrison|army base)\b",
    re.I,
)
#: Words that put a place beside a base rather than name the base: "the air base near Latakia".
_BESIDE = re.compile(
    r"\b(?:near|outside|close to|next to|beyond|towards?|from"
    r"|(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)? of)\b",
    re.I,
)
_BASE_AFTER_CHARS = 80
_BASE_BEFORE_CHARS = 30
_VENUE_WORDS = re.compile(r"\b(?:talks|summit|negotiations?|conference|peace process|meeting|accords?|signing)\b", re.I)
_AT_OR_IN = re.compile(r"\b(?:in|at)\s+(?:the\s+)?$", re.I)
_VENUE_BEFORE_CHARS = 120
#: What ends a clause: a place after it is not the place of a venue word before it.
_CLAUSE_BREAK = re.compile(r"[,;:—–]|\s-\s")
#: A venue word right after the name: "the Geneva talks", "the Minsk accords".
_VENUE_NEXT = re.compile(r"(?:'s)?\s+(?:peace\s+)?(?:talks|summit|negotiations|conference|accords?|process)\b", re.I)


def _base_before(before: str) -> bool:
    """Return True when a base word stands just before the mention as its name ("the air base at
    Hmeymim"), not as a place beside it ("the air base outside Kandahar": the city stays a city)."""
    found = list(_BASE_WORDS.finditer(before))
    return bool(found) and not _BESIDE.search(before[found[-1].end() :])


def kind_of_feature(feature: Feature, hint: str | None = None) -> str:
    """Return the category a kind of place (or a data set's own hint) stands for."""
    return hint or feature.info().category


def mention_cue(mention: Mention, text: str) -> str | None:
    """Return "base" or "venue" when the words around a mention say so, else None."""
    sent_end = max(mention.sent_end, mention.end)
    after = text[mention.end : min(sent_end, mention.end + _BASE_AFTER_CHARS)]
    before = text[max(mention.sent_start, mention.start - _BASE_BEFORE_CHARS) : mention.start]
    if _BASE_WORDS.search(after) or _base_before(before):
        return "base"
    # Where the talks are: "talks … resumed in Geneva", "the Astana talks"; not another place of
    # the same sentence ("Talks open in Istanbul, an official told reporters in Ankara").
    clause = _CLAUSE_BREAK.split(text[max(mention.sent_start, mention.start - _VENUE_BEFORE_CHARS) : mention.start])[-1]
    if _VENUE_WORDS.search(clause) and _AT_OR_IN.search(clause):
        return "venue"
    if _VENUE_NEXT.match(text, mention.end, sent_end):
        return "venue"
    return None


def categorize(feature: Feature, hint: str | None, mentions: Iterable[Mention], text: str) -> str:
    """Return the category of a place from its feature and every mention of it in ``text``.

    A phrase that names what the place is ("the city of X", "X province", "X nuclear plant",
    geo.recognize.kind_cues) decides; otherwise a town or facility with any mention in a military context is a
    base, and failing that one named as where talks or a summit happen is a venue.
    """
    kind = kind_of_feature(feature, hint)
    if kind not in _PROMOTABLE:
        return kind
    mentions = list(mentions)
    phrased = [category for m in mentions for g in cue_groups(m, text) if (category := PHRASE_CATEGORY.get(g))]
    if phrased:
        # "the city of Sevastopol" is a city beside a naval base; "Idlib province" placed at its
        # town is still the province; "X nuclear plant" is a facility.
        return max(phrased, key=phrased.count)
    cues = {mention_cue(mention, text) for mention in mentions}
    for specific in ("base", "venue"):
        if specific in cues:
            return specific
    return kind
