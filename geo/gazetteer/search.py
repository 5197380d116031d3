"""A name search over the offline gazetteer: the places whose name is, or begins with, what was typed.

For the app's "find a place" box and the list a person picks from when adding a missed name. The
exact name comes first, then names that begin with the typed words, each ordered by how likely a
place is named at all (its prior: population and kind). A query is bounded: at most
``MAX_QUERY`` characters, prefixes of at least ``MIN_PREFIX`` characters, and at most
``PREFIX_KEYS`` names scanned per prefix.
"""

from __future__ import annotations

import logging
import sqlite3

from geo.core.normalize import name_key
from geo.core.values import Candidate
from geo.gazetteer.store import Gazetteer

__all__ = ["MAX_QUERY", "MIN_PREFIX", "PREFIX_KEYS", "search_names"]

log = logging.getLogger(__name__)

#: Longest query read, in characters (longer input is cut: no place name is longer).
MAX_QUERY = 80
#: Shortest query that also looks for names beginning with it ("al" would match half the world).
MIN_PREFIX = 3
#: Most distinct names beginning with the query that are read, likeliest first.
PREFIX_KEYS = 2000


def search_names(gazetteer: Gazetteer, query: str, *, limit: int = 20) -> list[Candidate]:
    """Return up to ``limit`` gazetteer places for a typed name: those named exactly so first,
    then those whose name begins with it, each group likeliest first; once each. Returns an empty
    list for a query with no letters or digits."""
    key = name_key(query[:MAX_QUERY])
    if not key:
        return []
    found = {c.place_id: c for c in gazetteer.candidates(key, limit=limit)}
    if len(key) >= MIN_PREFIX and len(found) < limit:
        for other in _prefixed(gazetteer, key, limit):
            for candidate in gazetteer.candidates(other, limit=3):
                found.setdefault(candidate.place_id, candidate)
            if len(found) >= limit:
                break
    return list(found.values())[:limit]


def _prefixed(gazetteer: Gazetteer, key: str, limit: int) -> list[str]:
    """Return the name keys that begin with ``key`` (other than it), likeliest first, at most ``limit``.

    Read on a connection of its own (read-only, closed after), so the gazetteer's own connections
    are not shared with this thread; a file that cannot be read gives no names (the exact matches,
    asked through the gazetteer, still come)."""
    # Keys sort as strings: those beginning with "ber" lie between "ber" and "bes", so the index
    # on names.key reads only them.
    upper = key[:-1] + chr(ord(key[-1]) + 1)
    try:
        conn = sqlite3.connect(f"file:{gazetteer.path}?mode=ro", uri=True)
    except sqlite3.Error as err:
        log.info("cannot search the gazetteer: %s", err)
        return []
    try:
        rows = conn.execute(
            "SELECT key, max(prior) AS best FROM"
            " (SELECT key, prior FROM names WHERE key > ? AND key < ? ORDER BY key LIMIT ?)"
            " GROUP BY key ORDER BY best DESC, key LIMIT ?",
            (key, upper, PREFIX_KEYS * 4, limit),
        ).fetchall()
    except sqlite3.Error as err:
        log.info("cannot search the gazetteer: %s", err)
        return []
    finally:
        conn.close()
    return [row[0] for row in rows]
