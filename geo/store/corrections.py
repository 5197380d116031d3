"""A person's corrections: for a name in an article, the place they chose. Kept in cache/.

A correction wins over the resolver the next time that article is parsed. Every correction is
kept as history, so the latest one can be undone (the one before it, or the resolver, applies
again).

Each correction records who made it (an editor's name, in a public deployment), when, and from
which session; a session's Undo takes back only that session's corrections, and
``max_per_minute`` limits how many a session may make.

Besides choosing another place for a name, a person may add a name the machine missed (the
exact string as written, and its place: every occurrence of it in that article becomes a mention)
or mark a found name as not a place (its mentions in that article are dropped). These are rows of
the same table, told apart by their ``action``; for each name key the latest row wins, so an Undo
of any of them lets the one before apply again. Files made before these columns existed open as
they are: the columns are added, and their old rows read as corrections.

A store that cannot be opened or written (the cache folder read-only, full, or a file in its
place) carries on in memory for the process, what it held copied over when it can still be read,
with one notice (geo.store.notices) naming no path; a file deleted while running is opened again.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import time
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from geo.core.errors import CacheError, CorrectionRefused
from geo.core.features import Feature, feature_of
from geo.core.normalize import name_key as key_of
from geo.core.values import Candidate
from geo.store.db import FallbackStore
from geo.store.paths import cache_dir

__all__ = ["MAX_WRITTEN", "MEMORY_NOTICE", "Action", "Correction", "Corrections", "Edits", "article_id"]

log = logging.getLogger(__name__)

#: The notice of a corrections store that carries on in memory.
MEMORY_NOTICE = "Corrections cannot be saved in the cache folder: they are kept in memory until the app restarts."


#: Longest name (in characters) a person may add or remove: a place name, not a paragraph.
MAX_WRITTEN = 120


class Action(StrEnum):
    """What a row of the corrections says about a name in an article."""

    PLACE = "place"  # the name means this place (a correction of what the resolver chose)
    ADD = "add"  # a name the machine missed: every occurrence of it is a mention of this place
    REMOVE = "remove"  # a name found that is not a place: its mentions are dropped


def article_id(text: str) -> str:
    """Return a short, stable identity for an article's text."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:20]


@dataclass(frozen=True)
class Correction:
    """The place a person chose for a name: a gazetteer entry, or coordinates they typed."""

    name: str
    lat: float
    lon: float
    feature: Feature = Feature.UNKNOWN
    country: str | None = None
    kind_hint: str | None = None  # the kind the place is shown as, when the person's choice says

    def candidate(self) -> Candidate:
        """Return the correction as a candidate place (data set "correction")."""
        return Candidate(
            rowid=None,
            name=self.name,
            feature=self.feature,
            country=self.country,
            admin1=None,
            lat=self.lat,
            lon=self.lon,
            population=0,
            dataset="correction",
            kind_hint=self.kind_hint,
            # The name is part of the identity: two places moved to one point stay two markers.
            ref=f"{self.name}@{self.lat:.5f},{self.lon:.5f}",
        )

    @classmethod
    def of(cls, candidate: Candidate) -> Correction:
        """Return a correction that picks a candidate the resolver considered."""
        return cls(
            candidate.name, candidate.lat, candidate.lon, candidate.feature, candidate.country, candidate.kind_hint
        )


@dataclass(frozen=True)
class Edits:
    """What a person changed in one article: the current row of each name key, by action."""

    #: Name key -> the place chosen for that name.
    placed: dict[str, Correction] = field(default_factory=dict)
    #: The exact string added, as written -> the place it means.
    added: dict[str, Correction] = field(default_factory=dict)
    #: Name keys marked as not a place.
    removed: frozenset[str] = frozenset()


class Corrections(FallbackStore):
    """The corrections store: ``cache/corrections.sqlite`` (or ``path``). Safe across threads."""

    what = "corrections"
    memory_notice = MEMORY_NOTICE
    error = CacheError

    def __init__(self, path: Path | None = None, *, max_per_minute: int | None = None) -> None:
        self.max_per_minute = max_per_minute
        super().__init__(Path(path) if path else cache_dir() / "corrections.sqlite", _create)

    def for_article(self, article: str) -> dict[str, Correction]:
        """Return the current correction of each corrected name key in an article."""
        return self.edits(article).placed

    def edits(self, article: str) -> Edits:
        """Return what a person changed in an article: for each name key, its latest row."""
        rows = self._use(
            lambda conn: conn.execute(
                "SELECT name_key, name, lat, lon, feature, country, kind, action, written FROM corrections"
                " WHERE article = ? ORDER BY created, rowid",
                (article,),
            ).fetchall()
        )
        latest: dict[str, tuple[Action, str | None, Correction]] = {}
        for key, name, lat, lon, feature, country, kind_hint, action, written in rows:
            latest[key] = (
                Action(action or Action.PLACE),
                written,
                Correction(name, lat, lon, feature_of(feature), country, kind_hint),
            )
        return Edits(
            placed={key: c for key, (action, _, c) in latest.items() if action is Action.PLACE},
            added={written: c for action, written, c in latest.values() if action is Action.ADD and written},
            removed=frozenset(key for key, (action, _, _) in latest.items() if action is Action.REMOVE),
        )

    def set(
        self, article: str, name_key: str, correction: Correction, *, who: str | None = None, session: str | None = None
    ) -> None:
        """Record that ``name_key`` in ``article`` means ``correction`` from now on, made by ``who``
        from ``session``. Raises CorrectionRefused when the session made ``max_per_minute`` already."""
        now = time.time()
        self._use(lambda conn: self._insert(conn, article, name_key, correction, who, session, now))

    def add(
        self, article: str, written: str, correction: Correction, *, who: str | None = None, session: str | None = None
    ) -> str:
        """Record that ``written`` (the exact string) names ``correction`` wherever it stands in
        ``article``; return its name key (what ``undo`` takes). Raises ValueError for a string that
        is blank or longer than ``MAX_WRITTEN``, CorrectionRefused past the rate limit."""
        key = _checked(written)
        now = time.time()
        self._use(lambda conn: self._insert(conn, article, key, correction, who, session, now, Action.ADD, written))
        return key

    def remove(self, article: str, written: str, *, who: str | None = None, session: str | None = None) -> str:
        """Record that ``written`` (and any name with its key) is not a place in ``article``; return
        its name key. Raises ValueError for a blank or overlong string, CorrectionRefused past the
        rate limit."""
        key = _checked(written)
        now = time.time()
        nowhere = Correction(written, 0.0, 0.0)  # the table's coordinates are required; unused here
        self._use(lambda conn: self._insert(conn, article, key, nowhere, who, session, now, Action.REMOVE, written))
        return key

    def _insert(
        self,
        conn: sqlite3.Connection,
        article: str,
        name_key: str,
        correction: Correction,
        who: str | None,
        session: str | None,
        now: float,
        action: Action = Action.PLACE,
        written: str | None = None,
    ) -> None:
        with conn:
            if self.max_per_minute is not None and session is not None:
                (recent,) = conn.execute(
                    "SELECT count(*) FROM corrections WHERE session = ? AND created > ?", (session, now - 60)
                ).fetchone()
                if recent >= self.max_per_minute:
                    raise CorrectionRefused(
                        f"at most {self.max_per_minute} corrections a minute; try again in a minute"
                    )
            conn.execute(
                "INSERT INTO corrections (article, name_key, name, lat, lon, feature, country, kind, created, who,"
                " session, action, written) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    article,
                    name_key,
                    correction.name,
                    correction.lat,
                    correction.lon,
                    correction.feature,
                    correction.country,
                    correction.kind_hint,
                    now,
                    who,
                    session,
                    str(action),
                    written,
                ),
            )
            _changed(conn)

    def undo(self, article: str, name_key: str, *, session: str | None = None) -> bool:
        """Take back the latest correction of a name in an article (only ``session``'s, when
        given); return whether there was one."""
        mine = " AND session = ?" if session is not None else ""

        def take_back(conn: sqlite3.Connection) -> bool:
            with conn:
                row = conn.execute(
                    "SELECT rowid FROM corrections WHERE article = ? AND name_key = ?"
                    + mine
                    + " ORDER BY created DESC, rowid DESC",
                    (article, name_key, *((session,) if session is not None else ())),
                ).fetchone()
                if row is None:
                    return False
                conn.execute("DELETE FROM corrections WHERE rowid = ?", row)
                _changed(conn)
            return True

        return self._use(take_back)

    def undo_last(self, article: str, *, session: str | None = None) -> str | None:
        """Take back the latest row of any kind in an article (only ``session``'s, when given);
        return the name key it was about, or None when there was none."""
        mine = " AND session = ?" if session is not None else ""

        def take_back(conn: sqlite3.Connection) -> str | None:
            with conn:
                row = conn.execute(
                    "SELECT rowid, name_key FROM corrections WHERE article = ?"
                    + mine
                    + " ORDER BY created DESC, rowid DESC",
                    (article, *((session,) if session is not None else ())),
                ).fetchone()
                if row is None:
                    return None
                conn.execute("DELETE FROM corrections WHERE rowid = ?", (row[0],))
                _changed(conn)
            return str(row[1])

        return self._use(take_back)

    def history(self, article: str) -> list[tuple[str, str, str | None, str | None, float]]:
        """Return (name key, name, who, session, when) of every correction of an article, oldest first."""
        return self._use(
            lambda conn: conn.execute(
                "SELECT name_key, name, who, session, created FROM corrections WHERE article = ?"
                " ORDER BY created, rowid",
                (article,),
            ).fetchall()
        )

    def version(self) -> tuple[int, int]:
        """Return a value that changes whenever a correction is made or undone (for caches): the
        number of rows and of changes ever made. Never the same twice: the largest rowid was not
        enough, since SQLite gives a deleted last row's id to the next one (add, undo, remove)."""
        count, changes = self._use(
            lambda conn: conn.execute(
                "SELECT (SELECT count(*) FROM corrections), (SELECT n FROM changes WHERE id = 0)"
            ).fetchone()
        )
        return int(count), int(changes or 0)


def _create(conn: sqlite3.Connection) -> None:
    """Create the corrections table in ``conn`` if missing, with every column; raise sqlite3 errors."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS corrections (article TEXT NOT NULL, name_key TEXT NOT NULL,"
        " name TEXT NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL, feature TEXT NOT NULL,"
        " country TEXT, kind TEXT, created REAL NOT NULL)"
    )
    columns = {row[1] for row in conn.execute("PRAGMA table_info(corrections)")}
    # Added after the first version of the table: older files gain them, their rows read as corrections.
    for column in ("who", "session", "action", "written"):
        if column not in columns:
            conn.execute(f"ALTER TABLE corrections ADD COLUMN {column} TEXT")
    # Keys are written by geo.core.normalize.name_key: rows kept under an older key ("la grange",
    # before a particle was joined to its word) are re-keyed, so a person's correction still holds.
    rows = conn.execute("SELECT rowid, name_key FROM corrections").fetchall()
    rekeyed = [(key_of(key), rowid, key) for rowid, key in rows]
    stale = [(new, rowid) for new, rowid, key in rekeyed if new and new != key]
    conn.executemany("UPDATE corrections SET name_key = ? WHERE rowid = ?", stale)
    # How many changes were ever made (see Corrections.version); a file without it starts at 0.
    conn.execute("CREATE TABLE IF NOT EXISTS changes (id INTEGER PRIMARY KEY CHECK (id = 0), n INTEGER NOT NULL)")
    conn.execute("INSERT OR IGNORE INTO changes VALUES (0, 0)")
    conn.commit()


def _changed(conn: sqlite3.Connection) -> None:
    """Count one more change (inside the caller's transaction)."""
    conn.execute("UPDATE changes SET n = n + 1 WHERE id = 0")


def _checked(written: str) -> str:
    """Return the name key of a string a person added or removed; raise ValueError when it is no name."""
    key = key_of(written)
    if not written.strip() or not key:
        raise ValueError("select a name: the selection holds no letters")
    if len(written) > MAX_WRITTEN:
        raise ValueError(f"a place name is at most {MAX_WRITTEN} characters; select fewer words")
    return key
