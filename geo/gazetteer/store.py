"""Look-ups in the gazetteer file: by exact name key, by several keys at once, and fuzzily."""

from __future__ import annotations

import functools
import logging
import re
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

from geo.core.errors import GazetteerError
from geo.core.features import feature_of
from geo.core.normalize import FOLDED_KEY, INITIALS_KEY, edit_distance, folded_key, transliteration_variants
from geo.core.provenance import Match
from geo.core.values import Candidate
from geo.gazetteer import build, sources
from geo.store import notices
from geo.store.db import PerThreadConnection
from geo.store.paths import cache_dir, fallback_dir

log = logging.getLogger(__name__)

_COLUMNS = (
    "p.id, p.name, p.feature, p.country, p.admin1, p.lat, p.lon, p.population, p.dataset, p.kind_hint, p.ref,"
    " n.prior, n.match, p.south, p.west, p.north, p.east"
)
#: Fuzzy matches must be at least this likely a priori (a city of ~10,000 people, or any
#: country, area or landmark): a misspelling is far likelier to be of a well-known place.
FUZZY_MIN_PRIOR = 4.0
#: Name keys whose look-ups a Gazetteer keeps, the least recently used dropped first: news repeats
#: its names from article to article, and each look-up is a query and a Candidate per row. Bounded,
#: so that a process that parses for days does not grow with the names it has met (a few MB).
CACHED_KEYS = 4096
#: The version of the near-miss look-ups (``variants``, ``fuzzy``): raise it when they answer
#: differently, so that answers cached under the old look-ups (geo.resolve.geocode) are not reused.
LOOKUP_VERSION = 3
#: A compass word before a name the gazetteer knows ("Eastern China", "North Dallas",
#: "north western Sydney"): the part of that place. Tried only for a name with no entry of its own
#: ("South Sudan", "West Virginia" have theirs), as a near miss, which the geocoder keeps on its leash.
_QUALIFIER = re.compile(
    r"^(?:(?:north|south)(?: ?(?:east|west)(?:ern)?)?|(?:north|south)ern|east(?:ern)?|west(?:ern)?) (.{4,})$"
)
#: A valley named after its river or town ("Salinas Valley", "San Fernando Valley"): that place,
#: on the same terms.
_VALLEY = re.compile(r"^(.{4,}) valley$")


#: Kinds of place whose entries under ``sources.MIN_CITY_POPULATION`` people (Who's On First's
#: villages, most of population 0) ``best_priors`` leaves out: recognition takes a village's name
#: only where the model tags it a place ("Buhari", "Roller" and "Games" are villages too), while
#: the resolver's ``candidates`` still offer it.
_UNPEOPLED = frozenset({"PPL"})


def default_path() -> Path:
    """Return where the gazetteer file lives: ``gazetteer.sqlite`` in the cache folder."""
    return cache_dir() / "gazetteer.sqlite"


#: Shown when the cache folder cannot be written and the gazetteer is built elsewhere.
TEMPORARY_NOTICE = (
    "The cache folder cannot be written: the gazetteer is kept in a temporary folder for this run "
    "(and rebuilt on the next start)."
)
#: Shown when a damaged or deleted gazetteer file was rebuilt while running.
REBUILT_NOTICE = "The gazetteer file was damaged or removed while in use; it was rebuilt."

#: How each opened gazetteer file is rebuilt, by path: every Gazetteer on that file (the
#: recognizer opens its own) recovers the same way.
_rebuilders: dict[Path, Callable[[tuple[int, int] | None], object]] = {}
_rebuild_lock = threading.Lock()


def open_gazetteer(
    path: Path | None = None,
    *,
    progress: Callable[[str], None] | None = None,
    entries: Callable[[], Iterable[sources.Entry]] | None = None,
    stamp: str | None = None,
) -> Gazetteer:
    """Return the gazetteer at ``path``, building it first when missing, out of date or damaged
    (under the build lock: see geo.gazetteer.build.ensure).

    When the folder cannot be written (read-only, full, a file in its place), the gazetteer is
    built in a temporary folder instead, with a notice (geo.store.notices). ``entries`` and ``stamp``
    (tests) replace the sources and their fingerprint. Raises GazetteerError when neither works.
    """
    path = path or default_path()
    try:
        build.ensure(path, entries=entries, stamp=stamp, progress=progress)
    except GazetteerError as err:
        log.info("cannot build the gazetteer at %s (%s); trying the temporary folder", path, err)
        try:
            path = fallback_dir() / path.name
        except OSError as again:
            raise GazetteerError(
                "the gazetteer could not be built: neither the cache folder nor the temporary folder can be written"
            ) from again
        build.ensure(path, entries=entries, stamp=stamp, progress=progress)
        notices.notify(TEMPORARY_NOTICE)
    _rebuilders[path.resolve()] = functools.partial(_rebuild, path, entries, stamp)
    return Gazetteer(path)


def _rebuild(
    path: Path,
    entries: Callable[[], Iterable[sources.Entry]] | None,
    stamp: str | None,
    damaged: tuple[int, int] | None,
) -> None:
    if build.ensure(path, entries=entries, stamp=stamp, damaged=damaged):
        notices.notify(REBUILT_NOTICE)


class Gazetteer:
    """Read-only access to a built gazetteer file. Safe to share between threads."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        if not self.path.exists():
            log.info("no gazetteer at %s", self.path)
            raise GazetteerError("no gazetteer file: it has not been built")
        self._conn = PerThreadConnection(self._open, path=self.path)
        self._looked_up = functools.lru_cache(maxsize=CACHED_KEYS)(self._candidates)
        # Near misses are the dearest look-up (an edit distance to every name sharing a prefix),
        # and the same misspelling recurs across a batch of articles: kept like the candidates.
        self._near = functools.lru_cache(maxsize=CACHED_KEYS)(self._fuzzy)
        self._priors: OrderedDict[str, tuple[float, Candidate] | None] = OrderedDict()
        self._priors_lock = threading.Lock()

    def _open(self) -> sqlite3.Connection:
        if not self.path.exists():  # removed while running (the cache folder deleted)
            self._recover(None, reopen=False)
        try:
            conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False, factory=_Connection)
        except sqlite3.Error as err:
            log.info("cannot open the gazetteer at %s: %s", self.path, err)
            raise GazetteerError(f"the gazetteer cannot be opened ({err})") from err
        conn.identity = build.identity(self.path)
        return conn

    def _rows(self, sql: str, params: Iterable[object] = ()) -> list[tuple]:
        """Return the rows of a query; on a database error (a damaged or removed file), rebuild
        the file and ask once more; raise GazetteerError (naming no path) if that fails too."""
        params = tuple(params)
        conn = self._conn()
        try:
            return conn.execute(sql, params).fetchall()
        except sqlite3.DatabaseError as err:
            log.warning("the gazetteer failed a query (%s); checking it", err)
            self._recover(getattr(conn, "identity", None))
        try:
            return self._conn().execute(sql, params).fetchall()
        except sqlite3.DatabaseError as err:
            raise GazetteerError(f"the gazetteer cannot be read ({err})") from err

    def _recover(self, damaged: tuple[int, int] | None, *, reopen: bool = True) -> None:
        """Rebuild the file (when it was opened by open_gazetteer); then, with ``reopen``, make
        every thread open its connection again."""
        rebuild = _rebuilders.get(self.path.resolve())
        if rebuild is None:
            raise GazetteerError("the gazetteer file is damaged or missing, and cannot be rebuilt here")
        with _rebuild_lock:  # one thread of this process rebuilds; the others then find it done
            rebuild(damaged)
        if reopen:
            self._conn.reset()
        self._forget()

    def _forget(self) -> None:
        """Drop the look-ups kept from a file that has been rebuilt."""
        self._looked_up.cache_clear()
        self._near.cache_clear()
        with self._priors_lock:
            self._priors.clear()

    def candidates(self, key: str, *, limit: int = 40) -> list[Candidate]:
        """Return the places a name key may refer to, likeliest a priori first: those of the key
        itself, or, when it names nothing, those whose name has the same folded key (another
        romanisation: "Hims" finds Homs, "Al Mawsil" Mosul), marked ``Match.FOLDED``."""
        self._conn()  # a kept answer still checks the file is there (rebuilt, and forgotten, if not)
        return list(self._looked_up(key, limit))

    def _candidates(self, key: str, limit: int) -> tuple[Candidate, ...]:
        query = (
            f"SELECT {_COLUMNS} FROM names n JOIN places p ON p.id = n.place_id"
            " WHERE n.key = ? ORDER BY n.prior DESC LIMIT ?"
        )
        rows = self._rows(query, (key, limit))
        if (
            not rows
            and len(key) >= 4
            and not key.startswith((INITIALS_KEY, FOLDED_KEY))
            and not sources.is_english_word(key)  # "Titan" is a word, not a spelling of Tetouan
        ):
            rows = self._rows(query, (FOLDED_KEY + folded_key(key), limit))
        return tuple(_unique(_candidate(row) for row in rows))

    def best_priors(self, keys: Iterable[str]) -> dict[str, tuple[float, Candidate]]:
        """Return, for each key that names something, its likeliest place and that one's prior
        (recognition's evidence; towns of fewer than ``sources.MIN_CITY_POPULATION`` left out)."""
        found: dict[str, tuple[float, Candidate]] = {}
        missing = []
        self._conn()  # as in candidates: the file checked before kept answers are used
        with self._priors_lock:
            for key in sorted(set(keys)):
                if key not in self._priors:
                    missing.append(key)
                    continue
                self._priors.move_to_end(key)
                best = self._priors[key]
                if best is not None:
                    found[key] = best
        if not missing:
            return found
        fetched = self._best_priors(missing)
        with self._priors_lock:
            for key in missing:  # an unknown name is kept too (None): most proposals name nothing
                self._priors[key] = fetched.get(key)
            while len(self._priors) > CACHED_KEYS:
                self._priors.popitem(last=False)
        found.update(fetched)
        return found

    def _best_priors(self, keys: list[str]) -> dict[str, tuple[float, Candidate]]:
        found: dict[str, tuple[float, Candidate]] = {}
        for chunk_start in range(0, len(keys), 500):  # SQLite caps the number of parameters
            chunk = keys[chunk_start : chunk_start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._rows(
                f"SELECT n.key, {_COLUMNS} FROM names n JOIN places p ON p.id = n.place_id WHERE n.key IN ({marks})",
                chunk,
            )
            for row in rows:
                key, prior = row[0], row[12]
                if row[3] in _UNPEOPLED and row[8] < sources.MIN_CITY_POPULATION:
                    continue  # a village is no evidence that a capitalised word is a place
                if key not in found or prior > found[key][0]:
                    found[key] = (prior, _candidate(row[1:]))
        return found

    def fuzzy(self, key: str, *, limit: int = 5) -> list[Candidate]:
        """Return well-known places whose name is a near miss of ``key`` (misspellings).

        Only keys of five letters or more are tried, sharing their first three letters, within
        one edit (two for keys of nine letters or more).
        """
        if len(key) < 5:
            return []
        self._conn()  # as in candidates: the file checked before kept answers are used
        return list(self._near(key, limit))

    def _fuzzy(self, key: str, limit: int) -> tuple[Candidate, ...]:
        max_edits = 2 if len(key) >= 9 else 1
        prefix = key[:3]
        upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        rows = self._rows(
            "SELECT DISTINCT key FROM names WHERE key >= ? AND key < ? AND length(key) BETWEEN ? AND ?",
            (prefix, upper, len(key) - max_edits, len(key) + max_edits),
        )
        close = sorted(
            (distance, other)
            for (other,) in rows
            if other != key and (distance := edit_distance(key, other, max_edits)) <= max_edits
        )
        found: list[tuple[float, Candidate]] = []
        for distance, other in close:
            for candidate in self.candidates(other, limit=3):
                if candidate.prior >= FUZZY_MIN_PRIOR:
                    found.append((candidate.prior - distance, replace(candidate, match=Match.NEAR_MISS)))
        found.sort(key=lambda pair: -pair[0])
        return tuple(_unique(candidate for _score, candidate in found)[:limit])

    def variants(self, key: str, *, limit: int = 5) -> list[Candidate]:
        """Return places whose name is a transliteration variant of ``key`` ("Hasakah" for
        "al-Hasakeh", "Tartus" for "Tartous") or the name after a compass word ("China" for
        "eastern china") or its valley ("Salinas" for "salinas valley"), likeliest first, each
        marked a near miss."""
        if len(key) < 4:
            return []
        parts = [match.group(1) for match in (_QUALIFIER.match(key), _VALLEY.match(key)) if match is not None]
        keys = [*transliteration_variants(key), *parts]
        found = [
            replace(candidate, match=Match.NEAR_MISS)
            for variant in keys
            for candidate in self.candidates(variant, limit=3)
        ]
        found.sort(key=lambda candidate: -candidate.prior)
        return _unique(found)[:limit]

    def word_matches(self, words: str, *, keys: int, per_key: int) -> list[Candidate]:
        """Return the places of the ``keys`` likeliest name keys (own or alternate names) that
        ``words`` (an FTS5 query, geo.gazetteer.search) matches, at most ``per_key`` places of
        each key, likeliest first; each candidate's ``match`` says how its key spells it. Bounded
        by the word index's rowids, which number the keys likeliest first (geo.gazetteer.build)."""
        rows = self._rows(
            f"SELECT {_COLUMNS} FROM"
            " (SELECT key, place_id, prior, match,"
            "  row_number() OVER (PARTITION BY key ORDER BY prior DESC) AS nth FROM names"
            "  WHERE key IN (SELECT key FROM name_words WHERE name_words MATCH ? ORDER BY rowid LIMIT ?)) n"
            " JOIN places p ON p.id = n.place_id WHERE n.nth <= ? ORDER BY n.prior DESC",
            (words, keys, per_key),
        )
        return [_candidate(row) for row in rows]

    def fingerprint(self) -> str:
        """Return what identifies this gazetteer's answers: the fingerprint of the sources it was
        built from, and the version of its look-ups (``LOOKUP_VERSION``). The offline geocoder's
        cached answers are kept under it, so a changed look-up is not answered from old ones."""
        rows = self._rows("SELECT value FROM meta WHERE key = 'fingerprint'")
        return f"{rows[0][0] if rows else 'unknown'}/lookup{LOOKUP_VERSION}"

    def count(self) -> int:
        """Return the number of places in the gazetteer."""
        return int(self._rows("SELECT count(*) FROM places")[0][0])

    @functools.cached_property
    def country_names(self) -> dict[str, str]:
        """Return each country's English name by its code ("SD": "Sudan"), for lists a person reads."""
        rows = self._rows("SELECT country, name FROM places WHERE feature = ? AND country IS NOT NULL", ("PCLI",))
        return {str(code): str(name) for code, name in rows}


class _Connection(sqlite3.Connection):
    """A connection that remembers which file it opened (see geo.gazetteer.build.identity)."""

    identity: tuple[int, int] | None = None


def _candidate(row: tuple) -> Candidate:
    """Return the Candidate of a row of ``_COLUMNS``."""
    return Candidate(
        rowid=row[0],
        name=row[1],
        feature=feature_of(row[2]),
        country=row[3],
        admin1=row[4],
        lat=row[5],
        lon=row[6],
        population=row[7],
        dataset=row[8],
        kind_hint=row[9],
        ref=row[10],
        prior=row[11],
        match=Match(row[12]),
        extent=None if row[13] is None else (row[13], row[14], row[15], row[16]),
    )


def _unique(candidates: Iterable[Candidate]) -> list[Candidate]:
    seen: set[int | None] = set()
    out = []
    for candidate in candidates:
        if candidate.rowid not in seen:
            seen.add(candidate.rowid)
            out.append(candidate)
    return out
