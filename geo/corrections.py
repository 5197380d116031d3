"""A person's corrections: for a name in an article, the place they chose. Kept in cache/.

A correction wins over the resolver the next time that article is parsed. Every correction is
kept as history, so the latest one can be undone (the one before it, or the resolver, applies
again).

Each correction records who made it (an editor's name, in a public deployment), when, and from
which session; a session's Undo takes back only that session's corrections, and
``max_per_minute`` limits how many a session may make.
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from geo.db import PerThreadConnection
from geo.errors import CacheError, CorrectionRefused
from geo.features import Feature, feature_of
from geo.paths import cache_dir
from geo.values import Candidate


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
        self._conn = PerThreadConnection(self._open)
        self._conn()

    def _open(self) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
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
        except sqlite3.DatabaseError as err:
            raise CacheError(f"cannot open the corrections at {self.path}: {err}") from err
        return conn

    def for_article(self, article: str) -> dict[str, Correction]:
        """Return the current correction of each corrected name key in an article."""
        rows = self._conn().execute(
            "SELECT name_key, name, lat, lon, feature, country, kind FROM corrections WHERE article = ?"
            " ORDER BY created, rowid",
            (article,),
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
        with self._conn() as conn:
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
        with self._conn() as conn:
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

    def history(self, article: str) -> list[tuple[str, str, str | None, str | None, float]]:
        """Return (name key, name, who, session, when) of every correction of an article, oldest first."""
        rows = self._conn().execute(
            "SELECT name_key, name, who, session, created FROM corrections WHERE article = ? ORDER BY created, rowid",
            (article,),
        )
        return list(rows)

    def version(self) -> tuple[int, int]:
        """Return a value that changes whenever a correction is made or undone (for caches)."""
        count, last = self._conn().execute("SELECT count(*), coalesce(max(rowid), 0) FROM corrections").fetchone()
        return count, last
