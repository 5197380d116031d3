"""A name search over the offline gazetteer: the places whose name, or one of its alternate names,
has a word that begins with what was typed.

For the app's "find a place" box and the list a person picks from when adding a missed name.
"Darfur" finds North Darfur and Southern Darfur, "Kharkov" finds Kharkiv (an alternate name),
"kafr nab" finds Kafr Nabl. The places come in tiers (``Tier``), each likeliest first (its
prior: population and kind):

1. the name is what was typed;
2. an alternate name is what was typed ("Kharkov", "Halab");
3. the name begins with it ("Aleppo Governorate" for "alep");
4. a word inside the name begins with it ("North Darfur" for "darfur");
5. an alternate name has it (a variant's word).

A query is bounded: at most ``MAX_QUERY`` characters and ``MAX_WORDS`` words; words are looked
for when the typed key has at least ``MIN_PREFIX`` characters; the word index (built with the
gazetteer, geo.gazetteer.build) yields at most ``WORD_KEYS`` names, the likeliest, and at most
``PER_KEY`` places of each. The typed words are quoted into the index's query, so no query
syntax reaches it. docs/performance.md has its time on the full gazetteer.
"""

from __future__ import annotations

import logging
from enum import IntEnum

from geo.core.normalize import name_key
from geo.core.provenance import Match
from geo.core.values import Candidate
from geo.gazetteer.store import Gazetteer

__all__ = ["MAX_QUERY", "MAX_WORDS", "MIN_PREFIX", "PER_KEY", "WORD_KEYS", "Tier", "search_names", "tier_of"]

log = logging.getLogger(__name__)

#: Longest query read, in characters (longer input is cut: no place name is longer).
MAX_QUERY = 80
#: Most words of a query looked for (the rest are dropped): no place name has more.
MAX_WORDS = 8
#: Shortest query that also looks for words beginning with it ("al" begins half the world's names).
MIN_PREFIX = 3
#: Shortest last word read as the beginning of a word ("kafr n" looks for "n" as a word).
_MIN_WORD_PREFIX = 2
#: Most distinct names the word index yields per query, likeliest first.
WORD_KEYS = 200
#: Most places read per name ("san jose" names dozens).
PER_KEY = 5


class Tier(IntEnum):
    """How a place matched the typed words: lower is shown first."""

    NAME = 0  # its name is what was typed
    VARIANT_NAME = 1  # an alternate name (or another spelling) is what was typed
    PREFIX = 2  # its name begins with it
    WORD = 3  # a word inside its name begins with it
    VARIANT = 4  # an alternate name has a word beginning with it


def tier_of(candidate: Candidate, key: str) -> Tier:
    """Return how ``candidate`` matched the typed name key ``key``."""
    own = name_key(candidate.name)
    if own == key:
        return Tier.NAME
    if own.startswith(key):
        return Tier.PREFIX
    if _has_words(own, key):
        return Tier.WORD
    # Found by an alternate name: the exact look-up says when it is exactly what was typed.
    return Tier.VARIANT


def search_names(gazetteer: Gazetteer, query: str, *, limit: int = 20) -> list[Candidate]:
    """Return up to ``limit`` gazetteer places for a typed name, in ``Tier`` order, each tier
    likeliest first; once each. Returns an empty list for a query with no letters or digits.
    Raises GazetteerError when the gazetteer cannot be read."""
    key = " ".join(name_key(query[:MAX_QUERY]).split()[:MAX_WORDS])
    if not key:
        return []
    # The key itself (and, when it names nothing, another romanisation of it: "Hims" for Homs).
    exact = gazetteer.candidates(key, limit=limit)
    ranked = [(Tier.NAME if c.match is Match.EXACT else Tier.VARIANT_NAME, c) for c in exact]
    if len(key) >= MIN_PREFIX:
        ranked.extend(
            (tier_of(c, key), c) for c in gazetteer.word_matches(_fts_query(key), keys=WORD_KEYS, per_key=PER_KEY)
        )
    found: dict[str, tuple[Tier, int, Candidate]] = {}
    for order, (tier, candidate) in enumerate(ranked):
        kept = found.get(candidate.place_id)
        if kept is None or tier < kept[0]:
            found[candidate.place_id] = (tier, order, candidate)
    # Within a tier, likeliest first; the order read breaks ties (the exact look-up's is its own).
    best = sorted(found.values(), key=lambda item: (item[0], -item[2].prior, item[1]))
    return [candidate for _, _, candidate in best[:limit]]


def _fts_query(key: str) -> str:
    """Return the word index's query for a name key: every word as a whole word, the last as the
    beginning of one (it may still be being typed). Each word is quoted (an FTS5 string), so
    nothing typed is read as the query language's operators."""
    words = [f'"{word.replace(chr(34), chr(34) * 2)}"' for word in key.split()]
    if len(key.split()[-1]) >= _MIN_WORD_PREFIX:
        words[-1] += "*"
    return " ".join(words)


def _has_words(name: str, key: str) -> bool:
    """Return True when the words of ``key`` begin words of ``name``: all but the last whole."""
    names = name.split()
    *whole, last = key.split()
    return all(word in names for word in whole) and any(word.startswith(last) for word in names)
