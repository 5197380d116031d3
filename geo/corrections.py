"""A person's corrections: for a name in an article, the place they chose. Kept in cache/.

A correction wins over the resolver the next time that article is parsed. Every correction is
kept as history, so the latest one can be undone (the one before it, or the resolver, applies
again).

Each correction records who made it (an editor's name, in a public deployment), when, and from
which session; a session's Undo takes back only that session's corrections, and
``max_per_minute`` limits how many a session may make.

A store that cannot be opened or written (the cache folder read-only, full, or a file in its
place) carries on in memory for the process, what it held copied over when it can still be read,
with one notice (geo.notices) naming no path; a file deleted while running is opened again.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from geo import notices
from geo.db import PerThreadConnection, SharedConnection, memory_connection
from geo.errors import CacheError, CorrectionRefused
from geo.features import Feature, feature_of
from geo.paths import cache_dir
from geo.values import Candidate

__all__ = ["MEMORY_NOTICE", "Correction", "Corrections", "article_id"]

log = logging.getLogger(__name__)

#: The notice of a corrections store that carries on in memory.
MEMORY_NOTICE = "Corrections cannot be saved in the cache folder: they are kept in memory until the app restarts."

T = TypeVar("T")


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


class Corrections:
    """The corrections store: ``cache/corrections.sqlite`` (or ``path``). Safe across threads."""

    def __init__(self, path: Path | None = None, *, max_per_minute: int | None = None) -> None:
        self.path = Path(path) if path else cache_dir() / "corrections.sqlite"
        self.max_per_minute = max_per_minute
        self._conn: PerThreadConnection | SharedConnection = PerThreadConnection(self._open, path=self.path)
        self._degrade_lock = threading.Lock()
        self._conn()

    @property
    def in_memory(self) -> bool:
        """Return whether this store carries on in memory (its file could not be used)."""
        return isinstance(self._conn, SharedConnection)

    def _open(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            _create(conn)
        except (sqlite3.Error, OSError) as err:
            return self._to_memory(err, None)
        return conn

    def _to_memory(self, err: Exception, current: sqlite3.Connection | None) -> sqlite3.Connection:
        """Carry on in memory, with what ``current`` still holds; return the memory connection."""
        log.info("the corrections at %s cannot be used: %s", self.path, err)
        with self._degrade_lock:
            if isinstance(self._conn, SharedConnection):  # another thread did it already
                return self._conn()
            memory = memory_connection()
            if current is not None:
                try:
                    current.backup(memory)
                except sqlite3.Error as again:
                    log.info("the corrections could not be copied: %s", again)
            try:
                _create(memory)
            except sqlite3.Error as again:  # a copy of a damaged file: start empty
                log.info("starting the corrections afresh: %s", again)
                memory = memory_connection()
                _create(memory)
            self._conn = SharedConnection(memory)
        notices.notify(MEMORY_NOTICE)
        return memory

    def _use(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Return ``work`` done with this thread's connection; on a database error (a full disk, a
        read-only or damaged file), carry on in memory and do it there."""
        conn = self._conn()
        try:
            return work(conn)
        except sqlite3.Error as err:
            if isinstance(self._conn, SharedConnection) and self._conn() is conn:
                raise CacheError(f"the corrections cannot be used ({err})") from err
            return work(self._to_memory(err, conn))

    def for_article(self, article: str) -> dict[str, Correction]:
        """Return the current correction of each corrected name key in an article."""
        rows = self._use(
            lambda conn: conn.execute(
                "SELECT name_key, name, lat, lon, feature, country, kind FROM corrections WHERE article = ?"
                " ORDER BY created, rowid",
                (article,),
            ).fetchall()
        )
        return {
            key: Correction(name, lat, lon, feature_of(feature), country, kind_hint)
            for key, name, lat, lon, feature, country, kind_hint in rows
        }

    def set(
        self, article: str, name_key: str, correction: Correction, *, who: str | None = None, session: str | None = None
    ) -> None:
        """Record that ``name_key`` in ``article`` means ``correction`` from now on, made by ``who``
        from ``session``. Raises CorrectionRefused when the session made ``max_per_minute`` already."""
        now = time.time()
        self._use(lambda conn: self._insert(conn, article, name_key, correction, who, session, now))

    def _insert(
        self,
        conn: sqlite3.Connection,
        article: str,
        name_key: str,
        correction: Correction,
        who: str | None,
        session: str | None,
        now: float,
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
                " session) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                ),
            )

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
            return True

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
        """Return a value that changes whenever a correction is made or undone (for caches)."""
        count, last = self._use(
            lambda conn: conn.execute("SELECT count(*), coalesce(max(rowid), 0) FROM corrections").fetchone()
        )
        return int(count), int(last)


def _create(conn: sqlite3.Connection) -> None:
    """Create the corrections table in ``conn`` if missing, with every column; raise sqlite3 errors."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS corrections (article TEXT NOT NULL, name_key TEXT NOT NULL,"
        " name TEXT NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL, feature TEXT NOT NULL,"
        " country TEXT, kind TEXT, created REAL NOT NULL)"
    )
    columns = {row[1] for row in conn.execute("PRAGMA table_info(corrections)")}
    for column in ("who", "session"):  # added after the first version of the table
        if column not in columns:
            conn.execute(f"ALTER TABLE corrections ADD COLUMN {column} TEXT")
    conn.commit()
